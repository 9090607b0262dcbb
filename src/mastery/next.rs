//! What to practise next: due items first (most overdue first), then the
//! weakest practised ones below the certification threshold, then new ones
//! (required categories first), then the rest from the lowest level. The
//! scheduler then picks the scenario and seed whose call exercises the most
//! of them: it plays each candidate with an on-script bot through the engine
//! and scores the objection categories the call raises. Everything here is
//! deterministic: the same records give the same next drill.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{ItemKey, ItemKind, MasteryState, level_of};
use crate::drill::{Answer, Drill};
use crate::playbook::Playbook;
use crate::scenario::Scenario;

/// How many seeds are tried per scenario.
pub const SEEDS_PER_SCENARIO: u64 = 24;

/// Why an item was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Why {
    /// Its review is due.
    Due,
    /// Practised, but the weakest.
    Weak,
    /// Never practised.
    New,
}

/// One category the next drill should exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub key: ItemKey,
    pub title: String,
    pub why: Why,
    pub level: u32,
}

/// The scheduler's choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextDrill {
    pub scenario: String,
    pub seed: u64,
    /// The ranked targets; the first is what the trainee most needs.
    pub targets: Vec<Target>,
    /// The targets (by category id) the chosen call raises with on-script answers.
    pub covered: Vec<String>,
}

/// The ranked practice list over the categories of `playbooks` that some
/// scenario raises.
pub fn ranked_targets(
    playbooks: &[Arc<Playbook>],
    scenarios: &[Arc<Scenario>],
    states: &HashMap<ItemKey, MasteryState>,
    now_ms: i64,
) -> Vec<Target> {
    let mut due = Vec::new();
    let mut weak = Vec::new();
    let mut new = Vec::new();
    let mut strong = Vec::new();
    for pb in playbooks {
        for (order, cat) in pb.categories.iter().enumerate() {
            let raised = scenarios.iter().any(|s| {
                s.playbook == pb.id
                    && s.nodes.iter().any(|n| {
                        n.objection.as_deref() == Some(&cat.id)
                            || n.options.iter().any(|o| {
                                o.line
                                    .as_deref()
                                    .is_some_and(|l| cat.lines.iter().any(|x| x.id == l))
                            })
                    })
            });
            if !raised {
                continue;
            }
            let key = ItemKey::category(&pb.id, &cat.id);
            let state = states.get(&key);
            let level = level_of(state, now_ms);
            let target = |why| Target {
                key: key.clone(),
                title: cat.title.clone(),
                why,
                level,
            };
            match state {
                Some(s) if s.is_due(now_ms) => due.push((s.due_ms, target(Why::Due))),
                Some(_) if level < super::DEFAULT_THRESHOLD => {
                    weak.push((level, target(Why::Weak)))
                }
                Some(_) => strong.push((level, target(Why::Weak))),
                None => new.push(((!cat.required, order), target(Why::New))),
            }
        }
    }
    due.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    weak.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    new.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    strong.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    due.into_iter()
        .map(|t| t.1)
        .chain(weak.into_iter().map(|t| t.1))
        .chain(new.into_iter().map(|t| t.1))
        .chain(strong.into_iter().map(|t| t.1))
        .collect()
}

/// The categories a call practises when every answer is the approved option.
pub fn raised_on_script(
    scenario: &Arc<Scenario>,
    playbook: &Arc<Playbook>,
    seed: u64,
) -> Vec<String> {
    let mut drill = Drill::new(scenario.clone(), playbook.clone(), seed);
    while !drill.is_over() {
        let step = drill.steps().last().expect("a running drill has a step");
        let Some(node) = scenario.nodes.iter().find(|n| n.id == step.node) else {
            break;
        };
        let pos = step
            .offered
            .iter()
            .position(|&i| node.options[i].line.is_some())
            .unwrap_or(0);
        if drill.answer(Answer::Choice(pos), None).is_err() {
            break;
        }
    }
    let mut raised: Vec<String> = Vec::new();
    for step in drill.steps() {
        let line = step
            .turn
            .as_ref()
            .map_or("", |t| t.assessment.line.as_str());
        if let Some(cat) = super::category_of(playbook, step.objection.as_deref(), line)
            && !raised.contains(&cat)
        {
            raised.push(cat);
        }
    }
    raised
}

/// A well-mixed 64-bit value, so that seeds differ between trainees and drills.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Picks the next drill for a trainee. `variety` (for example the trainee's id
/// and drill count mixed together) moves the seeds tried, so that a trainee
/// does not meet the same call every time. `None` when no scenario raises any
/// category of the playbooks.
pub fn plan(
    playbooks: &[Arc<Playbook>],
    scenarios: &[Arc<Scenario>],
    states: &HashMap<ItemKey, MasteryState>,
    now_ms: i64,
    variety: u64,
) -> Option<NextDrill> {
    let targets = ranked_targets(playbooks, scenarios, states, now_ms);
    if targets.is_empty() {
        return None;
    }
    // Weight by rank: the first target outweighs all the others together.
    let weight = |rank: usize| -> u64 { 1u64 << (40usize.saturating_sub(rank.min(40))) };
    let rank_of: HashMap<(&str, &str), usize> = targets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.key.kind == ItemKind::Category)
        .map(|(i, t)| ((t.key.playbook.as_str(), t.key.item.as_str()), i))
        .collect();
    let base = mix(variety);
    let mut best: Option<(u64, NextDrill)> = None;
    for scenario in scenarios {
        let Some(playbook) = playbooks.iter().find(|p| p.id == scenario.playbook) else {
            continue;
        };
        for k in 0..SEEDS_PER_SCENARIO {
            let seed = mix(base.wrapping_add(k)) % 1_000_000;
            let raised = raised_on_script(scenario, playbook, seed);
            let score: u64 = raised
                .iter()
                .filter_map(|c| rank_of.get(&(playbook.id.as_str(), c.as_str())))
                .map(|&r| weight(r))
                .sum();
            if score > 0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
                let covered = targets
                    .iter()
                    .filter(|t| t.key.playbook == playbook.id && raised.contains(&t.key.item))
                    .map(|t| t.key.item.clone())
                    .collect();
                best = Some((
                    score,
                    NextDrill {
                        scenario: scenario.id.clone(),
                        seed,
                        targets: targets.clone(),
                        covered,
                    },
                ));
            }
        }
    }
    best.map(|(_, n)| n)
}
