//! How each partitioner treats keys, empty keys and null keys (kafka.md §2.3, §2.4), and
//! properties that hold for any input.

use brooklet::partitioner::consistent::crc32;
use brooklet::partitioner::murmur2::{murmur2, to_positive};
use brooklet::partitioner::{PartitionReason, Partitioner, PartitionerKind};
use proptest::prelude::*;

fn choose(kind: PartitionerKind, key: Option<&[u8]>, n: i32) -> i32 {
    Partitioner::new(kind, 1)
        .partition("t", key, 10, n, 0)
        .expect("a partition")
        .partition
}

#[test]
fn consistent_places_keys_by_unsigned_crc32() {
    let key = b"customer-11599";
    let expected = (crc32(key) % 7) as i32;
    assert_eq!(choose(PartitionerKind::Consistent, Some(key), 7), expected);
    assert_eq!(
        choose(PartitionerKind::ConsistentRandom, Some(key), 7),
        expected
    );
}

#[test]
fn consistent_sends_null_and_empty_keys_to_partition_zero() {
    for _ in 0..20 {
        assert_eq!(choose(PartitionerKind::Consistent, None, 9), 0);
        assert_eq!(choose(PartitionerKind::Consistent, Some(b""), 9), 0);
    }
}

#[test]
fn librdkafka_murmur2_hashes_a_null_key_as_empty_input() {
    let empty = to_positive(murmur2(b"")) % 11;
    assert_eq!(choose(PartitionerKind::Murmur2, None, 11), empty);
    assert_eq!(choose(PartitionerKind::Murmur2, Some(b""), 11), empty);
}

#[test]
fn fnv1a_places_keys_like_sarama_and_hashes_a_null_key_as_empty_input() {
    let kafka = (0x0d33_c4e1u32 % 10) as i32;
    assert_eq!(choose(PartitionerKind::Fnv1a, Some(b"kafka"), 10), kafka);
    assert_eq!(
        choose(PartitionerKind::Fnv1aRandom, Some(b"kafka"), 10),
        kafka
    );
    let empty = (0x7ee3_623bu32 % 10) as i32;
    assert_eq!(choose(PartitionerKind::Fnv1a, None, 10), empty);
    assert_eq!(choose(PartitionerKind::Fnv1aRandom, Some(b""), 10), empty);
    let mut p = Partitioner::new(PartitionerKind::Fnv1aRandom, 2);
    let c = p.partition("t", None, 10, 10, 0).expect("a partition");
    assert!(matches!(
        c.reason,
        PartitionReason::StickyRandom { null: true, .. }
    ));
}

#[test]
fn java_and_murmur2_random_hash_an_empty_key() {
    let empty = to_positive(murmur2(b"")) % 11;
    assert_eq!(choose(PartitionerKind::Default, Some(b""), 11), empty);
    assert_eq!(choose(PartitionerKind::Murmur2Random, Some(b""), 11), empty);
}

#[test]
fn consistent_random_treats_an_empty_key_like_a_null_key() {
    let mut p = Partitioner::new(PartitionerKind::ConsistentRandom, 5);
    let c = p.partition("t", Some(b""), 10, 4, 0).expect("a partition");
    assert!(matches!(
        c.reason,
        PartitionReason::StickyRandom { null: false, .. }
    ));
}

#[test]
fn the_java_default_keeps_null_keys_on_one_partition_until_batch_size_bytes() {
    let mut p = Partitioner::new(PartitionerKind::Default, 11);
    let first = p
        .partition("t", None, 1000, 6, 0)
        .expect("a partition")
        .partition;
    // 16 records of 1000 bytes reach 16000 < 16384; the 17th reaches 17000 and is the last there.
    for _ in 1..17 {
        assert_eq!(
            p.partition("t", None, 1000, 6, 0)
                .expect("a partition")
                .partition,
            first
        );
    }
    let after = p.partition("t", None, 1000, 6, 0).expect("a partition");
    assert!(matches!(
        after.reason,
        PartitionReason::Sticky {
            produced_bytes: 1000,
            ..
        }
    ));
}

#[test]
fn librdkafka_keeps_a_null_key_partition_for_linger_ms_then_draws_again() {
    let mut p = Partitioner::new(PartitionerKind::ConsistentRandom, 3).with_sticky_linger_ms(10);
    let first = p.partition("t", None, 10, 50, 1_000).expect("a partition");
    for now in 1_001..1_010 {
        let c = p.partition("t", None, 10, 50, now).expect("a partition");
        assert_eq!(c.partition, first.partition);
    }
    let later = p.partition("t", None, 10, 50, 1_010).expect("a partition");
    assert!(matches!(
        later.reason,
        PartitionReason::StickyRandom { new_draw: true, .. }
    ));
}

#[test]
fn the_random_partitioner_spreads_keyed_records() {
    let mut p = Partitioner::new(PartitionerKind::Random, 8);
    let mut seen = [false; 4];
    for _ in 0..200 {
        let c = p
            .partition("t", Some(b"same-key"), 10, 4, 0)
            .expect("a partition");
        seen[c.partition as usize] = true;
    }
    assert_eq!(seen, [true; 4]);
}

#[test]
fn reasons_read_as_sentences() {
    let mut p = Partitioner::new(PartitionerKind::Consistent, 0);
    let none = p.partition("t", None, 10, 3, 0).expect("a partition");
    assert_eq!(
        none.to_string(),
        "no key → consistent → partition 0 of 3 (keyless records always go to partition 0)"
    );
    let mut zero_linger =
        Partitioner::new(PartitionerKind::Murmur2Random, 0).with_sticky_linger_ms(0);
    let c = zero_linger
        .partition("t", None, 10, 3, 0)
        .expect("a partition");
    assert_eq!(
        c.to_string(),
        format!(
            "no key → random partition {} of 3 (a new draw per record)",
            c.partition
        )
    );
    let mut java = Partitioner::new(PartitionerKind::Default, 0).with_batch_size(10);
    let full = java.partition("t", None, 10, 3, 0).expect("a partition");
    assert_eq!(
        full.to_string(),
        format!(
            "no key → sticky partition {} (10 bytes reached: the next keyless record draws a new partition)",
            full.partition
        )
    );
}

fn any_kind() -> impl Strategy<Value = PartitionerKind> {
    prop::sample::select(PartitionerKind::ALL.to_vec())
}

proptest! {
    #[test]
    fn every_choice_is_a_partition_of_the_topic(
        kind in any_kind(),
        key in prop::option::of(prop::collection::vec(any::<u8>(), 0..64)),
        n in 1i32..500,
        size in 0u64..100_000,
        now in 0u64..1_000_000,
        seed in any::<u64>(),
    ) {
        let mut p = Partitioner::new(kind, seed);
        let c = p.partition("t", key.as_deref(), size, n, now).expect("a partition");
        prop_assert!((0..n).contains(&c.partition));
        prop_assert_eq!(c.num_partitions, n);
    }

    #[test]
    fn a_key_always_goes_to_the_same_partition(
        kind in prop::sample::select(vec![
            PartitionerKind::Default,
            PartitionerKind::Consistent,
            PartitionerKind::ConsistentRandom,
            PartitionerKind::Murmur2,
            PartitionerKind::Murmur2Random,
            PartitionerKind::Fnv1a,
            PartitionerKind::Fnv1aRandom,
        ]),
        key in prop::collection::vec(any::<u8>(), 1..64),
        n in 1i32..500,
        seed_a in any::<u64>(),
        seed_b in any::<u64>(),
    ) {
        let a = Partitioner::new(kind, seed_a).partition("t", Some(&key), 1, n, 0).expect("a partition");
        let b = Partitioner::new(kind, seed_b).partition("u", Some(&key), 1, n, 99).expect("a partition");
        prop_assert_eq!(a.partition, b.partition);
    }

    #[test]
    fn sticky_null_keys_reach_every_partition_over_time(seed in any::<u64>(), n in 1i32..8) {
        let mut p = Partitioner::new(PartitionerKind::Default, seed).with_batch_size(100);
        let mut seen = vec![false; n as usize];
        for _ in 0..2_000 {
            let c = p.partition("t", None, 50, n, 0).expect("a partition");
            seen[c.partition as usize] = true;
        }
        prop_assert!(seen.iter().all(|s| *s), "partitions reached: {:?}", seen);
    }
}

proptest! {
    #[test]
    fn librdkafka_sticky_null_keys_reach_every_partition_as_time_passes(
        seed in any::<u64>(),
        n in 1i32..8,
        kind in prop::sample::select(vec![
            PartitionerKind::ConsistentRandom,
            PartitionerKind::Murmur2Random,
            PartitionerKind::Fnv1aRandom,
            PartitionerKind::Random,
        ]),
    ) {
        let mut p = Partitioner::new(kind, seed);
        let mut seen = vec![false; n as usize];
        // One record per millisecond for 2 s: a new draw every 10 ms.
        for now in 0..2_000u64 {
            let c = p.partition("t", None, 50, n, now).expect("a partition");
            seen[c.partition as usize] = true;
        }
        prop_assert!(seen.iter().all(|s| *s), "partitions reached: {:?}", seen);
    }
}
