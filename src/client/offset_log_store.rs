//! The coordinator's offset store when offsets live in `__consumer_offsets`: an in-memory cache
//! (what Kafka's coordinator serves reads from) plus a journal of the writes not yet appended
//! to the topic.
//!
//! Owns the cache and the journal. Must not write to the broker itself: [`super::BrokerGroups`]
//! drains the journal after each coordinator call and appends it, or rolls it back if the
//! append fails. The state is shared (`Rc<RefCell<_>>`) because the coordinator only lends out
//! `&S`; clones of a [`LoggedOffsetStore`] see the same offsets.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::broker::TopicPartition;
use crate::group::offset_store::{InMemoryOffsetStore, OffsetAndMetadata, OffsetStore};

/// One change to a committed offset, waiting to be appended to `__consumer_offsets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetWrite {
    /// The group.
    pub group: String,
    /// The partition the offset is for.
    pub partition: TopicPartition,
    /// The new value; `None` is a tombstone (the group was deleted).
    pub value: Option<OffsetAndMetadata>,
    /// The value before, to restore if the append fails.
    pub previous: Option<OffsetAndMetadata>,
}

#[derive(Debug, Default)]
struct State {
    cache: InMemoryOffsetStore,
    journal: Vec<OffsetWrite>,
}

/// Committed offsets cached in memory, every change journaled for the log.
#[derive(Debug, Clone, Default)]
pub struct LoggedOffsetStore {
    state: Rc<RefCell<State>>,
}

impl LoggedOffsetStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts a value replayed from the log: cached, not journaled (it is already stored).
    pub fn load(&self, group: &str, partition: &TopicPartition, value: Option<OffsetAndMetadata>) {
        let mut state = self.state.borrow_mut();
        match value {
            Some(v) => state.cache.put(group, partition, v),
            // A tombstone: drop this one offset, keeping the group's others.
            None => state.cache.remove(group, partition),
        }
    }

    /// Takes the writes made since the last call, oldest first.
    pub fn take_journal(&self) -> Vec<OffsetWrite> {
        std::mem::take(&mut self.state.borrow_mut().journal)
    }

    /// Undoes `writes` (newest first) after their append failed.
    pub fn roll_back(&self, writes: &[OffsetWrite]) {
        for w in writes.iter().rev() {
            self.load(&w.group, &w.partition, w.previous.clone());
        }
    }
}

impl OffsetStore for LoggedOffsetStore {
    fn put(&mut self, group: &str, partition: &TopicPartition, value: OffsetAndMetadata) {
        let mut state = self.state.borrow_mut();
        let previous = state.cache.get(group, partition);
        state.cache.put(group, partition, value.clone());
        state.journal.push(OffsetWrite {
            group: group.to_owned(),
            partition: partition.clone(),
            value: Some(value),
            previous,
        });
    }

    fn get(&self, group: &str, partition: &TopicPartition) -> Option<OffsetAndMetadata> {
        self.state.borrow().cache.get(group, partition)
    }

    fn group_offsets(&self, group: &str) -> BTreeMap<TopicPartition, OffsetAndMetadata> {
        self.state.borrow().cache.group_offsets(group)
    }

    fn delete_group(&mut self, group: &str) {
        let mut state = self.state.borrow_mut();
        let offsets = state.cache.group_offsets(group);
        state.cache.delete_group(group);
        for (partition, previous) in offsets {
            state.journal.push(OffsetWrite {
                group: group.to_owned(),
                partition,
                value: None,
                previous: Some(previous),
            });
        }
    }

    fn delete_topic(&mut self, topic: &str) {
        let mut state = self.state.borrow_mut();
        for group in state.cache.groups() {
            for (partition, previous) in state.cache.group_offsets(&group) {
                if partition.topic == topic {
                    state.cache.remove(&group, &partition);
                    state.journal.push(OffsetWrite {
                        group: group.clone(),
                        partition,
                        value: None,
                        previous: Some(previous),
                    });
                }
            }
        }
    }

    fn groups(&self) -> Vec<String> {
        self.state.borrow().cache.groups()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_journaled_and_a_roll_back_restores_the_previous_values() {
        let mut store = LoggedOffsetStore::new();
        let tp = TopicPartition::new("t", 0);
        store.put("g", &tp, OffsetAndMetadata::new(3, 1));
        let first = store.take_journal();
        assert_eq!(first.len(), 1);
        store.put("g", &tp, OffsetAndMetadata::new(9, 2));
        let second = store.take_journal();
        store.roll_back(&second);
        assert_eq!(store.get("g", &tp).map(|o| o.offset), Some(3));
        store.delete_group("g");
        assert_eq!(store.take_journal()[0].value, None);
        assert!(store.groups().is_empty());
    }
}
