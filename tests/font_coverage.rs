//! No text ever shows as boxes: the shipped font has a glyph for every
//! character of the shipped content, the message catalogue and the game's
//! own strings.

use std::collections::BTreeSet;

use skrifa::{FontRef, MetadataProvider};

fn chars_of(pattern_dir: &str, ext: &str, into: &mut BTreeSet<char>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(pattern_dir);
    for e in std::fs::read_dir(root).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == ext) {
            into.extend(std::fs::read_to_string(&p).unwrap().chars());
        }
    }
}

#[test]
fn the_font_covers_every_character_we_show() {
    let mut chars = BTreeSet::new();
    chars_of("assets/playbooks", "ron", &mut chars);
    chars_of("assets/scenarios", "ron", &mut chars);
    chars_of("src/game", "rs", &mut chars);
    // The competition's banners, points explanations, awards and report charts.
    chars_of("src/competition", "rs", &mut chars);
    chars_of("src/report", "rs", &mut chars);
    chars_of("assets/competition", "ron", &mut chars);
    chars.extend(
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/i18n.rs"))
            .unwrap()
            .chars(),
    );
    assert!(chars.len() > 500, "{} characters", chars.len());
    for face in ["Regular", "Bold"] {
        let data = std::fs::read(format!(
            "{}/assets/fonts/NotoSansSC-calldrill-{face}.otf",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let font = FontRef::new(&data).unwrap();
        let cmap = font.charmap();
        let missing: String = chars
            .iter()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .filter(|&&c| cmap.map(c).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "{face} lacks glyphs for: {missing} (run scripts/make-font, or use other symbols)"
        );
    }
}
