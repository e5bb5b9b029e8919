//! The root component: opens the playground (one tab owns it), provides the view state and
//! the playground, follows the URL fragment, lays out the chrome.
//!
//! Owns start-up (lock, storage, recovery), the page frame and keeping the URL and theme in
//! step with the view state. Must not hold Kafka logic.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::components::{Sidebar, TerminalDock, TopBar};
use super::context::{PlaygroundHandle, ViewContext, ViewStore};
use super::lock_loss::LockLoss;
use super::model::{Page, ViewAction, ViewState};
use super::pages::PageView;
use super::persistence::{open_playground, Persistence, StorageMode, PLAYGROUND_NAME};
use super::tab_lock::{self, Ask};
use crate::clock::{Clock, SystemClock};
use crate::playground::engine::Playground;
use crate::playground::Area;

/// How often the shell's one timer ticks the engine when nothing is busy (the fastest poll
/// rate a consumer can have, 10 a second, needs 100 ms).
const TICK_MS: u32 = 100;

/// What start-up has reached.
#[derive(Clone)]
enum Boot {
    /// Asking for the lock and opening storage.
    Opening,
    /// Another tab holds the playground.
    OwnedElsewhere,
    /// Ready to use.
    Ready(Rc<RefCell<Playground>>, Rc<Persistence>),
}

fn lock_name() -> String {
    format!("brooklet-playground-{PLAYGROUND_NAME}")
}

/// Takes the lock (politely or by taking over), then opens the playground.
fn start(boot: UseStateHandle<Boot>, ask: Ask) {
    spawn_local(async move {
        boot.set(Boot::Opening);
        type Owned = (Rc<RefCell<Playground>>, Rc<Persistence>);
        // The lock can be lost while the playground is still opening (another tab took it
        // over meanwhile): then it is acted on once the open is done.
        let loss: Rc<LockLoss<Owned>> = Rc::default();
        // Read-only, and write nothing more: what was not stored yet fails its delivery.
        let stop = |(playground, persistence): &Owned| persistence.lose_ownership(playground);
        let on_lost = {
            let loss = Rc::clone(&loss);
            move || loss.lost(stop)
        };
        // Without Web Locks (`Err`), a single tab is the usual case, so go on.
        if let Ok(false) = tab_lock::acquire(&lock_name(), ask, on_lost).await {
            boot.set(Boot::OwnedElsewhere);
            return;
        }
        // Ids and sticky choices differ from one playground to the next, as a broker's do.
        let seed = SystemClock.now_ms().unsigned_abs();
        let (playground, persistence) = open_playground(seed).await;
        let playground = Rc::new(RefCell::new(playground));
        loss.opened((Rc::clone(&playground), Rc::clone(&persistence)), stop);
        boot.set(Boot::Ready(playground, persistence));
    });
}

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let boot = use_state(|| Boot::Opening);
    {
        let boot = boot.clone();
        use_effect_with((), move |_| start(boot, Ask::IfFree));
    }
    match &*boot {
        Boot::Opening => html! {
            <div class="boot" role="status">{ "Opening your playground…" }</div>
        },
        Boot::OwnedElsewhere => {
            let take_over = {
                let boot = boot.clone();
                Callback::from(move |_| start(boot.clone(), Ask::TakeOver))
            };
            html! {
                <div class="boot owned-elsewhere" role="alert" data-testid="owned-elsewhere">
                    <h1>{ "Brooklet is open in another tab" }</h1>
                    <p>{ "One tab owns the playground at a time, so two tabs never write the same log. \
                          Use the other tab, or take the playground over here: the other tab then turns read-only." }</p>
                    <button type="button" class="primary" onclick={take_over}>{ "Use it here" }</button>
                </div>
            }
        }
        Boot::Ready(playground, persistence) => html! {
            <Shell playground={Rc::clone(playground)} persistence={Rc::clone(persistence)} />
        },
    }
}

/// Props of [`Shell`].
#[derive(Properties, Clone)]
struct ShellProps {
    playground: Rc<RefCell<Playground>>,
    persistence: Rc<Persistence>,
}

impl PartialEq for ShellProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground)
    }
}

/// Ticks the engine after `delay_ms`, then schedules the next tick, until `alive` is false.
fn tick_after(store: PlaygroundHandle, alive: Rc<std::cell::Cell<bool>>, delay_ms: u32) {
    gloo::timers::callback::Timeout::new(delay_ms, move || {
        if !alive.get() {
            return;
        }
        let report = store.tick();
        tick_after(store, alive, if report.busy { 0 } else { TICK_MS });
    })
    .forget();
}

/// The frame around the pages, once the playground is open.
#[function_component(Shell)]
fn shell(props: &ShellProps) -> Html {
    let view = use_reducer(|| {
        let fragment = gloo::utils::window().location().hash().unwrap_or_default();
        ViewStore(ViewState {
            page: Page::from_fragment(&fragment),
            theme: super::view_settings::load().theme(),
        })
    });
    let store = {
        let props = props.clone();
        (*use_state(move || PlaygroundHandle::new(props.playground, props.persistence))).clone()
    };
    // The banner shows whether this tab may still write, and where data lives (the shell
    // provides the context, so it subscribes by hand rather than with `use_area`).
    {
        let (store, update) = (store.clone(), use_force_update());
        use_effect_with((), move |_| {
            let id = store.subscribe(vec![Area::Storage], Rc::new(move || update.force_update()));
            move || store.unsubscribe(id)
        });
    }

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

    // Load the batches the lazy open left in storage, in the background; and publish what
    // storage changes in the playground on its own (another tab took it over).
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let changed = store.clone();
            store
                .persistence
                .on_change(Rc::new(move || changed.storage_changed_by_itself()));
            store.start_hydration();
        });
    }

    // The JavaScript API (`window.brooklet`) drives this same playground: what it changes is
    // re-rendered and stored as the pages' own actions are.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let changed = store.clone();
            let after = Rc::new(move || changed.publish());
            crate::js_api::install(store.playground_cell_for_plumbing(), after);
            crate::js_api::uninstall
        });
    }

    // The one timer: it ticks the engine (consumers poll, terminal consumers follow, the
    // sample job produces, the clock moves); at once again while a job has more to do.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let alive = Rc::new(std::cell::Cell::new(true));
            tick_after(store, Rc::clone(&alive), TICK_MS);
            move || alive.set(false)
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
            let theme = *theme;
            super::view_settings::update(|kept| kept.with_theme(theme));
        });
    }

    // A new page opens at its top, as a link to another page does.
    {
        let page = view.0.page.clone();
        use_effect_with(page, move |_| {
            gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
        });
    }

    let banner = match (store.read().read_only(), store.persistence.mode()) {
        (Some(reason), _) => Some(reason.to_owned()),
        (None, StorageMode::MemoryOnly(reason)) => Some(format!(
            "Nothing will be kept when you close this tab: browser storage is unavailable ({reason})."
        )),
        (None, StorageMode::Persistent(_)) => None,
    };

    html! {
        <ContextProvider<ViewContext> context={view.clone()}>
        <ContextProvider<PlaygroundHandle> context={store}>
            <div class="shell" data-testid="app">
                <TopBar />
                <Sidebar />
                <main class="page" id="main">
                    if let Some(banner) = banner {
                        <p class="banner" role="alert" data-testid="banner">{ banner }</p>
                    }
                    <PageView page={view.0.page.clone()} />
                </main>
                <TerminalDock />
            </div>
        </ContextProvider<PlaygroundHandle>>
        </ContextProvider<ViewContext>>
    }
}
