//! An in-memory [`SegmentStore`]: the reference implementation native tests run against.
//!
//! Owns a map of metadata records and a map of chunks behind a shared handle: clones of a
//! [`MemoryStore`] see the same data, as two connections to one IndexedDB database would, so
//! a test can "reopen" it. Must not outlive the process (nothing is written anywhere).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use bytes::Bytes;

use super::format::{ChunkKey, ChunkRange};
use super::{SegmentStore, StorageError, StoredState, WriteBatch};
use crate::log::BatchSummary;

#[derive(Debug, Default)]
struct Inner {
    metadata: BTreeMap<String, String>,
    chunks: BTreeMap<ChunkKey, Bytes>,
    /// Chunks stored without a manifest entry, as a version 1 store kept them.
    legacy: BTreeSet<ChunkKey>,
    commits: u64,
    reads: u64,
    owner_epoch: u64,
}

/// A store in memory; clones share it.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Rc<RefCell<Inner>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Commits applied so far.
    pub fn commit_count(&self) -> u64 {
        self.inner.borrow().commits
    }

    /// Makes every chunk held look as a version 1 store wrote it: without a manifest entry
    /// (tests of the upgrade path).
    pub fn forget_manifest(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.legacy = inner.chunks.keys().copied().collect();
    }

    /// Chunks held without a manifest entry (written as version 1 and not rewritten yet).
    pub fn legacy_chunk_count(&self) -> usize {
        self.inner.borrow().legacy.len()
    }

    /// Chunk reads (`read_chunk_range` calls) so far.
    pub fn chunk_reads(&self) -> u64 {
        self.inner.borrow().reads
    }

    /// Chunks held.
    pub fn chunk_count(&self) -> usize {
        self.inner.borrow().chunks.len()
    }

    /// Bytes of chunk data held.
    pub fn chunk_bytes(&self) -> u64 {
        self.inner
            .borrow()
            .chunks
            .values()
            .map(|b| b.len() as u64)
            .sum()
    }

    fn check(inner: &Inner, batch: &WriteBatch) -> Result<(), StorageError> {
        if let Some(ours) = batch.fence {
            if ours != inner.owner_epoch {
                return Err(StorageError::Fenced {
                    ours,
                    stored: inner.owner_epoch,
                });
            }
        }
        let mut seen = BTreeSet::new();
        for (key, _) in &batch.chunk_puts {
            let survives = inner.chunks.contains_key(key) && !batch.is_deleted(key);
            if survives || !seen.insert(*key) {
                return Err(StorageError::ChunkExists {
                    key: key.to_string(),
                });
            }
        }
        Ok(())
    }
}

fn delete_range(inner: &mut Inner, range: &ChunkRange) {
    let doomed: Vec<ChunkKey> = inner
        .chunks
        .range(range.first..=range.last)
        .map(|(k, _)| *k)
        .collect();
    for key in doomed {
        inner.chunks.remove(&key);
        inner.legacy.remove(&key);
    }
}

impl SegmentStore for MemoryStore {
    async fn load(&self) -> Result<StoredState, StorageError> {
        let inner = self.inner.borrow();
        Ok(StoredState {
            metadata: inner
                .metadata
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            chunk_keys: inner.chunks.keys().copied().collect(),
            // As IndexedDB's version 2 keys do: the summary of each chunk's header.
            summaries: inner
                .chunks
                .iter()
                .filter(|(k, _)| !inner.legacy.contains(k))
                .filter_map(|(k, v)| Some((*k, BatchSummary::from_header(v)?)))
                .collect(),
            unreadable_chunk_keys: 0,
            owner_epoch: inner.owner_epoch,
        })
    }

    async fn claim(&self) -> Result<u64, StorageError> {
        let mut inner = self.inner.borrow_mut();
        inner.owner_epoch += 1;
        Ok(inner.owner_epoch)
    }

    async fn claim_without_space(&self) -> Result<u64, StorageError> {
        // No stored epoch reads as 0, as in IndexedDB.
        self.inner.borrow_mut().owner_epoch = 0;
        Ok(0)
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let mut inner = self.inner.borrow_mut();
        // Validate everything before changing anything: a commit is all or nothing.
        Self::check(&inner, &batch)?;
        for key in &batch.metadata_deletes {
            inner.metadata.remove(key);
        }
        for (key, value) in batch.metadata_puts {
            inner.metadata.insert(key, value);
        }
        for range in &batch.chunk_deletes {
            delete_range(&mut inner, range);
        }
        for (key, bytes) in batch.chunk_puts {
            inner.legacy.remove(&key);
            inner.chunks.insert(key, bytes);
        }
        inner.commits += 1;
        Ok(())
    }

    async fn read_chunk_range(
        &self,
        range: ChunkRange,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError> {
        let mut inner = self.inner.borrow_mut();
        inner.reads += 1;
        Ok(inner
            .chunks
            .range(range.first..=range.last)
            .map(|(k, v)| (*k, v.clone()))
            .collect())
    }
}
