//! Which segments retention deletes, as Kafka's `UnifiedLog.deleteOldSegments` decides it.
//!
//! Owns the pure decision: given segment summaries (oldest first), the config, `now_ms`, the
//! high watermark and the log end, which prefix of segments goes, and why. Must not touch
//! segments or the clock; `PartitionLog::apply_retention` carries the decision out.

use super::event::DeleteReason;
use super::LogConfig;

/// What retention needs to know about one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentSummary {
    /// The segment's base offset.
    pub base_offset: i64,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its largest record timestamp (its last-modified time when empty).
    pub largest_timestamp: i64,
}

/// One segment retention deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deletion {
    /// The segment's base offset.
    pub base_offset: i64,
    /// Time or size.
    pub reason: DeleteReason,
}

/// The segments to delete, oldest first; always a prefix of `segments`.
///
/// Kafka's rules: only when the policy has `delete`; a time pass (delete while
/// `now − largestTimestamp > retention.ms`) then a size pass (delete the oldest while the
/// excess over `retention.bytes` still covers the whole segment), each stopping at the first
/// segment that does not qualify; never a segment whose end (next base, or the log end for the
/// last) is above the high watermark; never the last segment when it is empty.
pub fn segments_to_delete(
    segments: &[SegmentSummary],
    config: &LogConfig,
    now_ms: i64,
    high_watermark: i64,
    log_end_offset: i64,
) -> Vec<Deletion> {
    if !config.cleanup_policy.deletes() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if config.retention_ms >= 0 {
        let retention_ms = config.retention_ms;
        let n = deletable_prefix(segments, high_watermark, log_end_offset, |s| {
            now_ms.saturating_sub(s.largest_timestamp) > retention_ms
        });
        out.extend(segments.iter().take(n).map(|s| Deletion {
            base_offset: s.base_offset,
            reason: DeleteReason::RetentionTime,
        }));
    }
    let remaining = segments.get(out.len()..).unwrap_or_default();
    let total: u64 = remaining.iter().map(|s| s.size_bytes).sum();
    if let Ok(limit) = u64::try_from(config.retention_bytes) {
        if total >= limit {
            let mut excess = total - limit;
            let n = deletable_prefix(remaining, high_watermark, log_end_offset, |s| {
                if excess >= s.size_bytes {
                    excess -= s.size_bytes;
                    true
                } else {
                    false
                }
            });
            out.extend(remaining.iter().take(n).map(|s| Deletion {
                base_offset: s.base_offset,
                reason: DeleteReason::RetentionSize,
            }));
        }
    }
    out
}

/// How many segments from the front satisfy `predicate` and the high-watermark and
/// empty-last-segment rules, stopping at the first that does not.
fn deletable_prefix(
    segments: &[SegmentSummary],
    high_watermark: i64,
    log_end_offset: i64,
    mut predicate: impl FnMut(&SegmentSummary) -> bool,
) -> usize {
    let mut n = 0;
    for (i, s) in segments.iter().enumerate() {
        let next = segments.get(i + 1);
        let upper_bound = next.map_or(log_end_offset, |n| n.base_offset);
        let last_and_empty = next.is_none() && s.size_bytes == 0;
        // Check the watermark first: the size predicate consumes excess when it says yes.
        if high_watermark < upper_bound || last_and_empty || !predicate(s) {
            break;
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::CleanupPolicy;

    fn seg(base: i64, size: u64, ts: i64) -> SegmentSummary {
        SegmentSummary {
            base_offset: base,
            size_bytes: size,
            largest_timestamp: ts,
        }
    }

    fn config(retention_ms: i64, retention_bytes: i64) -> LogConfig {
        LogConfig {
            retention_ms,
            retention_bytes,
            ..LogConfig::default()
        }
    }

    #[test]
    fn time_retention_deletes_old_segments_oldest_first_and_stops_at_a_young_one() {
        let segs = [
            seg(0, 10, 100),
            seg(10, 10, 900),
            seg(20, 10, 200),
            seg(30, 10, 100),
        ];
        let d = segments_to_delete(&segs, &config(500, -1), 1_000, 40, 40);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].base_offset, 0);
        assert_eq!(d[0].reason, DeleteReason::RetentionTime);
    }

    #[test]
    fn the_time_rule_is_strictly_greater_than_retention_ms() {
        let segs = [seg(0, 10, 500), seg(10, 10, 2_000)];
        assert!(segments_to_delete(&segs, &config(500, -1), 1_000, 20, 20).is_empty());
        assert_eq!(
            segments_to_delete(&segs, &config(499, -1), 1_000, 20, 20).len(),
            1
        );
    }

    #[test]
    fn size_retention_deletes_only_while_the_excess_covers_a_whole_segment() {
        let segs = [
            seg(0, 100, 0),
            seg(10, 100, 0),
            seg(20, 100, 0),
            seg(30, 50, 0),
        ];
        // total 350, limit 200: excess 150 covers the first (100), not the second.
        let d = segments_to_delete(&segs, &config(-1, 200), 0, 40, 40);
        assert_eq!(d.iter().map(|d| d.base_offset).collect::<Vec<_>>(), vec![0]);
        assert_eq!(d[0].reason, DeleteReason::RetentionSize);
        // limit 150: excess 200 covers two.
        assert_eq!(
            segments_to_delete(&segs, &config(-1, 150), 0, 40, 40).len(),
            2
        );
    }

    #[test]
    fn retention_never_deletes_a_segment_that_ends_above_the_high_watermark() {
        let segs = [seg(0, 10, 0), seg(10, 10, 0), seg(20, 10, 0)];
        let d = segments_to_delete(&segs, &config(1, -1), 1_000, 15, 30);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn the_active_segment_can_be_deleted_but_not_when_it_is_empty() {
        let segs = [seg(0, 10, 0), seg(10, 10, 0)];
        assert_eq!(
            segments_to_delete(&segs, &config(1, -1), 1_000, 20, 20).len(),
            2
        );
        let segs = [seg(0, 10, 0), seg(10, 0, 0)];
        assert_eq!(
            segments_to_delete(&segs, &config(1, -1), 1_000, 10, 10).len(),
            1
        );
    }

    #[test]
    fn a_compact_only_policy_deletes_nothing() {
        let segs = [seg(0, 10, 0), seg(10, 10, 0)];
        let c = LogConfig {
            cleanup_policy: CleanupPolicy::Compact,
            ..config(1, 1)
        };
        assert!(segments_to_delete(&segs, &c, 1_000, 20, 20).is_empty());
    }

    #[test]
    fn infinite_retention_deletes_nothing() {
        let segs = [seg(0, 10, 0), seg(10, 10, 0)];
        assert!(segments_to_delete(&segs, &config(-1, -1), i64::MAX, 20, 20).is_empty());
    }
}
