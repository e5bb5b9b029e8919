//! The root component: provides the view state, follows the URL fragment, lays out the chrome.
//!
//! Owns the page frame (top bar, sidebar, main area) and keeping the URL and theme in step with
//! the view state. Must not hold Kafka logic.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use crate::clock::SystemClock;

use super::components::{Sidebar, TopBar};
use super::context::{PlaygroundContext, PlaygroundStore, ViewContext, ViewStore};
use super::model::{Page, ViewAction, ViewState};
use super::pages::PageView;
use super::playground::Playground;

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let view = use_reducer(|| {
        let fragment = gloo::utils::window().location().hash().unwrap_or_default();
        ViewStore(ViewState {
            page: Page::from_fragment(&fragment),
            ..ViewState::default()
        })
    });

    let playground = use_reducer(|| PlaygroundStore {
        // The seed only fixes topic ids and sticky draws; any value will do.
        playground: Rc::new(RefCell::new(Playground::new(
            Rc::new(SystemClock),
            js_sys::Date::now() as u64,
        ))),
        revision: 0,
    });

    // Back/forward buttons and typed URLs change the fragment; follow them.
    {
        let view = view.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let fragment = gloo::utils::window().location().hash().unwrap_or_default();
                view.dispatch(ViewAction::Open(Page::from_fragment(&fragment)));
            });
            move || drop(listener)
        });
    }

    // The theme lives on <html> so the whole stylesheet can follow it.
    {
        let theme = view.0.theme;
        use_effect_with(theme, move |theme| {
            if let Some(root) = gloo::utils::document().document_element() {
                // Setting an attribute on <html> cannot fail in a live document; nothing to report.
                let _ = root.set_attribute("data-theme", theme.attribute());
            }
        });
    }

    html! {
        <ContextProvider<ViewContext> context={view.clone()}>
        <ContextProvider<PlaygroundContext> context={playground}>
            <div class="shell" data-testid="app">
                <TopBar />
                <Sidebar />
                <main class="page" id="main">
                    <PageView page={view.0.page.clone()} />
                </main>
            </div>
        </ContextProvider<PlaygroundContext>>
        </ContextProvider<ViewContext>>
    }
}
