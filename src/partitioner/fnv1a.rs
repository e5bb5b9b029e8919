//! librdkafka's FNV-1a partitioning (`fnv1a`, `fnv1a_random`), which matches sarama's default
//! `NewHashPartitioner`.
//!
//! Owns `rd_fnv1a`: 32-bit FNV-1a computed in a signed int, then the absolute value (as sarama
//! does), reduced modulo the partition count. Must not choose partitions for keyless records under
//! `fnv1a_random` (that is `sticky`), nor know about topics.

/// FNV-1a offset basis.
const OFFSET: u32 = 0x811C_9DC5;
/// FNV-1a prime.
const PRIME: u32 = 0x0100_0193;

/// librdkafka's `rd_fnv1a`: FNV-1a of `data`, sign removed the way sarama removes it (a negative
/// hash is negated; `i32::MIN` stays `0x80000000`, as two's-complement negation leaves it).
pub fn fnv1a(data: &[u8]) -> u32 {
    let mut h = OFFSET;
    for &b in data {
        h ^= u32::from(b);
        h = h.wrapping_mul(PRIME);
    }
    let signed = h as i32;
    if signed < 0 {
        signed.wrapping_neg() as u32
    } else {
        h
    }
}

/// librdkafka's keyed FNV-1a placement: `fnv1a(key) % num_partitions`, unsigned.
///
/// Returns `None` when `num_partitions` is not positive.
pub fn partition_for_key(key: &[u8], num_partitions: i32) -> Option<i32> {
    let n = u32::try_from(num_partitions).ok().filter(|n| *n > 0)?;
    i32::try_from(fnv1a(key) % n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_librdkafkas_unit_test_vectors() {
        let short = "1234";
        let long = "PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: [(&str, u32); 11] = [
            ("kafka", 0x0d33_c4e1),
            ("giberish123456789", 0x77a5_8295),
            (short, 0x023b_dd03),
            (&short[1..], 0x2dea_3cd2),
            (&short[2..], 0x740f_a83e),
            (&short[3..], 0x310c_a263),
            (long, 0x65cb_d69c),
            (&long[1..], 0x6e49_c79a),
            (&long[2..], 0x69ee_d356),
            (&long[3..], 0x6abc_c023),
            ("", 0x7ee3_623b),
        ];
        for (key, expected) in cases {
            assert_eq!(fnv1a(key.as_bytes()), expected, "{key:?}");
        }
    }

    #[test]
    fn no_partition_is_chosen_for_a_topic_without_partitions() {
        assert_eq!(partition_for_key(b"k", 0), None);
        assert_eq!(
            partition_for_key(b"kafka", 7),
            Some((0x0d33_c4e1u32 % 7) as i32)
        );
    }
}
