//! Scoring: one reply (chosen or typed) against the playbook, and the drill's
//! scorecard. Deterministic and explainable: the same input always gives the
//! same score, and every score carries what was said, what the script says, and
//! the key points covered and missed. The rules are in docs/authoring.md.

mod normalize;

pub use normalize::normalize;

use serde::{Deserialize, Serialize};

use crate::playbook::{ApprovedLine, Playbook, Severity, Stage};

/// How a turn went, for colour and wording of the feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// On script.
    Approved,
    /// Partly right: off-script, the wrong moment, or a typed reply missing key points.
    Partial,
    /// A compliance breach.
    Breach,
}

/// Which key points of an approved line a text covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Bit i set: key point i is covered.
    pub covered: u64,
    /// The number of key points of the line.
    pub total: u8,
}

impl Coverage {
    pub fn full(total: usize) -> Coverage {
        let total = total.min(64);
        let covered = if total == 64 {
            u64::MAX
        } else {
            (1u64 << total) - 1
        };
        Coverage {
            covered,
            total: total as u8,
        }
    }

    pub fn count(&self) -> u32 {
        self.covered.count_ones()
    }

    pub fn is_covered(&self, i: usize) -> bool {
        i < 64 && self.covered & (1 << i) != 0
    }

    /// 0-100, rounded to nearest.
    pub fn percent(&self) -> u32 {
        if self.total == 0 {
            return 100;
        }
        (self.count() * 100 + self.total as u32 / 2) / self.total as u32
    }

    /// At least half the key points.
    pub fn is_half(&self) -> bool {
        self.count() * 2 >= self.total as u32
    }
}

/// The key points of `line` that the (already normalised) text covers.
pub fn coverage(line: &ApprovedLine, normalized_text: &str) -> Coverage {
    let mut covered = 0u64;
    for (i, kp) in line.key_points.iter().enumerate().take(64) {
        if kp.phrasings.iter().any(|p| {
            let p = normalize(p);
            !p.is_empty() && normalized_text.contains(&p)
        }) {
            covered |= 1 << i;
        }
    }
    Coverage {
        covered,
        total: line.key_points.len().min(64) as u8,
    }
}

/// A compliance breach found in a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachHit {
    pub rule: String,
    pub severity: Severity,
    /// The forbidden phrasing found, for a typed reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
}

/// Every compliance rule whose forbidden phrasings appear in the normalised text.
pub fn breaches(playbook: &Playbook, normalized_text: &str) -> Vec<BreachHit> {
    let mut out = Vec::new();
    for rule in &playbook.rules {
        if let Some(p) = rule.forbidden.iter().find(|p| {
            let p = normalize(p);
            !p.is_empty() && normalized_text.contains(&p)
        }) {
            out.push(BreachHit {
                rule: rule.id.clone(),
                severity: rule.severity,
                phrase: Some(p.clone()),
            });
        }
    }
    out
}

/// The assessment of one turn: its score and the explanation behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub verdict: Verdict,
    /// 0-100.
    pub score: u32,
    /// The approved line the reply is compared with ("what the script says").
    pub line: String,
    /// Key points of that line the reply covers.
    pub coverage: Coverage,
    /// Why a distractor is wrong (from the scenario).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaches: Vec<BreachHit>,
}

/// The turn scores of one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageScore {
    pub stage: Stage,
    pub weight: u32,
    pub turns: u32,
    /// Average turn score, 0-100.
    pub average: f64,
}

/// The compliance gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compliance {
    Pass,
    /// Major breaches only: each costs points.
    Warn,
    /// A fatal breach: the drill scores 0.
    Fail,
}

impl Compliance {
    pub fn name(self) -> &'static str {
        match self {
            Compliance::Pass => "pass",
            Compliance::Warn => "warn",
            Compliance::Fail => "fail",
        }
    }
}

/// Points a major breach costs.
pub const MAJOR_BREACH_PENALTY: u32 = 10;

/// The scorecard of a drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// 0-100.
    pub score: u32,
    /// The score before the compliance gate and penalties.
    pub raw_score: u32,
    pub stages: Vec<StageScore>,
    pub compliance: Compliance,
    pub fatal_breaches: u32,
    pub major_breaches: u32,
    pub pass_mark: u32,
    pub passed: bool,
}

/// The drill score from the turns' (stage, assessment).
pub fn scorecard<'a>(
    playbook: &Playbook,
    turns: impl IntoIterator<Item = (Stage, &'a Assessment)>,
) -> Scorecard {
    let mut sums = [(0u64, 0u32); 5];
    let mut fatal = 0;
    let mut major = 0;
    for (stage, a) in turns {
        let slot = &mut sums[stage_index(stage)];
        slot.0 += a.score as u64;
        slot.1 += 1;
        for b in &a.breaches {
            match b.severity {
                Severity::Fatal => fatal += 1,
                Severity::Major => major += 1,
            }
        }
    }
    let mut stages = Vec::new();
    let mut weighted = 0f64;
    let mut weights = 0u64;
    for stage in Stage::ALL {
        let (sum, n) = sums[stage_index(stage)];
        if n == 0 {
            continue;
        }
        let weight = playbook.rubric.weight(stage);
        let average = sum as f64 / n as f64;
        weighted += average * weight as f64;
        weights += weight as u64;
        stages.push(StageScore {
            stage,
            weight,
            turns: n,
            average,
        });
    }
    let raw_score = if weights == 0 {
        0
    } else {
        (weighted / weights as f64).round() as u32
    };
    let compliance = if fatal > 0 {
        Compliance::Fail
    } else if major > 0 {
        Compliance::Warn
    } else {
        Compliance::Pass
    };
    let score = if fatal > 0 {
        0
    } else {
        raw_score.saturating_sub(major * MAJOR_BREACH_PENALTY)
    };
    Scorecard {
        score,
        raw_score,
        stages,
        compliance,
        fatal_breaches: fatal,
        major_breaches: major,
        pass_mark: playbook.pass_mark,
        passed: fatal == 0 && score >= playbook.pass_mark,
    }
}

fn stage_index(stage: Stage) -> usize {
    match stage {
        Stage::Opening => 0,
        Stage::Discovery => 1,
        Stage::Objection => 2,
        Stage::Value => 3,
        Stage::Close => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{Category, ComplianceRule, KeyPoint, Rubric};

    fn playbook() -> Playbook {
        Playbook {
            id: "t".into(),
            title: "t".into(),
            language: "zh-CN".into(),
            description: String::new(),
            pass_mark: 80,
            rubric: Rubric {
                opening: 10,
                discovery: 0,
                objection: 30,
                value: 0,
                close: 0,
            },
            categories: vec![Category {
                id: "price".into(),
                title: "价格".into(),
                description: String::new(),
                required: true,
                lines: vec![ApprovedLine {
                    id: "price.reframe".into(),
                    text: "我理解您觉得费率高……".into(),
                    key_points: vec![
                        KeyPoint {
                            id: "empathy".into(),
                            title: "共情".into(),
                            phrasings: vec!["理解".into(), "明白".into()],
                        },
                        KeyPoint {
                            id: "clarify".into(),
                            title: "澄清".into(),
                            phrasings: vec!["跟谁比".into(), "哪家".into()],
                        },
                        KeyPoint {
                            id: "proof".into(),
                            title: "举证".into(),
                            phrasings: vec!["案例".into(), "隔壁".into()],
                        },
                    ],
                }],
            }],
            rules: vec![
                ComplianceRule {
                    id: "no_bank".into(),
                    title: "不得冒充银行".into(),
                    severity: Severity::Fatal,
                    forbidden: vec!["银联的".into()],
                    advice: String::new(),
                },
                ComplianceRule {
                    id: "no_promise".into(),
                    title: "不得承诺费率不变".into(),
                    severity: Severity::Major,
                    forbidden: vec!["永远不涨".into()],
                    advice: String::new(),
                },
            ],
        }
    }

    fn assessment(score: u32, breaches: Vec<BreachHit>) -> Assessment {
        Assessment {
            verdict: if breaches.is_empty() {
                Verdict::Approved
            } else {
                Verdict::Breach
            },
            score,
            line: "price.reframe".into(),
            coverage: Coverage::full(3),
            reason: None,
            breaches,
        }
    }

    #[test]
    fn coverage_counts_key_points_across_forms() {
        let pb = playbook();
        let (_, line) = pb.line("price.reframe").unwrap();
        let c = coverage(line, &normalize("我很理解！您是跟哪家比的？"));
        assert_eq!(c.count(), 2);
        assert!(c.is_covered(0) && c.is_covered(1) && !c.is_covered(2));
        assert_eq!(c.percent(), 67);
        assert!(c.is_half());
        let none = coverage(line, &normalize("您好"));
        assert_eq!(none.count(), 0);
        assert!(!none.is_half());
    }

    #[test]
    fn breaches_are_found_after_normalisation() {
        let pb = playbook();
        let hits = breaches(&pb, &normalize("老板，我是 银联 的，费率永远不涨！"));
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].rule, "no_bank");
        assert_eq!(hits[1].severity, Severity::Major);
        assert!(breaches(&pb, &normalize("我是汇通支付的小李")).is_empty());
    }

    #[test]
    fn stage_weights_apply_over_visited_stages() {
        let pb = playbook();
        let a100 = assessment(100, vec![]);
        let a40 = assessment(40, vec![]);
        let card = scorecard(&pb, vec![(Stage::Opening, &a100), (Stage::Objection, &a40)]);
        // (100*10 + 40*30) / 40 = 55
        assert_eq!(card.score, 55);
        assert_eq!(card.compliance, Compliance::Pass);
        assert!(!card.passed);
        assert_eq!(card.stages.len(), 2);
    }

    #[test]
    fn fatal_breach_zeroes_the_drill() {
        let pb = playbook();
        let good = assessment(100, vec![]);
        let bad = assessment(
            0,
            vec![BreachHit {
                rule: "no_bank".into(),
                severity: Severity::Fatal,
                phrase: None,
            }],
        );
        let card = scorecard(
            &pb,
            vec![
                (Stage::Opening, &good),
                (Stage::Objection, &good),
                (Stage::Objection, &good),
                (Stage::Objection, &bad),
            ],
        );
        assert_eq!(card.compliance, Compliance::Fail);
        assert_eq!(card.score, 0);
        assert!(card.raw_score > 0);
        assert!(!card.passed);
    }

    #[test]
    fn major_breach_costs_points() {
        let pb = playbook();
        let good = assessment(100, vec![]);
        let major = assessment(
            100,
            vec![BreachHit {
                rule: "no_promise".into(),
                severity: Severity::Major,
                phrase: None,
            }],
        );
        let card = scorecard(
            &pb,
            vec![(Stage::Objection, &good), (Stage::Objection, &major)],
        );
        assert_eq!(card.compliance, Compliance::Warn);
        assert_eq!(card.score, 100 - MAJOR_BREACH_PENALTY);
    }
}
