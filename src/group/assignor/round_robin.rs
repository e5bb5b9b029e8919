//! The roundrobin assignor (`RoundRobinAssignor`, kafka.md §4.2): all partitions, topics by name,
//! dealt one at a time over members in member order, skipping members not subscribed.
//!
//! Owns only the round-robin rule. Must not keep state between calls.

use std::collections::BTreeMap;

use super::common::{
    check_unique_members, distinct_topics, member_order, partitions_of,
    subscribed_partition_counts, to_group_assignment,
};
use super::{Assignor, AssignorError, GroupAssignment, MemberSubscription, RebalanceProtocol};
use crate::group::java_hash_order::java_string_cmp;

/// Kafka's `roundrobin` assignor: partitions of all subscribed topics (topics in name order,
/// partitions ascending) go to a circular cursor over members in member order; for each partition
/// the cursor skips members not subscribed to its topic, assigns, and advances once.
#[derive(Debug, Clone, Copy, Default)]
pub struct RoundRobinAssignor;

impl Assignor for RoundRobinAssignor {
    fn name(&self) -> &'static str {
        "roundrobin"
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
        let mut topics: Vec<&String> = counts.keys().collect();
        crate::sort::sort_by(&mut topics, |a, b| java_string_cmp(a, b));

        let order = member_order(members);
        let subscriptions: Vec<Vec<&str>> = members.iter().map(distinct_topics).collect();
        let mut lists = vec![Vec::new(); members.len()];
        let mut cursor = 0;
        for topic in topics {
            // Every counted topic has a subscriber, so the skipping below always ends.
            if !order
                .iter()
                .any(|&m| subscriptions[m].contains(&topic.as_str()))
            {
                continue;
            }
            for partition in partitions_of(topic, counts[topic]) {
                while !subscriptions[order[cursor]].contains(&topic.as_str()) {
                    cursor = (cursor + 1) % order.len();
                }
                lists[order[cursor]].push(partition);
                cursor = (cursor + 1) % order.len();
            }
        }
        Ok(to_group_assignment(members, lists))
    }
}
