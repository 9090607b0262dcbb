//! The records store: trainees, drills and every answered turn, in SQLite
//! (rusqlite, bundled) in the platform data directory. Each answered turn is
//! committed when it is answered (WAL mode, with a busy timeout), so a crash
//! or a kill loses nothing already answered. Turns are append-only.
//!
//! A database that is corrupt, locked or read-only gets a clear error and is
//! never overwritten.

mod competition;
mod migrations;

pub use competition::{CompetitionRecord, ResultRow};

pub use migrations::CURRENT as SCHEMA_VERSION;
pub use migrations::migrate_to;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use std::collections::HashMap;

use crate::drill::{Answer, Drill};
use crate::mastery::{self, ItemKey, ItemKind, MasteryState, Rating};

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

/// A granted certification (上岗认证).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification {
    pub playbook: String,
    pub drill_id: i64,
    pub score: u32,
    pub granted_ms: i64,
}

/// One recorded drill, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillRecord {
    pub id: i64,
    pub scenario: String,
    pub playbook: String,
    pub seed: u64,
    /// "practice" or "exam".
    pub mode: String,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    pub outcome: Option<String>,
    pub score: Option<u32>,
    pub compliance: Option<String>,
    pub passed: Option<bool>,
    pub turns: i64,
}

/// One recorded turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnRecord {
    pub index: usize,
    pub node: String,
    pub objection: Option<String>,
    /// What the customer said.
    pub line: String,
    pub offered: Vec<usize>,
    /// `None` when the stored answer cannot be read.
    pub answer: Option<Answer>,
    pub said: String,
    pub score: u32,
    pub verdict: String,
    pub response_ms: Option<u64>,
    /// `None` for turns recorded before schema 2.
    pub rating: Option<Rating>,
}

fn parse_verdict(s: &str) -> crate::scoring::Verdict {
    use crate::scoring::Verdict;
    match s {
        "Approved" => Verdict::Approved,
        "Breach" => Verdict::Breach,
        _ => Verdict::Partial,
    }
}

fn review_item(
    c: &Connection,
    trainee_id: i64,
    key: &ItemKey,
    rating: Rating,
    now: i64,
) -> rusqlite::Result<()> {
    let prev = c
        .prepare_cached(
            "SELECT stability, difficulty, reps, lapses, last_rating, last_review_ms, due_ms FROM mastery
             WHERE trainee_id = ?1 AND playbook = ?2 AND kind = ?3 AND item = ?4",
        )?
        .query_row(
            params![trainee_id, key.playbook, key.kind.name(), key.item],
            |r| {
                let last: String = r.get(4)?;
                Ok(MasteryState {
                    stability: r.get::<_, f64>(0)? as f32,
                    difficulty: r.get::<_, f64>(1)? as f32,
                    reps: r.get(2)?,
                    lapses: r.get(3)?,
                    last_rating: Rating::parse(&last).unwrap_or(Rating::Good),
                    last_review_ms: r.get(5)?,
                    due_ms: r.get(6)?,
                })
            },
        )
        .optional()?;
    let next = MasteryState::review(prev.as_ref(), rating, now);
    put_state(c, trainee_id, key, &next)
}

fn put_state(
    c: &Connection,
    trainee_id: i64,
    key: &ItemKey,
    s: &MasteryState,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO mastery(trainee_id, playbook, kind, item, stability, difficulty, reps, lapses, last_rating, last_review_ms, due_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        trainee_id,
        key.playbook,
        key.kind.name(),
        key.item,
        s.stability as f64,
        s.difficulty as f64,
        s.reps,
        s.lapses,
        s.last_rating.name(),
        s.last_review_ms,
        s.due_ms
    ])?;
    Ok(())
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

/// An error inside a write transaction: SQLite's, or one of ours.
enum TxError {
    Sql(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for TxError {
    fn from(e: rusqlite::Error) -> Self {
        TxError::Sql(e)
    }
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
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError {
                message: format!(
                    "the records database {} was written by a newer calldrill (schema {found}, this one knows {SCHEMA_VERSION})",
                    path.display()
                ),
                help: "it has not been changed. Update calldrill, or use another --data-dir".into(),
            });
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        let before = migrations::migrate(&mut store.conn).map_err(err)?;
        if (1..2).contains(&before) {
            // Schema 2 added mastery: rebuild it from the turns already recorded.
            store.rebuild_mastery()?;
        }
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
        self.start_drill_at(trainee, drill, mode, now_ms())
    }

    /// [`Store::start_drill`] at a given time (tests and benchmarks).
    pub fn start_drill_at(
        &self,
        trainee: &Trainee,
        drill: &Drill,
        mode: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO drills(trainee_id, scenario, playbook, seed, mode, started_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![trainee.id, drill.scenario().id, drill.playbook().id, drill.seed() as i64, mode, now],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Runs `f` in a write transaction taken at once (BEGIN IMMEDIATE), so
    /// that a second writer waits for the busy timeout instead of failing.
    fn write<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.write_checked(|c| f(c).map_err(TxError::Sql))
    }

    /// [`Store::write`], where `f` may also refuse with a [`StoreError`] of
    /// its own.
    fn write_checked<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, TxError>,
    ) -> Result<T, StoreError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))?;
        match f(&self.conn) {
            Ok(v) => {
                if let Err(e) = self.conn.execute_batch("COMMIT") {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(self.err(e));
                }
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(match e {
                    TxError::Sql(e) => self.err(e),
                    TxError::Store(e) => e,
                })
            }
        }
    }

    /// Commits one answered turn (step `index` of the drill) at once, with the
    /// mastery reviews it makes. Returns the turn's rating.
    pub fn record_turn(
        &self,
        drill_id: i64,
        drill: &Drill,
        index: usize,
    ) -> Result<Option<Rating>, StoreError> {
        self.record_turn_at(drill_id, drill, index, now_ms())
    }

    /// [`Store::record_turn`] at a given time (tests and benchmarks).
    pub fn record_turn_at(
        &self,
        drill_id: i64,
        drill: &Drill,
        index: usize,
        now: i64,
    ) -> Result<Option<Rating>, StoreError> {
        let Some(step) = drill.steps().get(index) else {
            return Ok(None);
        };
        let Some(turn) = &step.turn else {
            return Ok(None);
        };
        let category = mastery::category_of(
            drill.playbook(),
            step.objection.as_deref(),
            &turn.assessment.line,
        );
        let rating = mastery::rate(
            turn.assessment.score,
            turn.assessment.verdict,
            turn.response_ms,
        );
        let answer = serde_json::to_string(&turn.answer).unwrap_or_default();
        let assessment = serde_json::to_string(&turn.assessment).unwrap_or_default();
        self.write(|c| {
            c.prepare_cached(
                "INSERT INTO turns(drill_id, idx, node, stage, objection, line, offered, answer, said, assessment, score, verdict, response_ms, answered_ms, rating, category)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
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
                now,
                rating.name(),
                category,
            ])?;
            let (trainee_id, playbook): (i64, String) = c
                .prepare_cached("SELECT trainee_id, playbook FROM drills WHERE id = ?1")?
                .query_row(params![drill_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for key in mastery::items_of_turn(&playbook, category.as_deref(), &turn.assessment.line) {
                review_item(c, trainee_id, &key, rating, now)?;
            }
            Ok(())
        })?;
        Ok(Some(rating))
    }

    /// Recomputes every mastery state from the recorded turns, in the order
    /// they were answered. Used after the migration that added mastery.
    pub fn rebuild_mastery(&self) -> Result<usize, StoreError> {
        self.write(|c| {
            c.execute("DELETE FROM mastery", [])?;
            let mut st = c.prepare(
                "SELECT d.trainee_id, d.playbook, coalesce(t.category, t.objection), t.line, t.score, t.verdict, t.response_ms, t.answered_ms
                 FROM turns t JOIN drills d ON d.id = t.drill_id
                 ORDER BY t.answered_ms, t.drill_id, t.idx",
            )?;
            let mut rows = st.query([])?;
            let mut states: HashMap<(i64, ItemKey), MasteryState> = HashMap::new();
            let mut n = 0;
            while let Some(r) = rows.next()? {
                let trainee: i64 = r.get(0)?;
                let playbook: String = r.get(1)?;
                let objection: Option<String> = r.get(2)?;
                let line: String = r.get(3)?;
                let score: u32 = r.get(4)?;
                let verdict = parse_verdict(&r.get::<_, String>(5)?);
                let response: Option<i64> = r.get(6)?;
                let at: i64 = r.get(7)?;
                let rating = mastery::rate(score, verdict, response.map(|m| m.max(0) as u64));
                for key in mastery::items_of_turn(&playbook, objection.as_deref(), &line) {
                    let k = (trainee, key);
                    let next = MasteryState::review(states.get(&k), rating, at);
                    states.insert(k, next);
                }
                n += 1;
            }
            for ((trainee, key), state) in &states {
                put_state(c, *trainee, key, state)?;
            }
            Ok(n)
        })
    }

    /// Every mastery state of a trainee.
    pub fn mastery(&self, trainee_id: i64) -> Result<HashMap<ItemKey, MasteryState>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT playbook, kind, item, stability, difficulty, reps, lapses, last_rating, last_review_ms, due_ms
                 FROM mastery WHERE trainee_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![trainee_id], |r| {
                let kind: String = r.get(1)?;
                let rating: String = r.get(7)?;
                Ok((
                    ItemKey {
                        playbook: r.get(0)?,
                        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Line),
                        item: r.get(2)?,
                    },
                    MasteryState {
                        stability: r.get::<_, f64>(3)? as f32,
                        difficulty: r.get::<_, f64>(4)? as f32,
                        reps: r.get(5)?,
                        lapses: r.get(6)?,
                        last_rating: Rating::parse(&rating).unwrap_or(Rating::Good),
                        last_review_ms: r.get(8)?,
                        due_ms: r.get(9)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Grants certification for a playbook (keeps the first grant).
    pub fn certify(
        &self,
        trainee_id: i64,
        playbook: &str,
        drill_id: i64,
        score: u32,
        now: i64,
    ) -> Result<Certification, StoreError> {
        self.write(|c| {
            c.execute(
                "INSERT OR IGNORE INTO certifications(trainee_id, playbook, drill_id, score, granted_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![trainee_id, playbook, drill_id, score, now],
            )?;
            Ok(())
        })?;
        self.certification(trainee_id, playbook)?
            .ok_or_else(|| StoreError {
                message: "the certification was not saved".into(),
                help: "try again; if it keeps happening, report it".into(),
            })
    }

    /// A trainee's certification for a playbook, if granted.
    pub fn certification(
        &self,
        trainee_id: i64,
        playbook: &str,
    ) -> Result<Option<Certification>, StoreError> {
        Ok(self
            .certifications(trainee_id)?
            .into_iter()
            .find(|c| c.playbook == playbook))
    }

    /// All of a trainee's certifications.
    pub fn certifications(&self, trainee_id: i64) -> Result<Vec<Certification>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT playbook, drill_id, score, granted_ms FROM certifications WHERE trainee_id = ?1 ORDER BY granted_ms",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![trainee_id], |r| {
                Ok(Certification {
                    playbook: r.get(0)?,
                    drill_id: r.get(1)?,
                    score: r.get(2)?,
                    granted_ms: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// A trainee's drills, newest first.
    pub fn drills(&self, trainee_id: i64) -> Result<Vec<DrillRecord>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT d.id, d.scenario, d.playbook, d.seed, d.mode, d.started_ms, d.finished_ms, d.outcome, d.score, d.compliance, d.passed,
                        (SELECT count(*) FROM turns t WHERE t.drill_id = d.id)
                 FROM drills d WHERE d.trainee_id = ?1 ORDER BY d.started_ms DESC, d.id DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![trainee_id], |r| {
                Ok(DrillRecord {
                    id: r.get(0)?,
                    scenario: r.get(1)?,
                    playbook: r.get(2)?,
                    seed: r.get::<_, i64>(3)? as u64,
                    mode: r.get(4)?,
                    started_ms: r.get(5)?,
                    finished_ms: r.get(6)?,
                    outcome: r.get(7)?,
                    score: r.get(8)?,
                    compliance: r.get(9)?,
                    passed: r.get(10)?,
                    turns: r.get(11)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The recorded turns of a drill, in order: enough to replay it.
    pub fn turns(&self, drill_id: i64) -> Result<Vec<TurnRecord>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT idx, node, objection, line, offered, answer, said, score, verdict, response_ms, rating
                 FROM turns WHERE drill_id = ?1 ORDER BY idx",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![drill_id], |r| {
                let offered: String = r.get(4)?;
                let answer: String = r.get(5)?;
                let rating: Option<String> = r.get(10)?;
                Ok(TurnRecord {
                    index: r.get::<_, i64>(0)? as usize,
                    node: r.get(1)?,
                    objection: r.get(2)?,
                    line: r.get(3)?,
                    offered: serde_json::from_str(&offered).unwrap_or_default(),
                    answer: serde_json::from_str(&answer).ok(),
                    said: r.get(6)?,
                    score: r.get(7)?,
                    verdict: r.get(8)?,
                    response_ms: r.get::<_, Option<i64>>(9)?.map(|m| m.max(0) as u64),
                    rating: rating.as_deref().and_then(Rating::parse),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// How many drills a trainee has started.
    pub fn drill_count(&self, trainee_id: i64) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM drills WHERE trainee_id = ?1",
                params![trainee_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Puts a trainee in a team (for reports and the competition).
    pub fn set_team(&self, trainee_id: i64, team: Option<&str>) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE trainees SET team = ?2 WHERE id = ?1",
                params![trainee_id, team],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Writes a consistent copy of the whole database to `dest` (which must
    /// not exist yet) and checks the copy.
    pub fn backup(&self, dest: &Path) -> Result<u64, StoreError> {
        if dest.exists() {
            return Err(StoreError {
                message: format!("{} already exists", dest.display()),
                help: "choose a new file name; a backup never overwrites a file".into(),
            });
        }
        let dest_s = dest.to_string_lossy().to_string();
        self.conn
            .execute("VACUUM INTO ?1", params![dest_s])
            .map_err(|e| StoreError::from_sqlite(dest, e))?;
        let copy = Connection::open_with_flags(dest, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| StoreError::from_sqlite(dest, e))?;
        let check: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| StoreError::from_sqlite(dest, e))?;
        if check != "ok" {
            return Err(StoreError {
                message: format!("the backup {} failed its integrity check: {check}", dest.display()),
                help: "the original is unchanged; try again, or copy the file while calldrill is closed".into(),
            });
        }
        Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Records how a drill ended.
    pub fn finish_drill(&self, drill_id: i64, drill: &Drill) -> Result<(), StoreError> {
        self.finish_drill_at(drill_id, drill, now_ms())
    }

    /// [`Store::finish_drill`] at a given time (tests and benchmarks).
    pub fn finish_drill_at(
        &self,
        drill_id: i64,
        drill: &Drill,
        now: i64,
    ) -> Result<(), StoreError> {
        let card = drill.scorecard();
        let outcome = drill
            .outcome()
            .map(|o| o.ending.name())
            .unwrap_or("Unfinished");
        self.conn
            .execute(
                "UPDATE drills SET finished_ms = ?2, outcome = ?3, score = ?4, compliance = ?5, passed = ?6 WHERE id = ?1",
                params![drill_id, now, outcome, card.score, card.compliance.name(), card.passed],
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
