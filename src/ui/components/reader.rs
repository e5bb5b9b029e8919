//! The standalone reader's panel on the consumer-groups page: pick a topic and partitions,
//! Assign, seek (beginning, end, an offset, a time), Step (one record) or Poll (up to
//! `max.poll.records`), and see its positions and the records it read — with the reminder that
//! it joins no group and commits nothing, so the groups' offsets and lag stay where they are.
//!
//! Owns the panel's form state and the reader it keeps while the page is open. Must not hold
//! reading logic: every action goes to [`crate::playground::reader::Reader`].

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::playground::reader::{Reader, SeekTarget};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{use_playground, PlaygroundContext};

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

/// A reader action a button runs.
type ReaderAction = Rc<dyn Fn(&mut Reader) -> Result<String, String>>;

/// Runs `action` on the reader, creating it over the playground's broker first if needed.
fn with_reader(
    store: &PlaygroundContext,
    slot: &Rc<RefCell<Option<Reader>>>,
    action: impl FnOnce(&mut Reader) -> Result<String, String>,
) -> Result<String, String> {
    let mut slot = slot.borrow_mut();
    if slot.is_none() {
        let groups = store
            .playground
            .borrow_mut()
            .with_groups(|g| Ok(g.groups()))?;
        *slot = Some(Reader::new(groups));
    }
    match slot.as_mut() {
        Some(reader) => action(reader),
        None => Err("The reader could not start.".to_owned()),
    }
}

/// The standalone reader: assign + seek, no group.
#[function_component(StandaloneReader)]
pub fn standalone_reader(props: &StandaloneReaderProps) -> Html {
    let store = use_playground();
    let slot = use_mut_ref(|| None::<Reader>);
    let topic = use_state(String::new);
    let picked = use_state(|| None::<Vec<i32>>);
    let seek_kind = use_state(|| "beginning".to_owned());
    let seek_text = use_state(String::new);
    let seek_partition = use_state(|| "all".to_owned());
    let max_records = use_state(|| "10".to_owned());
    let outcome = use_state(|| None::<Result<String, String>>);

    let chosen = if props.topics.contains(&*topic) {
        (*topic).clone()
    } else {
        props.topics.first().cloned().unwrap_or_default()
    };
    let count = store
        .playground
        .borrow()
        .broker()
        .borrow()
        .topic(&chosen)
        .map_or(0, |t| t.partition_count());
    let partitions: Vec<i32> = (*picked).clone().unwrap_or_else(|| (0..count).collect());

    let run = |action: ReaderAction| {
        let (store, slot, outcome) = (store.clone(), slot.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            outcome.set(Some(with_reader(&store, &slot, |r| action(r))));
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
                next.sort_unstable();
            }
            picked.set(Some(next));
        })
    };
    let on_assign = {
        let (chosen, partitions) = (chosen.clone(), partitions.clone());
        run(Rc::new(move |r: &mut Reader| {
            r.assign(&chosen, &partitions).map_err(|e| e.to_string())
        }))
    };
    let on_seek = {
        let (kind, text, partition) = (
            (*seek_kind).clone(),
            (*seek_text).clone(),
            (*seek_partition).clone(),
        );
        run(Rc::new(move |r: &mut Reader| {
            let target = SeekTarget::parse(&kind, &text).map_err(|e| e.to_string())?;
            r.seek(partition.parse::<i32>().ok(), target)
                .map_err(|e| e.to_string())
        }))
    };
    let on_step = run(Rc::new(|r: &mut Reader| {
        r.poll(1).map_err(|e| e.to_string())
    }));
    let on_poll = {
        let max = (*max_records).clone();
        run(Rc::new(move |r: &mut Reader| {
            let records = max
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| {
                    format!(
                        "'{}' is not a max.poll.records: write a whole number from 1 up.",
                        max.trim()
                    )
                })?;
            r.poll(records).map_err(|e| e.to_string())
        }))
    };
    let text_setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(event_value(&e)))
    };

    let reader = slot.borrow();
    let positions = reader.as_ref().map(Reader::positions).unwrap_or_default();
    let records: Vec<_> = reader
        .as_ref()
        .map(|r| r.records().cloned().collect())
        .unwrap_or_default();
    let total = reader.as_ref().map_or(0, Reader::total_read);
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
                Some(Err(m)) => html! { <p class="notice error" role="alert" data-testid="reader-result">{ m }</p> },
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
