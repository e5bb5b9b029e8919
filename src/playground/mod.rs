//! The playground engine: the broker, the group service, the clients the learner runs (the
//! groups page's consumers, the reader, the terminal's followers, the sample-order job), the
//! simulated clock, and what each page shows of them, as plain Rust.
//!
//! Owns turning a learner's action (from the Yew pages, the terminal or the JavaScript API)
//! into client and broker calls, and their answers into events and view rows. Must not touch
//! the DOM, a timer or any web API (the adapters in `ui/` and `js_api/` do), nor hold Kafka's
//! rules (the broker, the coordinator and the clients do). Compiles and is tested natively.

pub mod action;
pub mod api;
pub mod browse_error;
pub mod changes;
pub mod deliveries;
mod dispatch;
pub mod engine;
pub mod error;
pub mod event;
pub mod form_error;
pub mod forms;
pub mod group_words;
pub mod groups;
pub mod import;
pub mod import_file;
pub mod importing;
pub mod lane_marks;
pub mod message_browser;
pub mod notebook;
pub mod partition_math;
pub mod persistence;
pub mod reader;
pub mod record_format;
pub mod refusal_fix;
pub mod sample_job;
pub mod sample_orders;
pub mod sample_outcome;
pub mod stderr_notice;
pub mod terminal;
pub mod terminal_host;
#[cfg(test)]
pub(crate) mod test_support;
pub mod tick;

pub use action::{Action, Outcome};
pub use changes::Area;
pub use engine::Playground;
pub use error::PlaygroundError;
pub use event::Event;
