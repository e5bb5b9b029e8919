//! Native tests of the consumer-groups model, driven through the playground as the page drives it.

use std::rc::Rc;

use super::*;
use crate::clock::{Clock, ManualClock};
use crate::group::coordinator::GroupState;
use crate::playground::changes::Area;
use crate::playground::engine::Playground;
use crate::playground::forms::ProduceForm;
use crate::playground::lane_marks::MarkKind;
use crate::playground::test_support::orders_playground;

const DEFAULT: &str = "range,cooperative-sticky";

/// A playground with `orders` (4 partitions) holding 20 keyed orders, and its real clock.
fn playground() -> (Playground, Rc<ManualClock>) {
    orders_playground(20, 0)
}

fn start(p: &mut Playground, group: &str) -> Result<String, String> {
    p.with_groups_text(|g| g.start_consumer(group, "orders", DEFAULT, OffsetResetPolicy::Earliest))
}

/// Real time passes `ms` in ticks of `tick` ms, `action` running on the groups at each.
fn every(p: &mut Playground, real: &ManualClock, ms: i64, tick: i64, action: fn(&mut GroupsModel)) {
    for _ in 0..ms / tick {
        real.advance(tick);
        p.with_groups_text(|g| {
            action(g);
            Ok(())
        })
        .expect("ran");
    }
}

/// Real time passes `ms` while the consumers keep polling once a second.
fn run(p: &mut Playground, real: &ManualClock, ms: i64) {
    every(p, real, ms, 1000, GroupsModel::step);
}

fn owned(p: &Playground, client: &str) -> usize {
    let model = p.groups().expect("loaded");
    model
        .members("g1")
        .into_iter()
        .find(|m| m.client_id == client)
        .map_or(0, |m| m.partitions.len())
}

fn timeline(p: &Playground) -> Vec<String> {
    p.groups()
        .expect("loaded")
        .timeline()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_first_consumer_owns_every_partition_once_the_initial_delay_passed() {
    let (mut p, real) = playground();
    let message = start(&mut p, "g1").expect("started");
    assert!(message.starts_with("c1 started in g1"), "{message}");
    run(&mut p, &real, 4000);
    assert_eq!(owned(&p, "c1"), 4);
    assert_eq!(p.groups().expect("loaded").state("g1"), GroupState::Stable);
}

#[test]
fn a_second_consumer_joining_splits_the_partitions_and_the_timeline_says_so() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 4000);
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 3000);
    assert_eq!((owned(&p, "c1"), owned(&p, "c2")), (2, 2));
    let lines = timeline(&p);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("c2 joined g1 → rebalance → generation ")),
        "{lines:#?}"
    );
    let cards = p.groups().expect("loaded").members("g1");
    assert!(cards.iter().all(|c| c.in_group && c.member_id.is_some()));
    assert_ne!(cards[0].colour, cards[1].colour);
}

#[test]
fn stepping_consumes_and_auto_commits_until_the_lag_is_zero() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 12_000);
    let model = p.groups().expect("loaded");
    let rows = model.partitions("g1");
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.lag == Some(0)), "{rows:#?}");
    assert_eq!(rows.iter().map(|r| r.log_end).sum::<i64>(), 20);
    assert!(rows.iter().all(|r| r.owner.as_deref() == Some("c1")));
    assert_eq!(model.members("g1")[0].consumed, 20);
}

#[test]
fn a_crashed_consumer_is_removed_after_the_session_timeout_when_the_clock_jumps() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 4000);
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 3000);
    let message = p.with_groups_text(|g| g.crash("c2")).expect("crashed");
    assert!(message.contains("session.timeout.ms (45 s)"), "{message}");
    p.fast_forward(3_600_000).expect("jumped");
    assert_eq!(owned(&p, "c1"), 4, "{:#?}", timeline(&p));
    let cards = p.groups().expect("loaded").members("g1");
    assert!(cards.iter().any(|c| c.client_id == "c2" && !c.in_group));
    assert!(
        timeline(&p)
            .iter()
            .any(|l| l.starts_with("c2 was removed from g1: it sent no heartbeat")),
        "{:#?}",
        timeline(&p)
    );
}

#[test]
fn leaving_rebalances_at_once() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 4000);
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 3000);
    p.with_groups_text(|g| g.leave("c2")).expect("left");
    run(&mut p, &real, 2000);
    assert_eq!(owned(&p, "c1"), 4);
    assert!(timeline(&p)
        .iter()
        .any(|l| l.starts_with("c2 left g1 → rebalance → generation ")));
}

#[test]
fn a_paused_consumer_stays_in_the_group_but_reads_nothing() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 3000);
    p.with_groups_text(|g| g.set_paused("c1", true))
        .expect("paused");
    let before = p.groups().expect("loaded").members("g1")[0].consumed;
    run(&mut p, &real, 10_000);
    let cards = p.groups().expect("loaded").members("g1");
    assert_eq!(cards[0].status, ConsumerStatus::Paused);
    assert!(cards[0].in_group);
    assert_eq!(cards[0].consumed, before);
    p.with_groups_text(|g| g.set_paused("c1", false))
        .expect("resumed");
    run(&mut p, &real, 6000);
    assert_eq!(p.groups().expect("loaded").members("g1")[0].consumed, 20);
}

#[test]
fn a_reset_is_refused_while_members_are_active_then_dry_runs_and_executes() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 12_000);
    let refused = p
        .with_groups_text(|g| g.reset_offsets("g1", ResetTarget::Earliest, false))
        .expect_err("active members");
    assert!(refused.starts_with("Error: "), "{refused}");
    assert!(refused.contains("inactive"), "{refused}");
    p.with_groups_text(|g| g.leave("c1")).expect("left");
    let dry = p
        .with_groups_text(|g| g.reset_offsets("g1", ResetTarget::Earliest, false))
        .expect("dry run");
    assert!(dry.contains("Dry run: nothing changed"), "{dry}");
    assert!(dry.contains("NEW-OFFSET"), "{dry}");
    let lag = |p: &Playground| -> i64 {
        let rows = p.groups().expect("loaded").partitions("g1");
        rows.iter().filter_map(|r| r.lag).sum()
    };
    assert_eq!(lag(&p), 0, "a dry run changes nothing");
    p.with_groups_text(|g| g.reset_offsets("g1", ResetTarget::Earliest, true))
        .expect("executed");
    assert_eq!(lag(&p), 20);
    let deleted = p
        .with_groups_text(|g| g.delete_group("g1"))
        .expect("deleted");
    assert!(deleted.starts_with("Deletion of requested consumer groups ('g1') was successful."));
    assert!(p.groups().expect("loaded").group_names().is_empty());
}

#[test]
fn deleting_a_group_with_members_is_refused_with_kafkas_message() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 4000);
    let refused = p
        .with_groups_text(|g| g.delete_group("g1"))
        .expect_err("not empty");
    assert!(refused.contains("The group is not empty."), "{refused}");
}

#[test]
fn committed_offsets_are_read_back_from_consumer_offsets_by_a_fresh_load() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 12_000);
    let reloaded = GroupsModel::load(p.broker(), 9).expect("replayed");
    assert_eq!(reloaded.state("g1"), GroupState::Empty);
    let rows = reloaded.partitions("g1");
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.lag == Some(0) && r.owner.is_none()));
    let told: Vec<String> = reloaded.timeline().map(ToString::to_string).collect();
    assert_eq!(
        told,
        ["Committed offsets of g1 read back from __consumer_offsets; membership is not kept, so each group starts Empty"]
    );
}

#[test]
fn bad_input_gets_a_message_naming_the_problem_and_the_fix() {
    let (mut p, _) = playground();
    let empty = start(&mut p, " ").expect_err("no group id");
    assert!(empty.contains("Give the group an id"), "{empty}");
    let missing = p
        .with_groups_text(|g| g.start_consumer("g1", "nope", DEFAULT, OffsetResetPolicy::Latest))
        .expect_err("no topic");
    assert_eq!(
        missing,
        "Topic 'nope' does not exist: create it on the Topics page first."
    );
    let unknown = p
        .with_groups_text(|g| g.crash("c9"))
        .expect_err("no such consumer");
    assert_eq!(unknown, "There is no consumer c9 (any more).");
}

#[test]
fn a_read_only_playground_refuses_group_actions() {
    let (mut p, _) = playground();
    p.make_read_only("Open in another tab.");
    assert_eq!(start(&mut p, "g1"), Err("Open in another tab.".to_owned()));
}

#[test]
fn a_week_long_jump_keeps_a_live_consumer_in_its_group() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 4000);
    let generation = p.groups().expect("loaded").members("g1")[0].generation;
    p.fast_forward(7 * 86_400_000).expect("jumped");
    let card = &p.groups().expect("loaded").members("g1")[0];
    assert!(card.in_group);
    assert_eq!(
        card.generation, generation,
        "no rebalance: it polled all along"
    );
    assert_eq!(card.partitions.len(), 4);
}

#[test]
fn a_consumer_with_no_strategy_in_common_is_refused_and_its_card_says_why() {
    let (mut p, real) = playground();
    p.with_groups_text(|g| g.start_consumer("g1", "orders", "range", OffsetResetPolicy::Earliest))
        .expect("started");
    run(&mut p, &real, 4000);
    p.with_groups_text(|g| {
        g.start_consumer("g1", "orders", "roundrobin", OffsetResetPolicy::Earliest)
    })
    .expect("started");
    run(&mut p, &real, 1000);
    let cards = p.groups().expect("loaded").members("g1");
    let error = cards[1].error.clone().unwrap_or_default();
    assert!(
        error.contains("is supported by every member of group \"g1\""),
        "{error}"
    );
    assert_eq!(cards[0].partitions.len(), 4);
}

/// Real time passes `ms` while the page's run timer fires every 100 ms, each consumer polling
/// when its own turn comes.
fn run_at_rates(p: &mut Playground, real: &ManualClock, ms: i64) {
    every(p, real, ms, 100, |g| {
        g.poll_due();
    });
}

fn card(p: &Playground, group: &str, client: &str) -> MemberCard {
    p.groups()
        .expect("loaded")
        .members(group)
        .into_iter()
        .find(|m| m.client_id == client)
        .expect("a card")
}

#[test]
fn a_faster_consumer_drains_its_partitions_sooner() {
    let (mut p, real) = playground();
    start(&mut p, "slow").expect("started");
    p.with_groups_text(|g| {
        g.start_consumer("fast", "orders", DEFAULT, OffsetResetPolicy::Earliest)
    })
    .expect("started");
    for client in ["c1", "c2"] {
        p.with_groups_text(|g| g.set_max_poll_records(client, "5"))
            .expect("set");
    }
    p.with_groups_text(|g| g.set_poll_rate("c1", "1"))
        .expect("rate set");
    let told = p
        .with_groups_text(|g| g.set_poll_rate("c2", "10"))
        .expect("rate set");
    assert_eq!(told, "c2 now polls 10 time(s) a second");
    // Both wait out group.initial.rebalance.delay.ms (3 s), then read 20 records 5 at a time:
    // the fast one within half a second, the slow one in about 4 s.
    run_at_rates(&mut p, &real, 4000);
    let (slow, fast) = (card(&p, "slow", "c1"), card(&p, "fast", "c2"));
    assert_eq!(fast.consumed, 20);
    assert!(slow.consumed < 20, "slow read {}", slow.consumed);
    assert_eq!(
        (slow.pace, fast.pace),
        (PollPace::Every(1000), PollPace::Every(100))
    );
    run_at_rates(&mut p, &real, 3000);
    assert_eq!(
        card(&p, "slow", "c1").consumed,
        20,
        "the slow one gets there too"
    );
}

#[test]
fn the_poll_rate_and_max_poll_records_belong_to_one_consumer() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    start(&mut p, "g1").expect("started");
    run_at_rates(&mut p, &real, 4000);
    p.with_groups_text(|g| g.set_poll_rate("c1", "0.5"))
        .expect("rate set");
    let told = p
        .with_groups_text(|g| g.set_max_poll_records("c1", "1"))
        .expect("set");
    assert_eq!(
        told,
        "c1 now takes up to 1 record(s) a poll (max.poll.records)"
    );
    p.with_groups_text(|g| g.set_max_poll_records("c1", "1"))
        .expect("set again");
    let told = timeline(&p);
    assert_eq!(
        told.iter()
            .filter(|l| l.contains("c1 now takes up to 1 record(s)"))
            .count(),
        1,
        "the same value twice is told once: {told:#?}"
    );
    let (c1, c2) = (card(&p, "g1", "c1"), card(&p, "g1", "c2"));
    assert_eq!((c1.pace, c1.max_poll_records), (PollPace::Every(2000), 1));
    assert_eq!((c2.pace, c2.max_poll_records), (PollPace::Loop, 500));
    let (c1_before, c2_before) = (c1.consumed, c2.consumed);
    run_at_rates(&mut p, &real, 4000);
    let (c1, c2) = (card(&p, "g1", "c1"), card(&p, "g1", "c2"));
    assert!(
        c1.consumed - c1_before <= 2,
        "c1 polled at most twice in 4 s, 1 record each: {}",
        c1.consumed - c1_before
    );
    assert!(c2.consumed > c2_before, "c2 kept its rate");
}

#[test]
fn changing_the_rate_keeps_the_consumers_position_and_membership() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run_at_rates(&mut p, &real, 5000);
    let rows = |p: &Playground| -> Vec<Option<i64>> {
        let model = p.groups().expect("loaded");
        model.partitions("g1").iter().map(|r| r.position).collect()
    };
    let before = (rows(&p), card(&p, "g1", "c1"));
    p.with_groups_text(|g| g.set_poll_rate("c1", "5"))
        .expect("rate set");
    p.with_groups_text(|g| g.set_max_poll_records("c1", "50"))
        .expect("set");
    let after = (rows(&p), card(&p, "g1", "c1"));
    assert_eq!(after.0, before.0);
    assert!(before.0.iter().any(Option::is_some));
    assert_eq!(after.1.generation, before.1.generation);
    assert_eq!(after.1.partitions, before.1.partitions);
    assert_eq!(after.1.consumed, before.1.consumed);
}

#[test]
fn a_rate_or_max_poll_records_out_of_range_is_refused_with_the_reason() {
    let (mut p, _) = playground();
    start(&mut p, "g1").expect("started");
    let fast = p
        .with_groups_text(|g| g.set_poll_rate("c1", "50"))
        .expect_err("too fast");
    assert_eq!(
        fast,
        "'50' is not a poll rate: pick loop (Kafka's poll loop) or 0.5 to 10 polls per second."
    );
    let zero = p
        .with_groups_text(|g| g.set_max_poll_records("c1", "0"))
        .expect_err("too few");
    assert!(
        zero.starts_with("Invalid value 0 for configuration max.poll.records"),
        "{zero}"
    );
    assert_eq!(card(&p, "g1", "c1").max_poll_records, 500);
}

#[test]
fn poll_rates_read_back_as_the_learner_wrote_them() {
    for rate in POLL_RATES {
        let pace = parse_poll_rate(rate).expect("a rate");
        assert_eq!(pace.label(), rate);
    }
    assert_eq!(parse_poll_rate(" loop "), Ok(PollPace::Loop));
    assert_eq!(parse_poll_rate("3"), Ok(PollPace::Every(333)));
    assert_eq!(PollPace::Every(333).label(), "3");
}

#[test]
fn the_lanes_get_each_groups_committed_offset_and_each_live_consumers_position() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 12_000);
    let model = p.groups().expect("loaded");
    let marks = model.lane_marks("orders");
    let rows = model.partitions("g1");
    for row in &rows {
        let at = |kind: &MarkKind| {
            marks
                .iter()
                .find(|m| m.partition == row.partition.partition && &m.kind == kind)
                .map(|m| m.offset)
        };
        let committed = MarkKind::Committed { group: "g1".into() };
        let position = MarkKind::Position {
            client_id: "c1".into(),
            group: "g1".into(),
            colour: 0,
        };
        assert_eq!(at(&committed), row.committed, "{marks:#?}");
        assert_eq!(at(&position), row.position, "{marks:#?}");
    }
    assert!(model.lane_marks("other").is_empty());
}

#[test]
fn the_consumers_wait_for_steps_until_the_learner_runs_them_and_the_setting_is_the_models() {
    let (mut p, _real) = playground();
    start(&mut p, "g1").expect("started");
    let running = |p: &Playground| p.groups().is_some_and(GroupsModel::is_running);
    assert!(
        !running(&p),
        "a new playground's consumers do not run on their own"
    );
    p.with_groups_text(|g| {
        g.set_running(true);
        Ok(())
    })
    .expect("writable");
    assert!(
        running(&p),
        "the engine's tick reads it whatever page is open"
    );
    p.with_groups_text(|g| {
        g.set_running(false);
        Ok(())
    })
    .expect("writable");
    assert!(!running(&p));
}

#[test]
fn a_new_consumer_takes_kafkas_500_records_a_poll_in_a_loop_and_its_card_says_so() {
    let (mut p, _) = playground();
    start(&mut p, "g1").expect("started");
    let c1 = card(&p, "g1", "c1");
    assert_eq!((c1.max_poll_records, c1.pace), (500, PollPace::Loop));
    assert_eq!(
        crate::playground::group_words::member_pace(&c1),
        "polls in a loop, as a Kafka consumer does: up to 500 record(s) a poll (Kafka's default), again at once while more are waiting"
    );
    p.with_groups_text(|g| g.set_poll_rate("c1", "2"))
        .expect("rate set");
    assert_eq!(
        crate::playground::group_words::member_pace(&card(&p, "g1", "c1")),
        "up to 500 record(s) a poll (Kafka's default), so at most 1,000 a second"
    );
    let told = p
        .with_groups_text(|g| g.set_poll_rate("c1", "loop"))
        .expect("back to the loop");
    assert_eq!(told, "c1 now polls in a loop, as a Kafka consumer does");
}

#[test]
fn a_group_in_kafkas_loop_drains_a_backlog_a_bounded_number_of_polls_per_tick() {
    // 20,000 records in 4 partitions; two consumers at the defaults (500 a poll, in a loop).
    let (mut p, real) = orders_playground(20_000, 0);
    start(&mut p, "g1").expect("started");
    start(&mut p, "g1").expect("started");
    p.with_groups_text(|g| {
        g.set_running(true);
        Ok(())
    })
    .expect("writable");
    // Ticks 100 ms apart, or at once while a tick says records are waiting (as the adapter
    // does): no tick reads more than LOOP_POLLS_PER_TICK polls of 500 per consumer, and a
    // tick that leaves records waiting says so.
    let read = |p: &Playground| card(p, "g1", "c1").consumed + card(p, "g1", "c2").consumed;
    let per_tick = (2 * LOOP_POLLS_PER_TICK * 500) as u64;
    let (mut last, mut busy_ticks) = (0, 0);
    for _ in 0..200 {
        let report = p.tick(real.now_ms());
        let now_read = read(&p);
        assert!(
            now_read - last <= per_tick,
            "read {} in one tick",
            now_read - last
        );
        if now_read == 20_000 {
            break;
        }
        if now_read > last {
            assert!(
                report.busy,
                "records are waiting after {now_read}: tick again at once"
            );
        }
        if report.busy {
            busy_ticks += 1;
        } else {
            real.advance(100);
        }
        last = now_read;
    }
    assert_eq!(read(&p), 20_000, "the backlog drained");
    assert!(busy_ticks >= 20_000 / per_tick, "{busy_ticks} busy ticks");
    // Caught up, it polls once a tick and the tick is not busy.
    real.advance(100);
    p.tick(real.now_ms());
    assert!(!p.tick(real.now_ms()).busy);
}

#[test]
fn a_clock_jump_keeps_running_consumers_in_their_group_but_reads_nothing() {
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    p.with_groups_text(|g| {
        g.set_running(true);
        Ok(())
    })
    .expect("writable");
    run_at_rates(&mut p, &real, 4000);
    assert_eq!(card(&p, "g1", "c1").consumed, 20);
    for i in 0..200 {
        let record = ProduceForm {
            key: format!("{}", 12_000 + i),
            value: format!(r#"{{"order_id":{i}}}"#),
            ..ProduceForm::default()
        };
        p.produce("orders", &record).expect("produced");
    }
    let generation = card(&p, "g1", "c1").generation;
    p.fast_forward(3_600_000).expect("jumped");
    let after = card(&p, "g1", "c1");
    assert_eq!(after.consumed, 20, "the jump read nothing");
    assert_eq!((after.in_group, after.partitions.len()), (true, 4));
    assert_eq!(after.generation, generation, "still the same member");
    real.advance(100);
    let polled = p.with_groups_text(|g| Ok(g.poll_due())).expect("writable");
    assert_eq!(polled, 1, "one poll after the jump, not a burst");
    assert_eq!(card(&p, "g1", "c1").consumed, 220);
}

#[test]
fn a_group_nobody_has_used_does_not_exist_yet_rather_than_being_dead() {
    let (mut p, real) = playground();
    p.with_groups_text(|_| Ok(())).expect("loaded");
    let words = crate::playground::group_words::group_state(p.groups().expect("loaded"), "g1");
    assert_eq!(words.badge, "does not exist yet");
    assert!(
        words
            .meaning
            .contains("\"Consumer group 'g1' does not exist.\""),
        "{}",
        words.meaning
    );
    start(&mut p, "g1").expect("started");
    run(&mut p, &real, 4000);
    let words = crate::playground::group_words::group_state(p.groups().expect("loaded"), "g1");
    assert_eq!(words.badge, "Stable");
}

#[test]
fn a_card_says_stopped_and_joining_before_its_first_rebalance_not_running_generation_minus_one() {
    use crate::playground::group_words::member_state;
    let (mut p, real) = playground();
    start(&mut p, "g1").expect("started");
    let c1 = card(&p, "g1", "c1");
    assert_eq!(
        c1.generation, -1,
        "the initial rebalance delay has not passed"
    );
    let said = member_state(&c1, false);
    assert!(
        said.starts_with("stopped: polls only when you step · "),
        "{said}"
    );
    assert!(
        !said.contains("generation -1") && !said.contains("running"),
        "{said}"
    );
    run(&mut p, &real, 4000);
    let joined = card(&p, "g1", "c1");
    assert_eq!(
        member_state(&joined, true),
        format!("polling · member of generation {}", joined.generation)
    );
}

#[test]
fn a_consumer_beyond_the_partition_count_is_idle_and_its_card_says_why() {
    let (mut p, real) = playground();
    for _ in 0..5 {
        start(&mut p, "g1").expect("started");
    }
    run(&mut p, &real, 6000);
    let model = p.groups().expect("loaded");
    let idle: Vec<String> = model
        .members("g1")
        .iter()
        .filter_map(|c| crate::playground::group_words::idle_reason(model, "g1", c))
        .collect();
    assert_eq!(
        idle,
        vec![
            "idle: g1 has 5 consumers for 4 partition(s) of orders, and each partition goes to exactly one consumer of a group, so c5 has none. It takes over a partition if another member leaves or crashes.".to_owned()
        ]
    );
}

#[test]
fn a_script_consumer_polling_nothing_changes_no_view_but_reading_and_committing_does() {
    let (mut p, real) = playground();
    let client = p
        .with_groups(|g| {
            g.start_external(
                "g1",
                "shop",
                &["orders".to_owned()],
                OffsetResetPolicy::Earliest,
            )
            .map_err(crate::playground::PlaygroundError::from)
        })
        .expect("started");
    let poll = |p: &mut Playground, real: &ManualClock| {
        real.advance(100);
        p.with_groups(|g| {
            g.poll_external(&client)
                .map_err(crate::playground::PlaygroundError::from)
        })
        .expect("polled")
    };
    let mut read = Vec::new();
    for _ in 0..100 {
        read = poll(&mut p, &real);
        if !read.is_empty() {
            break;
        }
    }
    assert!(!read.is_empty(), "the consumer joined and read");
    assert!(p.take_changes().contains(&Area::Groups));
    // Drain the rest, then poll with nothing left to read.
    while !poll(&mut p, &real).is_empty() {}
    p.take_changes();
    for _ in 0..5 {
        poll(&mut p, &real);
    }
    let idle = p.take_changes();
    assert!(!idle.contains(&Area::Groups), "{idle:?}");
    let last = read.last().expect("read");
    let at = TopicPartition::new(last.topic.clone(), last.partition);
    p.with_groups(|g| {
        g.commit_external(&client, &[(at, last.offset + 1)])
            .map_err(crate::playground::PlaygroundError::from)
    })
    .expect("committed");
    assert!(p.take_changes().contains(&Area::Groups), "the lag moved");
}
