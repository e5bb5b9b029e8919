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
use crate::broker::TopicId;

#[derive(Debug, Default)]
struct Inner {
    metadata: BTreeMap<String, String>,
    chunks: BTreeMap<ChunkKey, Bytes>,
    commits: u64,
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

fn delete_range(chunks: &mut BTreeMap<ChunkKey, Bytes>, range: &ChunkRange) {
    let doomed: Vec<ChunkKey> = chunks
        .range(range.first..=range.last)
        .map(|(k, _)| *k)
        .collect();
    for key in doomed {
        chunks.remove(&key);
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
            unreadable_chunk_keys: 0,
        })
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
            delete_range(&mut inner.chunks, range);
        }
        for (key, bytes) in batch.chunk_puts {
            inner.chunks.insert(key, bytes);
        }
        inner.commits += 1;
        Ok(())
    }

    async fn read_chunks(
        &self,
        topic_id: TopicId,
        partition: i32,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError> {
        let range = ChunkRange::partition(topic_id, partition);
        Ok(self
            .inner
            .borrow()
            .chunks
            .range(range.first..=range.last)
            .map(|(k, v)| (*k, v.clone()))
            .collect())
    }
}
