//! The game's cost per frame: a headless app (MinimalPlugins + states) with
//! the game's plugins, playing a whole drill by simulated keys, against the
//! same app without the game's plugins, measured in the same run. Target: at
//! most 1 ms added per frame. Run with `cargo bench --bench frame`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use calldrill::game::{self, ActiveDrill, DrillPhase, GameOptions, Screen};
use calldrill::i18n::Lang;

const FRAMES: u32 = 3000;

fn bare() -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::state::app::StatesPlugin));
    app.init_resource::<ButtonInput<KeyCode>>();
    app.update();
    app
}

fn with_game(data: &std::path::Path) -> App {
    let mut app = bare();
    game::insert_resources(
        &mut app,
        &GameOptions {
            content_root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets"),
            data_dir: data.to_path_buf(),
            lang: Some(Lang::Zh),
            seed: Some(7),
            ..Default::default()
        },
    )
    .unwrap();
    app.add_plugins(game::plugin);
    app.update();
    app
}

fn press(app: &mut App, key: KeyCode) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
}

fn release_all(app: &mut App) {
    let mut k = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    k.release_all();
    k.clear();
}

/// Runs FRAMES frames; the game app plays drills continuously (a key every 5 frames).
fn run(app: &mut App, play: bool) -> (Duration, u32) {
    let mut answered = 0;
    let start = Instant::now();
    for f in 0..FRAMES {
        if play && f % 5 == 0 {
            let state = *app.world().resource::<State<Screen>>().get();
            let key = match state {
                Screen::Title => KeyCode::Enter,
                Screen::Library => KeyCode::Enter,
                Screen::Scorecard => KeyCode::KeyR,
                Screen::Settings
                | Screen::Mastery
                | Screen::History
                | Screen::Teams
                | Screen::Competition => KeyCode::Escape,
                Screen::Drill => match app.world().get_resource::<ActiveDrill>().map(|a| a.phase) {
                    Some(DrillPhase::Answering) => {
                        answered += 1;
                        KeyCode::Digit1
                    }
                    _ => KeyCode::Enter,
                },
            };
            press(app, key);
        }
        app.update();
        release_all(app);
        black_box(app.world().entities().len());
    }
    (start.elapsed(), answered)
}

fn main() {
    let data = std::env::temp_dir().join(format!("calldrill-frame-bench-{}", std::process::id()));
    let mut base = bare();
    let mut game_app = with_game(&data);
    // The game needs a trainee to get past the title screen.
    game_app
        .world_mut()
        .write_message(game::UiAction::Submit("基准测试".into()));
    game_app.update();
    let _ = run(&mut base, false);
    let _ = run(&mut game_app, true);
    let (t_base, _) = run(&mut base, false);
    let (t_game, answered) = run(&mut game_app, true);
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / FRAMES as f64;
    let added = per(t_game) - per(t_base);
    println!(
        "frame: game {:.3} ms/frame, empty app with the same plugins {:.3} ms/frame, added {:.3} ms (target ≤ 1.000 ms) {}  [{FRAMES} frames, {answered} answers]",
        per(t_game),
        per(t_base),
        added,
        if added <= 1.0 { "OK" } else { "MISSED" }
    );
    let _ = std::fs::remove_dir_all(data);
}
