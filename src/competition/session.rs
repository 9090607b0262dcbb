//! One morning drill session (晨会小组竞赛) played hot seat on one projected
//! screen: the [`Competition`] state machine.
//!
//! A competition is created with its teams, one or more scenario ids (round
//! `r` plays scenario `(r - 1) mod len`), a number of rounds, one session
//! seed and the [`Rules`]. In every round each team sends one representative
//! (代表); all representatives of a round face the same customer: the same
//! scenario and the same seed ([`round_seed`]). Teams play in a fixed order
//! that rotates each round, so no team always goes first.
//!
//! Results are recorded strictly in play order; each gets its points from the
//! rules, with a breakdown and the reason. The scoreboard ranks teams by
//! points and then by the rules' tie-breaks, naming the one that decided.
//! A deal or an appointment gets an announcement ("猛虎组 张三 成交！").
//!
//! The whole competition serialises to JSON or RON. [`Competition::resume`]
//! rebuilds it by replaying every stored result through the rules, so an
//! interrupted session resumes exactly, and a file whose points were edited
//! is refused rather than believed.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::rules::{PointsBreakdown, RoundFacts, Rules, TieBreak};
use super::teams::Team;
use crate::scenario::Ending;

/// The version of the saved format.
pub const FORMAT: u32 = 1;

/// At most this many rounds in one session.
pub const MAX_ROUNDS: u32 = 100;

/// What one representative did in one round, as the drill reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundResult {
    /// 1-based.
    pub round: u32,
    /// Team name.
    pub team: String,
    pub trainee: String,
    pub scenario: String,
    pub seed: u64,
    /// Drill score, 0–100.
    pub score: u32,
    pub outcome: Ending,
    pub fatal: bool,
    pub breaches: u32,
    /// Sum of the response times of the drill's turns.
    pub total_response_ms: u64,
    /// When the drill ended (Unix ms); used for monthly awards.
    pub finished_at_ms: i64,
    /// The drill's answers, as opaque JSON.
    pub answers: String,
}

/// A recorded result with its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoredResult {
    /// 1-based recording order.
    pub seq: u64,
    pub result: RoundResult,
    pub points: PointsBreakdown,
}

/// The turn to play now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub round: u32,
    /// Team index.
    pub team: usize,
    pub team_name: String,
    pub scenario: String,
    pub seed: u64,
    /// The trainer's pick, if one was set for this turn.
    pub representative: Option<String>,
}

/// A banner for a closed call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub outcome: Ending,
    pub zh: String,
    pub en: String,
}

impl Announcement {
    /// A banner for a deal or an appointment without a fatal breach; none otherwise.
    pub fn for_result(r: &RoundResult) -> Option<Announcement> {
        if r.fatal {
            return None;
        }
        let (zh, en) = match r.outcome {
            Ending::Deal => ("成交！", "closed a deal!"),
            Ending::Appointment => ("约访成功！", "booked an appointment!"),
            _ => return None,
        };
        Some(Announcement {
            outcome: r.outcome,
            zh: format!("{} {} {zh}", r.team, r.trainee),
            en: format!("{} {} {en}", r.team, r.trainee),
        })
    }
}

/// One line of the scoreboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    /// 1-based; teams tied on everything share a rank.
    pub rank: u32,
    pub team: String,
    pub team_index: usize,
    pub points: i64,
    pub rounds: u32,
    /// Average drill score over the team's rounds (0 when none).
    pub average_score: f64,
    pub breaches: u32,
    pub total_response_ms: u64,
    /// With the same points as the team above: the tie-break that put this team below it.
    pub decided_by: Option<TieBreak>,
    /// Same points and same on every tie-break as the team above.
    pub tied: bool,
    pub note_zh: Option<String>,
    pub note_en: Option<String>,
}

/// The trainer's pick of a representative for a turn not yet played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pick {
    round: u32,
    team: usize,
    trainee: String,
}

/// A morning drill session. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competition {
    format: u32,
    teams: Vec<Team>,
    scenarios: Vec<String>,
    rounds: u32,
    seed: u64,
    rules: Rules,
    picks: Vec<Pick>,
    results: Vec<ScoredResult>,
}

/// The seed every representative of `round` plays with: SplitMix64 of the
/// session seed and the round. Stable: pinned by a test.
pub fn round_seed(seed: u64, round: u32) -> u64 {
    let mut z = seed.wrapping_add(u64::from(round).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Rotation: the member who represented least recently; those who never did
/// come first; ties by name. `history` holds `(trainee, when)` pairs, `when`
/// in any increasing unit (Unix ms, or a sequence number).
pub fn propose_from(members: &[String], history: &[(String, i64)]) -> Option<String> {
    members
        .iter()
        .map(|m| {
            let last = history
                .iter()
                .filter(|(n, _)| n == m)
                .map(|(_, t)| *t)
                .max();
            (last, m)
        })
        .min()
        .map(|(_, m)| m.clone())
}

fn is_close(r: &RoundResult) -> bool {
    !r.fatal && matches!(r.outcome, Ending::Deal | Ending::Appointment)
}

#[derive(Default)]
struct Stats {
    points: i64,
    rounds: u32,
    score_sum: u64,
    breaches: u32,
    total_ms: u64,
    reached_at: u64,
}

impl Competition {
    /// Starts a session. Errors name what is wrong: no teams, an empty team,
    /// a repeated team or trainee name, no scenario, rounds out of 1..=100,
    /// or rules out of range.
    pub fn new(
        teams: Vec<Team>,
        scenarios: Vec<String>,
        rounds: u32,
        seed: u64,
        rules: Rules,
    ) -> Result<Competition, String> {
        if teams.is_empty() {
            return Err("a competition needs at least one team".into());
        }
        let mut team_names = BTreeSet::new();
        let mut trainees = BTreeSet::new();
        for t in &teams {
            if t.name.trim().is_empty() {
                return Err("a team has an empty name".into());
            }
            if !team_names.insert(t.name.as_str()) {
                return Err(format!("two teams are called `{}`", t.name));
            }
            if t.members.is_empty() {
                return Err(format!("team `{}` has no members", t.name));
            }
            for m in &t.members {
                if m.trim().is_empty() {
                    return Err(format!("team `{}` has a member with an empty name", t.name));
                }
                if !trainees.insert(m.as_str()) {
                    return Err(format!(
                        "trainee `{m}` is listed twice (each trainee is in one team)"
                    ));
                }
            }
        }
        if scenarios.is_empty() {
            return Err("a competition needs at least one scenario".into());
        }
        if scenarios.iter().any(|s| s.trim().is_empty()) {
            return Err("a scenario id is empty".into());
        }
        if !(1..=MAX_ROUNDS).contains(&rounds) {
            return Err(format!(
                "rounds is {rounds}: it must be between 1 and {MAX_ROUNDS}"
            ));
        }
        rules
            .validate()
            .map_err(|(_, msg)| format!("rules: {msg}"))?;
        Ok(Competition {
            format: FORMAT,
            teams,
            scenarios,
            rounds,
            seed,
            rules,
            picks: Vec::new(),
            results: Vec::new(),
        })
    }

    pub fn teams(&self) -> &[Team] {
        &self.teams
    }
    pub fn scenarios(&self) -> &[String] {
        &self.scenarios
    }
    pub fn rounds(&self) -> u32 {
        self.rounds
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn rules(&self) -> &Rules {
        &self.rules
    }
    pub fn results(&self) -> &[ScoredResult] {
        &self.results
    }

    /// The scenario of `round` (1-based; rounds cycle through the list).
    pub fn scenario_for(&self, round: u32) -> &str {
        let i = (round.max(1) - 1) as usize % self.scenarios.len();
        &self.scenarios[i]
    }

    /// The turn to play now, or `None` when every round is done.
    pub fn next_slot(&self) -> Option<Slot> {
        let k = self.teams.len();
        let played = self.results.len();
        let round = (played / k) as u32 + 1;
        if round > self.rounds {
            return None;
        }
        let team = ((round as usize - 1) + played % k) % k;
        Some(Slot {
            round,
            team,
            team_name: self.teams[team].name.clone(),
            scenario: self.scenario_for(round).to_string(),
            seed: round_seed(self.seed, round),
            representative: self.pick(round, team).map(str::to_string),
        })
    }

    pub fn is_finished(&self) -> bool {
        self.next_slot().is_none()
    }

    fn pick(&self, round: u32, team: usize) -> Option<&str> {
        self.picks
            .iter()
            .find(|p| p.round == round && p.team == team)
            .map(|p| p.trainee.as_str())
    }

    fn team_index(&self, team: usize) -> Result<&Team, String> {
        self.teams.get(team).ok_or_else(|| {
            format!(
                "there is no team {team}: there are {} teams",
                self.teams.len()
            )
        })
    }

    /// The rotation's proposal for `team`: the member who represented least
    /// recently. Representing in this session counts as more recent than
    /// anything in `history` (earlier sessions, `(trainee, when)`).
    pub fn propose_representative(
        &self,
        team: usize,
        history: &[(String, i64)],
    ) -> Result<String, String> {
        let t = self.team_index(team)?;
        let past_max = history.iter().map(|h| h.1).max().unwrap_or(0);
        let mut all: Vec<(String, i64)> = history.to_vec();
        for r in &self.results {
            // Later than all history, in recording order.
            let when = past_max.saturating_add(1).saturating_add(r.seq as i64);
            all.push((r.result.trainee.clone(), when));
        }
        propose_from(&t.members, &all).ok_or_else(|| format!("team `{}` has no members", t.name))
    }

    /// The trainer's override: `trainee` represents `team` in the current
    /// round. Errors when the team has already played this round, the
    /// session is over, or `trainee` is not in the team.
    pub fn set_representative(&mut self, team: usize, trainee: &str) -> Result<(), String> {
        let t = self.team_index(team)?;
        if !t.members.iter().any(|m| m == trainee) {
            return Err(format!("`{trainee}` is not a member of `{}`", t.name));
        }
        let slot = self
            .next_slot()
            .ok_or_else(|| "the competition is over".to_string())?;
        let round = slot.round;
        if self
            .results
            .iter()
            .any(|r| r.result.round == round && r.result.team == t.name)
        {
            return Err(format!("`{}` has already played round {round}", t.name));
        }
        self.picks.retain(|p| !(p.round == round && p.team == team));
        self.picks.push(Pick {
            round,
            team,
            trainee: trainee.to_string(),
        });
        Ok(())
    }

    /// Records the current turn's result and scores it. The result must be
    /// for the turn [`next_slot`](Self::next_slot) names: its round, team,
    /// scenario and seed, by a member of the team (the trainer's pick, if one
    /// was set), with a score of at most 100.
    pub fn record(&mut self, result: RoundResult) -> Result<&ScoredResult, String> {
        let slot = self.next_slot().ok_or_else(|| {
            "the competition is over: no more results can be recorded".to_string()
        })?;
        if result.round != slot.round || result.team != slot.team_name {
            return Err(format!(
                "it is `{}`'s turn in round {}, not `{}`'s in round {}",
                slot.team_name, slot.round, result.team, result.round
            ));
        }
        let team = &self.teams[slot.team];
        if !team.members.contains(&result.trainee) {
            return Err(format!(
                "`{}` is not a member of `{}`",
                result.trainee, team.name
            ));
        }
        if let Some(p) = &slot.representative
            && *p != result.trainee
        {
            return Err(format!(
                "`{p}` was chosen to represent `{}`; set `{}` as representative first",
                team.name, result.trainee
            ));
        }
        if result.scenario != slot.scenario {
            return Err(format!(
                "round {} plays scenario `{}`, not `{}`",
                slot.round, slot.scenario, result.scenario
            ));
        }
        if result.seed != slot.seed {
            return Err(format!(
                "round {} uses seed {} for every team (same customer for all), not {}",
                slot.round, slot.seed, result.seed
            ));
        }
        if result.score > 100 {
            return Err(format!("score {} is above 100", result.score));
        }
        let streak = if is_close(&result) {
            let mut n = 1;
            let mut round = slot.round;
            while round > 1 {
                round -= 1;
                let prev = self
                    .results
                    .iter()
                    .find(|r| r.result.round == round && r.result.team == slot.team_name);
                match prev {
                    Some(p) if is_close(&p.result) => n += 1,
                    _ => break,
                }
            }
            n
        } else {
            0
        };
        let points = self.rules.points_for(&RoundFacts {
            outcome: result.outcome,
            score: result.score,
            fatal: result.fatal,
            total_response_ms: result.total_response_ms,
            streak,
        });
        self.picks
            .retain(|p| !(p.round == slot.round && p.team == slot.team));
        let seq = self.results.len() as u64 + 1;
        self.results.push(ScoredResult {
            seq,
            result,
            points,
        });
        Ok(&self.results[self.results.len() - 1])
    }

    /// The banner for the latest result, if it was a deal or an appointment.
    pub fn announcement(&self) -> Option<Announcement> {
        self.results
            .last()
            .and_then(|r| Announcement::for_result(&r.result))
    }

    fn stats(&self) -> Vec<Stats> {
        let mut stats: Vec<Stats> = self.teams.iter().map(|_| Stats::default()).collect();
        for r in &self.results {
            let Some(i) = self.teams.iter().position(|t| t.name == r.result.team) else {
                continue;
            };
            let s = &mut stats[i];
            s.points += r.points.total;
            s.rounds += 1;
            s.score_sum += u64::from(r.result.score);
            s.breaches += r.result.breaches;
            s.total_ms += r.result.total_response_ms;
            if r.points.total != 0 {
                s.reached_at = r.seq;
            }
        }
        stats
    }

    /// Compares two teams on one tie-break: `Less` means `a` ranks higher.
    fn compare(t: TieBreak, a: &Stats, b: &Stats) -> Ordering {
        match t {
            // Higher average first; exact, by cross-multiplying.
            TieBreak::HigherAdherence => {
                let lhs = u128::from(a.score_sum) * u128::from(b.rounds.max(1));
                let rhs = u128::from(b.score_sum) * u128::from(a.rounds.max(1));
                rhs.cmp(&lhs)
            }
            TieBreak::FewerBreaches => a.breaches.cmp(&b.breaches),
            TieBreak::FasterTotalTime => a.total_ms.cmp(&b.total_ms),
            TieBreak::EarlierFinish => a.reached_at.cmp(&b.reached_at),
        }
    }

    /// Teams ranked by points, then by the rules' tie-breaks in order. Teams
    /// equal on everything share a rank and keep their team order.
    pub fn scoreboard(&self) -> Vec<ScoreRow> {
        let stats = self.stats();
        let full = |a: usize, b: usize| {
            stats[b].points.cmp(&stats[a].points).then_with(|| {
                self.rules
                    .tie_breaks
                    .iter()
                    .map(|&t| Self::compare(t, &stats[a], &stats[b]))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        };
        let mut order: Vec<usize> = (0..self.teams.len()).collect();
        order.sort_by(|&a, &b| full(a, b).then(a.cmp(&b)));
        let mut rows: Vec<ScoreRow> = Vec::with_capacity(order.len());
        for (pos, &i) in order.iter().enumerate() {
            let s = &stats[i];
            let (mut decided_by, mut tied, mut rank) = (None, false, pos as u32 + 1);
            let (mut note_zh, mut note_en) = (None, None);
            if pos > 0 {
                let above = order[pos - 1];
                if stats[above].points == s.points {
                    decided_by = self
                        .rules
                        .tie_breaks
                        .iter()
                        .copied()
                        .find(|&t| Self::compare(t, &stats[above], s).is_ne());
                    match decided_by {
                        Some(t) => {
                            note_zh = Some(format!(
                                "与{}同分，按{}排在其后",
                                self.teams[above].name,
                                t.name_zh()
                            ));
                            note_en = Some(format!(
                                "level on points with {}; below on {}",
                                self.teams[above].name,
                                t.name_en()
                            ));
                        }
                        None => {
                            tied = true;
                            rank = rows[pos - 1].rank;
                            note_zh = Some(format!("与{}并列", self.teams[above].name));
                            note_en = Some(format!("tied with {}", self.teams[above].name));
                        }
                    }
                }
            }
            rows.push(ScoreRow {
                rank,
                team: self.teams[i].name.clone(),
                team_index: i,
                points: s.points,
                rounds: s.rounds,
                average_score: if s.rounds == 0 {
                    0.0
                } else {
                    s.score_sum as f64 / f64::from(s.rounds)
                },
                breaches: s.breaches,
                total_response_ms: s.total_ms,
                decided_by,
                tied,
                note_zh,
                note_en,
            });
        }
        rows
    }

    /// The teams ranked 1 to 3 (more than three rows when teams share a rank).
    pub fn podium(&self) -> Vec<ScoreRow> {
        self.scoreboard()
            .into_iter()
            .filter(|r| r.rank <= 3)
            .collect()
    }

    /// The session as JSON, for saving after every recorded result.
    pub fn to_json(&self) -> Result<String, String> {
        serde_json::to_string_pretty(self).map_err(|e| format!("cannot write the session: {e}"))
    }

    /// The session as RON.
    pub fn to_ron(&self) -> Result<String, String> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| format!("cannot write the session: {e}"))
    }

    /// Resumes a session saved with [`to_json`](Self::to_json).
    pub fn resume(json: &str) -> Result<Competition, String> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let saved: Competition = serde_json::from_str(json).map_err(|e| {
            format!(
                "{}:{}: the saved session cannot be read: {e}",
                e.line(),
                e.column()
            )
        })?;
        Self::replay(saved)
    }

    /// Resumes a session saved with [`to_ron`](Self::to_ron).
    pub fn resume_ron(text: &str) -> Result<Competition, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let saved: Competition = ron::Options::default()
            .from_str(text)
            .map_err(|e| format!("the saved session cannot be read: {e}"))?;
        Self::replay(saved)
    }

    /// Rebuilds a saved session result by result, checking each against the
    /// rules, so nothing inconsistent or edited is accepted.
    fn replay(saved: Competition) -> Result<Competition, String> {
        if saved.format != FORMAT {
            return Err(format!(
                "the saved session has format {}; this version reads format {FORMAT}",
                saved.format
            ));
        }
        let mut c = Competition::new(
            saved.teams,
            saved.scenarios,
            saved.rounds,
            saved.seed,
            saved.rules,
        )?;
        for stored in saved.results {
            let seq = stored.seq;
            let got = c
                .record(stored.result)
                .map_err(|e| format!("saved result {seq}: {e}"))?;
            if got.seq != seq {
                return Err(format!(
                    "saved result {seq} is out of order (expected number {})",
                    got.seq
                ));
            }
            if got.points != stored.points {
                return Err(format!(
                    "saved result {seq} claims {} points but the rules give {}: the file was edited",
                    stored.points.total, got.points.total
                ));
            }
        }
        for p in saved.picks {
            let slot = c.next_slot();
            if slot.as_ref().is_none_or(|s| s.round != p.round) {
                return Err(format!(
                    "a saved representative pick is for round {}, which is not the current round",
                    p.round
                ));
            }
            c.set_representative(p.team, &p.trainee)
                .map_err(|e| format!("saved representative pick: {e}"))?;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::competition::rules::{StreakBonus, TieBreak};

    fn team(name: &str, members: &[&str]) -> Team {
        Team {
            name: name.into(),
            slogan: "口号".into(),
            target: "目标".into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn comp(rules: Rules, rounds: u32) -> Competition {
        Competition::new(
            vec![
                team("猛虎组", &["张三", "李四", "王五"]),
                team("雄鹰组", &["赵六", "钱七"]),
            ],
            vec!["price.basic".into(), "busy.opening".into()],
            rounds,
            42,
            rules,
        )
        .unwrap()
    }

    /// A result for the current turn by `trainee`.
    fn play(c: &mut Competition, trainee: &str, outcome: Ending, score: u32, ms: u64) -> i64 {
        let s = c.next_slot().unwrap();
        let r = RoundResult {
            round: s.round,
            team: s.team_name.clone(),
            trainee: trainee.into(),
            scenario: s.scenario.clone(),
            seed: s.seed,
            score,
            outcome,
            fatal: false,
            breaches: 0,
            total_response_ms: ms,
            finished_at_ms: 1_700_000_000_000 + c.results().len() as i64,
            answers: "[]".into(),
        };
        c.record(r).unwrap().points.total
    }

    fn current_member(c: &Competition) -> String {
        let s = c.next_slot().unwrap();
        c.propose_representative(s.team, &[]).unwrap()
    }

    #[test]
    fn slots_rotate_and_share_the_seed() {
        let mut c = comp(Rules::default(), 3);
        let s = c.next_slot().unwrap();
        assert_eq!(
            (s.round, s.team, s.scenario.as_str()),
            (1, 0, "price.basic")
        );
        let m = current_member(&c);
        play(&mut c, &m, Ending::HangUp, 50, 100_000);
        let s2 = c.next_slot().unwrap();
        assert_eq!((s2.round, s2.team), (1, 1));
        assert_eq!(s2.seed, s.seed, "same customer for every team in a round");
        let m = current_member(&c);
        play(&mut c, &m, Ending::HangUp, 50, 100_000);
        let s3 = c.next_slot().unwrap();
        assert_eq!(
            (s3.round, s3.team, s3.scenario.as_str()),
            (2, 1, "busy.opening")
        );
        assert_ne!(s3.seed, s.seed);
        assert_eq!(s3.seed, round_seed(42, 2));
        for _ in 0..4 {
            let m = current_member(&c);
            play(&mut c, &m, Ending::Callback, 60, 100_000);
        }
        assert!(c.is_finished());
        assert!(c.next_slot().is_none());
        assert_eq!(c.scenario_for(3), "price.basic");
    }

    #[test]
    fn round_seed_is_stable() {
        // SplitMix64's published first output for seed 0 (state + golden ratio).
        assert_eq!(round_seed(0, 1), 0xE220_A839_7B1D_CDAF);
        assert_ne!(round_seed(7, 1), round_seed(7, 2));
    }

    #[test]
    fn rotation_proposes_least_recent() {
        let mut c = comp(Rules::default(), 3);
        // History from earlier sessions: 张三 long ago, 李四 recently, 王五 never.
        let hist = vec![("张三".to_string(), 100), ("李四".to_string(), 200)];
        assert_eq!(c.propose_representative(0, &hist).unwrap(), "王五");
        assert_eq!(
            c.propose_representative(0, &[]).unwrap(),
            "张三",
            "ties by name"
        );
        play(&mut c, "王五", Ending::HangUp, 10, 1);
        assert_eq!(c.propose_representative(0, &hist).unwrap(), "张三");
        play(&mut c, "赵六", Ending::HangUp, 10, 1);
        play(&mut c, "钱七", Ending::HangUp, 10, 1); // round 2 starts with 雄鹰组
        assert_eq!(c.propose_representative(1, &[]).unwrap(), "赵六");
        assert_eq!(c.propose_representative(0, &[]).unwrap(), "张三");
        assert!(c.propose_representative(5, &[]).is_err());
    }

    #[test]
    fn trainer_override_and_wrong_results_are_refused() {
        let mut c = comp(Rules::default(), 2);
        assert!(
            c.set_representative(0, "赵六")
                .unwrap_err()
                .contains("not a member")
        );
        c.set_representative(0, "李四").unwrap();
        assert_eq!(
            c.next_slot().unwrap().representative.as_deref(),
            Some("李四")
        );
        let s = c.next_slot().unwrap();
        let good = RoundResult {
            round: 1,
            team: "猛虎组".into(),
            trainee: "李四".into(),
            scenario: s.scenario.clone(),
            seed: s.seed,
            score: 80,
            outcome: Ending::Deal,
            fatal: false,
            breaches: 0,
            total_response_ms: 1000,
            finished_at_ms: 0,
            answers: String::new(),
        };
        let bad = |f: &dyn Fn(&mut RoundResult)| {
            let mut r = good.clone();
            f(&mut r);
            r
        };
        let mut cc = c.clone();
        assert!(
            cc.record(bad(&|r| r.trainee = "张三".into()))
                .unwrap_err()
                .contains("chosen")
        );
        assert!(
            cc.record(bad(&|r| r.team = "雄鹰组".into()))
                .unwrap_err()
                .contains("turn")
        );
        assert!(
            cc.record(bad(&|r| r.seed += 1))
                .unwrap_err()
                .contains("seed")
        );
        assert!(
            cc.record(bad(&|r| r.scenario = "x".into()))
                .unwrap_err()
                .contains("scenario")
        );
        assert!(
            cc.record(bad(&|r| r.score = 101))
                .unwrap_err()
                .contains("100")
        );
        assert!(cc.record(bad(&|r| r.round = 2)).is_err());
        assert_eq!(cc, c, "refused results change nothing");
        c.record(good).unwrap();
        assert!(c.next_slot().unwrap().representative.is_none());
        assert!(
            c.set_representative(0, "张三")
                .unwrap_err()
                .contains("already played")
        );
    }

    #[test]
    fn points_scoreboard_and_tie_breaks() {
        let mut c = comp(Rules::default(), 1);
        // Both teams: deal within 60 s. 猛虎 score 85 → 10+8+2; 雄鹰 score 89 → 10+8+2.
        let a = play(&mut c, "张三", Ending::Deal, 85, 30_000);
        let b = play(&mut c, "赵六", Ending::Deal, 89, 30_000);
        assert_eq!(a, b);
        let board = c.scoreboard();
        assert_eq!(
            board[0].team, "雄鹰组",
            "higher average script score wins the tie"
        );
        assert_eq!(board[1].decided_by, Some(TieBreak::HigherAdherence));
        assert_eq!(board[1].rank, 2);
        assert!(board[1].note_zh.as_deref().unwrap().contains("话术得分"));
        assert_eq!(board[0].points, 20);
        assert!((board[0].average_score - 89.0).abs() < 1e-9);
    }

    #[test]
    fn later_tie_breaks_and_full_ties() {
        let rules = Rules {
            tie_breaks: vec![TieBreak::HigherAdherence, TieBreak::FasterTotalTime],
            ..Rules::default()
        };
        let mut c = comp(rules.clone(), 1);
        play(&mut c, "张三", Ending::Deal, 85, 50_000);
        play(&mut c, "赵六", Ending::Deal, 85, 40_000);
        let board = c.scoreboard();
        assert_eq!(board[0].team, "雄鹰组");
        assert_eq!(board[1].decided_by, Some(TieBreak::FasterTotalTime));

        let mut c = comp(rules, 1);
        play(&mut c, "张三", Ending::Deal, 85, 40_000);
        play(&mut c, "赵六", Ending::Deal, 85, 40_000);
        let board = c.scoreboard();
        assert!(board[1].tied);
        assert_eq!((board[0].rank, board[1].rank), (1, 1));
        assert_eq!(board[0].team, "猛虎组", "full ties keep team order");
        assert_eq!(c.podium().len(), 2);
    }

    #[test]
    fn streak_bonus_counts_consecutive_closes() {
        let rules = Rules {
            streak_bonus: Some(StreakBonus {
                per_streak_step: 1,
                max: 5,
            }),
            speed_bonus: None,
            ..Rules::default()
        };
        let mut c = comp(rules, 4);
        // Round order: 1: 猛虎, 雄鹰; 2: 雄鹰, 猛虎; 3: 猛虎, 雄鹰; 4: 雄鹰, 猛虎.
        assert_eq!(play(&mut c, "张三", Ending::Deal, 0, 1), 10);
        assert_eq!(play(&mut c, "赵六", Ending::HangUp, 0, 1), 0);
        assert_eq!(play(&mut c, "钱七", Ending::Deal, 0, 1), 10);
        assert_eq!(play(&mut c, "李四", Ending::Appointment, 0, 1), 7 + 1);
        assert_eq!(play(&mut c, "王五", Ending::Deal, 0, 1), 10 + 2);
        assert_eq!(play(&mut c, "赵六", Ending::Deal, 0, 1), 10 + 1);
        assert_eq!(play(&mut c, "钱七", Ending::Deal, 0, 1), 10 + 2);
        assert_eq!(play(&mut c, "张三", Ending::Callback, 0, 1), 4);
    }

    #[test]
    fn announcements_for_deals_and_appointments_only() {
        let mut c = comp(Rules::default(), 2);
        play(&mut c, "张三", Ending::Deal, 80, 1);
        assert_eq!(c.announcement().unwrap().zh, "猛虎组 张三 成交！");
        play(&mut c, "赵六", Ending::Appointment, 80, 1);
        assert_eq!(c.announcement().unwrap().zh, "雄鹰组 赵六 约访成功！");
        play(&mut c, "钱七", Ending::HangUp, 80, 1);
        assert!(c.announcement().is_none());
        let mut r = c.results()[0].result.clone();
        r.fatal = true;
        assert!(Announcement::for_result(&r).is_none());
    }

    #[test]
    fn resume_restores_exactly_and_refuses_edits() {
        let mut c = comp(Rules::default(), 3);
        play(&mut c, "张三", Ending::Deal, 80, 20_000);
        play(&mut c, "赵六", Ending::Complaint, 30, 90_000);
        play(&mut c, "钱七", Ending::Appointment, 70, 100_000);
        c.set_representative(0, "王五").unwrap();
        let json = c.to_json().unwrap();
        let back = Competition::resume(&json).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.scoreboard(), c.scoreboard());
        let ron = c.to_ron().unwrap();
        assert_eq!(Competition::resume_ron(&ron).unwrap(), c);

        // Continue after resuming: the override survived.
        let mut back = back;
        assert_eq!(
            back.next_slot().unwrap().representative.as_deref(),
            Some("王五")
        );
        play(&mut back, "王五", Ending::Deal, 90, 10_000);

        // Edited points are refused.
        let edited = json.replacen("\"total\": 20", "\"total\": 99", 1);
        assert_ne!(edited, json);
        assert!(Competition::resume(&edited).unwrap_err().contains("edited"));
        // Garbage and unknown fields are errors, not panics.
        assert!(Competition::resume("{").is_err());
        assert!(Competition::resume("").is_err());
        let extra = json.replacen("\"seed\"", "\"sneaky\": 1, \"seed\"", 1);
        assert!(Competition::resume(&extra).is_err());
    }

    #[test]
    fn bad_setup_is_an_error() {
        let t = || vec![team("A", &["x"]), team("B", &["y"])];
        let sc = || vec!["s".to_string()];
        assert!(Competition::new(vec![], sc(), 1, 0, Rules::default()).is_err());
        assert!(Competition::new(t(), vec![], 1, 0, Rules::default()).is_err());
        assert!(Competition::new(t(), sc(), 0, 0, Rules::default()).is_err());
        assert!(Competition::new(t(), sc(), 101, 0, Rules::default()).is_err());
        let dup = vec![team("A", &["x"]), team("A", &["y"])];
        assert!(Competition::new(dup, sc(), 1, 0, Rules::default()).is_err());
        let twice = vec![team("A", &["x"]), team("B", &["x"])];
        assert!(Competition::new(twice, sc(), 1, 0, Rules::default()).is_err());
        let empty = vec![team("A", &[]), team("B", &["x"])];
        assert!(Competition::new(empty, sc(), 1, 0, Rules::default()).is_err());
    }
}
