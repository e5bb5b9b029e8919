//! `tick(now)` on a manual clock: consumers, terminal followers and the sample job advance
//! only when ticked, and each tick marks the areas it changed.

use std::rc::Rc;

use crate::client::OffsetResetPolicy;
use crate::clock::{Clock, ManualClock};
use crate::playground::action::{Action, GroupAction, SampleAction, TerminalAction};
use crate::playground::changes::Area;
use crate::playground::forms::{ProduceForm, TopicForm};
use crate::playground::sample_job::SampleStatus;
use crate::playground::terminal::{DockSize, Stream};
use crate::playground::test_support::persistent_playground_on;
use crate::playground::Playground;

const START: i64 = 1_700_000_000_000;

fn playground(clock: &Rc<ManualClock>) -> Playground {
    let real: Rc<dyn Clock> = clock.clone();
    let mut p = Playground::new(real, 7);
    let form = TopicForm {
        name: "orders".into(),
        ..TopicForm::default()
    };
    p.dispatch(Action::CreateTopic(form)).expect("created");
    p
}

fn produce(p: &mut Playground, n: usize) {
    for i in 0..n {
        let form = ProduceForm {
            key: format!("k{i}"),
            value: format!("{{\"order_id\": {i}}}"),
            ..ProduceForm::default()
        };
        p.dispatch(Action::Produce {
            topic: "orders".into(),
            form,
        })
        .expect("produced");
    }
}

fn now(p: &Playground) -> i64 {
    p.clock().now_ms()
}

/// A playground with `orders` and a sample job started by `action`.
fn sampling(action: SampleAction) -> (Rc<ManualClock>, Playground) {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    p.dispatch(Action::Sample(action)).expect("started");
    (clock, p)
}

/// A steady run of ten orders a second to `orders`.
fn steady() -> SampleAction {
    SampleAction::Steady {
        topic: "orders".into(),
        rate: "10".into(),
    }
}

/// Opens the terminal dock and runs `lines` in its session, as typed then Enter.
fn type_lines(p: &mut Playground, lines: &[&str]) {
    let mut terminal = |action| {
        p.dispatch(Action::Terminal(action)).expect("terminal");
    };
    terminal(TerminalAction::Restore {
        history: Vec::new(),
        size: DockSize::Normal,
    });
    for line in lines {
        terminal(TerminalAction::SetInput((*line).to_owned()));
        terminal(TerminalAction::Submit);
    }
}

/// How many lines of `stream` containing `text` the active session printed.
fn printed(p: &Playground, stream: Stream, text: &str) -> usize {
    p.terminal().and_then(|t| t.active()).map_or(0, |s| {
        s.lines()
            .iter()
            .filter(|l| l.stream == stream && l.text.contains(text))
            .count()
    })
}

/// Starts one consumer of `orders` in g1 (range, from the earliest) and runs the consumers.
fn start_running_consumer(p: &mut Playground) {
    p.dispatch(Action::Group(GroupAction::StartConsumer {
        group: "g1".into(),
        topic: "orders".into(),
        strategy: "range".into(),
        reset: OffsetResetPolicy::Earliest,
    }))
    .expect("started");
    p.dispatch(Action::Group(GroupAction::SetRunning(true)))
        .expect("running");
}

#[test]
fn running_consumers_drain_the_topic_only_as_the_clock_ticks() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    produce(&mut p, 6);
    start_running_consumer(&mut p);
    p.take_changes();
    let consumed = |p: &Playground| {
        p.groups()
            .map(|g| g.members("g1").iter().map(|c| c.consumed).sum::<u64>())
            .unwrap_or(0)
    };
    let before = consumed(&p);
    // Past group.initial.rebalance.delay.ms (3 s), a tick at a time.
    for _ in 0..80 {
        clock.advance(100);
        p.tick(now(&p));
    }
    assert_eq!(consumed(&p), 6, "consumed {before} before the ticks");
    assert!(p.take_changes().contains(&Area::Groups));
}

#[test]
fn a_tick_with_nothing_running_changes_nothing_but_the_clock_once_a_second() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    p.take_changes();
    p.tick(now(&p));
    let first = p.take_changes();
    assert!(first.iter().all(|a| *a == Area::Clock), "{first:?}");
    clock.advance(100);
    p.tick(now(&p));
    assert!(p.take_changes().is_empty());
    clock.advance(1_000);
    p.tick(now(&p));
    assert_eq!(
        p.take_changes().into_iter().collect::<Vec<_>>(),
        [Area::Clock]
    );
}

#[test]
fn a_following_console_consumer_prints_new_records_at_the_next_tick() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    type_lines(
        &mut p,
        &["kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning"],
    );
    let following = p.terminal().is_some_and(|t| t.is_following());
    assert!(following, "the consumer keeps running");
    produce(&mut p, 1);
    let records = |p: &Playground| printed(p, Stream::Stdout, "order_id");
    assert_eq!(records(&p), 0, "nothing printed before a tick");
    p.take_changes();
    clock.advance(300);
    p.tick(now(&p));
    assert_eq!(records(&p), 1);
    assert!(p.take_changes().contains(&Area::Terminal));
}

#[test]
fn a_counted_sample_run_produces_across_ticks_and_tells_the_timeline_when_stored() {
    let (_, mut p) = sampling(SampleAction::Generate {
        topic: "orders".into(),
        count: "120000".into(),
    });
    assert!(
        p.tick(now(&p)).busy,
        "8,000 orders a tick at most: more to do"
    );
    assert!(matches!(
        p.sample_job().map(|j| j.status()),
        Some(SampleStatus::Running { .. })
    ));
    let mut ticks = 1;
    loop {
        ticks += 1;
        if !p.tick(now(&p)).busy {
            break;
        }
    }
    assert_eq!(ticks, 15, "8 chunks of 1,000 a tick");
    let Some(SampleStatus::Done(text)) = p.sample_job().map(|j| j.status().clone()) else {
        panic!("a run with nothing to store is done: {:?}", p.sample_job());
    };
    assert!(text.contains("120,000"), "{text}");
    let told = p.timeline().last().map(ToString::to_string);
    assert_eq!(told.as_deref(), Some(text.as_str()));
    assert_eq!(p.topic_rows(false)[0].records, 120_000);
}

#[test]
fn a_counted_run_waits_for_the_store_and_a_cancel_keeps_every_order_already_produced() {
    use crate::playground::sample_job::MAX_UNSTORED_ORDERS;
    use crate::protocol::TopicPartition;
    let clock = Rc::new(ManualClock::new(START));
    let mut p = persistent_playground_on(&clock);
    let form = TopicForm {
        name: "orders".into(),
        ..TopicForm::default()
    };
    p.dispatch(Action::CreateTopic(form)).expect("created");
    p.dispatch(Action::Sample(SampleAction::Generate {
        topic: "orders".into(),
        count: "1000000".into(),
    }))
    .expect("started");
    let held = |p: &Playground| u64::try_from(p.topic_rows(false)[0].records).unwrap_or(0);
    // Nothing acknowledged: it produces up to the limit, then waits, still busy.
    for _ in 0..10 {
        assert!(p.tick(now(&p)).busy);
    }
    assert_eq!(held(&p), MAX_UNSTORED_ORDERS);
    let unstored = p.sample_job().map(|j| j.unstored());
    assert_eq!(unstored, Some(MAX_UNSTORED_ORDERS));
    p.take_changes();
    p.tick(now(&p));
    assert!(
        !p.take_changes().contains(&Area::SampleJob),
        "a tick that only waited leaves the panel as it was"
    );
    // The store acknowledges them: it goes on.
    let store_all = |p: &mut Playground| {
        for (partition, (_, end)) in (0..).zip(p.topic_extent("orders")) {
            p.acknowledge(&TopicPartition::new("orders", partition), end);
        }
    };
    store_all(&mut p);
    p.tick(now(&p));
    let produced = held(&p);
    assert!(produced > MAX_UNSTORED_ORDERS, "{produced}");
    // Cancelled, it produces no more and says so once the store has the rest.
    p.dispatch(Action::Sample(SampleAction::Stop))
        .expect("stopped");
    assert!(!p.tick(now(&p)).busy);
    assert_eq!(held(&p), produced, "nothing more after the cancel");
    assert!(matches!(
        p.sample_job().map(|j| j.status()),
        Some(SampleStatus::Storing(_))
    ));
    store_all(&mut p);
    p.tick(now(&p));
    let Some(SampleStatus::Done(text)) = p.sample_job().map(|j| j.status().clone()) else {
        panic!("stored: {:?}", p.sample_job().map(|j| j.status()));
    };
    let produced_text = crate::playground::sample_orders::grouped(produced);
    assert!(
        text.starts_with(&format!(
            "Stopped after {produced_text} of 1,000,000 orders"
        )) && text.ends_with(&format!(
            "; the {produced_text} orders produced are in the log."
        )),
        "{text}"
    );
    assert_eq!(held(&p), produced, "nothing stored was lost");
}

#[test]
fn a_steady_sample_run_produces_at_its_rate_and_stops_when_asked() {
    let (clock, mut p) = sampling(steady());
    for _ in 0..20 {
        clock.advance(100);
        assert!(
            !p.tick(now(&p)).busy,
            "a steady run waits for its next turn"
        );
    }
    assert_eq!(p.topic_rows(false)[0].records, 20);
    p.dispatch(Action::Sample(SampleAction::Stop))
        .expect("stopped");
    clock.advance(1_000);
    p.tick(now(&p));
    assert_eq!(p.topic_rows(false)[0].records, 20);
    assert!(!p.sample_job().is_some_and(|j| j.is_active()));
}

#[test]
fn a_read_only_tab_produces_nothing_more_and_its_sample_run_ends_saying_why() {
    let (clock, mut p) = sampling(steady());
    p.make_read_only("Another tab owns it.");
    clock.advance(1_000);
    p.tick(now(&p));
    assert_eq!(p.topic_rows(false)[0].records, 0);
    let status = p.sample_job().map(|j| j.status().clone());
    let Some(SampleStatus::Failed(text)) = status else {
        panic!("the run ends refused: {status:?}");
    };
    assert!(text.contains("Another tab owns it."), "{text}");
}

#[test]
fn each_action_marks_the_areas_it_changed_and_no_others() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    let created = p.take_changes();
    assert!(created.contains(&Area::Topics) && created.contains(&Area::Timeline));
    produce(&mut p, 1);
    let produced = p.take_changes();
    for area in [
        Area::Partitions("orders".into()),
        Area::Records,
        Area::Producer,
        Area::Timeline,
    ] {
        assert!(produced.contains(&area), "{area:?} in {produced:?}");
    }
    assert!(!produced.contains(&Area::Topics), "{produced:?}");
    assert!(!produced.contains(&Area::Groups), "{produced:?}");
    p.dispatch(Action::Terminal(TerminalAction::SetInput(
        "kafka-top".into(),
    )))
    .expect("typed");
    let typed = p.take_changes();
    assert!(typed.contains(&Area::Terminal));
    assert!(
        !typed.contains(&Area::Partitions("orders".into())),
        "{typed:?}"
    );
    let refused = p
        .dispatch(Action::AddPartitions {
            topic: "orders".into(),
            total: "two".into(),
        })
        .expect_err("not a number");
    assert_eq!(
        refused.to_string(),
        "The new partition count must be a whole number; 'two' is not one."
    );
    assert!(
        p.take_changes().is_empty(),
        "a refused action changes nothing"
    );
}

/// A stored playground whose terminal created `orders` and has a console producer that sent
/// "hello", not stored yet.
fn console_producer_sent_hello(clock: &Rc<ManualClock>) -> Playground {
    let mut p = persistent_playground_on(clock);
    type_lines(
        &mut p,
        &[
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders",
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders",
            "hello",
        ],
    );
    p
}

#[test]
fn a_console_producers_send_that_storage_refuses_prints_kafkas_error_at_the_next_tick() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = console_producer_sent_hello(&clock);
    let errors = |p: &Playground| printed(p, Stream::Stderr, "quota");
    p.tick(now(&p));
    assert_eq!(errors(&p), 0, "the send waits for the store");
    p.storage_failed(
        crate::protocol::ErrorCode::KafkaStorageError,
        "The browser refused to store more data (quota).".into(),
    );
    p.take_changes();
    p.tick(now(&p));
    assert!(errors(&p) > 0, "Kafka's ERROR line and exception");
    assert!(p.take_changes().contains(&Area::Terminal));
}

#[test]
fn a_read_only_tab_still_prints_the_errors_of_console_producer_sends_the_takeover_lost() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = console_producer_sent_hello(&clock);
    // What the persister does when another tab takes over: read-only, then the unstored
    // records are rolled back and their deliveries fail.
    p.make_read_only("Another tab owns it.");
    p.storage_failed(
        crate::protocol::ErrorCode::NotLeaderOrFollower,
        "Another tab took the playground over.".into(),
    );
    p.take_changes();
    p.tick(now(&p));
    assert!(
        printed(&p, Stream::Stderr, "Another tab took the playground over.") > 0,
        "Kafka's ERROR line for the lost send"
    );
    assert!(p.take_changes().contains(&Area::Terminal));
}

#[test]
fn a_read_only_tab_refuses_commands_and_records_but_its_sessions_can_still_be_stopped() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    produce(&mut p, 2);
    type_lines(
        &mut p,
        &["kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders"],
    );
    p.dispatch(Action::Terminal(TerminalAction::Open))
        .expect("opened");
    type_lines(
        &mut p,
        &["kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g1 --from-beginning"],
    );
    let ids: Vec<u32> = p
        .terminal()
        .map(|t| t.sessions().iter().map(|s| s.id()).collect())
        .unwrap_or_default();
    let [producing, following] = ids[..] else {
        panic!("two tabs: {ids:?}");
    };
    assert!(p.terminal().is_some_and(|t| t.is_following()));
    p.make_read_only("Another tab owns it.");
    let terminal = |p: &mut Playground, action| p.dispatch(Action::Terminal(action));

    terminal(&mut p, TerminalAction::SetInput("a record".into())).expect("typing is allowed");
    let refused = terminal(&mut p, TerminalAction::Submit).expect_err("a record would write");
    assert_eq!(refused.to_string(), "Another tab owns it.");
    terminal(&mut p, TerminalAction::Interrupt).expect("Ctrl-C stops the consumer");
    assert!(!p.terminal().is_some_and(|t| t.is_following()));
    assert!(printed(&p, Stream::Stderr, "Processed a total of") > 0);

    terminal(&mut p, TerminalAction::Select(producing)).expect("selected");
    let reading = |p: &Playground| {
        p.terminal()
            .and_then(|t| t.active())
            .is_some_and(|s| s.is_reading_stdin())
    };
    assert!(reading(&p));
    terminal(&mut p, TerminalAction::EndOfInput).expect("Ctrl-D ends the producer");
    assert!(!reading(&p));
    terminal(
        &mut p,
        TerminalAction::SetInput("kafka-topics.sh \\".into()),
    )
    .expect("typed");
    terminal(&mut p, TerminalAction::Submit).expect_err("a command line would write");

    terminal(&mut p, TerminalAction::Close(following)).expect("a tab closes");
    terminal(&mut p, TerminalAction::Close(producing)).expect("a tab closes");
    assert_eq!(p.terminal().map(|t| t.sessions().len()), Some(0));
}

#[test]
fn a_read_only_tab_refuses_the_ctrl_d_that_would_run_a_half_typed_command() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    type_lines(
        &mut p,
        &["kafka-topics.sh --bootstrap-server localhost:9092 --create --topic more \\"],
    );
    p.make_read_only("Another tab owns it.");
    p.dispatch(Action::Terminal(TerminalAction::EndOfInput))
        .expect_err("it would create a topic");
    assert_eq!(p.topic_rows(false).len(), 1);
}

#[test]
fn a_terminal_group_consumer_and_a_group_deletion_show_on_the_groups_page() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    produce(&mut p, 3);
    type_lines(&mut p, &[]);
    p.take_changes();
    type_lines(
        &mut p,
        &["kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g1 --from-beginning"],
    );
    let mut changed = p.take_changes();
    for _ in 0..40 {
        clock.advance(250);
        p.tick(now(&p));
        changed.extend(p.take_changes());
    }
    assert_eq!(
        printed(&p, Stream::Stdout, "order_id"),
        3,
        "it joined and read"
    );
    assert!(changed.contains(&Area::Groups), "{changed:?}");
    p.dispatch(Action::Terminal(TerminalAction::Interrupt))
        .expect("stopped");
    assert!(
        p.take_changes().contains(&Area::Groups),
        "it committed and left"
    );
    type_lines(
        &mut p,
        &["kafka-consumer-groups.sh --bootstrap-server localhost:9092 --delete --group g1"],
    );
    assert!(printed(&p, Stream::Stdout, "Deletion of requested consumer groups") > 0);
    assert!(p.take_changes().contains(&Area::Groups));
    assert!(p.groups().is_some_and(|g| g.group_names().is_empty()));
}

#[test]
fn running_consumers_that_have_read_everything_change_nothing_while_they_keep_polling() {
    let clock = Rc::new(ManualClock::new(START));
    let mut p = playground(&clock);
    produce(&mut p, 2);
    start_running_consumer(&mut p);
    // Past the join and the reads (and a few auto-commits).
    for _ in 0..200 {
        clock.advance(100);
        p.tick(now(&p));
    }
    let consumed: u64 = p
        .groups()
        .map(|g| g.members("g1").iter().map(|c| c.consumed).sum())
        .unwrap_or(0);
    assert_eq!(consumed, 2);
    p.take_changes();
    for _ in 0..20 {
        clock.advance(100);
        p.tick(now(&p));
        let changed = p.take_changes();
        assert!(!changed.contains(&Area::Groups), "{changed:?}");
    }
    produce(&mut p, 1);
    let mut changed = p.take_changes();
    for _ in 0..20 {
        clock.advance(100);
        p.tick(now(&p));
        changed.extend(p.take_changes());
    }
    assert!(changed.contains(&Area::Groups), "the new record was read");
}
