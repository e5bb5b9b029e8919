//! The topics page: create a topic (checked as you type, with Kafka's messages) and the table
//! of topics with their partitions, size, retention and cleanup policy.

use yew::prelude::*;

use crate::playground::engine::human_bytes;
use crate::playground::forms::{name_problem, TopicForm, RETENTION_CHOICES};
use crate::playground::{Action, Area};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{said, use_area, Said};

/// The topics page.
#[function_component(Topics)]
pub fn topics() -> Html {
    let store = use_area(vec![Area::Topics, Area::Records]);
    let form = use_state(TopicForm::default);
    let result = use_state(|| None::<Said>);
    let show_internal = use_state(|| false);

    let rows = store.read().topic_rows(*show_internal);
    let existing: Vec<String> = store
        .read()
        .topic_rows(true)
        .into_iter()
        .map(|r| r.name)
        .collect();
    let problem = name_problem(&form.name, existing.iter().map(String::as_str));

    let edit = |apply: fn(&mut TopicForm, String)| {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            apply(&mut next, event_value(&event));
            form.set(next);
        })
    };
    let on_name = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*form).clone();
            next.name = event_value(&event);
            form.set(next);
        })
    };
    let on_submit = {
        let (store, form, result) = (store.clone(), form.clone(), result.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let outcome = said(store.dispatch(Action::CreateTopic((*form).clone())));
            if outcome.is_ok() {
                form.set(TopicForm {
                    name: String::new(),
                    ..(*form).clone()
                });
            }
            result.set(Some(outcome));
        })
    };
    let toggle_internal = {
        let show_internal = show_internal.clone();
        Callback::from(move |_| show_internal.set(!*show_internal))
    };

    html! {
        <section aria-labelledby="topics-title">
            <h1 id="topics-title">{ "Topics" }</h1>
            <form class="card form-grid" onsubmit={on_submit} aria-label="Create a topic">
                <h2>{ "Create a topic" }</h2>
                <label>{ "Name" }
                    <input name="name" value={form.name.clone()} oninput={on_name} placeholder="orders"
                        aria-invalid={problem.is_some().then_some("true")} aria-describedby="name-problem" autocomplete="off" />
                </label>
                <label>{ "Partitions" }
                    <input name="partitions" type="number" min="1" value={form.partitions.clone()}
                        oninput={typed(edit(|f, v| f.partitions = v))} />
                </label>
                <label>{ "Replication factor" }
                    <input name="replication-factor" type="number" min="1" value={form.replication_factor.clone()}
                        oninput={typed(edit(|f, v| f.replication_factor = v))} />
                </label>
                <label>{ "Cleanup policy" }
                    <select name="cleanup-policy" onchange={edit(|f, v| f.cleanup_policy = v)}>
                        { for ["delete", "compact", "compact,delete"].iter().map(|p| html! {
                            <option value={*p} selected={form.cleanup_policy == *p}>{ *p }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Retention" }
                    <select name="retention" onchange={edit(|f, v| f.retention_ms = v)}>
                        { for RETENTION_CHOICES.iter().map(|(label, ms)| html! {
                            <option value={*ms} selected={form.retention_ms == *ms}>{ *label }</option>
                        }) }
                    </select>
                </label>
                <details class="advanced">
                    <summary>{ "Advanced configs" }</summary>
                    <label>{ "One name=value per line, as kafka-topics.sh --config takes them (e.g. segment.bytes=1024, min.compaction.lag.ms=0)" }
                        <textarea name="advanced" rows="3" value={form.advanced.clone()}
                            oninput={typed(edit(|f, v| f.advanced = v))} placeholder="segment.bytes=1024" />
                    </label>
                </details>
                <div class="form-actions">
                    <button type="submit" class="primary">{ "Create topic" }</button>
                </div>
                <p id="name-problem" class="field-problem" aria-live="polite">{ problem.unwrap_or_default() }</p>
                { match &*result {
                    Some(Ok(message)) => html! { <pre class="notice ok" role="status">{ message }</pre> },
                    Some(Err(refused)) => html! { <p class="notice error" role="alert">{ refused.to_string() }</p> },
                    None => html! {},
                } }
            </form>

            <div class="table-head">
                <h2>{ format!("{} topic(s)", rows.len()) }</h2>
                <label class="toggle"><input type="checkbox" checked={*show_internal} onchange={toggle_internal} />{ " Show internal topics" }</label>
            </div>
            if rows.is_empty() {
                <p class="muted">{ "No topics yet. Create one above — try orders with 3 partitions." }</p>
            } else {
                <div class="table-scroll">
                <table class="data topics">
                    <thead><tr>
                        <th>{ "Topic" }</th><th>{ "Partitions" }</th><th>{ "Replication" }</th>
                        <th>{ "Records" }</th><th>{ "Size" }</th><th>{ "Retention" }</th><th>{ "Cleanup" }</th>
                    </tr></thead>
                    <tbody>
                    { for rows.iter().map(|r| html! {
                        <tr>
                            <td><a href={format!("#/topics/{}", r.name)}>{ &r.name }</a>{ if r.internal { " (internal)" } else { "" } }</td>
                            <td>{ r.partitions }</td><td>{ r.replication_factor }</td><td>{ r.records }</td>
                            <td>{ human_bytes(r.size_bytes) }</td><td>{ &r.retention }</td><td>{ &r.cleanup_policy }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                </div>
            }
        </section>
    }
}
