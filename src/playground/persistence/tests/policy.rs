//! When the loop flushes: a change waits its delay (one timer for all the changes before
//! its deadline), enough bytes flush at once, a new policy applies to waiting changes, and a
//! change made during a flush waits its own delay.

use super::*;

#[test]
fn a_change_waits_its_delay_and_one_timer_serves_every_change_before_it() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, policy(100, 1 << 20), &["orders"]);
    let commits = memory.commit_count();
    let first = tab.produce("orders", &["a"]);
    assert_eq!(tab.schedule(), FlushNext::Timer(100));
    tab.clock.advance(30);
    let second = tab.produce("orders", &["b"]);
    assert_eq!(
        tab.schedule(),
        FlushNext::TimerArmed,
        "the armed timer fires at the oldest change's deadline"
    );
    assert_eq!(
        memory.commit_count(),
        commits,
        "nothing is written before the deadline"
    );
    tab.clock.advance(70);
    let ticket = due(tab.flush.timer_fired(&tab.playground));
    assert_eq!(tab.run(ticket).next, FlushNext::Idle);
    assert_eq!(
        memory.commit_count(),
        commits + 1,
        "both in one transaction"
    );
    assert_eq!(tab.delivery(first), DeliveryState::Stored);
    assert_eq!(tab.delivery(second), DeliveryState::Stored);
}

#[test]
fn a_timer_that_fires_early_arms_another_for_what_is_left() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, policy(100, 1 << 20), &["orders"]);
    tab.produce("orders", &["a"]);
    assert_eq!(tab.schedule(), FlushNext::Timer(100));
    // Browsers clamp and skew timers; the real clock says 99 ms have passed.
    tab.clock.advance(99);
    assert_eq!(tab.flush.timer_fired(&tab.playground), FlushNext::Timer(1));
    tab.clock.advance(1);
    due(tab.flush.timer_fired(&tab.playground));
}

#[test]
fn enough_waiting_bytes_flush_at_once_whatever_the_delay() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, policy(1_000, 2_000), &["orders"]);
    tab.produce("orders", &["small"]);
    assert_eq!(tab.schedule(), FlushNext::Timer(1_000));
    let big = "x".repeat(2_000);
    let id = tab.produce("orders", &[big.as_str()]);
    let ticket = due(tab.schedule());
    tab.run(ticket).outcome.expect("stored");
    assert_eq!(
        tab.delivery(id),
        DeliveryState::Stored,
        "with no time passed"
    );
}

#[test]
fn a_shorter_delay_chosen_while_a_timer_waits_arms_an_earlier_timer() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, policy(1_000, 1 << 20), &["orders"]);
    tab.produce("orders", &["a"]);
    assert_eq!(tab.schedule(), FlushNext::Timer(1_000));
    tab.clock.advance(10);
    tab.flush.set_flush_policy(policy(25, 1 << 20));
    assert_eq!(
        tab.schedule(),
        FlushNext::Timer(15),
        "the change keeps its age under the new delay"
    );
    tab.flush.set_flush_policy(policy(0, 1 << 20));
    due(tab.schedule());
}

#[test]
fn a_change_made_during_a_flush_waits_its_own_delay_after_it() {
    let memory = MemoryStore::new();
    let tab = Tab::with_topics(&memory, policy(100, 1 << 20), &["orders"]);
    tab.produce("orders", &["a"]);
    assert_eq!(tab.schedule(), FlushNext::Timer(100));
    tab.clock.advance(100);
    let ticket = due(tab.flush.timer_fired(&tab.playground));
    let flushed = tab
        .flush_around(ticket, || {
            tab.clock.advance(40);
            tab.produce("orders", &["b"]);
            assert_eq!(tab.schedule(), FlushNext::InFlight);
            tab.clock.advance(10);
        })
        .1;
    assert_eq!(
        flushed.next,
        FlushNext::Timer(90),
        "its delay counts from when it was made, during the flush"
    );
}
