//! The sample-order job, like Confluent's Datagen connector: N retail orders in chunks (a
//! time budget per tick well under a frame, so the page keeps painting, and never too far
//! ahead of what the store has acknowledged), or a steady rate until stopped; each chunk's
//! delivery ticket followed until the store answers.
//!
//! Owns a run's schedule and its status line. What the line says once a run stops is
//! [`super::sample_outcome`]'s decision, made from the tickets; the orders are
//! [`super::sample_orders`]'; partitions are the playground's partitioner's. Must not read a
//! clock or hold a timer: [`Playground::tick`] passes the time in.

use crate::clock::Clock;

use super::action::SampleAction;
use super::changes::Area;
use super::deliveries::{DeliveryId, DeliveryState};
use super::sample_orders::{parse_count, parse_rate, SampleRun, SteadyPace};
use super::sample_outcome::{outcome, Ending, Outcome, RunFacts, Tally};
use super::{Event, Playground, PlaygroundError};

/// Orders per produce call.
const CHUNK: u64 = 1_000;
/// How long one tick may keep producing before the page gets to paint (ms): half a frame at
/// 60 Hz, so the browser has the rest for rendering and the flushes' IndexedDB puts.
const TICK_BUDGET_MS: i64 = 8;
/// At most this many chunks a tick, whatever the clock says (a manual clock never moves
/// within a tick). A chunk of sample orders takes ~1–2 ms in the tab.
const TICK_MAX_CHUNKS: usize = 8;
/// A counted run produces no further than this many orders ahead of what the store has
/// acknowledged (~4.6 MB of sample orders, ~573 B each). IndexedDB's `put` copies (and
/// Chromium compresses) each value on the page's thread, ~3 ms per MB here, and a flush puts
/// everything waiting in one go: producing further ahead only makes the next flush a longer
/// frame, and the memory waiting for it larger, not the run faster. It waits, still busy.
pub const MAX_UNSTORED_ORDERS: u64 = 8_000;
/// The generator's seed: the same orders every time, as the course expects.
pub const SEED: u64 = 42;

/// What the sample panel says.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleStatus {
    /// Producing: progress, and how far along a counted run is (percent).
    Running {
        /// The progress line.
        text: String,
        /// Percent done, for a counted run.
        percent: Option<f64>,
    },
    /// Producing no more; waiting for the store to answer for the chunks produced.
    Storing(String),
    /// Every order produced is stored.
    Done(String),
    /// Some orders are not in the log, and why.
    Failed(String),
}

/// A run of the generator.
#[derive(Debug)]
pub struct SampleJob {
    topic: String,
    run: SampleRun,
    /// A steady run's rate a second and pace.
    steady: Option<(u64, SteadyPace)>,
    started_ms: i64,
    /// Each produced chunk's delivery ticket and order count, oldest first, from the first
    /// one not known to be stored.
    tickets: Vec<(DeliveryId, u64)>,
    /// Orders of the chunks before those, all stored.
    stored_chunks: u64,
    /// True once it produces no more (ended, or a flush failed meanwhile).
    cancelled: bool,
    /// Why it stopped producing; `None` while it produces.
    ending: Option<Ending>,
    /// True once the status said how it ended (done or failed): nothing more to follow.
    settled: bool,
    status: SampleStatus,
}

impl SampleJob {
    /// The topic it produces to.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// What the panel says of it.
    pub fn status(&self) -> &SampleStatus {
        &self.status
    }

    /// True for a steady-rate run.
    pub fn is_steady(&self) -> bool {
        self.steady.is_some()
    }

    /// True while it produces or waits for the store.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status,
            SampleStatus::Running { .. } | SampleStatus::Storing(_)
        )
    }

    /// True while it still produces.
    pub fn is_producing(&self) -> bool {
        !self.cancelled
    }

    /// Orders produced that the store has not acknowledged yet (as of the last tick).
    pub fn unstored(&self) -> u64 {
        self.tickets.iter().map(|(_, orders)| orders).sum()
    }

    /// Stops producing for `why`, unless it already stopped for another reason.
    fn end(&mut self, why: Ending) {
        self.cancelled = true;
        self.ending.get_or_insert(why);
    }
}

impl Playground {
    /// The sample job, while one runs or says how it ended.
    pub fn sample_job(&self) -> Option<&SampleJob> {
        self.sample_job.as_ref()
    }

    /// Starts (or stops) the sample job.
    pub(super) fn dispatch_sample(&mut self, action: SampleAction) -> Result<(), PlaygroundError> {
        let (topic, run, steady) = match action {
            SampleAction::Stop => {
                if let Some(job) = self.sample_job.as_mut() {
                    job.end(Ending::Stopped);
                }
                self.follow_sample_deliveries();
                self.changes.mark(Area::SampleJob);
                return Ok(());
            }
            SampleAction::Generate { topic, count } => {
                let total = parse_count(&count)?;
                let run = SampleRun::counted(SEED, self.first_order_id(&topic), total);
                (topic, run, None)
            }
            SampleAction::Steady { topic, rate } => {
                let rate = parse_rate(&rate)?;
                let run = SampleRun::endless(SEED, self.first_order_id(&topic));
                (topic, run, Some(rate))
            }
        };
        self.ensure_writable()?;
        let now = self.clock.now_ms();
        let status = SampleStatus::Running {
            text: run.progress_text(),
            percent: steady.is_none().then_some(0.0),
        };
        self.sample_job = Some(SampleJob {
            topic,
            run,
            steady: steady
                .map(|rate| (rate, SteadyPace::new(rate, u64::try_from(now).unwrap_or(0)))),
            started_ms: now,
            tickets: Vec::new(),
            stored_chunks: 0,
            cancelled: false,
            ending: None,
            settled: false,
            status,
        });
        self.changes.mark(Area::SampleJob);
        Ok(())
    }

    /// The first order id of a new run: after the records the topic holds.
    fn first_order_id(&self, topic: &str) -> u64 {
        let held = self
            .broker
            .borrow()
            .topic(topic)
            .map_or(0, |t| t.record_span());
        u64::try_from(held).unwrap_or(0) + 1
    }

    /// Produces what the job owes at `now`; true while a counted run has more to produce
    /// at once (the adapter then ticks again without waiting).
    pub(super) fn tick_sample(&mut self, now: i64) -> bool {
        let before = self.sample_job.as_ref().map(|j| j.status.clone());
        let busy = self.advance_sample(now);
        // A tick that only waited for the store changed nothing the panel shows.
        if self.sample_job.as_ref().map(|j| &j.status) != before.as_ref() {
            self.changes.mark(Area::SampleJob);
        }
        busy
    }

    /// [`Playground::tick_sample`] but for telling the panel.
    fn advance_sample(&mut self, now: i64) -> bool {
        // What the store acknowledged since the last tick makes room to produce.
        self.follow_sample_deliveries();
        let Some(mut job) = self.sample_job.take() else {
            return false;
        };
        if job.settled {
            self.sample_job = Some(job);
            return false;
        }
        if job.is_producing() {
            match job.steady.as_mut() {
                Some((rate, pace)) => {
                    let rate = *rate;
                    let owed = pace.owed(u64::try_from(now).unwrap_or(0));
                    if owed > 0 {
                        let chunk = job.run.next_chunk(owed);
                        match self.produce_tracked(&job.topic, chunk) {
                            Ok((n, ticket)) => {
                                job.tickets.push((ticket, n as u64));
                                job.status = SampleStatus::Running {
                                    text: format!("{} at {rate} a second", job.run.progress_text()),
                                    percent: None,
                                };
                            }
                            Err(error) => job.end(Ending::Refused(error.named())),
                        }
                    }
                }
                None => self.produce_counted(&mut job),
            }
        }
        let busy = job.is_producing() && job.steady.is_none();
        self.sample_job = Some(job);
        self.follow_sample_deliveries();
        busy
    }

    /// Produces a counted run's chunks for up to [`TICK_BUDGET_MS`] (and at most
    /// [`TICK_MAX_CHUNKS`]), never more than [`MAX_UNSTORED_ORDERS`] ahead of the store.
    fn produce_counted(&mut self, job: &mut SampleJob) {
        let begun = self.clock.now_ms();
        let mut unstored = job.unstored();
        for _ in 0..TICK_MAX_CHUNKS {
            if unstored >= MAX_UNSTORED_ORDERS {
                break;
            }
            let chunk = job
                .run
                .next_chunk(CHUNK.min(MAX_UNSTORED_ORDERS - unstored));
            if chunk.is_empty() {
                break;
            }
            match self.produce_tracked(&job.topic, chunk) {
                Ok((n, ticket)) => {
                    job.tickets.push((ticket, n as u64));
                    unstored += n as u64;
                }
                Err(error) => {
                    job.end(Ending::Refused(error.named()));
                    return;
                }
            }
            if self.clock.now_ms() - begun > TICK_BUDGET_MS {
                break;
            }
        }
        if job.run.is_finished() {
            job.end(Ending::Finished);
        } else {
            job.status = SampleStatus::Running {
                text: job.run.progress_text(),
                percent: Some(job.run.percent()),
            };
        }
    }

    /// Follows the store's acknowledgements of the run's chunks and shows what
    /// `sample_outcome` decides: a refused flush stops the run, and a run that stopped
    /// producing (finished, stopped, refused) says how it ended only once every chunk's flush
    /// answered. A run that ended well is told in the timeline.
    fn follow_sample_deliveries(&mut self) {
        let now = self.clock.now_ms();
        let Some(job) = self.sample_job.as_mut() else {
            return;
        };
        if job.settled {
            return;
        }
        // A stored ticket stays stored: fold the oldest stored chunks into a count, so a long
        // steady run does not look every ticket up again on every tick.
        let stored = job
            .tickets
            .iter()
            .take_while(|(ticket, _)| {
                matches!(
                    self.deliveries.state(*ticket),
                    Some(DeliveryState::Stored) | None
                )
            })
            .count();
        let folded: u64 = job.tickets.drain(..stored).map(|(_, orders)| orders).sum();
        job.stored_chunks += folded;
        let tally = Tally::of(
            std::iter::once((Some(&DeliveryState::Stored), job.stored_chunks)).chain(
                job.tickets
                    .iter()
                    .map(|(ticket, orders)| (self.deliveries.state(*ticket), *orders)),
            ),
        );
        let progress = job.run.progress_text();
        let facts = RunFacts {
            topic: &job.topic,
            progress: &progress,
            elapsed_ms: (now - job.started_ms) as f64,
        };
        let mut told = None;
        match outcome(job.ending.as_ref(), &tally, facts) {
            Outcome::Producing => {}
            Outcome::Storing(text) => {
                job.cancelled = true;
                job.status = SampleStatus::Storing(text);
            }
            Outcome::Done(end) => {
                job.settled = true;
                job.status = SampleStatus::Done(end.to_string());
                told = Some(end);
            }
            Outcome::Failed(text) => {
                job.cancelled = true;
                job.settled = true;
                job.status = SampleStatus::Failed(text);
            }
        }
        if let Some(end) = told {
            self.record(Event::SampleRun(end));
        }
    }
}
