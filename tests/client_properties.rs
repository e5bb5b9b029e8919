//! Property: across random joins, leaves, crashes, polls and produces in one group, with
//! commit-before-revoke, every produced record is consumed at least once and none is skipped.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use std::collections::BTreeSet;

use brooklet::client::{Consumer, ConsumerError, ConsumerRecord};
use client_support::World;
use proptest::prelude::*;

const SLOTS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    Join(usize),
    Leave(usize),
    Crash(usize),
    Poll(usize),
    Produce(usize),
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..SLOTS).prop_map(Op::Join),
        1 => (0..SLOTS).prop_map(Op::Leave),
        1 => (0..SLOTS).prop_map(Op::Crash),
        6 => (0..SLOTS).prop_map(Op::Poll),
        2 => (1usize..6).prop_map(Op::Produce),
        2 => prop_oneof![Just(300i64), Just(2_000), Just(6_000), Just(50_000)].prop_map(Op::Advance),
    ]
}

fn strategy() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("range"),
        Just("roundrobin"),
        Just("cooperative-sticky")
    ]
}

fn run(partitions: i32, assignor: &str, ops: &[Op]) -> Result<(), TestCaseError> {
    let w = World::new();
    w.topic("t", partitions);
    let mut slots: Vec<Option<Consumer>> = (0..SLOTS).map(|_| None).collect();
    let mut read: Vec<ConsumerRecord> = Vec::new();
    let new_consumer = || {
        let mut config = w.config("g");
        config.partition_assignment_strategy = vec![assignor.to_owned()];
        config.max_poll_records = 3;
        w.consumer_with(config, &["t"])
    };
    let mut produced = 0usize;
    for op in ops {
        match op {
            Op::Join(i) => {
                if slots[*i].is_none() {
                    slots[*i] = Some(new_consumer());
                }
            }
            Op::Leave(i) => {
                if let Some(mut c) = slots[*i].take() {
                    // A member the coordinator already expired cannot commit on its way out:
                    // close reports that (Kafka logs it as a WARN) and the records it read are
                    // read again by the next owner, which is still "at least once".
                    match c.close() {
                        Ok(()) | Err(ConsumerError::AutoCommitFailed { .. }) => {}
                        Err(e) => return Err(TestCaseError::fail(e.to_string())),
                    }
                }
            }
            // A crash: no commit, no LeaveGroup; the coordinator expires it later.
            Op::Crash(i) => slots[*i] = None,
            Op::Poll(i) => {
                if let Some(c) = slots[*i].as_mut() {
                    read.extend(c.poll().map_err(|e| TestCaseError::fail(e.to_string()))?);
                }
            }
            Op::Produce(n) => {
                w.fill("t", partitions, *n);
                produced += n;
            }
            Op::Advance(ms) => w.clock.advance(*ms),
        }
    }
    // Settle: whoever is left (or one newcomer) keeps polling until the crashed members have
    // expired and everything is read.
    if slots.iter().all(Option::is_none) {
        slots[0] = Some(new_consumer());
    }
    for _ in 0..150 {
        for c in slots.iter_mut().flatten() {
            read.extend(c.poll().map_err(|e| TestCaseError::fail(e.to_string()))?);
        }
        w.clock.advance(1_000);
    }
    let seen: BTreeSet<(i32, i64)> = read.iter().map(|r| (r.partition, r.offset)).collect();
    for p in 0..partitions {
        let hw = w.hw("t", p);
        prop_assert_eq!(hw, i64::try_from(produced).unwrap_or(0));
        for offset in 0..hw {
            prop_assert!(
                seen.contains(&(p, offset)),
                "record t-{}@{} was never consumed",
                p,
                offset
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_produced_record_is_consumed_at_least_once_and_none_is_skipped(
        partitions in 1i32..5,
        assignor in strategy(),
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        run(partitions, assignor, &ops)?;
    }
}
