//! Choosing a partition for a record the way Kafka's clients do.
//!
//! Owns murmur2 (the Java client), CRC32 "consistent" and FNV-1a (librdkafka), the sticky choice
//! for null keys, and a reason for each choice in words a learner can follow. Must not know about
//! topics' storage, the clock (time is passed in as `now_ms`) or any web API.
//!
//! An **explicit partition** on a record is honoured by the caller before asking a partitioner,
//! exactly as the Java producer does (rule 1 of `KafkaProducer.partition`);
//! [`PartitionChoice::explicit`] validates one and gives it a reason.

pub mod consistent;
pub mod fnv1a;
pub mod murmur2;
pub mod sticky;

use std::fmt;
use std::str::FromStr;

use crate::protocol::ErrorCode;

pub use sticky::{TimedSticky, UniformSticky, DEFAULT_BATCH_SIZE, DEFAULT_STICKY_LINGER_MS};

/// Which client's partitioning rules to follow, by the name users know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartitionerKind {
    /// `default`: the Java client's built-in partitioner (kafka-console-producer, Kafka Streams,
    /// kafkajs `DefaultPartitioner`): murmur2 for keys (empty keys too), uniform sticky for null keys.
    Default,
    /// librdkafka `consistent`: CRC32 for keys; null **and empty** keys go to partition 0.
    Consistent,
    /// librdkafka `consistent_random` (confluent-kafka-python's default): CRC32 for keys; null and
    /// empty keys get the time-based sticky random partition.
    ConsistentRandom,
    /// librdkafka `murmur2`: Java placement for keys; a null key is hashed as empty input.
    Murmur2,
    /// librdkafka `murmur2_random`: Java placement for keys (empty ones hashed); null keys get the
    /// time-based sticky random partition.
    Murmur2Random,
    /// librdkafka `fnv1a` (sarama's default hash): FNV-1a for keys; a null key is hashed as empty
    /// input.
    Fnv1a,
    /// librdkafka `fnv1a_random`: FNV-1a for keys (empty ones hashed); null keys get the
    /// time-based sticky random partition.
    Fnv1aRandom,
    /// librdkafka `random`: a random partition per keyed record; null keys sticky random.
    Random,
}

impl PartitionerKind {
    /// Every kind, in the order names are listed to users.
    pub const ALL: [PartitionerKind; 8] = [
        Self::Default,
        Self::Consistent,
        Self::ConsistentRandom,
        Self::Murmur2,
        Self::Murmur2Random,
        Self::Fnv1a,
        Self::Fnv1aRandom,
        Self::Random,
    ];

    /// The valid names, comma-separated, for help and error texts.
    pub fn valid_names() -> String {
        Self::ALL.map(Self::name).join(", ")
    }

    /// The name a user types to select this partitioner.
    pub fn name(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Consistent => "consistent",
            Self::ConsistentRandom => "consistent_random",
            Self::Murmur2 => "murmur2",
            Self::Murmur2Random => "murmur2_random",
            Self::Fnv1a => "fnv1a",
            Self::Fnv1aRandom => "fnv1a_random",
            Self::Random => "random",
        }
    }

    /// A one-line description for pickers and help text.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Default => "Java client: murmur2 for keys, sticky for null keys (~16 KB per partition)",
            Self::Consistent => "librdkafka: CRC32 for keys, partition 0 for null or empty keys",
            Self::ConsistentRandom => {
                "librdkafka default (confluent-kafka-python): CRC32 for keys, sticky random for null or empty keys"
            }
            Self::Murmur2 => "librdkafka: Java-compatible murmur2, null keys hashed as empty",
            Self::Murmur2Random => "librdkafka: Java-compatible murmur2, sticky random for null keys",
            Self::Fnv1a => "librdkafka: FNV-1a (sarama's default hash), null keys hashed as empty",
            Self::Fnv1aRandom => "librdkafka: FNV-1a (sarama's default hash), sticky random for null keys",
            Self::Random => "librdkafka: a random partition per keyed record, sticky random for null keys",
        }
    }
}

impl fmt::Display for PartitionerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PartitionerKind {
    type Err = PartitionerError;

    /// Parses a partitioner name. `DefaultPartitioner`, `java` and `builtin` are accepted as
    /// aliases of `default`; names are matched without regard to case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        if matches!(
            wanted.as_str(),
            "defaultpartitioner" | "java" | "builtin" | "built-in"
        ) {
            return Ok(Self::Default);
        }
        Self::ALL
            .into_iter()
            .find(|k| k.name() == wanted)
            .ok_or_else(|| PartitionerError::UnknownPartitioner { name: s.to_owned() })
    }
}

/// What can go wrong choosing a partition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartitionerError {
    /// The partitioner name is not one Brooklet knows.
    #[error(
        "Unknown partitioner '{name}'. Valid names: {}",
        PartitionerKind::valid_names()
    )]
    UnknownPartitioner {
        /// The name as given.
        name: String,
    },
    /// The topic reported no partitions, so there is nothing to choose from.
    #[error(
        "Topic '{topic}' has {num_partitions} partitions; a record needs at least one to go to"
    )]
    NoPartitions {
        /// The topic.
        topic: String,
        /// The count given.
        num_partitions: i32,
    },
    /// An explicit partition outside the topic.
    #[error(
        "Partition {partition} of topic '{topic}' does not exist: it has {num_partitions} partition(s), numbered 0 to {last}",
        last = num_partitions.saturating_sub(1)
    )]
    PartitionOutOfRange {
        /// The topic.
        topic: String,
        /// The partition asked for.
        partition: i32,
        /// The topic's partition count.
        num_partitions: i32,
    },
}

impl PartitionerError {
    /// The Kafka error this corresponds to.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Self::UnknownPartitioner { .. } => ErrorCode::InvalidConfig,
            Self::NoPartitions { .. } | Self::PartitionOutOfRange { .. } => {
                ErrorCode::UnknownTopicOrPartition
            }
        }
    }
}

/// The hash that placed a keyed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHash {
    /// The Java client's murmur2 (sign bit cleared).
    Murmur2,
    /// The zlib CRC-32, unsigned.
    Crc32,
    /// FNV-1a with sarama's sign handling.
    Fnv1a,
}

impl fmt::Display for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Murmur2 => "murmur2",
            Self::Crc32 => "crc32",
            Self::Fnv1a => "fnv1a",
        })
    }
}

/// Why a record went to its partition, for the produce panel and the event timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionReason {
    /// The producer named the partition.
    Explicit,
    /// The key was hashed: `hash_value % num_partitions`.
    KeyHashed {
        /// The key as shown to the user (text, or hex for binary keys), shortened.
        key: String,
        /// The hash used.
        hash: KeyHash,
        /// The non-negative hash value that was reduced modulo the partition count.
        hash_value: u32,
        /// True when the key was null and hashed as empty input (librdkafka `murmur2`).
        null_hashed_as_empty: bool,
    },
    /// librdkafka `consistent` sends null and empty keys to partition 0.
    KeylessToPartitionZero {
        /// True for a null key, false for an empty one.
        null: bool,
    },
    /// The Java uniform sticky partitioner for a null key.
    Sticky {
        /// Bytes produced to this sticky partition, this record included.
        produced_bytes: u64,
        /// `batch.size`.
        batch_size: u64,
        /// True when this record filled the batch and the next keyless record moves on.
        switches_after: bool,
    },
    /// librdkafka's time-based sticky random choice for a null (or, for `consistent_random`,
    /// empty) key.
    StickyRandom {
        /// True for a null key, false for an empty one.
        null: bool,
        /// `sticky.partitioning.linger.ms`.
        linger_ms: u64,
        /// True when this record caused a new draw.
        new_draw: bool,
    },
    /// librdkafka `random` for a keyed record.
    Random {
        /// The key as shown to the user, shortened.
        key: String,
    },
}

/// A chosen partition and the reason for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionChoice {
    /// The partition the record goes to, in `[0, num_partitions)`.
    pub partition: i32,
    /// The partition count the choice was made against.
    pub num_partitions: i32,
    /// Why.
    pub reason: PartitionReason,
}

impl PartitionChoice {
    /// Honours a partition the producer set on the record, after checking it exists.
    pub fn explicit(
        topic: &str,
        partition: i32,
        num_partitions: i32,
    ) -> Result<Self, PartitionerError> {
        if num_partitions <= 0 {
            return Err(PartitionerError::NoPartitions {
                topic: topic.to_owned(),
                num_partitions,
            });
        }
        if !(0..num_partitions).contains(&partition) {
            return Err(PartitionerError::PartitionOutOfRange {
                topic: topic.to_owned(),
                partition,
                num_partitions,
            });
        }
        Ok(Self {
            partition,
            num_partitions,
            reason: PartitionReason::Explicit,
        })
    }
}

impl fmt::Display for PartitionChoice {
    /// A sentence for a learner, e.g. `key 11599 → murmur2 → partition 1 of 3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, n) = (self.partition, self.num_partitions);
        match &self.reason {
            PartitionReason::Explicit => write!(f, "partition {p} of {n}, set by the producer"),
            PartitionReason::KeyHashed {
                hash,
                null_hashed_as_empty: true,
                ..
            } => write!(f, "no key → {hash} of empty input → partition {p} of {n}"),
            PartitionReason::KeyHashed { key, hash, .. } => {
                write!(f, "key {key} → {hash} → partition {p} of {n}")
            }
            PartitionReason::KeylessToPartitionZero { null } => write!(
                f,
                "{} → consistent → partition 0 of {n} (keyless records always go to partition 0)",
                if *null { "no key" } else { "empty key" }
            ),
            PartitionReason::Sticky {
                batch_size,
                switches_after: false,
                ..
            } => write!(
                f,
                "no key → sticky partition {p} (switches after {batch_size} bytes)"
            ),
            PartitionReason::Sticky { batch_size, .. } => write!(
                f,
                "no key → sticky partition {p} ({batch_size} bytes reached: the next keyless record draws a new partition)"
            ),
            PartitionReason::StickyRandom {
                null, linger_ms, ..
            } => {
                let what = if *null { "no key" } else { "empty key" };
                if *linger_ms == 0 {
                    write!(f, "{what} → random partition {p} of {n} (a new draw per record)")
                } else {
                    write!(
                        f,
                        "{what} → sticky random partition {p} of {n} (kept for {linger_ms} ms)"
                    )
                }
            }
            PartitionReason::Random { key } => {
                write!(f, "key {key} → random → partition {p} of {n}")
            }
        }
    }
}

/// How many bytes of a key the reason text shows.
const KEY_PREVIEW_BYTES: usize = 32;

/// A key as a learner should see it: plain when it is simple text, quoted when it has spaces or
/// is empty, hex when it is not UTF-8; shortened with `…` past [`KEY_PREVIEW_BYTES`].
pub fn key_preview(key: &[u8]) -> String {
    let (shown, cut) = if key.len() > KEY_PREVIEW_BYTES {
        (&key[..KEY_PREVIEW_BYTES], true)
    } else {
        (key, false)
    };
    let ellipsis = if cut { "…" } else { "" };
    // Fast path for the common case (ids like `customer-11599`): plain ASCII shown as is.
    if !shown.is_empty()
        && shown
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b.is_ascii_punctuation())
    {
        if let Ok(t) = std::str::from_utf8(shown) {
            let mut out = String::with_capacity(t.len() + ellipsis.len());
            out.push_str(t);
            out.push_str(ellipsis);
            return out;
        }
    }
    // A cut may split a UTF-8 character: keep the valid prefix.
    let text = match std::str::from_utf8(shown) {
        Ok(t) => Some(t),
        Err(e) if cut && e.error_len().is_none() => {
            std::str::from_utf8(&shown[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    match text {
        Some(t)
            if !t.is_empty()
                && t.chars()
                    .all(|c| c.is_alphanumeric() || c.is_ascii_punctuation()) =>
        {
            format!("{t}{ellipsis}")
        }
        Some(t) => format!("{t:?}{ellipsis}"),
        None => {
            let hex: String = shown.iter().map(|b| format!("{b:02x}")).collect();
            format!("0x{hex}{ellipsis}")
        }
    }
}

/// A partitioner with its state: the rules of one [`PartitionerKind`], the sticky partitions of
/// keyless records per topic, and a seedable random source.
///
/// ```
/// use brooklet::partitioner::{Partitioner, PartitionerKind};
/// let mut p = Partitioner::new(PartitionerKind::Default, 42);
/// let choice = p.partition("orders", Some(b"11599"), 100, 3, 0).unwrap();
/// assert_eq!(choice.to_string(), format!("key 11599 → murmur2 → partition {} of 3", choice.partition));
/// ```
#[derive(Debug, Clone)]
pub struct Partitioner {
    kind: PartitionerKind,
    uniform: UniformSticky,
    timed: TimedSticky,
    rng: fastrand::Rng,
}

impl Partitioner {
    /// A partitioner following `kind`, with Kafka's defaults (`batch.size` 16384,
    /// `sticky.partitioning.linger.ms` 10) and random draws seeded by `seed`.
    pub fn new(kind: PartitionerKind, seed: u64) -> Self {
        Self {
            kind,
            uniform: UniformSticky::default(),
            timed: TimedSticky::default(),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// A partitioner chosen by name (see [`PartitionerKind::from_str`]), seeded by `seed`.
    pub fn from_name(name: &str, seed: u64) -> Result<Self, PartitionerError> {
        Ok(Self::new(name.parse()?, seed))
    }

    /// Sets the Java producer's `batch.size` (bytes a keyless sticky partition takes before a switch).
    pub fn with_batch_size(mut self, batch_size: u32) -> Self {
        self.uniform = UniformSticky::new(batch_size);
        self
    }

    /// Sets librdkafka's `sticky.partitioning.linger.ms`.
    pub fn with_sticky_linger_ms(mut self, linger_ms: u64) -> Self {
        self.timed = TimedSticky::new(linger_ms);
        self
    }

    /// The rules this partitioner follows.
    pub fn kind(&self) -> PartitionerKind {
        self.kind
    }

    /// The Java `batch.size` in force.
    pub fn batch_size(&self) -> u64 {
        self.uniform.batch_size()
    }

    /// Forgets `topic`'s sticky state (call when the topic is deleted).
    pub fn forget_topic(&mut self, topic: &str) {
        self.uniform.forget(topic);
        self.timed.forget(topic);
    }

    /// Chooses the partition for a record to `topic` with `key` (None = null key) whose size in
    /// the batch is `record_size` bytes, among `num_partitions`, at `now_ms` (only librdkafka's
    /// sticky timing reads it). Records with an explicit partition must not come here: see
    /// [`PartitionChoice::explicit`].
    pub fn partition(
        &mut self,
        topic: &str,
        key: Option<&[u8]>,
        record_size: u64,
        num_partitions: i32,
        now_ms: u64,
    ) -> Result<PartitionChoice, PartitionerError> {
        if num_partitions <= 0 {
            return Err(PartitionerError::NoPartitions {
                topic: topic.to_owned(),
                num_partitions,
            });
        }
        let n = num_partitions;
        let choice = |partition: i32, reason: PartitionReason| PartitionChoice {
            partition,
            num_partitions: n,
            reason,
        };
        let murmur = |k: &[u8], null_hashed_as_empty: bool| {
            let hash_value = murmur2::to_positive(murmur2::murmur2(k));
            choice(
                hash_value % n,
                PartitionReason::KeyHashed {
                    key: key_preview(k),
                    hash: KeyHash::Murmur2,
                    hash_value: hash_value as u32,
                    null_hashed_as_empty,
                },
            )
        };
        let crc = |k: &[u8]| {
            let hash_value = consistent::crc32(k);
            // n > 0 was checked, so the remainder fits in i32.
            let partition = (hash_value % n as u32) as i32;
            choice(
                partition,
                PartitionReason::KeyHashed {
                    key: key_preview(k),
                    hash: KeyHash::Crc32,
                    hash_value,
                    null_hashed_as_empty: false,
                },
            )
        };

        // librdkafka (rdkafka_msg.c, rd_kafka_msg_partitioner) sends a NULL key, and for
        // consistent_random an empty one, to the sticky partition unless the partitioner is
        // consistent, murmur2 or fnv1a (or the linger is 0); those hash the absent key as empty
        // input, so consistent gives CRC32("") = 0 → partition 0.
        let fnv = |k: &[u8], null_hashed_as_empty: bool| {
            let hash_value = fnv1a::fnv1a(k);
            // n > 0 was checked, so the remainder fits in i32.
            let partition = (hash_value % n as u32) as i32;
            choice(
                partition,
                PartitionReason::KeyHashed {
                    key: key_preview(k),
                    hash: KeyHash::Fnv1a,
                    hash_value,
                    null_hashed_as_empty,
                },
            )
        };

        let result = match (self.kind, key) {
            (PartitionerKind::Default, Some(k)) => murmur(k, false),
            (PartitionerKind::Default, None) => {
                let c = self.uniform.partition(topic, record_size, n, &mut self.rng);
                choice(
                    c.partition,
                    PartitionReason::Sticky {
                        produced_bytes: c.produced_bytes,
                        batch_size: self.uniform.batch_size(),
                        switches_after: c.switches_after,
                    },
                )
            }
            (PartitionerKind::Consistent, Some(k)) if !k.is_empty() => crc(k),
            (PartitionerKind::Consistent, k) => choice(
                0,
                PartitionReason::KeylessToPartitionZero { null: k.is_none() },
            ),
            (PartitionerKind::ConsistentRandom, Some(k)) if !k.is_empty() => crc(k),
            (PartitionerKind::Murmur2, Some(k)) => murmur(k, false),
            (PartitionerKind::Murmur2, None) => murmur(b"", true),
            (PartitionerKind::Murmur2Random, Some(k)) => murmur(k, false),
            (PartitionerKind::Fnv1a, Some(k)) | (PartitionerKind::Fnv1aRandom, Some(k)) => {
                fnv(k, false)
            }
            (PartitionerKind::Fnv1a, None) => fnv(b"", true),
            (PartitionerKind::Random, Some(k)) if !k.is_empty() => {
                let p = sticky::random_partition(&mut self.rng, n);
                choice(
                    p,
                    PartitionReason::Random {
                        key: key_preview(k),
                    },
                )
            }
            (PartitionerKind::Random, Some(k)) => {
                // librdkafka's `random` draws per record for an empty key too (only NULL is sticky).
                let p = sticky::random_partition(&mut self.rng, n);
                choice(
                    p,
                    PartitionReason::Random {
                        key: key_preview(k),
                    },
                )
            }
            // consistent_random (null or empty key); murmur2_random, fnv1a_random, random (null key).
            (_, k) => {
                let c = self.timed.partition(topic, n, now_ms, &mut self.rng);
                choice(
                    c.partition,
                    PartitionReason::StickyRandom {
                        null: k.is_none(),
                        linger_ms: self.timed.linger_ms(),
                        new_draw: c.new_draw,
                    },
                )
            }
        };
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partitioner_name_parses_back_to_itself() {
        for kind in PartitionerKind::ALL {
            assert_eq!(kind.name().parse::<PartitionerKind>(), Ok(kind));
        }
    }

    #[test]
    fn a_partitioner_is_chosen_by_the_name_users_know() {
        let p = Partitioner::from_name("consistent_random", 0).unwrap();
        assert_eq!(p.kind(), PartitionerKind::ConsistentRandom);
        assert_eq!(
            Partitioner::from_name("DefaultPartitioner", 0)
                .unwrap()
                .kind(),
            PartitionerKind::Default
        );
        assert!(Partitioner::from_name("round_robin", 0).is_err());
    }

    #[test]
    fn an_unknown_partitioner_name_lists_the_valid_ones() {
        let err = "fnv".parse::<PartitionerKind>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "Unknown partitioner 'fnv'. Valid names: default, consistent, consistent_random, murmur2, murmur2_random, fnv1a, fnv1a_random, random"
        );
        assert_eq!(err.error_code(), ErrorCode::InvalidConfig);
    }

    #[test]
    fn a_keyed_choice_explains_itself_as_key_hash_partition() {
        let mut p = Partitioner::new(PartitionerKind::Default, 1);
        let c = p.partition("orders", Some(b"foo"), 10, 100, 0).unwrap();
        assert_eq!(c.to_string(), "key foo → murmur2 → partition 16 of 100");
    }

    #[test]
    fn a_null_key_choice_explains_the_sticky_rule() {
        let mut p = Partitioner::new(PartitionerKind::Default, 1);
        let c = p.partition("orders", None, 10, 3, 0).unwrap();
        assert_eq!(
            c.to_string(),
            format!(
                "no key → sticky partition {} (switches after 16384 bytes)",
                c.partition
            )
        );
    }

    #[test]
    fn an_explicit_partition_outside_the_topic_is_refused() {
        let err = PartitionChoice::explicit("t", 3, 3).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Partition 3 of topic 't' does not exist: it has 3 partition(s), numbered 0 to 2"
        );
        assert_eq!(PartitionChoice::explicit("t", 2, 3).unwrap().partition, 2);
    }

    #[test]
    fn key_previews_are_plain_quoted_or_hex() {
        assert_eq!(key_preview(b"customer-11599"), "customer-11599");
        assert_eq!(key_preview(b""), "\"\"");
        assert_eq!(key_preview(b"a b"), "\"a b\"");
        assert_eq!(key_preview(&[0xff, 0x00]), "0xff00");
        assert_eq!(key_preview(&[b'x'; 40]), format!("{}…", "x".repeat(32)));
    }

    #[test]
    fn a_topic_without_partitions_is_an_error_not_a_panic() {
        let mut p = Partitioner::new(PartitionerKind::ConsistentRandom, 1);
        assert!(p.partition("t", Some(b"k"), 1, 0, 0).is_err());
    }
}
