//! The message browser: seek by offset or timestamp, filter by key, text or a JSON field, and
//! scroll any number of records — only the rows in view are decoded and rendered.
//!
//! Owns the form, the scroll position and the rendering of the visible window. Must not scan
//! or decode itself: `message_browser` builds the row index and decodes the window.

use std::rc::Rc;

use yew::prelude::*;

use crate::playground::browse_error::BrowseError;
use crate::playground::message_browser::{
    visible_window, BrowseForm, BrowseQuery, IndexScan, RowIndex, ScanStep,
};
use crate::playground::record_format::format_utc;
use crate::playground::sample_orders::grouped;
use crate::playground::Area;
use crate::ui::components::{event_value, typed};
use crate::ui::context::use_area;

/// Every row is this tall (px); `www/topic.css` agrees.
const ROW_PX: f64 = 26.0;
/// The scrolling viewport's height (px); `www/topic.css` agrees.
const VIEW_PX: f64 = 416.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 10;

/// A filtered search: its query, the topic's extent it saw, and the rows it found.
#[derive(Clone, PartialEq)]
struct Search {
    topic: String,
    query: BrowseQuery,
    extent: Vec<(i64, i64)>,
    index: Rc<RowIndex>,
}

/// A filtered search waiting for older batches to load from storage, and how far it got.
#[derive(Clone, PartialEq)]
struct Scanning {
    topic: String,
    query: BrowseQuery,
    extent: Vec<(i64, i64)>,
    scan: IndexScan,
    scanned: i64,
    total: i64,
}

/// Why the browser shows no rows.
#[derive(Clone)]
enum NoRows {
    /// The browse was refused.
    Refused(BrowseError),
    /// A filter was typed but not searched yet.
    NotSearched,
    /// The search waits for older batches to load from storage.
    Searching {
        /// Offsets scanned so far.
        scanned: i64,
        /// Offsets to scan in all.
        total: i64,
    },
}

impl std::fmt::Display for NoRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoRows::Refused(error) => error.fmt(f),
            NoRows::NotSearched => f.write_str("Press Browse to search."),
            NoRows::Searching { scanned, total } => write!(
                f,
                "Searching: {} of {} records scanned; older batches are loading from this browser's storage…",
                grouped(u64::try_from(*scanned).unwrap_or(0)),
                grouped(u64::try_from(*total).unwrap_or(0))
            ),
        }
    }
}

/// Props of [`MessageBrowser`].
#[derive(Properties, PartialEq)]
pub struct MessageBrowserProps {
    /// The topic to browse.
    pub topic: String,
    /// Opens a record in the drawer: (partition, offset).
    pub on_open: Callback<(i32, i64)>,
    /// The record the drawer shows, highlighted here.
    pub selected: Option<(i32, i64)>,
}

/// The message browser.
#[function_component(MessageBrowser)]
pub fn message_browser(props: &MessageBrowserProps) -> Html {
    // A search is out of date once records arrive or retention removes some (the topic's
    // partitions), and a search refused while older batches loaded runs again once they are
    // in (storage).
    let store = use_area(vec![Area::Partitions(props.topic.clone()), Area::Storage]);
    let form = use_state(BrowseForm::default);
    let query = use_state(BrowseQuery::default);
    let search = use_state(|| None::<Search>);
    let problem = use_state(|| None::<BrowseError>);
    let scroll_top = use_state(|| 0.0_f64);
    let viewport = use_node_ref();
    // A search that met batches still in storage (after a reload, or evicted from the batch
    // cache): it goes on by itself from where it stopped each time storage loads some, so a
    // learner need not guess when to press Browse again, and a log larger than the cache is
    // read once, in order.
    let scanning = use_state(|| None::<Scanning>);

    let partitions = store.read().partition_count(&props.topic);

    let run = {
        let (store, query, search, problem, scroll_top, viewport, topic, scanning) = (
            store.clone(),
            query.clone(),
            search.clone(),
            problem.clone(),
            scroll_top.clone(),
            viewport.clone(),
            props.topic.clone(),
            scanning.clone(),
        );
        move |next: &BrowseForm| {
            scanning.set(None);
            let wanted = match next.to_query() {
                Ok(q) => q,
                Err(message) => {
                    problem.set(Some(message));
                    return;
                }
            };
            problem.set(None);
            if wanted.filter.is_empty() {
                search.set(None);
            } else {
                let playground = store.read();
                let started = playground
                    .browse_scan(&topic, &wanted)
                    .and_then(|mut scan| {
                        let step = playground.resume_browse_scan(&topic, &mut scan)?;
                        Ok((scan, step))
                    });
                let extent = playground.topic_extent(&topic);
                match started {
                    Ok((_, ScanStep::Done(index))) => search.set(Some(Search {
                        topic: topic.clone(),
                        query: wanted.clone(),
                        extent,
                        index: Rc::new(index),
                    })),
                    Ok((scan, ScanStep::Waiting { scanned, total, .. })) => {
                        search.set(None);
                        scanning.set(Some(Scanning {
                            topic: topic.clone(),
                            query: wanted.clone(),
                            extent,
                            scan,
                            scanned,
                            total,
                        }));
                    }
                    Err(message) => {
                        problem.set(Some(message));
                        return;
                    }
                }
            }
            query.set(wanted);
            scroll_top.set(0.0);
            if let Some(element) = viewport.cast::<web_sys::Element>() {
                element.set_scroll_top(0.0);
            }
        }
    };
    {
        let storage_revision = store.read().revision(&Area::Storage);
        let (store, search, problem, scanning) = (
            store.clone(),
            search.clone(),
            problem.clone(),
            scanning.clone(),
        );
        let waiting = scanning.is_some();
        use_effect_with((storage_revision, waiting), move |_| {
            let Some(mut going) = (*scanning).clone() else {
                return;
            };
            match store
                .read()
                .resume_browse_scan(&going.topic, &mut going.scan)
            {
                Ok(ScanStep::Done(index)) => {
                    search.set(Some(Search {
                        topic: going.topic,
                        query: going.query,
                        extent: going.extent,
                        index: Rc::new(index),
                    }));
                    scanning.set(None);
                }
                Ok(ScanStep::Waiting { scanned, total, .. }) => {
                    going.scanned = scanned;
                    going.total = total;
                    scanning.set(Some(going));
                }
                Err(message) => {
                    problem.set(Some(message));
                    scanning.set(None);
                }
            }
        });
    }
    let on_submit = {
        let (form, run) = (form.clone(), run.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run(&form);
        })
    };
    let on_again = {
        let (form, run) = (form.clone(), run.clone());
        Callback::from(move |_: MouseEvent| run(&form))
    };
    let edit = |apply: fn(&mut BrowseForm, String)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let mut next = (*form).clone();
            apply(&mut next, event_value(&e));
            form.set(next);
        })
    };
    let on_scroll = {
        let (scroll_top, viewport) = (scroll_top.clone(), viewport.clone());
        Callback::from(move |_: Event| {
            if let Some(element) = viewport.cast::<web_sys::Element>() {
                scroll_top.set(element.scroll_top());
            }
        })
    };

    // The rows: spans (cheap, always fresh) without a filter, the last search's matches with one.
    let mut stale = false;
    let index: Result<Rc<RowIndex>, NoRows> = if query.filter.is_empty() {
        store
            .read()
            .browse_index(&props.topic, &query)
            .map(Rc::new)
            .map_err(NoRows::Refused)
    } else {
        match &*search {
            Some(found) if found.query == *query && found.topic == props.topic => {
                stale = found.extent != store.read().topic_extent(&props.topic);
                Ok(Rc::clone(&found.index))
            }
            _ => match &*scanning {
                Some(going) if going.query == *query && going.topic == props.topic => {
                    Err(NoRows::Searching {
                        scanned: going.scanned,
                        total: going.total,
                    })
                }
                _ => Err(NoRows::NotSearched),
            },
        }
    };
    let total = index.as_ref().map_or(0, |i| i.len());
    let window = visible_window(*scroll_top, VIEW_PX, ROW_PX, total, OVERSCAN);
    let shown = match &index {
        Ok(index) => store
            .read()
            .browse_rows(&props.topic, index, window.first, window.count)
            .map_err(NoRows::Refused),
        Err(why) => Err(why.clone()),
    };
    let filtered = !query.filter.is_empty();
    let summary = match &index {
        // No count yet: the search is still going (the rows area says how far).
        Err(NoRows::Searching { .. }) => "Searching…".to_owned(),
        _ => format!(
            "{} record(s){}",
            grouped(total as u64),
            if filtered { " match" } else { "" }
        ),
    };

    html! {
        <section class="card browser" aria-labelledby="browser-title">
            <h2 id="browser-title">{ "Messages" }</h2>
            <form class="browser-form" onsubmit={on_submit} aria-label="Browse messages">
                <label>{ "Partition" }
                    <select name="browse-partition" onchange={edit(|f, v| f.partition = v)}>
                        <option value="all" selected={form.partition == "all"}>{ "all" }</option>
                        { for (0..partitions).map(|p| html! {
                            <option value={p.to_string()} selected={form.partition == p.to_string()}>{ p }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Start at" }
                    <select name="browse-seek" onchange={edit(|f, v| f.seek = v)}>
                        <option value="earliest" selected={form.seek == "earliest"}>{ "earliest" }</option>
                        <option value="offset" selected={form.seek == "offset"}>{ "offset" }</option>
                        <option value="timestamp" selected={form.seek == "timestamp"}>{ "timestamp" }</option>
                    </select>
                </label>
                <label>{ "Offset or time (UTC)" }
                    <input name="browse-at" value={form.at.clone()} oninput={typed(edit(|f, v| f.at = v))}
                        placeholder="500 or 2026-11-26 12:00" autocomplete="off" />
                </label>
                <label>{ "Key is" }
                    <input name="browse-key" value={form.key.clone()} oninput={typed(edit(|f, v| f.key = v))} autocomplete="off" />
                </label>
                <label>{ "Value contains" }
                    <input name="browse-text" value={form.text.clone()} oninput={typed(edit(|f, v| f.text = v))} autocomplete="off" />
                </label>
                <label>{ "JSON field" }
                    <input name="browse-field" value={form.field.clone()} oninput={typed(edit(|f, v| f.field = v))}
                        placeholder="city = Chicago" autocomplete="off" />
                </label>
                <button type="submit" class="primary">{ "Browse" }</button>
            </form>
            if let Some(message) = &*problem {
                <p class="notice error" role="alert" data-testid="browser-problem">{ message.to_string() }</p>
            }
            <p class="browser-summary" role="status">
                <span data-testid="browser-count">{ summary }</span>
                if stale {
                    { " · the topic changed since this search " }
                    <button type="button" class="small" onclick={on_again}>{ "Search again" }</button>
                }
            </p>
            <div class="browser-head" aria-hidden="true">
                <span>{ "partition" }</span><span>{ "offset" }</span><span>{ "time (UTC)" }</span><span>{ "key" }</span><span>{ "value" }</span>
            </div>
            <div class="browser-viewport" ref={viewport} onscroll={on_scroll} tabindex="0" aria-label="Records, scroll for more">
                <div class="browser-spacer" style={format!("height: {}px", window.spacer_px)}>
                    { match shown {
                        Err(why) => html! { <p class="muted browser-empty">{ why.to_string() }</p> },
                        Ok(shown) => {
                            html! {
                                <div class="browser-rows" style={format!("transform: translateY({}px)", window.offset_px)}>
                                    { for shown.into_iter().map(|row| {
                                        let open = {
                                            let on_open = props.on_open.clone();
                                            let at = (row.partition, row.offset);
                                            Callback::from(move |_: MouseEvent| on_open.emit(at))
                                        };
                                        let time = row.timestamp.map(format_utc).map_or(String::new(), |t| t.get(11..23).unwrap_or_default().to_owned());
                                        let selected = props.selected == Some((row.partition, row.offset));
                                        html! {
                                            <button type="button" class={classes!("msg-row", selected.then_some("selected"), row.loading.then_some("loading"))} onclick={open}
                                                data-partition={row.partition.to_string()} data-offset={row.offset.to_string()}>
                                                <span>{ row.partition }</span>
                                                <span>{ row.offset }</span>
                                                <span>{ time }</span>
                                                <span class="msg-key">{ row.key }</span>
                                                <span class="msg-value">{ row.value_preview }</span>
                                            </button>
                                        }
                                    }) }
                                </div>
                            }
                        }
                    } }
                </div>
            </div>
        </section>
    }
}
