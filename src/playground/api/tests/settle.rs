//! How a `send` settles on a playground that stores what it holds: the records' topic deleted
//! before they were stored, another tab taking the playground over, a message refused after
//! others were sent, and producers named apart making their own sticky choices.

use std::collections::BTreeSet;

use super::*;
use crate::storage::{FlushError, StorageError};

fn topics(names: &[&str]) -> Input {
    obj(&[(
        "topics",
        Input::Array(names.iter().map(|n| text(n)).collect()),
    )])
}

#[test]
fn a_send_whose_topic_is_deleted_before_it_is_stored_rejects_with_unknown_topic_or_partition() {
    let mut p = persistent_playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut session = connected(&p);
    let pending = producer::send(&mut p, &mut session, &orders(&["a", "b"])).expect("sent");
    assert!(producer::settle(&mut p, &mut session, &pending).is_none());
    admin::delete_topics(&mut p, &topics(&["orders"])).expect("deleted");
    let error = producer::settle(&mut p, &mut session, &pending)
        .expect("settled")
        .unwrap_err();
    let shape = error.shape();
    assert_eq!(
        (shape.name, shape.kafka_type, shape.code),
        (
            "KafkaJSProtocolError",
            Some("UNKNOWN_TOPIC_OR_PARTITION"),
            Some(3)
        )
    );
    assert_eq!(
        shape.message,
        "Topic orders was deleted before these records were stored."
    );

    // The topic made again under the name takes the same producer's records afresh.
    create_orders(&mut p, 1.0).expect("created again");
    let again = producer::send(&mut p, &mut session, &orders(&["c"])).expect("sent");
    p.acknowledge(&TopicPartition::new("orders", 0), 1);
    let answer = producer::settle(&mut p, &mut session, &again)
        .expect("settled")
        .expect("stored");
    assert_eq!(answer[0].base_offset, "0");
}

#[test]
fn a_send_waiting_when_another_tab_takes_over_rejects_with_not_leader_or_follower() {
    for source in [
        StorageError::Fenced { ours: 1, stored: 2 },
        StorageError::TakenOver,
    ] {
        let mut p = persistent_playground();
        create_orders(&mut p, 1.0).expect("created");
        let mut session = connected(&p);
        let pending = producer::send(&mut p, &mut session, &orders(&["a"])).expect("sent");
        let message = source.to_string();
        p.flush_failed(&FlushError {
            source,
            rolled_back: Vec::new(),
        });
        let shape = producer::settle(&mut p, &mut session, &pending)
            .expect("settled")
            .unwrap_err()
            .shape();
        assert_eq!(shape.kafka_type, Some("NOT_LEADER_OR_FOLLOWER"));
        assert_eq!(shape.code, Some(6));
        assert!(shape.message.starts_with(&message), "{}", shape.message);
        // This tab takes nothing more: it could never be stored.
        let refused = producer::send(&mut p, &mut session, &orders(&["b"])).unwrap_err();
        assert_eq!(refused.shape().kafka_type, Some("NOT_LEADER_OR_FOLLOWER"));
    }
}

#[test]
fn a_store_failure_rejects_the_send_with_kafka_storage_error_and_the_stores_words() {
    let mut p = persistent_playground();
    create_orders(&mut p, 1.0).expect("created");
    let mut session = connected(&p);
    let pending = producer::send(&mut p, &mut session, &orders(&["a"])).expect("sent");
    p.flush_failed(&FlushError {
        source: StorageError::QuotaExceeded {
            message: "The quota is full.".into(),
        },
        rolled_back: Vec::new(),
    });
    let shape = producer::settle(&mut p, &mut session, &pending)
        .expect("settled")
        .unwrap_err()
        .shape();
    assert_eq!(
        (shape.name, shape.kafka_type, shape.code, shape.retriable),
        (
            "KafkaJSProtocolError",
            Some("KAFKA_STORAGE_ERROR"),
            Some(56),
            true
        )
    );
    assert!(
        shape.message.contains("The quota is full."),
        "{}",
        shape.message
    );
}

#[test]
fn a_message_refused_after_others_were_sent_rejects_once_those_settled() {
    let mut p = persistent_playground();
    create_orders(&mut p, 2.0).expect("created");
    let mut session = connected(&p);
    let to =
        |value: &str, partition: f64| obj(&[("value", text(value)), ("partition", num(partition))]);
    let request = obj(&[
        ("topic", text("orders")),
        (
            "messages",
            Input::Array(vec![to("a", 0.0), to("b", 5.0), to("c", 0.0)]),
        ),
    ]);
    let pending = producer::send(&mut p, &mut session, &request).expect("a was sent");
    assert!(
        producer::settle(&mut p, &mut session, &pending).is_none(),
        "waits for a to be stored"
    );
    p.acknowledge(&TopicPartition::new("orders", 0), 1);
    let error = producer::settle(&mut p, &mut session, &pending)
        .expect("settled")
        .unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("UNKNOWN_TOPIC_OR_PARTITION"));
    let end = p
        .broker()
        .borrow()
        .partition("orders", 0)
        .map(|p| p.log.log_end_offset())
        .ok();
    assert_eq!(end, Some(1), "a is in the log, c was never sent");
    assert!(p
        .timeline()
        .iter()
        .any(|l| l.to_string() == "shop produced 1 record(s) to orders from JavaScript"));
}

#[test]
fn producers_named_apart_make_their_own_sticky_choices_for_keyless_records() {
    let (mut p, _) = playground();
    create_orders(&mut p, 6.0).expect("created");
    let keyless = obj(&[
        ("topic", text("orders")),
        ("messages", Input::Array(vec![obj(&[("value", text("x"))])])),
    ]);
    let chosen: BTreeSet<i32> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|name| {
            let mut session = ProducerSession::new(&p, name);
            session.set_connected(true);
            let pending = producer::send(&mut p, &mut session, &keyless).expect("sent");
            producer::settle(&mut p, &mut session, &pending)
                .expect("settled")
                .expect("stored")[0]
                .partition
        })
        .collect();
    assert!(chosen.len() > 1, "six producers all chose {chosen:?}");
}

#[test]
fn a_send_the_broker_refuses_in_part_tells_the_timeline_only_what_was_stored() {
    let (mut p, _) = playground();
    let compacted = obj(&[
        ("topic", text("payments")),
        ("numPartitions", num(2.0)),
        (
            "configEntries",
            Input::Array(vec![obj(&[
                ("name", text("cleanup.policy")),
                ("value", text("compact")),
            ])]),
        ),
    ]);
    admin::create_topics(&mut p, &obj(&[("topics", Input::Array(vec![compacted]))]))
        .expect("created");
    let mut session = connected(&p);
    let keyed = obj(&[
        ("key", text("k1")),
        ("value", text("a")),
        ("partition", num(1.0)),
    ]);
    let keyless = obj(&[("value", text("b")), ("partition", num(0.0))]);
    let request = obj(&[
        ("topic", text("payments")),
        ("messages", Input::Array(vec![keyed, keyless])),
    ]);
    let pending = producer::send(&mut p, &mut session, &request).expect("sent");
    let error = producer::settle(&mut p, &mut session, &pending)
        .expect("settled at once without storage")
        .unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("INVALID_RECORD"));
    let told: Vec<String> = p.timeline().iter().map(ToString::to_string).collect();
    assert!(
        told.contains(&"shop produced 1 record(s) to payments from JavaScript".to_owned()),
        "{told:?}"
    );
}
