//! The chunk writes waiting for the next flush, folded from the broker's change events.
//!
//! Owns the translation of log events into chunk puts and deletes, keeping the pending set
//! minimal: a delete drops the pending puts it covers, so a batch appended and then rolled
//! back is never written. Must not touch metadata records (the persister snapshots those) or
//! a store.

use std::collections::BTreeMap;

use bytes::Bytes;

use super::format::{parse_topic_id, ChunkKey, ChunkRange};
use super::WriteBatch;
use crate::broker::BrokerEvent;
use crate::log::LogEvent;
use crate::protocol::TopicId;

/// Chunk changes not yet committed. Deletes apply before puts.
#[derive(Debug, Default, Clone)]
pub(crate) struct PendingChunks {
    deletes: Vec<ChunkRange>,
    puts: BTreeMap<ChunkKey, Bytes>,
    put_bytes: u64,
}

impl PendingChunks {
    /// Bytes of chunk data waiting.
    pub(crate) fn put_bytes(&self) -> u64 {
        self.put_bytes
    }

    /// Folds one broker event in.
    pub(crate) fn absorb(&mut self, event: BrokerEvent) {
        match event {
            BrokerEvent::TopicDeleted { topic_id, .. } => {
                if let Some(id) = parse_topic_id(&topic_id) {
                    self.delete(ChunkRange::topic(id));
                }
            }
            BrokerEvent::Log {
                topic_id,
                partition,
                event,
                ..
            } => {
                // Events come from our own broker, whose ids always parse.
                if let Some(id) = parse_topic_id(&topic_id) {
                    self.absorb_log(id, partition, event);
                }
            }
            // Metadata: the persister writes a fresh snapshot instead.
            BrokerEvent::TopicCreated { .. }
            | BrokerEvent::PartitionsAdded { .. }
            | BrokerEvent::ConfigChanged { .. } => {}
        }
    }

    /// Adds a delete of a range (and forgets pending puts inside it).
    pub(crate) fn delete(&mut self, range: ChunkRange) {
        let doomed: Vec<ChunkKey> = self
            .puts
            .range(range.first..=range.last)
            .map(|(k, _)| *k)
            .collect();
        for key in doomed {
            if let Some(bytes) = self.puts.remove(&key) {
                self.put_bytes = self.put_bytes.saturating_sub(bytes.len() as u64);
            }
        }
        if !self.deletes.contains(&range) {
            self.deletes.push(range);
        }
    }

    /// Adds a chunk write (replacing a pending one with the same key).
    pub(crate) fn put(&mut self, key: ChunkKey, bytes: Bytes) {
        self.put_bytes += bytes.len() as u64;
        if let Some(old) = self.puts.insert(key, bytes) {
            self.put_bytes = self.put_bytes.saturating_sub(old.len() as u64);
        }
    }

    fn absorb_log(&mut self, topic_id: TopicId, partition: i32, event: LogEvent) {
        let key = |segment_base_offset, batch_base_offset| ChunkKey {
            topic_id,
            partition,
            segment_base_offset,
            batch_base_offset,
        };
        match event {
            LogEvent::BatchAppended {
                segment_base_offset,
                base_offset,
                bytes,
                ..
            } => self.put(key(segment_base_offset, base_offset), bytes),
            LogEvent::SegmentDeleted { base_offset, .. } => {
                self.delete(ChunkRange::segment(topic_id, partition, base_offset));
            }
            LogEvent::LogTruncated {
                offset,
                segment_base_offset,
                last_batch,
            } => {
                // Every batch from `offset` on is gone. Only the last kept batch can have
                // changed (a batch the cut fell inside is re-encoded with its earlier
                // records): when it is loaded, rewrite it. Batches before it are untouched
                // and stay as stored; a cold last batch was not cut and stays too.
                let last = last_batch
                    .and_then(|bytes| Some((batch_base_offset(&bytes)?.min(offset), bytes)));
                let from = last.as_ref().map_or(offset, |(base, _)| *base);
                self.delete(ChunkRange::segment_from(
                    topic_id,
                    partition,
                    segment_base_offset,
                    from,
                ));
                if let Some((base, bytes)) = last {
                    self.put(key(segment_base_offset, base), bytes);
                }
            }
            LogEvent::SegmentCompacted {
                base_offset,
                batches,
                ..
            } => {
                self.delete(ChunkRange::segment(topic_id, partition, base_offset));
                for b in batches {
                    if let Some(batch_base) = batch_base_offset(&b) {
                        self.put(key(base_offset, batch_base), b);
                    }
                }
            }
            // The metadata snapshot carries log-start offsets and segment creation times.
            LogEvent::SegmentRolled { .. } | LogEvent::LogStartOffsetChanged { .. } => {}
        }
    }

    /// Adds the pending chunk changes to `batch`, leaving them pending until
    /// [`PendingChunks::clear`] confirms the commit.
    pub(crate) fn fill(&self, batch: &mut WriteBatch) {
        batch.chunk_deletes.extend(self.deletes.iter().copied());
        batch
            .chunk_puts
            .extend(self.puts.iter().map(|(k, v)| (*k, v.clone())));
    }

    /// Forgets these deletes (committed on their own, ahead of the rest).
    pub(crate) fn forget_deletes(&mut self, done: &[ChunkRange]) {
        self.deletes.retain(|r| !done.contains(r));
    }

    /// Forgets everything (it was committed).
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }
}

/// A batch's base offset, from its first 8 bytes.
fn batch_base_offset(batch: &[u8]) -> Option<i64> {
    Some(i64::from_be_bytes(batch.get(0..8)?.try_into().ok()?))
}
