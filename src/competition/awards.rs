//! Awards, given promptly at the end of a session and at the end of a month,
//! as the seed article asks: 最佳话术奖 (best script adherence), 最佳新人奖
//! (best newcomer), the top team, and 月度冠军 (monthly champion). Each award
//! has a Chinese and an English title and a reason that states the numbers,
//! and, when the runner-up was level, which tie-break decided.
//!
//! Who wins, and how ties are broken. The points awards break ties as the
//! shipped rules' scoreboard does (script score, breaches, time), so a month
//! of one session crowns the session's top team. The last step, name order
//! (姓名排序, by character code), makes every award have one winner, and the
//! reason says when it decided:
//! - 最佳话术奖: highest average drill score; then more rounds, fewer
//!   breaches, less total time. A trainee with a fatal breach in the period
//!   is not eligible: the award is for the approved script, compliance included.
//! - 最佳新人奖: among newcomers (not yet certified, or joined within
//!   `newcomer_days` of the reference time), most points; then higher
//!   average score, fewer breaches, less total time. Trainees without facts
//!   are not newcomers.
//! - Top team (最佳团队): in a session, the scoreboard's first team (the
//!   session's own tie-breaks); over a month, most points; then higher average
//!   score, fewer breaches, less total time.
//! - 月度冠军: most points over the calendar month (in a given UTC offset,
//!   China is +480 minutes); then higher average score, fewer breaches, less
//!   total time.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::session::{Competition, ScoredResult};

/// What is known about a trainee, for the newcomer award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeFacts {
    pub name: String,
    /// When the trainee joined (Unix ms).
    pub joined_ms: i64,
    /// Passed the certification exam.
    pub certified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AwardKind {
    BestScript,
    BestNewcomer,
    TopTeam,
    MonthlyChampion,
}

impl AwardKind {
    pub fn title_zh(self) -> &'static str {
        match self {
            AwardKind::BestScript => "最佳话术奖",
            AwardKind::BestNewcomer => "最佳新人奖",
            AwardKind::TopTeam => "最佳团队",
            AwardKind::MonthlyChampion => "月度冠军",
        }
    }

    pub fn title_en(self) -> &'static str {
        match self {
            AwardKind::BestScript => "Best script",
            AwardKind::BestNewcomer => "Best newcomer",
            AwardKind::TopTeam => "Top team",
            AwardKind::MonthlyChampion => "Champion of the month",
        }
    }
}

/// One award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub kind: AwardKind,
    pub title_zh: String,
    pub title_en: String,
    /// A trainee, or a team for [`AwardKind::TopTeam`].
    pub winner: String,
    /// The winner's team (for a trainee: the team of their latest result).
    pub team: Option<String>,
    pub reason_zh: String,
    pub reason_en: String,
}

/// A trainee's or a team's results over a period.
#[derive(Debug, Clone, Default)]
struct Tally {
    name: String,
    team: Option<String>,
    points: i64,
    rounds: u32,
    score_sum: u64,
    breaches: u32,
    total_ms: u64,
    fatal: u32,
}

impl Tally {
    fn average(&self) -> f64 {
        if self.rounds == 0 {
            0.0
        } else {
            self.score_sum as f64 / f64::from(self.rounds)
        }
    }
}

/// Adds results up per trainee (or per team), in first-seen order.
fn tally<'a>(results: impl Iterator<Item = &'a ScoredResult>, by_team: bool) -> Vec<Tally> {
    let mut out: Vec<Tally> = Vec::new();
    for r in results {
        let key = if by_team {
            &r.result.team
        } else {
            &r.result.trainee
        };
        let i = match out.iter().position(|t| &t.name == key) {
            Some(i) => i,
            None => {
                out.push(Tally {
                    name: key.clone(),
                    ..Tally::default()
                });
                out.len() - 1
            }
        };
        let t = &mut out[i];
        t.team = Some(r.result.team.clone());
        t.points += r.points.total;
        t.rounds += 1;
        t.score_sum += u64::from(r.result.score);
        t.breaches += r.result.breaches;
        t.total_ms += r.result.total_response_ms;
        t.fatal += u32::from(r.result.fatal);
    }
    out
}

/// One criterion: its names and a comparison where `Less` ranks `a` higher.
type Criterion = (&'static str, &'static str, fn(&Tally, &Tally) -> Ordering);

fn higher_average(a: &Tally, b: &Tally) -> Ordering {
    let lhs = u128::from(a.score_sum) * u128::from(b.rounds.max(1));
    let rhs = u128::from(b.score_sum) * u128::from(a.rounds.max(1));
    rhs.cmp(&lhs)
}

const AVERAGE: Criterion = ("平均话术得分更高", "higher average score", higher_average);
const POINTS: Criterion = ("积分更高", "more points", |a, b| {
    b.points.cmp(&a.points)
});
const MORE_ROUNDS: Criterion = ("轮次更多", "more rounds", |a, b| {
    b.rounds.cmp(&a.rounds)
});
const FEWER_BREACHES: Criterion = ("违规更少", "fewer breaches", |a, b| {
    a.breaches.cmp(&b.breaches)
});
const LESS_TIME: Criterion = ("总用时更短", "less total time", |a, b| {
    a.total_ms.cmp(&b.total_ms)
});
const NAME: Criterion = ("姓名排序", "name order", |a, b| a.name.cmp(&b.name));

/// The winner under `crits` (the first is the award's measure), and, when
/// the runner-up was level on it, the criterion that decided.
fn pick<'a>(
    cands: &[&'a Tally],
    crits: &[Criterion],
) -> Option<(&'a Tally, Option<(&'a Tally, Criterion)>)> {
    let chain = |a: &Tally, b: &Tally| {
        crits
            .iter()
            .chain(std::iter::once(&NAME))
            .map(|c| (c.2)(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    };
    let mut sorted: Vec<&Tally> = cands.to_vec();
    sorted.sort_by(|a, b| chain(a, b));
    let winner = *sorted.first()?;
    let decided = sorted.get(1).and_then(|&second| {
        if (crits[0].2)(winner, second).is_ne() {
            return None;
        }
        crits[1..]
            .iter()
            .chain(std::iter::once(&NAME))
            .find(|c| (c.2)(winner, second).is_ne())
            .map(|c| (second, *c))
    });
    Some((winner, decided))
}

fn tie_note(decided: Option<(&Tally, Criterion)>) -> (String, String) {
    match decided {
        Some((second, c)) => (
            format!("（与{}同分，按{}胜出）", second.name, c.0),
            format!(" (level with {}; won on {})", second.name, c.1),
        ),
        None => (String::new(), String::new()),
    }
}

fn award(
    kind: AwardKind,
    winner: &Tally,
    is_team: bool,
    reason_zh: String,
    reason_en: String,
) -> Award {
    Award {
        kind,
        title_zh: kind.title_zh().to_string(),
        title_en: kind.title_en().to_string(),
        winner: winner.name.clone(),
        team: if is_team { None } else { winner.team.clone() },
        reason_zh,
        reason_en,
    }
}

fn best_script(people: &[Tally], scope_zh: &str, scope_en: &str) -> Option<Award> {
    let eligible: Vec<&Tally> = people.iter().filter(|t| t.fatal == 0).collect();
    let (w, decided) = pick(
        &eligible,
        &[AVERAGE, MORE_ROUNDS, FEWER_BREACHES, LESS_TIME],
    )?;
    let (nzh, nen) = tie_note(decided);
    Some(award(
        AwardKind::BestScript,
        w,
        false,
        format!(
            "{scope_zh}平均话术得分最高：{:.1} 分（{} 轮）{nzh}",
            w.average(),
            w.rounds
        ),
        format!(
            "highest average script score {scope_en}: {:.1} over {} rounds{nen}",
            w.average(),
            w.rounds
        ),
    ))
}

fn is_newcomer(f: &TraineeFacts, newcomer_days: u32, as_of_ms: i64) -> bool {
    let window = i64::from(newcomer_days) * 86_400_000;
    !f.certified || as_of_ms.saturating_sub(f.joined_ms) <= window
}

fn best_newcomer(
    people: &[Tally],
    facts: &[TraineeFacts],
    newcomer_days: u32,
    as_of_ms: i64,
    scope_zh: &str,
    scope_en: &str,
) -> Option<Award> {
    let eligible: Vec<&Tally> = people
        .iter()
        .filter(|t| {
            facts
                .iter()
                .any(|f| f.name == t.name && is_newcomer(f, newcomer_days, as_of_ms))
        })
        .collect();
    let (w, decided) = pick(&eligible, &[POINTS, AVERAGE, FEWER_BREACHES, LESS_TIME])?;
    let (nzh, nen) = tie_note(decided);
    Some(award(
        AwardKind::BestNewcomer,
        w,
        false,
        format!(
            "{scope_zh}新人中积分最高：{} 分（{} 轮，平均话术 {:.1} 分）{nzh}",
            w.points,
            w.rounds,
            w.average()
        ),
        format!(
            "most points among newcomers {scope_en}: {} over {} rounds, average score {:.1}{nen}",
            w.points,
            w.rounds,
            w.average()
        ),
    ))
}

/// Awards for one session: 最佳话术奖, 最佳新人奖 and the top team (from
/// the scoreboard). Newcomers are judged at `now_ms`. Empty when nothing has
/// been played.
pub fn session_awards(
    c: &Competition,
    facts: &[TraineeFacts],
    newcomer_days: u32,
    now_ms: i64,
) -> Vec<Award> {
    let people = tally(c.results().iter(), false);
    if people.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    out.extend(best_script(&people, "本场", "in this session"));
    out.extend(best_newcomer(
        &people,
        facts,
        newcomer_days,
        now_ms,
        "本场",
        "in this session",
    ));
    let board = c.scoreboard();
    if let Some(top) = board.first() {
        let (nzh, nen) = match (board.get(1), top.decided_by) {
            (Some(second), _) if second.tied => (
                format!("（与{}并列）", second.team),
                format!(" (tied with {})", second.team),
            ),
            (Some(second), _) => match second.decided_by {
                Some(t) => (
                    format!("（与{}同分，按{}胜出）", second.team, t.name_zh()),
                    format!(" (level with {}; won on {})", second.team, t.name_en()),
                ),
                None => (String::new(), String::new()),
            },
            _ => (String::new(), String::new()),
        };
        out.push(Award {
            kind: AwardKind::TopTeam,
            title_zh: AwardKind::TopTeam.title_zh().into(),
            title_en: AwardKind::TopTeam.title_en().into(),
            winner: top.team.clone(),
            team: None,
            reason_zh: format!("本场积分第一：{} 分{nzh}", top.points),
            reason_en: format!("most points in this session: {}{nen}", top.points),
        });
    }
    out
}

/// The calendar (year, month) of `ms` at `utc_offset_minutes` east of UTC.
pub fn month_of(ms: i64, utc_offset_minutes: i32) -> (i64, u32) {
    let local = ms.saturating_add(i64::from(utc_offset_minutes) * 60_000);
    let (y, m, _) = civil_from_days(local.div_euclid(86_400_000));
    (y, m)
}

/// The first millisecond of a month, and of the next, in UTC, for a month
/// at `utc_offset_minutes` east of UTC.
pub fn month_window(year: i64, month: u32, utc_offset_minutes: i32) -> Result<(i64, i64), String> {
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not between 1 and 12"));
    }
    if !(1970..=9999).contains(&year) {
        return Err(format!("year {year} is not between 1970 and 9999"));
    }
    if !(-14 * 60..=14 * 60).contains(&utc_offset_minutes) {
        return Err(format!(
            "UTC offset {utc_offset_minutes} minutes is more than 14 hours"
        ));
    }
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let offset = i64::from(utc_offset_minutes) * 60_000;
    let start = days_from_civil(year, month, 1) * 86_400_000 - offset;
    let end = days_from_civil(ny, nm, 1) * 86_400_000 - offset;
    Ok((start, end))
}

/// Awards for a calendar month from stored results with their timestamps
/// (`finished_at_ms`): 月度冠军, 最佳话术奖, 最佳新人奖 (newcomers judged
/// at the month's end) and the top team. Results outside the month are
/// ignored. Empty when the month has no results.
pub fn monthly_awards(
    results: &[ScoredResult],
    facts: &[TraineeFacts],
    newcomer_days: u32,
    year: i64,
    month: u32,
    utc_offset_minutes: i32,
) -> Result<Vec<Award>, String> {
    let (start, end) = month_window(year, month, utc_offset_minutes)?;
    let in_month = || {
        results
            .iter()
            .filter(move |r| (start..end).contains(&r.result.finished_at_ms))
    };
    let people = tally(in_month(), false);
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let teams = tally(in_month(), true);
    let scope_zh = format!("{year} 年 {month} 月");
    let scope_en = format!("in {year}-{month:02}");
    let mut out = Vec::new();
    let all: Vec<&Tally> = people.iter().collect();
    if let Some((w, decided)) = pick(&all, &[POINTS, AVERAGE, FEWER_BREACHES, LESS_TIME]) {
        let (nzh, nen) = tie_note(decided);
        out.push(award(
            AwardKind::MonthlyChampion,
            w,
            false,
            format!(
                "{scope_zh}个人积分最高：{} 分（{} 轮，平均话术 {:.1} 分）{nzh}",
                w.points,
                w.rounds,
                w.average()
            ),
            format!(
                "most points {scope_en}: {} over {} rounds, average score {:.1}{nen}",
                w.points,
                w.rounds,
                w.average()
            ),
        ));
    }
    out.extend(best_script(&people, &scope_zh, &scope_en));
    out.extend(best_newcomer(
        &people,
        facts,
        newcomer_days,
        end - 1,
        &scope_zh,
        &scope_en,
    ));
    let team_refs: Vec<&Tally> = teams.iter().collect();
    if let Some((w, decided)) = pick(&team_refs, &[POINTS, AVERAGE, FEWER_BREACHES, LESS_TIME]) {
        let (nzh, nen) = tie_note(decided);
        out.push(award(
            AwardKind::TopTeam,
            w,
            true,
            format!(
                "{scope_zh}团队积分最高：{} 分（{} 轮）{nzh}",
                w.points, w.rounds
            ),
            format!(
                "most team points {scope_en}: {} over {} rounds{nen}",
                w.points, w.rounds
            ),
        ));
    }
    Ok(out)
}

/// Days since 1970-01-01 to (year, month, day); proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// (year, month, day) to days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::competition::rules::Rules;
    use crate::competition::session::RoundResult;
    use crate::competition::teams::Team;
    use crate::scenario::Ending;

    const DAY: i64 = 86_400_000;

    fn team(name: &str, members: &[&str]) -> Team {
        Team {
            name: name.into(),
            slogan: String::new(),
            target: String::new(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    /// Plays a session: each entry is (trainee, outcome, score, fatal).
    fn session(plays: &[(&str, Ending, u32, bool)], at_ms: i64) -> Competition {
        let rounds = plays.len().div_ceil(2) as u32;
        let mut c = Competition::new(
            vec![
                team("猛虎组", &["张三", "李四"]),
                team("雄鹰组", &["王五", "赵六"]),
            ],
            vec!["s".into()],
            rounds,
            1,
            Rules::default(),
        )
        .unwrap();
        for (i, (who, outcome, score, fatal)) in plays.iter().enumerate() {
            let play = (*who, *outcome, *score, *fatal);
            record(&mut c, play, 200_000, at_ms + i as i64 * 60_000);
        }
        c
    }

    /// Records the next slot's round: (trainee, outcome, score, fatal), with
    /// its total response time and when it finished.
    fn record(
        c: &mut Competition,
        (who, outcome, score, fatal): (&str, Ending, u32, bool),
        total_response_ms: u64,
        finished_at_ms: i64,
    ) {
        let s = c.next_slot().unwrap();
        c.record(RoundResult {
            round: s.round,
            team: s.team_name,
            trainee: who.to_string(),
            scenario: s.scenario,
            seed: s.seed,
            score,
            outcome,
            fatal,
            breaches: u32::from(fatal),
            total_response_ms,
            finished_at_ms,
            answers: String::new(),
        })
        .unwrap();
    }

    fn get(awards: &[Award], kind: AwardKind) -> Option<&Award> {
        awards.iter().find(|a| a.kind == kind)
    }

    #[test]
    fn session_awards_pick_the_right_people() {
        // Round 1: 猛虎 then 雄鹰; round 2: 雄鹰 then 猛虎.
        let c = session(
            &[
                ("张三", Ending::Deal, 70, false),
                ("王五", Ending::Callback, 95, true),
                ("赵六", Ending::Appointment, 90, false),
                ("李四", Ending::HangUp, 60, false),
            ],
            0,
        );
        let facts = vec![
            TraineeFacts {
                name: "李四".into(),
                joined_ms: 0,
                certified: false,
            },
            TraineeFacts {
                name: "张三".into(),
                joined_ms: 0,
                certified: true,
            },
        ];
        let a = session_awards(&c, &facts, 30, 100 * DAY);
        // 王五 has the highest score but a fatal breach: not eligible.
        let script = get(&a, AwardKind::BestScript).unwrap();
        assert_eq!(script.winner, "赵六");
        assert_eq!(script.team.as_deref(), Some("雄鹰组"));
        assert!(script.reason_zh.contains("90.0"), "{}", script.reason_zh);
        // Only 李四 is a newcomer (张三 is certified and joined long ago).
        assert_eq!(get(&a, AwardKind::BestNewcomer).unwrap().winner, "李四");
        // Points: 猛虎 = 张三 10+7 + 李四 0+6 = 23; 雄鹰 = 王五 0 + 赵六 7+9 = 16.
        let top = get(&a, AwardKind::TopTeam).unwrap();
        assert_eq!(top.winner, "猛虎组");
        assert_eq!(
            top.reason_zh,
            format!("本场积分第一：{} 分", c.scoreboard()[0].points)
        );
        assert_eq!(a[0].title_zh, "最佳话术奖");
        // A recent joiner counts as a newcomer even when certified.
        let recent = vec![TraineeFacts {
            name: "张三".into(),
            joined_ms: 95 * DAY,
            certified: true,
        }];
        let a = session_awards(&c, &recent, 30, 100 * DAY);
        assert_eq!(get(&a, AwardKind::BestNewcomer).unwrap().winner, "张三");
        // No facts: no newcomer award.
        assert!(get(&session_awards(&c, &[], 30, 0), AwardKind::BestNewcomer).is_none());
    }

    #[test]
    fn ties_are_decided_and_explained() {
        let c = session(
            &[
                ("张三", Ending::HangUp, 80, false),
                ("王五", Ending::HangUp, 80, false),
                ("赵六", Ending::HangUp, 80, false),
                ("李四", Ending::HangUp, 80, false),
            ],
            0,
        );
        let a = session_awards(&c, &[], 30, 0);
        let script = get(&a, AwardKind::BestScript).unwrap();
        // All equal: decided by name order, and the reason says so.
        let mut names = ["张三", "王五", "赵六", "李四"];
        names.sort();
        assert_eq!(script.winner, names[0]);
        assert!(
            script.reason_zh.contains("按姓名排序胜出"),
            "{}",
            script.reason_zh
        );
        assert!(
            get(&a, AwardKind::TopTeam)
                .unwrap()
                .reason_zh
                .contains("并列")
        );
    }

    #[test]
    fn a_month_of_one_session_crowns_the_sessions_top_team() {
        // Level on points, script score and breaches; 雄鹰组 was faster, and
        // comes after 猛虎组 in name order.
        let mut c = Competition::new(
            vec![team("猛虎组", &["张三"]), team("雄鹰组", &["王五"])],
            vec!["s".into()],
            1,
            1,
            Rules::default(),
        )
        .unwrap();
        let at = days_from_civil(2024, 3, 5) * DAY;
        for (who, ms) in [("张三", 900_000), ("王五", 800_000)] {
            record(&mut c, (who, Ending::Callback, 80, false), ms, at);
        }
        let board = c.scoreboard();
        assert_eq!(board[0].points, board[1].points, "a tie on points");
        assert_eq!(board[0].team, "雄鹰组");
        let month = monthly_awards(c.results(), &[], 30, 2024, 3, 480).unwrap();
        let top = get(&month, AwardKind::TopTeam).unwrap();
        assert_eq!(top.winner, "雄鹰组", "{}", top.reason_zh);
        assert!(
            top.reason_zh.contains("按总用时更短胜出"),
            "{}",
            top.reason_zh
        );
        let champ = get(&month, AwardKind::MonthlyChampion).unwrap();
        assert_eq!(champ.winner, "王五", "{}", champ.reason_zh);
    }

    #[test]
    fn monthly_awards_use_the_month_in_china() {
        // 2024-03-31 23:30 in China is 15:30 UTC: March there, March in UTC too;
        // 2024-03-31 17:00 UTC is already April in China.
        let march_31_1530_utc = days_from_civil(2024, 3, 31) * DAY + 15 * 3_600_000 + 1_800_000;
        let march_31_1700_utc = days_from_civil(2024, 3, 31) * DAY + 17 * 3_600_000;
        assert_eq!(month_of(march_31_1530_utc, 480), (2024, 3));
        assert_eq!(month_of(march_31_1700_utc, 480), (2024, 4));
        assert_eq!(month_of(march_31_1700_utc, 0), (2024, 3));

        let early = session(
            &[
                ("张三", Ending::Deal, 90, false),
                ("王五", Ending::Deal, 60, false),
            ],
            days_from_civil(2024, 3, 5) * DAY,
        );
        let late = session(
            &[
                ("李四", Ending::Deal, 90, false),
                ("王五", Ending::Deal, 60, false),
            ],
            march_31_1700_utc,
        );
        let mut all: Vec<ScoredResult> = early.results().to_vec();
        all.extend(late.results().iter().cloned());
        let march = monthly_awards(&all, &[], 30, 2024, 3, 480).unwrap();
        let champ = get(&march, AwardKind::MonthlyChampion).unwrap();
        assert_eq!(champ.winner, "张三", "李四 played in April, China time");
        assert_eq!(champ.title_en, "Champion of the month");
        let april = monthly_awards(&all, &[], 30, 2024, 4, 480).unwrap();
        assert_eq!(
            get(&april, AwardKind::MonthlyChampion).unwrap().winner,
            "李四"
        );
        // In UTC both sessions are in March: 王五 has 2 rounds; 张三 and 李四 one each.
        let utc = monthly_awards(&all, &[], 30, 2024, 3, 0).unwrap();
        let champ = get(&utc, AwardKind::MonthlyChampion).unwrap();
        let wang: i64 = all
            .iter()
            .filter(|r| r.result.trainee == "王五")
            .map(|r| r.points.total)
            .sum();
        let zhang: i64 = all
            .iter()
            .filter(|r| r.result.trainee == "张三")
            .map(|r| r.points.total)
            .sum();
        assert_eq!(champ.winner, if wang > zhang { "王五" } else { "张三" });
        assert!(get(&utc, AwardKind::TopTeam).is_some());
        assert!(
            monthly_awards(&all, &[], 30, 2024, 5, 480)
                .unwrap()
                .is_empty()
        );
        assert!(monthly_awards(&all, &[], 30, 2024, 13, 480).is_err());
        assert!(monthly_awards(&all, &[], 30, 2024, 1, 100_000).is_err());
    }

    #[test]
    fn calendar_round_trips() {
        for days in [-1000, -1, 0, 1, 59, 365, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert!(month_of(i64::MAX, 480).1 >= 1);
        assert!(month_of(i64::MIN, -480).1 <= 12);
    }
}
