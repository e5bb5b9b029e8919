//! The notebook through the engine's door, as the Streams page drives it: every sample loads
//! and runs top to bottom; the tables hold what a direct computation over the produced
//! records gives; a query steps one trigger at a time; a late event is dropped by the
//! watermark; a query's position shows in the topic's lanes.

use std::collections::BTreeMap;

use super::*;
use crate::playground::action::{Action, NotebookAction};
use crate::playground::lane_marks::MarkKind;
use crate::playground::sample_orders::SampleRun;
use crate::playground::test_support::persistent_playground;
use crate::playground::Playground;

fn act(p: &mut Playground, action: NotebookAction) -> crate::playground::Outcome {
    p.dispatch(Action::Notebook(action))
        .expect("the page's action is accepted")
}

fn load_and_run(p: &mut Playground, id: &str) {
    act(p, NotebookAction::LoadSample { id: id.to_owned() });
    act(p, NotebookAction::RunAll);
}

/// Every cell ran and none failed; returns their outputs.
fn outputs(p: &Playground) -> Vec<CellOutput> {
    p.notebook()
        .cells()
        .iter()
        .map(|c| {
            let out = c
                .output
                .clone()
                .unwrap_or_else(|| panic!("cell {} ran", c.id));
            assert!(!out.failed, "cell {} failed: {}", c.id, out.text());
            out
        })
        .collect()
}

#[test]
fn every_sample_notebook_loads_and_runs_top_to_bottom_without_an_error() {
    for sample in SAMPLES {
        let mut p = persistent_playground();
        load_and_run(&mut p, sample.id);
        let outs = outputs(&p);
        assert_eq!(outs.len(), sample.cells.len(), "{}", sample.id);
        assert!(
            p.notebook()
                .notice()
                .is_some_and(|n| n.contains(sample.title)),
            "{}",
            sample.id
        );
    }
}

#[test]
fn the_retail_notebooks_per_customer_totals_equal_a_direct_computation_over_the_orders() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "retail");
    let outs = outputs(&p);
    // The same orders the sample produced, totalled here directly.
    let mut expected: BTreeMap<String, (u64, f64)> = BTreeMap::new();
    let orders = SampleRun::counted(2024, 1, samples::SAMPLE_ORDER_COUNT)
        .next_chunk(samples::SAMPLE_ORDER_COUNT);
    for (_, value) in &orders {
        let order: serde_json::Value = serde_json::from_str(value).expect("json");
        let customer = order["customer_id"].to_string();
        for line in order["line_items"].as_array().expect("lines") {
            let e = expected.entry(customer.clone()).or_default();
            e.0 += 1;
            // Spark sums the float column as a double of each float.
            e.1 += f64::from(line["order_item_subtotal"].as_f64().expect("subtotal") as f32);
        }
    }
    let mut top: Vec<(String, u64, f64)> = expected
        .into_iter()
        .map(|(c, (n, amount))| (c, n, (amount * 100.0).round() / 100.0))
        .collect();
    crate::sort::sort_by(&mut top, |a, b| b.2.total_cmp(&a.2));
    let table = outs[5]
        .tables()
        .next()
        .expect("the totals cell draws a table");
    assert_eq!(
        table.columns,
        ["customer_id", "total_line_items", "total_amount"]
    );
    assert_eq!(table.rows.len(), 10);
    for (row, (customer, lines, amount)) in table.rows.iter().zip(&top) {
        assert_eq!(row[0], *customer);
        assert_eq!(row[1], lines.to_string());
        assert_eq!(row[2].parse::<f64>().expect("a number"), *amount);
    }
    // The bronze table has every order, once.
    let bronze = outs[3]
        .tables()
        .next()
        .expect("the bronze cell draws a table");
    assert_eq!(bronze.rows[0][0], samples::SAMPLE_ORDER_COUNT.to_string());
}

#[test]
fn the_chicago_notebook_fills_its_topic_with_the_chicago_orders_only() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "chicago");
    let outs = outputs(&p);
    let chicago = SampleRun::counted(2024, 1, samples::SAMPLE_ORDER_COUNT)
        .next_chunk(samples::SAMPLE_ORDER_COUNT)
        .into_iter()
        .filter(|(_, v)| v.contains("\"city\":\"Chicago\""))
        .count();
    assert!(chicago > 0);
    let read_back = outs[2]
        .tables()
        .next()
        .expect("the batch read draws a table");
    assert_eq!(read_back.total_rows, chicago);
    for row in &read_back.rows {
        assert!(
            row[1].contains(", Chicago, IL,"),
            "not a Chicago order: {}",
            row[1]
        );
    }
    let produced: i64 = (0..1)
        .map(|part| {
            p.lanes("chicago_orders", 1000)
                .map_or(0, |l| l[part].log_end_offset)
        })
        .sum();
    assert_eq!(produced, i64::try_from(chicago).expect("small"));
}

#[test]
fn a_sql_cell_over_a_stream_says_what_spark_says_and_a_bad_cell_marks_itself_failed() {
    let mut p = persistent_playground();
    act(
        &mut p,
        NotebookAction::LoadSample {
            id: "retail".to_owned(),
        },
    );
    let first = p.notebook().cells()[0].id;
    act(&mut p, NotebookAction::Run { cell: first });
    act(
        &mut p,
        NotebookAction::AddCell {
            after: Some(first),
            kind: CellKind::Sql,
        },
    );
    let sql = p.notebook().cells()[1].id;
    act(
        &mut p,
        NotebookAction::Edit {
            cell: sql,
            source: "select * from orders".to_owned(),
        },
    );
    act(&mut p, NotebookAction::Run { cell: sql });
    let out = p.notebook().cells()[1].output.clone().expect("ran");
    assert!(out.failed);
    assert!(
        out.text()
            .contains("Queries with streaming sources must be executed with writeStream.start()"),
        "{}",
        out.text()
    );
    assert!(!out.text().contains("Traceback"), "{}", out.text());
    assert!(
        out.hint().is_some_and(|h| h.contains("format(\"memory\")")),
        "{:?}",
        out.hint()
    );
}

#[test]
fn stepping_a_query_runs_one_trigger_and_its_position_shows_in_the_lanes() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "time-spent");
    let cards = p.notebook().query_cards();
    let card = cards.first().expect("the query's card");
    assert!(card.is_active());
    assert!(card.has_watermark);
    assert!(card.batches.is_empty(), "its 30 s trigger has not fired");
    let names: Vec<&str> = card.plan.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names.first(), Some(&"MicroBatchScan"));
    assert!(names.contains(&"EventTimeWatermark"));
    assert!(names.contains(&"StateStoreSave"));
    assert_eq!(names.last(), Some(&"WriteToDataSourceV2"));
    act(&mut p, NotebookAction::Step { query: card.handle });
    let card = p.notebook().query_cards().remove(0);
    assert_eq!(card.batches.len(), 1);
    assert_eq!(card.batches[0].input_rows, 5, "maxOffsetsPerTrigger 5");
    assert_eq!(card.plan[0].rows, Some(5));
    assert!(card
        .figures
        .iter()
        .any(|f| f.name == "sources.description" && f.value == "KafkaV2[Subscribe[t2]]"));
    assert!(!card.states.is_empty() && !card.states[0].rows.is_empty());
    assert!(card.console.concat().contains("Batch: 0"));
    let marks = p.query_marks("t2");
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].offset, 5);
    assert!(matches!(&marks[0].kind, MarkKind::Query { name } if name == "query 1"));
    assert!(p.query_marks("orders").is_empty());
}

#[test]
fn a_late_event_sent_after_the_watermark_passed_it_is_dropped_and_counted() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "time-spent");
    let handle = p.notebook().query_cards()[0].handle;
    // Read every click: the watermark moves past 09:00.
    for _ in 0..12 {
        act(&mut p, NotebookAction::Step { query: handle });
    }
    let before = p.notebook().query_cards().remove(0);
    let read: u64 = before.batches.iter().map(|b| b.input_rows).sum();
    assert_eq!(read, 40);
    let said = act(&mut p, NotebookAction::SendLateEvent { query: handle });
    assert!(said
        .message()
        .is_some_and(|m| m.contains("u101,/home,2024-05-06T09:00:04")
            && m.contains("as offset 40")
            && m.contains("The query's next batch reads it")));
    act(&mut p, NotebookAction::Step { query: handle });
    let after = p.notebook().query_cards().remove(0);
    let last = after.batches.last().expect("a batch");
    assert_eq!(last.input_rows, 1);
    assert_eq!(
        last.dropped, 1,
        "the copy of 09:00:04 is behind the watermark"
    );
}

#[test]
fn a_late_event_is_refused_with_the_fix_when_the_query_has_no_watermark() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "word-count");
    let handle = p.notebook().query_cards()[0].handle;
    let refused = p
        .dispatch(Action::Notebook(NotebookAction::SendLateEvent {
            query: handle,
        }))
        .expect_err("no watermark");
    assert!(refused.to_string().contains("withWatermark"), "{refused}");
}

#[test]
fn restarting_the_session_frees_its_queries_checkpoints_and_a_rerun_goes_on_where_they_were() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "time-spent");
    let handle = p.notebook().query_cards()[0].handle;
    act(&mut p, NotebookAction::Step { query: handle });
    act(&mut p, NotebookAction::Step { query: handle });
    assert_eq!(p.query_marks("t2")[0].offset, 10);
    act(&mut p, NotebookAction::Restart);
    assert!(!p.notebook().has_active_queries());
    assert!(p.notebook().query_cards().is_empty());
    assert!(
        p.query_marks("t2").is_empty(),
        "no query runs over t2 any more"
    );
    // The checkpoint is free again: the same cells start the query, which goes on at batch 2.
    act(&mut p, NotebookAction::RunAll);
    outputs(&p);
    let handle = p.notebook().query_cards()[0].handle;
    act(&mut p, NotebookAction::Step { query: handle });
    let card = p.notebook().query_cards().remove(0);
    assert_eq!(
        card.batches.first().map(|b| (b.batch_id, b.input_rows)),
        Some((2, 5))
    );
}

#[test]
fn an_unknown_sample_names_the_choices() {
    let mut p = persistent_playground();
    let refused = p
        .dispatch(Action::Notebook(NotebookAction::LoadSample {
            id: "nope".to_owned(),
        }))
        .expect_err("no such sample");
    assert!(refused.to_string().contains("retail, chicago"), "{refused}");
}

#[test]
fn step_says_what_it_did_and_refuses_a_query_that_is_gone_or_stopped() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "word-count");
    let handle = p.notebook().query_cards()[0].handle;
    let said = act(&mut p, NotebookAction::Step { query: handle });
    assert_eq!(
        said.message(),
        Some("No batch ran: no new records, and the watermark did not move.")
    );
    act(&mut p, NotebookAction::Stop { query: handle });
    let stopped = p
        .dispatch(Action::Notebook(NotebookAction::Step { query: handle }))
        .expect_err("stopped");
    assert!(
        stopped
            .to_string()
            .contains("has stopped: run its cell again"),
        "{stopped}"
    );
    act(&mut p, NotebookAction::Restart);
    let gone = p
        .dispatch(Action::Notebook(NotebookAction::Step { query: handle }))
        .expect_err("gone");
    assert!(gone.to_string().contains("That query is gone"), "{gone}");
}

#[test]
fn a_read_only_tab_refuses_what_would_write_but_still_edits_and_stops() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "word-count");
    let handle = p.notebook().query_cards()[0].handle;
    let cell = p.notebook().cells()[0].id;
    p.make_read_only("taken over");
    for action in [
        NotebookAction::Run { cell },
        NotebookAction::RunAll,
        NotebookAction::Step { query: handle },
        NotebookAction::LoadSample {
            id: "retail".to_owned(),
        },
        NotebookAction::SendLateEvent { query: handle },
    ] {
        let refused = p
            .dispatch(Action::Notebook(action.clone()))
            .expect_err("read-only");
        assert!(
            refused.to_string().contains("taken over"),
            "{action:?}: {refused}"
        );
    }
    act(
        &mut p,
        NotebookAction::Edit {
            cell,
            source: "x = 1".to_owned(),
        },
    );
    act(&mut p, NotebookAction::Stop { query: handle });
    assert!(!p.notebook().has_active_queries());
}

#[test]
fn exit_in_a_cell_ends_the_session_and_says_so() {
    let mut p = persistent_playground();
    let cell = p.notebook().cells()[0].id;
    act(
        &mut p,
        NotebookAction::Edit {
            cell,
            source: "x = 1\nexit()\nprint('after')".to_owned(),
        },
    );
    act(&mut p, NotebookAction::Run { cell });
    let out = p.notebook().cells()[0].output.clone().expect("ran");
    assert!(!out.text().contains("after"));
    assert!(
        out.text().contains("exit() ended the Spark session"),
        "{}",
        out.text()
    );
    assert!(!p.notebook().has_kernel());
}

#[test]
fn only_the_learners_own_text_counts_as_work_a_sample_would_replace() {
    let mut p = persistent_playground();
    assert!(!p.notebook().has_own_work(), "the first cell's hint");
    act(
        &mut p,
        NotebookAction::LoadSample {
            id: "word-count".to_owned(),
        },
    );
    assert!(!p.notebook().has_own_work(), "a sample's cells");
    let cell = p.notebook().cells()[0].id;
    act(
        &mut p,
        NotebookAction::Edit {
            cell,
            source: "spark.sql('show tables')".to_owned(),
        },
    );
    assert!(p.notebook().has_own_work());
}

#[test]
fn removing_the_last_cell_leaves_an_empty_one_and_an_empty_sql_cell_says_what_to_type() {
    let mut p = persistent_playground();
    let only = p.notebook().cells()[0].id;
    act(&mut p, NotebookAction::RemoveCell { cell: only });
    assert_eq!(p.notebook().cells().len(), 1);
    let cell = p.notebook().cells()[0].id;
    act(
        &mut p,
        NotebookAction::SetKind {
            cell,
            kind: CellKind::Sql,
        },
    );
    act(&mut p, NotebookAction::Run { cell });
    let out = p.notebook().cells()[0].output.clone().expect("ran");
    assert!(out.failed && out.text().contains("The SQL cell is empty"));
}

#[test]
fn an_earlier_visits_cells_come_back_once_and_none_kept_leaves_the_first_cell() {
    let mut p = persistent_playground();
    act(&mut p, NotebookAction::Restore { cells: Vec::new() });
    assert_eq!(p.notebook().cells().len(), 1, "the first cell stays");
    let mut p = persistent_playground();
    let kept = vec![
        (CellKind::Python, "x = 1".to_owned()),
        (CellKind::Sql, "select 1".to_owned()),
    ];
    act(
        &mut p,
        NotebookAction::Restore {
            cells: kept.clone(),
        },
    );
    let cells: Vec<(CellKind, String)> = p
        .notebook()
        .cells()
        .iter()
        .map(|c| (c.kind, c.source.clone()))
        .collect();
    assert_eq!(cells, kept);
    // The page opened again later: what the learner typed since is not replaced.
    let first = p.notebook().cells()[0].id;
    act(
        &mut p,
        NotebookAction::Edit {
            cell: first,
            source: "x = 2".to_owned(),
        },
    );
    act(&mut p, NotebookAction::Restore { cells: kept });
    assert_eq!(p.notebook().cells()[0].source, "x = 2");
}

#[test]
fn a_query_of_the_terminals_pyspark_shell_shows_as_a_card_and_a_lane_mark() {
    use crate::playground::action::TerminalAction;
    let mut p = persistent_playground();
    load_and_run(&mut p, "word-count");
    act(&mut p, NotebookAction::Restart);
    for line in [
        "pyspark",
        "q = spark.readStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"lines\").option(\"startingOffsets\", \"earliest\").load().writeStream.queryName(\"from_terminal\").format(\"memory\").start()",
        "q.processAllAvailable()",
    ] {
        p.dispatch(Action::Terminal(TerminalAction::SetInput(line.to_owned())))
            .expect("typed");
        p.dispatch(Action::Terminal(TerminalAction::Submit))
            .expect("ran");
    }
    let cards = p.terminal_query_cards();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].0, 1, "terminal tab 1");
    assert_eq!(cards[0].1.title, "from_terminal");
    assert_eq!(cards[0].1.batches.len(), 1);
    let marks = p.query_marks("lines");
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].offset, 5);
}

#[test]
fn a_sample_run_again_after_a_restart_starts_its_uncheckpointed_queries_afresh() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "word-count");
    act(&mut p, NotebookAction::Restart);
    act(&mut p, NotebookAction::RunAll);
    let outs = outputs(&p);
    let counts = outs[1].tables().next().expect("the word counts again");
    assert_eq!(counts.rows[0], ["the", "4"]);
    let card = p.notebook().query_cards().remove(0);
    assert_eq!(card.batches.first().map(|b| b.batch_id), Some(0));
    // A new session, a new temporary checkpoint: the stopped one was deleted.
    let catalog = p.spark_catalog();
    let temporary: Vec<String> = {
        use crate::streams::checkpoint::CheckpointStore;
        catalog.borrow().checkpoints.list("/tmp/temporary-")
    };
    let locations: std::collections::BTreeSet<&str> = temporary
        .iter()
        .filter_map(|p| p.split('/').nth(2))
        .collect();
    assert_eq!(locations.len(), 1, "{temporary:?}");
}

#[test]
fn a_query_subscribed_to_a_topic_that_does_not_exist_says_so_on_its_card() {
    let mut p = persistent_playground();
    let cell = p.notebook().cells()[0].id;
    act(&mut p, NotebookAction::Edit {
        cell,
        source: "q = spark.readStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"ordres\").load().writeStream.format(\"console\").start()".to_owned(),
    });
    act(&mut p, NotebookAction::Run { cell });
    let cards = p.notebook_query_cards();
    assert_eq!(cards[0].missing_topics, ["ordres"]);
    assert!(cards[0].is_active(), "it waits, as Spark's does");
}

#[test]
fn each_batchs_progress_reports_the_watermark_it_ran_with_as_spark_does() {
    let mut p = persistent_playground();
    load_and_run(&mut p, "time-spent");
    let handle = p.notebook().query_cards()[0].handle;
    let watermark = |p: &Playground| {
        let card = p.notebook().query_cards().remove(0);
        card.figures
            .iter()
            .find(|f| f.name == "eventTime.watermark")
            .map(|f| f.value.clone())
    };
    act(&mut p, NotebookAction::Step { query: handle });
    // Batch 0 ran before any event time was seen: Spark's batchWatermarkMs is 0.
    assert_eq!(watermark(&p).as_deref(), Some("1970-01-01T00:00:00.000Z"));
    act(&mut p, NotebookAction::Step { query: handle });
    // Batch 1 ran with batch 0's latest click (09:02:48) less the 5-minute delay.
    assert_eq!(watermark(&p).as_deref(), Some("2024-05-06T08:57:48.000Z"));
}
