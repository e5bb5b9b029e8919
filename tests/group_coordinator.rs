//! The classic group protocol driven request by request: joins, syncs, heartbeats, leaves and
//! timers against a manual clock.

use std::collections::BTreeMap;

use brooklet::broker::{ErrorCode, TopicPartition};
use brooklet::clock::{Clock, ManualClock};
use brooklet::group::coordinator::{
    GroupCoordinator, GroupError, GroupEvent, GroupState, JoinOutcome, JoinRequest,
    MemberGeneration, SyncOutcome,
};

const G: &str = "g1";

fn coordinator(partitions: i32) -> GroupCoordinator {
    let mut c = GroupCoordinator::new(42);
    c.set_topic_partitions(BTreeMap::from([("orders".to_string(), partitions)]));
    c
}

/// A dynamic consumer's two-step first join; returns its member id.
fn join_new(c: &mut GroupCoordinator, client: &str, now: i64) -> String {
    join_new_with(c, JoinRequest::new(client, ["orders"]), now)
}

fn join_new_with(c: &mut GroupCoordinator, request: JoinRequest, now: i64) -> String {
    let id = match c.join_group(G, &request, now) {
        Err(GroupError::MemberIdRequired { member_id, .. }) => member_id,
        other => panic!("expected MEMBER_ID_REQUIRED, got {other:?}"),
    };
    let outcome = c
        .join_group(G, &request.with_member_id(id.clone()), now)
        .expect("rejoin with the id");
    assert_eq!(outcome.member_id(), id);
    id
}

fn rejoin(c: &mut GroupCoordinator, client: &str, id: &str, now: i64) -> JoinOutcome {
    c.join_group(
        G,
        &JoinRequest::new(client, ["orders"]).with_member_id(id),
        now,
    )
    .expect("rejoin")
}

/// Every member syncs, the leader first; returns each member's partitions.
fn sync_all(c: &mut GroupCoordinator, now: i64) -> BTreeMap<String, Vec<TopicPartition>> {
    let d = c.describe_group(G);
    let leader = d.leader.clone().expect("a leader");
    let mut ids: Vec<String> = d.members.iter().map(|m| m.member_id.clone()).collect();
    brooklet::sort::sort_by_key(&mut ids, |id| *id != leader);
    let mut out = BTreeMap::new();
    for id in ids {
        let who = MemberGeneration::new(id.clone(), d.generation);
        match c.sync_group(G, &who, now).expect("sync") {
            SyncOutcome::Assigned { partitions, .. } => {
                out.insert(id, partitions);
            }
            SyncOutcome::AwaitingLeader => panic!("the leader synced first"),
        }
    }
    out
}

fn sizes(assignment: &BTreeMap<String, Vec<TopicPartition>>) -> Vec<usize> {
    let mut s: Vec<usize> = assignment.values().map(Vec::len).collect();
    brooklet::sort::sort_by(&mut s, |a, b| b.cmp(a));
    s
}

/// Two consumers through the initial delay (extended once by the second) to Stable.
fn two_stable(c: &mut GroupCoordinator) -> (String, String) {
    let c1 = join_new(c, "c1", 0);
    let c2 = join_new(c, "c2", 1_000);
    c.tick(3_000);
    assert_eq!(
        c.group_state(G),
        GroupState::PreparingRebalance,
        "extended once"
    );
    c.tick(6_000);
    assert_eq!(c.group_state(G), GroupState::CompletingRebalance);
    sync_all(c, 6_000);
    (c1, c2)
}

#[test]
fn four_partitions_and_two_consumers_get_two_each() {
    let mut c = coordinator(4);
    let c1 = join_new(&mut c, "c1", 0);
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    let c2 = join_new(&mut c, "c2", 1_000);
    c.tick(5_999);
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    c.tick(6_000);
    assert_eq!(c.group_state(G), GroupState::CompletingRebalance);
    let response = c.join_response(G, &c1).expect("c1 joined generation 1");
    assert_eq!(response.generation, 1);
    assert!(response.is_leader(), "the first member to join leads");
    assert_eq!(
        response.protocol, "range",
        "both vote for their first choice"
    );
    let follower = MemberGeneration::new(c2.clone(), 1);
    assert_eq!(
        c.sync_group(G, &follower, 6_000),
        Ok(SyncOutcome::AwaitingLeader)
    );
    let assignment = sync_all(&mut c, 6_000);
    assert_eq!(c.group_state(G), GroupState::Stable);
    assert_eq!(sizes(&assignment), [2, 2]);
}

#[test]
fn a_third_consumer_joins_and_the_group_rebalances_to_two_one_one() {
    let mut c = coordinator(4);
    let (c1, c2) = two_stable(&mut c);
    c.drain_events();
    let c3 = join_new(&mut c, "c3", 7_000);
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    let err = c
        .heartbeat(G, &MemberGeneration::new(c1.clone(), 1), 7_100)
        .expect_err("rebalancing");
    assert_eq!(err.code(), ErrorCode::RebalanceInProgress);
    rejoin(&mut c, "c1", &c1, 7_200);
    let outcome = rejoin(&mut c, "c2", &c2, 7_300);
    assert!(matches!(outcome, JoinOutcome::Joined(ref r) if r.generation == 2));
    assert!(c.join_response(G, &c3).is_some());
    let assignment = sync_all(&mut c, 7_400);
    assert_eq!(sizes(&assignment), [2, 1, 1]);
    assert_eq!(c.describe_group(G).generation, 2);
    let events = c.drain_events();
    assert!(events.iter().any(|e| matches!(e,
        GroupEvent::RebalanceStarted { generation: 2, reason, .. } if reason.contains("c3"))));
    assert!(
        events
            .iter()
            .filter(|e| matches!(e, GroupEvent::PartitionsRevoked { .. }))
            .count()
            == 2,
        "range is eager: both old members revoke everything"
    );
}

#[test]
fn more_consumers_than_partitions_leaves_some_idle() {
    let mut c = coordinator(2);
    for (i, client) in ["c1", "c2", "c3"].iter().enumerate() {
        join_new(&mut c, client, i as i64 * 100);
    }
    c.tick(6_000);
    let assignment = sync_all(&mut c, 6_000);
    assert_eq!(sizes(&assignment), [1, 1, 0]);
}

#[test]
fn a_consumer_that_stops_heartbeating_loses_its_partitions_after_the_session_timeout() {
    let clock = ManualClock::new(0);
    let mut c = coordinator(4);
    let (c1, c2) = two_stable(&mut c);
    clock.advance(6_000);
    // c1 keeps heartbeating every 3 s; c2 went silent at 6 s.
    while clock.now_ms() + 3_000 < 6_000 + 45_000 {
        clock.advance(3_000);
        c.heartbeat(G, &MemberGeneration::new(c1.clone(), 1), clock.now_ms())
            .expect("c1 is alive");
        c.tick(clock.now_ms());
    }
    assert_eq!(c.group_state(G), GroupState::Stable);
    c.tick(51_000);
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    let events = c.drain_events();
    assert!(events
        .iter()
        .any(|e| e.describe().contains("session.timeout.ms")));
    assert!(c
        .heartbeat(G, &MemberGeneration::new(c2.clone(), 1), 51_000)
        .is_err_and(|e| e.code() == ErrorCode::UnknownMemberId));
    assert!(matches!(
        rejoin(&mut c, "c1", &c1, 51_000),
        JoinOutcome::Joined(_)
    ));
    let assignment = sync_all(&mut c, 51_000);
    assert_eq!(assignment.get(&c1).map(Vec::len), Some(4));
}

#[test]
fn a_static_member_that_restarts_within_the_session_timeout_gets_its_old_assignment_without_a_rebalance(
) {
    let mut c = coordinator(4);
    let r1 = JoinRequest::new("c1", ["orders"]).with_instance_id("i1");
    let r2 = JoinRequest::new("c2", ["orders"]).with_instance_id("i2");
    let old1 = c
        .join_group(G, &r1, 0)
        .expect("static join")
        .member_id()
        .to_string();
    assert!(old1.starts_with("i1-"));
    c.join_group(G, &r2, 0).expect("static join");
    c.tick(6_000);
    let before = sync_all(&mut c, 6_000);
    c.drain_events();

    // i1 restarts 20 s later: a new process, no member id, same instance id.
    let outcome = c
        .join_group(G, &r1, 26_000)
        .expect("replaces the old member");
    let JoinOutcome::Joined(response) = outcome else {
        panic!("a Stable group answers at once: {outcome:?}");
    };
    assert_ne!(response.member_id, old1);
    assert_eq!(response.generation, 1);
    assert_eq!(c.group_state(G), GroupState::Stable);
    let sync = c
        .sync_group(
            G,
            &MemberGeneration::new(response.member_id.clone(), 1).with_instance_id("i1"),
            26_000,
        )
        .expect("sync");
    assert_eq!(
        sync,
        SyncOutcome::Assigned {
            partitions: before[&old1].clone(),
            rejoin_needed: false
        }
    );
    let events = c.drain_events();
    assert!(!events
        .iter()
        .any(|e| matches!(e, GroupEvent::RebalanceStarted { .. })));
    // The old incarnation is fenced.
    let old = MemberGeneration::new(old1, 1).with_instance_id("i1");
    assert!(c
        .heartbeat(G, &old, 26_100)
        .is_err_and(|e| e.code() == ErrorCode::FencedInstanceId));
}

#[test]
fn an_unknown_group_reports_dead_and_cannot_be_deleted() {
    let mut c = coordinator(1);
    assert_eq!(c.group_state("nope"), GroupState::Dead);
    assert_eq!(c.describe_group("nope").state, GroupState::Dead);
    assert_eq!(
        c.delete_group("nope").map_err(|e| e.code()),
        Err(ErrorCode::GroupIdNotFound)
    );
}

#[test]
fn a_group_with_members_cannot_be_deleted_but_an_empty_one_can() {
    let mut c = coordinator(2);
    let (c1, c2) = two_stable(&mut c);
    assert_eq!(
        c.delete_group(G).map_err(|e| e.code()),
        Err(ErrorCode::NonEmptyGroup)
    );
    c.leave_group(G, &c1, None, 7_000).expect("leave");
    c.leave_group(G, &c2, None, 7_000).expect("leave");
    assert_eq!(c.group_state(G), GroupState::Empty);
    assert_eq!(c.list_groups()[0].state, GroupState::Empty);
    c.delete_group(G).expect("empty groups can go");
    assert_eq!(c.group_state(G), GroupState::Dead);
    assert!(c.list_groups().is_empty());
}

#[test]
fn a_leaving_member_triggers_an_immediate_rebalance() {
    let mut c = coordinator(4);
    let (c1, c2) = two_stable(&mut c);
    c.leave_group(G, &c2, None, 7_000).expect("leave");
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    rejoin(&mut c, "c1", &c1, 7_000);
    let assignment = sync_all(&mut c, 7_000);
    assert_eq!(sizes(&assignment), [4]);
    assert_eq!(c.describe_group(G).generation, 2);
}

#[test]
fn a_session_timeout_outside_the_broker_bounds_is_refused() {
    let mut c = coordinator(1);
    for ms in [5_999, 1_800_001] {
        let r = JoinRequest::new("c1", ["orders"]).with_session_timeout_ms(ms);
        assert_eq!(
            c.join_group(G, &r, 0).map_err(|e| e.code()),
            Err(ErrorCode::InvalidSessionTimeout)
        );
    }
}

#[test]
fn the_protocol_everyone_prefers_wins_the_vote() {
    let mut c = coordinator(4);
    let rr =
        |client: &str| JoinRequest::new(client, ["orders"]).with_protocols(["roundrobin", "range"]);
    let c1 = join_new_with(&mut c, rr("c1"), 0);
    join_new_with(&mut c, rr("c2"), 0);
    c.tick(10_000);
    assert_eq!(
        c.join_response(G, &c1).map(|r| r.protocol),
        Some("roundrobin".to_string())
    );
    // A member supporting none of the group's protocols is refused.
    let odd = JoinRequest::new("c3", ["orders"]).with_protocols(["sticky"]);
    assert_eq!(
        c.join_group(G, &odd, 10_000).map_err(|e| e.code()),
        Err(ErrorCode::InconsistentGroupProtocol)
    );
}

#[test]
fn a_consumer_that_stops_polling_leaves_after_max_poll_interval() {
    let mut c = coordinator(4);
    let (c1, c2) = two_stable(&mut c);
    let mut now = 6_000;
    while c.group_state(G) == GroupState::Stable && now < 400_000 {
        now += 3_000;
        for id in [&c1, &c2] {
            c.heartbeat(G, &MemberGeneration::new(id.clone(), 1), now)
                .expect("alive");
        }
        c.poll(G, &c1, now).expect("c1 polls");
        c.tick(now);
    }
    // c2 last polled when it synced, at 6 s: it is gone 300 s later.
    assert_eq!(now, 306_000);
    let events = c.drain_events();
    assert!(events.iter().any(|e| matches!(e,
        GroupEvent::MemberExpired { member_id, .. } if *member_id == c2)));
}

#[test]
fn an_unused_member_id_expires_after_the_session_timeout() {
    let mut c = coordinator(1);
    let r = JoinRequest::new("c1", ["orders"]);
    assert!(c
        .join_group(G, &r, 0)
        .is_err_and(|e| e.code() == ErrorCode::MemberIdRequired));
    c.tick(45_000);
    let events = c.drain_events();
    assert!(events
        .iter()
        .any(|e| e.describe().contains("never rejoined")));
    assert_eq!(c.group_state(G), GroupState::Empty);
}

#[test]
fn describe_shows_members_with_client_id_host_and_assignment() {
    let mut c = coordinator(2);
    let (c1, _) = two_stable(&mut c);
    let d = c.describe_group(G);
    assert_eq!(d.state, GroupState::Stable);
    assert_eq!(d.protocol_type, "consumer");
    assert_eq!(d.protocol, "range");
    assert_eq!(d.leader.as_deref(), Some(c1.as_str()));
    let m = &d.members[0];
    assert_eq!(
        (m.client_id.as_str(), m.host.as_str()),
        ("c1", "/127.0.0.1")
    );
    assert!(m.member_id.starts_with("c1-"));
    assert_eq!(m.assignment.len(), 1);
}

#[test]
fn the_initial_delay_is_extended_per_new_member_but_capped_by_the_rebalance_timeout() {
    let mut c = coordinator(2);
    let short =
        |client: &str| JoinRequest::new(client, ["orders"]).with_rebalance_timeout_ms(4_000);
    join_new_with(&mut c, short("c1"), 0);
    join_new_with(&mut c, short("c2"), 1_000);
    c.tick(3_999);
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    c.tick(4_000);
    assert_eq!(c.group_state(G), GroupState::CompletingRebalance);
}

#[test]
fn a_dynamic_member_that_misses_the_rebalance_timeout_is_removed() {
    let mut c = coordinator(4);
    let (c1, c2) = two_stable(&mut c);
    // c1 keeps heartbeating but never rejoins after c3 arrives; c2 rejoins.
    join_new(&mut c, "c3", 7_000);
    rejoin(&mut c, "c2", &c2, 7_000);
    let mut now = 7_000;
    while c.group_state(G) == GroupState::PreparingRebalance && now < 400_000 {
        now += 3_000;
        let _ = c.heartbeat(G, &MemberGeneration::new(c1.clone(), 1), now);
        let _ = c.poll(G, &c1, now);
        c.tick(now);
    }
    // Rebalance timeout = max.poll.interval.ms = 300 s after the rebalance started at 7 s.
    assert_eq!(now, 307_000);
    let events = c.drain_events();
    assert!(events.iter().any(|e| matches!(e,
        GroupEvent::MemberExpired { member_id, .. } if *member_id == c1)));
    assert_eq!(c.describe_group(G).members.len(), 2);
}

#[test]
fn a_static_member_back_after_its_session_timeout_joins_as_new_and_the_group_rebalances() {
    let mut c = coordinator(4);
    let r1 = JoinRequest::new("c1", ["orders"]).with_instance_id("i1");
    let r2 = JoinRequest::new("c2", ["orders"]).with_instance_id("i2");
    c.join_group(G, &r1, 0).expect("static join");
    let m2 = c
        .join_group(G, &r2, 0)
        .expect("static join")
        .member_id()
        .to_string();
    c.tick(6_000);
    sync_all(&mut c, 6_000);
    // i2 keeps heartbeating; i1 is silent past its 45 s session.
    let mut now = 6_000;
    while now < 60_000 {
        now += 3_000;
        let _ = c.heartbeat(
            G,
            &MemberGeneration::new(m2.clone(), 1).with_instance_id("i2"),
            now,
        );
        c.tick(now);
    }
    assert_eq!(c.describe_group(G).members.len(), 1, "i1's slot is gone");
    c.drain_events();
    let back = c.join_group(G, &r1, now).expect("joins again");
    assert!(matches!(back, JoinOutcome::Waiting { .. }));
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
}

fn join_coop(c: &mut GroupCoordinator, client: &str, now: i64) -> String {
    join_new_with(
        c,
        JoinRequest::new(client, ["orders"]).with_protocols(["cooperative-sticky"]),
        now,
    )
}

fn rejoin_coop(c: &mut GroupCoordinator, client: &str, id: &str, now: i64) -> JoinOutcome {
    c.join_group(
        G,
        &JoinRequest::new(client, ["orders"])
            .with_protocols(["cooperative-sticky"])
            .with_member_id(id),
        now,
    )
    .expect("rejoin")
}

/// KIP-429's rule, as Kafka's leader reads it from each member's `ownedPartitions`: a
/// partition its owner must revoke is withheld from its new owner until that owner has synced
/// the assignment taking it away and rejoined. An assignment the owner never received does not
/// count: here c2 misses generation 2's SyncGroup (the leader rejoined first), so in
/// generation 3 it still holds what generation 1 gave it.
#[test]
fn a_partition_is_not_reassigned_while_a_cooperative_member_that_missed_the_sync_revoking_it_still_holds_it(
) {
    let mut c = coordinator(4);
    let c1 = join_coop(&mut c, "c1", 0);
    let c2 = join_coop(&mut c, "c2", 1_000);
    c.tick(6_000);
    let first = sync_all(&mut c, 6_000);
    let held = first[&c2].clone();
    let c3 = join_coop(&mut c, "c3", 7_000);
    rejoin_coop(&mut c, "c1", &c1, 7_100);
    rejoin_coop(&mut c, "c2", &c2, 7_200);
    let leader = MemberGeneration::new(c1.clone(), 2);
    assert!(matches!(
        c.sync_group(G, &leader, 7_300),
        Ok(SyncOutcome::Assigned { .. })
    ));
    assert_eq!(c.describe_group(G).leader.as_deref(), Some(c1.as_str()));
    let second = c.describe_group(G);
    let c2_second = &second
        .members
        .iter()
        .find(|m| m.member_id == c2)
        .expect("c2")
        .assignment;
    assert!(
        held.iter().any(|p| !c2_second.contains(p)),
        "generation 2 takes a partition from c2: {held:?} -> {c2_second:?}"
    );
    assert!(matches!(
        c.sync_group(G, &MemberGeneration::new(c3.clone(), 2), 7_300),
        Ok(SyncOutcome::Assigned { .. })
    ));

    // The leader rejoins before c2 syncs: c2 never learns generation 2 took a partition away.
    rejoin_coop(&mut c, "c1", &c1, 7_400);
    let missed = c.sync_group(G, &MemberGeneration::new(c2.clone(), 2), 7_500);
    assert_eq!(
        missed.expect_err("rebalancing").code(),
        ErrorCode::RebalanceInProgress
    );
    rejoin_coop(&mut c, "c2", &c2, 7_600);
    rejoin_coop(&mut c, "c3", &c3, 7_700);
    assert_eq!(c.group_state(G), GroupState::CompletingRebalance);
    let third = sync_all(&mut c, 7_800);
    assert_eq!(c.describe_group(G).generation, 3);

    let revoked: Vec<&TopicPartition> = held.iter().filter(|p| !third[&c2].contains(p)).collect();
    assert!(!revoked.is_empty(), "c2 still has to give a partition up");
    for p in revoked {
        for (member, assigned) in third.iter().filter(|(m, _)| **m != c2) {
            assert!(
                !assigned.contains(p),
                "{p} goes to {member} while c2 still holds it: {third:?}"
            );
        }
    }
    let Ok(SyncOutcome::Assigned { rejoin_needed, .. }) =
        c.sync_group(G, &MemberGeneration::new(c2.clone(), 3), 7_900)
    else {
        panic!("c2 syncs generation 3");
    };
    assert!(rejoin_needed, "c2 revokes, then rejoins for the follow-up");
}
