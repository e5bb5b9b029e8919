//! The Streams page: Spark Structured Streaming over this tab's topics — sample notebooks that
//! load with one click, a notebook of PySpark and SQL cells whose results are tables, and a
//! card per query (plan, batches, progress, state, buttons).
//!
//! Owns the page's layout and turning clicks and keys into [`NotebookAction`]s. The cells and
//! the cards re-render on their own areas, so typing in a cell does not redraw the cards. Must
//! not hold Spark or notebook logic: the engine's notebook runs the cells and builds the cards.

mod cell;
mod query_card;
mod result_table;

use yew::prelude::*;

use crate::playground::action::{Action, NotebookAction};
use crate::playground::notebook::{CellKind, SAMPLES};
use crate::playground::Area;
use crate::ui::context::{said, use_area, PlaygroundHandle, Said};
use crate::ui::persistence::StorageMode;

use cell::CellView;
use query_card::QueryCardView;

/// Dispatches a notebook action and keeps its answer for the page to show.
fn run(store: &PlaygroundHandle, outcome: &UseStateHandle<Option<Said>>, action: NotebookAction) {
    let typing = matches!(
        action,
        NotebookAction::Edit { .. }
            | NotebookAction::SetKind { .. }
            | NotebookAction::AddCell { .. }
            | NotebookAction::RemoveCell { .. }
            | NotebookAction::Restore { .. }
    );
    let answer = said(store.dispatch(Action::Notebook(action)));
    // Typing says nothing and keeps the last message; anything else replaces it (a run that
    // says nothing clears an old "Loaded …"), and a refusal always shows.
    match &answer {
        Ok(message) if message.is_empty() && typing => {}
        _ => outcome.set(Some(answer)),
    }
}

/// The Streams page.
#[function_component(StreamsPage)]
pub fn streams_page() -> Html {
    let store = use_area(vec![Area::Storage]);
    let outcome = use_state(|| None::<Said>);
    // The first time: put back the cells an earlier visit kept (only a stored playground
    // keeps them, as it keeps its timelines).
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            if !store.read().notebook().is_restored() {
                let kept = matches!(store.persistence.mode(), StorageMode::Persistent(_));
                let cells = if kept {
                    crate::ui::notebook_storage::load()
                } else {
                    Vec::new()
                };
                // Putting cells back cannot be refused.
                let _ = store.dispatch(Action::Notebook(NotebookAction::Restore { cells }));
            }
        });
    }
    let read_only = store.read().read_only().map(str::to_owned);
    let writable = read_only.is_none();
    let act = {
        let (store, outcome) = (store.clone(), outcome.clone());
        Callback::from(move |action: NotebookAction| run(&store, &outcome, action))
    };
    let sample_buttons = SAMPLES.iter().map(|sample| {
        let (act, store) = (act.clone(), store.clone());
        let (id, title) = (sample.id.to_owned(), sample.title);
        let onclick = Callback::from(move |_: MouseEvent| {
            let replace = !store.read().notebook().has_own_work()
                || gloo::dialogs::confirm(&format!(
                    "Load \"{title}\"? Its cells replace the notebook's, and your cells' text is not kept."
                ));
            if replace {
                act.emit(NotebookAction::LoadSample { id: id.clone() });
            }
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
    let message = match &*outcome {
        Some(Ok(m)) if !m.is_empty() => {
            html! { <p class="notice ok" role="status" data-testid="streams-said">{ m }</p> }
        }
        Some(Err(refused)) => {
            html! { <p class="notice error" role="alert" data-testid="streams-said">{ refused.to_string() }</p> }
        }
        _ => html! {},
    };
    html! {
        <section class="streams-page" aria-labelledby="streams-title">
            <h1 id="streams-title">{ "Streams" }</h1>
            <p class="lead">{ "Spark Structured Streaming over this tab's topics, in a notebook: \
                PySpark and SQL cells run in one Spark session, as the course writes them; each \
                streaming query gets a card with its plan, its micro-batches and Spark's progress \
                figures. Its position shows in the topic's lanes. The Terminal's pyspark runs the \
                same engine in its own session: tables and checkpoints are shared, variables and \
                temporary views are not." }</p>
            if let Some(why) = read_only {
                <p class="notice error" role="alert">{ why }</p>
            }
            <h2 class="samples-title">{ "Sample notebooks" }</h2>
            <ul class="sample-notebooks" aria-label="Sample notebooks">{ for sample_buttons }</ul>
            { message }
            <div class="streams-layout">
                <NotebookView act={act.clone()} {writable} show_notice={outcome.is_none()} />
                <QueryCards {act} {writable} />
            </div>
        </section>
    }
}

/// Props of the page's two halves.
#[derive(Properties, PartialEq)]
struct HalfProps {
    /// Dispatches a notebook action.
    act: Callback<NotebookAction>,
    /// Whether this tab may run anything (it is not read-only).
    writable: bool,
    /// Whether to show the notebook's own notice (cells put back from the last visit): only
    /// while no action of this visit said anything.
    #[prop_or_default]
    show_notice: bool,
}

/// The notebook's cells and their buttons; re-renders when the cells change.
#[function_component(NotebookView)]
fn notebook_view(props: &HalfProps) -> Html {
    let store = use_area(vec![Area::NotebookCells]);
    let (cells, notice) = {
        let playground = store.read();
        let notebook = playground.notebook();
        (
            notebook.cells().to_vec(),
            notebook.notice().map(str::to_owned),
        )
    };
    let act = &props.act;
    let send = |action: NotebookAction| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(action.clone()))
    };
    html! {
        <div class="notebook" aria-label="Notebook">
            if let Some(notice) = notice.filter(|_| props.show_notice) {
                <p class="notice ok" role="status" data-testid="notebook-notice">{ notice }</p>
            }
            <div class="notebook-bar">
                <button type="button" class="primary" onclick={send(NotebookAction::RunAll)}
                        disabled={!props.writable} data-testid="run-all">{ "Run all" }</button>
                <button type="button" onclick={send(NotebookAction::AddCell { after: None, kind: CellKind::Python })}>{ "+ Python cell" }</button>
                <button type="button" onclick={send(NotebookAction::AddCell { after: None, kind: CellKind::Sql })}>{ "+ SQL cell" }</button>
                <button type="button" onclick={send(NotebookAction::Restart)}
                        title="Stop this notebook's queries and start a new Spark session at the next run (tables and checkpoints stay)">{ "Restart session" }</button>
            </div>
            { for cells.iter().enumerate().map(|(i, c)| html! {
                <CellView key={c.id} cell={c.clone()} position={i + 1} act={act.clone()} writable={props.writable} />
            }) }
        </div>
    }
}

/// A card per query, the notebook's newest first, then the terminal shells'; re-renders when
/// a query runs.
#[function_component(QueryCards)]
fn query_cards(props: &HalfProps) -> Html {
    let store = use_area(vec![Area::Streams, Area::Terminal]);
    let (cards, terminal_cards) = {
        let playground = store.read();
        (
            playground.notebook_query_cards(),
            playground.terminal_query_cards(),
        )
    };
    html! {
        <aside class="query-cards" aria-label="Streaming queries">
            <h2>{ "Streaming queries" }</h2>
            if cards.is_empty() && terminal_cards.is_empty() {
                <p class="muted">{ "No query yet: run a cell that calls writeStream…start(), or load a sample above." }</p>
            }
            // Keyed by handle: a query started again over its checkpoint keeps its id.
            { for cards.into_iter().map(|card| {
                let key = card.handle;
                html! { <QueryCardView {key} {card} act={props.act.clone()} writable={props.writable} /> }
            }) }
            { for terminal_cards.into_iter().map(|(tab, card)| {
                let key = format!("terminal-{tab}-{}", card.handle);
                html! { <QueryCardView {key} {card} act={props.act.clone()} writable={props.writable} terminal_tab={tab} /> }
            }) }
        </aside>
    }
}
