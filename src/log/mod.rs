//! The partition log: records, Kafka v2 record batches, segments, indexes, retention and compaction.
//!
//! Pure data structures. Owns the persisted bytes of a batch (the codec). Must not read the clock
//! (time is passed in as `now_ms`), touch storage or any web API.

pub mod batch;
pub mod config;
pub mod index;
pub mod record;
pub mod segment;
pub mod varint;

pub use batch::{BatchBuilder, BatchError, RecordBatch};
pub use config::{CleanupPolicy, LogConfig, TimestampType};
pub use record::{Header, NewRecord, Record};
pub use segment::{segment_name, RecoveryReport, Segment, SegmentConfig};
