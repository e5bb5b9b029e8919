//! The message browser's seeks, filters, windows and searches on a native broker.

use super::*;
use crate::broker::{Acks, NewTopic};
use crate::clock::ManualClock;
use crate::log::{Header, NewRecord};
use bytes::Bytes;
use std::rc::Rc;

/// A 2-partition topic: partition 0 holds offsets 0..10 (keys k0..k4, cities alternating
/// Chicago / Boston) in batches of 4, partition 1 holds 3 records, timestamps 1000 + offset.
fn broker() -> Broker {
    let mut b = Broker::new(Rc::new(ManualClock::new(1_000)), 1);
    b.create_topic(NewTopic::named("orders").partitions(2))
        .expect("created");
    let record = |i: i64| {
        let city = if i % 2 == 0 { "Chicago" } else { "Boston" };
        NewRecord::new(
            Some(Bytes::from(format!("k{}", i % 5))),
            Some(Bytes::from(format!(
                r#"{{"order_id":{i},"city":"{city}","line_items":[{{"order_item_product_id":{}}}]}}"#,
                100 + i
            ))),
            1_000 + i,
        )
    };
    let all: Vec<NewRecord> = (0..10).map(record).collect();
    for chunk in all.chunks(4) {
        b.append("orders", 0, chunk, Acks::All).expect("appended");
    }
    let p1: Vec<NewRecord> = (0..3)
        .map(|i| record(i).with_header(Header::new("source", Some(Bytes::from_static(b"web")))))
        .collect();
    b.append("orders", 1, &p1, Acks::All).expect("appended");
    b
}

fn query(partition: Option<i32>, seek: Seek, filter: Filter) -> BrowseQuery {
    BrowseQuery {
        partition,
        seek,
        filter,
    }
}

#[test]
fn without_a_filter_every_partition_is_one_span_and_rows_locate_across_them() {
    let b = broker();
    let index = build_index(&b, "orders", &BrowseQuery::default()).expect("index");
    assert_eq!(index.len(), 13);
    assert_eq!(index.locate(9), Some((0, 9)));
    assert_eq!(index.locate(10), Some((1, 0)));
    assert_eq!(index.locate(13), None);
    let rows = rows(&b, "orders", &index, 8, 4).expect("rows");
    assert_eq!(
        rows.iter()
            .map(|r| (r.partition, r.offset))
            .collect::<Vec<_>>(),
        vec![(0, 8), (0, 9), (1, 0), (1, 1)]
    );
    assert_eq!(rows[0].key, "k3");
    assert_eq!(rows[0].timestamp, Some(1_008));
    assert!(rows[0].value_preview.starts_with(r#"{"order_id":8"#));
}

#[test]
fn seeking_by_offset_or_timestamp_starts_each_partition_there() {
    let b = broker();
    let by_offset = build_index(
        &b,
        "orders",
        &query(Some(0), Seek::Offset(7), Filter::default()),
    )
    .expect("index");
    assert_eq!(by_offset.len(), 3);
    assert_eq!(by_offset.locate(0), Some((0, 7)));
    let by_time = build_index(
        &b,
        "orders",
        &query(None, Seek::Timestamp(1_002), Filter::default()),
    )
    .expect("index");
    assert_eq!(by_time.locate(0), Some((0, 2)));
    assert_eq!(by_time.len(), 8 + 1);
    let past = build_index(
        &b,
        "orders",
        &query(None, Seek::Offset(99), Filter::default()),
    )
    .expect("index");
    assert!(past.is_empty(), "an offset past the end shows nothing new");
    assert!(build_index(
        &b,
        "orders",
        &query(Some(5), Seek::Earliest, Filter::default())
    )
    .is_err_and(|e| e.to_string().contains("partitions 0 to 1")));
}

#[test]
fn filters_keep_records_by_key_text_or_json_field() {
    let b = broker();
    let by_key = Filter::parse("k1", "", "").expect("valid");
    let index = build_index(&b, "orders", &query(None, Seek::Earliest, by_key)).expect("index");
    assert_eq!(index, RowIndex::Matches(vec![(0, 1), (0, 6), (1, 1)]));
    let chicago = Filter::parse("", "", "city = Chicago").expect("valid");
    let index = build_index(&b, "orders", &query(Some(0), Seek::Earliest, chicago)).expect("index");
    assert_eq!(index.len(), 5);
    let product = Filter::parse("", "", "line_items.order_item_product_id = 103").expect("valid");
    let index = build_index(&b, "orders", &query(Some(0), Seek::Earliest, product)).expect("index");
    assert_eq!(index, RowIndex::Matches(vec![(0, 3)]));
    let text = Filter::parse("", "Boston", "").expect("valid");
    let index = build_index(&b, "orders", &query(Some(1), Seek::Earliest, text)).expect("index");
    assert_eq!(index, RowIndex::Matches(vec![(1, 1)]));
    let rows = rows(&b, "orders", &index, 0, 10).expect("rows");
    assert_eq!(rows.len(), 1);
}

#[test]
fn a_field_filter_without_an_equals_sign_says_how_to_write_it() {
    assert!(Filter::parse("", "", "city Chicago")
        .is_err_and(|e| e.to_string().contains("write it as path = value")));
    assert!(
        Filter::parse("", "", "= Chicago").is_err_and(|e| e.to_string().contains("no field path"))
    );
    assert!(Filter::parse(" ", "", "").expect("valid").is_empty());
}

#[test]
fn the_form_becomes_a_query_or_says_what_to_fix() {
    let form = BrowseForm {
        partition: "1".into(),
        seek: "offset".into(),
        at: "40".into(),
        key: "11599".into(),
        ..BrowseForm::default()
    };
    let query = form.to_query().expect("valid");
    assert_eq!(query.partition, Some(1));
    assert_eq!(query.seek, Seek::Offset(40));
    assert_eq!(query.filter.key.as_deref(), Some("11599"));
    assert_eq!(BrowseForm::default().to_query(), Ok(BrowseQuery::default()));
    let bad = BrowseForm {
        partition: "first".into(),
        ..BrowseForm::default()
    };
    assert!(bad
        .to_query()
        .is_err_and(|e| e.to_string().contains("'first' is not one")));
}

#[test]
fn the_visible_window_covers_the_viewport_plus_overscan() {
    let w = visible_window(0.0, 300.0, 30.0, 100_000, 5);
    assert_eq!((w.first, w.count, w.offset_px), (0, 16, 0.0));
    assert_eq!(w.spacer_px, 3_000_000.0);
    let w = visible_window(3_000.0, 300.0, 30.0, 100_000, 5);
    assert_eq!((w.first, w.count, w.offset_px), (95, 21, 2_850.0));
    let w = visible_window(2_999_700.0, 300.0, 30.0, 100_000, 5);
    assert_eq!((w.first, w.first + w.count), (99_985, 100_000));
    assert_eq!(visible_window(0.0, 300.0, 30.0, 0, 5).count, 0);
}

#[test]
fn a_list_taller_than_browsers_allow_scrolls_proportionally_to_its_last_row() {
    let total = 5_000_000;
    let top = visible_window(0.0, 300.0, 30.0, total, 5);
    assert_eq!((top.first, top.spacer_px), (0, MAX_SPACER_PX));
    let bottom = visible_window(MAX_SPACER_PX - 300.0, 300.0, 30.0, total, 5);
    assert_eq!(
        bottom.first + bottom.count,
        total,
        "the last row is reachable"
    );
    assert_eq!(bottom.offset_px, MAX_SPACER_PX - 300.0);
    let middle = visible_window((MAX_SPACER_PX - 300.0) / 2.0, 300.0, 30.0, total, 5);
    assert!(middle.first.abs_diff(total / 2) < 20, "{middle:?}");
}

#[test]
fn the_drawer_shows_pretty_json_headers_and_the_batch() {
    let b = broker();
    let detail = record_detail(&b, "orders", 0, 5).expect("found");
    assert_eq!(detail.key, "k0");
    assert!(
        detail
            .value
            .starts_with("{\n  \"order_id\": 5,\n  \"city\": \"Boston\""),
        "{}",
        detail.value
    );
    assert_eq!((detail.batch_base_offset, detail.batch_last_offset), (4, 7));
    assert_eq!(detail.batch_records, 4);
    let with_header = record_detail(&b, "orders", 1, 2).expect("found");
    assert_eq!(with_header.headers, vec![("source".into(), "web".into())]);
    assert!(record_detail(&b, "orders", 0, 99).is_err());
}

#[test]
fn seeks_read_earliest_an_offset_or_a_time() {
    assert_eq!(parse_seek("earliest", "junk"), Ok(Seek::Earliest));
    assert_eq!(parse_seek("offset", "12"), Ok(Seek::Offset(12)));
    assert!(parse_seek("offset", "x").is_err_and(|e| e.to_string().contains("whole number")));
    assert_eq!(
        parse_seek("timestamp", "1970-01-01"),
        Ok(Seek::Timestamp(0))
    );
}
