//! The learner's view choices — the colour theme and how much room the terminal dock takes —
//! kept between visits in localStorage, as the storage settings are.
//!
//! Owns the key, the stored shape and what a first visit gets: the system theme and a
//! minimised dock (an open dock covers a quarter of a laptop screen: the new topic's row, the
//! Produce button, consumer cards). Must not apply the choices: the shell sets the theme and
//! the dock sizes itself. The decisions are plain Rust, tested natively; only `load` and
//! `save` touch localStorage.

use serde::{Deserialize, Serialize};

use super::model::Theme;
use crate::playground::terminal::DockSize;

/// Where the choices are kept.
#[cfg(target_arch = "wasm32")]
const KEY: &str = "brooklet.view-settings";

/// The stored shape: plain optional fields, so a later version can add some and still read
/// these, and a missing one means "never chosen".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewSettings {
    /// `system`, `light` or `dark`.
    pub theme: Option<String>,
    /// `minimised`, `normal` or `tall`.
    pub dock: Option<String>,
}

impl ViewSettings {
    /// The theme chosen on an earlier visit; the system's when none was (or it is unreadable).
    pub fn theme(&self) -> Theme {
        match self.theme.as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The dock size chosen on an earlier visit; minimised on a first visit.
    pub fn dock(&self) -> DockSize {
        match self.dock.as_deref() {
            Some("normal") => DockSize::Normal,
            Some("tall") => DockSize::Tall,
            _ => DockSize::Minimised,
        }
    }

    /// These settings with `theme` chosen.
    pub fn with_theme(mut self, theme: Theme) -> Self {
        self.theme = Some(
            match theme {
                Theme::System => "system",
                Theme::Light => "light",
                Theme::Dark => "dark",
            }
            .to_owned(),
        );
        self
    }

    /// These settings with the dock at `size`.
    pub fn with_dock(mut self, size: DockSize) -> Self {
        self.dock = Some(
            match size {
                DockSize::Minimised => "minimised",
                DockSize::Normal => "normal",
                DockSize::Tall => "tall",
            }
            .to_owned(),
        );
        self
    }
}

/// The choices an earlier visit made; the first visit's defaults when none were kept or they
/// cannot be read.
#[cfg(target_arch = "wasm32")]
pub fn load() -> ViewSettings {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Keeps the choices changed by `change` for the next visit. A full or disabled localStorage
/// only means they are not kept, which is not worth interrupting the learner for.
#[cfg(target_arch = "wasm32")]
pub fn update(change: impl FnOnce(ViewSettings) -> ViewSettings) {
    use gloo::storage::{LocalStorage, Storage};
    let _ = LocalStorage::set(KEY, change(load()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_visit_gets_the_system_theme_and_a_minimised_dock() {
        let first = ViewSettings::default();
        assert_eq!(first.theme(), Theme::System);
        assert_eq!(first.dock(), DockSize::Minimised);
    }

    #[test]
    fn a_chosen_theme_and_dock_size_read_back_as_chosen() {
        for theme in [Theme::System, Theme::Light, Theme::Dark] {
            for dock in [DockSize::Minimised, DockSize::Normal, DockSize::Tall] {
                let kept = ViewSettings::default().with_theme(theme).with_dock(dock);
                let json = serde_json::to_string(&kept).expect("serialises");
                let read: ViewSettings = serde_json::from_str(&json).expect("reads back");
                assert_eq!((read.theme(), read.dock()), (theme, dock));
            }
        }
    }

    #[test]
    fn unknown_or_older_stored_values_fall_back_to_the_first_visit_defaults() {
        let read: ViewSettings =
            serde_json::from_str(r#"{"theme":"sepia","extra":1}"#).expect("reads");
        assert_eq!(
            (read.theme(), read.dock()),
            (Theme::System, DockSize::Minimised)
        );
    }
}
