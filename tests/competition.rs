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
