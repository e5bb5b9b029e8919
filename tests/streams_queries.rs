//! Batch SQL over temp views (`spark.sql`), as the course writes it: the retail example's
//! exploded orders, per-customer totals ordered and limited, a subquery in FROM, an inner join
//! with a static table, GROUP BY by ordinal and by alias, HAVING, DISTINCT, count(DISTINCT),
//! `window()` over a batch — each checked against a direct computation over the same orders —
//! and Spark's texts for what it refuses.

#[path = "streams_support.rs"]
mod streams_support;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use brooklet::streams::plan::Plan;
use brooklet::streams::session::SparkSession;
use brooklet::streams::types::{DataType, StructField};
use brooklet::streams::value::Value;
use streams_support::*;

const ORDERS_DDL: &str = "order_id long, customer_id long, customer_fname string, customer_lname string, city string, state string, zipcode long, line_items array<struct<order_item_id : long, order_item_product_id : long, order_item_quantity : long, order_item_product_price : float, order_item_subtotal : float>>";

struct Order {
    id: i64,
    customer: i64,
    city: &'static str,
    /// (quantity, subtotal)
    items: &'static [(i64, f64)],
}

const ORDERS: [Order; 8] = [
    Order {
        id: 1,
        customer: 1,
        city: "chicago",
        items: &[(2, 20.5), (1, 9.25)],
    },
    Order {
        id: 2,
        customer: 2,
        city: "denver",
        items: &[(1, 100.0)],
    },
    Order {
        id: 3,
        customer: 1,
        city: "chicago",
        items: &[(3, 30.0)],
    },
    Order {
        id: 4,
        customer: 3,
        city: "austin",
        items: &[],
    },
    Order {
        id: 5,
        customer: 4,
        city: "chicago",
        items: &[(5, 50.0), (1, 1.5), (2, 4.0)],
    },
    Order {
        id: 6,
        customer: 2,
        city: "denver",
        items: &[(1, 12.75)],
    },
    Order {
        id: 7,
        customer: 3,
        city: "austin",
        items: &[(4, 8.0)],
    },
    Order {
        id: 8,
        customer: 1,
        city: "brooklyn",
        items: &[(1, 0.5)],
    },
];

/// A session with the orders on `orders` (produced a minute apart) as the `orders` view, and
/// a static `customers` table (customer 4 is not in it).
fn retail() -> (World, SparkSession) {
    let w = world(&[("orders", 2)]);
    for o in &ORDERS {
        let items: Vec<String> = o
            .items
            .iter()
            .map(|(q, s)| format!("{{\"order_item_quantity\":{q},\"order_item_subtotal\":{s}}}"))
            .collect();
        let value = format!(
            "{{\"order_id\":{},\"customer_id\":{},\"city\":\"{}\",\"line_items\":[{}]}}",
            o.id,
            o.customer,
            o.city,
            items.join(",")
        );
        let key = o.customer.to_string();
        produce(&w, "orders", (o.id % 2) as i32, Some(&key), &value);
        w.clock.advance(60_000);
    }
    let catalog = catalog();
    let mut spark = session(&w, &catalog);
    let parsed = select(
        kafka("orders", false, &[]),
        &[
            "key",
            &format!("from_json(CAST(value AS STRING), '{ORDERS_DDL}') AS value"),
            "topic",
            "partition",
            "offset",
            "timestamp",
            "timestampType",
        ],
    );
    spark.create_or_replace_temp_view("orders", parsed);
    let customers = Rc::new(Plan::Rows {
        schema: vec![
            StructField::new("customer_id", DataType::Long),
            StructField::new("name", DataType::String),
        ],
        rows: Rc::new(
            (1..=3)
                .map(|c| vec![Value::Long(c), Value::string(&format!("customer {c}"))])
                .collect(),
        ),
        name: "customers".into(),
    });
    spark.create_or_replace_temp_view("customers", customers);
    (w, spark)
}

/// Runs `sql` and gives each row's cells as text.
fn rows(spark: &mut SparkSession, sql: &str) -> Vec<Vec<String>> {
    let plan = spark.sql(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let out = spark
        .collect(&plan)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    out.rows
        .iter()
        .map(|r| r.iter().map(text).collect())
        .collect()
}

fn columns(spark: &mut SparkSession, sql: &str) -> Vec<String> {
    let plan = spark.sql(sql).expect("plans");
    spark
        .schema(&plan)
        .expect("resolves")
        .into_iter()
        .map(|f| f.name)
        .collect()
}

fn error(spark: &mut SparkSession, sql: &str) -> String {
    match spark.sql(sql).and_then(|p| spark.collect(&p)) {
        Ok(out) => panic!("{sql} ran: {:?}", out.rows),
        Err(e) => e.to_string(),
    }
}

/// Per customer: (orders with a line item, line items, units, amount).
fn totals() -> BTreeMap<i64, (i64, i64, i64, f64)> {
    let mut t = BTreeMap::new();
    for o in &ORDERS {
        for (q, s) in o.items {
            let e: &mut (i64, i64, i64, f64) = t.entry(o.customer).or_default();
            e.1 += 1;
            e.2 += q;
            e.3 += s;
        }
        if !o.items.is_empty() {
            t.entry(o.customer).or_default().0 += 1;
        }
    }
    t
}

#[test]
fn the_exploded_orders_select_gives_a_row_per_line_item() {
    let (_w, mut spark) = retail();
    let sql = "select key, value.order_id as order_id, value.customer_id as customer_id, explode(value.line_items) as lines from orders";
    assert_eq!(
        columns(&mut spark, sql),
        ["key", "order_id", "customer_id", "lines"]
    );
    let exploded = spark.sql(sql).expect("plans");
    spark.create_or_replace_temp_view("exploded_orders", exploded);
    let mut got = rows(
        &mut spark,
        "select order_id, lines.order_item_quantity, lines.order_item_subtotal from exploded_orders",
    );
    brooklet::sort::sort(&mut got);
    let mut want: Vec<Vec<String>> = ORDERS
        .iter()
        .flat_map(|o| {
            o.items
                .iter()
                .map(move |(q, s)| vec![o.id.to_string(), q.to_string(), format!("{s:?}")])
        })
        .collect();
    brooklet::sort::sort(&mut want);
    assert_eq!(got, want);
}

#[test]
fn per_customer_totals_ordered_by_amount_descending_and_limited() {
    let (_w, mut spark) = retail();
    let got = rows(
        &mut spark,
        "select value.customer_id as customer_id, count(*) as total_line_items, sum(lines.order_item_quantity) as units, round(sum(lines.order_item_subtotal), 2) as total_amount from (select value, explode(value.line_items) as lines from orders) group by value.customer_id order by total_amount desc limit 2",
    );
    let mut want: Vec<(i64, i64, i64, f64)> = totals()
        .into_iter()
        .map(|(c, (_, n, u, a))| (c, n, u, a))
        .collect();
    brooklet::sort::sort_by(&mut want, |a, b| b.3.total_cmp(&a.3));
    want.truncate(2);
    let want: Vec<Vec<String>> = want
        .iter()
        .map(|(c, n, u, a)| {
            vec![
                c.to_string(),
                n.to_string(),
                u.to_string(),
                format!("{a:?}"),
            ]
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_subquery_in_from_can_be_aggregated_by_its_aliases() {
    let (_w, mut spark) = retail();
    let mut got = rows(
        &mut spark,
        "select t.customer_id, sum(t.q) as units from (select value.customer_id as customer_id, lines.order_item_quantity as q from (select value, explode(value.line_items) as lines from orders)) t group by t.customer_id",
    );
    brooklet::sort::sort(&mut got);
    let want: Vec<Vec<String>> = totals()
        .iter()
        .map(|(c, (_, _, u, _))| vec![c.to_string(), u.to_string()])
        .collect();
    assert_eq!(got, want);
}

#[test]
fn an_inner_join_with_a_static_table_keeps_only_matching_customers() {
    let (_w, mut spark) = retail();
    let mut got = rows(
        &mut spark,
        "select c.name, count(*) as orders from orders o join customers c on o.value.customer_id = c.customer_id group by c.name",
    );
    brooklet::sort::sort(&mut got);
    let mut want: BTreeMap<String, i64> = BTreeMap::new();
    for o in ORDERS.iter().filter(|o| o.customer <= 3) {
        *want.entry(format!("customer {}", o.customer)).or_default() += 1;
    }
    let want: Vec<Vec<String>> = want
        .into_iter()
        .map(|(n, c)| vec![n, c.to_string()])
        .collect();
    assert_eq!(got, want);
}

fn orders_per_city() -> Vec<Vec<String>> {
    let mut want: BTreeMap<&str, i64> = BTreeMap::new();
    for o in &ORDERS {
        *want.entry(o.city).or_default() += 1;
    }
    want.into_iter()
        .map(|(c, n)| vec![c.to_string(), n.to_string()])
        .collect()
}

#[test]
fn group_by_an_ordinal_or_an_alias_groups_by_that_select_item() {
    let (_w, mut spark) = retail();
    for sql in [
        "select value.city as city, count(*) as n from orders group by 1",
        "select value.city as city, count(*) as n from orders group by city",
    ] {
        let mut got = rows(&mut spark, sql);
        brooklet::sort::sort(&mut got);
        assert_eq!(got, orders_per_city(), "{sql}");
    }
}

#[test]
fn having_keeps_the_groups_whose_aggregate_passes() {
    let (_w, mut spark) = retail();
    let mut got = rows(
        &mut spark,
        "select value.city as city, count(*) as n from orders group by value.city having count(*) > 2",
    );
    brooklet::sort::sort(&mut got);
    let want: Vec<Vec<String>> = orders_per_city()
        .into_iter()
        .filter(|r| r[1].parse::<i64>().unwrap() > 2)
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

#[test]
fn distinct_and_count_distinct_see_each_city_once() {
    let (_w, mut spark) = retail();
    let cities: BTreeSet<&str> = ORDERS.iter().map(|o| o.city).collect();
    let mut got = rows(&mut spark, "select distinct value.city from orders");
    brooklet::sort::sort(&mut got);
    let want: Vec<Vec<String>> = cities.iter().map(|c| vec![c.to_string()]).collect();
    assert_eq!(got, want);
    assert_eq!(
        rows(
            &mut spark,
            "select count(distinct value.city) as cities, count(*) as orders from orders"
        ),
        [[cities.len().to_string(), ORDERS.len().to_string()]]
    );
    // Spark's estimate, counted exactly here.
    assert_eq!(
        rows(
            &mut spark,
            "select approx_count_distinct(value.city) from orders"
        ),
        [[cities.len().to_string()]]
    );
    assert_eq!(
        columns(
            &mut spark,
            "select approx_count_distinct(value.city) from orders"
        ),
        ["approx_count_distinct(value.city)"]
    );
}

#[test]
fn window_in_group_by_counts_a_batch_by_five_minute_windows() {
    let (_w, mut spark) = retail();
    let sql = "select window(timestamp, '5 minutes') as w, count(*) as n from orders group by window(timestamp, '5 minutes') order by w.start";
    let got: Vec<String> = rows(&mut spark, sql)
        .into_iter()
        .map(|r| r[1].clone())
        .collect();
    // One order a minute from START (2023-11-14 22:13:20 UTC): windows start on multiples
    // of five minutes.
    let start_minute = (START / 60_000) % 5;
    let mut want: BTreeMap<i64, i64> = BTreeMap::new();
    for i in 0..ORDERS.len() as i64 {
        *want.entry((start_minute + i) / 5).or_default() += 1;
    }
    let want: Vec<String> = want.values().map(|n| n.to_string()).collect();
    assert_eq!(got, want);
    assert_eq!(
        columns(
            &mut spark,
            "select window(timestamp, '5 minutes'), count(*) from orders group by window(timestamp, '5 minutes')"
        ),
        ["window", "count(1)"]
    );
}

/// Spark's check walks down each select item to the first attribute that is not grouped, and
/// names it.
fn missing_aggregation(attribute: &str) -> String {
    format!("[MISSING_AGGREGATION] The non-aggregating expression \"{attribute}\" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({attribute})\" if you do not care which of the values within a group is returned.")
}

#[test]
fn a_column_neither_grouped_nor_aggregated_is_refused_with_sparks_missing_aggregation() {
    let (_w, mut spark) = retail();
    assert_eq!(
        error(
            &mut spark,
            "select value.city, value.customer_id, count(*) from orders group by value.city"
        ),
        missing_aggregation("value")
    );
    assert_eq!(
        error(
            &mut spark,
            "select o.offset, count(*) from orders o group by o.partition"
        ),
        missing_aggregation("offset")
    );
}

#[test]
fn an_unknown_column_is_refused_with_sparks_suggestions() {
    let (_w, mut spark) = retail();
    let e = error(&mut spark, "select citi from orders");
    assert!(
        e.starts_with("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `citi` cannot be resolved. Did you mean one of the following? ["),
        "{e}"
    );
}

#[test]
fn a_filter_that_is_not_a_boolean_is_refused_with_sparks_text() {
    let (_w, mut spark) = retail();
    assert_eq!(
        error(&mut spark, "select * from orders where value.city"),
        "[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve \"value.city\" due to data type mismatch: Filter expression \"value.city\" of type \"STRING\" is not a boolean."
    );
}

#[test]
fn a_struct_column_star_expands_to_its_fields() {
    let (_w, mut spark) = retail();
    assert_eq!(
        columns(&mut spark, "select value.* from orders"),
        [
            "order_id",
            "customer_id",
            "customer_fname",
            "customer_lname",
            "city",
            "state",
            "zipcode",
            "line_items"
        ]
    );
    let first = rows(
        &mut spark,
        "select value.* from orders order by order_id limit 1",
    );
    assert_eq!(first[0][0], "1");
    assert_eq!(
        error(&mut spark, "select key.* from orders"),
        "Can only star expand struct data types. Attribute: `ArrayBuffer(key)`"
    );
}

#[test]
fn an_unknown_function_in_an_aggregation_is_reported_before_a_missing_aggregation() {
    let (_w, mut spark) = retail();
    let err = error(&mut spark, "select nosuch(offset) from orders group by key");
    assert!(err.starts_with("[UNRESOLVED_ROUTINE]"), "{err}");
}
