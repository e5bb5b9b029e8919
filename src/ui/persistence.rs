//! Keeps the playground in IndexedDB: opens and recovers it at start (lazily: older batches
//! load in the background afterwards), flushes changes in one transaction when the flush
//! policy says so (a change has waited its delay, or enough bytes are waiting), and tells the
//! playground when a produce is stored.
//!
//! Owns the persister's life in the page, the flush timer and the order of flushes (one at a
//! time; changes made during a flush go in the next), and the background hydration loop. Must
//! not hold Kafka rules (the broker), storage layout (the storage module) or the trigger rule
//! (`storage::FlushSchedule`); it only moves events from the playground to the persister.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use crate::clock::{Clock, SimulatedClock, SystemClock};
use crate::storage::{
    self, hydrate_step, Durability, FlushDecision, FlushPolicy, FlushSchedule, IndexedDbStore,
    OpenOptions, Persister, StorageError,
};

use super::context::PlaygroundContext;
use crate::playground::engine::{human_bytes, Playground};

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

/// The delays the storage badge cycles through (ms).
pub const FLUSH_DELAY_CHOICES: [u64; 4] = [0, 25, 100, 1_000];

/// The persister and the flush schedule.
pub struct Persistence {
    persister: RefCell<Option<Persister<IndexedDbStore>>>,
    flushing: Cell<bool>,
    again: Cell<bool>,
    mode: RefCell<StorageMode>,
    schedule: RefCell<FlushSchedule>,
    timer_armed: Cell<bool>,
    /// A handle for hydration reads (the persister's own is taken out during a flush).
    hydration_store: RefCell<Option<IndexedDbStore>>,
    /// Cold batches left to load; 0 once everything is in memory.
    cold_batches: Cell<u64>,
    /// Set when another tab took the playground over: nothing is flushed any more.
    taken_over: Cell<bool>,
    /// Re-renders the page after a change storage made on its own (a takeover).
    on_change: RefCell<Option<Rc<dyn Fn()>>>,
}

impl Persistence {
    fn with(persister: Option<Persister<IndexedDbStore>>, mode: StorageMode) -> Self {
        Self {
            persister: RefCell::new(persister),
            flushing: Cell::new(false),
            again: Cell::new(false),
            mode: RefCell::new(mode),
            schedule: RefCell::new(FlushSchedule::new(FlushPolicy::default())),
            timer_armed: Cell::new(false),
            hydration_store: RefCell::new(None),
            cold_batches: Cell::new(0),
            taken_over: Cell::new(false),
            on_change: RefCell::new(None),
        }
    }

    /// What to call after storage changed the playground by itself, to re-render the page.
    pub fn on_change(&self, changed: Rc<dyn Fn()>) {
        *self.on_change.borrow_mut() = Some(changed);
    }

    fn changed(&self) {
        let changed = self.on_change.borrow().clone();
        if let Some(changed) = changed {
            changed();
        }
    }

    /// Another tab took the playground over (this tab lost its lock): the playground turns
    /// read-only and writes nothing more. The records not stored yet are rolled back and
    /// their deliveries fail, saying so; a flush already in flight finishes first (the store
    /// fences it if the other tab's claim came before it, so it either landed before the
    /// takeover or not at all). The page re-renders to show it.
    pub fn lose_ownership(&self, playground: &RefCell<Playground>) {
        self.taken_over.set(true);
        {
            let mut playground = playground.borrow_mut();
            if playground.read_only().is_none() {
                playground.make_read_only(crate::playground::engine::TAKEN_OVER);
            }
        }
        if !self.flushing.get() {
            self.abandon(playground);
        }
        self.changed();
    }

    /// Stops the persister for good, failing what it had not stored.
    fn abandon(&self, playground: &RefCell<Playground>) {
        let mut slot = self.persister.borrow_mut();
        let Some(persister) = slot.as_mut() else {
            return;
        };
        if persister.fenced().is_some() {
            return;
        }
        let mut playground = playground.borrow_mut();
        let broker = playground.broker();
        let error = persister.abandon(&mut broker.borrow_mut(), StorageError::TakenOver);
        playground.take_outbox();
        playground.flush_failed(&error);
    }

    /// Nothing is kept: every produce is acknowledged at once.
    pub fn memory_only(reason: String) -> Rc<Self> {
        Rc::new(Self::with(None, StorageMode::MemoryOnly(reason)))
    }

    /// When flushes happen.
    pub fn flush_policy(&self) -> FlushPolicy {
        self.schedule.borrow().policy()
    }

    /// Changes when flushes happen (the storage badge's setting); applies to waiting changes.
    pub fn set_flush_policy(self: &Rc<Self>, policy: FlushPolicy, store: PlaygroundContext) {
        self.schedule.borrow_mut().set_policy(policy);
        if let StorageMode::Persistent(durability) = self.mode() {
            super::storage_settings::save(durability, policy);
        }
        self.schedule_flush(store);
    }

    /// Batches still being loaded from storage after a lazy open (0 when all are loaded).
    pub fn cold_batches(&self) -> u64 {
        self.cold_batches.get()
    }

    /// Loads the batches the lazy open left in storage, a step at a time, newest first; the
    /// page re-renders as they arrive (a view waiting for older records fills in). A corrupt
    /// chunk found on the way is told in the timeline, and the repair is flushed.
    pub fn start_hydration(self: &Rc<Self>, store: PlaygroundContext) {
        let Some(idb) = self.hydration_store.borrow_mut().take() else {
            return;
        };
        let this = Rc::clone(self);
        spawn_local(async move {
            let broker = store.playground.borrow().broker();
            let mut steps = 0u32;
            loop {
                match hydrate_step(&idb, &broker, storage::hydration::DEFAULT_STEP_BATCHES).await {
                    Ok(Some(step)) => {
                        this.cold_batches.set(step.remaining_batches);
                        steps += 1;
                        if let Some(lost) = step.dropped {
                            let mut playground = store.playground.borrow_mut();
                            playground.tell_recovery(&step.partition, format!(
                                "Loading {} from storage found a corrupt batch and truncated it to offset {}: dropped {} record(s), {} ({})",
                                step.partition, lost.log_end_offset, lost.records, human_bytes(lost.bytes), lost.reason
                            ));
                            playground.absorb_changes();
                            drop(playground);
                            this.schedule_flush(store.clone());
                        }
                        // Re-render now and then, not at every step.
                        if steps % 10 == 0 {
                            store.storage_changed();
                        }
                    }
                    Ok(None) => break,
                    Err(error) => {
                        store.playground.borrow_mut().tell(format!(
                            "Loading older records from storage failed: {error}"
                        ));
                        break;
                    }
                }
            }
            this.cold_batches.set(broker.borrow().cold_batch_count());
            store.storage_changed();
        });
    }

    /// Where data lives now.
    pub fn mode(&self) -> StorageMode {
        self.mode.borrow().clone()
    }

    /// Switches between relaxed and strict durability for the next transactions.
    /// During a flush the persister is out; the flush loop applies the mode when it returns.
    pub fn set_durability(&self, durability: Durability) {
        if !matches!(self.mode(), StorageMode::Persistent(_)) {
            return;
        }
        *self.mode.borrow_mut() = StorageMode::Persistent(durability);
        if let Some(persister) = self.persister.borrow().as_ref() {
            persister.store().set_durability(durability);
        }
        super::storage_settings::save(durability, self.flush_policy());
    }

    /// Deletes everything this playground stored and starts afresh (the page reloads). Waits
    /// for a running flush to finish first, so no write lands after the deletion.
    pub async fn reset_playground(&self) -> Result<(), String> {
        while self.flushing.get() {
            gloo::timers::future::TimeoutFuture::new(20).await;
        }
        let persister = self.persister.borrow_mut().take();
        super::timeline_storage::clear();
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

    /// Moves the playground's pending changes to the persister and flushes them when the
    /// flush policy says so (now, or from a timer at the oldest change's deadline), one flush
    /// at a time; a call during a flush makes the running loop consider flushing once more.
    pub fn schedule_flush(self: &Rc<Self>, store: PlaygroundContext) {
        // First: while a flush runs its persister is taken out, which must not read as
        // "memory only" — that dropped the outbox of every change made during a flush.
        if self.flushing.get() {
            self.again.set(true);
            return;
        }
        {
            let mut slot = self.persister.borrow_mut();
            let Some(persister) = slot.as_mut() else {
                // Memory only: drop the events (nothing keeps them) so the outbox does not grow.
                store.playground.borrow_mut().take_outbox();
                return;
            };
            if let Some(reason) = persister.fenced().cloned() {
                // Taken over by another tab: nothing will store these changes. Roll them back
                // and fail their deliveries (a produce must not wait "storing…" for ever), and
                // make sure the playground is read-only.
                let mut playground = store.playground.borrow_mut();
                if !playground.take_outbox().is_empty() {
                    let broker = playground.broker();
                    let error = persister.abandon(&mut broker.borrow_mut(), reason);
                    playground.flush_failed(&error);
                }
                return;
            }
        }
        if !self.flush_due(&store) {
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
                this.schedule.borrow_mut().flush_started();
                let broker = store.playground.borrow().broker();
                let result = persister.flush(&broker).await;
                // A durability switched while this flush ran applies from the next one.
                if let StorageMode::Persistent(durability) = this.mode() {
                    persister.store().set_durability(durability);
                }
                *this.persister.borrow_mut() = Some(persister);
                match result {
                    Ok(report) => {
                        let mut playground = store.playground.borrow_mut();
                        for range in &report.acked {
                            playground.acknowledge(&range.partition, range.to);
                        }
                    }
                    // A fenced write also turns the playground read-only.
                    Err(error) => store.playground.borrow_mut().flush_failed(&error),
                }
                if this.taken_over.get() {
                    this.abandon(&store.playground);
                    store.storage_changed();
                    break;
                }
                store.storage_changed();
                if !this.again.get() || !this.flush_due(&store) {
                    break;
                }
            }
            this.flushing.set(false);
        });
    }

    /// Takes the outbox into the persister, notes the change and asks the schedule; when a
    /// flush is not due yet, arms one timer for the deadline. True when a flush is due now.
    fn flush_due(self: &Rc<Self>, store: &PlaygroundContext) -> bool {
        let now = SystemClock.now_ms();
        let dirty_bytes = {
            let mut slot = self.persister.borrow_mut();
            let Some(persister) = slot.as_mut() else {
                return false;
            };
            let events = store.playground.borrow_mut().take_outbox();
            if !events.is_empty() {
                self.schedule.borrow_mut().note_change(now);
            }
            persister.absorb_events(events);
            persister.pending_bytes()
        };
        match self.schedule.borrow().decide(dirty_bytes, now) {
            FlushDecision::Now => true,
            FlushDecision::Idle => false,
            FlushDecision::After(ms) => {
                if !self.timer_armed.replace(true) {
                    let this = Rc::clone(self);
                    let store = store.clone();
                    let ms = u32::try_from(ms).unwrap_or(u32::MAX);
                    gloo::timers::callback::Timeout::new(ms, move || {
                        this.timer_armed.set(false);
                        this.schedule_flush(store);
                    })
                    .forget();
                }
                false
            }
        }
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
    let hydration_store = store.clone();
    match storage::open(store, broker_clock, OpenOptions { seed }).await {
        Ok(opened) => {
            let cold_batches = opened.broker.cold_batch_count();
            let mut playground = Playground::with_broker(opened.broker, clock, seed, true);
            playground.restore_timelines(super::timeline_storage::load());
            let report = &opened.report;
            if report.topics > 0 {
                playground.tell(format!(
                    "Reopened from this browser's storage: {} topic(s), {} partition(s), {} chunk(s) ({}); {} older chunk(s) ({}) load in the background",
                    report.topics, report.partitions, report.chunks, human_bytes(report.bytes), report.cold_chunks, human_bytes(report.cold_bytes)
                ));
            }
            if report.upgraded_chunks > 0 {
                playground.tell(format!(
                    "Upgraded {} stored chunk(s) to the current storage format",
                    report.upgraded_chunks
                ));
            }
            if let Some(refused) = &report.refused_for_space {
                playground.tell(format!(
                    "Opened what this browser has stored, but it refused to store more: {refused}"
                ));
            }
            for drop in &report.dropped {
                playground.tell_recovery(
                    &drop.partition,
                    format!(
                        "Recovery truncated {} to offset {}: dropped {} record(s), {} ({})",
                        drop.partition,
                        drop.log_end_offset,
                        drop.records,
                        human_bytes(drop.bytes),
                        drop.reasons.join("; ")
                    ),
                );
            }
            request_persistent_storage();
            // The learner's settings from an earlier visit (relaxed, flush at once, if none).
            let (durability, policy) = super::storage_settings::load();
            opened.persister.store().set_durability(durability);
            let persistence =
                Persistence::with(Some(opened.persister), StorageMode::Persistent(durability));
            persistence.schedule.borrow_mut().set_policy(policy);
            persistence.cold_batches.set(cold_batches);
            *persistence.hydration_store.borrow_mut() = Some(hydration_store);
            let persistence = Rc::new(persistence);
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
