//! The scenario: one script tree (话术树) a simulated customer walks through.
//! This room holds the data model a trainer writes in RON: the persona, the
//! nodes with the customer's lines, the reply options and the transitions, and
//! the endings. Loading and checking live in [`crate::content`].

use serde::{Deserialize, Serialize};

pub use crate::playbook::Stage;

/// The step budget when a scenario sets none.
pub const DEFAULT_STEP_BUDGET: u32 = 40;

fn default_step_budget() -> u32 {
    DEFAULT_STEP_BUDGET
}

/// The scenario file: `Scenario(...)` at the top of a `.ron` file in `scenarios/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id used on the command line, e.g. `"pos-busy-owner"`.
    pub id: String,
    /// The id of the playbook the replies are scored against.
    pub playbook: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// 1 (gentle) to 5 (hardest).
    pub difficulty: u8,
    pub persona: Persona,
    /// The id of the first node.
    pub start: String,
    /// Node the call goes to when the customer's patience runs out. Without one
    /// the call ends at once as a HangUp.
    #[serde(default)]
    pub patience_out: Option<String>,
    /// The most customer turns a drill may take before the customer hangs up.
    #[serde(default = "default_step_budget")]
    pub step_budget: u32,
    pub nodes: Vec<Node>,
}

/// The simulated customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Starting patience, 0-100. At 0 the customer hangs up.
    pub patience: i32,
    /// Starting interest, 0-100.
    pub interest: i32,
    #[serde(default)]
    pub traits: Vec<String>,
}

/// One step of the call: the customer speaks, then the trainee answers (or the
/// call moves on by itself, or ends).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    pub stage: Stage,
    /// One or more variants of the customer's line; the seed picks one.
    pub say: Vec<String>,
    /// The objection category this line raises, if any.
    #[serde(default)]
    pub objection: Option<String>,
    /// The reply options offered to the trainee (shuffled by the seed).
    #[serde(default)]
    pub options: Vec<Reply>,
    /// Where the call goes next: the default for options without their own
    /// `next`, and the only way on for a node without options.
    #[serde(default)]
    pub next: Option<Next>,
    /// Set on ending nodes: the call ends after the customer's line.
    #[serde(default)]
    pub ending: Option<Ending>,
}

/// A reply option. It either points at an approved playbook line, or it is a
/// distractor whose flaw says what is wrong with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub text: String,
    /// The approved line this reply delivers.
    #[serde(default)]
    pub line: Option<String>,
    /// What is wrong with this reply, for a distractor.
    #[serde(default)]
    pub flaw: Option<Flaw>,
    /// How the reply moves the customer's mood. A field left out keeps the
    /// default for the kind of reply (see docs/authoring.md).
    #[serde(default)]
    pub mood: Option<MoodOverride>,
    #[serde(default)]
    pub next: Option<Next>,
}

/// What is wrong with a distractor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Flaw {
    /// Not the script: partial credit (0-100) set by the trainer.
    OffScript { credit: u32, reason: String },
    /// Breaks a compliance rule of the playbook.
    Breach {
        rule: String,
        #[serde(default)]
        reason: String,
    },
    /// The right words at the wrong moment: an approved line that belongs elsewhere.
    WrongMoment {
        line: String,
        credit: u32,
        reason: String,
    },
}

/// A change in the customer's patience and interest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoodShift {
    #[serde(default)]
    pub patience: i32,
    #[serde(default)]
    pub interest: i32,
}

/// A reply's own mood effect; each field left out keeps the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoodOverride {
    #[serde(default)]
    pub patience: Option<i32>,
    #[serde(default)]
    pub interest: Option<i32>,
}

impl MoodOverride {
    /// This override applied over a default effect.
    pub fn over(self, default: MoodShift) -> MoodShift {
        MoodShift {
            patience: self.patience.unwrap_or(default.patience),
            interest: self.interest.unwrap_or(default.interest),
        }
    }
}

/// A transition.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Next {
    /// Always this node.
    Goto(String),
    /// One of these nodes, drawn by the seed with the given weights.
    Random(Vec<(u32, String)>),
    /// The first case whose condition holds on the mood after the reply.
    Mood {
        cases: Vec<MoodCase>,
        otherwise: String,
    },
}

impl Next {
    /// Every node id this transition may lead to.
    pub fn targets(&self) -> Vec<&str> {
        match self {
            Next::Goto(t) => vec![t.as_str()],
            Next::Random(ws) => ws.iter().map(|(_, t)| t.as_str()).collect(),
            Next::Mood { cases, otherwise } => cases
                .iter()
                .map(|c| c.goto.as_str())
                .chain(std::iter::once(otherwise.as_str()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoodCase {
    pub when: Condition,
    pub goto: String,
}

/// A condition on the customer's mood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    PatienceBelow(i32),
    PatienceAtLeast(i32),
    InterestBelow(i32),
    InterestAtLeast(i32),
}

impl Condition {
    pub fn holds(self, patience: i32, interest: i32) -> bool {
        match self {
            Condition::PatienceBelow(v) => patience < v,
            Condition::PatienceAtLeast(v) => patience >= v,
            Condition::InterestBelow(v) => interest < v,
            Condition::InterestAtLeast(v) => interest >= v,
        }
    }
}

/// How a call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ending {
    /// The customer signs up / buys.
    Deal,
    /// A visit, demo or meeting is booked.
    Appointment,
    /// A specific callback time is agreed.
    Callback,
    /// The customer hangs up.
    HangUp,
    /// The customer complains (投诉).
    Complaint,
}

impl Ending {
    pub const ALL: [Ending; 5] = [
        Ending::Deal,
        Ending::Appointment,
        Ending::Callback,
        Ending::HangUp,
        Ending::Complaint,
    ];

    /// The ending with this [`Ending::name`], as the records store keeps it.
    pub fn from_name(name: &str) -> Option<Ending> {
        Ending::ALL.into_iter().find(|e| e.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Ending::Deal => "Deal",
            Ending::Appointment => "Appointment",
            Ending::Callback => "Callback",
            Ending::HangUp => "HangUp",
            Ending::Complaint => "Complaint",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Ending::Deal => "成交",
            Ending::Appointment => "邀约成功",
            Ending::Callback => "约定回访",
            Ending::HangUp => "客户挂断",
            Ending::Complaint => "客户投诉",
        }
    }

    /// A good outcome for the call (announced in competitions).
    pub fn is_win(self) -> bool {
        matches!(self, Ending::Deal | Ending::Appointment)
    }
}

impl Scenario {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

impl Node {
    /// Every node id reachable in one step, with whether a player choice leads there.
    pub fn successors(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        if self.ending.is_some() {
            return out;
        }
        for r in &self.options {
            if let Some(n) = r.next.as_ref().or(self.next.as_ref()) {
                out.extend(n.targets().into_iter().map(|t| (t, true)));
            }
        }
        if self.options.is_empty()
            && let Some(n) = &self.next
        {
            out.extend(n.targets().into_iter().map(|t| (t, false)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Ending;

    #[test]
    fn every_ending_is_found_by_its_stored_name() {
        for e in Ending::ALL {
            assert_eq!(Ending::from_name(e.name()), Some(e));
        }
        assert_eq!(Ending::from_name("callback"), None, "names are exact");
    }
}
