//! A topic with Kafka's largest partition count for one request (10,000): created, read by a
//! group member, committed and read back, with every per-partition path linear. One request
//! for more is refused as Kafka's controller refuses it.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use brooklet::broker::{BrokerError, ErrorCode, NewTopic, MAX_PARTITIONS_PER_REQUEST};
use brooklet::client::ConsumerError;
use client_support::{tp, World};

/// The most partitions one topic can be created with: 10,000 partitions and the topic record
/// are one record more than the controller writes for one request.
const MOST: i32 = 9_999;

#[test]
fn one_request_for_more_than_ten_thousand_partitions_is_a_policy_violation() {
    let w = World::new();
    let refused = w
        .broker
        .borrow_mut()
        .create_topic(NewTopic::named("big").partitions(MAX_PARTITIONS_PER_REQUEST + 1))
        .expect_err("too many");
    assert_eq!(refused.code(), ErrorCode::PolicyViolation);
    assert_eq!(
        refused.to_string(),
        "Excessively large number of partitions per request."
    );
    assert!(w.broker.borrow().topic("big").is_none(), "nothing created");
    let batch = w
        .broker
        .borrow_mut()
        .create_topic(NewTopic::named("big").partitions(MAX_PARTITIONS_PER_REQUEST))
        .expect_err("one record too many");
    assert_eq!(
        batch.to_string(),
        "Unable to perform excessively large batch operation."
    );
    assert_eq!(batch.code(), ErrorCode::PolicyViolation);
    w.topic("grow", 1);
    let grown = w
        .broker
        .borrow_mut()
        .create_partitions("grow", 1 + 10_001)
        .expect_err("too many new partitions");
    assert!(matches!(
        grown,
        BrokerError::ExcessiveBatch { records: 10_001 }
    ));
    assert_eq!(grown.code(), ErrorCode::PolicyViolation);
    assert_eq!(
        w.broker.borrow().topic("grow").map(|t| t.partition_count()),
        Some(1)
    );
}

#[test]
fn ten_thousand_partitions_are_read_by_a_group_committed_and_read_back() {
    let w = World::new();
    w.topic("big", MOST);
    w.fill("big", MOST, 1);
    let mut config = w.config("g");
    config.enable_auto_commit = false;
    config.max_poll_records = 100_000;
    let mut consumer = w.consumer_with(config, &["big"]);
    let read = w.drive(&mut [&mut consumer], 40, 1_000);
    assert_eq!(
        read[0].len(),
        MOST as usize,
        "one record from each partition"
    );
    let committed = consumer.commit().expect("the commit is stored");
    assert_eq!(committed.len(), MOST as usize);
    let offsets = w.groups.borrow().committed_offsets("g");
    assert_eq!(offsets.len(), MOST as usize);
    assert_eq!(offsets.get(&tp("big", MOST - 1)).map(|o| o.offset), Some(1));
    consumer.close().expect("closed");
    // A restart replays them from __consumer_offsets.
    let reloaded = brooklet::client::BrokerGroups::load(w.broker.clone(), 3).expect("replayed");
    assert_eq!(reloaded.committed_offsets("g").len(), MOST as usize);
}

#[test]
fn a_commit_too_large_for_one_batch_fails_with_an_error_and_keeps_the_previous_offsets() {
    let w = World::new();
    for t in ["a", "b", "c"] {
        w.topic(t, MOST);
    }
    let mut config = w.config("g");
    config.enable_auto_commit = false;
    let mut consumer = brooklet::client::Consumer::new(w.broker.clone(), w.groups.clone(), config);
    let all: Vec<_> = (0..MOST)
        .flat_map(|p| [tp("a", p), tp("b", p), tp("c", p)])
        .collect();
    consumer.assign(&all).expect("assigned");
    consumer
        .commit_offsets(&[(tp("a", 0), 0)])
        .expect("a small commit");
    let commits: Vec<_> = all.iter().map(|tp| (tp.clone(), 0)).collect();
    let refused = consumer
        .commit_offsets(&commits)
        .expect_err("30,000 offsets do not fit one batch of __consumer_offsets");
    assert_eq!(refused.code(), Some(ErrorCode::RecordTooLarge));
    let offsets = w.groups.borrow().committed_offsets("g");
    assert_eq!(
        offsets.len(),
        1,
        "rolled back to what was stored: {}",
        offsets.len()
    );
}

#[test]
fn a_second_member_rebalances_ten_thousand_partitions_and_describe_lists_them_all() {
    let w = World::new();
    w.topic("big", MOST);
    let mut config = w.config("g");
    config.enable_auto_commit = false;
    let mut first = w.consumer_with(config.clone(), &["big"]);
    w.drive(&mut [&mut first], 10, 1_000);
    assert_eq!(first.assignment().len(), MOST as usize);
    first.commit().expect("committed");
    let mut second = w.consumer_with(config, &["big"]);
    w.drive(&mut [&mut first, &mut second], 20, 1_000);
    assert_eq!(
        first.assignment().len() + second.assignment().len(),
        MOST as usize,
        "every partition is owned once"
    );
    assert!(!second.assignment().is_empty());
    let view = brooklet::client::group_admin::describe_offsets(&w.groups.borrow(), "g");
    assert_eq!(view.rows.len(), MOST as usize);
}

#[test]
fn a_failed_periodic_auto_commit_is_kept_for_the_caller_to_report() {
    let w = World::new();
    for t in ["a", "b", "c"] {
        w.topic(t, MOST);
    }
    let mut consumer = w.consumer_with(w.config("g"), &["a", "b", "c"]);
    // auto.commit.interval.ms is 5 s: the polls after the join commit 29,997 positions.
    w.drive(&mut [&mut consumer], 12, 1_000);
    let failures = consumer.drain_commit_failures();
    assert!(!failures.is_empty(), "the too-large commit was reported");
    assert!(failures.iter().all(|e| matches!(
        e,
        ConsumerError::AutoCommitFailed {
            synchronous: false,
            offsets,
            ..
        } if offsets.len() == 3 * MOST as usize
    )));
    assert!(
        consumer.drain_commit_failures().is_empty(),
        "each reported once"
    );
    let closed = consumer.close().expect_err("the commit on close fails too");
    assert!(matches!(
        closed,
        ConsumerError::AutoCommitFailed {
            synchronous: true,
            ..
        }
    ));
    assert!(w.groups.borrow().committed_offsets("g").is_empty());
}
