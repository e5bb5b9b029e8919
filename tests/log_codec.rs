//! The varint and batch codecs against Kafka's own vectors, and a proptest round trip.

use brooklet::log::varint::{read_varint, read_varlong, write_varint, write_varlong, VarintError};
use brooklet::log::{BatchBuilder, Header, RecordBatch, TimestampType};
use bytes::Bytes;
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/vectors.json")).expect("vectors.json parses")
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn every_varint_vector_encodes_and_decodes_as_in_kafka() {
    let v = vectors();
    let cases = v["varint_zigzag"]["varint_cases"]
        .as_array()
        .expect("cases");
    assert!(cases.len() >= 20);
    for case in cases {
        let value = case[0].as_i64().expect("value") as i32;
        let bytes = hex(case[1].as_str().expect("hex"));
        let mut out = Vec::new();
        write_varint(&mut out, value);
        assert_eq!(out, bytes, "varint {value}");
        assert_eq!(
            read_varint(&bytes),
            Ok((value, bytes.len())),
            "varint {value}"
        );
        // Every varint is also a valid varlong with the same bytes.
        let mut out = Vec::new();
        write_varlong(&mut out, i64::from(value));
        assert_eq!(out, bytes, "varlong {value}");
        assert_eq!(read_varlong(&bytes), Ok((i64::from(value), bytes.len())));
    }
}

#[test]
fn every_varlong_vector_encodes_and_decodes_as_in_kafka() {
    let v = vectors();
    let cases = v["varint_zigzag"]["varlong_extra_cases"]
        .as_array()
        .expect("cases");
    assert!(!cases.is_empty());
    for case in cases {
        let value = case[0].as_i64().expect("value");
        let bytes = hex(case[1].as_str().expect("hex"));
        let mut out = Vec::new();
        write_varlong(&mut out, value);
        assert_eq!(out, bytes, "varlong {value}");
        assert_eq!(
            read_varlong(&bytes),
            Ok((value, bytes.len())),
            "varlong {value}"
        );
    }
}

#[test]
fn the_invalid_overlong_vectors_are_rejected() {
    assert_eq!(
        read_varint(&hex("ffffffffff01")),
        Err(VarintError::TooLong { max_bytes: 5 })
    );
    assert_eq!(
        read_varlong(&hex("ffffffffffffffffffff01")),
        Err(VarintError::TooLong { max_bytes: 10 })
    );
}

#[test]
fn every_crc32c_vector_matches() {
    let v = vectors();
    for case in v["crc32c"]["cases"].as_array().expect("cases") {
        let input = case["input_utf8"].as_str().expect("input");
        let expected = case["expected"].as_u64().expect("expected") as u32;
        assert_eq!(crc32c::crc32c(input.as_bytes()), expected, "{input}");
    }
    assert_eq!(crc32c::crc32c(b"Some String"), 608_512_271);
}

proptest! {
    #[test]
    fn any_varint_and_varlong_round_trips(v in any::<i32>(), l in any::<i64>()) {
        let mut out = Vec::new();
        write_varint(&mut out, v);
        prop_assert!(out.len() <= 5);
        prop_assert_eq!(read_varint(&out), Ok((v, out.len())));
        let mut out = Vec::new();
        write_varlong(&mut out, l);
        prop_assert!(out.len() <= 10);
        prop_assert_eq!(read_varlong(&out), Ok((l, out.len())));
    }

    #[test]
    fn any_batch_round_trips_through_its_bytes(
        base in 0i64..i64::MAX / 2,
        base_ts in -1_000_000i64..2_000_000_000_000,
        records in prop::collection::vec(
            (
                1i64..1_000,
                -100_000i64..100_000,
                prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
                prop::option::of(prop::collection::vec(any::<u8>(), 0..200)),
                prop::collection::vec(("[a-z]{0,8}", prop::option::of(prop::collection::vec(any::<u8>(), 0..8))), 0..3),
            ),
            1..30,
        ),
        log_append in any::<bool>(),
    ) {
        let ts_type = if log_append { TimestampType::LogAppendTime } else { TimestampType::CreateTime };
        let mut builder = BatchBuilder::new(base, base_ts, ts_type);
        let mut offset = base - 1;
        let mut expected = Vec::new();
        for (gap, ts_delta, key, value, headers) in &records {
            offset += gap;
            let headers: Vec<Header> = headers
                .iter()
                .map(|(k, v)| Header::new(k.clone(), v.clone().map(Bytes::from)))
                .collect();
            builder
                .push(offset, base_ts + ts_delta, key.as_deref(), value.as_deref(), &headers)
                .unwrap();
            expected.push((offset, base_ts + ts_delta, key.clone(), value.clone(), headers));
        }
        let append_time = base_ts + 7;
        let batch = builder.finish(log_append.then_some(append_time)).unwrap();
        let reparsed = RecordBatch::from_bytes(Bytes::copy_from_slice(batch.as_bytes())).unwrap();
        prop_assert_eq!(&reparsed, &batch);
        prop_assert_eq!(reparsed.base_offset(), base);
        prop_assert_eq!(reparsed.last_offset(), offset);
        prop_assert_eq!(reparsed.record_count() as usize, records.len());
        let decoded = reparsed.records().unwrap();
        prop_assert_eq!(decoded.len(), expected.len());
        for (r, (o, ts, k, v, h)) in decoded.iter().zip(&expected) {
            prop_assert_eq!(r.offset, *o);
            prop_assert_eq!(r.timestamp, if log_append { append_time } else { *ts });
            prop_assert_eq!(r.key.as_deref(), k.as_deref());
            prop_assert_eq!(r.value.as_deref(), v.as_deref());
            prop_assert_eq!(&r.headers, h);
        }
        let max = expected.iter().map(|e| e.1).max().unwrap();
        prop_assert_eq!(reparsed.max_timestamp(), if log_append { append_time } else { max });
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_batch_parser(raw in prop::collection::vec(any::<u8>(), 0..300)) {
        let buf = Bytes::from(raw);
        if let Ok(b) = RecordBatch::parse_prefix(&buf) {
            let _ = b.records();
        }
    }
}
