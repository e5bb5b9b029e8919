//! Spark's catalog is kept with the topics: a table written by a streaming query and the
//! query's checkpoint are in the store after a flush, and a query started again over the same
//! checkpoint after a reload goes on without reading a record twice.

use super::*;
use crate::playground::action::{Action, TerminalAction};
use crate::playground::terminal::Stream;

/// Types `text` in the active terminal session and presses Enter.
fn type_line(tab: &Tab, text: &str) {
    let mut p = tab.playground.borrow_mut();
    p.dispatch(Action::Terminal(TerminalAction::SetInput(text.to_owned())))
        .expect("typed");
    p.dispatch(Action::Terminal(TerminalAction::Submit))
        .expect("ran");
}

fn stdout(tab: &Tab) -> Vec<String> {
    let p = tab.playground.borrow();
    let terminal = p.terminal().expect("the dock is open");
    terminal
        .active()
        .map(|s| {
            s.lines()
                .iter()
                .filter(|l| l.stream == Stream::Stdout)
                .map(|l| l.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

const BRONZE: &str = "pyspark <<'EOF'
q = spark.readStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"orders\").option(\"startingOffsets\", \"earliest\").load().selectExpr(\"CAST(value AS STRING) AS value\", \"offset\").writeStream.format(\"delta\").option(\"checkpointLocation\", \"/checkpoints/bronze\").toTable(\"orders_bronze\")
q.processAllAvailable()
print(spark.table(\"orders_bronze\").count(), q.lastProgress[\"batchId\"], q.lastProgress[\"numInputRows\"])
EOF";

#[test]
fn a_streaming_querys_table_and_checkpoint_survive_a_reload_without_reprocessing() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders"]);
    tab.produce("orders", &["a", "b", "c"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    type_line(&tab, BRONZE);
    assert_eq!(
        stdout(&tab).last().map(String::as_str),
        Some("3 0 3"),
        "{:?}",
        stdout(&tab)
    );
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    drop(tab);

    // The next visit: the same store, a new tab.
    let tab = Tab::open(&memory, &ManualClock::new(START + 60_000), at_once());
    tab.produce("orders", &["d"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    type_line(&tab, BRONZE);
    // The query resumes at batch 1 and reads the one new record: the table holds the three
    // rows of the first visit and that one — nothing read twice, nothing skipped.
    assert_eq!(
        stdout(&tab).last().map(String::as_str),
        Some("4 1 1"),
        "{:?}",
        stdout(&tab)
    );
}

const CHICAGO: &str = "pyspark <<'EOF'
q = spark.readStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"orders\").option(\"startingOffsets\", \"earliest\").load().selectExpr(\"key\", \"value\").writeStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"topic\", \"copy\").option(\"checkpointLocation\", \"/checkpoints/copy\").start()
q.processAllAvailable()
print(q.lastProgress[\"batchId\"], q.lastProgress[\"numInputRows\"])
EOF";

#[test]
fn a_kafka_sink_in_a_pasted_program_fills_its_topic_and_a_rerun_after_a_reload_adds_only_the_new_records(
) {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, at_once(), &["orders", "copy"]);
    tab.produce("orders", &["a", "b", "c"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    type_line(&tab, CHICAGO);
    assert_eq!(
        stdout(&tab).last().map(String::as_str),
        Some("0 3"),
        "{:?}",
        stdout(&tab)
    );
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    assert_eq!(tab.values("copy"), ["a", "b", "c"]);
    drop(tab);

    let tab = Tab::open(&memory, &ManualClock::new(START + 60_000), at_once());
    tab.produce("orders", &["d"]);
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    type_line(&tab, CHICAGO);
    assert_eq!(
        stdout(&tab).last().map(String::as_str),
        Some("1 1"),
        "{:?}",
        stdout(&tab)
    );
    assert_eq!(tab.flush_all(), FlushNext::Idle);
    assert_eq!(tab.values("copy"), ["a", "b", "c", "d"]);
}
