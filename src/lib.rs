//! # Brooklet: Apache Kafka in a browser tab
//!
//! A Kafka-faithful broker core compiled to WebAssembly and shown by a Yew single-page app.
//! The README's *Architecture* section is the map of this crate; this list is its table of contents.
//!
//! Invariants every module keeps (see README, "Invariants"):
//! - `clock`, `log`, `partitioner`, `broker` and `group` never touch `web_sys`, `js_sys`, `gloo` or `yew`;
//!   they compile and are tested natively.
//! - Nothing reads the wall clock except the [`clock::Clock`] implementations.
//! - No `usize` in a stored format; errors are enums with written messages carrying Kafka's error names.

#![warn(missing_docs)]

pub mod broker;
pub mod client;
pub mod clock;
pub mod console;
pub mod group;
pub mod log;
pub mod partitioner;
pub mod playground;
pub mod protocol;
pub mod sort;
pub mod storage;
pub mod streams;

pub mod ui;

/// The JavaScript API (`window.brooklet`), the second adapter over the playground.
#[cfg(target_arch = "wasm32")]
pub mod js_api;
