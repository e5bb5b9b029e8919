//! Consumer groups: the coordinator state machine, assignors and committed offsets.
//!
//! Must not touch storage or any web API; time comes from a `Clock`.

pub mod assignor;
pub mod coordinator;
pub mod java_hash_order;
pub mod offset_record;
pub mod offset_store;
