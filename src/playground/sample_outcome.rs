//! What the sample panel says about a run once it stops producing: from its chunks' delivery
//! tickets, whether to keep waiting for the store, or how many orders are stored.
//!
//! Owns the decision and the wording of the panel's end states (finished, stopped by the
//! learner, a produce refused, a flush refused). Must not produce, schedule or render: the
//! sample panel produces the chunks, keeps their tickets and shows what this says.

use super::deliveries::{DeliveryError, DeliveryState};
use super::sample_orders::{grouped, human_elapsed};

/// Why a run stopped producing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// A counted run handed out every order.
    Finished,
    /// The learner pressed Stop (a steady run) or Cancel (a counted one).
    Stopped,
    /// A produce call was refused before reaching the log (read-only tab, topic deleted…):
    /// nothing of that chunk was produced.
    Refused(String),
}

/// Where a run's chunks stand in the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Orders in every chunk produced (refused chunks are not produced).
    pub produced: u64,
    /// Orders the store acknowledged.
    pub stored: u64,
    /// True while some chunk's flush has not answered.
    pub waiting: bool,
    /// The first refused flush: its chunks were rolled back.
    pub failed: Option<DeliveryError>,
}

impl Tally {
    /// Counts the chunks: each one's ticket state (`None` once forgotten, which only settled
    /// tickets are, long after they were stored) and its number of orders.
    pub fn of<'a>(chunks: impl IntoIterator<Item = (Option<&'a DeliveryState>, u64)>) -> Self {
        let mut tally = Self::default();
        for (state, orders) in chunks {
            tally.produced += orders;
            match state {
                Some(DeliveryState::Waiting) => tally.waiting = true,
                Some(DeliveryState::Failed(error)) => {
                    tally.failed.get_or_insert_with(|| error.clone());
                }
                Some(DeliveryState::Stored) | None => tally.stored += orders,
            }
        }
        tally
    }
}

/// What the panel does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Keep producing; nothing to say yet.
    Producing,
    /// Produce no more, and say this while earlier flushes have not answered.
    Storing(String),
    /// Every produced order is stored.
    Done(RunEnd),
    /// Some orders are not in the log; this says how many are, and why.
    Failed(String),
}

/// How a run ended with every order it produced stored: the panel's last words, and the
/// timeline's event ([`super::Event::SampleRun`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// A counted run produced every order.
    Finished {
        /// Orders produced (and stored).
        produced: u64,
        /// The topic.
        topic: String,
        /// How long it took, in words (`1.5 s`).
        elapsed: String,
    },
    /// The learner stopped the run.
    Stopped {
        /// Its progress when stopped, e.g. `300 of 1,000 orders (30.0%)`.
        progress: String,
        /// Orders produced (and stored).
        produced: u64,
    },
}

impl std::fmt::Display for RunEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunEnd::Finished {
                produced,
                topic,
                elapsed,
            } => write!(
                f,
                "Produced {} sample orders to {topic} in {elapsed}.",
                grouped(*produced)
            ),
            RunEnd::Stopped { progress, produced } => write!(
                f,
                "Stopped after {progress}; the {} orders produced are in the log.",
                grouped(*produced)
            ),
        }
    }
}

/// The run's details the texts name.
#[derive(Debug, Clone, Copy)]
pub struct RunFacts<'a> {
    /// The topic produced to.
    pub topic: &'a str,
    /// The run's progress, e.g. `300 of 1,000 orders (30.0%)` or `1,234 orders`.
    pub progress: &'a str,
    /// How long the run has taken so far.
    pub elapsed_ms: f64,
}

/// Decides what the panel shows: nothing is "Produced" or "Stopped" with orders kept until
/// every chunk's flush answered, and a refused flush always says how many orders are stored.
pub fn outcome(ending: Option<&Ending>, tally: &Tally, run: RunFacts<'_>) -> Outcome {
    if let Some(error) = &tally.failed {
        // Chunks produced before the refusal was known may still be stored after it.
        return if tally.waiting {
            Outcome::Storing(format!(
                "Storage refused a write ({}); waiting for the earlier orders' writes to answer…",
                error.code.name()
            ))
        } else {
            Outcome::Failed(format!(
                "Storage refused some of the orders: {} of the {} produced are stored; the other {} were rolled back and are not in the log. {error}",
                grouped(tally.stored),
                grouped(tally.produced),
                grouped(tally.produced.saturating_sub(tally.stored))
            ))
        };
    }
    match (ending, tally.waiting) {
        (None, _) => Outcome::Producing,
        (Some(Ending::Finished), true) => Outcome::Storing(format!(
            "Produced {} sample orders; storing them in this browser…",
            grouped(tally.produced)
        )),
        (Some(Ending::Finished), false) => Outcome::Done(RunEnd::Finished {
            produced: tally.produced,
            topic: run.topic.to_owned(),
            elapsed: human_elapsed(run.elapsed_ms),
        }),
        (Some(Ending::Stopped), true) => Outcome::Storing(format!(
            "Stopped after {}; storing the orders already produced in this browser…",
            run.progress
        )),
        (Some(Ending::Stopped), false) => Outcome::Done(RunEnd::Stopped {
            progress: run.progress.to_owned(),
            produced: tally.produced,
        }),
        (Some(Ending::Refused(error)), true) => Outcome::Storing(format!(
            "Stopped at {}: {error} Waiting for the orders produced before it to be stored…",
            run.progress
        )),
        (Some(Ending::Refused(error)), false) => Outcome::Failed(format!(
            "Stopped at {}: {error} The {} orders produced before it are in the log.",
            run.progress,
            grouped(tally.produced)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::ErrorCode;

    const WAITING: DeliveryState = DeliveryState::Waiting;
    const STORED: DeliveryState = DeliveryState::Stored;

    fn full() -> DeliveryState {
        DeliveryState::Failed(DeliveryError {
            code: ErrorCode::KafkaStorageError,
            message: "The browser refused to store more data.".to_owned(),
        })
    }

    fn facts() -> RunFacts<'static> {
        RunFacts {
            topic: "orders",
            progress: "2,000 orders",
            elapsed_ms: 1_500.0,
        }
    }

    #[test]
    fn a_stopped_run_waits_for_its_chunks_before_saying_they_are_in_the_log() {
        let waiting = Tally::of([(Some(&STORED), 1_000), (Some(&WAITING), 1_000)]);
        assert_eq!(
            outcome(Some(&Ending::Stopped), &waiting, facts()),
            Outcome::Storing(
                "Stopped after 2,000 orders; storing the orders already produced in this browser…"
                    .to_owned()
            )
        );
        let stored = Tally::of([(Some(&STORED), 1_000), (Some(&STORED), 1_000)]);
        let Outcome::Done(end) = outcome(Some(&Ending::Stopped), &stored, facts()) else {
            panic!("every order is stored");
        };
        assert_eq!(
            end.to_string(),
            "Stopped after 2,000 orders; the 2,000 orders produced are in the log."
        );
    }

    #[test]
    fn a_stopped_run_whose_flush_is_refused_says_how_many_orders_are_stored() {
        let tally = Tally::of([(Some(&STORED), 1_000), (Some(&full()), 1_000)]);
        let Outcome::Failed(text) = outcome(Some(&Ending::Stopped), &tally, facts()) else {
            panic!("a refused flush is a failure");
        };
        assert_eq!(
            text,
            "Storage refused some of the orders: 1,000 of the 2,000 produced are stored; the other 1,000 were rolled back and are not in the log. KAFKA_STORAGE_ERROR: The browser refused to store more data."
        );
    }

    #[test]
    fn a_refused_flush_stops_production_and_waits_for_the_earlier_chunks() {
        let tally = Tally::of([
            (Some(&STORED), 1_000),
            (Some(&WAITING), 1_000),
            (Some(&full()), 1_000),
        ]);
        assert!(matches!(
            outcome(None, &tally, facts()),
            Outcome::Storing(text) if text.starts_with("Storage refused a write (KAFKA_STORAGE_ERROR)")
        ));
    }

    #[test]
    fn a_refused_produce_waits_for_the_earlier_chunks_then_says_they_are_kept() {
        let refused = Ending::Refused(
            "Topic 'orders' does not exist (any more): create it first.".to_owned(),
        );
        let waiting = Tally::of([(Some(&WAITING), 1_000)]);
        assert!(matches!(
            outcome(Some(&refused), &waiting, facts()),
            Outcome::Storing(_)
        ));
        let stored = Tally::of([(Some(&STORED), 1_000)]);
        assert_eq!(
            outcome(Some(&refused), &stored, facts()),
            Outcome::Failed("Stopped at 2,000 orders: Topic 'orders' does not exist (any more): create it first. The 1,000 orders produced before it are in the log.".to_owned())
        );
    }

    #[test]
    fn a_finished_run_is_produced_only_once_every_chunk_is_stored() {
        let waiting = Tally::of([(Some(&STORED), 1_000), (Some(&WAITING), 500)]);
        assert_eq!(
            outcome(Some(&Ending::Finished), &waiting, facts()),
            Outcome::Storing(
                "Produced 1,500 sample orders; storing them in this browser…".to_owned()
            )
        );
        // A forgotten ticket was settled long ago, and only stored ones outlive the run.
        let stored = Tally::of([(None, 1_000), (Some(&STORED), 500)]);
        let Outcome::Done(end) = outcome(Some(&Ending::Finished), &stored, facts()) else {
            panic!("every order is stored");
        };
        assert_eq!(
            end.to_string(),
            "Produced 1,500 sample orders to orders in 1.5 s."
        );
    }

    #[test]
    fn a_running_run_keeps_producing_while_its_flushes_answer() {
        let tally = Tally::of([(Some(&STORED), 1_000), (Some(&WAITING), 1_000)]);
        assert_eq!(outcome(None, &tally, facts()), Outcome::Producing);
    }
}
