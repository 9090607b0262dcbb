//! The morning team drill (晨会小组竞赛): teams of similar strength, one
//! representative per team per round facing the same customer, a live
//! scoreboard, announcements for every closed call, awards, and results that
//! cannot be edited silently. Pure Rust and deterministic: no Bevy, no
//! database; every type serialises with serde.
//!
//! - [`teams`]: teams (组名, 口号, 目标) and balancing them by strength.
//! - [`rules`]: the session's scoring rules, in RON.
//! - [`session`]: the [`Competition`] state machine: rounds, representatives,
//!   points, scoreboard, podium, resume.
//! - [`awards`]: 最佳话术奖, 最佳新人奖, top team, 月度冠军.
//! - [`chain`]: the SHA-256 hash chain that makes stored results tamper-evident.

pub mod awards;
pub mod chain;
pub mod rules;
pub mod session;
pub mod teams;

pub use rules::{Rules, TieBreak};
pub use session::{Announcement, Competition, RoundResult, ScoreRow, ScoredResult, Slot};
pub use teams::{Balance, Team, balance, move_member};
