//! calldrill: an offline, Chinese-first training and script-drill simulator for
//! telesales (电销) teams. This crate is the domain core; nothing here knows
//! about Bevy.

pub mod competition;
pub mod content;
pub mod drill;
#[cfg(feature = "game")]
pub mod game;
pub mod i18n;
pub mod mastery;
pub mod playbook;
pub mod records;
pub mod report;
pub mod scenario;
pub mod scoring;
pub mod text_mode;
pub mod training;
