//! Reading the playground's topics as Spark's Kafka connector does: which partitions a
//! strategy names, their earliest and latest offsets (the admin client's `listOffsets`), and
//! the records of an offset range through a consumer with `assign` and `seek` (no group).
//!
//! A range may not be readable at once in the browser, where cold batches come back from
//! storage on demand: [`read_ranges`] then says [`ReadOutcome::Waiting`] and the caller tries
//! again on its next tick. Nothing here waits.

use crate::client::{Consumer, TopicPattern};
use crate::client::{ConsumerConfig, ConsumerRecord, SharedBroker, SharedGroups};
use crate::log::partition_log::OffsetSpec;
use crate::protocol::TopicPartition;

use super::offsets::PartitionOffsets;
use super::options::Strategy;

/// A half-open range of offsets `[from, until)` of one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetRange {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The first offset read.
    pub from: i64,
    /// The offset after the last one read.
    pub until: i64,
}

/// What reading ranges gave.
#[derive(Debug)]
pub enum ReadOutcome {
    /// Every record of the ranges, partition by partition in offset order.
    Done(Vec<ConsumerRecord>),
    /// Some of the ranges' batches are still in storage; try again later.
    Waiting,
}

/// A range that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Offsets that are gone (retention, a deleted topic) while `failOnDataLoss` is true:
    /// Spark's text.
    #[error("Cannot fetch offset {offset} (TopicPartition: {topic}-{partition}). Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you don't want your streaming query to fail on such cases, set the source option \"failOnDataLoss\" to \"false\".")]
    DataLoss {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// The first offset that is gone.
        offset: i64,
    },
    /// The consumer refused (an unknown topic, a closed client).
    #[error("{0}")]
    Consumer(String),
}

/// The partitions a strategy reads now, by topic then partition. `subscribe` skips topics
/// that do not exist yet (Spark's source waits for them), `assign` keeps exactly its list.
pub fn partitions_of(broker: &SharedBroker, strategy: &Strategy) -> Vec<(String, i32)> {
    let b = broker.borrow();
    let mut out: Vec<(String, i32)> = match strategy {
        Strategy::Assign(list) => list.clone(),
        Strategy::Subscribe(topics) => topics
            .iter()
            .filter_map(|t| b.topic(t).map(|topic| (t.clone(), topic.partition_count())))
            .flat_map(|(t, n)| (0..n).map(move |p| (t.clone(), p)))
            .collect(),
        Strategy::SubscribePattern(pattern) => match TopicPattern::new(pattern) {
            Ok(re) => b
                .topics()
                .filter(|t| !t.name.starts_with("__") && re.matches(&t.name))
                .flat_map(|t| (0..t.partition_count()).map(move |p| (t.name.clone(), p)))
                .collect(),
            Err(_) => Vec::new(),
        },
    };
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// Each partition's earliest (`earliest = true`) or latest offset. A partition the broker does
/// not know is left out.
pub fn offsets_of(
    broker: &SharedBroker,
    partitions: &[(String, i32)],
    earliest: bool,
) -> PartitionOffsets {
    let b = broker.borrow();
    let spec = if earliest {
        OffsetSpec::Earliest
    } else {
        OffsetSpec::Latest
    };
    let mut out = PartitionOffsets::default();
    for (topic, partition) in partitions {
        if let Ok(Some(found)) = b.list_offsets(topic, *partition, spec) {
            out.set(topic, *partition, found.offset);
        }
    }
    out
}

/// Reads every record of `ranges`. Offsets below a partition's log start are data loss: an
/// error when `fail_on_data_loss`, else skipped (Spark logs a warning and goes on).
pub fn read_ranges(
    broker: &SharedBroker,
    groups: &SharedGroups,
    ranges: &[OffsetRange],
    fail_on_data_loss: bool,
) -> Result<ReadOutcome, SourceError> {
    let wanted: Vec<&OffsetRange> = ranges.iter().filter(|r| r.from < r.until).collect();
    if wanted.is_empty() {
        return Ok(ReadOutcome::Done(Vec::new()));
    }
    let config = ConsumerConfig {
        client_id: Some("spark-kafka-source-executor".to_string()),
        enable_auto_commit: false,
        max_poll_records: 10_000,
        ..ConsumerConfig::default()
    };
    let mut consumer = Consumer::new(
        SharedBroker::clone(broker),
        SharedGroups::clone(groups),
        config,
    );
    let tps: Vec<TopicPartition> = wanted
        .iter()
        .map(|r| TopicPartition::new(&r.topic, r.partition))
        .collect();
    let refused = |e: crate::client::ConsumerError| SourceError::Consumer(e.to_string());
    consumer.assign(&tps).map_err(refused)?;
    let earliest = offsets_of(
        broker,
        &wanted
            .iter()
            .map(|r| (r.topic.clone(), r.partition))
            .collect::<Vec<_>>(),
        true,
    );
    for (tp, range) in tps.iter().zip(&wanted) {
        let start = earliest
            .get(&range.topic, range.partition)
            .unwrap_or(range.from);
        if start > range.from && fail_on_data_loss {
            return Err(SourceError::DataLoss {
                topic: range.topic.clone(),
                partition: range.partition,
                offset: range.from,
            });
        }
        consumer.seek(tp, range.from.max(start)).map_err(refused)?;
    }
    let mut records = Vec::new();
    let mut open: Vec<&OffsetRange> = wanted.clone();
    // Every poll either returns records (moving some position towards its end) or nothing;
    // nothing with ranges still open means their batches are in storage.
    loop {
        open.retain(|r| {
            let tp = TopicPartition::new(&r.topic, r.partition);
            consumer.positions().get(&tp).is_none_or(|&p| p < r.until)
        });
        if open.is_empty() {
            break;
        }
        let polled = consumer.poll().map_err(refused)?;
        if polled.is_empty() {
            let _ = consumer.close();
            return Ok(ReadOutcome::Waiting);
        }
        records.extend(polled.into_iter().filter(|rec| {
            wanted.iter().any(|r| {
                r.topic == rec.topic
                    && r.partition == rec.partition
                    && (r.from..r.until).contains(&rec.offset)
            })
        }));
    }
    let _ = consumer.close();
    crate::sort::sort_by(&mut records, |a, b| {
        (&a.topic, a.partition, a.offset).cmp(&(&b.topic, b.partition, b.offset))
    });
    Ok(ReadOutcome::Done(records))
}
