//! The broker façade: cluster, topics, produce, fetch, list offsets, configs.
//!
//! Must not touch storage or any web API; time comes from a `Clock`.
