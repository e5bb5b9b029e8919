//! A streaming query's checkpoint, in Spark's shape: `metadata` (the query's id), the offset
//! log `offsets/N` (written before batch N runs) and the commit log `commits/N` (written after
//! its sink took it). A query restarted over the same checkpoint re-runs an uncommitted batch
//! with exactly its logged offsets, then goes on — so no record is skipped or processed twice.
//!
//! Owns the files' texts and the narrow store they live in ([`CheckpointStore`]); the
//! playground keeps the store with its topics. Must not run batches.

use std::collections::BTreeMap;

use crate::streams::kafka::PartitionOffsets;

/// Where checkpoint files live: a flat map of paths to texts.
pub trait CheckpointStore {
    /// The text at `path`.
    fn read(&self, path: &str) -> Option<String>;
    /// Writes `text` at `path`, replacing what was there.
    fn write(&mut self, path: &str, text: String);
    /// The paths that start with `prefix`, in order.
    fn list(&self, prefix: &str) -> Vec<String>;
    /// Removes the file at `path`, if any.
    fn remove(&mut self, path: &str);
}

/// A store in memory (native scripts, tests, and the playground's copy before it is stored).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MemoryCheckpoints {
    files: BTreeMap<String, String>,
    revision: u64,
}

impl MemoryCheckpoints {
    /// Counts the changes: moves on every write and removal (the playground stores the
    /// checkpoint again when it moved).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Every file, by path.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }
}

impl CheckpointStore for MemoryCheckpoints {
    fn read(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn write(&mut self, path: &str, text: String) {
        self.revision += 1;
        self.files.insert(path.to_string(), text);
    }

    fn list(&self, prefix: &str) -> Vec<String> {
        self.files
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn remove(&mut self, path: &str) {
        self.revision += 1;
        self.files.remove(path);
    }
}

/// One entry of the offset log: what batch `batch_id` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetLogEntry {
    /// The batch.
    pub batch_id: u64,
    /// The watermark the batch runs with (ms).
    pub watermark_ms: i64,
    /// The batch's `current_timestamp()` (ms).
    pub timestamp_ms: i64,
    /// The source's end offsets for the batch.
    pub offsets: PartitionOffsets,
}

/// A checkpoint file that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The checkpoint file {path} is not in Spark's format ({problem}): delete the checkpoint location to start the query afresh")]
pub struct CheckpointError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub problem: &'static str,
}

/// The path of batch `n`'s offset log entry under a checkpoint location.
pub fn offsets_path(location: &str, n: u64) -> String {
    format!("{}/offsets/{n}", location.trim_end_matches('/'))
}

/// The path of batch `n`'s commit log entry under a checkpoint location.
pub fn commits_path(location: &str, n: u64) -> String {
    format!("{}/commits/{n}", location.trim_end_matches('/'))
}

/// The text of an offset log entry as Spark writes it (`OffsetSeqLog`): the version, the batch's
/// metadata, then the source's offsets.
pub fn offset_log_text(entry: &OffsetLogEntry) -> String {
    format!(
        "v1\n{{\"batchWatermarkMs\":{},\"batchTimestampMs\":{},\"conf\":{{\"spark.sql.shuffle.partitions\":\"200\",\"spark.sql.streaming.aggregation.stateFormatVersion\":\"2\",\"spark.sql.streaming.multipleWatermarkPolicy\":\"min\"}}}}\n{}",
        entry.watermark_ms,
        entry.timestamp_ms,
        entry.offsets.to_json()
    )
}

/// Reads an offset log entry written by [`offset_log_text`].
pub fn parse_offset_log(
    path: &str,
    batch_id: u64,
    text: &str,
) -> Result<OffsetLogEntry, CheckpointError> {
    let fail = |problem| CheckpointError {
        path: path.to_string(),
        problem,
    };
    let mut lines = text.lines();
    if lines.next() != Some("v1") {
        return Err(fail("the first line is not v1"));
    }
    let metadata: serde_json::Value = lines
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| fail("the metadata line is not JSON"))?;
    let number = |key: &str| metadata.get(key).and_then(serde_json::Value::as_i64);
    let offsets = lines
        .next()
        .and_then(|l| PartitionOffsets::from_json(l).ok())
        .ok_or_else(|| fail("the offsets line is not Kafka offsets"))?;
    Ok(OffsetLogEntry {
        batch_id,
        watermark_ms: number("batchWatermarkMs").ok_or_else(|| fail("no batchWatermarkMs"))?,
        timestamp_ms: number("batchTimestampMs").ok_or_else(|| fail("no batchTimestampMs"))?,
        offsets,
    })
}

/// The text of a commit log entry (`CommitLog`): the version and the next batch's watermark.
pub fn commit_log_text(next_watermark_ms: i64) -> String {
    format!("v1\n{{\"nextBatchWatermarkMs\":{next_watermark_ms}}}")
}

/// The highest batch id with a file under `dir` (`offsets` or `commits`), if any.
pub fn latest_batch(store: &dyn CheckpointStore, location: &str, dir: &str) -> Option<u64> {
    let prefix = format!("{}/{dir}/", location.trim_end_matches('/'));
    store
        .list(&prefix)
        .iter()
        .filter_map(|p| p.strip_prefix(&prefix)?.parse::<u64>().ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_log_entry_reads_back_as_written() {
        let mut offsets = PartitionOffsets::default();
        offsets.set("orders", 0, 50);
        let entry = OffsetLogEntry {
            batch_id: 3,
            watermark_ms: 0,
            timestamp_ms: 1_700_000_000_000,
            offsets,
        };
        let text = offset_log_text(&entry);
        assert!(text.starts_with("v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1700000000000,"));
        assert!(text.ends_with("\n{\"orders\":{\"0\":50}}"));
        assert_eq!(parse_offset_log("cp/offsets/3", 3, &text), Ok(entry));
        assert_eq!(commit_log_text(0), "v1\n{\"nextBatchWatermarkMs\":0}");
    }

    #[test]
    fn the_latest_batch_is_the_highest_numbered_file() {
        let mut store = MemoryCheckpoints::default();
        for n in [0, 1, 10, 2] {
            store.write(&offsets_path("/cp", n), String::new());
        }
        store.write(&commits_path("/cp", 1), String::new());
        assert_eq!(latest_batch(&store, "/cp", "offsets"), Some(10));
        assert_eq!(latest_batch(&store, "/cp/", "commits"), Some(1));
        assert_eq!(latest_batch(&store, "/other", "commits"), None);
    }

    #[test]
    fn a_damaged_offset_log_entry_says_how_to_start_afresh() {
        let err = parse_offset_log("cp/offsets/0", 0, "v2\n{}").unwrap_err();
        assert_eq!(err.to_string(), "The checkpoint file cp/offsets/0 is not in Spark's format (the first line is not v1): delete the checkpoint location to start the query afresh");
    }
}
