//! The first screen: what Brooklet is, the cluster as it stands, and what just happened.

use yew::prelude::*;

use crate::playground::engine::human_bytes;
use crate::playground::Area;
use crate::ui::context::{use_area, use_playground};

/// Deletes every topic, record and offset, after a confirmation.
#[function_component(ResetPlayground)]
fn reset_playground() -> Html {
    let store = use_playground();
    let confirming = use_state(|| false);
    let failure = use_state(|| None::<String>);
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(true))
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(false))
    };
    let reset = {
        let (store, failure) = (store.clone(), failure.clone());
        Callback::from(move |_| {
            let (persistence, failure) = (store.persistence.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(error) = persistence.reset_playground().await {
                    failure.set(Some(error.to_string()));
                }
            });
        })
    };
    html! {
        <section class="card reset" aria-label="Reset the playground">
            <h2>{ "Start over" }</h2>
            if *confirming {
                <div class="confirm" role="alertdialog" aria-label="Confirm reset">
                    <p>{ "Delete every topic, record and committed offset of this playground? This cannot be undone." }</p>
                    <button type="button" class="danger" onclick={reset}>{ "Delete everything and start over" }</button>
                    <button type="button" onclick={cancel}>{ "Keep my playground" }</button>
                </div>
            } else {
                <button type="button" class="danger" onclick={ask}>{ "Reset the playground…" }</button>
            }
            if let Some(message) = &*failure {
                <p class="notice error" role="alert">{ message }</p>
            }
        </section>
    }
}

/// The overview page.
#[function_component(Overview)]
pub fn overview() -> Html {
    let store = use_area(vec![Area::Topics, Area::Records, Area::Timeline]);
    let playground = store.read();
    let controller = playground.controller_id();
    let rows = playground.topic_rows(false);
    let records: i64 = rows.iter().map(|r| r.records).sum();
    let bytes: u64 = rows.iter().map(|r| r.size_bytes).sum();
    html! {
        <section class="overview" aria-labelledby="overview-title">
            <h1 id="overview-title">{ "Learn Kafka by running it" }</h1>
            <p class="lead">
                { "Brooklet runs a Kafka-faithful broker in WebAssembly inside this tab. Topics, \
                   partitions, offsets and consumer groups behave as they do in Apache Kafka — \
                   the same partitioner, the same assignors, the same command-line output." }
            </p>
            <div class="cards">
                <article class="card" aria-label="Brokers">
                    <h2>{ "Brokers" }</h2>
                    <div class="table-scroll">
                    <table class="data compact">
                        <thead><tr><th>{ "Id" }</th><th>{ "Address" }</th><th>{ "State" }</th></tr></thead>
                        <tbody>
                        { for playground.brokers().iter().map(|b| html! {
                            <tr>
                                <td>{ b.id }{ if Some(b.id) == controller { " (controller)" } else { "" } }</td>
                                <td><code>{ format!("{}:{}", b.host, b.port) }</code></td>
                                <td>{ if b.alive { "up" } else { "down" } }</td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    </div>
                </article>
                <article class="card" aria-label="Broker settings">
                    <h2>{ "Broker settings" }</h2>
                    <table class="data compact">
                        <tbody>
                        { for playground.broker_settings().into_iter().map(|entry| html! {
                            <tr>
                                <td><code>{ breakable_at_dots(entry.name) }</code></td>
                                <td><code>{ entry.value }</code>{ if entry.is_default { "" } else { " (changed)" } }</td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                </article>
                <article class="card" aria-label="Data">
                    <h2>{ "Data" }</h2>
                    <p class="big-number">{ rows.len() }</p>
                    <p>{ format!("topic(s), holding {records} record(s) in {}", human_bytes(bytes)) }</p>
                    <p><a href="#/topics">{ if rows.is_empty() { "Create your first topic →" } else { "See the topics →" } }</a></p>
                </article>
            </div>
            <h2>{ "A path through the playground" }</h2>
            <ol class="journey">
                <li><strong>{ "Create a topic" }</strong>{ " and choose its partitions, retention and cleanup policy." }</li>
                <li><strong>{ "Produce keyed orders" }</strong>{ " and see which partition each key lands in, and why." }</li>
                <li><strong>{ "Fast-forward the clock" }</strong>{ " (top right) and watch retention delete old segments." }</li>
                <li><strong>{ "Start consumers in a group" }</strong>{ " on the " }<a href="#/groups">{ "Consumer groups" }</a>{ " page: watch the partitions split between them, a crash or a leave move them, and a fourth consumer on three partitions wait idle." }</li>
                <li><strong>{ "Type Kafka's own kafka-*.sh commands" }</strong>{ " on the " }<a href="#/terminal">{ "Terminal" }</a>{ " page, or in the dock at the bottom of every page (“Show the terminal”)." }</li>
            </ol>
            <h2>{ "Timeline" }</h2>
            if playground.timeline().is_empty() {
                <p class="muted">{ "Nothing has happened yet. Every change to the cluster will be told here in plain words." }</p>
            } else {
                <ol class="timeline" reversed=true>
                    { for playground.timeline().iter().rev().take(20).map(|event| html! { <li>{ event.to_string() }</li> }) }
                </ol>
            }
            <ResetPlayground />
            <p class="fine-print">
                { "Where Brooklet differs from a real cluster on purpose — one process plays every \
                   broker, and the log lives in this browser's IndexedDB rather than on a disk — \
                   the page says so. Close the tab and come back: the log is still here." }
            </p>
        </section>
    }
}

/// A config name that may wrap only after its dots (`auto.leader.rebalance.<wbr>enable`), so a
/// narrow card breaks it between words, never inside one.
fn breakable_at_dots(name: &str) -> Html {
    name.split_inclusive('.')
        .map(|part| html! { <>{ part }<wbr /></> })
        .collect::<Html>()
}
