//! The scorecard: the total against the pass mark, the outcome, the
//! compliance gate, the breakdown by call stage, and a turn-by-turn review.
//! Enter or Esc back to the library, R to drill the same scenario again.

use bevy::prelude::*;

use super::drill::LastResult;
use super::input::UiAction;
use super::library::DrillStarter;
use super::profile::Profile;
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::i18n::{self, Lang, Msg};
use crate::scoring::{Compliance, Verdict};
use crate::training::{self, Mode};

/// The most of a reply the turn-by-turn list shows: whole replies (wrapped)
/// for a short call, about a line each for a long one, so every turn fits.
const SAID_MAX: usize = 90;
const SAID_MAX_LONG_CALL: usize = 36;
/// A call with more answered turns than this is a long one.
const SHORT_CALL_TURNS: usize = 6;

#[derive(Component)]
struct ScorecardView;

/// The figures the scorecard shows, for tests to compare with the engine.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct ShownScore {
    pub score: u32,
    pub compliance: Compliance,
    pub outcome: String,
    pub turns: usize,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Scorecard),
        spawn_scorecard.run_if(resource_exists::<LastResult>),
    );
    app.add_systems(
        Update,
        scorecard_actions.run_if(in_state(Screen::Scorecard)),
    );
}

fn scorecard_actions(
    mut actions: MessageReader<UiAction>,
    last: Option<Res<LastResult>>,
    mut starter: DrillStarter,
) {
    for a in actions.read() {
        match a {
            UiAction::Confirm | UiAction::Back => starter.next.set(Screen::Library),
            UiAction::Retry => {
                if let Some(last) = &last {
                    starter.start(&last.drill.scenario().id);
                }
            }
            UiAction::NewTrainee => starter.start_next(Mode::Practice),
            UiAction::OpenMastery if starter.profile.trainee.is_some() => {
                starter.next.set(Screen::Mastery)
            }
            _ => {}
        }
    }
}

fn spawn_scorecard(
    mut commands: Commands,
    last: Res<LastResult>,
    profile: Res<Profile>,
    fonts: Res<Fonts>,
) {
    let lang = profile.lang;
    let t = |m| i18n::msg(lang, m);
    let drill = &last.drill;
    let card = drill.scorecard();
    let outcome = drill.outcome();
    commands.insert_resource(ShownScore {
        score: card.score,
        compliance: card.compliance,
        outcome: outcome.map_or("Unfinished".into(), |o| o.ending.name().into()),
        turns: drill.steps().iter().filter(|s| s.turn.is_some()).count(),
    });
    let score_colour = if card.passed { theme::GOOD } else { theme::BAD };
    let (c_colour, c_bg) = match card.compliance {
        Compliance::Pass => (theme::GOOD, theme::GOOD_BG),
        Compliance::Warn => (theme::WARN, theme::WARN_BG),
        Compliance::Fail => (theme::BAD, theme::BAD_BG),
    };
    let root = commands
        .spawn((widgets::screen_root(Screen::Scorecard), ScorecardView))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn((
            widgets::row(18.0),
            children![
                widgets::bold(t(Msg::Scorecard), theme::SIZE_TITLE, theme::TEXT, &fonts),
                widgets::text(
                    format!(
                        "{} · {} · {} {}",
                        drill.scenario().title,
                        drill.scenario().persona.name,
                        t(Msg::Seed),
                        drill.seed()
                    ),
                    theme::SIZE_BODY,
                    theme::MUTED
                ),
            ],
        ));
        p.spawn(widgets::body_columns()).with_children(|cols| {
            cols.spawn((widgets::panel_width(420.0, theme::PANEL, theme::BORDER),))
                .with_children(|left| {
                    left.spawn(widgets::bold(
                        format!("{} / 100", card.score),
                        theme::SIZE_HUGE * 1.4,
                        score_colour,
                        &fonts,
                    ));
                    left.spawn(widgets::text(
                        format!(
                            "{} {} · {}",
                            t(Msg::PassMark),
                            card.pass_mark,
                            if card.passed {
                                t(Msg::Passed)
                            } else {
                                t(Msg::NotPassed)
                            }
                        ),
                        theme::SIZE_BIG,
                        score_colour,
                    ));
                    if let Some(o) = outcome {
                        left.spawn(widgets::bold(
                            format!("{}: {}", t(Msg::Outcome), i18n::ending(lang, o.ending)),
                            theme::SIZE_BIG,
                            if o.ending.is_win() {
                                theme::GOOD
                            } else {
                                theme::TEXT
                            },
                            &fonts,
                        ));
                    }
                    left.spawn((
                        widgets::panel(c_bg, c_colour),
                        children![widgets::bold(
                            format!(
                                "{}: {}",
                                t(Msg::Compliance),
                                i18n::compliance(lang, card.compliance)
                            ),
                            theme::SIZE_BODY,
                            c_colour,
                            &fonts
                        )],
                    ));
                    if card.fatal_breaches == 0 && card.major_breaches > 0 {
                        left.spawn(widgets::text(
                            i18n::major_penalty(lang, &card),
                            theme::SIZE_BODY,
                            theme::WARN,
                        ));
                    }
                    if card.fatal_breaches > 0 {
                        left.spawn(widgets::text(
                            t(Msg::FatalZeroes),
                            theme::SIZE_BODY,
                            theme::BAD,
                        ));
                    }
                    for s in &card.stages {
                        left.spawn(widgets::meter(
                            format!(
                                "{} ({} {}) ·",
                                i18n::stage(lang, s.stage),
                                t(Msg::Weight),
                                s.weight
                            ),
                            s.average.round() as i32,
                            if s.average >= card.pass_mark as f64 {
                                theme::GOOD
                            } else {
                                theme::WARN
                            },
                        ));
                    }
                });
            cols.spawn((widgets::panel_grow(theme::PANEL, theme::BORDER),))
                .with_children(|right| {
                    if let Some(done) = &last.finished {
                        if let Some(check) = &done.exam {
                            if check.granted {
                                let date = done
                                    .certification
                                    .as_ref()
                                    .map(|c| training::date(c.granted_ms))
                                    .unwrap_or_default();
                                right.spawn((
                                    widgets::panel(theme::GOOD_BG, theme::GOOD),
                                    children![widgets::bold(
                                        format!("★ {} · {date}", t(Msg::CertGranted)),
                                        theme::SIZE_BIG,
                                        theme::GOOD,
                                        &fonts
                                    )],
                                ));
                            } else {
                                right
                                    .spawn(widgets::panel(theme::WARN_BG, theme::WARN))
                                    .with_children(|w| {
                                        w.spawn(widgets::bold(
                                            t(Msg::CertNotYet),
                                            theme::SIZE_BODY,
                                            theme::WARN,
                                            &fonts,
                                        ));
                                        for m in check.missing.iter().take(4) {
                                            w.spawn(widgets::text(
                                                format!("· {}", m.describe(lang == Lang::Zh)),
                                                theme::SIZE_SMALL,
                                                theme::TEXT,
                                            ));
                                        }
                                    });
                            }
                        }
                        if !done.changes.is_empty() {
                            let parts: Vec<String> = done
                                .changes
                                .iter()
                                .take(5)
                                .map(|(title, b, a)| {
                                    format!("{title} {b}→{a}{}", if a > b { "↑" } else { "↓" })
                                })
                                .collect();
                            right.spawn(widgets::text(
                                format!("{}: {}", t(Msg::MasteryChanged), parts.join("  ")),
                                theme::SIZE_BODY,
                                theme::ACCENT,
                            ));
                        }
                    }
                    right.spawn(widgets::bold(
                        t(Msg::TurnByTurn),
                        theme::SIZE_BIG,
                        theme::TEXT,
                        &fonts,
                    ));
                    let answered = drill.steps().iter().filter(|s| s.turn.is_some()).count();
                    let said_max = if answered <= SHORT_CALL_TURNS {
                        SAID_MAX
                    } else {
                        SAID_MAX_LONG_CALL
                    };
                    for (i, s) in drill
                        .steps()
                        .iter()
                        .filter(|s| s.turn.is_some())
                        .enumerate()
                        .take(12)
                    {
                        let turn = s.turn.as_ref().expect("filtered");
                        let colour = match turn.assessment.verdict {
                            Verdict::Approved => theme::GOOD,
                            Verdict::Partial => theme::WARN,
                            Verdict::Breach => theme::BAD,
                        };
                        // Long replies wrap over two lines or so; only very
                        // long typed ones are cut.
                        let said: String = turn.said.chars().take(said_max).collect();
                        let more = if turn.said.chars().count() > said_max {
                            "…"
                        } else {
                            ""
                        };
                        let cell = |w: f32| Node {
                            width: px(w),
                            flex_shrink: 0.0,
                            ..default()
                        };
                        let verdict = format!(
                            "{} {}",
                            i18n::verdict(lang, turn.assessment.verdict),
                            turn.assessment.score
                        );
                        right.spawn((
                            widgets::row(10.0),
                            children![
                                (
                                    cell(28.0),
                                    children![widgets::text(
                                        format!("{}.", i + 1),
                                        theme::SIZE_SMALL,
                                        theme::MUTED
                                    )]
                                ),
                                (
                                    cell(120.0),
                                    children![widgets::text(
                                        i18n::stage(lang, s.stage),
                                        theme::SIZE_SMALL,
                                        theme::MUTED
                                    )]
                                ),
                                (
                                    cell(120.0),
                                    children![widgets::text(verdict, theme::SIZE_SMALL, colour)]
                                ),
                                (
                                    Node {
                                        flex_shrink: 1.0,
                                        ..default()
                                    },
                                    children![widgets::text(
                                        format!("{said}{more}"),
                                        theme::SIZE_SMALL,
                                        theme::TEXT
                                    )]
                                ),
                            ],
                        ));
                    }
                });
        });
        p.spawn((
            widgets::row(16.0),
            children![
                widgets::button("Enter", t(Msg::BackToLibrary), UiAction::Confirm, true),
                widgets::button("R", t(Msg::Retry), UiAction::Retry, false),
            ],
        ))
        .with_children(|r| {
            if profile.trainee.is_some() {
                r.spawn(widgets::button(
                    "N",
                    t(Msg::NextDrill),
                    UiAction::NewTrainee,
                    false,
                ));
                r.spawn(widgets::button(
                    "M",
                    t(Msg::MasteryTitle),
                    UiAction::OpenMastery,
                    false,
                ));
            }
        });
        p.spawn(widgets::key_hints(t(Msg::KeysScorecard)));
    });
}
