//! Spark's JSON functions: `from_json` (text to a value of a schema) and `to_json` (a value
//! to text), with Spark 4.x's default options and semantics (each file says which).
//!
//! Owns JSON text in and out, over Brooklet's own streaming reader (no serde: the grammar is
//! Jackson's as Spark configures it, which differs from strict JSON). Must not evaluate
//! expressions or know where the text came from.

pub mod from_json;
pub mod reader;
pub mod to_json;

pub use from_json::from_json;
pub use to_json::to_json;

#[cfg(test)]
mod tests;
