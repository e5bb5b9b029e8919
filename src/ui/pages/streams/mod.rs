//! The Streams page: Spark Structured Streaming over this tab's topics — sample notebooks that
//! load with one click, a notebook of PySpark and SQL cells whose results are tables, and a
//! card per query of the notebook's session (plan, batches, progress, state, buttons).
//!
//! Owns the page's layout and turning clicks and keys into [`NotebookAction`]s. Must not hold
//! Spark or notebook logic: the engine's notebook runs the cells and builds the cards.

mod cell;
mod query_card;
mod result_table;

use yew::prelude::*;

use crate::playground::action::{Action, NotebookAction};
use crate::playground::notebook::{CellKind, SAMPLES};
use crate::playground::Area;
use crate::ui::context::{said, use_area, PlaygroundHandle, Said};

use cell::CellView;
use query_card::QueryCardView;

/// Dispatches a notebook action and keeps its answer for the page to show.
fn run(store: &PlaygroundHandle, outcome: &UseStateHandle<Option<Said>>, action: NotebookAction) {
    let answer = said(store.dispatch(Action::Notebook(action)));
    // Typing says nothing; keep the last message then, but show any refusal.
    match &answer {
        Ok(message) if message.is_empty() => {}
        _ => outcome.set(Some(answer)),
    }
}

/// The Streams page.
#[function_component(StreamsPage)]
pub fn streams_page() -> Html {
    let store = use_area(vec![Area::Streams, Area::Terminal, Area::Storage]);
    let outcome = use_state(|| None::<Said>);
    // The first time: put back the cells an earlier visit kept.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            if !store.read().notebook().is_restored() {
                let cells = crate::ui::notebook_storage::load();
                // Putting cells back cannot be refused.
                let _ = store.dispatch(Action::Notebook(NotebookAction::Restore { cells }));
            }
        });
    }
    let (cells, cards, terminal_cards, notice, read_only) = {
        let playground = store.read();
        let notebook = playground.notebook();
        (
            notebook.cells().to_vec(),
            notebook.query_cards(),
            playground.terminal_query_cards(),
            notebook.notice().map(str::to_owned),
            playground.read_only().map(str::to_owned),
        )
    };
    let act = {
        let (store, outcome) = (store.clone(), outcome.clone());
        Callback::from(move |action: NotebookAction| run(&store, &outcome, action))
    };
    let writable = read_only.is_none();
    let sample_buttons = SAMPLES.iter().map(|sample| {
        let act = act.clone();
        let id = sample.id.to_owned();
        let onclick = Callback::from(move |_: MouseEvent| {
            act.emit(NotebookAction::LoadSample { id: id.clone() });
        });
        html! {
            <li>
                <button type="button" class="sample-notebook" {onclick} data-testid={format!("sample-{}", sample.id)}
                        title={sample.summary} disabled={!writable}>
                    <strong>{ sample.title }</strong>
                    <span>{ sample.summary }</span>
                </button>
            </li>
        }
    });
    let add = |kind: CellKind| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(NotebookAction::AddCell { after: None, kind }))
    };
    let run_all = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(NotebookAction::RunAll))
    };
    let restart = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(NotebookAction::Restart))
    };
    let message = match &*outcome {
        Some(Ok(m)) if !m.is_empty() => {
            html! { <p class="notice ok" role="status" data-testid="streams-said">{ m }</p> }
        }
        Some(Err(refused)) => {
            html! { <p class="notice error" role="alert" data-testid="streams-said">{ refused.to_string() }</p> }
        }
        _ => notice.map_or_else(
            || html! {},
            |n| html! { <p class="notice ok" role="status" data-testid="streams-said">{ n }</p> },
        ),
    };
    html! {
        <section class="streams-page" aria-labelledby="streams-title">
            <h1 id="streams-title">{ "Streams" }</h1>
            <p class="lead">{ "Spark Structured Streaming over this tab's topics, in a notebook: \
                PySpark and SQL cells run in one Spark session, as the course writes them; each \
                streaming query gets a card with its plan, its micro-batches and Spark's progress \
                figures. Its position shows in the topic's lanes. The same engine runs pyspark in \
                the Terminal." }</p>
            if let Some(why) = read_only {
                <p class="notice error" role="alert">{ why }</p>
            }
            <h2 class="samples-title">{ "Sample notebooks" }</h2>
            <ul class="sample-notebooks" aria-label="Sample notebooks">{ for sample_buttons }</ul>
            { message }
            <div class="streams-layout">
                <div class="notebook" aria-label="Notebook">
                    <div class="notebook-bar">
                        <button type="button" class="primary" onclick={run_all} data-testid="run-all">{ "Run all" }</button>
                        <button type="button" onclick={add(CellKind::Python)}>{ "+ Python cell" }</button>
                        <button type="button" onclick={add(CellKind::Sql)}>{ "+ SQL cell" }</button>
                        <button type="button" onclick={restart} title="Stop this notebook's queries and start a new Spark session at the next run (tables and checkpoints stay)">{ "Restart session" }</button>
                    </div>
                    { for cells.iter().enumerate().map(|(i, c)| html! {
                        <CellView key={c.id} cell={c.clone()} position={i + 1} act={act.clone()} />
                    }) }
                </div>
                <aside class="query-cards" aria-label="Streaming queries">
                    <h2>{ "Streaming queries" }</h2>
                    if cards.is_empty() && terminal_cards.is_empty() {
                        <p class="muted">{ "No query yet: run a cell that calls writeStream…start(), or load a sample above." }</p>
                    }
                    { for cards.into_iter().map(|card| {
                        let key = card.id.clone();
                        html! { <QueryCardView {key} {card} act={act.clone()} /> }
                    }) }
                    { for terminal_cards.into_iter().map(|(tab, card)| {
                        let key = format!("terminal-{tab}-{}", card.id);
                        html! { <QueryCardView {key} {card} act={act.clone()} terminal_tab={tab} /> }
                    }) }
                </aside>
            </div>
        </section>
    }
}
