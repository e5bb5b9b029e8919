//! The browser benches' clock: `performance.now()`, with sub-millisecond resolution where the
//! browser gives it (it coarsens it to 100 µs, so benches time whole rounds, not single calls).
//!
//! Owns only this reading, for the wasm benches (`browser_log`, `browser_storage`,
//! `browser_memory`). Must not be used by the crate, which reads time through `clock::Clock`.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Milliseconds since the page's time origin (`performance.now()`).
pub fn now_ms() -> f64 {
    let performance = Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .expect("performance exists");
    let now: Function = Reflect::get(&performance, &JsValue::from_str("now"))
        .expect("performance.now exists")
        .unchecked_into();
    now.call0(&performance)
        .expect("performance.now() runs")
        .as_f64()
        .expect("performance.now() is a number")
}
