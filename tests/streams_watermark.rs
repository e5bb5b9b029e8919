//! Event-time windows with `withWatermark`, as data: each table row is one micro-batch — the
//! events produced before it, then what it must read, emit, drop as late and keep in state.
//!
//! Spark 3.5's rules, which these tables spell out: the watermark a batch evicts with was
//! computed at the end of the batch before (max event time − delay); late rows are judged
//! against the watermark of the batch before *that* (Spark's "watermark for late events", so a
//! backlog read in several batches loses nothing the eviction has not closed); a window leaves
//! the state (and is emitted in append mode) once the watermark reaches its end; a batch
//! without data runs when the watermark moved, in append and update modes only; complete mode
//! neither drops nor evicts; `numRowsDroppedByWatermark` counts late groups.

#[path = "streams_support.rs"]
mod streams_support;

use std::rc::Rc;

use brooklet::streams::plan::{OutputMode, Plan};
use brooklet::streams::session::SparkSession;
use streams_support::*;

/// One micro-batch: events (`HH:mm` on 2024-01-01) produced before it, and what it must do.
struct Batch {
    produce: &'static [&'static str],
    input: u64,
    /// Emitted rows as `window start=count`, sorted.
    emit: &'static [&'static str],
    dropped: u64,
    state: u64,
}

const fn b(
    produce: &'static [&'static str],
    input: u64,
    emit: &'static [&'static str],
    dropped: u64,
    state: u64,
) -> Batch {
    Batch {
        produce,
        input,
        emit,
        dropped,
        state,
    }
}

/// `window(ts, size[, slide])` counts over `clicks`, watermarked 5 minutes.
fn windowed(window: &str, max_offsets: Option<&str>) -> Rc<Plan> {
    let extra: Vec<(&str, &str)> = max_offsets
        .map(|m| vec![("maxOffsetsPerTrigger", m)])
        .unwrap_or_default();
    let events = select(
        kafka("clicks", true, &extra),
        &["CAST(concat('2024-01-01 ', CAST(value AS STRING), ':00') AS TIMESTAMP) AS ts"],
    );
    let counts = aggregate(
        watermark(events, "ts", "5 minutes"),
        &[window],
        &["window", "count(*) AS n"],
    );
    select(counts, &["date_format(window.start, 'HH:mm') AS w", "n"])
}

/// Runs `batches` one step each and compares; then no further batch may run.
fn check(plan: Rc<Plan>, mode: OutputMode, backlog: &[&str], batches: &[Batch]) {
    let w = world(&[("clicks", 1)]);
    for e in backlog {
        produce(&w, "clicks", 0, None, e);
    }
    let catalog = catalog();
    let mut spark = session(&w, &catalog);
    let q = spark
        .start(spec(plan, memory("counts"), mode, ""))
        .expect("starts");
    run_table(&w, &mut spark, q, 0, batches);
}

/// Runs `batches` (the first with id `first`) one step each on query `q` of `spark`.
fn run_table(w: &World, spark: &mut SparkSession, q: usize, first: u64, batches: &[Batch]) {
    let mode = spark.query(q).unwrap().spec.mode;
    let mut seen = 0;
    for (i, batch) in batches.iter().enumerate() {
        let id = first + i as u64;
        for e in batch.produce {
            produce(w, "clicks", 0, None, e);
        }
        assert!(spark.step(q, true).ran, "batch {id} did not run");
        let all = spark.collect(&spark.table("counts").unwrap()).unwrap().rows;
        let fresh = if mode == OutputMode::Complete {
            &all[..]
        } else {
            &all[seen..]
        };
        seen = all.len();
        let mut emitted: Vec<String> = fresh
            .iter()
            .map(|r| format!("{}={}", text(&r[0]), text(&r[1])))
            .collect();
        brooklet::sort::sort(&mut emitted);
        let p = spark.query(q).unwrap().progress.last().unwrap().clone();
        let op = &p.state_operators[0];
        assert_eq!(
            (
                p.batch_id,
                p.num_input_rows,
                emitted,
                op.num_rows_dropped_by_watermark,
                op.num_rows_total
            ),
            (
                id,
                batch.input,
                batch.emit.iter().map(|s| s.to_string()).collect(),
                batch.dropped,
                batch.state
            ),
            "batch {id}: (id, input, emitted, dropped, state rows)"
        );
    }
    assert!(!spark.step(q, true).ran, "a batch ran past the table");
}

const TUMBLING: &str = "window(ts, '10 minutes')";

#[test]
fn append_mode_emits_a_tumbling_window_once_the_watermark_passes_its_end() {
    check(
        windowed(TUMBLING, None),
        OutputMode::Append,
        &[],
        &[
            b(&["12:01", "12:04", "12:12"], 3, &[], 0, 2),
            // The watermark moved to 12:07: a batch without data runs; nothing ends by then.
            b(&[], 0, &[], 0, 2),
            // 12:03 and 12:02 are behind the newest event but their window is still open.
            b(&["12:03", "12:16", "12:02"], 3, &[], 0, 2),
            // Watermark 12:11 closes [12:00, 12:10).
            b(&[], 0, &["12:00=4"], 0, 1),
            // 12:09 and 12:08 belong to a closed window: dropped, and counted as one group
            // (Spark counts the rows its state store refused, after the partial aggregation).
            b(&["12:09", "12:25", "12:08"], 3, &[], 1, 2),
            b(&[], 0, &["12:10=2"], 0, 1),
        ],
    );
}

#[test]
fn update_mode_emits_changed_windows_and_evicts_the_closed_ones() {
    check(
        windowed(TUMBLING, None),
        OutputMode::Update,
        &[],
        &[
            b(
                &["12:01", "12:04", "12:12"],
                3,
                &["12:00=2", "12:10=1"],
                0,
                2,
            ),
            b(&[], 0, &[], 0, 2),
            b(
                &["12:03", "12:16", "12:02"],
                3,
                &["12:00=4", "12:10=2"],
                0,
                2,
            ),
            b(&[], 0, &[], 0, 1),
            b(&["12:09", "12:25"], 2, &["12:20=1"], 1, 2),
            b(&[], 0, &[], 0, 1),
        ],
    );
}

#[test]
fn a_backlog_read_in_small_batches_judges_late_rows_by_the_watermark_before_the_last() {
    check(
        windowed(TUMBLING, Some("2")),
        OutputMode::Append,
        &[
            "12:01", "12:12", "12:03", "12:13", "12:30", "12:02", "12:05",
        ],
        &[
            b(&[], 2, &[], 0, 2),
            // Evicts with 12:07, judges lateness with 0 (batch 0's watermark).
            b(&[], 2, &[], 0, 2),
            b(&[], 2, &[], 0, 3),
            // Evicts with 12:25; 12:05 is judged with 12:08, so it still counts in its window.
            b(&[], 1, &["12:00=4", "12:10=2"], 0, 1),
        ],
    );
}

#[test]
fn sliding_windows_drop_a_late_event_from_each_closed_window_it_falls_in() {
    check(
        windowed("window(ts, '10 minutes', '5 minutes')", None),
        OutputMode::Append,
        &[],
        &[
            b(&["12:07"], 1, &[], 0, 2),
            b(&[], 0, &[], 0, 2),
            b(&["12:18"], 1, &[], 0, 4),
            // Watermark 12:13 closes [12:00, 12:10) only.
            b(&[], 0, &["12:00=1"], 0, 3),
            // 12:04 falls in [11:55, 12:05) and [12:00, 12:10), both closed: two late groups.
            b(&["12:04"], 1, &[], 2, 3),
        ],
    );
}

#[test]
fn complete_mode_keeps_every_window_and_counts_late_events() {
    check(
        windowed(TUMBLING, None),
        OutputMode::Complete,
        &[],
        &[
            b(&["12:01", "12:12"], 2, &["12:00=1", "12:10=1"], 0, 2),
            // No batch runs for the moved watermark alone: complete mode evicts nothing.
            b(
                &["12:02", "12:25"],
                2,
                &["12:00=2", "12:10=1", "12:20=1"],
                0,
                3,
            ),
            // A late event still counts; the moved watermark (12:35) runs no batch of its own.
            b(
                &["12:03", "12:40"],
                2,
                &["12:00=3", "12:10=1", "12:20=1", "12:40=1"],
                0,
                4,
            ),
        ],
    );
}

#[test]
fn a_query_restarted_over_its_checkpoint_keeps_its_watermarks_and_its_open_windows() {
    let w = world(&[("clicks", 1)]);
    for e in [
        "12:01", "12:12", "12:03", "12:13", "12:30", "12:02", "12:05",
    ] {
        produce(&w, "clicks", 0, None, e);
    }
    let catalog = catalog();
    let start = |spark: &mut SparkSession| {
        spark
            .start(spec(
                windowed(TUMBLING, Some("2")),
                memory("counts"),
                OutputMode::Append,
                "/cp/clicks",
            ))
            .expect("starts")
    };
    {
        let mut spark = session(&w, &catalog);
        let q = start(&mut spark);
        for _ in 0..3 {
            assert!(spark.step(q, true).ran);
        }
    }
    let mut spark = session(&w, &catalog);
    let q = start(&mut spark);
    // The restored watermarks: evict with 12:25, judge lateness with batch 2's 12:08.
    run_table(
        &w,
        &mut spark,
        q,
        3,
        &[
            b(&[], 1, &["12:00=4", "12:10=2"], 0, 1),
            b(&["12:19"], 1, &[], 1, 1),
        ],
    );
}
