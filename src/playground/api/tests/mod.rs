//! The API's requests carried out on a native playground, as a JavaScript caller makes them:
//! here the admin's, the producer's and the consumer's happy paths and refusals; in `settle`
//! how a send settles when the store fails, the topic goes or another tab takes over; in `run`
//! what the consumer's run loop does after a failure, and a consumer of several topics.

mod run;
mod settle;

pub(super) use crate::playground::test_support::persistent_playground;
use std::rc::Rc;

use super::admin;
use super::producer::{self, ProducerSession};
use super::*;
use crate::broker::TopicPartition;
use crate::clock::ManualClock;
use crate::protocol::ErrorCode;

fn obj(fields: &[(&str, Input)]) -> Input {
    Input::Object(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn text(t: &str) -> Input {
    Input::Text(t.to_owned())
}

fn num(n: f64) -> Input {
    Input::Number(n)
}

fn playground() -> (Playground, Rc<ManualClock>) {
    let real = Rc::new(ManualClock::new(1_700_000_000_000));
    (Playground::new(real.clone(), 7), real)
}

/// A playground whose produces wait for the store's acknowledgement.
fn create_orders(p: &mut Playground, partitions: f64) -> Result<bool, ApiError> {
    let topic = obj(&[
        ("topic", text("orders")),
        ("numPartitions", num(partitions)),
    ]);
    admin::create_topics(p, &obj(&[("topics", Input::Array(vec![topic]))]))
}

fn connected(p: &Playground) -> ProducerSession {
    let mut session = ProducerSession::new(p, "shop");
    session.set_connected(true);
    session
}

fn orders(keys: &[&str]) -> Input {
    let messages = keys
        .iter()
        .map(|k| {
            obj(&[
                ("key", text(k)),
                ("value", text(&format!("{{\"id\":\"{k}\"}}"))),
            ])
        })
        .collect();
    obj(&[
        ("topic", text("orders")),
        ("messages", Input::Array(messages)),
    ])
}

#[test]
fn create_topics_resolves_true_then_false_when_the_topic_exists_as_kafkajs_does() {
    let (mut p, _) = playground();
    assert!(create_orders(&mut p, 3.0).expect("created"));
    assert!(!create_orders(&mut p, 3.0).expect("answered"));
    assert!(admin::list_topics(&p).contains(&"orders".to_owned()));
    assert!(p
        .timeline()
        .iter()
        .any(|l| l.to_string() == "Topic orders created with 3 partition(s)"));
}

#[test]
fn a_refused_topic_rejects_with_kafkas_error_and_duplicates_are_refused_before_anything_is_made() {
    let (mut p, _) = playground();
    let error = create_orders(&mut p, 0.0).unwrap_err();
    let shape = error.shape();
    assert_eq!(shape.kafka_type, Some("INVALID_PARTITIONS"));
    assert_eq!(shape.code, Some(37));
    let twice = Input::Array(vec![
        obj(&[("topic", text("a"))]),
        obj(&[("topic", text("a"))]),
    ]);
    let error = admin::create_topics(&mut p, &obj(&[("topics", twice)])).unwrap_err();
    assert!(matches!(error, ApiError::DuplicateTopic(ref t) if t == "a"));
    assert!(
        admin::list_topics(&p).is_empty(),
        "{:?}",
        admin::list_topics(&p)
    );
}

#[test]
fn topic_metadata_lists_each_partition_with_its_leader_and_an_unknown_topic_is_refused() {
    let (mut p, _) = playground();
    create_orders(&mut p, 2.0).expect("created");
    let request = obj(&[("topics", Input::Array(vec![text("orders")]))]);
    let metadata = admin::fetch_topic_metadata(&p, &request).expect("described");
    let json = serde_json::to_value(&metadata).expect("serializable");
    assert_eq!(
        json,
        serde_json::json!({"topics": [{"name": "orders", "partitions": [
            {"partitionErrorCode": 0, "partitionId": 0, "leader": 1, "replicas": [1], "isr": [1], "offlineReplicas": []},
            {"partitionErrorCode": 0, "partitionId": 1, "leader": 1, "replicas": [1], "isr": [1], "offlineReplicas": []}
        ]}]})
    );
    let unknown = obj(&[("topics", Input::Array(vec![text("payments")]))]);
    let error = admin::fetch_topic_metadata(&p, &unknown).unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("UNKNOWN_TOPIC_OR_PARTITION"));
    // The fix it names is the admin's own, not a broker setting that is already on.
    assert!(
        error.to_string().contains("admin.createTopics")
            && !error.to_string().contains("auto.create.topics.enable"),
        "{error}"
    );
}

#[test]
fn delete_topics_deletes_and_refuses_an_unknown_topic_before_deleting_any() {
    let (mut p, _) = playground();
    create_orders(&mut p, 1.0).expect("created");
    let both = obj(&[("topics", Input::Array(vec![text("orders"), text("nope")]))]);
    let error = admin::delete_topics(&mut p, &both).unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::UnknownTopicOrPartition));
    assert_eq!(admin::list_topics(&p), vec!["orders".to_owned()]);
    let one = obj(&[("topics", Input::Array(vec![text("orders")]))]);
    admin::delete_topics(&mut p, &one).expect("deleted");
    assert!(admin::list_topics(&p).is_empty());
}

#[test]
fn send_answers_one_record_metadata_per_partition_written_with_its_base_offset() {
    let (mut p, _) = playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut session = connected(&p);
    let first = producer::send(&mut p, &mut session, &orders(&["a", "b"])).expect("sent");
    let second = producer::send(&mut p, &mut session, &orders(&["c"])).expect("sent");
    let answer = producer::settle(&mut p, &mut session, &second)
        .expect("stored at once without storage")
        .expect("ok");
    let json = serde_json::to_value(&answer).expect("serializable");
    assert_eq!(
        json,
        serde_json::json!([{"topicName": "orders", "partition": 0, "errorCode": 0,
            "baseOffset": "2", "logAppendTime": "-1", "logStartOffset": "0"}])
    );
    let first = producer::settle(&mut p, &mut session, &first)
        .expect("settled")
        .expect("ok");
    assert_eq!(first[0].base_offset, "0");
    assert!(p
        .timeline()
        .iter()
        .any(|l| l.to_string() == "shop produced 1 record(s) to orders from JavaScript"));
}

#[test]
fn send_answers_only_once_the_store_acknowledged_and_rejects_when_the_store_failed() {
    let mut p = persistent_playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut session = connected(&p);
    let stored = producer::send(&mut p, &mut session, &orders(&["a", "b"])).expect("sent");
    assert!(
        producer::settle(&mut p, &mut session, &stored).is_none(),
        "waits for the store"
    );
    p.acknowledge(&TopicPartition::new("orders", 0), 2);
    assert!(producer::settle(&mut p, &mut session, &stored)
        .expect("settled")
        .is_ok());
    let lost = producer::send(&mut p, &mut session, &orders(&["c"])).expect("sent");
    p.storage_failed(
        ErrorCode::KafkaStorageError,
        "The browser's storage quota is full.".into(),
    );
    let error = producer::settle(&mut p, &mut session, &lost)
        .expect("settled")
        .unwrap_err();
    let shape = error.shape();
    assert_eq!(
        (shape.kafka_type, shape.retriable),
        (Some("KAFKA_STORAGE_ERROR"), true)
    );
}

#[test]
fn send_refuses_before_connect_a_missing_partition_and_a_value_of_the_wrong_type() {
    let (mut p, _) = playground();
    create_orders(&mut p, 2.0).expect("created");
    let mut session = ProducerSession::new(&p, "shop");
    let error = producer::send(&mut p, &mut session, &orders(&["a"])).unwrap_err();
    assert_eq!(error.shape().name, "KafkaJSError");
    session.set_connected(true);
    let to_five = obj(&[
        ("topic", text("orders")),
        (
            "messages",
            Input::Array(vec![obj(&[("value", text("x")), ("partition", num(5.0))])]),
        ),
    ]);
    let error = producer::send(&mut p, &mut session, &to_five).unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("UNKNOWN_TOPIC_OR_PARTITION"));
    let a_number = obj(&[
        ("topic", text("orders")),
        ("messages", Input::Array(vec![obj(&[("value", num(5.0))])])),
    ]);
    let error = producer::send(&mut p, &mut session, &a_number).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("messages[0].value must be a string, a Uint8Array or null"),
        "{error}"
    );
    assert_eq!(
        p.broker()
            .borrow()
            .partition("orders", 0)
            .map(|p| p.log.log_end_offset())
            .ok(),
        Some(0)
    );
}

#[test]
fn a_send_of_many_messages_is_stored_in_batches_and_nothing_waits_after_it() {
    let (mut p, _) = playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut session = connected(&p);
    let keys: Vec<String> = (0..300).map(|i| format!("customer-{i}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let sent = producer::send(&mut p, &mut session, &orders(&keys)).expect("sent");
    producer::settle(&mut p, &mut session, &sent)
        .expect("settled at once: the send flushed its batches")
        .expect("ok");
    let broker = p.broker();
    let broker = broker.borrow();
    let fetched = broker.fetch("orders", 0, 0, 1 << 20).expect("fetched");
    assert_eq!(fetched.log_end_offset, 300);
    // ~30-byte records: 300 fit in one 16 KB batch.size; a batch per record would be 300.
    assert_eq!(fetched.batches.len(), 1, "one request, one batch");
}

#[test]
fn headers_and_an_explicit_partition_reach_the_log() {
    let (mut p, _) = playground();
    create_orders(&mut p, 2.0).expect("created");
    let mut session = connected(&p);
    let message = obj(&[
        ("value", text("hello")),
        ("partition", num(1.0)),
        (
            "headers",
            obj(&[
                ("source", text("web")),
                ("tag", Input::Array(vec![text("a"), text("b")])),
            ]),
        ),
    ]);
    let request = obj(&[
        ("topic", text("orders")),
        ("messages", Input::Array(vec![message])),
    ]);
    let sent = producer::send(&mut p, &mut session, &request).expect("sent");
    let answer = producer::settle(&mut p, &mut session, &sent)
        .expect("settled")
        .expect("ok");
    assert_eq!(answer[0].partition, 1);
    let broker = p.broker();
    let broker = broker.borrow();
    let fetched = broker.fetch("orders", 1, 0, 1 << 20).expect("fetched");
    let records = fetched.records().expect("decoded");
    let names: Vec<&str> = records[0].headers.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(names, vec!["source", "tag", "tag"]);
}

/// Polls until `records` were delivered (each marked processed) or 10 s of real time passed.
fn consume(
    p: &mut Playground,
    real: &ManualClock,
    session: &mut ConsumerSession,
    records: usize,
) -> Vec<String> {
    let mut values = Vec::new();
    for _ in 0..10 {
        real.advance(1000);
        let polled = session.poll(p).expect("polled");
        for r in &polled.records {
            values
                .push(String::from_utf8_lossy(r.value.as_deref().unwrap_or_default()).into_owned());
            session.processed(r);
        }
        session.commit_processed(p).expect("committed");
        if values.len() >= records {
            break;
        }
    }
    values
}

fn each_message() -> Input {
    obj(&[("eachMessage", Input::Other("function".into()))])
}

#[test]
fn a_consumer_reads_from_the_beginning_commits_what_it_processed_and_shows_as_a_member() {
    let (mut p, real) = playground();
    create_orders(&mut p, 2.0).expect("created");
    let mut producer_session = connected(&p);
    producer::send(
        &mut p,
        &mut producer_session,
        &orders(&["a", "b", "c", "d"]),
    )
    .expect("sent");
    let mut session =
        ConsumerSession::new(&obj(&[("groupId", text("billing"))]), "shop").expect("made");
    session
        .subscribe(&obj(&[
            ("topics", Input::Array(vec![text("orders")])),
            ("fromBeginning", Input::Bool(true)),
        ]))
        .expect("subscribed");
    assert!(session.start(&mut p, &each_message()).expect("started"));
    let mut values = consume(&mut p, &real, &mut session, 4);
    crate::sort::sort(&mut values);
    assert_eq!(
        values,
        vec![
            r#"{"id":"a"}"#,
            r#"{"id":"b"}"#,
            r#"{"id":"c"}"#,
            r#"{"id":"d"}"#
        ]
    );

    let groups =
        admin::describe_groups(&mut p, &Input::Array(vec![text("billing")])).expect("described");
    let group = &groups.groups[0];
    assert_eq!((group.state.as_str(), group.members.len()), ("Stable", 1));
    assert_eq!(group.members[0].client_id, "shop");
    assert_eq!(
        p.groups().expect("loaded").members("billing")[0].client_id,
        "shop"
    );

    let offsets =
        admin::fetch_offsets(&mut p, &obj(&[("groupId", text("billing"))])).expect("fetched");
    let committed: i64 = offsets[0]
        .partitions
        .iter()
        .map(|o| o.offset.parse::<i64>().expect("a number"))
        .sum();
    assert_eq!(
        committed, 4,
        "one past the last record of each partition: {offsets:?}"
    );

    session.disconnect(&mut p).expect("left");
    let groups =
        admin::describe_groups(&mut p, &Input::Array(vec![text("billing")])).expect("described");
    assert_eq!(groups.groups[0].state, "Empty");
    assert!(p.groups().expect("loaded").members("billing").is_empty());
}

#[test]
fn a_failed_message_is_delivered_again_and_a_seek_rereads_a_partition() {
    let (mut p, real) = playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut producer_session = connected(&p);
    producer::send(&mut p, &mut producer_session, &orders(&["a", "b", "c"])).expect("sent");
    let mut session = ConsumerSession::new(&obj(&[("groupId", text("g1"))]), "shop").expect("made");
    session
        .subscribe(&obj(&[
            ("topic", text("orders")),
            ("fromBeginning", Input::Bool(true)),
        ]))
        .expect("subscribed");
    session.start(&mut p, &each_message()).expect("started");
    let mut batch = Vec::new();
    for _ in 0..10 {
        real.advance(1000);
        batch = session.poll(&mut p).expect("polled").records;
        if !batch.is_empty() {
            break;
        }
    }
    assert_eq!(batch.len(), 3);
    // `eachMessage` resolved for "a", threw for "b".
    session.processed(&batch[0]);
    session.failed(&mut p, &batch[1..]).expect("handled");
    let again = session.poll(&mut p).expect("polled").records;
    assert_eq!(again.first().map(|r| r.offset), Some(1), "b comes again");
    let offsets = admin::fetch_offsets(
        &mut p,
        &obj(&[
            ("groupId", text("g1")),
            ("topics", Input::Array(vec![text("orders")])),
        ]),
    )
    .expect("fetched");
    assert_eq!(offsets[0].partitions[0].offset, "1", "a was committed");

    session
        .seek(&obj(&[
            ("topic", text("orders")),
            ("partition", num(0.0)),
            ("offset", text("0")),
        ]))
        .expect("asked");
    assert!(
        !session.deliverable(&again[0]),
        "records in hand of a sought partition are dropped"
    );
    let reread = session.poll(&mut p).expect("polled").records;
    assert_eq!(reread.first().map(|r| r.offset), Some(0));
}

#[test]
fn consumer_calls_out_of_order_are_refused_with_kafkajs_texts() {
    let (mut p, _) = playground();
    assert!(matches!(
        ConsumerSession::new(&obj(&[]), "shop"),
        Err(ApiError::MissingGroupId)
    ));
    let mut session = ConsumerSession::new(&obj(&[("groupId", text("g1"))]), "shop").expect("made");
    let seek = obj(&[
        ("topic", text("orders")),
        ("partition", num(0.0)),
        ("offset", num(3.0)),
    ]);
    let error = session.seek(&seek).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Consumer group was not initialized, consumer#run must be called first"
    );
    assert!(matches!(
        session.start(&mut p, &each_message()),
        Err(ApiError::MissingTopics)
    ));
    session
        .subscribe(&obj(&[("topic", text("orders"))]))
        .expect("subscribed");
    let mixed = session.subscribe(&obj(&[
        ("topic", text("more")),
        ("fromBeginning", Input::Bool(true)),
    ]));
    assert!(matches!(mixed, Err(ApiError::MixedFromBeginning { .. })));
    let error = session.start(&mut p, &each_message()).unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("UNKNOWN_TOPIC_OR_PARTITION"));
    assert!(matches!(
        session.start(&mut p, &obj(&[])),
        Err(ApiError::MissingEachMessage)
    ));
}

#[test]
fn a_read_only_tab_refuses_writes_with_not_leader_or_follower() {
    let (mut p, _) = playground();
    create_orders(&mut p, 1.0).expect("created");
    p.make_read_only("Another tab owns the playground.");
    let error = create_orders(&mut p, 1.0).unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("NOT_LEADER_OR_FOLLOWER"));
    let mut session = connected(&p);
    let error = producer::send(&mut p, &mut session, &orders(&["a"])).unwrap_err();
    assert_eq!(error.shape().message, "Another tab owns the playground.");
}

#[test]
fn commit_offsets_commits_exactly_what_it_is_given_and_refuses_a_negative_offset() {
    let (mut p, real) = playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut producer_session = connected(&p);
    producer::send(&mut p, &mut producer_session, &orders(&["a", "b", "c"])).expect("sent");
    let mut session = ConsumerSession::new(&obj(&[("groupId", text("g1"))]), "shop").expect("made");
    let at = |offset: Input| {
        Input::Array(vec![obj(&[
            ("topic", text("orders")),
            ("partition", num(0.0)),
            ("offset", offset),
        ])])
    };
    let early = session.commit_offsets(&mut p, &at(text("2"))).unwrap_err();
    assert!(matches!(early, ApiError::NotRunning));
    session
        .subscribe(&obj(&[
            ("topic", text("orders")),
            ("fromBeginning", Input::Bool(true)),
        ]))
        .expect("subscribed");
    session.start(&mut p, &each_message()).expect("started");
    consume(&mut p, &real, &mut session, 3);
    session
        .commit_offsets(&mut p, &at(text("2")))
        .expect("committed");
    let request = obj(&[
        ("groupId", text("g1")),
        ("topics", Input::Array(vec![text("orders")])),
    ]);
    let offsets = admin::fetch_offsets(&mut p, &request).expect("fetched");
    assert_eq!(offsets[0].partitions[0].offset, "2");
    let refused = session.commit_offsets(&mut p, &at(num(-3.0))).unwrap_err();
    assert!(matches!(refused, ApiError::NegativeOffset), "{refused}");
    assert!(
        !session.start(&mut p, &each_message()).expect("answered"),
        "a second run only warns"
    );
}
