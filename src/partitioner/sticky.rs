//! Sticky partition choice for keyless records: the Java client's uniform sticky partitioner
//! (KIP-794) and librdkafka's time-based sticky random choice.
//!
//! Owns, per topic, which partition keyless records currently stick to and when to move on. Draws
//! come from a caller-supplied seedable [`fastrand::Rng`], so tests and replays are deterministic.
//! Must not read a clock (librdkafka's timing takes `now_ms` as an argument), must not hash keys,
//! and must not know about leaders or storage.

use std::collections::BTreeMap;

/// The Java producer's default `batch.size`: keyless records stick to one partition until this
/// many bytes went there.
pub const DEFAULT_BATCH_SIZE: u32 = 16_384;

/// librdkafka's default `sticky.partitioning.linger.ms` (2 × its default `linger.ms` of 5 ms).
pub const DEFAULT_STICKY_LINGER_MS: u64 = 10;

/// A uniformly random partition in `[0, num_partitions)`, drawn the way the Java client does
/// (`toPositive(nextInt()) % numPartitions`). `num_partitions` must be positive.
pub(crate) fn random_partition(rng: &mut fastrand::Rng, num_partitions: i32) -> i32 {
    let r = (rng.u32(..) & 0x7fff_ffff) as i32;
    r % num_partitions.max(1)
}

/// Where one keyless record went under the uniform sticky rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StickyChoice {
    /// The partition the record goes to.
    pub partition: i32,
    /// Bytes produced to this sticky partition, this record included.
    pub produced_bytes: u64,
    /// True when this record filled the batch: the next keyless record draws a new partition.
    pub switches_after: bool,
}

#[derive(Debug, Clone, Copy)]
struct StickyState {
    partition: i32,
    produced_bytes: u64,
}

/// The Java client's uniform sticky partitioner (`BuiltInPartitioner`, Kafka 3.3+).
///
/// Per topic, one sticky partition and the bytes produced to it. A record always goes to the
/// current sticky partition; once the bytes produced there reach `batch.size` a new partition is
/// drawn for the *next* record. Kafka switches when the batch is also ready to send (or at twice
/// `batch.size` regardless); Brooklet has no send loop, so it switches at `batch.size`.
///
/// The draw is uniform over all partitions and may pick the same partition again, as Kafka's does.
/// Adaptive partitioning (weighting by queue length) does not apply: there are no queues.
#[derive(Debug, Clone)]
pub struct UniformSticky {
    batch_size: u64,
    topics: BTreeMap<String, StickyState>,
}

impl Default for UniformSticky {
    fn default() -> Self {
        Self::new(DEFAULT_BATCH_SIZE)
    }
}

impl UniformSticky {
    /// A sticky partitioner switching after `batch_size` bytes (Kafka's `batch.size`). A
    /// `batch_size` of 0 behaves like 1: every record switches.
    pub fn new(batch_size: u32) -> Self {
        Self {
            batch_size: u64::from(batch_size.max(1)),
            topics: BTreeMap::new(),
        }
    }

    /// The `batch.size` in bytes after which the sticky partition changes.
    pub fn batch_size(&self) -> u64 {
        self.batch_size
    }

    /// The partition `topic`'s keyless records currently stick to, if one was drawn.
    pub fn current(&self, topic: &str) -> Option<i32> {
        self.topics.get(topic).map(|s| s.partition)
    }

    /// Forgets `topic`'s sticky partition (e.g. when the topic is deleted).
    pub fn forget(&mut self, topic: &str) {
        self.topics.remove(topic);
    }

    /// Chooses the partition for a keyless record of `record_size` bytes to `topic`, and counts
    /// the bytes. `num_partitions` must be positive (the caller checks).
    pub fn partition(
        &mut self,
        topic: &str,
        record_size: u64,
        num_partitions: i32,
        rng: &mut fastrand::Rng,
    ) -> StickyChoice {
        let mut state = match self.topics.get(topic) {
            // A partition beyond the count can only come from a shrunk topic (Kafka never
            // shrinks one, but a replayed scenario might): draw again rather than return it.
            Some(state) if state.partition < num_partitions => *state,
            _ => StickyState {
                partition: random_partition(rng, num_partitions),
                produced_bytes: 0,
            },
        };

        let partition = state.partition;
        state.produced_bytes = state.produced_bytes.saturating_add(record_size);
        let produced_bytes = state.produced_bytes;
        let switches_after = produced_bytes >= self.batch_size;
        if switches_after {
            // Kafka draws the next partition as soon as the batch is done, not on the next send.
            state = StickyState {
                partition: random_partition(rng, num_partitions),
                produced_bytes: 0,
            };
        }
        match self.topics.get_mut(topic) {
            Some(slot) => *slot = state,
            None => {
                self.topics.insert(topic.to_owned(), state);
            }
        }
        StickyChoice {
            partition,
            produced_bytes,
            switches_after,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct TimedState {
    partition: i32,
    since_ms: u64,
}

/// Where one keyless record went under librdkafka's time-based sticky rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedChoice {
    /// The partition the record goes to.
    pub partition: i32,
    /// True when this record caused a new draw.
    pub new_draw: bool,
}

/// librdkafka's sticky random choice for keyless records (`sticky.partitioning.linger.ms`).
///
/// Per topic, keep a random partition for `linger_ms` milliseconds from when it was drawn, then draw
/// again; `linger_ms = 0` draws for every record. Time is passed in; nothing here reads a clock.
#[derive(Debug, Clone)]
pub struct TimedSticky {
    linger_ms: u64,
    topics: BTreeMap<String, TimedState>,
}

impl Default for TimedSticky {
    fn default() -> Self {
        Self::new(DEFAULT_STICKY_LINGER_MS)
    }
}

impl TimedSticky {
    /// A time-based sticky choice keeping each partition for `linger_ms`.
    pub fn new(linger_ms: u64) -> Self {
        Self {
            linger_ms,
            topics: BTreeMap::new(),
        }
    }

    /// The configured `sticky.partitioning.linger.ms`.
    pub fn linger_ms(&self) -> u64 {
        self.linger_ms
    }

    /// Forgets `topic`'s sticky partition.
    pub fn forget(&mut self, topic: &str) {
        self.topics.remove(topic);
    }

    /// Chooses the partition for a keyless record to `topic` at `now_ms`. `num_partitions` must be
    /// positive (the caller checks).
    pub fn partition(
        &mut self,
        topic: &str,
        num_partitions: i32,
        now_ms: u64,
        rng: &mut fastrand::Rng,
    ) -> TimedChoice {
        if let Some(state) = self.topics.get(topic) {
            // librdkafka's rd_interval: keep while less than the interval has passed. A clock
            // that went backwards (a reset simulation) counts as no time passed.
            let elapsed = now_ms.saturating_sub(state.since_ms);
            if elapsed < self.linger_ms && state.partition < num_partitions {
                return TimedChoice {
                    partition: state.partition,
                    new_draw: false,
                };
            }
        }
        let partition = random_partition(rng, num_partitions);
        self.topics.insert(
            topic.to_owned(),
            TimedState {
                partition,
                since_ms: now_ms,
            },
        );
        TimedChoice {
            partition,
            new_draw: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_key_stays_on_one_partition_until_batch_size_bytes() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut sticky = UniformSticky::new(1000);
        let first = sticky.partition("t", 100, 6, &mut rng);
        for i in 2..=9 {
            let c = sticky.partition("t", 100, 6, &mut rng);
            assert_eq!(c.partition, first.partition);
            assert_eq!(c.produced_bytes, 100 * i);
            assert!(!c.switches_after);
        }
        let tenth = sticky.partition("t", 100, 6, &mut rng);
        assert_eq!(tenth.partition, first.partition);
        assert!(tenth.switches_after, "1000 bytes reached");
        let next = sticky.partition("t", 100, 6, &mut rng);
        assert_eq!(
            next.produced_bytes, 100,
            "a new batch starts counting from zero"
        );
    }

    #[test]
    fn each_topic_has_its_own_sticky_partition_and_byte_count() {
        let mut rng = fastrand::Rng::with_seed(1);
        let mut sticky = UniformSticky::new(500);
        sticky.partition("a", 400, 3, &mut rng);
        let b = sticky.partition("b", 400, 3, &mut rng);
        assert_eq!(b.produced_bytes, 400);
        assert!(!b.switches_after);
    }

    #[test]
    fn the_same_seed_gives_the_same_sticky_sequence() {
        let run = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut sticky = UniformSticky::new(10);
            (0..50)
                .map(|_| sticky.partition("t", 10, 8, &mut rng).partition)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
    }

    #[test]
    fn a_timed_sticky_partition_is_kept_for_linger_ms() {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut timed = TimedSticky::new(10);
        let first = timed.partition("t", 5, 1000, &mut rng);
        assert!(first.new_draw);
        let same = timed.partition("t", 5, 1009, &mut rng);
        assert_eq!(same.partition, first.partition);
        assert!(!same.new_draw);
        assert!(timed.partition("t", 5, 1010, &mut rng).new_draw);
    }

    #[test]
    fn a_zero_linger_draws_for_every_record() {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut timed = TimedSticky::new(0);
        for _ in 0..5 {
            assert!(timed.partition("t", 5, 1000, &mut rng).new_draw);
        }
    }

    #[test]
    fn a_sticky_partition_beyond_the_partition_count_is_redrawn() {
        let mut rng = fastrand::Rng::with_seed(9);
        let mut sticky = UniformSticky::new(1_000_000);
        for _ in 0..20 {
            sticky.partition("t", 1, 100, &mut rng);
        }
        assert!(sticky.partition("t", 1, 1, &mut rng).partition == 0);
    }
}
