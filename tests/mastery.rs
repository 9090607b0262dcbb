//! Records and mastery end to end: FSRS reviews from recorded turns, the
//! migration from schema 1, two writers at once, what to practise next,
//! certification by exam, replay, backup, the manager report, and a text
//! drill killed (SIGKILL) halfway that loses no answered turn.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;

use calldrill::content::Library;
use calldrill::drill::{Answer, Drill};
use calldrill::mastery::{self, ItemKey, MasteryState, Rating};
use calldrill::records::{SCHEMA_VERSION, Store, migrate_to};
use calldrill::training::{self, Mode};
use common::Pick;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_788_000_000_000;

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("calldrill-mastery-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn shipped() -> Library {
    common::library("assets")
}

/// Plays a whole drill, picking with `pick(step index)`, recording each turn
/// at `at` (+1 s per turn) with the given response time.
fn play_recorded(
    store: &Store,
    trainee: &calldrill::records::Trainee,
    mut drill: Drill,
    mode: Mode,
    at: i64,
    response_ms: u64,
    pick: &dyn Fn(&Drill) -> Pick,
) -> (i64, Drill) {
    let id = store
        .start_drill_at(trainee, &drill, mode.name(), at)
        .unwrap();
    let mut k = 0;
    while !drill.is_over() {
        let p = pick(&drill);
        let pos = common::position_of(&drill, p)
            .or_else(|| common::position_of(&drill, Pick::Approved))
            .unwrap_or(0);
        drill
            .answer(Answer::Choice(pos), Some(response_ms))
            .unwrap();
        let index = drill
            .steps()
            .iter()
            .rposition(|s| s.turn.is_some())
            .unwrap();
        store
            .record_turn_at(id, &drill, index, at + k * 1000)
            .unwrap();
        k += 1;
    }
    store.finish_drill_at(id, &drill, at + k * 1000).unwrap();
    (id, drill)
}

#[test]
fn recorded_turns_become_fsrs_reviews_of_category_and_line() {
    let dir = temp("reviews");
    let store = Store::open(&dir).unwrap();
    let t = store.trainee("小李").unwrap();
    let (s, p) = common::base();
    let (_, drill) = play_recorded(
        &store,
        &t,
        Drill::new(s, p.clone(), 1),
        Mode::Practice,
        T0,
        3_000,
        &|_| Pick::Approved,
    );
    let states = store.mastery(t.id).unwrap();
    // Every answered turn reviewed its line, and the objection node its category.
    for step in drill.steps().iter().filter(|s| s.turn.is_some()) {
        let turn = step.turn.as_ref().unwrap();
        let line = states
            .get(&ItemKey::line(&p.id, &turn.assessment.line))
            .expect("line reviewed");
        assert!(line.reps >= 1);
        if let Some(cat) = &step.objection {
            let c = states
                .get(&ItemKey::category(&p.id, cat))
                .expect("category reviewed");
            // Approved within 10 s is Easy: the documented mapping.
            assert_eq!(c.last_rating, Rating::Easy);
            assert!(c.level(T0) >= 75, "{}", c.level(T0));
        }
    }
    // The stored rating of each turn is the mapping of its score and time.
    let turns = store.turns(store.drills(t.id).unwrap()[0].id).unwrap();
    for tr in &turns {
        let verdict = match tr.verdict.as_str() {
            "Approved" => calldrill::scoring::Verdict::Approved,
            "Breach" => calldrill::scoring::Verdict::Breach,
            _ => calldrill::scoring::Verdict::Partial,
        };
        assert_eq!(
            tr.rating,
            Some(mastery::rate(tr.score, verdict, tr.response_ms))
        );
    }
    // Recomputing from the turns gives the same states (nothing kept only in memory).
    let before = store.mastery(t.id).unwrap();
    store.rebuild_mastery().unwrap();
    assert_eq!(store.mastery(t.id).unwrap(), before);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_schema_1_database_migrates_and_keeps_every_turn() {
    let dir = temp("migrate");
    let path = dir.join(calldrill::records::DB_FILE);
    // Build a version-1 database the way calldrill 1 wrote it.
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate_to(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO trainees(id, name, created_ms) VALUES (1, '老周', ?1)",
            [T0],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO drills(id, trainee_id, scenario, playbook, seed, mode, started_ms, finished_ms, outcome, score, compliance, passed)
             VALUES (1, 1, 'ok', 'base', 1, 'practice', ?1, ?1, 'Deal', 90, 'Pass', 1)",
            [T0],
        )
        .unwrap();
        for (i, (obj, score, verdict)) in [
            (None, 100, "Approved"),
            (Some("price"), 30, "Partial"),
            (Some("price"), 100, "Breach"),
        ]
        .iter()
        .enumerate()
        {
            conn.execute(
                "INSERT INTO turns(drill_id, idx, node, stage, objection, line, offered, answer, said, assessment, score, verdict, response_ms, answered_ms)
                 VALUES (1, ?1, 'n', 'Objection', ?2, 'price.value', '[0,1]', '{\"Choice\":0}', '…', '{}', ?3, ?4, 2000, ?5)",
                rusqlite::params![i as i64, obj, score, verdict, T0 + i as i64 * DAY],
            )
            .unwrap();
        }
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 2) };
    assert_eq!(store.turn_count(1).unwrap(), 3, "no turn lost");
    let t = store.trainee("老周").unwrap();
    assert_eq!(t.id, 1);
    // Mastery was rebuilt from the old turns, in order: Easy (100 in 2 s),
    // Again (30), Again (breach); the category only saw the last two.
    let m = store.mastery(1).unwrap();
    let cat = m
        .get(&ItemKey::category("base", "price"))
        .expect("category state");
    assert_eq!(
        (cat.reps, cat.lapses, cat.last_rating),
        (2, 1, Rating::Again)
    );
    let line = m
        .get(&ItemKey::line("base", "price.value"))
        .expect("line state");
    assert_eq!(line.reps, 3);
    let expected = {
        let a = MasteryState::review(None, Rating::Easy, T0);
        let b = MasteryState::review(Some(&a), Rating::Again, T0 + DAY);
        MasteryState::review(Some(&b), Rating::Again, T0 + 2 * DAY)
    };
    assert_eq!(*line, expected);
    // Old turns have no stored rating; they still replay.
    assert_eq!(store.turns(1).unwrap()[0].rating, None);
    // The new tables work.
    store.certify(1, "base", 1, 90, T0).unwrap();
    assert!(store.certification(1, "base").unwrap().is_some());
    // A database from a newer calldrill is refused, untouched.
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let err = Store::open(&dir).err().expect("newer schema refused");
    assert!(err.message.contains("newer calldrill"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = temp("writers");
    {
        let store = Store::open(&dir).unwrap();
        store.trainee("甲").unwrap();
    }
    let (s, p) = common::base();
    let per_writer = 60;
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let dir = dir.clone();
            let (s, p) = (s.clone(), p.clone());
            std::thread::spawn(move || {
                // Its own connection, as a second calldrill window would have.
                let store = Store::open(&dir).unwrap();
                let t = store.trainee("甲").unwrap();
                let mut recorded = 0;
                let mut seed = w * 1000;
                while recorded < per_writer {
                    let mut drill = Drill::new(s.clone(), p.clone(), seed);
                    seed += 1;
                    let id = store.start_drill(&t, &drill, "practice").unwrap();
                    while !drill.is_over() && recorded < per_writer {
                        drill.answer(Answer::Choice(0), Some(2000)).unwrap();
                        let i = drill
                            .steps()
                            .iter()
                            .rposition(|s| s.turn.is_some())
                            .unwrap();
                        store.record_turn(id, &drill, i).unwrap();
                        recorded += 1;
                    }
                }
                recorded
            })
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let store = Store::open(&dir).unwrap();
    let turns: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM turns", [], |r| r.get(0))
        .unwrap();
    assert_eq!(turns as usize, total);
    // Every turn reviewed its line exactly once: no lost mastery update.
    let reps: i64 = store
        .connection()
        .query_row(
            "SELECT sum(reps) FROM mastery WHERE kind = 'line'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reps as usize, total);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn next_drill_targets_what_the_trainee_is_weakest_at() {
    let dir = temp("next");
    let store = Store::open(&dir).unwrap();
    let lib = shipped();
    let t = store.trainee("小新").unwrap();
    let pb = lib.playbook("pos-zh").unwrap().clone();
    // A new trainee: required categories first.
    let (plan, scenario, _) = training::next_drill(&store, &lib, &t, &pb, T0)
        .unwrap()
        .unwrap();
    assert_eq!(plan.targets[0].why, mastery::next::Why::New);
    assert!(
        pb.categories
            .iter()
            .find(|c| c.id == plan.targets[0].key.item)
            .unwrap()
            .required
    );
    assert!(plan.covered.contains(&plan.targets[0].key.item), "{plan:?}");
    assert_eq!(scenario.playbook, "pos-zh");
    // Play every pos-zh scenario on script, fast, except one category answered badly.
    let weak_cat = {
        let (s, p) = lib.drillable("pos-fruit-rates").unwrap();
        let d = Drill::new(s.clone(), p.clone(), 5);
        mastery::next::raised_on_script(&s, &p, 5)
            .into_iter()
            .find(|c| c != "open" && pb.categories.iter().any(|k| k.id == *c))
            .unwrap_or_else(|| panic!("{:?}", d.path()))
    };
    let mut at = T0;
    for e in lib
        .scenarios
        .iter()
        .filter(|s| s.value.playbook == "pos-zh")
    {
        let (s, p) = lib.drillable(&e.value.id).unwrap();
        let weak = weak_cat.clone();
        play_recorded(
            &store,
            &t,
            Drill::new(s, p, 5),
            Mode::Practice,
            at,
            4_000,
            &move |d: &Drill| {
                if d.steps().last().unwrap().objection.as_deref() == Some(weak.as_str()) {
                    Pick::OffScript
                } else {
                    Pick::Approved
                }
            },
        );
        at += 60_000;
    }
    let view = training::mastery_view(&store, &t, &pb, at).unwrap();
    let level = |id: &str| view.categories.iter().find(|c| c.id == id).unwrap().level;
    let weakest = view
        .categories
        .iter()
        .filter(|c| c.practised)
        .min_by_key(|c| c.level)
        .unwrap();
    assert_eq!(weakest.id, weak_cat, "{view:#?}");
    assert!(level(&weak_cat) < mastery::DEFAULT_THRESHOLD);
    let (plan, scenario, _) = training::next_drill(&store, &lib, &t, &pb, at)
        .unwrap()
        .unwrap();
    let first = &plan.targets[0];
    assert_eq!(first.key.item, weak_cat, "{:?}", plan.targets);
    assert!(matches!(
        first.why,
        mastery::next::Why::Weak | mastery::next::Why::Due
    ));
    // The chosen scenario and seed raise it when answered on script.
    let (s, p) = lib.drillable(&scenario.id).unwrap();
    assert!(mastery::next::raised_on_script(&s, &p, plan.seed).contains(&weak_cat));
    // Deterministic: the same records give the same next drill.
    let again = training::next_drill(&store, &lib, &t, &pb, at)
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(again, plan);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_exam_certifies_only_at_the_mastery_threshold() {
    let dir = temp("cert");
    let store = Store::open(&dir).unwrap();
    let (s, p) = common::base();
    let t = store.trainee("小考").unwrap();
    let required: Vec<String> = p
        .categories
        .iter()
        .filter(|c| c.required)
        .map(|c| c.id.clone())
        .collect();
    assert!(
        !required.is_empty(),
        "the base playbook marks required categories"
    );
    // A first exam, slow but on script: passes the score, but mastery is not there yet.
    let before = training::levels(&store, &t, &p, T0).unwrap();
    let (id, drill) = play_recorded(
        &store,
        &t,
        Drill::new(s.clone(), p.clone(), 1),
        Mode::Exam,
        T0,
        20_000,
        &|_| Pick::Approved,
    );
    assert!(drill.scorecard().passed);
    let done = training::finish(&store, &t, id, &drill, Mode::Exam, &before).unwrap();
    let check = done.exam.unwrap();
    assert!(!check.granted);
    assert!(
        check
            .missing
            .iter()
            .any(|m| matches!(m, mastery::certification::Missing::Category { .. })),
        "{check:?}"
    );
    assert!(done.certification.is_none());
    assert!(!done.changes.is_empty(), "the trainee sees mastery change");
    // Practise over the following days; then an exam certifies.
    let mut at = T0;
    for day in 1..=12 {
        at = T0 + day * DAY;
        play_recorded(
            &store,
            &t,
            Drill::new(s.clone(), p.clone(), day as u64),
            Mode::Practice,
            at,
            20_000,
            &|_| Pick::Approved,
        );
    }
    let view = training::mastery_view(&store, &t, &p, at).unwrap();
    assert!(
        view.categories
            .iter()
            .filter(|c| c.required)
            .all(|c| c.level >= mastery::DEFAULT_THRESHOLD),
        "{view:#?}"
    );
    let before = training::levels(&store, &t, &p, at).unwrap();
    let (id, drill) = play_recorded(
        &store,
        &t,
        Drill::new(s.clone(), p.clone(), 99),
        Mode::Exam,
        at + 1000,
        20_000,
        &|_| Pick::Approved,
    );
    let done = training::finish(&store, &t, id, &drill, Mode::Exam, &before).unwrap();
    assert!(done.exam.as_ref().unwrap().granted, "{:?}", done.exam);
    let cert = done.certification.unwrap();
    assert_eq!(cert.drill_id, id);
    assert_eq!(store.certifications(t.id).unwrap().len(), 1);
    // A failed exam afterwards does not take it away; a breach exam never certifies.
    let (id2, drill2) = play_recorded(
        &store,
        &t,
        Drill::new(s, p.clone(), 7),
        Mode::Exam,
        at + 5000,
        2_000,
        &|_| Pick::Breach,
    );
    let done2 = training::finish(&store, &t, id2, &drill2, Mode::Exam, &before).unwrap();
    assert!(!done2.exam.unwrap().granted);
    assert_eq!(done2.certification.unwrap().drill_id, id);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_recorded_drill_replays_exactly() {
    let dir = temp("replay");
    let store = Store::open(&dir).unwrap();
    let lib = shipped();
    let t = store.trainee("回放").unwrap();
    let (s, p) = lib.drillable("pos-noodle-busy").unwrap();
    let (id, drill) = play_recorded(
        &store,
        &t,
        Drill::new(s, p, 42),
        Mode::Practice,
        T0,
        5_000,
        &|d: &Drill| {
            if d.steps().len().is_multiple_of(2) {
                Pick::OffScript
            } else {
                Pick::Approved
            }
        },
    );
    let record = store
        .drills(t.id)
        .unwrap()
        .into_iter()
        .find(|d| d.id == id)
        .unwrap();
    let turns = store.turns(id).unwrap();
    let r = training::replay(&lib, &record, &turns);
    assert!(r.faithful);
    let answered: Vec<_> = drill.steps().iter().filter(|s| s.turn.is_some()).collect();
    assert_eq!(r.frames.len(), answered.len());
    for (f, s) in r.frames.iter().zip(answered) {
        assert_eq!(f.customer, s.line);
        assert_eq!(f.turn.as_ref(), s.turn.as_ref());
        assert_eq!(f.mood, s.mood);
    }
    assert_eq!(r.outcome, drill.outcome());
    assert_eq!(r.scorecard.unwrap().score, drill.scorecard().score);
    // Without the scenario, the recorded text is shown instead.
    let empty = Library::default();
    let r = training::replay(&empty, &record, &turns);
    assert!(!r.faithful);
    assert_eq!(r.frames.len(), turns.len());
    assert_eq!(r.frames[0].customer, turns[0].line);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_is_a_consistent_copy_and_never_overwrites() {
    let dir = temp("backup");
    let store = Store::open(&dir).unwrap();
    let t = store.trainee("备份").unwrap();
    let (s, p) = common::base();
    let (id, _) = play_recorded(
        &store,
        &t,
        Drill::new(s, p, 1),
        Mode::Practice,
        T0,
        3_000,
        &|_| Pick::Approved,
    );
    let dest = dir.join("copy.sqlite3");
    let bytes = store.backup(&dest).unwrap();
    assert!(bytes > 0);
    let copy = Store::open_file(&dest).unwrap();
    assert_eq!(copy.turn_count(id).unwrap(), store.turn_count(id).unwrap());
    assert_eq!(copy.mastery(t.id).unwrap(), store.mastery(t.id).unwrap());
    drop(copy);
    let before = std::fs::read(&dest).unwrap();
    let err = store.backup(&dest).unwrap_err();
    assert!(err.help.contains("never overwrites"), "{err}");
    assert_eq!(std::fs::read(&dest).unwrap(), before);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_report_names_laggards_and_hard_objections_in_csv_and_charts() {
    let dir = temp("report");
    let store = Store::open(&dir).unwrap();
    let lib = shipped();
    let (s, p) = lib.drillable("pos-noodle-busy").unwrap();
    let mut at = T0;
    for (name, team, pick) in [
        ("张三", "一组", Pick::Approved),
        ("李四", "一组", Pick::Approved),
        ("王五", "一组", Pick::OffScript),
        ("赵六", "二组", Pick::Approved),
    ] {
        let t = store.trainee(name).unwrap();
        store.set_team(t.id, Some(team)).unwrap();
        for day in 0..3 {
            play_recorded(
                &store,
                &t,
                Drill::new(s.clone(), p.clone(), day),
                Mode::Practice,
                at + day as i64 * DAY,
                5_000,
                &move |_| pick,
            );
        }
        at += 60_000;
    }
    let mut calls = Vec::new();
    let report = calldrill::report::build(&store, &lib, None, 0, at + 3 * DAY, &mut |d, t| {
        calls.push((d, t))
    })
    .unwrap();
    assert_eq!(
        calls.last().map(|c| c.0),
        calls.last().map(|c| c.1),
        "progress reaches the total"
    );
    assert_eq!(report.trainees.len(), 4);
    let lagging: Vec<&str> = report.lagging().map(|t| t.name.as_str()).collect();
    assert!(lagging.contains(&"王五"), "{lagging:?}");
    assert!(!lagging.contains(&"张三"));
    let hardest = report.hardest();
    assert!(hardest.windows(2).all(|w| w[0].adherence <= w[1].adherence));
    assert_eq!(report.progress.len(), 3, "{:?}", report.progress);
    // One team only.
    let team2 =
        calldrill::report::build(&store, &lib, Some("二组"), 0, at, &mut |_, _| {}).unwrap();
    assert_eq!(team2.trainees.len(), 1);
    // CSV for Excel: a BOM, Chinese headers and names intact.
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let files = calldrill::report::write_csv(&report, &out, calldrill::i18n::Lang::Zh).unwrap();
    assert!(files.len() >= 5);
    let csv = std::fs::read(out.join("trainees.csv")).unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("学员,小组,"), "{text}");
    assert!(text.contains("王五,一组,"));
    let lag =
        String::from_utf8(std::fs::read(out.join("lagging.csv")).unwrap()[3..].to_vec()).unwrap();
    assert!(
        lag.contains("王五") && lag.contains("低于组中位数"),
        "{lag}"
    );
    // PNG charts.
    let charts =
        calldrill::report::charts::write_all(&report, &out, calldrill::i18n::Lang::Zh).unwrap();
    assert_eq!(charts.len(), 3);
    for c in charts {
        let b = std::fs::read(&c).unwrap();
        assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{}", c.display());
        assert!(b.len() > 10_000, "{} is nearly empty", c.display());
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The approved option positions for the first `n` prompts of a drill.
fn approved_answers(
    s: &Arc<calldrill::scenario::Scenario>,
    p: &Arc<calldrill::playbook::Playbook>,
    seed: u64,
    n: usize,
) -> Vec<usize> {
    let mut d = Drill::new(s.clone(), p.clone(), seed);
    let mut out = Vec::new();
    while !d.is_over() && out.len() < n {
        let pos = common::position_of(&d, Pick::Approved).unwrap();
        out.push(pos);
        d.answer(Answer::Choice(pos), None).unwrap();
    }
    out
}

#[cfg(unix)]
#[test]
fn a_text_drill_killed_halfway_keeps_every_answered_turn() {
    let dir = temp("kill");
    let lib = shipped();
    let (s, p) = lib.drillable("pos-noodle-busy").unwrap();
    // A seed whose on-script call is long enough to kill halfway.
    let seed = (1..200)
        .find(|&seed| approved_answers(&s, &p, seed, 4).len() == 4)
        .expect("some seed gives a call of four turns or more");
    let answers = approved_answers(&s, &p, seed, 3);
    let mut child = Command::new(env!("CARGO_BIN_EXE_calldrill"))
        .current_dir(common::root())
        .args([
            "drill",
            "--text",
            "--scenario",
            "pos-noodle-busy",
            "--trainee",
            "小杀",
            "--lang",
            "en",
        ])
        .args(["--seed", &seed.to_string()])
        .arg("--data-dir")
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Answer two turns and wait until the feedback for each is shown (it is
    // shown after the turn is committed); then send the third and kill at once.
    for a in &answers[..2] {
        writeln!(stdin, "{}", a + 1).unwrap();
        stdin.flush().unwrap();
        loop {
            let line = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("feedback shown");
            if line.trim_start().starts_with("You said") {
                break;
            }
        }
    }
    writeln!(stdin, "{}", answers[2] + 1).unwrap();
    stdin.flush().unwrap();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let store = Store::open(&dir).unwrap();
    let t = store.trainee("小杀").unwrap();
    let drills = store.drills(t.id).unwrap();
    assert_eq!(drills.len(), 1);
    assert_eq!(drills[0].finished_ms, None, "killed before the end");
    let turns = store.turns(drills[0].id).unwrap();
    assert!(
        turns.len() >= 2,
        "both acknowledged turns survive the kill: {}",
        turns.len()
    );
    let chosen: Vec<Option<Answer>> = turns.iter().take(2).map(|t| t.answer.clone()).collect();
    assert_eq!(
        chosen,
        vec![
            Some(Answer::Choice(answers[0])),
            Some(Answer::Choice(answers[1]))
        ]
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let m: HashMap<ItemKey, MasteryState> = store.mastery(t.id).unwrap();
    assert!(
        !m.is_empty(),
        "their mastery reviews were committed with them"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs calldrill with `args` on the data folder `dir`, feeding `input`.
fn calldrill_with(dir: &std::path::Path, input: &str, args: &[&str]) -> std::process::Output {
    let dir = dir.to_str().unwrap();
    common::calldrill(&[args, &["--data-dir", dir]].concat(), input)
}

#[test]
fn reading_commands_name_a_mistyped_trainee_and_add_no_one() {
    let dir = temp("typo-trainee");
    let o = calldrill_with(
        &dir,
        &"1\n".repeat(30),
        &[
            "drill",
            "--text",
            "--scenario",
            "pos-noodle-busy",
            "--seed",
            "7",
            "--trainee",
            "小明",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for cmd in [
        vec!["mastery", "--trainee", "小名"],
        vec!["history", "--trainee", "小名"],
        vec!["history", "--trainee", "小名", "--replay", "1"],
    ] {
        let o = calldrill_with(&dir, "", &cmd);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {err}");
        assert!(err.contains("no trainee `小名`"), "{err}");
        assert!(err.contains("`小明`"), "names who there is: {err}");
    }
    let names: Vec<String> = Store::open(&dir)
        .unwrap()
        .trainees()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, vec!["小明".to_string()], "the typos added no one");

    // The next drill of a chosen playbook; the suggestion keeps the playbook.
    let o = calldrill_with(
        &dir,
        "",
        &[
            "drill",
            "--text",
            "--next",
            "--trainee",
            "小明",
            "--playbook",
            "pos-zn",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("did you mean `pos-zh`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = calldrill_with(
        &dir,
        "",
        &["mastery", "--trainee", "小明", "--playbook", "pos-zh"],
    );
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("--next --trainee 小明 --playbook pos-zh"), "{s}");

    // The replay names the outcome in the reader's language.
    let o = calldrill_with(&dir, "", &["history", "--trainee", "小明", "--replay", "1"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8_lossy(&o.stdout);
    let last = s.lines().last().unwrap_or_default();
    let ending = calldrill::scenario::Ending::ALL
        .into_iter()
        .find(|e| last.contains(&format!("({})", e.name())))
        .unwrap_or_else(|| panic!("no outcome in {last:?}"));
    assert!(last.contains(ending.name_zh()), "{last}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_damaged_database_is_an_io_error_for_every_command_and_stays_as_it_was() {
    let dir = temp("garbage-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(calldrill::records::DB_FILE);
    let garbage: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    for cmd in [
        vec!["mastery", "--trainee", "小明"],
        vec!["history", "--trainee", "小明"],
        vec!["report", "--no-charts"],
        vec!["teams", "show"],
        vec!["verify"],
        vec![
            "drill",
            "--text",
            "--scenario",
            "pos-noodle-busy",
            "--trainee",
            "小明",
        ],
    ] {
        let o = calldrill_with(&dir, "1\n", &cmd);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{cmd:?}: {err}");
        assert!(err.contains("damaged"), "{cmd:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            garbage,
            "{cmd:?} changed the file"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_into_a_folder_dates_the_file_and_a_missing_folder_is_named() {
    let dir = temp("backup-cli");
    Store::open(&dir).unwrap().trainee("小明").unwrap();
    let into = dir.join("backups");
    std::fs::create_dir_all(&into).unwrap();
    let o = calldrill_with(&dir, "", &["backup", into.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let made: Vec<_> = std::fs::read_dir(&into).unwrap().collect();
    assert_eq!(made.len(), 1);
    let name = made[0].as_ref().unwrap().file_name();
    assert!(
        name.to_string_lossy().starts_with("calldrill-backup-"),
        "{name:?}"
    );
    let missing = dir.join("no-such-folder").join("x.sqlite3");
    let o = calldrill_with(&dir, "", &["backup", missing.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("does not exist") && err.contains("create the folder"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
