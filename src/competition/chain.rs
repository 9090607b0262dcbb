//! Tamper-evident results: a competition result must never be edited
//! silently. Each stored result row carries the hash of the row before it
//! and its own hash, `SHA-256(prev_hash ‖ payload)` in lowercase hex, where
//! the payload is the result's canonical JSON ([`canonical_json`]: object
//! keys sorted, no whitespace) and the first row's `prev_hash` is
//! [`GENESIS`].
//!
//! [`verify`] re-walks the chain and names every problem: an edited row (its
//! hash no longer matches), deleted rows (the next row's `prev_hash` points
//! at nothing kept; with a gap in ids when ids were not renumbered), rows
//! out of order, and, given a [`Head`] (count and last hash kept somewhere
//! else), a truncated or rewritten tail. Ids must be consecutive (an SQLite
//! `INTEGER PRIMARY KEY` in a table that is only appended to gives that): a
//! gap in ids counts as deleted rows even where the chain links up, since
//! that is what deleting rows and re-hashing the rest after them looks like.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of `prev` followed by `payload` (UTF-8), as 64 lowercase hex digits.
pub fn chain_hash(prev: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(payload.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The canonical JSON of a value: object keys sorted, no whitespace, so the
/// same value always gives the same bytes (whatever serde_json features
/// other crates turn on).
pub fn canonical_json<T: Serialize>(value: &T) -> Result<String, String> {
    let v = serde_json::to_value(value).map_err(|e| format!("cannot serialise: {e}"))?;
    let mut out = String::new();
    write_canonical(&v, &mut out);
    Ok(out)
}

/// Re-encodes JSON text canonically (for checking a payload written elsewhere).
pub fn canonicalize(json: &str) -> Result<String, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("{}:{}: {e}", e.line(), e.column()))?;
    let mut out = String::new();
    write_canonical(&v, &mut out);
    Ok(out)
}

fn write_canonical(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The chain's head, kept apart from the rows (another file or table) so
/// that cutting rows off the end shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// How many rows the chain had.
    pub count: u64,
    /// The last row's hash ([`GENESIS`] when empty).
    pub hash: String,
}

/// A stored row: `(id, payload, prev_hash, hash)`.
pub type Row = (i64, String, String, String);

/// The head of `rows` as they are now (to keep after appending).
pub fn head_of(rows: &[Row]) -> Head {
    Head {
        count: rows.len() as u64,
        hash: rows
            .last()
            .map_or_else(|| GENESIS.to_string(), |r| r.3.clone()),
    }
}

/// Something wrong with a chain of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// The row's hash does not match its payload and `prev_hash`: edited.
    Edited { id: i64 },
    /// Rows are missing before `before` (after `after`, or at the start).
    Deleted {
        after: Option<i64>,
        before: i64,
        /// Missing ids, when the gap in ids shows them (0 when renumbered).
        missing_ids: u64,
    },
    /// The row does not follow the row before it, with no gap in ids: a row
    /// was deleted and ids renumbered, or the previous row was edited and
    /// its hash recomputed.
    BrokenLink { id: i64, after: i64 },
    /// The row follows another row than the one before it.
    Reordered { id: i64, follows: Option<i64> },
    /// The same id twice, or ids going backwards.
    BadId { id: i64, after: i64 },
    /// Fewer rows than the head counts: the tail was cut off.
    Truncated { expected: u64, found: u64 },
    /// The row where the head points has another hash: the tail was rewritten.
    HeadMismatch { at_row: Option<i64> },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Edited { id } => write!(f, "row {id} was edited: its hash does not match"),
            Problem::Deleted {
                after: Some(a),
                before,
                missing_ids,
            } => write!(
                f,
                "rows were deleted between row {a} and row {before} ({missing_ids} ids missing)"
            ),
            Problem::Deleted {
                after: None,
                before,
                ..
            } => {
                write!(f, "rows were deleted before row {before}, the first kept")
            }
            Problem::BrokenLink { id, after } => write!(
                f,
                "row {id} does not follow row {after}: a row between them was deleted and ids renumbered, or row {after} was edited and re-hashed"
            ),
            Problem::Reordered {
                id,
                follows: Some(o),
            } => write!(f, "row {id} belongs after row {o}: rows were reordered"),
            Problem::Reordered { id, follows: None } => {
                write!(
                    f,
                    "row {id} claims to be the first row: rows were reordered"
                )
            }
            Problem::BadId { id, after } => write!(f, "row id {id} comes after id {after}"),
            Problem::Truncated { expected, found } => write!(
                f,
                "the chain was cut: {found} rows where {expected} were recorded"
            ),
            Problem::HeadMismatch { at_row: Some(id) } => write!(
                f,
                "row {id}, the last one recorded in the head, has another hash: the tail was rewritten"
            ),
            Problem::HeadMismatch { at_row: None } => {
                write!(f, "the head does not match an empty chain")
            }
        }
    }
}

impl Problem {
    /// The problem in Chinese, for the trainer's screen.
    pub fn zh(&self) -> String {
        match self {
            Problem::Edited { id } => format!("第 {id} 条记录被改动：哈希不符"),
            Problem::Deleted {
                after: Some(a),
                before,
                missing_ids,
            } => format!("第 {a} 条与第 {before} 条之间的记录被删除（缺少 {missing_ids} 个编号）"),
            Problem::Deleted {
                after: None,
                before,
                ..
            } => {
                format!("第 {before} 条之前的记录被删除")
            }
            Problem::BrokenLink { id, after } => format!(
                "第 {id} 条接不上第 {after} 条：中间的记录被删除后重新编号，或第 {after} 条被改动后重算了哈希"
            ),
            Problem::Reordered {
                id,
                follows: Some(o),
            } => format!("第 {id} 条本应在第 {o} 条之后：记录顺序被调换"),
            Problem::Reordered { id, follows: None } => {
                format!("第 {id} 条自称是第一条：记录顺序被调换")
            }
            Problem::BadId { id, after } => format!("编号 {id} 出现在编号 {after} 之后"),
            Problem::Truncated { expected, found } => {
                format!("记录被截断：应有 {expected} 条，只剩 {found} 条")
            }
            Problem::HeadMismatch { at_row: Some(id) } => {
                format!("第 {id} 条的哈希与另存的链头不符：末尾记录被改写")
            }
            Problem::HeadMismatch { at_row: None } => "链头与空记录不符".to_string(),
        }
    }
}

/// Checks a chain of rows in the order stored (by id). Returns every
/// problem found; empty means intact. `head`, when given, also catches a
/// cut or rewritten tail (rows appended after the head was kept are fine).
pub fn verify(rows: &[Row], head: Option<&Head>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let by_hash: HashMap<&str, i64> = rows.iter().map(|r| (r.3.as_str(), r.0)).collect();
    for (i, (id, payload, prev_hash, hash)) in rows.iter().enumerate() {
        if chain_hash(prev_hash, payload) != *hash {
            problems.push(Problem::Edited { id: *id });
        }
        let before = i.checked_sub(1).map(|j| &rows[j]);
        if let Some(b) = before
            && *id <= b.0
        {
            problems.push(Problem::BadId {
                id: *id,
                after: b.0,
            });
        }
        let expected_prev = before.map_or(GENESIS, |b| b.3.as_str());
        if prev_hash == expected_prev {
            // Linked, yet ids are missing: rows were deleted and the rest re-hashed.
            if let Some(b) = before
                && *id > b.0.saturating_add(1)
            {
                problems.push(Problem::Deleted {
                    after: Some(b.0),
                    before: *id,
                    missing_ids: id.abs_diff(b.0) - 1,
                });
            }
            continue;
        }
        let follows = by_hash.get(prev_hash.as_str()).copied();
        let problem = if prev_hash == GENESIS {
            Problem::Reordered {
                id: *id,
                follows: None,
            }
        } else if let Some(o) = follows.filter(|o| o != id) {
            Problem::Reordered {
                id: *id,
                follows: Some(o),
            }
        } else {
            match before {
                None => Problem::Deleted {
                    after: None,
                    before: *id,
                    missing_ids: 0,
                },
                Some(b) if *id > b.0.saturating_add(1) => Problem::Deleted {
                    after: Some(b.0),
                    before: *id,
                    missing_ids: id.abs_diff(b.0) - 1,
                },
                Some(b) => Problem::BrokenLink {
                    id: *id,
                    after: b.0,
                },
            }
        };
        problems.push(problem);
    }
    if let Some(h) = head {
        let found = rows.len() as u64;
        if found < h.count {
            problems.push(Problem::Truncated {
                expected: h.count,
                found,
            });
        } else if h.count == 0 {
            if h.hash != GENESIS {
                problems.push(Problem::HeadMismatch { at_row: None });
            }
        } else {
            let at = &rows[(h.count - 1) as usize];
            if at.3 != h.hash {
                problems.push(Problem::HeadMismatch { at_row: Some(at.0) });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of `n` rows with ids from 1, payloads made canonical.
    fn chain(n: i64) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut prev = GENESIS.to_string();
        for id in 1..=n {
            let payload = canonical_json(&serde_json::json!({
                "trainee": format!("学员{id}"),
                "points": id * 3,
                "round": id,
            }))
            .unwrap();
            let hash = chain_hash(&prev, &payload);
            rows.push((id, payload, prev, hash.clone()));
            prev = hash;
        }
        rows
    }

    #[test]
    fn sha256_known_answer() {
        // FIPS 180-2 "abc", split between prev and payload.
        assert_eq!(
            chain_hash("a", "bc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(GENESIS.len(), 64);
    }

    #[test]
    fn canonical_json_sorts_keys_and_strips_space() {
        let a = canonicalize(r#"{ "b": 1, "a": {"d": [1, 2], "c": "张三"} }"#).unwrap();
        assert_eq!(a, r#"{"a":{"c":"张三","d":[1,2]},"b":1}"#);
        let b = canonicalize(r#"{"a":{"d":[1,2],"c":"张三"},"b":1}"#).unwrap();
        assert_eq!(a, b);
        assert!(canonicalize("{").is_err());
    }

    #[test]
    fn untouched_chain_passes_and_gaps_do_not() {
        let rows = chain(6);
        let head = head_of(&rows);
        assert!(verify(&rows, Some(&head)).is_empty());
        assert!(verify(&[], Some(&head_of(&[]))).is_empty());
        // Missing ids are deleted rows even where the chain was re-linked.
        let mut gappy = rows.clone();
        for (n, r) in gappy.iter_mut().enumerate().skip(3) {
            r.0 = n as i64 + 10;
        }
        assert_eq!(
            verify(&gappy, None),
            vec![Problem::Deleted {
                after: Some(3),
                before: 13,
                missing_ids: 9
            }]
        );
    }

    #[test]
    fn edited_payload_is_named() {
        let mut rows = chain(5);
        rows[2].1 = rows[2].1.replace("\"points\":9", "\"points\":90");
        assert_eq!(verify(&rows, None), vec![Problem::Edited { id: 3 }]);
    }

    #[test]
    fn edited_and_rehashed_row_breaks_the_next_link() {
        let mut rows = chain(5);
        rows[1].1 = rows[1].1.replace("\"points\":6", "\"points\":60");
        rows[1].3 = chain_hash(&rows[1].2, &rows[1].1);
        assert_eq!(
            verify(&rows, None),
            vec![Problem::BrokenLink { id: 3, after: 2 }]
        );
        // The last row edited and re-hashed: only the head shows it.
        let mut rows = chain(5);
        let head = head_of(&rows);
        rows[4].1.push(' ');
        rows[4].3 = chain_hash(&rows[4].2, &rows[4].1);
        assert!(verify(&rows, None).is_empty());
        assert_eq!(
            verify(&rows, Some(&head)),
            vec![Problem::HeadMismatch { at_row: Some(5) }]
        );
    }

    #[test]
    fn deleted_row_with_the_rest_rehashed_shows_by_ids_and_head() {
        let rows = chain(5);
        let head = head_of(&rows);
        let mut forged: Vec<Row> = rows[..2].to_vec();
        let mut prev = rows[1].3.clone();
        for r in &rows[3..] {
            let hash = chain_hash(&prev, &r.1);
            forged.push((r.0, r.1.clone(), prev, hash.clone()));
            prev = hash;
        }
        let p = verify(&forged, Some(&head));
        assert_eq!(
            p,
            vec![
                Problem::Deleted {
                    after: Some(2),
                    before: 4,
                    missing_ids: 1
                },
                Problem::Truncated {
                    expected: 5,
                    found: 4
                }
            ]
        );
    }

    #[test]
    fn deleted_rows_are_named() {
        let mut rows = chain(6);
        rows.remove(2); // id 3
        let p = verify(&rows, None);
        assert_eq!(
            p,
            vec![Problem::Deleted {
                after: Some(2),
                before: 4,
                missing_ids: 1
            }]
        );
        assert!(p[0].to_string().contains("between row 2 and row 4"));
        assert!(p[0].zh().contains("被删除"));
        // Deleted and renumbered.
        let mut rows = chain(6);
        rows.remove(2);
        for (n, r) in rows.iter_mut().enumerate() {
            r.0 = n as i64 + 1;
        }
        assert_eq!(
            verify(&rows, None),
            vec![Problem::BrokenLink { id: 3, after: 2 }]
        );
        // The first row deleted.
        let mut rows = chain(3);
        rows.remove(0);
        assert_eq!(
            verify(&rows, None),
            vec![Problem::Deleted {
                after: None,
                before: 2,
                missing_ids: 0
            }]
        );
    }

    #[test]
    fn truncated_tail_needs_the_head() {
        let mut rows = chain(6);
        let head = head_of(&rows);
        rows.truncate(4);
        assert!(
            verify(&rows, None).is_empty(),
            "undetectable without a head"
        );
        assert_eq!(
            verify(&rows, Some(&head)),
            vec![Problem::Truncated {
                expected: 6,
                found: 4
            }]
        );
        // Rows appended after the head was kept are fine.
        let old_head = head_of(&chain(4));
        assert!(verify(&chain(6), Some(&old_head)).is_empty());
    }

    #[test]
    fn reordering_is_detected() {
        // Rows swapped in place, keeping ids in order.
        let mut rows = chain(5);
        let (a, b) = (rows[1].clone(), rows[2].clone());
        rows[1] = (2, b.1, b.2, b.3);
        rows[2] = (3, a.1, a.2, a.3);
        assert_eq!(
            verify(&rows, None),
            vec![
                Problem::Reordered {
                    id: 2,
                    follows: Some(3)
                },
                Problem::Reordered {
                    id: 3,
                    follows: Some(1)
                },
                Problem::Reordered {
                    id: 4,
                    follows: Some(2)
                },
            ]
        );
        // Whole rows moved, ids and all.
        let mut rows = chain(5);
        rows.swap(1, 3);
        let p = verify(&rows, None);
        assert!(
            p.iter().any(|x| matches!(x, Problem::BadId { .. })),
            "{p:?}"
        );
        assert!(
            p.iter().any(|x| matches!(x, Problem::Reordered { .. })),
            "{p:?}"
        );
    }

    #[test]
    fn garbage_rows_do_not_panic() {
        let rows: Vec<Row> = vec![
            (i64::MAX, "x".into(), "".into(), "".into()),
            (i64::MIN, "".into(), "zz".into(), "y".into()),
            (0, "{".into(), GENESIS.into(), "".into()),
        ];
        let p = verify(
            &rows,
            Some(&Head {
                count: 3,
                hash: "nope".into(),
            }),
        );
        assert!(p.len() >= 4, "{p:?}");
    }
}
