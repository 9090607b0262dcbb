//! A content file's text: decoding (BOM, UTF-16, size), positions, and finding
//! where a parsed value was written so that checks can point at it.

use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// The text, without a BOM.
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(path: &Path, text: String) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            path: path.to_path_buf(),
            text,
            line_starts,
        }
    }

    /// Decodes raw bytes into a source, or the diagnostic that says why not.
    pub fn decode(path: &Path, bytes: &[u8]) -> Result<Source, Box<Diagnostic>> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(Box::new(
                Diagnostic::error(
                    "CD004",
                    path,
                    format!(
                        "the file is too large ({:.1} MiB; the limit is {} MiB)",
                        bytes.len() as f64 / (1024.0 * 1024.0),
                        MAX_FILE_BYTES / (1024 * 1024)
                    ),
                )
                .help("split it into several scenario files"),
            ));
        }
        if bytes.starts_with(&[0xFF, 0xFE])
            || bytes.starts_with(&[0xFE, 0xFF])
            || looks_utf16(bytes)
        {
            return Err(Box::new(
                Diagnostic::error("CD002", path, "the file is UTF-16, not UTF-8")
                    .help("save it as UTF-8 (in Notepad: File → Save As → Encoding: UTF-8)"),
            ));
        }
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let good = std::str::from_utf8(good).unwrap_or_default();
                let line = good.matches('\n').count() + 1;
                let col = good.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                return Err(Box::new(
                    Diagnostic::error(
                        "CD002",
                        path,
                        format!("the file is not valid UTF-8 (byte {})", e.valid_up_to()),
                    )
                    .at(line, col)
                    .help("save it as UTF-8 (GBK/GB2312 files must be converted)"),
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(Box::new(Diagnostic::error("CD003", path, "the file is empty")
                .help("a playbook starts with `Playbook(` and a scenario with `Scenario(`; see docs/authoring.md")));
        }
        Ok(Source::new(path, text))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and character column.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| start + i)
            .unwrap_or(self.text.len())
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Points a diagnostic at a byte offset, quoting `len` bytes of text there.
    pub fn point(&self, d: Diagnostic, offset: usize, len: usize) -> Diagnostic {
        let (line, col) = self.position(offset);
        let end = (offset + len).min(self.text.len());
        let snippet = self.text.get(offset..end).unwrap_or("");
        // Quote one line at most.
        let snippet = snippet.split(['\r', '\n']).next().unwrap_or("").to_string();
        d.at(line, col).snippet(snippet)
    }

    /// Offset of the quoted string `"value"` at or after `from`, before `until`.
    pub fn find_quoted(&self, value: &str, from: usize, until: usize) -> Option<usize> {
        let needle = format!("\"{value}\"");
        let until = until.min(self.text.len());
        let from = from.min(until);
        self.text[from..until].find(&needle).map(|i| from + i)
    }

    /// Offset of `field: "value"` (any spacing) at or after `from`, before `until`.
    pub fn find_field(&self, field: &str, value: &str, from: usize, until: usize) -> Option<usize> {
        let needle = format!("\"{value}\"");
        let until = until.min(self.text.len());
        let mut at = from.min(until);
        while let Some(i) = self.text[at..until].find(&needle) {
            let pos = at + i;
            let before = self.text[..pos].trim_end();
            if let Some(before) = before.strip_suffix(':') {
                let before = before.trim_end();
                if let Some(rest) = before.strip_suffix(field) {
                    let boundary = rest
                        .chars()
                        .next_back()
                        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                    if boundary {
                        return Some(pos);
                    }
                }
            }
            at = pos + needle.len();
        }
        None
    }
}

impl Source {
    /// Offset of the field name `key` written as `key:` (a whole word, outside
    /// comments as far as a plain scan can tell), at or after `from`.
    pub fn find_key(&self, key: &str, from: usize, until: usize) -> Option<usize> {
        let until = until.min(self.text.len());
        let mut at = from.min(until);
        while let Some(i) = self.text[at..until].find(key) {
            let pos = at + i;
            let before_ok = self.text[..pos]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after_ok = self.text[pos + key.len()..].trim_start().starts_with(':');
            let line_start = self.text[..pos].rfind('\n').map_or(0, |n| n + 1);
            let in_comment = self.text[line_start..pos].contains("//");
            if before_ok && after_ok && !in_comment {
                return Some(pos);
            }
            at = pos + key.len();
        }
        None
    }

    /// The opening quote of the first string literal before `before` that runs
    /// over a line break: almost always a missing closing quote.
    pub fn unclosed_string(&self, before: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let before = before.min(b.len());
        let mut i = 0;
        while i < before {
            match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'"' => {
                    let open = i;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\\' {
                            i += 1;
                        } else if b[i] == b'\n' {
                            return Some(open);
                        }
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// UTF-16 without a BOM: many NUL bytes at odd or even positions.
fn looks_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256)];
    head.len() >= 4 && head.iter().filter(|&&b| b == 0).count() * 4 >= head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let s = Source::new(Path::new("x.ron"), "a\n王老板: 1\r\nb".into());
        assert_eq!(s.position(0), (1, 1));
        let colon = s.text.find(':').unwrap();
        assert_eq!(s.position(colon), (2, 4));
        assert_eq!(s.offset(2, 4), colon);
        assert_eq!(s.line_text(2), "王老板: 1");
        assert_eq!(s.position(s.text.len()), (3, 2));
    }

    #[test]
    fn bom_is_stripped_and_utf16_refused() {
        let s = Source::decode(Path::new("a.ron"), b"\xEF\xBB\xBFPlaybook()").unwrap();
        assert_eq!(s.text, "Playbook()");
        let utf16: Vec<u8> = "Playbook()"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let e = Source::decode(Path::new("a.ron"), &utf16).unwrap_err();
        assert_eq!(e.code, "CD002");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16);
        assert_eq!(
            Source::decode(Path::new("a.ron"), &with_bom)
                .unwrap_err()
                .code,
            "CD002"
        );
    }

    #[test]
    fn empty_and_huge_files_are_refused() {
        assert_eq!(
            Source::decode(Path::new("a"), b"  \n").unwrap_err().code,
            "CD003"
        );
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        assert_eq!(
            Source::decode(Path::new("a"), &big).unwrap_err().code,
            "CD004"
        );
    }

    #[test]
    fn find_field_matches_definitions_not_references() {
        let s = Source::new(
            Path::new("x"),
            r#"next: Goto("a"), goto: "a", xid: "a", id : "a""#.into(),
        );
        let at = s.find_field("id", "a", 0, usize::MAX).unwrap();
        assert_eq!(&s.text[at - 5..at], "id : ");
    }
}
