//! The startup probe (`CALLDRILL_STARTUP_PROBE=1`): prints the milliseconds
//! from process start to an interactive title screen (its UI spawned and
//! three frames presented), then exits. With `--bare-window` the same is
//! measured for a bare Bevy window with the same plugins, as the baseline.
//! docs/performance.md explains how scripts/bench-startup uses it.

use std::time::Instant;

use bevy::prelude::*;

use super::Screen;

#[derive(Resource)]
pub struct Probe {
    started: Instant,
    bare: bool,
    frames: u32,
}

impl Probe {
    pub fn new(started: Instant, bare: bool) -> Probe {
        Probe {
            started,
            bare,
            frames: 0,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Last, measure_startup);
}

fn measure_startup(
    mut probe: ResMut<Probe>,
    screen: Option<Res<State<Screen>>>,
    texts: Query<(), With<Text>>,
    mut exit: MessageWriter<AppExit>,
) {
    let ready = if probe.bare {
        !texts.is_empty()
    } else {
        screen.is_some_and(|s| *s.get() == Screen::Title) && texts.iter().count() > 3
    };
    if !ready {
        return;
    }
    probe.frames += 1;
    if probe.frames == 3 {
        let ms = probe.started.elapsed().as_secs_f64() * 1000.0;
        println!(
            "startup_ms: {ms:.0} ({})",
            if probe.bare {
                "bare window"
            } else {
                "title screen"
            }
        );
        exit.write(AppExit::Success);
    }
}
