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
