//! One `tick(now)` that advances everything that runs in the playground: the groups page's
//! consumers (each at its own poll rate), the terminal's following console consumers, the
//! sample-order job, the imports waiting for the store, and the clock the top bar shows.
//!
//! Owns the order things advance in and which areas a tick changed. Must not read a clock or
//! hold a timer: the adapter's one timer passes `now` in (the simulated clock's time), and
//! native tests pass a manual clock's.

use super::changes::Area;
use super::Playground;

/// What [`Playground::tick`] keeps between calls.
#[derive(Debug, Default, Clone)]
pub struct TickState {
    /// The clock's second at the last tick, so the clock re-renders once a second.
    second: i64,
}

/// What a tick found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TickReport {
    /// Work is left that should not wait for the next regular tick (a counted sample run
    /// still producing, a consumer in Kafka's poll loop with records waiting): the adapter
    /// yields to the browser, then ticks again at once.
    pub busy: bool,
}

impl Playground {
    /// Advances everything that runs to `now` (ms on the playground's clock). A read-only
    /// tab's consumers and followers stop, as if their process was gone; its sample job's
    /// next produce is refused, which ends the run saying why; its console producers' lost
    /// sends still print their errors.
    pub fn tick(&mut self, now: i64) -> TickReport {
        let second = now.div_euclid(1000);
        if second != self.ticking.second {
            self.ticking.second = second;
            self.changes.mark(Area::Clock);
        }
        if self.read_only().is_some() {
            // Nothing that could write runs; the terminal and the imports only report
            // deliveries.
            self.tick_terminal(now);
            self.tick_imports();
            let busy = self.tick_sample(now);
            return TickReport { busy };
        }
        let mut consumers_behind = false;
        if let Some(groups) = self.groups.as_mut().filter(|g| g.is_running()) {
            // A running but idle group does not redraw its page (nor re-save the timelines)
            // ten times a second: only what the consumers' polls and the group timers (a
            // crashed member's session expiring) changed is marked.
            let before = groups.fingerprint();
            groups.poll_due();
            if groups.fingerprint() != before {
                self.changes.mark(Area::Groups);
            }
            consumers_behind = groups.is_behind();
            self.absorb_changes();
        }
        self.tick_terminal(now);
        self.tick_notebook();
        self.tick_imports();
        let busy = self.tick_sample(now) | consumers_behind;
        TickReport { busy }
    }
}

#[cfg(test)]
mod tests;
