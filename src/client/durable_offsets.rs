//! How far each partition is in the store: the bridge that lets a producer's delivery callbacks
//! wait for the persister.
//!
//! Owns a shared map from partition to durable log end. The persistence layer records each
//! flush's acknowledged ranges into it; producers read it through [`Acknowledger`]. Must not
//! flush or store anything itself.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::Acknowledger;
use crate::broker::TopicPartition;

/// Durable log ends per partition, shared by clones.
#[derive(Debug, Clone, Default)]
pub struct DurableOffsets(Rc<RefCell<BTreeMap<TopicPartition, i64>>>);

impl DurableOffsets {
    /// Nothing durable yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The store now holds `partition` below `end` (a flush's acknowledged range). Never moves
    /// backwards.
    pub fn record(&self, partition: &TopicPartition, end: i64) {
        let mut map = self.0.borrow_mut();
        let entry = map.entry(partition.clone()).or_insert(end);
        *entry = (*entry).max(end);
    }

    /// The durable log end of `partition` (0 when nothing is stored).
    pub fn durable_end(&self, partition: &TopicPartition) -> i64 {
        self.0.borrow().get(partition).copied().unwrap_or(0)
    }
}

impl Acknowledger for DurableOffsets {
    fn is_durable(&self, partition: &TopicPartition, end_offset: i64) -> bool {
        self.durable_end(partition) >= end_offset
    }
}
