//! A flush's outcomes: stored and acknowledged, refused and rolled back, a full disk and room
//! again, changes made while it ran, a durability switched under it, and closing.

use super::*;
use crate::playground::persistence::{memory_playground, StorageMode};
use crate::storage::{Durability, StorageError};

#[test]
fn a_stored_produce_is_acknowledged_when_its_flush_returns() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let id = tab.produce("orders", &["a", "b"]);
    assert_eq!(tab.delivery(id), DeliveryState::Waiting);
    let ticket = due(tab.schedule());
    assert_eq!(
        tab.delivery(id),
        DeliveryState::Waiting,
        "not before the commit"
    );
    let flushed = tab.run(ticket);
    let report = flushed.outcome.expect("stored");
    assert_eq!(report.acked.len(), 1);
    assert_eq!(report.acked[0].to, 2);
    assert_eq!(flushed.next, FlushNext::Idle, "nothing else waits");
    assert_eq!(tab.delivery(id), DeliveryState::Stored);
    assert_eq!(stored_values(&memory, "orders"), ["a", "b"]);
}

#[test]
fn a_failed_commit_rolls_back_what_was_not_stored_and_fails_its_deliveries() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let kept = tab.produce("orders", &["a"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    tab.store.fail_nth_commit(1);
    let lost = tab.produce("orders", &["b", "c"]);
    let flushed = tab.run(due(tab.schedule()));
    let error = flushed.outcome.expect_err("the commit was refused");
    assert!(matches!(error.source, StorageError::InjectedFault { .. }));
    assert_eq!(error.rolled_back[0].records, 2);
    assert_eq!(tab.values("orders"), ["a"], "the log is what the store has");
    assert_eq!(tab.delivery(kept), DeliveryState::Stored);
    let (code, message) = failure(tab.delivery(lost));
    assert_eq!(code, ErrorCode::KafkaStorageError);
    assert!(
        message.ends_with("removed from the log: 2 record(s) of orders-0."),
        "{message}"
    );
    assert!(!tab.read_only(), "a refused write is not a takeover");
    assert_eq!(
        flushed.next,
        FlushNext::Idle,
        "a refused flush is not retried on its own"
    );
    // The next change is stored where the refused ones were.
    let later = tab.produce("orders", &["d"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    assert_eq!(tab.delivery(later), DeliveryState::Stored);
    assert_eq!(stored_values(&memory, "orders"), ["a", "d"]);
}

#[test]
fn a_topic_deleted_during_a_failed_flush_is_still_deleted_from_storage() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders", "old"]);
    tab.produce("old", &["x", "y"]);
    tab.produce("orders", &["a"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    let chunks_of_orders = 1;
    assert_eq!(memory.chunk_count(), chunks_of_orders + 1, "one batch each");
    tab.store.fail_nth_commit(1);
    tab.produce("orders", &["b"]);
    let ticket = due(tab.schedule());
    let flushed = tab
        .flush_around(ticket, || {
            tab.playground
                .borrow_mut()
                .delete_topic("old")
                .expect("deleted");
            assert_eq!(tab.schedule(), FlushNext::InFlight);
        })
        .1;
    assert!(flushed.outcome.is_err(), "the flush was refused");
    // The deletion was handed over during the refused flush: the next flush stores it.
    let FlushNext::Now(ticket) = flushed.next else {
        panic!("the deletion is due at once: {:?}", flushed.next);
    };
    tab.run(ticket).outcome.expect("stored");
    assert_eq!(
        memory.chunk_count(),
        chunks_of_orders,
        "old's chunks are gone"
    );
    assert_eq!(stored_values(&memory, "orders"), ["a"]);
}

#[test]
fn changes_made_during_a_flush_go_in_the_next_flush() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let commits = memory.commit_count();
    let first = tab.produce("orders", &["a"]);
    let ticket = due(tab.schedule());
    let (second, flushed) = tab.flush_around(ticket, || {
        assert!(tab.flush.is_flushing());
        let second = tab.produce("orders", &["b"]);
        assert_eq!(
            tab.schedule(),
            FlushNext::InFlight,
            "no second flush at once"
        );
        second
    });
    let report = flushed.outcome.expect("stored");
    assert_eq!(
        report.acked[0].to, 1,
        "the first flush stored what it began with"
    );
    assert_eq!(tab.delivery(first), DeliveryState::Stored);
    assert_eq!(tab.delivery(second), DeliveryState::Waiting);
    let FlushNext::Now(ticket) = flushed.next else {
        panic!("the change made meanwhile is due: {:?}", flushed.next);
    };
    let again = tab.run(ticket);
    assert_eq!(again.outcome.expect("stored").acked[0].to, 2);
    assert_eq!(again.next, FlushNext::Idle);
    assert_eq!(tab.delivery(second), DeliveryState::Stored);
    assert_eq!(memory.commit_count(), commits + 2, "one transaction each");
    assert_eq!(stored_values(&memory, "orders"), ["a", "b"]);
}

#[test]
fn a_flush_that_spans_a_durability_change_applies_it_from_the_next_flush() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let before = tab.store.commit_durabilities().len();
    tab.produce("orders", &["a"]);
    let ticket = due(tab.schedule());
    let flushed = tab
        .flush_around(ticket, || {
            tab.flush.set_durability(Durability::Strict);
            assert_eq!(
                tab.flush.mode(),
                StorageMode::Persistent(Durability::Strict)
            );
        })
        .1;
    flushed.outcome.expect("stored");
    tab.produce("orders", &["b"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    assert_eq!(
        tab.store.commit_durabilities()[before..],
        [Durability::Relaxed, Durability::Strict],
        "the flush in flight kept its durability; the next one has the new one"
    );
    tab.flush.set_durability(Durability::Relaxed);
    tab.produce("orders", &["c"]);
    tab.flush_all();
    assert_eq!(
        tab.store.commit_durabilities().last(),
        Some(&Durability::Relaxed),
        "switched between flushes, it applies to the next one"
    );
}

#[test]
fn a_full_disk_refuses_a_flush_and_a_later_one_stores_once_there_is_room() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    let kept = tab.produce("orders", &["a"]);
    tab.flush_all();
    tab.store.fill_disk();
    let refused = tab.produce("orders", &["too much"]);
    let flushed = tab.run(due(tab.schedule()));
    let error = flushed.outcome.expect_err("refused for space");
    assert!(error.source.is_quota_exceeded(), "{error}");
    let (code, message) = failure(tab.delivery(refused));
    assert_eq!(code, ErrorCode::KafkaStorageError);
    assert!(
        message.starts_with("The browser refused to store more data"),
        "{message}"
    );
    assert_eq!(tab.delivery(kept), DeliveryState::Stored);
    assert_eq!(tab.values("orders"), ["a"]);
    assert!(!tab.read_only(), "a full disk is not a takeover");
    assert!(
        tab.playground.borrow().timeline().iter().any(|line| line
            .to_string()
            .starts_with("Storage failed: The browser refused")),
        "the timeline says so"
    );
    tab.store.free_disk();
    let fits = tab.produce("orders", &["b"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    assert_eq!(tab.delivery(fits), DeliveryState::Stored);
    assert_eq!(stored_values(&memory, "orders"), ["a", "b"]);
}

#[test]
fn a_memory_only_playground_drops_its_outbox_and_acknowledges_at_once() {
    let clock = ManualClock::new(START);
    let (playground, flush) =
        memory_playground::<FaultyStore>(Rc::new(clock), 7, "no IndexedDB here".to_owned());
    let playground = RefCell::new(playground);
    let form = TopicForm {
        name: "orders".to_owned(),
        ..TopicForm::default()
    };
    playground
        .borrow_mut()
        .create_topic(&form)
        .expect("created");
    let (_, id) = playground
        .borrow_mut()
        .produce_tracked("orders", vec![(None, "a".to_owned())])
        .expect("produced");
    assert_eq!(
        playground.borrow().delivery(id),
        Some(&DeliveryState::Stored)
    );
    assert_eq!(flush.schedule(&playground), FlushNext::Idle);
    assert!(
        playground.borrow_mut().take_outbox().is_empty(),
        "nothing piles up"
    );
    assert_eq!(
        flush.mode(),
        StorageMode::MemoryOnly("no IndexedDB here".to_owned())
    );
    flush.set_durability(Durability::Strict);
    assert!(matches!(flush.mode(), StorageMode::MemoryOnly(_)));
    assert!(playground.borrow().timeline()[0]
        .to_string()
        .starts_with("Running in memory only: "));
}

#[test]
fn closing_waits_for_the_flush_in_flight_and_drops_what_comes_after() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    tab.produce("orders", &["a"]);
    let ticket = due(tab.schedule());
    let (closed, flushed) = tab.flush_around(ticket, || tab.flush.close());
    assert!(closed.is_none(), "not while a flush runs");
    flushed.outcome.expect("stored");
    let commits = memory.commit_count();
    assert!(tab.flush.close().is_some(), "the store comes back");
    tab.produce("orders", &["b"]);
    assert_eq!(tab.schedule(), FlushNext::Idle);
    assert_eq!(
        memory.commit_count(),
        commits,
        "nothing is written after closing"
    );
}
