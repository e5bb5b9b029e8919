//! The cooperative-sticky assignor (`CooperativeStickyAssignor`, kafka.md §4.5): the sticky result
//! minus every partition changing owner, which its old owner revokes before a follow-up rebalance
//! assigns it.
//!
//! Owns the cooperative adjustment only; the assignment itself is the sticky one. Must not run
//! the follow-up rebalance: it reports what is transferring so the coordinator can.

use std::collections::{BTreeMap, HashSet};

use super::common::to_group_assignment;
use super::sticky::StickyAssignor;
use super::{Assignor, AssignorError, GroupAssignment, MemberSubscription, RebalanceProtocol};
use crate::protocol::TopicPartition;

/// Kafka's `cooperative-sticky` assignor: the sticky assignment, withholding partitions that
/// another member still owns until it has revoked them.
#[derive(Debug, Clone, Copy, Default)]
pub struct CooperativeStickyAssignor;

/// A cooperative first-round assignment and what it withheld.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CooperativeAssignment {
    /// What each member gets now: the sticky assignment minus the transferring partitions.
    pub assignment: GroupAssignment,
    /// Partitions withheld because they change owner, each with the member it will go to once
    /// its previous owner has revoked it. Non-empty means a follow-up rebalance is needed.
    pub transferring: BTreeMap<TopicPartition, String>,
}

impl CooperativeStickyAssignor {
    /// Assigns like [`Assignor::assign`] and also reports the withheld, transferring partitions.
    pub fn assign_with_transfers(
        &self,
        partitions_per_topic: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
    ) -> Result<CooperativeAssignment, AssignorError> {
        let outcome = StickyAssignor.assign_with_transfers(partitions_per_topic, members)?;
        let transferring = match outcome.transferring {
            Some(transferring) => transferring,
            None => transferring_from_scratch(members, &outcome.assignment),
        };
        let lists = members
            .iter()
            .map(|member| {
                outcome
                    .assignment
                    .partitions(&member.member_id)
                    .unwrap_or_default()
                    .iter()
                    .filter(|p| transferring.get(*p) != Some(&member.member_id))
                    .cloned()
                    .collect()
            })
            .collect();
        Ok(CooperativeAssignment {
            assignment: to_group_assignment(members, lists),
            transferring,
        })
    }
}

impl Assignor for CooperativeStickyAssignor {
    fn name(&self) -> &'static str {
        "cooperative-sticky"
    }

    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Cooperative
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

/// On the general path Kafka recomputes the transfers: partitions newly assigned to a member
/// that some member reported owning and is not assigned any more.
fn transferring_from_scratch(
    members: &[MemberSubscription],
    assignment: &GroupAssignment,
) -> BTreeMap<TopicPartition, String> {
    let mut added = BTreeMap::new();
    let mut revoked = HashSet::new();
    for member in members {
        let assigned = assignment.partitions(&member.member_id).unwrap_or_default();
        let owned: HashSet<&TopicPartition> = member.owned_partitions.iter().collect();
        for partition in assigned {
            if !owned.contains(partition) {
                added.insert(partition.clone(), member.member_id.clone());
            }
        }
        let assigned: HashSet<&TopicPartition> = assigned.iter().collect();
        revoked.extend(
            member
                .owned_partitions
                .iter()
                .filter(|p| !assigned.contains(p))
                .cloned(),
        );
    }
    added.retain(|partition, _| revoked.contains(partition));
    added
}
