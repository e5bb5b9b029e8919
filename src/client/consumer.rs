//! A consumer shaped like the Java `KafkaConsumer`: `subscribe` (topics or a pattern) with
//! group membership, or `assign` without it; `poll` returns records from each partition's
//! position; `commit` / `commit_async`; `position` and `committed` (different things, both
//! visible); `seek`, `seek_to_beginning`, `seek_to_end`; `pause` / `resume`; `close`.
//!
//! Owns positions, fetching, offset-reset handling (`auto.offset.reset`, including a position
//! that retention deleted) and auto-commit. The group protocol loop lives in `membership.rs`.
//! Must not block, use threads, or read the wall clock: a poll does one round of work at the
//! broker clock's time. Unlike the Java client there is no background heartbeat thread: a
//! consumer that stops polling also stops heartbeating, as a crashed one would.

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;

use super::consumer_config::{ConsumerConfig, OffsetResetPolicy};
use super::error::ConsumerError;
use super::groups::SharedGroups;
use super::topic_pattern::TopicPattern;
use super::SharedBroker;
use crate::broker::{BrokerError, TopicPartition};
use crate::group::coordinator::{MemberGeneration, OffsetCommit};
use crate::group::java_hash_order::hash_map_order;
use crate::log::{Header, LogError, OffsetSpec};

/// A record as `poll` returns it: Java's `ConsumerRecord`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerRecord {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The record's offset.
    pub offset: i64,
    /// Its timestamp (ms since the epoch).
    pub timestamp: i64,
    /// The key; `None` is a null key.
    pub key: Option<Bytes>,
    /// The value; `None` is a tombstone.
    pub value: Option<Bytes>,
    /// The headers, in order.
    pub headers: Vec<Header>,
}

/// What a `ConsumerRebalanceListener` would be told, drained with
/// [`Consumer::drain_rebalance_events`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebalanceEvent {
    /// `onPartitionsAssigned`: partitions this consumer now holds (newly added ones).
    Assigned(Vec<TopicPartition>),
    /// `onPartitionsRevoked`: given up in a rebalance, after committing them.
    Revoked(Vec<TopicPartition>),
    /// `onPartitionsLost`: taken away without a chance to commit (session expired, fenced).
    Lost(Vec<TopicPartition>),
}

impl std::fmt::Display for RebalanceEvent {
    /// A line for the timeline, e.g. `assigned orders-0, orders-1`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (verb, partitions) = match self {
            Self::Assigned(p) => ("assigned", p),
            Self::Revoked(p) => ("revoked", p),
            Self::Lost(p) => ("lost (no commit possible)", p),
        };
        let names: Vec<String> = partitions.iter().map(ToString::to_string).collect();
        write!(f, "{verb} {}", names.join(", "))
    }
}

/// A commit callback (`OffsetCommitCallback`), called from the next `poll`, `commit` or
/// `close` with the offsets committed or the error.
pub type CommitCallback = Box<dyn FnOnce(&CommitResult)>;

/// The outcome of a commit: the offsets committed, or why not.
pub type CommitResult = Result<Vec<(TopicPartition, i64)>, ConsumerError>;

/// What the consumer reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Subscription {
    None,
    Topics(Vec<String>),
    Pattern(TopicPattern),
    Assigned,
}

/// Where the consumer stands in its group's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MemberState {
    /// Must send JoinGroup (first time, or to rejoin).
    Unjoined,
    /// Sent JoinGroup; waiting for the join phase to end.
    Joining,
    /// Joined a generation; must SyncGroup.
    AwaitingSync,
    /// Holds its assignment for the current generation.
    Stable,
}

/// The consumer's group membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Membership {
    pub id: Option<String>,
    pub generation: i32,
    pub state: MemberState,
    pub protocol: Option<String>,
    /// The topics and partition counts sent in the last JoinGroup, to notice metadata changes.
    pub joined_metadata: BTreeMap<String, i32>,
}

/// A Kafka consumer over the shared broker and group coordinator.
pub struct Consumer {
    pub(super) broker: SharedBroker,
    pub(super) groups: SharedGroups,
    pub(super) config: ConsumerConfig,
    pub(super) client_id: String,
    pub(super) subscription: Subscription,
    pub(super) member: Membership,
    pub(super) assignment: Vec<TopicPartition>,
    pub(super) positions: BTreeMap<TopicPartition, i64>,
    pub(super) paused: BTreeSet<TopicPartition>,
    pub(super) last_auto_commit_ms: i64,
    pub(super) rotation: usize,
    pub(super) closed: bool,
    pub(super) rebalance_events: Vec<RebalanceEvent>,
    pub(super) commit_callbacks: Vec<(CommitCallback, CommitResult)>,
    /// Auto-commits that failed, until [`Consumer::drain_commit_failures`] takes them.
    pub(super) commit_failures: Vec<ConsumerError>,
}

impl std::fmt::Debug for Consumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("client_id", &self.client_id)
            .field("group_id", &self.config.group_id)
            .field("member", &self.member)
            .field("assignment", &self.assignment)
            .field("positions", &self.positions)
            .finish_non_exhaustive()
    }
}

impl Consumer {
    /// A consumer with `config`. Without `client.id` it is named as the Java client names
    /// itself: `consumer-<group.id>-<n>`, or `consumer-<n>` without a group.
    pub fn new(broker: SharedBroker, groups: SharedGroups, config: ConsumerConfig) -> Self {
        let client_id = config.client_id.clone().unwrap_or_else(|| {
            let n = groups.borrow_mut().next_client_sequence();
            match &config.group_id {
                Some(g) => format!("consumer-{g}-{n}"),
                None => format!("consumer-{n}"),
            }
        });
        let now = broker.borrow().now_ms();
        Self {
            broker,
            groups,
            config,
            client_id,
            subscription: Subscription::None,
            member: Membership {
                id: None,
                generation: -1,
                state: MemberState::Unjoined,
                protocol: None,
                joined_metadata: BTreeMap::new(),
            },
            assignment: Vec::new(),
            positions: BTreeMap::new(),
            paused: BTreeSet::new(),
            last_auto_commit_ms: now,
            rotation: 0,
            closed: false,
            rebalance_events: Vec::new(),
            commit_callbacks: Vec::new(),
            commit_failures: Vec::new(),
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// Changes `max.poll.records` between polls. The Java client fixes it at construction; the
    /// playground lets a learner turn it like a restart with a new value would, minus the rejoin.
    pub fn set_max_poll_records(&mut self, records: usize) {
        self.config.max_poll_records = records.max(1);
    }

    /// `client.id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The member id the coordinator gave this consumer, once it joined.
    pub fn member_id(&self) -> Option<&str> {
        self.member.id.as_deref()
    }

    /// The group generation this consumer last joined (-1 before).
    pub fn generation(&self) -> i32 {
        self.member.generation
    }

    /// The partitions this consumer holds now.
    pub fn assignment(&self) -> &[TopicPartition] {
        &self.assignment
    }

    /// The topics subscribed to (for a pattern: the topics it matches now).
    pub fn subscription(&self) -> Vec<String> {
        self.subscribed_topics()
    }

    /// Every known position (next offset to read), for views that draw consumer markers.
    pub fn positions(&self) -> &BTreeMap<TopicPartition, i64> {
        &self.positions
    }

    /// The paused partitions.
    pub fn paused(&self) -> Vec<TopicPartition> {
        self.paused.iter().cloned().collect()
    }

    /// Takes the rebalance callbacks since the last call.
    pub fn drain_rebalance_events(&mut self) -> Vec<RebalanceEvent> {
        std::mem::take(&mut self.rebalance_events)
    }

    fn check_open(&self) -> Result<(), ConsumerError> {
        if self.closed {
            return Err(ConsumerError::Closed);
        }
        Ok(())
    }

    pub(super) fn group_id(&self) -> Result<String, ConsumerError> {
        self.config.group_id.clone().ok_or(ConsumerError::NoGroupId)
    }

    /// Subscribes to `topics` with group management (needs `group.id`); replaces any earlier
    /// subscription. The group is joined on the next `poll`.
    pub fn subscribe<S: AsRef<str>>(&mut self, topics: &[S]) -> Result<(), ConsumerError> {
        self.check_open()?;
        self.group_id()?;
        if self.subscription == Subscription::Assigned {
            return Err(ConsumerError::MixedSubscription);
        }
        let topics: Vec<String> = topics.iter().map(|t| t.as_ref().to_owned()).collect();
        self.subscription = Subscription::Topics(topics);
        Ok(())
    }

    /// Subscribes to every topic whose whole name matches the regular expression `pattern`,
    /// now and as topics appear (checked at each poll).
    pub fn subscribe_pattern(&mut self, pattern: &str) -> Result<(), ConsumerError> {
        self.check_open()?;
        self.group_id()?;
        if self.subscription == Subscription::Assigned {
            return Err(ConsumerError::MixedSubscription);
        }
        self.subscription = Subscription::Pattern(TopicPattern::new(pattern)?);
        Ok(())
    }

    /// Takes exactly these partitions, without group membership. Nothing is committed unless
    /// `commit` is called, or auto-commit is on and `group.id` is set (as in Kafka).
    pub fn assign(&mut self, partitions: &[TopicPartition]) -> Result<(), ConsumerError> {
        self.check_open()?;
        if matches!(
            self.subscription,
            Subscription::Topics(_) | Subscription::Pattern(_)
        ) {
            return Err(ConsumerError::MixedSubscription);
        }
        self.subscription = if partitions.is_empty() {
            Subscription::None
        } else {
            Subscription::Assigned
        };
        self.assignment = partitions.to_vec();
        let kept: BTreeSet<&TopicPartition> = partitions.iter().collect();
        self.positions.retain(|tp, _| kept.contains(tp));
        self.paused.retain(|tp| kept.contains(tp));
        Ok(())
    }

    /// Leaves the group (committing first when auto-commit is on) and drops the subscription
    /// or assignment. A failed auto-commit is returned after the consumer left.
    pub fn unsubscribe(&mut self) -> Result<(), ConsumerError> {
        self.check_open()?;
        let left = self.leave_group_gracefully();
        self.subscription = Subscription::None;
        self.assignment.clear();
        self.positions.clear();
        self.paused.clear();
        left
    }

    /// The topics the subscription covers now.
    pub(super) fn subscribed_topics(&self) -> Vec<String> {
        match &self.subscription {
            Subscription::Topics(t) => t.clone(),
            Subscription::Pattern(p) => self
                .broker
                .borrow()
                .topics()
                .filter(|t| !t.is_internal() && p.matches(&t.name))
                .map(|t| t.name.clone())
                .collect(),
            Subscription::Assigned => {
                let set: BTreeSet<String> =
                    self.assignment.iter().map(|tp| tp.topic.clone()).collect();
                set.into_iter().collect()
            }
            Subscription::None => Vec::new(),
        }
    }

    /// One round of work: fires due commit callbacks, keeps the group membership alive (join,
    /// sync, heartbeat, rebalance with commit-before-revoke), auto-commits when
    /// `auto.commit.interval.ms` has passed, then fetches up to `max.poll.records` records
    /// from the positions of the assigned, unpaused partitions.
    pub fn poll(&mut self) -> Result<Vec<ConsumerRecord>, ConsumerError> {
        self.check_open()?;
        if self.subscription == Subscription::None {
            return Err(ConsumerError::NotSubscribed);
        }
        self.fire_commit_callbacks();
        if matches!(
            self.subscription,
            Subscription::Topics(_) | Subscription::Pattern(_)
        ) {
            self.ensure_group()?;
        }
        self.maybe_auto_commit();
        self.fetch()
    }

    fn maybe_auto_commit(&mut self) {
        if !self.config.enable_auto_commit || self.config.group_id.is_none() {
            return;
        }
        let now = self.broker.borrow().now_ms();
        if now - self.last_auto_commit_ms < self.config.auto_commit_interval_ms {
            return;
        }
        let in_group =
            self.subscription == Subscription::Assigned || self.member.state == MemberState::Stable;
        if in_group {
            // Like the Java client's async auto-commit, a failure is only logged (kept for
            // the caller to report): the next interval or the commit before a revocation
            // tries again.
            if let Err(e) = self.auto_commit(None, false) {
                self.commit_failures.push(e);
            }
            self.last_auto_commit_ms = now;
        }
    }

    /// An auto-commit of the positions of `only` (all assigned partitions if `None`); a
    /// failure carries the offsets it tried ([`ConsumerError::AutoCommitFailed`]).
    pub(super) fn auto_commit(
        &mut self,
        only: Option<&[TopicPartition]>,
        synchronous: bool,
    ) -> Result<(), ConsumerError> {
        let offsets = self.consumed_offsets(only);
        self.commit_raw(&offsets)
            .map_err(|e| ConsumerError::AutoCommitFailed {
                offsets,
                source: Box::new(e),
                synchronous,
            })
    }

    /// The auto-commits that failed since the last call (the periodic one and the one
    /// before a revocation), oldest first: Kafka logs each as a WARN, a front end shows them.
    pub fn drain_commit_failures(&mut self) -> Vec<ConsumerError> {
        std::mem::take(&mut self.commit_failures)
    }

    /// The current positions of the assigned partitions, as `commit()` would commit them.
    pub(super) fn consumed_offsets(
        &self,
        only: Option<&[TopicPartition]>,
    ) -> Vec<(TopicPartition, i64)> {
        // A set, so committing n of n partitions is not quadratic.
        let only: Option<std::collections::BTreeSet<&TopicPartition>> =
            only.map(|o| o.iter().collect());
        self.assignment
            .iter()
            .filter(|tp| only.as_ref().is_none_or(|o| o.contains(tp)))
            .filter_map(|tp| self.positions.get(tp).map(|&p| (tp.clone(), p)))
            .collect()
    }

    /// Commits the positions of `only` (all assigned partitions if `None`).
    pub(super) fn commit_positions(
        &mut self,
        only: Option<&[TopicPartition]>,
    ) -> Result<Vec<(TopicPartition, i64)>, ConsumerError> {
        let offsets = self.consumed_offsets(only);
        self.commit_raw(&offsets)?;
        Ok(offsets)
    }

    fn commit_raw(&mut self, offsets: &[(TopicPartition, i64)]) -> Result<(), ConsumerError> {
        let group = self.group_id()?;
        if offsets.is_empty() {
            return Ok(());
        }
        let commits: Vec<OffsetCommit> = offsets
            .iter()
            .map(|(tp, o)| OffsetCommit::new(tp.clone(), *o))
            .collect();
        let who = self.member_generation();
        self.groups
            .borrow_mut()
            .commit(&group, who.as_ref(), &commits)
            .map_err(ConsumerError::from)
    }

    /// Who commits: the member and its generation when subscribed, nobody for `assign`.
    pub(super) fn member_generation(&self) -> Option<MemberGeneration> {
        if self.subscription == Subscription::Assigned {
            return None;
        }
        let id = self.member.id.clone()?;
        let mut who = MemberGeneration::new(id, self.member.generation);
        if let Some(instance) = &self.config.group_instance_id {
            who = who.with_instance_id(instance.clone());
        }
        Some(who)
    }

    /// `commitSync()`: commits the current positions of every assigned partition.
    pub fn commit(&mut self) -> Result<Vec<(TopicPartition, i64)>, ConsumerError> {
        self.check_open()?;
        self.fire_commit_callbacks();
        if self.subscription == Subscription::None {
            return Err(ConsumerError::NotSubscribed);
        }
        self.commit_positions(None)
    }

    /// `commitSync(offsets)`: commits explicit offsets (each the next offset to read).
    pub fn commit_offsets(
        &mut self,
        offsets: &[(TopicPartition, i64)],
    ) -> Result<(), ConsumerError> {
        self.check_open()?;
        self.fire_commit_callbacks();
        self.commit_raw(offsets)
    }

    /// `commitAsync(offsets, callback)`: commits explicit offsets, or the current positions
    /// when `offsets` is `None`; the outcome goes to `callback` at the next `poll`, `commit`
    /// or `close`, as the Java client calls it.
    pub fn commit_async(
        &mut self,
        offsets: Option<Vec<(TopicPartition, i64)>>,
        callback: Option<CommitCallback>,
    ) -> Result<(), ConsumerError> {
        self.check_open()?;
        let result = match offsets {
            Some(o) => self.commit_raw(&o).map(|()| o),
            None => self.commit_positions(None),
        };
        if let Some(cb) = callback {
            self.commit_callbacks.push((cb, result));
        }
        Ok(())
    }

    fn fire_commit_callbacks(&mut self) {
        for (cb, result) in std::mem::take(&mut self.commit_callbacks) {
            cb(&result);
        }
    }

    /// The offset of the next record this consumer will read from `tp` (resolving it from
    /// the committed offset or `auto.offset.reset` if not known yet).
    pub fn position(&mut self, tp: &TopicPartition) -> Result<i64, ConsumerError> {
        self.check_open()?;
        if !self.assignment.contains(tp) {
            return Err(ConsumerError::PositionOfUnassigned(tp.clone()));
        }
        if let Some(&p) = self.positions.get(tp) {
            return Ok(p);
        }
        self.resolve_positions(std::slice::from_ref(tp))?;
        self.positions
            .get(tp)
            .copied()
            .ok_or_else(|| ConsumerError::NoOffsetForPartition(vec![tp.clone()]))
    }

    /// The group's committed offset for `tp` (the next offset to read), if any.
    pub fn committed(&self, tp: &TopicPartition) -> Result<Option<i64>, ConsumerError> {
        self.check_open()?;
        let group = self.group_id()?;
        Ok(self.groups.borrow().committed(&group, tp).map(|o| o.offset))
    }

    fn require_assigned(&self, tp: &TopicPartition) -> Result<(), ConsumerError> {
        if self.assignment.contains(tp) {
            Ok(())
        } else {
            Err(ConsumerError::NoCurrentAssignment(tp.clone()))
        }
    }

    /// Moves the position of `tp` to `offset`; the next poll reads from there.
    pub fn seek(&mut self, tp: &TopicPartition, offset: i64) -> Result<(), ConsumerError> {
        self.check_open()?;
        if offset < 0 {
            return Err(ConsumerError::NegativeOffset);
        }
        self.require_assigned(tp)?;
        self.positions.insert(tp.clone(), offset);
        Ok(())
    }

    fn seek_to(
        &mut self,
        partitions: &[TopicPartition],
        spec: OffsetSpec,
    ) -> Result<(), ConsumerError> {
        self.check_open()?;
        let targets: Vec<TopicPartition> = if partitions.is_empty() {
            self.assignment.clone()
        } else {
            partitions.to_vec()
        };
        for tp in &targets {
            self.require_assigned(tp)?;
            let offset = self.list_offset(tp, spec)?;
            self.positions.insert(tp.clone(), offset);
        }
        Ok(())
    }

    /// Moves to the log-start offset of each partition (every assigned one if empty).
    pub fn seek_to_beginning(
        &mut self,
        partitions: &[TopicPartition],
    ) -> Result<(), ConsumerError> {
        self.seek_to(partitions, OffsetSpec::Earliest)
    }

    /// Moves to the end (high watermark) of each partition (every assigned one if empty).
    pub fn seek_to_end(&mut self, partitions: &[TopicPartition]) -> Result<(), ConsumerError> {
        self.seek_to(partitions, OffsetSpec::Latest)
    }

    /// Stops fetching from these partitions until resumed; they stay assigned.
    pub fn pause(&mut self, partitions: &[TopicPartition]) -> Result<(), ConsumerError> {
        self.check_open()?;
        for tp in partitions {
            self.require_assigned(tp)?;
        }
        self.paused.extend(partitions.iter().cloned());
        Ok(())
    }

    /// Fetches from these partitions again.
    pub fn resume(&mut self, partitions: &[TopicPartition]) -> Result<(), ConsumerError> {
        self.check_open()?;
        for tp in partitions {
            self.require_assigned(tp)?;
            self.paused.remove(tp);
        }
        Ok(())
    }

    /// Closes the consumer: commits the positions first when auto-commit is on, then leaves
    /// the group (a static member keeps its slot until its session times out, as in Kafka).
    /// Every later call fails with "This consumer has already been closed." A failed
    /// auto-commit is returned ([`ConsumerError::AutoCommitFailed`]) after the consumer closed.
    pub fn close(&mut self) -> Result<(), ConsumerError> {
        if self.closed {
            return Ok(());
        }
        self.fire_commit_callbacks();
        let left = self.leave_group_gracefully();
        self.closed = true;
        left
    }

    /// `ListOffsets` for one partition.
    fn list_offset(&self, tp: &TopicPartition, spec: OffsetSpec) -> Result<i64, ConsumerError> {
        let found = self
            .broker
            .borrow()
            .list_offsets(&tp.topic, tp.partition, spec)?;
        let broker = self.broker.borrow();
        let hw = broker
            .partition(&tp.topic, tp.partition)
            .map(|p| p.log.high_watermark())?;
        Ok(found.map_or(hw, |o| o.offset))
    }

    /// Gives each of `partitions` without a position one: its committed offset, else the
    /// reset policy. With `none`, fails listing every partition left without one.
    fn resolve_positions(&mut self, partitions: &[TopicPartition]) -> Result<(), ConsumerError> {
        let mut missing = Vec::new();
        for tp in partitions {
            if self.positions.contains_key(tp) {
                continue;
            }
            let committed = self
                .config
                .group_id
                .as_deref()
                .and_then(|g| self.groups.borrow().committed(g, tp))
                .map(|o| o.offset);
            let offset = match (committed, self.config.auto_offset_reset) {
                (Some(o), _) => o,
                (None, OffsetResetPolicy::Earliest) => {
                    self.list_offset(tp, OffsetSpec::Earliest)?
                }
                (None, OffsetResetPolicy::Latest) => self.list_offset(tp, OffsetSpec::Latest)?,
                (None, OffsetResetPolicy::None) => {
                    missing.push(tp.clone());
                    continue;
                }
            };
            self.positions.insert(tp.clone(), offset);
        }
        if missing.is_empty() {
            Ok(())
        } else {
            // Kafka collects them in a HashSet; print them in its iteration order.
            let ordered = hash_map_order(&missing)
                .into_iter()
                .filter_map(|i| missing.get(i).cloned())
                .collect();
            Err(ConsumerError::NoOffsetForPartition(ordered))
        }
    }

    /// The fetch half of `poll`: partitions in rotating order so none starves under
    /// `max.poll.records`.
    fn fetch(&mut self) -> Result<Vec<ConsumerRecord>, ConsumerError> {
        let active: Vec<TopicPartition> = self
            .assignment
            .iter()
            .filter(|tp| !self.paused.contains(tp))
            .cloned()
            .collect();
        let mut out = Vec::new();
        if active.is_empty() {
            return Ok(out);
        }
        self.resolve_positions(&active)?;
        let n = active.len();
        let start = self.rotation % n;
        self.rotation = self.rotation.wrapping_add(1);
        for i in 0..n {
            let remaining = self.config.max_poll_records.saturating_sub(out.len());
            if remaining == 0 {
                break;
            }
            if let Some(tp) = active.get((start + i) % n) {
                self.fetch_partition(tp, remaining, &mut out)?;
            }
        }
        Ok(out)
    }

    fn fetch_partition(
        &mut self,
        tp: &TopicPartition,
        max: usize,
        out: &mut Vec<ConsumerRecord>,
    ) -> Result<(), ConsumerError> {
        // One retry: after an out-of-range reset the new position is fetched at once.
        for _ in 0..2 {
            let Some(&position) = self.positions.get(tp) else {
                return Ok(());
            };
            let fetched = self.broker.borrow().fetch(
                &tp.topic,
                tp.partition,
                position,
                self.config.max_partition_fetch_bytes,
            );
            match fetched {
                Ok(data) => {
                    let records = data.records()?;
                    let mut taken = 0usize;
                    let mut next = position;
                    for r in records.into_iter().filter(|r| r.offset >= position) {
                        if taken == max {
                            break;
                        }
                        next = r.offset + 1;
                        taken += 1;
                        out.push(ConsumerRecord {
                            topic: tp.topic.clone(),
                            partition: tp.partition,
                            offset: r.offset,
                            timestamp: r.timestamp,
                            key: r.key,
                            value: r.value,
                            headers: r.headers,
                        });
                    }
                    if taken == 0 {
                        // Compaction may leave whole batches below the position: skip them.
                        if let Some(last) = data.batches.last() {
                            next = next.max(last.next_offset());
                        }
                    }
                    self.positions.insert(tp.clone(), next);
                    return Ok(());
                }
                Err(BrokerError::Log(LogError::OffsetOutOfRange {
                    offset,
                    log_start_offset,
                    upper_bound,
                    ..
                })) => {
                    let reset = match self.config.auto_offset_reset {
                        OffsetResetPolicy::Earliest => log_start_offset,
                        OffsetResetPolicy::Latest => upper_bound,
                        OffsetResetPolicy::None => {
                            return Err(ConsumerError::OffsetOutOfRange {
                                partition: tp.clone(),
                                offset,
                                log_start_offset,
                                high_watermark: upper_bound,
                            })
                        }
                    };
                    self.positions.insert(tp.clone(), reset);
                }
                // A deleted topic: nothing to read; the next rebalance drops the partition.
                Err(BrokerError::UnknownTopic(_) | BrokerError::UnknownPartition { .. }) => {
                    return Ok(())
                }
                // Older batches still loading from storage: as the Java client does with a
                // retriable fetch error, read nothing now and fetch again at the next poll.
                Err(BrokerError::Log(e)) if e.is_retriable() => return Ok(()),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}
