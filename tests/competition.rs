//! The morning competition in the records store and on the command line:
//! the team roster, competitions saved after every result and resumed, the
//! hash chain that names an edited or deleted result, and the migration from
//! schema 2.

mod common;

use calldrill::competition::chain::Problem;
use calldrill::competition::{Competition, RoundResult, Rules, Team};
use calldrill::drill::{Answer, Drill};
use calldrill::records::{SCHEMA_VERSION, Store, migrate_to};

/// 2026-03-02 08:00 UTC.
const T0: i64 = 1_772_438_400_000;

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "calldrill-competition-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn team(name: &str, slogan: &str, members: &[&str]) -> Team {
    Team {
        name: name.into(),
        slogan: slogan.into(),
        target: "每轮必争".into(),
        members: members.iter().map(|m| m.to_string()).collect(),
    }
}

fn three_teams() -> Vec<Team> {
    vec![
        team("猛虎组", "猛虎下山", &["张三", "李四"]),
        team("雄鹰组", "雄鹰展翅", &["王五", "赵六"]),
        team("蛟龙组", "蛟龙出海", &["钱七", "孙八"]),
    ]
}

fn competition() -> Competition {
    Competition::new(three_teams(), vec!["ok".into()], 2, 42, Rules::default()).unwrap()
}

/// Plays the current slot for real: the representative the rotation
/// proposes drills the slot's scenario with the slot's seed, answering
/// `choice` at every prompt; the result is recorded in `c`.
fn play_slot(c: &mut Competition, history: &[(String, i64)], choice: usize) {
    let slot = c.next_slot().expect("a slot to play");
    let trainee = match &slot.representative {
        Some(pick) => pick.clone(),
        None => c.propose_representative(slot.team, history).unwrap(),
    };
    let (s, p) = common::library("tests/corpus/base")
        .drillable(&slot.scenario)
        .unwrap();
    let mut drill = Drill::new(s, p, slot.seed);
    let mut total_ms = 0;
    while !drill.is_over() {
        let n = drill.steps().last().map_or(1, |st| st.offered.len().max(1));
        drill
            .answer(Answer::Choice(choice % n), Some(4_000))
            .unwrap();
        total_ms += 4_000;
    }
    let card = drill.scorecard();
    let result = RoundResult {
        round: slot.round,
        team: slot.team_name.clone(),
        trainee,
        scenario: slot.scenario.clone(),
        seed: slot.seed,
        score: card.score,
        outcome: drill.outcome().unwrap().ending,
        fatal: card.fatal_breaches > 0,
        breaches: card.fatal_breaches + card.major_breaches,
        total_response_ms: total_ms,
        finished_at_ms: T0 + c.results().len() as i64 * 60_000,
        answers: serde_json::to_string(&drill.transcript().answers()).unwrap(),
    };
    c.record(result).unwrap();
}

/// A store with a saved roster and one competition of 3 teams × 2 rounds, all played.
fn played(dir: &std::path::Path) -> (Store, i64, Competition) {
    let store = Store::open(dir).unwrap();
    store.save_teams(&three_teams()).unwrap();
    let mut c = competition();
    let id = store.start_competition(&c, T0).unwrap();
    for i in 0..6 {
        let hist = store.representative_history().unwrap();
        play_slot(&mut c, &hist, i);
        store.record_competition_result(id, &c).unwrap();
    }
    assert!(c.is_finished());
    (store, id, c)
}

#[test]
fn the_roster_round_trips_and_sets_each_trainee_team() {
    let dir = temp("roster");
    let store = Store::open(&dir).unwrap();
    assert!(store.teams().unwrap().is_empty(), "no roster yet");
    store.trainee("张三").unwrap();
    store.trainee("外人").unwrap();
    store.save_teams(&three_teams()).unwrap();
    assert_eq!(store.teams().unwrap(), three_teams());
    let names: Vec<String> = store
        .trainees()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names.len(), 7, "missing trainees were created: {names:?}");
    let team_of = |name: &str| -> Option<String> {
        store
            .connection()
            .query_row("SELECT team FROM trainees WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(team_of("孙八").as_deref(), Some("蛟龙组"));
    assert_eq!(team_of("外人"), None);

    // Saving again replaces the roster, and clears the team of those left out.
    let smaller = vec![
        team("猛虎组", "新口号", &["孙八", "张三"]),
        team("雄鹰组", "雄鹰展翅", &["李四"]),
    ];
    store.save_teams(&smaller).unwrap();
    assert_eq!(store.teams().unwrap(), smaller);
    assert_eq!(team_of("孙八").as_deref(), Some("猛虎组"));
    assert_eq!(team_of("王五"), None);

    // Bad rosters are refused and change nothing.
    let twice = vec![team("A", "", &["张三"]), team("B", "", &["张三"])];
    assert!(
        store
            .save_teams(&twice)
            .unwrap_err()
            .message
            .contains("张三")
    );
    let dup = vec![team("A", "", &["x"]), team("A", "", &["y"])];
    assert!(store.save_teams(&dup).is_err());
    assert_eq!(store.teams().unwrap(), smaller);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn strengths_facts_and_history() {
    let dir = temp("strengths");
    let store = Store::open(&dir).unwrap();
    let a = store.trainee("甲").unwrap();
    store.trainee("乙").unwrap();
    // 甲 practises the base scenario: category levels become positive.
    let (s, p) = common::base();
    let mut drill = Drill::new(s, p, 1);
    let id = store.start_drill_at(&a, &drill, "exam", T0).unwrap();
    while !drill.is_over() {
        drill.answer(Answer::Choice(0), Some(2_000)).unwrap();
        let index = drill
            .steps()
            .iter()
            .rposition(|s| s.turn.is_some())
            .unwrap();
        store.record_turn(id, &drill, index).unwrap();
    }
    store.finish_drill_at(id, &drill, T0).unwrap();
    let now = calldrill::records::now_ms();
    let st = store.strengths(now).unwrap();
    assert_eq!(st.len(), 2);
    assert_eq!(st[0].0, "乙", "sorted by name (乙 < 甲 in code points)");
    assert_eq!(st[0].1, 0.0, "never practised: strength 0");
    let levels: Vec<f64> = store
        .mastery(a.id)
        .unwrap()
        .iter()
        .filter(|(k, _)| k.kind == calldrill::mastery::ItemKind::Category)
        .map(|(_, s)| f64::from(s.level(now)))
        .collect();
    assert!(!levels.is_empty());
    let mean = levels.iter().sum::<f64>() / levels.len() as f64;
    assert!((st[1].1 - mean).abs() < 1e-9, "{st:?} vs {mean}");
    assert!(st[1].1 > 0.0);
    assert_eq!(store.strengths_in(now, Some("nope")).unwrap()[1].1, 0.0);

    let facts = store.trainee_facts().unwrap();
    assert_eq!(facts.len(), 2);
    assert!(facts.iter().all(|f| !f.certified));
    store.certify(a.id, "base", id, 90, T0).unwrap();
    let facts = store.trainee_facts().unwrap();
    let f = facts.iter().find(|f| f.name == "甲").unwrap();
    assert!(f.certified);
    assert_eq!(f.joined_ms, a.created_ms);
    assert!(store.representative_history().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn results_are_chained_saved_with_the_state_and_resumed() {
    let dir = temp("resume");
    let store = Store::open(&dir).unwrap();
    store.save_teams(&three_teams()).unwrap();
    let mut c = competition();
    let id = store.start_competition(&c, T0).unwrap();
    for i in 0..3 {
        let hist = store.representative_history().unwrap();
        play_slot(&mut c, &hist, i);
        store.record_competition_result(id, &c).unwrap();
    }
    // A representative pick is saved with the state only.
    let slot = c.next_slot().unwrap();
    let member = c.teams()[slot.team].members[1].clone();
    c.set_representative(slot.team, &member).unwrap();
    store.save_competition(id, &c).unwrap();

    // Reopen mid-session: the same competition, the same points.
    drop(store);
    let store = Store::open(&dir).unwrap();
    let (rid, back) = store
        .open_competition()
        .unwrap()
        .expect("an open competition");
    assert_eq!(rid, id);
    assert_eq!(back, c);
    assert_eq!(back.scoreboard(), c.scoreboard());
    assert_eq!(
        back.next_slot().unwrap().representative.as_deref(),
        Some(member.as_str())
    );
    assert_eq!(store.representative_history().unwrap().len(), 3);

    // Refused: a state that skips a result, or one whose results differ.
    let mut c = back;
    let hist = store.representative_history().unwrap();
    play_slot(&mut c, &hist, 0);
    let mut ahead = c.clone();
    let hist = store.representative_history().unwrap();
    play_slot(&mut ahead, &hist, 1);
    let e = store.record_competition_result(id, &ahead).unwrap_err();
    assert!(e.message.contains("3 recorded results"), "{e}");
    assert!(
        store.save_competition(id, &c).is_err(),
        "a new result needs record"
    );
    assert!(store.record_competition_result(999, &c).is_err());
    store.record_competition_result(id, &c).unwrap();
    for i in 0..2 {
        let hist = store.representative_history().unwrap();
        play_slot(&mut c, &hist, i);
        store.record_competition_result(id, &c).unwrap();
    }
    assert!(c.is_finished());
    let results = store.competition_results(T0, T0 + 86_400_000).unwrap();
    assert_eq!(results, c.results());
    assert!(store.competition_results(0, T0).unwrap().is_empty());
    assert!(store.verify_results().unwrap().is_empty());

    // Finished competitions are no longer resumed, and take no more results.
    store.finish_competition(id, T0 + 3_600_000).unwrap();
    assert!(store.open_competition().unwrap().is_none());
    assert!(store.record_competition_result(id, &c).is_err());
    assert!(store.finish_competition(12345, T0).is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_result_and_its_state_are_saved_together_or_not_at_all() {
    let dir = temp("atomic");
    let store = Store::open(&dir).unwrap();
    let mut c = competition();
    let id = store.start_competition(&c, T0).unwrap();
    play_slot(&mut c, &[], 0);
    // Saving the state fails (as on a full disk): the result is not appended either.
    store
        .connection()
        .execute_batch(
            "CREATE TRIGGER no_state BEFORE UPDATE ON competitions
             BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;",
        )
        .unwrap();
    assert!(store.record_competition_result(id, &c).is_err());
    assert!(store.result_rows().unwrap().is_empty());
    assert!(store.verify_results().unwrap().is_empty(), "head unmoved");
    let (_, back) = store.open_competition().unwrap().unwrap();
    assert!(back.results().is_empty());
    // Once writing works again, the same result is recorded.
    store
        .connection()
        .execute_batch("DROP TRIGGER no_state")
        .unwrap();
    store.record_competition_result(id, &c).unwrap();
    assert_eq!(store.result_rows().unwrap().len(), 1);
    assert_eq!(store.open_competition().unwrap().unwrap().1, c);
    assert!(store.verify_results().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_untouched_chain_verifies_and_rows_cannot_be_changed() {
    let dir = temp("intact");
    let store = Store::open(&dir).unwrap();
    assert!(store.verify_results().unwrap().is_empty(), "an empty chain");
    let (store, _id, c) = {
        drop(store);
        played(&dir)
    };
    assert_eq!(c.results().len(), 6);
    assert!(store.verify_results().unwrap().is_empty());
    let conn = store.connection();
    assert!(
        conn.execute(
            "UPDATE competition_results SET payload = '{}' WHERE id = 2",
            []
        )
        .is_err(),
        "append-only"
    );
    assert!(
        conn.execute("DELETE FROM competition_results WHERE id = 2", [])
            .is_err()
    );
    assert!(store.verify_results().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_edited_payload_is_named_and_refused_on_resume() {
    let dir = temp("edited");
    let (store, id, c) = played(&dir);
    let conn = store.connection();
    // An attacker drops the trigger and gives row 4 more points.
    conn.execute_batch("DROP TRIGGER competition_results_append_only_update")
        .unwrap();
    let payload: String = conn
        .query_row(
            "SELECT payload FROM competition_results WHERE id = 4",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let total = c.results()[3].points.total;
    let edited = payload.replacen(
        &format!("\"total\":{total}"),
        &format!("\"total\":{}", total + 50),
        1,
    );
    assert_ne!(edited, payload);
    conn.execute(
        "UPDATE competition_results SET payload = ?1 WHERE id = 4",
        [&edited],
    )
    .unwrap();
    assert_eq!(
        store.verify_results().unwrap(),
        vec![Problem::Edited { id: 4 }]
    );
    // Reopening the competition refuses it rather than believing it.
    conn.execute(
        "UPDATE competitions SET finished_ms = NULL WHERE id = ?1",
        [id],
    )
    .unwrap();
    let e = store.open_competition().unwrap_err();
    assert!(e.message.contains("row 4"), "{e}");
    assert!(e.help.contains("calldrill verify"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_deleted_middle_row_is_named() {
    let dir = temp("deleted");
    let (store, _id, _c) = played(&dir);
    let conn = store.connection();
    conn.execute_batch("DROP TRIGGER competition_results_append_only_delete")
        .unwrap();
    conn.execute("DELETE FROM competition_results WHERE id = 3", [])
        .unwrap();
    let problems = store.verify_results().unwrap();
    assert!(
        problems.contains(&Problem::Deleted {
            after: Some(2),
            before: 4,
            missing_ids: 1
        }),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| matches!(
            p,
            Problem::Truncated {
                expected: 6,
                found: 5
            }
        )),
        "{problems:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_cut_tail_is_named() {
    let dir = temp("cut");
    let (store, _id, _c) = played(&dir);
    let conn = store.connection();
    conn.execute_batch("DROP TRIGGER competition_results_append_only_delete")
        .unwrap();
    conn.execute("DELETE FROM competition_results WHERE id >= 5", [])
        .unwrap();
    assert_eq!(
        store.verify_results().unwrap(),
        vec![Problem::Truncated {
            expected: 6,
            found: 4
        }]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_schema_2_database_migrates_and_keeps_its_data() {
    let dir = temp("migrate");
    let path = dir.join(calldrill::records::DB_FILE);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate_to(&mut conn, 2).unwrap();
        conn.execute(
            "INSERT INTO trainees(id, name, created_ms, team) VALUES (1, '老周', ?1, '旧组')",
            [T0],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO drills(id, trainee_id, scenario, playbook, seed, mode, started_ms, finished_ms, outcome, score, compliance, passed)
             VALUES (1, 1, 'ok', 'base', 1, 'exam', ?1, ?1, 'Deal', 90, 'Pass', 1)",
            [T0],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO certifications(trainee_id, playbook, drill_id, score, granted_ms) VALUES (1, 'base', 1, 90, ?1)",
            [T0],
        )
        .unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 2);
    }
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 3) };
    let t = store.trainee("老周").unwrap();
    assert_eq!((t.id, t.created_ms), (1, T0));
    assert_eq!(store.drills(1).unwrap().len(), 1);
    let facts = store.trainee_facts().unwrap();
    assert_eq!(facts.len(), 1);
    assert!(facts[0].certified);
    let team: Option<String> = store
        .connection()
        .query_row("SELECT team FROM trainees WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(team.as_deref(), Some("旧组"), "the old team column is kept");
    // The new tables work on the migrated file.
    assert!(store.teams().unwrap().is_empty());
    assert!(store.verify_results().unwrap().is_empty());
    drop(store);
    let (store, _, _) = played(&dir);
    assert!(store.verify_results().unwrap().is_empty());
    assert_eq!(store.drills(1).unwrap().len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------
// The command line: `teams`, `verify`, `report competition`, `check`.

use std::process::{Command, Output};

/// Runs calldrill with `--data-dir dir` (or, with `env`, `CALLDRILL_DATA=dir`).
fn calldrill(dir: &std::path::Path, env: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_calldrill"));
    cmd.current_dir(common::root())
        .env_remove("CALLDRILL_CONTENT")
        .env_remove("CALLDRILL_DATA");
    if env {
        cmd.env("CALLDRILL_DATA", dir);
    } else {
        cmd.arg("--data-dir").arg(dir);
    }
    cmd.args(args).output().unwrap()
}

/// `calldrill report competition` for March 2026 (the month `played` uses),
/// written to `out`.
fn march_report(dir: &std::path::Path, out: &std::path::Path) -> Output {
    calldrill(
        dir,
        false,
        &[
            "report",
            "competition",
            "--month",
            "2026-03",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn teams_balance_show_and_move_on_the_command_line() {
    let dir = temp("cli-teams");
    {
        let store = Store::open(&dir).unwrap();
        for n in ["张三", "李四", "王五", "赵六", "钱七"] {
            store.trainee(n).unwrap();
        }
    }
    let o = calldrill(&dir, false, &["teams", "balance", "--teams", "2"]);
    assert!(o.status.success(), "{}", err(&o));
    let s = out(&o);
    assert!(s.contains("猛虎组") && s.contains("雄鹰组"), "{s}");
    assert!(s.contains("实力差"), "{s}");
    assert!(s.contains("未保存"), "{s}");
    assert!(
        !s.contains("相差较大"),
        "all new, so the teams are even: {s}"
    );
    assert!(Store::open(&dir).unwrap().teams().unwrap().is_empty());

    let o = calldrill(&dir, true, &["teams", "balance", "--teams", "2", "--save"]);
    assert!(o.status.success(), "{}", err(&o));
    let saved = Store::open(&dir).unwrap().teams().unwrap();
    assert_eq!(saved.len(), 2);
    let sizes: Vec<usize> = saved.iter().map(|t| t.members.len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 5);
    assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);

    let o = calldrill(&dir, true, &["teams", "show", "--lang", "en"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("spread (strongest"), "{}", out(&o));

    // Move someone from the bigger team: sizes 3/2 become 2/3, still fine.
    let big = saved.iter().position(|t| t.members.len() == 3).unwrap();
    let who = saved[big].members[0].clone();
    let to = saved[1 - big].name.clone();
    let o = calldrill(&dir, false, &["teams", "move", &who, "--to", &to]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(!err(&o).contains("warning"), "{}", err(&o));
    let after = Store::open(&dir).unwrap().teams().unwrap();
    assert!(after[1 - big].members.contains(&who));
    // A second move makes the sizes 1/4: allowed, with a warning.
    let who2 = after[big].members[0].clone();
    let o = calldrill(&dir, false, &["teams", "move", &who2, "--to", &to]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("warning"), "{}", err(&o));
    assert!(out(&o).contains("实力差"), "{}", out(&o));

    // Typos get did-you-mean; nothing is changed.
    let o = calldrill(&dir, false, &["teams", "move", &who, "--to", "雄鹰"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("did you mean `雄鹰组`"), "{}", err(&o));
    let o = calldrill(&dir, false, &["teams", "move", "无名氏", "--to", &to]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no trainee `无名氏`"), "{}", err(&o));
    let o = calldrill(
        &dir,
        false,
        &["teams", "balance", "--teams", "2", "--playbook", "pos-zn"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("did you mean `pos-zh`"), "{}", err(&o));
    let o = calldrill(&dir, false, &["teams", "balance", "--teams", "9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("between 1 and 5"), "{}", err(&o));
    assert!(!err(&o).contains("panicked"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn verify_exits_0_when_intact_and_1_naming_an_edit_or_a_deletion() {
    let dir = temp("cli-verify");
    let (store, _id, c) = played(&dir);
    let o = calldrill(&dir, false, &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("6 条成绩，哈希链完整"), "{}", out(&o));
    let o = calldrill(&dir, true, &["verify", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(out(&o).trim(), "6 results, chain intact");

    // Edit row 4's points, as an attacker with an SQLite tool would.
    let r4 = &c.results()[3].result;
    let conn = store.connection();
    conn.execute_batch("DROP TRIGGER competition_results_append_only_update")
        .unwrap();
    conn.execute(
        "UPDATE competition_results SET payload = replace(payload, '\"total\":', '\"total\":1') WHERE id = 4",
        [],
    )
    .unwrap();
    let o = calldrill(&dir, false, &["verify", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let s = out(&o);
    assert!(s.contains("row 4 was edited"), "{s}");
    assert!(
        s.contains(&format!(
            "competition 1, round {}, {}, {}",
            r4.round, r4.team, r4.trainee
        )),
        "{s}"
    );
    let o = calldrill(&dir, false, &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("第 4 条记录被改动"), "{}", out(&o));
    // No awards are given from altered points: the report refuses, and
    // writes nothing.
    let refused = dir.join("report-of-edited");
    let o = march_report(&dir, &refused);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(err(&o).contains("calldrill verify"), "{}", err(&o));
    assert!(!refused.join("awards.csv").exists());

    // A deleted row is named with what it held (from the competition's state).
    let dir2 = temp("cli-verify-deleted");
    let (store2, _id, c2) = played(&dir2);
    let r2 = &c2.results()[1].result;
    store2
        .connection()
        .execute_batch(
            "DROP TRIGGER competition_results_append_only_delete;
             DELETE FROM competition_results WHERE id = 2;",
        )
        .unwrap();
    let o = calldrill(&dir2, false, &["verify", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    let s = out(&o);
    assert!(s.contains("deleted between row 1 and row 3"), "{s}");
    assert!(
        s.contains(&format!(
            "result 2 of competition 1 (round {}, {}, {})",
            r2.round, r2.team, r2.trainee
        )),
        "{s}"
    );
    // The rows left all read, but the chain is broken: still no report.
    let refused = dir2.join("report-of-deleted");
    let o = march_report(&dir2, &refused);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(err(&o).contains("fail the hash chain check"), "{}", err(&o));
    assert!(err(&o).contains("calldrill verify"), "{}", err(&o));
    assert!(!refused.exists());
    // An edited competition state (its rows untouched) is named too.
    let dir3 = temp("cli-verify-state");
    let (store3, id3, c3) = played(&dir3);
    let r5 = &c3.results()[4];
    let mut state: serde_json::Value = serde_json::from_str(&c3.to_json().unwrap()).unwrap();
    state["results"][4]["result"]["answers"] = serde_json::json!("[]");
    store3
        .connection()
        .execute(
            "UPDATE competitions SET state = ?1 WHERE id = ?2",
            rusqlite::params![state.to_string(), id3],
        )
        .unwrap();
    let o = calldrill(&dir3, false, &["verify", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains(&format!(
            "result 5 of competition 1 (round {}, {}, {}) in the competition's state does not match stored row 5",
            r5.result.round, r5.result.team, r5.result.trainee
        )),
        "{}",
        out(&o)
    );
    let _ = std::fs::remove_dir_all(dir3);

    let o = calldrill(&dir2, false, &["verify", "--lang", "klingon"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(dir2);
}

fn read_csv(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{} starts with a UTF-8 BOM",
        path.display()
    );
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

fn assert_png(path: &std::path::Path) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is a PNG",
        path.display()
    );
    assert!(bytes.len() > 5_000, "{} has a chart in it", path.display());
}

#[test]
fn the_competition_report_writes_csv_with_bom_and_png_charts() {
    let dir = temp("cli-report");
    let (_store, _id, c) = played(&dir);
    let report = dir.join("out");
    let o = march_report(&dir, &report);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("月度冠军"), "{}", out(&o));

    let results = read_csv(&report.join("results.csv"));
    let header = results.lines().next().unwrap();
    for col in [
        "比赛编号",
        "轮次",
        "小组",
        "学员",
        "结局",
        "速度加分",
        "积分",
        "计分说明",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert_eq!(results.lines().count(), 1 + 6);
    let first = &c.results()[0];
    assert!(results.contains(&first.points.why_zh), "{results}");

    let sessions = read_csv(&report.join("sessions.csv"));
    assert!(sessions.lines().next().unwrap().contains("名次"));
    assert_eq!(sessions.lines().count(), 1 + 3, "one row per team");
    let board = c.scoreboard();
    assert!(
        sessions
            .lines()
            .nth(1)
            .unwrap()
            .contains(&format!("1,{},{}", board[0].team, board[0].points)),
        "{sessions}"
    );

    let awards = read_csv(&report.join("awards.csv"));
    assert!(awards.lines().next().unwrap().contains("奖项"));
    assert!(awards.contains("月度冠军"), "{awards}");
    assert!(awards.contains("最佳话术奖"), "{awards}");
    assert!(awards.contains("2026 年 3 月"), "{awards}");
    assert!(awards.contains("第 1 场"), "{awards}");

    assert_png(&report.join("team_points.png"));
    assert_png(&report.join("trainee_points.png"));

    // English headers; CSV only.
    let en = dir.join("out-en");
    let o = calldrill(
        &dir,
        true,
        &[
            "report",
            "competition",
            "--month",
            "2026-03",
            "--out",
            en.to_str().unwrap(),
            "--lang",
            "en",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(read_csv(&en.join("results.csv")).starts_with("competition,time,round,team,trainee"));
    assert!(read_csv(&en.join("awards.csv")).contains("Champion of the month"));
    assert!(!en.join("team_points.png").exists());

    // Bad or empty months are errors with a hint, not panics.
    let o = calldrill(
        &dir,
        false,
        &["report", "competition", "--month", "2026-13"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("YYYY-MM"), "{}", err(&o));
    let o = calldrill(
        &dir,
        false,
        &["report", "competition", "--month", "2025-01"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("no competitions recorded in 2025-01"),
        "{}",
        err(&o)
    );

    // The parent's --out works before the subcommand; --team does not apply.
    let before = dir.join("out-before");
    let o = calldrill(
        &dir,
        false,
        &[
            "report",
            "--out",
            before.to_str().unwrap(),
            "competition",
            "--month",
            "2026-03",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(before.join("awards.csv").exists());
    let o = calldrill(&dir, false, &["report", "--team", "猛虎组", "competition"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--month"), "{}", err(&o));

    // `calldrill report` alone still writes the training report.
    let plain = dir.join("plain");
    let o = calldrill(
        &dir,
        false,
        &["report", "--out", plain.to_str().unwrap(), "--no-charts"],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(read_csv(&plain.join("trainees.csv")).contains("学员"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_shipped_rules_file_loads_and_check_reads_it() {
    let path = common::root().join("assets/competition/rules.ron");
    let rules = calldrill::competition::rules::load_file(&path).unwrap();
    assert_eq!(
        rules,
        Rules::default(),
        "the shipped file shows the defaults"
    );
    assert!(
        std::fs::read_to_string(&path).unwrap().contains("成交"),
        "commented in Chinese"
    );

    // A bad rules file: path:line:col, did-you-mean, and a help line.
    let dir = temp("rules");
    let bad = dir.join("rules.ron");
    std::fs::write(
        &bad,
        "(\r\n  points: (deal: 10),\r\n  tie_breaks: [FewerBreeches],\r\n)\r\n",
    )
    .unwrap();
    let e = calldrill::competition::rules::load_file(&bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("error[CD014]: unknown variant `FewerBreeches`"),
        "{e}"
    );
    assert!(e.contains(&format!("{}:3:", bad.display())), "{e}");
    assert!(e.contains("did you mean `FewerBreaches`"), "{e}");
    assert!(
        e.contains("tie_breaks: [FewerBreeches]"),
        "quotes the line: {e}"
    );
    let e = calldrill::competition::rules::load_file(&dir.join("nope.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("nope.ron") && e.contains("cannot read") && e.contains("help:"),
        "{e}"
    );
    std::fs::write(&bad, b"(points: (deal: \xff))").unwrap();
    let e = calldrill::competition::rules::load_file(&bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("rules.ron:1:17") && e.contains("UTF-8"), "{e}");

    // Every value out of range is named, each at its field, not only the first.
    std::fs::write(
        &bad,
        "(\n  adherence: (score_divisor: 0),\n  speed_bonus: Some((max_points: 2, full_within_s: 60, zero_after_s: 30)),\n)\n",
    )
    .unwrap();
    let e = calldrill::competition::rules::load_file(&bad).unwrap_err();
    let at: Vec<(usize, usize)> = e.diagnostics.iter().map(|d| (d.line, d.col)).collect();
    assert_eq!(at, vec![(2, 15), (3, 56)], "{e}");
    assert!(e.diagnostics.iter().all(|d| d.code == "CD900"), "{e}");
    // A list not closed: the hint says what is missing.
    std::fs::write(&bad, "(\n  tie_breaks: [FewerBreaches,\n)\n").unwrap();
    let e = calldrill::competition::rules::load_file(&bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("a closing `]` or `)` may be missing"), "{e}");

    // `calldrill check` leaves competition/ out of the content, and checks the rules in it.
    let o = calldrill(&dir, false, &["check", "assets"]);
    let s = out(&o);
    assert!(o.status.success(), "{s}");
    assert!(
        s.contains("1 competition rules file(s) ok; 0 error(s)"),
        "{s}"
    );
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("competition")).unwrap();
    std::fs::write(
        content.join("competition/rules.ron"),
        "(points: (dael: 10))",
    )
    .unwrap();
    let o = calldrill(&dir, false, &["check", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let s = out(&o);
    assert!(s.contains("rules.ron:1:"), "{s}");
    assert!(s.contains("did you mean `deal`"), "{s}");
    let _ = std::fs::remove_dir_all(dir);
}
