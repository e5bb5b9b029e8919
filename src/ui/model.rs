//! The playground's view state as plain data: which page is open and which theme is on.
//!
//! Owns navigation and presentation choices, and how actions change them. Must not hold Kafka
//! state (that is the broker's) nor touch the DOM (that is the components').

use std::fmt;

/// A page of the playground, one per sidebar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Page {
    /// The cluster at a glance: brokers, topics, groups, storage.
    #[default]
    Overview,
    /// Topics and their partitions.
    Topics,
    /// Consumer groups, members and lag.
    Groups,
    /// The `kafka-*.sh` console.
    Terminal,
}

impl Page {
    /// Every page, in sidebar order.
    pub const ALL: [Page; 4] = [Page::Overview, Page::Topics, Page::Groups, Page::Terminal];

    /// The page's name as the sidebar shows it.
    pub fn title(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Topics => "Topics",
            Page::Groups => "Consumer groups",
            Page::Terminal => "Terminal",
        }
    }

    /// The URL fragment that opens this page (`#/topics`), so pages can be linked and reloaded.
    pub fn fragment(self) -> &'static str {
        match self {
            Page::Overview => "#/",
            Page::Topics => "#/topics",
            Page::Groups => "#/groups",
            Page::Terminal => "#/terminal",
        }
    }

    /// The page a URL fragment names; unknown fragments open the overview.
    pub fn from_fragment(fragment: &str) -> Page {
        let trimmed = fragment.trim_end_matches('/');
        Page::ALL
            .into_iter()
            .find(|page| page.fragment().trim_end_matches('/') == trimmed)
            .unwrap_or(Page::Overview)
    }
}

/// Light or dark colours; `System` follows the operating system's preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The next theme in the toggle's cycle: system → light → dark → system.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// The value of the `data-theme` attribute on `<html>` (empty for system).
    pub fn attribute(self) -> &'static str {
        match self {
            Theme::System => "",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Theme::System => "System theme",
            Theme::Light => "Light theme",
            Theme::Dark => "Dark theme",
        })
    }
}

/// Everything the chrome of the playground shows that is not Kafka state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewState {
    /// The open page.
    pub page: Page,
    /// The colour theme.
    pub theme: Theme,
}

/// What a user can do to the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewAction {
    /// Open a page.
    Open(Page),
    /// Switch to the next theme.
    CycleTheme,
}

impl ViewState {
    /// The state after `action`.
    pub fn apply(&self, action: ViewAction) -> ViewState {
        match action {
            ViewAction::Open(page) => ViewState {
                page,
                ..self.clone()
            },
            ViewAction::CycleTheme => ViewState {
                theme: self.theme.next(),
                ..self.clone()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_round_trips_through_its_url_fragment() {
        for page in Page::ALL {
            assert_eq!(Page::from_fragment(page.fragment()), page);
        }
    }

    #[test]
    fn an_unknown_or_empty_fragment_opens_the_overview() {
        assert_eq!(Page::from_fragment(""), Page::Overview);
        assert_eq!(Page::from_fragment("#/nowhere"), Page::Overview);
        assert_eq!(Page::from_fragment("#/topics/"), Page::Topics);
    }

    #[test]
    fn the_theme_toggle_cycles_through_system_light_and_dark() {
        let start = ViewState::default();
        let once = start.apply(ViewAction::CycleTheme);
        let twice = once.apply(ViewAction::CycleTheme);
        let thrice = twice.apply(ViewAction::CycleTheme);
        assert_eq!(
            [once.theme, twice.theme, thrice.theme],
            [Theme::Light, Theme::Dark, Theme::System]
        );
    }

    #[test]
    fn opening_a_page_keeps_the_theme() {
        let dark = ViewState {
            page: Page::Overview,
            theme: Theme::Dark,
        };
        let next = dark.apply(ViewAction::Open(Page::Groups));
        assert_eq!(
            next,
            ViewState {
                page: Page::Groups,
                theme: Theme::Dark
            }
        );
    }
}
