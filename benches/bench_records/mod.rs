//! The records the storage and memory benches produce: batches of 100 keyed records with
//! deterministic, incompressible values, so any record read back can be checked.
//!
//! Owns only their shape, for `browser_storage` and `browser_memory`. Must not time anything.

use brooklet::log::NewRecord;
use bytes::Bytes;

/// Records per batch, as a busy producer's would hold.
pub const RECORDS_PER_BATCH: usize = 100;
/// Every record's timestamp (ms).
pub const START: i64 = 1_700_000_000_000;

/// Deterministic, incompressible bytes (xorshift64*), so record `n` can be checked later.
pub fn value(n: u64, size: usize) -> Bytes {
    let mut state = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(size + 8);
    while out.len() < size {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(size);
    Bytes::from(out)
}

/// Batch `b`: keys `customer-0..999`, values of `value_size` bytes from [`value`].
pub fn batch(b: usize, value_size: usize) -> Vec<NewRecord> {
    (0..RECORDS_PER_BATCH)
        .map(|i| {
            let n = (b * RECORDS_PER_BATCH + i) as u64;
            NewRecord::new(
                Some(Bytes::from(format!("customer-{}", n % 1_000))),
                Some(value(n, value_size)),
                START,
            )
        })
        .collect()
}
