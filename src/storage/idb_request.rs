//! Turns IndexedDB's callback requests into futures with typed errors.
//!
//! Owns the `onsuccess` / `onerror` wiring of one `IDBRequest` (or `IDBOpenDBRequest`) and
//! the conversion of the `DOMException` it fails with into [`IdbError`]. Must not open
//! databases or choose stores: callers do.

// The IndexedDB backend: web objects are its job (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]

use std::fmt;

use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbRequest, IdbTransaction};

/// An IndexedDB failure, named as the browser names it (`QuotaExceededError`, `VersionError`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdbError {
    /// The DOMException's name, e.g. `QuotaExceededError`.
    pub name: String,
    /// The browser's message.
    pub message: String,
}

impl IdbError {
    /// Reads a `DOMException` (or any thrown value) into an error.
    pub fn from_js(value: &JsValue) -> Self {
        match value.dyn_ref::<DomException>() {
            Some(exception) => Self {
                name: exception.name(),
                message: exception.message(),
            },
            None => Self {
                name: "UnknownError".to_owned(),
                message: value.as_string().unwrap_or_else(|| format!("{value:?}")),
            },
        }
    }

    /// True when the browser refused the write for lack of space.
    pub fn is_quota_exceeded(&self) -> bool {
        self.name == "QuotaExceededError"
    }
}

impl fmt::Display for IdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IndexedDB {}: {}", self.name, self.message)
    }
}

impl std::error::Error for IdbError {}

/// Waits for `request` to succeed and returns its `result`, or the error it failed with.
///
/// The handlers are attached before the first await, which is safe: IndexedDB delivers
/// events only after the current task, so none can be missed.
pub async fn await_request(request: &IdbRequest) -> Result<JsValue, IdbError> {
    let promise = Promise::new(&mut |resolve, reject| {
        let success_request = request.clone();
        let on_success = Closure::once_into_js(move || {
            let result = success_request.result().unwrap_or(JsValue::UNDEFINED);
            // Calling a resolve function never throws.
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let error_request = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = match error_request.error() {
                Ok(Some(exception)) => JsValue::from(exception),
                _ => JsValue::from_str("the request failed without a DOMException"),
            };
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map_err(|error| IdbError::from_js(&error))
}

/// Waits for `transaction` to commit, or returns the error it aborted with (for a write
/// refused for lack of space, `QuotaExceededError`).
///
/// Only `complete` and `abort` are awaited: exactly one of them fires, whereas `error` may
/// fire once per failed request before the abort.
pub async fn await_transaction(transaction: &IdbTransaction) -> Result<(), IdbError> {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let aborted = transaction.clone();
        let on_abort = Closure::once_into_js(move || {
            let error = match aborted.error() {
                Some(exception) => JsValue::from(exception),
                None => JsValue::from_str("the transaction was aborted"),
            };
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|error| IdbError::from_js(&error))
}
