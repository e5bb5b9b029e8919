//! The JavaScript API in a real browser: `window.brooklet` driven from JavaScript creates a
//! topic, produces keyed orders, consumes them with a group (and again after a seek), and
//! rejects bad calls with kafkajs's error shape; the playground underneath shows each step
//! (the topic, the records in its partitions, the consumer among the groups page's members)
//! and is told of each change.

// A browser test: web objects are its tools (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use brooklet::clock::SystemClock;
use brooklet::playground::Playground;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Runs `body` as an async JavaScript function and returns what it resolved with (or why
/// it threw, as `Err`).
async fn run_js(body: &str) -> Result<JsValue, JsValue> {
    let function = Function::new_no_args(&format!("return (async () => {{ {body} }})()"));
    let promise: Promise = function.call0(&JsValue::UNDEFINED)?.into();
    JsFuture::from(promise).await
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// JavaScript that watches `console.error` for the run loop's crash line: `crashReported()`
/// resolves with the crash lines once one came and a few more polls' time passed (so a loop
/// that went on would have said more), or with none after 15 s.
const WATCH_CRASHES: &str = r#"
        const crashes = [];
        const original = console.error;
        let crashedOnce;
        const crashed = new Promise((resolve) => { crashedOnce = resolve; });
        console.error = (...args) => {
          const line = args.map(String).join(' ');
          if (line.startsWith('[Consumer] Crash:')) { crashes.push(line); crashedOnce(); }
          original.apply(console, args);
        };
        const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
        const crashReported = async () => {
          await Promise.race([crashed, wait(15000)]);
          await wait(1500);
          console.error = original;
          return crashes;
        };
"#;

/// A playground the API drives, and how many changes the API told the page about.
fn installed() -> (Rc<RefCell<Playground>>, Rc<Cell<u32>>) {
    let playground = Rc::new(RefCell::new(Playground::new(Rc::new(SystemClock), 3)));
    let changes = Rc::new(Cell::new(0));
    let counted = Rc::clone(&changes);
    brooklet::js_api::install(
        Rc::clone(&playground),
        Rc::new(move || counted.set(counted.get() + 1)),
    );
    (playground, changes)
}

#[wasm_bindgen_test]
// One test: `window.brooklet` is one per page.
async fn a_script_creates_produces_and_consumes_through_window_brooklet_and_the_playground_shows_it(
) {
    let (playground, changes) = installed();

    // Admin and producer: a topic, then six keyed orders; send answers kafkajs's RecordMetadata.
    let sent = run_js(
        r#"
        const kafka = new brooklet.Kafka({ clientId: 'shop' });
        const admin = kafka.admin();
        await admin.connect();
        const created = await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
        const again = await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
        const producer = kafka.producer();
        await producer.connect();
        const metadata = await producer.send({
          topic: 'orders',
          messages: ['alice', 'bob', 'carol', 'alice', 'bob', 'carol'].map((customer, i) => ({
            key: customer, value: JSON.stringify({ order: i, customer }), headers: { source: 'test', tag: ['a', 'b'] },
          })),
        });
        const topics = await admin.listTopics();
        const described = await admin.fetchTopicMetadata({ topics: ['orders'] });
        return { created, again, metadata, topics, partitions: described.topics[0].partitions.length };
        "#,
    )
    .await
    .expect("the script ran");
    assert_eq!(get(&sent, "created"), JsValue::TRUE);
    assert_eq!(get(&sent, "again"), JsValue::FALSE);
    assert_eq!(get(&sent, "partitions").as_f64(), Some(3.0));
    let metadata: js_sys::Array = get(&sent, "metadata").into();
    assert!(metadata.length() >= 1 && metadata.length() <= 3);
    let first = metadata.get(0);
    assert_eq!(
        get(&first, "topicName").as_string().as_deref(),
        Some("orders")
    );
    assert_eq!(get(&first, "errorCode").as_f64(), Some(0.0));
    assert_eq!(get(&first, "baseOffset").as_string().as_deref(), Some("0"));
    {
        let p = playground.borrow();
        let broker = p.broker();
        let broker = broker.borrow();
        let stored: i64 = (0..3)
            .map(|i| {
                broker
                    .partition("orders", i)
                    .map_or(0, |p| p.log.log_end_offset())
            })
            .sum();
        assert_eq!(stored, 6, "the six orders are in the topic's partitions");
    }

    // A consumer joins the group (run resolves once joined) and reads every order.
    let consumed = run_js(
        r#"
        const kafka = new brooklet.Kafka({ clientId: 'shop' });
        const consumer = kafka.consumer({ groupId: 'billing' });
        await consumer.connect();
        await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
        const seen = [];
        let done;
        let reread;
        let rereadCount = Infinity;
        const all = new Promise((resolve) => { done = resolve; });
        await consumer.run({
          eachMessage: async ({ topic, partition, message }) => {
            seen.push({ key: message.key.toString(), value: JSON.parse(message.value.toString()),
                        source: message.headers.source.toString(), offset: message.offset, partition,
                        tags: message.headers.tag.map((t) => t.toString()).join(',') });
            if (seen.length === 6) done();
            if (seen.length === 6 + rereadCount) reread();
          },
        });
        window.__jsApiConsumer = consumer;
        await all;
        const groups = await kafka.admin().describeGroups(['billing']);
        // A seek back to 0 delivers that partition's records again.
        const partition = seen[0].partition;
        const again = new Promise((resolve) => { reread = resolve; });
        rereadCount = seen.filter((s) => s.partition === partition).length;
        consumer.seek({ topic: 'orders', partition, offset: '0' });
        await again;
        const reread6 = seen.slice(6).map((s) => `${s.partition}:${s.offset}`);
        const expected = seen.slice(0, 6).filter((s) => s.partition === partition).map((s) => `${s.partition}:${s.offset}`);
        return { seen: seen.slice(0, 6), members: groups.groups[0].members.map((m) => m.clientId),
                 rereadAsBefore: JSON.stringify(reread6) === JSON.stringify(expected) };
        "#,
    )
    .await
    .expect("the script ran");
    let seen: js_sys::Array = get(&consumed, "seen").into();
    assert_eq!(seen.length(), 6);
    let one = seen.get(0);
    assert_eq!(get(&one, "source").as_string().as_deref(), Some("test"));
    assert_eq!(
        get(&one, "tags").as_string().as_deref(),
        Some("a,b"),
        "a header key sent twice arrives as an array of its values"
    );
    assert!(
        get(&one, "offset").is_string(),
        "offsets are strings, as kafkajs gives them"
    );
    assert_eq!(
        get(&consumed, "rereadAsBefore"),
        JsValue::TRUE,
        "a seek to 0 reads the partition again"
    );
    let members: js_sys::Array = get(&consumed, "members").into();
    assert_eq!(members.get(0).as_string().as_deref(), Some("shop"));
    {
        let p = playground.borrow();
        let cards = p.groups().expect("the groups loaded").members("billing");
        assert_eq!(
            cards.len(),
            1,
            "the consumer is one of the groups page's members"
        );
        assert_eq!(cards[0].client_id, "shop");
    }

    // Disconnecting commits what was processed and leaves the group.
    let offsets = run_js(
        r#"
        await window.__jsApiConsumer.disconnect();
        const admin = new brooklet.Kafka({ clientId: 'shop' }).admin();
        const offsets = await admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] });
        const groups = await admin.describeGroups(['billing']);
        return { committed: offsets[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0),
                 state: groups.groups[0].state };
        "#,
    )
    .await
    .expect("the script ran");
    assert_eq!(get(&offsets, "committed").as_f64(), Some(6.0));
    assert_eq!(get(&offsets, "state").as_string().as_deref(), Some("Empty"));
    assert!(playground
        .borrow()
        .groups()
        .expect("loaded")
        .members("billing")
        .is_empty());

    // Refusals reject with kafkajs's error shape and Kafka's error name.
    let refused = run_js(
        r#"
        const kafka = new brooklet.Kafka({ clientId: 'shop' });
        const errors = [];
        try { await kafka.admin().createTopics({ topics: [{ topic: 'empty', numPartitions: 0 }] }); }
        catch (e) { errors.push({ name: e.name, type: e.type, code: e.code, retriable: e.retriable, message: e.message }); }
        const producer = kafka.producer();
        await producer.connect();
        try { await producer.send({ topic: 'orders', messages: [{ value: 'x', partition: 9 }] }); }
        catch (e) { errors.push({ name: e.name, type: e.type, code: e.code, retriable: e.retriable, message: e.message }); }
        try { kafka.consumer({}); }
        catch (e) { errors.push({ name: e.name, type: e.type, code: e.code, retriable: e.retriable, message: e.message }); }
        return errors;
        "#,
    )
    .await
    .expect("the script ran");
    let errors: js_sys::Array = refused.into();
    assert_eq!(errors.length(), 3);
    let partitions = errors.get(0);
    assert_eq!(
        get(&partitions, "name").as_string().as_deref(),
        Some("KafkaJSProtocolError")
    );
    assert_eq!(
        get(&partitions, "type").as_string().as_deref(),
        Some("INVALID_PARTITIONS")
    );
    assert_eq!(get(&partitions, "code").as_f64(), Some(37.0));
    assert_eq!(get(&partitions, "retriable"), JsValue::FALSE);
    let unknown = errors.get(1);
    assert_eq!(
        get(&unknown, "type").as_string().as_deref(),
        Some("UNKNOWN_TOPIC_OR_PARTITION")
    );
    assert_eq!(get(&unknown, "retriable"), JsValue::TRUE);
    let no_group = errors.get(2);
    assert_eq!(
        get(&no_group, "name").as_string().as_deref(),
        Some("KafkaJSNonRetriableError")
    );
    assert!(get(&no_group, "type").is_undefined());

    assert!(
        changes.get() > 5,
        "the page was told of each change ({})",
        changes.get()
    );

    // A bug in eachMessage (a TypeError) crashes the consumer, as kafkajs's retrier does: the
    // console says so once and the consumer leaves its group.
    let crashed = run_js(&format!(
        r#"{WATCH_CRASHES}
        const consumer = new brooklet.Kafka({{ clientId: 'buggy' }}).consumer({{ groupId: 'audit-bug' }});
        await consumer.subscribe({{ topics: ['orders'], fromBeginning: true }});
        await consumer.run({{ eachMessage: async ({{ message }}) => {{ message.nothing.there; }} }});
        return await crashReported();
        "#
    ))
    .await
    .expect("the script ran");
    let lines: js_sys::Array = crashed.into();
    assert_eq!(lines.length(), 1, "{:?}", lines.to_vec());
    let line = lines.get(0).as_string().unwrap_or_default();
    assert!(
        line.starts_with("[Consumer] Crash: TypeError: ")
            && line.ends_with("buggy in audit-bug stopped and left its group; fix the cause, then call consumer.run again."),
        "{line}"
    );
    assert!(playground
        .borrow()
        .groups()
        .expect("loaded")
        .members("audit-bug")
        .is_empty());

    // Another tab takes the playground over: a running consumer's poll is refused for good,
    // so its run loop crashes once instead of retrying for the life of the tab.
    run_js(&format!(
        r#"{WATCH_CRASHES}
        const consumer = new brooklet.Kafka({{ clientId: 'ledger' }}).consumer({{ groupId: 'audit' }});
        await consumer.subscribe({{ topics: ['orders'], fromBeginning: true }});
        await consumer.run({{ eachMessage: async () => {{}} }});
        window.__ledger = consumer;
        window.__ledgerCrash = crashReported();
        "#
    ))
    .await
    .expect("the script ran");
    playground
        .borrow_mut()
        .make_read_only("Another tab took this playground over.");
    let ended = run_js(
        r#"
        const lines = await window.__ledgerCrash;
        let seek;
        try { window.__ledger.seek({ topic: 'orders', partition: 0, offset: '0' }); }
        catch (e) { seek = e.message; }
        return { lines, seek };
        "#,
    )
    .await
    .expect("the script ran");
    let lines: js_sys::Array = get(&ended, "lines").into();
    assert_eq!(lines.length(), 1, "{:?}", lines.to_vec());
    assert_eq!(
        lines.get(0).as_string().as_deref(),
        Some("[Consumer] Crash: KafkaJSProtocolError: Another tab took this playground over. — ledger in audit stopped; fix the cause, then call consumer.run again.")
    );
    assert_eq!(
        get(&ended, "seek").as_string().as_deref(),
        Some("Consumer group was not initialized, consumer#run must be called first"),
        "the run loop ended"
    );

    brooklet::js_api::uninstall();
    assert!(get(&gloo::utils::window().into(), "brooklet").is_undefined());
}
