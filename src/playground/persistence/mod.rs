//! Keeping the playground between visits, as plain Rust: opening it from a store (lazily:
//! older batches load when read, within a byte budget), the flush loop that moves the
//! playground's changes to the persister and acknowledges produces once stored, and the
//! background hydration loop.
//!
//! Owns the order of flushes (one at a time; changes made during a flush go in the next),
//! when to flush (asking [`crate::storage::FlushSchedule`] with the injected clock's time),
//! the durability switch, what a failed or fenced flush and a lost lock do to the playground
//! (roll back, fail deliveries, turn read-only), and the timeline lines storage adds. Must
//! not wait, spawn or arm a timer, nor read the wall clock or touch a web API: the adapter
//! (`ui/persistence.rs`) runs the futures and the timers these loops ask for. Must not hold
//! Kafka rules (the broker), the stored layout (`storage`) or the trigger rule
//! (`FlushSchedule`).

mod flush_loop;
mod hydration_loop;
mod opening;

pub use flush_loop::{FlushLoop, FlushNext, FlushTicket, Flushed};
pub use hydration_loop::{HydrationLoop, HydrationProgress};
pub use opening::{memory_playground, open_kept, Kept};

use crate::storage::{Durability, FlushPolicy};

/// Where the playground's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageMode {
    /// In a store (IndexedDB), with this durability.
    Persistent(Durability),
    /// In memory only, and why.
    MemoryOnly(String),
}

/// The learner's storage settings: how hard a commit waits for the disk, and when flushes
/// happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StorageSettings {
    /// The durability of each commit.
    pub durability: Durability,
    /// When flushes happen.
    pub policy: FlushPolicy,
}

#[cfg(test)]
mod tests;
