//! Which of a segment's batches are in memory: evicting a loaded batch (its bytes stay in
//! storage, its summary in the segment) and loading cold ones back, CRC-checked.
//!
//! Owns the check that bytes read back are the batch the segment knows (size, magic, CRC,
//! and the same header facts). Must not decide what to evict or load (the batch cache and
//! the loader do) nor know whether a batch is stored (the partition log tracks that).

use bytes::Bytes;

use super::{HydrateError, Segment, Slot};
use crate::log::batch::RecordBatch;
use crate::log::summary::BatchSummary;

impl Segment {
    /// Turns the loaded batch at `position` cold: its bytes are dropped from memory, its
    /// summary stays (offsets, sizes, timestamps and indexes do not change). Returns the bytes
    /// freed, or `None` when there is no loaded batch there. The caller must know the batch
    /// is stored exactly as it is.
    pub fn evict(&mut self, position: usize) -> Option<u64> {
        let slot = self.slots.get_mut(position)?;
        let Slot::Loaded(batch) = slot else {
            return None;
        };
        let bytes = u64::from(batch.size_in_bytes());
        *slot = Slot::Cold(BatchSummary::of(batch));
        self.loaded_bytes -= bytes;
        Some(bytes)
    }

    /// Loads the bytes of the cold batches from `position` on, one chunk each, in order: each
    /// is validated (size, magic, CRC) and must match its summary. All or nothing: at the
    /// first bad chunk nothing changes and the error says where (the partition log truncates
    /// there, as recovery would). Returns the batches loaded; a slot that is not cold (or
    /// missing) ends the run early, and its chunk is ignored.
    pub fn load(&mut self, position: usize, chunks: Vec<Bytes>) -> Result<usize, HydrateError> {
        let mut loaded = Vec::with_capacity(chunks.len());
        for (i, chunk) in chunks.into_iter().enumerate() {
            let Some(Slot::Cold(expected)) = self.slots.get(position + i) else {
                break;
            };
            let expected = *expected;
            let checked = RecordBatch::from_bytes(chunk)
                .map_err(|e| e.to_string())
                .and_then(|b| {
                    if BatchSummary::of(&b) == expected {
                        Ok(b)
                    } else {
                        Err("its header differs from the stored manifest".to_owned())
                    }
                });
            match checked {
                Ok(b) => loaded.push(b),
                Err(reason) => {
                    return Err(HydrateError {
                        position: position + i,
                        base_offset: expected.base_offset,
                        reason,
                    })
                }
            }
        }
        let n = loaded.len();
        for (i, batch) in loaded.into_iter().enumerate() {
            if let Some(slot) = self.slots.get_mut(position + i) {
                self.loaded_bytes += u64::from(batch.size_in_bytes());
                *slot = Slot::Loaded(batch);
            }
        }
        Ok(n)
    }
}
