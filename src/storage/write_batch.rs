//! One flush's worth of changes, and what a store holds at open.
//!
//! Owns [`WriteBatch`] (the unit a store commits atomically) and [`StoredState`] (what
//! [`super::SegmentStore::load`] returns). Must not encode bytes (`format` does) nor talk to
//! a store.

use std::collections::BTreeMap;

use bytes::Bytes;

use super::format::{ChunkKey, ChunkRange};
use crate::log::BatchSummary;

/// Changes to apply in one atomic transaction. Deletes are applied before puts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBatch {
    /// Metadata records to write, `(key, JSON text)`.
    pub metadata_puts: Vec<(String, String)>,
    /// Metadata records to remove.
    pub metadata_deletes: Vec<String>,
    /// Chunk ranges to remove.
    pub chunk_deletes: Vec<ChunkRange>,
    /// New chunks, each written once.
    pub chunk_puts: Vec<(ChunkKey, Bytes)>,
    /// The owner epoch this write is made under ([`super::SegmentStore::claim`]): when set,
    /// the store applies the batch only while this is still the stored epoch, checked inside
    /// the same transaction; after another tab's claim the commit writes nothing and fails
    /// with [`super::StorageError::Fenced`]. `None` writes unconditionally (tools, tests).
    pub fence: Option<u64>,
}

impl WriteBatch {
    /// True when there is nothing to write (a fence alone writes nothing).
    pub fn is_empty(&self) -> bool {
        self.metadata_puts.is_empty()
            && self.metadata_deletes.is_empty()
            && self.chunk_deletes.is_empty()
            && self.chunk_puts.is_empty()
    }

    /// Bytes of chunk data in the batch.
    pub fn chunk_bytes(&self) -> u64 {
        self.chunk_puts.iter().map(|(_, b)| b.len() as u64).sum()
    }

    /// True when a delete in this batch covers `key`; stores use it to check that an
    /// append-only put does not replace a chunk that survives the batch's deletes.
    pub fn is_deleted(&self, key: &ChunkKey) -> bool {
        self.chunk_deletes.iter().any(|r| r.contains(key))
    }
}

/// What a store holds, as read at open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredState {
    /// Every metadata record, `(key, JSON text)`, in key order.
    pub metadata: Vec<(String, String)>,
    /// Every chunk key, in key order.
    pub chunk_keys: Vec<ChunkKey>,
    /// The manifest: each chunk's batch summary, for chunks stored with one (chunks written
    /// by a version 1 store, or too torn to have a header, have none and are read eagerly).
    pub summaries: BTreeMap<ChunkKey, BatchSummary>,
    /// Stored keys that are not chunk keys this version can read (reported, left alone).
    pub unreadable_chunk_keys: u64,
    /// The stored owner epoch: how many times a writer claimed the store (0: never). Kept
    /// apart from `metadata`, which holds only the broker's records.
    pub owner_epoch: u64,
}
