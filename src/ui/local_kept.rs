//! What the page keeps in localStorage beside the playground (the timelines, the notebook's
//! cells): written only when it changed since the last write, forgotten on a reset.
//!
//! Owns the write-if-changed bookkeeping. Must not decide what is kept (each keeper does).

use std::cell::RefCell;
use std::thread::LocalKey;

use gloo::storage::{LocalStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

/// The value last written under a key (each keeper has its own), so an unchanged value (most
/// re-renders) is not written again.
pub type LastSaved<T> = LocalKey<RefCell<Option<T>>>;

/// What `key` holds, or the default when nothing (or nothing readable) is there; remembered
/// as the last write.
pub fn load<T: DeserializeOwned + Default + Clone>(key: &str, last: &'static LastSaved<T>) -> T {
    let kept: T = LocalStorage::get(key).unwrap_or_default();
    last.with(|l| *l.borrow_mut() = Some(kept.clone()));
    kept
}

/// Writes `kept` under `key` if it changed since the last write. A full or disabled
/// localStorage only means it is not kept, which is not worth interrupting the learner for.
pub fn save_if_changed<T: Serialize + PartialEq>(key: &str, last: &'static LastSaved<T>, kept: T) {
    let changed = last.with(|l| l.borrow().as_ref() != Some(&kept));
    if changed && LocalStorage::set(key, &kept).is_ok() {
        last.with(|l| *l.borrow_mut() = Some(kept));
    }
}

/// Forgets what `key` holds (the playground is being reset).
pub fn clear<T>(key: &str, last: &'static LastSaved<T>) {
    LocalStorage::delete(key);
    last.with(|l| *l.borrow_mut() = None);
}
