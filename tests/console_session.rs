//! A console session as the terminal UI drives it: prompts, multi-line commands, a producer
//! reading typed lines, built-ins, and a broker shared with the rest of the page.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::Broker;
use brooklet::clock::ManualClock;
use brooklet::console::{Console, MemoryFiles, Prompt};

fn session() -> (Console, Rc<RefCell<Broker>>) {
    let clock = Rc::new(ManualClock::new(1_700_000_000_000));
    let broker = Rc::new(RefCell::new(Broker::new(clock, 3)));
    let console = Console::new(Rc::clone(&broker), Box::new(MemoryFiles::new()), 3);
    (console, broker)
}

#[test]
fn the_prompt_follows_what_the_console_is_waiting_for() {
    let (mut c, _) = session();
    assert_eq!(c.prompt(), Prompt::Command);
    assert_eq!(
        c.feed_line("kafka-console-producer.sh --bootstrap-server localhost:9092 \\"),
        None
    );
    assert_eq!(c.prompt(), Prompt::Continuation);
    let started = c.feed_line("  --topic typed");
    assert_eq!(started.map(|o| o.exit_code), Some(0));
    assert_eq!(c.prompt(), Prompt::Producer);
    assert_eq!(c.prompt().as_str(), ">");
    assert!(c.is_reading_stdin());
    assert!(c.feed_line("one").is_some());
    let done = c.end_of_input();
    assert_eq!((done.stdout.as_str(), done.exit_code), ("", 0));
    assert_eq!(c.prompt(), Prompt::Command);
}

#[test]
fn commands_change_the_broker_the_page_shares() {
    let (mut c, broker) = session();
    let out = c.execute(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic shared --partitions 2",
    );
    assert_eq!(out.stdout, "Created topic shared.\n");
    assert_eq!(
        broker.borrow().topic("shared").map(|t| t.partition_count()),
        Some(2)
    );
}

#[test]
fn a_whole_heredoc_command_runs_in_one_execute() {
    let (mut c, broker) = session();
    let out = c.execute(
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic h <<EOF\na\nb\nEOF\n",
    );
    assert_eq!(out.exit_code, 0);
    let b = broker.borrow();
    let count: i64 = b
        .topic("h")
        .map(|t| t.partitions.iter().map(|p| p.log.log_end_offset()).sum())
        .unwrap_or(0);
    assert_eq!(count, 2);
}

#[test]
fn built_ins_ask_the_terminal_to_clear_or_to_exit() {
    let (mut c, _) = session();
    assert!(c.execute("clear").clear_screen);
    assert!(c.execute("exit").exit_requested);
    assert!(c
        .execute("help")
        .stdout
        .contains("kafka-console-consumer.sh"));
    assert!(c
        .execute("help kafka-topics.sh")
        .stdout
        .contains("--bootstrap-server"));
    assert!(c
        .execute("kafka-console-consumer.sh --help")
        .stdout
        .contains("--max-messages"));
}

#[test]
fn a_script_runs_command_after_command_like_bash() {
    let (mut c, _) = session();
    let out = c.run_script(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic s\n\
         # comment\n\
         kafka-topics.sh --bootstrap-server localhost:9092 --list\n",
    );
    assert_eq!(out.stdout, "Created topic s.\ns\n");
    assert_eq!(out.exit_code, 0);
}

#[test]
fn a_long_pasted_heredoc_is_read_line_by_line_without_slowing_down() {
    let (mut c, broker) = session();
    assert_eq!(
        c.feed_line(
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic big <<-'END'"
        ),
        None
    );
    for i in 0..20_000 {
        assert_eq!(c.feed_line(&format!("\tline {i}")), None);
    }
    let out = c.feed_line("\tEND");
    assert_eq!(out.map(|o| o.exit_code), Some(0));
    let b = broker.borrow();
    let count: i64 = b
        .topic("big")
        .map(|t| t.partitions.iter().map(|p| p.log.log_end_offset()).sum())
        .unwrap_or(0);
    assert_eq!(count, 20_000);
}

#[test]
fn describe_lists_every_replica_of_a_replicated_topic_comma_separated() {
    use brooklet::broker::{BrokerConfig, Cluster};
    let clock = Rc::new(ManualClock::new(0));
    let broker = Rc::new(RefCell::new(Broker::with_cluster(
        clock,
        5,
        Cluster::with_broker_ids(&[1, 2, 3]),
        BrokerConfig::new(),
    )));
    let mut c = Console::new(broker, Box::new(MemoryFiles::new()), 5);
    let created = c.execute(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic r --partitions 2 --replication-factor 3",
    );
    assert_eq!(created.stdout, "Created topic r.\n");
    let out = c.execute("kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic r");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].contains("\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: "));
    for (p, line) in lines[1..].iter().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields[0], "");
        assert_eq!(fields[2], format!("Partition: {p}"));
        assert!(fields[3].starts_with("Leader: "));
        assert_eq!(fields[4].split(',').count(), 3, "{line}");
        assert_eq!(fields[6..], ["Elr: ", "LastKnownElr: "]);
    }
}

#[test]
fn a_heredoc_cut_short_by_the_end_of_input_is_used_with_a_warning_as_bash_does() {
    let (mut c, _) = session();
    let out = c.run_script(
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic w <<EOF\nonly line\n",
    );
    assert_eq!(
        out.stderr.lines().next(),
        Some("brooklet: warning: here-document delimited by end-of-file (wanted `EOF')")
    );
    let read = c.execute(
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic w --from-beginning",
    );
    assert_eq!(read.stdout, "only line\n");
}

#[test]
fn ctrl_c_drops_a_half_typed_command_and_stops_a_reading_producer() {
    let (mut c, _) = session();
    assert_eq!(c.feed_line("echo 'open"), None);
    c.interrupt();
    assert_eq!(c.prompt(), Prompt::Command);
    let _ = c.feed_line("kafka-console-producer.sh --bootstrap-server localhost:9092 --topic i");
    assert_eq!(c.prompt(), Prompt::Producer);
    assert_eq!(c.interrupt().exit_code, 130);
    assert_eq!(c.prompt(), Prompt::Command);
}

#[test]
fn a_line_of_1_1_mb_is_refused_by_the_producer_with_kafkas_size_and_limit() {
    let (mut c, broker) = session();
    c.execute("kafka-topics.sh --bootstrap-server localhost:9092 --create --topic big");
    let started =
        c.feed_line("kafka-console-producer.sh --bootstrap-server localhost:9092 --topic big");
    assert_eq!(started.map(|o| o.exit_code), Some(0));
    let out = c.feed_line(&"x".repeat(1_100_000)).expect("sent");
    assert_eq!(
        out.stderr.lines().nth(1),
        Some("org.apache.kafka.common.errors.RecordTooLargeException: The message is 1100088 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.")
    );
    assert!(out.stderr.starts_with("[2023-11-14 22:13:20,000] ERROR Error when sending message to topic big with key: null, value: 1100000 bytes with error:"));
    c.end_of_input();
    let stored = broker
        .borrow()
        .partition("big", 0)
        .map(|p| p.log.log_end_offset());
    assert_eq!(stored, Ok(0), "nothing was sent");
}
