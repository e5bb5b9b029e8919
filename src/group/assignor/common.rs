//! What every assignor does the same way (`AbstractPartitionAssignor`): input checks, the topics
//! that count, member order, empty results.
//!
//! Must not hold any one assignor's algorithm.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use super::{AssignorError, GroupAssignment, MemberSubscription};
use crate::group::java_hash_order::java_string_cmp;
use crate::protocol::TopicPartition;

/// Rejects input the coordinator never produces: the same member id twice.
pub(super) fn check_unique_members(members: &[MemberSubscription]) -> Result<(), AssignorError> {
    let mut seen = HashSet::new();
    for member in members {
        if !seen.insert(member.member_id.as_str()) {
            return Err(AssignorError::DuplicateMember(member.member_id.clone()));
        }
    }
    Ok(())
}

/// A member's topics without repeats, in the order it listed them (Kafka's subscription is a set).
pub(super) fn distinct_topics(member: &MemberSubscription) -> Vec<&str> {
    let mut seen = HashSet::new();
    member
        .topics
        .iter()
        .map(String::as_str)
        .filter(|topic| seen.insert(*topic))
        .collect()
}

/// The topics that count: subscribed by some member and present in the metadata with at least
/// one partition (`AbstractPartitionAssignor.assign` skips the others silently).
pub(super) fn subscribed_partition_counts(
    partitions_per_topic: &BTreeMap<String, i32>,
    members: &[MemberSubscription],
) -> BTreeMap<String, i32> {
    members
        .iter()
        .flat_map(|member| member.topics.iter())
        .filter_map(|topic| match partitions_per_topic.get(topic) {
            Some(&count) if count > 0 => Some((topic.clone(), count)),
            _ => None,
        })
        .collect()
}

/// `MemberInfo.compareTo`: static members by `group.instance.id`, static before dynamic, dynamic
/// by member id, all in Java string order.
pub(super) fn member_info_cmp(a: &MemberSubscription, b: &MemberSubscription) -> Ordering {
    match (&a.group_instance_id, &b.group_instance_id) {
        (Some(x), Some(y)) => java_string_cmp(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => java_string_cmp(&a.member_id, &b.member_id),
    }
    // Equal instance ids cannot coexist in a group; the member id keeps the order total anyway.
    .then_with(|| java_string_cmp(&a.member_id, &b.member_id))
}

/// Indices of `members` in member order (see [`member_info_cmp`]).
pub(super) fn member_order(members: &[MemberSubscription]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        member_info_cmp(&members[a], &members[b])
    });
    order
}

/// Partitions `0..count` of `topic`.
pub(super) fn partitions_of(topic: &str, count: i32) -> impl Iterator<Item = TopicPartition> + '_ {
    (0..count).map(move |p| TopicPartition::new(topic, p))
}

/// Turns per-member lists (indexed like `members`) into a [`GroupAssignment`].
pub(super) fn to_group_assignment(
    members: &[MemberSubscription],
    lists: Vec<Vec<TopicPartition>>,
) -> GroupAssignment {
    GroupAssignment::from_map(
        members
            .iter()
            .map(|member| member.member_id.clone())
            .zip(lists)
            .collect(),
    )
}
