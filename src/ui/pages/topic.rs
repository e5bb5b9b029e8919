//! One topic: its partitions as lanes of records ([`super::topic_lanes`]), a produce panel that says where each record
//! went and why, sample data and a JSON-lines import, the topic's actions (add partitions,
//! delete), a virtualised message browser and the record drawer (click any record).

use yew::prelude::*;

use crate::partitioner::PartitionerKind;
use crate::playground::action::GroupAction;
use crate::playground::forms::{ProduceForm, ValueFormat};
use crate::playground::{Action, Area, PlaygroundError};
use crate::ui::components::records::{ImportPanel, MessageBrowser, RecordDrawer, SamplePanel};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{said, use_area, use_view, Said};
use crate::ui::model::{Page, ViewAction};

use super::topic_lanes::TopicLanes;

/// Props of [`TopicPage`].
#[derive(Properties, PartialEq)]
pub struct TopicPageProps {
    /// The topic's name, from the URL.
    pub name: String,
}

/// The topic page.
#[function_component(TopicPage)]
pub fn topic_page(props: &TopicPageProps) -> Html {
    // The lanes re-render by themselves (`TopicLanes`); the page shows the topic's shape,
    // recovery notes (storage), and the latest produce and its acknowledgement.
    let store = use_area(vec![Area::Topics, Area::Producer, Area::Storage]);
    let view = use_view();
    let form = use_state(|| ProduceForm {
        key: "11599".to_owned(),
        value: r#"{"order_id": 1, "customer_id": 11599, "city": "Chicago"}"#.to_owned(),
        ..ProduceForm::default()
    });
    let produced = use_state(|| None::<Said>);
    {
        // A new produce result (or refusal) is brought into view: on a laptop screen it sits
        // below the fold, behind the terminal bar. `scroll-margin-bottom` keeps it above the bar.
        let shown = (*produced).clone();
        use_effect_with(shown, |shown| {
            if shown.is_some() {
                if let Some(result) = gloo::utils::document()
                    .query_selector("[data-testid=\"produce-result\"]")
                    .ok()
                    .flatten()
                {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    result.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        });
    }
    let action = use_state(|| None::<Said>);
    let new_total = use_state(String::new);
    let confirming_delete = use_state(|| false);
    let selected = use_state(|| None::<(i32, i64)>);
    {
        // Another topic: the drawer's record belonged to the last one.
        let selected = selected.clone();
        use_effect_with(props.name.clone(), move |_| selected.set(None));
    }

    // The groups' committed offsets (read back from __consumer_offsets) mark the lanes: load
    // the group service once the page opens, as the groups page does.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            if store.read().groups().is_none() {
                // A refusal (a read-only tab) leaves the lanes without marks; nothing to say.
                let _ = store.dispatch(Action::Group(GroupAction::Load));
            }
        });
    }

    let name = props.name.clone();
    let description = store.read().describe_topic(&name);
    let Ok(description) = description else {
        return html! {
            <section>
                <h1>{ format!("Topic {name}") }</h1>
                <p class="notice error" role="alert">{ format!("Topic '{name}' does not exist. It may have been deleted, or the link has a typo.") }</p>
                <p><a href="#/topics">{ "Back to the topics" }</a></p>
            </section>
        };
    };
    let partitioner = store.read().partitioner_kind();
    let recovered = store.read().recovery_notes(&name).to_vec();

    let edit = |apply: fn(&mut ProduceForm, String)| {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            apply(&mut next, event_value(&event));
            form.set(next);
        })
    };
    let on_produce = {
        let (store, form, produced, name) =
            (store.clone(), form.clone(), produced.clone(), name.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let form = (*form).clone();
            let topic = name.clone();
            produced.set(Some(said(store.dispatch(Action::Produce { topic, form }))));
        })
    };
    let on_partitioner = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let chosen = event_value(&event);
            if let Some(kind) = PartitionerKind::ALL
                .into_iter()
                .find(|k| k.name() == chosen)
            {
                // Choosing a partitioner cannot be refused.
                let _ = store.dispatch(Action::SetPartitioner(kind));
            }
        })
    };
    let on_grow = {
        let (store, action, new_total, name) = (
            store.clone(),
            action.clone(),
            new_total.clone(),
            name.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (topic, total) = (name.clone(), (*new_total).clone());
            action.set(Some(said(
                store.dispatch(Action::AddPartitions { topic, total }),
            )));
        })
    };
    let on_total = {
        let new_total = new_total.clone();
        Callback::from(move |event: Event| new_total.set(event_value(&event)))
    };
    let ask_delete = {
        let confirming_delete = confirming_delete.clone();
        Callback::from(move |_| confirming_delete.set(true))
    };
    let cancel_delete = {
        let confirming_delete = confirming_delete.clone();
        Callback::from(move |_| confirming_delete.set(false))
    };
    let confirm_delete = {
        let (store, view, action, name) =
            (store.clone(), view.clone(), action.clone(), name.clone());
        Callback::from(move |_| {
            let topic = name.clone();
            let outcome = said(store.dispatch(Action::DeleteTopic { topic }));
            let deleted = outcome.is_ok();
            action.set(Some(outcome));
            if deleted {
                let _ = gloo::utils::window().location().set_hash("#/topics");
                view.dispatch(ViewAction::Open(Page::Topics));
            }
        })
    };

    let on_open = {
        let selected = selected.clone();
        Callback::from(move |at: (i32, i64)| selected.set(Some(at)))
    };
    let on_close = {
        let selected = selected.clone();
        Callback::from(move |()| selected.set(None))
    };
    html! {
        <section aria-labelledby="topic-title">
            <p class="crumbs"><a href="#/topics">{ "Topics" }</a>{ " / " }</p>
            <h1 id="topic-title">{ &name }</h1>
            <p class="config-line">
                <span>{ format!("TopicId {}", description.topic_id) }</span>
                <span>{ format!("{} partition(s)", description.partition_count) }</span>
                <span>{ format!("replication factor {}", description.replication_factor) }</span>
                <span>{ if description.configs.is_empty() { "configs: Kafka's defaults".to_owned() } else { format!("configs: {}", description.configs) } }</span>
            </p>

            if !recovered.is_empty() {
                <div class="banner recovery" role="status" data-testid="recovery-notes">
                    <strong>{ "When this page was opened, recovery dropped a damaged tail from this topic's log:" }</strong>
                    <ul>{ for recovered.iter().map(|line| html! { <li>{ line }</li> }) }</ul>
                    <p>{ "A write torn by a crash or a full disk is cut at the last whole batch, as Kafka's log recovery cuts a corrupt segment tail. Records acknowledged as stored are never in such a tail." }</p>
                </div>
            }

            <div class="topic-layout">
                <TopicLanes name={name.clone()} on_open={on_open.clone()} />
                <aside class="side-panel">
                    <form class="card form-grid one-column" onsubmit={on_produce} aria-label="Produce a record">
                        <h2>{ "Produce" }</h2>
                        <label>{ "Key (empty = null key)" }
                            <input name="key" value={form.key.clone()} oninput={typed(edit(|f, v| f.key = v))} autocomplete="off" />
                        </label>
                        <label>{ "Value" }
                            <textarea name="value" rows="5" value={form.value.clone()} oninput={typed(edit(|f, v| f.value = v))} />
                        </label>
                        <label>{ "Value format" }
                            <select name="format" onchange={edit(|f, v| f.format = if v == "text" { ValueFormat::Text } else { ValueFormat::Json })}>
                                <option value="json" selected={form.format == ValueFormat::Json}>{ "JSON (validated)" }</option>
                                <option value="text" selected={form.format == ValueFormat::Text}>{ "Plain text" }</option>
                            </select>
                        </label>
                        <label>{ "Headers (name: value per line)" }
                            <textarea name="headers" rows="2" value={form.headers.clone()} oninput={typed(edit(|f, v| f.headers = v))} />
                        </label>
                        <label>{ "Partition (empty = let the partitioner choose)" }
                            <input name="partition" value={form.partition.clone()} oninput={typed(edit(|f, v| f.partition = v))} inputmode="numeric" />
                        </label>
                        <label>{ "Partitioner" }
                            <select name="partitioner" onchange={on_partitioner}>
                                { for PartitionerKind::ALL.into_iter().map(|k| html! {
                                    <option value={k.name()} selected={k == partitioner}>{ format!("{} — {}", k.name(), k.describe()) }</option>
                                }) }
                            </select>
                        </label>
                        <button type="submit" class="primary">{ "Produce" }</button>
                        { match &*produced {
                            Some(Ok(message)) => {
                                let playground = store.read();
                                let status = playground.last_produce().filter(|p| &p.message == message);
                                let acknowledged = status.is_some_and(|p| p.acknowledged);
                                let arithmetic = status.and_then(|p| p.arithmetic.clone()).map(|a| html! {
                                    <span class="arithmetic" data-testid="produce-arithmetic">{ a }</span>
                                });
                                match status.and_then(|p| p.failed.clone()) {
                                    // The flush meant to store it failed: the delivery callback's error.
                                    Some(failure) => html! {
                                        <p class="notice error" role="alert" data-testid="produce-result">
                                            { message }
                                            <strong>{ " ✗ not stored" }</strong>
                                            <span class="ack failed" data-testid="produce-ack">{ format!(" — {failure}") }</span>
                                            { arithmetic }
                                        </p>
                                    },
                                    None => html! {
                                        <p class="notice ok" role="status" data-testid="produce-result">
                                            { message }
                                            <span class="ack" data-testid="produce-ack">{ if acknowledged { " ✓ stored" } else { " … storing" } }</span>
                                            { arithmetic }
                                        </p>
                                    },
                                }
                            }
                            // Kafka's error name first; a read-only tab's reason as its banner says it.
                            Some(Err(refused @ PlaygroundError::ReadOnly { .. })) => html! { <p class="notice error" role="alert" data-testid="produce-result">{ refused.to_string() }</p> },
                            Some(Err(refused)) => html! { <p class="notice error" role="alert" data-testid="produce-result">{ refused.named() }</p> },
                            None => html! {},
                        } }
                    </form>

                    <SamplePanel topic={name.clone()} />
                    <ImportPanel topic={name.clone()} />

                    <div class="card form-grid one-column">
                        <h2>{ "Topic actions" }</h2>
                        <form onsubmit={on_grow} class="inline-form" aria-label="Add partitions">
                            <label>{ "Grow to" }
                                <input name="partitions" type="number" min="1" value={(*new_total).clone()} oninput={typed(on_total)}
                                    placeholder={(description.partition_count + 1).to_string()} />
                            </label>
                            <button type="submit">{ "Add partitions" }</button>
                        </form>
                        <p class="fine-print">{ "Kafka never removes partitions. Adding some changes where keys map from now on; records already written stay put." }</p>
                        if *confirming_delete {
                            <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
                                <p>{ format!("Delete {name} and all its records? This cannot be undone.") }</p>
                                <button type="button" class="danger" onclick={confirm_delete}>{ "Delete for good" }</button>
                                <button type="button" onclick={cancel_delete}>{ "Keep it" }</button>
                            </div>
                        } else {
                            <button type="button" class="danger" onclick={ask_delete}>{ "Delete topic…" }</button>
                        }
                        { match &*action {
                            Some(Ok(message)) => html! { <pre class="notice ok" role="status">{ message }</pre> },
                            Some(Err(refused)) => html! { <p class="notice error" role="alert">{ refused.to_string() }</p> },
                            None => html! {},
                        } }
                    </div>
                </aside>
            </div>

            <MessageBrowser topic={name.clone()} on_open={on_open} selected={*selected} />
            if let Some((partition, offset)) = *selected {
                <RecordDrawer topic={name.clone()} {partition} {offset} on_close={on_close} />
            }
        </section>
    }
}
