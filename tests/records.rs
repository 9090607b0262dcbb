//! The records store: schema, turns committed as answered and append-only,
//! and clear errors that never overwrite a damaged file.

mod common;

use calldrill::drill::{Answer, Drill};
use calldrill::records::{SCHEMA_VERSION, Store};

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("calldrill-records-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_new_store_has_the_current_schema_and_records_a_drill() {
    let dir = temp("new");
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let t = store.trainee("小张").unwrap();
    assert_eq!(
        store.trainee(" 小张 ").unwrap(),
        t,
        "names are trimmed; one trainee per name"
    );
    let (s, p) = common::base();
    let mut drill = Drill::new(s, p, 3);
    let id = store.start_drill(&t, &drill, "practice").unwrap();
    let mut i = 0;
    while !drill.is_over() {
        drill.answer(Answer::Choice(0), Some(1000)).unwrap();
        let index = drill
            .steps()
            .iter()
            .rposition(|s| s.turn.is_some())
            .unwrap();
        store.record_turn(id, &drill, index).unwrap();
        i += 1;
        assert_eq!(
            store.turn_count(id).unwrap(),
            i,
            "each turn is in the database as soon as it is answered"
        );
    }
    store.finish_drill(id, &drill).unwrap();
    assert_eq!(
        store.best_score(t.id, "ok").unwrap(),
        Some(drill.scorecard().score)
    );
    assert_eq!(store.best_score(t.id, "other").unwrap(), None);
    // Reopening keeps everything.
    drop(store);
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.turn_count(id).unwrap(), i);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn turns_are_append_only() {
    let dir = temp("append");
    let store = Store::open(&dir).unwrap();
    let t = store.trainee("a").unwrap();
    let (s, p) = common::base();
    let mut drill = Drill::new(s, p, 1);
    let id = store.start_drill(&t, &drill, "practice").unwrap();
    drill.answer(Answer::Choice(0), None).unwrap();
    store.record_turn(id, &drill, 0).unwrap();
    let c = store.connection();
    assert!(c.execute("UPDATE turns SET score = 100", []).is_err());
    assert!(c.execute("DELETE FROM turns", []).is_err());
    assert_eq!(store.turn_count(id).unwrap(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_damaged_database_is_reported_and_left_untouched() {
    let dir = temp("corrupt");
    let file = dir.join(calldrill::records::DB_FILE);
    let junk: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&file, &junk).unwrap();
    let err = Store::open(&dir)
        .err()
        .expect("a damaged file must not open");
    assert!(err.message.contains("damaged"), "{err}");
    assert!(err.help.contains("Move it aside"), "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        junk,
        "the file is never overwritten"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unwritable_data_folder_is_a_clear_error() {
    let dir = temp("unwritable");
    let blocker = dir.join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let err = Store::open(&blocker.join("data"))
        .err()
        .expect("cannot create a folder inside a file");
    assert!(
        err.message.contains("cannot create the data folder"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Plays the base scenario answering on script, recording each turn;
/// returns the drill id and how many turns were saved before `stop_after`.
fn record_some(store: &Store, name: &str, stop_after: usize) -> (i64, Drill, usize) {
    let t = store.trainee(name).unwrap();
    let (s, p) = common::base();
    let mut drill = Drill::new(s, p, 5);
    let id = store.start_drill(&t, &drill, "practice").unwrap();
    let mut saved = 0;
    while !drill.is_over() && saved < stop_after {
        common::choose(&mut drill, common::Pick::Approved);
        let index = drill
            .steps()
            .iter()
            .rposition(|s| s.turn.is_some())
            .unwrap();
        store.record_turn(id, &drill, index).unwrap();
        saved += 1;
    }
    (id, drill, saved)
}

#[test]
fn a_locked_database_is_a_clear_error_and_loses_nothing() {
    let dir = temp("locked");
    let store = Store::open(&dir).unwrap();
    let (id, mut drill, saved) = record_some(&store, "小张", 1);
    assert_eq!(saved, 1);
    // Another program takes the write lock and keeps it.
    let other = rusqlite::Connection::open(dir.join(calldrill::records::DB_FILE)).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    common::choose(&mut drill, common::Pick::Approved);
    let index = drill
        .steps()
        .iter()
        .rposition(|s| s.turn.is_some())
        .unwrap();
    let err = store
        .record_turn(id, &drill, index)
        .expect_err("a write behind another program's lock must fail after the busy timeout");
    assert!(err.message.contains("locked by another program"), "{err}");
    assert!(err.help.contains("close other calldrill"), "{err}");
    // Once the other program lets go, the same turn saves, and nothing before it was lost.
    other.execute_batch("ROLLBACK").unwrap();
    store.record_turn(id, &drill, index).unwrap();
    assert_eq!(store.turn_count(id).unwrap(), 2);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_what_was_saved() {
    let dir = temp("full");
    let store = Store::open(&dir).unwrap();
    let (id, _, saved) = record_some(&store, "小张", 2);
    assert_eq!(saved, 2);
    // SQLite's page limit makes the next write fail exactly as a full disk does (SQLITE_FULL).
    let pages: i64 = store
        .connection()
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .unwrap();
    store
        .connection()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    // The WAL holds pages until a checkpoint; force them home so the limit bites.
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let t = store.trainee("小张").unwrap();
    let (s, p) = common::base();
    let mut failure = None;
    // Each drill adds rows; within a few the file must outgrow its limit.
    for seed in 0..200 {
        let mut drill = Drill::new(s.clone(), p.clone(), seed);
        let drill_id = match store.start_drill(&t, &drill, "practice") {
            Ok(d) => d,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        while !drill.is_over() {
            common::choose(&mut drill, common::Pick::Approved);
            let index = drill
                .steps()
                .iter()
                .rposition(|s| s.turn.is_some())
                .unwrap();
            if let Err(e) = store.record_turn(drill_id, &drill, index) {
                failure = Some(e);
                break;
            }
        }
        if failure.is_some() {
            break;
        }
    }
    let err = failure.expect("writes past the page limit must fail");
    assert!(err.message.contains("disk is full"), "{err}");
    assert!(err.help.contains("nothing already saved was lost"), "{err}");
    drop(store);
    // Reopened without the limit: the turns saved before are all there, intact.
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.turn_count(id).unwrap(), 2);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let _ = std::fs::remove_dir_all(dir);
}
