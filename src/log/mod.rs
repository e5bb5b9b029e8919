//! The partition log: records, Kafka v2 record batches, segments, indexes, retention and compaction.
//!
//! Pure data structures. Owns the persisted bytes of a batch (the codec). Must not read the clock
//! (time is passed in as `now_ms`), touch storage or any web API.

pub mod batch;
pub mod compaction;
pub mod config;
pub mod decode;
pub mod error;
pub mod event;
pub mod index;
pub mod partition_log;
pub mod record;
pub mod retention;
pub mod segment;
pub mod summary;
pub mod varint;

pub use batch::{BatchBuilder, BatchError, RecordBatch};
pub use config::{CleanupPolicy, LogConfig, TimestampType};
pub use decode::{HeaderIter, RecordIter, RecordView};
pub use error::LogError;
pub use event::{DeleteReason, LogEvent};
pub use partition_log::{
    AppendInfo, ColdRun, CompactionReport, FetchData, FetchIsolation, HydrateDrop, HydrateReport,
    Keep, LogRecoveryReport, OffsetAndTimestamp, OffsetSpec, OnBadChunk, PartitionLog, RunLimit,
    StoredMark, StoredSegment, MAX_READERS,
};
pub use record::{Header, NewRecord, Record};
pub use retention::{Deletion, SegmentSummary};
pub use segment::{
    segment_name, HydrateError, RecoverOptions, RecoveryReport, Segment, SegmentConfig, Slot,
    TimestampLookupError, TruncateReport,
};
pub use summary::BatchSummary;
