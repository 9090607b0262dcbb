//! The look: colours, type sizes, and the CJK font (Noto Sans SC, subset, SIL
//! OFL; see assets/fonts) installed as the default font so that no Chinese
//! text ever shows as boxes.

use bevy::prelude::*;

pub const BG: Color = Color::srgb(0.075, 0.09, 0.12);
pub const PANEL: Color = Color::srgb(0.12, 0.14, 0.18);
pub const PANEL_HI: Color = Color::srgb(0.17, 0.20, 0.26);
pub const BORDER: Color = Color::srgb(0.25, 0.29, 0.36);
pub const TEXT: Color = Color::srgb(0.93, 0.94, 0.96);
pub const MUTED: Color = Color::srgb(0.62, 0.66, 0.72);
pub const ACCENT: Color = Color::srgb(0.30, 0.62, 0.98);
pub const CUSTOMER: Color = Color::srgb(0.55, 0.82, 0.98);
pub const GOOD: Color = Color::srgb(0.30, 0.80, 0.45);
pub const WARN: Color = Color::srgb(0.98, 0.75, 0.25);
pub const BAD: Color = Color::srgb(0.95, 0.35, 0.35);
pub const GOOD_BG: Color = Color::srgb(0.09, 0.22, 0.13);
pub const WARN_BG: Color = Color::srgb(0.25, 0.20, 0.07);
pub const BAD_BG: Color = Color::srgb(0.27, 0.09, 0.09);

pub const SIZE_HUGE: f32 = 44.0;
/// Sizes for the projected competition screens, read from the back of a room.
pub const SIZE_PROJ_HUGE: f32 = 96.0;
pub const SIZE_PROJ_BIG: f32 = 48.0;
pub const SIZE_PROJ_BODY: f32 = 32.0;
/// One colour per team, high contrast on the dark background.
pub const TEAM: [Color; 6] = [
    Color::srgb(0.98, 0.55, 0.25),
    Color::srgb(0.35, 0.70, 1.00),
    Color::srgb(0.40, 0.88, 0.50),
    Color::srgb(0.85, 0.55, 0.98),
    Color::srgb(0.98, 0.85, 0.30),
    Color::srgb(0.30, 0.90, 0.90),
];
pub const GOLD: Color = Color::srgb(1.0, 0.84, 0.25);
pub const SILVER: Color = Color::srgb(0.80, 0.83, 0.88);
pub const BRONZE: Color = Color::srgb(0.85, 0.55, 0.30);
pub const SIZE_TITLE: f32 = 30.0;
pub const SIZE_BIG: f32 = 24.0;
pub const SIZE_BODY: f32 = 19.0;
pub const SIZE_SMALL: f32 = 15.0;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-calldrill-Regular.otf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-calldrill-Bold.otf");

/// The bold face; the regular one is the default font.
#[derive(Resource, Default, Clone)]
pub struct Fonts {
    pub bold: Handle<Font>,
}

pub(super) fn plugin(app: &mut App) {
    let mut fonts = Fonts::default();
    // Without a text renderer (headless tests) there is no font store to fill.
    if let Some(mut store) = app.world_mut().get_resource_mut::<Assets<Font>>() {
        let _ = store.insert(AssetId::default(), Font::from_bytes(REGULAR.to_vec()));
        fonts.bold = store.add(Font::from_bytes(BOLD.to_vec()));
    }
    app.insert_resource(fonts);
    app.insert_resource(ClearColor(BG));
}
