//! The files every terminal can read with `< file`: small bundled samples for the course's
//! commands. Owns their text only.

use crate::console::MemoryFiles;

/// Retail orders keyed by customer id (`customer_id:json`), for
/// `kafka-console-producer.sh ... --property parse.key=true --property key.separator=: < orders.jsonl`.
pub const ORDERS_JSONL: &str = r#"c-17:{"order_id":1001,"customer_id":"c-17","item":"espresso beans","qty":2,"total":23.50}
c-42:{"order_id":1002,"customer_id":"c-42","item":"oat milk","qty":6,"total":14.94}
c-17:{"order_id":1003,"customer_id":"c-17","item":"paper filters","qty":1,"total":3.99}
c-08:{"order_id":1004,"customer_id":"c-08","item":"grinder","qty":1,"total":89.00}
c-42:{"order_id":1005,"customer_id":"c-42","item":"espresso beans","qty":1,"total":11.75}
c-23:{"order_id":1006,"customer_id":"c-23","item":"mug","qty":4,"total":31.60}
c-17:{"order_id":1007,"customer_id":"c-17","item":"descaler","qty":1,"total":7.25}
c-08:{"order_id":1008,"customer_id":"c-08","item":"oat milk","qty":12,"total":29.88}
"#;

/// A producer config file, for `--producer.config producer.properties`.
pub const PRODUCER_PROPERTIES: &str =
    "# Wait for the leader and every in-sync replica.\nacks=all\nlinger.ms=5\n";

/// The files every terminal can read with `< file`: the bundled samples.
pub fn sample_files() -> MemoryFiles {
    let mut files = MemoryFiles::new();
    files.insert("orders.jsonl", ORDERS_JSONL);
    files.insert("producer.properties", PRODUCER_PROPERTIES);
    files
}
