//! The bar across the top: the name, what Brooklet is, and the theme switch.

use yew::prelude::*;

use super::{ClockControl, StorageBadge};
use crate::ui::context::use_view;
use crate::ui::model::ViewAction;

/// Brooklet's mark: partitions as lanes of records. Inline, so it needs no request.
#[function_component(Logo)]
fn logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#0f766e" />
            <g fill="#ecfeff">
                <rect x="5" y="7" width="6" height="4" rx="1" />
                <rect x="13" y="7" width="6" height="4" rx="1" />
                <rect x="21" y="7" width="6" height="4" rx="1" />
                <rect x="5" y="14" width="6" height="4" rx="1" />
                <rect x="13" y="14" width="6" height="4" rx="1" />
                <rect x="5" y="21" width="6" height="4" rx="1" />
                <rect x="13" y="21" width="6" height="4" rx="1" />
                <rect x="21" y="21" width="6" height="4" rx="1" />
            </g>
        </svg>
    }
}

/// The top bar.
#[function_component(TopBar)]
pub fn top_bar() -> Html {
    let view = use_view();
    let theme = view.0.theme;
    let cycle = {
        let view = view.clone();
        Callback::from(move |_| view.dispatch(ViewAction::CycleTheme))
    };
    html! {
        <header class="top-bar">
            <a class="brand" href="#/" aria-label="Brooklet, overview">
                <Logo />
                <span class="brand-name">{ "Brooklet" }</span>
            </a>
            <p class="tagline">{ "Apache Kafka in a browser tab — a real broker log, running here, with nothing to install." }</p>
            <StorageBadge />
            <ClockControl />
            <button class="theme-toggle" type="button" onclick={cycle} data-testid="theme-toggle"
                aria-label={theme.button_action()} title={theme.button_action()}>
                { theme.button_label() }
            </button>
        </header>
    }
}
