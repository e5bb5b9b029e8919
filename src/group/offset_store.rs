//! Committed offsets behind a narrow trait, so the broker can later keep them as records of
//! `__consumer_offsets` (see `offset_record`) instead of in memory.
//!
//! Owns the committed-offset value type, the [`OffsetStore`] trait and its in-memory
//! implementation. Must not validate commits (the coordinator does) and must not encode bytes.

use std::collections::BTreeMap;

use crate::clock::TimestampMs;
use crate::protocol::TopicPartition;

/// One committed offset (`OffsetAndMetadata` plus the commit time), as `OffsetCommitValue` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetAndMetadata {
    /// The next offset to read (last processed + 1).
    pub offset: i64,
    /// The leader epoch of the last consumed record, if the client knew it (`-1` on the wire).
    pub leader_epoch: Option<i32>,
    /// Free text the client attached (empty by default).
    pub metadata: String,
    /// When the coordinator accepted the commit.
    pub commit_timestamp_ms: TimestampMs,
}

impl OffsetAndMetadata {
    /// Offset `offset` with no epoch and no metadata, committed at `commit_timestamp_ms`.
    pub fn new(offset: i64, commit_timestamp_ms: TimestampMs) -> Self {
        Self {
            offset,
            leader_epoch: None,
            metadata: String::new(),
            commit_timestamp_ms,
        }
    }
}

/// Where committed offsets live.
pub trait OffsetStore {
    /// Records `value` as `group`'s committed offset for `partition` (last write wins).
    fn put(&mut self, group: &str, partition: &TopicPartition, value: OffsetAndMetadata);
    /// `group`'s committed offset for `partition`, if any.
    fn get(&self, group: &str, partition: &TopicPartition) -> Option<OffsetAndMetadata>;
    /// Every committed offset of `group`, by partition.
    fn group_offsets(&self, group: &str) -> BTreeMap<TopicPartition, OffsetAndMetadata>;
    /// Forgets every offset of `group` (group deletion).
    fn delete_group(&mut self, group: &str);
    /// Forgets every group's offsets of `topic`'s partitions (the topic was deleted).
    fn delete_topic(&mut self, topic: &str);
    /// The groups that have at least one committed offset, sorted.
    fn groups(&self) -> Vec<String>;
}

/// Committed offsets in a map; what native tests and the playground use until persistence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InMemoryOffsetStore {
    offsets: BTreeMap<String, BTreeMap<TopicPartition, OffsetAndMetadata>>,
}

impl InMemoryOffsetStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets `group`'s offset for `partition` alone (a tombstone); a group left without
    /// offsets is forgotten too. In O(log n), so replaying or rolling back n tombstones is
    /// not quadratic.
    pub fn remove(&mut self, group: &str, partition: &TopicPartition) {
        if let Some(offsets) = self.offsets.get_mut(group) {
            offsets.remove(partition);
            if offsets.is_empty() {
                self.offsets.remove(group);
            }
        }
    }
}

impl OffsetStore for InMemoryOffsetStore {
    fn put(&mut self, group: &str, partition: &TopicPartition, value: OffsetAndMetadata) {
        self.offsets
            .entry(group.to_string())
            .or_default()
            .insert(partition.clone(), value);
    }

    fn get(&self, group: &str, partition: &TopicPartition) -> Option<OffsetAndMetadata> {
        self.offsets.get(group)?.get(partition).cloned()
    }

    fn group_offsets(&self, group: &str) -> BTreeMap<TopicPartition, OffsetAndMetadata> {
        self.offsets.get(group).cloned().unwrap_or_default()
    }

    fn delete_group(&mut self, group: &str) {
        self.offsets.remove(group);
    }

    fn delete_topic(&mut self, topic: &str) {
        for offsets in self.offsets.values_mut() {
            offsets.retain(|partition, _| partition.topic != topic);
        }
        self.offsets.retain(|_, offsets| !offsets.is_empty());
    }

    fn groups(&self) -> Vec<String> {
        self.offsets.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_commit_wins_and_deleting_a_group_forgets_its_offsets() {
        let mut store = InMemoryOffsetStore::new();
        let tp = TopicPartition::new("t", 0);
        store.put("g", &tp, OffsetAndMetadata::new(3, 10));
        store.put("g", &tp, OffsetAndMetadata::new(7, 20));
        assert_eq!(store.get("g", &tp).map(|o| o.offset), Some(7));
        assert_eq!(store.groups(), ["g"]);
        store.delete_group("g");
        assert!(store.group_offsets("g").is_empty());
    }

    #[test]
    fn removing_one_offset_keeps_the_groups_others_and_the_last_one_forgets_the_group() {
        let mut store = InMemoryOffsetStore::new();
        let (a, b) = (TopicPartition::new("t", 0), TopicPartition::new("t", 1));
        store.put("g", &a, OffsetAndMetadata::new(3, 10));
        store.put("g", &b, OffsetAndMetadata::new(4, 10));
        store.remove("g", &a);
        assert_eq!(store.group_offsets("g").len(), 1);
        store.remove("g", &b);
        assert!(store.groups().is_empty());
    }
}
