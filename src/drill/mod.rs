//! The drill engine: one run of a scenario by one trainee. It walks the script
//! tree turn by turn, moves the customer's mood, scores each answer through
//! [`crate::scoring`], and keeps the transcript. Given the same scenario,
//! playbook, seed and answers it produces the same transcript, bit for bit
//! (see [`rng`] for the draws it makes).

pub mod rng;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use serde::{Deserialize, Serialize};

use crate::playbook::{Playbook, Severity, Stage};
use crate::scenario::{Ending, Flaw, MoodShift, Next, Node, Scenario};
use crate::scoring::{self, Assessment, BreachHit, Coverage, Scorecard, Verdict};
pub use rng::DrillRng;

/// Default mood effects by kind of reply (documented in docs/authoring.md).
pub const APPROVED_MOOD: MoodShift = MoodShift {
    patience: 5,
    interest: 10,
};
pub const OFF_SCRIPT_MOOD: MoodShift = MoodShift {
    patience: -10,
    interest: -5,
};
pub const BREACH_MOOD: MoodShift = MoodShift {
    patience: -30,
    interest: -20,
};

/// The customer's mood, each 0-100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mood {
    pub patience: i32,
    pub interest: i32,
}

impl Mood {
    fn shifted(self, s: MoodShift) -> Mood {
        Mood {
            patience: (self.patience + s.patience).clamp(0, 100),
            interest: (self.interest + s.interest).clamp(0, 100),
        }
    }
}

/// The trainee's answer to a prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// The option at this position (0-based) in the order shown.
    Choice(usize),
    /// A reply typed in free text.
    Typed(String),
}

/// An answer the engine refuses; the drill is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// The drill has ended.
    Ended,
    /// No option at that position; holds the number of options.
    OutOfRange(usize),
    /// A typed reply with nothing in it.
    Empty,
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerError::Ended => write!(f, "the drill has ended"),
            AnswerError::OutOfRange(n) => write!(f, "choose an option from 1 to {n}"),
            AnswerError::Empty => write!(f, "the reply is empty"),
        }
    }
}

impl std::error::Error for AnswerError {}

/// One answered turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub answer: Answer,
    /// The node option the answer selected (for a choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<usize>,
    /// What the trainee said: the option's text or the typed reply.
    pub said: String,
    pub assessment: Assessment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_ms: Option<u64>,
}

/// One customer step of the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub node: String,
    pub stage: Stage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection: Option<String>,
    /// What the customer said.
    pub line: String,
    /// Node option indices in the order shown; empty when the node has no options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<usize>,
    /// The trainee's answer, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<Turn>,
    /// The customer's mood when the step was entered.
    pub mood: Mood,
}

/// Why a drill ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// An ending node of the scenario.
    Scripted,
    /// The customer's patience ran out and the scenario has no `patience_out`.
    PatienceOut,
    /// The step budget was spent.
    StepBudget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub ending: Ending,
    pub reason: EndReason,
}

/// What the trainee sees at a prompt.
#[derive(Debug, Clone)]
pub struct Prompt<'a> {
    pub node: &'a Node,
    pub line: &'a str,
    /// The option texts in the order shown.
    pub options: Vec<&'a str>,
}

/// Facts about a scenario that the engine needs every turn, computed once.
#[derive(Debug)]
pub(crate) struct Prepared {
    index: HashMap<String, usize>,
    /// Per node: the option indices that deliver an approved line.
    approved: Vec<Vec<usize>>,
    /// Per node, per option: coverage of the node's first approved line.
    coverage: Vec<Vec<Coverage>>,
}

impl Prepared {
    fn new(scenario: &Scenario, playbook: &Playbook) -> Prepared {
        let index = scenario
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let mut approved = Vec::with_capacity(scenario.nodes.len());
        let mut coverage = Vec::with_capacity(scenario.nodes.len());
        for node in &scenario.nodes {
            let ap: Vec<usize> = node
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.line.is_some())
                .map(|(i, _)| i)
                .collect();
            let line = ap
                .first()
                .and_then(|&i| node.options[i].line.as_deref())
                .and_then(|id| playbook.line(id));
            // A chosen distractor is judged by its author's flaw, not by which
            // words it shares with the approved line: it covers no key point.
            let cov = node
                .options
                .iter()
                .map(|o| match (o.line.as_deref(), line) {
                    (Some(id), Some((_, l))) if id == l.id => Coverage::full(l.key_points.len()),
                    (_, Some((_, l))) => Coverage {
                        covered: 0,
                        total: l.key_points.len().min(64) as u8,
                    },
                    (_, None) => Coverage {
                        covered: 0,
                        total: 0,
                    },
                })
                .collect();
            approved.push(ap);
            coverage.push(cov);
        }
        Prepared {
            index,
            approved,
            coverage,
        }
    }
}

/// One run of a scenario.
#[derive(Debug, Clone)]
pub struct Drill {
    scenario: Arc<Scenario>,
    playbook: Arc<Playbook>,
    prepared: Arc<Prepared>,
    seed: u64,
    rng: DrillRng,
    mood: Mood,
    steps: Vec<Step>,
    outcome: Option<Outcome>,
}

type PreparedCache = Vec<(Weak<Scenario>, Weak<Playbook>, Arc<Prepared>)>;

static PREPARED: OnceLock<Mutex<PreparedCache>> = OnceLock::new();

/// The prepared facts for this pair, from a small cache. Entries hold `Weak`
/// references, so an allocation stays reserved while its entry exists and a
/// reloaded file (a new `Arc`) can never hit a stale entry.
fn prepared(scenario: &Arc<Scenario>, playbook: &Arc<Playbook>) -> Arc<Prepared> {
    let cache = PREPARED.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, p)) = cache.iter().find(|(s, p, _)| {
        std::ptr::eq(s.as_ptr(), Arc::as_ptr(scenario))
            && std::ptr::eq(p.as_ptr(), Arc::as_ptr(playbook))
    }) {
        return p.clone();
    }
    cache.retain(|(s, p, _)| s.strong_count() > 0 && p.strong_count() > 0);
    let p = Arc::new(Prepared::new(scenario, playbook));
    if cache.len() >= 256 {
        cache.remove(0);
    }
    cache.push((
        Arc::downgrade(scenario),
        Arc::downgrade(playbook),
        p.clone(),
    ));
    p
}

impl Drill {
    /// Starts a drill. The scenario must have passed the content checks
    /// (`crate::content`): every reference resolves.
    pub fn new(scenario: Arc<Scenario>, playbook: Arc<Playbook>, seed: u64) -> Drill {
        let prepared = prepared(&scenario, &playbook);
        let mood = Mood {
            patience: scenario.persona.patience.clamp(0, 100),
            interest: scenario.persona.interest.clamp(0, 100),
        };
        let mut drill = Drill {
            rng: DrillRng::new(seed),
            scenario,
            playbook,
            prepared,
            seed,
            mood,
            steps: Vec::with_capacity(16),
            outcome: None,
        };
        let start = drill.scenario.start.clone();
        drill.enter(&start);
        drill
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    pub fn playbook(&self) -> &Arc<Playbook> {
        &self.playbook
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn mood(&self) -> Mood {
        self.mood
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    pub fn is_over(&self) -> bool {
        self.outcome.is_some()
    }

    fn node_index(&self, id: &str) -> Option<usize> {
        self.prepared.index.get(id).copied()
    }

    fn node_at(&self, i: usize) -> &Node {
        &self.scenario.nodes[i]
    }

    /// The prompt waiting for an answer, if the drill is not over.
    pub fn prompt(&self) -> Option<Prompt<'_>> {
        if self.outcome.is_some() {
            return None;
        }
        let step = self.steps.last()?;
        let node = self.node_at(self.node_index(&step.node)?);
        Some(Prompt {
            node,
            line: &step.line,
            options: step
                .offered
                .iter()
                .map(|&i| node.options[i].text.as_str())
                .collect(),
        })
    }

    /// Answers the current prompt and moves the call on.
    pub fn answer(
        &mut self,
        answer: Answer,
        response_ms: Option<u64>,
    ) -> Result<&Turn, AnswerError> {
        if self.outcome.is_some() {
            return Err(AnswerError::Ended);
        }
        let step_i = self.steps.len() - 1;
        let node_i = self
            .node_index(&self.steps[step_i].node)
            .expect("current node exists");
        let (turn, shift, next) = match &answer {
            Answer::Choice(pos) => {
                let offered = &self.steps[step_i].offered;
                let Some(&opt_i) = offered.get(*pos) else {
                    return Err(AnswerError::OutOfRange(offered.len()));
                };
                self.assess_choice(node_i, opt_i, answer.clone(), response_ms)
            }
            Answer::Typed(text) => {
                if scoring::normalize(text).is_empty() {
                    return Err(AnswerError::Empty);
                }
                self.assess_typed(node_i, text, answer.clone(), response_ms)
            }
        };
        self.mood = self.mood.shifted(shift);
        self.steps[step_i].turn = Some(turn);
        if self.mood.patience <= 0 {
            match self.scenario.patience_out.clone() {
                Some(target) => self.enter(&target),
                None => self.end(Ending::HangUp, EndReason::PatienceOut),
            }
        } else {
            match next {
                Some(next) => self.follow(&next),
                None => self.end(Ending::HangUp, EndReason::Scripted),
            }
        }
        Ok(self.steps[step_i].turn.as_ref().expect("just set"))
    }

    fn assess_choice(
        &self,
        node_i: usize,
        opt_i: usize,
        answer: Answer,
        response_ms: Option<u64>,
    ) -> (Turn, MoodShift, Option<Next>) {
        let node = self.node_at(node_i);
        let opt = &node.options[opt_i];
        let script_line = self.script_line(node_i);
        let coverage = self.prepared.coverage[node_i][opt_i];
        let (assessment, default_mood) = match (&opt.line, &opt.flaw) {
            (Some(line), _) => {
                let total = self
                    .playbook
                    .line(line)
                    .map(|(_, l)| l.key_points.len())
                    .unwrap_or(0);
                (
                    Assessment {
                        verdict: Verdict::Approved,
                        score: 100,
                        line: line.clone(),
                        coverage: Coverage::full(total),
                        reason: None,
                        breaches: Vec::new(),
                    },
                    APPROVED_MOOD,
                )
            }
            (None, Some(Flaw::OffScript { credit, reason }))
            | (None, Some(Flaw::WrongMoment { credit, reason, .. })) => (
                Assessment {
                    verdict: Verdict::Partial,
                    score: (*credit).min(100),
                    line: script_line,
                    coverage,
                    reason: Some(reason.clone()),
                    breaches: Vec::new(),
                },
                OFF_SCRIPT_MOOD,
            ),
            (None, Some(Flaw::Breach { rule, reason })) => {
                let severity = self
                    .playbook
                    .rule(rule)
                    .map(|r| r.severity)
                    .unwrap_or(Severity::Fatal);
                (
                    Assessment {
                        verdict: Verdict::Breach,
                        score: 0,
                        line: script_line,
                        coverage,
                        reason: Some(reason.clone()),
                        breaches: vec![BreachHit {
                            rule: rule.clone(),
                            severity,
                            phrase: None,
                        }],
                    },
                    BREACH_MOOD,
                )
            }
            (None, None) => (
                Assessment {
                    verdict: Verdict::Partial,
                    score: 0,
                    line: script_line,
                    coverage,
                    reason: None,
                    breaches: Vec::new(),
                },
                OFF_SCRIPT_MOOD,
            ),
        };
        let turn = Turn {
            answer,
            option: Some(opt_i),
            said: opt.text.clone(),
            assessment,
            response_ms,
        };
        let next = opt.next.as_ref().or(node.next.as_ref()).cloned();
        (turn, opt.mood.unwrap_or_default().over(default_mood), next)
    }

    fn assess_typed(
        &self,
        node_i: usize,
        text: &str,
        answer: Answer,
        response_ms: Option<u64>,
    ) -> (Turn, MoodShift, Option<Next>) {
        let node = self.node_at(node_i);
        let norm = scoring::normalize(text);
        // The best approved option: most key points covered, first on ties.
        let mut best: Option<(usize, &str, Coverage)> = None;
        for &oi in &self.prepared.approved[node_i] {
            let Some(line_id) = node.options[oi].line.as_deref() else {
                continue;
            };
            let Some((_, line)) = self.playbook.line(line_id) else {
                continue;
            };
            let cov = scoring::coverage(line, &norm);
            if best.is_none_or(|(_, _, b)| cov.percent() > b.percent()) {
                best = Some((oi, line_id, cov));
            }
        }
        let breaches = scoring::breaches(&self.playbook, &norm);
        let option_next = |oi: usize| {
            node.options[oi]
                .next
                .as_ref()
                .or(node.next.as_ref())
                .cloned()
        };
        let (best_opt, line, coverage) = match best {
            Some((oi, id, cov)) => (Some(oi), id.to_string(), cov),
            None => (
                None,
                String::new(),
                Coverage {
                    covered: 0,
                    total: 0,
                },
            ),
        };
        let default_next = best_opt
            .map(option_next)
            .unwrap_or_else(|| node.next.clone());
        if !breaches.is_empty() {
            // Follow an option that breaches the same rule, if the author wrote one.
            let breach_opt = node.options.iter().position(|o| {
                matches!(&o.flaw, Some(Flaw::Breach { rule, .. }) if breaches.iter().any(|b| &b.rule == rule))
            });
            let (shift, next) = match breach_opt {
                Some(oi) => (
                    node.options[oi].mood.unwrap_or_default().over(BREACH_MOOD),
                    option_next(oi),
                ),
                None => (BREACH_MOOD, default_next),
            };
            let assessment = Assessment {
                verdict: Verdict::Breach,
                score: 0,
                line,
                coverage,
                reason: None,
                breaches,
            };
            return (
                Turn {
                    answer,
                    option: None,
                    said: text.to_string(),
                    assessment,
                    response_ms,
                },
                shift,
                next,
            );
        }
        let score = coverage.percent();
        let verdict = if coverage.total > 0 && coverage.count() == coverage.total as u32 {
            Verdict::Approved
        } else {
            Verdict::Partial
        };
        let shift = match best_opt {
            Some(oi) if coverage.is_half() => node.options[oi]
                .mood
                .unwrap_or_default()
                .over(APPROVED_MOOD),
            _ => OFF_SCRIPT_MOOD,
        };
        (
            Turn {
                answer,
                option: None,
                said: text.to_string(),
                assessment: Assessment {
                    verdict,
                    score,
                    line,
                    coverage,
                    reason: None,
                    breaches: Vec::new(),
                },
                response_ms,
            },
            shift,
            default_next,
        )
    }

    /// The id of the approved line that "the script says" at this node.
    fn script_line(&self, node_i: usize) -> String {
        let node = self.node_at(node_i);
        self.prepared.approved[node_i]
            .first()
            .and_then(|&i| node.options[i].line.clone())
            .unwrap_or_default()
    }

    fn follow(&mut self, next: &Next) {
        let target = self.resolve(next);
        self.enter(&target);
    }

    /// The node a transition leads to now (draws from the RNG for `Random`).
    fn resolve(&mut self, next: &Next) -> String {
        match next {
            Next::Goto(t) => t.clone(),
            Next::Random(ws) => {
                let i = self.rng.weighted(ws.iter().map(|(w, _)| *w));
                ws[i].1.clone()
            }
            Next::Mood { cases, otherwise } => cases
                .iter()
                .find(|c| c.when.holds(self.mood.patience, self.mood.interest))
                .map(|c| c.goto.clone())
                .unwrap_or_else(|| otherwise.clone()),
        }
    }

    /// Enters a node, and keeps moving through nodes without options until a
    /// prompt or an ending.
    fn enter(&mut self, id: &str) {
        let mut id = id.to_string();
        loop {
            let Some(node_i) = self.node_index(&id) else {
                // Unreachable for checked content; end cleanly rather than panic.
                self.end(Ending::HangUp, EndReason::Scripted);
                return;
            };
            let is_ending = self.node_at(node_i).ending.is_some();
            if self.steps.len() as u32 >= self.scenario.step_budget.max(1) && !is_ending {
                self.end(Ending::HangUp, EndReason::StepBudget);
                return;
            }
            let node = &self.scenario.nodes[node_i];
            let variant = if node.say.len() > 1 {
                self.rng.below(node.say.len() as u64) as usize
            } else {
                0
            };
            let mut offered: Vec<usize> = (0..node.options.len()).collect();
            if offered.len() > 1 {
                self.rng.shuffle(&mut offered);
            }
            let node = &self.scenario.nodes[node_i];
            self.steps.push(Step {
                node: node.id.clone(),
                stage: node.stage,
                objection: node.objection.clone(),
                line: node.say.get(variant).cloned().unwrap_or_default(),
                offered,
                turn: None,
                mood: self.mood,
            });
            if let Some(ending) = node.ending {
                self.outcome = Some(Outcome {
                    ending,
                    reason: EndReason::Scripted,
                });
                return;
            }
            if !node.options.is_empty() {
                return;
            }
            let Some(next) = node.next.clone() else {
                self.end(Ending::HangUp, EndReason::Scripted);
                return;
            };
            id = self.resolve(&next);
        }
    }

    fn end(&mut self, ending: Ending, reason: EndReason) {
        self.outcome = Some(Outcome { ending, reason });
    }

    /// The scorecard of the turns answered so far. A drill that has not
    /// ended never passes, whatever its turns scored.
    pub fn scorecard(&self) -> Scorecard {
        let mut card = scoring::scorecard(
            &self.playbook,
            self.steps
                .iter()
                .filter_map(|s| s.turn.as_ref().map(|t| (s.stage, &t.assessment))),
        );
        card.passed &= self.is_over();
        card
    }

    /// The node ids visited, in order.
    pub fn path(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.node.as_str()).collect()
    }

    /// The whole drill as a serialisable transcript.
    pub fn transcript(&self) -> Transcript {
        Transcript {
            scenario: self.scenario.id.clone(),
            playbook: self.playbook.id.clone(),
            seed: self.seed,
            steps: self.steps.clone(),
            outcome: self.outcome,
            scorecard: self.scorecard(),
        }
    }
}

/// A drill's full record: enough to replay it and to explain every score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub scenario: String,
    pub playbook: String,
    pub seed: u64,
    pub steps: Vec<Step>,
    pub outcome: Option<Outcome>,
    pub scorecard: Scorecard,
}

impl Transcript {
    /// The answers in order, to replay the drill with the same seed.
    pub fn answers(&self) -> Vec<Answer> {
        self.steps
            .iter()
            .filter_map(|s| s.turn.as_ref().map(|t| t.answer.clone()))
            .collect()
    }
}
