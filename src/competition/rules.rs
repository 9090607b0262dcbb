//! Rules of one morning drill session, written by the trainer in RON: how
//! many points each ending earns, how the drill score (0–100) adds to them,
//! the optional speed and streak bonuses, what a fatal breach costs, and how
//! ties on the scoreboard are broken. [`Rules::explain_zh`] and
//! [`Rules::explain_en`] give the lines shown on screen so every trainee sees
//! how points are made before the first round.
//!
//! Points are whole numbers and computed with integer arithmetic only, so the
//! same round always gives the same points on any machine.
//!
//! One round's points ([`Rules::points_for`]):
//! - outcome points for the ending (成交, 邀约成功, …; may be negative);
//! - adherence points: `score / score_divisor`, rounded down, when `score_points` is on;
//! - speed bonus (optional), only when the outcome points are above zero (a
//!   fast hang-up never pays): `max_points` if the total response time is at
//!   most `full_within_s`, 0 from `zero_after_s` on, and in between
//!   `floor(max_points × (zero_after - t) / (zero_after - full_within))`;
//! - streak bonus (optional, off by default): when the team's representative
//!   has closed (Deal or Appointment, no fatal breach) in `n` consecutive
//!   rounds up to this one, `min(per_streak_step × (n - 1), max)`;
//! - a fatal breach drops every positive part: the round keeps only a negative
//!   outcome (a complaint still costs), minus the optional penalty.

use serde::{Deserialize, Serialize};

use crate::content::{self, Diagnostic, Source};
use crate::scenario::Ending;

/// Outcome points per ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutcomePoints {
    pub deal: i32,
    pub appointment: i32,
    pub callback: i32,
    pub hang_up: i32,
    pub complaint: i32,
}

impl Default for OutcomePoints {
    fn default() -> Self {
        OutcomePoints {
            deal: 10,
            appointment: 7,
            callback: 4,
            hang_up: 0,
            complaint: -5,
        }
    }
}

impl OutcomePoints {
    pub fn for_ending(&self, e: Ending) -> i32 {
        match e {
            Ending::Deal => self.deal,
            Ending::Appointment => self.appointment,
            Ending::Callback => self.callback,
            Ending::HangUp => self.hang_up,
            Ending::Complaint => self.complaint,
        }
    }
}

/// How the drill score (0–100) turns into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Adherence {
    /// Add `score / score_divisor` (rounded down) to the round.
    pub score_points: bool,
    /// 1 to 100; 10 turns a score of 87 into 8 points.
    pub score_divisor: u32,
}

impl Default for Adherence {
    fn default() -> Self {
        Adherence {
            score_points: true,
            score_divisor: 10,
        }
    }
}

/// A bonus for answering quickly, falling linearly to zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedBonus {
    pub max_points: u32,
    /// Full bonus when the total response time is at most this.
    pub full_within_s: u32,
    /// No bonus from this total response time on; must exceed `full_within_s`.
    pub zero_after_s: u32,
}

/// A bonus for a team closing round after round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreakBonus {
    /// Points for each consecutive close after the first.
    pub per_streak_step: u32,
    /// Cap on the bonus in one round.
    pub max: u32,
}

/// What a fatal breach does to the round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FatalBreach {
    /// The round earns nothing (a negative outcome still counts).
    #[default]
    ZeroRound,
    /// As `ZeroRound`, and this many points are taken off as well.
    Penalty(u32),
}

/// One way to separate teams with equal points, applied in the listed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TieBreak {
    /// Higher average drill score over the team's rounds.
    HigherAdherence,
    /// Fewer breaches in total.
    FewerBreaches,
    /// Less total response time.
    FasterTotalTime,
    /// Reached its final points total earlier (by recording order).
    EarlierFinish,
}

impl TieBreak {
    pub fn name_zh(self) -> &'static str {
        match self {
            TieBreak::HigherAdherence => "话术得分",
            TieBreak::FewerBreaches => "违规次数",
            TieBreak::FasterTotalTime => "总用时",
            TieBreak::EarlierFinish => "先到达该总分",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            TieBreak::HigherAdherence => "higher average script score",
            TieBreak::FewerBreaches => "fewer breaches",
            TieBreak::FasterTotalTime => "less total time",
            TieBreak::EarlierFinish => "reached the total first",
        }
    }
}

/// The rules of one session. Every field has a default, so a rules file
/// names only what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    pub points: OutcomePoints,
    pub adherence: Adherence,
    pub speed_bonus: Option<SpeedBonus>,
    /// Off by default.
    pub streak_bonus: Option<StreakBonus>,
    pub fatal_breach: FatalBreach,
    pub tie_breaks: Vec<TieBreak>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            points: OutcomePoints::default(),
            adherence: Adherence::default(),
            speed_bonus: Some(SpeedBonus {
                max_points: 2,
                full_within_s: 60,
                zero_after_s: 180,
            }),
            streak_bonus: None,
            fatal_breach: FatalBreach::ZeroRound,
            tie_breaks: vec![
                TieBreak::HigherAdherence,
                TieBreak::FewerBreaches,
                TieBreak::FasterTotalTime,
            ],
        }
    }
}

/// An example rules file for trainers (every field shown).
pub const EXAMPLE_RULES: &str = r#"// 晨会小组竞赛规则 — rules of the morning team drill.
// Leave out any field to keep its default.
(
    // Points for each ending of the call.
    points: (
        deal: 10,        // 成交
        appointment: 7,  // 邀约成功
        callback: 4,     // 约定回访
        hang_up: 0,      // 客户挂断
        complaint: -5,   // 客户投诉
    ),
    // The drill score (0-100) divided by 10, rounded down, is added.
    adherence: (score_points: true, score_divisor: 10),
    // Up to 2 points for a quick call: full within 60 s, none after 180 s.
    speed_bonus: Some((max_points: 2, full_within_s: 60, zero_after_s: 180)),
    // Off by default. Example: Some((per_streak_step: 1, max: 3)).
    streak_bonus: None,
    // A fatal breach zeroes the round; Penalty(5) would also take 5 points off.
    fatal_breach: ZeroRound,
    // Equal points: compare these in order.
    tie_breaks: [HigherAdherence, FewerBreaches, FasterTotalTime],
)
"#;

/// What a round brings into the points calculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundFacts {
    pub outcome: Ending,
    /// Drill score, 0–100.
    pub score: u32,
    pub fatal: bool,
    pub total_response_ms: u64,
    /// Consecutive closes by this team up to and including this round (0 if this round is not a close).
    pub streak: u32,
}

/// One round's points, part by part, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsBreakdown {
    pub outcome: i64,
    pub adherence: i64,
    pub speed: i64,
    pub streak: i64,
    /// What the fatal breach took away (zero or negative).
    pub fatal: i64,
    pub total: i64,
    pub why_zh: String,
    pub why_en: String,
}

fn signed(n: i64) -> String {
    if n < 0 {
        format!("-{}", -n)
    } else {
        format!("+{n}")
    }
}

impl Rules {
    /// Parses rules text as the rules file is read ([`load_file`]), for
    /// text that has no file: the positions are of `text`.
    pub fn from_ron(text: &str) -> Result<Rules, RulesError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Rules::from_source(Source::new(
            std::path::Path::new(RULES_FILE),
            text.to_string(),
        ))
    }

    /// Parses a source with the content parser (so a syntax slip or a typo
    /// reads as in content files: CD010–CD016, with did-you-mean), then
    /// checks every value ([`Rules::problems`]), each CD900 at its field.
    fn from_source(source: Source) -> Result<Rules, RulesError> {
        let rules: Rules = match content::parse_source(&source) {
            Ok(r) => r,
            Err(d) => {
                return Err(RulesError {
                    diagnostics: vec![*d],
                    source: Some(source),
                });
            }
        };
        let problems = rules.problems();
        if problems.is_empty() {
            return Ok(rules);
        }
        let diagnostics = problems
            .into_iter()
            .map(|(field, msg)| {
                let (line, col) = locate(&source.text, field);
                source
                    .point(
                        Diagnostic::error("CD900", &source.path, msg),
                        source.offset(line, col),
                        field.len(),
                    )
                    .help("see docs/authoring.md (Competition rules) for each field, its range and its default")
            })
            .collect();
        Err(RulesError {
            diagnostics,
            source: Some(source),
        })
    }

    /// Writes the rules as RON (for saving the session's rules beside it).
    pub fn to_ron(&self) -> Result<String, String> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| format!("cannot write rules as RON: {e}"))
    }

    /// Checks values a parser cannot: ranges and order. The first problem,
    /// naming the field it is about.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        match self.problems().into_iter().next() {
            Some(p) => Err(p),
            None => Ok(()),
        }
    }

    /// Every value out of range or order, each naming its field.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let p = &self.points;
        for (name, v) in [
            ("deal", p.deal),
            ("appointment", p.appointment),
            ("callback", p.callback),
            ("hang_up", p.hang_up),
            ("complaint", p.complaint),
        ] {
            if !(-1000..=1000).contains(&v) {
                out.push((
                    name,
                    format!("`{name}` is {v}: points must be between -1000 and 1000"),
                ));
            }
        }
        let d = self.adherence.score_divisor;
        if !(1..=100).contains(&d) {
            out.push((
                "score_divisor",
                format!("`score_divisor` is {d}: it must be between 1 and 100"),
            ));
        }
        if let Some(s) = self.speed_bonus {
            if s.max_points > 1000 {
                out.push((
                    "max_points",
                    format!("`max_points` is {}: at most 1000", s.max_points),
                ));
            }
            if s.zero_after_s <= s.full_within_s {
                out.push((
                    "zero_after_s",
                    format!(
                        "`zero_after_s` ({}) must be greater than `full_within_s` ({})",
                        s.zero_after_s, s.full_within_s
                    ),
                ));
            }
            if s.zero_after_s > 86_400 {
                out.push(("zero_after_s", "`zero_after_s` is more than a day".into()));
            }
        }
        if let Some(s) = self.streak_bonus
            && (s.per_streak_step > 1000 || s.max > 10_000)
        {
            out.push((
                "streak_bonus",
                "`per_streak_step` must be at most 1000 and `max` at most 10000".into(),
            ));
        }
        if let FatalBreach::Penalty(n) = self.fatal_breach
            && n > 1000
        {
            out.push(("Penalty", format!("penalty {n} is more than 1000")));
        }
        for (i, t) in self.tie_breaks.iter().enumerate() {
            if self.tie_breaks[..i].contains(t) {
                out.push(("tie_breaks", format!("tie break `{t:?}` is listed twice")));
            }
        }
        out
    }

    /// Points for one round, with the breakdown and the reason.
    pub fn points_for(&self, f: &RoundFacts) -> PointsBreakdown {
        let outcome = i64::from(self.points.for_ending(f.outcome));
        let score = f.score.min(100);
        let adherence = if self.adherence.score_points {
            i64::from(score / self.adherence.score_divisor.max(1))
        } else {
            0
        };
        let speed = match self.speed_bonus {
            Some(s) if outcome > 0 => {
                let full = u64::from(s.full_within_s) * 1000;
                let zero = u64::from(s.zero_after_s) * 1000;
                let max = u64::from(s.max_points);
                let t = f.total_response_ms;
                let pts = if t <= full {
                    max
                } else if t >= zero || zero <= full {
                    0
                } else {
                    max * (zero - t) / (zero - full)
                };
                pts as i64
            }
            _ => 0,
        };
        let streak = match self.streak_bonus {
            Some(s) if f.streak >= 2 => {
                let raw = u64::from(s.per_streak_step) * u64::from(f.streak - 1);
                raw.min(u64::from(s.max)) as i64
            }
            _ => 0,
        };
        let earned = outcome + adherence + speed + streak;
        let (total, fatal) = if f.fatal {
            let penalty = match self.fatal_breach {
                FatalBreach::ZeroRound => 0,
                FatalBreach::Penalty(n) => i64::from(n),
            };
            let kept = outcome.min(0) - penalty;
            (kept, kept - earned)
        } else {
            (earned, 0)
        };

        let secs = f.total_response_ms / 1000;
        let mut zh = vec![format!("{} {}", f.outcome.name_zh(), signed(outcome))];
        let mut en = vec![format!("{} {}", f.outcome.name(), signed(outcome))];
        if self.adherence.score_points {
            zh.push(format!("话术 {score} 分 {}", signed(adherence)));
            en.push(format!("script score {score} {}", signed(adherence)));
        }
        if self.speed_bonus.is_some() {
            zh.push(format!("用时 {secs} 秒 {}", signed(speed)));
            en.push(format!("{secs} s {}", signed(speed)));
        }
        if self.streak_bonus.is_some() && f.streak >= 2 {
            zh.push(format!("连胜 {} 轮 {}", f.streak, signed(streak)));
            en.push(format!("{} closes in a row {}", f.streak, signed(streak)));
        }
        if f.fatal {
            zh.push(format!("致命违规，本轮归零 {}", signed(fatal)));
            en.push(format!("fatal breach, round zeroed {}", signed(fatal)));
        }
        PointsBreakdown {
            outcome,
            adherence,
            speed,
            streak,
            fatal,
            total,
            why_zh: format!("{} → {total} 分", zh.join("；")),
            why_en: format!("{} → {total} points", en.join("; ")),
        }
    }

    /// Lines explaining the scoring and the tie-breaks, in Chinese.
    pub fn explain_zh(&self) -> Vec<String> {
        let p = &self.points;
        let pts = |n: i32| format!("{}分", signed(i64::from(n)));
        let mut lines = vec![format!(
            "结果分：成交 {}，邀约成功 {}，约定回访 {}，客户挂断 {}，客户投诉 {}",
            pts(p.deal),
            pts(p.appointment),
            pts(p.callback),
            pts(p.hang_up),
            pts(p.complaint)
        )];
        if self.adherence.score_points {
            lines.push(format!(
                "话术分：话术得分每 {d} 分加 1 分（满分 100 分加 {} 分）",
                100 / self.adherence.score_divisor.max(1),
                d = self.adherence.score_divisor
            ));
        } else {
            lines.push("话术分：不计入积分".into());
        }
        match self.speed_bonus {
            Some(s) => lines.push(format!(
                "速度加分：有结果分时，总用时 {} 秒内加 {} 分，到 {} 秒逐渐降为 0",
                s.full_within_s, s.max_points, s.zero_after_s
            )),
            None => lines.push("速度加分：不设".into()),
        }
        match self.streak_bonus {
            Some(s) => lines.push(format!(
                "连胜加分：本组连续成交或邀约成功，从第 2 轮起每轮多加 {} 分，最多 {} 分",
                s.per_streak_step, s.max
            )),
            None => lines.push("连胜加分：不设".into()),
        }
        lines.push(match self.fatal_breach {
            FatalBreach::ZeroRound => "致命违规：本轮得分归零（投诉扣分照扣）".into(),
            FatalBreach::Penalty(n) => format!("致命违规：本轮得分归零，再扣 {n} 分"),
        });
        lines.push(self.tie_break_zh());
        lines
    }

    /// Lines explaining the scoring and the tie-breaks, in English.
    pub fn explain_en(&self) -> Vec<String> {
        let p = &self.points;
        let pts = |n: i32| signed(i64::from(n));
        let mut lines = vec![format!(
            "Outcome: deal {}, appointment {}, callback {}, hang-up {}, complaint {}",
            pts(p.deal),
            pts(p.appointment),
            pts(p.callback),
            pts(p.hang_up),
            pts(p.complaint)
        )];
        if self.adherence.score_points {
            lines.push(format!(
                "Script: 1 point per {} points of drill score (up to {} for 100)",
                self.adherence.score_divisor,
                100 / self.adherence.score_divisor.max(1)
            ));
        } else {
            lines.push("Script: the drill score does not add points".into());
        }
        match self.speed_bonus {
            Some(s) => lines.push(format!(
                "Speed: when the outcome scores, +{} within {} s in total, falling to 0 at {} s",
                s.max_points, s.full_within_s, s.zero_after_s
            )),
            None => lines.push("Speed: no bonus".into()),
        }
        match self.streak_bonus {
            Some(s) => lines.push(format!(
                "Streak: a team closing round after round gets +{} per round from the 2nd, at most +{}",
                s.per_streak_step, s.max
            )),
            None => lines.push("Streak: no bonus".into()),
        }
        lines.push(match self.fatal_breach {
            FatalBreach::ZeroRound => {
                "Fatal breach: the round scores 0 (a complaint still costs)".into()
            }
            FatalBreach::Penalty(n) => {
                format!("Fatal breach: the round scores 0 and {n} points are taken off")
            }
        });
        lines.push(self.tie_break_en());
        lines
    }

    fn tie_break_zh(&self) -> String {
        let mut s = String::from("同分时：");
        for (i, t) in self.tie_breaks.iter().enumerate() {
            s.push_str(if i == 0 { "先比" } else { "，再比" });
            s.push_str(t.name_zh());
        }
        if self.tie_breaks.is_empty() {
            s.push_str("并列");
        } else {
            s.push_str("，仍相同则并列");
        }
        s
    }

    fn tie_break_en(&self) -> String {
        if self.tie_breaks.is_empty() {
            return "Equal points: tied".into();
        }
        let names: Vec<&str> = self.tie_breaks.iter().map(|t| t.name_en()).collect();
        format!("Equal points: {}; then tied", names.join(", then "))
    }
}

/// Where the shipped rules file lives inside a content folder.
pub const RULES_FILE: &str = "competition/rules.ron";

/// A rules file that cannot be used: each problem as a [`Diagnostic`] (with
/// file:line:col, the offending text and a hint), and the text to quote.
#[derive(Debug)]
pub struct RulesError {
    pub diagnostics: Vec<Diagnostic>,
    source: Option<Source>,
}

impl RulesError {
    /// Like a compiler: each problem with its line and a caret under it.
    pub fn render(&self, color: bool) -> String {
        self.diagnostics
            .iter()
            .map(|d| content::render(d, self.source.as_ref(), color))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Reads and checks a rules file, read as content files are (BOM, CRLF,
/// UTF-8). A syntax or type error is reported with the content codes
/// (CD010–CD016, with did-you-mean); every value out of range as CD900.
pub fn load_file(path: &std::path::Path) -> Result<Rules, RulesError> {
    let source = content::read_source(path).map_err(|d| RulesError {
        diagnostics: vec![*d],
        source: None,
    })?;
    Rules::from_source(source)
}

/// 1-based line and column of the first `field:` in `text`, else 1:1.
fn locate(text: &str, field: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut from = 0;
        while let Some(at) = code[from..].find(field) {
            let start = from + at;
            let before_ok = code[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after = code[start + field.len()..].trim_start();
            if before_ok && (after.starts_with(':') || after.starts_with('(')) {
                return (i + 1, code[..start].chars().count() + 1);
            }
            from = start + field.len();
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(outcome: Ending, score: u32, ms: u64) -> RoundFacts {
        RoundFacts {
            outcome,
            score,
            fatal: false,
            total_response_ms: ms,
            streak: 0,
        }
    }

    #[test]
    fn example_parses_and_equals_default() {
        let r = Rules::from_ron(EXAMPLE_RULES).unwrap();
        assert_eq!(r, Rules::default());
        let back = Rules::from_ron(&r.to_ron().unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn partial_file_bom_and_crlf() {
        let text = "\u{feff}(\r\n  points: (deal: 20),\r\n  streak_bonus: Some((per_streak_step: 2, max: 4)),\r\n)\r\n";
        let r = Rules::from_ron(text).unwrap();
        assert_eq!(r.points.deal, 20);
        assert_eq!(r.points.appointment, OutcomePoints::default().appointment);
        assert_eq!(
            r.streak_bonus,
            Some(StreakBonus {
                per_streak_step: 2,
                max: 4
            })
        );
        assert_eq!(Rules::from_ron("()").unwrap(), Rules::default());
    }

    /// The first problem's line and column, and everything said, as shown.
    fn first_problem(text: &str) -> ((usize, usize), String) {
        let err = Rules::from_ron(text).unwrap_err();
        let d = &err.diagnostics[0];
        ((d.line, d.col), err.to_string())
    }

    #[test]
    fn unknown_field_names_line_col_and_hint() {
        let ((line, _), err) = first_problem("(\n  points: (dael: 3),\n)");
        assert_eq!(line, 2, "{err}");
        assert!(err.contains("dael"), "{err}");
        assert!(err.contains("did you mean `deal`"), "{err}");
        let ((line, _), err) = first_problem("(\n  tie_breaks: [FewerBreach],\n)");
        assert_eq!(line, 2, "{err}");
        assert!(err.contains("did you mean `FewerBreaches`"), "{err}");
        let ((line, _), err) = first_problem("(points: (deal: 3)");
        assert_eq!(line, 1, "{err}");
    }

    #[test]
    fn semantic_errors_point_at_the_field() {
        let text =
            "(\n    speed_bonus: Some((max_points: 2, full_within_s: 90, zero_after_s: 30)),\n)";
        let ((line, _), err) = first_problem(text);
        assert_eq!(line, 2, "{err}");
        assert!(err.contains("zero_after_s"), "{err}");
        let (at, err) = first_problem("(adherence: (score_divisor: 0))");
        assert_eq!(at, (1, 14), "{err}");
        let (_, err) = first_problem("(tie_breaks: [FewerBreaches, FewerBreaches])");
        assert!(err.contains("twice"), "{err}");
        assert!(Rules::from_ron("(points: (deal: 5000))").is_err());
    }

    #[test]
    fn points_add_up_and_explain() {
        let r = Rules::default();
        let p = r.points_for(&facts(Ending::Deal, 87, 30_000));
        assert_eq!((p.outcome, p.adherence, p.speed, p.streak), (10, 8, 2, 0));
        assert_eq!(p.total, 20);
        assert!(p.why_zh.contains("成交 +10"), "{}", p.why_zh);
        assert!(p.why_zh.ends_with("→ 20 分"), "{}", p.why_zh);
        // Linear: halfway between 60 s and 180 s gives half of 2.
        assert_eq!(r.points_for(&facts(Ending::Deal, 0, 120_000)).speed, 1);
        assert_eq!(r.points_for(&facts(Ending::Deal, 0, 179_999)).speed, 0);
        assert_eq!(r.points_for(&facts(Ending::Deal, 0, 60_000)).speed, 2);
        // A fast hang-up earns no speed bonus.
        let h = r.points_for(&facts(Ending::HangUp, 50, 1_000));
        assert_eq!((h.speed, h.total), (0, 5));
        let c = r.points_for(&facts(Ending::Complaint, 40, 1_000));
        assert_eq!(c.total, -5 + 4);
    }

    #[test]
    fn fatal_breach_zeroes_but_keeps_a_complaint() {
        let mut r = Rules::default();
        let mut f = facts(Ending::Deal, 90, 10_000);
        f.fatal = true;
        let p = r.points_for(&f);
        assert_eq!(p.total, 0);
        assert_eq!(p.fatal, -(10 + 9 + 2));
        assert!(p.why_zh.contains("致命违规"));
        f.outcome = Ending::Complaint;
        assert_eq!(r.points_for(&f).total, -5);
        r.fatal_breach = FatalBreach::Penalty(3);
        assert_eq!(r.points_for(&f).total, -8);
    }

    #[test]
    fn streak_bonus_only_when_on() {
        let mut f = facts(Ending::Appointment, 0, 999_000);
        f.streak = 4;
        assert_eq!(Rules::default().points_for(&f).streak, 0);
        let r = Rules {
            streak_bonus: Some(StreakBonus {
                per_streak_step: 2,
                max: 5,
            }),
            ..Rules::default()
        };
        assert_eq!(r.points_for(&f).streak, 5);
        f.streak = 2;
        assert_eq!(r.points_for(&f).streak, 2);
        f.streak = 1;
        assert_eq!(r.points_for(&f).streak, 0);
    }

    #[test]
    fn explanations_follow_the_rules() {
        let r = Rules::default();
        let zh = r.explain_zh();
        assert_eq!(
            zh.last().unwrap(),
            "同分时：先比话术得分，再比违规次数，再比总用时，仍相同则并列"
        );
        assert!(zh.iter().any(|l| l.contains("成交 +10分")));
        assert!(zh.iter().any(|l| l == "连胜加分：不设"));
        let r2 = Rules {
            tie_breaks: vec![TieBreak::FasterTotalTime],
            ..Rules::default()
        };
        assert_eq!(
            r2.explain_en().last().unwrap(),
            "Equal points: less total time; then tied"
        );
        assert_eq!(r.explain_en().len(), zh.len());
    }
}
