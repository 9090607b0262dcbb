//! Widgets: small functions that return bundles (labels, panels, buttons,
//! meters), so the screens read as layout. Buttons carry the [`UiAction`]
//! they stand for, so the mouse does exactly what the keys do.

use bevy::prelude::*;

use super::Screen;
use super::input::UiAction;
use super::theme::{self, Fonts};

/// A clickable widget and the action it sends.
#[derive(Component, Clone, Debug)]
pub struct ActionButton(pub UiAction);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, press_buttons);
}

/// A screen's root: full window, a column, gone when the screen is left.
pub fn screen_root(screen: Screen) -> impl Bundle {
    (
        Name::new(format!("{screen:?} screen")),
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            padding: UiRect::axes(px(40), px(28)),
            row_gap: px(16),
            ..default()
        },
        DespawnOnExit(screen),
    )
}

pub fn text(s: impl Into<String>, size: f32, color: Color) -> impl Bundle {
    (
        Text::new(s),
        TextFont {
            font_size: FontSize::Px(size),
            ..default()
        },
        TextColor(color),
    )
}

pub fn bold(s: impl Into<String>, size: f32, color: Color, fonts: &Fonts) -> impl Bundle {
    (
        Text::new(s),
        TextFont {
            font: fonts.bold.clone().into(),
            font_size: FontSize::Px(size),
            ..default()
        },
        TextColor(color),
    )
}

/// The layout of a panel: a padded, bordered column.
pub fn panel_node() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(px(16)),
        row_gap: px(8),
        border: UiRect::all(px(2)),
        border_radius: BorderRadius::all(px(10)),
        ..default()
    }
}

/// A box with a background, a border and padding, laid out as a column.
pub fn panel(bg: Color, border: Color) -> impl Bundle {
    (panel_node(), BackgroundColor(bg), BorderColor::all(border))
}

/// A panel of a fixed width.
pub fn panel_width(width: f32, bg: Color, border: Color) -> impl Bundle {
    (
        Node {
            width: px(width),
            flex_shrink: 0.0,
            ..panel_node()
        },
        BackgroundColor(bg),
        BorderColor::all(border),
    )
}

/// A panel that takes the remaining width of a row.
pub fn panel_grow(bg: Color, border: Color) -> impl Bundle {
    (
        Node {
            flex_grow: 1.0,
            flex_basis: px(0),
            ..panel_node()
        },
        BackgroundColor(bg),
        BorderColor::all(border),
    )
}

pub fn row(gap: f32) -> Node {
    Node {
        flex_direction: FlexDirection::Row,
        column_gap: px(gap),
        align_items: AlignItems::Center,
        ..default()
    }
}

/// A screen's body below its title: columns side by side, taking the rest
/// of the height.
pub fn body_columns() -> Node {
    Node {
        flex_direction: FlexDirection::Row,
        column_gap: px(24),
        flex_grow: 1.0,
        min_height: px(0),
        ..default()
    }
}

/// A button row: a key hint, the label, and the action it sends.
pub fn button(
    key: &str,
    label: impl Into<String>,
    action: UiAction,
    selected: bool,
) -> impl Bundle {
    button_sized(key, label, action, selected, theme::SIZE_BODY)
}

/// [`button`] with its text at `size` (the projected screens use large type).
pub fn button_sized(
    key: &str,
    label: impl Into<String>,
    action: UiAction,
    selected: bool,
    size: f32,
) -> impl Bundle {
    let (bg, border) = if selected {
        (theme::PANEL_HI, theme::ACCENT)
    } else {
        (theme::PANEL, theme::BORDER)
    };
    (
        Button,
        ActionButton(action),
        RestBorder(border),
        Node {
            flex_direction: FlexDirection::Row,
            column_gap: px(14),
            align_items: AlignItems::Center,
            padding: UiRect::axes(px(16), px(10)),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(8)),
            ..default()
        },
        BackgroundColor(bg),
        BorderColor::all(border),
        children![
            (
                Node {
                    min_width: px(size + 15.0),
                    height: px(size + 15.0),
                    padding: UiRect::horizontal(px(8)),
                    flex_shrink: 0.0,
                    justify_content: JustifyContent::Center,
                    align_items: AlignItems::Center,
                    border_radius: BorderRadius::all(px(6)),
                    ..default()
                },
                BackgroundColor(if selected {
                    theme::ACCENT
                } else {
                    theme::BORDER
                }),
                children![text(key.to_string(), size, theme::TEXT)],
            ),
            (
                Node {
                    flex_shrink: 1.0,
                    ..default()
                },
                children![text(label, size, theme::TEXT)],
            )
        ],
    )
}

/// A labelled bar, 0-100.
pub fn meter(label: impl Into<String>, value: i32, color: Color) -> impl Bundle {
    let v = value.clamp(0, 100);
    (
        Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(4),
            ..default()
        },
        children![
            text(
                format!("{} {v}", label.into()),
                theme::SIZE_SMALL,
                theme::MUTED
            ),
            (
                Node {
                    width: percent(100),
                    height: px(14),
                    border_radius: BorderRadius::all(px(7)),
                    ..default()
                },
                BackgroundColor(theme::BORDER),
                children![(
                    Node {
                        width: percent(v as f32),
                        height: percent(100),
                        border_radius: BorderRadius::all(px(7)),
                        ..default()
                    },
                    BackgroundColor(color),
                )],
            )
        ],
    )
}

/// The key hints along the bottom of a screen.
pub fn key_hints(s: impl Into<String>) -> impl Bundle {
    (
        Node {
            margin: UiRect::top(Val::Auto),
            ..default()
        },
        children![text(s, theme::SIZE_SMALL, theme::MUTED)],
    )
}

/// A button's border when the pointer is not on it: the accent for the
/// keyboard's selection, else the plain border.
#[derive(Component, Clone, Copy)]
pub struct RestBorder(pub Color);

fn press_buttons(
    mut buttons: Query<
        (&Interaction, &ActionButton, &RestBorder, &mut BorderColor),
        Changed<Interaction>,
    >,
    mut actions: MessageWriter<UiAction>,
) {
    for (interaction, button, rest, mut border) in &mut buttons {
        match interaction {
            Interaction::Pressed => {
                actions.write(button.0.clone());
            }
            // Hover lightens the border; only the keyboard's selection is
            // blue, so the two never look alike.
            Interaction::Hovered if rest.0 != theme::ACCENT => {
                *border = BorderColor::all(theme::MUTED)
            }
            Interaction::Hovered | Interaction::None => *border = BorderColor::all(rest.0),
        }
    }
}
