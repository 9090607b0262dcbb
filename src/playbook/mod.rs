//! The playbook (统一话术): the team's approved unified script for one product or
//! project. This room holds the data model a trainer writes in RON and the
//! look-ups the engine and the scorer need. Loading and checking live in
//! [`crate::content`].

use serde::{Deserialize, Serialize};

/// A call stage. The rubric weights the drill score by stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// Opening and permission: who you are, why you call, is now a good time.
    Opening,
    /// Discovery and qualifying (needs, budget, authority, timeline).
    Discovery,
    /// Objection handling against the approved steps.
    Objection,
    /// Presenting value, accurately.
    Value,
    /// Close and next step.
    Close,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Opening,
        Stage::Discovery,
        Stage::Objection,
        Stage::Value,
        Stage::Close,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Opening => "Opening",
            Stage::Discovery => "Discovery",
            Stage::Objection => "Objection",
            Stage::Value => "Value",
            Stage::Close => "Close",
        }
    }

    /// The stage's name in Chinese, for zh-CN output.
    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Opening => "开场",
            Stage::Discovery => "需求挖掘",
            Stage::Objection => "异议处理",
            Stage::Value => "价值呈现",
            Stage::Close => "促成与下一步",
        }
    }
}

/// How bad a compliance breach is. A fatal breach zeroes the drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Fatal,
    Major,
}

/// The playbook file: `Playbook(...)` at the top of a `.ron` file in `playbooks/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Stable id that scenarios reference, e.g. `"pos-zh"`.
    pub id: String,
    pub title: String,
    /// BCP 47 language tag of the content, e.g. `"zh-CN"` or `"en"`.
    pub language: String,
    #[serde(default)]
    pub description: String,
    /// The drill score (0-100) a trainee needs to pass.
    pub pass_mark: u32,
    pub rubric: Rubric,
    pub categories: Vec<Category>,
    pub rules: Vec<ComplianceRule>,
}

/// Rubric weights by call stage. Stages a drill never visits are left out and the
/// rest are renormalised.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub opening: u32,
    pub discovery: u32,
    pub objection: u32,
    pub value: u32,
    pub close: u32,
}

impl Rubric {
    pub fn weight(&self, stage: Stage) -> u32 {
        match stage {
            Stage::Opening => self.opening,
            Stage::Discovery => self.discovery,
            Stage::Objection => self.objection,
            Stage::Value => self.value,
            Stage::Close => self.close,
        }
    }
}

/// An objection category (异议类别), e.g. price, busy, trust.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Required for certification (上岗认证).
    #[serde(default)]
    pub required: bool,
    pub lines: Vec<ApprovedLine>,
}

/// One approved line of the unified script, with the key points it must make.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovedLine {
    /// Unique within the playbook; by convention `"category.name"`.
    pub id: String,
    /// The approved wording, shown as "what the script says".
    pub text: String,
    pub key_points: Vec<KeyPoint>,
}

/// A move the approved line must make, with the phrasings that count for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPoint {
    pub id: String,
    pub title: String,
    /// Any of these, found in a typed reply after normalisation, covers the point.
    pub phrasings: Vec<String>,
}

/// A compliance red line (红线).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceRule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Phrasings that breach the rule when they appear in a typed reply.
    pub forbidden: Vec<String>,
    /// What to do instead; shown with the breach.
    #[serde(default)]
    pub advice: String,
}

impl Playbook {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The approved line with this id, and the category that holds it.
    pub fn line(&self, id: &str) -> Option<(&Category, &ApprovedLine)> {
        self.categories
            .iter()
            .find_map(|c| c.lines.iter().find(|l| l.id == id).map(|l| (c, l)))
    }

    pub fn rule(&self, id: &str) -> Option<&ComplianceRule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn lines(&self) -> impl Iterator<Item = (&Category, &ApprovedLine)> {
        self.categories
            .iter()
            .flat_map(|c| c.lines.iter().map(move |l| (c, l)))
    }
}
