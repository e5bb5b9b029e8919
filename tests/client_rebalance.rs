//! Rebalances seen from the consumers: commit-before-revoke under eager and cooperative
//! assignors, and static membership.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use brooklet::client::RebalanceEvent;
use client_support::{counts, World};

fn exactly_once_across_a_join(assignor: &str) {
    let w = World::new();
    w.topic("orders", 4);
    w.fill("orders", 4, 5);
    let mut config = w.config("g1");
    config.partition_assignment_strategy = vec![assignor.to_owned()];
    let mut a = w.consumer_with(config.clone(), &["orders"]);
    let mut read = w.drive(&mut [&mut a], 10, 500);
    assert_eq!(a.assignment().len(), 4);
    assert_eq!(read[0].len(), 20, "a read everything");
    let mut b = w.consumer_with(config, &["orders"]);
    let more = w.drive(&mut [&mut a, &mut b], 10, 500);
    assert_eq!((a.assignment().len(), b.assignment().len()), (2, 2));
    w.fill("orders", 4, 3);
    let last = w.drive(&mut [&mut a, &mut b], 4, 500);
    read.extend(more);
    read.extend(last);
    let seen = counts(&read);
    assert_eq!(seen.len(), 32);
    assert!(
        seen.values().all(|&n| n == 1),
        "a committed before giving partitions up, so b re-read nothing"
    );
}

#[test]
fn with_an_eager_assignor_a_member_commits_everything_before_revoking_it() {
    exactly_once_across_a_join("range");
}

#[test]
fn with_cooperative_sticky_only_the_moving_partitions_are_committed_and_released() {
    exactly_once_across_a_join("cooperative-sticky");
    let w = World::new();
    w.topic("orders", 4);
    let mut config = w.config("g1");
    config.partition_assignment_strategy = vec!["cooperative-sticky".into()];
    let mut a = w.consumer_with(config.clone(), &["orders"]);
    w.drive(&mut [&mut a], 10, 500);
    a.drain_rebalance_events();
    let mut b = w.consumer_with(config, &["orders"]);
    w.drive(&mut [&mut a, &mut b], 10, 500);
    let events = a.drain_rebalance_events();
    assert!(
        events
            .iter()
            .all(|e| !matches!(e, RebalanceEvent::Revoked(p) if p.len() == 4)),
        "a never gave up everything: {events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, RebalanceEvent::Revoked(p) if p.len() == 2)));
}

#[test]
fn a_static_member_that_comes_back_in_time_gets_its_partitions_without_a_rebalance() {
    let w = World::new();
    w.topic("orders", 4);
    let static_config = |instance: &str| {
        let mut c = w.config("g1");
        c.group_instance_id = Some(instance.to_owned());
        c
    };
    let mut a = w.consumer_with(static_config("inst-a"), &["orders"]);
    let mut b = w.consumer_with(static_config("inst-b"), &["orders"]);
    w.drive(&mut [&mut a, &mut b], 20, 500);
    let generation = a.generation();
    let before = a.assignment().to_vec();
    assert_eq!(before.len(), 2);
    a.close().expect("closed");
    assert_eq!(
        w.groups.borrow().describe("g1").members.len(),
        2,
        "a static member keeps its slot"
    );
    let mut again = w.consumer_with(static_config("inst-a"), &["orders"]);
    w.drive(&mut [&mut again, &mut b], 4, 500);
    assert_eq!(again.assignment(), before.as_slice());
    assert_eq!(again.generation(), generation, "no rebalance");
}
