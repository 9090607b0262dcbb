//! Who is drilling: the records store, the chosen trainee, the UI language,
//! and how seeds are chosen. Every answered turn goes to the store at once.

use std::sync::{Mutex, MutexGuard};

use bevy::prelude::*;

use crate::i18n::Lang;
use crate::records::{Store, Trainee};

#[derive(Resource)]
pub struct Profile {
    /// Behind a mutex: a SQLite connection may move between threads but not be shared.
    store: Mutex<Store>,
    pub trainee: Option<Trainee>,
    pub lang: Lang,
    /// The last records error, shown on screen (the game goes on).
    pub error: Option<String>,
}

impl Profile {
    pub fn new(store: Store, lang: Lang) -> Profile {
        Profile {
            store: Mutex::new(store),
            trainee: None,
            lang,
            error: None,
        }
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a store error for the screen and the log.
    pub fn note_error(&mut self, e: impl std::fmt::Display) {
        let text = e.to_string();
        warn!("records: {text}");
        self.error = Some(text);
    }
}

/// How drills get their seed.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedPolicy {
    /// From the clock: a new customer every time.
    Clock,
    /// Always this seed (screenshots, tests, competitions).
    Fixed(u64),
}

impl SeedPolicy {
    pub fn next(&self) -> u64 {
        match self {
            SeedPolicy::Fixed(s) => *s,
            SeedPolicy::Clock => crate::records::now_ms() as u64 % 1_000_000,
        }
    }
}

pub(super) fn plugin(_app: &mut App) {}
