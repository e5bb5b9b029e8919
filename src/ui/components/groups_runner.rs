//! Keeps the learner's consumers polling while they run, on every page.
//!
//! Owns the timer only: it is mounted once in the app shell and, while
//! [`GroupsModel::is_running`](crate::playground::groups::GroupsModel::is_running) says so, asks the
//! model ten times a second which consumers are due (each polls at its own rate). It renders
//! nothing and decides nothing about polling; that is the model's. Living in the shell rather
//! than in the groups page means a group keeps consuming while the learner watches the topic's
//! lanes or types in the terminal, as a real consumer process would.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::ui::context::{after_change, use_playground};

/// How often the runner asks which consumers are due to poll (the fastest rate offered, 10 a
/// second, needs 100 ms).
const RUN_TICK_MS: u32 = 100;

/// While the consumers run, the app re-renders at least every this many ticks even when
/// nobody polled (a crashed member's session may have expired).
const RENDER_EVERY_TICKS: u32 = 10;

/// The timer behind "Run the consumers". Renders nothing.
#[function_component(GroupsRunner)]
pub fn groups_runner() -> Html {
    let store = use_playground();
    let running = store
        .playground
        .borrow()
        .groups()
        .is_some_and(|g| g.is_running());
    use_effect_with(running, move |on| {
        let ticks = Rc::new(Cell::new(0_u32));
        let interval = on.then(|| {
            Interval::new(RUN_TICK_MS, move || {
                // A read-only tab (another tab took the playground over) refuses, so polls 0.
                let polled = store
                    .playground
                    .borrow_mut()
                    .with_groups(|g| Ok(g.poll_due()))
                    .unwrap_or(0);
                ticks.set(ticks.get() + 1);
                if polled > 0 || ticks.get() % RENDER_EVERY_TICKS == 0 {
                    after_change(&store);
                }
            })
        });
        move || drop(interval)
    });
    Html::default()
}
