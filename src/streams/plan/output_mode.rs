//! Which output modes a streaming query may use, as Spark's `UnsupportedOperationChecker`
//! decides (Spark 3.5, with its texts), checked when `writeStream…start()` is called.
//!
//! The rules, as a table over the facts of a plan:
//!
//! | plan | append | update | complete |
//! |---|---|---|---|
//! | no streaming aggregation | yes | yes | no: "Complete output mode not supported when there are no streaming aggregations…" |
//! | an aggregation keyed by a watermarked event time | yes (a group is emitted once the watermark passes it) | yes | yes |
//! | an aggregation without such a key | no: "Append output mode not supported when there are streaming aggregations … without watermark" | yes | yes |
//! | more than one streaming aggregation | no: "Multiple streaming aggregations are not supported…" | no | no |
//! | a sort | only after an aggregation in complete mode | | |

use std::fmt;

use super::Plan;
use crate::streams::sql::ast::Expr;

/// `outputMode("append" | "update" | "complete")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Only new rows, each once (the default).
    Append,
    /// Rows that changed in this micro-batch.
    Update,
    /// The whole result, every micro-batch.
    Complete,
}

impl OutputMode {
    /// Reads `outputMode`'s argument as Spark does (case-insensitive).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "append" => Some(OutputMode::Append),
            "update" => Some(OutputMode::Update),
            "complete" => Some(OutputMode::Complete),
            _ => None,
        }
    }
}

impl fmt::Display for OutputMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputMode::Append => "Append",
            OutputMode::Update => "Update",
            OutputMode::Complete => "Complete",
        })
    }
}

/// An output mode the plan cannot use: Spark's `AnalysisException` texts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputModeError {
    /// Append over an aggregation whose keys hold no watermarked event time.
    #[error("{0} output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark")]
    AggregationWithoutWatermark(OutputMode),
    /// Complete without an aggregation.
    #[error("{0} output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets")]
    NoAggregation(OutputMode),
    /// `count(DISTINCT …)` in a streaming aggregation.
    #[error("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.")]
    DistinctAggregation,
    /// Two aggregations in one streaming plan.
    #[error(
        "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets"
    )]
    MultipleAggregations,
    /// A sort outside complete mode after an aggregation.
    #[error("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode")]
    Sort,
}

/// What the output-mode rules look at in a plan.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StreamingFacts {
    /// Streaming aggregations (including `distinct`).
    pub aggregations: usize,
    /// Whether the (first) aggregation is keyed by a watermarked column or a window over it.
    pub keyed_by_watermark: bool,
    /// Whether a streaming aggregation has a `DISTINCT` aggregate.
    pub distinct_aggregate: bool,
    /// Whether a sort sits on a streaming input.
    pub sort: bool,
    /// Whether that sort is above the aggregation.
    pub sort_after_aggregation: bool,
}

impl StreamingFacts {
    /// Collects the facts of a streaming plan.
    pub fn of(plan: &Plan) -> Self {
        let mut facts = StreamingFacts::default();
        collect(plan, &mut facts, &mut Vec::new());
        facts
    }
}

fn collect(plan: &Plan, facts: &mut StreamingFacts, watermarks: &mut Vec<String>) {
    if !plan.is_streaming() {
        return;
    }
    match plan {
        Plan::Watermark { input, column, .. } => {
            watermarks.push(column.to_ascii_lowercase());
            collect(input, facts, watermarks);
            return;
        }
        Plan::Aggregate {
            input,
            keys,
            items,
            having,
        } => {
            facts.distinct_aggregate |= items.iter().chain(having).any(has_distinct_call);
            // The watermark is declared below the aggregation: look there first.
            let mut below = Vec::new();
            collect(input, facts, &mut below);
            facts.aggregations += 1;
            if facts.aggregations == 1 {
                facts.keyed_by_watermark = keys.iter().any(|k| uses_column(k, &below));
            }
            watermarks.extend(below);
            return;
        }
        Plan::Distinct { input } => {
            collect(input, facts, watermarks);
            facts.aggregations += 1;
            return;
        }
        Plan::Sort { input, .. } => {
            facts.sort = true;
            let mut inner = StreamingFacts::default();
            collect(input, &mut inner, watermarks);
            facts.sort_after_aggregation = inner.aggregations > 0;
            facts.aggregations += inner.aggregations;
            facts.keyed_by_watermark |= inner.keyed_by_watermark;
            return;
        }
        _ => {}
    }
    for input in plan.inputs() {
        collect(input, facts, watermarks);
    }
}

/// Whether an expression calls a function with `DISTINCT` (`count(DISTINCT x)`).
fn has_distinct_call(e: &Expr) -> bool {
    let mut found = false;
    let _ = crate::streams::sql::visit::map_children(e, &mut |c| {
        found |= has_distinct_call(c);
        c.clone()
    });
    found || matches!(e, Expr::Function { distinct: true, .. })
}

/// Whether a grouping key is a watermarked column, or `window(column, …)` over one.
fn uses_column(key: &Expr, watermarked: &[String]) -> bool {
    match key {
        Expr::Column(path) => path
            .last()
            .is_some_and(|name| watermarked.contains(&name.to_ascii_lowercase())),
        Expr::Alias(inner, _) => uses_column(inner, watermarked),
        Expr::Function { name, args, .. } if name.eq_ignore_ascii_case("window") => {
            args.first().is_some_and(|a| uses_column(a, watermarked))
        }
        _ => false,
    }
}

/// Checks a streaming plan's output mode, in Spark's order.
pub fn check_output_mode(plan: &Plan, mode: OutputMode) -> Result<(), OutputModeError> {
    let facts = StreamingFacts::of(plan);
    check_facts(&facts, mode)
}

/// The rules over collected facts (the table in this module's documentation).
pub fn check_facts(facts: &StreamingFacts, mode: OutputMode) -> Result<(), OutputModeError> {
    if facts.distinct_aggregate {
        return Err(OutputModeError::DistinctAggregation);
    }
    if facts.aggregations > 1 {
        return Err(OutputModeError::MultipleAggregations);
    }
    match mode {
        OutputMode::Append if facts.aggregations > 0 && !facts.keyed_by_watermark => {
            return Err(OutputModeError::AggregationWithoutWatermark(mode))
        }
        OutputMode::Complete if facts.aggregations == 0 => {
            return Err(OutputModeError::NoAggregation(mode))
        }
        _ => {}
    }
    if facts.sort && !(facts.sort_after_aggregation && mode == OutputMode::Complete) {
        return Err(OutputModeError::Sort);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of this module, row by row: facts, mode, and the error Spark gives (or none).
    #[test]
    fn each_output_mode_is_allowed_or_refused_as_spark_decides() {
        let plain = StreamingFacts::default();
        let agg = StreamingFacts {
            aggregations: 1,
            ..StreamingFacts::default()
        };
        let windowed = StreamingFacts {
            keyed_by_watermark: true,
            ..agg.clone()
        };
        let sorted_agg = StreamingFacts {
            sort: true,
            sort_after_aggregation: true,
            ..agg.clone()
        };
        let sorted_plain = StreamingFacts {
            sort: true,
            ..plain.clone()
        };
        let two = StreamingFacts {
            aggregations: 2,
            ..StreamingFacts::default()
        };
        use OutputMode::*;
        let distinct = StreamingFacts {
            distinct_aggregate: true,
            ..agg.clone()
        };
        let cases: [(&StreamingFacts, OutputMode, Option<&str>); 13] = [
            (&plain, Append, None),
            (&plain, Update, None),
            (&plain, Complete, Some("Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets")),
            (&agg, Append, Some("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark")),
            (&agg, Update, None),
            (&agg, Complete, None),
            (&windowed, Append, None),
            (&windowed, Update, None),
            (&sorted_agg, Complete, None),
            (&sorted_agg, Update, Some("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode")),
            (&sorted_plain, Append, Some("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode")),
            (&two, Complete, Some("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets")),
            (&distinct, Complete, Some("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.")),
        ];
        for (facts, mode, want) in cases {
            let got = check_facts(facts, mode).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "{facts:?} in {mode}");
        }
    }
}
