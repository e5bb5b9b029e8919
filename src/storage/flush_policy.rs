//! When the write-behind persister flushes: after a change has waited `max_delay_ms`, or as
//! soon as `max_dirty_bytes` of chunk data are waiting, whichever comes first.
//!
//! Owns the trigger rule and the "dirty since" bookkeeping, decided on times passed in (the
//! caller reads its clock), so it is tested deterministically. Must not flush, hold timers or
//! read a clock itself: the playground's flush loop (`playground::persistence`) asks it and
//! acts.

/// The flush triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlushPolicy {
    /// The longest a change waits for its transaction (ms); 0 flushes at every change.
    pub max_delay_ms: u64,
    /// Pending chunk bytes that start a flush at once, however young the change.
    pub max_dirty_bytes: u64,
}

/// The default delay: none, each change is flushed at once (in the playground a change is one
/// learner action, and its acknowledgement should show at once). Raise it (the storage badge
/// offers 25, 100 and 1000 ms) to gather bursts of changes into fewer transactions.
pub const DEFAULT_MAX_DELAY_MS: u64 = 0;
/// The default size trigger: 1 MiB.
pub const DEFAULT_MAX_DIRTY_BYTES: u64 = 1 << 20;

impl Default for FlushPolicy {
    fn default() -> Self {
        Self {
            max_delay_ms: DEFAULT_MAX_DELAY_MS,
            max_dirty_bytes: DEFAULT_MAX_DIRTY_BYTES,
        }
    }
}

/// What to do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlushDecision {
    /// Nothing is waiting.
    Idle,
    /// Flush now.
    Now,
    /// Ask again in this many ms (the oldest change's deadline).
    After(u64),
}

/// A policy and the time the oldest unflushed change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlushSchedule {
    policy: FlushPolicy,
    dirty_since_ms: Option<i64>,
}

impl FlushSchedule {
    /// A schedule with nothing waiting.
    pub fn new(policy: FlushPolicy) -> Self {
        Self {
            policy,
            dirty_since_ms: None,
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> FlushPolicy {
        self.policy
    }

    /// Changes the policy; a waiting change keeps its age.
    pub fn set_policy(&mut self, policy: FlushPolicy) {
        self.policy = policy;
    }

    /// A change was made at `now_ms` (only the oldest waiting one counts).
    pub fn note_change(&mut self, now_ms: i64) {
        self.dirty_since_ms.get_or_insert(now_ms);
    }

    /// Everything noted so far went into a flush that has started.
    pub fn flush_started(&mut self) {
        self.dirty_since_ms = None;
    }

    /// True when a change is waiting.
    pub fn is_dirty(&self) -> bool {
        self.dirty_since_ms.is_some()
    }

    /// Whether to flush at `now_ms`, with `dirty_bytes` of chunk data waiting.
    pub fn decide(&self, dirty_bytes: u64, now_ms: i64) -> FlushDecision {
        let Some(since) = self.dirty_since_ms else {
            return FlushDecision::Idle;
        };
        if dirty_bytes >= self.policy.max_dirty_bytes {
            return FlushDecision::Now;
        }
        let waited = u64::try_from(now_ms.saturating_sub(since)).unwrap_or(0);
        match self.policy.max_delay_ms.checked_sub(waited) {
            Some(left) if left > 0 => FlushDecision::After(left),
            _ => FlushDecision::Now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(delay: u64, bytes: u64) -> FlushSchedule {
        FlushSchedule::new(FlushPolicy {
            max_delay_ms: delay,
            max_dirty_bytes: bytes,
        })
    }

    #[test]
    fn nothing_waiting_means_no_flush() {
        assert_eq!(schedule(25, 100).decide(0, 1_000), FlushDecision::Idle);
    }

    #[test]
    fn a_change_waits_until_its_delay_has_passed() {
        let mut s = schedule(25, 1_000);
        s.note_change(1_000);
        assert_eq!(s.decide(10, 1_000), FlushDecision::After(25));
        s.note_change(1_010);
        // The oldest change sets the deadline, not the newest.
        assert_eq!(s.decide(10, 1_010), FlushDecision::After(15));
        assert_eq!(s.decide(10, 1_025), FlushDecision::Now);
        assert_eq!(s.decide(10, 2_000), FlushDecision::Now);
    }

    #[test]
    fn enough_dirty_bytes_flush_at_once() {
        let mut s = schedule(1_000, 1_000);
        s.note_change(0);
        assert_eq!(s.decide(999, 1), FlushDecision::After(999));
        assert_eq!(s.decide(1_000, 1), FlushDecision::Now);
    }

    #[test]
    fn a_zero_delay_flushes_every_change_at_once() {
        let mut s = schedule(0, u64::MAX);
        s.note_change(5);
        assert_eq!(s.decide(1, 5), FlushDecision::Now);
    }

    #[test]
    fn a_started_flush_takes_the_waiting_changes_with_it() {
        let mut s = schedule(25, 1_000);
        s.note_change(0);
        s.flush_started();
        assert!(!s.is_dirty());
        assert_eq!(s.decide(0, 100), FlushDecision::Idle);
        s.note_change(100);
        assert_eq!(s.decide(0, 110), FlushDecision::After(15));
    }

    #[test]
    fn a_clock_that_went_backwards_does_not_overflow() {
        let mut s = schedule(25, 1_000);
        s.note_change(1_000);
        assert_eq!(s.decide(0, 900), FlushDecision::After(25));
    }
}
