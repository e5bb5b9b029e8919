//! kafkajs's `Consumer`: `connect`, `subscribe`, `run({ eachMessage })`, `commitOffsets`,
//! `seek`, `disconnect`, and the run loop: poll, hand each record to `eachMessage` and await
//! it before the next, commit what was processed at the end of each batch. `run` resolves once
//! the consumer has joined its group, as kafkajs's does. After a failure the loop waits and
//! tries again, or ends, as the session answers.
//!
//! Owns the loop, its timers and the JavaScript calls. Must not decide what to commit, seek,
//! refuse or retry (the API's [`ConsumerSession`] does).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert::{self, input, maybe_buffer};
use super::kafka::{settled, spawn};
use super::{act, changed, sleep, with_playground};
use crate::client::ConsumerRecord;
use crate::playground::api::{AfterFailure, ApiError, ConsumerSession, Input, Thrown};

/// The wait after a poll that brought nothing, in ms (the page's consumers poll ten times a
/// second).
const IDLE_POLL_MS: u32 = 100;

/// While polls bring nothing, the page is told every this many polls (a rebalance or an
/// expired member may still have changed what it shows; the page's own consumers are advanced
/// by the playground's tick, which marks what changed).
const RENDER_EVERY_IDLE_POLLS: u32 = 10;

/// How long `disconnect` waits for the message being processed to finish, in ms. kafkajs
/// waits for ever, which hangs a `disconnect` awaited inside `eachMessage`; after this, it
/// leaves without committing that last message (it is read again next time).
const DISCONNECT_WAIT_MS: u32 = 5_000;

/// How often `disconnect` looks whether the message being processed has finished, in ms.
const DISCONNECT_CHECK_MS: u32 = 10;

/// kafkajs's `Consumer`.
#[wasm_bindgen(js_name = Consumer)]
pub struct JsConsumer {
    session: Rc<RefCell<ConsumerSession>>,
    /// Bumped by `disconnect`: a run loop of an earlier epoch stops.
    epoch: Rc<Cell<u64>>,
    /// True while the run loop waits for `eachMessage`.
    busy: Rc<Cell<bool>>,
}

impl JsConsumer {
    pub(super) fn new(config: &Input, client_id: &str) -> Result<JsConsumer, JsValue> {
        let session = ConsumerSession::new(config, client_id).map_err(|e| convert::error(&e))?;
        Ok(JsConsumer {
            session: Rc::new(RefCell::new(session)),
            epoch: Rc::default(),
            busy: Rc::default(),
        })
    }
}

/// The functions that settle `run`'s Promise, until the consumer joined (or failed to).
type Started = Rc<RefCell<Option<(Function, Function)>>>;

fn settle_started(started: &Started, outcome: Result<(), JsValue>) {
    if let Some((resolve, reject)) = started.borrow_mut().take() {
        let _ = match outcome {
            Ok(()) => resolve.call0(&JsValue::UNDEFINED),
            Err(e) => reject.call1(&JsValue::UNDEFINED, &e),
        };
    }
}

/// What `eachMessage` receives: `{ topic, partition, message, heartbeat }`, the message's
/// offset and timestamp as strings and its key, value and headers as Buffer-like arrays.
fn payload(record: &ConsumerRecord, heartbeat: &JsValue) -> JsValue {
    let set = |o: &Object, k: &str, v: &JsValue| {
        let _ = Reflect::set(o, &k.into(), v);
    };
    // A key sent more than once arrives as an array of its values, as kafkajs decodes it.
    let headers = Object::new();
    for h in &record.headers {
        let value = maybe_buffer(h.value.as_deref());
        let key = JsValue::from_str(&h.key);
        let earlier = Reflect::get(&headers, &key).unwrap_or(JsValue::UNDEFINED);
        let merged = if earlier.is_undefined() {
            value
        } else if Array::is_array(&earlier) {
            Array::from(&earlier).push(&value);
            earlier
        } else {
            Array::of2(&earlier, &value).into()
        };
        set(&headers, &h.key, &merged);
    }
    let message = Object::new();
    set(&message, "key", &maybe_buffer(record.key.as_deref()));
    set(&message, "value", &maybe_buffer(record.value.as_deref()));
    set(&message, "headers", &headers);
    set(&message, "offset", &record.offset.to_string().into());
    set(&message, "timestamp", &record.timestamp.to_string().into());
    set(&message, "attributes", &0.into());
    let payload = Object::new();
    set(&payload, "topic", &record.topic.as_str().into());
    set(&payload, "partition", &record.partition.into());
    set(&payload, "message", &message);
    set(&payload, "heartbeat", heartbeat);
    payload.into()
}

/// Calls `eachMessage` and waits for what it returned (a Promise or not).
async fn deliver(each: &Function, payload: &JsValue) -> Result<(), JsValue> {
    let returned = each.call1(&JsValue::UNDEFINED, payload)?;
    JsFuture::from(Promise::resolve(&returned))
        .await
        .map(|_| ())
}

/// What kafkajs's retrier reads of a thrown value: its `name`, `message` and `retriable`.
fn thrown_error(thrown: &JsValue) -> Thrown {
    let text = |key: &str| {
        Reflect::get(thrown, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    Thrown {
        name: text("name").unwrap_or_else(|| "Error".to_owned()),
        // `throw 'text'` throws a string, with no `message` of its own.
        message: text("message")
            .or_else(|| thrown.as_string())
            .unwrap_or_default(),
        retriable: Reflect::get(thrown, &"retriable".into())
            .ok()
            .and_then(|v| v.as_bool()),
    }
}

/// The run loop of one `run`: ends when the consumer disconnects, leaves from the page, or
/// fails to join.
async fn run_loop(
    session: Rc<RefCell<ConsumerSession>>,
    each: Function,
    epoch: u64,
    current: Rc<Cell<u64>>,
    busy: Rc<Cell<bool>>,
    started: Started,
) {
    let beat = {
        let session = Rc::clone(&session);
        Closure::<dyn Fn() -> Promise>::new(move || {
            let _ = with_playground(|p| session.borrow().heartbeat(p));
            Promise::resolve(&JsValue::UNDEFINED)
        })
        .into_js_value()
    };
    let live = || current.get() == epoch && session.borrow().member().is_some();
    let mut idle_polls = 0_u32;
    'polls: while live() {
        let polled = with_playground(|p| session.borrow_mut().poll(p)).and_then(|r| r);
        let quiet = polled
            .as_ref()
            .is_ok_and(|p| p.records.is_empty() && p.warnings.is_empty());
        idle_polls = if quiet { idle_polls + 1 } else { 0 };
        if idle_polls % RENDER_EVERY_IDLE_POLLS == 0 {
            changed();
        }
        let polled = match polled {
            Ok(polled) => polled,
            Err(e) => {
                let joined = started.borrow().is_none();
                if !joined {
                    // It never joined: `run` rejects with why, and the consumer leaves.
                    let _ = act(|p| session.borrow_mut().disconnect(p));
                    settle_started(&started, Err(convert::error(&e)));
                    break;
                }
                let after = with_playground(|p| session.borrow_mut().poll_failed(p, &e))
                    .unwrap_or_else(|refused| match refused {
                        ApiError::Busy => AfterFailure::RetryAfterMs(IDLE_POLL_MS),
                        closed => AfterFailure::Crashed(closed.to_string()),
                    });
                match after {
                    AfterFailure::RetryAfterMs(ms) => {
                        web_sys::console::error_1(&convert::error(&e));
                        sleep(ms).await;
                        continue;
                    }
                    AfterFailure::Ended(why) => web_sys::console::warn_1(&why.into()),
                    AfterFailure::Crashed(why) => web_sys::console::error_1(&why.into()),
                }
                changed();
                break;
            }
        };
        for warning in &polled.warnings {
            web_sys::console::warn_1(&warning.as_str().into());
        }
        if polled.joined {
            settle_started(&started, Ok(()));
        }
        if polled.records.is_empty() {
            sleep(IDLE_POLL_MS).await;
            continue;
        }
        for (i, record) in polled.records.iter().enumerate() {
            if !live() {
                break 'polls;
            }
            if !session.borrow().deliverable(record) {
                continue;
            }
            busy.set(true);
            let delivered = deliver(&each, &payload(record, &beat)).await;
            busy.set(false);
            if let Err(thrown) = delivered {
                web_sys::console::error_2(
                    &"[Runner] Error when calling eachMessage".into(),
                    &thrown,
                );
                if !live() {
                    break 'polls;
                }
                let rest = polled.records.get(i..).unwrap_or_default();
                if let Err(e) = act(|p| session.borrow_mut().failed(p, rest)) {
                    web_sys::console::error_1(&e);
                }
                let thrown = thrown_error(&thrown);
                let after = act(|p| Ok(session.borrow_mut().handler_threw(p, &thrown)));
                match after {
                    Ok(AfterFailure::RetryAfterMs(ms)) => sleep(ms).await,
                    Ok(AfterFailure::Ended(why)) => {
                        web_sys::console::warn_1(&why.into());
                        break 'polls;
                    }
                    Ok(AfterFailure::Crashed(why)) => {
                        web_sys::console::error_1(&why.into());
                        break 'polls;
                    }
                    Err(busy) => {
                        web_sys::console::error_1(&busy);
                        sleep(IDLE_POLL_MS).await;
                    }
                }
                continue 'polls;
            }
            // Processed, even if a disconnect came meanwhile: it commits this one too.
            session.borrow_mut().processed(record);
            if !live() {
                break 'polls;
            }
            let _ = with_playground(|p| session.borrow().heartbeat(p));
        }
        if let Err(e) = act(|p| session.borrow_mut().commit_processed(p)) {
            web_sys::console::error_1(&e);
        }
    }
    // Ended before it joined (disconnected meanwhile): `run` still settles.
    settle_started(&started, Ok(()));
}

#[wasm_bindgen(js_class = Consumer)]
impl JsConsumer {
    /// `connect()`: resolves (the group is joined by `run`).
    pub fn connect(&self) -> Promise {
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `subscribe({ topic | topics, fromBeginning })`.
    pub fn subscribe(&self, request: JsValue) -> Promise {
        let request = input(&request);
        let outcome = self.session.borrow_mut().subscribe(&request);
        settled(
            outcome
                .map(|()| JsValue::UNDEFINED)
                .map_err(|e| convert::error(&e)),
        )
    }

    /// `run({ eachMessage, autoCommit })`: resolves once the consumer joined its group.
    pub fn run(&self, options: JsValue) -> Promise {
        let each = Reflect::get(&options, &"eachMessage".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        let request = input(&options);
        let started = act(|p| self.session.borrow_mut().start(p, &request));
        let each = match (started, each) {
            (Err(e), _) => return Promise::reject(&e),
            (Ok(true), Some(each)) => each,
            // Already running (kafkajs only warns); `start` refuses a run without an
            // eachMessage function, so `None` is not reached.
            (Ok(_), _) => return Promise::resolve(&JsValue::UNDEFINED),
        };
        let started: Started = Rc::default();
        let promise = {
            let started = Rc::clone(&started);
            Promise::new(&mut move |resolve, reject| {
                *started.borrow_mut() = Some((resolve, reject));
            })
        };
        let epoch = self.epoch.get();
        wasm_bindgen_futures::spawn_local(run_loop(
            Rc::clone(&self.session),
            each,
            epoch,
            Rc::clone(&self.epoch),
            Rc::clone(&self.busy),
            started,
        ));
        promise
    }

    /// `commitOffsets([{ topic, partition, offset }])`.
    #[wasm_bindgen(js_name = commitOffsets)]
    pub fn commit_offsets(&self, offsets: JsValue) -> Promise {
        let offsets = input(&offsets);
        settled(
            act(|p| self.session.borrow_mut().commit_offsets(p, &offsets))
                .map(|()| JsValue::UNDEFINED),
        )
    }

    /// `seek({ topic, partition, offset })`: synchronous, as kafkajs's; applied at the next poll.
    pub fn seek(&self, request: JsValue) -> Result<(), JsValue> {
        let request = input(&request);
        self.session
            .borrow_mut()
            .seek(&request)
            .map_err(|e| convert::error(&e))
    }

    /// `disconnect()`: the run loop ends once the message being processed is (see
    /// [`DISCONNECT_WAIT_MS`]); what was processed is committed and the consumer leaves.
    pub fn disconnect(&self) -> Promise {
        self.epoch.set(self.epoch.get() + 1);
        let (session, busy) = (Rc::clone(&self.session), Rc::clone(&self.busy));
        spawn(async move {
            let mut waited = 0;
            while busy.get() && waited < DISCONNECT_WAIT_MS {
                sleep(DISCONNECT_CHECK_MS).await;
                waited += DISCONNECT_CHECK_MS;
            }
            act(|p| session.borrow_mut().disconnect(p)).map(|()| JsValue::UNDEFINED)
        })
    }
}
