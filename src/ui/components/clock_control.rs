//! The simulated clock in the top bar: how far ahead of real time it runs, and buttons to
//! jump ahead so retention can be watched acting.

use yew::prelude::*;

use crate::playground::engine::human_duration;
use crate::playground::{Action, Area};
use crate::ui::context::use_area;

const JUMPS: [(&str, i64); 3] = [
    ("+1 hour", 3_600_000),
    ("+1 day", 86_400_000),
    ("+7 days", 604_800_000),
];

/// The clock control.
#[function_component(ClockControl)]
pub fn clock_control() -> Html {
    let store = use_area(vec![Area::Clock]);
    let message = use_state(String::new);
    let jump = store.read().clock().jump_ms();
    html! {
        <div class="clock" role="group" aria-label="Simulated clock">
            <span class="clock-label" title="Brooklet's clock runs on real time plus the jumps you make">
                { if jump == 0 { "Clock: real time".to_owned() } else { format!("Clock: +{}", human_duration(jump)) } }
            </span>
            { for JUMPS.iter().map(|(label, ms)| {
                let store = store.clone();
                let message = message.clone();
                let ms = *ms;
                let onclick = Callback::from(move |_| {
                    let said = store.dispatch(Action::FastForward { ms });
                    message.set(said.map_or_else(|e| e.to_string(), |o| o.message().unwrap_or_default().to_owned()));
                });
                html! { <button type="button" class="small" {onclick}>{ *label }</button> }
            }) }
            <span class="visually-hidden" aria-live="polite">{ (*message).clone() }</span>
        </div>
    }
}
