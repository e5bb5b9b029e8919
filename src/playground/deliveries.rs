//! What the playground's front ends report of their produces: a delivery ticket gathers the
//! delivery reports of the records one action produced (an import, a chunk of sample orders,
//! the produce form) and turns `Stored` once every record's callback said stored, or `Failed`
//! at the first that said it was lost.
//!
//! Owns the tickets and the callbacks that feed them. Must not decide when a record is stored
//! or lost: `client::Producer` and its acknowledger do, and call back. Only stored tickets are
//! ever forgotten, so a ticket no longer known was stored. Must not word a front end's
//! message: callers read the state and say it their way.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::client::{DeliveryCallback, DeliveryResult, ProducerError};
use crate::protocol::ErrorCode;

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
    /// A record was lost before it was stored (a failed flush rolled it back, its topic was
    /// deleted), or refused.
    Failed(DeliveryError),
}

/// Why a delivery failed: the Kafka error its producer's callback got.
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
    /// Records whose delivery report has not come yet.
    waiting: usize,
    state: DeliveryState,
}

/// Delivery reports come from the producer's callbacks, which outlive any borrow of the
/// tickets: they queue here until [`Deliveries::take_reports`].
type Reports = Rc<RefCell<Vec<(DeliveryId, Option<DeliveryError>)>>>;

/// The tickets of one playground.
#[derive(Debug, Default)]
pub struct Deliveries {
    next: DeliveryId,
    tickets: BTreeMap<DeliveryId, Ticket>,
    reports: Reports,
}

impl Deliveries {
    /// A ticket for `records` records, each reported through a [`Deliveries::callback`].
    /// With none it is `Stored` at once.
    pub fn open(&mut self, records: usize) -> DeliveryId {
        let state = if records == 0 {
            DeliveryState::Stored
        } else {
            DeliveryState::Waiting
        };
        self.next += 1;
        self.tickets.insert(
            self.next,
            Ticket {
                waiting: records,
                state,
            },
        );
        self.forget_old();
        self.next
    }

    /// The delivery callback of one record of ticket `id`: its report reaches the ticket at
    /// the next [`Deliveries::take_reports`].
    pub fn callback(&self, id: DeliveryId) -> DeliveryCallback {
        let reports = Rc::clone(&self.reports);
        Box::new(move |result: &DeliveryResult| {
            let failure = result.as_ref().err().map(|e| DeliveryError {
                code: e.code(),
                message: e.to_string(),
            });
            reports.borrow_mut().push((id, failure));
        })
    }

    /// As [`Deliveries::callback`], also keeping in `first` the first error any record of the
    /// ticket got (an all-or-nothing produce rolls back on it).
    pub fn callback_noting_error(
        &self,
        id: DeliveryId,
        first: &Rc<RefCell<Option<ProducerError>>>,
    ) -> DeliveryCallback {
        let reports = Rc::clone(&self.reports);
        let first = Rc::clone(first);
        Box::new(move |result: &DeliveryResult| {
            let failure = result.as_ref().err().map(|e| {
                first.borrow_mut().get_or_insert_with(|| e.clone());
                DeliveryError {
                    code: e.code(),
                    message: e.to_string(),
                }
            });
            reports.borrow_mut().push((id, failure));
        })
    }

    /// Drops ticket `id` (its produce was refused as a whole: the caller says so instead).
    pub fn discard(&mut self, id: DeliveryId) {
        self.take_reports();
        self.tickets.remove(&id);
    }

    /// Applies the delivery reports the callbacks queued: a ticket is stored once every one of
    /// its records was, failed at the first that was not (later reports do not revive it).
    pub fn take_reports(&mut self) {
        let reports = std::mem::take(&mut *self.reports.borrow_mut());
        for (id, failure) in reports {
            let Some(ticket) = self.tickets.get_mut(&id) else {
                continue;
            };
            ticket.waiting = ticket.waiting.saturating_sub(1);
            if ticket.state != DeliveryState::Waiting {
                continue;
            }
            if let Some(error) = failure {
                ticket.state = DeliveryState::Failed(error);
            } else if ticket.waiting == 0 {
                ticket.state = DeliveryState::Stored;
            }
        }
        self.forget_old();
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
    use crate::client::{ProducerError, RecordMetadata};

    fn stored(offset: i64) -> DeliveryResult {
        Ok(RecordMetadata {
            topic: "orders".to_owned(),
            partition: 0,
            offset,
            timestamp: 0,
        })
    }

    fn full() -> ProducerError {
        ProducerError::NotStored {
            code: ErrorCode::KafkaStorageError,
            message: "full".to_owned(),
        }
    }

    #[test]
    fn a_ticket_is_stored_once_every_record_was_reported_stored() {
        let mut d = Deliveries::default();
        let id = d.open(2);
        d.callback(id)(&stored(0));
        d.take_reports();
        assert_eq!(d.state(id), Some(&DeliveryState::Waiting));
        d.callback(id)(&stored(1));
        d.take_reports();
        assert_eq!(d.state(id), Some(&DeliveryState::Stored));
    }

    #[test]
    fn one_lost_record_fails_the_ticket_and_a_later_report_does_not_revive_it() {
        let mut d = Deliveries::default();
        let id = d.open(2);
        d.callback(id)(&Err(full()));
        d.callback(id)(&stored(1));
        d.take_reports();
        let failed = DeliveryError {
            code: ErrorCode::KafkaStorageError,
            message: "full".to_owned(),
        };
        assert_eq!(failed.to_string(), "KAFKA_STORAGE_ERROR: full");
        assert_eq!(d.state(id), Some(&DeliveryState::Failed(failed)));
    }

    #[test]
    fn without_records_a_ticket_is_stored_at_once_and_a_discarded_one_is_gone() {
        let mut d = Deliveries::default();
        let nothing = d.open(0);
        assert_eq!(d.state(nothing), Some(&DeliveryState::Stored));
        let refused = d.open(3);
        d.discard(refused);
        assert_eq!(d.state(refused), None);
    }

    #[test]
    fn old_stored_tickets_are_forgotten_but_waiting_and_failed_ones_are_kept() {
        let mut d = Deliveries::default();
        let failed = d.open(1);
        d.callback(failed)(&Err(full()));
        d.take_reports();
        let waiting = d.open(1_000_000);
        let first_stored = d.open(0);
        // A thousand stored batches after them, as a 1,000,000-order sample run makes.
        for _ in 0..1_000 {
            d.open(0);
        }
        assert_eq!(
            d.state(first_stored),
            None,
            "old stored tickets are forgotten"
        );
        assert!(matches!(d.state(failed), Some(DeliveryState::Failed(_))));
        assert_eq!(d.state(waiting), Some(&DeliveryState::Waiting));
    }
}
