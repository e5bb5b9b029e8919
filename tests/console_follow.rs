//! A console consumer that follows, as Kafka's does on a terminal: it keeps printing records
//! produced after it started (by another session, or the page) until Ctrl-C, which prints the
//! processed total; `--max-messages` and `--timeout-ms` (on the broker's clock) end it on
//! their own; with `--group` it joins the coordinator the page shares, after the initial
//! rebalance delay, and shows as a member to `kafka-consumer-groups.sh` meanwhile. Scripts
//! never follow. Every test moves a `ManualClock`: nothing sleeps.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, ProducerRecord};
use brooklet::client::{BrokerGroups, Consumer, ConsumerConfig, OffsetResetPolicy, SharedGroups};
use brooklet::clock::ManualClock;
use brooklet::console::{Console, MemoryFiles, Output, Prompt};
use brooklet::group::coordinator::GroupState;
use brooklet::partitioner::{Partitioner, PartitionerKind};

const BS: &str = "--bootstrap-server localhost:9092";

/// Two terminal sessions over one broker and the page's coordinator (Kafka's default
/// `group.initial.rebalance.delay.ms` of 3 s); the first one follows.
struct Page {
    clock: ManualClock,
    broker: Rc<RefCell<Broker>>,
    groups: SharedGroups,
    tab1: Console,
    tab2: Console,
}

fn page() -> Page {
    let clock = ManualClock::new(1_700_000_000_000);
    let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock.clone()), 3)));
    let groups = BrokerGroups::load(Rc::clone(&broker), 5)
        .expect("an empty __consumer_offsets loads")
        .shared();
    let session = |seed| {
        Console::with_groups(
            Rc::clone(&broker),
            Rc::clone(&groups),
            Box::new(MemoryFiles::new()),
            seed,
        )
    };
    let mut tab1 = session(1);
    tab1.set_follow(true);
    let mut tab2 = session(2);
    tab2.run_script(&format!(
        "kafka-topics.sh {BS} --create --topic t1 --partitions 2"
    ));
    Page {
        clock,
        broker,
        groups,
        tab1,
        tab2,
    }
}

/// Runs one typed line, as the terminal does.
fn type_line(console: &mut Console, line: &str) -> Output {
    console.feed_line(line).expect("a complete command")
}

fn produce(console: &mut Console, values: &[&str]) {
    let out = console.run_script(&format!(
        "kafka-console-producer.sh {BS} --topic t1 <<EOF\n{}\nEOF",
        values.join("\n")
    ));
    assert_eq!(out.exit_code, 0, "{out:?}");
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    brooklet::sort::sort(&mut lines);
    lines
}

#[test]
fn a_following_consumer_prints_records_produced_later_until_ctrl_c_prints_the_total() {
    let mut p = page();
    produce(&mut p.tab2, &["a", "b"]);
    let first = type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --from-beginning"),
    );
    assert_eq!(sorted_lines(&first.stdout), ["a", "b"]);
    assert_eq!(first.stderr, "", "nothing ends yet");
    assert!(p.tab1.is_following());
    assert_eq!(p.tab1.prompt(), Prompt::Running);

    p.clock.advance(250);
    assert_eq!(p.tab1.poll_follow(), Output::ok(), "nothing new yet");
    produce(&mut p.tab2, &["c"]);
    p.clock.advance(250);
    assert_eq!(p.tab1.poll_follow().stdout, "c\n");

    let stopped = p.tab1.interrupt();
    assert_eq!(stopped.stdout, "");
    assert_eq!(stopped.stderr, "Processed a total of 3 messages\n");
    assert_eq!(stopped.exit_code, 130);
    assert!(!p.tab1.is_following());
    assert_eq!(p.tab1.prompt(), Prompt::Command);
    produce(&mut p.tab2, &["d"]);
    assert_eq!(
        p.tab1.poll_follow(),
        Output::ok(),
        "a stopped consumer reads nothing"
    );
}

#[test]
fn lines_typed_while_a_consumer_follows_are_not_commands() {
    let mut p = page();
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1"),
    );
    let typed = type_line(
        &mut p.tab1,
        &format!("kafka-topics.sh {BS} --create --topic ignored"),
    );
    assert_eq!(typed, Output::ok());
    assert!(p.broker.borrow().topic("ignored").is_none());
    assert!(p.tab1.is_following());
}

#[test]
fn max_messages_ends_a_follow_once_reached() {
    let mut p = page();
    produce(&mut p.tab2, &["a"]);
    let first = type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --from-beginning --max-messages 3"),
    );
    assert_eq!(first.stdout, "a\n");
    assert!(p.tab1.is_following());
    produce(&mut p.tab2, &["b", "c", "d"]);
    p.clock.advance(250);
    let last = p.tab1.poll_follow();
    assert_eq!(last.stdout.lines().count(), 2, "{last:?}");
    assert_eq!(last.stderr, "Processed a total of 3 messages\n");
    assert_eq!(last.exit_code, 0);
    assert!(!p.tab1.is_following());
}

#[test]
fn timeout_ms_ends_a_follow_after_that_long_without_a_record_on_the_console_clock() {
    let mut p = page();
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --timeout-ms 1000"),
    );
    p.clock.advance(900);
    assert_eq!(p.tab1.poll_follow(), Output::ok());
    produce(&mut p.tab2, &["late"]);
    p.clock.advance(900);
    assert_eq!(
        p.tab1.poll_follow().stdout,
        "late\n",
        "a record restarts the wait"
    );
    p.clock.advance(999);
    assert_eq!(p.tab1.poll_follow(), Output::ok());
    assert!(p.tab1.is_following());
    p.clock.advance(1);
    let ended = p.tab1.poll_follow();
    assert!(!p.tab1.is_following());
    let lines: Vec<&str> = ended.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", ended.stderr);
    assert!(lines[0].starts_with('[') && lines[0].ends_with(
        "] ERROR Error processing message, terminating consumer process:  (org.apache.kafka.tools.consumer.ConsoleConsumer)"
    ), "{}", lines[0]);
    assert_eq!(lines[1], "org.apache.kafka.common.errors.TimeoutException");
    assert_eq!(lines[2], "Processed a total of 1 messages");
}

#[test]
fn a_group_consumer_joins_after_the_initial_rebalance_delay_and_is_a_member_meanwhile() {
    let mut p = page();
    produce(&mut p.tab2, &["a", "b", "c"]);
    let first = type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g --from-beginning"),
    );
    assert_eq!(first, Output::ok(), "the coordinator is still waiting");
    assert!(p.tab1.is_following());
    let hint = p.tab1.follow_hint().unwrap_or_default();
    assert!(
        hint.contains("group.initial.rebalance.delay.ms (3000 ms)"),
        "{hint}"
    );
    assert_eq!(p.groups.borrow().state("g"), GroupState::PreparingRebalance);

    p.clock.advance(1_500);
    assert_eq!(p.tab1.poll_follow(), Output::ok());
    p.clock.advance(1_500);
    let joined = p.tab1.poll_follow();
    assert_eq!(sorted_lines(&joined.stdout), ["a", "b", "c"]);
    assert_eq!(p.tab1.follow_hint(), None);

    let members = p.tab2.run_script(&format!(
        "kafka-consumer-groups.sh {BS} --describe --group g --members"
    ));
    let rows: Vec<&str> = members.stdout.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{}", members.stdout);
    assert!(
        rows[0].contains("console-consumer") && rows[0].trim_end().ends_with('2'),
        "one member holding both partitions: {}",
        rows[0]
    );

    produce(&mut p.tab2, &["d"]);
    p.clock.advance(250);
    assert_eq!(p.tab1.poll_follow().stdout, "d\n");
    let stopped = p.tab1.interrupt();
    assert_eq!(stopped.stderr, "Processed a total of 4 messages\n");

    // Closing committed the position and left the group.
    assert_eq!(p.groups.borrow().state("g"), GroupState::Empty);
    let committed: i64 = p
        .groups
        .borrow()
        .committed_offsets("g")
        .values()
        .map(|o| o.offset)
        .sum();
    assert_eq!(committed, 4);
}

#[test]
fn a_page_consumer_and_a_terminal_consumer_share_one_group() {
    let mut p = page();
    produce(&mut p.tab2, &["a", "b", "c", "d"]);
    let mut config = ConsumerConfig::with_group("shared");
    config.auto_offset_reset = OffsetResetPolicy::Earliest;
    config.client_id = Some("c1".to_owned());
    let mut page_consumer = Consumer::new(Rc::clone(&p.broker), Rc::clone(&p.groups), config);
    page_consumer.subscribe(&["t1"]).expect("subscribes");
    page_consumer.poll().expect("joins");
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group shared --from-beginning"),
    );
    // Both poll on their timers until the delayed join completes (a second member joining
    // during the delay extends it by another 3 s, as in Kafka) and both have synced.
    for _ in 0..40 {
        p.clock.advance(250);
        page_consumer.poll().expect("polls");
        p.tab1.poll_follow();
    }
    assert_eq!(p.groups.borrow().state("shared"), GroupState::Stable);
    assert_eq!(page_consumer.assignment().len(), 1, "one partition each");
    let clients: Vec<String> = p
        .groups
        .borrow()
        .describe("shared")
        .members
        .iter()
        .map(|m| m.client_id.clone())
        .collect();
    assert_eq!(clients.len(), 2);
    assert!(clients.contains(&"c1".to_owned()) && clients.contains(&"console-consumer".to_owned()));
    let described = p.tab2.run_script(&format!(
        "kafka-consumer-groups.sh {BS} --describe --group shared --members"
    ));
    assert!(described.stdout.contains("c1") && described.stdout.contains("console-consumer"));
}

#[test]
fn a_script_never_follows_even_in_a_console_that_does() {
    let mut p = page();
    produce(&mut p.tab2, &["a"]);
    let out = p.tab1.run_script(&format!(
        "kafka-console-consumer.sh {BS} --topic t1 --from-beginning\necho after"
    ));
    assert_eq!(out.stdout, "a\nafter\n");
    assert_eq!(out.stderr, "Processed a total of 1 messages\n");
    assert!(!p.tab1.is_following());
}

#[test]
fn partitions_and_topics_that_appear_while_following_are_read_from_the_reset_position() {
    let mut p = page();
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --include 't.*' --from-beginning"),
    );
    p.tab2.run_script(&format!(
        "kafka-topics.sh {BS} --create --topic t2 --partitions 1\nkafka-console-producer.sh {BS} --topic t2 <<EOF\nnew-topic\nEOF"
    ));
    p.clock.advance(250);
    assert_eq!(p.tab1.poll_follow().stdout, "new-topic\n");
    p.tab2.run_script(&format!(
        "kafka-topics.sh {BS} --alter --topic t2 --partitions 2"
    ));
    p.clock.advance(250);
    p.tab1.poll_follow();
    let mut record = ProducerRecord::unkeyed("in-partition-1");
    record.partition = Some(1);
    let mut partitioner = Partitioner::new(PartitionerKind::Default, 1);
    p.broker
        .borrow_mut()
        .produce("t2", record, &mut partitioner, Acks::All)
        .expect("produces to the added partition");
    p.clock.advance(250);
    assert_eq!(p.tab1.poll_follow().stdout, "in-partition-1\n");
    assert_eq!(
        p.tab1.interrupt().stderr,
        "Processed a total of 2 messages\n"
    );
}

#[test]
fn closing_a_group_consumer_with_ctrl_c_lets_the_next_run_continue_where_it_stopped() {
    let mut p = page();
    produce(&mut p.tab2, &["a", "b"]);
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g --from-beginning"),
    );
    p.clock.advance(3_000);
    assert_eq!(p.tab1.poll_follow().stdout.lines().count(), 2);
    p.tab1.interrupt();
    produce(&mut p.tab2, &["c"]);
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g --from-beginning"),
    );
    p.clock.advance(3_000);
    assert_eq!(p.tab1.poll_follow().stdout, "c\n");
    assert_eq!(
        p.tab1.interrupt().stderr,
        "Processed a total of 1 messages\n"
    );
}

#[test]
fn a_group_consumer_survives_a_clock_jump_longer_than_its_session() {
    let mut p = page();
    type_line(
        &mut p.tab1,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g"),
    );
    p.clock.advance(3_000);
    p.tab1.poll_follow();
    assert_eq!(p.tab1.follow_hint(), None, "joined");
    // The learner fast-forwards a day: the member's session expires before its next poll,
    // so it rejoins (the group, Empty again, waits the initial delay once more).
    p.clock.advance(86_400_000);
    p.tab1.poll_follow();
    assert!(p.tab1.is_following());
    assert!(p.tab1.follow_hint().is_some(), "rejoining");
    for _ in 0..20 {
        p.clock.advance(250);
        p.tab1.poll_follow();
    }
    assert_eq!(p.tab1.follow_hint(), None, "rejoined");
    produce(&mut p.tab2, &["after the jump"]);
    p.clock.advance(250);
    assert_eq!(p.tab1.poll_follow().stdout, "after the jump\n");
}
