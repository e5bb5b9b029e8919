//! Keeps the playground in IndexedDB: the web driver of the native flush and hydration loops
//! (`playground::persistence`).
//!
//! Owns what only a browser has: opening IndexedDB (or falling back to memory), the learner's
//! settings and timelines in localStorage, running the loops' futures (`spawn_local`), the
//! timers a waiting change asks for, deleting the database on reset, and the storage
//! estimate. Must not decide anything the loops decide (when to flush, what a failure or a
//! takeover does, what the timeline says): it does what [`FlushNext`] and
//! [`HydrationProgress`] say. Takes the playground, not the Yew context, so components
//! depend on it and not the other way round.

use std::cell::RefCell;
use std::rc::Rc;

use thiserror::Error;
use wasm_bindgen_futures::spawn_local;

use crate::clock::{Clock, SystemClock};
use crate::playground::engine::Playground;
use crate::playground::persistence::{
    memory_playground, open_kept, FlushLoop, FlushNext, HydrationLoop, HydrationProgress, Kept,
};
use crate::storage::{Durability, FlushPolicy, IndexedDbStore, StorageError};

pub use crate::playground::persistence::StorageMode;

/// The playground's name in storage (one per origin for now).
pub const PLAYGROUND_NAME: &str = "default";

/// How long the loading loop waits before looking again when it had nothing to do (ms): a
/// consumer that found its batch cold gets it about this much later, at its next poll.
const IDLE_MS: u32 = 20;

/// How long the loading loop waits after a failed read before serving readers again (ms).
const FAILED_RETRY_MS: u32 = 1_000;

/// The delays the storage badge cycles through (ms).
pub const FLUSH_DELAY_CHOICES: [u64; 4] = [0, 25, 100, 1_000];

/// Why the playground could not be reset.
#[derive(Debug, Error)]
pub enum ResetError {
    /// IndexedDB refused to delete the database.
    #[error("The playground could not be deleted: {0}")]
    Delete(StorageError),
    /// The page could not reload itself after the deletion.
    #[error("The page could not reload: {0}. Reload it by hand.")]
    Reload(String),
}

/// The flush and hydration loops of the page's playground, and who to tell when they changed
/// it.
pub struct Persistence {
    flush: FlushLoop<IndexedDbStore>,
    /// `None` for a memory-only playground.
    hydration: Option<HydrationLoop<IndexedDbStore>>,
    /// Re-renders the page after a change storage made on its own.
    on_change: RefCell<Option<Rc<dyn Fn()>>>,
}

impl Persistence {
    fn with(
        flush: FlushLoop<IndexedDbStore>,
        hydration: Option<HydrationLoop<IndexedDbStore>>,
    ) -> Rc<Self> {
        Rc::new(Self {
            flush,
            hydration,
            on_change: RefCell::new(None),
        })
    }

    /// What to call after storage changed the playground by itself (an acknowledgement, a
    /// failure, a takeover, hydrated batches), to re-render the page.
    pub fn on_change(&self, changed: Rc<dyn Fn()>) {
        *self.on_change.borrow_mut() = Some(changed);
    }

    fn changed(&self) {
        let changed = self.on_change.borrow().clone();
        if let Some(changed) = changed {
            changed();
        }
    }

    /// Where data lives now.
    pub fn mode(&self) -> StorageMode {
        self.flush.mode()
    }

    /// Another tab took the playground over (this tab lost its lock): read-only from now on,
    /// and what was not stored fails its delivery ([`FlushLoop::lose_ownership`]). The page
    /// re-renders to show it.
    pub fn lose_ownership(&self, playground: &RefCell<Playground>) {
        self.flush.lose_ownership(playground);
        self.changed();
    }

    /// When flushes happen.
    pub fn flush_policy(&self) -> FlushPolicy {
        self.flush.flush_policy()
    }

    /// Changes when flushes happen (the storage badge's setting), keeps it for the next visit
    /// and applies it to the changes waiting.
    pub fn set_flush_policy(
        self: &Rc<Self>,
        policy: FlushPolicy,
        playground: &Rc<RefCell<Playground>>,
    ) {
        self.flush.set_flush_policy(policy);
        self.keep_settings();
        self.schedule_flush(playground);
    }

    /// Switches between relaxed and strict durability for the next transactions, and keeps
    /// the choice for the next visit.
    pub fn set_durability(&self, durability: Durability) {
        self.flush.set_durability(durability);
        self.keep_settings();
    }

    fn keep_settings(&self) {
        if matches!(self.mode(), StorageMode::Persistent(_)) {
            super::storage_settings::save(self.flush.settings());
        }
    }

    /// The budget of batches kept in memory once stored (`None` for a memory-only
    /// playground, which keeps everything).
    pub fn cache_budget(&self) -> Option<u64> {
        self.hydration.as_ref().map(|h| h.cache().budget())
    }

    /// Stores the playground's changes when the flush policy says so: at once, or from a
    /// timer at the oldest change's deadline. Call it after every change.
    pub fn schedule_flush(self: &Rc<Self>, playground: &Rc<RefCell<Playground>>) {
        let next = self.flush.schedule(playground);
        self.follow(next, playground);
    }

    /// Does what the flush loop asked: runs flushes while they are due (re-rendering after
    /// each), or arms its timer.
    fn follow(self: &Rc<Self>, next: FlushNext, playground: &Rc<RefCell<Playground>>) {
        match next {
            FlushNext::Now(ticket) => {
                let (this, playground) = (Rc::clone(self), Rc::clone(playground));
                spawn_local(async move {
                    let mut next = FlushNext::Now(ticket);
                    while let FlushNext::Now(ticket) = next {
                        next = this.flush.flush_once(ticket, &playground).await.next;
                        this.changed();
                    }
                    this.follow(next, &playground);
                });
            }
            FlushNext::Timer(ms) => {
                let (this, playground) = (Rc::clone(self), Rc::clone(playground));
                let ms = u32::try_from(ms).unwrap_or(u32::MAX);
                gloo::timers::callback::Timeout::new(ms, move || {
                    let next = this.flush.timer_fired(&playground);
                    this.follow(next, &playground);
                })
                .forget();
            }
            FlushNext::Idle | FlushNext::TimerArmed | FlushNext::InFlight => {}
        }
    }

    /// Runs the loading loop in the background (once, for the page's life): it loads what
    /// readers ask for and, after the open, the newest batches the budget allows; when it has
    /// nothing to do it looks again every [`IDLE_MS`]. The page re-renders as batches arrive,
    /// and a repair found on the way is flushed.
    pub fn start_hydration(self: &Rc<Self>, playground: &Rc<RefCell<Playground>>) {
        let Some(hydration) = &self.hydration else {
            return;
        };
        if !hydration.start() {
            return;
        }
        let (this, playground) = (Rc::clone(self), Rc::clone(playground));
        spawn_local(async move {
            let Some(hydration) = &this.hydration else {
                return;
            };
            let mut was_idle = false;
            loop {
                match hydration.step(&playground).await {
                    HydrationProgress::Loaded { repaired, render } => {
                        if repaired {
                            this.schedule_flush(&playground);
                        }
                        if render {
                            this.changed();
                        }
                        was_idle = false;
                    }
                    HydrationProgress::Idle => {
                        if !was_idle {
                            this.changed();
                        }
                        was_idle = true;
                        gloo::timers::future::TimeoutFuture::new(IDLE_MS).await;
                    }
                    HydrationProgress::Failed(_) => {
                        this.changed();
                        gloo::timers::future::TimeoutFuture::new(FAILED_RETRY_MS).await;
                    }
                }
            }
        });
    }

    /// Deletes everything this playground stored and starts afresh (the page reloads). Waits
    /// for a running flush to finish first, so no write lands after the deletion.
    pub async fn reset_playground(&self) -> Result<(), ResetError> {
        while self.flush.is_flushing() {
            gloo::timers::future::TimeoutFuture::new(20).await;
        }
        let store = self.flush.close();
        super::timeline_storage::clear();
        super::notebook_storage::clear();
        if let Some(store) = store {
            store.close();
            IndexedDbStore::delete(PLAYGROUND_NAME)
                .await
                .map_err(ResetError::Delete)?;
        }
        gloo::utils::window()
            .location()
            .reload()
            .map_err(|e| ResetError::Reload(format!("{e:?}")))
    }
}

/// Opens the playground from IndexedDB, recovering what was kept; falls back to memory with
/// the reason when IndexedDB cannot be used (private mode, blocked storage, an old browser).
pub async fn open_playground(seed: u64) -> (Playground, Rc<Persistence>) {
    let real: Rc<dyn Clock> = Rc::new(SystemClock);
    let opened = match IndexedDbStore::open(PLAYGROUND_NAME, Durability::Relaxed).await {
        Ok(store) => {
            let settings = super::storage_settings::load();
            let earlier = super::timeline_storage::load();
            open_kept(store, Rc::clone(&real), seed, settings, earlier).await
        }
        Err(error) => Err(error),
    };
    match opened {
        Ok(Kept {
            playground,
            flush,
            hydration,
        }) => {
            request_persistent_storage();
            (playground, Persistence::with(flush, Some(hydration)))
        }
        Err(error) => {
            let (playground, flush) = memory_playground(real, seed, error.to_string());
            (playground, Persistence::with(flush, None))
        }
    }
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

/// The wasm linear memory's size in bytes (it grows, never shrinks: this is the peak so far);
/// `None` off wasm.
pub fn wasm_memory_bytes() -> Option<u64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65_536)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
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
