//! The sticky assignor (`StickyAssignor` over `AbstractStickyAssignor`, kafka.md §4.3–4.6):
//! balanced first, then as little movement as possible. Shared by cooperative-sticky.
//!
//! This file owns the entry point and the prepared input; `validation` owns §4.3,
//! `constrained` §4.4, `general` §4.6 and `movements` the partition-movement bookkeeping.
//! Must not keep state between calls (Kafka's instance-level `maxGeneration` is per call here).

mod constrained;
mod general;
mod movements;
mod validation;

use std::collections::BTreeMap;

use super::common::{
    check_unique_members, distinct_topics, subscribed_partition_counts, to_group_assignment,
};
use super::{Assignor, AssignorError, GroupAssignment, MemberSubscription, RebalanceProtocol};
use crate::group::java_hash_order::{hash_map_order, java_string_cmp};
use crate::protocol::TopicPartition;

/// Kafka's `sticky` assignor (eager protocol): balanced within one partition where subscriptions
/// allow, keeping as many previously owned partitions as balance permits.
#[derive(Debug, Clone, Copy, Default)]
pub struct StickyAssignor;

/// A sticky assignment together with the partitions it moves between members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StickyOutcome {
    /// The (eager) assignment.
    pub assignment: GroupAssignment,
    /// On the equal-subscriptions path, each partition handed to a member other than one that
    /// still claims it (`partitionsTransferringOwnership`), with its new owner. `None` on the
    /// general path, where Kafka leaves it for cooperative-sticky to recompute.
    pub transferring: Option<BTreeMap<TopicPartition, String>>,
}

impl StickyAssignor {
    /// Assigns like [`Assignor::assign`] and also reports the partitions changing owner.
    pub fn assign_with_transfers(
        &self,
        partitions_per_topic: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
    ) -> Result<StickyOutcome, AssignorError> {
        check_unique_members(members)?;
        if members.is_empty() {
            return Ok(StickyOutcome::default());
        }
        let input = StickyInput::new(partitions_per_topic, members);
        let validated = validation::validate(&input);
        if validated.all_subscriptions_equal {
            let (lists, transferring) = constrained::build(&input, &validated)?;
            let transferring = transferring
                .into_iter()
                .map(|(partition, m)| (partition, members[m].member_id.clone()))
                .collect();
            Ok(StickyOutcome {
                assignment: to_group_assignment(members, lists),
                transferring: Some(transferring),
            })
        } else {
            let lists = general::build(&input, validated);
            Ok(StickyOutcome {
                assignment: to_group_assignment(members, lists),
                transferring: None,
            })
        }
    }
}

impl Assignor for StickyAssignor {
    fn name(&self) -> &'static str {
        "sticky"
    }

    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Eager
    }

    fn assign(
        &self,
        partitions_per_topic: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
    ) -> Result<GroupAssignment, AssignorError> {
        self.assign_with_transfers(partitions_per_topic, members)
            .map(|outcome| outcome.assignment)
    }
}

/// The input as the sticky builders read it; members are referred to by their index in `members`.
struct StickyInput<'a> {
    members: &'a [MemberSubscription],
    /// Partition counts of the topics that count (subscribed and present).
    counts: BTreeMap<String, i32>,
    /// Each member's distinct subscribed topics, in its order.
    topics: Vec<Vec<&'a str>>,
    /// The order Kafka's `subscriptions` hash map visits members (by member id, Appendix A).
    hash_order: Vec<usize>,
    /// Each member's position when member ids are sorted in Java string order.
    rank: Vec<usize>,
    /// The member at each rank (inverse of `rank`).
    by_rank: Vec<usize>,
}

impl<'a> StickyInput<'a> {
    fn new(
        partitions_per_topic: &BTreeMap<String, i32>,
        members: &'a [MemberSubscription],
    ) -> Self {
        let ids: Vec<String> = members.iter().map(|m| m.member_id.clone()).collect();
        let mut by_rank: Vec<usize> = (0..members.len()).collect();
        crate::sort::sort_by(&mut by_rank, |&a, &b| java_string_cmp(&ids[a], &ids[b]));
        let mut rank = vec![0; members.len()];
        for (r, &m) in by_rank.iter().enumerate() {
            rank[m] = r;
        }
        Self {
            members,
            counts: subscribed_partition_counts(partitions_per_topic, members),
            topics: members.iter().map(distinct_topics).collect(),
            hash_order: hash_map_order(&ids),
            rank,
            by_rank,
        }
    }

    /// The generation member `m` reported, `DEFAULT_GENERATION` (-1) if none.
    fn generation(&self, m: usize) -> i32 {
        self.members[m].generation.unwrap_or(-1)
    }

    /// Whether `m` subscribes to `topic`.
    fn subscribes(&self, m: usize, topic: &str) -> bool {
        self.topics[m].contains(&topic)
    }

    /// Whether `partition` exists in the metadata of a counted topic.
    fn exists(&self, partition: &TopicPartition) -> bool {
        self.counts
            .get(&partition.topic)
            .is_some_and(|&count| (0..count).contains(&partition.partition))
    }
}
