//! The content library in the game: loaded at start, reloaded when a playbook
//! or scenario file changes on disk (polled twice a second), and an on-screen
//! panel listing every diagnostic (file:line:col) while the content has
//! errors. A drill in progress keeps the version it started with, because it
//! holds its own `Arc`s.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use bevy::prelude::*;

use super::theme;
use super::widgets;
use crate::content::{self, Diagnostic, Loaded};

#[derive(Resource)]
pub struct ContentLibrary {
    pub root: PathBuf,
    pub loaded: Loaded,
    stamps: Vec<(PathBuf, Option<SystemTime>, u64)>,
    /// Bumped on every reload.
    pub generation: u64,
}

impl ContentLibrary {
    pub fn load(root: &Path) -> ContentLibrary {
        ContentLibrary {
            root: root.to_path_buf(),
            loaded: content::load(&[root.to_path_buf()]),
            stamps: stamps(root),
            generation: 0,
        }
    }

    /// Reloads if any file changed; returns whether it did.
    pub fn refresh(&mut self) -> bool {
        let now = stamps(&self.root);
        if now == self.stamps {
            return false;
        }
        self.stamps = now;
        self.loaded = content::load(std::slice::from_ref(&self.root));
        self.generation += 1;
        true
    }
}

fn stamps(root: &Path) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("ron")) {
                let meta = e.metadata().ok();
                out.push((
                    p,
                    meta.as_ref().and_then(|m| m.modified().ok()),
                    meta.map_or(0, |m| m.len()),
                ));
            }
        }
    }
    out.sort();
    out
}

#[derive(Resource)]
struct ReloadTimer(Timer);

/// The diagnostics panel's root.
#[derive(Component)]
pub struct DiagnosticsPanel;

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(ReloadTimer(Timer::from_seconds(0.5, TimerMode::Repeating)));
    app.add_systems(Update, (poll_content, show_diagnostics).chain());
}

fn poll_content(time: Res<Time>, mut timer: ResMut<ReloadTimer>, mut lib: ResMut<ContentLibrary>) {
    if timer.0.tick(time.delta()).just_finished() {
        // Only a real change marks the resource changed.
        if lib.bypass_change_detection().refresh() {
            lib.set_changed();
            info!(
                "content reloaded: {} scenario(s), {} error(s)",
                lib.loaded.library.scenarios.len(),
                lib.loaded.errors()
            );
        }
    }
}

fn show_diagnostics(
    mut commands: Commands,
    lib: Res<ContentLibrary>,
    panels: Query<Entity, With<DiagnosticsPanel>>,
    mut shown: Local<Option<u64>>,
) {
    if *shown == Some(lib.generation) {
        return;
    }
    *shown = Some(lib.generation);
    for e in &panels {
        commands.entity(e).despawn();
    }
    let errors: Vec<String> = lib
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .take(6)
        .map(|d| diagnostic_text(d, &lib.root))
        .collect();
    if errors.is_empty() {
        return;
    }
    let more = lib.loaded.errors().saturating_sub(errors.len());
    let mut body = errors.join("\n");
    if more > 0 {
        body.push_str(&format!("\n… +{more}"));
    }
    let title = match lib.loaded.errors() {
        1 => "▲ 内容文件有 1 个错误 / 1 content error (that file is left out)".to_string(),
        n => format!("▲ 内容文件有 {n} 个错误 / {n} content errors (those files are left out)"),
    };
    commands.spawn((
        Name::new("Diagnostics panel"),
        DiagnosticsPanel,
        GlobalZIndex(10),
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            right: px(24),
            bottom: px(56),
            ..default()
        },
        children![(
            widgets::panel(theme::BAD_BG, theme::BAD),
            children![
                widgets::text(title, theme::SIZE_BODY, theme::BAD),
                widgets::text(body, theme::SIZE_SMALL, theme::TEXT),
            ],
        )],
    ));
}

/// A diagnostic as the game shows it: code, where (relative to the content
/// folder), what, and the hint on a line of its own.
pub fn diagnostic_text(d: &Diagnostic, root: &Path) -> String {
    let shown = d.file.strip_prefix(root).unwrap_or(&d.file);
    let at = if d.line == 0 {
        shown.display().to_string()
    } else {
        format!("{}:{}:{}", shown.display(), d.line, d.col)
    };
    let help = d
        .help
        .as_deref()
        .map(|h| format!("\n    → {h}"))
        .unwrap_or_default();
    format!("[{}] {at}  {}{help}", d.code, d.message)
}
