//! The range assignor (`RangeAssignor`, kafka.md §4.1): per topic, contiguous ranges in member
//! order, the first members taking the extras.
//!
//! Owns only the range rule. Must not keep state between calls.

use std::collections::BTreeMap;

use super::common::{
    check_unique_members, distinct_topics, member_order, partitions_of,
    subscribed_partition_counts, to_group_assignment,
};
use super::{Assignor, AssignorError, GroupAssignment, MemberSubscription, RebalanceProtocol};
use crate::group::java_hash_order::{hash_map_order, JavaHashSet};

/// Kafka's `range` assignor: for each topic, its `P` partitions are split among the `C` members
/// subscribed to it into contiguous ranges of `P div C`, the first `P mod C` members (in member
/// order: static by `group.instance.id`, then dynamic by member id) taking one more.
#[derive(Debug, Clone, Copy, Default)]
pub struct RangeAssignor;

impl Assignor for RangeAssignor {
    fn name(&self) -> &'static str {
        "range"
    }

    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Eager
    }

    fn assign(
        &self,
        partitions_per_topic: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
    ) -> Result<GroupAssignment, AssignorError> {
        check_unique_members(members)?;
        let counts = subscribed_partition_counts(partitions_per_topic, members);
        let order = member_order(members);
        let mut lists = vec![Vec::new(); members.len()];
        for topic in topic_order(members, &counts) {
            let Some(&count) = counts.get(&topic) else {
                continue;
            };
            let subscribers: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&m| distinct_topics(&members[m]).contains(&topic.as_str()))
                .collect();
            if subscribers.is_empty() {
                continue;
            }
            let n = i32::try_from(subscribers.len()).unwrap_or(i32::MAX);
            let (quota, extras) = (count / n, count % n);
            let mut partitions = partitions_of(&topic, count);
            for (i, &m) in (0i32..).zip(subscribers.iter()) {
                let take = quota + i32::from(i < extras);
                lists[m].extend(partitions.by_ref().take(usize::try_from(take).unwrap_or(0)));
            }
        }
        Ok(to_group_assignment(members, lists))
    }
}

/// The order Kafka visits topics in: its `partitionsPerTopic` hash map, filled from the hash set of
/// all subscribed topics, itself filled member by member in the subscriptions' hash-map order.
/// The order only shows in each member's list (a member's partitions of one topic stay together).
fn topic_order(members: &[MemberSubscription], counts: &BTreeMap<String, i32>) -> Vec<String> {
    let ids: Vec<String> = members.iter().map(|m| m.member_id.clone()).collect();
    let mut subscribed = JavaHashSet::new();
    for m in hash_map_order(&ids) {
        for topic in distinct_topics(&members[m]) {
            subscribed.insert(topic.to_string());
        }
    }
    let mut with_metadata = JavaHashSet::new();
    for topic in subscribed.iter_java_order() {
        if counts.contains_key(topic) {
            with_metadata.insert(topic.clone());
        }
    }
    with_metadata.iter_java_order().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::TopicPartition;

    #[test]
    fn topics_are_visited_in_java_hash_map_order_not_by_name() {
        // jhash("a") = 97 lands in bucket 1, jhash("p") = 112 in bucket 0: Kafka visits p first.
        let counts = BTreeMap::from([("a".to_string(), 1), ("p".to_string(), 1)]);
        let members = [MemberSubscription::new("m", ["a", "p"])];
        let result = RangeAssignor.assign(&counts, &members).unwrap_or_default();
        assert_eq!(
            result.partitions("m"),
            Some(&[TopicPartition::new("p", 0), TopicPartition::new("a", 0)][..])
        );
    }
}
