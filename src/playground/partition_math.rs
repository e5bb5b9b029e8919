//! The arithmetic behind a keyed partition choice, spelled out for a learner: which bytes were
//! hashed, the hash, the sign-bit clearing (Java's `Utils.toPositive`) and the modulo, e.g.
//! `murmur2 of the key's 5 bytes (31 31 35 39 39) = -1467245467 → toPositive = 680238181 →
//! 680238181 mod 3 = 1 → partition 1`.
//!
//! Owns the wording. Must not choose partitions: the partitioner did, and its
//! [`PartitionReason`] carries the hash value; this module only recomputes the signed murmur2
//! the Java client clears the sign bit of, so the step is visible.

use crate::partitioner::murmur2::murmur2;
use crate::partitioner::{KeyHash, PartitionChoice, PartitionReason};

/// How many of the key's bytes are shown in hex.
const BYTES_SHOWN: usize = 12;

/// The hashed bytes in hex (`31 31 35`), shortened with `…`.
fn hex(bytes: &[u8]) -> String {
    let mut text: Vec<String> = bytes
        .iter()
        .take(BYTES_SHOWN)
        .map(|b| format!("{b:02x}"))
        .collect();
    if bytes.len() > BYTES_SHOWN {
        text.push("…".to_owned());
    }
    text.join(" ")
}

/// What was hashed, in words: the key's bytes, or the empty input a null key is hashed as.
fn input(bytes: &[u8], null_hashed_as_empty: bool) -> String {
    match (null_hashed_as_empty, bytes.len()) {
        (true, _) => "the empty input (a null key is hashed as no bytes)".to_owned(),
        (false, 0) => "the key's 0 bytes".to_owned(),
        (false, 1) => format!("the key's 1 byte ({})", hex(bytes)),
        (false, n) => format!("the key's {n} bytes ({})", hex(bytes)),
    }
}

/// The arithmetic of a keyed choice, given the key's bytes as produced; `None` when no hash
/// decided the partition (an explicit partition, sticky or random placement).
pub fn arithmetic(choice: &PartitionChoice, key: Option<&[u8]>) -> Option<String> {
    let PartitionReason::KeyHashed {
        hash,
        hash_value,
        null_hashed_as_empty,
        ..
    } = &choice.reason
    else {
        return None;
    };
    let bytes = if *null_hashed_as_empty {
        &[][..]
    } else {
        key.unwrap_or_default()
    };
    let (n, p) = (choice.num_partitions, choice.partition);
    let what = input(bytes, *null_hashed_as_empty);
    let reduce = format!("{hash_value} mod {n} = {p} → partition {p}");
    Some(match hash {
        KeyHash::Murmur2 => {
            let signed = murmur2(bytes);
            if signed < 0 {
                format!("murmur2 of {what} = {signed} → toPositive (clear the sign bit) = {hash_value} → {reduce}")
            } else {
                format!("murmur2 of {what} = {signed} → toPositive = {hash_value} (already positive) → {reduce}")
            }
        }
        KeyHash::Crc32 => format!("crc32 of {what} = {hash_value} (unsigned) → {reduce}"),
        KeyHash::Fnv1a => format!("fnv1a of {what} = {hash_value} (unsigned) → {reduce}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partitioner::{Partitioner, PartitionerKind};

    fn choose(kind: PartitionerKind, key: Option<&[u8]>, partitions: i32) -> PartitionChoice {
        Partitioner::new(kind, 1)
            .partition("orders", key, 10, partitions, 0)
            .expect("a partition")
    }

    #[test]
    fn a_murmur2_choice_shows_the_bytes_the_signed_hash_to_positive_and_the_modulo() {
        // Java: Utils.murmur2("21".getBytes()) == -973932308 (the client's own test vector).
        let choice = choose(PartitionerKind::Default, Some(b"21"), 3);
        let positive = -973_932_308_i32 & 0x7fff_ffff;
        assert_eq!(
            arithmetic(&choice, Some(b"21")).expect("keyed"),
            format!(
                "murmur2 of the key's 2 bytes (32 31) = -973932308 → toPositive (clear the sign bit) = {positive} → {positive} mod 3 = {} → partition {}",
                positive % 3,
                positive % 3
            )
        );
        assert_eq!(choice.partition, positive % 3);
    }

    #[test]
    fn a_long_key_is_shown_shortened_and_a_null_key_hashed_as_empty_says_so() {
        let key = b"customer-000000011599";
        let text =
            arithmetic(&choose(PartitionerKind::Default, Some(key), 6), Some(key)).expect("keyed");
        assert!(text.starts_with(
            "murmur2 of the key's 21 bytes (63 75 73 74 6f 6d 65 72 2d 30 30 30 …) = "
        ));
        let null = arithmetic(&choose(PartitionerKind::Murmur2, None, 4), None).expect("hashed");
        assert!(null.starts_with("murmur2 of the empty input (a null key is hashed as no bytes)"));
    }

    #[test]
    fn crc32_and_fnv1a_are_unsigned_and_unhashed_choices_have_no_arithmetic() {
        // zlib's check value: crc32("123456789") = 0xCBF43926 = 3421780262; mod 5 = 2.
        let key = b"123456789";
        assert_eq!(
            arithmetic(&choose(PartitionerKind::Consistent, Some(key), 5), Some(key)),
            Some("crc32 of the key's 9 bytes (31 32 33 34 35 36 37 38 39) = 3421780262 (unsigned) → 3421780262 mod 5 = 2 → partition 2".to_owned())
        );
        assert!(
            arithmetic(&choose(PartitionerKind::Fnv1a, Some(key), 5), Some(key))
                .expect("hashed")
                .starts_with("fnv1a of the key's 9 bytes")
        );
        assert_eq!(
            arithmetic(&choose(PartitionerKind::Default, None, 3), None),
            None
        );
        let explicit = PartitionChoice::explicit("orders", 1, 3).expect("exists");
        assert_eq!(arithmetic(&explicit, Some(b"k")), None);
    }
}
