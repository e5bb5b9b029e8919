//! kafkajs's `consumer({ groupId })` over the playground, as a state machine the JS adapter's
//! run loop drives: `subscribe` collects topics, `run` makes the consumer one of the groups
//! page's members (see [`crate::playground::groups`]'s external consumers), each poll hands
//! its records to `eachMessage` one at a time, and what was processed is committed at the end
//! of each batch, as kafkajs's `autoCommit` does.
//!
//! What the loop does after a failure is decided here too, as kafkajs's runner decides it: a
//! retriable error is tried again after a growing wait, one that cannot heal (this tab was
//! taken over, a bug in `eachMessage`) crashes the consumer and ends the loop.
//!
//! Owns the consumer's requests (subscribe, commitOffsets, seek), the processed offsets, the
//! seeks waiting for the next poll and the run's failures in a row. Must not run the loop, wait
//! or call JavaScript (the adapter does), nor hold Kafka's rules (the client's `Consumer` does).

use std::collections::{BTreeMap, BTreeSet};

use super::error::ApiError;
use super::{with_groups, writable, Input};
use crate::broker::TopicPartition;
use crate::client::{ConsumerRecord, OffsetResetPolicy};
use crate::playground::groups::{ExternalError, SeekTo};
use crate::playground::{Playground, PlaygroundError};
use crate::protocol::ErrorCode;

/// kafkajs's retry defaults: the first wait after a failure (`initialRetryTime`), the factor
/// each further failure in a row multiplies it by (`multiplier`), and the longest wait
/// (`maxRetryTime`), in ms.
const FIRST_RETRY_MS: u32 = 300;
const RETRY_MULTIPLIER: u32 = 2;
const MAX_RETRY_MS: u32 = 30_000;

/// The error names kafkajs's retrier never retries: a bug in the code, not a passing fault.
const UNRECOVERABLE_ERRORS: [&str; 4] =
    ["RangeError", "ReferenceError", "SyntaxError", "TypeError"];

/// What `eachMessage` threw, as far as kafkajs looks at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thrown {
    /// Its `name` (`TypeError`, `KafkaJSProtocolError`, `Error`, ...).
    pub name: String,
    /// Its `message`.
    pub message: String,
    /// Its `retriable` property, when it has a boolean one.
    pub retriable: Option<bool>,
}

impl Thrown {
    /// kafkajs's `isErrorRetriable`: unless it says `retriable: false` or is one of the
    /// JavaScript errors that mean a bug ([`UNRECOVERABLE_ERRORS`]), trying again may help.
    pub fn is_retriable(&self) -> bool {
        self.retriable != Some(false) && !UNRECOVERABLE_ERRORS.contains(&self.name.as_str())
    }
}

/// What the run loop does after a poll failed or `eachMessage` threw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterFailure {
    /// A retriable error: try again after this many ms (kafkajs's growing wait).
    RetryAfterMs(u32),
    /// The consumer is no longer the page's (it left, or was crashed, from the groups page):
    /// the loop ends, saying this (a console warning).
    Ended(String),
    /// It cannot heal: the consumer crashed (it left its group where the playground still
    /// takes changes, as kafkajs's crashed consumer disconnects) and the loop ends, saying
    /// this (a console error, as kafkajs logs its crash).
    Crashed(String),
}

/// One JavaScript consumer.
#[derive(Debug, Clone)]
pub struct ConsumerSession {
    group_id: String,
    client_id: String,
    topics: Vec<String>,
    from_beginning: Option<bool>,
    /// Its client id among the groups page's consumers, while it runs.
    member: Option<String>,
    auto_commit: bool,
    /// The next offset to commit per partition: one past the last record processed.
    resolved: BTreeMap<TopicPartition, i64>,
    /// Seeks asked for, applied at the next poll.
    seeks: Vec<(TopicPartition, SeekTo)>,
    /// Partitions sought since the last poll: their records in hand are not delivered.
    sought: BTreeSet<TopicPartition>,
    /// Failures in a row (polls refused, `eachMessage` throwing), for the wait before the next
    /// try; back to 0 once a message is processed or a poll finds nothing to do.
    failures: u32,
}

/// What one poll of the run loop brought.
#[derive(Debug, Clone, Default)]
pub struct Polled {
    /// The records to hand to `eachMessage`, in order.
    pub records: Vec<ConsumerRecord>,
    /// True once the consumer has joined its group (then `run` resolves).
    pub joined: bool,
    /// Seeks that could not be applied, in words, for the console.
    pub warnings: Vec<String>,
}

impl ConsumerSession {
    /// `kafka.consumer({ groupId })` for a client named `client_id`.
    pub fn new(config: &Input, client_id: &str) -> Result<Self, ApiError> {
        let group_id = match config.field("groupId") {
            Input::Text(g) if !g.trim().is_empty() => g.clone(),
            _ => return Err(ApiError::MissingGroupId),
        };
        Ok(Self {
            group_id,
            client_id: client_id.to_owned(),
            topics: Vec::new(),
            from_beginning: None,
            member: None,
            auto_commit: true,
            resolved: BTreeMap::new(),
            seeks: Vec::new(),
            sought: BTreeSet::new(),
            failures: 0,
        })
    }

    /// The group id.
    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    /// Its client id among the page's consumers, while it runs.
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }

    /// `subscribe({ topic | topics, fromBeginning })`, before `run`.
    pub fn subscribe(&mut self, request: &Input) -> Result<(), ApiError> {
        if self.member.is_some() {
            return Err(ApiError::SubscribeWhileRunning);
        }
        let topics = match (request.field("topics"), request.field("topic")) {
            (list @ Input::Array(_), _) => list.topic_names("topics")?,
            (absent, one) if absent.is_absent() && !one.is_absent() => {
                vec![one.string("topic", "'orders'")?]
            }
            (absent, _) if absent.is_absent() => return Err(ApiError::MissingTopics),
            (other, _) => {
                return Err(ApiError::bad(
                    "topics",
                    "an array of topic names, e.g. ['orders']",
                    other,
                ))
            }
        };
        if topics.is_empty() {
            return Err(ApiError::MissingTopics);
        }
        let from_beginning = request
            .field("fromBeginning")
            .flag("fromBeginning", false)?;
        if let Some(earlier) = self.from_beginning.filter(|e| *e != from_beginning) {
            return Err(ApiError::MixedFromBeginning {
                earlier,
                now: from_beginning,
            });
        }
        self.from_beginning = Some(from_beginning);
        for t in topics {
            if !self.topics.contains(&t) {
                self.topics.push(t);
            }
        }
        Ok(())
    }

    /// `run({ eachMessage, autoCommit })`: joins the groups page's members (its first poll
    /// sends JoinGroup). `false` when it already runs (kafkajs only warns then).
    pub fn start(&mut self, p: &mut Playground, options: &Input) -> Result<bool, ApiError> {
        if self.member.is_some() {
            return Ok(false);
        }
        if options.field("eachMessage") != &Input::Other("function".into()) {
            return Err(ApiError::MissingEachMessage);
        }
        if self.topics.is_empty() {
            return Err(ApiError::MissingTopics);
        }
        self.auto_commit = options.field("autoCommit").flag("autoCommit", true)?;
        writable(p)?;
        // Offsets processed by an earlier run's last message belong to that run's member.
        self.resolved.clear();
        self.failures = 0;
        let reset = if self.from_beginning == Some(true) {
            OffsetResetPolicy::Earliest
        } else {
            OffsetResetPolicy::Latest
        };
        let (group, client, topics) = (
            self.group_id.clone(),
            self.client_id.clone(),
            self.topics.clone(),
        );
        let member = with_groups(p, |g| g.start_external(&group, &client, &topics, reset))?;
        self.member = Some(member);
        Ok(true)
    }

    fn running(&self) -> Result<String, ApiError> {
        self.member.clone().ok_or(ApiError::NotRunning)
    }

    /// One poll: the seeks asked for are applied first (committed with `autoCommit`, as
    /// kafkajs commits a seek), then the consumer polls.
    pub fn poll(&mut self, p: &mut Playground) -> Result<Polled, ApiError> {
        let member = self.running()?;
        let mut warnings = Vec::new();
        let assigned = p
            .groups()
            .map(|g| g.external_assignment(&member))
            .unwrap_or_default();
        for (tp, to) in std::mem::take(&mut self.seeks) {
            if !assigned.contains(&tp) {
                warnings.push(format!(
                    "seek on {tp} ignored: {member} does not hold that partition now (it holds {}).",
                    if assigned.is_empty() { "none".to_owned() } else { assigned.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ") }
                ));
                continue;
            }
            let at = with_groups(p, |g| g.seek_external(&member, &tp, to))?;
            self.resolved.remove(&tp);
            if self.auto_commit {
                with_groups(p, |g| g.commit_external(&member, &[(tp.clone(), at)]))?;
            }
        }
        self.sought.clear();
        let records = with_groups(p, |g| g.poll_external(&member))?;
        if records.is_empty() {
            self.failures = 0;
        }
        let joined = p.groups().is_some_and(|g| g.external_joined(&member));
        Ok(Polled {
            records,
            joined,
            warnings,
        })
    }

    /// Whether a record in hand is still to be delivered (not if its partition was sought
    /// since the poll that fetched it, as kafkajs drops a batch on seek).
    pub fn deliverable(&self, record: &ConsumerRecord) -> bool {
        !self
            .sought
            .contains(&TopicPartition::new(record.topic.clone(), record.partition))
    }

    /// `eachMessage` resolved for `record`.
    pub fn processed(&mut self, record: &ConsumerRecord) {
        self.failures = 0;
        self.resolved.insert(
            TopicPartition::new(record.topic.clone(), record.partition),
            record.offset + 1,
        );
    }

    /// The end of a batch (or of a failed one): with `autoCommit`, commits what was processed.
    pub fn commit_processed(&mut self, p: &mut Playground) -> Result<(), ApiError> {
        if !self.auto_commit || self.resolved.is_empty() {
            return Ok(());
        }
        let member = self.running()?;
        let offsets: Vec<(TopicPartition, i64)> =
            std::mem::take(&mut self.resolved).into_iter().collect();
        with_groups(p, |g| g.commit_external(&member, &offsets))
    }

    /// `eachMessage` threw on `unprocessed[0]`: what was processed is committed and every
    /// partition goes back to its first record not processed, so the next poll delivers it
    /// again (kafkajs retries the message).
    pub fn failed(
        &mut self,
        p: &mut Playground,
        unprocessed: &[ConsumerRecord],
    ) -> Result<(), ApiError> {
        self.commit_processed(p)?;
        let member = self.running()?;
        let mut first: BTreeMap<TopicPartition, i64> = BTreeMap::new();
        for r in unprocessed {
            first
                .entry(TopicPartition::new(r.topic.clone(), r.partition))
                .or_insert(r.offset);
        }
        for (tp, offset) in first {
            if !self.sought.contains(&tp) {
                with_groups(p, |g| g.seek_external(&member, &tp, SeekTo::Offset(offset)))?;
            }
        }
        Ok(())
    }

    /// Keeps the member alive between messages.
    pub fn heartbeat(&self, p: &mut Playground) {
        if let Some(member) = &self.member {
            let _ = with_groups(p, |g| {
                g.heartbeat_external(member);
                Ok(())
            });
        }
    }

    /// `commitOffsets([{ topic, partition, offset }])`: commits exactly those offsets (each
    /// the next offset to read).
    pub fn commit_offsets(&mut self, p: &mut Playground, request: &Input) -> Result<(), ApiError> {
        let items = match request {
            list @ Input::Array(_) => list.list("offsets")?,
            other => {
                return Err(ApiError::bad(
                    "offsets",
                    "an array, e.g. [{ topic: 'orders', partition: 0, offset: '42' }]",
                    other,
                ))
            }
        };
        let mut offsets = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let (tp, offset) = read_partition_offset(item, &format!("offsets[{i}]"))?;
            if offset < 0 {
                return Err(ApiError::NegativeOffset);
            }
            offsets.push((tp, offset));
        }
        let member = self.running()?;
        with_groups(p, |g| g.commit_external(&member, &offsets))
    }

    /// `seek({ topic, partition, offset })`: applied at the next poll (`'-2'` earliest, `'-1'`
    /// latest); the records of that partition already in hand are not delivered.
    pub fn seek(&mut self, request: &Input) -> Result<(), ApiError> {
        let (tp, offset) = read_partition_offset(request, "seek")?;
        let to = match offset {
            -1 => SeekTo::Latest,
            -2 => SeekTo::Earliest,
            o if o < 0 => return Err(ApiError::NegativeOffset),
            o => SeekTo::Offset(o),
        };
        self.running()?;
        self.sought.insert(tp.clone());
        self.seeks.push((tp, to));
        Ok(())
    }

    /// `disconnect()`: commits what was processed and leaves the group; the run loop ends.
    pub fn disconnect(&mut self, p: &mut Playground) -> Result<(), ApiError> {
        let Some(member) = self.member.clone() else {
            return Ok(());
        };
        let committed = self.commit_processed(p);
        let _ = with_groups(p, |g| {
            g.close_external(&member);
            Ok(())
        });
        self.member = None;
        self.seeks.clear();
        committed
    }

    /// A poll failed with `error`: whether the loop tries again (and after how long) or ends.
    /// Retried, as kafkajs's runner retries or rejoins: a retriable Kafka error, a rebalance
    /// or fenced generation (the next poll rejoins), a playground busy with another change.
    /// Ended: the consumer left or was crashed from the page. Crashed: this tab was taken over
    /// (read-only for good), the page closed the playground, or a non-retriable error.
    pub fn poll_failed(&mut self, p: &mut Playground, error: &ApiError) -> AfterFailure {
        let retry = match error {
            ApiError::Member(ExternalError::Gone(_) | ExternalError::Crashed(_)) => {
                self.member = None;
                self.seeks.clear();
                return AfterFailure::Ended(error.to_string());
            }
            // Another tab owns the playground: nothing this tab does is stored any more.
            ApiError::Playground(PlaygroundError::ReadOnly { .. }) | ApiError::NotOpen => false,
            ApiError::Busy => true,
            other => match other.code() {
                Some(
                    ErrorCode::RebalanceInProgress
                    | ErrorCode::IllegalGeneration
                    | ErrorCode::UnknownMemberId,
                ) => true,
                _ => other.shape().retriable,
            },
        };
        if retry {
            return AfterFailure::RetryAfterMs(self.backoff());
        }
        let shape = error.shape();
        self.crash(p, &format!("{}: {}", shape.name, shape.message))
    }

    /// `eachMessage` threw `thrown` on `unprocessed[0]` (after [`ConsumerSession::failed`] put
    /// the partitions back): a retriable error is tried again after a growing wait, any other
    /// crashes the consumer, as kafkajs's retrier does.
    pub fn handler_threw(&mut self, p: &mut Playground, thrown: &Thrown) -> AfterFailure {
        if thrown.is_retriable() {
            return AfterFailure::RetryAfterMs(self.backoff());
        }
        self.crash(p, &format!("{}: {}", thrown.name, thrown.message))
    }

    /// The wait before the next try: kafkajs's, without its random jitter.
    fn backoff(&mut self) -> u32 {
        let wait = (0..self.failures.min(16))
            .fold(FIRST_RETRY_MS, |w, _| w.saturating_mul(RETRY_MULTIPLIER))
            .min(MAX_RETRY_MS);
        self.failures = self.failures.saturating_add(1);
        wait
    }

    /// Crashes the run for `why`: as kafkajs's crashed consumer disconnects, it leaves its
    /// group where the playground still takes changes (a taken-over tab can change nothing,
    /// so its card stays until the page reloads), and the loop ends.
    fn crash(&mut self, p: &mut Playground, why: &str) -> AfterFailure {
        let left = match self.member.take() {
            Some(member) => with_groups(p, |g| {
                g.close_external(&member);
                Ok(())
            })
            .is_ok(),
            None => false,
        };
        self.seeks.clear();
        self.resolved.clear();
        self.failures = 0;
        AfterFailure::Crashed(format!(
            "[Consumer] Crash: {why} — {} in {} stopped{}; fix the cause, then call consumer.run again.",
            self.client_id,
            self.group_id,
            if left { " and left its group" } else { "" },
        ))
    }
}

fn read_partition_offset(item: &Input, path: &str) -> Result<(TopicPartition, i64), ApiError> {
    let topic = item
        .field("topic")
        .string(&format!("{path}.topic"), "'orders'")?;
    let partition = item
        .field("partition")
        .int32(&format!("{path}.partition"))?
        .ok_or_else(|| {
            ApiError::bad(
                &format!("{path}.partition"),
                "a partition number, e.g. 0",
                item.field("partition"),
            )
        })?;
    let offset = item.field("offset").offset(&format!("{path}.offset"))?;
    Ok((TopicPartition::new(topic, partition), offset))
}
