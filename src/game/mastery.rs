//! The mastery screen: one bar per objection category of the trainee's
//! playbook (green at the certification threshold, amber below, red when
//! weak, grey when new), required categories marked, the count of items due,
//! the certification (上岗认证) with its date, and the next drill the
//! scheduler proposes and why. Enter/N start it, E starts it as an exam,
//! H opens the history, Esc goes back.

use bevy::prelude::*;

use super::input::UiAction;
use super::library::DrillStarter;
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::i18n::{self, Lang, Msg};
use crate::mastery::next::Why;
use crate::training::{self, Mode};

#[derive(Component)]
struct MasteryView;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Mastery), spawn_mastery);
    app.add_systems(Update, mastery_actions.run_if(in_state(Screen::Mastery)));
}

fn mastery_actions(mut actions: MessageReader<UiAction>, mut starter: DrillStarter) {
    for a in actions.read() {
        match a {
            UiAction::Confirm | UiAction::NewTrainee => starter.start_next(Mode::Practice),
            UiAction::ToggleExam => starter.start_next(Mode::Exam),
            UiAction::OpenHistory => starter.next.set(Screen::History),
            UiAction::Back => starter.next.set(Screen::Library),
            _ => {}
        }
    }
}

fn level_colour(level: u32, practised: bool, threshold: u32) -> Color {
    if !practised {
        theme::MUTED
    } else if level >= threshold {
        theme::GOOD
    } else if level >= threshold / 2 {
        theme::WARN
    } else {
        theme::BAD
    }
}

fn spawn_mastery(mut commands: Commands, starter: DrillStarter, fonts: Res<Fonts>) {
    let lang: Lang = starter.profile.lang;
    let t = |m| i18n::msg(lang, m);
    let root = commands
        .spawn((widgets::screen_root(Screen::Mastery), MasteryView))
        .id();
    let Some(trainee) = starter.profile.trainee.clone() else {
        return;
    };
    let now = crate::records::now_ms();
    let (view, plan) = {
        let store = starter.profile.store();
        let lib = &starter.lib.loaded.library;
        let pb = training::current_playbook(&store, lib, &trainee, lang)
            .ok()
            .flatten();
        let view = pb
            .as_ref()
            .and_then(|pb| training::mastery_view(&store, &trainee, pb, now).ok());
        drop(store);
        (view, starter.plan_next())
    };
    commands.entity(root).with_children(|p| {
        p.spawn((
            widgets::row(16.0),
            children![
                widgets::bold(t(Msg::MasteryTitle), theme::SIZE_TITLE, theme::TEXT, &fonts),
                widgets::text(
                    format!(
                        "· {}{}",
                        trainee.name,
                        view.as_ref()
                            .map(|v| format!(" · {}", v.playbook.title))
                            .unwrap_or_default()
                    ),
                    theme::SIZE_BIG,
                    theme::MUTED
                ),
            ],
        ));
        let Some(view) = view else {
            p.spawn(widgets::text(
                t(Msg::NoScenarios),
                theme::SIZE_BIG,
                theme::WARN,
            ));
            return;
        };
        p.spawn(widgets::body_columns()).with_children(|cols| {
            // The bars, in two columns when there are many categories.
            cols.spawn(Node {
                flex_direction: FlexDirection::Row,
                flex_wrap: FlexWrap::Wrap,
                column_gap: px(24),
                row_gap: px(8),
                flex_grow: 1.0,
                flex_basis: px(0),
                align_content: AlignContent::FlexStart,
                ..default()
            })
            .with_children(|bars| {
                for c in &view.categories {
                    let tag = if c.due {
                        format!(" · {}", t(Msg::DueNow))
                    } else if !c.practised {
                        format!(" · {}", t(Msg::NewItem))
                    } else {
                        String::new()
                    };
                    let req = if c.required {
                        format!(" [{}]", t(Msg::Required))
                    } else {
                        String::new()
                    };
                    bars.spawn(Node {
                        width: percent(47),
                        ..default()
                    })
                    .with_children(|cell| {
                        cell.spawn(Node {
                            width: percent(100),
                            flex_direction: FlexDirection::Column,
                            ..default()
                        })
                        .with_children(|m| {
                            m.spawn(widgets::meter(
                                format!("{}{req}{tag} ·", c.title),
                                c.level as i32,
                                level_colour(c.level, c.practised, view.threshold),
                            ));
                        });
                    });
                }
            });
            // Status and the next drill.
            cols.spawn(widgets::panel_width(420.0, theme::PANEL, theme::BORDER))
                .with_children(|side| {
                    match &view.certification {
                        Some(c) => {
                            side.spawn((
                                widgets::panel(theme::GOOD_BG, theme::GOOD),
                                children![widgets::bold(
                                    format!(
                                        "★ {} · {}",
                                        t(Msg::Certified),
                                        training::date(c.granted_ms)
                                    ),
                                    theme::SIZE_BIG,
                                    theme::GOOD,
                                    &fonts
                                )],
                            ));
                        }
                        None => {
                            let required: Vec<_> =
                                view.categories.iter().filter(|c| c.required).collect();
                            let ready = required
                                .iter()
                                .filter(|c| c.level >= view.threshold)
                                .count();
                            side.spawn((
                                widgets::panel(theme::WARN_BG, theme::WARN),
                                children![
                                    widgets::bold(
                                        t(Msg::NotCertified),
                                        theme::SIZE_BODY,
                                        theme::WARN,
                                        &fonts
                                    ),
                                    widgets::text(
                                        format!(
                                            "{} {ready}/{} ≥ {}",
                                            t(Msg::Required),
                                            required.len(),
                                            view.threshold
                                        ),
                                        theme::SIZE_SMALL,
                                        theme::TEXT
                                    ),
                                ],
                            ));
                        }
                    }
                    side.spawn(widgets::bold(
                        format!("{}: {}", t(Msg::ItemsDue), view.due),
                        theme::SIZE_BIG,
                        if view.due > 0 {
                            theme::WARN
                        } else {
                            theme::GOOD
                        },
                        &fonts,
                    ));
                    if let Some((plan, scenario)) = &plan {
                        side.spawn(widgets::bold(
                            format!("{}: {}", t(Msg::NextDrill), scenario.title),
                            theme::SIZE_BODY,
                            theme::ACCENT,
                            &fonts,
                        ));
                        for target in plan
                            .targets
                            .iter()
                            .filter(|x| plan.covered.contains(&x.key.item))
                            .take(4)
                        {
                            let why = match target.why {
                                Why::Due => t(Msg::WhyDue),
                                Why::Weak => t(Msg::WhyWeak),
                                Why::New => t(Msg::WhyNew),
                            };
                            side.spawn(widgets::text(
                                format!("· {} ({why}, {})", target.title, target.level),
                                theme::SIZE_SMALL,
                                theme::TEXT,
                            ));
                        }
                        side.spawn(widgets::button(
                            "N",
                            t(Msg::NextDrill),
                            UiAction::NewTrainee,
                            true,
                        ));
                        side.spawn(widgets::button(
                            "E",
                            format!("{} · {}", t(Msg::NextDrill), t(Msg::Exam)),
                            UiAction::ToggleExam,
                            false,
                        ));
                    }
                    side.spawn(widgets::button(
                        "H",
                        t(Msg::History),
                        UiAction::OpenHistory,
                        false,
                    ));
                });
        });
        p.spawn(widgets::key_hints(t(Msg::KeysMastery)));
    });
}
