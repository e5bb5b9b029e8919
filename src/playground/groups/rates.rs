//! How often each of the learner's consumers polls, and how much it takes a poll: the run
//! timer's [`GroupsModel::poll_due`], each consumer at its own pace (Kafka's poll loop by
//! default, or a slower rate to watch), and the member card's controls for the pace and
//! `max.poll.records`.
//!
//! Owns the rates' wording and the poll schedule. Must not read the wall clock: time is the
//! broker's clock, so a clock jump is one poll, not a burst. Tested natively in
//! `tests.rs`.

use super::{ConsumerStatus, GroupActionError, GroupsEvent, GroupsModel};
use crate::client::ConsumerConfig;

/// How often a consumer polls while the consumers run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollPace {
    /// As a Kafka consumer's `while (true) { consumer.poll(...) }` loop: again at once while
    /// its last poll came back full (more records are waiting), else at the next tick; the
    /// default.
    Loop,
    /// Once every this many ms of the broker's clock: slowed down to watch positions creep.
    Every(i64),
}

impl PollPace {
    /// When a consumer at this pace polls next, given that it polled at `now` (in a loop:
    /// at the next tick, which is what Kafka's `poll(timeout)` waiting for records amounts to).
    pub(super) fn next_after(self, now: i64) -> i64 {
        match self {
            Self::Loop => now,
            Self::Every(interval) => now + interval,
        }
    }

    /// The card's words for the pace: `loop`, or polls per second as [`POLL_RATES`] writes
    /// them (`0.5`, `2`).
    pub fn label(self) -> String {
        match self {
            Self::Loop => LOOP.to_owned(),
            Self::Every(interval) => {
                let rate = 1000.0 / interval.max(1) as f64;
                let text = format!("{rate:.2}");
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
        }
    }
}

/// The default pace's value on a member card: Kafka's poll loop.
pub const LOOP: &str = "loop";

/// The paces offered on a member card: Kafka's loop (the default), then slower rates for
/// watching, in polls per second.
pub const POLL_RATES: [&str; 6] = [LOOP, "0.5", "1", "2", "5", "10"];

/// At most this many polls one consumer in a loop makes in one tick, so a tick stays well
/// under a frame: 8 polls of Kafka's 500 records is 4,000 records (a few ms in the tab).
/// While it has more to read, the tick says so and the adapter ticks again at once.
pub const LOOP_POLLS_PER_TICK: usize = 8;

/// Reads a pace a learner chose: `loop`, or a rate from `0.5` to `10` polls per second.
pub fn parse_poll_rate(text: &str) -> Result<PollPace, GroupActionError> {
    let text = text.trim();
    if text == LOOP {
        return Ok(PollPace::Loop);
    }
    let bad = || GroupActionError::BadPollRate {
        text: text.to_owned(),
    };
    let rate: f64 = text.parse().map_err(|_| bad())?;
    if !(0.5..=10.0).contains(&rate) {
        return Err(bad());
    }
    // In range, so the interval is 100..=2000 ms and the cast cannot truncate.
    Ok(PollPace::Every((1000.0 / rate).round() as i64))
}

impl GroupsModel {
    /// True while the consumers run on their own: [`crate::playground::Playground::tick`]
    /// then calls [`GroupsModel::poll_due`] whatever page is open, not only the groups page.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Starts or stops the consumers running on their own. Stopped, they poll only when the
    /// learner steps them; either way they stay members (a stopped consumer stops heartbeating
    /// too, so a long pause ends in a rebalance, as for a Kafka consumer that stops polling).
    pub fn set_running(&mut self, running: bool) {
        self.running = running;
    }

    /// Polls each live consumer whose turn has come at the broker clock's time, each at its
    /// own pace: one in Kafka's loop polls again at once while its polls come back full (up
    /// to [`LOOP_POLLS_PER_TICK`] times), one at a rate polls once. The group timers due by
    /// now fire first. [`crate::playground::Playground::tick`] calls this at every tick while
    /// the consumers run. Returns how many consumers polled.
    pub fn poll_due(&mut self) -> usize {
        self.groups.borrow_mut().tick();
        let now = self.now_ms();
        let mut polled = 0;
        for index in 0..self.consumers.len() {
            let due = self.consumers.get(index).is_some_and(|c| {
                c.status != ConsumerStatus::Crashed && !c.external && c.next_poll_at <= now
            });
            if !due {
                continue;
            }
            let pace = self.consumers.get(index).map(|c| c.pace);
            let polls = if pace == Some(PollPace::Loop) {
                LOOP_POLLS_PER_TICK
            } else {
                1
            };
            let mut behind = false;
            for _ in 0..polls {
                let full = self
                    .consumers
                    .get(index)
                    .map_or(usize::MAX, |c| c.consumer.config().max_poll_records);
                behind = self
                    .poll_one(index, true)
                    .is_ok_and(|records| records.len() >= full);
                if !behind {
                    break;
                }
            }
            polled += 1;
            if let Some(sim) = self.consumers.get_mut(index) {
                sim.behind = behind && sim.pace == PollPace::Loop;
                // Keep the rhythm, but after a clock jump or a stalled tab start afresh rather
                // than catch up with a burst of polls.
                sim.next_poll_at = match sim.pace {
                    PollPace::Loop => now,
                    PollPace::Every(interval) if sim.next_poll_at + interval <= now => {
                        now + interval
                    }
                    PollPace::Every(interval) => sim.next_poll_at + interval,
                };
            }
        }
        self.drain();
        polled
    }

    /// True while a consumer in Kafka's loop has records waiting that its polls of this tick
    /// did not take: the adapter ticks again at once rather than at its next interval.
    pub fn is_behind(&self) -> bool {
        self.running
            && self
                .consumers
                .iter()
                .any(|c| c.behind && c.status != ConsumerStatus::Crashed && !c.external)
    }

    /// Sets how often `client_id` polls while the consumers run (`loop`, or `rate` in polls
    /// per second, 0.5 to 10). Its position, assignment and membership stay as they are. The
    /// timeline tells a change once (a form may send the same value twice).
    pub fn set_poll_rate(
        &mut self,
        client_id: &str,
        rate: &str,
    ) -> Result<String, GroupActionError> {
        let pace = parse_poll_rate(rate)?;
        let now = self.now_ms();
        let sim = self.find(client_id)?;
        let changed = sim.pace != pace;
        sim.pace = pace;
        sim.behind = false;
        sim.next_poll_at = sim.next_poll_at.min(pace.next_after(now));
        let event = GroupsEvent::PollRateChanged {
            client_id: client_id.to_owned(),
            pace,
        };
        let line = event.to_string();
        if changed {
            self.record(event);
        }
        Ok(line)
    }

    /// Sets `client_id`'s `max.poll.records` (at least 1, as Kafka requires) from its next poll on.
    pub fn set_max_poll_records(
        &mut self,
        client_id: &str,
        records: &str,
    ) -> Result<String, GroupActionError> {
        let mut check = ConsumerConfig::default();
        check.set("max.poll.records", records)?;
        let sim = self.find(client_id)?;
        let changed = sim.consumer.config().max_poll_records != check.max_poll_records;
        sim.consumer.set_max_poll_records(check.max_poll_records);
        let event = GroupsEvent::MaxPollRecordsChanged {
            client_id: client_id.to_owned(),
            records: check.max_poll_records,
        };
        let line = event.to_string();
        if changed {
            self.record(event);
        }
        Ok(line)
    }
}
