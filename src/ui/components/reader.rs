//! The standalone reader's panel on the consumer-groups page: pick a topic and partitions,
//! Assign, seek (beginning, end, an offset, a time), Step (one record) or Poll (up to
//! `max.poll.records`), and see its positions and the records it read — with the reminder that
//! it joins no group and commits nothing, so the groups' offsets and lag stay where they are.
//!
//! Owns the panel's form state. Must not hold reading logic nor the reader: every action goes
//! to the engine's reader ([`crate::playground::reader::Reader`]) as a [`ReaderAction`].

use yew::prelude::*;

use crate::playground::action::ReaderAction;
use crate::playground::reader::Reader;
use crate::playground::{Action, Area};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{said, use_area, Said};

/// The seeks offered, as `(value, label)`.
const SEEKS: [(&str, &str); 4] = [
    ("beginning", "the beginning"),
    ("end", "the end"),
    ("offset", "offset…"),
    ("timestamp", "a time…"),
];

/// Props of [`StandaloneReader`].
#[derive(Properties, PartialEq)]
pub struct StandaloneReaderProps {
    /// The topics a learner can read.
    pub topics: Vec<String>,
}

/// The standalone reader: assign + seek, no group.
#[function_component(StandaloneReader)]
pub fn standalone_reader(props: &StandaloneReaderProps) -> Html {
    // The reader's positions, the topics' partition counts it offers, and their high
    // watermarks (records).
    let store = use_area(vec![Area::Reader, Area::Topics, Area::Records]);
    let topic = use_state(String::new);
    let picked = use_state(|| None::<Vec<i32>>);
    let seek_kind = use_state(|| "beginning".to_owned());
    let seek_text = use_state(String::new);
    let seek_partition = use_state(|| "all".to_owned());
    let max_records = use_state(|| "10".to_owned());
    let outcome = use_state(|| None::<Said>);

    let chosen = if props.topics.contains(&*topic) {
        (*topic).clone()
    } else {
        props.topics.first().cloned().unwrap_or_default()
    };
    let count = store.read().partition_count(&chosen);
    let partitions: Vec<i32> = (*picked).clone().unwrap_or_else(|| (0..count).collect());

    let run = |action: ReaderAction| {
        let (store, outcome) = (store.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            outcome.set(Some(said(store.dispatch(Action::Reader(action.clone())))));
        })
    };
    let on_topic = {
        let (topic, picked) = (topic.clone(), picked.clone());
        Callback::from(move |e: Event| {
            topic.set(event_value(&e));
            picked.set(None);
        })
    };
    let toggle = |p: i32| {
        let (picked, partitions) = (picked.clone(), partitions.clone());
        Callback::from(move |_: Event| {
            let mut next = partitions.clone();
            if next.contains(&p) {
                next.retain(|&q| q != p);
            } else {
                next.push(p);
                crate::sort::sort(&mut next);
            }
            picked.set(Some(next));
        })
    };
    let on_assign = run(ReaderAction::Assign {
        topic: chosen.clone(),
        partitions: partitions.clone(),
    });
    let on_seek = run(ReaderAction::Seek {
        partition: seek_partition.parse::<i32>().ok(),
        kind: (*seek_kind).clone(),
        text: (*seek_text).clone(),
    });
    let on_step = run(ReaderAction::Poll {
        max_records: "1".to_owned(),
    });
    let on_poll = run(ReaderAction::Poll {
        max_records: (*max_records).clone(),
    });
    let text_setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(event_value(&e)))
    };

    let playground = store.read();
    let reader = playground.reader();
    let positions = reader.map(Reader::positions).unwrap_or_default();
    let records: Vec<_> = reader
        .map(|r| r.records().cloned().collect())
        .unwrap_or_default();
    let total = reader.map_or(0, Reader::total_read);
    let assigned = !positions.is_empty();
    let needs_text = matches!(seek_kind.as_str(), "offset" | "timestamp");

    html! {
        <section class="card reader" aria-labelledby="reader-title" data-testid="reader">
            <h2 id="reader-title">{ "Standalone reader" }</h2>
            <p class="fine-print reader-why">{ "Browsing is not consuming. This reader uses assign and seek with no group.id: \
                it joins no group and commits nothing, so no group's committed offsets or lag move while it reads." }</p>
            <div class="reader-body">
            <div class="reader-controls">
            <div class="reader-form">
                <label>{ "Topic" }
                    <select name="reader-topic" onchange={on_topic}>
                        { for props.topics.iter().map(|t| html! { <option value={t.clone()} selected={*t == chosen}>{ t }</option> }) }
                    </select>
                </label>
                <fieldset class="reader-partitions">
                    <legend>{ "Partitions" }</legend>
                    { for (0..count).map(|p| html! {
                        <label class="toggle"><input type="checkbox" name="reader-partition" value={p.to_string()}
                            checked={partitions.contains(&p)} onchange={toggle(p)} />{ format!(" {p}") }</label>
                    }) }
                </fieldset>
                <button type="button" onclick={on_assign} disabled={chosen.is_empty()} data-testid="reader-assign">{ "Assign" }</button>
            </div>
            if assigned {
                <div class="reader-form">
                    <label>{ "Seek to" }
                        <select name="seek-kind" onchange={text_setter(&seek_kind)}>
                            { for SEEKS.iter().map(|(v, l)| html! { <option value={*v} selected={*seek_kind == *v}>{ *l }</option> }) }
                        </select>
                    </label>
                    if needs_text {
                        <label>{ if *seek_kind == "offset" { "Offset" } else { "Time (UTC or ms)" } }
                            <input name="seek-value" value={(*seek_text).clone()} oninput={typed(text_setter(&seek_text))}
                                placeholder={if *seek_kind == "offset" { "12" } else { "2026-11-26 12:00:00" }} autocomplete="off" />
                        </label>
                    }
                    <label>{ "on" }
                        <select name="seek-partition" onchange={text_setter(&seek_partition)}>
                            <option value="all" selected={*seek_partition == "all"}>{ "every assigned partition" }</option>
                            { for positions.iter().map(|p| {
                                let value = p.partition.partition.to_string();
                                html! { <option value={value.clone()} selected={*seek_partition == value}>{ p.partition.to_string() }</option> }
                            }) }
                        </select>
                    </label>
                    <button type="button" onclick={on_seek} data-testid="reader-seek">{ "Seek" }</button>
                </div>
                <div class="reader-form">
                    <button type="button" onclick={on_step} data-testid="reader-step">{ "Step (1 record)" }</button>
                    <label title="max.poll.records: at most this many records one poll() returns">{ "max.poll.records" }
                        <input name="reader-max-poll-records" type="number" min="1" value={(*max_records).clone()} oninput={typed(text_setter(&max_records))} />
                    </label>
                    <button type="button" class="primary" onclick={on_poll} data-testid="reader-poll">{ "Poll" }</button>
                </div>
            }
            { match &*outcome {
                Some(Ok(m)) => html! { <p class="notice ok" role="status" data-testid="reader-result">{ m }</p> },
                Some(Err(refused)) => html! { <p class="notice error" role="alert" data-testid="reader-result">{ refused.to_string() }</p> },
                None => html! {},
            } }
            </div>
            if assigned {
                <div class="reader-output">
                <table class="data reader-positions" data-testid="reader-positions">
                    <thead><tr><th>{ "Partition" }</th><th>{ "Position" }</th><th>{ "Log start" }</th><th>{ "High watermark" }</th></tr></thead>
                    <tbody>
                        { for positions.iter().map(|p| html! {
                            <tr>
                                <td>{ p.partition.to_string() }</td>
                                <td class="position">{ p.position.map_or("-".to_owned(), |o| o.to_string()) }</td>
                                <td>{ p.log_start }</td>
                                <td>{ p.log_end }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <p class="muted">{ format!("{total} record(s) read since the assignment; the newest first:") }</p>
                <ol class="reader-records" data-testid="reader-records">
                    { for records.iter().map(|r| html! {
                        <li title={r.time.clone()}>
                            <span class="where">{ format!("p{} @{}", r.partition, r.offset) }</span>
                            <span class="key">{ &r.key }</span>
                            <span class="value">{ &r.value }</span>
                        </li>
                    }) }
                </ol>
                </div>
            }
            </div>
        </section>
    }
}
