//! Reusable pieces of the page frame. Each renders props or context and dispatches actions.

mod clock_control;
mod reader;
pub mod records;
mod sidebar;
mod storage_badge;
mod terminal;
mod top_bar;

pub use clock_control::ClockControl;
pub use reader::StandaloneReader;
pub use sidebar::Sidebar;
pub use storage_badge::StorageBadge;
pub use terminal::{TerminalDock, INPUT_ID as TERMINAL_INPUT_ID};
pub use top_bar::TopBar;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{Callback, Event, InputEvent};

/// A field's `onchange` handler as an `oninput` one, for text a learner types. Text fields
/// must keep their state in step with every keystroke: Yew writes a field's `value` back at
/// every render, and a view re-renders whenever an area it watches changes (the topic page's
/// produce form when a flush answers, several times a second while a steady sample run
/// produces), so a field updated only on `change` would lose what is being typed.
pub fn typed(on_change: Callback<Event>) -> Callback<InputEvent> {
    on_change.reform(Event::from)
}

/// The current value of the `<input>`, `<select>` or `<textarea>` an event came from.
pub fn event_value(event: &yew::Event) -> String {
    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        input.value()
    } else if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}
