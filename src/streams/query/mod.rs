//! A running streaming query: Spark's micro-batch loop over the playground's topics. Each
//! trigger plans a batch (its end offsets, cut by `maxOffsetsPerTrigger`), logs them
//! (`offsets/N`), reads the records, runs the plan with the state of its stateful operators,
//! hands the rows to the sink, then commits (`state/…/N`, `commits/N`). A query started again
//! over the same checkpoint re-runs a logged but uncommitted batch with exactly its offsets and
//! goes on from the last commit, so no record is skipped or counted twice.
//!
//! Owns the loop, the watermark and the progress. Time is the broker's clock: in a script a
//! query advances only as the script's clock does, and `processAllAvailable` runs it to the end
//! of the data. Must not parse or analyse (the session hands it an analysed plan).

mod commit;
mod inspect;
mod planning;
pub mod progress;
mod recovery;
pub mod sink;
pub mod trigger;

use std::rc::Rc;

use crate::client::{Producer, SharedBroker, SharedGroups};
use crate::streams::analyze::{Analyzed, SourceRef};
use crate::streams::checkpoint::{
    commit_log_text, commits_path, latest_batch, offset_log_text, offsets_path, parse_offset_log,
    CheckpointStore, OffsetLogEntry,
};
use crate::streams::exec::run::{run, OperatorState, StreamingRun};
use crate::streams::exec::state::AggregationState;
use crate::streams::kafka::options::{OffsetLimit, Strategy};
use crate::streams::kafka::reader::{
    offsets_of, partitions_of, read_ranges, OffsetRange, ReadOutcome,
};
use crate::streams::kafka::schema::record_to_row;
use crate::streams::kafka::{rate_limit::rate_limit, PartitionOffsets};
use crate::streams::plan::{OutputMode, Plan};
use crate::streams::session::catalog::{Catalog, Table};
use crate::streams::value::Row;

use progress::{Progress, SourceProgress, StateOperatorProgress};
use sink::{console_text, produce_rows, Sink};
use trigger::Trigger;

/// How many progress reports a query keeps (Spark keeps `spark.sql.streaming.numRecentProgressUpdates`, 100).
const RECENT_PROGRESS: usize = 100;

/// What a query needs from its session for one step.
pub struct QueryEnv<'a> {
    /// The broker.
    pub broker: &'a SharedBroker,
    /// The group coordinator (the source's consumers use none, but the client needs one).
    pub groups: &'a SharedGroups,
    /// Tables and checkpoints.
    pub catalog: &'a mut Catalog,
    /// The session's memory-sink tables.
    pub memory_tables: &'a mut Vec<Table>,
    /// Makes the Kafka sink's producer (the session's acknowledgements decide when its records
    /// count as written).
    pub new_producer: &'a dyn Fn() -> Producer,
}

/// How a query is set up (`writeStream…`).
#[derive(Debug, Clone)]
pub struct QuerySpec {
    /// `queryName`.
    pub name: Option<String>,
    /// The sink.
    pub sink: Sink,
    /// `outputMode`.
    pub mode: OutputMode,
    /// `trigger`.
    pub trigger: Trigger,
    /// `checkpointLocation` (a made-up temporary one when not given).
    pub checkpoint: String,
    /// The logical plan, for the Streams page's graph.
    pub plan: Rc<Plan>,
}

#[derive(Debug, Clone)]
struct PlannedBatch {
    id: u64,
    start: Vec<PartitionOffsets>,
    end: Vec<PartitionOffsets>,
    latest: Vec<PartitionOffsets>,
    timestamp_ms: i64,
    /// The batch ran and waits for the Kafka sink's deliveries before its commit.
    delivered: Option<RunSummary>,
}

/// What a batch's run counted, kept until its commit.
#[derive(Debug, Clone, Copy)]
struct RunSummary {
    input_rows: u64,
    output_rows: u64,
    event_time: Option<(i64, i64, i64)>,
}

/// One running (or stopped) streaming query.
pub struct StreamingQuery {
    /// The query's id (kept in the checkpoint's `metadata`).
    pub id: String,
    /// This run's id.
    pub run_id: String,
    /// How it was set up.
    pub spec: QuerySpec,
    analyzed: Analyzed,
    sources: Vec<SourceRef>,
    next_batch: u64,
    committed: Vec<Option<PartitionOffsets>>,
    watermark_ms: Option<i64>,
    batch_watermark_ms: Option<i64>,
    /// The watermark the next batch judges late rows by: the one the last committed batch
    /// evicted with (Spark 3.5's watermark for late events).
    late_watermark_ms: Option<i64>,
    max_event_time: Option<i64>,
    states: Vec<OperatorState>,
    pending: Option<PlannedBatch>,
    last_trigger_ms: Option<i64>,
    target: Option<Vec<PartitionOffsets>>,
    producer: Option<Producer>,
    /// The Kafka sink's failed deliveries since the last commit (a refused flush).
    delivery_failures: Rc<std::cell::RefCell<Vec<String>>>,
    /// Whether it still runs.
    pub active: bool,
    /// Shared with the catalog while the query runs, so that no second query starts over the
    /// same checkpoint from any session of the tab (false once it stops or is dropped).
    running: Rc<std::cell::Cell<bool>>,
    /// Why it stopped, if it failed (`query.exception()`).
    pub exception: Option<String>,
    /// Its recent progress, oldest first.
    pub progress: Vec<Progress>,
    /// `query.status`'s message.
    pub status_message: String,
    /// Rows each operator produced in the last batch (pre-order over the physical plan).
    pub operator_rows: Vec<u64>,
}

impl Drop for StreamingQuery {
    /// A query whose shell is gone runs no more: its checkpoint is free for another.
    fn drop(&mut self) {
        self.running.set(false);
    }
}

impl std::fmt::Debug for StreamingQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingQuery")
            .field("id", &self.id)
            .field("name", &self.spec.name)
            .field("next_batch", &self.next_batch)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// What one step of a query did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Step {
    /// Whether a batch completed.
    pub ran: bool,
    /// What the console sink printed.
    pub output: String,
    /// Whether the query is waiting for records still in the browser's storage.
    pub waiting_for_storage: bool,
    /// Whether the batch ran and waits for the store to acknowledge its Kafka sink's records
    /// before it commits.
    pub waiting_for_store: bool,
}

fn describe_source(source: &SourceRef) -> String {
    let strategy = match &source.options.strategy {
        Strategy::Subscribe(topics) => format!("Subscribe[{}]", topics.join(",")),
        Strategy::SubscribePattern(p) => format!("SubscribePattern[{p}]"),
        Strategy::Assign(parts) => {
            let names: Vec<String> = parts.iter().map(|(t, p)| format!("{t}-{p}")).collect();
            format!("Assign[{}]", names.join(", "))
        }
    };
    format!("KafkaV2[{strategy}]")
}

impl StreamingQuery {
    /// A query over an analysed plan; resumes from the checkpoint if it holds one.
    pub fn start(
        spec: QuerySpec,
        analyzed: Analyzed,
        sources: Vec<SourceRef>,
        ids: (String, String),
        catalog: &mut Catalog,
    ) -> Result<Self, crate::streams::checkpoint::CheckpointError> {
        let location = spec.checkpoint.trim_end_matches('/').to_string();
        let store = &mut catalog.checkpoints;
        let metadata = format!("{location}/metadata");
        let id = match store.read(&metadata).and_then(|t| {
            serde_json::from_str::<serde_json::Value>(&t)
                .ok()?
                .get("id")?
                .as_str()
                .map(str::to_string)
        }) {
            Some(id) => id,
            None => {
                store.write(&metadata, format!("{{\"id\":\"{}\"}}", ids.0));
                ids.0
            }
        };
        let has_watermark = !analyzed.watermark_delays.is_empty();
        let n = sources.len();
        let mut query = StreamingQuery {
            id,
            run_id: ids.1,
            spec,
            analyzed,
            sources,
            next_batch: 0,
            committed: vec![None; n],
            watermark_ms: has_watermark.then_some(0),
            batch_watermark_ms: has_watermark.then_some(0),
            late_watermark_ms: has_watermark.then_some(0),
            max_event_time: None,
            states: Vec::new(),
            pending: None,
            last_trigger_ms: None,
            target: None,
            producer: None,
            delivery_failures: Rc::default(),
            active: true,
            running: Rc::new(std::cell::Cell::new(true)),
            exception: None,
            progress: Vec::new(),
            status_message: "Initializing sources".to_string(),
            operator_rows: Vec::new(),
        };
        query.recover(store, &location)?;
        Ok(query)
    }

    /// The position of the streaming source (`readStream`) among the plan's sources; the
    /// others are static sides of joins (`spark.read`), read whole in every batch.
    fn stream_index(&self) -> usize {
        self.sources.iter().position(|s| s.streaming).unwrap_or(0)
    }

    /// The query's output columns.
    pub fn schema(&self) -> &[crate::streams::types::StructField] {
        &self.analyzed.schema
    }

    /// The next batch's id (`lastProgress.batchId + 1`).
    pub fn next_batch_id(&self) -> u64 {
        self.next_batch
    }

    /// Each stateful operator's groups (the Streams page shows the state store).
    pub fn states(&self) -> &[OperatorState] {
        &self.states
    }

    /// The watermark (ms), if the query has one.
    pub fn watermark_ms(&self) -> Option<i64> {
        self.watermark_ms
    }

    /// Where the last committed batch ended, per source.
    pub fn committed_offsets(&self) -> &[Option<PartitionOffsets>] {
        &self.committed
    }

    /// Marks the query stopped, for its session and for the catalog's list of running ones.
    fn end(&mut self) {
        self.active = false;
        self.running.set(false);
    }

    /// The flag the catalog watches: true while the query runs.
    pub fn running_flag(&self) -> Rc<std::cell::Cell<bool>> {
        Rc::clone(&self.running)
    }

    /// Stops the query (`query.stop()`).
    pub fn stop(&mut self) {
        self.end();
        self.status_message = "Stopped".to_string();
    }

    fn fail(&mut self, why: String) {
        self.exception = Some(why);
        self.end();
        self.status_message = "Terminated with exception".to_string();
    }

    /// Whether a trigger is due at `now_ms`.
    pub fn is_due(&self, now_ms: i64) -> bool {
        self.active
            && (self.pending.is_some()
                || self
                    .last_trigger_ms
                    .is_none_or(|last| now_ms >= self.spec.trigger.next_start(last)))
    }

    /// Runs at most one micro-batch if its trigger is due (or a planned one is waiting);
    /// `force` runs it whatever the trigger's interval says.
    pub fn step(&mut self, env: &mut QueryEnv<'_>, force: bool) -> Step {
        let now = env.broker.borrow().now_ms();
        if !self.active || (!force && !self.is_due(now)) {
            return Step::default();
        }
        if self.pending.is_none() {
            match self.plan_batch(env, now) {
                Ok(true) => {}
                Ok(false) => return Step::default(),
                Err(why) => {
                    self.fail(why);
                    return Step::default();
                }
            }
        }
        match self.run_pending(env, now) {
            Ok(step) => step,
            Err(why) => {
                self.fail(why);
                Step::default()
            }
        }
    }

    fn run_pending(&mut self, env: &mut QueryEnv<'_>, now: i64) -> Result<Step, String> {
        let Some(batch) = self.pending.clone() else {
            return Ok(Step::default());
        };
        if let Some(summary) = batch.delivered {
            return Ok(self.await_deliveries(env, &batch, summary, now));
        }
        self.status_message = "Processing new data".to_string();
        let mut inputs: Vec<Vec<Row>> = Vec::new();
        let none = PartitionOffsets::default();
        for (i, source) in self.sources.iter().enumerate() {
            let ranges: Vec<OffsetRange> = if source.streaming {
                let start = batch.start.get(i).unwrap_or(&none);
                let end = batch.end.get(i).unwrap_or(&none);
                end.0
                    .iter()
                    .map(|((topic, partition), until)| OffsetRange {
                        topic: topic.clone(),
                        partition: *partition,
                        from: start.get(topic, *partition).unwrap_or(*until),
                        until: *until,
                    })
                    .collect()
            } else {
                crate::streams::session::batch_ranges(env.broker, &source.options)
            };
            match read_ranges(
                env.broker,
                env.groups,
                &ranges,
                source.options.fail_on_data_loss,
            ) {
                Ok(ReadOutcome::Done(records)) => inputs.push(
                    records
                        .iter()
                        .map(|r| record_to_row(r, source.options.include_headers))
                        .collect(),
                ),
                Ok(ReadOutcome::Waiting) => {
                    self.status_message =
                        "Reading records back from the browser's storage".to_string();
                    return Ok(Step {
                        waiting_for_storage: true,
                        ..Step::default()
                    });
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        // `numInputRows` counts what the streaming source read, not the static sides.
        let input_rows: u64 = inputs
            .iter()
            .zip(&self.sources)
            .filter(|(_, s)| s.streaming)
            .map(|(r, _)| r.len() as u64)
            .sum();
        self.batch_watermark_ms = self.watermark_ms;
        let mut streaming = StreamingRun {
            mode: self.spec.mode,
            watermark: self.watermark_ms.map(|ms| ms.saturating_mul(1000)),
            late_watermark: self.late_watermark_ms.map(|ms| ms.saturating_mul(1000)),
            states: &mut self.states,
            max_event_time: None,
            event_times: Default::default(),
        };
        let mut counts = Vec::new();
        let rows = run(
            &self.analyzed.physical,
            &inputs,
            Some(&mut streaming),
            &mut counts,
        );
        let batch_max = streaming.max_event_time;
        let event_time = streaming.event_times.summary(batch_max);
        self.operator_rows = counts;
        if let Some(m) = batch_max {
            self.max_event_time = Some(self.max_event_time.map_or(m, |x| x.max(m)));
        }
        let mut output = String::new();
        let output_rows = rows.len() as u64;
        match &self.spec.sink {
            Sink::Console { num_rows, truncate } => {
                output = console_text(batch.id, &self.analyzed.schema, &rows, *num_rows, *truncate);
            }
            Sink::Memory { name } => {
                let complete = self.spec.mode == OutputMode::Complete;
                let schema = self.analyzed.schema.clone();
                match env
                    .memory_tables
                    .iter_mut()
                    .find(|t| t.name.eq_ignore_ascii_case(name))
                {
                    Some(t) if complete => t.versions.clear(),
                    Some(_) => {}
                    None => env.memory_tables.push(Table {
                        name: name.clone(),
                        schema,
                        versions: Vec::new(),
                    }),
                }
                if let Some(t) = env
                    .memory_tables
                    .iter_mut()
                    .find(|t| t.name.eq_ignore_ascii_case(name))
                {
                    let version = t.versions.len() as u64;
                    t.versions
                        .push(crate::streams::session::catalog::TableVersion {
                            version,
                            timestamp_ms: now,
                            operation: "STREAMING UPDATE".into(),
                            rows: Rc::new(rows),
                            overwrite: false,
                        });
                }
            }
            Sink::Table { name } => {
                let already = env.catalog.table(name).is_some_and(|t| {
                    t.versions.iter().any(|v| {
                        v.operation == format!("STREAMING UPDATE {} {}", self.id, batch.id)
                    })
                });
                if !already {
                    // Complete mode replaces the table's rows each batch, as Delta overwrites.
                    env.catalog.write(
                        name,
                        &self.analyzed.schema,
                        rows,
                        now,
                        &format!("STREAMING UPDATE {} {}", self.id, batch.id),
                        self.spec.mode == OutputMode::Complete,
                    );
                }
            }
            Sink::Kafka { topic, columns } => {
                let producer = self.producer.get_or_insert_with(|| (env.new_producer)());
                produce_rows(
                    producer,
                    topic.as_deref(),
                    columns,
                    &rows,
                    &self.delivery_failures,
                )
                .map_err(|e| e.to_string())?;
                producer.flush();
            }
        }
        if let Some(p) = &mut self.pending {
            p.delivered = Some(RunSummary {
                input_rows,
                output_rows,
                event_time,
            });
        }
        let summary = RunSummary {
            input_rows,
            output_rows,
            event_time,
        };
        let mut step = self.await_deliveries(env, &batch, summary, now);
        step.output = output;
        Ok(step)
    }
}
