//! Where the log is kept between visits.
//!
//! Owns the browser's IndexedDB plumbing (wasm32 only). Must not know Kafka's rules: it stores
//! and returns bytes; the log decides what they mean.

#[cfg(target_arch = "wasm32")]
pub mod idb_request;
