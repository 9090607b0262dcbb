//! Benchmark of the records store at team scale (`cargo bench --bench
//! records`): 200 trainees × 5,000 turns each = 1,000,000 turns, made from
//! real drills of the shipped content. It prints, each against a baseline
//! measured in the same run:
//!
//! 1. Bulk insert throughput (one transaction, prepared statements) against a
//!    plain INSERT loop (one autocommit statement per row) on the same rows.
//! 2. The p50 and p99 latency of committing one answered turn the way the
//!    game and text mode do (`Store::record_turn`: the turn and its mastery
//!    reviews in one transaction), on the full database.
//! 3. The full manager report (read + CSV + PNG charts), target under 1 s,
//!    with its parts.

use std::path::Path;
use std::time::{Duration, Instant};

use calldrill::content;
use calldrill::drill::{Answer, Drill, DrillRng};
use calldrill::i18n::Lang;
use calldrill::records::Store;
use rusqlite::params;

const TRAINEES: usize = 200;
const TURNS_PER_TRAINEE: usize = 5_000;
const PLAIN_ROWS: usize = 5_000;
const COMMITS: usize = 2_000;
const DAY: i64 = 86_400_000;

/// One recorded turn, ready to insert.
#[derive(Clone)]
struct Row {
    node: String,
    stage: &'static str,
    objection: Option<String>,
    category: Option<String>,
    line: String,
    offered: String,
    answer: String,
    said: String,
    assessment: String,
    score: u32,
    verdict: String,
    rating: &'static str,
}

fn main() {
    let dir = std::env::temp_dir().join(format!("calldrill-bench-records-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let loaded = content::load(&[root]);
    let lib = loaded.library;
    assert!(!lib.scenarios.is_empty());

    // Template drills: random play of every shipped scenario, many seeds.
    let mut rng = DrillRng::new(7);
    let mut templates: Vec<(String, String, Vec<Row>)> = Vec::new();
    for seed in 0..40u64 {
        for e in &lib.scenarios {
            let (s, p) = lib.drillable(&e.value.id).unwrap();
            let mut d = Drill::new(s, p.clone(), seed);
            while let Some(prompt) = d.prompt() {
                let n = prompt.options.len() as u64;
                d.answer(
                    Answer::Choice(rng.below(n) as usize),
                    Some(3000 + rng.below(20_000)),
                )
                .unwrap();
            }
            let rows = d
                .steps()
                .iter()
                .filter_map(|st| {
                    let t = st.turn.as_ref()?;
                    let rating = calldrill::mastery::rate(
                        t.assessment.score,
                        t.assessment.verdict,
                        t.response_ms,
                    );
                    Some(Row {
                        node: st.node.clone(),
                        stage: st.stage.name(),
                        objection: st.objection.clone(),
                        category: calldrill::mastery::category_of(
                            &p,
                            st.objection.as_deref(),
                            &t.assessment.line,
                        ),
                        line: st.line.clone(),
                        offered: serde_json::to_string(&st.offered).unwrap(),
                        answer: serde_json::to_string(&t.answer).unwrap(),
                        said: t.said.clone(),
                        assessment: serde_json::to_string(&t.assessment).unwrap(),
                        score: t.assessment.score,
                        verdict: format!("{:?}", t.assessment.verdict),
                        rating: rating.name(),
                    })
                })
                .collect();
            templates.push((e.value.id.clone(), p.id.clone(), rows));
        }
    }

    // 1. Bulk insert of 1,000,000 turns.
    let store = Store::open(&dir.join("big")).unwrap();
    let start_ms: i64 = 1_780_000_000_000;
    let t0 = Instant::now();
    let mut total_turns = 0usize;
    {
        let c = store.connection();
        c.execute_batch("BEGIN").unwrap();
        let mut add_drill = c
            .prepare("INSERT INTO drills(trainee_id, scenario, playbook, seed, mode, started_ms, finished_ms, outcome, score, compliance, passed) VALUES (?1, ?2, ?3, ?4, 'practice', ?5, ?6, 'Deal', ?7, 'Pass', ?8)")
            .unwrap();
        let mut add_turn = c
            .prepare("INSERT INTO turns(drill_id, idx, node, stage, objection, line, offered, answer, said, assessment, score, verdict, response_ms, answered_ms, rating, category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
            .unwrap();
        for tr in 0..TRAINEES {
            c.execute(
                "INSERT INTO trainees(name, created_ms, team) VALUES (?1, ?2, ?3)",
                params![
                    format!("学员{tr:03}"),
                    start_ms,
                    format!("{}组", tr % 8 + 1)
                ],
            )
            .unwrap();
            let trainee_id = c.last_insert_rowid();
            let mut done = 0;
            let mut k = tr;
            while done < TURNS_PER_TRAINEE {
                let (scenario, playbook, rows) = &templates[k % templates.len()];
                k += 7;
                let at = start_ms
                    + (done as i64 * 90 * DAY) / TURNS_PER_TRAINEE as i64
                    + tr as i64 * 1000;
                let score = rows.iter().map(|r| r.score).sum::<u32>() / rows.len().max(1) as u32;
                add_drill
                    .execute(params![
                        trainee_id,
                        scenario,
                        playbook,
                        k as i64,
                        at,
                        at + 120_000,
                        score,
                        score >= 78
                    ])
                    .unwrap();
                let drill_id = c.last_insert_rowid();
                for (i, r) in rows.iter().enumerate().take(TURNS_PER_TRAINEE - done) {
                    add_turn
                        .execute(params![
                            drill_id,
                            i as i64,
                            r.node,
                            r.stage,
                            r.objection,
                            r.line,
                            r.offered,
                            r.answer,
                            r.said,
                            r.assessment,
                            r.score,
                            r.verdict,
                            5000i64,
                            at + i as i64 * 10_000,
                            r.rating,
                            r.category
                        ])
                        .unwrap();
                    done += 1;
                }
            }
            total_turns += done;
        }
        c.execute_batch("COMMIT").unwrap();
    }
    let bulk = t0.elapsed();
    let bulk_rate = total_turns as f64 / bulk.as_secs_f64();
    let db_bytes = std::fs::metadata(store.path())
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(store.path().with_extension("sqlite3-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "dataset: {TRAINEES} trainees × {TURNS_PER_TRAINEE} turns = {total_turns} turns, {:.0} MiB",
        db_bytes as f64 / 1048576.0
    );

    // The same rows, one autocommit INSERT each, into a fresh store.
    let plain = Store::open(&dir.join("plain")).unwrap();
    let t1 = Instant::now();
    {
        let c = plain.connection();
        c.execute("INSERT INTO trainees(name, created_ms) VALUES ('x', 0)", [])
            .unwrap();
        c.execute("INSERT INTO drills(trainee_id, scenario, playbook, seed, mode, started_ms) VALUES (1, 's', 'p', 1, 'practice', 0)", []).unwrap();
        let rows: Vec<&Row> = templates
            .iter()
            .flat_map(|t| t.2.iter())
            .cycle()
            .take(PLAIN_ROWS)
            .collect();
        for (i, r) in rows.iter().enumerate() {
            c.execute(
                "INSERT INTO turns(drill_id, idx, node, stage, objection, line, offered, answer, said, assessment, score, verdict, response_ms, answered_ms, rating, category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![1, i as i64, r.node, r.stage, r.objection, r.line, r.offered, r.answer, r.said, r.assessment, r.score, r.verdict, 5000i64, i as i64, r.rating, r.category],
            )
            .unwrap();
        }
    }
    let plain_rate = PLAIN_ROWS as f64 / t1.elapsed().as_secs_f64();
    println!(
        "bulk insert: {:>10.0} turns/s ({:.1} s for {total_turns})   plain INSERT loop: {:>8.0} turns/s ({PLAIN_ROWS} rows)   speed-up {:.0}×",
        bulk_rate,
        bulk.as_secs_f64(),
        plain_rate,
        bulk_rate / plain_rate
    );

    // Mastery states for everyone, from the turns.
    let t2 = Instant::now();
    let n = store.rebuild_mastery().unwrap();
    println!(
        "mastery rebuilt from {n} turns in {:.2} s",
        t2.elapsed().as_secs_f64()
    );

    // 2. Commit latency of one answered turn, on the full database.
    let trainee = store.trainee("学员000").unwrap();
    let mut lat: Vec<Duration> = Vec::with_capacity(COMMITS);
    let mut seed = 1000;
    while lat.len() < COMMITS {
        let (s, p) = lib
            .drillable(&lib.scenarios[seed as usize % lib.scenarios.len()].value.id)
            .unwrap();
        let mut d = Drill::new(s, p, seed);
        seed += 1;
        let id = store.start_drill(&trainee, &d, "practice").unwrap();
        while let Some(prompt) = d.prompt() {
            let n = prompt.options.len() as u64;
            d.answer(Answer::Choice(rng.below(n) as usize), Some(4000))
                .unwrap();
            let i = d.steps().iter().rposition(|s| s.turn.is_some()).unwrap();
            let t = Instant::now();
            store.record_turn(id, &d, i).unwrap();
            lat.push(t.elapsed());
            if lat.len() == COMMITS {
                break;
            }
        }
    }
    lat.sort();
    let pct = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
    println!(
        "commit one turn (+ its mastery reviews): p50 {:.3} ms   p99 {:.3} ms   max {:.3} ms over {COMMITS} commits",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );

    // 3. The full manager report, best of 3 after a warm-up.
    let out = dir.join("report");
    std::fs::create_dir_all(&out).unwrap();
    let now = start_ms + 91 * DAY;
    let mut best = (
        Duration::MAX,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    for _ in 0..4 {
        let a = Instant::now();
        let report = calldrill::report::build(&store, &lib, None, 0, now, &mut |_, _| {}).unwrap();
        let b = Instant::now();
        calldrill::report::write_csv(&report, &out, Lang::Zh).unwrap();
        let c = Instant::now();
        calldrill::report::charts::write_all(&report, &out, Lang::Zh).unwrap();
        let d = Instant::now();
        assert_eq!(report.trainees.len(), TRAINEES);
        if d - a < best.0 {
            best = (d - a, b - a, c - b, d - c);
        }
    }
    let target = Duration::from_secs(1);
    println!(
        "full report: {:.0} ms (read {:.0} ms + CSV {:.0} ms + charts {:.0} ms) over {total_turns} turns   target < 1000 ms {}",
        best.0.as_secs_f64() * 1e3,
        best.1.as_secs_f64() * 1e3,
        best.2.as_secs_f64() * 1e3,
        best.3.as_secs_f64() * 1e3,
        if best.0 < target { "OK" } else { "MISSED" }
    );
    // Keep the report to look at; the databases go.
    let _ = std::fs::remove_dir_all(dir.join("big"));
    let _ = std::fs::remove_dir_all(dir.join("plain"));
    println!("report files: {}", out.display());
}
