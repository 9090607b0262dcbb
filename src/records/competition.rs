//! The morning competition in the records store (schema 3): the saved team
//! roster, competitions with their state for resume, and the results,
//! hash-chained ([`crate::competition::chain`]) and append-only.
//!
//! - Every result is one row of `competition_results`: `id` (consecutive,
//!   one chain over all competitions), `competition_id`, `payload` (the
//!   canonical JSON of the [`ScoredResult`]), `prev_hash` and `hash`. Triggers
//!   refuse UPDATE and DELETE. The chain's head (row count and last hash)
//!   lives in `competition_chain_head` and moves in the same transaction as
//!   the row, so a cut-off tail shows as well as an edited or deleted row.
//! - [`Store::record_competition_result`] appends the newest result and saves
//!   the competition's state in one `BEGIN IMMEDIATE` transaction: a crash
//!   leaves either both or neither.
//! - [`Store::open_competition`] resumes the newest unfinished competition;
//!   its state is replayed through the rules ([`Competition::resume`]) and
//!   must agree, result by result, with its chain rows.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError, TxError, now_ms};
use crate::competition::{
    awards::TraineeFacts,
    chain::{self, Head, Problem, Row},
    session::{Competition, ScoredResult},
    teams::Team,
};

fn refuse(message: String, help: &str) -> StoreError {
    StoreError {
        message,
        help: help.to_string(),
    }
}

const VERIFY_HELP: &str = "nothing was changed. Run `calldrill verify` to see which stored results were altered, and restore the records from a backup";

/// One stored result row, as `calldrill verify` and reports describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    /// The row's id in the chain.
    pub id: i64,
    pub competition_id: i64,
    /// The stored result, when its payload can still be read.
    pub result: Option<ScoredResult>,
}

/// A stored competition, as listed for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetitionRecord {
    pub id: i64,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    /// The saved state, replayed; `Err` names why it cannot be read.
    pub competition: Result<Competition, String>,
}

impl Store {
    /// Replaces the saved team roster (order kept), creating trainees not yet
    /// known and setting each trainee's team (others get none). Refuses an
    /// empty or repeated team name, and a trainee listed twice.
    pub fn save_teams(&self, teams: &[Team]) -> Result<(), StoreError> {
        let mut names = BTreeSet::new();
        let mut members = BTreeSet::new();
        for t in teams {
            let name = t.name.trim();
            if name.is_empty() {
                return Err(refuse(
                    "a team has an empty name".into(),
                    "give every team a name (组名)",
                ));
            }
            if !names.insert(name) {
                return Err(refuse(
                    format!("two teams are called `{name}`"),
                    "give each team its own name",
                ));
            }
            for m in &t.members {
                let m = m.trim();
                if m.is_empty() {
                    return Err(refuse(
                        format!("team `{name}` has a member with an empty name"),
                        "remove the empty name",
                    ));
                }
                if !members.insert(m) {
                    return Err(refuse(
                        format!("trainee `{m}` is listed in two teams (or twice)"),
                        "each trainee belongs to exactly one team",
                    ));
                }
            }
        }
        let now = now_ms();
        self.write_checked(|c| {
            c.execute("DELETE FROM team_members", [])?;
            c.execute("DELETE FROM teams", [])?;
            c.execute("UPDATE trainees SET team = NULL WHERE team IS NOT NULL", [])?;
            for (pos, t) in teams.iter().enumerate() {
                let name = t.name.trim();
                c.execute(
                    "INSERT INTO teams(position, name, slogan, target) VALUES (?1, ?2, ?3, ?4)",
                    params![pos as i64, name, t.slogan, t.target],
                )?;
                for (idx, m) in t.members.iter().enumerate() {
                    let m = m.trim();
                    c.execute(
                        "INSERT OR IGNORE INTO trainees(name, created_ms) VALUES (?1, ?2)",
                        params![m, now],
                    )?;
                    let id: i64 =
                        c.query_row("SELECT id FROM trainees WHERE name = ?1", params![m], |r| {
                            r.get(0)
                        })?;
                    c.execute(
                        "INSERT INTO team_members(team_position, idx, trainee_id) VALUES (?1, ?2, ?3)",
                        params![pos as i64, idx as i64, id],
                    )?;
                    c.execute(
                        "UPDATE trainees SET team = ?2 WHERE id = ?1",
                        params![id, name],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// The saved team roster, in order; empty when none was saved.
    pub fn teams(&self) -> Result<Vec<Team>, StoreError> {
        let err = |e| self.err(e);
        let mut st = self
            .conn
            .prepare("SELECT position, name, slogan, target FROM teams ORDER BY position")
            .map_err(err)?;
        let heads: Vec<(i64, Team)> = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Team {
                        name: r.get(1)?,
                        slogan: r.get(2)?,
                        target: r.get(3)?,
                        members: Vec::new(),
                    },
                ))
            })
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let mut st = self
            .conn
            .prepare(
                "SELECT m.team_position, t.name FROM team_members m JOIN trainees t ON t.id = m.trainee_id
                 ORDER BY m.team_position, m.idx",
            )
            .map_err(err)?;
        let mut by_team: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let rows = st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(err)?;
        for row in rows {
            let (pos, name) = row.map_err(err)?;
            by_team.entry(pos).or_default().push(name);
        }
        Ok(heads
            .into_iter()
            .map(|(pos, mut t)| {
                t.members = by_team.remove(&pos).unwrap_or_default();
                t
            })
            .collect())
    }

    /// Every trainee's strength for balancing teams: the mean level (0–100)
    /// of the objection categories they have practised, over all playbooks;
    /// 0 when they have practised none. Sorted by name.
    pub fn strengths(&self, now: i64) -> Result<Vec<(String, f64)>, StoreError> {
        self.strengths_in(now, None)
    }

    /// [`Store::strengths`] counting only the categories of one playbook
    /// (all playbooks with `None`).
    pub fn strengths_in(
        &self,
        now: i64,
        playbook: Option<&str>,
    ) -> Result<Vec<(String, f64)>, StoreError> {
        let mut out = Vec::new();
        for t in self.trainees()? {
            let levels: Vec<u32> = self
                .mastery(t.id)?
                .iter()
                .filter(|(k, _)| {
                    k.kind == crate::mastery::ItemKind::Category
                        && playbook.is_none_or(|p| k.playbook == p)
                })
                .map(|(_, s)| s.level(now))
                .collect();
            let strength = if levels.is_empty() {
                0.0
            } else {
                levels.iter().map(|&l| f64::from(l)).sum::<f64>() / levels.len() as f64
            };
            out.push((t.name, strength));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// What the newcomer award needs about every trainee: when they joined
    /// (the trainee's creation) and whether they hold any certification.
    pub fn trainee_facts(&self) -> Result<Vec<TraineeFacts>, StoreError> {
        let err = |e| self.err(e);
        let mut st = self
            .conn
            .prepare(
                "SELECT t.name, t.created_ms,
                        EXISTS (SELECT 1 FROM certifications c WHERE c.trainee_id = t.id)
                 FROM trainees t ORDER BY t.name",
            )
            .map_err(err)?;
        let rows = st
            .query_map([], |r| {
                Ok(TraineeFacts {
                    name: r.get(0)?,
                    joined_ms: r.get(1)?,
                    certified: r.get(2)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// `(trainee, finished_at_ms)` of every stored result, in chain order,
    /// for proposing representatives by rotation. Unreadable rows are skipped
    /// (`calldrill verify` names them).
    pub fn representative_history(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(self
            .result_rows()?
            .into_iter()
            .filter_map(|r| r.result)
            .map(|r| (r.result.trainee, r.result.finished_at_ms))
            .collect())
    }

    /// Stores a new competition (and any results it already holds); returns its id.
    pub fn start_competition(&self, c: &Competition, now: i64) -> Result<i64, StoreError> {
        let state = state_json(c)?;
        let payloads = c
            .results()
            .iter()
            .map(payload_of)
            .collect::<Result<Vec<_>, _>>()?;
        self.write_checked(|tx| {
            tx.execute(
                "INSERT INTO competitions(started_ms, state) VALUES (?1, ?2)",
                params![now, state],
            )?;
            let id = tx.last_insert_rowid();
            for p in &payloads {
                append_row(tx, id, p)?;
            }
            Ok(id)
        })
    }

    /// Saves a competition's state without a new result (e.g. after the
    /// trainer picked a representative). Its results must be exactly those
    /// already recorded: a new result goes through
    /// [`Store::record_competition_result`].
    pub fn save_competition(&self, id: i64, c: &Competition) -> Result<(), StoreError> {
        let state = state_json(c)?;
        self.write_checked(|tx| {
            let rows = competition_rows(tx, id)?;
            if rows.len() != c.results().len() {
                return Err(TxError::Store(refuse(
                    format!(
                        "competition {id} has {} recorded results but the state to save has {}",
                        rows.len(),
                        c.results().len()
                    ),
                    "record each new result with record_competition_result, which also saves the state",
                )));
            }
            recorded_unchanged(&rows, c, id, "recorded results cannot be changed")?;
            tx.execute(
                "UPDATE competitions SET state = ?2 WHERE id = ?1",
                params![id, state],
            )?;
            Ok(())
        })
    }

    /// Appends the competition's newest result to the chain and saves its
    /// state, in one transaction. The state must hold exactly one result
    /// more than is recorded, and the earlier ones unchanged.
    pub fn record_competition_result(&self, id: i64, c: &Competition) -> Result<(), StoreError> {
        let Some(last) = c.results().last() else {
            return Err(refuse(
                format!("competition {id} has no result to record"),
                "record a result in the competition (Competition::record) first",
            ));
        };
        let payload = payload_of(last)?;
        let state = state_json(c)?;
        self.write_checked(|tx| {
            if let Some(at) = check_exists(tx, id)? {
                return Err(TxError::Store(refuse(
                    format!("competition {id} was finished at {}: no more results can be recorded", crate::training::date_time(at)),
                    "start a new competition",
                )));
            }
            let rows = competition_rows(tx, id)?;
            let expected = rows.len() + 1;
            if c.results().len() != expected {
                return Err(TxError::Store(refuse(
                    format!(
                        "competition {id} has {} recorded results; the state holds {}, so its newest is not the next one",
                        rows.len(),
                        c.results().len()
                    ),
                    "record each result as soon as it is played, one at a time; reopen the competition with open_competition to resume",
                )));
            }
            recorded_unchanged(
                &rows,
                c,
                id,
                "recorded results cannot be changed; reopen the competition to resume",
            )?;
            append_row(tx, id, &payload)?;
            tx.execute(
                "UPDATE competitions SET state = ?2 WHERE id = ?1",
                params![id, state],
            )?;
            Ok(())
        })
    }

    /// Marks a competition finished (it is then no longer resumed).
    pub fn finish_competition(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.write_checked(|tx| {
            check_exists(tx, id)?;
            tx.execute(
                "UPDATE competitions SET finished_ms = ?2 WHERE id = ?1 AND finished_ms IS NULL",
                params![id, now],
            )?;
            Ok(())
        })
    }

    /// The newest unfinished competition, to resume, with its id. Its saved
    /// state is replayed through the rules and must agree with its recorded
    /// results row by row; otherwise an error says which result differs.
    pub fn open_competition(&self) -> Result<Option<(i64, Competition)>, StoreError> {
        let found: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, state FROM competitions WHERE finished_ms IS NULL
                 ORDER BY started_ms DESC, id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((id, state)) = found else {
            return Ok(None);
        };
        let c = Competition::resume(&state).map_err(|e| {
            refuse(
                format!("the saved state of competition {id} cannot be resumed: {e}"),
                VERIFY_HELP,
            )
        })?;
        let rows = competition_rows(&self.conn, id).map_err(|e| match e {
            TxError::Sql(e) => self.err(e),
            TxError::Store(e) => e,
        })?;
        check_agrees(id, &c, &rows)?;
        Ok(Some((id, c)))
    }

    /// Every stored result (all competitions) that finished in
    /// `since_ms..until_ms`, ordered by `finished_at_ms` (then by recording).
    /// A row that cannot be read is an error naming it.
    pub fn competition_results(
        &self,
        since_ms: i64,
        until_ms: i64,
    ) -> Result<Vec<ScoredResult>, StoreError> {
        let mut out = Vec::new();
        for row in self.result_rows()? {
            let Some(r) = row.result else {
                return Err(refuse(
                    format!(
                        "stored result row {} (competition {}) cannot be read",
                        row.id, row.competition_id
                    ),
                    VERIFY_HELP,
                ));
            };
            if (since_ms..until_ms).contains(&r.result.finished_at_ms) {
                out.push(r);
            }
        }
        out.sort_by_key(|r| r.result.finished_at_ms);
        Ok(out)
    }

    /// Checks the hash chain of stored results against its head; empty
    /// means intact. Each [`Problem`] names row ids (see
    /// [`Store::result_rows`] for what each row holds).
    pub fn verify_results(&self) -> Result<Vec<Problem>, StoreError> {
        let rows = self.chain_rows()?;
        let head = self
            .conn
            .query_row(
                "SELECT count, hash FROM competition_chain_head WHERE id = 1",
                [],
                |r| {
                    Ok(Head {
                        count: r.get::<_, i64>(0)?.max(0) as u64,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let mut problems = chain::verify(&rows, head.as_ref());
        if head.is_none() {
            // The head row itself was deleted: every row is unanchored.
            problems.push(Problem::Truncated {
                expected: 0,
                found: rows.len() as u64,
            });
        }
        Ok(problems)
    }

    /// Every stored result row in chain order, with the result when its
    /// payload can still be read (for naming problems and for reports).
    pub fn result_rows(&self) -> Result<Vec<ResultRow>, StoreError> {
        let err = |e| self.err(e);
        let mut st = self
            .conn
            .prepare("SELECT id, competition_id, payload FROM competition_results ORDER BY id")
            .map_err(err)?;
        let rows = st
            .query_map([], |r| {
                let payload: String = r.get(2)?;
                Ok(ResultRow {
                    id: r.get(0)?,
                    competition_id: r.get(1)?,
                    result: serde_json::from_str(&payload).ok(),
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// Every stored competition that started in `since_ms..until_ms`, oldest
    /// first, with its state replayed.
    pub fn competitions(
        &self,
        since_ms: i64,
        until_ms: i64,
    ) -> Result<Vec<CompetitionRecord>, StoreError> {
        let err = |e| self.err(e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, started_ms, finished_ms, state FROM competitions
                 WHERE started_ms >= ?1 AND started_ms < ?2 ORDER BY started_ms, id",
            )
            .map_err(err)?;
        let rows = st
            .query_map(params![since_ms, until_ms], |r| {
                let state: String = r.get(3)?;
                Ok(CompetitionRecord {
                    id: r.get(0)?,
                    started_ms: r.get(1)?,
                    finished_ms: r.get(2)?,
                    competition: Competition::resume(&state),
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// The whole chain, as [`chain::verify`] takes it.
    fn chain_rows(&self) -> Result<Vec<Row>, StoreError> {
        let err = |e| self.err(e);
        let mut st = self
            .conn
            .prepare("SELECT id, payload, prev_hash, hash FROM competition_results ORDER BY id")
            .map_err(err)?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }
}

fn state_json(c: &Competition) -> Result<String, StoreError> {
    c.to_json().map_err(|e| {
        refuse(
            e,
            "this is a bug in calldrill; please report it with the command you ran",
        )
    })
}

fn payload_of(r: &ScoredResult) -> Result<String, StoreError> {
    chain::canonical_json(r).map_err(|e| {
        refuse(
            format!("cannot store result {}: {e}", r.seq),
            "this is a bug in calldrill; please report it with the command you ran",
        )
    })
}

/// The competition's `finished_ms`; an error when there is no such competition.
/// Refuses a state whose results differ from the rows already recorded
/// (compared pairwise, as far as both go).
fn recorded_unchanged(rows: &[Row], c: &Competition, id: i64, help: &str) -> Result<(), TxError> {
    for (row, r) in rows.iter().zip(c.results()) {
        if row.1 != payload_of(r).map_err(TxError::Store)? {
            return Err(TxError::Store(refuse(
                format!(
                    "result {} of competition {id} differs from the one recorded",
                    r.seq
                ),
                help,
            )));
        }
    }
    Ok(())
}

fn check_exists(tx: &Connection, id: i64) -> Result<Option<i64>, TxError> {
    let found: Option<Option<i64>> = tx
        .query_row(
            "SELECT finished_ms FROM competitions WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    if found.is_none() {
        return Err(TxError::Store(refuse(
            format!("there is no competition {id} in the records"),
            "start it with start_competition, and use the id that returned",
        )));
    }
    Ok(found.flatten())
}

/// The chain rows of one competition, `(id, payload, prev_hash, hash)`, by
/// id. Errors when the competition does not exist.
fn competition_rows(c: &Connection, id: i64) -> Result<Vec<Row>, TxError> {
    check_exists(c, id)?;
    let mut st = c.prepare_cached(
        "SELECT id, payload, prev_hash, hash FROM competition_results WHERE competition_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map(params![id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Appends one row to the chain and moves the head, inside the caller's transaction.
fn append_row(tx: &Connection, competition_id: i64, payload: &str) -> Result<(), TxError> {
    let (count, _head_hash): (i64, String) = tx
        .query_row(
            "SELECT count, hash FROM competition_chain_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| {
            TxError::Store(refuse(
                "the head of the competition results chain is missing".into(),
                VERIFY_HELP,
            ))
        })?;
    let prev: String = tx
        .query_row(
            "SELECT hash FROM competition_results ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| chain::GENESIS.to_string());
    let hash = chain::chain_hash(&prev, payload);
    tx.execute(
        "INSERT INTO competition_results(competition_id, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4)",
        params![competition_id, payload, prev, hash],
    )?;
    tx.execute(
        "UPDATE competition_chain_head SET count = ?1, hash = ?2 WHERE id = 1",
        params![count + 1, hash],
    )?;
    Ok(())
}

/// The resumed state's results must be the recorded rows, one for one, each
/// row with its hash intact.
fn check_agrees(id: i64, c: &Competition, rows: &[Row]) -> Result<(), StoreError> {
    for (i, (row_id, payload, prev, hash)) in rows.iter().enumerate() {
        if chain::chain_hash(prev, payload) != *hash {
            return Err(refuse(
                format!(
                    "stored result row {row_id} (competition {id}, result {}) was edited: its hash does not match",
                    i + 1
                ),
                VERIFY_HELP,
            ));
        }
        let Some(r) = c.results().get(i) else {
            return Err(refuse(
                format!(
                    "competition {id} has {} recorded results but its saved state only {}",
                    rows.len(),
                    c.results().len()
                ),
                VERIFY_HELP,
            ));
        };
        if *payload != payload_of(r)? {
            return Err(refuse(
                format!(
                    "result {} of competition {id} (round {}, {} {}) differs between the saved state and stored row {row_id}",
                    r.seq, r.result.round, r.result.team, r.result.trainee
                ),
                VERIFY_HELP,
            ));
        }
    }
    if c.results().len() > rows.len() {
        return Err(refuse(
            format!(
                "the saved state of competition {id} holds {} results but only {} are recorded",
                c.results().len(),
                rows.len()
            ),
            VERIFY_HELP,
        ));
    }
    Ok(())
}
