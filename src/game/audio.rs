//! Sound: a phone ring when a call starts, a chime for an approved answer, a
//! buzz for a breach, a celebration for a deal or appointment. The screens
//! send [`Sfx`] messages; with bevy_kira_audio present, each category plays on
//! its own channel at its own volume from the settings. The sounds are made
//! by scripts/make-sounds. With no audio device kira logs one warning and the
//! game is silent; headless tests run without output at all.

use bevy::prelude::*;
use bevy_kira_audio::prelude::*;

use super::settings::Settings;

/// A sound to play.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sfx {
    Ring,
    Chime,
    Buzz,
    Celebrate,
}

#[derive(Resource)]
struct RingChannel;
#[derive(Resource)]
struct FeedbackChannel;
#[derive(Resource)]
struct CelebrationChannel;

#[derive(Resource)]
struct Sounds {
    ring: Handle<AudioSource>,
    chime: Handle<AudioSource>,
    buzz: Handle<AudioSource>,
    celebrate: Handle<AudioSource>,
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Sfx>();
    if !app.is_plugin_added::<bevy_kira_audio::AudioPlugin>() {
        return;
    }
    app.add_audio_channel::<RingChannel>()
        .add_audio_channel::<FeedbackChannel>()
        .add_audio_channel::<CelebrationChannel>();
    app.add_systems(Startup, load_sounds);
    app.add_systems(
        Update,
        (apply_volumes.run_if(resource_changed::<Settings>), play_sfx).chain(),
    );
}

fn load_sounds(mut commands: Commands, assets: Res<AssetServer>) {
    commands.insert_resource(Sounds {
        ring: assets.load("audio/ring.wav"),
        chime: assets.load("audio/chime.wav"),
        buzz: assets.load("audio/buzz.wav"),
        celebrate: assets.load("audio/celebrate.wav"),
    });
}

/// 0-100 % to decibels (0 is silence).
fn decibels(percent: u8) -> f32 {
    if percent == 0 {
        -60.0
    } else {
        20.0 * (percent as f32 / 100.0).log10()
    }
}

fn apply_volumes(
    settings: Res<Settings>,
    ring: Res<AudioChannel<RingChannel>>,
    feedback: Res<AudioChannel<FeedbackChannel>>,
    celebration: Res<AudioChannel<CelebrationChannel>>,
) {
    ring.set_volume(decibels(settings.ring_volume));
    feedback.set_volume(decibels(settings.feedback_volume));
    celebration.set_volume(decibels(settings.celebration_volume));
}

fn play_sfx(
    mut sfx: MessageReader<Sfx>,
    sounds: Option<Res<Sounds>>,
    ring: Res<AudioChannel<RingChannel>>,
    feedback: Res<AudioChannel<FeedbackChannel>>,
    celebration: Res<AudioChannel<CelebrationChannel>>,
) {
    let Some(sounds) = sounds else { return };
    for s in sfx.read() {
        match s {
            Sfx::Ring => {
                ring.play(sounds.ring.clone());
            }
            Sfx::Chime => {
                feedback.play(sounds.chime.clone());
            }
            Sfx::Buzz => {
                feedback.play(sounds.buzz.clone());
            }
            Sfx::Celebrate => {
                celebration.play(sounds.celebrate.clone());
            }
        }
    }
}
