//! [`Physical`]: a plan after analysis — every name resolved to a column position, every
//! expression typed — ready to run on a batch of input rows.

use std::rc::Rc;

use super::aggregate_fn::Aggregate;
use crate::streams::eval::BoundExpr;
use crate::streams::sql::ast::JoinKind;
use crate::streams::types::StructField;
use crate::streams::value::Row;

/// One column of a select list after analysis.
#[derive(Debug, Clone)]
pub enum ProjectItem {
    /// An expression, one value per input row.
    Expr(BoundExpr),
    /// `explode(array)` / `explode(map)` (`posexplode` with `position`): one output row per
    /// element; a null or empty input gives none (`explode_outer` gives one row of nulls).
    Explode {
        /// The array or map.
        input: BoundExpr,
        /// Whether it is a map (two output columns, `key` and `value`).
        map: bool,
        /// `posexplode`: a `pos` column first.
        position: bool,
        /// `explode_outer`.
        outer: bool,
    },
}

/// A grouping key.
#[derive(Debug, Clone)]
pub enum GroupKey {
    /// A value per row.
    Expr(BoundExpr),
    /// `window(time, size[, slide[, start]])`: every window of `size` microseconds, starting at
    /// multiples of `slide` (plus `start`), that holds the row's time. Its value is
    /// `struct<start: timestamp, end: timestamp>`.
    Window {
        /// The event time.
        time: BoundExpr,
        /// The window's length (µs).
        size: i64,
        /// The distance between window starts (µs); `size` for tumbling windows.
        slide: i64,
        /// The offset of window starts from the epoch (µs).
        start: i64,
    },
}

/// One aggregate of an aggregation: the function and its argument (`None` for `count(*)`).
#[derive(Debug, Clone)]
pub struct AggregateCall {
    /// The function, bound to its input type.
    pub function: Aggregate,
    /// Its argument over the aggregation's input.
    pub argument: Option<BoundExpr>,
}

/// One sort key.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// The key.
    pub expr: BoundExpr,
    /// Ascending.
    pub ascending: bool,
    /// Nulls first.
    pub nulls_first: bool,
}

/// A resolved operator and its inputs.
#[derive(Debug, Clone)]
pub enum Physical {
    /// The rows of source `id` for this run (a Kafka read).
    Source {
        /// The source's position in the query's source list.
        id: usize,
    },
    /// Rows known in advance.
    Rows(Rc<Vec<Row>>),
    /// A select list.
    Project {
        /// The input.
        input: Box<Physical>,
        /// The output columns (at most one generator).
        items: Vec<ProjectItem>,
    },
    /// Keeps rows whose condition is true.
    Filter {
        /// The input.
        input: Box<Physical>,
        /// The condition.
        condition: BoundExpr,
    },
    /// Groups and aggregates. Its output is `output` evaluated over `keys ++ aggregates`.
    Aggregate {
        /// The input.
        input: Box<Physical>,
        /// The grouping keys.
        keys: Vec<GroupKey>,
        /// The aggregates.
        aggregates: Vec<AggregateCall>,
        /// The output columns, over the keys' then the aggregates' values.
        output: Vec<BoundExpr>,
        /// `HAVING`, over the same.
        having: Option<BoundExpr>,
        /// For a streaming aggregation: the key whose value is compared with the watermark
        /// (a window's end, or a watermarked column), if any.
        event_time_key: Option<usize>,
        /// The position of this stateful operator in the query (its state's id).
        state_id: usize,
        /// Its state's columns, named as in a select list (`customer_id`, `count(1)`): the
        /// keys, then the aggregates (the Streams page shows the state store with them).
        state_columns: Vec<StructField>,
    },
    /// Orders rows.
    Sort {
        /// The input.
        input: Box<Physical>,
        /// The keys, most significant first.
        keys: Vec<SortKey>,
    },
    /// At most `n` rows.
    Limit {
        /// The input.
        input: Box<Physical>,
        /// The limit.
        n: u64,
    },
    /// Distinct rows.
    Distinct {
        /// The input.
        input: Box<Physical>,
        /// Its state's id when streaming.
        state_id: usize,
    },
    /// A join; `condition` is over the left row's columns followed by the right's.
    Join {
        /// The left side.
        left: Box<Physical>,
        /// The right side.
        right: Box<Physical>,
        /// The kind.
        kind: JoinKind,
        /// The condition (`None`: every pair).
        condition: Option<BoundExpr>,
        /// The left side's column count.
        left_width: usize,
        /// The right side's column count.
        right_width: usize,
        /// For `USING`: the right-side columns dropped from the output (they equal the left).
        drop_right: Vec<usize>,
    },
    /// Tracks the maximum event time of `column` for the watermark; rows pass unchanged.
    Watermark {
        /// The input.
        input: Box<Physical>,
        /// The event-time column.
        column: usize,
        /// The delay (µs).
        delay: i64,
    },
}
