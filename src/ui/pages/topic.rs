//! One topic: its partitions as lanes of records (with marks for log start, high watermark,
//! log end, segment starts, each group's committed offset and each live consumer's position),
//! a produce panel that says where each record
//! went and why, sample data and a JSON-lines import, the topic's actions (add partitions,
//! delete), a virtualised message browser and the record drawer (click any record).

use yew::prelude::*;

use crate::partitioner::PartitionerKind;
use crate::playground::forms::{ProduceForm, ValueFormat};
use crate::playground::lane_marks::{place, LaneMark, MarkKind};
use crate::ui::components::records::{ImportPanel, MessageBrowser, RecordDrawer, SamplePanel};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{after_change, use_playground, use_view};
use crate::ui::model::{Page, ViewAction};

/// How many of the newest records each lane shows.
const LANE_CELLS: i64 = 40;

/// One mark in a lane: a group's committed offset or a live consumer's position.
fn mark_view(mark: &LaneMark) -> Html {
    let class = match &mark.kind {
        MarkKind::Committed { .. } => classes!("mark", "mark-committed"),
        MarkKind::Position { colour, .. } => {
            classes!("mark", "mark-position", format!("member-{colour}"))
        }
    };
    html! {
        <li {class} title={mark.explain()} data-offset={mark.offset.to_string()}>{ mark.label() }</li>
    }
}

/// The legend above the lanes: what each mark means. Its samples are written with
/// placeholders (`‹group› committed ‹offset›`), so they cannot be taken for this topic's data.
fn legend(has_marks: bool) -> Html {
    html! {
        <div class="lane-legend" aria-label="What the marks in the lanes mean" data-testid="lane-legend">
            <strong class="legend-title">{ "Legend" }</strong>
            <span><span class="swatch swatch-segment" aria-hidden="true"></span>{ "a segment starts here" }</span>
            <span><span class="mark mark-bound legend-sample">{ "log start ‹n›" }</span>{ " first offset still held" }</span>
            <span><span class="mark mark-bound legend-sample">{ "HW ‹n›" }</span>{ " high watermark: consumers read up to here" }</span>
            <span><span class="mark mark-bound legend-sample">{ "LEO ‹n›" }</span>{ " log end offset (equals HW on one broker)" }</span>
            <span><span class="mark mark-committed legend-sample">{ "‹group› committed ‹n›" }</span>{ " a group's committed offset: the next record it reads after a restart" }</span>
            <span><span class="mark mark-position member-0 legend-sample">{ "‹consumer› at ‹n›" }</span>{ " a live consumer's position (its colour on the groups page)" }</span>
            if !has_marks {
                <span class="muted">{ "No group has read this topic yet: start consumers on the " }<a href="#/groups">{ "Consumer groups" }</a>{ " page to see them here." }</span>
            }
        </div>
    }
}

/// Props of [`TopicPage`].
#[derive(Properties, PartialEq)]
pub struct TopicPageProps {
    /// The topic's name, from the URL.
    pub name: String,
}

/// The topic page.
#[function_component(TopicPage)]
pub fn topic_page(props: &TopicPageProps) -> Html {
    let store = use_playground();
    let view = use_view();
    let form = use_state(|| ProduceForm {
        key: "11599".to_owned(),
        value: r#"{"order_id": 1, "customer_id": 11599, "city": "Chicago"}"#.to_owned(),
        ..ProduceForm::default()
    });
    let produced = use_state(|| None::<Result<String, String>>);
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
    let action = use_state(|| None::<Result<String, String>>);
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
            let fresh = store.playground.borrow().groups().is_none();
            let loaded = store.playground.borrow_mut().with_groups(|_| Ok(()));
            if fresh && loaded.is_ok() {
                after_change(&store);
            }
        });
    }

    let name = props.name.clone();
    let lanes = store.playground.borrow().lanes(&name, LANE_CELLS);
    let marks = store
        .playground
        .borrow()
        .groups()
        .map(|g| g.lane_marks(&name))
        .unwrap_or_default();
    let description = store
        .playground
        .borrow()
        .broker()
        .borrow()
        .describe_topic(&name);
    let (Ok(lanes), Ok(description)) = (lanes, description) else {
        return html! {
            <section>
                <h1>{ format!("Topic {name}") }</h1>
                <p class="notice error" role="alert">{ format!("Topic '{name}' does not exist. It may have been deleted, or the link has a typo.") }</p>
                <p><a href="#/topics">{ "Back to the topics" }</a></p>
            </section>
        };
    };
    let partitioner = store.playground.borrow().partitioner_kind();
    let recovered = store.playground.borrow().recovery_notes(&name).to_vec();

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
            produced.set(Some(store.playground.borrow_mut().produce(&name, &form)));
            after_change(&store);
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
                store.playground.borrow_mut().set_partitioner(kind);
                after_change(&store);
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
            action.set(Some(
                store
                    .playground
                    .borrow_mut()
                    .add_partitions(&name, &new_total),
            ));
            after_change(&store);
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
            let outcome = store.playground.borrow_mut().delete_topic(&name);
            let deleted = outcome.is_ok();
            action.set(Some(outcome));
            after_change(&store);
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
    let open_cell = |at: (i32, i64)| {
        let (on_click, on_key) = (on_open.clone(), on_open.clone());
        let click = Callback::from(move |_: MouseEvent| on_click.emit(at));
        let key = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_key.emit(at);
            }
        });
        (click, key)
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
                <div class="lanes" aria-label="Partitions">
                    { legend(!marks.is_empty()) }
                    { for lanes.iter().map(|lane| {
                        let offsets: Vec<i64> = lane.cells.iter().map(|c| c.offset).collect();
                        let slots = place(&marks, lane.partition, &offsets);
                        let at_start = lane.cells.first().is_some_and(|c| c.offset == lane.log_start_offset);
                        html! {
                        <div class="lane" data-partition={lane.partition.to_string()}>
                            <div class="lane-head">
                                <strong>{ format!("Partition {}", lane.partition) }</strong>
                                <span>{ format!("leader {}", lane.leader.map_or("none".to_owned(), |l| l.to_string())) }</span>
                                <span title="The first offset still held; retention moves it">{ format!("log start {}", lane.log_start_offset) }</span>
                                <span title="Consumers read up to here">{ format!("high watermark {}", lane.high_watermark) }</span>
                                <span>{ format!("log end {}", lane.log_end_offset) }</span>
                                <span>{ format!("{} segment(s)", lane.segments) }</span>
                            </div>
                            <ol class="cells">
                                if lane.log_start_offset > 0 && at_start {
                                    <li class="cell removed" title="Deleted by retention">{ format!("0–{}", lane.log_start_offset - 1) }</li>
                                }
                                if at_start || lane.cells.is_empty() {
                                    <li class="mark mark-bound" title="Log start offset: the first offset still held">{ format!("log start {}", lane.log_start_offset) }</li>
                                }
                                { for lane.cells.iter().zip(&slots).map(|(cell, before)| {
                                    let (onclick, onkeydown) = open_cell((lane.partition, cell.offset));
                                    html! {
                                        <>
                                        { for before.iter().map(mark_view) }
                                        <li class={classes!("cell", cell.colour.map(|c| format!("key-{c}")), cell.segment_start.then_some("segment-start"))}
                                            title={format!("offset {} · key {} · {}", cell.offset, cell.key, cell.value_preview)}
                                            role="button" tabindex="0" {onclick} {onkeydown}>
                                            <span class="offset">{ cell.offset }</span>
                                            <span class="key">{ &cell.key }</span>
                                        </li>
                                        </>
                                    }
                                }) }
                                if lane.cells.is_empty() {
                                    <li class="cell empty">{ "empty" }</li>
                                }
                                { for slots.last().into_iter().flatten().map(mark_view) }
                                <li class="mark mark-bound" title="High watermark: consumers read up to here; the next record produced gets this offset">{ format!("HW {}", lane.high_watermark) }</li>
                                if lane.log_end_offset != lane.high_watermark {
                                    <li class="mark mark-bound" title="Log end offset">{ format!("LEO {}", lane.log_end_offset) }</li>
                                }
                            </ol>
                        </div>
                    } }) }
                </div>

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
                                let playground = store.playground.borrow();
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
                            Some(Err(message)) => html! { <p class="notice error" role="alert" data-testid="produce-result">{ message }</p> },
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
                            Some(Err(message)) => html! { <p class="notice error" role="alert">{ message }</p> },
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
