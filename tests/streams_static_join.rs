//! A stream joined with a static side (`spark.read…load()` of a topic): the static side is read
//! whole in every micro-batch (Spark re-runs a static plan), only the stream's offsets are
//! logged, and a restart — also of a logged but uncommitted batch — resumes the stream.

#[path = "streams_support.rs"]
mod streams_support;

use std::cell::Cell;
use std::rc::Rc;

use brooklet::client::{Producer, ProducerConfig};
use brooklet::streams::plan::{OutputMode, Plan};
use brooklet::streams::query::sink::{KafkaColumns, Sink};
use brooklet::streams::session::SparkSession;
use brooklet::streams::sql::ast::{JoinConstraint, JoinKind};
use streams_support::*;

/// `users` (static) joined with `clicks` (a stream); `static_left` puts the static side first.
fn joined(static_left: bool) -> Rc<Plan> {
    let users = select(
        kafka("users", false, &[]),
        &[
            "CAST(key AS STRING) AS user",
            "CAST(value AS STRING) AS name",
        ],
    );
    let clicks = select(
        kafka("clicks", true, &[]),
        &["CAST(key AS STRING) AS user", "offset"],
    );
    let (left, right) = if static_left {
        (users, clicks)
    } else {
        (clicks, users)
    };
    let join = Rc::new(Plan::Join {
        left,
        right,
        kind: JoinKind::Inner,
        constraint: JoinConstraint::Using(vec!["user".into()]),
    });
    select(
        join,
        &[
            "user AS key",
            "concat(user, '=', name, '@', CAST(offset AS STRING)) AS value",
        ],
    )
}

fn users_and_clicks() -> World {
    let w = world(&[("clicks", 1), ("users", 1), ("out", 1)]);
    produce(&w, "users", 0, Some("u1"), "Ada");
    produce(&w, "users", 0, Some("u2"), "Bob");
    w
}

fn values(spark: &mut SparkSession, topic: &str) -> Vec<String> {
    spark
        .collect(&select(
            kafka(topic, false, &[]),
            &["CAST(value AS STRING)"],
        ))
        .unwrap()
        .rows
        .iter()
        .map(|r| text(&r[0]))
        .collect()
}

#[test]
fn a_stream_joined_with_a_static_kafka_read_sees_the_whole_static_side_in_every_batch() {
    let w = users_and_clicks();
    let catalog = catalog();
    let mut spark = session(&w, &catalog);
    let q = spark
        .start(spec(
            joined(false),
            memory("joined"),
            OutputMode::Append,
            "",
        ))
        .expect("starts");
    produce(&w, "clicks", 0, Some("u1"), "");
    spark.process_all_available(q).expect("runs");
    produce(&w, "clicks", 0, Some("u2"), "");
    produce(&w, "clicks", 0, Some("u3"), "");
    spark.process_all_available(q).expect("runs");
    let got: Vec<String> = spark
        .collect(&spark.table("joined").unwrap())
        .unwrap()
        .rows
        .iter()
        .map(|r| text(&r[1]))
        .collect();
    assert_eq!(got, ["u1=Ada@0", "u2=Bob@1"]);
    let inputs: Vec<u64> = spark
        .query(q)
        .unwrap()
        .progress
        .iter()
        .map(|p| p.num_input_rows)
        .collect();
    assert_eq!(inputs, [1, 2], "numInputRows counts the stream only");
}

#[test]
fn a_static_left_side_survives_a_restart_in_the_middle_of_a_batch() {
    let w = users_and_clicks();
    let catalog = catalog();
    let durable = Rc::new(Cell::new(true));
    let start = |durable: &Rc<Cell<bool>>| {
        let durable = Rc::clone(durable);
        let mut spark = session(&w, &catalog).with_producers(Rc::new(move |broker| {
            let durable = Rc::clone(&durable);
            Producer::new(broker, ProducerConfig::default())
                .with_acknowledger(move |_: &_, _| durable.get())
        }));
        let sink = Sink::Kafka {
            topic: Some("out".into()),
            columns: KafkaColumns::default(),
        };
        let q = spark
            .start(spec(joined(true), sink, OutputMode::Append, "/cp/join"))
            .expect("starts");
        (spark, q)
    };
    let (mut spark, q) = start(&durable);
    produce(&w, "clicks", 0, Some("u1"), "");
    spark.process_all_available(q).expect("runs");
    produce(&w, "clicks", 0, Some("u2"), "");
    durable.set(false);
    assert!(!spark.step(q, true).ran, "the batch waits for its records");
    drop(spark);
    durable.set(true);
    produce(&w, "users", 0, Some("u3"), "Cy");
    produce(&w, "clicks", 0, Some("u3"), "");
    let (mut spark, q) = start(&durable);
    spark.process_all_available(q).expect("runs");
    // The uncommitted batch runs again (the Kafka sink is at-least-once), then the rest.
    assert_eq!(
        values(&mut spark, "out"),
        ["u1=Ada@0", "u2=Bob@1", "u2=Bob@1", "u3=Cy@2"]
    );
}
