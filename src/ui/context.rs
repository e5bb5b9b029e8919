//! Shares the view state and the playground with every component through Yew's context.
//!
//! Owns the glue between plain, tested Rust ([`ViewState`], [`Playground`]) and Yew's reducer
//! hooks. The playground is shared as `Rc<RefCell<_>>` with a revision counter: an action
//! mutates it in place and bumps the revision so views re-render — the broker is never cloned.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::model::{ViewAction, ViewState};
use super::persistence::{Persistence, StorageMode};
use crate::playground::engine::Playground;

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

/// The playground and how many changes it has seen.
#[derive(Clone)]
pub struct PlaygroundStore {
    /// The playground, mutated in place by actions.
    pub playground: Rc<RefCell<Playground>>,
    /// Bumped after every change, so contexts compare unequal and views re-render.
    pub revision: u64,
    /// Where changes are kept.
    pub persistence: Rc<Persistence>,
}

impl PartialEq for PlaygroundStore {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && Rc::ptr_eq(&self.playground, &other.playground)
    }
}

/// Tells the store the playground changed.
pub struct Changed;

impl Reducible for PlaygroundStore {
    type Action = Changed;

    fn reduce(self: Rc<Self>, _: Changed) -> Rc<Self> {
        Rc::new(PlaygroundStore {
            playground: Rc::clone(&self.playground),
            revision: self.revision + 1,
            persistence: Rc::clone(&self.persistence),
        })
    }
}

/// The playground handle components receive.
pub type PlaygroundContext = UseReducerHandle<PlaygroundStore>;

/// After an action changed the playground: re-render, and store the change.
pub fn after_change(store: &PlaygroundContext) {
    store.dispatch(Changed);
    store.persistence.schedule_flush(&store.playground);
    if matches!(store.persistence.mode(), StorageMode::Persistent(_)) {
        super::timeline_storage::save(&store.playground.borrow());
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

/// The playground and its change dispatcher, from the nearest provider.
#[hook]
pub fn use_playground() -> PlaygroundContext {
    use_context::<PlaygroundContext>()
        .unwrap_or_else(|| panic!("use_playground called outside the App's ContextProvider"))
}
