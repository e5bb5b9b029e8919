//! kafkajs's `Producer`: `connect`, `send`, `sendBatch`, `disconnect`. `send` resolves with
//! kafkajs's RecordMetadata once the store has acknowledged the records (at once when the
//! playground keeps nothing).
//!
//! Owns the glue and the wait for the producer's delivery reports. Must not read or shape the
//! request (the API does).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::convert::{self, input, output};
use super::kafka::spawn;
use super::{act, sleep, with_playground};
use crate::playground::api::{producer, ApiError, Input, ProducerSession, RecordMetadata};

/// How often a send waiting for the store looks again, in ms.
const DELIVERY_CHECK_MS: u32 = 20;

/// kafkajs's `Producer`.
#[wasm_bindgen(js_name = Producer)]
pub struct JsProducer {
    session: Rc<RefCell<ProducerSession>>,
}

impl JsProducer {
    pub(super) fn new(client_id: &str) -> Result<JsProducer, JsValue> {
        let session = with_playground(|p| ProducerSession::new(p, client_id))
            .map_err(|e| convert::error(&e))?;
        Ok(JsProducer {
            session: Rc::new(RefCell::new(session)),
        })
    }
}

/// Sends one topic's messages and waits for the store.
async fn send_one(
    session: Rc<RefCell<ProducerSession>>,
    request: Input,
) -> Result<Vec<RecordMetadata>, JsValue> {
    let pending = act(|p| producer::send(p, &mut session.borrow_mut(), &request))?;
    loop {
        let settled = with_playground(|p| producer::settle(p, &mut session.borrow_mut(), &pending))
            .map_err(|e| convert::error(&e))?;
        match settled {
            Some(answer) => return answer.map_err(|e| convert::error(&e)),
            None => sleep(DELIVERY_CHECK_MS).await,
        }
    }
}

#[wasm_bindgen(js_class = Producer)]
impl JsProducer {
    /// `connect()`.
    pub fn connect(&self) -> Promise {
        self.session.borrow_mut().set_connected(true);
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `disconnect()`.
    pub fn disconnect(&self) -> Promise {
        self.session.borrow_mut().set_connected(false);
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `send({ topic, messages: [{ key, value, headers, partition, timestamp }] })`.
    pub fn send(&self, request: JsValue) -> Promise {
        let session = Rc::clone(&self.session);
        let request = input(&request);
        spawn(async move { send_one(session, request).await.map(|m| output(&m)) })
    }

    /// `sendBatch({ topicMessages: [{ topic, messages }] })`: each topic's send in turn, their
    /// RecordMetadata together.
    #[wasm_bindgen(js_name = sendBatch)]
    pub fn send_batch(&self, request: JsValue) -> Promise {
        let session = Rc::clone(&self.session);
        let request = input(&request);
        spawn(async move {
            let batches = match request.field("topicMessages") {
                Input::Array(items) => items.clone(),
                other => {
                    let e = ApiError::bad(
                        "topicMessages",
                        "an array, e.g. [{ topic: 'orders', messages: [{ value: 'x' }] }]",
                        other,
                    );
                    return Err(convert::error(&e));
                }
            };
            let all = Array::new();
            for batch in batches {
                for m in send_one(Rc::clone(&session), batch).await? {
                    all.push(&output(&m));
                }
            }
            Ok(all.into())
        })
    }
}
