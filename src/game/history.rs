//! The history screen: the trainee's past drills (date, practice or exam,
//! scenario, score, outcome), newest first; Enter replays the selected one.
//! The replay feeds the recorded seed and answers back through the engine
//! and steps through the drill exactly as it happened: the customer's line,
//! the options in the order shown with the chosen one marked, and the
//! feedback. ←→ step, Home back to the start, Esc back to the list.

use bevy::prelude::*;

use super::content::ContentLibrary;
use super::input::UiAction;
use super::profile::Profile;
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::i18n::{self, Lang, Msg};
use crate::records::DrillRecord;
use crate::scoring::Verdict;
use crate::training::{self, Replay};

/// Rows of the list shown at once.
const VISIBLE_ROWS: usize = 9;

#[derive(Resource, Default)]
pub struct HistoryState {
    pub drills: Vec<DrillRecord>,
    pub cursor: usize,
    /// The drill being replayed, and the step shown.
    pub replay: Option<(Replay, usize)>,
}

#[derive(Component)]
struct HistoryView;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<HistoryState>();
    app.add_systems(OnEnter(Screen::History), load_history);
    app.add_systems(
        Update,
        (history_actions, render_history)
            .chain()
            .run_if(in_state(Screen::History)),
    );
}

fn load_history(mut state: ResMut<HistoryState>, mut profile: ResMut<Profile>) {
    state.replay = None;
    state.cursor = 0;
    state.drills.clear();
    let Some(t) = profile.trainee.clone() else {
        return;
    };
    let result = profile.store().drills(t.id);
    match result {
        Ok(d) => state.drills = d,
        Err(e) => profile.note_error(e),
    }
}

fn history_actions(
    mut actions: MessageReader<UiAction>,
    mut state: ResMut<HistoryState>,
    mut profile: ResMut<Profile>,
    lib: Res<ContentLibrary>,
    mut next: ResMut<NextState<Screen>>,
) {
    for a in actions.read() {
        if let Some((replay, at)) = &mut state.replay {
            let n = replay.frames.len();
            match a {
                UiAction::Right | UiAction::Confirm | UiAction::Down => *at = (*at + 1).min(n),
                UiAction::Left | UiAction::Up => *at = at.saturating_sub(1),
                UiAction::Home => *at = 0,
                UiAction::Back => state.replay = None,
                _ => continue,
            }
            continue;
        }
        let n = state.drills.len().max(1);
        match a {
            UiAction::Up => state.cursor = (state.cursor + n - 1) % n,
            UiAction::Down => state.cursor = (state.cursor + 1) % n,
            UiAction::Confirm | UiAction::Select(_) => {
                if let UiAction::Select(i) = a {
                    state.cursor = *i;
                }
                let Some(record) = state.drills.get(state.cursor).cloned() else {
                    continue;
                };
                let turns = profile.store().turns(record.id);
                match turns {
                    Ok(turns) => {
                        let r = training::replay(&lib.loaded.library, &record, &turns);
                        state.replay = Some((r, 0));
                    }
                    Err(e) => profile.note_error(e),
                }
            }
            UiAction::Back => next.set(Screen::Library),
            UiAction::OpenMastery => next.set(Screen::Mastery),
            _ => {}
        }
    }
}

fn render_history(
    mut commands: Commands,
    state: Res<HistoryState>,
    profile: Res<Profile>,
    lib: Res<ContentLibrary>,
    fonts: Res<Fonts>,
    views: Query<Entity, With<HistoryView>>,
) {
    if !views.is_empty() && !state.is_changed() {
        return;
    }
    for e in &views {
        commands.entity(e).despawn();
    }
    let lang: Lang = profile.lang;
    let t = |m| i18n::msg(lang, m);
    let root = commands
        .spawn((widgets::screen_root(Screen::History), HistoryView))
        .id();
    let name = profile
        .trainee
        .as_ref()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let title_of = |id: &str| {
        lib.loaded
            .library
            .scenario(id)
            .map_or(id.to_string(), |s| s.title.clone())
    };
    commands.entity(root).with_children(|p| {
        if let Some((replay, at)) = &state.replay {
            let record = &state.drills[state.cursor.min(state.drills.len().saturating_sub(1))];
            p.spawn((
                widgets::row(16.0),
                children![
                    widgets::bold(
                        format!("{} · {}", t(Msg::Replay), title_of(&record.scenario)),
                        theme::SIZE_TITLE,
                        theme::TEXT,
                        &fonts
                    ),
                    widgets::text(
                        format!(
                            "{} · {} · {} {} · {}/{}",
                            name,
                            training::date_time(record.started_ms),
                            t(Msg::Seed),
                            record.seed,
                            (*at + 1).min(replay.frames.len()),
                            replay.frames.len()
                        ),
                        theme::SIZE_BODY,
                        theme::MUTED
                    ),
                ],
            ));
            if !replay.faithful {
                p.spawn(widgets::text(
                    t(Msg::ReplayDiffers),
                    theme::SIZE_BODY,
                    theme::WARN,
                ));
            }
            spawn_frame(p, lang, &lib, record, replay, *at, &fonts);
            p.spawn(widgets::key_hints(t(Msg::KeysReplay)));
            return;
        }
        p.spawn((
            widgets::row(16.0),
            children![
                widgets::bold(t(Msg::History), theme::SIZE_TITLE, theme::TEXT, &fonts),
                widgets::text(format!("· {name}"), theme::SIZE_BIG, theme::MUTED),
            ],
        ));
        if state.drills.is_empty() {
            p.spawn(widgets::text(
                t(Msg::NoHistory),
                theme::SIZE_BIG,
                theme::MUTED,
            ));
        }
        let first = state
            .cursor
            .saturating_sub(VISIBLE_ROWS / 2)
            .min(state.drills.len().saturating_sub(VISIBLE_ROWS));
        p.spawn(Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(6),
            flex_grow: 1.0,
            min_height: px(0),
            overflow: Overflow::clip(),
            ..default()
        })
        .with_children(|rows| {
            for (i, d) in state
                .drills
                .iter()
                .enumerate()
                .skip(first)
                .take(VISIBLE_ROWS)
            {
                let mode = if d.mode == "exam" {
                    t(Msg::Exam)
                } else {
                    t(Msg::Practice)
                };
                let score = d.score.map_or("—".to_string(), |s| s.to_string());
                let outcome = match d.outcome.as_deref() {
                    None | Some("Unfinished") => t(Msg::Unfinished).to_string(),
                    Some(o) => ending_name(lang, o),
                };
                rows.spawn(widgets::button(
                    &format!("{:>3}", score),
                    format!(
                        "{}  【{mode}】 {} · {outcome} · {} {}",
                        training::date_time(d.started_ms),
                        title_of(&d.scenario),
                        d.turns,
                        t(Msg::Step)
                    ),
                    UiAction::Select(i),
                    i == state.cursor,
                ));
            }
            if first + VISIBLE_ROWS < state.drills.len() {
                rows.spawn(widgets::text(
                    format!("↓ {}", state.drills.len() - first - VISIBLE_ROWS),
                    theme::SIZE_SMALL,
                    theme::ACCENT,
                ));
            }
        });
        p.spawn(widgets::key_hints(t(Msg::KeysHistory)));
    });
}

fn ending_name(lang: Lang, name: &str) -> String {
    use crate::scenario::Ending::*;
    [Deal, Appointment, Callback, HangUp, Complaint]
        .into_iter()
        .find(|e| e.name() == name)
        .map_or(name.to_string(), |e| i18n::ending(lang, e).to_string())
}

/// One step of the replay; past the last step, the ending.
fn spawn_frame(
    p: &mut ChildSpawnerCommands,
    lang: Lang,
    lib: &ContentLibrary,
    record: &DrillRecord,
    replay: &Replay,
    at: usize,
    fonts: &Fonts,
) {
    let t = |m| i18n::msg(lang, m);
    let Some(f) = replay.frames.get(at) else {
        // The end: outcome and score.
        let outcome = record
            .outcome
            .as_deref()
            .map_or(t(Msg::Unfinished).to_string(), |o| ending_name(lang, o));
        p.spawn((
            widgets::panel(theme::PANEL, theme::ACCENT),
            children![
                widgets::bold(
                    format!("{}: {outcome}", t(Msg::Outcome)),
                    theme::SIZE_TITLE,
                    theme::TEXT,
                    fonts
                ),
                widgets::bold(
                    format!(
                        "{}: {} / 100",
                        t(Msg::Score),
                        record.score.map_or("—".into(), |s| s.to_string())
                    ),
                    theme::SIZE_HUGE,
                    if record.passed == Some(true) {
                        theme::GOOD
                    } else {
                        theme::BAD
                    },
                    fonts
                ),
            ],
        ));
        return;
    };
    let persona = lib
        .loaded
        .library
        .scenario(&record.scenario)
        .map_or(String::new(), |s| s.persona.name.clone());
    p.spawn((
        widgets::panel(theme::PANEL, theme::CUSTOMER),
        children![
            widgets::text(
                format!("{}. {}", at + 1, i18n::stage(lang, f.stage)),
                theme::SIZE_SMALL,
                theme::MUTED
            ),
            widgets::bold(
                format!("{persona}:"),
                theme::SIZE_BODY,
                theme::CUSTOMER,
                fonts
            ),
            widgets::text(f.customer.clone(), theme::SIZE_BIG, theme::TEXT),
        ],
    ));
    let verdict_colour = match f.turn.as_ref().map(|t| t.assessment.verdict) {
        Some(Verdict::Approved) => theme::GOOD,
        Some(Verdict::Breach) => theme::BAD,
        _ => theme::WARN,
    };
    for (k, o) in f.options.iter().enumerate() {
        let chosen = f.chosen == Some(k);
        p.spawn((
            widgets::panel(
                if chosen {
                    theme::PANEL_HI
                } else {
                    theme::PANEL
                },
                if chosen {
                    verdict_colour
                } else {
                    theme::BORDER
                },
            ),
            children![widgets::text(
                format!("{} {}) {o}", if chosen { "▶" } else { "  " }, k + 1),
                theme::SIZE_BODY,
                if chosen { theme::TEXT } else { theme::MUTED }
            )],
        ));
    }
    if f.chosen.is_none() {
        p.spawn(widgets::text(
            format!("{} ({}): {}", t(Msg::YouSaid), t(Msg::Typed), f.said),
            theme::SIZE_BODY,
            theme::TEXT,
        ));
    }
    let verdict = f
        .turn
        .as_ref()
        .map(|t| i18n::verdict(lang, t.assessment.verdict).to_string())
        .unwrap_or_else(|| f.verdict.clone());
    let script = f
        .turn
        .as_ref()
        .and_then(|turn| {
            lib.loaded
                .library
                .playbook(&record.playbook)
                .and_then(|pb| pb.line(&turn.assessment.line).map(|(_, l)| l.text.clone()))
        })
        .unwrap_or_default();
    p.spawn(widgets::panel(theme::PANEL, verdict_colour))
        .with_children(|fb| {
            fb.spawn(widgets::bold(
                format!("{verdict} · {}", f.score),
                theme::SIZE_BIG,
                verdict_colour,
                fonts,
            ));
            if !script.is_empty() {
                fb.spawn(widgets::text(
                    format!("{}: {script}", t(Msg::ScriptSays)),
                    theme::SIZE_BODY,
                    theme::TEXT,
                ));
            }
            if let Some(reason) = f.turn.as_ref().and_then(|t| t.assessment.reason.clone()) {
                fb.spawn(widgets::text(
                    format!("{}: {reason}", t(Msg::Reason)),
                    theme::SIZE_SMALL,
                    theme::MUTED,
                ));
            }
        });
}
