//! Spark Structured Streaming over the playground's topics: Spark's types and values, its SQL
//! dialect and the PySpark the course writes, a logical plan, and micro-batch execution with
//! Kafka sources and sinks.
//!
//! Owns everything Spark-shaped. Reads and writes topics only through [`crate::client`]'s
//! producer and consumer, as Spark's Kafka connector does through Kafka's clients. Must not touch
//! storage, the console or any web API, nor read the wall clock: time comes from the broker's
//! [`Clock`](crate::clock::Clock).

pub mod analyze;
pub mod calendar;
pub mod checkpoint;
pub mod eval;
pub mod exec;
pub mod interval;
pub mod java_text;
pub mod json;
pub mod kafka;
pub mod plan;
pub mod python;
pub mod query;
pub mod session;
pub mod shell;
pub mod show;
pub mod sql;
pub mod types;
pub mod value;
