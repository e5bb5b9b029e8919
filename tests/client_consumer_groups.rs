//! Consumer groups end to end: subscribe, join, share partitions, rebalance, expire, commit.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use brooklet::client::{Consumer, RebalanceEvent};
use brooklet::group::coordinator::GroupState;
use client_support::{counts, sorted, tp, World};

#[test]
fn four_partitions_and_two_consumers_get_two_each_and_each_record_is_consumed_once() {
    let w = World::new();
    w.topic("orders", 4);
    w.fill("orders", 4, 10);
    let mut a = w.consumer("g1", &["orders"]);
    let mut b = w.consumer("g1", &["orders"]);
    let read = w.drive(&mut [&mut a, &mut b], 20, 500);
    assert_eq!(a.assignment().len(), 2);
    assert_eq!(b.assignment().len(), 2);
    let mut all = a.assignment().to_vec();
    all.extend(b.assignment().iter().cloned());
    assert_eq!(
        sorted(all),
        (0..4).map(|p| tp("orders", p)).collect::<Vec<_>>()
    );
    let seen = counts(&read);
    assert_eq!(seen.len(), 40, "every record read");
    assert!(seen.values().all(|&n| n == 1), "each exactly once");
    assert_eq!(w.groups.borrow().state("g1"), GroupState::Stable);
}

#[test]
fn a_third_consumer_joins_and_the_group_rebalances() {
    let w = World::new();
    w.topic("orders", 6);
    let mut a = w.consumer("g1", &["orders"]);
    let mut b = w.consumer("g1", &["orders"]);
    w.drive(&mut [&mut a, &mut b], 20, 500);
    let generation = a.generation();
    assert_eq!(a.assignment().len() + b.assignment().len(), 6);
    let mut c = w.consumer("g1", &["orders"]);
    w.drive(&mut [&mut a, &mut b, &mut c], 6, 500);
    assert!(a.generation() > generation, "a new generation");
    assert_eq!(
        [
            a.assignment().len(),
            b.assignment().len(),
            c.assignment().len()
        ],
        [2, 2, 2]
    );
    assert!(a
        .drain_rebalance_events()
        .iter()
        .any(|e| matches!(e, RebalanceEvent::Revoked(_))));
}

#[test]
fn more_consumers_than_partitions_leaves_some_idle() {
    let w = World::new();
    w.topic("orders", 2);
    let mut cs: Vec<Consumer> = (0..3).map(|_| w.consumer("g1", &["orders"])).collect();
    let mut refs: Vec<&mut Consumer> = cs.iter_mut().collect();
    w.drive(&mut refs, 20, 500);
    let sizes: Vec<usize> = cs.iter().map(|c| c.assignment().len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 2);
    assert_eq!(sizes.iter().filter(|&&n| n == 0).count(), 1, "one idle");
    assert_eq!(w.groups.borrow().describe("g1").members.len(), 3);
}

#[test]
fn a_consumer_that_stops_polling_loses_its_partitions_after_the_session_timeout() {
    let w = World::new();
    w.topic("orders", 4);
    let mut a = w.consumer("g1", &["orders"]);
    let mut b = w.consumer("g1", &["orders"]);
    w.drive(&mut [&mut a, &mut b], 20, 500);
    assert_eq!(a.assignment().len(), 2);
    // b goes silent; a keeps polling every second.
    w.drive(&mut [&mut a], 44, 1_000);
    assert_eq!(w.groups.borrow().describe("g1").members.len(), 2, "not yet");
    w.drive(&mut [&mut a], 10, 1_000);
    assert_eq!(w.groups.borrow().describe("g1").members.len(), 1);
    assert_eq!(a.assignment().len(), 4, "a took over b's partitions");
    // b comes back: its membership is gone, so it rejoins as a new member.
    w.drive(&mut [&mut a, &mut b], 6, 500);
    assert!(b
        .drain_rebalance_events()
        .iter()
        .any(|e| matches!(e, RebalanceEvent::Lost(p) if p.len() == 2)));
    assert_eq!(a.assignment().len() + b.assignment().len(), 4);
}

#[test]
fn several_groups_read_the_same_topic_independently() {
    let w = World::new();
    w.topic("orders", 3);
    w.fill("orders", 3, 5);
    let mut g1 = w.consumer("billing", &["orders"]);
    let mut g2 = w.consumer("shipping", &["orders"]);
    let read = w.drive(&mut [&mut g1, &mut g2], 20, 500);
    assert_eq!(read[0].len(), 15);
    assert_eq!(read[1].len(), 15);
    assert_eq!(counts(&read[..1]), counts(&read[1..]), "the same records");
    // billing rewinds one partition; shipping's offsets do not move.
    g1.seek(&tp("orders", 0), 0).expect("seek");
    g1.commit().expect("commit");
    let offset = |g: &str| {
        w.groups
            .borrow()
            .committed(g, &tp("orders", 0))
            .map(|o| o.offset)
    };
    assert_eq!(offset("billing"), Some(0));
    assert_eq!(offset("shipping"), Some(5));
}

#[test]
fn a_consumer_that_only_assigns_partitions_commits_nothing_unless_asked() {
    let w = World::new();
    w.topic("orders", 2);
    w.fill("orders", 2, 4);
    let mut config = w.config("manual");
    config.enable_auto_commit = false;
    let mut c = Consumer::new(w.broker.clone(), w.groups.clone(), config);
    c.assign(&[tp("orders", 0), tp("orders", 1)])
        .expect("assigned");
    let mut read = Vec::new();
    for _ in 0..5 {
        read.extend(c.poll().expect("poll"));
        w.clock.advance(6_000);
    }
    assert_eq!(read.len(), 8);
    assert_eq!(
        w.groups.borrow().state("manual"),
        GroupState::Dead,
        "no group at all"
    );
    assert_eq!(c.committed(&tp("orders", 0)).expect("group id set"), None);
    c.commit().expect("asked");
    assert_eq!(
        c.committed(&tp("orders", 0)).expect("group id set"),
        Some(4)
    );
    assert_eq!(w.groups.borrow().state("manual"), GroupState::Empty);
    assert!(w.groups.borrow().describe("manual").members.is_empty());
}

#[test]
fn without_a_group_id_a_consumer_can_assign_but_not_subscribe_or_commit() {
    let w = World::new();
    w.topic("orders", 1);
    let mut c = Consumer::new(w.broker.clone(), w.groups.clone(), Default::default());
    assert!(c.subscribe(&["orders"]).is_err());
    c.assign(&[tp("orders", 0)]).expect("assigned");
    assert!(c.poll().expect("poll").is_empty());
    assert_eq!(
        c.commit().map(|_| ()).unwrap_err().to_string(),
        "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration."
    );
}

#[test]
fn auto_commit_commits_every_interval_and_close_commits_and_leaves() {
    let w = World::new();
    w.topic("orders", 1);
    w.fill("orders", 1, 3);
    let mut c = w.consumer("g1", &["orders"]);
    w.drive(&mut [&mut c], 8, 500);
    assert_eq!(c.position(&tp("orders", 0)).expect("position"), 3);
    assert_eq!(
        c.committed(&tp("orders", 0)).expect("group"),
        None,
        "5 s not passed"
    );
    w.fill("orders", 1, 2);
    w.drive(&mut [&mut c], 1, 500);
    assert_eq!(c.position(&tp("orders", 0)).expect("position"), 5);
    assert_eq!(c.committed(&tp("orders", 0)).expect("group"), None);
    w.drive(&mut [&mut c], 2, 500);
    assert_eq!(
        c.committed(&tp("orders", 0)).expect("group"),
        Some(5),
        "at 5 s"
    );
    w.fill("orders", 1, 1);
    w.drive(&mut [&mut c], 1, 100);
    c.close().expect("closed");
    assert_eq!(
        w.groups
            .borrow()
            .committed("g1", &tp("orders", 0))
            .map(|o| o.offset),
        Some(6),
        "close committed the last record read"
    );
    assert_eq!(w.groups.borrow().state("g1"), GroupState::Empty);
    assert!(c.poll().is_err());
}

#[test]
fn committed_offsets_are_records_of_consumer_offsets_and_survive_a_reload() {
    let w = World::new();
    w.topic("orders", 2);
    w.fill("orders", 2, 3);
    let mut c = w.consumer("g1", &["orders"]);
    w.drive(&mut [&mut c], 8, 500);
    c.close().expect("closed");
    let reloaded = brooklet::client::BrokerGroups::load(w.broker.clone(), 3).expect("replayed");
    assert_eq!(
        reloaded.committed("g1", &tp("orders", 1)).map(|o| o.offset),
        Some(3)
    );
    assert_eq!(reloaded.state("g1"), GroupState::Empty);
    let partition = brooklet::group::offset_record::offsets_partition_for("g1", 50);
    let hw = w.hw("__consumer_offsets", partition);
    assert!(hw >= 2, "one record per committed partition");
    // Storage sees the commits as ordinary appended batches of the internal topic.
    let events = w.broker.borrow_mut().drain_events();
    assert!(events.iter().any(|e| matches!(
        e,
        brooklet::broker::BrokerEvent::Log {
            topic,
            partition: p,
            event: brooklet::log::LogEvent::BatchAppended { .. },
            ..
        } if topic == "__consumer_offsets" && *p == partition
    )));
}

#[test]
fn a_pattern_subscription_picks_up_new_matching_topics() {
    let w = World::new();
    w.topic("orders-eu", 1);
    w.topic("payments", 1);
    let mut c = Consumer::new(w.broker.clone(), w.groups.clone(), w.config("g1"));
    c.subscribe_pattern("orders-.*").expect("pattern");
    w.drive(&mut [&mut c], 8, 500);
    assert_eq!(c.assignment(), [tp("orders-eu", 0)]);
    w.topic("orders-us", 1);
    w.drive(&mut [&mut c], 4, 500);
    assert_eq!(
        sorted(c.assignment().to_vec()),
        [tp("orders-eu", 0), tp("orders-us", 0)]
    );
}

#[test]
fn a_consumer_that_heartbeats_but_stops_polling_leaves_after_max_poll_interval() {
    let w = World::new();
    w.topic("orders", 2);
    let mut config = w.config("g1");
    config.max_poll_interval_ms = 60_000;
    let mut a = w.consumer_with(config.clone(), &["orders"]);
    let mut b = w.consumer_with(config, &["orders"]);
    w.drive(&mut [&mut a, &mut b], 20, 500);
    assert_eq!(b.assignment().len(), 1);
    // b's heartbeat thread keeps it alive past the 45 s session timeout...
    for _ in 0..50 {
        a.poll().expect("poll");
        b.heartbeat_in_background().expect("heartbeat");
        w.clock.advance(1_000);
    }
    assert_eq!(w.groups.borrow().describe("g1").members.len(), 2);
    // ...but not past max.poll.interval.ms without a poll.
    for _ in 0..20 {
        a.poll().expect("poll");
        b.heartbeat_in_background().expect("heartbeat");
        w.clock.advance(1_000);
    }
    assert_eq!(w.groups.borrow().describe("g1").members.len(), 1);
    assert_eq!(a.assignment().len(), 2);
}
