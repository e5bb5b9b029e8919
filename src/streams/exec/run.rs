//! Running a [`Physical`] plan over one batch of input rows: a batch query's single run, or
//! one micro-batch of a streaming query, whose stateful operators (aggregations, `distinct`)
//! carry their groups from batch to batch in [`StreamingRun::states`].
//!
//! Evaluation cannot fail (non-ANSI Spark turns run-time errors into `NULL`), so neither can a
//! run: what can go wrong was refused by the analyzer.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::rc::Rc;

use super::aggregate_fn::Accumulator;
use super::physical::{AggregateCall, GroupKey, Physical, ProjectItem, SortKey};
use super::state::{AggregationState, Group};
use super::value_codec::encode_row;
use crate::streams::eval::ordering::compare;
use crate::streams::eval::BoundExpr;
use crate::streams::plan::OutputMode;
use crate::streams::sql::ast::JoinKind;
use crate::streams::value::{Row, Value};

/// What a stateful operator keeps between micro-batches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperatorState {
    /// The groups (for `distinct`, each distinct row is a group without buffers).
    pub groups: AggregationState,
    /// Rows dropped as late in the last batch (Spark's `numRowsDroppedByWatermark`).
    pub dropped_by_watermark: u64,
    /// Groups updated in the last batch (Spark's `numRowsUpdated`).
    pub updated: u64,
    /// Groups removed by the watermark in the last batch (Spark's `numRowsRemoved`).
    pub removed: u64,
}

/// The streaming side of a run.
#[derive(Debug)]
pub struct StreamingRun<'a> {
    /// The query's output mode.
    pub mode: OutputMode,
    /// The watermark this batch evicts with (µs), if the query has one: computed at the end
    /// of the batch before.
    pub watermark: Option<i64>,
    /// The watermark late rows are judged by (µs): the one the batch before evicted with, as
    /// Spark 3.5's `eventTimeWatermarkForLateEvents` — so a row read in the batch that closes
    /// its window still counts in it.
    pub late_watermark: Option<i64>,
    /// Each stateful operator's state, by its `state_id`.
    pub states: &'a mut Vec<OperatorState>,
    /// The greatest event time seen by a watermark operator in this batch (µs).
    pub max_event_time: Option<i64>,
    /// The batch's event times (µs): least, sum and count, for the progress's `eventTime`.
    pub event_times: EventTimes,
}

/// The event times a batch saw (Spark's `EventTimeStats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventTimes {
    /// The least (µs).
    pub min: Option<i64>,
    /// The sum (µs), for the average.
    pub sum: i128,
    /// How many.
    pub count: u64,
}

impl EventTimes {
    /// `(min, max, avg)` given the batch's greatest event time.
    pub fn summary(&self, max: Option<i64>) -> Option<(i64, i64, i64)> {
        let (min, max) = (self.min?, max?);
        let avg = i64::try_from(self.sum / i128::from(self.count.max(1))).unwrap_or(max);
        Some((min, max, avg))
    }
}

/// Rows each operator produced in a run, by the operator's position in a pre-order walk of the
/// plan (the Streams page draws them on the plan).
pub type OperatorRows = Vec<u64>;

/// Runs `plan` over `sources` (the rows of each source, by id). `streaming` is `None` for a
/// batch query.
pub fn run(
    plan: &Physical,
    sources: &[Vec<Row>],
    mut streaming: Option<&mut StreamingRun<'_>>,
    counts: &mut OperatorRows,
) -> Vec<Row> {
    let slot = counts.len();
    counts.push(0);
    let rows = match plan {
        Physical::Source { id } => sources.get(*id).cloned().unwrap_or_default(),
        Physical::Rows(rows) => rows.as_ref().clone(),
        Physical::Project { input, items } => {
            project(run(input, sources, streaming, counts), items)
        }
        Physical::Filter { input, condition } => run(input, sources, streaming, counts)
            .into_iter()
            .filter(|row| condition.eval(row) == Value::Boolean(true))
            .collect(),
        Physical::Aggregate {
            input,
            keys,
            aggregates,
            output,
            having,
            event_time_key,
            state_id,
            ..
        } => {
            let rows = run(input, sources, streaming.as_deref_mut(), counts);
            let spec = AggregateSpec {
                keys,
                aggregates,
                output,
                having: having.as_ref(),
                event_time_key: *event_time_key,
            };
            match streaming {
                Some(s) => aggregate_streaming(&spec, rows, s, *state_id),
                None => {
                    let mut state = AggregationState::default();
                    spec.update(&mut state, rows, None);
                    spec.emit(state.groups())
                }
            }
        }
        Physical::Sort { input, keys } => {
            let mut rows = run(input, sources, streaming, counts);
            sort_rows(&mut rows, keys);
            rows
        }
        Physical::Limit { input, n } => {
            let mut rows = run(input, sources, streaming, counts);
            rows.truncate(usize::try_from(*n).unwrap_or(usize::MAX));
            rows
        }
        Physical::Distinct { input, state_id } => {
            let rows = run(input, sources, streaming.as_deref_mut(), counts);
            distinct(rows, streaming, *state_id)
        }
        Physical::Join {
            left,
            right,
            kind,
            condition,
            left_width,
            right_width,
            drop_right,
        } => {
            let l = run(left, sources, streaming.as_deref_mut(), counts);
            let r = run(right, sources, streaming, counts);
            join(
                &l,
                &r,
                *kind,
                condition.as_ref(),
                (*left_width, *right_width),
                drop_right,
            )
        }
        Physical::Watermark { input, column, .. } => {
            let rows = run(input, sources, streaming.as_deref_mut(), counts);
            if let Some(s) = streaming {
                for row in &rows {
                    if let Some(Value::Timestamp(t)) = row.get(*column) {
                        s.max_event_time = Some(s.max_event_time.map_or(*t, |m| m.max(*t)));
                        s.event_times.min = Some(s.event_times.min.map_or(*t, |m| m.min(*t)));
                        s.event_times.sum += i128::from(*t);
                        s.event_times.count += 1;
                    }
                }
            }
            rows
        }
    };
    if let Some(c) = counts.get_mut(slot) {
        *c = rows.len() as u64;
    }
    rows
}

fn project(rows: Vec<Row>, items: &[ProjectItem]) -> Vec<Row> {
    let generator = items
        .iter()
        .position(|i| matches!(i, ProjectItem::Explode { .. }));
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let Some(g) = generator else {
            out.push(items.iter().map(|i| eval_item(i, row)).collect());
            continue;
        };
        let ProjectItem::Explode {
            input,
            map,
            position,
            outer,
        } = &items[g]
        else {
            continue;
        };
        let before: Row = items[..g].iter().map(|i| eval_item(i, row)).collect();
        let after: Row = items[g + 1..].iter().map(|i| eval_item(i, row)).collect();
        let elements: Vec<Row> = match input.eval(row) {
            Value::Array(items) => items.iter().map(|v| vec![v.clone()]).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| vec![k.clone(), v.clone()])
                .collect(),
            _ => Vec::new(),
        };
        let width = usize::from(*position) + if *map { 2 } else { 1 };
        if elements.is_empty() && *outer {
            let mut r = before.clone();
            r.extend(std::iter::repeat_n(Value::Null, width));
            r.extend(after.iter().cloned());
            out.push(r);
        }
        for (i, element) in elements.into_iter().enumerate() {
            let mut r = before.clone();
            if *position {
                r.push(Value::Integer(i32::try_from(i).unwrap_or(i32::MAX)));
            }
            r.extend(element);
            r.extend(after.iter().cloned());
            out.push(r);
        }
    }
    out
}

fn eval_item(item: &ProjectItem, row: &[Value]) -> Value {
    match item {
        ProjectItem::Expr(e) => e.eval(row),
        ProjectItem::Explode { .. } => Value::Null,
    }
}

struct AggregateSpec<'a> {
    keys: &'a [GroupKey],
    aggregates: &'a [AggregateCall],
    output: &'a [BoundExpr],
    having: Option<&'a BoundExpr>,
    event_time_key: Option<usize>,
}

impl AggregateSpec<'_> {
    /// Adds rows to the groups; with a watermark, rows whose event time it has passed are
    /// dropped. Returns how many groups were dropped: Spark's state store sees rows after the
    /// partial aggregation, one per key, so `numRowsDroppedByWatermark` counts late keys.
    fn update(&self, state: &mut AggregationState, rows: Vec<Row>, watermark: Option<i64>) -> u64 {
        let mut dropped = HashSet::new();
        for row in rows {
            for key in self.key_values(&row) {
                if let (Some(wm), Some(t)) = (watermark, self.event_time(&key)) {
                    if t <= wm {
                        dropped.insert(encode_row(&key));
                        continue;
                    }
                }
                let group = state.group_mut(&key, || {
                    self.aggregates.iter().map(|a| a.function.start()).collect()
                });
                for (call, buffer) in self.aggregates.iter().zip(group.buffers.iter_mut()) {
                    let value = match &call.argument {
                        Some(arg) => arg.eval(&row),
                        None => Value::Boolean(true),
                    };
                    call.function.update(buffer, &value);
                }
                group.updated = true;
            }
        }
        dropped.len() as u64
    }

    /// The key values of one row: one key, or one per window holding the row's time.
    fn key_values(&self, row: &[Value]) -> Vec<Row> {
        let mut keys: Vec<Row> = vec![Vec::with_capacity(self.keys.len())];
        for key in self.keys {
            match key {
                GroupKey::Expr(e) => {
                    let v = e.eval(row);
                    for k in &mut keys {
                        k.push(v.clone());
                    }
                }
                GroupKey::Window {
                    time,
                    size,
                    slide,
                    start,
                } => {
                    let Value::Timestamp(t) = time.eval(row) else {
                        // Spark drops rows without an event time from windowed aggregations.
                        return Vec::new();
                    };
                    let windows = windows_of(t, *size, *slide, *start);
                    keys = keys
                        .into_iter()
                        .flat_map(|k| {
                            windows.iter().map(move |w| {
                                let mut k = k.clone();
                                k.push(w.clone());
                                k
                            })
                        })
                        .collect();
                }
            }
        }
        keys
    }

    /// The event time of a key (µs): its window's end, or the watermarked column's value.
    fn event_time(&self, key: &[Value]) -> Option<i64> {
        match key.get(self.event_time_key?)? {
            Value::Timestamp(t) => Some(*t),
            Value::Struct(fields) => match fields.get(1) {
                Some(Value::Timestamp(end)) => Some(*end),
                _ => None,
            },
            _ => None,
        }
    }

    fn emit<'g>(&self, groups: impl Iterator<Item = &'g Group>) -> Vec<Row> {
        let mut out = Vec::new();
        for g in groups {
            let mut input = g.key.clone();
            for (call, buffer) in self.aggregates.iter().zip(&g.buffers) {
                input.push(call.function.result(buffer));
            }
            if let Some(h) = self.having {
                if h.eval(&input) != Value::Boolean(true) {
                    continue;
                }
            }
            out.push(self.output.iter().map(|e| e.eval(&input)).collect());
        }
        out
    }
}

/// Spark's `TimeWindowing`: the windows `[start, start + size)` holding `t`, latest first.
fn windows_of(t: i64, size: i64, slide: i64, start: i64) -> Vec<Value> {
    if size <= 0 || slide <= 0 {
        return Vec::new();
    }
    let last_start = t - (t - start).rem_euclid(slide);
    let overlapping = (size + slide - 1) / slide;
    (0..overlapping)
        .map(|i| last_start - i * slide)
        .filter(|s| t < s + size)
        .map(|s| {
            Value::Struct(Rc::from(vec![
                Value::Timestamp(s),
                Value::Timestamp(s + size),
            ]))
        })
        .collect()
}

fn aggregate_streaming(
    spec: &AggregateSpec<'_>,
    rows: Vec<Row>,
    s: &mut StreamingRun<'_>,
    state_id: usize,
) -> Vec<Row> {
    if s.states.len() <= state_id {
        s.states.resize_with(state_id + 1, OperatorState::default);
    }
    let op = &mut s.states[state_id];
    op.groups.clear_updates();
    // Complete mode neither drops late rows nor evicts (Spark's `StateStoreSaveExec`).
    let keyed = spec.event_time_key.is_some() && s.mode != OutputMode::Complete;
    let watermark = s.watermark.filter(|_| keyed);
    let late = s.late_watermark.filter(|_| keyed);
    op.dropped_by_watermark = spec.update(&mut op.groups, rows, late);
    op.updated = op.groups.groups().filter(|g| g.updated).count() as u64;
    let passed = |g: &Group| match (watermark, spec.event_time(&g.key)) {
        (Some(wm), Some(t)) => t <= wm,
        _ => false,
    };
    match s.mode {
        OutputMode::Complete => {
            op.removed = 0;
            spec.emit(op.groups.groups())
        }
        OutputMode::Update => {
            let out = spec.emit(op.groups.groups().filter(|g| g.updated));
            op.removed = op.groups.evict(passed).len() as u64;
            out
        }
        OutputMode::Append => {
            let gone = op.groups.evict(passed);
            op.removed = gone.len() as u64;
            spec.emit(gone.iter())
        }
    }
}

fn distinct(rows: Vec<Row>, streaming: Option<&mut StreamingRun<'_>>, state_id: usize) -> Vec<Row> {
    let Some(s) = streaming else {
        let mut seen = HashSet::new();
        return rows
            .into_iter()
            .filter(|r| seen.insert(encode_row(r)))
            .collect();
    };
    if s.states.len() <= state_id {
        s.states.resize_with(state_id + 1, OperatorState::default);
    }
    let op = &mut s.states[state_id];
    op.groups.clear_updates();
    let mut fresh = Vec::new();
    for row in rows {
        let before = op.groups.len();
        op.groups.group_mut(&row, Vec::<Accumulator>::new).updated = true;
        if op.groups.len() > before {
            fresh.push(row);
        }
    }
    op.updated = fresh.len() as u64;
    match s.mode {
        OutputMode::Complete => op.groups.groups().map(|g| g.key.clone()).collect(),
        _ => fresh,
    }
}

/// Orders rows by `keys` with Spark's null placement, keeping equal rows in their order.
pub fn sort_rows(rows: &mut [Row], keys: &[SortKey]) {
    crate::sort::sort_by(rows, |a, b| {
        for key in keys {
            let (x, y) = (key.expr.eval(a), key.expr.eval(b));
            let order = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => {
                    if key.nulls_first {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                }
                (false, true) => {
                    if key.nulls_first {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
                (false, false) => {
                    let o = compare(&x, &y).unwrap_or(Ordering::Equal);
                    if key.ascending {
                        o
                    } else {
                        o.reverse()
                    }
                }
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    });
}

fn join(
    left: &[Row],
    right: &[Row],
    kind: JoinKind,
    condition: Option<&BoundExpr>,
    (left_width, right_width): (usize, usize),
    drop_right: &[usize],
) -> Vec<Row> {
    let mut out = Vec::new();
    let mut right_matched = vec![false; right.len()];
    let shape = |mut row: Row| -> Row {
        if !drop_right.is_empty() {
            let mut i = 0;
            row.retain(|_| {
                let keep = i < left_width || !drop_right.contains(&(i - left_width));
                i += 1;
                keep
            });
        }
        row
    };
    for l in left {
        let mut matched = false;
        for (j, r) in right.iter().enumerate() {
            let mut pair = l.clone();
            pair.extend(r.iter().cloned());
            let hit = condition.is_none_or(|c| c.eval(&pair) == Value::Boolean(true));
            if hit {
                matched = true;
                right_matched[j] = true;
                out.push(shape(pair));
            }
        }
        if !matched && matches!(kind, JoinKind::LeftOuter | JoinKind::FullOuter) {
            let mut row = l.clone();
            row.extend(std::iter::repeat_n(Value::Null, right_width));
            out.push(shape(row));
        }
    }
    if matches!(kind, JoinKind::RightOuter | JoinKind::FullOuter) {
        for (r, _) in right.iter().zip(&right_matched).filter(|(_, m)| !**m) {
            let mut row: Row = std::iter::repeat_n(Value::Null, left_width).collect();
            row.extend(r.iter().cloned());
            out.push(shape(row));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_falls_in_one_tumbling_window_and_in_size_over_slide_sliding_ones() {
        let min = 60_000_000;
        let t = 12 * min + 5;
        assert_eq!(
            windows_of(t, 10 * min, 10 * min, 0),
            vec![Value::Struct(Rc::from(vec![
                Value::Timestamp(10 * min),
                Value::Timestamp(20 * min)
            ]))]
        );
        let sliding = windows_of(t, 10 * min, 5 * min, 0);
        let starts: Vec<Value> = sliding
            .iter()
            .map(|w| match w {
                Value::Struct(f) => f[0].clone(),
                _ => Value::Null,
            })
            .collect();
        assert_eq!(
            starts,
            vec![Value::Timestamp(10 * min), Value::Timestamp(5 * min)]
        );
        assert!(windows_of(-1, 10, 10, 0).len() == 1);
    }
}
