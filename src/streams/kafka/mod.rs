//! Spark's Kafka connector (`format("kafka")`): the source's options, offsets and schema, the
//! per-trigger rate limit, and reading an offset range through Brooklet's consumer.
//!
//! Owns what Spark's `KafkaSourceProvider`, `KafkaMicroBatchStream` and `JsonUtils` own. Must
//! not evaluate expressions or plans: it turns records into rows of the fixed Kafka schema.

pub mod offsets;
pub mod options;
pub mod rate_limit;
pub mod reader;
pub mod schema;

pub use offsets::{OffsetsJsonError, PartitionOffsets};
pub use options::{KafkaOptionError, KafkaSourceOptions, OffsetLimit, Strategy};
