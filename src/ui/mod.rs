//! The playground's user interface.
//!
//! Owns what the learner sees. [`model`] is plain Rust (navigation, theme, what each page shows)
//! and is tested natively; the Yew components (wasm32 only) render and dispatch only: they
//! reach the engine through one hook (`context::use_playground`, and `use_area` to re-render
//! when an area they show changed), send it typed actions, read it through its query
//! methods, and hold no Kafka logic, no timer and no broker. The shell's one timer drives the
//! engine's `tick`.

// The web adapter: web objects are its job (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]

pub mod lock_loss;
pub mod model;
pub mod view_settings;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod context;
#[cfg(target_arch = "wasm32")]
mod local_kept;
#[cfg(target_arch = "wasm32")]
mod notebook_storage;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod persistence;
#[cfg(target_arch = "wasm32")]
mod storage_settings;
#[cfg(target_arch = "wasm32")]
mod tab_lock;
#[cfg(target_arch = "wasm32")]
mod timeline_storage;

#[cfg(target_arch = "wasm32")]
pub use app::App;

/// Mounts the playground into the page's `<body>`, replacing the loading notice.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let document = gloo::utils::document();
    if let Some(boot) = document.get_element_by_id("boot") {
        boot.remove();
    }
    yew::Renderer::<App>::new().render();
}
