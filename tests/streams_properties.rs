//! The course's per-customer pipeline (from_json with the orders DDL → explode line items →
//! groupBy customer → count, units, sum and avg of subtotals) over random order streams, cut
//! into random micro-batches, with a reload at a random point — sometimes between a batch's
//! offset log entry and its commit — must give what a direct computation over the same records
//! gives, and the bronze table must hold each record exactly once.

#[path = "streams_support.rs"]
mod streams_support;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use brooklet::client::{Producer, ProducerConfig};
use brooklet::streams::checkpoint::CheckpointStore;
use brooklet::streams::plan::OutputMode;
use brooklet::streams::query::sink::{KafkaColumns, Sink};
use brooklet::streams::value::Value;
use proptest::prelude::*;
use streams_support::*;

const ORDERS_DDL: &str = "order_id long, customer_id long, customer_fname string, customer_lname string, city string, state string, zipcode long, line_items array<struct<order_item_id : long, order_item_product_id : long, order_item_quantity : long, order_item_product_price : float, order_item_subtotal : float>>";
const CITIES: [&str; 4] = ["chicago", "denver", "brooklyn", "austin"];

#[derive(Debug, Clone)]
struct Order {
    customer: i64,
    city: usize,
    /// (quantity, subtotal in quarters: exact in a float, so sums do not depend on order).
    items: Vec<(i64, i32)>,
    keyed: bool,
    partition: i32,
}

fn order_json(id: usize, o: &Order) -> String {
    let items: Vec<String> = o
        .items
        .iter()
        .enumerate()
        .map(|(i, (q, quarters))| {
            let subtotal = f64::from(*quarters) / 4.0;
            format!(
                "{{\"order_item_id\":{},\"order_item_product_id\":{},\"order_item_quantity\":{q},\"order_item_product_price\":{},\"order_item_subtotal\":{subtotal}}}",
                id * 10 + i,
                100 + i,
                subtotal / *q as f64
            )
        })
        .collect();
    format!(
        "{{\"order_id\":{id},\"customer_id\":{},\"customer_fname\":\"F{}\",\"customer_lname\":\"L\",\"city\":\"{}\",\"state\":\"IL\",\"zipcode\":60601,\"line_items\":[{}]}}",
        o.customer,
        o.customer,
        CITIES[o.city],
        items.join(",")
    )
}

fn order() -> impl Strategy<Value = Order> {
    (
        0i64..6,
        0usize..CITIES.len(),
        prop::collection::vec((1i64..5, 1i32..400), 0..4),
        any::<bool>(),
        0i32..3,
    )
        .prop_map(|(customer, city, items, keyed, partition)| Order {
            customer,
            city,
            items,
            keyed,
            partition,
        })
}

#[derive(Debug, Clone)]
struct Case {
    orders: Vec<Order>,
    /// Where the stream is cut into produce chunks.
    chunks: Vec<usize>,
    max_offsets: usize,
    complete: bool,
    /// After which chunk the session is dropped.
    reload_after: usize,
    /// Whether the reload comes after a batch was logged and run but not committed.
    mid_batch: bool,
    /// Single steps before `processAllAvailable` after each chunk.
    steps: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(order(), 1..40),
        prop::collection::vec(1usize..12, 1..6),
        1usize..15,
        any::<bool>(),
        0usize..6,
        any::<bool>(),
        0usize..3,
    )
        .prop_map(
            |(orders, chunks, max_offsets, complete, reload_after, mid_batch, steps)| Case {
                orders,
                chunks,
                max_offsets,
                complete,
                reload_after,
                mid_batch,
                steps,
            },
        )
}

/// Per customer: line items, units, amount.
type Totals = BTreeMap<i64, (i64, i64, f64)>;

fn direct(orders: &[Order]) -> Totals {
    let mut want = Totals::new();
    for o in orders {
        for (q, quarters) in &o.items {
            let e = want.entry(o.customer).or_default();
            e.0 += 1;
            e.1 += q;
            e.2 += f64::from(*quarters) / 4.0;
        }
    }
    want
}

struct Pipeline {
    world: World,
    catalog: Rc<std::cell::RefCell<brooklet::streams::session::Catalog>>,
    durable: Rc<Cell<bool>>,
    max_offsets: String,
    mode: OutputMode,
}

impl Pipeline {
    fn start(&self) -> (brooklet::streams::session::SparkSession, usize, usize) {
        let durable = Rc::clone(&self.durable);
        let mut spark =
            session(&self.world, &self.catalog).with_producers(Rc::new(move |broker| {
                let durable = Rc::clone(&durable);
                Producer::new(broker, ProducerConfig::default())
                    .with_acknowledger(move |_: &_, _| durable.get())
            }));
        let source = kafka(
            "orders",
            true,
            &[("maxOffsetsPerTrigger", self.max_offsets.as_str())],
        );
        let parsed = select(
            Rc::clone(&source),
            &[
                "CAST(key AS STRING) AS key",
                &format!("from_json(CAST(value AS STRING), '{ORDERS_DDL}') AS value"),
                "topic",
                "partition",
                "offset",
            ],
        );
        spark.create_or_replace_temp_view("orders", parsed);
        let exploded = spark
            .sql("select key, value.order_id as order_id, value.customer_id as customer_id, explode(value.line_items) as lines from orders")
            .expect("plans");
        let totals = aggregate(
            exploded,
            &["customer_id"],
            &[
                "customer_id",
                "count(*) AS line_items",
                "sum(lines.order_item_quantity) AS units",
                "sum(lines.order_item_subtotal) AS amount",
                "avg(lines.order_item_subtotal) AS average",
            ],
        );
        let records = select(
            totals,
            &[
                "CAST(customer_id AS STRING) AS key",
                "to_json(struct(line_items, units, amount, average)) AS value",
            ],
        );
        let sink = Sink::Kafka {
            topic: Some("totals".into()),
            columns: KafkaColumns::default(),
        };
        let q = spark
            .start(spec(records, sink, self.mode, "/cp/totals"))
            .expect("starts");
        let bronze = select(
            source,
            &["CAST(key AS STRING) AS key", "partition", "offset"],
        );
        let b = spark
            .start(spec(
                bronze,
                Sink::Table {
                    name: "orders_bronze".into(),
                },
                OutputMode::Append,
                "/cp/bronze",
            ))
            .expect("starts");
        (spark, q, b)
    }
}

/// The last value the `totals` topic holds per customer.
fn folded(p: &Pipeline) -> Result<Totals, TestCaseError> {
    let mut spark = session(&p.world, &p.catalog);
    let out = spark
        .collect(&select(
            kafka("totals", false, &[]),
            &["CAST(key AS STRING)", "CAST(value AS STRING)"],
        ))
        .expect("reads");
    let mut got = Totals::new();
    for row in &out.rows {
        let (Value::String(k), Value::String(v)) = (&row[0], &row[1]) else {
            return Err(TestCaseError::fail(format!("{row:?}")));
        };
        let json: serde_json::Value = serde_json::from_str(v).expect("json");
        let n = json["line_items"].as_i64().unwrap_or(-1);
        let units = json["units"].as_i64().unwrap_or(-1);
        let amount = json["amount"].as_f64().unwrap_or(f64::NAN);
        let average = json["average"].as_f64().unwrap_or(f64::NAN);
        // The average divides the exact running sum; `amount` may be rounded by the pipeline,
        // so the two agree to a few units in the last place, not bit for bit.
        let expected = amount / n as f64;
        prop_assert!(
            (average - expected).abs() <= 1e-9 * expected.abs().max(1.0),
            "avg of {}: {} against {}",
            v,
            average,
            expected
        );
        got.insert(k.parse().expect("key"), (n, units, amount));
    }
    Ok(got)
}

fn run_case(c: &Case) -> Result<(), TestCaseError> {
    let p = Pipeline {
        world: world(&[("orders", 3), ("totals", 1)]),
        catalog: catalog(),
        durable: Rc::new(Cell::new(true)),
        max_offsets: c.max_offsets.to_string(),
        mode: if c.complete {
            OutputMode::Complete
        } else {
            OutputMode::Update
        },
    };
    let (mut spark, mut q, mut b) = p.start();
    let mut next = 0;
    for (i, n) in c.chunks.iter().enumerate() {
        let end = (next + n).min(c.orders.len());
        for (id, o) in c.orders.iter().enumerate().take(end).skip(next) {
            let key = format!("{}", o.customer);
            let key = o.keyed.then_some(key.as_str());
            produce(&p.world, "orders", o.partition, key, &order_json(id, o));
        }
        next = end;
        for _ in 0..c.steps {
            spark.step(q, true);
            spark.step(b, true);
        }
        if i == c.reload_after {
            if c.mid_batch {
                // The totals batch is logged and run, but its records are not acknowledged:
                // the commit waits, and the tab goes away.
                p.durable.set(false);
                let read: i64 = spark
                    .query(q)
                    .and_then(|q| q.committed_offsets()[0].clone())
                    .map_or(0, |o| o.0.values().sum());
                spark.step(q, true);
                let files = |dir: &str| {
                    p.catalog
                        .borrow()
                        .checkpoints
                        .list(&format!("/cp/totals/{dir}/"))
                        .len()
                };
                if read < next as i64 {
                    // A batch whose rows the sink has not had acknowledged is logged and not
                    // committed; one with no rows to send (orders without line items) commits.
                    let pending = files("offsets") == files("commits") + 1;
                    let sent_nothing = spark
                        .query(q)
                        .and_then(|q| q.progress.last())
                        .is_some_and(|last| last.sink_output_rows == 0);
                    prop_assert!(
                        pending || sent_nothing,
                        "the batch is logged, not committed"
                    );
                }
            }
            drop(spark);
            p.durable.set(true);
            (spark, q, b) = p.start();
        } else {
            spark.process_all_available(q).expect("runs");
        }
    }
    let rest = &c.orders[next..];
    for (k, o) in rest.iter().enumerate() {
        produce(
            &p.world,
            "orders",
            o.partition,
            None,
            &order_json(next + k, o),
        );
    }
    spark.process_all_available(q).expect("runs");
    spark.process_all_available(b).expect("runs");
    prop_assert_eq!(folded(&p)?, direct(&c.orders));

    let rows = p.catalog.borrow().table("orders_bronze").map(|t| t.rows());
    let mut seen: Vec<(String, String)> = rows
        .unwrap_or_default()
        .iter()
        .map(|r| (text(&r[1]), text(&r[2])))
        .collect();
    brooklet::sort::sort(&mut seen);
    let before = seen.len();
    seen.dedup();
    prop_assert_eq!(before, seen.len(), "a record was written twice");
    prop_assert_eq!(seen.len(), c.orders.len(), "a record was skipped");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn per_customer_totals_survive_random_batches_and_a_reload(c in case()) {
        run_case(&c)?;
    }
}
