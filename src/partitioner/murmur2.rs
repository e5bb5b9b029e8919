//! The Java client's murmur2 hash and the keyed partition it gives.
//!
//! Owns `Utils.murmur2`, `Utils.toPositive` and `BuiltInPartitioner.partitionForKey`, bit for bit,
//! so a key lands in the same partition as with real Kafka. Must not choose partitions for null
//! keys (that is `sticky`) nor know about topics.

/// Seed of Kafka's murmur2 (`0x9747b28c`).
const SEED: u32 = 0x9747_b28c;
/// Multiplier `m`.
const M: u32 = 0x5bd1_e995;
/// Shift `r`.
const R: u32 = 24;

/// Kafka's murmur2 of `data`, as the Java client computes it (`Utils.murmur2`), as a signed `i32`.
///
/// All arithmetic is modulo 2^32 with logical shifts, as Java's `>>>` on `int`.
pub fn murmur2(data: &[u8]) -> i32 {
    // Java takes the length as an int; keys longer than i32::MAX bytes cannot be sent, so the
    // truncation below only matters for inputs Kafka could never hash.
    let length = data.len() as u32;
    let mut h = SEED ^ length;

    let mut blocks = data.chunks_exact(4);
    for block in &mut blocks {
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }

    // The Java switch falls through from 3 to 2 to 1.
    let tail = blocks.remainder();
    if tail.len() == 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }

    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit. Not the absolute value: `-1` becomes
/// `i32::MAX`, and `i32::MIN` becomes 0.
pub fn to_positive(x: i32) -> i32 {
    x & 0x7fff_ffff
}

/// The partition the Java client picks for a non-null key:
/// `toPositive(murmur2(key)) % num_partitions`. An empty key is hashed like any other.
///
/// Returns `None` when `num_partitions` is not positive (a topic always has at least one).
pub fn partition_for_key(key: &[u8], num_partitions: i32) -> Option<i32> {
    if num_partitions <= 0 {
        return None;
    }
    Some(to_positive(murmur2(key)) % num_partitions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_the_java_examples() {
        assert_eq!(murmur2(b"21"), -973_932_308);
        assert_eq!(murmur2(b"foobar"), -790_332_482);
        assert_eq!(murmur2(b"abc"), 479_470_107);
        assert_eq!(murmur2(b"0"), 971_027_396);
        assert_eq!(murmur2(b"1"), -1_993_445_489);
    }

    #[test]
    fn to_positive_clears_the_sign_bit_instead_of_negating() {
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(5), 5);
    }

    #[test]
    fn an_empty_key_is_hashed_and_gets_a_partition() {
        assert!(partition_for_key(b"", 3).is_some());
    }

    #[test]
    fn no_partition_is_chosen_for_a_topic_without_partitions() {
        assert_eq!(partition_for_key(b"k", 0), None);
        assert_eq!(partition_for_key(b"k", -2), None);
    }

    #[test]
    fn keys_land_where_the_java_client_puts_them_with_100_partitions() {
        assert_eq!(partition_for_key(b"foo", 100), Some(16));
        assert_eq!(partition_for_key(b"bar", 100), Some(45));
        assert_eq!(partition_for_key(b"baz", 100), Some(80));
        assert_eq!(partition_for_key(b"kafka", 100), Some(80));
        assert_eq!(partition_for_key(b"sarama", 100), Some(11));
    }
}
