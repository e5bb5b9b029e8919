//! Keeps the timelines (the overview's and the groups page's) between visits, in localStorage.
//!
//! Owns the storage key and the save/load/clear of [`KeptTimelines`]. The timelines are the
//! story of the log, not the log: they sit beside the IndexedDB playground, are kept only when it
//! is (never for a memory-only playground), never by a tab that turned read-only (the new owner
//! writes them), and go when the playground is reset. Must not decide what a timeline says: the
//! playground does.

use std::cell::RefCell;

use super::local_kept;
use crate::playground::engine::{KeptTimelines, Playground};

/// Where the timelines are kept.
const KEY: &str = "brooklet.timelines";

thread_local! {
    /// What was written last, so an unchanged timeline (most re-renders) is not written again.
    static LAST_SAVED: RefCell<Option<KeptTimelines>> = const { RefCell::new(None) };
}

/// The timelines an earlier visit kept; none when there are none or they cannot be read.
pub fn load() -> KeptTimelines {
    local_kept::load(KEY, &LAST_SAVED)
}

/// Keeps the playground's timelines if they changed since the last save. A full or disabled
/// localStorage only means they are not kept, which is not worth interrupting the learner for.
pub fn save(playground: &Playground) {
    if playground.read_only().is_some() {
        return;
    }
    local_kept::save_if_changed(KEY, &LAST_SAVED, playground.timelines_to_keep());
}

/// Forgets the kept timelines (the playground is being reset).
pub fn clear() {
    local_kept::clear(KEY, &LAST_SAVED);
}
