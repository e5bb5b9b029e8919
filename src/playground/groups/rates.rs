//! How often each of the learner's consumers polls, and how much it takes a poll: the run
//! timer's [`GroupsModel::poll_due`], each consumer at its own rate, and the member card's
//! controls for the rate and `max.poll.records`.
//!
//! Owns the rates' wording and the poll schedule. Must not read the wall clock: time is the
//! broker's clock, so a clock jump is one poll, not a burst. Tested natively in
//! `tests.rs`.

use super::{ConsumerStatus, GroupActionError, GroupsEvent, GroupsModel};
use crate::client::ConsumerConfig;

/// The poll rates offered on a member card, in polls per second.
pub const POLL_RATES: [&str; 5] = ["0.5", "1", "2", "5", "10"];

/// Reads a poll rate a learner chose ("0.5" to "10" polls per second) as the time between
/// polls in ms.
pub fn parse_poll_rate(text: &str) -> Result<i64, GroupActionError> {
    let text = text.trim();
    let bad = || GroupActionError::BadPollRate {
        text: text.to_owned(),
    };
    let rate: f64 = text.parse().map_err(|_| bad())?;
    if !(0.5..=10.0).contains(&rate) {
        return Err(bad());
    }
    // In range, so the interval is 100..=2000 ms and the cast cannot truncate.
    Ok((1000.0 / rate).round() as i64)
}

/// The rate of a poll interval in polls per second, as [`POLL_RATES`] writes it ("0.5", "2").
pub fn poll_rate_label(interval_ms: i64) -> String {
    let rate = 1000.0 / interval_ms.max(1) as f64;
    let text = format!("{rate:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
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
    /// own rate; the group timers due by now fire first. [`crate::playground::Playground::tick`]
    /// calls this often (ten times a second) while the consumers run. Returns how many
    /// consumers polled.
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
            let _ = self.poll_one(index, true);
            polled += 1;
            if let Some(sim) = self.consumers.get_mut(index) {
                // Keep the rhythm, but after a clock jump or a stalled tab start afresh rather
                // than catch up with a burst of polls.
                sim.next_poll_at += sim.poll_interval_ms;
                if sim.next_poll_at <= now {
                    sim.next_poll_at = now + sim.poll_interval_ms;
                }
            }
        }
        self.drain();
        polled
    }

    /// Sets how often `client_id` polls while the consumers run (`rate` in polls per second,
    /// 0.5 to 10). Its position, assignment and membership stay as they are. The timeline
    /// tells a change once (a form may send the same value twice).
    pub fn set_poll_rate(
        &mut self,
        client_id: &str,
        rate: &str,
    ) -> Result<String, GroupActionError> {
        let interval = parse_poll_rate(rate)?;
        let now = self.now_ms();
        let sim = self.find(client_id)?;
        let changed = sim.poll_interval_ms != interval;
        sim.poll_interval_ms = interval;
        sim.next_poll_at = sim.next_poll_at.min(now + interval);
        let event = GroupsEvent::PollRateChanged {
            client_id: client_id.to_owned(),
            rate: poll_rate_label(interval),
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
