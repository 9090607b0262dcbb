//! The morning drill session on the projector (晨会小组竞赛), hot seat on one
//! screen. Setup: the scenario (↑↓) and the number of rounds (←→), Enter
//! starts; an interrupted session is offered for resuming first. Between
//! representatives a large scoreboard shows every team's points, the rules'
//! tie-breaks, and who is up next: the rotation proposes whoever represented
//! least recently, ←→ overrides. Enter hands the keyboard to the
//! representative, who plays the drill screen with its answer timer and the
//! same seed as every other team this round. A deal or an appointment fires
//! a banner and a sound at once ("猛虎组 张三 成交！"). After the last round
//! a podium and the session's awards. Every result is stored, hash-chained,
//! as soon as it is known, with the session state, so nothing is lost.

use bevy::prelude::*;

use super::audio::Sfx;
use super::drill::LastResult;
use super::input::UiAction;
use super::library::{DrillStarter, ordered};
use super::profile::SeedPolicy;
use super::teams::TeamsState;
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::competition::awards::{self, Award};
use crate::competition::rules::Rules;
use crate::competition::session::{Competition, RoundResult};
use crate::i18n::{self, Lang, Msg};
use crate::records::now_ms;
use crate::scenario::Ending;
use crate::training::Mode;

/// Newcomers for 最佳新人奖: not yet certified, or joined within this many days.
pub const NEWCOMER_DAYS: u32 = 30;
/// Rounds a new session offers by default.
pub const DEFAULT_ROUNDS: u32 = 2;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Phase {
    /// An unfinished session was found: resume it or start anew.
    Resume,
    #[default]
    Setup,
    Scoreboard,
    /// A deal or appointment was just announced.
    Banner(String),
    Podium,
}

/// The session in progress.
#[derive(Resource, Default)]
pub struct CompetitionState {
    pub phase: Phase,
    pub session: Option<Competition>,
    /// Its id in the records store.
    pub id: Option<i64>,
    /// Setup: the scenario chosen (index into the library order) and rounds.
    pub scenario_cursor: usize,
    pub rounds: u32,
    /// Scenarios chosen with Space (rounds cycle through them); none chosen:
    /// the highlighted one.
    pub chosen: Vec<String>,
    /// A focus objection (playbook, category): only scenarios that raise it.
    pub focus: Option<(String, String)>,
    /// A representative is playing: their result is recorded on return.
    pub playing: Option<String>,
    pub awards: Vec<Award>,
    /// The last problem (rules file, records), shown on screen.
    pub error: Option<String>,
}

#[derive(Component)]
struct CompetitionView;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CompetitionState>();
    app.add_systems(OnEnter(Screen::Competition), enter_competition);
    app.add_systems(
        Update,
        (competition_actions, render_competition)
            .chain()
            .run_if(in_state(Screen::Competition)),
    );
}

/// The rules: `competition/rules.ron` in the content folder, else the defaults.
fn load_rules(content_root: &std::path::Path) -> Result<Rules, String> {
    let path = content_root.join("competition").join("rules.ron");
    if path.exists() {
        crate::competition::rules::load_file(&path).map_err(|e| {
            e.diagnostics
                .iter()
                .map(|d| super::content::diagnostic_text(d, content_root))
                .collect::<Vec<_>>()
                .join("\n")
        })
    } else {
        Ok(Rules::default())
    }
}

fn enter_competition(
    mut state: ResMut<CompetitionState>,
    mut starter: DrillStarter,
    last: Option<Res<LastResult>>,
) {
    if state.rounds == 0 {
        state.rounds = DEFAULT_ROUNDS;
    }
    // Back from a representative's drill: record the result.
    if let Some(rep) = state.playing.take() {
        if let Some(last) = last.filter(|l| l.drill.is_over()) {
            record_result(&mut state, &mut starter, &last, &rep);
        }
        ensure_representative(&mut state, &mut starter);
        return;
    }
    if state.session.is_some() {
        return;
    }
    let open = starter.profile.store().open_competition();
    match open {
        Ok(Some((id, c))) => {
            state.id = Some(id);
            state.session = Some(c);
            state.phase = Phase::Resume;
            ensure_representative(&mut state, &mut starter);
        }
        Ok(None) => state.phase = Phase::Setup,
        Err(e) => {
            state.error = Some(e.to_string());
            state.phase = Phase::Setup;
        }
    }
}

fn record_result(
    state: &mut CompetitionState,
    starter: &mut DrillStarter,
    last: &LastResult,
    rep: &str,
) {
    let (Some(c), Some(id)) = (state.session.as_mut(), state.id) else {
        return;
    };
    let Some(slot) = c.next_slot() else {
        return;
    };
    let drill = &last.drill;
    let card = drill.scorecard();
    let result = RoundResult {
        round: slot.round,
        team: slot.team_name.clone(),
        trainee: rep.to_string(),
        scenario: drill.scenario().id.clone(),
        seed: drill.seed(),
        score: card.score,
        outcome: drill.outcome().map_or(Ending::HangUp, |o| o.ending),
        fatal: card.fatal_breaches > 0,
        breaches: card.fatal_breaches + card.major_breaches,
        total_response_ms: drill
            .steps()
            .iter()
            .filter_map(|s| s.turn.as_ref().and_then(|t| t.response_ms))
            .sum(),
        finished_at_ms: now_ms(),
        answers: serde_json::to_string(&last.answers).unwrap_or_default(),
    };
    if let Err(e) = c.record(result) {
        state.error = Some(e);
        state.phase = Phase::Scoreboard;
        return;
    }
    let saved = starter.profile.store().record_competition_result(id, c);
    if let Err(e) = saved {
        state.error = Some(e.to_string());
    }
    let lang = starter.profile.lang;
    let banner = c.announcement().map(|a| match lang {
        Lang::Zh => a.zh,
        Lang::En => a.en,
    });
    if c.is_finished() {
        let store = starter.profile.store();
        let _ = store.finish_competition(id, now_ms());
        let facts = store.trainee_facts().unwrap_or_default();
        drop(store);
        state.awards = awards::session_awards(c, &facts, NEWCOMER_DAYS, now_ms());
        // The month so far: its champion is shown with the session's awards.
        let offset = crate::report::competition::local_offset_minutes();
        let (year, month) = awards::month_of(now_ms(), offset);
        if let Ok((start, end)) = awards::month_window(year, month, offset) {
            let results = starter
                .profile
                .store()
                .competition_results(start, end)
                .unwrap_or_default();
            if let Ok(monthly) =
                awards::monthly_awards(&results, &facts, NEWCOMER_DAYS, year, month, offset)
            {
                state.awards.extend(
                    monthly
                        .into_iter()
                        .filter(|a| a.kind == awards::AwardKind::MonthlyChampion),
                );
            }
        }
    }
    state.phase = match banner {
        Some(text) => {
            starter.sfx.write(Sfx::Celebrate);
            Phase::Banner(text)
        }
        None if state.session.as_ref().is_some_and(|c| c.is_finished()) => Phase::Podium,
        None => Phase::Scoreboard,
    };
}

/// Proposes this slot's representative by rotation unless one is set.
fn ensure_representative(state: &mut CompetitionState, starter: &mut DrillStarter) {
    let Some(c) = state.session.as_mut() else {
        return;
    };
    let Some(slot) = c.next_slot() else {
        return;
    };
    if slot.representative.is_some() {
        return;
    }
    let history = starter
        .profile
        .store()
        .representative_history()
        .unwrap_or_default();
    if let Ok(who) = c.propose_representative(slot.team, &history) {
        let _ = c.set_representative(slot.team, &who);
    }
}

fn competition_actions(
    mut actions: MessageReader<UiAction>,
    mut state: ResMut<CompetitionState>,
    mut starter: DrillStarter,
    seeds: Res<SeedPolicy>,
    teams: Res<TeamsState>,
) {
    for a in actions.read() {
        match (state.phase.clone(), a) {
            (Phase::Resume, UiAction::Confirm) => state.phase = Phase::Scoreboard,
            (Phase::Resume, UiAction::NewTrainee) => {
                if let Some(id) = state.id.take() {
                    let _ = starter.profile.store().finish_competition(id, now_ms());
                }
                state.session = None;
                state.phase = Phase::Setup;
            }
            (Phase::Setup, UiAction::Select(i)) => state.scenario_cursor = *i,
            (Phase::Setup, UiAction::Toggle) => {
                let list = setup_list(&starter.lib, state.focus.as_ref());
                if let Some(s) = list.get(state.scenario_cursor) {
                    if let Some(at) = state.chosen.iter().position(|c| *c == s.id) {
                        state.chosen.remove(at);
                    } else {
                        state.chosen.push(s.id.clone());
                    }
                }
            }
            (Phase::Setup, UiAction::Focus) => {
                let cats = focus_choices(&starter.lib);
                let at = state
                    .focus
                    .as_ref()
                    .and_then(|f| cats.iter().position(|c| (&c.0, &c.1) == (&f.0, &f.1)));
                state.focus = match at {
                    None => cats.first().map(|c| (c.0.clone(), c.1.clone())),
                    Some(i) => cats.get(i + 1).map(|c| (c.0.clone(), c.1.clone())),
                };
                state.scenario_cursor = 0;
            }
            (Phase::Setup, UiAction::Up | UiAction::Down) => {
                let n = setup_list(&starter.lib, state.focus.as_ref()).len().max(1);
                state.scenario_cursor = if *a == UiAction::Up {
                    (state.scenario_cursor + n - 1) % n
                } else {
                    (state.scenario_cursor + 1) % n
                };
            }
            (Phase::Setup, UiAction::Left) => state.rounds = state.rounds.saturating_sub(1).max(1),
            (Phase::Setup, UiAction::Right) => state.rounds = (state.rounds + 1).min(10),
            (Phase::Setup, UiAction::Confirm) => {
                let scenarios: Vec<String> = if state.chosen.is_empty() {
                    match setup_list(&starter.lib, state.focus.as_ref()).get(state.scenario_cursor)
                    {
                        Some(s) => vec![s.id.clone()],
                        None => continue,
                    }
                } else {
                    state.chosen.clone()
                };
                let Some(b) = &teams.balance else {
                    starter.next.set(Screen::Teams);
                    continue;
                };
                let rules = match load_rules(&starter.lib.root) {
                    Ok(r) => r,
                    Err(e) => {
                        state.error = Some(e);
                        continue;
                    }
                };
                let seed = seeds.next();
                match Competition::new(b.teams.clone(), scenarios, state.rounds, seed, rules) {
                    Ok(c) => {
                        let id = starter.profile.store().start_competition(&c, now_ms());
                        match id {
                            Ok(id) => {
                                state.id = Some(id);
                                state.session = Some(c);
                                state.awards.clear();
                                state.error = None;
                                state.phase = Phase::Scoreboard;
                            }
                            Err(e) => state.error = Some(e.to_string()),
                        }
                    }
                    Err(e) => state.error = Some(e),
                }
            }
            (Phase::Scoreboard, UiAction::Left | UiAction::Right) => {
                // The trainer's override: the next or previous member.
                let Some(c) = state.session.as_mut() else {
                    continue;
                };
                let Some(slot) = c.next_slot() else {
                    continue;
                };
                let members = c.teams()[slot.team].members.clone();
                let at = slot
                    .representative
                    .as_ref()
                    .and_then(|r| members.iter().position(|m| m == r))
                    .unwrap_or(0);
                let n = members.len().max(1);
                let to = if *a == UiAction::Left {
                    (at + n - 1) % n
                } else {
                    (at + 1) % n
                };
                if let Some(who) = members.get(to) {
                    let _ = c.set_representative(slot.team, who);
                    if let Some(id) = state.id {
                        let c = state.session.as_ref().expect("present");
                        let _ = starter.profile.store().save_competition(id, c);
                    }
                }
            }
            (Phase::Scoreboard, UiAction::Confirm) => {
                ensure_representative(&mut state, &mut starter);
                let Some(slot) = state.session.as_ref().and_then(|c| c.next_slot()) else {
                    state.phase = Phase::Podium;
                    continue;
                };
                let Some(rep) = slot.representative.clone() else {
                    continue;
                };
                let trainee = starter.profile.store().trainee(&rep);
                match trainee {
                    Ok(t) => starter.profile.trainee = Some(t),
                    Err(e) => {
                        state.error = Some(e.to_string());
                        continue;
                    }
                }
                state.playing = Some(rep);
                starter.start_full(&slot.scenario, Some(slot.seed), Mode::Practice, true);
            }
            (Phase::Banner(_), UiAction::Confirm) => {
                state.phase = if state.session.as_ref().is_some_and(|c| c.is_finished()) {
                    Phase::Podium
                } else {
                    Phase::Scoreboard
                };
            }
            (Phase::Podium, UiAction::Confirm) => {
                state.session = None;
                state.id = None;
                state.phase = Phase::Setup;
                starter.next.set(Screen::Title);
            }
            (Phase::Scoreboard, UiAction::Back) | (Phase::Setup, UiAction::Back) => {
                // The session stays stored: it can be resumed later.
                state.session = None;
                state.id = None;
                starter.next.set(Screen::Title);
            }
            (Phase::Resume, UiAction::Back) => {
                state.session = None;
                state.id = None;
                starter.next.set(Screen::Title);
            }
            _ => continue,
        }
        if state.phase == Phase::Scoreboard {
            ensure_representative(&mut state, &mut starter);
        }
        state.set_changed();
    }
}

fn render_competition(
    mut commands: Commands,
    state: Res<CompetitionState>,
    starter: DrillStarter,
    fonts: Res<Fonts>,
    views: Query<Entity, With<CompetitionView>>,
) {
    if !views.is_empty() && !state.is_changed() {
        return;
    }
    for e in &views {
        commands.entity(e).despawn();
    }
    let lang: Lang = starter.profile.lang;
    let t = |m| i18n::msg(lang, m);
    let root = commands
        .spawn((widgets::screen_root(Screen::Competition), CompetitionView))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::bold(
            t(Msg::CompTitle),
            theme::SIZE_PROJ_BIG,
            theme::GOLD,
            &fonts,
        ));
        if let Some(e) = &state.error {
            p.spawn(widgets::text(e.clone(), theme::SIZE_BODY, theme::BAD));
        }
        match &state.phase {
            Phase::Resume => {
                let done = state.session.as_ref().map_or(0, |c| c.results().len());
                p.spawn((
                    widgets::panel(theme::WARN_BG, theme::WARN),
                    children![widgets::bold(
                        format!("{} ({done})", t(Msg::ResumeFound)),
                        theme::SIZE_PROJ_BODY,
                        theme::WARN,
                        &fonts
                    )],
                ));
                if let Some(c) = &state.session {
                    spawn_scoreboard(p, c, lang, &fonts);
                }
                p.spawn(widgets::key_hints(t(Msg::KeysResume)));
            }
            Phase::Setup => {
                p.spawn(widgets::text(
                    t(Msg::CompSetup),
                    theme::SIZE_PROJ_BODY,
                    theme::TEXT,
                ));
                let focus = state
                    .focus
                    .as_ref()
                    .and_then(|f| {
                        focus_choices(&starter.lib)
                            .into_iter()
                            .find(|c| (&c.0, &c.1) == (&f.0, &f.1))
                    })
                    .map_or(t(Msg::FocusNone).to_string(), |c| c.2);
                p.spawn(widgets::bold(
                    format!("{}: {focus}", t(Msg::FocusObjection)),
                    theme::SIZE_PROJ_BODY,
                    theme::WARN,
                    &fonts,
                ));
                let list = setup_list(&starter.lib, state.focus.as_ref());
                let first = state.scenario_cursor.saturating_sub(3);
                for (i, s) in list.iter().enumerate().skip(first).take(6) {
                    let mark = state
                        .chosen
                        .iter()
                        .position(|c| *c == s.id)
                        .map_or("  ".to_string(), |k| format!("√{}", k + 1));
                    p.spawn(widgets::button_sized(
                        &mark,
                        format!("{} · {}", s.title, s.persona.name),
                        UiAction::Select(i),
                        i == state.scenario_cursor,
                        theme::SIZE_PROJ_BODY,
                    ));
                }
                p.spawn(widgets::bold(
                    format!("{}: ← {} →", t(Msg::Rounds), state.rounds),
                    theme::SIZE_PROJ_BODY,
                    theme::ACCENT,
                    &fonts,
                ));
                p.spawn(widgets::key_hints(t(Msg::KeysCompSetup)));
            }
            Phase::Scoreboard => {
                let Some(c) = &state.session else {
                    return;
                };
                if let Some(slot) = c.next_slot() {
                    let team = &c.teams()[slot.team];
                    let colour = theme::TEAM[slot.team % theme::TEAM.len()];
                    p.spawn((
                        widgets::panel(theme::PANEL_HI, colour),
                        children![
                            widgets::text(
                                format!(
                                    "{} {} / {} · {} · {} {}",
                                    t(Msg::Round),
                                    slot.round,
                                    c.rounds(),
                                    starter
                                        .lib
                                        .loaded
                                        .library
                                        .scenario(&slot.scenario)
                                        .map_or(slot.scenario.clone(), |s| s.title.clone()),
                                    t(Msg::Seed),
                                    slot.seed % 1_000_000
                                ),
                                theme::SIZE_PROJ_BODY,
                                theme::MUTED
                            ),
                            widgets::bold(
                                format!(
                                    "{} {} · {}",
                                    t(Msg::NowPlaying),
                                    team.name,
                                    slot.representative.clone().unwrap_or_default()
                                ),
                                theme::SIZE_PROJ_BIG,
                                colour,
                                &fonts
                            ),
                            widgets::text(
                                t(Msg::ProposedByRotation),
                                theme::SIZE_BODY,
                                theme::MUTED
                            ),
                        ],
                    ));
                }
                spawn_scoreboard(p, c, lang, &fonts);
                p.spawn(widgets::key_hints(t(Msg::KeysScoreboard)));
            }
            Phase::Banner(text) => {
                p.spawn((
                    Node {
                        flex_grow: 1.0,
                        justify_content: JustifyContent::Center,
                        align_items: AlignItems::Center,
                        border: UiRect::all(px(6)),
                        border_radius: BorderRadius::all(px(24)),
                        ..default()
                    },
                    BackgroundColor(theme::GOOD_BG),
                    BorderColor::all(theme::GOLD),
                    children![widgets::bold(
                        format!("★ {text} ★"),
                        theme::SIZE_PROJ_HUGE,
                        theme::GOLD,
                        &fonts
                    )],
                ));
                if let Some(r) = state.session.as_ref().and_then(|c| c.results().last()) {
                    p.spawn(widgets::bold(
                        format!(
                            "+{} {} · {}",
                            r.points.total,
                            t(Msg::Points),
                            match lang {
                                Lang::Zh => &r.points.why_zh,
                                Lang::En => &r.points.why_en,
                            }
                        ),
                        theme::SIZE_PROJ_BODY,
                        theme::TEXT,
                        &fonts,
                    ));
                }
                p.spawn(widgets::key_hints(t(Msg::KeysBanner)));
            }
            Phase::Podium => {
                let Some(c) = &state.session else {
                    return;
                };
                spawn_podium(p, c, lang, &fonts);
                for a in state.awards.iter().take(5) {
                    let (title, reason) = match lang {
                        Lang::Zh => (&a.title_zh, &a.reason_zh),
                        Lang::En => (&a.title_en, &a.reason_en),
                    };
                    p.spawn(widgets::row(16.0)).with_children(|r| {
                        r.spawn(widgets::bold(
                            format!("★ {title}: {}", a.winner),
                            theme::SIZE_PROJ_BODY,
                            theme::GOLD,
                            &fonts,
                        ));
                        r.spawn(widgets::text(
                            reason.clone(),
                            theme::SIZE_BODY,
                            theme::MUTED,
                        ));
                    });
                }
                p.spawn(widgets::key_hints(t(Msg::KeysPodium)));
            }
        }
    });
}

/// The scenarios offered at setup: those raising the focus objection, if any.
fn setup_list(
    lib: &super::content::ContentLibrary,
    focus: Option<&(String, String)>,
) -> Vec<std::sync::Arc<crate::scenario::Scenario>> {
    ordered(lib)
        .into_iter()
        .filter(|s| {
            let Some((pb, cat)) = focus else {
                return true;
            };
            let Some(playbook) = lib.loaded.library.playbook(pb) else {
                return false;
            };
            s.playbook == *pb
                && s.nodes.iter().any(|n| {
                    n.objection.as_deref() == Some(cat.as_str())
                        || n.options.iter().any(|o| {
                            o.line.as_deref().is_some_and(|l| {
                                playbook.line(l).is_some_and(|(c, _)| c.id == *cat)
                            })
                        })
                })
        })
        .collect()
}

/// Every objection category a focus can be set on: (playbook, id, title).
fn focus_choices(lib: &super::content::ContentLibrary) -> Vec<(String, String, String)> {
    let mut pbs: Vec<_> = lib
        .loaded
        .library
        .playbooks
        .iter()
        .map(|e| e.value.clone())
        .collect();
    pbs.sort_by_key(|p| (!p.language.starts_with("zh"), p.id.clone()));
    pbs.iter()
        .flat_map(|p| {
            p.categories
                .iter()
                .map(|c| (p.id.clone(), c.id.clone(), c.title.clone()))
        })
        .collect()
}

/// The scoreboard, large: rank, team, slogan, points, rounds played; the
/// tie-break that decided, if any.
fn spawn_scoreboard(p: &mut ChildSpawnerCommands, c: &Competition, lang: Lang, fonts: &Fonts) {
    let t = |m| i18n::msg(lang, m);
    p.spawn(Node {
        flex_direction: FlexDirection::Column,
        row_gap: px(10),
        flex_grow: 1.0,
        ..default()
    })
    .with_children(|rows| {
        for row in c.scoreboard() {
            let colour = theme::TEAM[row.team_index % theme::TEAM.len()];
            let slogan = c.teams()[row.team_index].slogan.clone();
            let note = match lang {
                Lang::Zh => row.note_zh.clone(),
                Lang::En => row.note_en.clone(),
            }
            .unwrap_or_default();
            rows.spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    align_items: AlignItems::Center,
                    column_gap: px(28),
                    padding: UiRect::axes(px(24), px(10)),
                    border: UiRect::left(px(10)),
                    border_radius: BorderRadius::all(px(10)),
                    ..default()
                },
                BackgroundColor(theme::PANEL),
                BorderColor::all(colour),
            ))
            .with_children(|r| {
                r.spawn((
                    Node {
                        width: px(90),
                        ..default()
                    },
                    children![widgets::bold(
                        format!("{}", row.rank),
                        theme::SIZE_PROJ_BIG,
                        theme::TEXT,
                        fonts
                    )],
                ));
                r.spawn((
                    Node {
                        width: px(420),
                        flex_direction: FlexDirection::Column,
                        ..default()
                    },
                    children![
                        widgets::bold(row.team.clone(), theme::SIZE_PROJ_BIG, colour, fonts),
                        widgets::text(slogan, theme::SIZE_BODY, theme::MUTED),
                    ],
                ));
                r.spawn((
                    Node {
                        width: px(260),
                        ..default()
                    },
                    children![widgets::bold(
                        format!("{} {}", row.points, t(Msg::Points)),
                        theme::SIZE_PROJ_BIG,
                        theme::TEXT,
                        fonts
                    )],
                ));
                r.spawn(widgets::text(
                    format!(
                        "{} {} · {} {:.0}{}",
                        row.rounds,
                        t(Msg::RoundsPlayed),
                        t(Msg::Average),
                        row.average_score,
                        if note.is_empty() {
                            String::new()
                        } else {
                            format!(" · {note}")
                        }
                    ),
                    theme::SIZE_PROJ_BODY,
                    theme::MUTED,
                ));
            });
        }
        let rules: Vec<String> = match lang {
            Lang::Zh => c.rules().explain_zh(),
            Lang::En => c.rules().explain_en(),
        };
        if let Some(tie) = rules.last() {
            rows.spawn(widgets::text(tie.clone(), theme::SIZE_BODY, theme::MUTED));
        }
    });
}

/// First, second and third on steps of different heights.
fn spawn_podium(p: &mut ChildSpawnerCommands, c: &Competition, lang: Lang, fonts: &Fonts) {
    let t = |m| i18n::msg(lang, m);
    let podium = c.podium();
    // Show 2nd, 1st, 3rd from left to right.
    let order = [1usize, 0, 2];
    p.spawn(Node {
        flex_direction: FlexDirection::Row,
        align_items: AlignItems::FlexEnd,
        justify_content: JustifyContent::Center,
        column_gap: px(24),
        flex_grow: 1.0,
        ..default()
    })
    .with_children(|row| {
        for &i in &order {
            let Some(r) = podium.get(i) else {
                continue;
            };
            let (height, medal) = match i {
                0 => (340.0, theme::GOLD),
                1 => (250.0, theme::SILVER),
                _ => (180.0, theme::BRONZE),
            };
            row.spawn(Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(8),
                ..default()
            })
            .with_children(|col| {
                col.spawn(widgets::bold(
                    r.team.clone(),
                    theme::SIZE_PROJ_BIG,
                    theme::TEAM[r.team_index % theme::TEAM.len()],
                    fonts,
                ));
                col.spawn(widgets::bold(
                    format!("{} {}", r.points, t(Msg::Points)),
                    theme::SIZE_PROJ_BODY,
                    theme::TEXT,
                    fonts,
                ));
                col.spawn((
                    Node {
                        width: px(300),
                        height: px(height),
                        justify_content: JustifyContent::Center,
                        padding: UiRect::top(px(16)),
                        border_radius: BorderRadius::top(px(12)),
                        ..default()
                    },
                    BackgroundColor(medal),
                    children![widgets::bold(
                        format!("{}", r.rank),
                        theme::SIZE_PROJ_HUGE,
                        theme::BG,
                        fonts
                    )],
                ));
            });
        }
    });
}
