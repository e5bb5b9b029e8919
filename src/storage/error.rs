//! What can go wrong keeping the log between visits.
//!
//! Owns [`StorageError`]: each variant names the problem and what the user can do, and maps
//! to Kafka's `KAFKA_STORAGE_ERROR`. Must not decide what to do about a failure: the
//! persister rolls the log back, the UI shows the message.

use thiserror::Error;

use crate::protocol::ErrorCode;

/// A storage failure.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StorageError {
    /// The browser refused the write for lack of space (`QuotaExceededError`).
    #[error("The browser refused to store more data ({}). Nothing from this write was kept. Free space by deleting topics or lowering retention.ms / retention.bytes, or allow this site more storage in the browser's settings.", quota_detail(message))]
    QuotaExceeded {
        /// The browser's message.
        message: String,
    },
    /// The browser offers no IndexedDB (private mode in some browsers, or a locked-down page).
    #[error("This browser does not offer IndexedDB here ({0}), so the log cannot be kept between visits. Open the page in a normal (not private) window.")]
    Unavailable(String),
    /// An IndexedDB request or transaction failed for another reason.
    #[error("IndexedDB failed to {operation}: {name}: {message}. Reload the page; if it persists, clear this site's data.")]
    Idb {
        /// What was being done, e.g. "commit a write".
        operation: &'static str,
        /// The DOMException's name.
        name: String,
        /// The browser's message.
        message: String,
    },
    /// Our connection was closed because another tab upgraded or deleted the database.
    #[error("The playground's database was closed because another tab upgraded or deleted it. Reload this page.")]
    Closed,
    /// A write tried to replace a chunk; chunks are written once and never rewritten.
    #[error("Chunk {key} already exists: stored chunks are append-only. Delete the segment's chunks in the same write before writing new ones.")]
    ChunkExists {
        /// The chunk's key, printed.
        key: String,
    },
    /// Another tab claimed the playground after this one: the write was refused (fenced)
    /// so that two tabs never write one log.
    #[error("Another tab took this playground over (its owner epoch is {stored}, this tab's {ours}), so this tab may no longer write to it: nothing from this write was stored. Use the other tab, or reload this one to take the playground back.")]
    Fenced {
        /// The epoch this write was made under.
        ours: u64,
        /// The epoch stored now, claimed by the new owner.
        stored: u64,
    },
    /// This tab lost the playground's lock to another tab: it writes nothing more, so what it
    /// had not stored yet never will be.
    #[error("Another tab took this playground over before these records were stored: this tab writes nothing more, so they were not stored. Use the other tab, or reload this one to take the playground back.")]
    TakenOver,
    /// A tab that does not own the store read back a batch that is no longer as it was when
    /// the tab opened (the owner's retention deleted it, or its compaction rewrote it).
    #[error("The stored log of {partition} changed under this tab ({reason}): another tab owns the playground and has deleted or rewritten these records since this tab opened. Reload this tab to see the log as it is now.")]
    ChangedUnderThisTab {
        /// The partition.
        partition: String,
        /// What the check found.
        reason: String,
    },
    /// A stored value could not be read back.
    #[error("Stored {what} is unreadable: {reason}. It may come from a newer Brooklet or be damaged; clear this site's data to start afresh.")]
    Corrupt {
        /// Which record.
        what: String,
        /// Why it could not be read.
        reason: String,
    },
    /// A fault injected by `FaultyStore` (tests only).
    #[error("Injected storage fault: commit #{commit} was refused, as the test asked.")]
    InjectedFault {
        /// Which commit (1-based, counted from when the fault was armed).
        commit: u64,
    },
    /// A read refused by `FaultyStore` (tests only).
    #[error("Injected storage fault: a read of stored chunks was refused, as the test asked.")]
    InjectedReadFault,
    /// A simulated crash: the write was lost (tests only).
    #[error("Simulated crash: the write never reached storage.")]
    Crashed,
}

impl StorageError {
    /// The Kafka error this is: `NOT_LEADER_OR_FOLLOWER` for a fenced write (this tab's
    /// broker is no longer the playground's leader, as a broker whose leadership moved
    /// answers), `KAFKA_STORAGE_ERROR` for everything else.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Fenced { .. } | Self::TakenOver => ErrorCode::NotLeaderOrFollower,
            _ => ErrorCode::KafkaStorageError,
        }
    }

    /// True when the browser refused the write for lack of space.
    pub fn is_quota_exceeded(&self) -> bool {
        matches!(self, Self::QuotaExceeded { .. })
    }
}

/// The browser's words for a quota refusal; Chrome's `QuotaExceededError` often has none.
fn quota_detail(message: &str) -> String {
    if message.is_empty() {
        "QuotaExceededError".to_owned()
    } else {
        format!("QuotaExceededError: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_refusal_names_the_browsers_error_even_when_it_gave_no_message() {
        let silent = StorageError::QuotaExceeded {
            message: String::new(),
        };
        assert!(silent
            .to_string()
            .starts_with("The browser refused to store more data (QuotaExceededError). Nothing"));
        let told = StorageError::QuotaExceeded {
            message: "The quota has been exceeded.".into(),
        };
        assert!(told.to_string().starts_with(
            "The browser refused to store more data (QuotaExceededError: The quota has been exceeded.)."
        ));
        assert_eq!(told.code(), ErrorCode::KafkaStorageError);
    }
}
