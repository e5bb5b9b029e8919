//! Another tab takes the playground over: by claiming the store under a flush in flight (the
//! flush is fenced), or by taking the lock (during a flush, or while a change waits). Either
//! way this tab turns read-only, fails what it had not stored and writes nothing more.

use bytes::Bytes;

use super::*;
use crate::broker::Acks;
use crate::log::NewRecord;
use crate::protocol::TopicPartition;
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
    // A write that reaches the broker anyway (the terminal writes to it directly) is never
    // stored: it is rolled back and its delivery fails.
    let commits = memory.commit_count();
    let late = {
        let mut playground = tab.playground.borrow_mut();
        let broker = playground.broker();
        let now = broker.borrow().now_ms();
        let record = NewRecord::new(None, Some(Bytes::from_static(b"late")), now);
        broker
            .borrow_mut()
            .append("orders", 0, &[record], Acks::All)
            .expect("the broker itself is not read-only");
        playground.absorb_changes();
        let end = TopicPartition::new("orders".to_owned(), 0);
        playground.track_delivery(vec![(end, 2)])
    };
    assert_eq!(tab.schedule(), FlushNext::Idle);
    assert_eq!(
        failure(tab.delivery(late)).0,
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
