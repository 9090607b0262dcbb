//! The competition report (`calldrill report competition`): one calendar
//! month of morning competitions from the records store, as CSV for Excel
//! (UTF-8 with a BOM) and PNG charts with Chinese labels.
//!
//! - `results.csv`: every result with its points, part by part, and the reason;
//! - `sessions.csv`: each competition's scoreboard;
//! - `awards.csv`: each competition's awards, then the month's (月度冠军 included);
//! - `team_points.png`: each team's points per session;
//! - `trainee_points.png`: each trainee's points added up over the month.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::charts::{LineChart, Series, lines, register_font};
use super::write_atomic;
use crate::competition::awards::{self, Award};
use crate::competition::{Competition, ScoredResult};
use crate::i18n::Lang;
use crate::records::{Store, StoreError, now_ms};
use crate::training;

/// Newcomers for 最佳新人奖: not certified, or joined within this many days.
pub const NEWCOMER_DAYS: u32 = 30;

/// `calldrill report competition`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CompetitionReportArgs {
    /// The calendar month, YYYY-MM (default: this month).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    #[command(flatten)]
    pub output: super::OutputArgs,
}

/// One stored result with the competition it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultLine {
    pub competition_id: i64,
    pub result: ScoredResult,
}

/// One competition of the month.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    pub competition: Competition,
}

/// Everything the competition report holds.
#[derive(Debug, Clone)]
pub struct CompetitionReport {
    pub year: i64,
    pub month: u32,
    /// The month's first millisecond and the next month's (UTC).
    pub window: (i64, i64),
    /// Results that finished in the month, by time.
    pub results: Vec<ResultLine>,
    pub sessions: Vec<Session>,
    /// Competitions whose saved state cannot be read: (id, why).
    pub unreadable: Vec<(i64, String)>,
    /// Per session: its awards.
    pub session_awards: Vec<(i64, Vec<Award>)>,
    pub monthly_awards: Vec<Award>,
    /// Problems in the results chain (`calldrill verify` names them).
    pub chain_problems: usize,
}

/// Parses `YYYY-MM`.
pub fn parse_month(s: &str) -> Option<(i64, u32)> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    let y: i64 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    ((1970..=9999).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// The local UTC offset in minutes (China: +480).
pub fn local_offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

fn unreadable_row(id: i64, competition: i64) -> StoreError {
    StoreError {
        message: format!("stored result row {id} (competition {competition}) cannot be read"),
        help: "run `calldrill verify` to see which stored results were altered, and restore the records from a backup".into(),
    }
}

/// Gathers one month of competitions from the store.
pub fn build(
    store: &Store,
    year: i64,
    month: u32,
    utc_offset_minutes: i32,
    newcomer_days: u32,
) -> Result<CompetitionReport, StoreError> {
    let window = awards::month_window(year, month, utc_offset_minutes).map_err(|e| StoreError {
        message: e,
        help: "give the month as YYYY-MM, e.g. --month 2026-03".into(),
    })?;
    let (start, end) = window;
    let mut results = Vec::new();
    for row in store.result_rows()? {
        let Some(r) = row.result else {
            return Err(unreadable_row(row.id, row.competition_id));
        };
        if (start..end).contains(&r.result.finished_at_ms) {
            results.push(ResultLine {
                competition_id: row.competition_id,
                result: r,
            });
        }
    }
    results.sort_by_key(|l| l.result.result.finished_at_ms);
    let with_results: std::collections::BTreeSet<i64> =
        results.iter().map(|l| l.competition_id).collect();
    let mut sessions = Vec::new();
    let mut unreadable = Vec::new();
    for rec in store.competitions(i64::MIN, i64::MAX)? {
        let in_month = (start..end).contains(&rec.started_ms) || with_results.contains(&rec.id);
        if !in_month {
            continue;
        }
        match rec.competition {
            Ok(c) => sessions.push(Session {
                id: rec.id,
                started_ms: rec.started_ms,
                finished_ms: rec.finished_ms,
                competition: c,
            }),
            Err(e) => unreadable.push((rec.id, e)),
        }
    }
    let facts = store.trainee_facts()?;
    let session_awards = sessions
        .iter()
        .map(|s| {
            let at = s.finished_ms.unwrap_or_else(now_ms);
            (
                s.id,
                awards::session_awards(&s.competition, &facts, newcomer_days, at),
            )
        })
        .collect();
    let scored: Vec<ScoredResult> = results.iter().map(|l| l.result.clone()).collect();
    let monthly_awards = awards::monthly_awards(
        &scored,
        &facts,
        newcomer_days,
        year,
        month,
        utc_offset_minutes,
    )
    .map_err(|e| StoreError {
        message: e,
        help: "give the month as YYYY-MM, e.g. --month 2026-03".into(),
    })?;
    Ok(CompetitionReport {
        year,
        month,
        window,
        results,
        sessions,
        unreadable,
        session_awards,
        monthly_awards,
        chain_problems: store.verify_results()?.len(),
    })
}

/// Writes one CSV file, UTF-8 with a BOM (Excel then reads Chinese right).
pub(crate) fn write_bom_csv(
    path: &Path,
    header: &[&str],
    rows: &[Vec<String>],
) -> Result<(), StoreError> {
    let io_err = |e: &dyn std::fmt::Display| StoreError {
        message: format!("cannot write {}: {e}", path.display()),
        help: "check the folder exists, that you may write there, and that the disk is not full"
            .into(),
    };
    let mut bytes: Vec<u8> = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut bytes);
        w.write_record(header).map_err(|e| io_err(&e))?;
        for r in rows {
            w.write_record(r).map_err(|e| io_err(&e))?;
        }
        w.flush().map_err(|e| io_err(&e))?;
    }
    write_atomic(path, &bytes).map_err(|e| io_err(&e))
}

fn secs(ms: u64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

/// The session's label: `#id MM-DD`.
fn session_label(s: &Session) -> String {
    let d = training::date(s.started_ms);
    format!("#{} {}", s.id, d.get(5..).unwrap_or(&d))
}

/// Writes results.csv, sessions.csv and awards.csv into `dir`.
pub fn write_csv(
    report: &CompetitionReport,
    dir: &Path,
    lang: Lang,
) -> Result<Vec<PathBuf>, StoreError> {
    let zh = lang == Lang::Zh;
    let h = |z: &'static str, e: &'static str| if zh { z } else { e };
    let yes_no = |b: bool| if b { h("是", "yes") } else { h("否", "no") }.to_string();
    let mut files = Vec::new();

    let path = dir.join("results.csv");
    let rows: Vec<Vec<String>> = report
        .results
        .iter()
        .map(|l| {
            let r = &l.result.result;
            let p = &l.result.points;
            vec![
                l.competition_id.to_string(),
                training::date_time(r.finished_at_ms),
                r.round.to_string(),
                r.team.clone(),
                r.trainee.clone(),
                r.scenario.clone(),
                if zh {
                    r.outcome.name_zh()
                } else {
                    r.outcome.name()
                }
                .to_string(),
                r.score.to_string(),
                yes_no(r.fatal),
                r.breaches.to_string(),
                secs(r.total_response_ms),
                p.outcome.to_string(),
                p.adherence.to_string(),
                p.speed.to_string(),
                p.streak.to_string(),
                p.fatal.to_string(),
                p.total.to_string(),
                if zh { &p.why_zh } else { &p.why_en }.clone(),
            ]
        })
        .collect();
    write_bom_csv(
        &path,
        &[
            h("比赛编号", "competition"),
            h("时间", "time"),
            h("轮次", "round"),
            h("小组", "team"),
            h("学员", "trainee"),
            h("场景", "scenario"),
            h("结局", "outcome"),
            h("话术得分", "script score"),
            h("致命违规", "fatal breach"),
            h("违规次数", "breaches"),
            h("用时（秒）", "time (s)"),
            h("结果分", "outcome points"),
            h("话术分", "script points"),
            h("速度加分", "speed bonus"),
            h("连胜加分", "streak bonus"),
            h("违规扣分", "fatal breach points"),
            h("积分", "points"),
            h("计分说明", "how the points were made"),
        ],
        &rows,
    )?;
    files.push(path);

    let path = dir.join("sessions.csv");
    let mut rows = Vec::new();
    for s in &report.sessions {
        let state = match s.finished_ms {
            Some(_) => h("已结束", "finished"),
            None if s.competition.is_finished() => h("已赛完（未关闭）", "played (not closed)"),
            None => h("进行中", "in progress"),
        };
        for row in s.competition.scoreboard() {
            rows.push(vec![
                s.id.to_string(),
                training::date_time(s.started_ms),
                state.to_string(),
                row.rank.to_string(),
                row.team.clone(),
                row.points.to_string(),
                row.rounds.to_string(),
                format!("{:.1}", row.average_score),
                row.breaches.to_string(),
                secs(row.total_response_ms),
                if zh { row.note_zh } else { row.note_en }.unwrap_or_default(),
            ]);
        }
    }
    write_bom_csv(
        &path,
        &[
            h("比赛编号", "competition"),
            h("开始时间", "started"),
            h("状态", "state"),
            h("名次", "rank"),
            h("小组", "team"),
            h("积分", "points"),
            h("轮次", "rounds"),
            h("平均话术得分", "avg script score"),
            h("违规次数", "breaches"),
            h("总用时（秒）", "total time (s)"),
            h("备注", "note"),
        ],
        &rows,
    )?;
    files.push(path);

    let path = dir.join("awards.csv");
    let award_row = |scope: String, a: &Award| -> Vec<String> {
        vec![
            scope,
            if zh { &a.title_zh } else { &a.title_en }.clone(),
            a.winner.clone(),
            a.team.clone().unwrap_or_default(),
            if zh { &a.reason_zh } else { &a.reason_en }.clone(),
        ]
    };
    let mut rows = Vec::new();
    for (id, list) in &report.session_awards {
        let Some(s) = report.sessions.iter().find(|s| s.id == *id) else {
            continue;
        };
        let scope = if zh {
            format!("第 {} 场（{}）", s.id, training::date(s.started_ms))
        } else {
            format!("competition {} ({})", s.id, training::date(s.started_ms))
        };
        for a in list {
            rows.push(award_row(scope.clone(), a));
        }
    }
    let month_scope = if zh {
        format!("{} 年 {} 月", report.year, report.month)
    } else {
        format!("month {}-{:02}", report.year, report.month)
    };
    for a in &report.monthly_awards {
        rows.push(award_row(month_scope.clone(), a));
    }
    write_bom_csv(
        &path,
        &[
            h("范围", "scope"),
            h("奖项", "award"),
            h("获奖者", "winner"),
            h("小组", "team"),
            h("理由", "reason"),
        ],
        &rows,
    )?;
    files.push(path);
    Ok(files)
}

/// Draws team_points.png and trainee_points.png into `dir` (each only when
/// there is something to draw).
pub fn write_charts(
    report: &CompetitionReport,
    dir: &Path,
    lang: Lang,
) -> Result<Vec<PathBuf>, StoreError> {
    register_font()?;
    let zh = lang == Lang::Zh;
    let mut files = Vec::new();
    if !report.sessions.is_empty() {
        let labels: Vec<String> = report.sessions.iter().map(session_label).collect();
        // Team → points per session (teams in first-seen order).
        let mut teams: Vec<Series> = Vec::new();
        for (x, s) in report.sessions.iter().enumerate() {
            for row in s.competition.scoreboard() {
                let i = match teams.iter().position(|(t, _, _)| *t == row.team) {
                    Some(i) => i,
                    None => {
                        teams.push((row.team.clone(), Vec::new(), Vec::new()));
                        teams.len() - 1
                    }
                };
                let p = (x as f64, row.points as f64);
                teams[i].1.push(p);
                teams[i].2.push(p);
            }
        }
        let path = dir.join("team_points.png");
        lines(
            &path,
            &LineChart {
                title: if zh {
                    "各小组每场积分"
                } else {
                    "Team points per session"
                },
                labels: &labels,
                x_desc: if zh { "场次" } else { "session" },
                y_desc: if zh { "积分" } else { "points" },
                y_range: None,
                legend: SeriesLabelPosition::UpperLeft,
            },
            &teams,
        )?;
        files.push(path);
    }
    if !report.results.is_empty() {
        let (start, end) = report.window;
        let days = ((end - start) / 86_400_000).max(1) as usize;
        let labels: Vec<String> = (1..=days).map(|d| d.to_string()).collect();
        let mut per: BTreeMap<&str, BTreeMap<usize, i64>> = BTreeMap::new();
        for l in &report.results {
            let r = &l.result;
            let day = ((r.result.finished_at_ms - start) / 86_400_000).clamp(0, days as i64 - 1);
            *per.entry(r.result.trainee.as_str())
                .or_default()
                .entry(day as usize)
                .or_default() += r.points.total;
        }
        // Lines run to the month's last day with a result; dots mark the days played.
        let last_day = per
            .values()
            .filter_map(|by_day| by_day.keys().next_back().copied())
            .max()
            .unwrap_or(0);
        let series: Vec<Series> = per
            .into_iter()
            .map(|(name, by_day)| {
                let mut total = 0i64;
                let (mut line, mut dots) = (Vec::new(), Vec::new());
                let first = by_day.keys().next().copied().unwrap_or(0);
                for d in first..=last_day {
                    if let Some(p) = by_day.get(&d) {
                        total += p;
                        dots.push((d as f64, total as f64));
                    }
                    line.push((d as f64, total as f64));
                }
                (name.to_string(), line, dots)
            })
            .collect();
        let path = dir.join("trainee_points.png");
        let title = if zh {
            format!("{} 年 {} 月 个人累计积分", report.year, report.month)
        } else {
            format!(
                "Trainee points over {}-{:02} (running total)",
                report.year, report.month
            )
        };
        lines(
            &path,
            &LineChart {
                title: &title,
                labels: &labels,
                x_desc: if zh { "日" } else { "day of the month" },
                y_desc: if zh { "累计积分" } else { "points so far" },
                y_range: None,
                legend: SeriesLabelPosition::UpperLeft,
            },
            &series,
        )?;
        files.push(path);
    }
    Ok(files)
}

/// `calldrill report competition`: builds the month's report, writes the
/// files and returns a short summary for the terminal.
pub fn run(store: &Store, args: &CompetitionReportArgs) -> Result<String, StoreError> {
    let lang = args.output.lang()?;
    let offset = local_offset_minutes();
    let (year, month) = match args.month.as_deref() {
        Some(m) => parse_month(m).ok_or_else(|| StoreError {
            message: format!("--month `{m}` is not a month"),
            help: "write it as YYYY-MM, e.g. --month 2026-03".into(),
        })?,
        None => awards::month_of(now_ms(), offset),
    };
    let report = build(store, year, month, offset, NEWCOMER_DAYS)?;
    if report.chain_problems > 0 {
        // Awards from altered points would be worse than no report.
        return Err(StoreError {
            message: format!(
                "{} stored competition result(s) fail the hash chain check: they were edited or deleted outside calldrill, so no awards are given from them",
                report.chain_problems
            ),
            help: "run `calldrill verify` to see which results (competition, round, team, trainee); restore a backup made with `calldrill backup`".into(),
        });
    }
    if report.results.is_empty() && report.sessions.is_empty() {
        return Err(StoreError {
            message: format!("no competitions recorded in {year}-{month:02}"),
            help: "the morning competition is played in the game (竞赛); choose another month with --month YYYY-MM".into(),
        });
    }
    let dir = args
        .output
        .dir(|| format!("calldrill-competition-{year}-{month:02}"))?;
    let mut files = write_csv(&report, &dir, lang)?;
    if !args.output.no_charts {
        files.extend(write_charts(&report, &dir, lang)?);
    }
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    for (id, why) in &report.unreadable {
        let _ = writeln!(
            s,
            "{}",
            if zh {
                format!("警告：第 {id} 场比赛的保存状态无法读取，已略过：{why}")
            } else {
                format!(
                    "warning: competition {id} was left out, its saved state cannot be read: {why}"
                )
            }
        );
    }
    let _ = writeln!(
        s,
        "{year}-{month:02} · {} {} · {} {}",
        if zh { "比赛" } else { "competitions" },
        report.sessions.len(),
        if zh { "成绩" } else { "results" },
        report.results.len()
    );
    for a in &report.monthly_awards {
        let _ = writeln!(
            s,
            "  {} {}",
            if zh { &a.title_zh } else { &a.title_en },
            a.winner
        );
    }
    for f in &files {
        let _ = writeln!(s, "{}", f.display());
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(parse_month("2026-03"), Some((2026, 3)));
        assert_eq!(parse_month(" 2026-3 "), Some((2026, 3)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-00"), None);
        assert_eq!(parse_month("26-03"), None);
        assert_eq!(parse_month("2026/03"), None);
        assert_eq!(parse_month("March"), None);
        assert_eq!(parse_month(""), None);
    }
}
