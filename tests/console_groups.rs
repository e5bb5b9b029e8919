//! Consumer groups through the console with a coordinator shared with the rest of the page:
//! a member that stays in its group (as a page's consumer would) while
//! `kafka-consumer-groups.sh` describes it, refuses to reset or delete it; sessions that share
//! or reload the groups; completion of group ids.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::Broker;
use brooklet::client::{BrokerGroups, Consumer, ConsumerConfig, OffsetResetPolicy, SharedGroups};
use brooklet::clock::ManualClock;
use brooklet::console::{Console, MemoryFiles, Output};
use brooklet::group::coordinator::CoordinatorConfig;

const BS: &str = "--bootstrap-server localhost:9092";

struct Page {
    clock: ManualClock,
    broker: Rc<RefCell<Broker>>,
    groups: SharedGroups,
    console: Console,
}

fn page() -> Page {
    let clock = ManualClock::new(1_700_000_000_000);
    let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock.clone()), 3)));
    let config = CoordinatorConfig {
        initial_rebalance_delay_ms: 0,
        ..CoordinatorConfig::default()
    };
    let groups = BrokerGroups::load_with_config(Rc::clone(&broker), config, 5)
        .expect("loads")
        .shared();
    let console = Console::with_groups(
        Rc::clone(&broker),
        Rc::clone(&groups),
        Box::new(MemoryFiles::new()),
        9,
    );
    let mut p = Page {
        clock,
        broker,
        groups,
        console,
    };
    run(
        &mut p.console,
        &format!("kafka-topics.sh {BS} --create --topic t1 --partitions 3"),
    );
    run(
        &mut p.console,
        &format!("kafka-console-producer.sh {BS} --topic t1 <<EOF\na\nb\nc\nd\nEOF"),
    );
    p
}

fn run(console: &mut Console, command: &str) -> Output {
    console.run_script(command)
}

fn tool(console: &mut Console, args: &str) -> Output {
    run(console, &format!("kafka-consumer-groups.sh {BS} {args}"))
}

/// A member of `group` on `t1` that has joined and read everything.
fn member(p: &Page, group: &str) -> Consumer {
    let mut config = ConsumerConfig::with_group(group);
    config.auto_offset_reset = OffsetResetPolicy::Earliest;
    config.client_id = Some("page-consumer".to_owned());
    let mut c = Consumer::new(Rc::clone(&p.broker), Rc::clone(&p.groups), config);
    c.subscribe(&["t1"]).expect("subscribes");
    for _ in 0..4 {
        c.poll().expect("polls");
        p.clock.advance(100);
    }
    c.commit().expect("commits");
    c
}

#[test]
fn an_active_member_is_described_with_its_partitions_and_cannot_be_reset_or_deleted() {
    let mut p = page();
    let c = member(&p, "g");
    assert_eq!(c.assignment().len(), 3);
    let id = c.member_id().expect("joined").to_owned();

    let described = tool(&mut p.console, "--describe --group g");
    assert_eq!(described.exit_code, 0);
    assert_eq!(described.stderr, "");
    let lines: Vec<&str> = described.stdout.lines().collect();
    assert_eq!(lines.first(), Some(&""), "starts with an empty line");
    assert!(lines.get(1).is_some_and(|l| l.starts_with("GROUP ")));
    assert_eq!(lines.len(), 5);
    for l in &lines[2..] {
        assert!(l.contains(&id) && l.ends_with("page-consumer"), "{l}");
    }

    let members = tool(&mut p.console, "--describe --group g --members");
    assert!(members.stdout.contains("#PARTITIONS"), "{}", members.stdout);
    assert!(members.stdout.contains(&id));
    let verbose = tool(&mut p.console, "--describe --group g --members --verbose");
    let rows: Vec<&str> = verbose.stdout.lines().collect();
    assert!(
        rows[1].ends_with("#PARTITIONS     ASSIGNMENT"),
        "{}",
        rows[1]
    );
    assert!(rows[2].ends_with("3               t1:0,1,2"), "{}", rows[2]);

    let state = tool(&mut p.console, "--describe --group g --state");
    assert!(state.stdout.contains("Stable"), "{}", state.stdout);

    let reset = tool(
        &mut p.console,
        "--reset-offsets --group g --topic t1 --to-earliest --execute",
    );
    assert!(
        reset.stdout.starts_with("\nError: Assignments can only be reset if the group 'g' is inactive, but the current state is Stable.\n"),
        "{}",
        reset.stdout
    );
    let committed = p
        .groups
        .borrow()
        .committed_offsets("g")
        .values()
        .map(|o| o.offset)
        .sum::<i64>();
    assert_eq!(committed, 4, "nothing was reset");

    let deleted = tool(&mut p.console, "--delete --group g");
    assert!(
        deleted.stdout.contains(
            "* Group 'g' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty."
        ),
        "{deleted:?}"
    );
}

#[test]
fn a_console_consumer_joining_a_group_whose_members_have_not_rejoined_reads_nothing_and_says_so() {
    let mut p = page();
    let _c = member(&p, "g");
    let out = run(
        &mut p.console,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g"),
    );
    assert_eq!(out.exit_code, 0);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("did not finish rebalancing")
            && out.stderr.ends_with("Processed a total of 0 messages\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_second_session_reloads_the_groups_from_consumer_offsets() {
    let mut p = page();
    let read = run(
        &mut p.console,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g1 --from-beginning"),
    );
    assert!(read.stderr.ends_with("Processed a total of 4 messages\n"));
    let mut other = Console::new(Rc::clone(&p.broker), Box::new(MemoryFiles::new()), 1);
    assert_eq!(
        other.complete(&format!(
            "kafka-consumer-groups.sh {BS} --describe --group "
        )),
        vec!["g1".to_owned()]
    );
    let described = tool(&mut other, "--describe --group g1");
    let lags: Vec<&str> = described
        .stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(5))
        .collect();
    assert_eq!(lags, ["0", "0", "0"], "{}", described.stdout);
    assert_eq!(
        described.stderr,
        "\nConsumer group 'g1' has no active members.\n"
    );
    // The same session again continues where it stopped.
    let again = run(
        &mut p.console,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g1 --from-beginning"),
    );
    assert_eq!(again.stdout, "");
}

#[test]
fn completion_offers_the_tools_flags_and_group_ids() {
    let mut p = page();
    let _c = member(&p, "orders-app");
    let flags = p
        .console
        .complete("kafka-consumer-groups.sh --reset-offsets --to-e");
    assert_eq!(flags, vec!["--to-earliest".to_owned()]);
    assert_eq!(
        p.console
            .complete("kafka-console-consumer.sh --topic t1 --group or"),
        vec!["orders-app".to_owned()]
    );
    let out = tool(&mut p.console, "--list");
    assert_eq!(out.stdout, "orders-app\n");
}

#[test]
fn sessions_that_load_their_own_groups_see_each_others_commits() {
    let clock = ManualClock::new(1_700_000_000_000);
    let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock), 3)));
    let mut a = Console::new(Rc::clone(&broker), Box::new(MemoryFiles::new()), 1);
    let mut b = Console::new(Rc::clone(&broker), Box::new(MemoryFiles::new()), 2);
    run(
        &mut a,
        &format!("kafka-topics.sh {BS} --create --topic t1 --partitions 2"),
    );
    run(
        &mut a,
        &format!("kafka-console-producer.sh {BS} --topic t1 <<EOF\na\nb\nc\nEOF"),
    );
    // b loads its coordinator before a commits anything.
    assert_eq!(tool(&mut b, "--list").stdout, "");
    let first = run(
        &mut a,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g1 --from-beginning"),
    );
    assert!(first.stderr.ends_with("Processed a total of 3 messages\n"));
    assert_eq!(tool(&mut b, "--list").stdout, "g1\n");
    run(
        &mut b,
        &format!("kafka-console-producer.sh {BS} --topic t1 <<EOF\nd\nEOF"),
    );
    let second = run(
        &mut b,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g1 --from-beginning"),
    );
    assert_eq!(second.stdout, "d\n", "b continues where a stopped");
    let third = run(
        &mut a,
        &format!("kafka-console-consumer.sh {BS} --topic t1 --group g1"),
    );
    assert_eq!(third.stdout, "", "a continues where b stopped");
    assert_eq!(
        tool(&mut a, "--delete --group g1").stdout,
        "Deletion of requested consumer groups ('g1') was successful.\n"
    );
    assert!(tool(&mut b, "--describe --group g1")
        .stdout
        .contains("Error: Consumer group 'g1' does not exist."));
}

#[test]
fn a_group_commit_too_large_to_store_is_reported_not_lost_silently() {
    let mut p = page();
    run(
        &mut p.console,
        &format!("kafka-topics.sh {BS} --create --topic big --partitions 9999"),
    );
    for total in [19_998, 29_997] {
        let grown = run(
            &mut p.console,
            &format!("kafka-topics.sh {BS} --alter --topic big --partitions {total}"),
        );
        assert_eq!(grown.exit_code, 0, "{}", grown.stderr);
    }
    let out = run(
        &mut p.console,
        &format!("kafka-console-consumer.sh {BS} --topic big --group big-readers --from-beginning"),
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines.iter().any(|l| l.contains(
            "WARN [Consumer clientId=console-consumer, groupId=big-readers] Synchronous auto-commit of offsets {big-"
        ) && l.ends_with("failed: Unexpected error in commit: The server experienced an unexpected error when processing the request. (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)")),
        "{}",
        out.stderr
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Brooklet: the commit of 29997 offset(s) was not stored")),
        "{}",
        out.stderr
    );
    assert!(p
        .groups
        .borrow()
        .committed_offsets("big-readers")
        .is_empty());
}
