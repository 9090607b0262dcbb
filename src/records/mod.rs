//! The records store: trainees, drills and every answered turn, in SQLite
//! (rusqlite, bundled) in the platform data directory. Each answered turn is
//! committed when it is answered (WAL mode, with a busy timeout), so a crash
//! or a kill loses nothing already answered. Turns are append-only.
//!
//! A database that is corrupt, locked or read-only gets a clear error and is
//! never overwritten.

mod migrations;

pub use migrations::CURRENT as SCHEMA_VERSION;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::drill::{Drill, Step};

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "calldrill.sqlite3";

/// Why the store could not do what was asked, in words a user can act on.
#[derive(Debug)]
pub struct StoreError {
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n  help: {}", self.message, self.help)
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    fn from_sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        let code = e.sqlite_error_code();
        let (message, help) = match code {
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => (
                format!("the records database {} is locked by another program", path.display()),
                "close other calldrill windows or tools using it, then try again".to_string(),
            ),
            Some(C::ReadOnly) | Some(C::CannotOpen) | Some(C::PermissionDenied) => (
                format!("cannot write the records database {}: {e}", path.display()),
                "check that the folder exists and that you may write there, or choose another with --data-dir".to_string(),
            ),
            Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => (
                format!("the records database {} is damaged or not a calldrill database", path.display()),
                "it has not been changed. Move it aside (keep it: a backup may be recovered from it) and calldrill will start a new one; or restore a backup".to_string(),
            ),
            Some(C::DiskFull) => (
                format!("the disk is full while writing {}", path.display()),
                "free some space; nothing already saved was lost".to_string(),
            ),
            _ => (
                format!("records database error in {}: {e}", path.display()),
                "if this keeps happening, make a copy of the file and report it".to_string(),
            ),
        };
        StoreError { message, help }
    }
}

/// The data directory: `--data-dir`, else `$CALLDRILL_DATA`, else the platform's.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("CALLDRILL_DATA") {
        return PathBuf::from(p);
    }
    directories::ProjectDirs::from("", "", "calldrill")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".calldrill"))
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainee {
    pub id: i64,
    pub name: String,
    pub created_ms: i64,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the store in `dir`, migrating it to the current schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError {
            message: format!("cannot create the data folder {}: {e}", dir.display()),
            help: "choose a folder you may write to with --data-dir or CALLDRILL_DATA".into(),
        })?;
        Store::open_file(&dir.join(DB_FILE))
    }

    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        let err = |e| StoreError::from_sqlite(path, e);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        // Reading the schema first makes a corrupt or foreign file fail here, untouched.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        migrations::migrate(&mut store.conn).map_err(err)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, e)
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// The trainee with this name, created if new.
    pub fn trainee(&self, name: &str) -> Result<Trainee, StoreError> {
        let name = name.trim();
        self.conn
            .execute(
                "INSERT OR IGNORE INTO trainees(name, created_ms) VALUES (?1, ?2)",
                params![name, now_ms()],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .query_row(
                "SELECT id, name, created_ms FROM trainees WHERE name = ?1",
                params![name],
                |r| {
                    Ok(Trainee {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        created_ms: r.get(2)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    pub fn trainees(&self) -> Result<Vec<Trainee>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT id, name, created_ms FROM trainees ORDER BY name")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(Trainee {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_ms: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Records the start of a drill; returns its id.
    pub fn start_drill(
        &self,
        trainee: &Trainee,
        drill: &Drill,
        mode: &str,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO drills(trainee_id, scenario, playbook, seed, mode, started_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![trainee.id, drill.scenario().id, drill.playbook().id, drill.seed() as i64, mode, now_ms()],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Commits one answered turn (step `index` of the drill) at once.
    pub fn record_turn(&self, drill_id: i64, index: usize, step: &Step) -> Result<(), StoreError> {
        let Some(turn) = &step.turn else {
            return Ok(());
        };
        let answer = serde_json::to_string(&turn.answer).unwrap_or_default();
        let assessment = serde_json::to_string(&turn.assessment).unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO turns(drill_id, idx, node, stage, objection, line, offered, answer, said, assessment, score, verdict, response_ms, answered_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    drill_id,
                    index as i64,
                    step.node,
                    step.stage.name(),
                    step.objection,
                    turn.assessment.line,
                    serde_json::to_string(&step.offered).unwrap_or_default(),
                    answer,
                    turn.said,
                    assessment,
                    turn.assessment.score,
                    format!("{:?}", turn.assessment.verdict),
                    turn.response_ms.map(|m| m as i64),
                    now_ms()
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records how a drill ended.
    pub fn finish_drill(&self, drill_id: i64, drill: &Drill) -> Result<(), StoreError> {
        let card = drill.scorecard();
        let outcome = drill
            .outcome()
            .map(|o| o.ending.name())
            .unwrap_or("Unfinished");
        self.conn
            .execute(
                "UPDATE drills SET finished_ms = ?2, outcome = ?3, score = ?4, compliance = ?5, passed = ?6 WHERE id = ?1",
                params![drill_id, now_ms(), outcome, card.score, card.compliance.name(), card.passed],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The trainee's best finished score on a scenario.
    pub fn best_score(&self, trainee_id: i64, scenario: &str) -> Result<Option<u32>, StoreError> {
        self.conn
            .query_row(
                "SELECT max(score) FROM drills WHERE trainee_id = ?1 AND scenario = ?2 AND finished_ms IS NOT NULL",
                params![trainee_id, scenario],
                |r| r.get::<_, Option<u32>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// The number of turns recorded for a drill.
    pub fn turn_count(&self, drill_id: i64) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM turns WHERE drill_id = ?1",
                params![drill_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
