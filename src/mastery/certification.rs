//! Certification (上岗认证): an exam drill at or above the pass mark with no
//! fatal breach, finished, while every required category of the playbook is at
//! the mastery threshold. This room decides; the records store keeps the grant.

use serde::{Deserialize, Serialize};

use crate::playbook::Playbook;
use crate::scoring::Scorecard;

/// Why a certification was not granted; empty when it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Missing {
    /// The exam ended before the call did.
    Unfinished,
    /// The exam score is below the pass mark.
    Score { score: u32, pass_mark: u32 },
    /// The exam has a fatal breach.
    FatalBreach,
    /// A required category is below the mastery threshold.
    Category {
        id: String,
        title: String,
        level: u32,
        threshold: u32,
    },
}

/// The result of checking one exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertCheck {
    pub granted: bool,
    pub missing: Vec<Missing>,
}

/// Checks an exam. `level` gives the trainee's current level of a category of
/// this playbook (after the exam's own turns were recorded).
pub fn check(
    playbook: &Playbook,
    card: &Scorecard,
    finished: bool,
    threshold: u32,
    level: impl Fn(&str) -> u32,
) -> CertCheck {
    let mut missing = Vec::new();
    if !finished {
        missing.push(Missing::Unfinished);
    }
    if card.fatal_breaches > 0 {
        missing.push(Missing::FatalBreach);
    }
    if card.score < card.pass_mark {
        missing.push(Missing::Score {
            score: card.score,
            pass_mark: card.pass_mark,
        });
    }
    for cat in playbook.categories.iter().filter(|c| c.required) {
        let l = level(&cat.id);
        if l < threshold {
            missing.push(Missing::Category {
                id: cat.id.clone(),
                title: cat.title.clone(),
                level: l,
                threshold,
            });
        }
    }
    CertCheck {
        granted: missing.is_empty(),
        missing,
    }
}

impl Missing {
    /// One line for the trainee, in Chinese or English.
    pub fn describe(&self, zh: bool) -> String {
        match (self, zh) {
            (Missing::Unfinished, true) => "考试没有打完整通电话".into(),
            (Missing::Unfinished, false) => "the exam call was not finished".into(),
            (Missing::Score { score, pass_mark }, true) => {
                format!("考试得分 {score}，未达到及格线 {pass_mark}")
            }
            (Missing::Score { score, pass_mark }, false) => {
                format!("exam score {score} is below the pass mark {pass_mark}")
            }
            (Missing::FatalBreach, true) => "考试中有致命违规".into(),
            (Missing::FatalBreach, false) => "the exam has a fatal breach".into(),
            (
                Missing::Category {
                    title,
                    level,
                    threshold,
                    ..
                },
                true,
            ) => format!("必考类别「{title}」掌握度 {level}，需要 {threshold}"),
            (
                Missing::Category {
                    title,
                    level,
                    threshold,
                    ..
                },
                false,
            ) => format!("required category \"{title}\" is at {level}, needs {threshold}"),
        }
    }
}
