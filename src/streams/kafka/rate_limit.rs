//! `maxOffsetsPerTrigger`: how a micro-batch's end offsets are cut to a limit, as Spark's
//! `KafkaMicroBatchStream.rateLimit` cuts them.
//!
//! Each partition gets a share of the limit in proportion to its unread offsets, rounded down —
//! except that a share below one rounds up, so that no partition with unread data is starved.
//! So a batch may read more than the limit when more partitions hold data than the limit allows
//! (Spark does the same).

use super::offsets::PartitionOffsets;

/// The end offsets of the next batch: `latest` cut to at most about `limit` offsets past
/// `from`. A partition missing from `from` starts at its entry in `earliest`.
pub fn rate_limit(
    limit: i64,
    from: &PartitionOffsets,
    latest: &PartitionOffsets,
    earliest: &PartitionOffsets,
) -> PartitionOffsets {
    let begin_of = |tp: &(String, i32)| from.0.get(tp).or_else(|| earliest.0.get(tp)).copied();
    let sizes: Vec<((String, i32), i64)> = latest
        .0
        .iter()
        .filter_map(|(tp, end)| {
            let size = end - begin_of(tp)?;
            (size > 0).then(|| (tp.clone(), size))
        })
        .collect();
    let total: f64 = sizes.iter().map(|(_, size)| *size as f64).sum();
    if total < 1.0 {
        return latest.clone();
    }
    let mut out = latest.clone();
    for (tp, size) in sizes {
        let (Some(begin), Some(end)) = (begin_of(&tp), latest.0.get(&tp).copied()) else {
            continue;
        };
        let prorate = limit as f64 * (size as f64 / total);
        let share = if prorate < 1.0 {
            prorate.ceil()
        } else {
            prorate.floor()
        } as i64;
        out.0.insert(tp, end.min(begin.saturating_add(share)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(entries: &[(i32, i64)]) -> PartitionOffsets {
        let mut o = PartitionOffsets::default();
        for &(p, off) in entries {
            o.set("t1", p, off);
        }
        o
    }

    #[test]
    fn the_limit_is_shared_in_proportion_to_each_partitions_backlog() {
        let from = offsets(&[(0, 0), (1, 0)]);
        let latest = offsets(&[(0, 300), (1, 100)]);
        let end = rate_limit(50, &from, &latest, &PartitionOffsets::default());
        assert_eq!(end, offsets(&[(0, 37), (1, 12)]));
    }

    #[test]
    fn a_small_partition_still_advances_by_one() {
        let from = offsets(&[(0, 0), (1, 0)]);
        let latest = offsets(&[(0, 10_000), (1, 1)]);
        let end = rate_limit(10, &from, &latest, &PartitionOffsets::default());
        assert_eq!(end.get("t1", 1), Some(1));
        assert_eq!(end.get("t1", 0), Some(9));
    }

    #[test]
    fn a_new_partition_starts_at_its_earliest_offset() {
        let from = offsets(&[(0, 5)]);
        let latest = offsets(&[(0, 5), (1, 120)]);
        let earliest = offsets(&[(1, 100)]);
        let end = rate_limit(10, &from, &latest, &earliest);
        assert_eq!(end, offsets(&[(0, 5), (1, 110)]));
    }
}
