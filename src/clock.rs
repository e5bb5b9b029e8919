//! Time, the only way Brooklet learns it.
//!
//! Owns the [`Clock`] trait and its implementations: the system clock (native), the JavaScript
//! clock (wasm32, where `std::time::SystemTime::now` panics) and a [`ManualClock`] that tests
//! and the playground's "fast-forward" button advance by hand. Nothing else in the crate may
//! read the wall clock: every other module receives `now_ms` from a `Clock`.

use std::cell::Cell;
use std::rc::Rc;

/// Milliseconds since the Unix epoch, as Kafka's timestamps are.
pub type TimestampMs = i64;

/// A source of the current time in milliseconds since the Unix epoch.
pub trait Clock {
    /// The current time in milliseconds since the Unix epoch.
    fn now_ms(&self) -> TimestampMs;
}

/// The real clock: `std::time` natively, `Date.now()` in the browser.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[cfg(not(target_arch = "wasm32"))]
    #[allow(clippy::disallowed_methods)] // The one native reader of the wall clock.
    fn now_ms(&self) -> TimestampMs {
        use std::time::{SystemTime, UNIX_EPOCH};
        // A clock set before 1970 is a broken machine, not user input: report time zero.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }

    #[cfg(target_arch = "wasm32")]
    #[allow(clippy::disallowed_methods)] // The one wasm reader of the wall clock.
    fn now_ms(&self) -> TimestampMs {
        js_sys::Date::now() as TimestampMs
    }
}

/// A clock that only moves when told to. Clones share the same time, so a test (or the
/// playground's fast-forward button) can hold one handle while the broker holds another.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Rc<Cell<TimestampMs>>,
}

impl ManualClock {
    /// A clock stopped at `start_ms`.
    pub fn new(start_ms: TimestampMs) -> Self {
        Self {
            now: Rc::new(Cell::new(start_ms)),
        }
    }

    /// Moves the clock forward by `delta_ms` (saturating; time never goes backwards).
    pub fn advance(&self, delta_ms: i64) {
        let delta = delta_ms.max(0);
        self.now.set(self.now.get().saturating_add(delta));
    }

    /// Sets the clock to `ms` if that is not in the past.
    pub fn set(&self, ms: TimestampMs) {
        if ms > self.now.get() {
            self.now.set(ms);
        }
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> TimestampMs {
        self.now.get()
    }
}

/// Real time plus a jump the user chose: the playground's clock. Fast-forwarding moves every
/// reader of this clock (clones share the jump), so retention can be watched acting on
/// data "a week later" without waiting a week.
#[derive(Clone)]
pub struct SimulatedClock {
    real: Rc<dyn Clock>,
    jump_ms: Rc<Cell<i64>>,
}

impl std::fmt::Debug for SimulatedClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatedClock")
            .field("jump_ms", &self.jump_ms.get())
            .finish()
    }
}

impl SimulatedClock {
    /// A clock that follows `real` until fast-forwarded.
    pub fn new(real: Rc<dyn Clock>) -> Self {
        Self {
            real,
            jump_ms: Rc::new(Cell::new(0)),
        }
    }

    /// Moves this clock (and its clones) `delta_ms` ahead of real time; negative is ignored.
    pub fn fast_forward(&self, delta_ms: i64) {
        self.jump_ms
            .set(self.jump_ms.get().saturating_add(delta_ms.max(0)));
    }

    /// How far ahead of real time the clock runs.
    pub fn jump_ms(&self) -> i64 {
        self.jump_ms.get()
    }
}

impl Clock for SimulatedClock {
    fn now_ms(&self) -> TimestampMs {
        self.real.now_ms().saturating_add(self.jump_ms.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_clones_share_it() {
        let clock = ManualClock::new(1_000);
        let other = clock.clone();
        assert_eq!(clock.now_ms(), 1_000);
        other.advance(7 * 24 * 3_600_000);
        assert_eq!(clock.now_ms(), 1_000 + 604_800_000);
    }

    #[test]
    fn a_manual_clock_never_goes_backwards() {
        let clock = ManualClock::new(5_000);
        clock.advance(-10);
        clock.set(10);
        assert_eq!(clock.now_ms(), 5_000);
    }

    #[test]
    fn a_simulated_clock_runs_ahead_of_its_source_by_the_jumps_and_clones_share_them() {
        let real = ManualClock::new(1_000);
        let simulated = SimulatedClock::new(Rc::new(real.clone()));
        let other = simulated.clone();
        other.fast_forward(604_800_000);
        other.fast_forward(-5);
        real.advance(10);
        assert_eq!(simulated.now_ms(), 1_010 + 604_800_000);
        assert_eq!(simulated.jump_ms(), 604_800_000);
    }

    #[test]
    fn the_system_clock_reads_a_time_after_2020() {
        assert!(SystemClock.now_ms() > 1_577_836_800_000);
    }
}
