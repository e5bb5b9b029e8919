//! `new brooklet.Kafka({ clientId })` and its `admin()`, as kafkajs's `Kafka` and `Admin`.
//!
//! Owns the classes' glue: each method converts its argument, runs the plain-Rust request
//! and turns the answer into a Promise. Must not check or decide anything itself.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::consumer::JsConsumer;
use super::convert::{self, input, output};
use super::producer::JsProducer;
use super::{act, with_playground};
use crate::playground::api::{admin, ApiError};

/// The client id when `new Kafka()` names none.
const DEFAULT_CLIENT_ID: &str = "brooklet-js";

/// kafkajs's `Kafka`: the entry point (`brokers` and the other connection settings are
/// accepted and ignored: the broker is in this tab).
#[wasm_bindgen(js_name = Kafka)]
pub struct JsKafka {
    client_id: String,
}

#[wasm_bindgen(js_class = Kafka)]
impl JsKafka {
    /// `new Kafka({ clientId })`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<JsKafka, JsValue> {
        let config = input(&config);
        let client_id = match config.field("clientId") {
            absent if absent.is_absent() => DEFAULT_CLIENT_ID.to_owned(),
            given => given
                .string("clientId", "'shop'")
                .map_err(|e| convert::error(&e))?,
        };
        Ok(JsKafka { client_id })
    }

    /// `kafka.admin()`.
    pub fn admin(&self) -> JsAdmin {
        JsAdmin
    }

    /// `kafka.producer()`.
    pub fn producer(&self) -> Result<JsProducer, JsValue> {
        JsProducer::new(&self.client_id)
    }

    /// `kafka.consumer({ groupId })`.
    pub fn consumer(&self, config: JsValue) -> Result<JsConsumer, JsValue> {
        JsConsumer::new(&input(&config), &self.client_id)
    }
}

/// The `Kafka` class itself, for `window.brooklet.Kafka`.
pub(super) fn class() -> JsValue {
    let sample: JsValue = JsKafka {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
    }
    .into();
    let class = js_sys::Reflect::get(&sample, &"constructor".into()).unwrap_or(JsValue::UNDEFINED);
    // The sample was only needed for its class: free its Rust side now.
    if let Ok(free) = js_sys::Reflect::get(&sample, &"free".into()) {
        if let Some(free) = free.dyn_ref::<js_sys::Function>() {
            let _ = free.call0(&sample);
        }
    }
    class
}

/// A Promise of `answer`, or rejected with the API's error.
pub(super) fn settled(answer: Result<JsValue, JsValue>) -> Promise {
    match answer {
        Ok(v) => Promise::resolve(&v),
        Err(e) => Promise::reject(&e),
    }
}

/// Reads the playground without changing it.
fn read<R>(
    action: impl FnOnce(&mut crate::playground::Playground) -> Result<R, ApiError>,
) -> Result<R, JsValue> {
    with_playground(action)
        .and_then(|r| r)
        .map_err(|e| convert::error(&e))
}

/// kafkajs's `Admin`.
#[wasm_bindgen(js_name = Admin)]
pub struct JsAdmin;

#[wasm_bindgen(js_class = Admin)]
impl JsAdmin {
    /// `connect()`: nothing to connect to; resolves.
    pub fn connect(&self) -> Promise {
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `disconnect()`: resolves.
    pub fn disconnect(&self) -> Promise {
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `createTopics({ topics: [{ topic, numPartitions, replicationFactor, configEntries }] })`:
    /// `true` when created, `false` when a topic already existed.
    #[wasm_bindgen(js_name = createTopics)]
    pub fn create_topics(&self, request: JsValue) -> Promise {
        let request = input(&request);
        settled(act(|p| admin::create_topics(p, &request)).map(JsValue::from))
    }

    /// `listTopics()`: every topic's name.
    #[wasm_bindgen(js_name = listTopics)]
    pub fn list_topics(&self) -> Promise {
        settled(read(|p| Ok(admin::list_topics(p))).map(|t| output(&t)))
    }

    /// `fetchTopicMetadata({ topics })`.
    #[wasm_bindgen(js_name = fetchTopicMetadata)]
    pub fn fetch_topic_metadata(&self, request: JsValue) -> Promise {
        let request = input(&request);
        settled(read(|p| admin::fetch_topic_metadata(p, &request)).map(|m| output(&m)))
    }

    /// `deleteTopics({ topics })`.
    #[wasm_bindgen(js_name = deleteTopics)]
    pub fn delete_topics(&self, request: JsValue) -> Promise {
        let request = input(&request);
        settled(act(|p| admin::delete_topics(p, &request)).map(|()| JsValue::UNDEFINED))
    }

    /// `describeGroups([groupIds])`.
    #[wasm_bindgen(js_name = describeGroups)]
    pub fn describe_groups(&self, group_ids: JsValue) -> Promise {
        let ids = input(&group_ids);
        settled(read(|p| admin::describe_groups(p, &ids)).map(|g| output(&g)))
    }

    /// `fetchOffsets({ groupId, topics })`.
    #[wasm_bindgen(js_name = fetchOffsets)]
    pub fn fetch_offsets(&self, request: JsValue) -> Promise {
        let request = input(&request);
        settled(read(|p| admin::fetch_offsets(p, &request)).map(|o| output(&o)))
    }
}

/// A Promise running `work` (for the calls that wait).
pub(super) fn spawn<F>(work: F) -> Promise
where
    F: std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
{
    future_to_promise(work)
}
