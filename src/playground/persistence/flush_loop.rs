//! The flush loop: moves the playground's changes to the persister, flushes them when the
//! flush policy says so, one flush at a time, and tells the playground what was stored.
//!
//! Owns the loop's state (the persister, taken out while a flush runs; the changes handed
//! over during a flush; the armed timer's deadline; the durability to apply; whether another
//! tab took over) and every decision on it, each returned as a [`FlushNext`] so a test can
//! check it. Must not wait or arm a timer itself (the adapter does what [`FlushNext`] says),
//! read the wall clock (time comes from the injected [`Clock`]) nor hold a borrow of the
//! playground across an await (the page keeps using it while a commit is in flight).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::broker::BrokerEvent;
use crate::clock::Clock;
use crate::playground::engine::{Playground, TAKEN_OVER};
use crate::storage::{
    BatchCache, Durability, FlushDecision, FlushError, FlushPolicy, FlushReport, FlushSchedule,
    Persister, SegmentStore, StorageError,
};

use super::{StorageMode, StorageSettings};

/// The right to run one flush: only [`FlushLoop::schedule`] (and the loop itself) hands one
/// out, when no flush runs, so two flushes of one loop never overlap.
#[derive(Debug, PartialEq, Eq)]
pub struct FlushTicket(());

/// What the adapter does next.
#[derive(Debug, PartialEq, Eq)]
pub enum FlushNext {
    /// Nothing waits to be stored, or nothing will be (memory only; another tab took over).
    Idle,
    /// A flush is due and has begun: run [`FlushLoop::flush_once`] with this ticket now.
    Now(FlushTicket),
    /// A change waits for its delay: arm one timer for this many ms, then call
    /// [`FlushLoop::timer_fired`].
    Timer(u64),
    /// A change waits for its delay, and a timer already armed fires by its deadline:
    /// nothing to arm.
    TimerArmed,
    /// A flush is running: it takes these changes into the next flush when it returns.
    InFlight,
}

/// What one flush did, and what to do next.
#[derive(Debug)]
pub struct Flushed {
    /// The flush's outcome: the offsets now stored, or why nothing was (the playground was
    /// told either way: acknowledgements, or failed deliveries).
    pub outcome: Result<FlushReport, FlushError>,
    /// What to do next: [`FlushNext::Now`] when changes made during the flush are due at once.
    pub next: FlushNext,
}

/// The flush loop of one playground over a store `S`.
pub struct FlushLoop<S> {
    /// Real time: a change's delay is the learner's wait, not the simulated clock's.
    clock: Rc<dyn Clock>,
    /// `None` while a flush runs (it holds the persister across the commit), for a memory-only
    /// playground, and once closed.
    persister: RefCell<Option<Persister<S>>>,
    /// Why nothing is kept, for a memory-only playground.
    memory_only: Option<String>,
    durability: Cell<Durability>,
    schedule: RefCell<FlushSchedule>,
    flushing: Cell<bool>,
    /// The changes handed over while a flush ran (its persister is out); the next flush takes
    /// them before anything newer, so their order is kept.
    during_flush: RefCell<Vec<BrokerEvent>>,
    /// The deadline of the earliest timer armed and not fired yet.
    timer_at: Cell<Option<i64>>,
    /// Another tab took the playground over (this tab lost its lock).
    taken_over: Cell<bool>,
    /// The budget of batches kept in memory once stored; `None`: nothing is evicted.
    cache: Cell<Option<BatchCache>>,
}

impl<S: SegmentStore> FlushLoop<S> {
    /// A loop flushing into `persister` with `settings`; `clock` gives real time.
    pub fn new(persister: Persister<S>, settings: StorageSettings, clock: Rc<dyn Clock>) -> Self {
        persister.store().set_durability(settings.durability);
        Self::with(Some(persister), None, settings, clock)
    }

    /// A loop for a playground kept in memory only, because of `reason`: every change is
    /// dropped from the outbox (nothing keeps it, and the outbox must not grow).
    pub fn memory_only(reason: String, clock: Rc<dyn Clock>) -> Self {
        Self::with(None, Some(reason), StorageSettings::default(), clock)
    }

    fn with(
        persister: Option<Persister<S>>,
        memory_only: Option<String>,
        settings: StorageSettings,
        clock: Rc<dyn Clock>,
    ) -> Self {
        Self {
            clock,
            persister: RefCell::new(persister),
            memory_only,
            durability: Cell::new(settings.durability),
            schedule: RefCell::new(FlushSchedule::new(settings.policy)),
            flushing: Cell::new(false),
            during_flush: RefCell::new(Vec::new()),
            timer_at: Cell::new(None),
            taken_over: Cell::new(false),
            cache: Cell::new(None),
        }
    }

    /// Evicts stored batches down to `cache`'s budget after every successful flush (`None`:
    /// never; a memory-only playground has nothing that could load them back).
    pub fn set_cache(&self, cache: Option<BatchCache>) {
        if self.memory_only.is_none() {
            self.cache.set(cache);
        }
    }

    /// Where data lives now.
    pub fn mode(&self) -> StorageMode {
        match &self.memory_only {
            Some(reason) => StorageMode::MemoryOnly(reason.clone()),
            None => StorageMode::Persistent(self.durability.get()),
        }
    }

    /// The settings in force (what the adapter keeps for the next visit).
    pub fn settings(&self) -> StorageSettings {
        StorageSettings {
            durability: self.durability.get(),
            policy: self.flush_policy(),
        }
    }

    /// When flushes happen.
    pub fn flush_policy(&self) -> FlushPolicy {
        self.schedule.borrow().policy()
    }

    /// Changes when flushes happen; a waiting change keeps its age. Call
    /// [`FlushLoop::schedule`] afterwards: the change may be due now, or sooner.
    pub fn set_flush_policy(&self, policy: FlushPolicy) {
        self.schedule.borrow_mut().set_policy(policy);
    }

    /// Switches the durability of the next commits. A flush in flight keeps the durability
    /// it began with; the loop applies the new one when it returns, before the next flush.
    /// Ignored for a memory-only playground (there is nothing to make durable).
    pub fn set_durability(&self, durability: Durability) {
        if self.memory_only.is_some() {
            return;
        }
        self.durability.set(durability);
        if let Some(persister) = self.persister.borrow().as_ref() {
            persister.store().set_durability(durability);
        }
    }

    /// True while a flush runs.
    pub fn is_flushing(&self) -> bool {
        self.flushing.get()
    }

    /// Takes the playground's changes and says what to do: flush now (a ticket), arm a timer
    /// for the oldest change's deadline, or nothing. Call it after every change. During a
    /// flush the changes are kept for the next one ([`FlushNext::InFlight`]): the persister
    /// is out, which must not read as "memory only" (that once dropped the outbox of every
    /// change made during a flush).
    pub fn schedule(&self, playground: &RefCell<Playground>) -> FlushNext {
        let events = playground.borrow_mut().take_outbox();
        if self.flushing.get() {
            if !events.is_empty() {
                self.schedule.borrow_mut().note_change(self.clock.now_ms());
            }
            self.during_flush.borrow_mut().extend(events);
            return FlushNext::InFlight;
        }
        let mut events_so_far = std::mem::take(&mut *self.during_flush.borrow_mut());
        events_so_far.extend(events);
        let mut slot = self.persister.borrow_mut();
        // Memory only, or closed: nothing keeps the events, so drop them.
        let Some(persister) = slot.as_mut() else {
            return FlushNext::Idle;
        };
        if let Some(reason) = persister.fenced().cloned() {
            // Taken over by another tab: nothing will store these changes. Roll back what
            // they added and fail its deliveries (a produce must not wait "storing…" for
            // ever); what an earlier failure rolled back was told then.
            if !events_so_far.is_empty() {
                let mut playground = playground.borrow_mut();
                let broker = playground.broker();
                let error = persister.abandon(&mut broker.borrow_mut(), reason);
                if !error.rolled_back.is_empty() {
                    playground.flush_failed(&error);
                }
            }
            return FlushNext::Idle;
        }
        let now = self.clock.now_ms();
        if !events_so_far.is_empty() {
            self.schedule.borrow_mut().note_change(now);
        }
        // Spark's catalog (a query's commit, a table's new version) goes with the next flush.
        if let Some(records) = playground.borrow_mut().take_spark_records() {
            persister.set_app_records(records);
            self.schedule.borrow_mut().note_change(now);
        }
        persister.absorb_events(events_so_far);
        let decision = self
            .schedule
            .borrow()
            .decide(persister.pending_bytes(), now);
        drop(slot);
        match decision {
            FlushDecision::Idle => FlushNext::Idle,
            FlushDecision::Now => {
                self.flushing.set(true);
                FlushNext::Now(FlushTicket(()))
            }
            FlushDecision::After(ms) => {
                let deadline = now.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX));
                match self.timer_at.get() {
                    Some(armed) if armed <= deadline => FlushNext::TimerArmed,
                    _ => {
                        self.timer_at.set(Some(deadline));
                        FlushNext::Timer(ms)
                    }
                }
            }
        }
    }

    /// A timer armed for [`FlushNext::Timer`] fired: decides again. Any timer firing forgets
    /// the armed deadline, so a late or stale one can cost an extra timer but never leave a
    /// change without one.
    pub fn timer_fired(&self, playground: &RefCell<Playground>) -> FlushNext {
        self.timer_at.set(None);
        self.schedule(playground)
    }

    /// Runs the flush `ticket` allows: every change so far in one transaction. On success
    /// the produces now stored are acknowledged; on failure the persister rolled back what
    /// was not stored and the playground fails its deliveries (and turns read-only when
    /// another tab took over). Changes made meanwhile are then scheduled as by
    /// [`FlushLoop::schedule`]; `next` says what to do with them.
    pub async fn flush_once(
        &self,
        ticket: FlushTicket,
        playground: &RefCell<Playground>,
    ) -> Flushed {
        let FlushTicket(()) = ticket;
        let taken = self.persister.borrow_mut().take();
        let Some(mut persister) = taken else {
            self.flushing.set(false);
            return Flushed {
                outcome: Ok(FlushReport::default()),
                next: FlushNext::Idle,
            };
        };
        let mut events = std::mem::take(&mut *self.during_flush.borrow_mut());
        events.extend(playground.borrow_mut().take_outbox());
        persister.absorb_events(events);
        self.schedule.borrow_mut().flush_started();
        let broker = playground.borrow().broker();
        let outcome = persister.flush(&broker).await;
        // A durability switched while this flush ran applies from the next one.
        persister.store().set_durability(self.durability.get());
        *self.persister.borrow_mut() = Some(persister);
        self.flushing.set(false);
        {
            let mut playground = playground.borrow_mut();
            match &outcome {
                Ok(report) => {
                    for range in &report.acked {
                        playground.acknowledge(&range.partition, range.to);
                    }
                    // What the store now holds may leave memory; a tab that lost its lock
                    // keeps what it has (the new owner may rewrite the stored chunks).
                    if let Some(cache) = self.cache.get() {
                        if playground.read_only().is_none() {
                            cache.evict(&mut playground.broker().borrow_mut());
                        }
                    }
                }
                // A fenced write also turns the playground read-only.
                Err(error) => playground.flush_failed(error),
            }
        }
        if self.taken_over.get() {
            self.abandon(playground);
            return Flushed {
                outcome,
                next: FlushNext::Idle,
            };
        }
        Flushed {
            outcome,
            next: self.schedule(playground),
        }
    }

    /// Another tab took the playground over (this tab lost its lock): the playground turns
    /// read-only and nothing more is written. What was not stored is rolled back and its
    /// deliveries fail, saying so; a flush in flight finishes first (the store fences it if
    /// the other tab's claim came before it, so it landed before the takeover or not at all).
    pub fn lose_ownership(&self, playground: &RefCell<Playground>) {
        self.taken_over.set(true);
        {
            let mut playground = playground.borrow_mut();
            if playground.read_only().is_none() {
                playground.make_read_only(TAKEN_OVER);
            }
        }
        if !self.flushing.get() {
            self.abandon(playground);
        }
    }

    /// Stops the persister for good, failing what it had not stored.
    fn abandon(&self, playground: &RefCell<Playground>) {
        self.during_flush.borrow_mut().clear();
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

    /// Takes the persister out for good (the playground is being deleted), giving back its
    /// store; `None` while a flush runs (wait for [`FlushLoop::is_flushing`] to turn false:
    /// no write may land after the deletion) or when nothing is kept. Changes after this are
    /// dropped.
    pub fn close(&self) -> Option<S> {
        if self.flushing.get() {
            return None;
        }
        let persister = self.persister.borrow_mut().take()?;
        Some(persister.into_store())
    }
}
