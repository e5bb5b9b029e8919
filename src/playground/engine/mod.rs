//! The playground's state and actions as plain Rust: the broker, its clock, the producer's
//! partitioner and the timeline of what happened, in plain words.
//!
//! Owns turning a learner's action into broker calls and the broker's answers into
//! sentences and view rows. Must not touch the DOM (components do) nor hold Kafka rules
//! (the broker does). Tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::{Acks, Broker, BrokerEvent, ErrorCode, TopicPartition};
use crate::client::SharedGroups;
use crate::clock::{Clock, SimulatedClock};
use bytes::Bytes;

use crate::log::{FetchIsolation, LogEvent, NewRecord};
use crate::partitioner::{key_preview, Partitioner, PartitionerKind};

use super::deliveries::{Deliveries, DeliveryError, DeliveryId, DeliveryState};
use super::forms::{ProduceForm, TopicForm};
use super::groups::GroupsModel;
use super::refusal_fix;

/// Kafka's warning when partitions are added (`kafka-topics.sh --alter --partitions`).
pub const ADD_PARTITIONS_WARNING: &str = "WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected";

/// How many timeline lines are kept.
const TIMELINE_LENGTH: usize = 200;

/// One row of the topics table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRow {
    /// The topic's name.
    pub name: String,
    /// Partitions.
    pub partitions: i32,
    /// Replication factor.
    pub replication_factor: i32,
    /// Records held (high watermark − log start, summed over partitions).
    pub records: i64,
    /// Bytes held.
    pub size_bytes: u64,
    /// `retention.ms` in human units.
    pub retention: String,
    /// `cleanup.policy`.
    pub cleanup_policy: String,
    /// True for internal topics.
    pub internal: bool,
}

/// One record cell in a partition lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The record's offset.
    pub offset: i64,
    /// The key as shown (or `null`).
    pub key: String,
    /// A colour index 0..8 derived from the key (the same key, the same colour); `None` for null keys.
    pub colour: Option<u8>,
    /// The first characters of the value.
    pub value_preview: String,
    /// True when this record starts a segment.
    pub segment_start: bool,
}

/// One partition as a lane of records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The partition number.
    pub partition: i32,
    /// The leader broker.
    pub leader: Option<i32>,
    /// First offset still held.
    pub log_start_offset: i64,
    /// The high watermark.
    pub high_watermark: i64,
    /// The log-end offset.
    pub log_end_offset: i64,
    /// Segment count.
    pub segments: usize,
    /// The newest records, oldest first.
    pub cells: Vec<Cell>,
}

/// The latest produce and whether storage has acknowledged it (its delivery callback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProduceStatus {
    /// Where it went and why.
    pub message: String,
    /// The partition it went to.
    pub partition: TopicPartition,
    /// Its offset.
    pub offset: i64,
    /// True once the store has it (or at once when nothing is stored).
    pub acknowledged: bool,
    /// Set when the flush meant to store it failed: the record was rolled back, and the
    /// producer's delivery callback got this error (`KAFKA_STORAGE_ERROR: ...`).
    pub failed: Option<String>,
    /// The hash arithmetic that chose the partition, for a keyed record (see
    /// [`super::partition_math`]).
    pub arithmetic: Option<String>,
}

/// The timelines in plain words, oldest line first, as kept between visits (the overview's
/// and the groups page's): the log itself is in storage, the story of how it got there is
/// kept with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeptTimelines {
    /// The overview's timeline.
    pub overview: Vec<String>,
    /// The groups page's timeline.
    pub groups: Vec<String>,
}

/// Why a tab is read-only once another tab took the playground over.
pub const TAKEN_OVER: &str = "This playground was opened in another tab, which now owns it: this tab is read-only. Reload to take it back.";

/// The line between an earlier visit's timeline and this one's.
pub const RELOADED_LINE: &str =
    "The page was reloaded: the lines before this one are from the earlier visit";

/// The playground: a broker on a clock the learner can fast-forward.
pub struct Playground {
    broker: Rc<RefCell<Broker>>,
    clock: SimulatedClock,
    partitioner: Partitioner,
    seed: u64,
    timeline: Vec<String>,
    outbox: Vec<BrokerEvent>,
    read_only: Option<String>,
    persistent: bool,
    last_produce: Option<ProduceStatus>,
    /// The delivery tickets of batches produced by the panels and the terminal.
    deliveries: Deliveries,
    groups: Option<GroupsModel>,
    /// The groups page's timeline from an earlier visit, until the group service loads.
    earlier_group_timeline: Vec<String>,
    /// What recovery dropped when this visit opened the playground, by topic, for its page.
    recovery: std::collections::BTreeMap<String, Vec<String>>,
}

/// A duration in the largest whole unit that fits: `7 days`, `1 hour`, `forever` for -1.
pub fn human_duration(ms: i64) -> String {
    if ms < 0 {
        return "forever".to_owned();
    }
    let units = [
        (86_400_000, "day"),
        (3_600_000, "hour"),
        (60_000, "minute"),
        (1_000, "second"),
    ];
    for (size, name) in units {
        if ms >= size && ms % size == 0 {
            let n = ms / size;
            return format!("{n} {name}{}", if n == 1 { "" } else { "s" });
        }
    }
    format!("{ms} ms")
}

/// A byte count in B, KiB, MiB or GiB (powers of 1024, so named as IEC names them):
/// `58868764` is `56.1 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    let mut value = bytes as f64;
    for unit in ["B", "KiB", "MiB", "GiB"] {
        if value < 1024.0 || unit == "GiB" {
            return if unit == "B" {
                format!("{bytes} B")
            } else {
                format!("{value:.1} {unit}")
            };
        }
        value /= 1024.0;
    }
    format!("{bytes} B")
}

/// Cuts `records` into consecutive batches of at most about `limit` bytes each (a record
/// larger than the limit goes alone, for the log to accept or refuse).
fn split_batches(records: &[NewRecord], limit: u64) -> Vec<&[NewRecord]> {
    let mut batches = Vec::new();
    let (mut start, mut size) = (0, 0u64);
    for (i, record) in records.iter().enumerate() {
        let len = |b: &Option<Bytes>| b.as_ref().map_or(0, |b| b.len() as u64);
        let bytes = len(&record.key) + len(&record.value) + 16;
        if i > start && size + bytes > limit {
            batches.push(&records[start..i]);
            (start, size) = (i, 0);
        }
        size += bytes;
    }
    if start < records.len() {
        batches.push(&records[start..]);
    }
    batches
}

impl Playground {
    /// A fresh one-broker cluster on real time; `seed` fixes ids and sticky choices.
    pub fn new(real: Rc<dyn Clock>, seed: u64) -> Self {
        let clock = SimulatedClock::new(real);
        let broker = Broker::new(Rc::new(clock.clone()), seed);
        Self::with_broker(broker, clock, seed, false)
    }

    /// A playground over a broker already built (e.g. recovered from storage) on `clock`.
    /// `persistent` says whether produces wait for a store's acknowledgement.
    pub fn with_broker(broker: Broker, clock: SimulatedClock, seed: u64, persistent: bool) -> Self {
        Self {
            broker: Rc::new(RefCell::new(broker)),
            clock,
            partitioner: Partitioner::new(PartitionerKind::Default, seed),
            seed,
            timeline: Vec::new(),
            outbox: Vec::new(),
            read_only: None,
            persistent,
            last_produce: None,
            deliveries: Deliveries::default(),
            groups: None,
            earlier_group_timeline: Vec::new(),
            recovery: std::collections::BTreeMap::new(),
        }
    }

    /// The consumer groups and the learner's simulated consumers, if the group page has
    /// been used (the group service loads at first use).
    pub fn groups(&self) -> Option<&GroupsModel> {
        self.groups.as_ref()
    }

    /// Runs a group action: refused when read-only; loads the group service on first use
    /// (replaying committed offsets from `__consumer_offsets`); the broker records it wrote
    /// (offset commits) are told and queued for storage.
    pub fn with_groups<R>(
        &mut self,
        action: impl FnOnce(&mut GroupsModel) -> Result<R, String>,
    ) -> Result<R, String> {
        self.check_writable()?;
        self.load_groups()?;
        let result = match self.groups.as_mut() {
            Some(model) => action(model),
            None => Err("The consumer groups are not loaded.".to_owned()),
        };
        self.absorb_events();
        result
    }

    /// The group coordinator every view shares — the groups page's consumers and every
    /// terminal session — loaded now if no one has used it yet.
    pub fn shared_groups(&mut self) -> Result<SharedGroups, String> {
        self.load_groups()?;
        self.groups
            .as_ref()
            .map(GroupsModel::groups)
            .ok_or_else(|| "The consumer groups are not loaded.".to_owned())
    }

    /// Loads the group service on first use, replaying committed offsets from
    /// `__consumer_offsets`.
    fn load_groups(&mut self) -> Result<(), String> {
        if self.groups.is_none() {
            let mut model = GroupsModel::load(Rc::clone(&self.broker), self.seed).map_err(|e| {
                format!("The committed offsets could not be read from __consumer_offsets: {e}")
            })?;
            model.restore_timeline(std::mem::take(&mut self.earlier_group_timeline));
            self.groups = Some(model);
        }
        Ok(())
    }

    /// Puts the timelines an earlier visit kept before this visit's lines, with a line
    /// between them; the groups page's waits for the group service to load.
    pub fn restore_timelines(&mut self, earlier: KeptTimelines) {
        let mut groups = earlier.groups;
        if groups.last().is_some_and(|last| last != RELOADED_LINE) {
            groups.push(RELOADED_LINE.to_owned());
        }
        match self.groups.as_mut() {
            Some(model) => model.restore_timeline(groups),
            None => self.earlier_group_timeline = groups,
        }
        if earlier.overview.is_empty() {
            return;
        }
        let now = std::mem::replace(&mut self.timeline, earlier.overview);
        self.note(RELOADED_LINE.to_owned());
        for line in now {
            self.note(line);
        }
    }

    /// The timelines to keep for the next visit (the groups page's even if it was not opened
    /// this time).
    pub fn timelines_to_keep(&self) -> KeptTimelines {
        KeptTimelines {
            overview: self.timeline.clone(),
            groups: match &self.groups {
                Some(model) => model.timeline_lines().to_vec(),
                None => self.earlier_group_timeline.clone(),
            },
        }
    }

    /// Adds a line to the timeline (e.g. what recovery found).
    pub fn tell(&mut self, line: impl Into<String>) {
        self.note(line.into());
    }

    /// Tells what recovery dropped from `partition` (a torn or corrupt tail): in the timeline,
    /// and on the page of its topic, which the timeline's newest lines soon push out of view.
    pub fn tell_recovery(&mut self, partition: &TopicPartition, line: String) {
        let notes = self.recovery.entry(partition.topic.clone()).or_default();
        notes.push(line.clone());
        self.note(line);
    }

    /// What recovery dropped from `topic`'s partitions when this visit opened it, and why.
    pub fn recovery_notes(&self, topic: &str) -> &[String] {
        self.recovery.get(topic).map_or(&[], Vec::as_slice)
    }

    /// The broker's changes since the last call, for the persister.
    pub fn take_outbox(&mut self) -> Vec<BrokerEvent> {
        std::mem::take(&mut self.outbox)
    }

    /// Refuses every change from now on, saying `reason` (another tab took the playground).
    pub fn make_read_only(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        self.note(reason.clone());
        self.read_only = Some(reason);
    }

    /// Why changes are refused, if they are.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    fn check_writable(&self) -> Result<(), String> {
        match &self.read_only {
            Some(reason) => Err(reason.clone()),
            None => Ok(()),
        }
    }

    /// The latest produce and its acknowledgement.
    pub fn last_produce(&self) -> Option<&ProduceStatus> {
        self.last_produce.as_ref()
    }

    /// Marks produces as stored once the store has `partition` up to (not including) `to`.
    pub fn acknowledge(&mut self, partition: &TopicPartition, to: i64) {
        if let Some(last) = &mut self.last_produce {
            if &last.partition == partition && last.offset < to {
                last.acknowledged = true;
            }
        }
        self.deliveries.acknowledge(partition, to);
    }

    /// A failed flush removed records that were not stored: say so, and fail the pending
    /// produce's delivery with Kafka's `KAFKA_STORAGE_ERROR` (it never becomes "stored").
    pub fn storage_failed(&mut self, code: ErrorCode, message: String) {
        if let Some(last) = &mut self.last_produce {
            if !last.acknowledged {
                last.failed = Some(format!("{}: {message}", code.name()));
            }
        }
        self.deliveries.fail(&DeliveryError {
            code,
            message: message.clone(),
        });
        self.note(format!("Storage failed: {message}"));
    }

    /// A flush failed (or the persister stopped): as [`Playground::storage_failed`], and when
    /// the reason is that another tab took the playground over (its write was fenced, or this
    /// tab lost the lock), the playground turns read-only saying so: it writes nothing more,
    /// so nothing produced here could be stored.
    pub fn flush_failed(&mut self, error: &crate::storage::FlushError) {
        self.storage_failed(error.code(), error.to_string());
        let taken_over = matches!(
            error.source,
            crate::storage::StorageError::Fenced { .. } | crate::storage::StorageError::TakenOver
        );
        if taken_over && self.read_only.is_none() {
            self.make_read_only(TAKEN_OVER);
        }
    }

    /// `topic` was deleted: its records not stored yet never will be (their writes went with
    /// it), so the produces and deliveries waiting on them fail, naming why.
    fn topic_deleted_before_stored(&mut self, topic: &str) {
        let error = DeliveryError {
            code: ErrorCode::UnknownTopicOrPartition,
            message: format!("Topic {topic} was deleted before these records were stored."),
        };
        if let Some(last) = &mut self.last_produce {
            if last.partition.topic == topic && !last.acknowledged && last.failed.is_none() {
                last.failed = Some(error.to_string());
            }
        }
        self.deliveries.fail_topic(topic, &error);
    }

    /// The shared broker (the console uses the same one).
    pub fn broker(&self) -> Rc<RefCell<Broker>> {
        Rc::clone(&self.broker)
    }

    /// The playground's clock.
    pub fn clock(&self) -> &SimulatedClock {
        &self.clock
    }

    /// The producer's partitioner.
    pub fn partitioner_kind(&self) -> PartitionerKind {
        self.partitioner.kind()
    }

    /// Switches the producer's partitioner (sticky state starts afresh, as a new producer's).
    pub fn set_partitioner(&mut self, kind: PartitionerKind) {
        self.partitioner = Partitioner::new(kind, self.seed);
    }

    /// What happened, oldest first, in plain words.
    pub fn timeline(&self) -> &[String] {
        &self.timeline
    }

    fn note(&mut self, line: String) {
        self.timeline.push(line);
        if self.timeline.len() > TIMELINE_LENGTH {
            let excess = self.timeline.len() - TIMELINE_LENGTH;
            self.timeline.drain(..excess);
        }
    }

    /// Takes in changes made to the shared broker from outside the playground's own actions
    /// (the terminal's commands): they are told in the timeline and queued for storage.
    pub fn absorb_changes(&mut self) {
        self.absorb_events();
    }

    /// Turns the broker's queued change events into timeline lines.
    fn absorb_events(&mut self) {
        let events = self.broker.borrow_mut().drain_events();
        self.outbox.extend(events.iter().cloned());
        for event in events {
            let line = match event {
                BrokerEvent::TopicCreated { topic, partitions, .. } => {
                    Some(format!("Topic {topic} created with {partitions} partition(s)"))
                }
                BrokerEvent::TopicDeleted { topic, .. } => {
                    // A topic made again under the name starts with no recovery story.
                    self.recovery.remove(&topic);
                    self.topic_deleted_before_stored(&topic);
                    Some(format!("Topic {topic} deleted with all its data"))
                }
                BrokerEvent::PartitionsAdded { topic, from, to } => {
                    Some(format!("Topic {topic} grew from {from} to {to} partitions"))
                }
                BrokerEvent::ConfigChanged { topic, overrides } => {
                    Some(format!("Configs of {topic} are now: {overrides}"))
                }
                BrokerEvent::Log { topic, partition, event, .. } => match event {
                    LogEvent::SegmentRolled { base_offset } => {
                        Some(format!("{topic}-{partition} rolled a new segment at offset {base_offset}"))
                    }
                    LogEvent::SegmentDeleted { base_offset, reason } => Some(format!(
                        "{topic}-{partition}: segment {base_offset} deleted ({reason:?})"
                    )),
                    LogEvent::SegmentCompacted { base_offset, records_removed, .. } => Some(format!(
                        "{topic}-{partition}: segment {base_offset} compacted, {records_removed} superseded record(s) removed"
                    )),
                    _ => None,
                },
            };
            if let Some(line) = line {
                self.note(line);
            }
        }
    }

    /// Creates the topic the form describes; the message is what `kafka-topics.sh` would print.
    pub fn create_topic(&mut self, form: &TopicForm) -> Result<String, String> {
        self.check_writable()?;
        let request = form.to_request()?;
        let name = request.name.clone();
        let warning = self
            .broker
            .borrow_mut()
            .create_topic(request)
            .map_err(|e| refusal_fix::broker_refusal(&e))?;
        self.absorb_events();
        Ok(match warning {
            Some(w) => format!("{w}\nCreated topic {name}."),
            None => format!("Created topic {name}."),
        })
    }

    /// Deletes a topic and its data.
    pub fn delete_topic(&mut self, name: &str) -> Result<String, String> {
        self.check_writable()?;
        self.broker
            .borrow_mut()
            .delete_topic(name)
            .map_err(|e| e.to_string())?;
        self.partitioner.forget_topic(name);
        self.absorb_events();
        Ok(format!("Deleted topic {name}."))
    }

    /// Grows a topic to `total` partitions; the message carries Kafka's warning about keys.
    pub fn add_partitions(&mut self, name: &str, total: &str) -> Result<String, String> {
        self.check_writable()?;
        let total: i32 = total.trim().parse().map_err(|_| {
            format!(
                "The new partition count must be a whole number; '{}' is not one.",
                total.trim()
            )
        })?;
        self.broker
            .borrow_mut()
            .create_partitions(name, total)
            .map_err(|e| e.to_string())?;
        self.absorb_events();
        Ok(format!(
            "{ADD_PARTITIONS_WARNING}\nTopic {name} now has {total} partitions."
        ))
    }

    /// Produces the form's record to `topic` and says where it landed and why, e.g.
    /// `key 11599 → murmur2 → partition 1 of 3, offset 42`.
    pub fn produce(&mut self, topic: &str, form: &ProduceForm) -> Result<String, String> {
        self.check_writable()?;
        let record = form.to_record()?;
        let key = record.key.clone();
        let outcome = self
            .broker
            .borrow_mut()
            .produce(topic, record, &mut self.partitioner, Acks::All)
            .map_err(|e| format!("{}: {}", e.code(), refusal_fix::broker_refusal(&e)))?;
        self.absorb_events();
        let created = if outcome.auto_created {
            format!(" (topic {topic} was auto-created)")
        } else {
            String::new()
        };
        let line = format!("{}, offset {}{created}", outcome.choice, outcome.offset);
        self.note(format!("Produced to {topic}: {line}"));
        self.last_produce = Some(ProduceStatus {
            message: line.clone(),
            partition: outcome.partition,
            offset: outcome.offset,
            acknowledged: !self.persistent,
            failed: None,
            arithmetic: super::partition_math::arithmetic(&outcome.choice, key.as_deref()),
        });
        Ok(line)
    }

    /// Produces many `(key, value)` records to an existing `topic` at once, as a producer's
    /// batches: each record's partition is chosen by the playground's partitioner, then one
    /// batch is appended per partition. Returns how many were produced, or what went wrong.
    /// All or nothing: when an append fails, the batches already appended are rolled back.
    pub fn produce_batch(
        &mut self,
        topic: &str,
        records: Vec<(Option<String>, String)>,
    ) -> Result<usize, String> {
        self.produce_tracked(topic, records).map(|(n, _)| n)
    }

    /// As [`Playground::produce_batch`], with a delivery ticket that turns `Stored` once the
    /// store has every record (at once when nothing is kept) or `Failed` when a flush fails
    /// first: what the panels report, rather than the append alone.
    pub fn produce_tracked(
        &mut self,
        topic: &str,
        records: Vec<(Option<String>, String)>,
    ) -> Result<(usize, DeliveryId), String> {
        self.check_writable()?;
        let (partitions, now, batch_limit) = {
            let broker = self.broker.borrow();
            let t = broker.topic(topic).ok_or_else(|| {
                format!("Topic '{topic}' does not exist (any more): create it first.")
            })?;
            // Batches stay well inside `max.message.bytes`, as a producer's `batch.size` keeps them.
            let max = u64::try_from(t.configs.log_config().max_message_bytes).unwrap_or(0);
            (t.partition_count(), broker.now_ms(), (max / 2).max(1))
        };
        let mut groups: Vec<Vec<NewRecord>> =
            vec![Vec::new(); usize::try_from(partitions).unwrap_or(0)];
        for (key, value) in records {
            let key = key.map(Bytes::from);
            let value = Bytes::from(value);
            let size = key.as_ref().map_or(0, |k| k.len() as u64) + value.len() as u64 + 7;
            let choice = self
                .partitioner
                .partition(
                    topic,
                    key.as_deref(),
                    size,
                    partitions,
                    u64::try_from(now).unwrap_or(0),
                )
                .map_err(|e| e.to_string())?;
            if let Some(group) = usize::try_from(choice.partition)
                .ok()
                .and_then(|i| groups.get_mut(i))
            {
                group.push(NewRecord::new(key, Some(value), now));
            }
        }
        let mut produced = 0;
        let mut outcome = Ok(());
        // Each partition appended to, with its log end before.
        let mut starts = Vec::new();
        'partitions: for (partition, group) in (0..).zip(groups) {
            if group.is_empty() {
                continue;
            }
            starts.push((partition, self.log_end(topic, partition)));
            for batch in split_batches(&group, batch_limit) {
                match self
                    .broker
                    .borrow_mut()
                    .append(topic, partition, batch, Acks::All)
                {
                    Ok(_) => produced += batch.len(),
                    Err(e) => {
                        outcome = Err(format!("{}: {e}", e.code()));
                        break 'partitions;
                    }
                }
            }
        }
        if outcome.is_err() {
            // Nothing of a failed batch stays. None of it was flushed (this ran without a
            // pause), so rolling the logs back leaves storage as it was.
            let mut broker = self.broker.borrow_mut();
            for (partition, start) in &starts {
                broker.roll_back_partition(topic, *partition, *start);
            }
            starts.clear();
        }
        self.absorb_events();
        let ends: Vec<(TopicPartition, i64)> = starts
            .into_iter()
            .map(|(partition, _)| {
                let end = self.log_end(topic, partition);
                (TopicPartition::new(topic.to_owned(), partition), end)
            })
            .collect();
        let delivery = self.deliveries.track(ends, !self.persistent);
        outcome.map(|()| (produced, delivery))
    }

    /// A partition's log end offset (0 when it does not exist).
    fn log_end(&self, topic: &str, partition: i32) -> i64 {
        self.broker
            .borrow()
            .partition(topic, partition)
            .map_or(0, |p| p.log.log_end_offset())
    }

    /// Where a delivery ticket stands; `None` once forgotten.
    pub fn delivery(&self, id: DeliveryId) -> Option<&DeliveryState> {
        self.deliveries.state(id)
    }

    /// A ticket for records produced by someone else (the terminal's producers): each
    /// partition up to (not including) its end offset.
    pub fn track_delivery(&mut self, ends: Vec<(TopicPartition, i64)>) -> DeliveryId {
        self.deliveries.track(ends, !self.persistent)
    }

    /// Jumps the clock ahead and runs the log cleaner, reporting what retention and compaction did.
    pub fn fast_forward(&mut self, ms: i64) -> String {
        if let Err(reason) = self.check_writable() {
            return reason;
        }
        match self.groups.as_mut() {
            Some(groups) => groups.fast_forward(&self.clock, ms),
            None => self.clock.fast_forward(ms),
        }
        let failures = self.broker.borrow_mut().run_log_maintenance();
        let before = self.timeline.len();
        self.absorb_events();
        let changes = self.timeline.len() - before;
        let mut message = format!("Jumped {} ahead. ", human_duration(ms));
        message.push_str(&match changes {
            0 => "The log cleaner found nothing to delete or compact.".to_owned(),
            n => format!("The log cleaner made {n} change(s): see the timeline."),
        });
        for (partition, error) in failures {
            message.push_str(&format!(" {partition} could not be compacted: {error}"));
        }
        self.note(message.clone());
        message
    }

    /// The topics table.
    pub fn topic_rows(&self, include_internal: bool) -> Vec<TopicRow> {
        let broker = self.broker.borrow();
        broker
            .topics()
            .filter(|t| include_internal || !t.is_internal())
            .map(|t| {
                let log = t.configs.log_config();
                TopicRow {
                    name: t.name.clone(),
                    partitions: t.partition_count(),
                    replication_factor: t.replication_factor(),
                    records: t.record_span(),
                    size_bytes: t.size_in_bytes(),
                    retention: human_duration(log.retention_ms),
                    cleanup_policy: match log.cleanup_policy {
                        crate::log::CleanupPolicy::Delete => "delete",
                        crate::log::CleanupPolicy::Compact => "compact",
                        crate::log::CleanupPolicy::CompactAndDelete => "compact,delete",
                    }
                    .to_owned(),
                    internal: t.is_internal(),
                }
            })
            .collect()
    }

    /// Each partition of `topic` as a lane with its newest `max_cells` records.
    pub fn lanes(&self, topic: &str, max_cells: i64) -> Result<Vec<Lane>, String> {
        let broker = self.broker.borrow();
        let t = broker
            .topic(topic)
            .ok_or_else(|| format!("Topic '{topic}' does not exist (any more)."))?;
        let mut lanes = Vec::new();
        for p in &t.partitions {
            let log = &p.log;
            let segment_starts: Vec<i64> = log.segments().iter().map(|s| s.base_offset()).collect();
            let from = (log.high_watermark() - max_cells).max(log.log_start_offset());
            let mut cells = Vec::new();
            if from < log.high_watermark() {
                let data = log
                    .read(from, u64::MAX, FetchIsolation::HighWatermark)
                    .map_err(|e| e.to_string())?;
                for record in data.records().map_err(|e| e.to_string())? {
                    let colour = record.key.as_ref().map(|k| (crc32fast::hash(k) % 8) as u8);
                    let preview = record
                        .value
                        .as_ref()
                        .map_or("null (tombstone)".to_owned(), |v| {
                            String::from_utf8_lossy(&v[..v.len().min(48)]).into_owned()
                        });
                    cells.push(Cell {
                        offset: record.offset,
                        key: record
                            .key
                            .as_ref()
                            .map_or("null".to_owned(), |k| key_preview(k)),
                        colour,
                        value_preview: preview,
                        segment_start: segment_starts.contains(&record.offset),
                    });
                }
            }
            lanes.push(Lane {
                partition: p.index,
                leader: p.leader,
                log_start_offset: log.log_start_offset(),
                high_watermark: log.high_watermark(),
                log_end_offset: log.log_end_offset(),
                segments: log.segments().len(),
                cells,
            });
        }
        Ok(lanes)
    }
}

#[cfg(test)]
mod tests;
