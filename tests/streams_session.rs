//! A Spark session over the broker, end to end without the shell: batch reads, streaming
//! queries with their sinks and output modes, and a query that resumes from its checkpoint.

#[path = "streams_support.rs"]
mod streams_support;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use brooklet::broker::Acks;
use brooklet::log::NewRecord;
use brooklet::streams::kafka::KafkaSourceOptions;
use brooklet::streams::plan::{OutputMode, Plan};
use brooklet::streams::query::sink::Sink;
use brooklet::streams::query::trigger::Trigger;
use brooklet::streams::query::QuerySpec;
use brooklet::streams::session::{Catalog, SparkSession};
use brooklet::streams::sql::{parse_expression, parse_select_item};
use brooklet::streams::value::Value;
use streams_support::{select, World};

/// `n` orders on `orders` (2 partitions by customer), order `i` from customer `i % 7`, with
/// one line item of `i % 5 + 1` units at 10.5.
fn produce_orders(w: &World, from: usize, n: usize) {
    let now = w.broker.borrow().now_ms();
    for i in from..from + n {
        let customer = i % 7;
        let value = format!(
            "{{\"order_id\":{i},\"customer_id\":{customer},\"city\":\"{}\",\"line_items\":[{{\"order_item_quantity\":{},\"order_item_subtotal\":{}}}]}}",
            if i % 3 == 0 { "chicago" } else { "denver" },
            i % 5 + 1,
            (i % 5 + 1) as f64 * 10.5
        );
        let record = NewRecord::new(Some(customer.to_string().into()), Some(value.into()), now);
        w.broker
            .borrow_mut()
            .append("orders", (customer % 2) as i32, &[record], Acks::All)
            .expect("appended");
    }
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn kafka(streaming: bool, extra: &[(&str, &str)]) -> Rc<Plan> {
    streams_support::kafka("orders", streaming, extra)
}

fn session(w: &World, catalog: &Rc<RefCell<Catalog>>) -> SparkSession {
    SparkSession::new(w.broker.clone(), w.groups.clone(), Rc::clone(catalog), 3)
}

fn world() -> World {
    let w = World::new();
    w.topic("orders", 2);
    w
}

#[test]
fn a_batch_read_casts_keys_and_values_to_strings() {
    let w = world();
    produce_orders(&w, 0, 4);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let df = select(
        kafka(false, &[]),
        &["CAST(key AS STRING)", "CAST(value AS STRING)", "partition"],
    );
    let out = spark.collect(&df).expect("runs");
    let names: Vec<&str> = out.schema.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["key", "value", "partition"]);
    assert_eq!(out.rows.len(), 4);
    assert!(out
        .rows
        .iter()
        .all(|r| matches!(&r[1], Value::String(s) if s.starts_with("{\"order_id\""))));
}

#[test]
fn a_streaming_plan_refuses_a_batch_action_with_sparks_text() {
    let w = world();
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let err = spark.collect(&kafka(true, &[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Queries with streaming sources must be executed with writeStream.start();"
    );
}

fn spec(plan: Rc<Plan>, sink: Sink, mode: OutputMode, checkpoint: &str) -> QuerySpec {
    QuerySpec {
        name: None,
        sink,
        mode,
        trigger: Trigger::ProcessingTime(0),
        checkpoint: checkpoint.into(),
        plan,
    }
}

#[test]
fn max_offsets_per_trigger_cuts_the_stream_into_batches_printed_by_the_console_sink() {
    let w = world();
    produce_orders(&w, 0, 120);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let df = select(
        kafka(true, &[("maxOffsetsPerTrigger", "50")]),
        &["CAST(key AS STRING)", "offset"],
    );
    let q = spark
        .start(spec(
            df,
            Sink::Console {
                num_rows: 20,
                truncate: true,
            },
            OutputMode::Append,
            "",
        ))
        .expect("starts");
    let printed = spark.process_all_available(q).expect("runs");
    assert_eq!(printed.matches("Batch: ").count(), 3, "{printed}");
    assert!(printed.starts_with("-------------------------------------------\nBatch: 0\n-------------------------------------------\n+---+------+\n|key|offset|\n"));
    assert!(printed.contains("only showing top 20 rows"));
    let progress = &spark.query(q).unwrap().progress;
    let rows: Vec<u64> = progress.iter().map(|p| p.num_input_rows).collect();
    assert_eq!(rows.iter().sum::<u64>(), 120);
    assert!(rows[0] <= 50 && rows[0] >= 49, "{rows:?}");
}

#[test]
fn per_customer_totals_in_complete_mode_match_a_direct_computation() {
    let w = world();
    produce_orders(&w, 0, 40);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let parsed = select(
        kafka(true, &[("maxOffsetsPerTrigger", "7")]),
        &["from_json(CAST(value AS STRING), 'order_id long, customer_id long, city string, line_items array<struct<order_item_quantity: long, order_item_subtotal: float>>') AS value"],
    );
    let exploded = select(
        parsed,
        &[
            "value.customer_id AS customer_id",
            "explode(value.line_items) AS lines",
        ],
    );
    let totals = Rc::new(Plan::Aggregate {
        input: exploded,
        keys: vec![parse_expression("customer_id").unwrap()],
        items: [
            "customer_id",
            "count(*) AS total_line_items",
            "round(sum(lines.order_item_subtotal), 2) AS total_amount",
        ]
        .iter()
        .map(|i| parse_select_item(i).unwrap())
        .collect(),
        having: None,
    });
    let q = spark
        .start(QuerySpec {
            name: Some("totals".into()),
            ..spec(
                totals,
                Sink::Memory {
                    name: "totals".into(),
                },
                OutputMode::Complete,
                "",
            )
        })
        .expect("starts");
    spark.process_all_available(q).expect("runs");
    produce_orders(&w, 40, 30);
    spark.process_all_available(q).expect("runs again");
    let table = spark.collect(&spark.table("totals").unwrap()).unwrap();
    let mut want: BTreeMap<i64, (i64, f64)> = BTreeMap::new();
    for i in 0..70usize {
        let e = want.entry((i % 7) as i64).or_default();
        e.0 += 1;
        e.1 += (i % 5 + 1) as f64 * 10.5;
    }
    let got: BTreeMap<i64, (i64, f64)> = table
        .rows
        .iter()
        .map(|r| match (&r[0], &r[1], &r[2]) {
            (Value::Long(c), Value::Long(n), Value::Double(t)) => (*c, (*n, *t)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn append_mode_refuses_an_aggregation_without_a_watermark() {
    let w = world();
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let counts = Rc::new(Plan::Aggregate {
        input: select(kafka(true, &[]), &["CAST(key AS STRING) AS k"]),
        keys: vec![parse_expression("k").unwrap()],
        items: vec![
            parse_select_item("k").unwrap(),
            parse_select_item("count(*)").unwrap(),
        ],
        having: None,
    });
    let err = spark
        .start(spec(
            counts,
            Sink::Console {
                num_rows: 20,
                truncate: true,
            },
            OutputMode::Append,
            "",
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark;"
    );
}

#[test]
fn a_query_restarted_over_its_checkpoint_neither_skips_nor_repeats_a_record() {
    let w = world();
    produce_orders(&w, 0, 25);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let df = || {
        select(
            kafka(true, &[("maxOffsetsPerTrigger", "10")]),
            &["CAST(key AS STRING) AS key", "offset", "partition"],
        )
    };
    let table_sink = || Sink::Table {
        name: "orders_bronze".into(),
    };
    {
        let mut spark = session(&w, &catalog);
        let q = spark
            .start(spec(df(), table_sink(), OutputMode::Append, "/cp/bronze"))
            .expect("starts");
        // One batch only, then the "tab" goes away.
        spark.step(q, true);
    }
    produce_orders(&w, 25, 15);
    let mut spark = session(&w, &catalog);
    let q = spark
        .start(spec(df(), table_sink(), OutputMode::Append, "/cp/bronze"))
        .expect("restarts");
    spark.process_all_available(q).expect("runs");
    let rows = catalog.borrow().table("orders_bronze").unwrap().rows();
    let mut seen: Vec<(i64, i32)> = rows
        .iter()
        .map(|r| match (&r[1], &r[2]) {
            (Value::Long(o), Value::Integer(p)) => (*o, *p),
            other => panic!("{other:?}"),
        })
        .collect();
    brooklet::sort::sort(&mut seen);
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "a record was written twice");
    assert_eq!(seen.len(), 40, "a record was skipped");
}

#[test]
fn a_long_running_query_keeps_the_last_hundred_batches_of_its_checkpoint() {
    let w = world();
    // Two partitions with data: each batch reads one record of each (Spark's rounding up).
    produce_orders(&w, 0, 260);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let df = || {
        select(
            kafka(true, &[("maxOffsetsPerTrigger", "1")]),
            &["offset", "partition"],
        )
    };
    let table_sink = || Sink::Table {
        name: "bronze".into(),
    };
    {
        let mut spark = session(&w, &catalog);
        let q = spark
            .start(spec(df(), table_sink(), OutputMode::Append, "/cp/long"))
            .expect("starts");
        spark.process_all_available(q).expect("runs");
    }
    let files = |dir: &str| {
        use brooklet::streams::checkpoint::CheckpointStore;
        catalog
            .borrow()
            .checkpoints
            .list(&format!("/cp/long/{dir}/"))
            .len()
    };
    assert_eq!(files("offsets"), 100);
    assert_eq!(files("commits"), 100);
    produce_orders(&w, 260, 5);
    let mut spark = session(&w, &catalog);
    let q = spark
        .start(spec(df(), table_sink(), OutputMode::Append, "/cp/long"))
        .expect("restarts");
    spark.process_all_available(q).expect("runs");
    assert_eq!(catalog.borrow().table("bronze").unwrap().rows().len(), 265);
}

#[test]
fn a_stream_starting_at_latest_reads_what_arrives_after_it_started() {
    let w = world();
    produce_orders(&w, 0, 3);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let latest = {
        let o = options(&[
            ("kafka.bootstrap.servers", "localhost:9092"),
            ("subscribe", "orders"),
        ]);
        Rc::new(Plan::Kafka {
            options: Rc::new(KafkaSourceOptions::for_stream(&o).unwrap()),
            streaming: true,
        })
    };
    let df = select(latest, &["offset"]);
    let q = spark
        .start(spec(
            df,
            Sink::Memory {
                name: "seen".into(),
            },
            OutputMode::Append,
            "",
        ))
        .expect("starts");
    // Produced after start() but before the first trigger: Spark fixed "latest" at the start.
    produce_orders(&w, 3, 2);
    spark.process_all_available(q).expect("runs");
    let seen = spark.collect(&spark.table("seen").unwrap()).unwrap();
    assert_eq!(seen.rows.len(), 2);
}

#[test]
fn to_table_creates_the_table_when_the_query_starts() {
    let w = world();
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let df = select(kafka(true, &[]), &["offset"]);
    spark
        .start(spec(
            df,
            Sink::Table {
                name: "bronze".into(),
            },
            OutputMode::Append,
            "/cp/t",
        ))
        .expect("starts");
    let table = spark
        .collect(&spark.table("bronze").expect("exists at start"))
        .unwrap();
    assert!(table.rows.is_empty());
    assert_eq!(table.schema[0].name, "offset");
}

#[test]
fn a_complete_mode_query_overwrites_its_table_and_update_mode_is_refused_as_delta_does() {
    let w = world();
    produce_orders(&w, 0, 10);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let counts = || {
        Rc::new(Plan::Aggregate {
            input: select(
                kafka(true, &[("maxOffsetsPerTrigger", "4")]),
                &["CAST(key AS STRING) AS k"],
            ),
            keys: vec![parse_expression("k").unwrap()],
            items: vec![
                parse_select_item("k").unwrap(),
                parse_select_item("count(*) AS n").unwrap(),
            ],
            having: None,
        })
    };
    let table = || Sink::Table {
        name: "counts".into(),
    };
    let err = spark
        .start(spec(counts(), table(), OutputMode::Update, "/cp/u"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Data source org.apache.spark.sql.delta.sources.DeltaDataSource does not support Update output mode"
    );
    let q = spark
        .start(spec(counts(), table(), OutputMode::Complete, "/cp/c"))
        .expect("starts");
    spark.process_all_available(q).expect("runs");
    let rows = catalog.borrow().table("counts").unwrap().rows();
    // One row per customer key (7 of them), not one per key per batch.
    assert_eq!(rows.len(), 7, "{rows:?}");
    let total: i64 = rows
        .iter()
        .map(|r| match r[1] {
            Value::Long(n) => n,
            _ => 0,
        })
        .sum();
    assert_eq!(total, 10);
    let other = select(kafka(true, &[]), &["offset"]);
    let err = spark
        .start(spec(other, table(), OutputMode::Append, "/cp/o"))
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("A schema mismatch detected when writing to the Delta table counts."),
        "{err}"
    );
}

#[test]
fn a_topic_made_again_with_fewer_records_is_data_loss_for_a_running_query() {
    let w = world();
    produce_orders(&w, 0, 10);
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let mut spark = session(&w, &catalog);
    let q = spark
        .start(spec(
            select(kafka(true, &[]), &["offset"]),
            Sink::Memory { name: "m".into() },
            OutputMode::Append,
            "/cp/l",
        ))
        .expect("starts");
    spark.process_all_available(q).expect("runs");
    w.broker
        .borrow_mut()
        .delete_topic("orders")
        .expect("deleted");
    w.topic("orders", 2);
    produce_orders(&w, 0, 2);
    let err = spark.process_all_available(q).unwrap_err();
    assert!(err.to_string().contains("offset was changed from"), "{err}");
}

#[test]
fn a_checkpoint_runs_one_query_at_a_time_across_the_sessions_of_a_catalog() {
    let w = world();
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    let df = || select(kafka(true, &[]), &["offset"]);
    let memory = || Sink::Memory { name: "m".into() };
    let mut first = session(&w, &catalog);
    first
        .start(spec(df(), memory(), OutputMode::Append, "/cp/one"))
        .expect("starts");
    let mut second = session(&w, &catalog);
    let err = second
        .start(spec(df(), memory(), OutputMode::Append, "/cp/one"))
        .unwrap_err();
    assert!(
        err.to_string().starts_with("Cannot start query with id "),
        "{err}"
    );
    assert!(err.to_string().ends_with("as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active."));
    // The first shell exits: its query ends, and the checkpoint is free again.
    drop(first);
    second
        .start(spec(df(), memory(), OutputMode::Append, "/cp/one"))
        .expect("starts now");
}
