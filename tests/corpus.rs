//! The bad-input corpus: every file in tests/corpus/bad must produce the
//! diagnostics its `.expect` file lists (a stable code and line:col, and hint
//! text after `help`), and never a panic. Generated cases cover what cannot
//! sit in the repository as a file: BOM + CRLF, UTF-16, invalid UTF-8, deep
//! nesting and a 10 MB file.

use std::path::{Path, PathBuf};

use calldrill::content::{self, Diagnostic, Loaded};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn base_playbook() -> PathBuf {
    corpus().join("base/playbooks/base.ron")
}

fn diagnostics_for(loaded: &Loaded, file: &Path) -> Vec<Diagnostic> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.file == file)
        .cloned()
        .collect()
}

fn check_case(file: &Path, loaded: &Loaded) -> Result<(), String> {
    let expect_path = file.with_extension("expect");
    let expect = std::fs::read_to_string(&expect_path).map_err(|e| {
        format!(
            "{}: cannot read {}: {e}",
            file.display(),
            expect_path.display()
        )
    })?;
    let got = diagnostics_for(loaded, file);
    if got.is_empty() {
        return Err(format!("{}: no diagnostic at all", file.display()));
    }
    for d in &got {
        let whole_file = matches!(d.code, "CD001" | "CD002" | "CD003" | "CD004");
        if !whole_file && d.line == 0 {
            return Err(format!("{}: {} has no line:col", file.display(), d.code));
        }
        if d.message.is_empty() {
            return Err(format!("{}: {} has no message", file.display(), d.code));
        }
    }
    for want in expect.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(help) = want.strip_prefix("help ") {
            if !got
                .iter()
                .any(|d| d.help.as_deref().is_some_and(|h| h.contains(help)))
            {
                return Err(format!(
                    "{}: no hint containing {help:?}; got {got:#?}",
                    file.display()
                ));
            }
            continue;
        }
        let (code, pos) = want
            .split_once(' ')
            .ok_or_else(|| format!("bad expect line {want:?}"))?;
        let (line, col) = pos
            .split_once(':')
            .ok_or_else(|| format!("bad expect line {want:?}"))?;
        let (line, col): (usize, usize) = (line.parse().unwrap(), col.parse().unwrap());
        if !got
            .iter()
            .any(|d| d.code == code && d.line == line && d.col == col)
        {
            let seen: Vec<String> = got
                .iter()
                .map(|d| format!("{} {}:{}", d.code, d.line, d.col))
                .collect();
            return Err(format!("{}: expected {want}, got {seen:?}", file.display()));
        }
    }
    Ok(())
}

fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

#[test]
fn the_base_corpus_is_clean() {
    let loaded = content::load(&[corpus().join("base")]);
    assert_eq!(
        loaded.diagnostics,
        vec![],
        "the base corpus must check clean"
    );
    assert_eq!(loaded.library.scenarios.len(), 1);
}

#[test]
fn every_bad_scenario_gets_its_diagnostics() {
    let files = ron_files(&corpus().join("bad/scenarios"));
    assert!(
        files.len() >= 15,
        "the corpus has {} scenario cases",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let loaded = content::load(&[base_playbook(), f.clone()]);
        if let Err(e) = check_case(f, &loaded) {
            failures.push(e);
        }
        // A file with an error never reaches the library.
        if loaded.errors() > 0 {
            assert!(loaded.library.scenarios.is_empty(), "{}", f.display());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_bad_playbook_gets_its_diagnostics() {
    let files = ron_files(&corpus().join("bad/playbooks"));
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let loaded = content::load(std::slice::from_ref(f));
        if let Err(e) = check_case(f, &loaded) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_whole_folder_reports_every_file_not_only_the_first() {
    let loaded = content::load(&[corpus().join("bad/scenarios"), base_playbook()]);
    let files: std::collections::HashSet<_> =
        loaded.diagnostics.iter().map(|d| d.file.clone()).collect();
    let cases = ron_files(&corpus().join("bad/scenarios")).len();
    // duplicate scenario ids (every case is "ok" renamed) add CD020s; each case still has its own.
    assert!(
        files.len() >= cases,
        "{} files with diagnostics, {cases} cases",
        files.len()
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("calldrill-corpus-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("scenarios")).unwrap();
    std::fs::create_dir_all(d.join("playbooks")).unwrap();
    std::fs::copy(base_playbook(), d.join("playbooks/base.ron")).unwrap();
    d
}

fn ok_scenario() -> String {
    std::fs::read_to_string(corpus().join("base/scenarios/ok.ron")).unwrap()
}

#[test]
fn bom_and_crlf_load_like_any_other_file() {
    let d = temp_dir("bom");
    let text = format!("\u{feff}{}", ok_scenario().replace('\n', "\r\n"));
    let f = d.join("scenarios/windows.ron");
    std::fs::write(&f, text).unwrap();
    let loaded = content::load(std::slice::from_ref(&d));
    assert_eq!(loaded.diagnostics, vec![]);
    assert_eq!(loaded.library.scenarios.len(), 1);
    // Positions stay right with CRLF: break a field and look where it points.
    let broken = format!(
        "\u{feff}{}",
        ok_scenario()
            .replace("patience: 50", "patiance: 50")
            .replace('\n', "\r\n")
    );
    std::fs::write(&f, broken).unwrap();
    let loaded = content::load(std::slice::from_ref(&f));
    let d0 = &loaded.diagnostics[0];
    assert_eq!((d0.code, d0.line, d0.col), ("CD011", 7, 35));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn an_unclosed_value_points_at_the_missing_paren() {
    let d = temp_dir("unclosed");
    let f = d.join("scenarios/unclosed.ron");
    // The `)` closing `Persona(` is missing, so `start` lands inside it.
    let broken = ok_scenario().replace("traits: [\"急性子\"]),", "traits: [\"急性子\"],");
    std::fs::write(&f, broken).unwrap();
    let loaded = content::load(std::slice::from_ref(&f));
    let d0 = &loaded.diagnostics[0];
    assert_eq!((d0.code, d0.line, d0.col), ("CD011", 8, 5));
    let help = d0.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("the `)` that closes `Persona(` is missing"),
        "{help}"
    );
    // A real typo keeps its plain did-you-mean.
    std::fs::write(&f, ok_scenario().replace("patience: 50", "patiance: 50")).unwrap();
    let loaded = content::load(std::slice::from_ref(&f));
    assert_eq!(
        loaded.diagnostics[0].help.as_deref(),
        Some("did you mean `patience`?")
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn utf16_gets_save_it_as_utf8() {
    let d = temp_dir("utf16");
    let f = d.join("scenarios/u16.ron");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(ok_scenario().encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(&f, bytes).unwrap();
    let loaded = content::load(std::slice::from_ref(&f));
    let d0 = &diagnostics_for(&loaded, &f)[0];
    assert_eq!(d0.code, "CD002");
    assert!(d0.help.as_deref().unwrap().contains("save it as UTF-8"));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn gbk_bytes_get_their_line_and_column() {
    let d = temp_dir("gbk");
    let f = d.join("scenarios/gbk.ron");
    // "测试" in GBK is C2 B2 CA D4: invalid UTF-8 on line 4.
    let mut bytes = b"Scenario(\n    id: \"x\",\n    playbook: \"base\",\n    title: \"".to_vec();
    bytes.extend([0xB2, 0xE2, 0xCA, 0xD4]);
    bytes.extend(b"\",\n)\n");
    std::fs::write(&f, bytes).unwrap();
    let loaded = content::load(std::slice::from_ref(&f));
    let d0 = &diagnostics_for(&loaded, &f)[0];
    assert_eq!((d0.code, d0.line, d0.col), ("CD002", 4, 13));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let d = temp_dir("deep");
    // Deep nesting inside a field, at the top level, and in a node's say list.
    let cases = [
        ok_scenario().replace(
            "traits: [\"急性子\"]",
            &format!("traits: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!(
            "Scenario(id: {}\"x\"{})",
            "Some(".repeat(50_000),
            ")".repeat(50_000)
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let f = d.join(format!("scenarios/deep{i}.ron"));
        std::fs::write(&f, text).unwrap();
        let loaded = content::load(std::slice::from_ref(&f));
        let got = diagnostics_for(&loaded, &f);
        assert!(!got.is_empty() && got[0].is_error(), "case {i}: {got:?}");
        assert!(got[0].line >= 1, "case {i}: {:?}", got[0]);
    }
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_10_mb_file_is_refused_with_a_hint() {
    let d = temp_dir("huge");
    let f = d.join("scenarios/huge.ron");
    let mut text = ok_scenario();
    let filler = "// 填充注释，模拟一个过大的文件。\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(filler);
    }
    std::fs::write(&f, &text).unwrap();
    let loaded = content::load(std::slice::from_ref(&f));
    let d0 = &diagnostics_for(&loaded, &f)[0];
    assert_eq!(d0.code, "CD004");
    assert!(d0.message.contains("10.0 MiB"), "{}", d0.message);
    assert!(d0.help.is_some());
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_missing_path_is_reported() {
    let loaded = content::load(&[PathBuf::from("/no/such/calldrill/folder")]);
    assert_eq!(loaded.diagnostics[0].code, "CD001");
}

#[test]
fn rendering_names_the_place_and_draws_a_caret() {
    let f = corpus().join("bad/scenarios/unknown_field.ron");
    let loaded = content::load(&[base_playbook(), f.clone()]);
    let d = &diagnostics_for(&loaded, &f)[0];
    let text = loaded.render(d, false);
    assert!(
        text.starts_with("error[CD011]: unknown field `patiance`"),
        "{text}"
    );
    assert!(text.contains("unknown_field.ron:7:35"), "{text}");
    assert!(text.contains("patiance: 50"), "{text}");
    assert!(text.contains("^^^^^^^^"), "{text}");
    assert!(text.contains("help: did you mean `patience`?"), "{text}");
    // The caret sits under the word, allowing for double-width CJK before it.
    let lines: Vec<&str> = text.lines().collect();
    let src = lines.iter().find(|l| l.contains("patiance: 50")).unwrap();
    let caret = lines.iter().find(|l| l.contains('^')).unwrap();
    use unicode_width::UnicodeWidthStr;
    let src_col = src[..src.find("patiance").unwrap()].width();
    assert_eq!(caret.find('^').unwrap(), src_col);
}

#[test]
fn the_examples_in_the_authoring_guide_check_clean() {
    let doc = std::fs::read_to_string(common_root().join("docs/authoring.md")).unwrap();
    let blocks: Vec<&str> = doc
        .split("```ron\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "the guide has a playbook and a scenario example"
    );
    let d = std::env::temp_dir().join(format!("calldrill-doc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("playbooks")).unwrap();
    std::fs::create_dir_all(d.join("scenarios")).unwrap();
    std::fs::write(d.join("playbooks/base.ron"), blocks[0]).unwrap();
    std::fs::write(d.join("scenarios/ok.ron"), blocks[1]).unwrap();
    let loaded = content::load(std::slice::from_ref(&d));
    assert_eq!(loaded.diagnostics, vec![]);
    assert_eq!(loaded.library.scenarios.len(), 1);
    let _ = std::fs::remove_dir_all(d);
}

fn common_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
