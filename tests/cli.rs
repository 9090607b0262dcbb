//! The `calldrill` binary as a user runs it: `check`, piped text-mode drills on
//! every shipped scenario, bad input at the prompt, JSON transcripts.

mod common;

use std::process::Command;

use common::calldrill;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn is_score_line(line: &str) -> bool {
    let parts: Vec<&str> = line.split(' ').collect();
    parts.len() == 6
        && parts[0] == "score:"
        && parts[1].parse::<u32>().is_ok_and(|s| s <= 100)
        && parts[2] == "compliance:"
        && ["pass", "warn", "fail"].contains(&parts[3])
        && parts[4] == "outcome:"
        && [
            "Deal",
            "Appointment",
            "Callback",
            "HangUp",
            "Complaint",
            "Unfinished",
        ]
        .contains(&parts[5])
}

#[test]
fn the_shipped_content_checks_clean() {
    let out = calldrill(&["check", "assets"], "");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("0 error(s), 0 warning(s)"),
        "{stdout}"
    );
}

#[test]
fn check_reports_every_bad_file_and_exits_1() {
    let out = calldrill(
        &[
            "check",
            "tests/corpus/bad/scenarios",
            "tests/corpus/base/playbooks",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for entry in std::fs::read_dir(common::root().join("tests/corpus/bad/scenarios")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "ron") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(stdout.contains(&name), "{name} missing from the report");
        }
    }
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("checked ") && last.contains("error(s)"),
        "{last}"
    );
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn a_piped_drill_on_every_shipped_scenario_ends_with_its_score_line() {
    let lib = common::library("assets");
    assert!(lib.scenarios.len() >= 10);
    for s in &lib.scenarios {
        for answers in ["1\n".repeat(60), "2\n".repeat(60), "3\n".repeat(60)] {
            let out = calldrill(
                &["drill", "--text", "--scenario", &s.value.id, "--seed", "11"],
                &answers,
            );
            let stdout = text(&out.stdout);
            let last = stdout.lines().last().unwrap_or("");
            assert!(is_score_line(last), "{}: last line {last:?}", s.value.id);
            assert!(
                !last.ends_with("Unfinished"),
                "{}: 60 answers must finish a drill",
                s.value.id
            );
            assert!(out.status.success(), "{}", s.value.id);
        }
    }
}

#[test]
fn bad_input_at_the_prompt_is_explained_and_end_of_input_is_clean() {
    let out = calldrill(
        &[
            "drill",
            "--text",
            "--scenario",
            "pos-noodle-busy",
            "--seed",
            "1",
        ],
        "9\n\n0\n  \n，。\n",
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("没有这个选项。请输入 1 到"), "{stdout}");
    assert!(stdout.contains("没有输入"), "{stdout}");
    assert!(stdout.contains("输入已结束，演练未完成。"), "{stdout}");
    assert_eq!(
        stdout.lines().last().unwrap(),
        "score: 0 compliance: pass outcome: Unfinished"
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn a_typed_reply_is_scored_and_explained() {
    let out = calldrill(
        &[
            "drill",
            "--text",
            "--scenario",
            "ok",
            "--content",
            "tests/corpus/base",
            "--seed",
            "1",
        ],
        "您好，我是汇通支付的小李，占用您一分钟，现在方便吗？\nq\n",
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("✔ 符合话术 (100分)"), "{stdout}");
    assert!(stdout.contains("✔报出姓名和公司  ✔征得同意"), "{stdout}");
    assert!(stdout.contains("演练已放弃"), "{stdout}");
}

#[test]
fn json_transcripts_go_to_a_file_or_to_stdout() {
    let dir = std::env::temp_dir().join(format!("calldrill-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.json");
    let out = calldrill(
        &[
            "drill",
            "--text",
            "--scenario",
            "ok",
            "--content",
            "tests/corpus/base",
            "--seed",
            "4",
            "--json",
            file.to_str().unwrap(),
        ],
        &"1\n".repeat(20),
    );
    assert!(out.status.success());
    let from_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(from_file["scenario"], "ok");
    assert_eq!(from_file["seed"], 4);
    assert!(from_file["steps"].as_array().unwrap().len() >= 2);

    let out = calldrill(
        &[
            "drill",
            "--text",
            "--scenario",
            "ok",
            "--content",
            "tests/corpus/base",
            "--seed",
            "4",
            "--json",
        ],
        &"1\n".repeat(20),
    );
    let from_stdout: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        from_stdout, from_file,
        "same seed and answers, same transcript"
    );
    assert!(
        text(&out.stderr)
            .lines()
            .last()
            .unwrap()
            .starts_with("score: ")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unknown_scenario_gets_a_did_you_mean() {
    let out = calldrill(&["drill", "--text", "--scenario", "pos-noodle-bsy"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("did you mean `pos-noodle-busy`?"),
        "{stderr}"
    );
}

#[test]
fn an_unwritable_json_path_is_a_clear_error() {
    let out = calldrill(
        &[
            "drill",
            "--text",
            "--scenario",
            "ok",
            "--content",
            "tests/corpus/base",
            "--json",
            "/no/such/dir/t.json",
        ],
        &"1\n".repeat(20),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write /no/such/dir/t.json"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn list_shows_every_playbook_and_scenario() {
    let out = calldrill(&["list"], "");
    let stdout = text(&out.stdout);
    for id in ["pos-zh", "estate-zh", "demo-en", "pos-noodle-busy"] {
        assert!(stdout.contains(id), "{id} missing:\n{stdout}");
    }
}

#[test]
fn without_a_display_the_game_points_at_text_mode() {
    let out = Command::new(env!("CARGO_BIN_EXE_calldrill"))
        .current_dir(common::root())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env(
            "CALLDRILL_DATA",
            std::env::temp_dir().join("calldrill-cli-nodisplay"),
        )
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    if cfg!(feature = "game") {
        assert!(stderr.contains("no display"), "{stderr}");
    }
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("calldrill drill --text"), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn a_scenario_checked_from_its_own_folder_finds_its_playbook() {
    let out = Command::new(env!("CARGO_BIN_EXE_calldrill"))
        .args(["check", "ok.ron"])
        .current_dir(common::root().join("tests/corpus/base/scenarios"))
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("0 error(s), 0 warning(s)"), "{stdout}");
}

#[test]
fn drilling_a_scenario_that_fails_its_checks_names_the_error() {
    let dir = std::env::temp_dir().join(format!("calldrill-cli-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["playbooks", "scenarios"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(common::root().join("assets").join(sub)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.join(sub).join(p.file_name().unwrap())).unwrap();
        }
    }
    let file = dir.join("scenarios/pos-noodle-busy.ron");
    let src = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, src.replacen("patience", "patiance", 1)).unwrap();
    let content = dir.to_str().unwrap();
    let out = calldrill(
        &[
            "drill",
            "--text",
            "--content",
            content,
            "--scenario",
            "pos-noodle-busy",
            "--seed",
            "7",
        ],
        "1\n",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("scenario `pos-noodle-busy` has errors, so it was left out"),
        "{stderr}"
    );
    assert!(stderr.contains("pos-noodle-busy.ron:"), "{stderr}");
    assert!(stderr.contains("patiance"), "{stderr}");
    assert!(stderr.contains("calldrill check"), "{stderr}");
    // A scenario that does not exist is still a did-you-mean.
    let out = calldrill(
        &[
            "drill",
            "--text",
            "--content",
            content,
            "--scenario",
            "pos-noodle-bsy",
        ],
        "",
    );
    assert!(
        text(&out.stderr).contains("no scenario `pos-noodle-bsy`"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(dir);
}
