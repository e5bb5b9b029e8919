//! A console consumer that is still running: `kafka-console-consumer.sh` without an end
//! condition met, "following" its topic as Kafka's tool does until Ctrl-C.
//!
//! Owns when a running consumer ends and what it prints then: `--max-messages` reached,
//! `--timeout-ms` elapsed without a record (measured on the broker's clock, so tests are
//! deterministic), Ctrl-C, or an error; the closing lines (Kafka's timeout ERROR and
//! `Processed a total of N messages`, counting every record the command printed). Reading is
//! left to the two sources: [`super::console_consumer::PartitionReader`] (no `--group`) and
//! [`super::console_group::GroupReader`] (a real group member, closed — committed and left —
//! when the follow ends). Must not parse options nor read the wall clock.

use std::cell::RefCell;
use std::rc::Rc;

use super::console_consumer::PartitionReader;
use super::console_group::GroupReader;
use super::formatter::{self, ConsumedRecord, FormatterConfig};
use super::output::{log_line, Output};
use crate::broker::Broker;

const LOGGER: &str = "org.apache.kafka.tools.consumer.ConsoleConsumer";

/// The most records one [`Follow::step`] of a running consumer prints, so a page polling on a
/// timer stays responsive while a large backlog drains over several steps.
pub const FOLLOW_STEP_RECORDS: usize = 2_000;

/// Where a console consumer's records come from.
pub enum Source {
    /// Partitions read directly (no `--group`): nothing is committed.
    Partitions(Box<PartitionReader>),
    /// A member of a consumer group (`--group`).
    Group(Box<GroupReader>),
}

impl Source {
    /// Up to `max` records, and the failure that stopped reading, if one did.
    fn read(&mut self, max: usize) -> (Vec<ConsumedRecord>, Option<Output>) {
        match self {
            Self::Partitions(r) => r.read(max),
            Self::Group(r) => r.read(max),
        }
    }

    /// What the consumer logged meanwhile (failed auto-commits), to print before the records.
    fn take_warnings(&mut self) -> Output {
        match self {
            Self::Partitions(_) => Output::ok(),
            Self::Group(r) => r.commit_failures(),
        }
    }
}

/// How a console consumer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `--max-messages` records were printed.
    Limit,
    /// `--timeout-ms` passed without a new record.
    Timeout,
    /// Ctrl-C.
    Interrupted,
    /// It printed what there was and could not wait for more (a script, or a console that
    /// does not follow): Kafka's tool would have waited, so `--timeout-ms` ends as a timeout.
    CaughtUp,
}

/// A console consumer in progress.
pub struct Follow {
    source: Source,
    broker: Rc<RefCell<Broker>>,
    format: FormatterConfig,
    limit: i64,
    timeout_ms: Option<i64>,
    processed: i64,
    last_record_ms: i64,
}

impl std::fmt::Debug for Follow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Follow")
            .field("processed", &self.processed)
            .field("limit", &self.limit)
            .field("timeout_ms", &self.timeout_ms)
            .finish_non_exhaustive()
    }
}

/// What one step printed, and whether the consumer ended with it.
#[derive(Debug)]
pub struct Step {
    /// The records printed, and the closing lines if it ended.
    pub output: Output,
    /// True when the consumer ended (its closing lines are in `output`).
    pub done: bool,
}

impl Follow {
    /// A consumer reading `source`, printing with `format`, ending after `limit` records
    /// (`i64::MAX` for none) or `timeout_ms` without one.
    pub fn new(
        source: Source,
        broker: Rc<RefCell<Broker>>,
        format: FormatterConfig,
        limit: i64,
        timeout_ms: Option<i64>,
    ) -> Self {
        let now = broker.borrow().now_ms();
        Self {
            source,
            broker,
            format,
            limit,
            timeout_ms,
            processed: 0,
            last_record_ms: now,
        }
    }

    /// Records printed so far.
    pub fn processed(&self) -> i64 {
        self.processed
    }

    /// What the consumer waits for before it can read, if anything (a group still
    /// rebalancing), for a hint beside the terminal. Kafka prints nothing for it.
    pub fn waiting_for(&self) -> Option<String> {
        match &self.source {
            Source::Group(g) => g.waiting_for(),
            Source::Partitions(_) => None,
        }
    }

    /// Reads what has arrived (at most `max` records) and prints it; ends the consumer when
    /// `--max-messages` is reached, `--timeout-ms` has passed without a record, or reading
    /// failed.
    pub fn step(&mut self, max: usize) -> Step {
        if self.processed >= self.limit {
            return self.end_step(Output::ok(), End::Limit);
        }
        let room = usize::try_from(self.limit - self.processed).unwrap_or(usize::MAX);
        let (records, failure) = self.source.read(max.min(room));
        let now = self.broker.borrow().now_ms();
        // A failed auto-commit happened inside a poll, before that poll's records came back.
        let mut output = self.source.take_warnings();
        if !records.is_empty() {
            self.last_record_ms = now;
        }
        for record in &records {
            output.out(&formatter::format(&self.format, record));
            self.processed += 1;
        }
        if let Some(failure) = failure {
            // As Kafka's tool: the exception ends the process, without the total.
            output.append(self.close());
            output.append(failure);
            return Step { output, done: true };
        }
        if self.processed >= self.limit {
            return self.end_step(output, End::Limit);
        }
        if records.is_empty()
            && self
                .timeout_ms
                .is_some_and(|t| now.saturating_sub(self.last_record_ms) >= t)
        {
            return self.end_step(output, End::Timeout);
        }
        Step {
            output,
            done: false,
        }
    }

    fn end_step(&mut self, mut output: Output, end: End) -> Step {
        output.append(self.end_lines(end));
        Step { output, done: true }
    }

    /// Ends the consumer for `end`: closes a group member (commit, then LeaveGroup) and
    /// prints the closing lines.
    pub fn finish(mut self, end: End) -> Output {
        self.end_lines(end)
    }

    fn end_lines(&mut self, end: End) -> Output {
        let mut out = self.close();
        if end == End::CaughtUp {
            if let Source::Group(g) = &self.source {
                if let Some(note) = g.unsettled_note() {
                    out.err_line(&note);
                }
            }
        }
        let timed_out = match end {
            End::Timeout => true,
            End::CaughtUp => self.timeout_ms.is_some() && self.processed < self.limit,
            End::Limit | End::Interrupted => false,
        };
        if timed_out {
            let now = self.broker.borrow().now_ms();
            out.err_line(&log_line(
                now,
                "ERROR",
                "Error processing message, terminating consumer process: ",
                LOGGER,
            ));
            out.err_line("org.apache.kafka.common.errors.TimeoutException");
        }
        out.err_line(&format!("Processed a total of {} messages", self.processed));
        if end == End::Interrupted {
            // The shell's status for a process ended by SIGINT.
            out.exit_code = 130;
        }
        out
    }

    /// Kafka's console consumer closes its consumer on the way out: commit, then LeaveGroup;
    /// what a failed commit logs.
    fn close(&mut self) -> Output {
        match &mut self.source {
            Source::Group(g) => g.close(),
            _ => Output::ok(),
        }
    }
}
