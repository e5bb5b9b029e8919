//! The sticky general builder (`GeneralAssignmentBuilder`, kafka.md §4.6), used when members
//! subscribe to different topics: keep valid ownership, deal the rest to the least-loaded
//! subscriber, then move partitions until balanced, reverting if balance did not improve.
//!
//! Owns the unequal-subscriptions algorithm only. Must not validate ownership (see `validation`).

use std::collections::{BTreeSet, HashMap, HashSet};

use super::movements::PartitionMovements;
use super::validation::{remove_first, Validated};
use super::StickyInput;
use crate::group::assignor::common::partitions_of;
use crate::group::java_hash_order::java_string_cmp;
use crate::protocol::TopicPartition;

/// Runs the general builder; returns per-member lists indexed like the input.
pub(super) fn build(input: &StickyInput<'_>, validated: Validated) -> Vec<Vec<TopicPartition>> {
    let mut builder = Builder::new(input, validated);
    let unassigned = builder.drop_unsubscribed();
    builder.balance(unassigned);
    builder.current
}

struct Builder<'i, 'a> {
    input: &'i StickyInput<'a>,
    /// Subscribers of each counted topic (`topic2AllPotentialConsumers`).
    topic_members: HashMap<String, Vec<usize>>,
    /// Each member's counted topics (`consumer2AllPotentialTopics`).
    member_topics: Vec<Vec<String>>,
    /// The assignment being built (`currentAssignment`).
    current: Vec<Vec<TopicPartition>>,
    /// Who holds each partition (`currentPartitionConsumer`).
    owner: HashMap<TopicPartition, usize>,
    /// Partitions, topics by (subscriber count, name), partitions ascending.
    sorted_partitions: Vec<TopicPartition>,
    /// Members still balanced, ordered by (partitions held, member id) (`sortedCurrentSubscriptions`).
    by_load: BTreeSet<(usize, usize)>,
    /// Members taking part in balancing (Kafka removes the others from `currentAssignment`).
    active: Vec<bool>,
    /// The latest claim of an older generation on each partition (`prevAssignment`).
    previous: HashMap<TopicPartition, (usize, i32)>,
    movements: PartitionMovements,
    revocation_required: bool,
}

impl<'i, 'a> Builder<'i, 'a> {
    fn new(input: &'i StickyInput<'a>, validated: Validated) -> Self {
        let n = input.members.len();
        let mut topic_members: HashMap<String, Vec<usize>> = input
            .counts
            .keys()
            .map(|t| (t.clone(), Vec::new()))
            .collect();
        let mut member_topics = vec![Vec::new(); n];
        for &m in &input.hash_order {
            for &topic in &input.topics[m] {
                if let Some(members) = topic_members.get_mut(topic) {
                    members.push(m);
                    member_topics[m].push(topic.to_string());
                }
            }
        }
        let current = validated.owned;
        let owner = current
            .iter()
            .enumerate()
            .flat_map(|(m, list)| list.iter().map(move |p| (p.clone(), m)))
            .collect();

        let mut topics: Vec<(&String, i32)> = input.counts.iter().map(|(t, &c)| (t, c)).collect();
        crate::sort::sort_by(&mut topics, |a, b| {
            topic_members[a.0]
                .len()
                .cmp(&topic_members[b.0].len())
                .then_with(|| java_string_cmp(a.0, b.0))
        });
        let sorted_partitions = topics
            .into_iter()
            .flat_map(|(topic, count)| partitions_of(topic, count))
            .collect();

        // Claims of members behind the highest generation, the newest winning, the first
        // visited winning ties (Kafka's `prepopulateCurrentAssignments`).
        let mut previous: HashMap<TopicPartition, (usize, i32)> = HashMap::new();
        for &m in &input.hash_order {
            let generation = input.members[m].generation;
            let claim = match generation {
                Some(g) if g < validated.max_generation => g,
                None if validated.max_generation > -1 => -1,
                _ => continue,
            };
            for partition in &input.members[m].owned_partitions {
                match previous.get(partition) {
                    Some(&(_, g)) if claim <= g => {}
                    _ => {
                        previous.insert(partition.clone(), (m, claim));
                    }
                }
            }
        }

        Self {
            input,
            topic_members,
            member_topics,
            current,
            owner,
            sorted_partitions,
            by_load: BTreeSet::new(),
            active: vec![true; n],
            previous,
            movements: PartitionMovements::default(),
            revocation_required: false,
        }
    }

    /// Step 1: drops owned partitions of topics a member no longer subscribes to (which requires a
    /// revocation) and returns the partitions left to assign, in sorted-partition order.
    fn drop_unsubscribed(&mut self) -> Vec<TopicPartition> {
        let mut kept = HashSet::new();
        for m in 0..self.current.len() {
            let input = self.input;
            let before = self.current[m].len();
            self.current[m].retain(|p| input.subscribes(m, &p.topic));
            if self.current[m].len() != before {
                self.revocation_required = true;
            }
            kept.extend(self.current[m].iter().cloned());
        }
        for m in 0..self.current.len() {
            self.by_load
                .insert((self.current[m].len(), self.input.rank[m]));
        }
        self.sorted_partitions
            .iter()
            .filter(|p| !kept.contains(*p))
            .cloned()
            .collect()
    }

    fn member_at(&self, key: (usize, usize)) -> usize {
        self.input.by_rank[key.1]
    }

    fn load_key(&self, m: usize) -> (usize, usize) {
        (self.current[m].len(), self.input.rank[m])
    }

    /// The first member, least loaded first, subscribed to `topic`.
    fn least_loaded_subscriber(&self, topic: &str) -> Option<usize> {
        self.by_load
            .iter()
            .map(|&key| self.member_at(key))
            .find(|&m| self.input.subscribes(m, topic) && self.topic_members.contains_key(topic))
    }

    fn max_assignment_size(&self, m: usize) -> usize {
        self.member_topics[m]
            .iter()
            .map(|t| usize::try_from(self.input.counts.get(t).copied().unwrap_or(0)).unwrap_or(0))
            .sum()
    }

    fn topic_can_move(&self, topic: &str) -> bool {
        self.topic_members.get(topic).is_some_and(|m| m.len() >= 2)
    }

    fn member_can_move(&self, m: usize) -> bool {
        self.current[m].len() < self.max_assignment_size(m)
            || self.current[m]
                .iter()
                .any(|p| self.topic_can_move(&p.topic))
    }

    /// Steps 2–6.
    fn balance(&mut self, mut unassigned: Vec<TopicPartition>) {
        let initializing = self
            .by_load
            .last()
            .is_none_or(|&key| self.current[self.member_at(key)].is_empty());

        for partition in &unassigned {
            if let Some(m) = self.least_loaded_subscriber(&partition.topic) {
                self.give(partition, m);
            }
        }

        // Only topics with two or more subscribers and members that could change take part.
        let topic_members = &self.topic_members;
        let fixed_topic =
            |p: &TopicPartition| topic_members.get(&p.topic).is_none_or(|m| m.len() < 2);
        self.sorted_partitions.retain(|p| !fixed_topic(p));
        unassigned.retain(|p| !fixed_topic(p));
        for m in 0..self.current.len() {
            if !self.member_can_move(m) {
                self.by_load.remove(&self.load_key(m));
                self.active[m] = false;
            }
        }

        let pre_balance = self.current.clone();
        let pre_balance_owner = self.owner.clone();
        if !self.revocation_required {
            self.perform_reassignments(&unassigned);
        }
        let all = self.sorted_partitions.clone();
        let performed = self.perform_reassignments(&all);

        if !initializing
            && performed
            && self.balance_score(&self.current) >= self.balance_score(&pre_balance)
        {
            self.current = pre_balance;
            self.owner = pre_balance_owner;
        }
    }

    fn give(&mut self, partition: &TopicPartition, m: usize) {
        self.by_load.remove(&self.load_key(m));
        self.current[m].push(partition.clone());
        self.owner.insert(partition.clone(), m);
        self.by_load.insert(self.load_key(m));
    }

    /// Balanced: loads differ by at most one, or no member could take a partition from one
    /// holding two more.
    fn is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.by_load.first(), self.by_load.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        for &key in &self.by_load {
            let m = self.member_at(key);
            let count = key.0;
            if count == self.max_assignment_size(m) {
                continue;
            }
            for topic in &self.member_topics[m] {
                let partitions = self.input.counts.get(topic).copied().unwrap_or(0);
                for partition in partitions_of(topic, partitions) {
                    if self.current[m].contains(&partition) {
                        continue;
                    }
                    let Some(&other) = self.owner.get(&partition) else {
                        continue;
                    };
                    if self.active[other] && count + 1 < self.current[other].len() {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// Moves partitions from overloaded members until a full pass changes nothing; returns whether
    /// anything moved.
    fn perform_reassignments(&mut self, partitions: &[TopicPartition]) -> bool {
        let mut performed = false;
        loop {
            let mut modified = false;
            for partition in partitions {
                if self.is_balanced() {
                    break;
                }
                let Some(&holder) = self.owner.get(partition) else {
                    continue;
                };
                let load = self.current[holder].len();
                // Back to its owner of an older generation if that one holds two fewer. Kafka
                // does not check that this owner is still balanced and subscribed (it would
                // fail or hand out an unsubscribed topic); those cases fall through here.
                if let Some(&(previous, _)) = self.previous.get(partition) {
                    if self.active[previous]
                        && self.input.subscribes(previous, &partition.topic)
                        && load > self.current[previous].len() + 1
                    {
                        self.reassign(partition, previous);
                        performed = true;
                        modified = true;
                        continue;
                    }
                }
                let overloaded = self
                    .topic_members
                    .get(&partition.topic)
                    .is_some_and(|members| {
                        members.iter().any(|&o| load > self.current[o].len() + 1)
                    });
                if overloaded {
                    if let Some(target) = self.least_loaded_subscriber(&partition.topic) {
                        self.reassign(partition, target);
                        performed = true;
                        modified = true;
                    }
                }
            }
            if !modified {
                return performed;
            }
        }
    }

    fn reassign(&mut self, partition: &TopicPartition, new: usize) {
        let Some(&old) = self.owner.get(partition) else {
            return;
        };
        let actual = self.movements.partition_to_move(partition, old, new);
        let Some(&old) = self.owner.get(&actual) else {
            return;
        };
        self.by_load.remove(&self.load_key(old));
        self.by_load.remove(&self.load_key(new));
        self.movements.move_partition(&actual, old, new);
        remove_first(&mut self.current[old], &actual);
        self.current[new].push(actual.clone());
        self.owner.insert(actual, new);
        self.by_load.insert(self.load_key(new));
        self.by_load.insert(self.load_key(old));
    }

    /// Σ over pairs of active members of the difference in partitions held; 0 is perfect.
    fn balance_score(&self, lists: &[Vec<TopicPartition>]) -> usize {
        let loads: Vec<usize> = (0..lists.len())
            .filter(|&m| self.active[m])
            .map(|m| lists[m].len())
            .collect();
        let mut score = 0;
        for (i, a) in loads.iter().enumerate() {
            for b in &loads[i + 1..] {
                score += a.abs_diff(*b);
            }
        }
        score
    }
}
