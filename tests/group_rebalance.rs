//! Whole rebalances driven by `client::Consumer`s: cooperative-sticky's two rounds, and
//! consumers that commit before giving partitions up, so no record is skipped.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use brooklet::broker::TopicPartition;
use brooklet::group::coordinator::{GroupEvent, GroupState};

#[path = "support/group_world.rs"]
mod group_world;
use group_world::GroupWorld;

fn sim(partitions: i32) -> GroupWorld {
    let sim = GroupWorld::new("g1", 11, 0);
    sim.topic("orders", partitions);
    sim
}

fn owners(sim: &GroupWorld) -> BTreeMap<String, Vec<TopicPartition>> {
    sim.describe()
        .members
        .into_iter()
        .map(|m| (m.client_id, m.assignment))
        .collect()
}

#[test]
fn cooperative_sticky_moves_only_what_must_move_and_completes_in_a_second_rebalance() {
    let coop = ["cooperative-sticky"];
    let mut sim = sim(4);
    sim.start("c1", None, &["orders"], &coop);
    sim.start("c2", None, &["orders"], &coop);
    sim.advance_to(10_000);
    let before = owners(&sim);
    assert_eq!(before.values().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
    sim.drain_events();

    sim.start("c3", None, &["orders"], &coop);
    sim.advance_to(20_000);
    let events = sim.drain_events();
    let d = sim.describe();
    assert_eq!(d.state, GroupState::Stable);
    assert_eq!(d.generation, 3, "one rebalance for the join, one follow-up");

    let started: Vec<i32> = events
        .iter()
        .filter_map(|e| match e {
            GroupEvent::RebalanceStarted { generation, .. } => Some(*generation),
            _ => None,
        })
        .collect();
    assert_eq!(started, [2, 3]);

    let revoked: Vec<TopicPartition> = events
        .iter()
        .filter_map(|e| match e {
            GroupEvent::PartitionsRevoked { partitions, .. } => Some(partitions.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(
        revoked.len(),
        1,
        "only the partition that moves is revoked: {revoked:?}"
    );

    let completed: Vec<(i32, BTreeMap<String, Vec<TopicPartition>>)> = events
        .iter()
        .filter_map(|e| match e {
            GroupEvent::RebalanceCompleted {
                generation,
                assignment,
                ..
            } => Some((*generation, assignment.clone())),
            _ => None,
        })
        .collect();
    let c3_id = d
        .members
        .iter()
        .find(|m| m.client_id == "c3")
        .map(|m| m.member_id.clone())
        .unwrap_or_default();
    assert_eq!(completed[0].0, 2);
    assert_eq!(
        completed[0].1.get(&c3_id).map(Vec::len),
        Some(0),
        "first round: c3 waits for the revocation"
    );
    assert_eq!(completed[1].0, 3);
    assert_eq!(completed[1].1.get(&c3_id), Some(&revoked));

    let after = owners(&sim);
    for client in ["c1", "c2"] {
        let kept: BTreeSet<_> = after[client].iter().collect();
        assert!(
            kept.iter().all(|p| before[client].contains(p)),
            "{client} only lost partitions"
        );
    }
    let mut sizes: Vec<usize> = after.values().map(Vec::len).collect();
    brooklet::sort::sort(&mut sizes);
    assert_eq!(sizes, [1, 1, 2]);
}

#[test]
fn consumers_that_commit_before_revocation_skip_no_offset() {
    let mut sim = sim(4);
    let eager = ["range"];
    let mut processed: BTreeMap<TopicPartition, BTreeSet<i64>> = BTreeMap::new();
    let script: Vec<(&str, &str)> = vec![
        ("start", "c1"),
        ("start", "c2"),
        ("start", "c3"),
        ("crash", "c2"),
        ("start", "c4"),
        ("close", "c1"),
        ("start", "c2"),
        ("crash", "c3"),
        ("close", "c4"),
    ];
    let produced = i64::try_from(script.len()).unwrap_or(0) * 30 * 3;
    for (action, client) in script {
        match action {
            "start" => sim.start(client, None, &["orders"], &eager),
            "crash" => sim.crash(client),
            _ => sim.close(client),
        }
        for _ in 0..30 {
            sim.produce("orders", 3);
            let t = sim.now_ms() + 3_000;
            sim.advance_to(t);
            for (_, tp, offset) in sim.consume() {
                processed.entry(tp).or_default().insert(offset);
            }
            if t % 15_000 == 0 {
                sim.commit_all();
            }
            for (tp, committed) in sim.committed_offsets() {
                let seen = processed.get(&tp).cloned().unwrap_or_default();
                assert!(
                    (0..committed.offset).all(|o| seen.contains(&o)),
                    "{tp}: committed {} but an offset below was never processed",
                    committed.offset
                );
            }
        }
    }
    // The survivor drains everything and commits.
    sim.advance_to(sim.now_ms() + 60_000);
    for (_, tp, offset) in sim.consume() {
        processed.entry(tp).or_default().insert(offset);
    }
    sim.commit_all();
    let log_end = sim.log_ends("orders");
    assert!(log_end.values().all(|end| *end == produced), "{log_end:?}");
    for (tp, end) in &log_end {
        let committed = sim.committed_offset(tp);
        assert_eq!(committed, Some(*end), "{tp} fully committed");
        let seen = &processed[tp];
        assert!(
            (0..*end).all(|o| seen.contains(&o)),
            "{tp}: every offset processed"
        );
    }
}
