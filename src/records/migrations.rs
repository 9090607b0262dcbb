//! Versioned schema migrations. `PRAGMA user_version` holds the version; each
//! step runs in its own transaction, so a failed step leaves the previous
//! version intact. Never edit a shipped step: add a new one.

use rusqlite::Connection;

/// Each entry migrates from version i to i + 1.
const STEPS: &[&str] = &[
    // 0 → 1: trainees, drills, append-only turns.
    r#"
    CREATE TABLE trainees (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE drills (
        id INTEGER PRIMARY KEY,
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        scenario TEXT NOT NULL,
        playbook TEXT NOT NULL,
        seed INTEGER NOT NULL,
        mode TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        finished_ms INTEGER,
        outcome TEXT,
        score INTEGER,
        compliance TEXT,
        passed INTEGER
    );
    CREATE INDEX drills_by_trainee ON drills(trainee_id, scenario);
    CREATE TABLE turns (
        drill_id INTEGER NOT NULL REFERENCES drills(id),
        idx INTEGER NOT NULL,
        node TEXT NOT NULL,
        stage TEXT NOT NULL,
        objection TEXT,
        line TEXT NOT NULL,
        offered TEXT NOT NULL,
        answer TEXT NOT NULL,
        said TEXT NOT NULL,
        assessment TEXT NOT NULL,
        score INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        response_ms INTEGER,
        answered_ms INTEGER NOT NULL,
        PRIMARY KEY (drill_id, idx)
    );
    CREATE TRIGGER turns_append_only_update BEFORE UPDATE ON turns
        BEGIN SELECT RAISE(ABORT, 'turns are append-only'); END;
    CREATE TRIGGER turns_append_only_delete BEFORE DELETE ON turns
        BEGIN SELECT RAISE(ABORT, 'turns are append-only'); END;
    "#,
];

pub const CURRENT: i64 = STEPS.len() as i64;

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, step) in STEPS.iter().enumerate().skip(version.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
