//! Text normalisation for key-point matching on Chinese (and English) text
//! without word segmentation.

use unicode_normalization::UnicodeNormalization;

/// Folds a reply or phrasing into the form that matching compares:
/// NFKC (full-width → half-width, compatibility forms), lower case, and only
/// letters and digits kept (punctuation, symbols and white space dropped).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn full_width_and_half_width_fold_together() {
        assert_eq!(normalize("ＰＯＳ机"), normalize("pos机"));
        assert_eq!(normalize("１０点"), "10点");
    }

    #[test]
    fn punctuation_and_space_are_dropped() {
        assert_eq!(normalize("您好，我是 小李！"), "您好我是小李");
        assert_eq!(normalize("Hello, World!"), "helloworld");
        assert_eq!(normalize("“理解”——您的顾虑。"), "理解您的顾虑");
    }

    #[test]
    fn ideographic_space_is_white_space() {
        assert_eq!(normalize("周六\u{3000}上午"), "周六上午");
    }

    #[test]
    fn chinese_is_kept_as_is() {
        assert_eq!(normalize("费率千分之三点八"), "费率千分之三点八");
    }
}
