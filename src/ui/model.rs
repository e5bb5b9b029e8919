//! The playground's view state as plain data: which page is open and which theme is on.
//!
//! Owns navigation and presentation choices, and how actions change them. Must not hold Kafka
//! state (that is the broker's) nor touch the DOM (that is the components').

use std::fmt;

/// A page of the playground: one per sidebar entry, plus one per topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Page {
    /// The cluster at a glance: brokers, topics, clock.
    #[default]
    Overview,
    /// Topics and their partitions.
    Topics,
    /// One topic: its partitions as lanes, and a produce panel.
    Topic(String),
    /// Consumer groups, members and lag.
    Groups,
    /// The `kafka-*.sh` console.
    Terminal,
    /// Spark Structured Streaming: a notebook and its queries.
    Streams,
}

impl Page {
    /// The sidebar's pages, in order.
    pub const SIDEBAR: [Page; 5] = [
        Page::Overview,
        Page::Topics,
        Page::Groups,
        Page::Terminal,
        Page::Streams,
    ];

    /// The page's name as the sidebar and the heading show it.
    pub fn title(&self) -> String {
        match self {
            Page::Overview => "Overview".to_owned(),
            Page::Topics => "Topics".to_owned(),
            Page::Topic(name) => format!("Topic {name}"),
            Page::Groups => "Consumer groups".to_owned(),
            Page::Terminal => "Terminal".to_owned(),
            Page::Streams => "Streams".to_owned(),
        }
    }

    /// The URL fragment that opens this page (`#/topics/orders`), so pages can be linked and
    /// reloaded.
    pub fn fragment(&self) -> String {
        match self {
            Page::Overview => "#/".to_owned(),
            Page::Topics => "#/topics".to_owned(),
            Page::Topic(name) => format!("#/topics/{name}"),
            Page::Groups => "#/groups".to_owned(),
            Page::Terminal => "#/terminal".to_owned(),
            Page::Streams => "#/streams".to_owned(),
        }
    }

    /// The sidebar entry this page sits under.
    pub fn section(&self) -> Page {
        match self {
            Page::Topic(_) => Page::Topics,
            other => other.clone(),
        }
    }

    /// The page a URL fragment names; unknown fragments open the overview. Topic names are
    /// taken as typed: the topic page says so if it does not exist.
    pub fn from_fragment(fragment: &str) -> Page {
        let path = fragment.trim_start_matches('#').trim_matches('/');
        match path.split_once('/') {
            Some(("topics", name)) if !name.is_empty() => Page::Topic(name.to_owned()),
            _ => match path {
                "topics" => Page::Topics,
                "groups" => Page::Groups,
                "terminal" => Page::Terminal,
                "streams" => Page::Streams,
                _ => Page::Overview,
            },
        }
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

impl Theme {
    /// The theme button's text: which theme is on, not a command ("Theme: system").
    pub fn button_label(self) -> String {
        format!("Theme: {self}")
    }

    /// The theme button's accessible name: the visible label first (so a voice command that
    /// reads the button works), then what pressing it does.
    pub fn button_action(self) -> String {
        format!(
            "{} (press to change to {})",
            self.button_label(),
            self.next()
        )
    }
}

impl fmt::Display for Theme {
    /// The theme's name in a word: `system`, `light` or `dark`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
        for page in Page::SIDEBAR
            .into_iter()
            .chain([Page::Topic("retail.orders".into())])
        {
            assert_eq!(Page::from_fragment(&page.fragment()), page);
        }
    }

    #[test]
    fn an_unknown_or_empty_fragment_opens_the_overview() {
        assert_eq!(Page::from_fragment(""), Page::Overview);
        assert_eq!(Page::from_fragment("#/nowhere"), Page::Overview);
        assert_eq!(Page::from_fragment("#/topics/"), Page::Topics);
        assert_eq!(Page::Topic("orders".into()).section(), Page::Topics);
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
    fn the_theme_button_names_the_theme_that_is_on_and_says_what_pressing_does() {
        assert_eq!(Theme::System.button_label(), "Theme: system");
        assert_eq!(
            Theme::System.button_action(),
            "Theme: system (press to change to light)"
        );
        assert_eq!(
            Theme::Dark.button_action(),
            "Theme: dark (press to change to system)"
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
