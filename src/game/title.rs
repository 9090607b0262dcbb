//! The title screen: choose or create a trainee, switch the language, open
//! the settings. ↑↓ choose, Enter select, N new trainee, L language, S
//! settings, Esc quit.

use bevy::prelude::*;

use super::input::{TextEntry, UiAction};
use super::profile::Profile;
use super::settings::{Settings, SettingsPath};
use super::theme::{self, Fonts};
use super::{Screen, widgets};
use crate::i18n::{self, Msg};

#[derive(Resource, Default)]
pub struct TitleState {
    pub cursor: usize,
}

#[derive(Component)]
struct TitleView;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TitleState>();
    app.add_systems(OnEnter(Screen::Title), |mut s: ResMut<TitleState>| {
        s.set_changed()
    });
    app.add_systems(
        Update,
        (title_actions, render_title)
            .chain()
            .run_if(in_state(Screen::Title)),
    );
}

#[allow(clippy::too_many_arguments)]
fn title_actions(
    mut actions: MessageReader<UiAction>,
    mut state: ResMut<TitleState>,
    mut profile: ResMut<Profile>,
    mut settings: ResMut<Settings>,
    path: Res<SettingsPath>,
    mut entry: ResMut<TextEntry>,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
) {
    for a in actions.read() {
        let trainees = profile.store().trainees().unwrap_or_default();
        let items = trainees.len() + 1;
        match a {
            UiAction::Up => state.cursor = (state.cursor + items - 1) % items,
            UiAction::Down => state.cursor = (state.cursor + 1) % items,
            UiAction::Number(n) if (*n as usize) <= trainees.len() => {
                profile.trainee = Some(trainees[*n as usize - 1].clone());
                next.set(Screen::Library);
            }
            UiAction::Confirm => match trainees.get(state.cursor) {
                Some(t) => {
                    profile.trainee = Some(t.clone());
                    next.set(Screen::Library);
                }
                None => entry.start(),
            },
            UiAction::NewTrainee => entry.start(),
            UiAction::Submit(name) => {
                let name = name.trim();
                if name.is_empty() {
                    continue;
                }
                let created = profile.store().trainee(name);
                match created {
                    Ok(t) => {
                        profile.trainee = Some(t);
                        next.set(Screen::Library);
                    }
                    Err(e) => profile.note_error(e),
                }
            }
            UiAction::ToggleLanguage => {
                settings.lang = settings.lang.toggled();
                profile.lang = settings.lang;
                if let Err(e) = settings.save(&path.0) {
                    profile.note_error(format!("cannot save settings: {e}"));
                }
            }
            UiAction::OpenSettings => next.set(Screen::Settings),
            UiAction::OpenCompetition => next.set(Screen::Teams),
            UiAction::Back => {
                exit.write(AppExit::Success);
            }
            _ => continue,
        }
        state.set_changed();
    }
}

fn render_title(
    mut commands: Commands,
    state: Res<TitleState>,
    profile: Res<Profile>,
    entry: Res<TextEntry>,
    fonts: Res<Fonts>,
    views: Query<Entity, With<TitleView>>,
    settings: Res<Settings>,
) {
    // Redraw on entry (no view yet) and on change.
    if !views.is_empty()
        && !state.is_changed()
        && !entry.is_changed()
        && !settings.is_changed()
        && !profile.is_changed()
    {
        return;
    }
    for e in &views {
        commands.entity(e).despawn();
    }
    let lang = profile.lang;
    let t = |m| i18n::msg(lang, m);
    let trainees = profile.store().trainees().unwrap_or_default();
    let root = commands
        .spawn((widgets::screen_root(Screen::Title), TitleView))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn((
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                margin: UiRect::vertical(px(24)),
                row_gap: px(6),
                ..default()
            },
            children![
                widgets::bold(t(Msg::AppTitle), theme::SIZE_HUGE, theme::TEXT, &fonts),
                widgets::text(t(Msg::AppSubtitle), theme::SIZE_BODY, theme::MUTED),
            ],
        ));
        p.spawn(Node {
            flex_direction: FlexDirection::Row,
            column_gap: px(32),
            justify_content: JustifyContent::Center,
            ..default()
        })
        .with_children(|cols| {
            cols.spawn((widgets::panel_width(560.0, theme::PANEL, theme::BORDER),))
                .with_children(|list| {
                    list.spawn(widgets::bold(
                        t(Msg::ChooseTrainee),
                        theme::SIZE_BIG,
                        theme::TEXT,
                        &fonts,
                    ));
                    if trainees.is_empty() {
                        list.spawn(widgets::text(
                            t(Msg::NoTrainees),
                            theme::SIZE_BODY,
                            theme::MUTED,
                        ));
                    }
                    for (i, tr) in trainees.iter().enumerate().take(9) {
                        list.spawn(widgets::button(
                            &(i + 1).to_string(),
                            tr.name.clone(),
                            UiAction::Number(i as u8 + 1),
                            state.cursor == i,
                        ));
                    }
                    if entry.active {
                        list.spawn((
                            widgets::panel(theme::PANEL_HI, theme::ACCENT),
                            children![
                                widgets::text(t(Msg::TypeName), theme::SIZE_SMALL, theme::MUTED),
                                widgets::text(
                                    format!("{}{}│", entry.text, entry.preedit),
                                    theme::SIZE_BIG,
                                    theme::TEXT
                                ),
                            ],
                        ));
                    } else {
                        list.spawn(widgets::button(
                            "N",
                            t(Msg::NewTrainee),
                            UiAction::NewTrainee,
                            state.cursor == trainees.len(),
                        ));
                    }
                });
            cols.spawn((
                widgets::panel_width(320.0, theme::PANEL, theme::BORDER),
                children![
                    widgets::bold(t(Msg::Language), theme::SIZE_BIG, theme::TEXT, &fonts),
                    widgets::button("L", t(Msg::LanguageName), UiAction::ToggleLanguage, false),
                    widgets::bold(t(Msg::Settings), theme::SIZE_BIG, theme::TEXT, &fonts),
                    widgets::button("S", t(Msg::Settings), UiAction::OpenSettings, false),
                ],
            ));
        });
        if let Some(err) = &profile.error {
            p.spawn((
                widgets::panel(theme::BAD_BG, theme::BAD),
                children![widgets::text(err.clone(), theme::SIZE_SMALL, theme::TEXT)],
            ));
        }
        p.spawn(widgets::key_hints(t(Msg::KeysTitle)));
    });
}
