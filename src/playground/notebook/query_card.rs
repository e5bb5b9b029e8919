//! [`QueryCard`]: what the Streams page shows of one streaming query — its status, its plan as
//! a small graph from source to sink with each operator's rows in the last batch, its
//! micro-batches on a timeline, Spark's `StreamingQueryProgress` figures, the state store's
//! groups, and its console sink's last batches.
//!
//! Owns the card's rows and their wording. Must not change the query (the notebook steps and
//! stops it) nor render (the page does).

use crate::streams::exec::describe::StateTable;
use crate::streams::query::progress::{iso_millis, Progress};
use crate::streams::query::StreamingQuery;
use crate::streams::shell::PyValue;

/// How many micro-batches the timeline shows (the newest).
pub const TIMELINE_BATCHES: usize = 30;

/// How many groups of each stateful operator the card lists.
pub const STATE_ROWS_SHOWN: usize = 50;

/// Whether the query runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryStatus {
    /// It runs.
    Active,
    /// `query.stop()` stopped it.
    Stopped,
    /// It ended with an exception (`query.exception()`).
    Failed(String),
}

/// One box of the plan graph, in data-flow order (source first, sink last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanNode {
    /// Spark's operator name (`MicroBatchScan`, `Project`, `StateStoreSave`, and
    /// `WriteToDataSourceV2` for the sink).
    pub name: String,
    /// What it does (`KafkaV2[Subscribe[orders]]`, `keys customer_id · count(1)`).
    pub detail: String,
    /// Rows it produced in the last batch (`None` before the first).
    pub rows: Option<u64>,
    /// How far it sits from the main line (a join's other side is indented).
    pub branch: usize,
    /// Whether it keeps state between batches.
    pub stateful: bool,
}

/// One micro-batch on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchBar {
    /// `batchId`.
    pub batch_id: u64,
    /// `numInputRows`.
    pub input_rows: u64,
    /// `sink.numOutputRows`.
    pub output_rows: u64,
    /// Rows the watermark dropped as late.
    pub dropped: u64,
    /// `durationMs.triggerExecution`.
    pub duration_ms: i64,
    /// The bar's height as a share of the tallest bar, 0–100.
    pub height_percent: u8,
}

/// One of the progress figures, with what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Spark's name for it (`numInputRows`).
    pub name: &'static str,
    /// Its value as text.
    pub value: String,
}

/// Everything the page shows of one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCard {
    /// Its handle in the notebook's session (the buttons' target).
    pub handle: usize,
    /// `queryName`, or `query N` when it has none.
    pub title: String,
    /// Its id (kept in the checkpoint).
    pub id: String,
    /// Whether it runs.
    pub status: QueryStatus,
    /// `query.status["message"]`.
    pub status_message: String,
    /// The plan, source to sink.
    pub plan: Vec<PlanNode>,
    /// The newest micro-batches, oldest first.
    pub batches: Vec<BatchBar>,
    /// The last progress's figures (empty before the first batch).
    pub figures: Vec<Figure>,
    /// The last progress as Spark's `prettyJson`.
    pub progress_json: Option<String>,
    /// The state store.
    pub states: Vec<StateTable>,
    /// The console sink's last batches.
    pub console: Vec<String>,
    /// Whether the query has a watermark (a late event can be sent).
    pub has_watermark: bool,
    /// The source's partitions and the next offset the query reads in each.
    pub positions: Vec<(String, i32, i64)>,
    /// The topics it subscribes to by name.
    pub subscribed: Vec<String>,
    /// Those of them that do not exist (the engine fills this in: a card cannot see the
    /// broker): Spark waits for them without a word, so the card says it.
    pub missing_topics: Vec<String>,
}

impl QueryCard {
    /// The card of `query` (handle `handle`), with its console sink's last batches.
    pub fn of(handle: usize, query: &StreamingQuery, console: &[String]) -> Self {
        let status = match (&query.exception, query.active) {
            (Some(why), _) => QueryStatus::Failed(why.clone()),
            (None, true) => QueryStatus::Active,
            (None, false) => QueryStatus::Stopped,
        };
        QueryCard {
            handle,
            title: query
                .spec
                .name
                .clone()
                .unwrap_or_else(|| format!("query {}", handle + 1)),
            id: query.id.clone(),
            status,
            status_message: query.status_message.clone(),
            plan: plan_nodes(query),
            batches: timeline(&query.progress),
            figures: query.progress.last().map(figures).unwrap_or_default(),
            progress_json: query.progress.last().map(|p| pretty_json(&p.to_py(), 0)),
            states: query.state_store(STATE_ROWS_SHOWN),
            console: console.to_vec(),
            has_watermark: query.has_watermark(),
            positions: query.source_positions(),
            subscribed: query.subscribed_topics(),
            missing_topics: Vec::new(),
        }
    }

    /// Whether the query runs.
    pub fn is_active(&self) -> bool {
        self.status == QueryStatus::Active
    }
}

/// The plan in data-flow order: the operators from the leaves up (the reverse of their
/// pre-order), then the sink. A node deeper than the one after it sits on a side branch.
fn plan_nodes(query: &StreamingQuery) -> Vec<PlanNode> {
    let operators = query.plan_operators();
    let depths: Vec<usize> = operators.iter().map(|(n, _)| n.depth).collect();
    let on_main = main_line(&depths);
    let mut nodes: Vec<PlanNode> = operators
        .iter()
        .zip(&on_main)
        .rev()
        .map(|((node, rows), main)| PlanNode {
            name: node.name.to_owned(),
            detail: node.detail.clone(),
            rows: *rows,
            // Pre-order puts a join's right side last; reversed, it comes first, drawn
            // aside from the main line (the path through each operator's first input).
            branch: usize::from(!main),
            stateful: node.stateful,
        })
        .collect();
    nodes.push(PlanNode {
        name: "WriteToDataSourceV2".to_owned(),
        detail: short_sink(&query.sink_description()),
        rows: query.progress.last().map(|p| p.sink_output_rows),
        branch: 0,
        stateful: false,
    });
    nodes
}

/// Which nodes of a pre-order walk (given by depth) lie on the path from the root through
/// each first child.
fn main_line(depths: &[usize]) -> Vec<bool> {
    let mut on = vec![false; depths.len()];
    let mut expected = 0;
    for (i, &d) in depths.iter().enumerate() {
        if d == expected && (i == 0 || on[i - 1]) {
            on[i] = true;
            expected += 1;
        }
    }
    on
}

/// The sink's class name without its package (`ConsoleTable$` → `console`).
fn short_sink(description: &str) -> String {
    let class = description.rsplit('.').next().unwrap_or(description);
    match class {
        "ConsoleTable$" => "console".to_owned(),
        "KafkaTable" => "kafka".to_owned(),
        other => other.to_owned(),
    }
}

fn timeline(progress: &[Progress]) -> Vec<BatchBar> {
    let shown = &progress[progress.len().saturating_sub(TIMELINE_BATCHES)..];
    let tallest = shown
        .iter()
        .map(|p| p.num_input_rows)
        .max()
        .unwrap_or(0)
        .max(1);
    shown
        .iter()
        .map(|p| BatchBar {
            batch_id: p.batch_id,
            input_rows: p.num_input_rows,
            output_rows: p.sink_output_rows,
            dropped: dropped(p),
            duration_ms: p.trigger_execution_ms,
            height_percent: u8::try_from(p.num_input_rows * 100 / tallest).unwrap_or(100),
        })
        .collect()
}

fn dropped(p: &Progress) -> u64 {
    p.state_operators
        .iter()
        .map(|s| s.num_rows_dropped_by_watermark)
        .sum()
}

fn rate(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "—".to_owned()
    }
}

fn figures(p: &Progress) -> Vec<Figure> {
    let mut out = vec![
        Figure {
            name: "batchId",
            value: p.batch_id.to_string(),
        },
        Figure {
            name: "numInputRows",
            value: p.num_input_rows.to_string(),
        },
        Figure {
            name: "inputRowsPerSecond",
            value: rate(p.input_rows_per_second),
        },
        Figure {
            name: "processedRowsPerSecond",
            value: rate(p.processed_rows_per_second),
        },
        Figure {
            name: "durationMs.triggerExecution",
            value: p.trigger_execution_ms.to_string(),
        },
    ];
    if let Some(wm) = p.watermark_ms {
        out.push(Figure {
            name: "eventTime.watermark",
            value: iso_millis(wm),
        });
    }
    if !p.state_operators.is_empty() {
        out.push(Figure {
            name: "stateOperators.numRowsTotal",
            value: p
                .state_operators
                .iter()
                .map(|s| s.num_rows_total)
                .sum::<u64>()
                .to_string(),
        });
        out.push(Figure {
            name: "stateOperators.numRowsDroppedByWatermark",
            value: dropped(p).to_string(),
        });
    }
    for s in &p.sources {
        out.push(Figure {
            name: "sources.description",
            value: s.description.clone(),
        });
        out.push(Figure {
            name: "sources.startOffset",
            value: s
                .start_offset
                .as_ref()
                .map_or_else(|| "null".to_owned(), |o| o.to_json()),
        });
        out.push(Figure {
            name: "sources.endOffset",
            value: s.end_offset.to_json(),
        });
        out.push(Figure {
            name: "sources.latestOffset",
            value: s.latest_offset.to_json(),
        });
    }
    out.push(Figure {
        name: "sink.numOutputRows",
        value: p.sink_output_rows.to_string(),
    });
    out
}

/// A progress dict as Spark's `prettyJson` lays it out: two-space indents, `" : "` between a
/// key and its value (Jackson's default pretty printer).
fn pretty_json(value: &PyValue, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    let close = "  ".repeat(indent);
    match value {
        PyValue::Dict(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .filter(|(_, v)| !matches!(v, PyValue::Float(x) if !x.is_finite()))
                .map(|(k, v)| {
                    format!(
                        "{pad}{} : {}",
                        serde_json::Value::from(k.as_str()),
                        pretty_json(v, indent + 1)
                    )
                })
                .collect();
            if inner.is_empty() {
                "{ }".to_owned()
            } else {
                format!("{{\n{}\n{close}}}", inner.join(",\n"))
            }
        }
        PyValue::List(items) if items.is_empty() => "[ ]".to_owned(),
        // Jackson writes arrays on one line (`[ 1, 2 ]`), and an object in an array at the
        // array's own depth: `[ {` … `}, {` … `} ]`.
        PyValue::List(items) => {
            let inner: Vec<String> = items.iter().map(|v| pretty_json(v, indent)).collect();
            format!("[ {} ]", inner.join(", "))
        }
        other => other.json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_line_runs_through_each_first_child() {
        // Join(Project(Source), Rows): pre-order depths 0, 1, 2, 1.
        assert_eq!(main_line(&[0, 1, 2, 1]), [true, true, true, false]);
        // A straight line.
        assert_eq!(main_line(&[0, 1, 2]), [true, true, true]);
    }

    #[test]
    fn sinks_are_named_by_their_short_names() {
        assert_eq!(
            short_sink("org.apache.spark.sql.execution.streaming.ConsoleTable$"),
            "console"
        );
        assert_eq!(short_sink("MemorySink"), "MemorySink");
        assert_eq!(
            short_sink("org.apache.spark.sql.kafka010.KafkaTable"),
            "kafka"
        );
    }

    #[test]
    fn an_array_of_objects_prints_as_sparks_logged_progress_does() {
        let operator = |n: i64| PyValue::Dict(vec![("numRowsTotal".into(), PyValue::Int(n))]);
        let value = PyValue::Dict(vec![
            (
                "stateOperators".into(),
                PyValue::List(vec![operator(4), operator(7)]),
            ),
            (
                "ids".into(),
                PyValue::List(vec![PyValue::Int(1), PyValue::Int(2)]),
            ),
        ]);
        assert_eq!(
            pretty_json(&value, 0),
            "{\n  \"stateOperators\" : [ {\n    \"numRowsTotal\" : 4\n  }, {\n    \"numRowsTotal\" : 7\n  } ],\n  \"ids\" : [ 1, 2 ]\n}"
        );
    }

    #[test]
    fn progress_prints_as_jacksons_pretty_json() {
        let value = PyValue::Dict(vec![
            ("batchId".into(), PyValue::Int(3)),
            ("stateOperators".into(), PyValue::List(Vec::new())),
            (
                "sink".into(),
                PyValue::Dict(vec![("numOutputRows".into(), PyValue::Int(2))]),
            ),
        ]);
        assert_eq!(
            pretty_json(&value, 0),
            "{\n  \"batchId\" : 3,\n  \"stateOperators\" : [ ],\n  \"sink\" : {\n    \"numOutputRows\" : 2\n  }\n}"
        );
    }
}
