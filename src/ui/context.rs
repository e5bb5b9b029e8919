//! Shares the view state with every component through Yew's context, `use_reducer` style.
//!
//! Owns the glue between [`ViewState`] (plain, tested Rust) and Yew's reducer hook; no logic of
//! its own beyond forwarding actions to [`ViewState::apply`].

use std::rc::Rc;

use yew::prelude::*;

use super::model::{ViewAction, ViewState};

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

/// The view state and its dispatcher, from the nearest provider.
#[hook]
pub fn use_view() -> ViewContext {
    use_context::<ViewContext>().unwrap_or_else(|| {
        // Every component sits under `App`'s provider; reaching this is a programming error in
        // the component tree, not something user input can cause.
        panic!("use_view called outside the App's ContextProvider")
    })
}
