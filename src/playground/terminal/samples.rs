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

/// Web click events, one per line as `user_id,page,event_time` (ISO local time, no zone) over
/// half an hour, for the course's "user time spent" example:
/// `kafka-console-producer.sh ... --topic t2 < webclicks.dat`. Mostly in event-time order; two
/// clicks arrive late (u101's 09:09:47, u104's 09:12:30) and one very late (u104's 09:04:55,
/// after the 09:00 window has closed under a 5-minute watermark), as clicks from a flaky
/// connection do.
pub const WEBCLICKS_DAT: &str = r#"u101,/home,2024-05-06T09:00:04
u102,/home,2024-05-06T09:00:31
u101,/products,2024-05-06T09:01:15
u103,/home,2024-05-06T09:02:02
u101,/products/espresso-beans,2024-05-06T09:02:48
u102,/search?q=grinder,2024-05-06T09:03:10
u104,/home,2024-05-06T09:04:27
u101,/cart,2024-05-06T09:05:33
u103,/about,2024-05-06T09:06:05
u102,/products/grinder,2024-05-06T09:06:50
u104,/products,2024-05-06T09:07:41
u101,/checkout,2024-05-06T09:08:19
u102,/cart,2024-05-06T09:09:02
u105,/home,2024-05-06T09:11:36
u103,/products/mug,2024-05-06T09:12:14
u101,/home,2024-05-06T09:09:47
u102,/checkout,2024-05-06T09:12:58
u105,/products,2024-05-06T09:13:45
u104,/products/oat-milk,2024-05-06T09:14:20
u103,/cart,2024-05-06T09:15:03
u105,/products/descaler,2024-05-06T09:16:38
u104,/cart,2024-05-06T09:17:12
u103,/checkout,2024-05-06T09:18:40
u105,/cart,2024-05-06T09:19:55
u102,/home,2024-05-06T09:21:09
u104,/checkout,2024-05-06T09:21:47
u101,/products,2024-05-06T09:22:30
u104,/home,2024-05-06T09:04:55
u105,/checkout,2024-05-06T09:23:14
u102,/products/espresso-beans,2024-05-06T09:24:02
u101,/products/paper-filters,2024-05-06T09:25:18
u103,/home,2024-05-06T09:26:40
u102,/cart,2024-05-06T09:27:05
u104,/products,2024-05-06T09:12:30
u101,/cart,2024-05-06T09:27:52
u103,/products,2024-05-06T09:28:33
u102,/checkout,2024-05-06T09:29:16
u101,/checkout,2024-05-06T09:29:58
u105,/home,2024-05-06T09:30:41
u103,/cart,2024-05-06T09:31:20
"#;

/// A producer config file, for `--producer.config producer.properties`.
pub const PRODUCER_PROPERTIES: &str =
    "# Wait for the leader and every in-sync replica.\nacks=all\nlinger.ms=5\n";

/// The files every terminal can read with `< file`: the bundled samples.
pub fn sample_files() -> MemoryFiles {
    let mut files = MemoryFiles::new();
    files.insert("orders.jsonl", ORDERS_JSONL);
    files.insert("producer.properties", PRODUCER_PROPERTIES);
    files.insert("webclicks.dat", WEBCLICKS_DAT);
    files
}
