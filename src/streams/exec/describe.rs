//! What a plan looks like to a learner: its operators in the order a run counts their rows
//! ([`operators`], the Streams page's plan graph with per-operator row counts) and a stateful
//! operator's groups as a table ([`state_table`], the page's state store).
//!
//! Owns the operators' names and their one-line details. The names are Spark's physical
//! operators', as its SQL tab shows them (`MicroBatchScan`, `Generate`, `StateStoreSave`, …),
//! except a join, which is `Join`: Spark picks a broadcast or a sort-merge join by the sides'
//! sizes, and Brooklet joins in one way. Must not run anything: it reads a plan and a state.

use super::physical::{Physical, ProjectItem};
use super::run::OperatorState;
use crate::streams::show::pretty_cell;
use crate::streams::sql::ast::JoinKind;
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

/// One operator of a plan, as the Streams page draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorNode {
    /// How deep it sits below the plan's root (0 is the root).
    pub depth: usize,
    /// Spark's name for it (`MicroBatchScan`, `Project`, `Generate`, `StateStoreSave`, …).
    pub name: &'static str,
    /// What it does, in one line (`KafkaV2[Subscribe[orders]]`, `keys customer_id`).
    pub detail: String,
    /// Whether it keeps state between micro-batches (its groups show in the state store).
    pub stateful: bool,
}

/// `plan`'s operators in pre-order (the root first; a join's left side before its right), the
/// order in which [`super::run::run`] counts each operator's rows. `sources` describes each
/// source by id (`KafkaV2[Subscribe[orders]]`) and whether it is read as a stream (a
/// stream-static join's other side is read whole, as a batch); `streaming` tells a query's
/// operators (their aggregations keep state) from a batch query's.
pub fn operators(
    plan: &Physical,
    sources: &[(String, bool)],
    streaming: bool,
) -> Vec<OperatorNode> {
    let mut nodes = Vec::new();
    walk(plan, sources, streaming, 0, &mut nodes);
    nodes
}

fn walk(
    plan: &Physical,
    sources: &[(String, bool)],
    streaming: bool,
    depth: usize,
    nodes: &mut Vec<OperatorNode>,
) {
    let node = |name: &'static str, detail: String, stateful: bool| OperatorNode {
        depth,
        name,
        detail,
        stateful,
    };
    let (this, inputs): (OperatorNode, Vec<&Physical>) = match plan {
        Physical::Source { id } => {
            let (description, streamed) = sources.get(*id).cloned().unwrap_or_default();
            let name = if streamed {
                "MicroBatchScan"
            } else {
                "BatchScan"
            };
            (node(name, description, false), Vec::new())
        }
        Physical::Rows(rows) => (
            node("LocalTableScan", plural(rows.len(), "row"), false),
            Vec::new(),
        ),
        Physical::Project { input, items } => {
            let generator = items
                .iter()
                .any(|i| matches!(i, ProjectItem::Explode { .. }));
            let detail = plural(items.len(), "column");
            if generator {
                (
                    node("Generate", format!("explode · {detail}"), false),
                    vec![input],
                )
            } else {
                (node("Project", detail, false), vec![input])
            }
        }
        Physical::Filter { input, .. } => (node("Filter", String::new(), false), vec![input]),
        Physical::Aggregate {
            input,
            keys,
            state_columns,
            ..
        } => {
            let names: Vec<&str> = state_columns.iter().map(|f| f.name.as_str()).collect();
            let (key_names, aggregate_names) = names.split_at(keys.len().min(names.len()));
            let mut detail = if key_names.is_empty() {
                "no keys".to_owned()
            } else {
                format!("keys {}", key_names.join(", "))
            };
            if !aggregate_names.is_empty() {
                detail.push_str(" · ");
                detail.push_str(&aggregate_names.join(", "));
            }
            let name = if streaming {
                "StateStoreSave"
            } else {
                "HashAggregate"
            };
            (node(name, detail, streaming), vec![input])
        }
        Physical::Sort { input, keys } => {
            (node("Sort", plural(keys.len(), "key"), false), vec![input])
        }
        Physical::Limit { input, n } => {
            let name = if streaming {
                "StreamingGlobalLimit"
            } else {
                "GlobalLimit"
            };
            (node(name, n.to_string(), false), vec![input])
        }
        Physical::Distinct { input, .. } => {
            // Spark plans a batch `DISTINCT` as an aggregation over every column.
            let (name, detail) = if streaming {
                ("StreamingDeduplicate", String::new())
            } else {
                ("HashAggregate", "distinct".to_owned())
            };
            (node(name, detail, streaming), vec![input])
        }
        Physical::Join {
            left, right, kind, ..
        } => {
            let kind = match kind {
                JoinKind::Inner => "inner",
                JoinKind::LeftOuter => "left outer",
                JoinKind::RightOuter => "right outer",
                JoinKind::FullOuter => "full outer",
                JoinKind::Cross => "cross",
            };
            (node("Join", kind.to_owned(), false), vec![left, right])
        }
        Physical::Watermark { input, delay, .. } => (
            node(
                "EventTimeWatermark",
                format!("delay {}", delay_text(*delay)),
                false,
            ),
            vec![input],
        ),
    };
    nodes.push(this);
    for input in inputs {
        walk(input, sources, streaming, depth + 1, nodes);
    }
}

/// `3 columns`, `1 column`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A watermark's delay in the largest whole unit (`5 minutes`, `90 seconds`, `250 ms`).
fn delay_text(micros: i64) -> String {
    const UNITS: [(i64, &str); 4] = [
        (86_400_000_000, "day"),
        (3_600_000_000, "hour"),
        (60_000_000, "minute"),
        (1_000_000, "second"),
    ];
    for (size, unit) in UNITS {
        if micros >= size && micros % size == 0 {
            let n = micros / size;
            return if n == 1 {
                format!("1 {unit}")
            } else {
                format!("{n} {unit}s")
            };
        }
    }
    format!("{} ms", micros / 1000)
}

/// One stateful operator's groups as text cells, the way `show()` prints values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateTable {
    /// The operator's position among the query's stateful operators.
    pub state_id: usize,
    /// The columns: the keys', then the aggregates'.
    pub columns: Vec<String>,
    /// One row per group, in the order the groups were first seen.
    pub rows: Vec<Vec<String>>,
    /// Groups left out past the row limit.
    pub more: usize,
}

/// The groups `states` keeps for each stateful operator of `plan`, at most `limit` rows each.
pub fn state_tables(plan: &Physical, states: &[OperatorState], limit: usize) -> Vec<StateTable> {
    let mut tables = Vec::new();
    collect_state_tables(plan, states, limit, &mut tables);
    tables
}

fn collect_state_tables(
    plan: &Physical,
    states: &[OperatorState],
    limit: usize,
    tables: &mut Vec<StateTable>,
) {
    match plan {
        Physical::Aggregate {
            input,
            aggregates,
            state_id,
            state_columns,
            ..
        } => {
            collect_state_tables(input, states, limit, tables);
            if let Some(state) = states.get(*state_id) {
                tables.push(aggregate_table(
                    *state_id,
                    state,
                    aggregates,
                    state_columns,
                    limit,
                ));
            }
        }
        Physical::Distinct { input, state_id } => {
            collect_state_tables(input, states, limit, tables);
            if let Some(state) = states.get(*state_id) {
                let groups: Vec<_> = state.groups.groups().collect();
                tables.push(StateTable {
                    state_id: *state_id,
                    columns: (1..=groups.first().map_or(1, |g| g.key.len()))
                        .map(|i| format!("column {i}"))
                        .collect(),
                    rows: groups
                        .iter()
                        .take(limit)
                        .map(|g| g.key.iter().map(scalar_cell).collect())
                        .collect(),
                    more: groups.len().saturating_sub(limit),
                });
            }
        }
        Physical::Project { input, .. }
        | Physical::Filter { input, .. }
        | Physical::Sort { input, .. }
        | Physical::Limit { input, .. }
        | Physical::Watermark { input, .. } => {
            collect_state_tables(input, states, limit, tables);
        }
        Physical::Join { left, right, .. } => {
            collect_state_tables(left, states, limit, tables);
            collect_state_tables(right, states, limit, tables);
        }
        Physical::Source { .. } | Physical::Rows(_) => {}
    }
}

/// A kept row's value as `show()` prints it, for a state whose column types the plan does
/// not keep (a deduplication's rows): scalars by their own type, nested values by Rust's form.
fn scalar_cell(value: &Value) -> String {
    let data_type = match value {
        Value::Null => DataType::Null,
        Value::Boolean(_) => DataType::Boolean,
        Value::Byte(_) => DataType::Byte,
        Value::Short(_) => DataType::Short,
        Value::Integer(_) => DataType::Integer,
        Value::Long(_) => DataType::Long,
        Value::Float(_) => DataType::Float,
        Value::Double(_) => DataType::Double,
        Value::String(_) => DataType::String,
        Value::Binary(_) => DataType::Binary,
        Value::Date(_) => DataType::Date,
        Value::Timestamp(_) => DataType::Timestamp,
        Value::Array(_) | Value::Map(_) | Value::Struct(_) => return format!("{value:?}"),
    };
    pretty_cell(value, &data_type)
}

fn aggregate_table(
    state_id: usize,
    state: &OperatorState,
    aggregates: &[super::physical::AggregateCall],
    columns: &[StructField],
    limit: usize,
) -> StateTable {
    let rows = state
        .groups
        .groups()
        .take(limit)
        .map(|group| {
            let keys = group
                .key
                .iter()
                .zip(columns)
                .map(|(v, f)| pretty_cell(v, &f.data_type));
            let values = group
                .buffers
                .iter()
                .zip(aggregates)
                .zip(columns.iter().skip(group.key.len()))
                .map(|((acc, call), f)| pretty_cell(&call.function.result(acc), &f.data_type));
            keys.chain(values).collect()
        })
        .collect();
    StateTable {
        state_id,
        columns: columns.iter().map(|f| f.name.clone()).collect(),
        rows,
        more: state.groups.len().saturating_sub(limit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_read_in_their_largest_whole_unit() {
        assert_eq!(delay_text(300_000_000), "5 minutes");
        assert_eq!(delay_text(60_000_000), "1 minute");
        assert_eq!(delay_text(90_000_000), "90 seconds");
        assert_eq!(delay_text(250_000), "250 ms");
        assert_eq!(delay_text(7_200_000_000), "2 hours");
    }

    #[test]
    fn counts_name_their_noun_in_the_singular_only_for_one() {
        assert_eq!(plural(1, "column"), "1 column");
        assert_eq!(plural(3, "column"), "3 columns");
        assert_eq!(plural(0, "row"), "0 rows");
    }
}
