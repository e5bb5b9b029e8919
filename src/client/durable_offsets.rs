//! How far each partition is in the store: the bridge that lets a producer's delivery callbacks
//! wait for the persister.
//!
//! Owns a shared map from partition to durable log end, and the losses: the moments records
//! the broker had appended were dropped before the store had them (a failed flush rolled them
//! back, or their topic was deleted), each with the durable ends at that moment so a producer
//! can tell which of its batches were stored and which were lost. The persistence layer records
//! each flush's acknowledged ranges and failures into it; producers read it through
//! [`Acknowledger`]. Must not flush or store anything itself.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{Acknowledger, ProducerError};
use crate::broker::TopicPartition;

/// Records appended but dropped before the store had them.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    /// What every lost record's delivery callback gets.
    pub error: ProducerError,
    /// Only this topic's records were lost (it was deleted); `None`: every partition's.
    pub topic: Option<String>,
    /// Each partition's durable end when it happened: a batch ending at or below it was
    /// stored, any other was lost.
    pub stored: BTreeMap<TopicPartition, i64>,
}

#[derive(Debug, Default)]
struct State {
    ends: BTreeMap<TopicPartition, i64>,
    losses: Vec<Loss>,
}

/// Durable log ends per partition and the losses so far, shared by clones.
#[derive(Debug, Clone, Default)]
pub struct DurableOffsets(Rc<RefCell<State>>);

impl DurableOffsets {
    /// Nothing durable yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The store now holds `partition` below `end` (a flush's acknowledged range). Never moves
    /// backwards.
    pub fn record(&self, partition: &TopicPartition, end: i64) {
        let mut state = self.0.borrow_mut();
        let entry = state.ends.entry(partition.clone()).or_insert(end);
        *entry = (*entry).max(end);
    }

    /// The durable log end of `partition` (0 when nothing is stored).
    pub fn durable_end(&self, partition: &TopicPartition) -> i64 {
        self.0.borrow().ends.get(partition).copied().unwrap_or(0)
    }

    /// A flush failed: every record not stored yet was rolled back, so every batch waiting
    /// for the store fails with `error`.
    pub fn lose_unstored(&self, error: ProducerError) {
        let mut state = self.0.borrow_mut();
        let stored = state.ends.clone();
        state.losses.push(Loss {
            error,
            topic: None,
            stored,
        });
    }

    /// `topic` was deleted: its batches waiting for the store fail with `error`, and its
    /// durable ends are forgotten (a topic made again under the name starts from nothing).
    pub fn lose_topic(&self, topic: &str, error: ProducerError) {
        let mut state = self.0.borrow_mut();
        let stored: BTreeMap<TopicPartition, i64> = state
            .ends
            .iter()
            .filter(|(tp, _)| tp.topic == topic)
            .map(|(tp, end)| (tp.clone(), *end))
            .collect();
        state.ends.retain(|tp, _| tp.topic != topic);
        state.losses.push(Loss {
            error,
            topic: Some(topic.to_owned()),
            stored,
        });
    }
}

impl Acknowledger for DurableOffsets {
    fn is_durable(&self, partition: &TopicPartition, end_offset: i64) -> bool {
        self.durable_end(partition) >= end_offset
    }

    fn losses(&self) -> usize {
        self.0.borrow().losses.len()
    }

    fn loss(&self, index: usize) -> Option<Loss> {
        self.0.borrow().losses.get(index).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorCode;

    fn full() -> ProducerError {
        ProducerError::NotStored {
            code: ErrorCode::KafkaStorageError,
            message: "full".to_owned(),
        }
    }

    #[test]
    fn a_deleted_topic_forgets_its_durable_ends_and_keeps_what_was_stored_in_the_loss() {
        let d = DurableOffsets::new();
        let (orders, payments) = (
            TopicPartition::new("orders", 0),
            TopicPartition::new("payments", 0),
        );
        d.record(&orders, 4);
        d.record(&payments, 2);
        d.lose_topic("orders", full());
        assert_eq!(d.durable_end(&orders), 0);
        assert_eq!(d.durable_end(&payments), 2);
        let loss = d.loss(0).expect("one loss");
        assert_eq!(loss.stored, BTreeMap::from([(orders, 4)]));
        assert_eq!(loss.topic.as_deref(), Some("orders"));
        assert_eq!(d.losses(), 1);
    }
}
