//! Manager reports (`calldrill report`): who is lagging, which objections are
//! hardest, and progress over time, from the records store. Output is CSV
//! that Excel opens with Chinese intact (UTF-8 with a BOM) and PNG charts
//! with Chinese labels ([`charts`]). The turns are read in one pass over a
//! covering index, with a progress bar on a terminal.

pub mod charts;
pub mod competition;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::Library;
use crate::i18n::Lang;
use crate::mastery::{ItemKind, MasteryState, Rating};
use crate::records::{Store, StoreError, now_ms};
use crate::training;

/// Items due for longer than this make a trainee overdue.
pub const OVERDUE_AFTER_MS: i64 = 2 * 86_400_000;
/// How many objections the "hardest" table and chart keep.
pub const HARDEST: usize = 10;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReportArgs {
    /// Only this team (set with `calldrill trainee NAME --team TEAM`).
    #[arg(long)]
    pub team: Option<String>,
    /// Only drills and turns from this date on (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
}

/// Where a report goes and in which language: shared by every report.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// The folder for the CSV files and charts (default: a new dated folder
    /// here, calldrill-report-DATE or calldrill-competition-YYYY-MM).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Headers and chart labels: zh or en (default: zh).
    #[arg(long)]
    pub lang: Option<String>,
    /// Write the CSV files only.
    #[arg(long)]
    pub no_charts: bool,
}

impl OutputArgs {
    /// These options, with any left unset taken from `outer` (the options
    /// given before a report's subcommand: `report --out DIR competition`).
    pub fn or(&self, outer: &OutputArgs) -> OutputArgs {
        OutputArgs {
            out: self.out.clone().or_else(|| outer.out.clone()),
            lang: self.lang.clone().or_else(|| outer.lang.clone()),
            no_charts: self.no_charts || outer.no_charts,
        }
    }

    /// The language asked for (zh by default).
    pub fn lang(&self) -> Result<Lang, StoreError> {
        match self.lang.as_deref() {
            None => Ok(Lang::Zh),
            Some(l) => Lang::parse(l).ok_or_else(|| StoreError {
                message: format!("unknown language `{l}`"),
                help: "use --lang zh or --lang en".into(),
            }),
        }
    }

    /// The output folder (`default` unless --out was given), created.
    pub fn dir(&self, default: impl FnOnce() -> String) -> Result<PathBuf, StoreError> {
        let dir = self.out.clone().unwrap_or_else(|| PathBuf::from(default()));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError {
            message: format!("cannot create {}: {e}", dir.display()),
            help: "choose another folder with --out".into(),
        })?;
        Ok(dir)
    }
}

/// Other reports (`calldrill report` alone writes the training report).
#[derive(clap::Subcommand, Debug, Clone)]
pub enum ReportCommand {
    /// The morning competition for one month: every result with its points,
    /// each session's scoreboard, the awards (月度冠军 included) and charts.
    Competition(competition::CompetitionReportArgs),
}

/// One trainee's row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraineeRow {
    pub id: i64,
    pub name: String,
    pub team: String,
    pub drills: u32,
    pub finished: u32,
    pub passed: u32,
    pub avg_score: Option<f64>,
    pub best_score: Option<u32>,
    pub turns: u64,
    /// Average turn score (script adherence), 0-100.
    pub adherence: Option<f64>,
    pub breaches: u64,
    /// Average level of the practised categories.
    pub mastery: Option<f64>,
    pub due: u32,
    pub overdue: u32,
    pub certified_ms: Option<i64>,
    pub last_active_ms: Option<i64>,
    pub lagging: Vec<Lag>,
}

/// Why a trainee is listed as lagging.
#[derive(Debug, Clone, PartialEq)]
pub enum Lag {
    /// Adherence below the team's median.
    BelowMedian { adherence: f64, median: f64 },
    /// Reviews overdue by more than two days.
    Overdue(u32),
}

/// One objection category's row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectionRow {
    pub playbook: String,
    pub category: String,
    pub title: String,
    pub turns: u64,
    pub adherence: f64,
    pub breaches: u64,
    pub trainees: usize,
    pub mastery: Option<f64>,
}

/// One period of the progress table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodRow {
    /// The first day of the period, YYYY-MM-DD.
    pub period: String,
    pub turns: u64,
    pub adherence: f64,
    pub drills: u32,
    pub passed: u32,
    pub trainees: usize,
}

/// Everything a report holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub trainees: Vec<TraineeRow>,
    pub objections: Vec<ObjectionRow>,
    /// Per period, overall.
    pub progress: Vec<PeriodRow>,
    /// Per team and period: (team, period, adherence).
    pub team_progress: Vec<(String, String, f64)>,
    /// "day" or "week".
    pub period: &'static str,
    pub generated_ms: i64,
}

impl Report {
    pub fn lagging(&self) -> impl Iterator<Item = &TraineeRow> {
        self.trainees.iter().filter(|t| !t.lagging.is_empty())
    }

    /// The objections with the lowest average adherence, hardest first.
    pub fn hardest(&self) -> Vec<&ObjectionRow> {
        let mut v: Vec<&ObjectionRow> = self.objections.iter().filter(|o| o.turns > 0).collect();
        v.sort_by(|a, b| {
            a.adherence
                .total_cmp(&b.adherence)
                .then(a.category.cmp(&b.category))
        });
        v.truncate(HARDEST);
        v
    }
}

fn err(store: &Store, e: rusqlite::Error) -> StoreError {
    StoreError {
        message: format!("cannot read the records in {}: {e}", store.path().display()),
        help:
            "check the database with `calldrill backup` (it verifies a copy), or restore a backup"
                .into(),
    }
}

/// Reads the records into a report. `progress` is called with (done, total)
/// turns as they are read.
pub fn build(
    store: &Store,
    library: &Library,
    team: Option<&str>,
    since_ms: i64,
    now: i64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Report, StoreError> {
    let c = store.connection();
    // Trainees (in the team, if one is asked for).
    let mut trainees: Vec<TraineeRow> = Vec::new();
    {
        let mut st = c
            .prepare("SELECT id, name, coalesce(team, '') FROM trainees ORDER BY name")
            .map_err(|e| err(store, e))?;
        let mut rows = st.query([]).map_err(|e| err(store, e))?;
        while let Some(r) = rows.next().map_err(|e| err(store, e))? {
            let row = TraineeRow {
                id: r.get(0).map_err(|e| err(store, e))?,
                name: r.get(1).map_err(|e| err(store, e))?,
                team: r.get(2).map_err(|e| err(store, e))?,
                ..Default::default()
            };
            if team.is_none_or(|t| t == row.team) {
                trainees.push(row);
            }
        }
    }
    let index: HashMap<i64, usize> = trainees
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i))
        .collect();
    let weekly = {
        let first: Option<i64> = c
            .query_row(
                "SELECT min(started_ms) FROM drills WHERE started_ms >= ?1",
                [since_ms],
                |r| r.get(0),
            )
            .map_err(|e| err(store, e))?;
        first.is_some_and(|f| now - f > 60 * 86_400_000)
    };
    let period_of = |ms: i64| -> i64 {
        let day = ms.div_euclid(86_400_000);
        if weekly {
            // 1970-01-01 was a Thursday; weeks start on Monday.
            day - (day + 3).rem_euclid(7)
        } else {
            day
        }
    };

    // Drills: per trainee, and the drill → (trainee, playbook) map for the
    // turns. Drill ids are dense row ids, so the map is a vector.
    const NO_OWNER: (u32, u32) = (u32::MAX, u32::MAX);
    let mut drill_owner: Vec<(u32, u32)> = Vec::new();
    let mut playbooks: Vec<String> = Vec::new();
    let mut scores: Vec<Vec<u32>> = vec![Vec::new(); trainees.len()];
    let mut periods: BTreeMap<i64, PeriodRow> = BTreeMap::new();
    {
        let mut st = c
            .prepare(
                "SELECT id, trainee_id, playbook, started_ms, finished_ms, score, passed FROM drills WHERE started_ms >= ?1",
            )
            .map_err(|e| err(store, e))?;
        let mut rows = st.query([since_ms]).map_err(|e| err(store, e))?;
        while let Some(r) = rows.next().map_err(|e| err(store, e))? {
            let trainee: i64 = r.get(1).map_err(|e| err(store, e))?;
            let Some(&ti) = index.get(&trainee) else {
                continue;
            };
            let id: i64 = r.get(0).map_err(|e| err(store, e))?;
            let pb = r
                .get_ref(2)
                .map_err(|e| err(store, e))?
                .as_str()
                .unwrap_or("");
            let pbi = match playbooks.iter().position(|p| p == pb) {
                Some(i) => i,
                None => {
                    playbooks.push(pb.to_string());
                    playbooks.len() - 1
                }
            } as u32;
            if id >= 0 && (id as usize) < 1 << 31 {
                let id = id as usize;
                if drill_owner.len() <= id {
                    drill_owner.resize(id + 1, NO_OWNER);
                }
                drill_owner[id] = (ti as u32, pbi);
            }
            let started: i64 = r.get(3).map_err(|e| err(store, e))?;
            let finished: Option<i64> = r.get(4).map_err(|e| err(store, e))?;
            let score: Option<u32> = r.get(5).map_err(|e| err(store, e))?;
            let passed: Option<bool> = r.get(6).map_err(|e| err(store, e))?;
            let t = &mut trainees[ti];
            t.drills += 1;
            t.last_active_ms = Some(t.last_active_ms.map_or(started, |l| l.max(started)));
            let p = periods.entry(period_of(started)).or_default();
            p.drills += 1;
            if finished.is_some()
                && let Some(s) = score
            {
                t.finished += 1;
                scores[ti].push(s);
                if passed == Some(true) {
                    t.passed += 1;
                    p.passed += 1;
                }
            }
        }
    }
    for (t, s) in trainees.iter_mut().zip(&scores) {
        if !s.is_empty() {
            t.avg_score = Some(s.iter().map(|&x| x as f64).sum::<f64>() / s.len() as f64);
            t.best_score = s.iter().copied().max();
        }
    }
    let mut team_names: Vec<String> = trainees.iter().map(|t| t.team.clone()).collect();
    team_names.sort();
    team_names.dedup();
    let team_of: Vec<usize> = trainees
        .iter()
        .map(|t| team_names.binary_search(&t.team).unwrap_or(0))
        .collect();

    // One pass over the turns, on the covering index, in time order. The
    // progress bar's length is the highest turn row id (turns are append-only).
    let total: u64 = c
        .query_row("SELECT coalesce(max(rowid), 0) FROM turns", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| err(store, e))?
        .max(0) as u64;
    progress(0, total);
    let n_trainees = trainees.len();
    let mut t_sum: Vec<(u64, u64, u64)> = vec![(0, 0, 0); n_trainees];
    // Objections, interned per playbook: (playbook, id) → index into o_sum.
    let mut o_index: Vec<HashMap<String, usize>> = vec![HashMap::new(); playbooks.len()];
    let mut o_keys: Vec<(u32, String)> = Vec::new();
    let mut o_sum: Vec<(u64, u64, u64, u32)> = Vec::new();
    let mut o_seen: Vec<bool> = Vec::new();
    // Periods come in order: distinct trainees are counted with a marker.
    let mut p_sum: BTreeMap<i64, (u64, u64, usize)> = BTreeMap::new();
    let mut p_seen: Vec<i64> = vec![i64::MIN; n_trainees];
    let mut team_sum: BTreeMap<(usize, i64), (u64, u64)> = BTreeMap::new();
    {
        let mut st = c
            .prepare(
                "SELECT drill_id, category, score, verdict, answered_ms FROM turns INDEXED BY turns_report WHERE answered_ms >= ?1",
            )
            .map_err(|e| err(store, e))?;
        let mut rows = st.query([since_ms]).map_err(|e| err(store, e))?;
        let mut done = 0u64;
        let mut cur_period = i64::MIN;
        let mut cur: (u64, u64, usize) = (0, 0, 0);
        while let Some(r) = rows.next().map_err(|e| err(store, e))? {
            done += 1;
            if done.is_multiple_of(65_536) {
                progress(done.min(total), total);
            }
            let drill: i64 = r.get(0).map_err(|e| err(store, e))?;
            let Some(&(ti, pbi)) = usize::try_from(drill).ok().and_then(|d| drill_owner.get(d))
            else {
                continue;
            };
            if ti == u32::MAX {
                continue;
            }
            let ti = ti as usize;
            let score: i64 = r.get(2).map_err(|e| err(store, e))?;
            let score = score.max(0) as u64;
            let breach = matches!(
                r.get_ref(3).map_err(|e| err(store, e))?.as_str(),
                Ok("Breach")
            );
            let at: i64 = r.get(4).map_err(|e| err(store, e))?;
            let ts = &mut t_sum[ti];
            ts.0 += score;
            ts.1 += 1;
            ts.2 += u64::from(breach);
            let period = period_of(at);
            if period != cur_period {
                if cur_period != i64::MIN {
                    let e = p_sum.entry(cur_period).or_default();
                    e.0 += cur.0;
                    e.1 += cur.1;
                    e.2 += cur.2;
                }
                cur_period = period;
                cur = (0, 0, 0);
            }
            cur.0 += score;
            cur.1 += 1;
            if p_seen[ti] != period {
                p_seen[ti] = period;
                cur.2 += 1;
            }
            let tm = team_sum.entry((team_of[ti], period)).or_default();
            tm.0 += score;
            tm.1 += 1;
            if let Ok(Some(obj)) = r.get_ref(1).map_err(|e| err(store, e))?.as_str_or_null() {
                let oi = match o_index[pbi as usize].get(obj) {
                    Some(&i) => i,
                    None => {
                        let i = o_sum.len();
                        o_index[pbi as usize].insert(obj.to_string(), i);
                        o_keys.push((pbi, obj.to_string()));
                        o_sum.push((0, 0, 0, 0));
                        o_seen.resize(o_seen.len() + n_trainees, false);
                        i
                    }
                };
                let o = &mut o_sum[oi];
                o.0 += score;
                o.1 += 1;
                o.2 += u64::from(breach);
                let seen = &mut o_seen[oi * n_trainees + ti];
                if !*seen {
                    *seen = true;
                    o.3 += 1;
                }
            }
        }
        if cur_period != i64::MIN {
            let e = p_sum.entry(cur_period).or_default();
            e.0 += cur.0;
            e.1 += cur.1;
            e.2 += cur.2;
        }
        progress(total, total);
    }
    for (t, s) in trainees.iter_mut().zip(&t_sum) {
        t.turns = s.1;
        t.breaches = s.2;
        if s.1 > 0 {
            t.adherence = Some(s.0 as f64 / s.1 as f64);
        }
    }

    // Mastery and certifications.
    let mut cat_levels: HashMap<(String, String), (f64, u32)> = HashMap::new();
    {
        let mut st = c
            .prepare(
                "SELECT trainee_id, playbook, kind, item, stability, difficulty, reps, lapses, last_review_ms, due_ms FROM mastery",
            )
            .map_err(|e| err(store, e))?;
        let mut rows = st.query([]).map_err(|e| err(store, e))?;
        let mut sums: Vec<(f64, u32)> = vec![(0.0, 0); trainees.len()];
        while let Some(r) = rows.next().map_err(|e| err(store, e))? {
            let trainee: i64 = r.get(0).map_err(|e| err(store, e))?;
            let Some(&ti) = index.get(&trainee) else {
                continue;
            };
            let kind: String = r.get(2).map_err(|e| err(store, e))?;
            let state = MasteryState {
                stability: r.get::<_, f64>(4).map_err(|e| err(store, e))? as f32,
                difficulty: r.get::<_, f64>(5).map_err(|e| err(store, e))? as f32,
                reps: r.get(6).map_err(|e| err(store, e))?,
                lapses: r.get(7).map_err(|e| err(store, e))?,
                last_rating: Rating::Good,
                last_review_ms: r.get(8).map_err(|e| err(store, e))?,
                due_ms: r.get(9).map_err(|e| err(store, e))?,
            };
            let t = &mut trainees[ti];
            if state.is_due(now) {
                t.due += 1;
            }
            if state.due_ms + OVERDUE_AFTER_MS <= now {
                t.overdue += 1;
            }
            if ItemKind::parse(&kind) == Some(ItemKind::Category) {
                let level = state.level(now) as f64;
                sums[ti].0 += level;
                sums[ti].1 += 1;
                let pb: String = r.get(1).map_err(|e| err(store, e))?;
                let item: String = r.get(3).map_err(|e| err(store, e))?;
                let e = cat_levels.entry((pb, item)).or_default();
                e.0 += level;
                e.1 += 1;
            }
        }
        for (t, s) in trainees.iter_mut().zip(&sums) {
            if s.1 > 0 {
                t.mastery = Some(s.0 / s.1 as f64);
            }
        }
        let mut st = c
            .prepare("SELECT trainee_id, min(granted_ms) FROM certifications GROUP BY trainee_id")
            .map_err(|e| err(store, e))?;
        let mut rows = st.query([]).map_err(|e| err(store, e))?;
        while let Some(r) = rows.next().map_err(|e| err(store, e))? {
            let trainee: i64 = r.get(0).map_err(|e| err(store, e))?;
            if let Some(&ti) = index.get(&trainee) {
                trainees[ti].certified_ms = r.get(1).map_err(|e| err(store, e))?;
            }
        }
    }

    // Lagging: adherence below the team's median, or reviews overdue.
    let mut by_team: HashMap<&str, Vec<f64>> = HashMap::new();
    for t in &trainees {
        if let Some(a) = t.adherence {
            by_team.entry(t.team.as_str()).or_default().push(a);
        }
    }
    let medians: HashMap<String, f64> = by_team
        .into_iter()
        .map(|(team, mut v)| {
            v.sort_by(f64::total_cmp);
            let m = if v.len() % 2 == 1 {
                v[v.len() / 2]
            } else {
                (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
            };
            (team.to_string(), m)
        })
        .collect();
    for t in &mut trainees {
        if let (Some(a), Some(&m)) = (t.adherence, medians.get(&t.team))
            && a < m
        {
            t.lagging.push(Lag::BelowMedian {
                adherence: a,
                median: m,
            });
        }
        if t.overdue > 0 {
            t.lagging.push(Lag::Overdue(t.overdue));
        }
    }

    let objections = o_keys
        .into_iter()
        .zip(o_sum)
        .map(|((pbi, cat), (sum, n, breaches, who))| {
            let pb = &playbooks[pbi as usize];
            let title = library
                .playbook(pb)
                .and_then(|p| p.categories.iter().find(|c| c.id == cat))
                .map(|c| c.title.clone())
                .unwrap_or_else(|| cat.clone());
            let mastery = cat_levels
                .get(&(pb.clone(), cat.clone()))
                .map(|(s, n)| s / *n as f64);
            ObjectionRow {
                playbook: pb.clone(),
                category: cat,
                title,
                turns: n,
                adherence: sum as f64 / n.max(1) as f64,
                breaches,
                trainees: who as usize,
                mastery,
            }
        })
        .collect::<Vec<_>>();
    let mut objections = objections;
    objections.sort_by(|a, b| (&a.playbook, &a.category).cmp(&(&b.playbook, &b.category)));

    let day_str = |d: i64| training::date(d * 86_400_000 + 43_200_000);
    for (p, (sum, n, who)) in p_sum {
        let row = periods.entry(p).or_default();
        row.turns = n;
        row.adherence = sum as f64 / n.max(1) as f64;
        row.trainees = who;
    }
    let progress_rows = periods
        .into_iter()
        .map(|(p, mut row)| {
            row.period = day_str(p);
            row
        })
        .collect();
    let team_progress = team_sum
        .into_iter()
        .map(|((team, p), (sum, n))| {
            (
                team_names[team].clone(),
                day_str(p),
                sum as f64 / n.max(1) as f64,
            )
        })
        .collect();
    Ok(Report {
        trainees,
        objections,
        progress: progress_rows,
        team_progress,
        period: if weekly { "week" } else { "day" },
        generated_ms: now,
    })
}

fn f1(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// Writes the CSV tables (UTF-8 with a BOM) into `dir`; returns the files.
pub fn write_csv(report: &Report, dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, StoreError> {
    let zh = lang == Lang::Zh;
    let h = |z: &'static str, e: &'static str| if zh { z } else { e };
    let mut files = Vec::new();
    let mut write = |name: &str,
                     header: Vec<&str>,
                     rows: Vec<Vec<String>>|
     -> Result<(), StoreError> {
        let path = dir.join(name);
        let io_err = |e: &dyn std::fmt::Display| StoreError {
            message: format!("cannot write {}: {e}", path.display()),
            help:
                "check the folder exists, that you may write there, and that the disk is not full"
                    .into(),
        };
        let mut bytes: Vec<u8> = "\u{FEFF}".as_bytes().to_vec();
        {
            let mut w = csv::Writer::from_writer(&mut bytes);
            w.write_record(&header).map_err(|e| io_err(&e))?;
            for r in rows {
                w.write_record(&r).map_err(|e| io_err(&e))?;
            }
            w.flush().map_err(|e| io_err(&e))?;
        }
        write_atomic(&path, &bytes).map_err(|e| io_err(&e))?;
        files.push(path);
        Ok(())
    };
    let lag_text = |t: &TraineeRow| -> String {
        t.lagging
            .iter()
            .map(|l| match l {
                Lag::BelowMedian { adherence, median } => {
                    if zh {
                        format!("话术得分 {adherence:.1} 低于组中位数 {median:.1}")
                    } else {
                        format!("adherence {adherence:.1} below team median {median:.1}")
                    }
                }
                Lag::Overdue(n) => {
                    if zh {
                        format!("{n} 项复习逾期超过 2 天")
                    } else {
                        format!("{n} reviews overdue by over 2 days")
                    }
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let trainee_row = |t: &TraineeRow| -> Vec<String> {
        vec![
            t.name.clone(),
            t.team.clone(),
            t.drills.to_string(),
            t.finished.to_string(),
            t.passed.to_string(),
            f1(t.avg_score),
            t.best_score.map(|s| s.to_string()).unwrap_or_default(),
            t.turns.to_string(),
            f1(t.adherence),
            t.breaches.to_string(),
            f1(t.mastery),
            t.due.to_string(),
            t.overdue.to_string(),
            t.certified_ms.map(training::date).unwrap_or_default(),
            t.last_active_ms.map(training::date).unwrap_or_default(),
            lag_text(t),
        ]
    };
    let trainee_header = vec![
        h("学员", "trainee"),
        h("小组", "team"),
        h("演练次数", "drills"),
        h("完成", "finished"),
        h("及格", "passed"),
        h("平均得分", "avg score"),
        h("最高分", "best score"),
        h("答题数", "turns"),
        h("话术得分", "adherence"),
        h("违规次数", "breaches"),
        h("平均掌握度", "avg mastery"),
        h("待复习", "due"),
        h("逾期", "overdue"),
        h("上岗认证日期", "certified on"),
        h("最近练习", "last active"),
        h("落后原因", "lagging because"),
    ];
    write(
        "trainees.csv",
        trainee_header.clone(),
        report.trainees.iter().map(trainee_row).collect(),
    )?;
    write(
        "lagging.csv",
        trainee_header,
        report.lagging().map(trainee_row).collect(),
    )?;
    let obj_header = vec![
        h("话术", "playbook"),
        h("异议类别", "category id"),
        h("异议", "objection"),
        h("答题数", "turns"),
        h("平均话术得分", "avg adherence"),
        h("违规次数", "breaches"),
        h("练习人数", "trainees"),
        h("平均掌握度", "avg mastery"),
    ];
    let obj_row = |o: &ObjectionRow| -> Vec<String> {
        vec![
            o.playbook.clone(),
            o.category.clone(),
            o.title.clone(),
            o.turns.to_string(),
            format!("{:.1}", o.adherence),
            o.breaches.to_string(),
            o.trainees.to_string(),
            f1(o.mastery),
        ]
    };
    write(
        "objections.csv",
        obj_header.clone(),
        report.objections.iter().map(obj_row).collect(),
    )?;
    write(
        "hardest.csv",
        obj_header,
        report.hardest().into_iter().map(obj_row).collect(),
    )?;
    write(
        "progress.csv",
        vec![
            if report.period == "week" {
                h("周（起始日）", "week of")
            } else {
                h("日期", "day")
            },
            h("演练次数", "drills"),
            h("及格", "passed"),
            h("答题数", "turns"),
            h("平均话术得分", "avg adherence"),
            h("练习人数", "active trainees"),
        ],
        report
            .progress
            .iter()
            .map(|p| {
                vec![
                    p.period.clone(),
                    p.drills.to_string(),
                    p.passed.to_string(),
                    p.turns.to_string(),
                    format!("{:.1}", p.adherence),
                    p.trainees.to_string(),
                ]
            })
            .collect(),
    )?;
    Ok(files)
}

/// Writes through a temporary file and a rename, so a full disk leaves no
/// half-written file behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    std::fs::rename(&tmp, path)
}

/// `calldrill report`: builds the report, writes the CSV files and charts,
/// and returns a short summary for the terminal.
pub fn run(store: &Store, library: &Library, args: &ReportArgs) -> Result<String, StoreError> {
    let lang = args.output.lang()?;
    let since = match args.since.as_deref() {
        None => 0,
        Some(s) => training::parse_date(s).ok_or_else(|| StoreError {
            message: format!("--since `{s}` is not a date"),
            help: "write it as YYYY-MM-DD, e.g. --since 2026-11-01".into(),
        })?,
    };
    let now = now_ms();
    let dir = args
        .output
        .dir(|| format!("calldrill-report-{}", training::date(now)))?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(if lang == Lang::Zh {
        "读取答题记录"
    } else {
        "reading turns"
    });
    let report = build(
        store,
        library,
        args.team.as_deref(),
        since,
        now,
        &mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    )?;
    bar.finish_and_clear();
    if report.trainees.is_empty() {
        return Err(StoreError {
            message: match &args.team {
                Some(t) => format!("no trainees in team `{t}`"),
                None => "no trainees recorded yet".into(),
            },
            help: "play a drill with --trainee NAME first; put trainees in a team with `calldrill trainee NAME --team TEAM`".into(),
        });
    }
    let mut files = write_csv(&report, &dir, lang)?;
    if !args.output.no_charts {
        files.extend(charts::write_all(&report, &dir, lang)?);
    }
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} · {} {} · {} {}",
        if zh { "学员" } else { "trainees" },
        report.trainees.len(),
        if zh { "答题" } else { "turns" },
        report.trainees.iter().map(|t| t.turns).sum::<u64>(),
        if zh { "落后" } else { "lagging" },
        report.lagging().count()
    );
    for o in report.hardest().iter().take(3) {
        let _ = writeln!(
            s,
            "  {} {} ({:.1})",
            if zh { "难点" } else { "hard" },
            o.title,
            o.adherence
        );
    }
    for f in &files {
        let _ = writeln!(s, "{}", f.display());
    }
    Ok(s)
}
