//! Another tab takes the playground over: by claiming the store under a flush in flight (the
//! flush is fenced), or by taking the lock (during a flush, or while a change waits). Either
//! way this tab turns read-only, fails what it had not stored and writes nothing more.

use bytes::Bytes;

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::broker::ProducerRecord;
use crate::client::{DeliveryResult, Producer, ProducerConfig};
use crate::storage::StorageError;

#[test]
fn a_takeover_that_fences_a_flush_in_flight_turns_the_tab_read_only_and_fails_its_deliveries() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let kept = tab.produce("orders", &["a"]);
    tab.flush_all();
    let lost = tab.produce("orders", &["b"]);
    let ticket = due(tab.schedule());
    let flushed = tab
        .flush_around(ticket, || {
            // Tab 2 claims the store while tab 1's commit is in flight.
            let tab2 = Tab::open(&memory, &tab.clock, at_once());
            assert_eq!(tab2.values("orders"), ["a"]);
        })
        .1;
    let error = flushed.outcome.expect_err("fenced");
    assert!(
        matches!(error.source, StorageError::Fenced { .. }),
        "{error}"
    );
    assert_eq!(flushed.next, FlushNext::Idle);
    assert!(tab.read_only(), "tab 1 turned read-only");
    assert_eq!(tab.values("orders"), ["a"], "b was rolled back");
    assert_eq!(tab.delivery(kept), DeliveryState::Stored);
    let (code, message) = failure(tab.delivery(lost));
    assert_eq!(code, ErrorCode::NotLeaderOrFollower);
    assert!(
        message.starts_with("Another tab took this playground over"),
        "{message}"
    );
    // A producer that sends anyway (one a front end built before the takeover, such as a
    // terminal's console producer) is never stored: its record is rolled back and its
    // delivery callback gets the failure.
    let commits = memory.commit_count();
    let reports: Rc<RefCell<Vec<DeliveryResult>>> = Rc::default();
    let mut late = {
        let playground = tab.playground.borrow();
        let durable = playground
            .store_acknowledgements()
            .expect("a stored playground acknowledges from its store");
        Producer::new(playground.broker(), ProducerConfig::default()).with_acknowledger(durable)
    };
    let sink = Rc::clone(&reports);
    let record = ProducerRecord {
        value: Some(Bytes::from_static(b"late")),
        ..ProducerRecord::default()
    };
    late.send(
        "orders",
        record,
        Some(Box::new(move |r: &DeliveryResult| {
            sink.borrow_mut().push(r.clone())
        })),
    )
    .expect("the broker itself is not read-only");
    late.flush();
    tab.playground.borrow_mut().absorb_changes();
    assert_eq!(tab.schedule(), FlushNext::Idle);
    late.poll();
    let failed = reports.borrow().first().cloned().expect("reported");
    assert_eq!(
        failed.expect_err("never stored").code(),
        ErrorCode::NotLeaderOrFollower
    );
    assert_eq!(tab.values("orders"), ["a"]);
    assert_eq!(memory.commit_count(), commits, "nothing was written");
    assert_eq!(stored_values(&memory, "orders"), ["a"]);
}

#[test]
fn a_lock_lost_during_a_flush_lets_it_land_then_fails_what_came_after() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let first = tab.produce("orders", &["a"]);
    let ticket = due(tab.schedule());
    let (second, flushed) = tab.flush_around(ticket, || {
        let second = tab.produce("orders", &["b"]);
        assert_eq!(tab.schedule(), FlushNext::InFlight);
        tab.flush.lose_ownership(&tab.playground);
        assert!(tab.read_only(), "read-only at once");
        assert_eq!(
            tab.delivery(second),
            DeliveryState::Waiting,
            "the flush in flight decides first"
        );
        second
    });
    flushed
        .outcome
        .expect("no other tab claimed the store: the flush landed");
    assert_eq!(flushed.next, FlushNext::Idle, "nothing is flushed after it");
    assert_eq!(tab.delivery(first), DeliveryState::Stored);
    let (code, message) = failure(tab.delivery(second));
    assert_eq!(code, ErrorCode::NotLeaderOrFollower);
    assert!(
        message
            .starts_with("Another tab took this playground over before these records were stored"),
        "{message}"
    );
    assert_eq!(tab.values("orders"), ["a"]);
    assert_eq!(stored_values(&memory, "orders"), ["a"]);
}

#[test]
fn a_lock_lost_while_a_change_waits_its_delay_fails_it_and_the_timer_writes_nothing() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, policy(1_000, 1 << 20), &["orders"]);
    let commits = memory.commit_count();
    let waiting = tab.produce("orders", &["a"]);
    assert_eq!(tab.schedule(), FlushNext::Timer(1_000));
    tab.flush.lose_ownership(&tab.playground);
    let (code, _) = failure(tab.delivery(waiting));
    assert_eq!(code, ErrorCode::NotLeaderOrFollower);
    assert!(tab.values("orders").is_empty(), "a was rolled back");
    tab.clock.advance(1_000);
    assert_eq!(tab.flush.timer_fired(&tab.playground), FlushNext::Idle);
    assert_eq!(memory.commit_count(), commits);
}

#[test]
fn a_lock_lost_after_a_fenced_flush_tells_the_failure_once() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    tab.produce("orders", &["a"]);
    let ticket = due(tab.schedule());
    let _tab2 = Tab::open(&memory, &tab.clock, at_once());
    tab.run(ticket).outcome.expect_err("fenced");
    tab.flush.lose_ownership(&tab.playground);
    let failures = tab
        .playground
        .borrow()
        .timeline()
        .iter()
        .filter(|line| line.to_string().starts_with("Storage failed: "))
        .count();
    assert_eq!(failures, 1, "the lock's loss adds no second failure");
}
