//! The scenario library: every drillable scenario grouped by playbook, with
//! the persona, the difficulty and the trainee's best score, and a detail
//! panel for the selected one. ↑↓ choose, Enter start, Esc back.

use std::sync::Arc;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::audio::Sfx;
use super::content::ContentLibrary;
use super::drill::ActiveDrill;
use super::input::UiAction;
use super::profile::{Profile, SeedPolicy};
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::drill::Drill;
use crate::i18n::{self, Lang, Msg};
use crate::mastery::next::NextDrill;
use crate::scenario::Scenario;
use crate::training::{self, Mode};

/// Rows shown at once; the list scrolls around the selection.
const VISIBLE_ROWS: usize = 6;

#[derive(Resource, Default)]
pub struct LibraryState {
    pub cursor: usize,
    /// Start drills as exams (E).
    pub exam: bool,
}

#[derive(Component)]
struct LibraryView;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LibraryState>();
    app.add_systems(OnEnter(Screen::Library), |mut s: ResMut<LibraryState>| {
        s.set_changed()
    });
    app.add_systems(
        Update,
        (library_actions, render_library)
            .chain()
            .run_if(in_state(Screen::Library)),
    );
}

/// The scenarios in display order: zh-CN playbooks first, then by id.
pub fn ordered(lib: &ContentLibrary) -> Vec<Arc<Scenario>> {
    let mut pbs: Vec<_> = lib
        .loaded
        .library
        .playbooks
        .iter()
        .map(|e| e.value.clone())
        .collect();
    pbs.sort_by_key(|p| (!p.language.starts_with("zh"), p.id.clone()));
    let mut out = Vec::new();
    for pb in pbs {
        let mut s: Vec<_> = lib
            .loaded
            .library
            .scenarios
            .iter()
            .filter(|s| s.value.playbook == pb.id)
            .map(|s| s.value.clone())
            .collect();
        s.sort_by_key(|s| (s.difficulty, s.id.clone()));
        out.extend(s);
    }
    out
}

/// Everything starting a drill touches, as one system parameter, so that
/// the library and the scorecard ("drill again") start drills the same way.
#[derive(SystemParam)]
pub struct DrillStarter<'w, 's> {
    commands: Commands<'w, 's>,
    pub lib: Res<'w, ContentLibrary>,
    pub profile: ResMut<'w, Profile>,
    seeds: Res<'w, SeedPolicy>,
    pub sfx: MessageWriter<'w, Sfx>,
    pub next: ResMut<'w, NextState<Screen>>,
    time: Res<'w, Time>,
}

impl DrillStarter<'_, '_> {
    /// Starts a practice drill of `scenario` for the current trainee:
    /// recorded, with the phone ringing, on the drill screen.
    pub fn start(&mut self, scenario: &str) {
        self.start_with(scenario, None, Mode::Practice);
    }

    /// Starts a drill with a given seed (else the seed policy's) and mode.
    pub fn start_with(&mut self, scenario: &str, seed: Option<u64>, mode: Mode) {
        self.start_full(scenario, seed, mode, false);
    }

    /// Starts a drill; `competition`: a representative's turn in the
    /// morning competition, which returns to the competition screen.
    pub fn start_full(&mut self, scenario: &str, seed: Option<u64>, mode: Mode, competition: bool) {
        let Some((s, p)) = self.lib.loaded.library.drillable(scenario) else {
            return;
        };
        let drill = Drill::new(s, p, seed.unwrap_or_else(|| self.seeds.next()));
        let mut before = Default::default();
        let started = self.profile.trainee.clone().map(|t| {
            let store = self.profile.store();
            if let Ok(levels) =
                training::levels(&store, &t, drill.playbook(), crate::records::now_ms())
            {
                before = levels;
            }
            store.start_drill(&t, &drill, mode.name())
        });
        let record = match started {
            Some(Ok(id)) => Some(id),
            Some(Err(e)) => {
                self.profile.note_error(e);
                None
            }
            None => None,
        };
        let now = self.time.elapsed_secs_f64();
        let mut active = ActiveDrill::new(drill, record, now);
        active.mode = mode;
        active.before = before;
        active.competition = competition;
        self.commands.insert_resource(active);
        self.sfx.write(Sfx::Ring);
        self.next.set(Screen::Drill);
    }

    /// The scheduler's next drill for the current trainee: what they most
    /// need (due, then weakest, then new), with its scenario and seed.
    pub fn plan_next(&self) -> Option<(NextDrill, Arc<Scenario>)> {
        let trainee = self.profile.trainee.as_ref()?;
        let store = self.profile.store();
        let lib = &self.lib.loaded.library;
        let pb = training::current_playbook(&store, lib, trainee, self.profile.lang).ok()??;
        training::next_drill(&store, lib, trainee, &pb, crate::records::now_ms())
            .ok()?
            .map(|(plan, s, _)| (plan, s))
    }

    /// Starts the scheduler's next drill (a fixed seed policy still wins, so
    /// screenshots and tests stay reproducible).
    pub fn start_next(&mut self, mode: Mode) {
        if let Some((plan, s)) = self.plan_next() {
            let seed = match *self.seeds {
                SeedPolicy::Fixed(f) => f,
                SeedPolicy::Clock => plan.seed,
            };
            self.start_with(&s.id, Some(seed), mode);
        }
    }
}

fn library_actions(
    mut actions: MessageReader<UiAction>,
    mut state: ResMut<LibraryState>,
    mut starter: DrillStarter,
) {
    let list = ordered(&starter.lib);
    for a in actions.read() {
        let n = list.len().max(1);
        match a {
            UiAction::Up => state.cursor = (state.cursor + n - 1) % n,
            UiAction::Down => state.cursor = (state.cursor + 1) % n,
            UiAction::Confirm | UiAction::Select(_) => {
                if let UiAction::Select(i) = a {
                    state.cursor = *i;
                }
                if let Some(s) = list.get(state.cursor) {
                    let mode = if state.exam {
                        Mode::Exam
                    } else {
                        Mode::Practice
                    };
                    starter.start_with(&s.id, None, mode);
                }
            }
            UiAction::NewTrainee => {
                let mode = if state.exam {
                    Mode::Exam
                } else {
                    Mode::Practice
                };
                starter.start_next(mode);
            }
            UiAction::ToggleExam => state.exam = !state.exam,
            UiAction::OpenMastery if starter.profile.trainee.is_some() => {
                starter.next.set(Screen::Mastery)
            }
            UiAction::OpenHistory if starter.profile.trainee.is_some() => {
                starter.next.set(Screen::History)
            }
            UiAction::Back => starter.next.set(Screen::Title),
            _ => continue,
        }
        state.set_changed();
    }
}

fn stars(d: u8) -> String {
    let d = d.clamp(1, 5) as usize;
    format!("{}{}", "★".repeat(d), "☆".repeat(5 - d))
}

fn render_library(
    mut commands: Commands,
    mut state: ResMut<LibraryState>,
    lib: Res<ContentLibrary>,
    profile: Res<Profile>,
    fonts: Res<Fonts>,
    views: Query<Entity, With<LibraryView>>,
) {
    // Redraw on entry (no view yet) and on change.
    if !views.is_empty() && !state.is_changed() && !lib.is_changed() {
        return;
    }
    for e in &views {
        commands.entity(e).despawn();
    }
    let lang: Lang = profile.lang;
    let t = |m| i18n::msg(lang, m);
    let list = ordered(&lib);
    if state.cursor >= list.len() {
        state.bypass_change_detection().cursor = list.len().saturating_sub(1);
    }
    let first = state
        .cursor
        .saturating_sub(VISIBLE_ROWS / 2)
        .min(list.len().saturating_sub(VISIBLE_ROWS));
    let trainee = profile.trainee.as_ref();
    let best = |id: &str| trainee.and_then(|t| profile.store().best_score(t.id, id).ok().flatten());

    let root = commands
        .spawn((widgets::screen_root(Screen::Library), LibraryView))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn((
            widgets::row(16.0),
            children![
                widgets::bold(t(Msg::Library), theme::SIZE_TITLE, theme::TEXT, &fonts),
                widgets::text(
                    trainee.map(|t| format!("· {}", t.name)).unwrap_or_default(),
                    theme::SIZE_BIG,
                    theme::MUTED
                ),
                widgets::bold(
                    if state.exam {
                        format!("【{}】", t(Msg::Exam))
                    } else {
                        String::new()
                    },
                    theme::SIZE_BIG,
                    theme::WARN,
                    &fonts
                ),
            ],
        ));
        if trainee.is_some() {
            p.spawn(widgets::row(10.0)).with_children(|r| {
                r.spawn(widgets::button(
                    "N",
                    t(Msg::NextDrill),
                    UiAction::NewTrainee,
                    false,
                ));
                r.spawn(widgets::button(
                    "E",
                    if state.exam {
                        format!("{} → {}", t(Msg::Exam), t(Msg::Practice))
                    } else {
                        format!("{} → {}", t(Msg::Practice), t(Msg::Exam))
                    },
                    UiAction::ToggleExam,
                    state.exam,
                ));
                r.spawn(widgets::button(
                    "M",
                    t(Msg::MasteryTitle),
                    UiAction::OpenMastery,
                    false,
                ));
                r.spawn(widgets::button(
                    "H",
                    t(Msg::History),
                    UiAction::OpenHistory,
                    false,
                ));
            });
        }
        if list.is_empty() {
            p.spawn(widgets::text(
                t(Msg::NoScenarios),
                theme::SIZE_BIG,
                theme::WARN,
            ));
        }
        p.spawn(widgets::body_columns()).with_children(|cols| {
            cols.spawn(Node {
                flex_direction: FlexDirection::Column,
                row_gap: px(6),
                flex_grow: 1.0,
                flex_basis: px(0),
                overflow: Overflow::clip(),
                ..default()
            })
            .with_children(|rows| {
                let mut last_pb = String::new();
                for (i, s) in list.iter().enumerate().skip(first).take(VISIBLE_ROWS) {
                    if s.playbook != last_pb {
                        last_pb = s.playbook.clone();
                        let title = lib
                            .loaded
                            .library
                            .playbook(&s.playbook)
                            .map(|p| p.title.clone())
                            .unwrap_or_default();
                        rows.spawn((
                            Node {
                                margin: UiRect::top(px(6)),
                                ..default()
                            },
                            children![widgets::bold(
                                title,
                                theme::SIZE_BODY,
                                theme::ACCENT,
                                &fonts
                            )],
                        ));
                    }
                    let score = match best(&s.id) {
                        Some(b) => format!("{} {b}", t(Msg::BestScore)),
                        None => t(Msg::NotPlayed).to_string(),
                    };
                    rows.spawn(widgets::button(
                        &stars(s.difficulty),
                        format!("{} · {}   [{score}]", s.title, s.persona.name),
                        UiAction::Select(i),
                        i == state.cursor,
                    ));
                }
                if first + VISIBLE_ROWS < list.len() {
                    rows.spawn(widgets::text(
                        format!(
                            "{} ({})",
                            t(Msg::MoreBelow),
                            list.len() - first - VISIBLE_ROWS
                        ),
                        theme::SIZE_SMALL,
                        theme::ACCENT,
                    ));
                }
            });
            if let Some(s) = list.get(state.cursor) {
                let traits = s.persona.traits.join(" · ");
                cols.spawn((
                    widgets::panel_width(400.0, theme::PANEL, theme::BORDER),
                    children![
                        widgets::bold(s.title.clone(), theme::SIZE_BIG, theme::TEXT, &fonts),
                        widgets::text(
                            format!(
                                "{}  {}",
                                i18n::msg(lang, Msg::Difficulty),
                                stars(s.difficulty)
                            ),
                            theme::SIZE_BODY,
                            theme::WARN
                        ),
                        widgets::text(s.description.clone(), theme::SIZE_BODY, theme::MUTED),
                        widgets::bold(
                            format!("{}: {}", t(Msg::Persona), s.persona.name),
                            theme::SIZE_BODY,
                            theme::CUSTOMER,
                            &fonts
                        ),
                        widgets::text(
                            s.persona.description.clone(),
                            theme::SIZE_SMALL,
                            theme::TEXT
                        ),
                        widgets::text(traits, theme::SIZE_SMALL, theme::MUTED),
                        widgets::text(
                            match best(&s.id) {
                                Some(b) => format!("{} {b} / 100", t(Msg::BestScore)),
                                None => t(Msg::NotPlayed).to_string(),
                            },
                            theme::SIZE_BIG,
                            theme::GOOD
                        ),
                    ],
                ));
            }
        });
        p.spawn(widgets::key_hints(t(Msg::KeysLibrary)));
    });
}
