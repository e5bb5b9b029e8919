//! Sticky input validation (`allSubscriptionsEqual`, kafka.md §4.3): which owned partitions each
//! member may keep, and whether all subscriptions are equal.
//!
//! Owns the ownership-conflict rules only. Must not assign anything.

use std::collections::{HashMap, HashSet};

use super::StickyInput;
use crate::protocol::TopicPartition;

/// The validated previous ownership.
pub(super) struct Validated {
    /// Whether every member subscribes to the same topics (selects the constrained builder).
    pub all_subscriptions_equal: bool,
    /// Per member (indexed like the input), the owned partitions it may keep, in reported order.
    pub owned: Vec<Vec<TopicPartition>>,
    /// Partitions claimed by two members of the same generation: nobody keeps them.
    pub multi_owned: HashSet<TopicPartition>,
    /// The highest generation any member reported (-1 if none).
    pub max_generation: i32,
}

/// Visits members in the subscriptions' hash-map order, each owned list in order: drops partitions
/// of topics not counted; an unclaimed partition is kept; one claimed by the same generation is
/// taken from the earlier claimant, given to neither and marked multi-owned; one claimed by a lower
/// generation moves here; one claimed by a higher generation stays there.
pub(super) fn validate(input: &StickyInput<'_>) -> Validated {
    let n = input.members.len();
    let mut all_equal = true;
    let mut first_topics: Option<HashSet<&str>> = None;
    let mut owned: Vec<Vec<TopicPartition>> = vec![Vec::new(); n];
    let mut claimant: HashMap<TopicPartition, usize> = HashMap::new();
    let mut multi_owned = HashSet::new();
    let mut max_generation = -1;

    for &m in &input.hash_order {
        let topics = &input.topics[m];
        // Deliberate difference: Kafka (re)initialises the reference set while it is empty, so a
        // member subscribed to nothing, visited first, counts as "equal" and the constrained
        // builder hands it partitions it never subscribed to (its client then rejoins forever).
        // Here the first member visited sets the reference, even when it is empty.
        match &first_topics {
            None => first_topics = Some(topics.iter().copied().collect()),
            Some(reference) => {
                if topics.len() != reference.len() || !topics.iter().all(|t| reference.contains(t))
                {
                    all_equal = false;
                }
            }
        }

        let generation = input.generation(m);
        max_generation = max_generation.max(generation);

        for partition in &input.members[m].owned_partitions {
            // Kafka only checks the topic; a partition number outside the topic cannot be
            // owned for real (partitions never shrink), so it is dropped as well.
            if !input.exists(partition) {
                continue;
            }
            match claimant.get(partition).copied() {
                None => {
                    owned[m].push(partition.clone());
                    claimant.insert(partition.clone(), m);
                }
                Some(other) => {
                    let other_generation = input.generation(other);
                    if generation == other_generation {
                        multi_owned.insert(partition.clone());
                        remove_first(&mut owned[other], partition);
                        claimant.insert(partition.clone(), m);
                    } else if generation > other_generation {
                        owned[m].push(partition.clone());
                        remove_first(&mut owned[other], partition);
                        claimant.insert(partition.clone(), m);
                    }
                    // A higher generation elsewhere keeps it.
                }
            }
        }
    }

    Validated {
        all_subscriptions_equal: all_equal,
        owned,
        multi_owned,
        max_generation,
    }
}

/// `List.remove(Object)`: drops the first occurrence, if any.
pub(super) fn remove_first(list: &mut Vec<TopicPartition>, partition: &TopicPartition) {
    if let Some(i) = list.iter().position(|p| p == partition) {
        list.remove(i);
    }
}
