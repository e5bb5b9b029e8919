//! Shares the view state and the playground engine with every component through Yew's
//! context: [`use_view`] for navigation and theme, [`use_playground`] for the engine's handle
//! (dispatch actions, read through its query methods) and [`use_area`] to re-render a view
//! only when an area it shows changed.
//!
//! Owns the glue between plain, tested Rust ([`ViewState`], [`Playground`]) and Yew's hooks:
//! the [`PlaygroundHandle`] (the engine, who watches which area, and persistence) that the
//! shell owns and every front end — components, the shell's timer, storage, the JavaScript
//! adapter — goes through, so each change is published and stored the same way. Must not
//! hold Kafka logic nor decide what changed (the engine marks its areas).

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::model::{ViewAction, ViewState};
use super::persistence::{Persistence, StorageMode};
use crate::clock::Clock;
use crate::playground::changes::{RenderPace, Subscribers};
use crate::playground::tick::TickReport;
use crate::playground::{Action, Area, Outcome, Playground, PlaygroundError};
use crate::storage::FlushPolicy;

/// The reducer Yew keeps for the view state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewStore(pub ViewState);

impl Reducible for ViewStore {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        Rc::new(ViewStore(self.0.apply(action)))
    }
}

/// The handle components receive: read `.0` for the state, `dispatch` an action to change it.
pub type ViewContext = UseReducerHandle<ViewStore>;

/// The engine as the web adapters hold it: the playground, who watches which of its areas,
/// and where its changes are kept.
pub struct Engine {
    /// The playground. Components read it through [`PlaygroundHandle::read`] and change it
    /// only through [`PlaygroundHandle::dispatch`]; only the shell's plumbing reaches the cell
    /// ([`PlaygroundHandle::playground_cell_for_plumbing`]).
    playground: Rc<RefCell<Playground>>,
    /// Where changes are kept.
    pub persistence: Rc<Persistence>,
    /// The views watching the engine's areas.
    subscribers: Subscribers,
    /// When views re-render for changes that flowed in (ticks, flushes answering).
    pace: RefCell<RenderPace>,
}

/// A shared handle on the [`Engine`]: cheap to clone, equal to itself only, so holding it
/// in a context never re-renders anything by itself.
#[derive(Clone)]
pub struct PlaygroundHandle(Rc<Engine>);

impl PartialEq for PlaygroundHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for PlaygroundHandle {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.0
    }
}

impl PlaygroundHandle {
    /// A handle on `playground`, kept by `persistence`.
    pub fn new(playground: Rc<RefCell<Playground>>, persistence: Rc<Persistence>) -> Self {
        Self(Rc::new(Engine {
            playground,
            persistence,
            subscribers: Subscribers::default(),
            pace: RefCell::default(),
        }))
    }

    /// Runs `action` in the engine, then publishes what it changed (views re-render, the
    /// change is stored).
    pub fn dispatch(&self, action: Action) -> Result<Outcome, PlaygroundError> {
        let result = self.playground.borrow_mut().dispatch(action);
        self.publish();
        result
    }

    /// The playground, to read through its query methods while rendering. Never hold it
    /// across a dispatch.
    pub fn read(&self) -> Ref<'_, Playground> {
        self.playground.borrow()
    }

    /// The playground's cell itself, for the shell's plumbing only: the JavaScript API's
    /// install, which keeps it to drive the engine as the pages do (through `dispatch` and
    /// publishing after each call). A component must not use it: borrowing it mutably would
    /// change the engine without publishing (`tests/adapter_plumbing.rs` checks none does).
    pub(crate) fn playground_cell_for_plumbing(&self) -> Rc<RefCell<Playground>> {
        Rc::clone(&self.playground)
    }

    /// Starts loading older batches from storage in the background (the shell, once).
    pub fn start_hydration(&self) {
        self.persistence.start_hydration(&self.playground);
    }

    /// Changes when storage flushes (the storage badge's choice) and publishes it.
    pub fn set_flush_policy(&self, policy: FlushPolicy) {
        self.persistence.set_flush_policy(policy, &self.playground);
        self.storage_changed();
    }

    /// Advances everything that runs to the clock's now ([`Playground::tick`]) and publishes
    /// what changed.
    pub fn tick(&self) -> TickReport {
        let report = {
            let mut playground = self.playground.borrow_mut();
            let now = playground.clock().now_ms();
            playground.tick(now)
        };
        self.publish_paced(false);
        report
    }

    /// The learner changed a storage setting (durability, the flush policy): publish it at
    /// once, as any action.
    pub fn storage_changed(&self) {
        self.playground.borrow_mut().storage_changed();
        self.publish();
    }

    /// Storage changed the playground by itself (a flush answered, older batches loaded, its
    /// mode or usage changed, another tab took over): publish it, paced like a tick's changes.
    pub fn storage_changed_by_itself(&self) {
        self.playground.borrow_mut().storage_changed();
        self.publish_paced(false);
    }

    /// Drains the engine's changed areas after a learner's (or a script's) action:
    /// re-renders at once the views watching one of them (and what was held back), asks
    /// persistence to flush, and keeps the timelines when they changed.
    pub fn publish(&self) {
        self.publish_paced(true);
    }

    /// [`PlaygroundHandle::publish`]; unless `urgent`, the views re-render at the
    /// [`RenderPace`], but persistence is asked to flush at once whatever changed.
    fn publish_paced(&self, urgent: bool) {
        let (changed, now) = {
            let mut playground = self.playground.borrow_mut();
            (playground.take_changes(), playground.clock().now_ms())
        };
        if !changed.is_empty() {
            self.persistence.schedule_flush(&self.playground);
        }
        let due = self.pace.borrow_mut().due(now, changed, urgent);
        if due.is_empty() {
            return;
        }
        self.subscribers.notify(&due);
        let story = due.contains(&Area::Timeline) || due.contains(&Area::Groups);
        let persistent = matches!(self.persistence.mode(), StorageMode::Persistent(_));
        if story && persistent {
            super::timeline_storage::save(&self.playground.borrow());
        }
        if due.contains(&Area::NotebookCells) && persistent {
            super::notebook_storage::save(&self.playground.borrow());
        }
    }

    /// Calls `notify` whenever one of `areas` changed; returns the id to unsubscribe with.
    pub fn subscribe(&self, areas: Vec<Area>, notify: Rc<dyn Fn()>) -> u64 {
        self.subscribers.subscribe(areas, notify)
    }

    /// Stops notifying subscriber `id`.
    pub fn unsubscribe(&self, id: u64) {
        self.subscribers.unsubscribe(id);
    }
}

/// The view state and its dispatcher, from the nearest provider.
#[hook]
pub fn use_view() -> ViewContext {
    use_context::<ViewContext>().unwrap_or_else(|| {
        // Every component sits under `App`'s provider; reaching this is a programming error in
        // the component tree, not something user input can cause.
        panic!("use_view called outside the App's ContextProvider")
    })
}

/// The engine's handle, from the nearest provider. It does not re-render the component by
/// itself: see [`use_area`].
#[hook]
pub fn use_playground() -> PlaygroundHandle {
    use_context::<PlaygroundHandle>()
        .unwrap_or_else(|| panic!("use_playground called outside the App's ContextProvider"))
}

/// The engine's handle, re-rendering this component whenever one of `areas` changed.
#[hook]
pub fn use_area(areas: Vec<Area>) -> PlaygroundHandle {
    let handle = use_playground();
    let update = use_force_update();
    {
        let handle = handle.clone();
        use_effect_with(areas, move |areas| {
            let id = handle.subscribe(areas.clone(), Rc::new(move || update.force_update()));
            move || handle.unsubscribe(id)
        });
    }
    handle
}

/// What an action answered, as a view keeps it to show: the message (empty when it said
/// nothing), or the refusal.
pub type Said = Result<String, PlaygroundError>;

/// An action's answer as a view shows it ([`Said`]).
pub fn said(result: Result<Outcome, PlaygroundError>) -> Said {
    result.map(|outcome| outcome.message().unwrap_or_default().to_owned())
}
