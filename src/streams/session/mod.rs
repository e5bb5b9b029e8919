//! [`SparkSession`]: what `spark` is in the shell — the views and tables SQL sees, batch runs
//! (`show`, `collect`), and the streaming queries it started (`spark.streams`).
//!
//! Owns the session's names and its queries; tables and checkpoints live in the shared
//! [`Catalog`], so they outlive the session as files outlive a PySpark shell. Must not print:
//! the shell turns results into text.

pub mod catalog;
pub mod error;
pub mod sql_plan;
pub mod stored;

use std::cell::RefCell;
use std::rc::Rc;

use crate::client::{Producer, ProducerConfig, SharedBroker, SharedGroups};
use crate::streams::analyze::{Analysis, Analyzed, SourceRef};
use crate::streams::exec::run::run;
use crate::streams::kafka::options::OffsetLimit;
use crate::streams::kafka::options::Strategy;
use crate::streams::kafka::reader::{
    offsets_of, partitions_of, read_ranges, OffsetRange, ReadOutcome,
};
use crate::streams::kafka::schema::record_to_row;
use crate::streams::plan::{check_output_mode, Plan};
use crate::streams::query::{QueryEnv, QuerySpec, Step, StreamingQuery};
use crate::streams::sql::ast::Statement;
use crate::streams::sql::parse_statement;
use crate::streams::types::StructField;
use crate::streams::value::Row;

pub use catalog::{Catalog, Table, TableVersion};
pub use error::SessionError;

/// Makes the Kafka sink's producers; the playground passes one whose acknowledgements wait
/// for the store.
pub type ProducerFactory = Rc<dyn Fn(SharedBroker) -> Producer>;

/// A batch result: the columns and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Collected {
    /// The columns.
    pub schema: Vec<StructField>,
    /// The rows.
    pub rows: Vec<Row>,
}

/// Where a query without a `checkpointLocation` keeps its checkpoint (Spark's temporary
/// directory), deleted when the query stops.
const TEMPORARY_CHECKPOINTS: &str = "/tmp/temporary-";

/// A Spark session over the playground's broker.
pub struct SparkSession {
    broker: SharedBroker,
    groups: SharedGroups,
    catalog: Rc<RefCell<Catalog>>,
    views: Vec<(String, Rc<Plan>)>,
    memory_tables: Vec<Table>,
    queries: Vec<StreamingQuery>,
    rng: fastrand::Rng,
    producers: ProducerFactory,
}

impl std::fmt::Debug for SparkSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SparkSession")
            .field("views", &self.views.len())
            .field("queries", &self.queries)
            .finish_non_exhaustive()
    }
}

impl SparkSession {
    /// A session; `seed` makes query ids repeatable (scripts, tests).
    pub fn new(
        broker: SharedBroker,
        groups: SharedGroups,
        catalog: Rc<RefCell<Catalog>>,
        seed: u64,
    ) -> Self {
        SparkSession {
            broker,
            groups,
            catalog,
            views: Vec::new(),
            memory_tables: Vec::new(),
            queries: Vec::new(),
            rng: fastrand::Rng::with_seed(seed),
            producers: Rc::new(|broker| Producer::new(broker, ProducerConfig::default())),
        }
    }

    /// Uses `producers` for the Kafka sink (the playground's wait for the store).
    pub fn with_producers(mut self, producers: ProducerFactory) -> Self {
        self.producers = producers;
        self
    }

    /// The broker.
    pub fn broker(&self) -> &SharedBroker {
        &self.broker
    }

    /// The shared catalog.
    pub fn catalog(&self) -> &Rc<RefCell<Catalog>> {
        &self.catalog
    }

    /// A random UUID, as Spark gives queries and runs.
    fn uuid(&mut self) -> String {
        let hex = |rng: &mut fastrand::Rng, n: usize| -> String {
            (0..n)
                .map(|_| char::from_digit(rng.u32(0..16), 16).unwrap_or('0'))
                .collect()
        };
        let variant = ['8', '9', 'a', 'b'][self.rng.usize(0..4)];
        format!(
            "{}-{}-4{}-{variant}{}-{}",
            hex(&mut self.rng, 8),
            hex(&mut self.rng, 4),
            hex(&mut self.rng, 3),
            hex(&mut self.rng, 3),
            hex(&mut self.rng, 12)
        )
    }

    /// `createOrReplaceTempView(name)`.
    pub fn create_or_replace_temp_view(&mut self, name: &str, plan: Rc<Plan>) {
        self.views.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.views.push((name.to_string(), plan));
    }

    /// A view, memory table or table by name.
    pub fn lookup(&self, name: &str) -> Option<Rc<Plan>> {
        if let Some((_, p)) = self
            .views
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return Some(Rc::clone(p));
        }
        let table = self
            .memory_tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
            .cloned()
            .or_else(|| self.catalog.borrow().table(name).cloned())?;
        Some(Rc::new(Plan::Rows {
            schema: table.schema.clone(),
            rows: Rc::new(table.rows()),
            name: table.name,
        }))
    }

    /// `spark.table(name)`.
    pub fn table(&self, name: &str) -> Result<Rc<Plan>, SessionError> {
        self.lookup(name)
            .ok_or_else(|| SessionError::TableNotFound(name.to_string()))
    }

    /// The names of the views and tables (`SHOW TABLES`, `spark.catalog.listTables()`):
    /// `(name, is_temporary)`.
    pub fn table_names(&self) -> Vec<(String, bool)> {
        let mut out: Vec<(String, bool)> = self
            .catalog
            .borrow()
            .tables
            .iter()
            .map(|t| (t.name.clone(), false))
            .collect();
        out.extend(self.memory_tables.iter().map(|t| (t.name.clone(), true)));
        out.extend(self.views.iter().map(|(n, _)| (n.clone(), true)));
        out
    }

    /// `spark.sql(text)`: a query's plan, or what a command returns as rows.
    pub fn sql(&mut self, text: &str) -> Result<Rc<Plan>, SessionError> {
        match parse_statement(text)? {
            Statement::Select(select) => sql_plan::select_plan(&select, &|name| self.lookup(name)),
            Statement::ShowTables => {
                let rows = self
                    .table_names()
                    .into_iter()
                    .map(|(n, temp)| {
                        let namespace = if temp { "" } else { "default" };
                        vec![namespace.into(), n.as_str().into(), temp.into()]
                    })
                    .collect();
                Ok(Rc::new(Plan::Rows {
                    schema: vec![
                        StructField::new("namespace", crate::streams::types::DataType::String),
                        StructField::new("tableName", crate::streams::types::DataType::String),
                        StructField::new("isTemporary", crate::streams::types::DataType::Boolean),
                    ],
                    rows: Rc::new(rows),
                    name: "SHOW TABLES".into(),
                }))
            }
            Statement::Describe(name) => {
                let plan = self.table(&name.join("."))?;
                let schema = self.schema(&plan)?;
                let rows = schema
                    .iter()
                    .map(|f| {
                        vec![
                            f.name.as_str().into(),
                            f.data_type.simple_string().as_str().into(),
                            crate::streams::value::Value::Null,
                        ]
                    })
                    .collect();
                Ok(Rc::new(Plan::Rows {
                    schema: vec![
                        StructField::new("col_name", crate::streams::types::DataType::String),
                        StructField::new("data_type", crate::streams::types::DataType::String),
                        StructField::new("comment", crate::streams::types::DataType::String),
                    ],
                    rows: Rc::new(rows),
                    name: "DESCRIBE".into(),
                }))
            }
            Statement::DescribeHistory(name) => {
                let full = name.join(".");
                let catalog = self.catalog.borrow();
                let table = catalog
                    .table(&full)
                    .ok_or_else(|| SessionError::TableNotFound(full.clone()))?;
                let rows = table
                    .versions
                    .iter()
                    .rev()
                    .map(|v| {
                        let operation =
                            v.operation.split(' ').take(2).collect::<Vec<_>>().join(" ");
                        vec![
                            crate::streams::value::Value::Long(v.version as i64),
                            crate::streams::value::Value::Timestamp(v.timestamp_ms * 1000),
                            operation.as_str().into(),
                            crate::streams::value::Value::Long(v.rows.len() as i64),
                        ]
                    })
                    .collect();
                Ok(Rc::new(Plan::Rows {
                    schema: vec![
                        StructField::new("version", crate::streams::types::DataType::Long),
                        StructField::new("timestamp", crate::streams::types::DataType::Timestamp),
                        StructField::new("operation", crate::streams::types::DataType::String),
                        StructField::new("numOutputRows", crate::streams::types::DataType::Long),
                    ],
                    rows: Rc::new(rows),
                    name: "DESCRIBE HISTORY".into(),
                }))
            }
        }
    }

    fn analysis(&self) -> Analysis {
        Analysis {
            now_micros: self.broker.borrow().now_ms().saturating_mul(1000),
            ..Analysis::default()
        }
    }

    /// A plan's output columns (`printSchema`, `columns`), checking that it resolves.
    pub fn schema(&self, plan: &Plan) -> Result<Vec<StructField>, SessionError> {
        Ok(self.analysis().analyze(plan)?.schema)
    }

    /// Runs a batch plan (`show`, `collect`, `count`). A streaming plan is refused with Spark's
    /// text.
    pub fn collect(&mut self, plan: &Plan) -> Result<Collected, SessionError> {
        if plan.is_streaming() {
            return Err(SessionError::StreamingSourceInBatch);
        }
        let mut analysis = self.analysis();
        let analyzed = analysis.analyze(plan)?;
        let mut inputs = Vec::new();
        for source in &analysis.sources {
            inputs.push(self.read_batch_source(source)?);
        }
        let rows = run(&analyzed.physical, &inputs, None, &mut Vec::new());
        Ok(Collected {
            schema: analyzed.schema,
            rows,
        })
    }

    fn read_batch_source(&self, source: &SourceRef) -> Result<Vec<Row>, SessionError> {
        let options = &source.options;
        if !options.reaches_playground() {
            return Err(SessionError::Unreachable);
        }
        if let Strategy::Subscribe(topics) = &options.strategy {
            if let Some(missing) = topics
                .iter()
                .find(|t| self.broker.borrow().topic(t).is_none())
            {
                return Err(SessionError::UnknownTopic(missing.clone()));
            }
        }
        let ranges = batch_ranges(&self.broker, options);
        match read_ranges(
            &self.broker,
            &self.groups,
            &ranges,
            options.fail_on_data_loss,
        )? {
            ReadOutcome::Done(records) => Ok(records
                .iter()
                .map(|r| record_to_row(r, options.include_headers))
                .collect()),
            ReadOutcome::Waiting => Err(SessionError::StillLoading),
        }
    }

    /// Starts a streaming query (`writeStream…start()` / `toTable`). Its first batch runs on
    /// the next [`SparkSession::tick`] (or `processAllAvailable`).
    pub fn start(&mut self, mut spec: QuerySpec) -> Result<usize, SessionError> {
        if !spec.plan.is_streaming() {
            return Err(SessionError::WriteStreamOnBatch);
        }
        check_output_mode(&spec.plan, spec.mode)?;
        if let Some(name) = &spec.name {
            if self
                .queries
                .iter()
                .any(|q| q.active && q.spec.name.as_deref() == Some(name))
            {
                return Err(SessionError::DuplicateName(name.clone()));
            }
        }
        let mut analysis = self.analysis();
        let analyzed: Analyzed = analysis.analyze(&spec.plan)?;
        if let crate::streams::query::sink::Sink::Kafka { topic, columns } = &mut spec.sink {
            *columns =
                crate::streams::query::sink::kafka_columns(&analyzed.schema, topic.as_deref())
                    .map_err(SessionError::KafkaSink)?;
        }
        // `toTable` creates the table when the query starts, as Delta does (version 0), so it
        // can be read before the first batch.
        if let crate::streams::query::sink::Sink::Table { name } = &spec.sink {
            if spec.mode == crate::streams::plan::OutputMode::Update {
                return Err(SessionError::Sink(
                    "Data source org.apache.spark.sql.delta.sources.DeltaDataSource does not support Update output mode".into(),
                ));
            }
            let mut catalog = self.catalog.borrow_mut();
            if let Some(table) = catalog.table(name) {
                let same = table.schema.len() == analyzed.schema.len()
                    && table.schema.iter().zip(&analyzed.schema).all(|(a, b)| {
                        a.name.eq_ignore_ascii_case(&b.name) && a.data_type == b.data_type
                    });
                if !same {
                    let show = |fields: &[crate::streams::types::StructField]| {
                        crate::streams::types::DataType::Struct(fields.to_vec()).simple_string()
                    };
                    return Err(SessionError::Sink(format!(
                        "A schema mismatch detected when writing to the Delta table {name}.\nTable schema: {}\nData schema: {}\nWrite to a new table, or drop this one (Brooklet keeps tables with the topics; delete the playground's data to start afresh).",
                        show(&table.schema),
                        show(&analyzed.schema)
                    )));
                }
            }
            if catalog.table(name).is_none() {
                let now = self.broker.borrow().now_ms();
                catalog.append(name, &analyzed.schema, Vec::new(), now, "CREATE TABLE");
            }
        }
        let ids = (self.uuid(), self.uuid());
        if spec.checkpoint.is_empty() {
            spec.checkpoint = format!("{TEMPORARY_CHECKPOINTS}{}", ids.0);
        }
        let location = spec.checkpoint.trim_end_matches('/').to_string();
        // Any session sharing the catalog (another terminal tab) counts, as a cluster's would.
        if self.catalog.borrow_mut().is_running(&location) {
            use crate::streams::checkpoint::CheckpointStore;
            let id = self
                .catalog
                .borrow()
                .checkpoints
                .read(&format!("{location}/metadata"))
                .and_then(|t| {
                    let v: serde_json::Value = serde_json::from_str(&t).ok()?;
                    v.get("id")?.as_str().map(str::to_string)
                })
                .unwrap_or_default();
            return Err(SessionError::AlreadyActive(id));
        }
        let mut query = StreamingQuery::start(
            spec,
            analyzed,
            analysis.sources,
            ids,
            &mut self.catalog.borrow_mut(),
        )?;
        query.initialize(&self.broker, &mut self.catalog.borrow_mut());
        self.catalog
            .borrow_mut()
            .running
            .push((location, query.running_flag()));
        self.queries.push(query);
        Ok(self.queries.len() - 1)
    }

    /// The queries started in this session, by handle.
    pub fn queries(&self) -> &[StreamingQuery] {
        &self.queries
    }

    /// A query by handle.
    pub fn query(&self, handle: usize) -> Option<&StreamingQuery> {
        self.queries.get(handle)
    }

    /// `query.stop()`. A query without a `checkpointLocation` ran over a temporary one,
    /// which is deleted, as Spark deletes it when such a query stops: started again, the query
    /// begins afresh from its `startingOffsets`.
    pub fn stop(&mut self, handle: usize) {
        use crate::streams::checkpoint::CheckpointStore;
        let Some(q) = self.queries.get_mut(handle) else {
            return;
        };
        q.stop();
        let location = q.spec.checkpoint.trim_end_matches('/');
        if location.starts_with(TEMPORARY_CHECKPOINTS) {
            let mut catalog = self.catalog.borrow_mut();
            let prefix = format!("{location}/");
            for path in catalog.checkpoints.list(&prefix) {
                catalog.checkpoints.remove(&path);
            }
        }
    }

    /// One step of query `handle` if its trigger is due (or at once with `force`, as
    /// `processAllAvailable` does not wait for a processing-time interval).
    pub fn step(&mut self, handle: usize, force: bool) -> Step {
        let broker = SharedBroker::clone(&self.broker);
        let groups = SharedGroups::clone(&self.groups);
        let producers = Rc::clone(&self.producers);
        let new_producer = move || producers(SharedBroker::clone(&broker));
        let mut catalog = self.catalog.borrow_mut();
        let Some(query) = self.queries.get_mut(handle) else {
            return Step::default();
        };
        let mut env = QueryEnv {
            broker: &self.broker,
            groups: &groups,
            catalog: &mut catalog,
            memory_tables: &mut self.memory_tables,
            new_producer: &new_producer,
        };
        query.step(&mut env, force)
    }

    /// Steps every active query whose trigger is due, once; returns what console sinks printed.
    pub fn tick(&mut self) -> String {
        let mut out = String::new();
        for handle in 0..self.queries.len() {
            out.push_str(&self.step(handle, false).output);
        }
        out
    }

    /// `query.processAllAvailable()`: runs query `handle`'s batches until it has read every
    /// record available now (and run the batch a moved watermark asks for). Returns what its
    /// console sink printed, or why it stopped.
    pub fn process_all_available(&mut self, handle: usize) -> Result<String, SessionError> {
        let mut out = String::new();
        // Each batch reads at least one offset or moves the watermark, so this ends; the bound
        // is a guard against a query that plans without progress.
        for _ in 0..1_000_000 {
            let Some(q) = self.queries.get(handle) else {
                break;
            };
            if !q.active {
                break;
            }
            let step = self.step(handle, true);
            out.push_str(&step.output);
            if step.waiting_for_storage {
                return Err(SessionError::StillLoading);
            }
            if step.waiting_for_store {
                return Err(SessionError::WaitingForStore);
            }
            if !step.ran {
                break;
            }
        }
        match self.queries.get(handle).and_then(|q| q.exception.clone()) {
            Some(why) => Err(SessionError::Stopped(why)),
            None => Ok(out),
        }
    }
}

/// The offsets a batch read (`spark.read…load()`) covers: from `startingOffsets` to
/// `endingOffsets`, resolved against the log now. A static side of a streaming query reads
/// them again in every micro-batch, as Spark re-runs a static plan.
pub fn batch_ranges(
    broker: &SharedBroker,
    options: &crate::streams::kafka::KafkaSourceOptions,
) -> Vec<OffsetRange> {
    let parts = partitions_of(broker, &options.strategy);
    let earliest = offsets_of(broker, &parts, true);
    let latest = offsets_of(broker, &parts, false);
    // A partition a JSON limit leaves out starts at its earliest offset and ends at its latest.
    let pick = |limit: &OffsetLimit, tp: &(String, i32), missing_is_latest: bool| -> i64 {
        let e = earliest.0.get(tp).copied().unwrap_or(0);
        let l = latest.0.get(tp).copied().unwrap_or(0);
        match limit {
            OffsetLimit::Earliest => e,
            OffsetLimit::Latest => l,
            OffsetLimit::Specific(o) => match o.0.get(tp).copied() {
                Some(crate::streams::kafka::offsets::EARLIEST) => e,
                Some(crate::streams::kafka::offsets::LATEST) => l,
                Some(n) => n,
                None if missing_is_latest => l,
                None => e,
            },
        }
    };
    parts
        .iter()
        .map(|tp| OffsetRange {
            topic: tp.0.clone(),
            partition: tp.1,
            from: pick(&options.starting, tp, false),
            until: pick(&options.ending, tp, true),
        })
        .collect()
}
