//! Exactly one tab owns a playground: a Web Lock held for as long as the tab lives.
//!
//! Owns asking the browser's lock manager for the playground's lock (politely, or by taking
//! it from another tab) and noticing when another tab takes it from us. Must not decide what
//! the UI does about it: callers get `true`/`false` and an `on_lost` call.

use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Lock, LockOptions};

/// How to ask for the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Only if no other tab holds it.
    IfFree,
    /// Take it from the tab that holds it (that tab is told it lost it).
    TakeOver,
}

/// Why the lock could not be asked for (the caller then goes on without it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockUnavailable {
    /// No `window` (not a page).
    #[error("no window")]
    NoWindow,
    /// The browser has no Web Locks API.
    #[error("this browser has no Web Locks API")]
    NoWebLocks,
    /// The lock manager's request failed, as the browser said.
    #[error("the lock request failed: {0}")]
    Failed(String),
}

/// Asks for the lock called `name`. Returns `Ok(true)` when this tab now holds it (until the
/// page closes, or another tab takes it over — then `on_lost` runs), `Ok(false)` when another
/// tab holds it. `Err` when the browser has no Web Locks (then the caller decides; a lone tab
/// is the common case).
pub async fn acquire(
    name: &str,
    ask: Ask,
    on_lost: impl FnOnce() + 'static,
) -> Result<bool, LockUnavailable> {
    let window = web_sys::window().ok_or(LockUnavailable::NoWindow)?;
    let locks = window.navigator().locks();
    if JsValue::from(locks.clone()).is_undefined() {
        return Err(LockUnavailable::NoWebLocks);
    }
    let mut granted_resolve: Option<Function> = None;
    let granted = Promise::new(&mut |resolve, _| granted_resolve = Some(resolve));
    let granted_resolve = granted_resolve
        .ok_or_else(|| LockUnavailable::Failed("the promise gave no resolver".to_owned()))?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let held = lock.dyn_ref::<Lock>().is_some();
        // Resolving our own promise cannot throw.
        let _ = granted_resolve.call1(&JsValue::NULL, &JsValue::from_bool(held));
        if held {
            // Never settles: the lock stays ours for the life of the page.
            Promise::new(&mut |_, _| {}).into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = LockOptions::new();
    match ask {
        Ask::IfFree => options.set_if_available(true),
        Ask::TakeOver => options.set_steal(true),
    }
    let request = locks.request_with_options(name, &options, callback.unchecked_ref());
    // The request's promise rejects (AbortError) when another tab steals the lock.
    spawn_local(async move {
        if JsFuture::from(request).await.is_err() {
            on_lost();
        }
    });
    let held = JsFuture::from(granted)
        .await
        .map_err(|e| LockUnavailable::Failed(format!("{e:?}")))?;
    Ok(held.as_bool().unwrap_or(false))
}
