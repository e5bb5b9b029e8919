//! The JavaScript API: `window.brooklet` (and the page's wasm module exports, which Trunk's
//! loader puts on `window.wasmBindings`) with kafkajs's shape — `new brooklet.Kafka({ clientId })`,
//! then `admin()`, `producer()` and `consumer({ groupId })` — driving the same playground the
//! pages show, so what a script does appears live on the page.
//!
//! Owns the wasm-bindgen glue only: converting values, making Promises, the consumer's run
//! loop and its timers, and telling the page something changed (one function, [`changed`]).
//! Must not decide anything: requests are read, carried out and answered by
//! [`crate::playground::api`], which is plain Rust and tested natively.

// The JavaScript adapter: web objects are its job (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]

mod consumer;
mod convert;
mod kafka;
mod producer;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use crate::playground::api::ApiError;
use crate::playground::Playground;

pub use consumer::JsConsumer;
pub use kafka::{JsAdmin, JsKafka};
pub use producer::JsProducer;

/// The playground the API drives, and what to call after it changed it.
struct Installed {
    playground: Rc<RefCell<Playground>>,
    changed: Rc<dyn Fn()>,
}

thread_local! {
    static INSTALLED: RefCell<Option<Installed>> = const { RefCell::new(None) };
}

/// Makes the API drive `playground` and puts `window.brooklet` on the page; `changed` is
/// called after every change the API makes (the page re-renders and stores it).
pub fn install(playground: Rc<RefCell<Playground>>, changed: Rc<dyn Fn()>) {
    INSTALLED.with(|i| {
        *i.borrow_mut() = Some(Installed {
            playground,
            changed,
        })
    });
    let namespace = js_sys::Object::new();
    // Setting properties on a fresh object and on `window` cannot fail.
    let _ = js_sys::Reflect::set(&namespace, &"Kafka".into(), &kafka::class());
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"brooklet".into(), &namespace);
    }
}

/// Takes `window.brooklet` away and lets go of the playground (the page closed it).
pub fn uninstall() {
    INSTALLED.with(|i| *i.borrow_mut() = None);
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::delete_property(
            window.unchecked_ref::<js_sys::Object>(),
            &"brooklet".into(),
        );
    }
}

/// Runs `action` on the playground (refused before the page opened it, or while another
/// change holds it).
fn with_playground<R>(action: impl FnOnce(&mut Playground) -> R) -> Result<R, ApiError> {
    let playground = INSTALLED
        .with(|i| i.borrow().as_ref().map(|i| Rc::clone(&i.playground)))
        .ok_or(ApiError::NotOpen)?;
    let mut p = playground.try_borrow_mut().map_err(|_| ApiError::Busy)?;
    Ok(action(&mut p))
}

/// Something changed: the page re-renders and stores it. Every change the API makes ends
/// here, and only here.
fn changed() {
    let callback = INSTALLED.with(|i| i.borrow().as_ref().map(|i| Rc::clone(&i.changed)));
    if let Some(callback) = callback {
        callback();
    }
}

/// `with_playground`, flattening a refused action into the same error.
fn act<R>(action: impl FnOnce(&mut Playground) -> Result<R, ApiError>) -> Result<R, JsValue> {
    let outcome = with_playground(action).and_then(|r| r);
    changed();
    outcome.map_err(|e| convert::error(&e))
}

/// Waits `ms` milliseconds.
async fn sleep(ms: u32) {
    gloo::timers::future::TimeoutFuture::new(ms).await;
}
