//! The group coordinator wired to the broker: every committed offset is a record of the
//! compacted internal topic `__consumer_offsets` (key and value in Kafka's `OffsetCommitKey` /
//! `OffsetCommitValue` layout, partition `abs(jhash(group)) mod partitions`), and
//! [`BrokerGroups::load`] rebuilds the offsets by replaying that topic, so they survive a
//! restart once storage persists the topic.
//!
//! Owns the coordinator instance the clients and tools share, the topic metadata the assignors
//! see, and the client-id sequence (`consumer-<group>-<n>`). Must not decide group protocol
//! rules (the coordinator does) nor format anything (see `group_admin`). Time is the broker's
//! clock; no borrow of the broker is held across calls.
//!
//! What is not persisted: group membership and generations. After a restart every group with
//! offsets comes back `Empty` (its members would have timed out anyway), and offsets are never
//! expired by `offsets.retention.minutes` yet.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use bytes::Bytes;

use super::error::GroupsError;
use super::offset_log_store::{LoggedOffsetStore, OffsetWrite};
use super::SharedBroker;
use crate::broker::topic_name::CONSUMER_OFFSETS;
use crate::broker::{Acks, BrokerError, TopicPartition};
use crate::clock::TimestampMs;
use crate::group::coordinator::{
    CoordinatorConfig, GroupCoordinator, GroupDescription, GroupError, GroupEvent, GroupState,
    JoinOutcome, JoinRequest, JoinResponse, ListedGroup, MemberGeneration, OffsetCommit,
    SyncOutcome,
};
use crate::group::offset_record::{
    decode_key, decode_value, encode_key, encode_value, offsets_partition_for, OffsetCommitKey,
};
use crate::group::offset_store::{OffsetAndMetadata, OffsetStore};
use crate::log::{LogError, NewRecord};

/// The group service as clients share it.
pub type SharedGroups = Rc<RefCell<BrokerGroups>>;

/// Bytes read per fetch while replaying `__consumer_offsets`.
const REPLAY_FETCH_BYTES: u64 = 1 << 20;

/// The broker's group coordinator, its offsets kept in `__consumer_offsets`.
pub struct BrokerGroups {
    broker: SharedBroker,
    coordinator: GroupCoordinator<LoggedOffsetStore>,
    store: LoggedOffsetStore,
    client_sequence: u32,
}

impl std::fmt::Debug for BrokerGroups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokerGroups")
            .field("groups", &self.coordinator.list_groups())
            .finish_non_exhaustive()
    }
}

impl BrokerGroups {
    /// A coordinator for `broker` with settings from the broker's config
    /// (`group.initial.rebalance.delay.ms`, session bounds), member ids from `seed`, and the
    /// committed offsets replayed from `__consumer_offsets` if the topic exists.
    pub fn load(broker: SharedBroker, seed: u64) -> Result<Self, GroupsError> {
        let config = {
            let b = broker.borrow();
            let c = b.config();
            CoordinatorConfig {
                initial_rebalance_delay_ms: i64::from(c.group_initial_rebalance_delay_ms()),
                min_session_timeout_ms: i64::from(c.group_min_session_timeout_ms()),
                max_session_timeout_ms: i64::from(c.group_max_session_timeout_ms()),
            }
        };
        Self::load_with_config(broker, config, seed)
    }

    /// As [`BrokerGroups::load`], with explicit coordinator settings (tests shorten the
    /// initial rebalance delay).
    pub fn load_with_config(
        broker: SharedBroker,
        config: CoordinatorConfig,
        seed: u64,
    ) -> Result<Self, GroupsError> {
        let store = LoggedOffsetStore::new();
        replay(&broker, &store)?;
        let mut coordinator = GroupCoordinator::with_store(config, seed, store.clone());
        let now = broker.borrow().now_ms();
        // Kafka loads a group for every offset it replays; a commit without offsets from a
        // client without membership is the coordinator's only way to create an Empty group.
        for group in store.groups() {
            coordinator.commit_offsets(&group, None, &[], now)?;
        }
        coordinator.drain_events();
        store.take_journal();
        let mut groups = Self {
            broker,
            coordinator,
            store,
            client_sequence: 0,
        };
        // Offsets of a topic deleted while no coordinator was loaded (the log still has
        // them): Kafka's coordinator would have dropped them when the topic went.
        let gone: BTreeSet<String> = groups
            .store
            .groups()
            .iter()
            .flat_map(|g| groups.store.group_offsets(g).into_keys())
            .map(|partition| partition.topic)
            .filter(|topic| groups.broker.borrow().topic(topic).is_none())
            .collect();
        for topic in gone {
            groups.delete_topic_offsets(&topic)?;
        }
        groups.coordinator.drain_events();
        Ok(groups)
    }

    /// The service wrapped for sharing.
    pub fn shared(self) -> SharedGroups {
        Rc::new(RefCell::new(self))
    }

    /// The broker the offsets are written to.
    pub fn broker(&self) -> &SharedBroker {
        &self.broker
    }

    /// The coordinator, for views that read its state.
    pub fn coordinator(&self) -> &GroupCoordinator<LoggedOffsetStore> {
        &self.coordinator
    }

    /// The next number for a default `client.id` (`consumer-<group>-<n>`), counted from 1 as
    /// the Java client's process-wide sequence is.
    pub fn next_client_sequence(&mut self) -> u32 {
        self.client_sequence = self.client_sequence.saturating_add(1);
        self.client_sequence
    }

    fn now(&self) -> TimestampMs {
        self.broker.borrow().now_ms()
    }

    /// Tells the coordinator the current topics (internal ones excluded) and their partition
    /// counts, so an assignment covers partitions added since the last one.
    fn refresh_metadata(&mut self) {
        let topics: BTreeMap<String, i32> = self
            .broker
            .borrow()
            .topics()
            .filter(|t| !t.is_internal())
            .map(|t| (t.name.clone(), t.partition_count()))
            .collect();
        self.coordinator.set_topic_partitions(topics);
    }

    /// JoinGroup (see [`GroupCoordinator::join_group`]).
    pub fn join(&mut self, group: &str, request: &JoinRequest) -> Result<JoinOutcome, GroupError> {
        let now = self.now();
        self.coordinator.join_group(group, request, now)
    }

    /// The JoinGroup answer for a member that was told to wait.
    pub fn join_response(&self, group: &str, member_id: &str) -> Option<JoinResponse> {
        self.coordinator.join_response(group, member_id)
    }

    /// SyncGroup, over the topics the broker has now.
    pub fn sync(&mut self, group: &str, who: &MemberGeneration) -> Result<SyncOutcome, GroupError> {
        self.refresh_metadata();
        let now = self.now();
        self.coordinator.sync_group(group, who, now)
    }

    /// Heartbeat.
    pub fn heartbeat(&mut self, group: &str, who: &MemberGeneration) -> Result<(), GroupError> {
        let now = self.now();
        self.coordinator.heartbeat(group, who, now)
    }

    /// The member polled: restarts its `max.poll.interval.ms` timer.
    pub fn poll(&mut self, group: &str, member_id: &str) -> Result<(), GroupError> {
        let now = self.now();
        self.coordinator.poll(group, member_id, now)
    }

    /// LeaveGroup.
    pub fn leave(
        &mut self,
        group: &str,
        member_id: &str,
        group_instance_id: Option<&str>,
    ) -> Result<(), GroupError> {
        let now = self.now();
        self.coordinator
            .leave_group(group, member_id, group_instance_id, now)
    }

    /// Fires every group timer due by the broker's clock (session and poll expiry, the
    /// initial rebalance delay, rebalance timeouts).
    pub fn tick(&mut self) {
        let now = self.now();
        self.coordinator.tick(now);
    }

    /// OffsetCommit: each partition must exist; validated by the coordinator, then appended to `__consumer_offsets` as one
    /// batch (`acks=all`). If the append fails the cached offsets are rolled back and the
    /// broker's error returned, so a commit is visible only once the log has it.
    pub fn commit(
        &mut self,
        group: &str,
        who: Option<&MemberGeneration>,
        offsets: &[OffsetCommit],
    ) -> Result<(), GroupsError> {
        {
            // Kafka answers UNKNOWN_TOPIC_OR_PARTITION for a commit to a partition that does
            // not exist; the coordinator does not know the topics, so the check is here.
            let broker = self.broker.borrow();
            for commit in offsets {
                broker.partition(&commit.partition.topic, commit.partition.partition)?;
            }
        }
        let now = self.now();
        let result = self.coordinator.commit_offsets(group, who, offsets, now);
        let journal = self.store.take_journal();
        result?;
        self.append_journal(journal)
    }

    /// A topic was deleted: every group's offsets of its partitions become tombstones in
    /// `__consumer_offsets`, and an Empty group left without offsets is gone, as in Kafka.
    pub fn delete_topic_offsets(&mut self, topic: &str) -> Result<(), GroupsError> {
        self.coordinator.delete_topic_offsets(topic);
        let journal = self.store.take_journal();
        self.append_journal(journal)
    }

    /// DeleteGroups for one group: only an Empty group; its offsets become tombstones.
    pub fn delete_group(&mut self, group: &str) -> Result<(), GroupsError> {
        let result = self.coordinator.delete_group(group);
        let journal = self.store.take_journal();
        result?;
        self.append_journal(journal)
    }

    /// `group`'s committed offset for `partition`.
    pub fn committed(&self, group: &str, partition: &TopicPartition) -> Option<OffsetAndMetadata> {
        self.coordinator.committed_offset(group, partition)
    }

    /// Every committed offset of `group`.
    pub fn committed_offsets(&self, group: &str) -> BTreeMap<TopicPartition, OffsetAndMetadata> {
        self.coordinator.committed_offsets(group)
    }

    /// The state of `group` (`Dead` if unknown).
    pub fn state(&self, group: &str) -> GroupState {
        self.coordinator.group_state(group)
    }

    /// DescribeGroups.
    pub fn describe(&self, group: &str) -> GroupDescription {
        self.coordinator.describe_group(group)
    }

    /// ListGroups.
    pub fn list(&self) -> Vec<ListedGroup> {
        self.coordinator.list_groups()
    }

    /// Takes the coordinator's events since the last call, for the timeline.
    pub fn drain_events(&mut self) -> Vec<GroupEvent> {
        self.coordinator.drain_events()
    }

    fn append_journal(&mut self, journal: Vec<OffsetWrite>) -> Result<(), GroupsError> {
        if journal.is_empty() {
            return Ok(());
        }
        let result = self.try_append(&journal);
        if result.is_err() {
            self.store.roll_back(&journal);
        }
        result
    }

    fn try_append(&mut self, journal: &[OffsetWrite]) -> Result<(), GroupsError> {
        let mut broker = self.broker.borrow_mut();
        broker.ensure_offsets_topic()?;
        let partitions = broker
            .topic(CONSUMER_OFFSETS)
            .map_or(0, |t| t.partition_count());
        let now = broker.now_ms();
        let mut by_partition: BTreeMap<i32, Vec<NewRecord>> = BTreeMap::new();
        for write in journal {
            let key = encode_key(&OffsetCommitKey {
                group: write.group.clone(),
                partition: write.partition.clone(),
            })?;
            let value = write.value.as_ref().map(encode_value).transpose()?;
            by_partition
                .entry(offsets_partition_for(&write.group, partitions))
                .or_default()
                .push(NewRecord::new(
                    Some(Bytes::from(key)),
                    value.map(Bytes::from),
                    now,
                ));
        }
        for (partition, records) in by_partition {
            broker.append_internal(CONSUMER_OFFSETS, partition, &records, Acks::All)?;
        }
        Ok(())
    }
}

/// Reads every offset commit record of `__consumer_offsets` into `store`, last write winning
/// and tombstones deleting. Records that are not offset commits (other key versions) are
/// skipped, as Kafka skips what it does not load.
fn replay(broker: &SharedBroker, store: &LoggedOffsetStore) -> Result<(), GroupsError> {
    let broker = broker.borrow();
    let Some(topic) = broker.topic(CONSUMER_OFFSETS) else {
        return Ok(());
    };
    for partition in &topic.partitions {
        let mut offset = partition.log.log_start_offset();
        let end = partition.log.high_watermark();
        while offset < end {
            let data = broker.fetch(
                CONSUMER_OFFSETS,
                partition.index,
                offset,
                REPLAY_FETCH_BYTES,
            )?;
            let Some(last) = data.batches.last() else {
                break;
            };
            let next = last.next_offset();
            let records = data.records().map_err(|source| {
                BrokerError::Log(LogError::CorruptBatch {
                    partition: TopicPartition::new(CONSUMER_OFFSETS, partition.index),
                    source,
                })
            })?;
            for record in records {
                let Some(key) = record.key.as_deref().and_then(|k| decode_key(k).ok()) else {
                    continue;
                };
                let value = record.value.as_deref().map(decode_value).transpose()?;
                store.load(&key.group, &key.partition, value);
            }
            offset = next.max(offset + 1);
        }
    }
    Ok(())
}
