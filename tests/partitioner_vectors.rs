//! Every `murmur2` and `key_to_partition` vector in `tests/data/vectors.json` (taken from Kafka's
//! and its clients' own test suites) holds.

use brooklet::partitioner::murmur2::{murmur2, partition_for_key, to_positive};
use brooklet::partitioner::{Partitioner, PartitionerKind};
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("data/vectors.json");
    serde_json::from_str(text).expect("tests/data/vectors.json is valid JSON")
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digits"))
        .collect()
}

fn cases(v: &Value, section: &str) -> Vec<Value> {
    v[section]["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{section}.cases is a list"))
        .clone()
}

#[test]
fn every_murmur2_vector_gives_kafkas_hash_and_to_positive() {
    let v = vectors();
    let cases = cases(&v, "murmur2");
    assert!(cases.len() >= 20, "expected the full UtilsTest set");
    for case in cases {
        let key = hex(case["key_hex"].as_str().expect("key_hex"));
        let expected = case["expected_int32"].as_i64().expect("expected_int32") as i32;
        let positive = case["expected_to_positive"].as_i64().expect("to_positive") as i32;
        assert_eq!(murmur2(&key), expected, "murmur2 of {:?}", case["key_utf8"]);
        assert_eq!(
            to_positive(murmur2(&key)),
            positive,
            "toPositive for {:?}",
            case["key_utf8"]
        );
    }
}

#[test]
fn every_key_to_partition_vector_lands_on_the_java_clients_partition() {
    let v = vectors();
    for case in cases(&v, "key_to_partition") {
        let key = hex(case["key_hex"].as_str().expect("key_hex"));
        let n = case["num_partitions"].as_i64().expect("num_partitions") as i32;
        let expected = case["expected_partition"]
            .as_i64()
            .expect("expected_partition") as i32;
        assert_eq!(
            partition_for_key(&key, n),
            Some(expected),
            "{:?}",
            case["key_utf8"]
        );

        // The same placement through every partitioner that promises Java compatibility.
        for kind in [
            PartitionerKind::Default,
            PartitionerKind::Murmur2,
            PartitionerKind::Murmur2Random,
        ] {
            let mut p = Partitioner::new(kind, 0);
            let choice = p.partition("t", Some(&key), 10, n, 0).expect("a partition");
            assert_eq!(
                choice.partition, expected,
                "{kind} for {:?}",
                case["key_utf8"]
            );
        }
    }
}
