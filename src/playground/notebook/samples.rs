//! The sample notebooks: the course's examples as cells, each with the topics it reads, so
//! that one click sets up a topic with data and the code to run over it.
//!
//! Owns the samples' text and data. Must not create topics or run cells (the engine does,
//! when a sample is loaded).

use super::cell::CellKind;
use crate::playground::sample_orders::SampleRun;
use crate::playground::terminal::samples::WEBCLICKS_DAT;

/// A topic a sample reads or writes, created when it is missing.
#[derive(Debug, Clone, Copy)]
pub struct SampleTopic {
    /// The topic's name.
    pub name: &'static str,
    /// Its partition count when created.
    pub partitions: u32,
    /// The records it is filled with when it is created or empty: `(key, value)`.
    pub records: fn() -> Vec<(Option<String>, String)>,
}

/// A sample notebook.
#[derive(Debug, Clone, Copy)]
pub struct SampleNotebook {
    /// Its id (the button's test id, `retail`).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// What it shows, in a sentence.
    pub summary: &'static str,
    /// The topics it needs.
    pub topics: &'static [SampleTopic],
    /// Its cells, in order.
    pub cells: &'static [(CellKind, &'static str)],
}

/// How many sample orders a fresh `orders` topic gets.
pub const SAMPLE_ORDER_COUNT: u64 = 120;

/// The seed of the sample orders, so that every playground's samples show the same orders.
const SAMPLE_ORDER_SEED: u64 = 2024;

fn orders() -> Vec<(Option<String>, String)> {
    SampleRun::counted(SAMPLE_ORDER_SEED, 1, SAMPLE_ORDER_COUNT).next_chunk(SAMPLE_ORDER_COUNT)
}

fn nothing() -> Vec<(Option<String>, String)> {
    Vec::new()
}

fn sentences() -> Vec<(Option<String>, String)> {
    [
        "the quick brown fox",
        "jumps over the lazy dog",
        "the dog sleeps",
        "a fox is quick and a dog is lazy",
        "the end",
    ]
    .iter()
    .map(|l| (None, (*l).to_owned()))
    .collect()
}

fn web_clicks() -> Vec<(Option<String>, String)> {
    WEBCLICKS_DAT
        .lines()
        .map(|l| (None, l.to_owned()))
        .collect()
}

const ORDERS: SampleTopic = SampleTopic {
    name: "orders",
    partitions: 3,
    records: orders,
};

/// The course's reading of the orders topic: the stream, its columns cast, the DDL schema,
/// `from_json`, and the `orders` view the SQL cells use.
const READ_ORDERS: &str = r#"from pyspark.sql.functions import *
from pyspark.sql.types import *

df = spark.readStream.format("kafka") \
  .option("kafka.bootstrap.servers", "localhost:9092") \
  .option("subscribe", "orders").option("startingOffsets", "earliest") \
  .option("maxOffsetsPerTrigger", 50).load()
converted_orders_df = df.selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "topic", "partition", "offset", "timestamp", "timestampType")
orders_schema = "order_id long, customer_id long, customer_fname string, customer_lname string, city string, state string, zipcode long, line_items array<struct<order_item_id : long, order_item_product_id : long, order_item_quantity : long, order_item_product_price : float, order_item_subtotal : float>>"
parsed_orders_df = converted_orders_df.select("key", from_json("value", orders_schema).alias("value"), "topic", "partition", "offset", "timestamp", "timestampType")
parsed_orders_df.createOrReplaceTempView("orders")
parsed_orders_df.printSchema()"#;

const EXPLODE_ORDERS: &str = r#"exploded_orders = spark.sql("""select key, value.order_id as order_id, value.customer_id as customer_id,
  value.customer_fname as customer_fname, value.customer_lname as customer_lname, value.city as city,
  value.state as state, value.zipcode as zipcode, explode(value.line_items) as lines from orders""")
exploded_orders"#;

const CUSTOMER_TOTALS: &str = r#"customer_totals = exploded_orders.groupBy("customer_id") \
  .agg(count(lit(1)).alias("total_line_items"), round(sum("lines.order_item_subtotal"), 2).alias("total_amount"))
totals = customer_totals.writeStream.outputMode("complete").format("memory").queryName("customer_totals").start()
totals.processAllAvailable()"#;

/// The sample notebooks, in the order the page offers them.
pub const SAMPLES: [SampleNotebook; 5] = [
    SampleNotebook {
        id: "retail",
        title: "Retail pipeline",
        summary: "Orders as JSON, parsed with from_json, exploded into line items, kept in a bronze table and totalled per customer.",
        topics: &[ORDERS],
        cells: &[
            (CellKind::Python, READ_ORDERS),
            (CellKind::Python, EXPLODE_ORDERS),
            (
                CellKind::Python,
                r#"bronze = converted_orders_df.writeStream.format("delta").outputMode("append") \
  .option("checkpointLocation", "/tmp/checkpoints/orders_bronze").toTable("orders_bronze")
bronze.processAllAvailable()"#,
            ),
            (
                CellKind::Sql,
                "select count(*) as orders, count(distinct key) as customers, max(offset) as last_offset from orders_bronze",
            ),
            (CellKind::Python, CUSTOMER_TOTALS),
            (
                CellKind::Sql,
                "select * from customer_totals order by total_amount desc limit 10",
            ),
        ],
    },
    SampleNotebook {
        id: "chicago",
        title: "Chicago orders to a topic",
        summary: "A filter in SQL whose rows a Kafka sink writes to their own topic, read back with a batch query.",
        topics: &[
            ORDERS,
            SampleTopic {
                name: "chicago_orders",
                partitions: 1,
                records: nothing,
            },
        ],
        cells: &[
            (CellKind::Python, READ_ORDERS),
            (
                CellKind::Python,
                r#"# The sample orders spell the city "Chicago"; the course's data writes "chicago".
filtered_orders = spark.sql("select CAST(key as string) as key, CAST(value as string) as value from orders where value.city = 'Chicago'")
chicago = filtered_orders.writeStream.queryName("ingestionQuery").format("kafka").outputMode("append") \
  .option("checkpointLocation", "/tmp/checkpoints/ingestionQuery").option("kafka.bootstrap.servers", "localhost:9092").option("topic", "chicago_orders").start()
chicago.processAllAvailable()"#,
            ),
            (
                CellKind::Python,
                r#"chicago_df = spark.read.format("kafka").option("kafka.bootstrap.servers", "localhost:9092") \
  .option("subscribe", "chicago_orders").option("startingOffsets", "earliest").load()
display(chicago_df.selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "offset"))"#,
            ),
        ],
    },
    SampleNotebook {
        id: "customer-totals",
        title: "Per-customer totals",
        summary: "Total orders, line items and amount per customer, streamed in complete mode and checked against a batch read of the same topic.",
        topics: &[ORDERS],
        cells: &[
            (CellKind::Python, READ_ORDERS),
            (CellKind::Python, EXPLODE_ORDERS),
            (CellKind::Python, CUSTOMER_TOTALS),
            (
                CellKind::Sql,
                "select * from customer_totals order by total_amount desc limit 10",
            ),
            (
                CellKind::Python,
                r#"# The same totals from a batch read of the whole topic: they match the stream's.
orders_now = spark.read.format("kafka").option("kafka.bootstrap.servers", "localhost:9092") \
  .option("subscribe", "orders").option("startingOffsets", "earliest").load() \
  .select(from_json(col("value").cast("string"), orders_schema).alias("o"))
lines_now = orders_now.select("o.customer_id", explode("o.line_items").alias("lines"))
display(lines_now.groupBy("customer_id").agg(count(lit(1)).alias("total_line_items"), round(sum("lines.order_item_subtotal"), 2).alias("total_amount")).orderBy(desc("total_amount")).limit(10))"#,
            ),
        ],
    },
    SampleNotebook {
        id: "word-count",
        title: "Word count",
        summary: "Lines of text split into words and counted in complete mode; produce more lines and watch the counts grow.",
        topics: &[SampleTopic {
            name: "lines",
            partitions: 1,
            records: sentences,
        }],
        cells: &[
            (
                CellKind::Python,
                r#"from pyspark.sql.functions import explode, split, col, lower
lines = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092") \
    .option("subscribe", "lines").option("startingOffsets", "earliest").load() \
    .selectExpr("CAST(value AS STRING) AS line")
words = lines.select(explode(split(lower(col("line")), " ")).alias("word"))
word_counts = words.groupBy("word").count()
query = word_counts.writeStream.outputMode("complete").format("memory").queryName("word_counts").start()
query.processAllAvailable()"#,
            ),
            (
                CellKind::Sql,
                "select * from word_counts order by count desc, word limit 10",
            ),
        ],
    },
    SampleNotebook {
        id: "time-spent",
        title: "User time spent",
        summary: "Web clicks per user in 10-minute event-time windows under a 5-minute watermark: step one trigger at a time and watch late clicks dropped.",
        topics: &[SampleTopic {
            name: "t2",
            partitions: 1,
            records: web_clicks,
        }],
        cells: &[
            (
                CellKind::Python,
                r#"from pyspark.sql.functions import split, col, window, count, min, max, unix_timestamp
clicks = spark.readStream.format("kafka") \
    .option("kafka.bootstrap.servers", "localhost:9092") \
    .option("subscribe", "t2") \
    .option("startingOffsets", "earliest") \
    .option("maxOffsetsPerTrigger", 5) \
    .load() \
    .selectExpr("CAST(value AS STRING) AS line") \
    .select(split(col("line"), ",").alias("f")) \
    .select(col("f")[0].alias("user_id"), col("f")[1].alias("page"), col("f")[2].cast("timestamp").alias("event_time"))
clicks.printSchema()"#,
            ),
            (
                CellKind::Python,
                r#"time_spent = clicks.withWatermark("event_time", "5 minutes") \
    .groupBy(window("event_time", "10 minutes"), "user_id") \
    .agg(count("*").alias("clicks"), min("event_time").alias("first_click"), max("event_time").alias("last_click")) \
    .withColumn("seconds_spent", unix_timestamp("last_click") - unix_timestamp("first_click"))
# A trigger every 30 seconds: step the query's card one trigger at a time to watch the
# watermark move, then send a late click and see numRowsDroppedByWatermark count it.
query = time_spent.writeStream.outputMode("update").format("console").option("truncate", False) \
    .trigger(processingTime="30 seconds").option("checkpointLocation", "/tmp/checkpoints/time_spent").start()"#,
            ),
        ],
    },
];

/// The sample with `id`.
pub fn sample(id: &str) -> Option<&'static SampleNotebook> {
    SAMPLES.iter().find(|s| s.id == id)
}
