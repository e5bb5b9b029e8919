//! Random sequences of joins, leaves, crashes (silence), restarts and time passing: ownership
//! stays exclusive, every Stable generation of an eager group owns each partition exactly once,
//! and consumers that commit before revoking never skip an offset. The consumers are
//! `client::Consumer`s.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use brooklet::broker::TopicPartition;
use brooklet::group::coordinator::GroupState;
use proptest::prelude::*;

#[path = "support/group_world.rs"]
mod group_world;
use group_world::{GroupWorld, Running};

#[derive(Debug, Clone)]
enum Op {
    Start(usize),
    StartStatic(usize),
    Crash(usize),
    Close(usize),
    Produce(i64),
    Advance(i64),
    Commit,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..5usize).prop_map(Op::Start),
        1 => (0..5usize).prop_map(Op::StartStatic),
        2 => (0..5usize).prop_map(Op::Crash),
        1 => (0..5usize).prop_map(Op::Close),
        2 => (1..20i64).prop_map(Op::Produce),
        4 => (1..120i64).prop_map(|s| Op::Advance(s * 1_000)),
        1 => Just(Op::Commit),
    ]
}

const STRATEGIES: [&str; 4] = ["range", "roundrobin", "sticky", "cooperative-sticky"];

struct World {
    sim: GroupWorld,
    partitions: i32,
    eager: bool,
    processed: BTreeMap<TopicPartition, BTreeSet<i64>>,
}

impl World {
    fn check(&mut self) -> Result<(), TestCaseError> {
        for (_, tp, offset) in self.sim.consume() {
            self.processed.entry(tp).or_default().insert(offset);
        }
        let d = self.sim.describe();
        let mut owners: BTreeMap<TopicPartition, usize> = BTreeMap::new();
        for m in &d.members {
            for tp in &m.assignment {
                *owners.entry(tp.clone()).or_default() += 1;
            }
        }
        prop_assert!(
            owners.values().all(|n| *n == 1),
            "a partition has two owners: {owners:?}"
        );
        if d.state == GroupState::Stable && self.eager {
            prop_assert_eq!(
                owners.len(),
                self.partitions as usize,
                "generation {} leaves partitions unowned: {:?}",
                d.generation,
                owners
            );
        }
        // Client side: no two running consumers read the same partition.
        let mut held: BTreeSet<TopicPartition> = BTreeSet::new();
        for c in self.sim.members() {
            for tp in c.positions().keys() {
                prop_assert!(held.insert(tp.clone()), "{} is consumed twice", tp);
            }
        }
        for (tp, committed) in self.sim.committed_offsets() {
            let seen = self.processed.get(&tp).cloned().unwrap_or_default();
            prop_assert!(
                (0..committed.offset).all(|o| seen.contains(&o)),
                "{}: committed {} past an unprocessed offset",
                tp,
                committed.offset
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn ownership_stays_exclusive_and_no_offset_is_skipped_over_random_membership_changes(
        strategy in 0..4usize,
        partitions in 1..7i32,
        seed in any::<u64>(),
        ops in proptest::collection::vec(op(), 1..30),
    ) {
        let sim = GroupWorld::new("g1", seed, 1_000);
        sim.topic("orders", partitions);
        let protocols = [STRATEGIES[strategy]];
        let mut world = World {
            sim,
            partitions,
            eager: strategy != 3,
            processed: BTreeMap::new(),
        };
        for op in ops {
            let name = |i: usize| format!("c{i}");
            match op {
                Op::Start(i) => world.sim.start(&name(i), None, &["orders"], &protocols),
                Op::StartStatic(i) => {
                    world.sim.start(&name(i), Some(&format!("i{i}")), &["orders"], &protocols)
                }
                Op::Crash(i) => world.sim.crash(&name(i)),
                Op::Close(i) => world.sim.close(&name(i)),
                Op::Produce(n) => world.sim.produce("orders", n),
                Op::Advance(ms) => {
                    // Check at every heartbeat step, so every Stable generation is seen.
                    let to = world.sim.now_ms() + ms;
                    while world.sim.now_ms() < to {
                        let next = (world.sim.now_ms() + 3_000).min(to);
                        world.sim.advance_to(next);
                        world.check()?;
                    }
                }
                Op::Commit => world.sim.commit_all(),
            }
            world.check()?;
        }
        // Left alone long enough, silent members expire and the group settles: if anyone is
        // still running, every partition has exactly one owner, cooperative or not.
        let to = world.sim.now_ms() + 400_000;
        world.sim.advance_to(to);
        world.check()?;
        let running = world.sim.members().iter().any(|c| c.running == Running::Yes);
        let d = world.sim.describe();
        if running {
            prop_assert_eq!(d.state, GroupState::Stable);
            let owned: usize = d.members.iter().map(|m| m.assignment.len()).sum();
            prop_assert_eq!(owned, partitions as usize);
        } else {
            prop_assert!(matches!(d.state, GroupState::Empty | GroupState::Dead));
        }
    }
}
