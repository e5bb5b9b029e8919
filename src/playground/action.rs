//! What a front end can ask of the playground, as typed actions: the pages' buttons and forms,
//! the terminal's keys, the sample-order job and the JavaScript API all send one of these to
//! [`crate::playground::Playground::dispatch`], and get an [`Outcome`] or a
//! [`crate::playground::PlaygroundError`] back.
//!
//! Owns the action vocabulary and what an action answers. Must not carry view state (what is
//! typed but not submitted stays in the view) nor run anything itself (the engine does).

use super::notebook::CellKind;
use crate::client::OffsetResetPolicy;
use crate::partitioner::PartitionerKind;

use super::deliveries::DeliveryId;
use super::forms::{ProduceForm, TopicForm};
use super::groups::ResetTarget;
use super::import::ImportedRecord;
use super::terminal::DockSize;

/// One thing the learner (or a script) does to the playground.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Create the topic the form describes (`kafka-topics.sh --create`).
    CreateTopic(TopicForm),
    /// Delete a topic and its data.
    DeleteTopic {
        /// The topic.
        topic: String,
    },
    /// Grow a topic to `total` partitions (as typed).
    AddPartitions {
        /// The topic.
        topic: String,
        /// The new partition count, as typed.
        total: String,
    },
    /// Produce the form's record.
    Produce {
        /// The topic.
        topic: String,
        /// The record as the form holds it.
        form: ProduceForm,
    },
    /// Switch the playground producer's partitioner.
    SetPartitioner(PartitionerKind),
    /// Jump the simulated clock ahead and run the log cleaner.
    FastForward {
        /// How far, in ms.
        ms: i64,
    },
    /// A consumer-groups page action.
    Group(GroupAction),
    /// A standalone reader action.
    Reader(ReaderAction),
    /// A terminal dock action (keys, tabs, size).
    Terminal(TerminalAction),
    /// A sample-order job action.
    Sample(SampleAction),
    /// A Streams page action: the notebook's cells and its queries' buttons.
    Notebook(NotebookAction),
    /// Import JSON-lines records into a topic (all or nothing).
    Import {
        /// The topic.
        topic: String,
        /// The file's name, for the message.
        file_name: String,
        /// The field the keys came from (empty: null keys).
        key_field: String,
        /// The parsed records.
        records: Vec<ImportedRecord>,
    },
}

/// What the consumer-groups page does.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupAction {
    /// Load the group service (and the committed offsets in storage) if no one has yet.
    Load,
    /// Start a consumer in `group` reading `topic`.
    StartConsumer {
        /// `group.id`.
        group: String,
        /// The topic it subscribes to.
        topic: String,
        /// `partition.assignment.strategy`.
        strategy: String,
        /// `auto.offset.reset`.
        reset: OffsetResetPolicy,
    },
    /// Every running consumer polls once.
    Step,
    /// Start or stop the consumers running on their own.
    SetRunning(bool),
    /// Pause or resume a consumer.
    SetPaused {
        /// Its client id.
        client_id: String,
        /// True to pause.
        paused: bool,
    },
    /// Crash a consumer (it stops polling and heartbeating).
    Crash {
        /// Its client id.
        client_id: String,
    },
    /// A consumer leaves the group cleanly.
    Leave {
        /// Its client id.
        client_id: String,
    },
    /// Remove a crashed consumer's card.
    Remove {
        /// Its client id.
        client_id: String,
    },
    /// Set how often a consumer polls (polls a second, as chosen).
    SetPollRate {
        /// Its client id.
        client_id: String,
        /// The rate as chosen.
        rate: String,
    },
    /// Set a consumer's `max.poll.records` (as typed).
    SetMaxPollRecords {
        /// Its client id.
        client_id: String,
        /// The value as typed.
        records: String,
    },
    /// Reset a group's offsets (`--reset-offsets`), a dry run unless `execute`.
    ResetOffsets {
        /// The group.
        group: String,
        /// Earliest or latest.
        target: ResetTarget,
        /// False: a dry run.
        execute: bool,
    },
    /// Delete an empty group and its offsets.
    DeleteGroup {
        /// The group.
        group: String,
    },
}

/// What the standalone reader does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderAction {
    /// Assign partitions of a topic.
    Assign {
        /// The topic.
        topic: String,
        /// The partitions.
        partitions: Vec<i32>,
    },
    /// Seek one partition (or all) to a target given as the form has it.
    Seek {
        /// The partition, or `None` for all.
        partition: Option<i32>,
        /// `beginning`, `end`, `offset` or `timestamp`.
        kind: String,
        /// The offset or time typed.
        text: String,
    },
    /// Poll up to `max_records` (as typed) records.
    Poll {
        /// `max.poll.records` as typed.
        max_records: String,
    },
}

/// What the terminal dock does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalAction {
    /// Open the dock with an earlier visit's command history and dock size.
    Restore {
        /// The commands typed before, oldest first.
        history: Vec<String>,
        /// The size chosen before.
        size: DockSize,
    },
    /// Replace the active session's typed line.
    SetInput(String),
    /// Enter: run the typed line.
    Submit,
    /// ↑ in the history.
    HistoryPrevious,
    /// ↓ in the history.
    HistoryNext,
    /// Tab completion.
    Complete,
    /// Ctrl-C (or the Stop button).
    Interrupt,
    /// Ctrl-D on an empty line.
    EndOfInput,
    /// Ctrl-L.
    Clear,
    /// Open a new session.
    Open,
    /// Close a session.
    Close(u32),
    /// Show a session.
    Select(u32),
    /// Show the next (or previous) session; answers [`Outcome::Tab`].
    SelectNeighbour {
        /// True for the next one.
        forward: bool,
    },
    /// Minimise or show the dock.
    ToggleMinimised,
    /// Make the dock taller or smaller.
    ToggleTall,
    /// Bring the dock to a size.
    Resize(DockSize),
}

/// What the sample-data panel does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SampleAction {
    /// Produce `count` (as typed) orders in chunks.
    Generate {
        /// The topic.
        topic: String,
        /// How many, as typed.
        count: String,
    },
    /// Produce orders at `rate` (as typed) a second until stopped.
    Steady {
        /// The topic.
        topic: String,
        /// Orders a second, as typed.
        rate: String,
    },
    /// Stop producing (the orders produced still get stored).
    Stop,
}

/// What the Streams page does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotebookAction {
    /// Put back the cells an earlier visit kept (once per visit; none kept leaves the
    /// notebook's first cell).
    Restore {
        /// Each cell's language and text.
        cells: Vec<(CellKind, String)>,
    },
    /// Add a cell after `after` (at the end when `None`).
    AddCell {
        /// The cell it follows.
        after: Option<u64>,
        /// Its language.
        kind: CellKind,
    },
    /// Change a cell's text.
    Edit {
        /// The cell.
        cell: u64,
        /// Its new text.
        source: String,
    },
    /// Change a cell's language.
    SetKind {
        /// The cell.
        cell: u64,
        /// Its new language.
        kind: CellKind,
    },
    /// Remove a cell.
    RemoveCell {
        /// The cell.
        cell: u64,
    },
    /// Run a cell in the notebook's Spark session.
    Run {
        /// The cell.
        cell: u64,
    },
    /// Run every cell, top to bottom, stopping at the first that fails.
    RunAll,
    /// Stop the session's queries and start a new session at the next run.
    Restart,
    /// Load a sample notebook: its topics (created and filled when missing or empty), its
    /// cells, and a new session.
    LoadSample {
        /// The sample's id.
        id: String,
    },
    /// Run one trigger of a query now.
    Step {
        /// The query's handle in the session.
        query: usize,
    },
    /// Stop a query (`query.stop()`).
    Stop {
        /// The query's handle.
        query: usize,
    },
    /// Send a copy of the oldest record the query read to its source topic again, with its
    /// timestamp: an event older than the watermark, which Spark drops as late.
    SendLateEvent {
        /// The query's handle.
        query: usize,
    },
}

/// What an action answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, nothing to say.
    Done,
    /// Done; the message Kafka's tool (or the page) prints for it.
    Said(String),
    /// The terminal session now shown, if any.
    Tab(Option<u32>),
    /// Records were produced and wait for the store: follow the ticket, then say `stored`.
    Storing {
        /// The delivery ticket.
        delivery: DeliveryId,
        /// How many records.
        records: usize,
        /// What to say once the store has them.
        stored: String,
    },
}

impl Outcome {
    /// The message to show, if there is one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Said(message) => Some(message),
            _ => None,
        }
    }
}
