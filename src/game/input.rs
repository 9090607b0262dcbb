//! Input: keys, clicks and the input method become [`UiAction`] messages.
//! Keyboard first: 1-9 answer, Enter continues, Esc goes back, Tab switches to
//! typing. While typing, characters and IME commits (Chinese input) go into
//! the [`TextEntry`] instead, and Enter submits it.

use bevy::input::keyboard::KeyboardInput;
use bevy::prelude::*;
use bevy::window::{Ime, PrimaryWindow};

use super::Screen;

/// What the user asked for, from whichever device.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub enum UiAction {
    /// A number key, 1-9.
    Number(u8),
    Up,
    Down,
    Left,
    Right,
    /// Enter.
    Confirm,
    /// Esc.
    Back,
    /// Tab: start typing a reply.
    StartTyping,
    /// A finished text entry (Enter while typing).
    Submit(String),
    /// N: a new trainee on the title screen; the next drill (下一练) in the
    /// library and on the mastery screen.
    NewTrainee,
    /// M: the mastery screen.
    OpenMastery,
    /// H: the history screen.
    OpenHistory,
    /// E: exam mode on or off (library), or start the next drill as an exam.
    ToggleExam,
    /// Home: back to the start (of a replay).
    Home,
    /// C: the morning competition (title screen).
    OpenCompetition,
    /// Space: add or remove the highlighted item (competition scenarios).
    Toggle,
    /// F: cycle the focus objection (competition setup).
    Focus,
    /// L: switch language.
    ToggleLanguage,
    /// S: settings.
    OpenSettings,
    /// R: drill again.
    Retry,
    /// A click on the i-th item of a list: select it and confirm.
    Select(usize),
}

/// The text being typed, when typing is on.
#[derive(Resource, Default, Debug)]
pub struct TextEntry {
    pub active: bool,
    pub text: String,
    /// The input method's uncommitted text (shown, not yet part of `text`).
    pub preedit: String,
}

impl TextEntry {
    pub fn start(&mut self) {
        self.active = true;
        self.text.clear();
        self.preedit.clear();
    }

    pub fn stop(&mut self) {
        self.active = false;
        self.preedit.clear();
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<UiAction>();
    app.add_message::<KeyboardInput>();
    app.add_message::<Ime>();
    app.init_resource::<ButtonInput<KeyCode>>();
    app.init_resource::<TextEntry>();
    // A screen must never act on keys meant for the one before it.
    for screen in [
        Screen::Title,
        Screen::Library,
        Screen::Drill,
        Screen::Scorecard,
        Screen::Settings,
        Screen::Mastery,
        Screen::History,
        Screen::Teams,
        Screen::Competition,
    ] {
        app.add_systems(OnEnter(screen), forget_old_actions);
    }
    app.add_systems(
        PreUpdate,
        (read_keys, enable_ime)
            .chain()
            .after(bevy::input::InputSystems),
    );
}

fn forget_old_actions(mut actions: ResMut<Messages<UiAction>>) {
    actions.clear();
}

fn read_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut typed: MessageReader<KeyboardInput>,
    mut ime: MessageReader<Ime>,
    mut entry: ResMut<TextEntry>,
    mut actions: MessageWriter<UiAction>,
) {
    if entry.active {
        for ev in ime.read() {
            match ev {
                Ime::Commit { value, .. } => {
                    entry.text.push_str(value);
                    entry.preedit.clear();
                }
                Ime::Preedit { value, .. } => entry.preedit = value.clone(),
                _ => {}
            }
        }
        for ev in typed.read() {
            if !ev.state.is_pressed() {
                continue;
            }
            match ev.key_code {
                KeyCode::Enter | KeyCode::NumpadEnter | KeyCode::Escape | KeyCode::Tab => {}
                KeyCode::Backspace => {
                    entry.text.pop();
                }
                _ => {
                    if let Some(t) = &ev.text
                        && t.chars().all(|c| !c.is_control())
                    {
                        entry.text.push_str(t);
                    }
                }
            }
        }
        if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
            let text = std::mem::take(&mut entry.text);
            entry.stop();
            actions.write(UiAction::Submit(text));
        } else if keys.just_pressed(KeyCode::Escape) || keys.just_pressed(KeyCode::Tab) {
            entry.stop();
            entry.text.clear();
        }
        return;
    }
    ime.clear();
    typed.clear();
    const DIGITS: [(KeyCode, KeyCode); 9] = [
        (KeyCode::Digit1, KeyCode::Numpad1),
        (KeyCode::Digit2, KeyCode::Numpad2),
        (KeyCode::Digit3, KeyCode::Numpad3),
        (KeyCode::Digit4, KeyCode::Numpad4),
        (KeyCode::Digit5, KeyCode::Numpad5),
        (KeyCode::Digit6, KeyCode::Numpad6),
        (KeyCode::Digit7, KeyCode::Numpad7),
        (KeyCode::Digit8, KeyCode::Numpad8),
        (KeyCode::Digit9, KeyCode::Numpad9),
    ];
    for (i, (a, b)) in DIGITS.iter().enumerate() {
        if keys.just_pressed(*a) || keys.just_pressed(*b) {
            actions.write(UiAction::Number(i as u8 + 1));
        }
    }
    let map = [
        (KeyCode::ArrowUp, UiAction::Up),
        (KeyCode::ArrowDown, UiAction::Down),
        (KeyCode::ArrowLeft, UiAction::Left),
        (KeyCode::ArrowRight, UiAction::Right),
        (KeyCode::Enter, UiAction::Confirm),
        (KeyCode::NumpadEnter, UiAction::Confirm),
        (KeyCode::Escape, UiAction::Back),
        (KeyCode::Tab, UiAction::StartTyping),
        (KeyCode::KeyN, UiAction::NewTrainee),
        (KeyCode::KeyL, UiAction::ToggleLanguage),
        (KeyCode::KeyS, UiAction::OpenSettings),
        (KeyCode::KeyR, UiAction::Retry),
        (KeyCode::KeyM, UiAction::OpenMastery),
        (KeyCode::KeyH, UiAction::OpenHistory),
        (KeyCode::KeyE, UiAction::ToggleExam),
        (KeyCode::Home, UiAction::Home),
        (KeyCode::KeyC, UiAction::OpenCompetition),
        (KeyCode::Space, UiAction::Toggle),
        (KeyCode::KeyF, UiAction::Focus),
    ];
    for (key, action) in map {
        if keys.just_pressed(key) {
            actions.write(action);
        }
    }
}

/// Turns the platform's input method on while typing, so Chinese can be entered.
fn enable_ime(entry: Res<TextEntry>, mut windows: Query<&mut Window, With<PrimaryWindow>>) {
    if !entry.is_changed() {
        return;
    }
    for mut w in &mut windows {
        if w.ime_enabled != entry.active {
            w.ime_enabled = entry.active;
        }
    }
}
