//! The logical plan: what a DataFrame is before it runs — a tree of Spark's operators over
//! unresolved expressions, built by the PySpark calls and by `spark.sql`.
//!
//! Owns the plan's shape and the rules that depend only on it (which output modes a streaming
//! query may use). Must not evaluate rows: resolving names and running a plan belong to the
//! analyzer and the executor.

pub mod output_mode;

use std::rc::Rc;

use crate::streams::kafka::KafkaSourceOptions;
use crate::streams::sql::ast::{Expr, JoinConstraint, JoinKind, OrderBy};
use crate::streams::types::StructField;
use crate::streams::value::Row;

pub use output_mode::{check_output_mode, OutputMode, OutputModeError};

/// One operator of a logical plan, with its inputs.
#[derive(Debug, Clone)]
pub enum Plan {
    /// `spark.read`/`readStream.format("kafka")…load()`.
    Kafka {
        /// The checked options.
        options: Rc<KafkaSourceOptions>,
        /// `readStream` (micro-batches) rather than `read` (one batch).
        streaming: bool,
    },
    /// Rows known when the plan was built: a table's current version, `spark.createDataFrame`.
    Rows {
        /// The rows' schema.
        schema: Vec<StructField>,
        /// The rows.
        rows: Rc<Vec<Row>>,
        /// The name it is shown by in errors and plans (a table's name).
        name: String,
    },
    /// `select` / `selectExpr` / a SQL select list.
    Project {
        /// The input.
        input: Rc<Plan>,
        /// The output columns, each maybe `Expr::Alias`; may hold one generator (`explode`).
        items: Vec<Expr>,
    },
    /// `filter` / `where` / SQL `WHERE` and `HAVING` over non-aggregates.
    Filter {
        /// The input.
        input: Rc<Plan>,
        /// The condition; rows where it is not true are dropped.
        condition: Expr,
    },
    /// `groupBy(…).agg(…)` / SQL `GROUP BY` (or an aggregate select list without one).
    Aggregate {
        /// The input.
        input: Rc<Plan>,
        /// The grouping keys.
        keys: Vec<Expr>,
        /// The output columns: keys and aggregate functions, maybe inside expressions.
        items: Vec<Expr>,
        /// SQL `HAVING`, over the output (and the aggregates it names).
        having: Option<Expr>,
    },
    /// `orderBy` / `sort` / SQL `ORDER BY`.
    Sort {
        /// The input.
        input: Rc<Plan>,
        /// The keys, most significant first.
        keys: Vec<OrderBy>,
    },
    /// `limit(n)` / SQL `LIMIT`.
    Limit {
        /// The input.
        input: Rc<Plan>,
        /// At most this many rows.
        n: u64,
    },
    /// `distinct()` / `SELECT DISTINCT`.
    Distinct {
        /// The input.
        input: Rc<Plan>,
    },
    /// `join` / SQL joins.
    Join {
        /// The left side.
        left: Rc<Plan>,
        /// The right side.
        right: Rc<Plan>,
        /// The join's kind.
        kind: JoinKind,
        /// How rows match.
        constraint: JoinConstraint,
    },
    /// `alias("o")` / a FROM alias: columns may be named `o.x`.
    Alias {
        /// The input.
        input: Rc<Plan>,
        /// The qualifier.
        name: String,
    },
    /// `withWatermark("timestamp", "10 minutes")`.
    Watermark {
        /// The input.
        input: Rc<Plan>,
        /// The event-time column.
        column: String,
        /// The delay as written (`10 minutes`).
        delay: String,
        /// The delay in microseconds.
        delay_micros: i64,
    },
}

impl Plan {
    /// The operator's inputs.
    pub fn inputs(&self) -> Vec<&Rc<Plan>> {
        match self {
            Plan::Kafka { .. } | Plan::Rows { .. } => Vec::new(),
            Plan::Project { input, .. }
            | Plan::Filter { input, .. }
            | Plan::Aggregate { input, .. }
            | Plan::Sort { input, .. }
            | Plan::Limit { input, .. }
            | Plan::Distinct { input }
            | Plan::Alias { input, .. }
            | Plan::Watermark { input, .. } => vec![input],
            Plan::Join { left, right, .. } => vec![left, right],
        }
    }

    /// Whether any source of the plan is a stream (`readStream`): such a plan runs only as a
    /// streaming query (`writeStream…start()`).
    pub fn is_streaming(&self) -> bool {
        match self {
            Plan::Kafka { streaming, .. } => *streaming,
            _ => self.inputs().iter().any(|p| p.is_streaming()),
        }
    }
}
