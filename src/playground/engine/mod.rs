//! The playground's state and actions as plain Rust: the broker, its clock, the producer's
//! partitioner and the timeline of what happened, in plain words.
//!
//! Owns turning a learner's action into broker calls and the broker's answers into
//! sentences and view rows. Must not touch the DOM (components do) nor hold Kafka rules
//! (the broker does). Tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::{Broker, BrokerEvent, TopicPartition};
use crate::client::{DurableOffsets, Producer, SharedGroups};
use crate::clock::{Clock, SimulatedClock};

use crate::log::LogEvent;
use crate::partitioner::PartitionerKind;

use super::deliveries::Deliveries;
use super::forms::TopicForm;
use super::groups::GroupsModel;
use super::refusal_fix;

/// Kafka's warning when partitions are added (`kafka-topics.sh --alter --partitions`).
pub const ADD_PARTITIONS_WARNING: &str = "WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected";

/// How many timeline lines are kept.
const TIMELINE_LENGTH: usize = 200;

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
    /// The playground's producer (the produce form, the sample and import panels).
    producer: Producer,
    /// The store's acknowledgements; `None` when nothing is stored.
    durable: Option<DurableOffsets>,
    seed: u64,
    timeline: Vec<String>,
    outbox: Vec<BrokerEvent>,
    read_only: Option<String>,
    last_produce: Option<ProduceStatus>,
    /// The delivery tickets of what the form and the panels produced.
    deliveries: Deliveries,
    groups: Option<GroupsModel>,
    /// The groups page's timeline from an earlier visit, until the group service loads.
    earlier_group_timeline: Vec<String>,
    /// What recovery dropped when this visit opened the playground, by topic, for its page.
    recovery: std::collections::BTreeMap<String, Vec<String>>,
}

mod produce;
mod views;

pub use produce::ProduceStatus;
pub use views::{human_bytes, human_duration, Cell, Lane, TopicRow};

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
        let broker = Rc::new(RefCell::new(broker));
        let durable = persistent.then(DurableOffsets::new);
        Self {
            producer: produce::playground_producer(Rc::clone(&broker), seed, durable.clone()),
            durable,
            broker,
            clock,
            seed,
            timeline: Vec::new(),
            outbox: Vec::new(),
            read_only: None,
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
        self.producer.config().partitioner
    }

    /// Switches the producer's partitioner (sticky state starts afresh, as a new producer's).
    pub fn set_partitioner(&mut self, kind: PartitionerKind) {
        self.producer.set_partitioner(kind);
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
}

#[cfg(test)]
mod tests;
