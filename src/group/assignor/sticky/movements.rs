//! Partition-movement bookkeeping of the general sticky builder (`PartitionMovements`): which
//! partitions moved between which members, so a later move in the opposite direction takes back
//! the same partition of the topic instead of swapping two (stickiness).
//!
//! Owns the movement records only. Must not decide what moves.

use std::collections::HashMap;

use crate::group::java_hash_order::JavaHashSet;
use crate::protocol::TopicPartition;

/// A move from one member to another, by member index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Pair {
    src: usize,
    dst: usize,
}

/// The moves made so far in one general assignment.
#[derive(Debug, Default)]
pub(super) struct PartitionMovements {
    by_partition: HashMap<TopicPartition, Pair>,
    /// Per topic, per pair, the partitions moved; a Java `HashSet`, because Kafka takes "the
    /// first" of them in its iteration order.
    by_topic: HashMap<String, HashMap<Pair, JavaHashSet<TopicPartition>>>,
}

impl PartitionMovements {
    fn remove_record(&mut self, partition: &TopicPartition) -> Option<Pair> {
        let pair = self.by_partition.remove(partition)?;
        if let Some(for_topic) = self.by_topic.get_mut(&partition.topic) {
            if let Some(set) = for_topic.get_mut(&pair) {
                set.remove(partition);
                if set.is_empty() {
                    for_topic.remove(&pair);
                }
            }
            if for_topic.is_empty() {
                self.by_topic.remove(&partition.topic);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, partition: &TopicPartition, pair: Pair) {
        self.by_partition.insert(partition.clone(), pair);
        self.by_topic
            .entry(partition.topic.clone())
            .or_default()
            .entry(pair)
            .or_default()
            .insert(partition.clone());
    }

    /// Records that `partition` moved from `old` to `new`; moving back to where it came from
    /// erases the record.
    pub(super) fn move_partition(&mut self, partition: &TopicPartition, old: usize, new: usize) {
        match self.remove_record(partition) {
            Some(existing) => {
                if existing.src != new {
                    self.add_record(
                        partition,
                        Pair {
                            src: existing.src,
                            dst: new,
                        },
                    );
                }
            }
            None => self.add_record(partition, Pair { src: old, dst: new }),
        }
    }

    /// The partition to move when `partition` should go from `old` to `new`: if some partition of
    /// the same topic already moved from `new` to (the original owner of) it, that one goes back.
    pub(super) fn partition_to_move(
        &self,
        partition: &TopicPartition,
        old: usize,
        new: usize,
    ) -> TopicPartition {
        let Some(for_topic) = self.by_topic.get(&partition.topic) else {
            return partition.clone();
        };
        let old = self
            .by_partition
            .get(partition)
            .map_or(old, |pair| pair.src);
        for_topic
            .get(&Pair { src: new, dst: old })
            .and_then(JavaHashSet::first_java_order)
            .unwrap_or(partition)
            .clone()
    }
}
