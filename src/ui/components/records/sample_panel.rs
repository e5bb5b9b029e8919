//! The sample-data panel, like Confluent's Datagen connector: produce N retail orders (up to
//! a million) in chunks with a progress bar and cancel, or a steady rate until stopped.
//!
//! Owns only the scheduling (a chunk per timer tick, so the page keeps painting), each
//! chunk's delivery ticket and rendering the status line; what the line says once a run stops
//! (finished, stopped, refused) is `sample_outcome`'s decision, made from the tickets. Must
//! not build orders (`sample_orders` does) nor pick partitions (the playground's partitioner
//! does).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::{Interval, Timeout};
use yew::prelude::*;

use crate::playground::deliveries::{DeliveryId, DeliveryState};
use crate::playground::sample_orders::{parse_count, parse_rate, SampleRun, SteadyPace};
use crate::playground::sample_outcome::{outcome, Ending, Outcome, RunFacts, Tally};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{after_change, use_playground, PlaygroundContext};

/// Orders per `produce_batch` call.
const CHUNK: u64 = 1_000;
/// How long one tick may keep producing before the page gets to paint.
const TICK_BUDGET_MS: f64 = 30.0;
/// How often a steady-rate run produces.
const RATE_TICK_MS: u32 = 100;
/// The generator's seed: the same orders every time, as the course expects.
const SEED: u64 = 42;

/// What the panel says.
#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Running {
        text: String,
        percent: Option<f64>,
    },
    /// Producing no more; waiting for the store to answer for the chunks produced.
    Storing(String),
    Done(String),
    Failed(String),
}

/// A run in progress; dropping its interval stops a steady run.
struct Job {
    cancelled: Cell<bool>,
    interval: RefCell<Option<Interval>>,
    run: RefCell<SampleRun>,
    topic: String,
    started_ms: f64,
    /// Each produced chunk's delivery ticket and order count, oldest first, from the first
    /// one not known to be stored.
    tickets: RefCell<Vec<(DeliveryId, u64)>>,
    /// Orders of the chunks before those, all stored.
    stored_chunks: Cell<u64>,
    /// Why it stopped producing; `None` while it produces.
    ending: RefCell<Option<Ending>>,
    /// True once the panel said how it ended (done or failed): nothing more to follow.
    settled: Cell<bool>,
}

impl Job {
    fn stop(&self) {
        self.cancelled.set(true);
        self.interval.borrow_mut().take();
    }

    /// Stops producing for `why`, unless it already stopped for another reason.
    fn end(&self, why: Ending) {
        self.stop();
        self.ending.borrow_mut().get_or_insert(why);
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Produces chunks for up to [`TICK_BUDGET_MS`], repaints, and schedules the next tick.
fn counted_tick(store: PlaygroundContext, job: Rc<Job>, status: UseStateHandle<Status>) {
    if job.cancelled.get() {
        return;
    }
    let begun = now_ms();
    let mut failure = None;
    loop {
        let chunk = job.run.borrow_mut().next_chunk(CHUNK);
        if chunk.is_empty() {
            break;
        }
        let produced = store
            .playground
            .borrow_mut()
            .produce_tracked(&job.topic, chunk);
        match produced {
            Ok((n, ticket)) => job.tickets.borrow_mut().push((ticket, n as u64)),
            Err(error) => {
                failure = Some(error.to_string());
                break;
            }
        }
        if now_ms() - begun > TICK_BUDGET_MS {
            break;
        }
    }
    let run = job.run.borrow().clone();
    if let Some(error) = failure {
        job.end(Ending::Refused(error));
    } else if run.is_finished() {
        job.end(Ending::Finished);
    } else {
        status.set(Status::Running {
            text: run.progress_text(),
            percent: Some(run.percent()),
        });
        let (store_next, job_next, status_next) = (store.clone(), Rc::clone(&job), status.clone());
        Timeout::new(0, move || counted_tick(store_next, job_next, status_next)).forget();
    }
    follow_deliveries(&store, &job, &status);
    after_change(&store);
}

/// Follows the store's acknowledgements of the run's chunks and shows what `sample_outcome`
/// decides: a refused flush stops the run, and a run that stopped producing (finished,
/// stopped, refused) says how it ended only once every chunk's flush answered.
fn follow_deliveries(store: &PlaygroundContext, job: &Job, status: &UseStateHandle<Status>) {
    if job.settled.get() {
        return;
    }
    let tally = {
        let playground = store.playground.borrow();
        let mut tickets = job.tickets.borrow_mut();
        // A stored ticket stays stored: fold the oldest stored chunks into a count, so a long
        // steady run does not look every ticket up again on every tick.
        let stored = tickets
            .iter()
            .take_while(|(ticket, _)| {
                matches!(
                    playground.delivery(*ticket),
                    Some(DeliveryState::Stored) | None
                )
            })
            .count();
        let folded: u64 = tickets.drain(..stored).map(|(_, orders)| orders).sum();
        job.stored_chunks.set(job.stored_chunks.get() + folded);
        Tally::of(
            std::iter::once((Some(&DeliveryState::Stored), job.stored_chunks.get())).chain(
                tickets
                    .iter()
                    .map(|(ticket, orders)| (playground.delivery(*ticket), *orders)),
            ),
        )
    };
    let progress = job.run.borrow().progress_text();
    let facts = RunFacts {
        topic: &job.topic,
        progress: &progress,
        elapsed_ms: now_ms() - job.started_ms,
    };
    match outcome(job.ending.borrow().as_ref(), &tally, facts) {
        Outcome::Producing => {}
        Outcome::Storing(text) => {
            job.stop();
            status.set(Status::Storing(text));
        }
        Outcome::Done(text) => {
            job.settled.set(true);
            store.playground.borrow_mut().tell(text.clone());
            status.set(Status::Done(text));
        }
        Outcome::Failed(text) => {
            job.stop();
            job.settled.set(true);
            status.set(Status::Failed(text));
        }
    }
}

/// Props of [`SamplePanel`].
#[derive(Properties, PartialEq)]
pub struct SamplePanelProps {
    /// The topic to produce to.
    pub topic: String,
}

/// The sample-data panel.
#[function_component(SamplePanel)]
pub fn sample_panel(props: &SamplePanelProps) -> Html {
    let store = use_playground();
    let count = use_state(|| "1000".to_owned());
    let rate = use_state(|| "10".to_owned());
    let status = use_state(|| Status::Idle);
    let job = use_mut_ref(|| None::<Rc<Job>>);
    {
        // Leaving the page (or switching topic) stops a run.
        let job = job.clone();
        use_effect_with(props.topic.clone(), move |_| {
            move || {
                if let Some(running) = job.borrow_mut().take() {
                    running.stop();
                }
            }
        });
    }
    {
        // Each flush's outcome re-renders the page (a new revision): follow it.
        let (store, job, status) = (store.clone(), job.clone(), status.clone());
        use_effect_with(store.revision, move |_| {
            let current = job.borrow().clone();
            if let Some(current) = current {
                follow_deliveries(&store, &current, &status);
            }
        });
    }
    let running = matches!(*status, Status::Running { .. } | Status::Storing(_));
    let steady = running
        && job
            .borrow()
            .as_ref()
            .is_some_and(|j| j.run.borrow().total().is_none());

    let first_order_id = {
        let store = store.clone();
        move |topic: &str| {
            let playground = store.playground.borrow();
            let broker = playground.broker();
            let held = broker.borrow().topic(topic).map_or(0, |t| t.record_span());
            u64::try_from(held).unwrap_or(0) + 1
        }
    };
    // `make` reads the form: the run, and its rate a second for a steady run.
    let start = |make: Rc<dyn Fn() -> Result<(SampleRun, u64), String>>| {
        let (store, job, status, topic) = (
            store.clone(),
            job.clone(),
            status.clone(),
            props.topic.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(previous) = job.borrow_mut().take() {
                previous.stop();
            }
            let (run, rate) = match make() {
                Ok(made) => made,
                Err(message) => {
                    status.set(Status::Failed(message));
                    return;
                }
            };
            let endless = run.total().is_none();
            let current = Rc::new(Job {
                cancelled: Cell::new(false),
                interval: RefCell::new(None),
                run: RefCell::new(run),
                topic: topic.clone(),
                started_ms: now_ms(),
                tickets: RefCell::default(),
                stored_chunks: Cell::new(0),
                ending: RefCell::new(None),
                settled: Cell::new(false),
            });
            *job.borrow_mut() = Some(Rc::clone(&current));
            status.set(Status::Running {
                text: current.run.borrow().progress_text(),
                percent: (!endless).then_some(0.0),
            });
            if endless {
                let (store, ticking, status) = (store.clone(), Rc::clone(&current), status.clone());
                let pace = RefCell::new(SteadyPace::new(rate, current.started_ms.max(0.0) as u64));
                let interval = Interval::new(RATE_TICK_MS, move || {
                    if ticking.cancelled.get() {
                        return;
                    }
                    let owed = pace.borrow_mut().owed(now_ms().max(0.0) as u64);
                    if owed == 0 {
                        return;
                    }
                    let chunk = ticking.run.borrow_mut().next_chunk(owed);
                    let produced = store
                        .playground
                        .borrow_mut()
                        .produce_tracked(&ticking.topic, chunk);
                    let text = ticking.run.borrow().progress_text();
                    match produced {
                        Ok((n, ticket)) => {
                            ticking.tickets.borrow_mut().push((ticket, n as u64));
                            status.set(Status::Running {
                                text: format!("{text} at {rate} a second"),
                                percent: None,
                            })
                        }
                        Err(error) => ticking.end(Ending::Refused(error.to_string())),
                    }
                    follow_deliveries(&store, &ticking, &status);
                    after_change(&store);
                });
                *current.interval.borrow_mut() = Some(interval);
            } else {
                let (store, status) = (store.clone(), status.clone());
                Timeout::new(0, move || counted_tick(store, current, status)).forget();
            }
        })
    };
    let on_generate = {
        let (count, topic, first) = (
            (*count).clone(),
            props.topic.clone(),
            first_order_id.clone(),
        );
        start(Rc::new(move || {
            let total = parse_count(&count)?;
            Ok((SampleRun::counted(SEED, first(&topic), total), 0))
        }))
    };
    let on_steady = {
        let (rate, topic, first) = ((*rate).clone(), props.topic.clone(), first_order_id);
        start(Rc::new(move || {
            let per_second = parse_rate(&rate)?;
            Ok((SampleRun::endless(SEED, first(&topic)), per_second))
        }))
    };
    let on_cancel = {
        let (store, job, status) = (store.clone(), job.clone(), status.clone());
        Callback::from(move |_| {
            // The job stays: its tickets say when the orders produced are stored.
            let current = job.borrow().clone();
            if let Some(running) = current {
                running.end(Ending::Stopped);
                follow_deliveries(&store, &running, &status);
            }
        })
    };
    let on_count = {
        let count = count.clone();
        Callback::from(move |e: Event| count.set(event_value(&e)))
    };
    let on_rate = {
        let rate = rate.clone();
        Callback::from(move |e: Event| rate.set(event_value(&e)))
    };

    html! {
        <section class="card form-grid one-column sample-panel" aria-labelledby="sample-title">
            <h2 id="sample-title">{ "Sample data" }</h2>
            <p class="fine-print">{ "Retail orders in the course's shape, keyed by customer_id, like Confluent's Datagen connector. Seed 42: the same orders every time." }</p>
            <form class="inline-form" onsubmit={on_generate} aria-label="Generate sample orders">
                <label>{ "Orders (up to 1,000,000)" }
                    <input name="sample-count" inputmode="numeric" value={(*count).clone()} oninput={typed(on_count)} disabled={running} />
                </label>
                <button type="submit" class="primary" disabled={running}>{ "Generate" }</button>
            </form>
            <form class="inline-form" onsubmit={on_steady} aria-label="Produce at a steady rate">
                <label>{ "Or a steady rate, orders a second" }
                    <input name="sample-rate" inputmode="numeric" value={(*rate).clone()} oninput={typed(on_rate)} disabled={running} />
                </label>
                <button type="submit" disabled={running}>{ "Start" }</button>
            </form>
            { match &*status {
                Status::Idle => html! {},
                Status::Running { text, percent } => html! {
                    <div class="sample-progress" role="status" data-testid="sample-status" data-state="running">
                        if let Some(p) = percent {
                            <progress max="100" value={format!("{p:.1}")} aria-label="Sample orders produced" data-testid="sample-progress" />
                        } else {
                            <progress aria-label="Producing at a steady rate" />
                        }
                        <span>{ text }</span>
                        <button type="button" class="danger" onclick={on_cancel}>{ if steady { "Stop" } else { "Cancel" } }</button>
                    </div>
                },
                Status::Storing(text) => html! {
                    <div class="sample-progress" role="status" data-testid="sample-status" data-state="storing">
                        <progress aria-label="Storing the sample orders" />
                        <span>{ text }</span>
                    </div>
                },
                Status::Done(text) => html! {
                    <div class="sample-progress" role="status" data-testid="sample-status" data-state="done">
                        <progress max="100" value="100" aria-label="Sample orders produced" data-testid="sample-progress" />
                        <span>{ text }</span>
                    </div>
                },
                Status::Failed(text) => html! { <p class="notice error" role="alert" data-testid="sample-status" data-state="failed">{ text }</p> },
            } }
        </section>
    }
}
