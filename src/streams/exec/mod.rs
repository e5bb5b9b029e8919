//! Running plans: the resolved operator tree ([`physical`]), the aggregate functions, the
//! state a streaming aggregation keeps between micro-batches, and the run itself.
//!
//! Owns evaluation over rows. Must not resolve names (the analyzer did) nor read sources or
//! write sinks (the query does, around a run).

pub mod aggregate_fn;
pub mod describe;
pub mod physical;
pub mod run;
pub mod state;
pub mod value_codec;
