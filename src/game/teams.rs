//! The team screen of the morning competition (晨会小组竞赛): every trainee
//! split into K teams of near-equal strength (from mastery; exact search for
//! small rosters, Karmarkar–Karp for larger ones), each with its name, slogan
//! (口号) and target (目标), the team strengths and the spread. The trainer
//! moves people by hand: ↑↓ choose a trainee, ←→ move them to the previous
//! or next team; 2–6 re-balance into that many teams; Enter saves the teams
//! and goes on to the session; Esc goes back.

use bevy::prelude::*;

use super::input::UiAction;
use super::profile::Profile;
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::competition::teams::{self, Balance, BalanceMethod};
use crate::i18n::{self, Lang, Msg};

/// The teams being set up.
#[derive(Resource, Default)]
pub struct TeamsState {
    pub balance: Option<Balance>,
    /// How many teams.
    pub k: usize,
    /// The selected trainee, counted through the teams in order.
    pub cursor: usize,
    /// Why the teams could not be made, for the screen.
    pub error: Option<String>,
}

impl TeamsState {
    /// Every member, team by team: (team index, name).
    fn flat(&self) -> Vec<(usize, String)> {
        self.balance
            .iter()
            .flat_map(|b| {
                b.teams
                    .iter()
                    .enumerate()
                    .flat_map(|(i, t)| t.members.iter().map(move |m| (i, m.clone())))
            })
            .collect()
    }
}

#[derive(Component)]
struct TeamsView;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TeamsState>();
    app.add_systems(OnEnter(Screen::Teams), load_teams);
    app.add_systems(
        Update,
        (teams_actions, render_teams)
            .chain()
            .run_if(in_state(Screen::Teams)),
    );
}

/// Balances every trainee into `k` teams by strength.
fn rebalance(state: &mut TeamsState, profile: &mut Profile, k: usize) {
    state.k = k;
    state.cursor = 0;
    let roster = profile.store().strengths(crate::records::now_ms());
    match roster {
        Ok(roster) => match teams::balance(&roster, k) {
            Ok(mut b) => {
                // Keep the names, slogans and targets of the saved teams.
                let saved = profile.store().teams().unwrap_or_default();
                for (t, s) in b.teams.iter_mut().zip(saved) {
                    t.name = s.name;
                    t.slogan = s.slogan;
                    t.target = s.target;
                }
                state.balance = Some(b);
                state.error = None;
            }
            Err(e) => {
                state.balance = None;
                state.error = Some(e);
            }
        },
        Err(e) => state.error = Some(e.to_string()),
    }
}

fn load_teams(mut state: ResMut<TeamsState>, mut profile: ResMut<Profile>) {
    let k = if state.k == 0 { 3 } else { state.k };
    // The saved teams, when every member is still a trainee; else balance anew.
    let saved = profile.store().teams().unwrap_or_default();
    let roster = profile
        .store()
        .strengths(crate::records::now_ms())
        .unwrap_or_default();
    let known = |m: &String| roster.iter().any(|(n, _)| n == m);
    if !saved.is_empty()
        && saved
            .iter()
            .all(|t| !t.members.is_empty() && t.members.iter().all(known))
    {
        let b = Balance::of_teams(saved, roster.into_iter().collect());
        state.k = b.teams.len();
        state.balance = Some(b);
        state.error = None;
        state.cursor = 0;
    } else {
        rebalance(&mut state, &mut profile, k);
    }
}

fn teams_actions(
    mut actions: MessageReader<UiAction>,
    mut state: ResMut<TeamsState>,
    mut profile: ResMut<Profile>,
    mut next: ResMut<NextState<Screen>>,
) {
    for a in actions.read() {
        let flat = state.flat();
        let n = flat.len().max(1);
        match a {
            UiAction::Up => state.cursor = (state.cursor + n - 1) % n,
            UiAction::Down => state.cursor = (state.cursor + 1) % n,
            UiAction::Select(i) => state.cursor = (*i).min(n - 1),
            UiAction::Left | UiAction::Right => {
                let Some((team, who)) = flat.get(state.cursor).cloned() else {
                    continue;
                };
                let k = state.k.max(1);
                let to = if *a == UiAction::Left {
                    (team + k - 1) % k
                } else {
                    (team + 1) % k
                };
                if let Some(b) = state.balance.as_mut()
                    && let Err(e) = teams::move_member(b, &who, to)
                {
                    state.error = Some(e);
                }
                // Keep the moved trainee selected.
                if let Some(i) = state.flat().iter().position(|(_, m)| *m == who) {
                    state.cursor = i;
                }
            }
            UiAction::Number(d) if (2..=6).contains(d) => {
                rebalance(&mut state, &mut profile, *d as usize)
            }
            UiAction::Confirm => {
                if let Some(b) = &state.balance {
                    let saved = profile.store().save_teams(&b.teams);
                    match saved {
                        Ok(()) => next.set(Screen::Competition),
                        Err(e) => profile.note_error(e),
                    }
                }
            }
            UiAction::Back => next.set(Screen::Title),
            _ => continue,
        }
        state.set_changed();
    }
}

fn render_teams(
    mut commands: Commands,
    state: Res<TeamsState>,
    profile: Res<Profile>,
    fonts: Res<Fonts>,
    views: Query<Entity, With<TeamsView>>,
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
        .spawn((widgets::screen_root(Screen::Teams), TeamsView))
        .id();
    let flat = state.flat();
    let selected = flat.get(state.cursor).map(|(_, m)| m.clone());
    commands.entity(root).with_children(|p| {
        p.spawn((
            widgets::row(16.0),
            children![
                widgets::bold(
                    t(Msg::TeamsTitle),
                    theme::SIZE_PROJ_BIG,
                    theme::TEXT,
                    &fonts
                ),
                widgets::text(
                    format!("{} {}", state.k, t(Msg::TeamsCount)),
                    theme::SIZE_BIG,
                    theme::MUTED
                ),
            ],
        ));
        if let Some(e) = &state.error {
            p.spawn(widgets::text(
                format!("{e}\n{}", t(Msg::TeamsNeedTrainees)),
                theme::SIZE_BIG,
                theme::WARN,
            ));
        }
        let Some(b) = &state.balance else {
            p.spawn(widgets::key_hints(t(Msg::KeysTeams)));
            return;
        };
        p.spawn(Node {
            flex_direction: FlexDirection::Row,
            column_gap: px(20),
            flex_grow: 1.0,
            min_height: px(0),
            ..default()
        })
        .with_children(|cols| {
            for (i, team) in b.teams.iter().enumerate() {
                let colour = theme::TEAM[i % theme::TEAM.len()];
                cols.spawn(widgets::panel_grow(theme::PANEL, colour))
                    .with_children(|c| {
                        c.spawn(widgets::bold(
                            team.name.clone(),
                            theme::SIZE_PROJ_BIG,
                            colour,
                            &fonts,
                        ));
                        c.spawn(widgets::text(
                            format!("{}: {}", t(Msg::Slogan), team.slogan),
                            theme::SIZE_BIG,
                            theme::TEXT,
                        ));
                        c.spawn(widgets::text(
                            format!("{}: {}", t(Msg::Target), team.target),
                            theme::SIZE_BIG,
                            theme::MUTED,
                        ));
                        for m in &team.members {
                            let strength = b.member_strength.get(m).copied().unwrap_or(0.0);
                            let is_sel = selected.as_deref() == Some(m.as_str());
                            let at = flat.iter().position(|(_, x)| x == m).unwrap_or(0);
                            c.spawn(widgets::button_sized(
                                &format!("{strength:.0}"),
                                m.clone(),
                                UiAction::Select(at),
                                is_sel,
                                theme::SIZE_PROJ_BODY,
                            ));
                        }
                        c.spawn(widgets::bold(
                            format!(
                                "{} {:.0}",
                                t(Msg::TeamStrength),
                                b.strengths.get(i).copied().unwrap_or(0.0)
                            ),
                            theme::SIZE_PROJ_BODY,
                            theme::TEXT,
                            &fonts,
                        ));
                    });
            }
        });
        let method = match b.method {
            BalanceMethod::Exact => t(Msg::BalanceExact),
            BalanceMethod::Differencing => t(Msg::BalanceKk),
            BalanceMethod::Manual => t(Msg::BalanceManual),
            BalanceMethod::Saved => t(Msg::BalanceSaved),
        };
        let mut notes = String::new();
        if !b.sizes_ok {
            notes += &format!(" · {}", t(Msg::SizesUneven));
        }
        if !b.is_even() {
            let why = if b.can_improve() {
                Msg::SpreadWideManual
            } else {
                Msg::SpreadWideBest
            };
            notes += &format!(" · {}", t(why));
        }
        p.spawn(widgets::bold(
            format!("{} {:.1} · {method}{notes}", t(Msg::Spread), b.spread),
            theme::SIZE_PROJ_BODY,
            if b.sizes_ok && b.is_even() {
                theme::GOOD
            } else {
                theme::WARN
            },
            &fonts,
        ));
        p.spawn(widgets::key_hints(t(Msg::KeysTeams)));
    });
}
