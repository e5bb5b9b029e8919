//! The sample-data panel, like Confluent's Datagen connector: produce N retail orders (up to
//! a million) in chunks with a progress bar and cancel, or a steady rate until stopped.
//!
//! Owns the panel's form and rendering the job's status line. The job itself — its chunks,
//! its pace, its delivery tickets, what it says once it stops — is the engine's
//! ([`crate::playground::sample_job`]), advanced by the shell's one timer. Must not build
//! orders nor schedule anything.

use yew::prelude::*;

use crate::playground::action::SampleAction;
use crate::playground::sample_job::SampleStatus;
use crate::playground::{Action, Area, PlaygroundError};
use crate::ui::components::{event_value, typed};
use crate::ui::context::use_area;

/// Props of [`SamplePanel`].
#[derive(Properties, PartialEq)]
pub struct SamplePanelProps {
    /// The topic to produce to.
    pub topic: String,
}

/// The sample-data panel.
#[function_component(SamplePanel)]
pub fn sample_panel(props: &SamplePanelProps) -> Html {
    let store = use_area(vec![Area::SampleJob]);
    let count = use_state(|| "1000".to_owned());
    let rate = use_state(|| "10".to_owned());
    // A form the engine refused (a count or rate that is not one).
    let refused = use_state(|| None::<PlaygroundError>);
    {
        // Leaving the page (or switching topic) stops a run; its orders still get stored.
        let store = store.clone();
        use_effect_with(props.topic.clone(), move |topic| {
            let topic = topic.clone();
            move || {
                let producing = store
                    .read()
                    .sample_job()
                    .is_some_and(|j| j.topic() == topic && j.is_producing());
                if producing {
                    // Stopping cannot be refused.
                    let _ = store.dispatch(Action::Sample(SampleAction::Stop));
                }
            }
        });
    }
    let (status, steady) = {
        let playground = store.read();
        let job = playground.sample_job().filter(|j| j.topic() == props.topic);
        (
            job.map(|j| j.status().clone()),
            job.is_some_and(|j| j.is_steady()),
        )
    };
    let running = matches!(
        status,
        Some(SampleStatus::Running { .. } | SampleStatus::Storing(_))
    );

    let start = |make: fn(String, String) -> SampleAction, field: String| {
        let (store, refused, topic) = (store.clone(), refused.clone(), props.topic.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let action = make(topic.clone(), field.clone());
            refused.set(store.dispatch(Action::Sample(action)).err());
        })
    };
    let on_generate = start(
        |topic, count| SampleAction::Generate { topic, count },
        (*count).clone(),
    );
    let on_steady = start(
        |topic, rate| SampleAction::Steady { topic, rate },
        (*rate).clone(),
    );
    let on_cancel = {
        let store = store.clone();
        Callback::from(move |_| {
            // The job stays: its tickets say when the orders produced are stored.
            let _ = store.dispatch(Action::Sample(SampleAction::Stop));
        })
    };
    let on_count = {
        let count = count.clone();
        Callback::from(move |e: Event| count.set(event_value(&e)))
    };
    let on_rate = {
        let rate = rate.clone();
        Callback::from(move |e: Event| rate.set(event_value(&e)))
    };
    let shown = match &*refused {
        Some(refused) => Some(SampleStatus::Failed(refused.to_string())),
        None => status,
    };

    html! {
        <section class="card form-grid one-column sample-panel" aria-labelledby="sample-title">
            <h2 id="sample-title">{ "Sample data" }</h2>
            <p class="fine-print">{ "Retail orders in the course's shape, keyed by customer_id, like Confluent's Datagen connector. Seed 42: the same orders every time." }</p>
            <form class="inline-form" onsubmit={on_generate} aria-label="Generate sample orders">
                <label>{ "Orders (up to 1,000,000)" }
                    <input name="sample-count" inputmode="numeric" value={(*count).clone()} oninput={typed(on_count)} disabled={running} />
                </label>
                <button type="submit" class="primary" disabled={running}>{ "Generate" }</button>
            </form>
            <form class="inline-form" onsubmit={on_steady} aria-label="Produce at a steady rate">
                <label>{ "Or a steady rate, orders a second" }
                    <input name="sample-rate" inputmode="numeric" value={(*rate).clone()} oninput={typed(on_rate)} disabled={running} />
                </label>
                <button type="submit" disabled={running}>{ "Start" }</button>
            </form>
            { match &shown {
                None => html! {},
                Some(SampleStatus::Running { text, percent }) => html! {
                    <div class="sample-progress" role="status" data-testid="sample-status" data-state="running">
                        if let Some(p) = percent {
                            <progress max="100" value={format!("{p:.1}")} aria-label="Sample orders produced" data-testid="sample-progress" />
                        } else {
                            <progress aria-label="Producing at a steady rate" />
                        }
                        <span>{ text }</span>
                        <button type="button" class="danger" onclick={on_cancel}>{ if steady { "Stop" } else { "Cancel" } }</button>
                    </div>
                },
                Some(SampleStatus::Storing(text)) => html! {
                    <div class="sample-progress" role="status" data-testid="sample-status" data-state="storing">
                        <progress aria-label="Storing the sample orders" />
                        <span>{ text }</span>
                    </div>
                },
                Some(SampleStatus::Done(text)) => html! {
                    <div class="sample-progress" role="status" data-testid="sample-status" data-state="done">
                        <progress max="100" value="100" aria-label="Sample orders produced" data-testid="sample-progress" />
                        <span>{ text }</span>
                    </div>
                },
                Some(SampleStatus::Failed(text)) => html! { <p class="notice error" role="alert" data-testid="sample-status" data-state="failed">{ text }</p> },
            } }
        </section>
    }
}
