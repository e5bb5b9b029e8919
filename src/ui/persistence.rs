//! Keeps the playground in IndexedDB: opens and recovers it at start, flushes each change
//! in one transaction, and tells the playground when a produce is stored.
//!
//! Owns the persister's life in the page and the order of flushes (one at a time; changes made
//! during a flush go in the next). Must not hold Kafka rules (the broker) or storage layout
//! (the storage module); it only moves events from the playground to the persister.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use crate::clock::{Clock, SimulatedClock, SystemClock};
use crate::storage::{self, Durability, IndexedDbStore, OpenOptions, Persister};

use super::context::{Changed, PlaygroundContext};
use super::playground::Playground;

/// The playground's name in storage (one per origin for now).
pub const PLAYGROUND_NAME: &str = "default";

/// Where the playground's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageMode {
    /// In IndexedDB, with this durability.
    Persistent(Durability),
    /// In memory only, and why.
    MemoryOnly(String),
}

/// The persister and the flush schedule.
pub struct Persistence {
    persister: RefCell<Option<Persister<IndexedDbStore>>>,
    flushing: Cell<bool>,
    again: Cell<bool>,
    mode: RefCell<StorageMode>,
}

impl Persistence {
    /// Nothing is kept: every produce is acknowledged at once.
    pub fn memory_only(reason: String) -> Rc<Self> {
        Rc::new(Self {
            persister: RefCell::new(None),
            flushing: Cell::new(false),
            again: Cell::new(false),
            mode: RefCell::new(StorageMode::MemoryOnly(reason)),
        })
    }

    /// Where data lives now.
    pub fn mode(&self) -> StorageMode {
        self.mode.borrow().clone()
    }

    /// Switches between relaxed and strict durability for the next transactions.
    pub fn set_durability(&self, durability: Durability) {
        if let Some(persister) = self.persister.borrow().as_ref() {
            persister.store().set_durability(durability);
            *self.mode.borrow_mut() = StorageMode::Persistent(durability);
        }
    }

    /// Deletes everything this playground stored and starts afresh (the page reloads). Waits
    /// for a running flush to finish first, so no write lands after the deletion.
    pub async fn reset_playground(&self) -> Result<(), String> {
        while self.flushing.get() {
            gloo::timers::future::TimeoutFuture::new(20).await;
        }
        let persister = self.persister.borrow_mut().take();
        if let Some(persister) = persister {
            persister.store().close();
            IndexedDbStore::delete(PLAYGROUND_NAME)
                .await
                .map_err(|e| format!("The playground could not be deleted: {e}"))?;
        }
        gloo::utils::window()
            .location()
            .reload()
            .map_err(|e| format!("The page could not reload: {e:?}. Reload it by hand."))
    }

    /// Moves the playground's pending changes to the persister and flushes them, one flush at
    /// a time; a call during a flush makes the running loop flush once more.
    pub fn schedule_flush(self: &Rc<Self>, store: PlaygroundContext) {
        // First: while a flush runs its persister is taken out, which must not read as
        // "memory only" — that dropped the outbox of every change made during a flush.
        if self.flushing.get() {
            self.again.set(true);
            return;
        }
        if self.persister.borrow().is_none() {
            // Memory only: drop the events (nothing keeps them) so the outbox does not grow.
            store.playground.borrow_mut().take_outbox();
            return;
        }
        self.flushing.set(true);
        let this = Rc::clone(self);
        spawn_local(async move {
            loop {
                this.again.set(false);
                let Some(mut persister) = this.persister.borrow_mut().take() else {
                    break;
                };
                let events = store.playground.borrow_mut().take_outbox();
                persister.absorb_events(events);
                let broker = store.playground.borrow().broker();
                let result = persister.flush(&broker).await;
                *this.persister.borrow_mut() = Some(persister);
                match result {
                    Ok(report) => {
                        let mut playground = store.playground.borrow_mut();
                        for range in &report.acked {
                            playground.acknowledge(&range.partition, range.to);
                        }
                    }
                    Err(error) => store
                        .playground
                        .borrow_mut()
                        .storage_failed(error.to_string()),
                }
                store.dispatch(Changed);
                if !this.again.get() {
                    break;
                }
            }
            this.flushing.set(false);
        });
    }
}

/// Opens the playground from IndexedDB, recovering what was kept; falls back to memory with
/// the reason when IndexedDB cannot be used (private mode, blocked storage, an old browser).
pub async fn open_playground(seed: u64) -> (Playground, Rc<Persistence>) {
    let clock = SimulatedClock::new(Rc::new(SystemClock));
    let store = match IndexedDbStore::open(PLAYGROUND_NAME, Durability::Relaxed).await {
        Ok(store) => store,
        Err(error) => return memory_playground(clock, seed, error.to_string()),
    };
    let broker_clock: Rc<dyn Clock> = Rc::new(clock.clone());
    match storage::open(store, broker_clock, OpenOptions { seed }).await {
        Ok(opened) => {
            let mut playground = Playground::with_broker(opened.broker, clock, seed, true);
            let report = &opened.report;
            if report.topics > 0 {
                playground.tell(format!(
                    "Reopened from this browser's storage: {} topic(s), {} partition(s), {} chunk(s) ({} bytes)",
                    report.topics, report.partitions, report.chunks, report.bytes
                ));
            }
            for drop in &report.dropped {
                playground.tell(format!(
                    "Recovery truncated {} to offset {}: dropped {} record(s), {} byte(s) ({})",
                    drop.partition,
                    drop.log_end_offset,
                    drop.records,
                    drop.bytes,
                    drop.reasons.join("; ")
                ));
            }
            request_persistent_storage();
            let persistence = Rc::new(Persistence {
                persister: RefCell::new(Some(opened.persister)),
                flushing: Cell::new(false),
                again: Cell::new(false),
                mode: RefCell::new(StorageMode::Persistent(Durability::Relaxed)),
            });
            (playground, persistence)
        }
        Err(error) => memory_playground(clock, seed, error.to_string()),
    }
}

fn memory_playground(
    clock: SimulatedClock,
    seed: u64,
    reason: String,
) -> (Playground, Rc<Persistence>) {
    let broker = crate::broker::Broker::new(Rc::new(clock.clone()), seed);
    let mut playground = Playground::with_broker(broker, clock, seed, false);
    playground.tell(format!("Running in memory only: {reason}"));
    (playground, Persistence::memory_only(reason))
}

/// Asks the browser not to evict our data under storage pressure. The answer only changes
/// eviction priority, so it is not waited for.
fn request_persistent_storage() {
    if let Some(window) = web_sys::window() {
        if let Ok(promise) = window.navigator().storage().persist() {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// Bytes used and the quota, from `navigator.storage.estimate()`.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let promise = web_sys::window()?.navigator().storage().estimate().ok()?;
    let estimate: web_sys::StorageEstimate = wasm_bindgen::JsCast::unchecked_into(
        wasm_bindgen_futures::JsFuture::from(promise).await.ok()?,
    );
    Some((estimate.get_usage()?, estimate.get_quota()?))
}
