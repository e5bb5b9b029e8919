//! What happened in the playground, as typed events: the overview's timeline is a list of
//! these, and [`std::fmt::Display`] says each in the plain words the page shows.
//!
//! Owns the timeline's vocabulary and its wording. Must not decide when an event happens
//! (the engine records them as the broker, storage and the learner's actions report them).
//! Lines kept from an earlier visit stay text ([`Event::EarlierVisit`]): only their words
//! were kept.

use std::fmt;

use crate::log::DeleteReason;
use crate::protocol::TopicPartition;

use super::engine::human_duration;

/// The line between an earlier visit's timeline and this one's.
pub const RELOADED_LINE: &str =
    "The page was reloaded: the lines before this one are from the earlier visit";

/// One thing that happened, oldest first in the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A topic was created.
    TopicCreated {
        /// Its name.
        topic: String,
        /// Its partition count.
        partitions: i32,
    },
    /// A topic was deleted with its data.
    TopicDeleted {
        /// Its name.
        topic: String,
    },
    /// A topic grew.
    PartitionsAdded {
        /// The topic.
        topic: String,
        /// Partitions before.
        from: i32,
        /// Partitions after.
        to: i32,
    },
    /// A topic's config overrides changed.
    ConfigsChanged {
        /// The topic.
        topic: String,
        /// The overrides now in force, `k=v` joined by `,`.
        overrides: String,
    },
    /// A partition's log rolled a new segment.
    SegmentRolled {
        /// The partition.
        partition: TopicPartition,
        /// The new segment's base offset.
        base_offset: i64,
    },
    /// Retention (or truncation) deleted a segment.
    SegmentDeleted {
        /// The partition.
        partition: TopicPartition,
        /// The deleted segment's base offset.
        base_offset: i64,
        /// Why.
        reason: DeleteReason,
    },
    /// The log cleaner compacted a segment.
    SegmentCompacted {
        /// The partition.
        partition: TopicPartition,
        /// The segment's base offset.
        base_offset: i64,
        /// Superseded records removed.
        records_removed: i64,
    },
    /// The learner fast-forwarded the clock and the log cleaner ran.
    FastForwarded {
        /// How far, in ms.
        ms: i64,
        /// How many changes the cleaner made (told as their own events).
        cleaner_changes: usize,
        /// Partitions that could not be compacted, and why.
        failures: Vec<(TopicPartition, String)>,
    },
    /// The tab turned read-only (another tab took the playground over), and why.
    ReadOnly {
        /// Why, in the banner's words.
        reason: String,
    },
    /// The page was reloaded: the lines before are from the earlier visit.
    Reloaded,
    /// A line an earlier visit kept (only its words were kept).
    EarlierVisit(String),
    /// A line storage, recovery, a producer or a panel told in its own words (what recovery
    /// dropped, a failed flush, a produce and where it went, a finished sample run).
    Told(String),
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::TopicCreated { topic, partitions } => {
                write!(f, "Topic {topic} created with {partitions} partition(s)")
            }
            Event::TopicDeleted { topic } => write!(f, "Topic {topic} deleted with all its data"),
            Event::PartitionsAdded { topic, from, to } => {
                write!(f, "Topic {topic} grew from {from} to {to} partitions")
            }
            Event::ConfigsChanged { topic, overrides } => {
                write!(f, "Configs of {topic} are now: {overrides}")
            }
            Event::SegmentRolled {
                partition,
                base_offset,
            } => write!(f, "{partition} rolled a new segment at offset {base_offset}"),
            Event::SegmentDeleted {
                partition,
                base_offset,
                reason,
            } => write!(f, "{partition}: segment {base_offset} deleted ({reason:?})"),
            Event::SegmentCompacted {
                partition,
                base_offset,
                records_removed,
            } => write!(
                f,
                "{partition}: segment {base_offset} compacted, {records_removed} superseded record(s) removed"
            ),
            Event::FastForwarded {
                ms,
                cleaner_changes,
                failures,
            } => {
                write!(f, "Jumped {} ahead. ", human_duration(*ms))?;
                match cleaner_changes {
                    0 => write!(f, "The log cleaner found nothing to delete or compact.")?,
                    n => write!(f, "The log cleaner made {n} change(s): see the timeline.")?,
                }
                for (partition, error) in failures {
                    write!(f, " {partition} could not be compacted: {error}")?;
                }
                Ok(())
            }
            Event::ReadOnly { reason } => f.write_str(reason),
            Event::Reloaded => f.write_str(RELOADED_LINE),
            Event::EarlierVisit(line) | Event::Told(line) => f.write_str(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_event_names_its_partition_as_kafka_writes_it() {
        let event = Event::SegmentRolled {
            partition: TopicPartition::new("orders".to_owned(), 2),
            base_offset: 40,
        };
        assert_eq!(
            event.to_string(),
            "orders-2 rolled a new segment at offset 40"
        );
    }

    #[test]
    fn a_fast_forward_lists_each_partition_the_cleaner_could_not_compact() {
        let event = Event::FastForwarded {
            ms: 3_600_000,
            cleaner_changes: 0,
            failures: vec![(TopicPartition::new("t".to_owned(), 0), "cold".to_owned())],
        };
        assert_eq!(
            event.to_string(),
            "Jumped 1 hour ahead. The log cleaner found nothing to delete or compact. t-0 could not be compacted: cold"
        );
    }
}
