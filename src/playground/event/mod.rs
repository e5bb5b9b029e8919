//! What happened in the playground, as typed events: the overview's timeline is a list of
//! these, and [`std::fmt::Display`] says each in the plain words the page shows.
//!
//! Owns the timeline's vocabulary and its wording. Must not decide when an event happens
//! (the engine records them as the broker, storage and the learner's actions report them).
//! Lines kept from an earlier visit stay text ([`Event::EarlierVisit`]): only their words
//! were kept. The words are read by transcripts and the e2e scripts: keep them as they are.

use std::fmt;

use crate::log::DeleteReason;
use crate::protocol::TopicPartition;

use super::engine::human_duration;
use super::sample_orders::grouped;
use super::sample_outcome::RunEnd;

mod storage;
pub use storage::StorageEvent;

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
    /// The produce form's record landed.
    Produced(ProducedTo),
    /// Storage told something: the open, a recovery, a failed flush or background load.
    Storage(StorageEvent),
    /// A sample run ended with every order it produced stored.
    SampleRun(RunEnd),
    /// An imported file's records are all stored.
    Imported {
        /// How many records.
        records: u64,
        /// The file's name.
        file_name: String,
        /// The topic.
        topic: String,
        /// The field the keys came from; `None` for null keys.
        key_field: Option<String>,
    },
    /// A script's producer (the JavaScript API) sent records.
    ScriptProduced {
        /// The producer's `client.id`.
        client_id: String,
        /// How many records it sent.
        records: usize,
        /// The topic.
        topic: String,
    },
}

/// Where the produce form's record went: the partitioner's choice and the offset, e.g.
/// `key 11599 → murmur2 → partition 1 of 3, offset 42`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducedTo {
    /// The topic.
    pub topic: String,
    /// The partitioner's choice and why, in its words.
    pub choice: String,
    /// The record's offset.
    pub offset: i64,
    /// True when the produce auto-created the topic.
    pub auto_created: bool,
}

impl fmt::Display for ProducedTo {
    /// What the form says: the choice, the offset, and the topic's auto-creation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, offset {}", self.choice, self.offset)?;
        if self.auto_created {
            write!(f, " (topic {} was auto-created)", self.topic)?;
        }
        Ok(())
    }
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
            Event::Produced(to) => write!(f, "Produced to {}: {to}", to.topic),
            Event::Storage(event) => event.fmt(f),
            Event::SampleRun(end) => end.fmt(f),
            Event::Imported {
                records,
                file_name,
                topic,
                key_field,
            } => {
                let records = grouped(*records);
                write!(f, "Imported {records} record(s) from {file_name} into {topic}, ")?;
                match key_field {
                    Some(field) => write!(f, "keyed by {field}."),
                    None => f.write_str("null keys."),
                }
            }
            Event::ScriptProduced {
                client_id,
                records,
                topic,
            } => write!(
                f,
                "{client_id} produced {records} record(s) to {topic} from JavaScript"
            ),
            Event::EarlierVisit(line) => f.write_str(line),
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
    fn a_produce_says_where_the_record_went_and_that_the_topic_was_auto_created() {
        let event = Event::Produced(ProducedTo {
            topic: "orders".to_owned(),
            choice: "key 11599 → murmur2 → partition 1 of 3".to_owned(),
            offset: 42,
            auto_created: true,
        });
        assert_eq!(
            event.to_string(),
            "Produced to orders: key 11599 → murmur2 → partition 1 of 3, offset 42 (topic orders was auto-created)"
        );
    }

    #[test]
    fn an_import_names_its_file_topic_and_key_field() {
        let imported = |key_field: Option<&str>| Event::Imported {
            records: 1500,
            file_name: "orders.jsonl".to_owned(),
            topic: "orders".to_owned(),
            key_field: key_field.map(str::to_owned),
        };
        assert_eq!(
            imported(Some("customer_id")).to_string(),
            "Imported 1,500 record(s) from orders.jsonl into orders, keyed by customer_id."
        );
        assert_eq!(
            imported(None).to_string(),
            "Imported 1,500 record(s) from orders.jsonl into orders, null keys."
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
