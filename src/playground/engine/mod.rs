//! The playground's state as plain Rust: the broker, its clock, the producer's partitioner,
//! the clients that run in it (the groups page's consumers, the terminal, the reader, the
//! sample job), the timeline of typed events and the areas changed since the adapters last
//! looked.
//!
//! Owns the topic actions, turning the broker's change events into timeline events and
//! changed areas, and the timelines kept between visits. Actions come in through
//! [`Playground::dispatch`] (`dispatch.rs`), time through [`Playground::tick`] (`tick.rs`).
//! Must not touch the DOM or a timer (the adapters do) nor hold Kafka rules (the broker
//! does). Tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::{Broker, BrokerEvent, TopicPartition};
use crate::client::{DurableOffsets, Producer, SharedGroups};
use crate::clock::{Clock, SimulatedClock};

use crate::log::LogEvent;
use crate::partitioner::PartitionerKind;

use super::changes::{Area, Changes};
use super::deliveries::Deliveries;
pub use super::event::RELOADED_LINE;
use super::event::{Event, StorageEvent};
use super::forms::TopicForm;
use super::groups::GroupsModel;
use super::importing::PendingImport;
use super::reader::Reader;
use super::refusal_fix;
use super::sample_job::SampleJob;
use super::terminal_host::TerminalHost;
use super::tick::TickState;
use super::PlaygroundError;

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

/// The playground: a broker on a clock the learner can fast-forward, and the clients that
/// run in it.
pub struct Playground {
    pub(super) broker: Rc<RefCell<Broker>>,
    pub(super) clock: SimulatedClock,
    /// The playground's producer (the produce form, the sample and import panels).
    pub(super) producer: Producer,
    /// The store's acknowledgements; `None` when nothing is stored.
    pub(super) durable: Option<DurableOffsets>,
    pub(super) seed: u64,
    timeline: Vec<Event>,
    /// Events recorded since the playground opened (the timeline keeps only the newest).
    recorded: u64,
    outbox: Vec<BrokerEvent>,
    read_only: Option<String>,
    last_produce: Option<ProduceStatus>,
    /// The delivery tickets of what the form and the panels produced.
    pub(super) deliveries: Deliveries,
    /// Imports produced and waiting for the store, told in the timeline once stored.
    pub(super) imports: Vec<PendingImport>,
    pub(super) groups: Option<GroupsModel>,
    /// The groups page's timeline from an earlier visit, until the group service loads.
    earlier_group_timeline: Vec<String>,
    /// What recovery dropped when this visit opened the playground, by topic, for its page.
    recovery: std::collections::BTreeMap<String, Vec<String>>,
    /// Which areas changed since the adapters last drained them.
    pub(super) changes: Changes,
    /// The terminal dock, once a front end opened it.
    pub(super) terminal: Option<TerminalHost>,
    /// The sample-order job, while one runs or says how it ended.
    pub(super) sample_job: Option<SampleJob>,
    /// The standalone reader, once it was used.
    pub(super) reader: Option<Reader>,
    /// What [`Playground::tick`] keeps between calls.
    pub(super) ticking: TickState,
    /// Spark's tables and checkpoints, kept with the topics (see [`spark`]).
    pub(super) spark: spark::SparkCatalog,
    /// The Streams page's notebook and its Spark session.
    pub(super) notebook: super::notebook::Notebook,
}

mod notebook;
mod produce;
pub mod spark;
mod topic_deletion;
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
            recorded: 0,
            outbox: Vec::new(),
            read_only: None,
            last_produce: None,
            deliveries: Deliveries::default(),
            imports: Vec::new(),
            groups: None,
            earlier_group_timeline: Vec::new(),
            recovery: std::collections::BTreeMap::new(),
            changes: Changes::default(),
            terminal: None,
            sample_job: None,
            reader: None,
            ticking: TickState::default(),
            spark: spark::SparkCatalog::default(),
            notebook: super::notebook::Notebook::default(),
        }
    }

    /// The consumer groups and the learner's simulated consumers, if the group page has
    /// been used (the group service loads at first use).
    pub fn groups(&self) -> Option<&GroupsModel> {
        self.groups.as_ref()
    }

    /// Runs a group action: refused when read-only; loads the group service on first use
    /// (replaying committed offsets from `__consumer_offsets`); the broker records it wrote
    /// (offset commits) are told and queued for storage. Marks the groups changed only when
    /// they did (see [`GroupsModel::fingerprint`]): a loop polling through here finding
    /// nothing re-renders nothing.
    pub fn with_groups<R>(
        &mut self,
        action: impl FnOnce(&mut GroupsModel) -> Result<R, PlaygroundError>,
    ) -> Result<R, PlaygroundError> {
        self.ensure_writable()?;
        self.load_groups()?;
        let before = self.groups_fingerprint();
        let result = match self.groups.as_mut() {
            Some(model) => action(model),
            None => Err(PlaygroundError::GroupsNotLoaded),
        };
        self.mark_groups_if_changed(before);
        self.absorb_events();
        result
    }

    /// The groups' [`GroupsModel::fingerprint`], once loaded: compared around anything that
    /// may change them ([`Playground::mark_groups_if_changed`]).
    pub(super) fn groups_fingerprint(&self) -> Option<u64> {
        self.groups.as_ref().map(GroupsModel::fingerprint)
    }

    /// Marks the groups changed when their fingerprint moved since `before`: a groups page
    /// action, or a terminal command that joined, committed, reset offsets or deleted a group
    /// through the shared coordinator.
    pub(super) fn mark_groups_if_changed(&mut self, before: Option<u64>) {
        if self.groups_fingerprint() != before {
            self.changes.mark(Area::Groups);
        }
    }

    /// [`Playground::with_groups`] with the refusal as its text, for tests that read it.
    #[cfg(test)]
    pub(crate) fn with_groups_text<R>(
        &mut self,
        action: impl FnOnce(&mut GroupsModel) -> Result<R, super::groups::GroupActionError>,
    ) -> Result<R, String> {
        self.with_groups(|g| Ok(action(g)?))
            .map_err(|e| e.to_string())
    }

    /// The group coordinator every view shares — the groups page's consumers and every
    /// terminal session — loaded now if no one has used it yet.
    pub fn shared_groups(&mut self) -> Result<SharedGroups, PlaygroundError> {
        self.load_groups()?;
        self.groups
            .as_ref()
            .map(GroupsModel::groups)
            .ok_or(PlaygroundError::GroupsNotLoaded)
    }

    /// Loads the group service on first use, replaying committed offsets from
    /// `__consumer_offsets`.
    fn load_groups(&mut self) -> Result<(), PlaygroundError> {
        if self.groups.is_none() {
            let mut model = GroupsModel::load(Rc::clone(&self.broker), self.seed)?;
            model.restore_timeline(std::mem::take(&mut self.earlier_group_timeline));
            self.groups = Some(model);
            self.changes.mark(Area::Groups);
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
        self.changes.mark(Area::Groups);
        if earlier.overview.is_empty() {
            return;
        }
        let earlier = earlier
            .overview
            .into_iter()
            .map(Event::EarlierVisit)
            .collect();
        let now = std::mem::replace(&mut self.timeline, earlier);
        self.record(Event::Reloaded);
        for event in now {
            self.record(event);
        }
    }

    /// The timelines to keep for the next visit (the groups page's even if it was not opened
    /// this time).
    pub fn timelines_to_keep(&self) -> KeptTimelines {
        KeptTimelines {
            overview: self.timeline.iter().map(ToString::to_string).collect(),
            groups: match &self.groups {
                Some(model) => model.timeline_lines(),
                None => self.earlier_group_timeline.clone(),
            },
        }
    }

    /// Tells that a script's producer (the JavaScript API) had `records` records of `topic`
    /// stored: the overview's timeline shows what scripts did as it shows the pages' own.
    pub fn tell_script_produced(&mut self, client_id: &str, records: usize, topic: &str) {
        self.record(Event::ScriptProduced {
            client_id: client_id.to_owned(),
            records,
            topic: topic.to_owned(),
        });
    }

    /// Tells what storage found or did (the open, a failed background load) in the timeline.
    pub fn tell_storage(&mut self, event: StorageEvent) {
        self.record(Event::Storage(event));
    }

    /// Tells what recovery dropped from `partition` (a torn or corrupt tail): in the timeline,
    /// and on the page of its topic, which the timeline's newest lines soon push out of view.
    pub fn tell_recovery(&mut self, partition: &TopicPartition, event: StorageEvent) {
        let notes = self.recovery.entry(partition.topic.clone()).or_default();
        notes.push(event.to_string());
        self.changes.mark(Area::Partitions(partition.topic.clone()));
        self.tell_storage(event);
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
        self.record(Event::ReadOnly {
            reason: reason.clone(),
        });
        self.read_only = Some(reason);
        self.changes.mark(Area::Storage);
        self.changes.mark(Area::Terminal);
    }

    /// Storage changed something by itself (acknowledged or failed a flush, loaded older
    /// batches, measured its usage): the views that show storage re-render.
    pub fn storage_changed(&mut self) {
        self.changes.mark(Area::Storage);
        self.absorb_events();
    }

    /// Why changes are refused, if they are.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Refuses with [`PlaygroundError::ReadOnly`] once another tab owns the playground.
    pub(super) fn ensure_writable(&self) -> Result<(), PlaygroundError> {
        match &self.read_only {
            Some(reason) => Err(PlaygroundError::ReadOnly {
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The latest produce and its acknowledgement.
    pub fn last_produce(&self) -> Option<&ProduceStatus> {
        self.last_produce.as_ref()
    }

    /// The shared broker, for the layers below the views (storage, the console, the
    /// adapters' persistence); views read through the playground's query methods instead.
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
        self.changes.mark(Area::Producer);
    }

    /// What happened, oldest first.
    pub fn timeline(&self) -> &[Event] {
        &self.timeline
    }

    /// How many times `area` changed: a view compares it with the one it last drew.
    pub fn revision(&self, area: &Area) -> u64 {
        self.changes.revision(area)
    }

    /// The areas changed since the last call (each once): the adapters re-render the views
    /// watching them.
    pub fn take_changes(&mut self) -> std::collections::BTreeSet<Area> {
        self.changes.take()
    }

    /// Adds an event to the timeline, dropping the oldest beyond its length.
    pub(super) fn record(&mut self, event: Event) {
        self.timeline.push(event);
        self.recorded += 1;
        if self.timeline.len() > TIMELINE_LENGTH {
            let excess = self.timeline.len() - TIMELINE_LENGTH;
            self.timeline.drain(..excess);
        }
        self.changes.mark(Area::Timeline);
    }

    /// Takes in changes made to the shared broker from outside the playground's own actions
    /// (the terminal's commands): they are told in the timeline and queued for storage.
    pub fn absorb_changes(&mut self) {
        self.absorb_events();
    }

    /// Marks what a change to `topic` touched: its partitions, and the tables' record counts
    /// for a learner's topic (an internal topic's growth, such as offset commits, is not).
    fn mark_topic(&mut self, topic: &str) {
        self.changes.mark(Area::Partitions(topic.to_owned()));
        if !topic.starts_with("__") {
            self.changes.mark(Area::Records);
        }
    }

    /// Turns the broker's queued change events into timeline events and changed areas.
    fn absorb_events(&mut self) {
        let events = self.broker.borrow_mut().drain_events();
        self.outbox.extend(events.iter().cloned());
        for event in events {
            let told = match event {
                BrokerEvent::TopicCreated {
                    topic, partitions, ..
                } => {
                    self.changes.mark(Area::Topics);
                    self.mark_topic(&topic);
                    Some(Event::TopicCreated { topic, partitions })
                }
                BrokerEvent::TopicDeleted { topic, .. } => {
                    // A topic made again under the name starts with no recovery story.
                    self.recovery.remove(&topic);
                    self.topic_deleted_before_stored(&topic);
                    self.drop_group_offsets(&topic);
                    self.changes.mark(Area::Topics);
                    self.mark_topic(&topic);
                    Some(Event::TopicDeleted { topic })
                }
                BrokerEvent::PartitionsAdded { topic, from, to } => {
                    self.changes.mark(Area::Topics);
                    self.mark_topic(&topic);
                    Some(Event::PartitionsAdded { topic, from, to })
                }
                BrokerEvent::ConfigChanged { topic, overrides } => {
                    self.changes.mark(Area::Topics);
                    self.mark_topic(&topic);
                    Some(Event::ConfigsChanged { topic, overrides })
                }
                BrokerEvent::Log {
                    topic,
                    partition,
                    event,
                    ..
                } => {
                    self.mark_topic(&topic);
                    let partition = TopicPartition::new(topic, partition);
                    match event {
                        LogEvent::SegmentRolled { base_offset } => Some(Event::SegmentRolled {
                            partition,
                            base_offset,
                        }),
                        LogEvent::SegmentDeleted {
                            base_offset,
                            reason,
                        } => Some(Event::SegmentDeleted {
                            partition,
                            base_offset,
                            reason,
                        }),
                        LogEvent::SegmentCompacted {
                            base_offset,
                            records_removed,
                            ..
                        } => Some(Event::SegmentCompacted {
                            partition,
                            base_offset,
                            records_removed,
                        }),
                        _ => None,
                    }
                }
            };
            if let Some(event) = told {
                self.record(event);
            }
        }
    }

    /// Creates the topic the form describes; the message is what `kafka-topics.sh` would print.
    pub fn create_topic(&mut self, form: &TopicForm) -> Result<String, PlaygroundError> {
        self.ensure_writable()?;
        let request = form.to_request()?;
        let name = request.name.clone();
        let warning = self
            .broker
            .borrow_mut()
            .create_topic(request)
            .map_err(|error| PlaygroundError::BrokerWithFix {
                fix: refusal_fix::broker_refusal(&error),
                error,
            })?;
        self.absorb_events();
        Ok(match warning {
            Some(w) => format!("{w}\nCreated topic {name}."),
            None => format!("Created topic {name}."),
        })
    }

    /// Deletes a topic and its data.
    pub fn delete_topic(&mut self, name: &str) -> Result<String, PlaygroundError> {
        self.ensure_writable()?;
        self.broker.borrow_mut().delete_topic(name)?;
        self.absorb_events();
        Ok(format!("Deleted topic {name}."))
    }

    /// Grows a topic to `total` partitions; the message carries Kafka's warning about keys.
    pub fn add_partitions(&mut self, name: &str, total: &str) -> Result<String, PlaygroundError> {
        self.ensure_writable()?;
        let total: i32 = total
            .trim()
            .parse()
            .map_err(|_| PlaygroundError::NotAWholeNumber {
                what: "new partition count",
                text: total.trim().to_owned(),
            })?;
        self.broker.borrow_mut().create_partitions(name, total)?;
        self.absorb_events();
        Ok(format!(
            "{ADD_PARTITIONS_WARNING}\nTopic {name} now has {total} partitions."
        ))
    }

    /// Jumps the clock ahead and runs the log cleaner, reporting what retention and compaction did.
    pub fn fast_forward(&mut self, ms: i64) -> Result<String, PlaygroundError> {
        self.ensure_writable()?;
        match self.groups.as_mut() {
            Some(groups) => {
                groups.fast_forward(&self.clock, ms);
                self.changes.mark(Area::Groups);
            }
            None => self.clock.fast_forward(ms),
        }
        self.changes.mark(Area::Clock);
        let failures = self.broker.borrow_mut().run_log_maintenance();
        let before = self.recorded;
        self.absorb_events();
        let event = Event::FastForwarded {
            ms,
            // Counted, not measured on the timeline, which drops its oldest events when full.
            cleaner_changes: usize::try_from(self.recorded - before).unwrap_or(usize::MAX),
            failures: failures
                .into_iter()
                .map(|(partition, error)| (partition, error.to_string()))
                .collect(),
        };
        let message = event.to_string();
        self.record(event);
        Ok(message)
    }
}

#[cfg(test)]
mod tests;
