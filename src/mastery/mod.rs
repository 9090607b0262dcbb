//! Mastery: what each trainee knows, per objection category and per approved
//! line, as FSRS-6 memory states (the `fsrs` crate, the scheduler Anki uses).
//!
//! This room turns an answered turn into a review [`Rating`], moves the item's
//! [`MasteryState`] on, shows it as a level from 0 to 100, decides what to
//! practise next ([`next`]) and when a trainee is certified ([`certification`]).
//! It knows nothing of SQLite or Bevy: the records store keeps the states.
//!
//! ## From a turn to a rating
//!
//! | turn | rating |
//! | --- | --- |
//! | a compliance breach, or a turn score below 50 | Again |
//! | score 50–79, or score ≥ 80 but slower than 30 s | Hard |
//! | score ≥ 80 within 30 s (or no time known) | Good |
//! | score ≥ 95 within 10 s | Easy |
//!
//! ## Level
//!
//! `level = 100 × R(now) × S / (S + 2)`, where `S` is the FSRS stability in
//! days and `R(now)` the probability of recall today. A first Good answer gives
//! about 54, a first Easy one about 81; spaced good answers over days raise it,
//! and time without practice lowers it. A never-practised item is 0.

pub mod certification;
pub mod next;

use fsrs::{FSRS, MemoryState};
use serde::{Deserialize, Serialize};

use crate::scoring::Verdict;

/// The desired retention the intervals aim for.
pub const RETENTION: f32 = 0.9;
/// Stability (days) at which the level is half of the recall probability.
pub const LEVEL_HALF_STABILITY: f32 = 2.0;
/// The default level every required category needs for certification.
pub const DEFAULT_THRESHOLD: u32 = 60;
/// Faster than this with a score of 95 or more is Easy.
pub const EASY_WITHIN_MS: u64 = 10_000;
/// Slower than this makes a good answer Hard.
pub const SLOW_AFTER_MS: u64 = 30_000;

const DAY_MS: i64 = 86_400_000;

/// How well a turn went, as an FSRS review grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    pub fn name(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy]
            .into_iter()
            .find(|r| r.name() == s)
    }
}

/// Maps one answered turn to a rating (see the table in the module docs).
pub fn rate(score: u32, verdict: Verdict, response_ms: Option<u64>) -> Rating {
    if verdict == Verdict::Breach || score < 50 {
        return Rating::Again;
    }
    if score < 80 {
        return Rating::Hard;
    }
    match response_ms {
        Some(ms) if ms > SLOW_AFTER_MS => Rating::Hard,
        Some(ms) if ms <= EASY_WITHIN_MS && score >= 95 => Rating::Easy,
        _ => Rating::Good,
    }
}

/// What a mastery item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    /// An objection category of a playbook (异议类别).
    Category,
    /// One approved line of a playbook.
    Line,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Category => "category",
            ItemKind::Line => "line",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        match s {
            "category" => Some(ItemKind::Category),
            "line" => Some(ItemKind::Line),
            _ => None,
        }
    }
}

/// One thing a trainee can master: a category or a line of one playbook.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemKey {
    pub playbook: String,
    pub kind: ItemKind,
    pub item: String,
}

impl ItemKey {
    pub fn category(playbook: &str, id: &str) -> ItemKey {
        ItemKey {
            playbook: playbook.to_string(),
            kind: ItemKind::Category,
            item: id.to_string(),
        }
    }

    pub fn line(playbook: &str, id: &str) -> ItemKey {
        ItemKey {
            playbook: playbook.to_string(),
            kind: ItemKind::Line,
            item: id.to_string(),
        }
    }
}

/// The memory state of one item for one trainee.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MasteryState {
    /// FSRS stability, in days.
    pub stability: f32,
    /// FSRS difficulty, 1-10.
    pub difficulty: f32,
    pub reps: u32,
    /// Reviews rated Again after the first.
    pub lapses: u32,
    pub last_rating: Rating,
    pub last_review_ms: i64,
    /// When the item should be practised again.
    pub due_ms: i64,
}

fn scheduler() -> &'static FSRS {
    static FSRS_DEFAULT: std::sync::OnceLock<FSRS> = std::sync::OnceLock::new();
    FSRS_DEFAULT.get_or_init(FSRS::default)
}

fn decay() -> f32 {
    fsrs::DEFAULT_PARAMETERS[20]
}

impl MasteryState {
    /// The state after a review with `rating` at `now_ms`.
    pub fn review(prev: Option<&MasteryState>, rating: Rating, now_ms: i64) -> MasteryState {
        let days = prev
            .map(|p| ((now_ms - p.last_review_ms).max(0) / DAY_MS) as u32)
            .unwrap_or(0);
        let memory = prev.map(|p| MemoryState {
            stability: p.stability,
            difficulty: p.difficulty,
        });
        // next_states only fails on NaN parameters or states; keep the old state then.
        let next = match scheduler().next_states(memory, RETENTION, days) {
            Ok(n) => n,
            Err(_) => {
                return prev.copied().unwrap_or(MasteryState {
                    stability: 0.1,
                    difficulty: 5.0,
                    reps: 0,
                    lapses: 0,
                    last_rating: rating,
                    last_review_ms: now_ms,
                    due_ms: now_ms,
                });
            }
        };
        let chosen = match rating {
            Rating::Again => next.again,
            Rating::Hard => next.hard,
            Rating::Good => next.good,
            Rating::Easy => next.easy,
        };
        let interval_ms = (chosen.interval.max(0.0) as f64 * DAY_MS as f64) as i64;
        MasteryState {
            stability: chosen.memory.stability,
            difficulty: chosen.memory.difficulty,
            reps: prev.map_or(0, |p| p.reps) + 1,
            lapses: prev.map_or(0, |p| p.lapses)
                + u32::from(prev.is_some() && rating == Rating::Again),
            last_rating: rating,
            last_review_ms: now_ms,
            due_ms: now_ms + interval_ms,
        }
    }

    /// The probability of recall at `now_ms`.
    pub fn retrievability(&self, now_ms: i64) -> f32 {
        let days = (now_ms - self.last_review_ms).max(0) as f32 / DAY_MS as f32;
        fsrs::current_retrievability(
            MemoryState {
                stability: self.stability,
                difficulty: self.difficulty,
            },
            days,
            decay(),
        )
        .clamp(0.0, 1.0)
    }

    /// The level shown to trainees, 0-100.
    pub fn level(&self, now_ms: i64) -> u32 {
        let s = self.stability.max(0.0);
        let level = 100.0 * self.retrievability(now_ms) * s / (s + LEVEL_HALF_STABILITY);
        level.round().clamp(0.0, 100.0) as u32
    }

    pub fn is_due(&self, now_ms: i64) -> bool {
        self.due_ms <= now_ms
    }
}

/// The level of an item that may never have been practised.
pub fn level_of(state: Option<&MasteryState>, now_ms: i64) -> u32 {
    state.map_or(0, |s| s.level(now_ms))
}

/// The category a turn practises: the objection the customer raised, else
/// the category of the approved line the answer was compared with (openings
/// and closes raise no objection but still practise their category).
pub fn category_of(
    playbook: &crate::playbook::Playbook,
    objection: Option<&str>,
    line: &str,
) -> Option<String> {
    objection
        .map(str::to_string)
        .or_else(|| playbook.line(line).map(|(c, _)| c.id.clone()))
}

/// The items one answered turn reviews: its category (if any) and the
/// approved line it was compared with.
pub fn items_of_turn(playbook: &str, category: Option<&str>, line: &str) -> Vec<ItemKey> {
    let mut items = Vec::with_capacity(2);
    if let Some(cat) = category {
        items.push(ItemKey::category(playbook, cat));
    }
    if !line.is_empty() {
        items.push(ItemKey::line(playbook, line));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_780_000_000_000;

    #[test]
    fn rating_follows_the_documented_table() {
        use Verdict::*;
        assert_eq!(rate(100, Breach, Some(1_000)), Rating::Again);
        assert_eq!(rate(49, Partial, Some(1_000)), Rating::Again);
        assert_eq!(rate(50, Partial, Some(1_000)), Rating::Hard);
        assert_eq!(rate(79, Approved, Some(1_000)), Rating::Hard);
        assert_eq!(rate(80, Approved, Some(1_000)), Rating::Good);
        assert_eq!(rate(94, Approved, Some(1_000)), Rating::Good);
        assert_eq!(rate(95, Approved, Some(10_000)), Rating::Easy);
        assert_eq!(rate(95, Approved, Some(10_001)), Rating::Good);
        assert_eq!(rate(100, Approved, Some(30_001)), Rating::Hard);
        assert_eq!(rate(100, Approved, None), Rating::Good);
    }

    #[test]
    fn better_ratings_give_longer_intervals_and_higher_levels() {
        let states: Vec<MasteryState> = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy]
            .iter()
            .map(|&r| MasteryState::review(None, r, T0))
            .collect();
        for w in states.windows(2) {
            assert!(w[0].due_ms < w[1].due_ms, "{w:?}");
            assert!(w[0].level(T0) < w[1].level(T0), "{w:?}");
        }
        assert!(states.iter().all(|s| s.reps == 1 && s.lapses == 0));
        // The documented anchors: a first Good about 54, a first Easy about 81.
        assert!(
            (50..=58).contains(&states[2].level(T0)),
            "{}",
            states[2].level(T0)
        );
        assert!(
            (76..=86).contains(&states[3].level(T0)),
            "{}",
            states[3].level(T0)
        );
    }

    #[test]
    fn spaced_good_reviews_raise_mastery_and_neglect_lowers_it() {
        let mut s = MasteryState::review(None, Rating::Good, T0);
        let first = s.level(T0);
        let mut now = T0;
        for _ in 0..4 {
            now = s.due_ms;
            s = MasteryState::review(Some(&s), Rating::Good, now);
        }
        let later = s.level(now);
        assert!(later > first + 20, "{first} -> {later}");
        assert!(s.level(now + 200 * DAY_MS) < later);
        assert!(!s.is_due(now) && s.is_due(s.due_ms));
        // A lapse is counted and drops the level.
        let lapsed = MasteryState::review(Some(&s), Rating::Again, now + DAY_MS);
        assert_eq!(lapsed.lapses, 1);
        assert!(lapsed.level(now + DAY_MS) < s.level(now + DAY_MS));
    }

    #[test]
    fn a_turn_reviews_its_category_and_its_line() {
        let items = items_of_turn("pos-zh", Some("price"), "price.reframe");
        assert_eq!(
            items,
            vec![
                ItemKey::category("pos-zh", "price"),
                ItemKey::line("pos-zh", "price.reframe")
            ]
        );
        assert_eq!(items_of_turn("pos-zh", None, "open.intro").len(), 1);
    }
}
