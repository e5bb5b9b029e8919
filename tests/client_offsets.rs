//! Positions, committed offsets and `auto.offset.reset`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use brooklet::broker::{Acks, NewTopic};
use brooklet::client::{BrokerGroups, Consumer, ConsumerError, OffsetResetPolicy};
use brooklet::group::coordinator::GroupState;
use brooklet::log::NewRecord;
use client_support::{tp, World, START};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

fn assigned(w: &World, group: &str, policy: OffsetResetPolicy) -> Consumer {
    let mut config = w.config(group);
    config.auto_offset_reset = policy;
    config.enable_auto_commit = false;
    let mut c = Consumer::new(w.broker.clone(), w.groups.clone(), config);
    c.assign(&[tp("clicks", 0)]).expect("assigned");
    c
}

#[test]
fn auto_offset_reset_none_is_an_error_with_kafkas_text() {
    let w = World::new();
    w.topic("clicks", 1);
    w.fill("clicks", 1, 3);
    let mut c = assigned(&w, "g1", OffsetResetPolicy::None);
    let error = c.poll().expect_err("no committed offset");
    assert_eq!(
        error.to_string(),
        "Undefined offset with no reset policy for partitions: [clicks-0]"
    );
    c.commit_offsets(&[(tp("clicks", 0), 1)])
        .expect("committed");
    let read = c.poll().expect("now it has one");
    assert_eq!(read.first().map(|r| r.offset), Some(1));
}

#[test]
fn earliest_starts_at_the_log_start_and_latest_at_the_high_watermark() {
    let w = World::new();
    w.topic("clicks", 1);
    w.fill("clicks", 1, 3);
    let mut early = assigned(&w, "a", OffsetResetPolicy::Earliest);
    let mut late = assigned(&w, "b", OffsetResetPolicy::Latest);
    assert_eq!(early.poll().expect("poll").len(), 3);
    assert!(late.poll().expect("poll").is_empty());
    w.fill("clicks", 1, 1);
    assert_eq!(late.poll().expect("poll").len(), 1, "only new records");
}

fn log_with_three_hourly_segments(w: &World) {
    w.broker
        .borrow_mut()
        .create_topic(NewTopic::named("clicks").config("segment.ms", "3600000"))
        .expect("created");
    for hour in 0..3 {
        w.clock.set(START + hour * 2 * HOUR_MS + 1);
        let record = NewRecord::new(
            None,
            Some(format!("h{hour}").into()),
            START + hour * 2 * HOUR_MS,
        );
        w.broker
            .borrow_mut()
            .append("clicks", 0, &[record], Acks::All)
            .expect("appended");
    }
}

#[test]
fn a_position_that_retention_deleted_is_reset_by_the_policy() {
    let w = World::new();
    log_with_three_hourly_segments(&w);
    let mut early = assigned(&w, "a", OffsetResetPolicy::Earliest);
    let mut late = assigned(&w, "b", OffsetResetPolicy::Latest);
    let mut strict = assigned(&w, "c", OffsetResetPolicy::None);
    for c in [&mut early, &mut late, &mut strict] {
        c.commit_offsets(&[(tp("clicks", 0), 0)])
            .expect("committed 0");
    }
    w.clock.advance(7 * DAY_MS);
    w.broker.borrow_mut().run_log_maintenance();
    let log_start = w
        .broker
        .borrow()
        .partition("clicks", 0)
        .map(|p| p.log.log_start_offset())
        .expect("partition");
    assert!(log_start > 0, "retention deleted offset 0");
    let fresh = NewRecord::new(None, Some("new".into()), w.broker.borrow().now_ms());
    w.broker
        .borrow_mut()
        .append("clicks", 0, &[fresh], Acks::All)
        .expect("appended");
    let read = early.poll().expect("reset to earliest");
    assert_eq!(read.first().map(|r| r.offset), Some(log_start));
    assert!(late.poll().expect("reset to latest").is_empty());
    assert_eq!(
        late.position(&tp("clicks", 0)).expect("position"),
        w.hw("clicks", 0)
    );
    let error = strict.poll().expect_err("none refuses");
    assert!(matches!(
        error,
        ConsumerError::OffsetOutOfRange { offset: 0, .. }
    ));
    assert_eq!(error.code().map(|c| c.name()), Some("OFFSET_OUT_OF_RANGE"));
}

#[test]
fn position_and_committed_are_different_and_both_visible() {
    let w = World::new();
    w.topic("clicks", 1);
    w.fill("clicks", 1, 5);
    let mut c = assigned(&w, "g1", OffsetResetPolicy::Earliest);
    assert_eq!(c.poll().expect("poll").len(), 5);
    assert_eq!(c.position(&tp("clicks", 0)).expect("position"), 5);
    assert_eq!(c.committed(&tp("clicks", 0)).expect("committed"), None);
    c.commit_offsets(&[(tp("clicks", 0), 2)])
        .expect("committed");
    assert_eq!(c.committed(&tp("clicks", 0)).expect("committed"), Some(2));
    assert_eq!(c.position(&tp("clicks", 0)).expect("position"), 5);
    c.seek(&tp("clicks", 0), 1).expect("seek");
    assert_eq!(c.poll().expect("poll").first().map(|r| r.offset), Some(1));
    c.seek_to_end(&[]).expect("seek to end");
    assert_eq!(c.position(&tp("clicks", 0)).expect("position"), 5);
    c.seek_to_beginning(&[]).expect("seek to beginning");
    assert_eq!(c.position(&tp("clicks", 0)).expect("position"), 0);
    assert!(c.seek(&tp("other", 0), 0).is_err());
    assert_eq!(
        c.position(&tp("other", 0)).map_err(|e| e.to_string()),
        Err("You can only check the position for partitions assigned to this consumer.".into())
    );
}

#[test]
fn a_paused_partition_is_not_fetched_until_resumed() {
    let w = World::new();
    w.topic("clicks", 1);
    w.fill("clicks", 1, 2);
    let mut c = assigned(&w, "g1", OffsetResetPolicy::Earliest);
    c.pause(&[tp("clicks", 0)]).expect("paused");
    assert!(c.poll().expect("poll").is_empty());
    c.resume(&[tp("clicks", 0)]).expect("resumed");
    assert_eq!(c.poll().expect("poll").len(), 2);
}

#[test]
fn max_poll_records_caps_a_poll_and_partitions_take_turns() {
    let w = World::new();
    w.topic("clicks", 2);
    w.fill("clicks", 2, 10);
    let mut config = w.config("g1");
    config.max_poll_records = 4;
    let mut c = Consumer::new(w.broker.clone(), w.groups.clone(), config);
    c.assign(&[tp("clicks", 0), tp("clicks", 1)])
        .expect("assigned");
    let first = c.poll().expect("poll");
    let second = c.poll().expect("poll");
    assert_eq!((first.len(), second.len()), (4, 4));
    assert_ne!(first[0].partition, second[0].partition, "turns");
}

#[test]
fn commit_async_reports_to_its_callback_at_the_next_poll() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let w = World::new();
    w.topic("clicks", 1);
    w.fill("clicks", 1, 2);
    let mut c = assigned(&w, "g1", OffsetResetPolicy::Earliest);
    c.poll().expect("poll");
    let seen = Rc::new(RefCell::new(None));
    let sink = seen.clone();
    c.commit_async(
        None,
        Some(Box::new(move |r| *sink.borrow_mut() = Some(r.clone()))),
    )
    .expect("sent");
    assert!(seen.borrow().is_none(), "not before the next poll");
    c.poll().expect("poll");
    assert_eq!(*seen.borrow(), Some(Ok(vec![(tp("clicks", 0), 2)])));
}

#[test]
fn a_commit_for_a_partition_that_does_not_exist_is_refused() {
    let w = World::new();
    w.topic("clicks", 1);
    let mut c = assigned(&w, "g1", OffsetResetPolicy::Earliest);
    let e = c
        .commit_offsets(&[(tp("clicks", 5), 1)])
        .expect_err("no such partition");
    assert_eq!(
        e.code().map(|c| c.name()),
        Some("UNKNOWN_TOPIC_OR_PARTITION")
    );
    assert_eq!(c.committed(&tp("clicks", 5)).expect("group"), None);
}

#[test]
fn a_commit_the_offsets_topic_cannot_store_is_rolled_back() {
    use brooklet::group::coordinator::OffsetCommit;
    let w = World::new();
    w.topic("clicks", 1);
    let commit = |offset: i64, metadata: String| {
        let mut c = OffsetCommit::new(tp("clicks", 0), offset);
        c.metadata = metadata;
        w.groups.borrow_mut().commit("g1", None, &[c])
    };
    commit(3, String::new()).expect("stored");
    let e = commit(9, "m".repeat(40_000)).expect_err("metadata too long for the record");
    assert_eq!(e.code().name(), "INVALID_REQUEST");
    let offset = w
        .groups
        .borrow()
        .committed("g1", &tp("clicks", 0))
        .map(|o| o.offset);
    assert_eq!(offset, Some(3), "the cache matches the log");
}

/// A consumer with no group membership that commits `offset` for `topic`-0 in `group`.
fn commit_alone(w: &World, group: &str, topic: &str, offset: i64) {
    let mut config = w.config(group);
    config.enable_auto_commit = false;
    let mut c = Consumer::new(w.broker.clone(), w.groups.clone(), config);
    c.assign(&[tp(topic, 0)]).expect("assigned");
    c.commit_offsets(&[(tp(topic, 0), offset)])
        .expect("committed");
    c.close().expect("closed");
}

#[test]
fn deleting_a_topic_drops_every_groups_offsets_of_it_and_an_empty_group_left_without_any() {
    let w = World::new();
    w.topic("clicks", 1);
    w.topic("views", 1);
    w.fill("clicks", 1, 3);
    w.fill("views", 1, 2);
    commit_alone(&w, "g1", "clicks", 3);
    commit_alone(&w, "g2", "clicks", 1);
    commit_alone(&w, "g2", "views", 2);
    w.broker
        .borrow_mut()
        .delete_topic("clicks")
        .expect("deleted");
    w.groups
        .borrow_mut()
        .delete_topic_offsets("clicks")
        .expect("dropped");
    let groups = w.groups.borrow();
    assert!(groups.committed_offsets("g1").is_empty());
    assert_eq!(groups.state("g1"), GroupState::Dead, "g1 had nothing else");
    let g2: Vec<_> = groups.committed_offsets("g2").into_iter().collect();
    assert_eq!(g2.len(), 1, "g2 keeps its offset of views");
    assert_eq!((g2[0].0.clone(), g2[0].1.offset), (tp("views", 0), 2));
    assert_eq!(groups.state("g2"), GroupState::Empty);
    drop(groups);
    // The tombstones are in __consumer_offsets: a coordinator loaded from the log agrees.
    let reloaded = BrokerGroups::load(w.broker.clone(), 7).expect("loads");
    assert!(reloaded.committed_offsets("g1").is_empty());
    assert_eq!(reloaded.committed_offsets("g2").len(), 1);
}

#[test]
fn a_coordinator_loaded_after_a_topic_went_drops_the_offsets_the_log_still_has() {
    let w = World::new();
    w.topic("clicks", 1);
    w.fill("clicks", 1, 3);
    commit_alone(&w, "g1", "clicks", 3);
    // Deleted without the coordinator hearing of it (it was not loaded, in the page).
    w.broker
        .borrow_mut()
        .delete_topic("clicks")
        .expect("deleted");
    let reloaded = BrokerGroups::load(w.broker.clone(), 7).expect("loads");
    assert!(reloaded.committed_offsets("g1").is_empty());
    // A topic made again under the name starts with no committed offsets.
    w.topic("clicks", 1);
    let again = BrokerGroups::load(w.broker.clone(), 7).expect("loads");
    assert_eq!(again.committed("g1", &tp("clicks", 0)), None);
}
