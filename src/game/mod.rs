//! The Bevy front end: the game a new hire sits down at. Screens are states
//! (title, scenario library, drill, scorecard, settings, mastery, history,
//! and the morning competition's teams and session),
//! each in its own file
//! with one plugin; widgets are functions returning bundles; keyboard, mouse
//! and IME input become [`input::UiAction`] messages that the screens read.
//! The engine, scoring and records come from the domain core unchanged.

mod audio;
mod competition;
mod content;
mod drill;
mod history;
mod input;
mod library;
mod mastery;
mod probe;
mod profile;
mod scorecard;
mod settings;
mod teams;
mod theme;
mod title;
mod tour;
mod widgets;

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::{WindowPlugin, WindowResolution};

pub use audio::Sfx;
pub use competition::{CompetitionState, Phase as CompetitionPhase};
pub use content::{ContentLibrary, DiagnosticsPanel};
pub use drill::{ActiveDrill, DrillPhase, LastResult};
pub use history::HistoryState;
pub use input::{TextEntry, UiAction};
pub use library::{LibraryState, ordered as library_order};
pub use profile::{Profile, SeedPolicy};
pub use scorecard::ShownScore;
pub use settings::Settings;
pub use teams::TeamsState;

use crate::i18n::Lang;

/// The screens, as states.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    Library,
    Drill,
    Scorecard,
    Settings,
    /// Mastery per objection, items due, certification, the next drill.
    Mastery,
    /// Past drills, and a replay of one.
    History,
    /// The morning competition: balanced teams.
    Teams,
    /// The morning competition: the session on the projector.
    Competition,
}

/// How to start the game.
#[derive(Debug, Clone, Default)]
pub struct GameOptions {
    pub content_root: PathBuf,
    pub data_dir: PathBuf,
    pub lang: Option<Lang>,
    /// Visit every screen, save a PNG of each here, and exit.
    pub screenshots: Option<PathBuf>,
    /// Fix the seed of every drill (for screenshots and tests).
    pub seed: Option<u64>,
    /// Window size in physical pixels.
    pub size: Option<(u32, u32)>,
    /// Print the time from `started` to an interactive title screen, then exit.
    pub startup_probe: Option<std::time::Instant>,
    /// Open a bare window with the same plugins instead (the probe's baseline).
    pub bare_window: bool,
}

/// Everything but the window, rendering and audio output: what the headless
/// tests run. Needs the options' resources (see [`insert_resources`]).
pub fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.add_plugins((
        theme::plugin,
        widgets::plugin,
        input::plugin,
        content::plugin,
        profile::plugin,
        settings::plugin,
        audio::plugin,
        title::plugin,
        library::plugin,
        drill::plugin,
        scorecard::plugin,
        mastery::plugin,
        history::plugin,
        teams::plugin,
        competition::plugin,
    ));
}

/// The resources the game needs, from the options. Errors are for the user.
pub fn insert_resources(app: &mut App, opts: &GameOptions) -> Result<(), String> {
    let store = crate::records::Store::open(&opts.data_dir).map_err(|e| e.to_string())?;
    let settings = settings::Settings::load(&opts.data_dir);
    let lang = opts.lang.unwrap_or(settings.lang);
    app.insert_resource(content::ContentLibrary::load(&opts.content_root));
    app.insert_resource(profile::Profile::new(store, lang));
    app.insert_resource(settings::Settings { lang, ..settings });
    app.insert_resource(settings::SettingsPath(
        opts.data_dir.join(settings::SETTINGS_FILE),
    ));
    app.insert_resource(match opts.seed {
        Some(s) => profile::SeedPolicy::Fixed(s),
        None => profile::SeedPolicy::Clock,
    });
    Ok(())
}

/// Opens the game window and runs until it is closed.
pub fn run(opts: GameOptions) -> ExitCode {
    if let Some(reason) = no_display() {
        eprintln!("calldrill cannot open the game window: {reason}.");
        eprintln!(
            "Play in the terminal instead:  calldrill drill --text --scenario <ID>   (`calldrill list` shows the scenarios)"
        );
        return ExitCode::from(2);
    }
    // A missing GPU or a broken graphics driver shows up as a panic inside
    // Bevy's renderer: turn it into a message and an exit code.
    std::panic::set_hook(Box::new(|info| {
        let text = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("calldrill could not run the game window: {text}");
        eprintln!("If this machine has no GPU or graphics driver, play in the terminal instead:");
        eprintln!(
            "  calldrill drill --text --scenario <ID>   (`calldrill list` shows the scenarios)"
        );
        std::process::exit(2);
    }));

    let (w, h) = opts.size.unwrap_or((1280, 800));
    let mut app = App::new();
    if let Some(started) = opts.startup_probe {
        app.insert_resource(probe::Probe::new(started, opts.bare_window));
        app.add_plugins(probe::plugin);
    }
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "calldrill · 电销话术演练".into(),
                    resolution: WindowResolution::new(w, h),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: opts.content_root.to_string_lossy().into_owned(),
                ..default()
            }),
    );
    app.add_plugins(bevy_kira_audio::AudioPlugin);
    if opts.bare_window {
        app.add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
            commands.spawn(Text::new("bare"));
        });
        return exit_code(app.run());
    }
    if let Err(e) = insert_resources(&mut app, &opts) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    app.add_plugins(plugin);
    if let Some(dir) = &opts.screenshots {
        app.add_plugins(tour::plugin);
        app.insert_resource(tour::Tour::new(dir.clone(), opts.content_root.clone()));
    }
    app.add_systems(Startup, spawn_camera);
    exit_code(app.run())
}

fn exit_code(exit: AppExit) -> ExitCode {
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(c) => ExitCode::from(c.get()),
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("Camera"), Camera2d));
}

/// Why no window can open here, if we can tell before trying.
fn no_display() -> Option<&'static str> {
    if cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty())
        && std::env::var_os("WAYLAND_DISPLAY").is_none_or(|d| d.is_empty())
    {
        return Some("there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
    }
    None
}
