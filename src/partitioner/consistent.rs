//! librdkafka's CRC32 partitioning (`consistent`, and the keyed half of `consistent_random`).
//!
//! Owns the hash confluent-kafka-python, -go and node-rdkafka use by default: the standard
//! zlib/IEEE CRC-32 of the key, taken **unsigned** modulo the partition count (no `toPositive`).
//! Must not choose partitions for keyless records under `consistent_random` (that is the sticky
//! random choice in `sticky`), nor know about topics.

/// The zlib/IEEE CRC-32 of `data` (reflected polynomial 0xEDB88320, initial value and final xor
/// 0xFFFFFFFF), as librdkafka's `rd_crc32` computes it. `"123456789"` gives `0xCBF43926`.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// librdkafka's keyed CRC32 placement: `crc32(key) % num_partitions`, unsigned.
///
/// Returns `None` when `num_partitions` is not positive.
pub fn partition_for_key(key: &[u8], num_partitions: i32) -> Option<i32> {
    let n = u32::try_from(num_partitions).ok().filter(|n| *n > 0)?;
    // The remainder is below `num_partitions`, itself an i32, so it always fits back.
    i32::try_from(crc32(key) % n).ok()
}

/// librdkafka's `consistent` partitioner: a NULL **or empty** key goes to partition 0; any other key
/// is placed by [`partition_for_key`].
///
/// Returns `None` when `num_partitions` is not positive.
pub fn consistent(key: Option<&[u8]>, num_partitions: i32) -> Option<i32> {
    match key {
        Some(k) if !k.is_empty() => partition_for_key(k, num_partitions),
        _ if num_partitions > 0 => Some(0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_standard_zlib_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn the_crc_is_taken_unsigned_not_sign_cleared() {
        // 0xCBF43926 has the sign bit set: unsigned mod differs from toPositive-then-mod.
        let unsigned = (0xCBF4_3926u32 % 7) as i32;
        let sign_cleared = (0xCBF4_3926u32 & 0x7fff_ffff) % 7;
        assert_ne!(unsigned as u32, sign_cleared);
        assert_eq!(partition_for_key(b"123456789", 7), Some(unsigned));
    }

    #[test]
    fn consistent_sends_null_and_empty_keys_to_partition_zero() {
        assert_eq!(consistent(None, 6), Some(0));
        assert_eq!(consistent(Some(b""), 6), Some(0));
    }

    #[test]
    fn consistent_chooses_nothing_without_partitions() {
        assert_eq!(consistent(None, 0), None);
        assert_eq!(consistent(Some(b"k"), 0), None);
    }
}
