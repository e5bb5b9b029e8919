//! Tab completion offers tools, a tool's flags, topic names and property keys.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Broker, NewTopic};
use brooklet::clock::ManualClock;
use brooklet::console::{Console, MemoryFiles};

fn console_with_topics() -> Console {
    let clock = Rc::new(ManualClock::new(0));
    let broker = Rc::new(RefCell::new(Broker::new(clock, 1)));
    for t in ["orders", "order-events", "payments"] {
        let _ = broker.borrow_mut().create_topic(NewTopic::named(t));
    }
    let mut files = MemoryFiles::new();
    files.insert("orders.txt", "");
    Console::new(broker, Box::new(files), 1)
}

#[test]
fn the_first_word_completes_to_tools_and_built_ins() {
    let c = console_with_topics();
    assert_eq!(
        c.complete("kafka-con"),
        vec![
            "kafka-configs.sh",
            "kafka-console-consumer.sh",
            "kafka-console-producer.sh",
            "kafka-consumer-groups.sh"
        ]
    );
    assert!(c.complete("").contains(&"help".to_owned()));
}

#[test]
fn flags_complete_for_the_tool_being_typed_and_are_not_offered_twice() {
    let c = console_with_topics();
    assert_eq!(c.complete("kafka-topics.sh --cr"), vec!["--create"]);
    let after = c.complete("kafka-topics.sh --create --");
    assert!(!after.contains(&"--create".to_owned()));
    assert!(after.contains(&"--partitions".to_owned()));
    assert!(c
        .complete("kafka-topics.sh --config a=1 --con")
        .contains(&"--config".to_owned()));
}

#[test]
fn values_complete_to_topics_properties_offsets_and_files() {
    let c = console_with_topics();
    assert_eq!(
        c.complete("kafka-console-consumer.sh --topic ord"),
        vec!["order-events", "orders"]
    );
    assert_eq!(
        c.complete("kafka-console-producer.sh --property parse."),
        vec!["parse.headers=true", "parse.key=true"]
    );
    assert_eq!(
        c.complete("kafka-console-consumer.sh --property print.k"),
        vec!["print.key=true"]
    );
    assert_eq!(
        c.complete("kafka-console-consumer.sh --offset e"),
        vec!["earliest"]
    );
    assert_eq!(
        c.complete("kafka-console-producer.sh --topic t < o"),
        vec!["orders.txt"]
    );
    assert!(c
        .complete("kafka-topics.sh --config retention.m")
        .contains(&"retention.ms=".to_owned()));
}

#[test]
fn get_offsets_and_dump_log_complete_with_times_and_segment_names() {
    let c = console_with_topics();
    assert_eq!(c.complete("kafka-get"), vec!["kafka-get-offsets.sh"]);
    assert_eq!(
        c.complete("kafka-get-offsets.sh --time m"),
        vec!["max-timestamp"]
    );
    assert_eq!(
        c.complete("kafka-dump-log.sh --files pay"),
        vec!["payments-0/00000000000000000000.log"]
    );
    assert_eq!(
        c.complete("kafka-dump-log.sh --print"),
        vec!["--print-data-log"]
    );
}
