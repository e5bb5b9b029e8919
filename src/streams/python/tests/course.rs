//! The course's PySpark, as pasted (issue 14), parses to the tree the interpreter walks.

use super::super::ast::{Expr, Stmt, StmtKind};
use super::super::parse_program;
use super::parsed;

#[test]
fn the_kafka_stream_read_with_backslash_continuations_is_one_chain_of_calls() {
    let source = r#"df = spark.readStream.format("kafka") \
  .option("kafka.bootstrap.servers", "localhost:9092") \
  .option("subscribe", "t1").option("startingOffsets", "earliest") \
  .option("maxOffsetsPerTrigger", 50).load()
df = df.selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)")
query = df.writeStream.outputMode("append").format("console").start()
"#;
    assert_eq!(
        parsed(source),
        r#"df = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "t1").option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", 50).load()
df = df.selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)")
query = df.writeStream.outputMode("append").format("console").start()"#
    );
}

#[test]
fn each_statement_carries_the_line_it_starts_on() {
    let source =
        "df = spark.readStream \\\n  .load()\n\n# a comment\nquery = df.writeStream.start()\n";
    let lines: Vec<usize> = parse_program(source)
        .map(|s| s.iter().map(|s| s.line).collect())
        .unwrap_or_default();
    assert_eq!(lines, vec![1, 5]);
}

#[test]
fn the_retail_pipeline_parses_as_pasted() {
    let source = r#"from pyspark.sql.functions import *
from pyspark.sql.types import *

orders_schema = "order_id long, customer_id long, customer_fname string, customer_lname string, city string, state string, zipcode long, line_items array<struct<order_item_id : long, order_item_product_id : long, order_item_quantity : long, order_item_product_price : float, order_item_subtotal : float>>"
converted_orders_df = df.selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "topic", "partition", "offset", "timestamp", "timestampType")
parsed_orders_df = converted_orders_df.select("key", from_json("value", orders_schema).alias("value"), "topic", "partition", "offset", "timestamp", "timestampType")
parsed_orders_df.createOrReplaceTempView("orders")
exploded_orders = spark.sql("""select key, value.order_id as order_id, value.customer_id as customer_id, value.customer_fname as customer_fname, value.customer_lname as customer_lname, value.city as city, value.state as state, value.zipcode as zipcode, explode(value.line_items) as lines from orders""")
filtered_orders = spark.sql("select CAST(key as string) as key, CAST(value as string) as value from orders where value.city = 'chicago'")
filtered_orders.writeStream.queryName("ingestionQuery").format("kafka").outputMode("append") \
  .option("checkpointLocation", "/tmp/checkpoints/chicago").option("kafka.bootstrap.servers", "localhost:9092").option("topic", "chicago_orders").start()
converted_orders_df.writeStream.format("delta").outputMode("append").option("checkpointLocation", "/tmp/checkpoints/bronze").toTable("orders_bronze")
"#;
    let expected = [
        "from pyspark.sql.functions import *",
        "from pyspark.sql.types import *",
        r#"orders_schema = "order_id long, customer_id long, customer_fname string, customer_lname string, city string, state string, zipcode long, line_items array<struct<order_item_id : long, order_item_product_id : long, order_item_quantity : long, order_item_product_price : float, order_item_subtotal : float>>""#,
        r#"converted_orders_df = df.selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "topic", "partition", "offset", "timestamp", "timestampType")"#,
        r#"parsed_orders_df = converted_orders_df.select("key", from_json("value", orders_schema).alias("value"), "topic", "partition", "offset", "timestamp", "timestampType")"#,
        r#"parsed_orders_df.createOrReplaceTempView("orders")"#,
        r#"exploded_orders = spark.sql("select key, value.order_id as order_id, value.customer_id as customer_id, value.customer_fname as customer_fname, value.customer_lname as customer_lname, value.city as city, value.state as state, value.zipcode as zipcode, explode(value.line_items) as lines from orders")"#,
        r#"filtered_orders = spark.sql("select CAST(key as string) as key, CAST(value as string) as value from orders where value.city = 'chicago'")"#,
        r#"filtered_orders.writeStream.queryName("ingestionQuery").format("kafka").outputMode("append").option("checkpointLocation", "/tmp/checkpoints/chicago").option("kafka.bootstrap.servers", "localhost:9092").option("topic", "chicago_orders").start()"#,
        r#"converted_orders_df.writeStream.format("delta").outputMode("append").option("checkpointLocation", "/tmp/checkpoints/bronze").toTable("orders_bronze")"#,
    ];
    assert_eq!(parsed(source), expected.join("\n"));
}

#[test]
fn a_triple_quoted_query_over_several_lines_keeps_its_newlines() {
    let source = "customer_totals = spark.sql(\"\"\"\n    select value.customer_id as customer_id,\n           count(distinct value.order_id) as total_orders\n    from orders\n    group by value.customer_id\n\"\"\")\n";
    assert_eq!(
        parsed(source),
        r#"customer_totals = spark.sql("\n    select value.customer_id as customer_id,\n           count(distinct value.order_id) as total_orders\n    from orders\n    group by value.customer_id\n")"#
    );
}

#[test]
fn the_batch_read_and_display_parse() {
    let source = r#"df = spark.read.format("kafka") \
    .option("kafka.bootstrap.servers", "localhost:9092") \
    .option("subscribe", "orders") \
    .option("startingOffsets", "earliest") \
    .option("endingOffsets", "latest") \
    .load()
display(df)
df.show(5, truncate=False)
df.printSchema()
"#;
    assert_eq!(
        parsed(source),
        r#"df = spark.read.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "orders").option("startingOffsets", "earliest").option("endingOffsets", "latest").load()
display(df)
df.show(5, truncate=False)
df.printSchema()"#
    );
}

#[test]
fn the_per_customer_aggregates_in_parentheses_with_leading_dots_parse() {
    let source = r#"customer_totals = (exploded_orders
    .groupBy("customer_id")
    .agg(countDistinct("order_id").alias("total_orders"),
         count("*").alias("total_line_items"),
         round(sum(col("lines.order_item_subtotal")), 2).alias("total_amount"))
    .orderBy(col("total_amount").desc())
)
"#;
    assert_eq!(
        parsed(source),
        r#"customer_totals = exploded_orders.groupBy("customer_id").agg(countDistinct("order_id").alias("total_orders"), count("*").alias("total_line_items"), round(sum(col("lines.order_item_subtotal")), 2).alias("total_amount")).orderBy(col("total_amount").desc())"#
    );
}

#[test]
fn the_word_count_parses() {
    let source = r#"lines = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "words").load()
words = lines.select(explode(split(col("value").cast("string"), " ")).alias("word"))
word_counts = words.groupBy("word").count()
query = word_counts.writeStream.outputMode("complete").format("console").trigger(processingTime="10 seconds").start()
query.awaitTermination(10)
"#;
    assert_eq!(
        parsed(source),
        r#"lines = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "words").load()
words = lines.select(explode(split(col("value").cast("string"), " ")).alias("word"))
word_counts = words.groupBy("word").count()
query = word_counts.writeStream.outputMode("complete").format("console").trigger(processingTime="10 seconds").start()
query.awaitTermination(10)"#
    );
}

#[test]
fn the_user_time_spent_example_with_a_struct_schema_and_a_window_parses() {
    let source = r#"clicks_schema = StructType([
    StructField("user_id", StringType(), True),
    StructField("page", StringType(), True),
    StructField("event_time", TimestampType(), True),
])
clicks = spark.readStream.format("kafka").option("subscribe", "t2").load() \
    .select(from_json(col("value").cast("string"), clicks_schema).alias("c")).select("c.*")
time_spent = (clicks
    .withWatermark("event_time", "10 minutes")
    .groupBy(window(col("event_time"), "10 minutes", "5 minutes"), col("user_id"))
    .agg((max("event_time").cast("long") - min("event_time").cast("long")).alias("seconds")))
q = time_spent.writeStream.outputMode("update").format("memory").queryName("spent").start(); q.processAllAvailable()
q.status; q.lastProgress
spark.streams.active
q.stop()
"#;
    assert_eq!(
        parsed(source),
        r#"clicks_schema = StructType([StructField("user_id", StringType(), True), StructField("page", StringType(), True), StructField("event_time", TimestampType(), True)])
clicks = spark.readStream.format("kafka").option("subscribe", "t2").load().select(from_json(col("value").cast("string"), clicks_schema).alias("c")).select("c.*")
time_spent = clicks.withWatermark("event_time", "10 minutes").groupBy(window(col("event_time"), "10 minutes", "5 minutes"), col("user_id")).agg((max("event_time").cast("long") - min("event_time").cast("long")).alias("seconds"))
q = time_spent.writeStream.outputMode("update").format("memory").queryName("spent").start()
q.processAllAvailable()
q.status
q.lastProgress
spark.streams.active
q.stop()"#
    );
}

#[test]
fn column_filters_with_ampersand_tilde_and_subscripts_keep_python_precedence() {
    assert_eq!(
        parsed(
            r#"df.filter((df["state"] == "IL") & ~(col("city") != "chicago") | col("zipcode").isNull())"#
        ),
        r#"df.filter((((df["state"] == "IL") & (~(col("city") != "chicago"))) | col("zipcode").isNull()))"#
    );
    assert_eq!(parsed("first = rows[0][1]"), "first = rows[0][1]");
}

#[test]
fn imports_with_names_and_aliases_parse() {
    assert_eq!(
        parsed("import pyspark.sql.functions as F, os\nfrom pyspark.sql.functions import col, sum as _sum\nfrom pyspark.sql.types import (StructType,\n    StructField,)\npass"),
        "import pyspark.sql.functions as F, os\nfrom pyspark.sql.functions import col, sum as _sum\nfrom pyspark.sql.types import StructType, StructField\npass"
    );
}

#[test]
fn a_call_keeps_positional_and_keyword_arguments_apart() {
    let stmts = parse_program("df.show(5, truncate=False)").unwrap_or_default();
    let [Stmt {
        kind: StmtKind::Expr(Expr::Call { args, kwargs, .. }),
        ..
    }] = stmts.as_slice()
    else {
        panic!("not one call: {stmts:?}");
    };
    assert_eq!(args, &vec![Expr::Int(5)]);
    assert_eq!(kwargs, &vec![("truncate".to_string(), Expr::Bool(false))]);
}

#[test]
fn chained_assignment_binds_every_name() {
    assert_eq!(
        parsed("a = b = spark.table('t')"),
        r#"a = b = spark.table("t")"#
    );
}
