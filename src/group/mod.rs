//! Consumer groups: the coordinator state machine, assignors and committed offsets.
//!
//! Must not touch storage or any web API; time comes from a `Clock`.

pub mod assignor;
pub mod java_hash_order;
