//! The coordinator's broker settings and the consumer defaults it applies (kafka.md §3, §5).
//!
//! Owns the numbers only. Must not hold behaviour.

/// `session.timeout.ms` default of the Java consumer.
pub const DEFAULT_SESSION_TIMEOUT_MS: i64 = 45_000;
/// `max.poll.interval.ms` default, which the consumer sends as its rebalance timeout.
pub const DEFAULT_MAX_POLL_INTERVAL_MS: i64 = 300_000;
/// `heartbeat.interval.ms` default.
pub const DEFAULT_HEARTBEAT_INTERVAL_MS: i64 = 3_000;

/// Broker-side group settings (`GroupCoordinatorConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoordinatorConfig {
    /// `group.initial.rebalance.delay.ms` (3000): how long the first rebalance of an Empty group
    /// waits for more members.
    pub initial_rebalance_delay_ms: i64,
    /// `group.min.session.timeout.ms` (6000).
    pub min_session_timeout_ms: i64,
    /// `group.max.session.timeout.ms` (1800000).
    pub max_session_timeout_ms: i64,
}

impl Default for CoordinatorConfig {
    fn default() -> Self {
        Self {
            initial_rebalance_delay_ms: 3_000,
            min_session_timeout_ms: 6_000,
            max_session_timeout_ms: 1_800_000,
        }
    }
}
