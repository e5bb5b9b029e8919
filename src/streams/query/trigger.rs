//! [`Trigger`]: when a streaming query runs its next micro-batch (`trigger(processingTime=…)`,
//! `trigger(once=True)`, `trigger(availableNow=True)`, or the default: as soon as the last one
//! ended and there is something to do).

use crate::streams::interval::{parse_interval, IntervalError};

/// A query's trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Batches start at multiples of this interval (ms); `0` is Spark's default trigger.
    ProcessingTime(i64),
    /// One batch of everything available at start, then the query stops (deprecated in Spark
    /// 3.4 for `availableNow`, still accepted).
    Once,
    /// Batches (within `maxOffsetsPerTrigger`) until what was available at start is read, then
    /// the query stops.
    AvailableNow,
}

impl Trigger {
    /// `processingTime='10 seconds'`.
    pub fn processing_time(text: &str) -> Result<Self, IntervalError> {
        let micros = parse_interval(text)?;
        Ok(Trigger::ProcessingTime((micros / 1000).max(0)))
    }

    /// When the batch after one started at `last_start_ms` may start (Spark's
    /// `ProcessingTimeExecutor`: the next multiple of the interval).
    pub fn next_start(&self, last_start_ms: i64) -> i64 {
        match self {
            Trigger::ProcessingTime(interval) if *interval > 0 => {
                (last_start_ms.div_euclid(*interval) + 1) * interval
            }
            _ => last_start_ms,
        }
    }

    /// Spark's text in `query.status` / progress (`ProcessingTimeTrigger(10000)`).
    pub fn describe(&self) -> String {
        match self {
            Trigger::ProcessingTime(ms) => format!("ProcessingTimeTrigger({ms})"),
            Trigger::Once => "OneTimeTrigger".to_string(),
            Trigger::AvailableNow => "AvailableNowTrigger".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_time_batches_start_at_multiples_of_the_interval() {
        let t = Trigger::processing_time("10 seconds").unwrap();
        assert_eq!(t, Trigger::ProcessingTime(10_000));
        assert_eq!(t.next_start(1_700_000_003_000), 1_700_000_010_000);
        assert_eq!(t.next_start(1_700_000_010_000), 1_700_000_020_000);
        assert_eq!(Trigger::ProcessingTime(0).next_start(5), 5);
    }
}
