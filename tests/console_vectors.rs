//! The console's record formatting and line parsing against the vectors taken from Kafka's own
//! tests (`tests/data/vectors.json`: `console_consumer_default_formatter`,
//! `console_producer_line_reader`).
#![cfg(not(target_arch = "wasm32"))]

use bytes::Bytes;
use serde_json::Value;

use brooklet::console::formatter::{self, ConsumedRecord, FormatterConfig, TimestampKind};
use brooklet::console::line_reader::{self, LineReaderConfig};
use brooklet::log::Header;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.json");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn props(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn bytes(s: &str) -> Option<Bytes> {
    Some(Bytes::copy_from_slice(s.as_bytes()))
}

/// The records of `DefaultMessageFormatterTest`: 1 has no timestamp; 2 has CreateTime 123,
/// headers, epoch 58 and delivery count 1; 3 is 2 with a null value and no epoch, read through
/// the test's upper-casing deserializers (which this models by upper-casing the input).
fn record(n: &Value) -> ConsumedRecord {
    let base = ConsumedRecord {
        partition: 0,
        offset: 123,
        timestamp_kind: TimestampKind::None,
        timestamp: -1,
        key: bytes("key"),
        value: bytes("value"),
        headers: Vec::new(),
        leader_epoch: None,
        delivery_count: None,
    };
    let second = ConsumedRecord {
        timestamp_kind: TimestampKind::CreateTime,
        timestamp: 123,
        headers: vec![
            Header::new("h1", bytes("v1")),
            Header::new("h2", bytes("v2")),
        ],
        leader_epoch: Some(58),
        delivery_count: Some(1),
        ..base.clone()
    };
    match n.as_i64() {
        Some(1) => base,
        Some(2) => second,
        _ => ConsumedRecord {
            key: bytes("KEY"),
            value: None,
            headers: vec![
                Header::new("h1", bytes("V1")),
                Header::new("h2", bytes("V2")),
            ],
            leader_epoch: None,
            ..second
        },
    }
}

#[test]
fn the_default_formatter_prints_every_step_of_kafkas_test_exactly() {
    let v = vectors();
    let steps = v["console_consumer_default_formatter"]["steps"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(steps.len() >= 16, "vectors missing");
    let mut config = FormatterConfig::default();
    for (i, step) in steps.iter().enumerate() {
        let mut added = props(&step["configs_added"]);
        // The test's UpperCase deserializer classes are modelled by the record's input.
        added.retain(|(k, _)| !k.ends_with("deserializer"));
        config
            .apply(&added)
            .unwrap_or_else(|e| panic!("step {i}: {e}"));
        let got = formatter::format(&config, &record(&step["record"]));
        assert_eq!(
            got,
            step["expected"].as_str().unwrap_or_default(),
            "step {i}"
        );
    }
}

#[test]
fn the_line_reader_reads_every_case_of_kafkas_test() {
    let v = vectors();
    let cases = v["console_producer_line_reader"]["cases"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(cases.len() >= 6, "vectors missing");
    for (i, case) in cases.iter().enumerate() {
        let config = LineReaderConfig::from_properties(&props(&case["props"]))
            .unwrap_or_else(|e| panic!("case {i}: {e}"));
        if let Some(expected) = case["error"].as_str() {
            // `input_line_2` is the second line of its input (the first one parses).
            let (line, number) = match case["input_line_2"].as_str() {
                Some(l) => (l.to_owned(), 2),
                None => (
                    case["input"]
                        .as_str()
                        .unwrap_or_default()
                        .trim_end()
                        .to_owned(),
                    1,
                ),
            };
            let got = line_reader::read_line(&config, &line, number);
            assert_eq!(
                got.err().map(|e| e.to_string()).as_deref(),
                Some(expected),
                "case {i}"
            );
            continue;
        }
        let input = case["input"].as_str().unwrap_or_default();
        let lines = line_reader::lines(input);
        let records = case["records"].as_array().cloned().unwrap_or_default();
        assert_eq!(lines.len(), records.len(), "case {i}");
        for (n, (line, want)) in lines.iter().zip(&records).enumerate() {
            let got = line_reader::read_line(&config, line, n + 1)
                .unwrap_or_else(|e| panic!("case {i}: {e}"));
            assert_eq!(
                got.key,
                want["key"].as_str().and_then(bytes),
                "case {i} key"
            );
            assert_eq!(
                got.value,
                want["value"].as_str().and_then(bytes),
                "case {i} value"
            );
            let headers: Vec<Header> = want["headers"]
                .as_array()
                .map(|hs| {
                    hs.iter()
                        .map(|h| {
                            Header::new(
                                h[0].as_str().unwrap_or_default(),
                                h[1].as_str().and_then(bytes),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(got.headers, headers, "case {i} headers");
        }
    }
}

#[test]
fn the_line_reader_splits_lines_as_javas_read_line_does() {
    assert_eq!(
        line_reader::lines("a\r\nb\rc\n\nd"),
        vec!["a", "b", "c", "", "d"]
    );
    assert_eq!(line_reader::lines(""), Vec::<&str>::new());
}
