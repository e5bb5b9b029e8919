//! Native tests of the flush and hydration loops: a playground opened from a `MemoryStore`
//! through a `FaultyStore` (which refuses, holds or fills on demand), with a `ManualClock` as
//! the real time the loops read. Each test drives the loops the way the web driver does,
//! step by step, so every decision can be checked.

mod eviction;
mod flush;
mod hydration;
mod policy;
mod spark;
mod takeover;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{open_kept, FlushLoop, FlushNext, FlushTicket, Flushed, HydrationLoop, Kept};
use super::{HydrationProgress, StorageSettings};
use crate::clock::ManualClock;
use crate::playground::deliveries::{DeliveryId, DeliveryState};
use crate::playground::engine::{KeptTimelines, Playground};
use crate::playground::forms::TopicForm;
use crate::protocol::ErrorCode;
use crate::storage::{open_loaded, FaultyStore, FlushPolicy, MemoryStore, OpenOptions};

const START: i64 = 1_700_000_000_000;

/// Polls `future` until it is ready. Native stores never wait (a held commit waits one poll
/// and wakes itself), so no executor is needed.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    loop {
        if let Some(output) = poll_once(future.as_mut()) {
            return output;
        }
    }
}

/// Polls `future` once: far enough for a held commit to be in flight. Returns the output
/// when it finished.
fn poll_once<F: Future>(future: Pin<&mut F>) -> Option<F::Output> {
    let mut cx = Context::from_waker(Waker::noop());
    match future.poll(&mut cx) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// A flush policy: wait up to `delay_ms`, or flush at once when `bytes` wait.
fn policy(delay_ms: u64, bytes: u64) -> FlushPolicy {
    FlushPolicy {
        max_delay_ms: delay_ms,
        max_dirty_bytes: bytes,
    }
}

/// Flush at every change (the app's default).
fn at_once() -> FlushPolicy {
    FlushPolicy::default()
}

/// The ticket of a flush that is due now; fails the test with what was decided instead.
fn due(next: FlushNext) -> FlushTicket {
    match next {
        FlushNext::Now(ticket) => ticket,
        other => panic!("a flush is due now, but the loop said {other:?}"),
    }
}

/// One tab: a playground opened from a store, its loops, and the real time they read.
struct Tab {
    clock: ManualClock,
    store: FaultyStore,
    playground: RefCell<Playground>,
    flush: FlushLoop<FaultyStore>,
    hydration: HydrationLoop<FaultyStore>,
}

impl Tab {
    /// Opens what `memory` holds (claiming it, which fences any tab opened before) with
    /// relaxed durability and `policy`.
    fn open(memory: &MemoryStore, clock: &ManualClock, policy: FlushPolicy) -> Self {
        let store = FaultyStore::new(memory.clone());
        let settings = StorageSettings {
            policy,
            ..StorageSettings::default()
        };
        let Kept {
            playground,
            flush,
            hydration,
        } = block_on(open_kept(
            store.clone(),
            Rc::new(clock.clone()),
            7,
            settings,
            KeptTimelines::default(),
        ))
        .expect("opens");
        Self {
            clock: clock.clone(),
            store,
            playground: RefCell::new(playground),
            flush,
            hydration: hydration.with_step_batches(20),
        }
    }

    /// A fresh store with a one-partition topic per name in `topics`, all stored, and
    /// `policy` from then on.
    fn with_topics(memory: &MemoryStore, policy: FlushPolicy, topics: &[&str]) -> Self {
        let tab = Self::open(memory, &ManualClock::new(START), at_once());
        for topic in topics {
            let form = TopicForm {
                name: (*topic).to_owned(),
                partitions: "1".to_owned(),
                ..TopicForm::default()
            };
            tab.playground
                .borrow_mut()
                .create_topic(&form)
                .expect("created");
        }
        assert_eq!(tab.flush_all(), FlushNext::Idle);
        tab.flush.set_flush_policy(policy);
        tab
    }

    /// Produces `values` (no key) to partition 0 of `topic`, as the panels do.
    fn produce(&self, topic: &str, values: &[&str]) -> DeliveryId {
        let records = values.iter().map(|v| (None, (*v).to_owned())).collect();
        let (_, id) = self
            .playground
            .borrow_mut()
            .produce_tracked(topic, records)
            .expect("produced");
        id
    }

    fn delivery(&self, id: DeliveryId) -> DeliveryState {
        self.playground
            .borrow()
            .delivery(id)
            .cloned()
            .expect("a ticket never forgotten before it is stored")
    }

    fn schedule(&self) -> FlushNext {
        self.flush.schedule(&self.playground)
    }

    /// Runs the flush `ticket` allows to its end.
    fn run(&self, ticket: FlushTicket) -> Flushed {
        block_on(self.flush.flush_once(ticket, &self.playground))
    }

    /// Runs the flush `ticket` allows with its commit held in flight while `meanwhile` runs
    /// (what the page does during a slow IndexedDB transaction), then to its end.
    fn flush_around<R>(&self, ticket: FlushTicket, meanwhile: impl FnOnce() -> R) -> (R, Flushed) {
        self.store.hold_commits(1);
        let mut flushing = std::pin::pin!(self.flush.flush_once(ticket, &self.playground));
        assert!(poll_once(flushing.as_mut()).is_none(), "the commit is held");
        let during = meanwhile();
        (during, block_on(flushing))
    }

    /// Schedules, and runs flushes for as long as they are due at once, as the driver does.
    /// Returns what the last one left to do.
    fn flush_all(&self) -> FlushNext {
        let mut next = self.schedule();
        while let FlushNext::Now(ticket) = next {
            next = self.run(ticket).next;
        }
        next
    }

    /// The values of partition 0 of `topic` in this tab's broker.
    fn values(&self, topic: &str) -> Vec<String> {
        let broker = self.playground.borrow().broker();
        let broker = broker.borrow();
        values_of(&broker, topic)
    }

    fn read_only(&self) -> bool {
        self.playground.borrow().read_only().is_some()
    }
}

fn values_of(broker: &crate::broker::Broker, topic: &str) -> Vec<String> {
    broker
        .fetch(topic, 0, 0, u64::MAX)
        .expect("in range")
        .records()
        .expect("valid batches")
        .into_iter()
        .map(|r| String::from_utf8_lossy(&r.value.unwrap_or_default()).into_owned())
        .collect()
}

/// What a new tab would find of partition 0 of `topic` in `memory` (it claims the store:
/// every tab opened before is fenced from then on).
fn stored_values(memory: &MemoryStore, topic: &str) -> Vec<String> {
    let opened = block_on(open_loaded(
        memory.clone(),
        Rc::new(ManualClock::new(START)),
        OpenOptions { seed: 7 },
    ))
    .expect("reopens");
    values_of(&opened.broker, topic)
}

/// The Kafka error a failed delivery got; fails the test when it did not fail.
fn failure(state: DeliveryState) -> (ErrorCode, String) {
    match state {
        DeliveryState::Failed(error) => (error.code, error.message),
        other => panic!("the delivery failed, but it is {other:?}"),
    }
}
