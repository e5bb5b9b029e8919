//! The sticky constrained builder (`ConstrainedAssignmentBuilder`, kafka.md §4.4), used when all
//! members subscribe to the same topics: quotas, owned partitions kept up to quota, the rest
//! dealt round-robin.
//!
//! Owns the equal-subscriptions algorithm only. Must not validate ownership (see `validation`).

use std::collections::{BTreeMap, HashSet, VecDeque};

use super::validation::Validated;
use super::StickyInput;
use crate::group::assignor::common::partitions_of;
use crate::group::assignor::AssignorError;
use crate::group::java_hash_order::java_string_cmp;
use crate::protocol::TopicPartition;

/// Per-member lists (indexed like the input) and the partitions changing owner, with the index of
/// their new owner.
pub(super) type Built = (Vec<Vec<TopicPartition>>, BTreeMap<TopicPartition, usize>);

/// Runs the constrained builder over validated ownership.
pub(super) fn build(
    input: &StickyInput<'_>,
    validated: &Validated,
) -> Result<Built, AssignorError> {
    let n = input.members.len();
    let total: usize = input
        .counts
        .values()
        .map(|&c| usize::try_from(c).unwrap_or(0))
        .sum();
    let min_quota = total / n;
    let max_quota = total.div_ceil(n);
    let expected_over_min = total % n;
    let mut builder = Builder {
        multi_owned: &validated.multi_owned,
        revoked: HashSet::new(),
        lists: vec![Vec::new(); n],
        transferring: BTreeMap::new(),
        under_min: Vec::new(),
        exactly_min: VecDeque::new(),
        min_quota,
        max_quota,
        expected_over_min,
        current_over_min: 0,
    };

    let assigned = builder.keep_owned(input, validated);
    let unassigned = unassigned_partitions(input, &assigned);
    crate::sort::sort_by_key(&mut builder.under_min, |&m| input.rank[m]);
    crate::sort::sort_by_key(builder.exactly_min.make_contiguous(), |&m| input.rank[m]);
    builder.deal_round_robin(&unassigned)?;
    builder.verify_unfilled()?;
    Ok((builder.lists, builder.transferring))
}

struct Builder<'v> {
    multi_owned: &'v HashSet<TopicPartition>,
    /// Owned partitions beyond what their owner may keep.
    revoked: HashSet<TopicPartition>,
    lists: Vec<Vec<TopicPartition>>,
    transferring: BTreeMap<TopicPartition, usize>,
    /// Members below `min_quota` (Kafka's `unfilledMembersWithUnderMinQuotaPartitions`).
    under_min: Vec<usize>,
    /// Members at `min_quota` that may still take one more.
    exactly_min: VecDeque<usize>,
    min_quota: usize,
    max_quota: usize,
    /// How many members end with `max_quota` (zero when the quotas are equal).
    expected_over_min: usize,
    current_over_min: usize,
}

impl Builder<'_> {
    /// Step 1: each member, in hash-map order, keeps its owned partitions sorted by (partition,
    /// topic) up to its quota. Returns every kept partition.
    fn keep_owned(
        &mut self,
        input: &StickyInput<'_>,
        validated: &Validated,
    ) -> Vec<TopicPartition> {
        let mut assigned = Vec::new();
        for &m in &input.hash_order {
            let mut own: Vec<TopicPartition> = validated.owned[m]
                .iter()
                .filter(|p| !self.multi_owned.contains(*p))
                .cloned()
                .collect();
            crate::sort::sort_by(&mut own, |a, b| {
                a.partition
                    .cmp(&b.partition)
                    .then_with(|| java_string_cmp(&a.topic, &b.topic))
            });
            let keep = if own.len() < self.min_quota {
                self.under_min.push(m);
                own.len()
            } else if own.len() >= self.max_quota && self.current_over_min < self.expected_over_min
            {
                self.current_over_min += 1;
                if self.current_over_min == self.expected_over_min {
                    self.exactly_min.clear();
                }
                self.max_quota
            } else {
                if self.current_over_min < self.expected_over_min {
                    self.exactly_min.push_back(m);
                }
                self.min_quota
            };
            self.revoked.extend(own.drain(keep..));
            assigned.extend(own.iter().cloned());
            self.lists[m] = own;
        }
        assigned
    }

    /// Step 3: deals the unassigned partitions, cycling over the members under quota (a member
    /// reaching `min_quota` leaves the cycle without the next one being skipped), then one each
    /// to members at `min_quota`.
    fn deal_round_robin(&mut self, unassigned: &[TopicPartition]) -> Result<(), AssignorError> {
        // Position of Kafka's iterator over `under_min`: the index of its next element.
        let mut cursor = 0;
        for partition in unassigned {
            let (m, from_under) = if cursor < self.under_min.len() {
                cursor += 1;
                (self.under_min[cursor - 1], true)
            } else if let Some(&first) = self.under_min.first() {
                cursor = 1;
                (first, true)
            } else if let Some(m) = self.exactly_min.pop_front() {
                (m, false)
            } else {
                return Err(AssignorError::Inconsistent(
                    "no more unfilled consumers to be assigned",
                ));
            };

            let count = self.assign_new(partition, m);
            if count == self.min_quota {
                if !from_under {
                    return Err(AssignorError::Inconsistent(
                        "a member at its minimum quota was dealt below it",
                    ));
                }
                cursor -= 1;
                self.under_min.remove(cursor);
                self.exactly_min.push_back(m);
            } else if count == self.max_quota {
                self.current_over_min += 1;
            }
        }
        Ok(())
    }

    /// Gives `partition` to `m`; a partition someone still claims is transferring ownership.
    fn assign_new(&mut self, partition: &TopicPartition, m: usize) -> usize {
        self.lists[m].push(partition.clone());
        if self.revoked.contains(partition) || self.multi_owned.contains(partition) {
            self.transferring.insert(partition.clone(), m);
        }
        self.lists[m].len()
    }

    /// Kafka's `verifyUnfilledMembers`: members still under quota must be at exactly `min_quota`.
    fn verify_unfilled(&self) -> Result<(), AssignorError> {
        if self.under_min.is_empty() {
            return Ok(());
        }
        if self.current_over_min != self.expected_over_min {
            return Err(AssignorError::Inconsistent(
                "fewer members reached the maximum quota than expected, with no partitions left",
            ));
        }
        if self
            .under_min
            .iter()
            .any(|&m| self.lists[m].len() != self.min_quota)
        {
            return Err(AssignorError::Inconsistent(
                "a member did not reach its minimum quota, with no partitions left",
            ));
        }
        Ok(())
    }
}

/// Every partition not kept, topics in Java string order, partitions ascending.
fn unassigned_partitions(
    input: &StickyInput<'_>,
    assigned: &[TopicPartition],
) -> Vec<TopicPartition> {
    let assigned: HashSet<&TopicPartition> = assigned.iter().collect();
    let mut topics: Vec<(&String, i32)> = input.counts.iter().map(|(t, &c)| (t, c)).collect();
    crate::sort::sort_by(&mut topics, |a, b| java_string_cmp(a.0, b.0));
    topics
        .into_iter()
        .flat_map(|(topic, count)| partitions_of(topic, count))
        .filter(|p| !assigned.contains(p))
        .collect()
}
