//! One streaming query's card: status and buttons (step one trigger, send a late event, stop),
//! the plan as a small graph from source to sink with each operator's rows in the last batch,
//! the micro-batches on a timeline, Spark's progress figures, the state store and the console
//! sink's last batches.
//!
//! Owns the card's markup. Must not compute anything shown: the notebook's [`QueryCard`]
//! holds it.

use yew::prelude::*;

use crate::playground::action::NotebookAction;
use crate::playground::notebook::query_card::QueryStatus;
use crate::playground::notebook::QueryCard;

/// Props of [`QueryCardView`].
#[derive(Properties, PartialEq)]
pub struct QueryCardProps {
    /// The card.
    pub card: QueryCard,
    /// Dispatches a notebook action.
    pub act: Callback<NotebookAction>,
    /// Whether this tab may run anything (it is not read-only).
    pub writable: bool,
    /// The terminal tab whose `pyspark` shell runs the query, for a query started there: the
    /// card then only shows it (its shell steps and stops it).
    #[prop_or_default]
    pub terminal_tab: Option<u32>,
}

fn button(act: &Callback<NotebookAction>, action: NotebookAction) -> Callback<MouseEvent> {
    let act = act.clone();
    Callback::from(move |_: MouseEvent| act.emit(action.clone()))
}

/// The plan, source first: one box per operator, then the sink.
fn plan_graph(card: &QueryCard) -> Html {
    html! {
        <ol class="plan-graph" aria-label="Plan, from source to sink" data-testid="plan-graph">
            { for card.plan.iter().map(|node| html! {
                <li class={classes!("plan-node", (node.branch > 0).then_some("branch"), node.stateful.then_some("stateful"))}>
                    <span class="op-name">{ &node.name }</span>
                    if !node.detail.is_empty() {
                        <span class="op-detail">{ &node.detail }</span>
                    }
                    <span class="op-rows" title="Rows it produced in the last batch">{
                        node.rows.map_or("–".to_owned(), |r| format!("{r} rows"))
                    }</span>
                </li>
            }) }
        </ol>
    }
}

/// The micro-batches as bars of their input rows, late rows marked.
fn timeline(card: &QueryCard) -> Html {
    if card.batches.is_empty() {
        return html! { <p class="muted">{ "No micro-batch yet." }</p> };
    }
    html! {
        <ol class="batch-timeline" aria-label="Micro-batches, oldest first" data-testid="batch-timeline">
            { for card.batches.iter().enumerate().map(|(i, b)| {
                // Ids under the first and the last bar, and every fifth: 30 would not fit.
                let labelled = i == 0 || i + 1 == card.batches.len() || b.batch_id % 5 == 0;
                let title = format!(
                    "batch {}: {} input rows, {} output rows, {} dropped as late, {} ms",
                    b.batch_id, b.input_rows, b.output_rows, b.dropped, b.duration_ms
                );
                html! {
                    <li class={classes!("batch", (b.dropped > 0).then_some("dropped"))} title={title.clone()} aria-label={title}>
                        <span class="bar" style={format!("height: {}%", b.height_percent.max(4))}></span>
                        <span class="batch-id">{ if labelled { b.batch_id.to_string() } else { String::new() } }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

/// One query's card.
#[function_component(QueryCardView)]
pub fn query_card_view(props: &QueryCardProps) -> Html {
    let card = &props.card;
    let handle = card.handle;
    let (status_class, status_text) = match &card.status {
        QueryStatus::Active => ("active", "Active".to_owned()),
        QueryStatus::Stopped => ("stopped", "Stopped".to_owned()),
        QueryStatus::Failed(_) => ("failed", "Failed".to_owned()),
    };
    html! {
        <article class="query-card" aria-label={format!("Query {}", card.title)} data-testid="query-card">
            <header>
                <h3>{ &card.title }</h3>
                <span class={classes!("query-status", status_class)} data-testid="query-status">{ status_text }</span>
                <span class="muted query-message">{ &card.status_message }</span>
            </header>
            if !card.missing_topics.is_empty() && card.is_active() {
                <p class="notice error" data-testid="missing-topics">{ format!(
                    "No topic {} exists: the query waits for it, as Spark does, without a word. Create it on the Topics page, or fix the name in subscribe and run the cell again.",
                    card.missing_topics.join(", ")
                ) }</p>
            }
            if let QueryStatus::Failed(why) = &card.status {
                <pre class="notice error">{ why }</pre>
            }
            if let Some(tab) = props.terminal_tab {
                <p class="muted">{ format!("Runs in Terminal {tab}'s pyspark shell, on the terminal's clock; its console sink prints there. Stop it there with query.stop().") }</p>
            } else {
            <div class="query-buttons">
                <button type="button" onclick={button(&props.act, NotebookAction::Step { query: handle })}
                        disabled={!card.is_active() || !props.writable} data-testid="step-query"
                        title="Run one trigger now, whatever the trigger's interval">{ "Step one trigger" }</button>
                if card.has_watermark {
                    <button type="button" onclick={button(&props.act, NotebookAction::SendLateEvent { query: handle })}
                            disabled={!card.is_active() || !props.writable} data-testid="late-event"
                            title="Send the source topic's oldest record again, with its old event time: the watermark drops it">{ "Send a late event" }</button>
                }
                <button type="button" onclick={button(&props.act, NotebookAction::Stop { query: handle })}
                        disabled={!card.is_active()}>{ "Stop" }</button>
            </div>
            }
            <h4>{ "Plan" }</h4>
            { plan_graph(card) }
            <h4>{ "Micro-batches" }</h4>
            { timeline(card) }
            if !card.figures.is_empty() {
                <h4>{ "Last progress" }</h4>
                <dl class="figures" data-testid="progress-figures">
                    { for card.figures.iter().map(|f| html! {
                        <>
                            <dt>{ f.name }</dt>
                            <dd>{ &f.value }</dd>
                        </>
                    }) }
                </dl>
            }
            if !card.positions.is_empty() {
                <p class="muted positions">
                    { "Next offsets: " }
                    { for card.positions.iter().map(|(topic, partition, offset)| html! {
                        <a href={format!("#/topics/{topic}")}>{ format!("{topic}-{partition} at {offset} ") }</a>
                    }) }
                </p>
            }
            { for card.states.iter().map(|state| html! {
                <section class="state-store" aria-label="State store" data-testid="state-store">
                    <h4>{ format!("State store (operator {}): {} groups", state.state_id, state.rows.len() + state.more) }</h4>
                    <div class="table-scroll">
                        <table>
                            <thead><tr>{ for state.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                            <tbody>{ for state.rows.iter().map(|row| html! {
                                <tr>{ for row.iter().map(|v| html! { <td>{ v }</td> }) }</tr>
                            }) }</tbody>
                        </table>
                    </div>
                    if state.more > 0 {
                        <p class="muted">{ format!("… and {} more groups", state.more) }</p>
                    }
                </section>
            }) }
            if !card.console.is_empty() {
                <h4>{ "Console sink" }</h4>
                <pre class="console-sink" data-testid="console-sink">{ card.console.concat() }</pre>
            }
            if let Some(json) = &card.progress_json {
                <details class="progress-json">
                    <summary>{ "query.lastProgress" }</summary>
                    <pre>{ json }</pre>
                </details>
            }
        </article>
    }
}
