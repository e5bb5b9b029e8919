//! [`AnalysisError`]: why a DataFrame cannot run, with Spark 3.5's texts.

use crate::streams::eval::EvalError;
use crate::streams::interval::IntervalError;
use crate::streams::sql::SqlError;

/// A plan the analyzer refuses.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AnalysisError {
    /// An expression does not resolve.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// A schema string (`from_json`'s) does not parse.
    #[error(transparent)]
    Sql(#[from] SqlError),
    /// An interval (`window`, `withWatermark`) does not read.
    #[error(transparent)]
    Interval(#[from] IntervalError),
    /// A select item of an aggregation uses a column that is not grouped.
    #[error("[MISSING_AGGREGATION] The non-aggregating expression \"{0}\" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({0})\" if you do not care which of the values within a group is returned.")]
    MissingAggregation(String),
    /// An aggregate inside another.
    #[error("[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.")]
    NestedAggregate,
    /// An aggregate where rows are not grouped (`WHERE`, `select` without `groupBy`).
    #[error("[INVALID_WHERE_CONDITION] The WHERE condition \"{0}\" contains invalid expressions: {1}.\nRewrite the query to avoid window functions, aggregate functions, and generator functions in the WHERE clause.")]
    AggregateInWhere(String, String),
    /// An aggregate function where no aggregation is possible.
    #[error("Aggregate function {0} is only allowed in a select list or agg() over grouped rows (groupBy(...).agg(...) or a SQL query with GROUP BY).")]
    AggregateOutsideAggregation(String),
    /// A generator outside a select list.
    #[error("[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the SELECT clause, found: {0}.")]
    GeneratorOutsideSelect(String),
    /// Two generators in one select list.
    #[error("[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one generator allowed per SELECT clause but found {0}: {1}.")]
    MultipleGenerators(usize, String),
    /// A generator nested in an expression.
    #[error("[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested in expressions \"{0}\".")]
    NestedGenerator(String),
    /// `window(...)` outside `groupBy`.
    #[error("window() groups rows by time: use it in groupBy(...) or GROUP BY (Brooklet supports it only there).")]
    WindowOutsideGroupBy,
    /// `window(...)`'s arguments.
    #[error("window() takes a timestamp column, a duration such as '10 minutes', and optionally a slide and a start offset; {0}")]
    BadWindow(String),
    /// `withWatermark` on a column that is not a timestamp.
    #[error(
        "Event time must be defined on a window or a timestamp, but {column} is of type {type_sql}"
    )]
    WatermarkNotTimestamp {
        /// The column, quoted.
        column: String,
        /// Its type.
        type_sql: String,
    },
    /// A filter that is not a boolean.
    #[error("[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve \"{0}\" due to data type mismatch: Filter expression \"{0}\" of type \"{1}\" is not a boolean.")]
    FilterNotBoolean(String, String),
    /// A join's `USING` column missing on one side.
    #[error("[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{column}` cannot be resolved on the {side} side of the join. The {side}-side columns: [{columns}].")]
    UsingColumn {
        /// The column.
        column: String,
        /// `left` or `right`.
        side: &'static str,
        /// That side's columns, quoted.
        columns: String,
    },
    /// A stream joined with a stream, or a streaming outer join Brooklet does not run.
    #[error("Joining two streams is not supported in Brooklet: join a stream with a static DataFrame (spark.read or a table), as the course does.")]
    StreamStreamJoin,
}
