//! A console producer in the page waits for the store: a send the store loses after its
//! command returned (a failed flush rolled it back) prints what Kafka's producer prints for a
//! failed send, `ErrorLoggingCallback`'s ERROR line and the exception, in its session.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Broker, ErrorCode, NewTopic, TopicPartition};
use brooklet::client::{DurableOffsets, ProducerError};
use brooklet::clock::ManualClock;
use brooklet::console::{Console, MemoryFiles};

fn console_over_a_store() -> (Console, Rc<RefCell<Broker>>, DurableOffsets) {
    let clock = Rc::new(ManualClock::new(1_700_000_000_000));
    let broker = Rc::new(RefCell::new(Broker::new(clock, 3)));
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("big").partitions(1))
        .expect("created");
    let mut console = Console::new(Rc::clone(&broker), Box::new(MemoryFiles::new()), 3);
    let durable = DurableOffsets::new();
    console.set_store_acknowledgements(Some(durable.clone()));
    (console, broker, durable)
}

const PRODUCE: &str = "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic big <<EOF\nkept\nlost value\nEOF";

#[test]
fn a_send_the_store_loses_after_the_command_prints_kafkas_error_logging_callback_lines() {
    let (mut console, _broker, durable) = console_over_a_store();
    let out = console.run_script(PRODUCE);
    assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""));
    assert!(
        console.poll_deliveries().stderr.is_empty(),
        "nothing reported before the store answers"
    );
    durable.record(&TopicPartition::new("big", 0), 1);
    durable.lose_unstored(ProducerError::NotStored {
        code: ErrorCode::KafkaStorageError,
        message: "The browser refused to store more data (QuotaExceededError).".to_owned(),
    });
    let late = console.poll_deliveries();
    assert_eq!(
        late.stderr,
        "[2023-11-14 22:13:20,000] ERROR Error when sending message to topic big with key: null, value: 10 bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n\
         org.apache.kafka.common.errors.KafkaStorageException: The browser refused to store more data (QuotaExceededError).\n"
    );
    assert!(
        console.poll_deliveries().stderr.is_empty(),
        "each failure is printed once"
    );
}

#[test]
fn without_a_store_a_console_producer_has_nothing_left_to_report_once_its_input_ends() {
    let clock = Rc::new(ManualClock::new(0));
    let broker = Rc::new(RefCell::new(Broker::new(clock, 3)));
    let mut console = Console::new(Rc::clone(&broker), Box::new(MemoryFiles::new()), 3);
    let out = console.run_script(PRODUCE);
    assert_eq!(out.exit_code, 0);
    assert!(console.poll_deliveries().stderr.is_empty());
    let end = broker
        .borrow()
        .partition("big", 0)
        .map(|p| p.log.log_end_offset());
    assert_eq!(end, Ok(2), "both lines were appended (auto-created topic)");
}

#[test]
fn a_page_terminal_prints_the_error_when_the_playgrounds_flush_loses_its_send() {
    use brooklet::clock::SimulatedClock;
    use brooklet::playground::terminal::Terminal;
    use brooklet::playground::Playground;
    use brooklet::storage::{FlushError, StorageError};

    let clock = SimulatedClock::new(Rc::new(ManualClock::new(1_700_000_000_000)));
    let broker = Broker::new(Rc::new(clock.clone()), 7);
    let mut playground = Playground::with_broker(broker, clock, 7, true);
    let mut terminal = Terminal::new(playground.broker(), 7);
    terminal.set_store_acknowledgements(playground.store_acknowledgements());
    let session = terminal.active_mut().expect("a session is open");
    session.set_input(PRODUCE);
    session.submit();
    playground.absorb_changes();
    assert!(!terminal.poll_deliveries(), "waiting for the store");
    playground.flush_failed(&FlushError {
        source: StorageError::QuotaExceeded {
            message: String::new(),
        },
        rolled_back: Vec::new(),
    });
    assert!(terminal.poll_deliveries(), "the loss is printed");
    let lines: Vec<String> = terminal
        .active()
        .expect("a session is open")
        .lines()
        .iter()
        .map(|l| l.text.clone())
        .collect();
    let errors = lines
        .iter()
        .filter(|l| l.contains("ERROR Error when sending message to topic big"))
        .count();
    assert_eq!(errors, 2, "one ERROR line per lost record: {lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("org.apache.kafka.common.errors.KafkaStorageException: ")),
        "{lines:#?}"
    );
    assert!(!terminal.poll_deliveries(), "printed once");
}
