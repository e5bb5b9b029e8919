//! The learner's storage settings — durability and the flush delay — kept between visits in
//! localStorage, so a playground switched to strict durability stays strict after a reload.
//!
//! Owns the key and the stored shape. Must not apply the settings: `persistence` does, at open
//! and when the storage badge changes them.

use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::playground::persistence::StorageSettings;
use crate::storage::{Durability, FlushPolicy};

/// Where the settings are kept.
const KEY: &str = "brooklet.storage-settings";

/// The stored shape: plain fields, so a later version can add some and still read these.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Kept {
    strict: bool,
    flush_delay_ms: Option<u64>,
}

/// The settings an earlier visit chose; the defaults when none were kept or they cannot be
/// read.
pub fn load() -> StorageSettings {
    let kept: Kept = LocalStorage::get(KEY).unwrap_or_default();
    let durability = if kept.strict {
        Durability::Strict
    } else {
        Durability::Relaxed
    };
    let mut policy = FlushPolicy::default();
    if let Some(delay) = kept.flush_delay_ms {
        policy.max_delay_ms = delay;
    }
    StorageSettings { durability, policy }
}

/// Keeps the settings for the next visit. A full or disabled localStorage only means they are
/// not kept, which is not worth interrupting the learner for.
pub fn save(settings: StorageSettings) {
    let kept = Kept {
        strict: settings.durability == Durability::Strict,
        flush_delay_ms: Some(settings.policy.max_delay_ms),
    };
    let _ = LocalStorage::set(KEY, &kept);
}
