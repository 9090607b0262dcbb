//! The onboarding path (磨合期), shared by the game and text mode: practice
//! and exam drills recorded turn by turn, the mastery view a trainee sees, the
//! next drill the scheduler picks, and certification after an exam. This room
//! joins the engine, the records store and the mastery model; it knows nothing
//! of Bevy or the terminal.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::Library;
use crate::drill::Drill;
use crate::i18n::Lang;
use crate::mastery::{
    self, ItemKey, MasteryState,
    certification::{self, CertCheck},
    next::NextDrill,
};
use crate::playbook::Playbook;
use crate::records::{Certification, Store, StoreError, Trainee, now_ms};
use crate::scenario::Scenario;

/// Practice gives feedback after each turn; an exam gives none until the end
/// and no retries, and can certify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Practice,
    Exam,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Exam => "exam",
        }
    }
}

/// One category row of the mastery view.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryMastery {
    pub id: String,
    pub title: String,
    pub required: bool,
    pub level: u32,
    pub reps: u32,
    pub due: bool,
    pub practised: bool,
}

/// What a trainee sees of one playbook: levels per category, items due,
/// certification.
#[derive(Debug, Clone)]
pub struct MasteryView {
    pub playbook: Arc<Playbook>,
    pub categories: Vec<CategoryMastery>,
    /// Items (categories and lines) whose review is due.
    pub due: usize,
    pub threshold: u32,
    pub certification: Option<Certification>,
}

/// The playbook a trainee is working on: that of their latest drill, else the
/// first in the UI's language, else the first.
pub fn current_playbook(
    store: &Store,
    library: &Library,
    trainee: &Trainee,
    lang: Lang,
) -> Result<Option<Arc<Playbook>>, StoreError> {
    let latest = store.drills(trainee.id)?.into_iter().next();
    if let Some(d) = latest
        && let Some(pb) = library.playbook(&d.playbook)
    {
        return Ok(Some(pb.clone()));
    }
    Ok(library
        .playbooks
        .iter()
        .find(|p| Lang::for_content(&p.value.language) == lang)
        .or(library.playbooks.first())
        .map(|e| e.value.clone()))
}

/// The mastery view of one playbook.
pub fn mastery_view(
    store: &Store,
    trainee: &Trainee,
    playbook: &Arc<Playbook>,
    now: i64,
) -> Result<MasteryView, StoreError> {
    let states = store.mastery(trainee.id)?;
    let categories = playbook
        .categories
        .iter()
        .map(|c| {
            let st = states.get(&ItemKey::category(&playbook.id, &c.id));
            CategoryMastery {
                id: c.id.clone(),
                title: c.title.clone(),
                required: c.required,
                level: mastery::level_of(st, now),
                reps: st.map_or(0, |s| s.reps),
                due: st.is_some_and(|s| s.is_due(now)),
                practised: st.is_some(),
            }
        })
        .collect();
    let due = states
        .iter()
        .filter(|(k, s)| k.playbook == playbook.id && s.is_due(now))
        .count();
    Ok(MasteryView {
        playbook: playbook.clone(),
        categories,
        due,
        threshold: mastery::DEFAULT_THRESHOLD,
        certification: store.certification(trainee.id, &playbook.id)?,
    })
}

/// The scheduler's plan with the scenario and playbook to play it.
pub type Planned = (NextDrill, Arc<Scenario>, Arc<Playbook>);

/// The next drill for a trainee within one playbook, and what it is for.
pub fn next_drill(
    store: &Store,
    library: &Library,
    trainee: &Trainee,
    playbook: &Arc<Playbook>,
    now: i64,
) -> Result<Option<Planned>, StoreError> {
    let states = store.mastery(trainee.id)?;
    let scenarios: Vec<Arc<Scenario>> = library
        .scenarios
        .iter()
        .filter(|s| s.value.playbook == playbook.id)
        .map(|s| s.value.clone())
        .collect();
    let variety = (trainee.id as u64) << 32 | store.drill_count(trainee.id)? as u64;
    let plan = mastery::next::plan(
        std::slice::from_ref(playbook),
        &scenarios,
        &states,
        now,
        variety,
    );
    Ok(plan.and_then(|p| {
        let (s, pb) = library.drillable(&p.scenario)?;
        Some((p, s, pb))
    }))
}

/// The category levels before a drill, to show the change after it.
pub fn levels(
    store: &Store,
    trainee: &Trainee,
    playbook: &Playbook,
    now: i64,
) -> Result<HashMap<String, u32>, StoreError> {
    let states: HashMap<ItemKey, MasteryState> = store.mastery(trainee.id)?;
    Ok(playbook
        .categories
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                mastery::level_of(states.get(&ItemKey::category(&playbook.id, &c.id)), now),
            )
        })
        .collect())
}

/// How a recorded drill ended, for the trainee.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// Category levels that changed: (title, before, after).
    pub changes: Vec<(String, u32, u32)>,
    /// For an exam: the certification check.
    pub exam: Option<CertCheck>,
    /// The certification now held for this playbook, if any.
    pub certification: Option<Certification>,
}

/// Records the end of a drill, and for an exam checks certification and
/// grants it.
pub fn finish(
    store: &Store,
    trainee: &Trainee,
    drill_id: i64,
    drill: &Drill,
    mode: Mode,
    before: &HashMap<String, u32>,
) -> Result<Finished, StoreError> {
    store.finish_drill(drill_id, drill)?;
    let now = now_ms();
    let playbook = drill.playbook();
    let after = levels(store, trainee, playbook, now)?;
    let changes = playbook
        .categories
        .iter()
        .filter_map(|c| {
            let b = before.get(&c.id).copied().unwrap_or(0);
            let a = after.get(&c.id).copied().unwrap_or(0);
            (a != b).then(|| (c.title.clone(), b, a))
        })
        .collect();
    let exam = if mode == Mode::Exam {
        let card = drill.scorecard();
        let check = certification::check(
            playbook,
            &card,
            drill.outcome().is_some(),
            mastery::DEFAULT_THRESHOLD,
            |id| after.get(id).copied().unwrap_or(0),
        );
        if check.granted {
            store.certify(trainee.id, &playbook.id, drill_id, card.score, now)?;
        }
        Some(check)
    } else {
        None
    };
    Ok(Finished {
        changes,
        exam,
        certification: store.certification(trainee.id, &playbook.id)?,
    })
}

/// The local date of a timestamp, as YYYY-MM-DD.
pub fn date(ms: i64) -> String {
    local(ms).format("%Y-%m-%d").to_string()
}

/// The local date and time of a timestamp, as YYYY-MM-DD HH:MM.
pub fn date_time(ms: i64) -> String {
    local(ms).format("%Y-%m-%d %H:%M").to_string()
}

fn local(ms: i64) -> chrono::DateTime<chrono::Local> {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(|| chrono::Local.timestamp_millis_opt(0).unwrap())
}

/// The start of a local date (YYYY-MM-DD) as a timestamp, for `--since`.
pub fn parse_date(s: &str) -> Option<i64> {
    use chrono::{NaiveDate, TimeZone};
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let t = d.and_hms_opt(0, 0, 0)?;
    chrono::Local
        .from_local_datetime(&t)
        .earliest()
        .map(|dt| dt.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let t = parse_date("2026-12-03").unwrap();
        assert_eq!(date(t), "2026-12-03");
        assert_eq!(date_time(t + 61 * 60_000), "2026-12-03 01:01");
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}

/// One step of a replay: what the customer said, the options in the order
/// they were shown, and the answer given with its assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayFrame {
    pub stage: crate::playbook::Stage,
    pub objection: Option<String>,
    pub customer: String,
    /// The option texts in the order shown (empty for a typed-only view).
    pub options: Vec<String>,
    /// The position chosen among `options`, for a choice.
    pub chosen: Option<usize>,
    pub said: String,
    /// The engine's assessment of the answer (None when the content changed).
    pub turn: Option<crate::drill::Turn>,
    pub score: u32,
    pub verdict: String,
    pub mood: crate::drill::Mood,
}

/// A recorded drill stepped through again.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub frames: Vec<ReplayFrame>,
    /// The engine, fed the recorded seed and answers, reproduced every
    /// recorded step exactly (nodes, option order, scores).
    pub faithful: bool,
    /// The ending the replay reached (when faithful and finished).
    pub outcome: Option<crate::drill::Outcome>,
    pub scorecard: Option<crate::scoring::Scorecard>,
}

/// Replays a recorded drill through the engine with its seed and answers.
/// When the scenario is gone or has changed so that the engine no longer
/// reproduces the record, the recorded text is shown instead.
pub fn replay(
    library: &Library,
    record: &crate::records::DrillRecord,
    turns: &[crate::records::TurnRecord],
) -> Replay {
    if let Some((scenario, playbook)) = library.drillable(&record.scenario)
        && playbook.id == record.playbook
        && let Some(r) = replay_engine(scenario, playbook, record.seed, turns)
    {
        return r;
    }
    Replay {
        frames: turns
            .iter()
            .map(|t| ReplayFrame {
                stage: crate::playbook::Stage::Objection,
                objection: t.objection.clone(),
                customer: t.line.clone(),
                options: Vec::new(),
                chosen: match t.answer {
                    Some(crate::drill::Answer::Choice(p)) => Some(p),
                    _ => None,
                },
                said: t.said.clone(),
                turn: None,
                score: t.score,
                verdict: t.verdict.clone(),
                mood: crate::drill::Mood {
                    patience: 0,
                    interest: 0,
                },
            })
            .collect(),
        faithful: false,
        outcome: None,
        scorecard: None,
    }
}

fn replay_engine(
    scenario: Arc<Scenario>,
    playbook: Arc<Playbook>,
    seed: u64,
    turns: &[crate::records::TurnRecord],
) -> Option<Replay> {
    let mut drill = Drill::new(scenario, playbook, seed);
    let mut frames = Vec::new();
    for t in turns {
        let step = drill.steps().last()?.clone();
        let options: Vec<String> = drill
            .prompt()?
            .options
            .iter()
            .map(|s| s.to_string())
            .collect();
        if step.node != t.node || step.offered != t.offered {
            return None;
        }
        let answer = t.answer.clone()?;
        let turn = drill.answer(answer.clone(), t.response_ms).ok()?.clone();
        if turn.assessment.score != t.score {
            return None;
        }
        frames.push(ReplayFrame {
            stage: step.stage,
            objection: step.objection.clone(),
            customer: step.line.clone(),
            options,
            chosen: match answer {
                crate::drill::Answer::Choice(p) => Some(p),
                crate::drill::Answer::Typed(_) => None,
            },
            said: turn.said.clone(),
            score: turn.assessment.score,
            verdict: format!("{:?}", turn.assessment.verdict),
            turn: Some(turn),
            mood: step.mood,
        });
    }
    Some(Replay {
        frames,
        faithful: true,
        outcome: drill.outcome(),
        scorecard: drill.is_over().then(|| drill.scorecard()),
    })
}
