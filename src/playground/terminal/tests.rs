//! The terminal dock's sessions, natively: typing, history, completion, tabs, and
//! consumers that follow until Ctrl-C.

use super::*;
use crate::clock::ManualClock;

fn terminal() -> Terminal {
    let clock = Rc::new(ManualClock::new(1_700_000_000_000));
    Terminal::new(Rc::new(RefCell::new(Broker::new(clock, 7))), 7)
}

fn type_line(terminal: &mut Terminal, text: &str) -> Effect {
    terminal.with_active(|s| {
        s.set_input(text);
        Effect::default()
    });
    terminal.submit()
}

fn texts(terminal: &Terminal, stream: Stream) -> Vec<String> {
    terminal
        .active()
        .map(|s| {
            s.lines()
                .iter()
                .filter(|l| l.stream == stream)
                .map(|l| l.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

const CREATE: &str =
    "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3";

#[test]
fn a_command_is_echoed_after_its_prompt_and_its_output_follows() {
    let mut t = terminal();
    let effect = type_line(&mut t, CREATE);
    assert!(effect.ran);
    assert_eq!(texts(&t, Stream::Input), vec![format!("$ {CREATE}")]);
    assert_eq!(texts(&t, Stream::Stdout), vec!["Created topic orders."]);
}

#[test]
fn describe_lines_keep_their_tabs() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(
        &mut t,
        "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders",
    );
    let out = texts(&t, Stream::Stdout);
    assert!(out.contains(
        &"\tTopic: orders\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: "
            .to_owned()
    ));
}

#[test]
fn a_heredoc_typed_line_by_line_shows_the_continuation_prompt_then_produces() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    let first = type_line(
        &mut t,
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<EOF",
    );
    assert!(!first.ran);
    assert_eq!(t.active().map(Session::prompt), Some("> "));
    type_line(&mut t, r#"c-17:{"total":23.5}"#);
    assert!(type_line(&mut t, "EOF").ran);
    assert_eq!(t.active().map(Session::prompt), Some("$ "));
    type_line(&mut t, "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true");
    assert!(texts(&t, Stream::Stdout).contains(&"c-17\t{\"total\":23.5}".to_owned()));
    t.with_active(Session::interrupt);
    assert!(texts(&t, Stream::Stderr).contains(&"Processed a total of 1 messages".to_owned()));
    assert!(texts(&t, Stream::Input).contains(&"> EOF".to_owned()));
}

#[test]
fn a_pasted_block_runs_each_line_in_turn() {
    let mut t = terminal();
    type_line(
        &mut t,
        &format!("{CREATE}\nkafka-topics.sh --bootstrap-server localhost:9092 --list"),
    );
    assert_eq!(
        texts(&t, Stream::Stdout),
        vec!["Created topic orders.", "orders"]
    );
    assert_eq!(texts(&t, Stream::Input).len(), 2);
}

#[test]
fn the_bundled_orders_file_can_be_produced_with_parse_key() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(&mut t, "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: < orders.jsonl");
    type_line(&mut t, "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true --max-messages 8");
    assert_eq!(
        texts(&t, Stream::Stderr),
        vec!["Processed a total of 8 messages"]
    );
    let records = texts(&t, Stream::Stdout);
    assert!(
        records
            .iter()
            .skip(1)
            .all(|l| l.starts_with("c-") && l.contains("\t{\"order_id\":")),
        "{records:?}"
    );
}

#[test]
fn a_producer_reading_the_terminal_ends_with_ctrl_d() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(
        &mut t,
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders",
    );
    assert!(t.active().is_some_and(Session::is_reading_stdin));
    assert_eq!(t.active().map(Session::prompt), Some(">"));
    assert!(type_line(&mut t, "hello").ran);
    let effect = t.with_active(Session::end_of_input);
    assert!(effect.ran);
    assert!(!t.active().is_some_and(Session::is_reading_stdin));
    // Records are not commands: they stay out of the history.
    let history = t
        .active()
        .map(|s| s.history().entries().to_vec())
        .unwrap_or_default();
    assert!(!history.contains(&"hello".to_owned()));
}

#[test]
fn ctrl_d_at_a_bare_prompt_does_nothing() {
    let mut t = terminal();
    let before = t.active().map(|s| s.lines().len());
    assert_eq!(t.with_active(Session::end_of_input), Effect::default());
    assert_eq!(t.active().map(|s| s.lines().len()), before);
}

#[test]
fn ctrl_c_drops_a_half_typed_heredoc_and_shows_caret_c() {
    let mut t = terminal();
    type_line(&mut t, "echo <<EOF");
    t.with_active(|s| {
        s.set_input("half");
        s.interrupt()
    });
    assert_eq!(t.active().map(Session::prompt), Some("$ "));
    assert_eq!(t.active().map(Session::input), Some(""));
    assert!(texts(&t, Stream::Input).contains(&"> half^C".to_owned()));
}

#[test]
fn clear_and_exit_act_on_the_dock() {
    let mut t = terminal();
    type_line(&mut t, "echo hi");
    type_line(&mut t, "clear");
    assert!(t.active().is_some_and(|s| s.lines().is_empty()));
    let second = t.open();
    assert_eq!(t.sessions().len(), 2);
    assert!(type_line(&mut t, "exit").exit);
    assert_eq!(t.sessions().len(), 1);
    assert_ne!(t.active().map(Session::id), Some(second));
}

#[test]
fn up_and_down_walk_the_history_and_give_back_the_draft() {
    let mut t = terminal();
    type_line(&mut t, "echo one");
    type_line(&mut t, "echo two");
    let s = t.active_mut().expect("a session is open");
    s.set_input("ech");
    assert!(s.history_previous());
    assert_eq!(s.input(), "echo two");
    assert!(s.history_previous());
    assert_eq!(s.input(), "echo one");
    assert!(!s.history_previous());
    assert!(s.history_next());
    assert_eq!(s.input(), "echo two");
    assert!(s.history_next());
    assert_eq!(s.input(), "ech");
    assert!(!s.history_next());
}

#[test]
fn history_skips_blank_lines_and_immediate_repeats() {
    let mut h = History::default();
    h.record("a");
    h.record("a");
    h.record("  ");
    h.record("b");
    assert_eq!(h.entries(), ["a", "b"]);
}

#[test]
fn one_candidate_completes_the_word_and_adds_a_space() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    let s = t.active_mut().expect("a session is open");
    s.set_input("kafka-topics.sh --bootstrap-s");
    s.complete();
    assert_eq!(s.input(), "kafka-topics.sh --bootstrap-server ");
    s.set_input("kafka-topics.sh --describe --topic ord");
    s.complete();
    assert_eq!(s.input(), "kafka-topics.sh --describe --topic orders ");
}

#[test]
fn several_candidates_extend_to_their_common_start_and_are_listed() {
    let mut t = terminal();
    let s = t.active_mut().expect("a session is open");
    s.set_input("kafka-conso");
    let completion = s.complete();
    assert_eq!(s.input(), "kafka-console-");
    assert!(matches!(completion, Completion::Listed { .. }));
    let listed = s.lines().last().map(|l| l.text.clone()).unwrap_or_default();
    assert_eq!(
        listed,
        "kafka-console-consumer.sh  kafka-console-producer.sh"
    );
}

#[test]
fn a_property_candidate_waits_for_its_value_without_a_space() {
    assert_eq!(
        apply_completion("x --property key.s", &["key.separator=".to_owned()]),
        Completion::Completed("x --property key.separator=".to_owned())
    );
    assert_eq!(apply_completion("x zz", &[]), Completion::Unchanged);
}

#[test]
fn common_prefixes_respect_characters() {
    let words = ["héllo".to_owned(), "hélp".to_owned()];
    assert_eq!(common_prefix(&words), "hél");
    assert_eq!(common_prefix(&["a".to_owned(), "b".to_owned()]), "");
}

#[test]
fn closing_the_shown_tab_shows_its_left_neighbour() {
    let mut t = terminal();
    let two = t.open();
    let three = t.open();
    t.select(two);
    t.close(two);
    assert_eq!(t.active().map(Session::id), Some(1));
    t.close(1);
    assert_eq!(t.active().map(Session::id), Some(three));
    t.close(three);
    assert!(t.active().is_none());
    assert_eq!(t.open(), 4);
}

#[test]
fn arrow_keys_move_between_tabs_and_wrap_around() {
    let mut t = terminal();
    let two = t.open();
    assert_eq!(t.select_neighbour(true), Some(1));
    assert_eq!(t.select_neighbour(false), Some(two));
    assert_eq!(t.select_neighbour(false), Some(1));
    t.close(1);
    t.close(two);
    assert_eq!(t.select_neighbour(true), None);
}

#[test]
fn the_dock_minimises_and_grows_and_opening_a_tab_shows_it_again() {
    let mut t = terminal();
    t.toggle_minimised();
    assert_eq!(t.size(), DockSize::Minimised);
    t.open();
    assert_eq!(t.size(), DockSize::Normal);
    t.toggle_tall();
    assert_eq!(t.size(), DockSize::Tall);
    t.toggle_tall();
    assert_eq!(t.size(), DockSize::Normal);
}

#[test]
fn sessions_share_the_broker_with_the_rest_of_the_playground() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    t.open();
    type_line(
        &mut t,
        "kafka-topics.sh --bootstrap-server localhost:9092 --list",
    );
    assert_eq!(texts(&t, Stream::Stdout), vec!["orders"]);
    assert_eq!(t.broker().borrow().list_topic_names(false), vec!["orders"]);
}

#[test]
fn the_playground_tells_what_a_terminal_command_changed() {
    let clock: Rc<dyn crate::clock::Clock> = Rc::new(ManualClock::new(1_700_000_000_000));
    let mut playground = crate::playground::engine::Playground::new(clock, 7);
    let mut t = Terminal::new(playground.broker(), 7);
    type_line(&mut t, CREATE);
    playground.absorb_changes();
    assert!(playground
        .timeline()
        .contains(&crate::playground::Event::TopicCreated {
            topic: "orders".to_owned(),
            partitions: 3
        }));
    assert_eq!(playground.take_outbox().len(), 1);
}

#[test]
fn the_scrollback_keeps_only_its_newest_lines() {
    let mut t = terminal();
    let s = t.active_mut().expect("a session is open");
    for i in 0..(SCROLLBACK_LIMIT + 10) {
        s.note(&i.to_string());
    }
    assert_eq!(s.lines().len(), SCROLLBACK_LIMIT);
    assert_eq!(
        s.lines().last().map(|l| l.text.clone()),
        Some((SCROLLBACK_LIMIT + 9).to_string())
    );
}

const CONSUME: &str = "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders";

#[test]
fn a_consumer_following_in_one_tab_prints_what_another_tab_produces_until_ctrl_c() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(&mut t, CONSUME);
    assert!(t.is_following());
    assert_eq!(t.active().map(Session::prompt), Some(""));
    let first = t.active().map(Session::id).unwrap_or_default();

    t.open();
    type_line(
        &mut t,
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders <<EOF\nhello\nEOF",
    );
    let effect = t.poll_following();
    assert!(effect.shown && effect.ran);
    t.select(first);
    assert_eq!(
        texts(&t, Stream::Stdout),
        vec!["Created topic orders.", "hello"]
    );

    t.with_active(Session::interrupt);
    assert!(texts(&t, Stream::Input).contains(&"^C".to_owned()));
    assert_eq!(
        texts(&t, Stream::Stderr),
        vec!["Processed a total of 1 messages"]
    );
    assert!(!t.is_following());
    assert_eq!(t.poll_following(), Effect::default());
    assert_eq!(t.active().map(Session::prompt), Some("$ "));
}

#[test]
fn lines_typed_while_a_consumer_runs_are_echoed_dimmed_and_not_run() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(&mut t, CONSUME);
    type_line(
        &mut t,
        "kafka-topics.sh --bootstrap-server localhost:9092 --list\nmore",
    );
    assert_eq!(
        texts(&t, Stream::Ignored),
        vec![
            "kafka-topics.sh --bootstrap-server localhost:9092 --list",
            "more"
        ]
    );
    assert_eq!(texts(&t, Stream::Stdout), vec!["Created topic orders."]);
    let history = t
        .active()
        .map(|s| s.history().entries().to_vec())
        .unwrap_or_default();
    assert!(!history.contains(&"more".to_owned()), "{history:?}");
    // Ctrl-D does not end a consumer either: it does not read its input.
    assert_eq!(t.with_active(Session::end_of_input), Effect::default());
    assert!(t.is_following());
}

/// A playground on a manual clock and a dock sharing its group coordinator.
fn page() -> (ManualClock, crate::playground::engine::Playground, Terminal) {
    let clock = ManualClock::new(1_700_000_000_000);
    let real: Rc<dyn crate::clock::Clock> = Rc::new(clock.clone());
    let mut playground = crate::playground::engine::Playground::new(real, 7);
    let groups = playground
        .shared_groups()
        .expect("an empty __consumer_offsets loads");
    let mut t = Terminal::with_groups(playground.broker(), groups, 7);
    type_line(&mut t, CREATE);
    (clock, playground, t)
}

#[test]
fn the_terminal_lists_the_groups_pages_consumers_as_members() {
    let (clock, mut playground, mut t) = page();
    playground
        .with_groups_text(|g| {
            g.start_consumer(
                "g",
                "orders",
                "range",
                crate::client::OffsetResetPolicy::Earliest,
            )
        })
        .expect("starts c1");
    for _ in 0..5 {
        clock.advance(1_000);
        let _ = playground.with_groups_text(|g| {
            g.step();
            Ok(())
        });
    }
    type_line(
        &mut t,
        "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group g --members",
    );
    let rows = texts(&t, Stream::Stdout);
    let member: Vec<&str> = rows
        .last()
        .map(|r| r.split_whitespace().collect())
        .unwrap_or_default();
    assert_eq!(member.first(), Some(&"g"), "{rows:?}");
    assert!(
        member.get(1).is_some_and(|id| id.starts_with("c1-")),
        "{rows:?}"
    );
    assert_eq!(member.get(3..), Some(&["c1", "3"][..]), "{rows:?}");
}

#[test]
fn a_terminal_group_consumer_is_a_member_the_groups_page_sees_until_its_tab_closes() {
    let (clock, playground, mut t) = page();
    let id = t.active().map(Session::id).unwrap_or_default();
    type_line(&mut t, &format!("{CONSUME} --group g"));
    let hint = t
        .active()
        .and_then(Session::follow_hint)
        .unwrap_or_default();
    assert!(hint.contains("Joining group 'g'"), "{hint}");
    for _ in 0..28 {
        clock.advance(250);
        t.poll_following();
    }
    // The groups page's partition table lists the topics of its own consumers and of the
    // group's commits: the member auto-committed once auto.commit.interval.ms (5 s) passed.
    assert_eq!(t.active().and_then(Session::follow_hint), None);
    let model = playground.groups().expect("loaded by shared_groups");
    assert_eq!(
        model.state("g"),
        crate::group::coordinator::GroupState::Stable
    );
    let owners: Vec<Option<String>> = model.partitions("g").into_iter().map(|r| r.owner).collect();
    assert_eq!(owners, vec![Some("console-consumer".to_owned()); 3]);
    let others: Vec<String> = model
        .other_members("g")
        .into_iter()
        .map(|m| m.client_id)
        .collect();
    assert_eq!(others, vec!["console-consumer".to_owned()]);
    assert!(
        model.members("g").is_empty(),
        "the page started no consumer"
    );

    let effect = t.close(id);
    assert!(effect.ran, "leaving commits and changes the group");
    assert_eq!(
        model.state("g"),
        crate::group::coordinator::GroupState::Empty
    );
    assert!(model.other_members("g").is_empty());
}

#[test]
fn a_new_tab_walks_the_commands_typed_in_every_tab_but_not_what_a_producer_read() {
    let (_clock, _playground, mut t) = page();
    type_line(
        &mut t,
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders",
    );
    type_line(&mut t, "a record, not a command");
    t.with_active(Session::end_of_input);
    t.open();
    type_line(
        &mut t,
        "kafka-topics.sh --bootstrap-server localhost:9092 --list",
    );
    assert_eq!(
        t.shared_history(),
        [
            CREATE,
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders",
            "kafka-topics.sh --bootstrap-server localhost:9092 --list",
        ]
    );
    t.open();
    t.with_active(|s| {
        s.history_previous();
        Effect::default()
    });
    assert_eq!(
        t.active().map(Session::input),
        Some("kafka-topics.sh --bootstrap-server localhost:9092 --list")
    );
}

#[test]
fn commands_kept_from_an_earlier_visit_are_walked_with_the_up_arrow_and_kept_again() {
    let mut t = terminal();
    t.remember(vec![
        "kafka-topics.sh --list".to_owned(),
        String::new(),
        "kafka-topics.sh --list".to_owned(),
        "help".to_owned(),
    ]);
    assert_eq!(t.shared_history(), ["kafka-topics.sh --list", "help"]);
    t.with_active(|s| {
        s.history_previous();
        s.history_previous();
        Effect::default()
    });
    assert_eq!(
        t.active().map(Session::input),
        Some("kafka-topics.sh --list")
    );
    type_line(&mut t, "clear");
    assert_eq!(
        t.shared_history(),
        ["kafka-topics.sh --list", "help", "clear"]
    );
}

#[test]
fn stdout_and_stderr_lines_show_in_the_order_the_tool_printed_them() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(
        &mut t,
        "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group g --topic orders:0 --to-earliest",
    );
    let shown: Vec<(Stream, String)> = t
        .active()
        .map(|s| {
            s.lines()
                .iter()
                .filter(|l| matches!(l.stream, Stream::Stdout | Stream::Stderr))
                .map(|l| (l.stream, l.text.clone()))
                .collect()
        })
        .unwrap_or_default();
    // Kafka warns (stderr) about the missing --execute before it prints the plan (stdout).
    let streams: Vec<Stream> = shown.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        streams,
        vec![
            Stream::Stdout,
            Stream::Stderr,
            Stream::Stdout,
            Stream::Stdout,
            Stream::Stdout
        ],
        "{shown:?}"
    );
    assert!(shown[1].1.starts_with("WARN: No action will be performed"));
    assert!(shown[3].1.starts_with("GROUP "));
}

#[test]
fn only_keys_that_can_run_a_command_make_the_dock_look_at_the_log() {
    use super::key_runs_command;
    for (key, ctrl, shift) in [
        ("Enter", false, false),
        ("c", true, false),
        ("D", true, false),
    ] {
        assert!(key_runs_command(key, ctrl, shift), "{key} ctrl={ctrl}");
    }
    for (key, ctrl, shift) in [
        ("Enter", false, true),
        ("Enter", true, false),
        ("c", false, false),
        ("a", false, false),
        ("Tab", false, false),
        ("ArrowUp", false, false),
        ("l", true, false),
        ("PageDown", false, false),
    ] {
        assert!(
            !key_runs_command(key, ctrl, shift),
            "{key} ctrl={ctrl} shift={shift}"
        );
    }
}

#[test]
fn a_streaming_query_started_in_the_pyspark_shell_prints_its_batches_at_the_engines_tick() {
    let mut t = terminal();
    type_line(&mut t, CREATE);
    type_line(&mut t, "pyspark");
    assert!(t.is_in_pyspark());
    assert_eq!(t.active().map(Session::prompt), Some(">>> "));
    let shell = t.active().map(Session::id).unwrap_or_default();
    type_line(
        &mut t,
        "q = spark.readStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"orders\").load().selectExpr(\"CAST(value AS STRING)\").writeStream.format(\"console\").start()",
    );
    t.open();
    type_line(
        &mut t,
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders <<EOF\nhello\nEOF",
    );
    t.select(shell);
    let mut printed = Vec::new();
    for _ in 0..3 {
        let effect = t.poll_following();
        printed.extend(texts(&t, Stream::Stdout));
        if effect.shown {
            break;
        }
    }
    assert!(printed.iter().any(|l| l == "|hello|"), "{printed:?}");
    assert!(
        printed.iter().any(|l| l.starts_with("Batch: ")),
        "{printed:?}"
    );
}
