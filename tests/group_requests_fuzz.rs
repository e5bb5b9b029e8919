//! Arbitrary request sequences against the coordinator's public API: it never panics, and what
//! it reports stays coherent (an Empty group has no members, generations never go back, a Stable
//! group's members own distinct partitions).

use std::collections::{BTreeMap, BTreeSet};

use brooklet::broker::TopicPartition;
use brooklet::group::coordinator::{
    GroupCoordinator, GroupError, GroupState, JoinOutcome, JoinRequest, MemberGeneration,
    OffsetCommit,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Req {
    Join {
        group: usize,
        client: usize,
        member: Option<usize>,
        instance: Option<usize>,
        session_ms: i64,
        protocols: usize,
    },
    Sync {
        group: usize,
        member: usize,
        generation: i32,
        instance: Option<usize>,
    },
    Heartbeat {
        group: usize,
        member: usize,
        generation: i32,
    },
    Leave {
        group: usize,
        member: usize,
        instance: Option<usize>,
    },
    Commit {
        group: usize,
        member: Option<usize>,
        generation: i32,
        offset: i64,
    },
    Poll {
        group: usize,
        member: usize,
    },
    Tick(i64),
    Delete(usize),
}

fn req() -> impl Strategy<Value = Req> {
    let g = 0..2usize;
    let m = 0..8usize;
    prop_oneof![
        4 => (g.clone(), 0..3usize, proptest::option::of(m.clone()), proptest::option::of(0..2usize),
              prop_oneof![Just(45_000i64), Just(10_000), Just(1_000), Just(2_000_000)], 0..4usize)
            .prop_map(|(group, client, member, instance, session_ms, protocols)| Req::Join {
                group, client, member, instance, session_ms, protocols }),
        3 => (g.clone(), m.clone(), -1..4i32, proptest::option::of(0..2usize))
            .prop_map(|(group, member, generation, instance)| Req::Sync { group, member, generation, instance }),
        2 => (g.clone(), m.clone(), -1..4i32)
            .prop_map(|(group, member, generation)| Req::Heartbeat { group, member, generation }),
        1 => (g.clone(), m.clone(), proptest::option::of(0..2usize))
            .prop_map(|(group, member, instance)| Req::Leave { group, member, instance }),
        2 => (g.clone(), proptest::option::of(m.clone()), -1..4i32, -5..50i64)
            .prop_map(|(group, member, generation, offset)| Req::Commit { group, member, generation, offset }),
        1 => (g.clone(), m).prop_map(|(group, member)| Req::Poll { group, member }),
        3 => (0..60_000i64).prop_map(Req::Tick),
        1 => g.prop_map(Req::Delete),
    ]
}

const PROTOCOLS: [&[&str]; 4] = [
    &["range", "cooperative-sticky"],
    &["roundrobin"],
    &["cooperative-sticky"],
    &["sticky", "range"],
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_requests_never_panic_and_leave_the_groups_coherent(
        seed in any::<u64>(),
        requests in proptest::collection::vec(req(), 1..60),
    ) {
        let mut c = GroupCoordinator::new(seed);
        c.set_partition_count("orders", 3);
        let groups = ["g0", "g1"];
        // Member ids seen so far; index 7 is always a stranger.
        let mut ids: Vec<String> = Vec::new();
        let pick = |ids: &Vec<String>, i: usize| ids.get(i).cloned().unwrap_or_else(|| "stranger".into());
        let mut now = 0i64;
        let mut generations: BTreeMap<&str, i32> = BTreeMap::new();
        for r in requests {
            match r {
                Req::Join { group, client, member, instance, session_ms, protocols } => {
                    let mut request = JoinRequest::new(format!("c{client}"), ["orders"])
                        .with_protocols(PROTOCOLS[protocols].iter().copied())
                        .with_session_timeout_ms(session_ms);
                    request.member_id = member.map(|i| pick(&ids, i));
                    request.group_instance_id = instance.map(|i| format!("i{i}"));
                    match c.join_group(groups[group], &request, now) {
                        Ok(JoinOutcome::Joined(r)) => ids.push(r.member_id),
                        Ok(JoinOutcome::Waiting { member_id }) => ids.push(member_id),
                        Err(GroupError::MemberIdRequired { member_id, .. }) => ids.push(member_id),
                        Err(_) => {}
                    }
                }
                Req::Sync { group, member, generation, instance } => {
                    let mut who = MemberGeneration::new(pick(&ids, member), generation);
                    who.group_instance_id = instance.map(|i| format!("i{i}"));
                    let _ = c.sync_group(groups[group], &who, now);
                }
                Req::Heartbeat { group, member, generation } => {
                    let who = MemberGeneration::new(pick(&ids, member), generation);
                    let _ = c.heartbeat(groups[group], &who, now);
                }
                Req::Leave { group, member, instance } => {
                    let instance = instance.map(|i| format!("i{i}"));
                    let _ = c.leave_group(groups[group], &pick(&ids, member), instance.as_deref(), now);
                }
                Req::Commit { group, member, generation, offset } => {
                    let who = member.map(|m| MemberGeneration::new(pick(&ids, m), generation));
                    let offsets = [OffsetCommit::new(TopicPartition::new("orders", 0), offset)];
                    let _ = c.commit_offsets(groups[group], who.as_ref(), &offsets, now);
                }
                Req::Poll { group, member } => {
                    let _ = c.poll(groups[group], &pick(&ids, member), now);
                }
                Req::Tick(ms) => {
                    now += ms;
                    c.tick(now);
                }
                Req::Delete(group) => {
                    if c.delete_group(groups[group]).is_ok() {
                        generations.remove(groups[group]);
                    }
                }
            }
            for g in groups {
                let d = c.describe_group(g);
                if matches!(d.state, GroupState::Empty | GroupState::Dead) {
                    prop_assert!(d.members.is_empty(), "{} {} has members", g, d.state);
                } else if d.state != GroupState::PreparingRebalance {
                    // (A first rebalance whose members all left waits out its initial delay
                    // with nobody, as in Kafka.)
                    prop_assert!(!d.members.is_empty(), "{} {} has no members", g, d.state);
                    prop_assert!(d.leader.is_some());
                }
                if d.state != GroupState::Dead {
                    let before = generations.insert(g, d.generation).unwrap_or(0);
                    prop_assert!(d.generation >= before, "generation went back");
                }
                let mut seen = BTreeSet::new();
                for m in &d.members {
                    for tp in &m.assignment {
                        prop_assert!(seen.insert(tp.clone()), "{} owned twice in {}", tp, g);
                    }
                }
            }
            c.drain_events().iter().for_each(|e| { let _ = e.describe(); });
        }
    }
}
