//! Which produced records the store has acknowledged: the delivery callbacks of the
//! playground's front ends (the import and sample panels, the page terminal's producers).
//!
//! Owns delivery tickets: a ticket waits for each of its partitions to be durable up to the
//! end of what it produced, turns `Stored` when all are, and `Failed` when a flush fails
//! first (a failed flush rolls every unstored record back, so every waiting ticket fails with
//! it) or its topic is deleted first. Only stored tickets are ever forgotten, so a ticket
//! no longer known was stored. Must not produce, flush or word a front end's message: callers
//! read the state and say it their way.

use std::collections::BTreeMap;

use crate::broker::{ErrorCode, TopicPartition};

/// How many stored tickets are kept for their owners to read; older ones are forgotten.
/// Failed tickets are never forgotten: a front end counting "X of Y stored" must not read a
/// forgotten failure as stored.
const STORED_KEPT: usize = 256;

/// A ticket's number.
pub type DeliveryId = u64;

/// Where a ticket's records are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryState {
    /// Produced, not yet in the store.
    Waiting,
    /// Every record is in the store.
    Stored,
    /// A flush failed before they were stored: they were rolled back.
    Failed(DeliveryError),
}

/// Why a delivery failed: the Kafka error its producer's callback gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError {
    /// The error code, e.g. `KAFKA_STORAGE_ERROR`.
    pub code: ErrorCode,
    /// What happened and what to do.
    pub message: String,
}

impl std::fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

#[derive(Debug, Clone)]
struct Ticket {
    /// Each partition's offset the store must reach (one past the ticket's last record).
    waiting: BTreeMap<TopicPartition, i64>,
    state: DeliveryState,
}

/// The tickets of one playground.
#[derive(Debug, Clone, Default)]
pub struct Deliveries {
    next: DeliveryId,
    tickets: BTreeMap<DeliveryId, Ticket>,
}

impl Deliveries {
    /// A ticket for records produced up to (not including) each partition's `end` offset.
    /// With `stored` (nothing is kept, or nothing was produced) it is `Stored` at once.
    pub fn track(
        &mut self,
        ends: impl IntoIterator<Item = (TopicPartition, i64)>,
        stored: bool,
    ) -> DeliveryId {
        let waiting: BTreeMap<TopicPartition, i64> = ends.into_iter().collect();
        let state = if stored || waiting.is_empty() {
            DeliveryState::Stored
        } else {
            DeliveryState::Waiting
        };
        self.next += 1;
        self.tickets.insert(self.next, Ticket { waiting, state });
        self.forget_old();
        self.next
    }

    /// The store now has `partition` up to (not including) `to`.
    pub fn acknowledge(&mut self, partition: &TopicPartition, to: i64) {
        for ticket in self.tickets.values_mut() {
            if ticket.state != DeliveryState::Waiting {
                continue;
            }
            if ticket.waiting.get(partition).is_some_and(|end| *end <= to) {
                ticket.waiting.remove(partition);
            }
            if ticket.waiting.is_empty() {
                ticket.state = DeliveryState::Stored;
            }
        }
    }

    /// A flush failed and rolled back everything not stored: every waiting ticket fails with
    /// `error`. Returns the tickets that failed.
    pub fn fail(&mut self, error: &DeliveryError) -> Vec<DeliveryId> {
        let mut failed = Vec::new();
        for (id, ticket) in &mut self.tickets {
            if ticket.state == DeliveryState::Waiting {
                ticket.state = DeliveryState::Failed(error.clone());
                failed.push(*id);
            }
        }
        failed
    }

    /// `topic` was deleted: its records still waiting for the store never will be stored
    /// (their pending writes went with it), so every ticket waiting on one of its partitions
    /// fails with `error` — also one whose other partitions were stored, and before a topic
    /// made again under the name could acknowledge its offsets. Returns the tickets that
    /// failed.
    pub fn fail_topic(&mut self, topic: &str, error: &DeliveryError) -> Vec<DeliveryId> {
        let mut failed = Vec::new();
        for (id, ticket) in &mut self.tickets {
            let on_topic = ticket.waiting.keys().any(|p| p.topic == topic);
            if ticket.state == DeliveryState::Waiting && on_topic {
                ticket.state = DeliveryState::Failed(error.clone());
                failed.push(*id);
            }
        }
        failed
    }

    /// A ticket's state; `None` once forgotten, which happens only to stored tickets (read it
    /// as stored).
    pub fn state(&self, id: DeliveryId) -> Option<&DeliveryState> {
        self.tickets.get(&id).map(|t| &t.state)
    }

    /// Drops stored tickets beyond the newest [`STORED_KEPT`]; waiting and failed ones stay.
    fn forget_old(&mut self) {
        let stored: Vec<DeliveryId> = self
            .tickets
            .iter()
            .filter(|(_, t)| t.state == DeliveryState::Stored)
            .map(|(id, _)| *id)
            .collect();
        let excess = stored.len().saturating_sub(STORED_KEPT);
        for id in stored.into_iter().take(excess) {
            self.tickets.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(p: i32) -> TopicPartition {
        TopicPartition::new("orders".to_owned(), p)
    }

    #[test]
    fn a_ticket_is_stored_once_every_partition_reached_its_end() {
        let mut d = Deliveries::default();
        let id = d.track([(tp(0), 5), (tp(1), 3)], false);
        assert_eq!(d.state(id), Some(&DeliveryState::Waiting));
        d.acknowledge(&tp(0), 5);
        assert_eq!(d.state(id), Some(&DeliveryState::Waiting));
        d.acknowledge(&tp(1), 2);
        assert_eq!(d.state(id), Some(&DeliveryState::Waiting));
        d.acknowledge(&tp(1), 4);
        assert_eq!(d.state(id), Some(&DeliveryState::Stored));
    }

    #[test]
    fn a_failed_flush_fails_every_waiting_ticket_and_leaves_stored_ones_stored() {
        let mut d = Deliveries::default();
        let stored = d.track([(tp(0), 1)], false);
        d.acknowledge(&tp(0), 1);
        let first = d.track([(tp(0), 4)], false);
        let second = d.track([(tp(1), 2)], false);
        let full = DeliveryError {
            code: ErrorCode::KafkaStorageError,
            message: "full".to_owned(),
        };
        assert_eq!(full.to_string(), "KAFKA_STORAGE_ERROR: full");
        assert_eq!(d.fail(&full), vec![first, second]);
        assert_eq!(d.state(stored), Some(&DeliveryState::Stored));
        let failed = DeliveryState::Failed(full);
        assert_eq!(d.state(first), Some(&failed));
        // A later acknowledgement (of records produced after the rollback at the same
        // offsets) does not revive a failed ticket.
        d.acknowledge(&tp(0), 10);
        assert_eq!(d.state(first), Some(&failed));
    }

    #[test]
    fn without_storage_or_records_a_ticket_is_stored_at_once() {
        let mut d = Deliveries::default();
        let memory = d.track([(tp(0), 1)], true);
        let nothing = d.track([], false);
        assert_eq!(d.state(memory), Some(&DeliveryState::Stored));
        assert_eq!(d.state(nothing), Some(&DeliveryState::Stored));
    }

    fn full() -> DeliveryError {
        DeliveryError {
            code: ErrorCode::KafkaStorageError,
            message: "full".to_owned(),
        }
    }

    #[test]
    fn old_stored_tickets_are_forgotten_but_waiting_and_failed_ones_are_kept() {
        let mut d = Deliveries::default();
        let failed = d.track([(tp(1), 5)], false);
        d.fail(&full());
        let waiting = d.track([(tp(0), 1_000_000)], false);
        let first_stored = d.track([], false);
        // A thousand stored batches after them, as a 1,000,000-order sample run makes.
        for _ in 0..1_000 {
            d.track([], false);
        }
        assert_eq!(
            d.state(first_stored),
            None,
            "old stored tickets are forgotten"
        );
        assert_eq!(d.state(failed), Some(&DeliveryState::Failed(full())));
        assert_eq!(d.state(waiting), Some(&DeliveryState::Waiting));
    }

    #[test]
    fn deleting_a_topic_fails_the_tickets_waiting_on_it_and_a_new_topic_of_that_name_does_not_revive_them(
    ) {
        let mut d = Deliveries::default();
        let other = TopicPartition::new("payments".to_owned(), 0);
        let on_orders = d.track([(tp(0), 2), (other.clone(), 1)], false);
        let on_payments = d.track([(other.clone(), 4)], false);
        d.acknowledge(&other, 1);
        let deleted = DeliveryError {
            code: ErrorCode::UnknownTopicOrPartition,
            message: "Topic orders was deleted before these records were stored.".to_owned(),
        };
        assert_eq!(d.fail_topic("orders", &deleted), vec![on_orders]);
        assert_eq!(d.state(on_payments), Some(&DeliveryState::Waiting));
        // `orders` made again: its offsets 0 and 1 are stored, but they are other records.
        d.acknowledge(&tp(0), 2);
        assert_eq!(
            d.state(on_orders),
            Some(&DeliveryState::Failed(deleted.clone()))
        );
    }
}
