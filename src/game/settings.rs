//! Settings: volume per sound category, text size and language, kept in
//! `settings.ron` in the data directory; and the settings screen that edits
//! them from the keyboard (↑↓ choose, ←→ adjust, Esc save and back).

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::Screen;
use super::input::UiAction;
use super::profile::Profile;
use super::theme::{self, Fonts};
use super::widgets;
use crate::i18n::{self, Lang, Msg};

pub const SETTINGS_FILE: &str = "settings.ron";

#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 0-100 per category.
    pub ring_volume: u8,
    pub feedback_volume: u8,
    pub celebration_volume: u8,
    /// UI scale in percent (text size): 80-160.
    pub text_size: u16,
    #[serde(with = "lang_code")]
    pub lang: Lang,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            ring_volume: 70,
            feedback_volume: 80,
            celebration_volume: 80,
            text_size: 100,
            lang: Lang::Zh,
        }
    }
}

mod lang_code {
    use crate::i18n::Lang;
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(l: &Lang, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(l.code())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Lang::parse(&s).unwrap_or_default())
    }
}

impl Settings {
    /// Loads the settings; a missing or unreadable file gives the defaults
    /// (and a warning for an unreadable one: it is not overwritten until saved).
    pub fn load(dir: &Path) -> Settings {
        let path = dir.join(SETTINGS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(t) => crate::content::parse_str(&t).unwrap_or_else(|e| {
                eprintln!(
                    "warning: {}:{}: {}; using default settings",
                    path.display(),
                    e.span.start,
                    e.code
                );
                Settings::default()
            }),
            Err(_) => Settings::default(),
        }
    }

    /// Saves through a temporary file and a rename, so a full disk or a crash
    /// never leaves a half-written file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new())
            .map_err(std::io::Error::other)?;
        let tmp = path.with_extension("ron.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

#[derive(Resource, Debug, Clone)]
pub struct SettingsPath(pub PathBuf);

#[derive(Resource, Default)]
struct SettingsCursor(usize);

const ROWS: usize = 5;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SettingsCursor>();
    app.add_systems(OnEnter(Screen::Settings), spawn_settings);
    app.add_systems(
        Update,
        (edit_settings, apply_text_size).run_if(in_state(Screen::Settings)),
    );
    app.add_systems(Update, apply_text_size.run_if(resource_changed::<Settings>));
}

#[derive(Component)]
struct SettingsView;

fn spawn_settings(
    mut commands: Commands,
    settings: Res<Settings>,
    cursor: Res<SettingsCursor>,
    fonts: Res<Fonts>,
) {
    let lang = settings.lang;
    let t = |m| i18n::msg(lang, m);
    let rows = [
        (t(Msg::VolumeRing), format!("{}", settings.ring_volume)),
        (
            t(Msg::VolumeFeedback),
            format!("{}", settings.feedback_volume),
        ),
        (
            t(Msg::VolumeCelebration),
            format!("{}", settings.celebration_volume),
        ),
        (t(Msg::TextSize), format!("{}%", settings.text_size)),
        (t(Msg::Language), t(Msg::LanguageName).to_string()),
    ];
    let root = commands
        .spawn((widgets::screen_root(Screen::Settings), SettingsView))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::bold(
            t(Msg::Settings),
            theme::SIZE_TITLE,
            theme::TEXT,
            &fonts,
        ));
        for (i, (label, value)) in rows.into_iter().enumerate() {
            let selected = i == cursor.0;
            p.spawn((
                widgets::panel(
                    if selected {
                        theme::PANEL_HI
                    } else {
                        theme::PANEL
                    },
                    if selected {
                        theme::ACCENT
                    } else {
                        theme::BORDER
                    },
                ),
                children![(
                    widgets::row(24.0),
                    children![
                        (
                            Node {
                                width: px(260),
                                ..default()
                            },
                            children![widgets::text(label, theme::SIZE_BIG, theme::TEXT)]
                        ),
                        widgets::text(format!("◀  {value}  ▶"), theme::SIZE_BIG, theme::ACCENT),
                    ],
                )],
            ));
        }
        p.spawn(widgets::key_hints(t(Msg::KeysSettings)));
    });
}

#[allow(clippy::too_many_arguments)]
fn edit_settings(
    mut actions: MessageReader<UiAction>,
    mut settings: ResMut<Settings>,
    mut cursor: ResMut<SettingsCursor>,
    mut profile: ResMut<Profile>,
    path: Res<SettingsPath>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
    views: Query<Entity, With<SettingsView>>,
    fonts: Res<Fonts>,
) {
    let mut changed = false;
    for a in actions.read() {
        match a {
            UiAction::Up => cursor.0 = (cursor.0 + ROWS - 1) % ROWS,
            UiAction::Down => cursor.0 = (cursor.0 + 1) % ROWS,
            UiAction::Left | UiAction::Right => {
                let d: i32 = if *a == UiAction::Left { -10 } else { 10 };
                let step = |v: u8| (v as i32 + d).clamp(0, 100) as u8;
                match cursor.0 {
                    0 => settings.ring_volume = step(settings.ring_volume),
                    1 => settings.feedback_volume = step(settings.feedback_volume),
                    2 => settings.celebration_volume = step(settings.celebration_volume),
                    3 => settings.text_size = (settings.text_size as i32 + d).clamp(80, 160) as u16,
                    _ => settings.lang = settings.lang.toggled(),
                }
            }
            UiAction::ToggleLanguage => settings.lang = settings.lang.toggled(),
            UiAction::Back | UiAction::Confirm => {
                if let Err(e) = settings.save(&path.0) {
                    profile
                        .note_error(format!("cannot save settings to {}: {e}", path.0.display()));
                }
                next.set(Screen::Title);
                return;
            }
            _ => continue,
        }
        changed = true;
    }
    if changed {
        profile.lang = settings.lang;
        for e in &views {
            commands.entity(e).despawn();
        }
        spawn_settings(commands, settings.into(), cursor.into(), fonts);
    }
}

fn apply_text_size(settings: Res<Settings>, scale: Option<ResMut<UiScale>>) {
    if let Some(mut scale) = scale {
        let want = settings.text_size as f32 / 100.0;
        if (scale.0 - want).abs() > f32::EPSILON {
            scale.0 = want;
        }
    }
}
