//! Committed offsets: who may commit when (Kafka's OffsetCommit rules for classic groups), and
//! the `__consumer_offsets` record encoding.

use std::collections::BTreeMap;

use brooklet::broker::{ErrorCode, TopicPartition};
use brooklet::group::coordinator::{
    GroupCoordinator, GroupError, GroupEvent, GroupState, JoinRequest, MemberGeneration,
    OffsetCommit,
};
use brooklet::group::offset_record::{
    decode_key, decode_value, encode_key, encode_value, offsets_partition_for, OffsetCommitKey,
};
use brooklet::group::offset_store::OffsetAndMetadata;
use proptest::prelude::*;

const G: &str = "g1";

fn tp(p: i32) -> TopicPartition {
    TopicPartition::new("orders", p)
}

fn commit(offset: i64) -> Vec<OffsetCommit> {
    vec![OffsetCommit::new(tp(0), offset)]
}

/// One dynamic member through its first rebalance; returns its id (generation 1, Stable).
fn one_member(c: &mut GroupCoordinator) -> String {
    let r = JoinRequest::new("c1", ["orders"]);
    let id = match c.join_group(G, &r, 0) {
        Err(GroupError::MemberIdRequired { member_id, .. }) => member_id,
        other => panic!("{other:?}"),
    };
    c.join_group(G, &r.with_member_id(id.clone()), 0)
        .expect("join");
    c.tick(3_000);
    assert_eq!(c.group_state(G), GroupState::CompletingRebalance);
    id
}

fn coordinator() -> GroupCoordinator {
    let mut c = GroupCoordinator::new(3);
    c.set_topic_partitions(BTreeMap::from([("orders".to_string(), 2)]));
    c
}

#[test]
fn commits_from_a_stale_generation_are_refused() {
    let mut c = coordinator();
    let id = one_member(&mut c);
    c.sync_group(G, &MemberGeneration::new(id.clone(), 1), 3_000)
        .expect("sync");
    // The leader rejoins, which always rebalances: generation 1 becomes stale.
    let r = JoinRequest::new("c1", ["orders"]).with_member_id(id.clone());
    c.join_group(G, &r, 4_000).expect("leader rejoin");
    c.sync_group(G, &MemberGeneration::new(id.clone(), 2), 4_000)
        .expect("sync");
    let stale = MemberGeneration::new(id.clone(), 1);
    assert_eq!(
        c.commit_offsets(G, Some(&stale), &commit(5), 4_100)
            .map_err(|e| e.code()),
        Err(ErrorCode::IllegalGeneration)
    );
    let current = MemberGeneration::new(id, 2);
    c.commit_offsets(G, Some(&current), &commit(5), 4_200)
        .expect("the current generation commits");
    assert_eq!(c.committed_offset(G, &tp(0)).map(|o| o.offset), Some(5));
    assert_eq!(
        c.committed_offset(G, &tp(0)).map(|o| o.commit_timestamp_ms),
        Some(4_200)
    );
}

#[test]
fn a_commit_while_the_leader_has_not_synced_gets_rebalance_in_progress() {
    let mut c = coordinator();
    let id = one_member(&mut c);
    let who = MemberGeneration::new(id, 1);
    assert_eq!(
        c.commit_offsets(G, Some(&who), &commit(1), 3_000)
            .map_err(|e| e.code()),
        Err(ErrorCode::RebalanceInProgress)
    );
}

#[test]
fn a_member_of_the_current_generation_may_commit_while_the_group_prepares_a_rebalance() {
    let mut c = coordinator();
    let id = one_member(&mut c);
    c.sync_group(G, &MemberGeneration::new(id.clone(), 1), 3_000)
        .expect("sync");
    let r2 = JoinRequest::new("c2", ["orders"]);
    assert!(c.join_group(G, &r2, 4_000).is_err(), "MEMBER_ID_REQUIRED");
    let r2 = r2.with_member_id(
        match c.join_group(G, &JoinRequest::new("c2", ["orders"]), 4_000) {
            Err(GroupError::MemberIdRequired { member_id, .. }) => member_id,
            other => panic!("{other:?}"),
        },
    );
    c.join_group(G, &r2, 4_000).expect("join");
    assert_eq!(c.group_state(G), GroupState::PreparingRebalance);
    c.commit_offsets(G, Some(&MemberGeneration::new(id, 1)), &commit(9), 4_100)
        .expect("commit before revoking");
}

#[test]
fn a_client_without_a_generation_commits_only_to_an_empty_or_unknown_group() {
    let mut c = coordinator();
    c.commit_offsets("tools", None, &commit(3), 10)
        .expect("an unknown group is created Empty");
    assert_eq!(c.group_state("tools"), GroupState::Empty);
    assert_eq!(c.list_groups()[0].protocol_type, "");
    c.commit_offsets("tools", None, &commit(4), 20)
        .expect("still Empty");

    let id = one_member(&mut c);
    c.sync_group(G, &MemberGeneration::new(id.clone(), 1), 3_000)
        .expect("sync");
    assert_eq!(
        c.commit_offsets(G, None, &commit(1), 3_000)
            .map_err(|e| e.code()),
        Err(ErrorCode::UnknownMemberId)
    );
    let stranger = MemberGeneration::new("someone-else", 1);
    assert_eq!(
        c.commit_offsets(G, Some(&stranger), &commit(1), 3_000)
            .map_err(|e| e.code()),
        Err(ErrorCode::UnknownMemberId)
    );
    let events = c.drain_events();
    assert!(events.iter().any(|e| matches!(e,
        GroupEvent::OffsetsCommitted { group, member_id: None, .. } if group == "tools")));
}

#[test]
fn deleting_an_empty_group_deletes_its_offsets() {
    let mut c = coordinator();
    c.commit_offsets("tools", None, &commit(3), 10)
        .expect("commit");
    c.delete_group("tools").expect("delete");
    assert!(c.committed_offsets("tools").is_empty());
}

#[test]
fn offset_record_encoding_round_trips() {
    let key = OffsetCommitKey {
        group: "my-group".into(),
        partition: TopicPartition::new("orders", 7),
    };
    let value = OffsetAndMetadata {
        offset: 1234,
        leader_epoch: Some(3),
        metadata: "processed by c1".into(),
        commit_timestamp_ms: 1_700_000_000_000,
    };
    let k = encode_key(&key).expect("encodes");
    let v = encode_value(&value).expect("encodes");
    assert_eq!(&k[..2], [0, 1], "key version 1");
    assert_eq!(&v[..2], [0, 3], "value version 3");
    assert_eq!(decode_key(&k), Ok(key));
    assert_eq!(decode_value(&v), Ok(value));
}

#[test]
fn a_group_lands_on_one_of_fifty_offsets_partitions() {
    for group in ["my-group", "console-consumer-12345", "", "g1"] {
        let p = offsets_partition_for(group, 50);
        assert!((0..50).contains(&p), "{group} -> {p}");
    }
}

proptest! {
    #[test]
    fn any_offset_record_round_trips(
        group in ".{0,40}",
        topic in "[a-zA-Z0-9._-]{1,40}",
        partition in any::<i32>(),
        offset in any::<i64>(),
        epoch in proptest::option::of(0..i32::MAX),
        metadata in ".{0,40}",
        ts in any::<i64>(),
    ) {
        let key = OffsetCommitKey { group, partition: TopicPartition::new(topic, partition) };
        let value = OffsetAndMetadata { offset, leader_epoch: epoch, metadata, commit_timestamp_ms: ts };
        prop_assert_eq!(decode_key(&encode_key(&key).unwrap_or_default()), Ok(key));
        prop_assert_eq!(decode_value(&encode_value(&value).unwrap_or_default()), Ok(value));
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = decode_key(&bytes);
        let _ = decode_value(&bytes);
    }
}
