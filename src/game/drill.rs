//! The drill screen: the customer's line with the persona's name, patience and
//! interest meters, numbered reply options with an answer timer, and after
//! each answer immediate feedback coloured by verdict (approved, partial,
//! breach) with the approved line and the key points covered and missed.
//! 1-9 answer, Tab types a reply (IME works), Enter continues, Esc leaves.
//! Every answered turn is committed to the records store at once.

use bevy::prelude::*;

use super::audio::Sfx;
use super::input::{TextEntry, UiAction};
use super::profile::Profile;
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::drill::{Answer, Drill, EndReason, Turn};
use crate::i18n::{self, Lang, Msg};
use crate::scoring::Verdict;
use crate::training::{self, Finished, Mode};

/// Seconds the answer timer counts down from.
pub const ANSWER_SECONDS: f64 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillPhase {
    Answering,
    /// Showing the feedback on the last answer; Enter moves on.
    Feedback,
}

/// The drill in progress.
#[derive(Resource)]
pub struct ActiveDrill {
    pub drill: Drill,
    /// Its id in the records store, when recorded.
    pub record: Option<i64>,
    pub phase: DrillPhase,
    /// When the current prompt was shown (seconds of app time).
    pub asked_at: f64,
    /// The last answered turn, for the feedback panel.
    pub last_turn: Option<Turn>,
    /// The answers given, in order (for replay checks).
    pub answers: Vec<Answer>,
    /// Practice (feedback after each turn) or exam (none until the end).
    pub mode: Mode,
    /// Category levels before the drill, to show what changed.
    pub before: std::collections::HashMap<String, u32>,
    /// Set when the drill's end has been recorded.
    pub finished: Option<Finished>,
    /// A representative's turn in the morning competition.
    pub competition: bool,
}

impl ActiveDrill {
    pub fn new(drill: Drill, record: Option<i64>, now: f64) -> ActiveDrill {
        ActiveDrill {
            drill,
            record,
            phase: DrillPhase::Answering,
            asked_at: now,
            last_turn: None,
            answers: Vec::new(),
            mode: Mode::Practice,
            before: Default::default(),
            finished: None,
            competition: false,
        }
    }
}

/// The drill just finished, for the scorecard.
#[derive(Resource, Clone)]
pub struct LastResult {
    pub drill: Drill,
    pub answers: Vec<Answer>,
    pub mode: Mode,
    /// Mastery changes and, for an exam, the certification check.
    pub finished: Option<Finished>,
}

#[derive(Component)]
struct DrillView;

#[derive(Component)]
struct TimerText;

#[derive(Component)]
struct TimerBar;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (drill_actions, render_drill, tick_answer_timer)
            .chain()
            .run_if(in_state(Screen::Drill).and_then(resource_exists::<ActiveDrill>)),
    );
    app.add_systems(OnExit(Screen::Drill), |mut entry: ResMut<TextEntry>| {
        entry.stop()
    });
}

#[allow(clippy::too_many_arguments)]
fn drill_actions(
    mut commands: Commands,
    mut actions: MessageReader<UiAction>,
    mut active: ResMut<ActiveDrill>,
    mut profile: ResMut<Profile>,
    mut entry: ResMut<TextEntry>,
    mut sfx: MessageWriter<Sfx>,
    mut next: ResMut<NextState<Screen>>,
    time: Res<Time>,
) {
    let now = time.elapsed_secs_f64();
    for a in actions.read() {
        match (active.phase, a) {
            (DrillPhase::Answering, UiAction::Number(n)) => {
                answer(
                    &mut active,
                    &mut profile,
                    &mut sfx,
                    Answer::Choice(*n as usize - 1),
                    now,
                );
                if active.mode == Mode::Exam && active.drill.is_over() {
                    to_scorecard(&mut commands, &active, &mut sfx, &mut next);
                }
            }
            (DrillPhase::Answering, UiAction::StartTyping) => entry.start(),
            (DrillPhase::Answering, UiAction::Submit(text)) => {
                answer(
                    &mut active,
                    &mut profile,
                    &mut sfx,
                    Answer::Typed(text.clone()),
                    now,
                );
                if active.mode == Mode::Exam && active.drill.is_over() {
                    to_scorecard(&mut commands, &active, &mut sfx, &mut next);
                }
            }
            (DrillPhase::Feedback, UiAction::Confirm) => {
                if active.drill.is_over() {
                    to_scorecard(&mut commands, &active, &mut sfx, &mut next);
                } else {
                    active.phase = DrillPhase::Answering;
                    active.asked_at = now;
                }
            }
            (_, UiAction::Back) => {
                if active.finished.is_none() {
                    record_finish(&mut active, &mut profile);
                }
                if active.competition {
                    // The turn is not scored: the representative plays it again.
                    commands.remove_resource::<LastResult>();
                    next.set(Screen::Competition);
                } else {
                    next.set(Screen::Library);
                }
            }
            _ => {}
        }
    }
}

fn to_scorecard(
    commands: &mut Commands,
    active: &ActiveDrill,
    sfx: &mut MessageWriter<Sfx>,
    next: &mut NextState<Screen>,
) {
    if active.drill.outcome().is_some_and(|o| o.ending.is_win()) {
        sfx.write(Sfx::Celebrate);
    }
    commands.insert_resource(LastResult {
        drill: active.drill.clone(),
        answers: active.answers.clone(),
        mode: active.mode,
        finished: active.finished.clone(),
    });
    next.set(if active.competition {
        Screen::Competition
    } else {
        Screen::Scorecard
    });
}

/// Records how the drill ended (and for an exam, checks certification).
fn record_finish(active: &mut ActiveDrill, profile: &mut Profile) {
    let (Some(id), Some(trainee)) = (active.record, profile.trainee.clone()) else {
        return;
    };
    let result = training::finish(
        &profile.store(),
        &trainee,
        id,
        &active.drill,
        active.mode,
        &active.before,
    );
    match result {
        Ok(f) => active.finished = Some(f),
        Err(e) => profile.note_error(e),
    }
}

/// Answers the prompt; a refused answer (no such option) changes nothing.
fn answer(
    active: &mut ActiveDrill,
    profile: &mut Profile,
    sfx: &mut MessageWriter<Sfx>,
    answer: Answer,
    now: f64,
) {
    let ms = ((now - active.asked_at).max(0.0) * 1000.0) as u64;
    let index = active.drill.steps().len() - 1;
    let Ok(turn) = active.drill.answer(answer.clone(), Some(ms)) else {
        return;
    };
    let turn = turn.clone();
    // An exam gives no feedback until the end: no verdict sounds either.
    if active.mode == Mode::Practice {
        match turn.assessment.verdict {
            Verdict::Approved => {
                sfx.write(Sfx::Chime);
            }
            Verdict::Breach => {
                sfx.write(Sfx::Buzz);
            }
            Verdict::Partial => {}
        }
    }
    active.answers.push(answer);
    active.last_turn = Some(turn);
    active.phase = match active.mode {
        Mode::Practice => DrillPhase::Feedback,
        Mode::Exam => {
            active.asked_at = now;
            DrillPhase::Answering
        }
    };
    if let Some(id) = active.record {
        let result = profile.store().record_turn(id, &active.drill, index);
        if let Err(e) = result {
            profile.note_error(e);
        }
    }
    if active.drill.is_over() {
        record_finish(active, profile);
    }
}

fn verdict_colours(v: Verdict) -> (Color, Color, &'static str) {
    match v {
        Verdict::Approved => (theme::GOOD, theme::GOOD_BG, "√"),
        Verdict::Partial => (theme::WARN, theme::WARN_BG, "◐"),
        Verdict::Breach => (theme::BAD, theme::BAD_BG, "×"),
    }
}

/// What the drill view shows; it is redrawn when this changes or when there
/// is no view (on entering the screen). Run conditions on change detection
/// proved unreliable here: they are evaluated while the screen is off too.
#[derive(PartialEq, Default)]
struct Drawn {
    turns: usize,
    phase: Option<DrillPhase>,
    typing: Option<(String, String)>,
    lang: Option<Lang>,
}

#[allow(clippy::too_many_arguments)]
fn render_drill(
    mut commands: Commands,
    active: Res<ActiveDrill>,
    entry: Res<TextEntry>,
    profile: Res<Profile>,
    fonts: Res<Fonts>,
    views: Query<Entity, With<DrillView>>,
    mut drawn: Local<Drawn>,
) {
    let now = Drawn {
        turns: active.answers.len() + active.drill.steps().len(),
        phase: Some(active.phase),
        typing: entry
            .active
            .then(|| (entry.text.clone(), entry.preedit.clone())),
        lang: Some(profile.lang),
    };
    if !views.is_empty() && *drawn == now && !active.is_added() {
        return;
    }
    *drawn = now;
    for e in &views {
        commands.entity(e).despawn();
    }
    let lang: Lang = profile.lang;
    let t = |m| i18n::msg(lang, m);
    let drill = &active.drill;
    let sc = drill.scenario().clone();
    let pb = drill.playbook().clone();
    let steps = drill.steps();
    let answered = steps.iter().filter(|s| s.turn.is_some()).count();
    // During feedback the customer's current line is the one just answered.
    let focus = match active.phase {
        DrillPhase::Feedback => steps.iter().rposition(|s| s.turn.is_some()).unwrap_or(0),
        DrillPhase::Answering => steps.len() - 1,
    };
    let step = &steps[focus];
    let mood = step.mood;

    let root = commands
        .spawn((widgets::screen_root(Screen::Drill), DrillView))
        .id();
    commands.entity(root).with_children(|p| {
        // Top bar.
        p.spawn((
            widgets::row(18.0),
            children![
                widgets::bold(
                    if active.mode == Mode::Exam {
                        format!("【{}】{}", t(Msg::Exam), sc.title)
                    } else if active.competition {
                        format!(
                            "【{} · {}】{}",
                            t(Msg::CompTitle),
                            profile
                                .trainee
                                .as_ref()
                                .map_or(String::new(), |t| t.name.clone()),
                            sc.title
                        )
                    } else {
                        sc.title.clone()
                    },
                    theme::SIZE_BIG,
                    if active.mode == Mode::Exam || active.competition {
                        theme::WARN
                    } else {
                        theme::TEXT
                    },
                    &fonts
                ),
                widgets::text(
                    format!(
                        "{} · {} {} · {} {}",
                        pb.title,
                        t(Msg::Seed),
                        drill.seed(),
                        t(Msg::Step),
                        answered + usize::from(active.phase == DrillPhase::Answering)
                    ),
                    theme::SIZE_SMALL,
                    theme::MUTED
                ),
            ],
        ));
        p.spawn(widgets::body_columns()).with_children(|cols| {
            cols.spawn(Node {
                flex_direction: FlexDirection::Column,
                row_gap: px(12),
                flex_grow: 1.0,
                flex_basis: px(0),
                ..default()
            })
            .with_children(|main| {
                // The last exchanges, muted.
                let history: Vec<_> = steps[..focus].iter().rev().take(2).collect();
                for s in history.into_iter().rev() {
                    main.spawn(widgets::text(
                        format!("{}: {}", sc.persona.name, s.line),
                        theme::SIZE_SMALL,
                        theme::MUTED,
                    ));
                    if let Some(turn) = &s.turn {
                        main.spawn(widgets::text(
                            format!("  → {}", turn.said),
                            theme::SIZE_SMALL,
                            theme::MUTED,
                        ));
                    }
                }
                // The customer's line.
                let stage = i18n::stage(lang, step.stage);
                let objection = step
                    .objection
                    .as_deref()
                    .and_then(|o| pb.category(o))
                    .filter(|c| c.title != stage)
                    .map(|c| format!(" · {}", c.title))
                    .unwrap_or_default();
                main.spawn((
                    widgets::panel(theme::PANEL, theme::CUSTOMER),
                    children![
                        widgets::text(
                            format!("{stage}{objection}"),
                            theme::SIZE_SMALL,
                            theme::MUTED
                        ),
                        widgets::bold(
                            format!("{}:", sc.persona.name),
                            theme::SIZE_BODY,
                            theme::CUSTOMER,
                            &fonts
                        ),
                        widgets::text(step.line.clone(), theme::SIZE_TITLE, theme::TEXT),
                    ],
                ));
                match active.phase {
                    DrillPhase::Answering if entry.active => {
                        main.spawn((
                            widgets::panel(theme::PANEL_HI, theme::ACCENT),
                            children![
                                widgets::text(t(Msg::TypeReply), theme::SIZE_SMALL, theme::MUTED),
                                widgets::text(
                                    format!("{}{}│", entry.text, entry.preedit),
                                    theme::SIZE_BIG,
                                    theme::TEXT
                                ),
                                widgets::text(t(Msg::TypingHint), theme::SIZE_SMALL, theme::MUTED),
                            ],
                        ));
                    }
                    DrillPhase::Answering => {
                        if let Some(prompt) = drill.prompt() {
                            for (i, text) in prompt.options.iter().enumerate() {
                                main.spawn(widgets::button(
                                    &(i + 1).to_string(),
                                    text.to_string(),
                                    UiAction::Number(i as u8 + 1),
                                    false,
                                ));
                            }
                            main.spawn(widgets::button(
                                "Tab",
                                t(Msg::Typed),
                                UiAction::StartTyping,
                                false,
                            ));
                        }
                    }
                    DrillPhase::Feedback => {
                        if let Some(turn) = &active.last_turn {
                            spawn_feedback(main, lang, &pb, turn, &fonts);
                        }
                        if drill.is_over() {
                            let ending = drill.outcome().map(|o| {
                                let why = match o.reason {
                                    EndReason::PatienceOut => {
                                        format!(" {}", t(Msg::CustomerHangsUp))
                                    }
                                    EndReason::StepBudget => format!(" {}", t(Msg::BudgetSpent)),
                                    EndReason::Scripted => String::new(),
                                };
                                let last = steps.last().map(|s| s.line.clone()).unwrap_or_default();
                                format!(
                                    "{}: {} — {}: {last}{why}",
                                    t(Msg::DrillOver),
                                    i18n::ending(lang, o.ending),
                                    sc.persona.name
                                )
                            });
                            main.spawn(widgets::text(
                                ending.unwrap_or_default(),
                                theme::SIZE_BODY,
                                theme::CUSTOMER,
                            ));
                        }
                        main.spawn(widgets::button(
                            "Enter",
                            t(Msg::ContinueHint),
                            UiAction::Confirm,
                            true,
                        ));
                    }
                }
            });
            // The side panel: persona, mood, timer.
            cols.spawn((widgets::panel_width(300.0, theme::PANEL, theme::BORDER),))
                .with_children(|side| {
                    side.spawn(widgets::bold(
                        sc.persona.name.clone(),
                        theme::SIZE_BIG,
                        theme::CUSTOMER,
                        &fonts,
                    ));
                    side.spawn(widgets::text(
                        sc.persona.description.clone(),
                        theme::SIZE_SMALL,
                        theme::TEXT,
                    ));
                    side.spawn(widgets::text(
                        sc.persona.traits.join(" · "),
                        theme::SIZE_SMALL,
                        theme::MUTED,
                    ));
                    let m = if active.phase == DrillPhase::Feedback {
                        drill.mood()
                    } else {
                        mood
                    };
                    side.spawn(widgets::meter(t(Msg::Patience), m.patience, theme::WARN));
                    side.spawn(widgets::meter(t(Msg::Interest), m.interest, theme::ACCENT));
                    if active.phase == DrillPhase::Answering {
                        side.spawn((widgets::text(
                            t(Msg::AnswerTime),
                            theme::SIZE_SMALL,
                            theme::MUTED,
                        ),));
                        side.spawn((
                            widgets::text(
                                format!("{ANSWER_SECONDS:.0}s"),
                                theme::SIZE_TITLE,
                                theme::TEXT,
                            ),
                            TimerText,
                        ));
                        side.spawn((
                            Node {
                                width: percent(100),
                                height: px(10),
                                ..default()
                            },
                            BackgroundColor(theme::BORDER),
                            children![(
                                Node {
                                    width: percent(100),
                                    height: percent(100),
                                    ..default()
                                },
                                BackgroundColor(theme::GOOD),
                                TimerBar,
                            )],
                        ));
                    }
                });
        });
        p.spawn(widgets::key_hints(t(Msg::KeysDrill)));
    });
}

fn spawn_feedback(
    main: &mut ChildSpawnerCommands,
    lang: Lang,
    pb: &crate::playbook::Playbook,
    turn: &Turn,
    fonts: &Fonts,
) {
    let t = |m| i18n::msg(lang, m);
    let a = &turn.assessment;
    let (fg, bg, mark) = verdict_colours(a.verdict);
    let points = if lang == Lang::Zh { "分" } else { " pts" };
    main.spawn(widgets::panel(bg, fg)).with_children(|f| {
        f.spawn(widgets::bold(
            format!(
                "{mark} {} ({}{points})",
                i18n::verdict(lang, a.verdict),
                a.score
            ),
            theme::SIZE_BIG,
            fg,
            fonts,
        ));
        f.spawn(widgets::text(
            format!("{}: {}", t(Msg::YouSaid), turn.said),
            theme::SIZE_BODY,
            theme::TEXT,
        ));
        if let Some((_, line)) = pb.line(&a.line) {
            if a.verdict != Verdict::Approved || turn.option.is_none() {
                f.spawn(widgets::text(
                    format!("{}: {}", t(Msg::ScriptSays), line.text),
                    theme::SIZE_BODY,
                    theme::GOOD,
                ));
            }
            f.spawn(widgets::row(14.0)).with_children(|r| {
                r.spawn(widgets::text(
                    format!("{}:", t(Msg::KeyPoints)),
                    theme::SIZE_BODY,
                    theme::MUTED,
                ));
                for (i, k) in line.key_points.iter().enumerate() {
                    let (c, m) = if a.coverage.is_covered(i) {
                        (theme::GOOD, "√")
                    } else {
                        (theme::BAD, "×")
                    };
                    r.spawn(widgets::text(
                        format!("{m} {}", k.title),
                        theme::SIZE_BODY,
                        c,
                    ));
                }
            });
        }
        if let Some(reason) = a.reason.as_ref().filter(|r| !r.is_empty()) {
            f.spawn(widgets::text(
                format!("{}: {reason}", t(Msg::Reason)),
                theme::SIZE_BODY,
                theme::WARN,
            ));
        }
        for b in &a.breaches {
            let (title, advice) = pb
                .rule(&b.rule)
                .map(|r| (r.title.clone(), r.advice.clone()))
                .unwrap_or((b.rule.clone(), String::new()));
            let phrase = b
                .phrase
                .as_ref()
                .map(|p| format!(" «{p}»"))
                .unwrap_or_default();
            f.spawn(widgets::bold(
                format!(
                    "{}: {title} ({}){phrase}",
                    t(Msg::BreachOf),
                    i18n::severity(lang, b.severity)
                ),
                theme::SIZE_BODY,
                theme::BAD,
                fonts,
            ));
            if !advice.is_empty() {
                f.spawn(widgets::text(
                    format!("{}: {advice}", t(Msg::Advice)),
                    theme::SIZE_BODY,
                    theme::TEXT,
                ));
            }
        }
    });
}

fn tick_answer_timer(
    time: Res<Time>,
    active: Res<ActiveDrill>,
    mut texts: Query<(&mut Text, &mut TextColor), With<TimerText>>,
    mut bars: Query<(&mut Node, &mut BackgroundColor), With<TimerBar>>,
) {
    if active.phase != DrillPhase::Answering {
        return;
    }
    let left = (ANSWER_SECONDS - (time.elapsed_secs_f64() - active.asked_at)).max(0.0);
    let colour = if left > 10.0 {
        theme::GOOD
    } else if left > 0.0 {
        theme::WARN
    } else {
        theme::BAD
    };
    for (mut text, mut c) in &mut texts {
        let s = format!("{left:.0}s");
        if text.0 != s {
            text.0 = s;
        }
        c.0 = colour;
    }
    for (mut node, mut bg) in &mut bars {
        node.width = percent((left / ANSWER_SECONDS * 100.0) as f32);
        bg.0 = colour;
    }
}
