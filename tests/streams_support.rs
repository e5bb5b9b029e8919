//! Shared set-up for the streams tests (included by each `streams_*.rs` with `#[path]`): a
//! broker on a manual clock, Kafka source plans, select lists and aggregations written as text,
//! and query specs.
#![allow(dead_code, unused_imports)]
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use std::cell::RefCell;
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

pub use client_support::{World, START};

/// A world with `topics` (name, partitions).
pub fn world(topics: &[(&str, i32)]) -> World {
    let w = World::new();
    for (name, partitions) in topics {
        w.topic(name, *partitions);
    }
    w
}

/// Appends one record to `topic`/`partition`.
pub fn produce(w: &World, topic: &str, partition: i32, key: Option<&str>, value: &str) {
    let now = w.broker.borrow().now_ms();
    let record = NewRecord::new(
        key.map(|k| k.to_string().into()),
        Some(value.to_string().into()),
        now,
    );
    w.broker
        .borrow_mut()
        .append(topic, partition, &[record], Acks::All)
        .expect("appended");
}

/// A Kafka source over `topic` from the earliest offsets, with `extra` options.
pub fn kafka(topic: &str, streaming: bool, extra: &[(&str, &str)]) -> Rc<Plan> {
    let mut o: Vec<(String, String)> = [
        ("kafka.bootstrap.servers", "localhost:9092"),
        ("subscribe", topic),
        ("startingOffsets", "earliest"),
    ]
    .iter()
    .chain(extra)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if !streaming {
        o.retain(|(k, _)| k != "maxOffsetsPerTrigger");
    }
    let checked = if streaming {
        KafkaSourceOptions::for_stream(&o)
    } else {
        KafkaSourceOptions::for_batch(&o)
    };
    Rc::new(Plan::Kafka {
        options: Rc::new(checked.expect("options")),
        streaming,
    })
}

/// `input.select(items…)`, each item written in SQL.
pub fn select(input: Rc<Plan>, items: &[&str]) -> Rc<Plan> {
    let items = items
        .iter()
        .map(|i| parse_select_item(i).expect("parses"))
        .collect();
    Rc::new(Plan::Project { input, items })
}

/// `input.groupBy(keys…).agg(items…)`.
pub fn aggregate(input: Rc<Plan>, keys: &[&str], items: &[&str]) -> Rc<Plan> {
    Rc::new(Plan::Aggregate {
        input,
        keys: keys
            .iter()
            .map(|k| parse_expression(k).expect("parses"))
            .collect(),
        items: items
            .iter()
            .map(|i| parse_select_item(i).expect("parses"))
            .collect(),
        having: None,
    })
}

/// `input.withWatermark(column, delay)`.
pub fn watermark(input: Rc<Plan>, column: &str, delay: &str) -> Rc<Plan> {
    Rc::new(Plan::Watermark {
        input,
        column: column.into(),
        delay: delay.into(),
        delay_micros: brooklet::streams::interval::parse_interval(delay).expect("interval"),
    })
}

/// A session over `w` and `catalog`.
pub fn session(w: &World, catalog: &Rc<RefCell<Catalog>>) -> SparkSession {
    SparkSession::new(w.broker.clone(), w.groups.clone(), Rc::clone(catalog), 3)
}

/// A fresh catalog.
pub fn catalog() -> Rc<RefCell<Catalog>> {
    Rc::new(RefCell::new(Catalog::default()))
}

/// A query spec with a zero processing-time trigger.
pub fn spec(plan: Rc<Plan>, sink: Sink, mode: OutputMode, checkpoint: &str) -> QuerySpec {
    QuerySpec {
        name: None,
        sink,
        mode,
        trigger: Trigger::ProcessingTime(0),
        checkpoint: checkpoint.into(),
        plan,
    }
}

/// A memory sink called `name`.
pub fn memory(name: &str) -> Sink {
    Sink::Memory { name: name.into() }
}

/// A cell as text, for comparing rows with expectations written by hand.
pub fn text(v: &Value) -> String {
    brooklet::streams::eval::cast::value_to_text(v)
}
