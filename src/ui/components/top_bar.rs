//! The bar across the top: the name, what Brooklet is, and the theme switch.

use yew::prelude::*;

use crate::ui::context::use_view;
use crate::ui::model::ViewAction;

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
                <img src="favicon.svg" alt="" width="28" height="28" />
                <span class="brand-name">{ "Brooklet" }</span>
            </a>
            <p class="tagline">{ "Apache Kafka in a browser tab — a real broker log, running here, with nothing to install." }</p>
            <button class="theme-toggle" type="button" onclick={cycle}
                title="Switch between system, light and dark colours">
                { theme.to_string() }
            </button>
        </header>
    }
}
