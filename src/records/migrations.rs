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
    // 1 → 2: mastery states, certifications, teams, each turn's rating.
    // Mastery is rebuilt from the existing turns after this step (Store::open).
    r#"
    ALTER TABLE trainees ADD COLUMN team TEXT;
    ALTER TABLE turns ADD COLUMN rating TEXT;
    -- The category the turn practised (the objection, else the expected line's).
    ALTER TABLE turns ADD COLUMN category TEXT;
    DROP TRIGGER turns_append_only_update;
    UPDATE turns SET category = objection;
    CREATE TRIGGER turns_append_only_update BEFORE UPDATE ON turns
        BEGIN SELECT RAISE(ABORT, 'turns are append-only'); END;
    CREATE TABLE mastery (
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        playbook TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('category', 'line')),
        item TEXT NOT NULL,
        stability REAL NOT NULL,
        difficulty REAL NOT NULL,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        last_rating TEXT NOT NULL,
        last_review_ms INTEGER NOT NULL,
        due_ms INTEGER NOT NULL,
        PRIMARY KEY (trainee_id, playbook, kind, item)
    );
    CREATE TABLE certifications (
        id INTEGER PRIMARY KEY,
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        playbook TEXT NOT NULL,
        drill_id INTEGER NOT NULL REFERENCES drills(id),
        score INTEGER NOT NULL,
        granted_ms INTEGER NOT NULL,
        UNIQUE (trainee_id, playbook)
    );
    CREATE INDEX drills_by_start ON drills(started_ms);
    -- Covers the manager report's one pass over the turns.
    CREATE INDEX turns_report ON turns(answered_ms, drill_id, category, score, verdict);
    "#,
    // 2 → 3: the morning competition. The saved team roster; competitions
    // with their state (JSON, for resume); and the results, hash-chained
    // (competition::chain) and append-only, with the chain's head (row count
    // and last hash) kept apart so that cutting rows off the end shows.
    r#"
    CREATE TABLE teams (
        position INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        slogan TEXT NOT NULL,
        target TEXT NOT NULL
    );
    CREATE TABLE team_members (
        team_position INTEGER NOT NULL REFERENCES teams(position) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        trainee_id INTEGER NOT NULL UNIQUE REFERENCES trainees(id),
        PRIMARY KEY (team_position, idx)
    );
    CREATE TABLE competitions (
        id INTEGER PRIMARY KEY,
        started_ms INTEGER NOT NULL,
        finished_ms INTEGER,
        state TEXT NOT NULL
    );
    CREATE INDEX competitions_open ON competitions(finished_ms, started_ms);
    CREATE TABLE competition_results (
        id INTEGER PRIMARY KEY,
        competition_id INTEGER NOT NULL REFERENCES competitions(id),
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX competition_results_by_competition ON competition_results(competition_id, id);
    CREATE TRIGGER competition_results_append_only_update BEFORE UPDATE ON competition_results
        BEGIN SELECT RAISE(ABORT, 'competition results are append-only'); END;
    CREATE TRIGGER competition_results_append_only_delete BEFORE DELETE ON competition_results
        BEGIN SELECT RAISE(ABORT, 'competition results are append-only'); END;
    CREATE TABLE competition_chain_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
    INSERT INTO competition_chain_head(id, count, hash)
        VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
    "#,
];

pub const CURRENT: i64 = STEPS.len() as i64;

/// Migrates to the current version; returns the version found before.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<i64> {
    migrate_to(conn, CURRENT)
}

/// Migrates up to `target` (tests build databases of earlier versions with it).
pub fn migrate_to(conn: &mut Connection, target: i64) -> rusqlite::Result<i64> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, step) in STEPS
        .iter()
        .enumerate()
        .take(target.max(0) as usize)
        .skip(version.max(0) as usize)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(version)
}
