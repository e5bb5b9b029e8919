//! JavaScript values in and out: arguments become [`Input`] trees for the plain-Rust API,
//! answers become plain objects, bytes become Buffer-like `Uint8Array`s, refusals become
//! `Error`s shaped like kafkajs's.
//!
//! Owns the conversions only. Must not check a request (the API does, on the `Input`).

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::playground::api::{ApiError, Input};

/// Objects nested deeper than this are not read (a cyclic object would never end).
const MAX_DEPTH: usize = 32;

/// The argument `value` as the API reads it.
pub fn input(value: &JsValue) -> Input {
    read(value, 0)
}

fn read(value: &JsValue, depth: usize) -> Input {
    if value.is_undefined() {
        Input::Undefined
    } else if value.is_null() {
        Input::Null
    } else if let Some(b) = value.as_bool() {
        Input::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Input::Number(n)
    } else if let Some(s) = value.as_string() {
        Input::Text(s)
    } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        Input::Bytes(bytes.to_vec())
    } else if value.is_function() {
        Input::Other("function".into())
    } else if depth >= MAX_DEPTH {
        Input::Other("deeply nested object".into())
    } else if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        Input::Array(array.iter().map(|v| read(&v, depth + 1)).collect())
    } else if let Some(object) = value.dyn_ref::<Object>() {
        let fields = Object::entries(object)
            .iter()
            .filter_map(|entry| {
                let pair: Array = entry.dyn_into().ok()?;
                Some((pair.get(0).as_string()?, read(&pair.get(1), depth + 1)))
            })
            .collect();
        Input::Object(fields)
    } else {
        Input::Other(value.js_typeof().as_string().unwrap_or_default())
    }
}

/// An answer as a plain JavaScript value (maps as objects, `None` as `null`).
pub fn output<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    // The API's answers are plain structs, strings and numbers: serializing cannot fail.
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

thread_local! {
    /// `toString()` for a Buffer-like array: its bytes read as UTF-8, as Node's Buffer does.
    static TO_STRING: Function = Function::new_no_args("return new TextDecoder().decode(this)");
}

/// `bytes` as a `Uint8Array` whose `toString()` decodes UTF-8, so kafkajs habits like
/// `message.value.toString()` work in the browser, where there is no `Buffer`.
pub fn buffer(bytes: &[u8]) -> JsValue {
    let array = Uint8Array::from(bytes);
    TO_STRING.with(|f| {
        // Defining a property on a fresh array cannot fail.
        let _ = Reflect::set(&array, &"toString".into(), f);
    });
    array.into()
}

/// Optional bytes: a Buffer-like array, or `null`.
pub fn maybe_buffer(bytes: Option<&[u8]>) -> JsValue {
    bytes.map_or(JsValue::NULL, buffer)
}

/// A refusal as kafkajs throws it: an `Error` with `name`, `message`, `retriable`, and for
/// Kafka's errors `type` (Kafka's error name) and `code`.
pub fn error(e: &ApiError) -> JsValue {
    let shape = e.shape();
    let error = js_sys::Error::new(&shape.message);
    error.set_name(shape.name);
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&error, &k.into(), &v);
    };
    if let Some(kafka_type) = shape.kafka_type {
        set("type", kafka_type.into());
    }
    if let Some(code) = shape.code {
        set("code", code.into());
    }
    set("retriable", shape.retriable.into());
    error.into()
}
