//! The screenshot tour (`calldrill --screenshots DIR`, used by
//! scripts/screenshots): it plays through every screen with the same actions
//! the keyboard sends, saves a PNG of each, breaks a scenario file in its own
//! copy of the content to show the diagnostics panel, and exits.

use std::collections::VecDeque;
use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

use super::Screen;
use super::drill::{ActiveDrill, DrillPhase};
use super::input::{TextEntry, UiAction};

type Action = fn(&mut World);

enum Step {
    Frames(u32),
    Seconds(f64),
    Shot(&'static str),
    Do(Action),
    /// Answer the current prompt on script until the drill ends.
    FinishDrill,
    /// Play every remaining representative (on script for the first team,
    /// the first option for the others) until the podium; a shot of the
    /// scoreboard midway.
    FinishCompetition,
    Exit,
}

#[derive(Resource)]
pub struct Tour {
    dir: PathBuf,
    content: PathBuf,
    steps: VecDeque<Step>,
    wait_frames: u32,
    wait_until: f64,
    midway_shot: bool,
}

impl Tour {
    pub fn new(dir: PathBuf, content: PathBuf) -> Tour {
        use Step::*;
        let steps = vec![
            Frames(120),
            Shot("01-title"),
            Do(|w| {
                let mut e = w.resource_mut::<TextEntry>();
                e.start();
                e.text = "小张".into();
            }),
            Frames(20),
            Shot("02-title-new-trainee"),
            Do(|w| {
                w.resource_mut::<TextEntry>().stop();
                w.write_message(UiAction::Submit("小张".into()));
            }),
            Frames(30),
            Shot("03-library"),
            Do(|w| {
                w.write_message(UiAction::Down);
            }),
            Frames(10),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(40),
            Shot("04-drill"),
            Do(|w| answer_kind(w, Kind::Approved)),
            Frames(30),
            Shot("05-feedback-approved"),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(10),
            Do(|w| answer_kind(w, Kind::Flawed)),
            Frames(30),
            Shot("06-feedback-partial"),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(10),
            Do(|w| {
                w.write_message(UiAction::StartTyping);
            }),
            Frames(5),
            Do(|w| {
                let reply = typed_reply(w);
                w.resource_mut::<TextEntry>().text = reply;
            }),
            Frames(30),
            Shot("07-drill-typing"),
            Do(|w| {
                let text = std::mem::take(&mut w.resource_mut::<TextEntry>().text);
                w.resource_mut::<TextEntry>().stop();
                w.write_message(UiAction::Submit(text));
            }),
            Frames(30),
            Shot("08-feedback-typed"),
            FinishDrill,
            Frames(40),
            Shot("09-scorecard"),
            Do(|w| {
                w.write_message(UiAction::Retry);
            }),
            Frames(30),
            Do(|w| answer_kind(w, Kind::Breach)),
            Frames(30),
            Shot("10-feedback-breach"),
            Do(|w| {
                w.write_message(UiAction::Back);
            }),
            Frames(20),
            Do(|w| {
                w.write_message(UiAction::OpenMastery);
            }),
            Frames(30),
            Shot("14-mastery"),
            Do(|w| {
                // E on the mastery screen: the next drill, as an exam.
                w.write_message(UiAction::ToggleExam);
            }),
            Frames(40),
            Do(|w| answer_kind(w, Kind::Approved)),
            Frames(30),
            Shot("15-drill-exam"),
            FinishDrill,
            Frames(40),
            Shot("16-scorecard-exam"),
            Do(|w| {
                w.write_message(UiAction::Back);
            }),
            Frames(20),
            Do(|w| {
                w.write_message(UiAction::OpenHistory);
            }),
            Frames(30),
            Shot("17-history"),
            Do(|w| {
                // Replay the exam just played, at its second step.
                w.write_message(UiAction::Confirm);
            }),
            Frames(10),
            Do(|w| {
                w.write_message(UiAction::Right);
            }),
            Frames(30),
            Shot("18-replay"),
            Do(|w| {
                w.write_message(UiAction::Back);
            }),
            Frames(10),
            Do(|w| {
                w.write_message(UiAction::Back);
            }),
            Frames(20),
            Do(|w| {
                w.write_message(UiAction::Back);
            }),
            Frames(20),
            Do(|w| {
                w.write_message(UiAction::OpenSettings);
            }),
            Frames(30),
            Shot("11-settings"),
            Do(|w| {
                w.write_message(UiAction::Back);
            }),
            Frames(20),
            // The morning competition, for the projector.
            Do(|w| {
                let profile = w.resource::<super::profile::Profile>();
                let store = profile.store();
                for name in ["王芳", "李娜", "张伟", "刘洋", "陈静"] {
                    let _ = store.trainee(name);
                }
            }),
            Do(|w| {
                w.write_message(UiAction::OpenCompetition);
            }),
            Frames(30),
            Shot("19-teams"),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(20),
            Shot("20-competition-setup"),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(20),
            Shot("21-scoreboard-start"),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(30),
            FinishDrill,
            Frames(30),
            Shot("22-deal-banner"),
            FinishCompetition,
            Frames(30),
            Shot("23-podium"),
            Do(|w| {
                w.write_message(UiAction::Confirm);
            }),
            Frames(20),
            Do(break_a_scenario),
            Seconds(1.5),
            Frames(20),
            Shot("12-content-error"),
            Do(|w| {
                w.write_message(UiAction::ToggleLanguage);
            }),
            Frames(30),
            Shot("13-title-english"),
            Frames(30),
            Exit,
        ];
        Tour {
            dir,
            content,
            steps: steps.into(),
            wait_frames: 0,
            wait_until: 0.0,
            midway_shot: false,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, run_tour);
}

#[derive(Clone, Copy)]
enum Kind {
    Approved,
    Flawed,
    Breach,
}

/// Presses the number of the first option of this kind (or the first option).
fn answer_kind(w: &mut World, kind: Kind) {
    let Some(active) = w.get_resource::<ActiveDrill>() else {
        return;
    };
    let drill = &active.drill;
    let Some(step) = drill.steps().last() else {
        return;
    };
    let Some(node) = drill.scenario().node(&step.node) else {
        return;
    };
    let want = node.options.iter().position(|o| match kind {
        Kind::Approved => o.line.is_some(),
        Kind::Flawed => matches!(
            o.flaw,
            Some(crate::scenario::Flaw::OffScript { .. })
                | Some(crate::scenario::Flaw::WrongMoment { .. })
        ),
        Kind::Breach => matches!(o.flaw, Some(crate::scenario::Flaw::Breach { .. })),
    });
    let pos = want
        .and_then(|o| step.offered.iter().position(|&i| i == o))
        .unwrap_or(0);
    w.write_message(UiAction::Number(pos as u8 + 1));
}

/// A typed reply covering some of the current node's approved key points.
fn typed_reply(w: &mut World) -> String {
    let Some(active) = w.get_resource::<ActiveDrill>() else {
        return String::new();
    };
    let drill = &active.drill;
    let Some(step) = drill.steps().last() else {
        return String::new();
    };
    let node = drill.scenario().node(&step.node);
    let line = node
        .and_then(|n| n.options.iter().find_map(|o| o.line.clone()))
        .and_then(|id| drill.playbook().line(&id).map(|(_, l)| l.clone()));
    match line {
        Some(l) => l
            .key_points
            .iter()
            .take(l.key_points.len().div_ceil(2))
            .filter_map(|k| k.phrasings.first().cloned())
            .collect::<Vec<_>>()
            .join("，"),
        None => "您好".into(),
    }
}

fn break_a_scenario(w: &mut World) {
    let content = w.resource::<Tour>().content.clone();
    let dir = content.join("scenarios");
    let Some(file) = std::fs::read_dir(&dir).ok().and_then(|d| {
        d.flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .min()
    }) else {
        return;
    };
    if let Ok(text) = std::fs::read_to_string(&file) {
        let broken = text.replacen("patience:", "patiance:", 1);
        let _ = std::fs::write(&file, broken);
    }
}

fn run_tour(world: &mut World) {
    let now = world.resource::<Time>().elapsed_secs_f64();
    let mut tour = world.resource_mut::<Tour>();
    if tour.wait_frames > 0 {
        tour.wait_frames -= 1;
        return;
    }
    if now < tour.wait_until {
        return;
    }
    let Some(step) = tour.steps.pop_front() else {
        return;
    };
    match step {
        Step::Frames(n) => tour.wait_frames = n,
        Step::Seconds(s) => tour.wait_until = now + s,
        Step::Shot(name) => {
            let path = tour.dir.join(format!("{name}.png"));
            tour.wait_frames = 10;
            info!("screenshot: {}", path.display());
            world
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(path));
        }
        Step::Do(f) => {
            tour.wait_frames = 2;
            f(world);
        }
        Step::FinishDrill => {
            let state = *world.resource::<State<Screen>>().get();
            let over = world
                .get_resource::<ActiveDrill>()
                .map(|a| (a.drill.is_over(), a.phase));
            match (state, over) {
                (Screen::Drill, Some((_, DrillPhase::Feedback))) => {
                    world.write_message(UiAction::Confirm);
                }
                (Screen::Drill, Some((false, DrillPhase::Answering))) => {
                    answer_kind(world, Kind::Approved)
                }
                _ => return,
            }
            // Keep going until the scorecard.
            let mut tour = world.resource_mut::<Tour>();
            tour.steps.push_front(Step::FinishDrill);
            tour.wait_frames = 6;
        }
        Step::FinishCompetition => {
            let state = *world.resource::<State<Screen>>().get();
            let phase = world
                .get_resource::<super::competition::CompetitionState>()
                .map(|c| c.phase.clone());
            match (state, phase) {
                (Screen::Competition, Some(super::competition::Phase::Podium)) => return,
                (Screen::Competition, Some(super::competition::Phase::Scoreboard)) => {
                    let done = world
                        .resource::<super::competition::CompetitionState>()
                        .session
                        .as_ref()
                        .map_or(0, |c| c.results().len());
                    let mut tour = world.resource_mut::<Tour>();
                    if done == 3 && !tour.midway_shot {
                        tour.midway_shot = true;
                        tour.steps.push_front(Step::FinishCompetition);
                        tour.steps.push_front(Step::Shot("24-scoreboard-midway"));
                        return;
                    }
                    world.write_message(UiAction::Confirm);
                }
                (Screen::Competition, _) => {
                    world.write_message(UiAction::Confirm);
                }
                (Screen::Drill, _) => {
                    let (over, phase) = world
                        .get_resource::<ActiveDrill>()
                        .map(|a| (a.drill.is_over(), a.phase))
                        .unwrap_or((true, DrillPhase::Feedback));
                    if phase == DrillPhase::Feedback || over {
                        world.write_message(UiAction::Confirm);
                    } else {
                        answer_kind(world, Kind::Approved);
                    }
                }
                _ => return,
            }
            let mut tour = world.resource_mut::<Tour>();
            tour.steps.push_front(Step::FinishCompetition);
            tour.wait_frames = 6;
        }
        Step::Exit => {
            world.write_message(AppExit::Success);
        }
    }
}
