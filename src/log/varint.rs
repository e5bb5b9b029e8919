//! Kafka's zigzag variable-length integers: varint (i32, at most 5 bytes) and varlong (i64, at
//! most 10 bytes), as used inside v2 records.
//!
//! Owns the byte-level encoding only. Must not know about records or batches; decoding never
//! panics and rejects overlong or truncated input with a [`VarintError`].

use thiserror::Error;

/// Why a varint could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum VarintError {
    /// The input ended before the last byte of the varint (one without the high bit).
    #[error("varint is truncated: the input ended before its last byte")]
    Truncated,
    /// More than 5 bytes (varint) or 10 bytes (varlong) carried the continuation bit.
    #[error("varint is too long: more than {max_bytes} bytes")]
    TooLong {
        /// The most bytes this kind of varint may take.
        max_bytes: u8,
    },
}

/// Appends `value` as a zigzag varint (1 to 5 bytes).
#[inline]
pub fn write_varint(out: &mut Vec<u8>, value: i32) {
    // Zigzag maps small magnitudes of either sign to small unsigned numbers.
    let mut v = ((value << 1) ^ (value >> 31)) as u32;
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends `value` as a zigzag varlong (1 to 10 bytes).
#[inline]
pub fn write_varlong(out: &mut Vec<u8>, value: i64) {
    let mut v = ((value << 1) ^ (value >> 63)) as u64;
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// How many bytes [`write_varint`] writes for `value`.
#[inline]
pub fn varint_size(value: i32) -> u32 {
    let v = ((value << 1) ^ (value >> 31)) as u32;
    // One byte per started group of 7 significant bits, at least one byte.
    let bits = 32 - (v | 1).leading_zeros();
    bits.div_ceil(7)
}

/// How many bytes [`write_varlong`] writes for `value`.
#[inline]
pub fn varlong_size(value: i64) -> u32 {
    let v = ((value << 1) ^ (value >> 63)) as u64;
    let bits = 64 - (v | 1).leading_zeros();
    bits.div_ceil(7)
}

/// Reads a zigzag varint from the start of `input`; returns the value and the bytes it used.
#[inline]
pub fn read_varint(input: &[u8]) -> Result<(i32, usize), VarintError> {
    // Fast path: the common one-byte case (small lengths, deltas, counts).
    if let Some(&b) = input.first() {
        if b < 0x80 {
            let v = u32::from(b);
            return Ok((((v >> 1) as i32) ^ -((v & 1) as i32), 1));
        }
    }
    let mut raw: u32 = 0;
    for i in 0..5 {
        let b = *input.get(i).ok_or(VarintError::Truncated)?;
        raw |= u32::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Ok((((raw >> 1) as i32) ^ -((raw & 1) as i32), i + 1));
        }
    }
    Err(VarintError::TooLong { max_bytes: 5 })
}

/// Reads a zigzag varlong from the start of `input`; returns the value and the bytes it used.
#[inline]
pub fn read_varlong(input: &[u8]) -> Result<(i64, usize), VarintError> {
    if let Some(&b) = input.first() {
        if b < 0x80 {
            let v = u64::from(b);
            return Ok((((v >> 1) as i64) ^ -((v & 1) as i64), 1));
        }
    }
    let mut raw: u64 = 0;
    for i in 0..10 {
        let b = *input.get(i).ok_or(VarintError::Truncated)?;
        raw |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Ok((((raw >> 1) as i64) ^ -((raw & 1) as i64), i + 1));
        }
    }
    Err(VarintError::TooLong { max_bytes: 10 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_helpers_agree_with_the_writers() {
        for v in [0, 1, -1, 63, -64, 64, 8191, 8192, i32::MAX, i32::MIN] {
            let mut out = Vec::new();
            write_varint(&mut out, v);
            assert_eq!(out.len() as u32, varint_size(v), "varint {v}");
            let mut out = Vec::new();
            write_varlong(&mut out, i64::from(v));
            assert_eq!(out.len() as u32, varlong_size(i64::from(v)), "varlong {v}");
        }
        let mut out = Vec::new();
        write_varlong(&mut out, i64::MIN);
        assert_eq!(out.len(), 10);
        assert_eq!(varlong_size(i64::MIN), 10);
    }

    #[test]
    fn a_truncated_varint_is_an_error_not_a_panic() {
        assert_eq!(read_varint(&[]), Err(VarintError::Truncated));
        assert_eq!(read_varint(&[0x80, 0x80]), Err(VarintError::Truncated));
        assert_eq!(read_varlong(&[0xff]), Err(VarintError::Truncated));
    }

    #[test]
    fn a_six_byte_varint_is_rejected_as_too_long() {
        let input = [0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(
            read_varint(&input),
            Err(VarintError::TooLong { max_bytes: 5 })
        );
    }

    #[test]
    fn an_eleven_byte_varlong_is_rejected_as_too_long() {
        let input = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        assert_eq!(
            read_varlong(&input),
            Err(VarintError::TooLong { max_bytes: 10 })
        );
    }
}
