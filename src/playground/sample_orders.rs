//! Sample data, like Confluent's Datagen connector: a seeded generator of realistic retail
//! orders in the course notes' shape, keyed by `customer_id`.
//!
//! Owns the order shape, the built-in name / city / product tables and the arithmetic that
//! keeps every `order_item_subtotal` equal to price × quantity. Must not produce anything
//! (the playground does) nor read a clock or global randomness: the same seed gives the same
//! orders, on every machine.

use serde::Serialize;

use super::form_error::FormError;

/// First names customers are drawn from.
const FIRST_NAMES: [&str; 24] = [
    "Mary",
    "Richard",
    "Ann",
    "Robert",
    "Mary",
    "Mary",
    "Hannah",
    "David",
    "Ashley",
    "Kimberly",
    "James",
    "Joseph",
    "Maria",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "John",
    "Patricia",
    "Daniel",
    "Susan",
    "Carlos",
    "Priya",
];

/// Last names customers are drawn from.
const LAST_NAMES: [&str; 20] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Patel",
];

/// Cities with their state and the first digits of their ZIP codes. Chicago is here on
/// purpose: the course filters Chicago's orders.
const CITIES: [(&str, &str, u32); 16] = [
    ("Chicago", "IL", 606),
    ("Brooklyn", "NY", 112),
    ("Caguas", "PR", 7),
    ("Los Angeles", "CA", 900),
    ("Houston", "TX", 770),
    ("Philadelphia", "PA", 191),
    ("Phoenix", "AZ", 850),
    ("San Antonio", "TX", 782),
    ("San Diego", "CA", 921),
    ("Dallas", "TX", 752),
    ("San Jose", "CA", 951),
    ("Austin", "TX", 787),
    ("Seattle", "WA", 981),
    ("Denver", "CO", 802),
    ("Boston", "MA", 21),
    ("Miami", "FL", 331),
];

/// Products: id and price in cents.
const PRODUCTS: [(u32, u64); 16] = [
    (191, 9_999),
    (365, 5_999),
    (502, 5_000),
    (403, 12_999),
    (1014, 4_999),
    (1004, 39_998),
    (957, 29_999),
    (627, 3_999),
    (1073, 19_999),
    (926, 1_599),
    (828, 3_199),
    (810, 1_999),
    (44, 5_998),
    (572, 3_999),
    (897, 2_499),
    (116, 4_499),
];

/// How many customers there are (the course's `retail_db` has 12 435).
pub const CUSTOMERS: u64 = 12_435;

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineItem {
    /// Unique across all orders.
    pub order_item_id: u64,
    /// The product bought.
    pub order_item_product_id: u32,
    /// How many, 1 to 5.
    pub order_item_quantity: u32,
    /// The unit price in dollars (two decimals).
    pub order_item_product_price: f64,
    /// price × quantity, in dollars (two decimals).
    pub order_item_subtotal: f64,
}

/// One retail order in the course notes' shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    /// Counts up from the generator's first id.
    pub order_id: u64,
    /// 1 to [`CUSTOMERS`]; also the record key.
    pub customer_id: u64,
    /// The customer's first name (the same customer always has the same one).
    pub customer_fname: String,
    /// The customer's last name.
    pub customer_lname: String,
    /// The customer's city.
    pub city: String,
    /// The city's state.
    pub state: String,
    /// The ZIP code, a number as the course's schema reads it (`zipcode long`; Caguas's
    /// `00725` is `725`).
    pub zipcode: u32,
    /// One to five lines.
    pub line_items: Vec<LineItem>,
}

impl Order {
    /// The record key: the customer id as text, so one customer's orders share a partition.
    pub fn key(&self) -> String {
        self.customer_id.to_string()
    }

    /// The record value: compact JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain strings and finite numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Dollars from cents, exact to two decimals when printed.
fn dollars(cents: u64) -> f64 {
    cents as f64 / 100.0
}

/// A seeded stream of orders: the same seed gives the same orders.
#[derive(Debug, Clone)]
pub struct SampleOrders {
    rng: fastrand::Rng,
    next_order_id: u64,
    next_item_id: u64,
}

impl SampleOrders {
    /// A generator whose first order is `first_order_id` (continue numbering after earlier runs).
    pub fn new(seed: u64, first_order_id: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
            next_order_id: first_order_id,
            next_item_id: first_order_id.saturating_mul(5),
        }
    }

    /// The next order's draws: one customer and one to five lines, taken from the seeded
    /// generator in a fixed order (so the same seed gives the same orders, whichever form
    /// they are wanted in).
    fn draw(&mut self) -> Draw {
        let customer_id = self.rng.u64(1..=CUSTOMERS);
        // A customer's name and address come from their id alone, so repeat customers match.
        let mut person = fastrand::Rng::with_seed(customer_id.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let fname = FIRST_NAMES[person.usize(..FIRST_NAMES.len())];
        let lname = LAST_NAMES[person.usize(..LAST_NAMES.len())];
        // About one customer in six lives in Chicago, so the course's filter finds plenty.
        let (city, state, zip) = if person.u8(..6) == 0 {
            CITIES[0]
        } else {
            CITIES[person.usize(1..CITIES.len())]
        };
        let zipcode = zip * 100 + person.u32(..100);
        let lines = self.rng.usize(1..=5);
        let mut items = [DrawnItem::default(); 5];
        for item in items.iter_mut().take(lines) {
            let (product, cents) = PRODUCTS[self.rng.usize(..PRODUCTS.len())];
            let quantity = self.rng.u32(1..=5);
            *item = DrawnItem {
                id: self.next_item_id,
                product,
                quantity,
                cents,
            };
            self.next_item_id += 1;
        }
        let draw = Draw {
            order_id: self.next_order_id,
            customer_id,
            fname,
            lname,
            city,
            state,
            zipcode,
            items,
            lines,
        };
        self.next_order_id += 1;
        draw
    }

    /// The next order.
    pub fn next_order(&mut self) -> Order {
        let d = self.draw();
        let line_items = d.items[..d.lines]
            .iter()
            .map(|item| LineItem {
                order_item_id: item.id,
                order_item_product_id: item.product,
                order_item_quantity: item.quantity,
                order_item_product_price: dollars(item.cents),
                order_item_subtotal: dollars(item.cents * u64::from(item.quantity)),
            })
            .collect();
        Order {
            order_id: d.order_id,
            customer_id: d.customer_id,
            customer_fname: d.fname.to_owned(),
            customer_lname: d.lname.to_owned(),
            city: d.city.to_owned(),
            state: d.state.to_owned(),
            zipcode: d.zipcode,
            line_items,
        }
    }

    /// The next order as a record: (key, JSON value), the same text as
    /// [`Order::to_json`] of [`SampleOrders::next_order`], written straight from the draws.
    /// A million orders are generated per run, and building each `Order` (eight owned
    /// strings, a vector) then serialising it cost more than producing it.
    pub fn next_record(&mut self) -> (String, String) {
        let d = self.draw();
        (d.customer_id.to_string(), d.to_json())
    }
}

/// One line of an order as drawn.
#[derive(Debug, Clone, Copy, Default)]
struct DrawnItem {
    id: u64,
    product: u32,
    quantity: u32,
    cents: u64,
}

/// One order as drawn: the customer's fields point into the built-in tables.
struct Draw {
    order_id: u64,
    customer_id: u64,
    fname: &'static str,
    lname: &'static str,
    city: &'static str,
    state: &'static str,
    zipcode: u32,
    items: [DrawnItem; 5],
    lines: usize,
}

impl Draw {
    /// Compact JSON, field for field what serde writes for [`Order`] (the tables' texts need
    /// no escaping). Numbers are written digit by digit: `write!` cost more than the rest of
    /// producing an order in the tab.
    fn to_json(&self) -> String {
        let mut out = String::with_capacity(160 + 140 * self.lines);
        out.push_str(r#"{"order_id":"#);
        push_digits(&mut out, self.order_id, 1);
        out.push_str(r#","customer_id":"#);
        push_digits(&mut out, self.customer_id, 1);
        for (field, text) in [
            (r#","customer_fname":""#, self.fname),
            (r#"","customer_lname":""#, self.lname),
            (r#"","city":""#, self.city),
            (r#"","state":""#, self.state),
        ] {
            out.push_str(field);
            out.push_str(text);
        }
        out.push_str(r#"","zipcode":"#);
        push_digits(&mut out, u64::from(self.zipcode), 1);
        out.push_str(r#","line_items":["#);
        for (i, item) in self.items[..self.lines].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(r#"{"order_item_id":"#);
            push_digits(&mut out, item.id, 1);
            out.push_str(r#","order_item_product_id":"#);
            push_digits(&mut out, u64::from(item.product), 1);
            out.push_str(r#","order_item_quantity":"#);
            push_digits(&mut out, u64::from(item.quantity), 1);
            out.push_str(r#","order_item_product_price":"#);
            write_dollars(&mut out, item.cents);
            out.push_str(r#","order_item_subtotal":"#);
            write_dollars(&mut out, item.cents * u64::from(item.quantity));
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}

/// `n` in decimal, padded with zeros to at least `width` digits (at most 20).
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || at == digits.len() {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = at.min(digits.len().saturating_sub(width));
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// Cents as serde writes the `f64` dollars: the shortest text that reads back the same
/// number, which for whole cents is the decimal itself without trailing zeros (`50.0`,
/// `15.9`, `99.99`).
fn write_dollars(out: &mut String, cents: u64) {
    let (whole, frac) = (cents / 100, cents % 100);
    push_digits(out, whole, 1);
    out.push('.');
    match frac {
        0 => out.push('0'),
        f if f % 10 == 0 => push_digits(out, f / 10, 1),
        f => push_digits(out, f, 2),
    }
}

/// What a learner asks the generator for, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleRequest {
    /// This many orders, as fast as the page allows.
    Count(u64),
    /// This many orders a second until stopped.
    Rate(u64),
}

/// The most orders one run may produce.
pub const MAX_ORDERS: u64 = 1_000_000;
/// The fastest steady rate offered.
pub const MAX_RATE: u64 = 10_000;

/// Reads the count field: a whole number from 1 to [`MAX_ORDERS`], or what to fix.
pub fn parse_count(text: &str) -> Result<u64, FormError> {
    let text = text.trim().replace(['_', ','], "");
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_ORDERS).contains(&n) => Ok(n),
        Ok(_) => Err(FormError::OrdersOutOfRange {
            text,
            max: MAX_ORDERS,
        }),
        Err(_) => Err(FormError::OrdersNotANumber { text }),
    }
}

/// Reads the rate field: orders a second, from 1 to [`MAX_RATE`], or what to fix.
pub fn parse_rate(text: &str) -> Result<u64, FormError> {
    let text = text.trim().replace(['_', ','], "");
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_RATE).contains(&n) => Ok(n),
        Ok(_) => Err(FormError::RateOutOfRange {
            text,
            max: MAX_RATE,
        }),
        Err(_) => Err(FormError::RateNotANumber { text }),
    }
}

/// The pace of a steady-rate run: how many orders are owed at each tick. After a pause (a
/// background tab's timers slow down) it owes at most one second's worth, once, and then
/// carries on at the rate — never a burst to catch up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SteadyPace {
    rate: u64,
    started_ms: u64,
    credited: u64,
}

impl SteadyPace {
    /// `rate` orders a second from `started_ms`.
    pub fn new(rate: u64, started_ms: u64) -> Self {
        Self {
            rate,
            started_ms,
            credited: 0,
        }
    }

    /// The orders owed at `now_ms`, counted as produced.
    pub fn owed(&mut self, now_ms: u64) -> u64 {
        let elapsed = now_ms.saturating_sub(self.started_ms);
        let due = self.rate.saturating_mul(elapsed) / 1000;
        if due.saturating_sub(self.credited) > self.rate {
            self.credited = due - self.rate;
        }
        let owed = due.saturating_sub(self.credited);
        self.credited = self.credited.max(due);
        owed
    }
}

/// How long something took, for a learner: whole milliseconds under a second (`37 ms`, not
/// `0.0 s`), else seconds to a tenth (`1.4 s`).
pub fn human_elapsed(ms: f64) -> String {
    if ms < 999.5 {
        format!("{} ms", ms.max(0.0).round())
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// `1234567` as `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One generator run: how many orders it owes and has made, handed out in chunks so the
/// page can produce a chunk, repaint and carry on (or be cancelled between chunks).
#[derive(Debug, Clone)]
pub struct SampleRun {
    orders: SampleOrders,
    total: Option<u64>,
    done: u64,
}

impl SampleRun {
    /// A run of `total` orders.
    pub fn counted(seed: u64, first_order_id: u64, total: u64) -> Self {
        Self {
            orders: SampleOrders::new(seed, first_order_id),
            total: Some(total),
            done: 0,
        }
    }

    /// A run with no end (a steady rate, until stopped).
    pub fn endless(seed: u64, first_order_id: u64) -> Self {
        Self {
            orders: SampleOrders::new(seed, first_order_id),
            total: None,
            done: 0,
        }
    }

    /// The next records, at most `max` and never past the total: `(key, JSON value)`.
    pub fn next_chunk(&mut self, max: u64) -> Vec<(Option<String>, String)> {
        let n = match self.total {
            Some(total) => max.min(total.saturating_sub(self.done)),
            None => max,
        };
        self.done += n;
        (0..n)
            .map(|_| {
                let (key, value) = self.orders.next_record();
                (Some(key), value)
            })
            .collect()
    }

    /// Orders handed out so far.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// The total, for a counted run.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// True once a counted run has handed out every order.
    pub fn is_finished(&self) -> bool {
        self.total.is_some_and(|t| self.done >= t)
    }

    /// How far along, 0 to 100 (0 for an endless run).
    pub fn percent(&self) -> f64 {
        match self.total {
            Some(0) => 100.0,
            Some(t) => self.done as f64 * 100.0 / t as f64,
            None => 0.0,
        }
    }

    /// `12,000 of 1,000,000 orders (1.2%)`, or `12,000 orders` for an endless run.
    pub fn progress_text(&self) -> String {
        match self.total {
            Some(t) => format!(
                "{} of {} orders ({:.1}%)",
                grouped(self.done),
                grouped(t),
                self.percent()
            ),
            None => format!("{} orders", grouped(self.done)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_orders() {
        let mut a = SampleOrders::new(7, 1);
        let mut b = SampleOrders::new(7, 1);
        for _ in 0..100 {
            assert_eq!(a.next_record(), b.next_record());
        }
        let mut c = SampleOrders::new(8, 1);
        assert_ne!(
            SampleOrders::new(7, 1).next_record(),
            c.next_record(),
            "another seed, other orders"
        );
    }

    #[test]
    fn a_record_is_the_json_serde_writes_for_the_same_order() {
        let (mut fast, mut slow) = (SampleOrders::new(42, 1), SampleOrders::new(42, 1));
        for _ in 0..5_000 {
            let order = slow.next_order();
            assert_eq!(fast.next_record(), (order.key(), order.to_json()));
        }
        for cents in [5_000, 1_590, 9_999, 7, 70, 100_000, 0, 5] {
            let mut text = String::new();
            write_dollars(&mut text, cents);
            assert_eq!(
                text,
                serde_json::to_string(&dollars(cents)).unwrap_or_default()
            );
        }
    }

    #[test]
    fn every_subtotal_is_price_times_quantity() {
        let mut orders = SampleOrders::new(1, 1);
        for _ in 0..2_000 {
            let order = orders.next_order();
            assert!((1..=5).contains(&order.line_items.len()));
            for item in &order.line_items {
                let expected = item.order_item_product_price * f64::from(item.order_item_quantity);
                assert!(
                    (expected - item.order_item_subtotal).abs() < 0.005,
                    "{item:?}"
                );
                let text = item.order_item_subtotal.to_string();
                assert!(
                    text.split('.').nth(1).is_none_or(|cents| cents.len() <= 2),
                    "two decimals at most: {text}"
                );
            }
        }
    }

    #[test]
    fn orders_have_the_course_notes_fields_and_are_keyed_by_customer() {
        let mut orders = SampleOrders::new(3, 1);
        let (key, value) = orders.next_record();
        let json: serde_json::Value = serde_json::from_str(&value).expect("valid JSON");
        for field in [
            "order_id",
            "customer_id",
            "customer_fname",
            "customer_lname",
            "city",
            "state",
            "zipcode",
            "line_items",
        ] {
            assert!(json.get(field).is_some(), "missing {field} in {value}");
        }
        assert_eq!(json["order_id"], 1);
        assert_eq!(key, json["customer_id"].to_string());
        let item = &json["line_items"][0];
        for field in [
            "order_item_id",
            "order_item_product_id",
            "order_item_quantity",
            "order_item_product_price",
            "order_item_subtotal",
        ] {
            assert!(item.get(field).is_some(), "missing {field} in {item}");
        }
        assert!(
            json["zipcode"].is_u64(),
            "a number, as `zipcode long` reads it: {value}"
        );
    }

    #[test]
    fn order_ids_count_up_and_item_ids_never_repeat() {
        let mut orders = SampleOrders::new(5, 100);
        let mut items = std::collections::HashSet::new();
        for expected in 100..300 {
            let order = orders.next_order();
            assert_eq!(order.order_id, expected);
            for item in order.line_items {
                assert!(items.insert(item.order_item_id));
            }
        }
    }

    #[test]
    fn chicago_has_plenty_of_orders_and_a_customer_always_lives_in_one_place() {
        let mut orders = SampleOrders::new(11, 1);
        let mut homes = std::collections::HashMap::new();
        let mut chicago = 0;
        for _ in 0..3_000 {
            let order = orders.next_order();
            if order.city == "Chicago" {
                assert_eq!(order.state, "IL");
                chicago += 1;
            }
            let home = (order.customer_fname.clone(), order.city.clone());
            assert_eq!(
                homes.entry(order.customer_id).or_insert(home.clone()),
                &home
            );
        }
        assert!(chicago > 200, "only {chicago} Chicago orders in 3000");
    }

    #[test]
    fn counts_and_rates_are_checked_with_the_fix() {
        assert_eq!(parse_count("1,000"), Ok(1000));
        assert_eq!(parse_count(" 1000000 "), Ok(MAX_ORDERS));
        assert!(parse_count("0").is_err_and(|e| e.to_string().contains("from 1 to 1000000")));
        assert!(parse_count("2000000").is_err());
        assert!(parse_count("lots").is_err_and(|e| e.to_string().contains("'lots' is not one")));
        assert_eq!(parse_rate("10"), Ok(10));
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err_and(|e| e.to_string().contains("orders a second")));
    }

    #[test]
    fn a_steady_rate_owes_what_time_allows_and_no_burst_after_a_pause() {
        let mut pace = SteadyPace::new(10, 1_000);
        assert_eq!(pace.owed(1_000), 0);
        assert_eq!(pace.owed(2_000), 10);
        assert_eq!(pace.owed(2_500), 5);
        assert_eq!(pace.owed(2_500), 0, "nothing twice");
        assert_eq!(
            pace.owed(62_500),
            10,
            "a minute's pause owes one second's worth"
        );
        assert_eq!(pace.owed(63_500), 10, "then the rate again");
        assert_eq!(pace.owed(900), 0, "a clock going back owes nothing");
    }

    #[test]
    fn a_counted_run_hands_out_chunks_until_its_total_and_reports_progress() {
        let mut run = SampleRun::counted(1, 1, 2_500);
        assert_eq!(run.next_chunk(1_000).len(), 1_000);
        assert_eq!(run.progress_text(), "1,000 of 2,500 orders (40.0%)");
        assert_eq!(run.next_chunk(1_000).len(), 1_000);
        assert_eq!(run.next_chunk(1_000).len(), 500);
        assert!(run.is_finished());
        assert!(run.next_chunk(1_000).is_empty());
        let mut endless = SampleRun::endless(1, 1);
        assert_eq!(endless.next_chunk(7).len(), 7);
        assert!(!endless.is_finished());
        assert_eq!(endless.progress_text(), "7 orders");
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn a_run_under_a_second_is_told_in_milliseconds_and_a_longer_one_in_seconds() {
        assert_eq!(human_elapsed(37.4), "37 ms");
        assert_eq!(human_elapsed(999.0), "999 ms");
        assert_eq!(human_elapsed(1_000.0), "1.0 s");
        assert_eq!(human_elapsed(1_449.0), "1.4 s");
    }
}
