//! The stored layout: chunk keys and metadata records, byte for byte.
//!
//! Owns every byte Brooklet stores outside the batch codec (the log's `batch.rs` owns a
//! chunk's value: one Kafka v2 record batch, stored as is). Chunk keys are fixed-width
//! big-endian with a leading version byte; metadata records are versioned JSON. A stored
//! chunk key (version 2) is the chunk key followed by the batch's manifest entry (a
//! [`BatchSummary`] read from its header), so the keys alone tell a lazy open every batch's
//! offsets, size and timestamp; version 1 keys (no manifest) are still read. Nothing here
//! is `usize`. Must not hold storage handles or decide what to write.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::StorageError;
use crate::broker::restore::{ClusterSnapshot, PartitionSnapshot, TopicSnapshot};
use crate::log::BatchSummary;
use crate::protocol::TopicId;

/// The version byte that starts every chunk key.
pub const CHUNK_KEY_VERSION: u8 = 1;
/// The version byte of a stored chunk key that carries the batch's manifest entry.
pub const STORED_KEY_VERSION: u8 = 2;
/// Bytes in a version 2 stored key: the chunk key's fields, a "has manifest" flag, last
/// offset, record count, max timestamp, size.
pub const STORED_KEY_LEN: usize = CHUNK_KEY_LEN + 1 + 8 + 4 + 8 + 4;
/// The version every metadata record carries in its `"v"` field.
pub const METADATA_VERSION: u32 = 1;
/// Bytes in an encoded chunk key: version, topic id, partition, segment base, batch base.
pub const CHUNK_KEY_LEN: usize = 1 + 16 + 4 + 8 + 8;
/// The metadata key of the cluster record.
pub const CLUSTER_KEY: &str = "cluster";
/// The metadata key of the owner epoch (decimal text), which a store keeps apart from the
/// broker's records ([`super::StoredState::owner_epoch`]).
pub const OWNER_KEY: &str = "owner-epoch";
/// The prefix of a topic record's key, followed by the topic id's text.
pub const TOPIC_KEY_PREFIX: &str = "topic/";

/// The prefix of the records the application above the broker keeps beside its metadata (the
/// Spark catalog's tables and checkpoints), which storage stores as they are.
pub const APP_KEY_PREFIX: &str = "app/";

/// Where one chunk lives: its topic (by id), partition, segment and the base offset of the
/// batch it holds. Ordered as the encoded bytes are (signed fields are stored with the sign
/// bit flipped so byte order is numeric order), so a key range is a byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChunkKey {
    /// The topic's id.
    pub topic_id: TopicId,
    /// The partition.
    pub partition: i32,
    /// The base offset of the segment the chunk belongs to.
    pub segment_base_offset: i64,
    /// The base offset of the batch the chunk holds.
    pub batch_base_offset: i64,
}

impl ChunkKey {
    /// The key's stored bytes.
    pub fn encode(&self) -> [u8; CHUNK_KEY_LEN] {
        let mut out = [0u8; CHUNK_KEY_LEN];
        out[0] = CHUNK_KEY_VERSION;
        out[1..17].copy_from_slice(&self.topic_id.0);
        out[17..21].copy_from_slice(&flip_i32(self.partition));
        out[21..29].copy_from_slice(&flip_i64(self.segment_base_offset));
        out[29..37].copy_from_slice(&flip_i64(self.batch_base_offset));
        out
    }

    /// Reads a key back; `None` for a key of another length or version.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != CHUNK_KEY_LEN || bytes.first() != Some(&CHUNK_KEY_VERSION) {
            return None;
        }
        let topic_id = TopicId(bytes.get(1..17)?.try_into().ok()?);
        let partition = unflip_i32(bytes.get(17..21)?.try_into().ok()?);
        let segment_base_offset = unflip_i64(bytes.get(21..29)?.try_into().ok()?);
        let batch_base_offset = unflip_i64(bytes.get(29..37)?.try_into().ok()?);
        Some(Self {
            topic_id,
            partition,
            segment_base_offset,
            batch_base_offset,
        })
    }
}

impl fmt::Display for ChunkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/segment {}/batch {}",
            self.topic_id, self.partition, self.segment_base_offset, self.batch_base_offset
        )
    }
}

/// The stored (version 2) key of a chunk: its [`ChunkKey`] fields, then the manifest entry
/// read from `bytes`' header (absent when the header is unreadable, e.g. a torn chunk).
pub fn encode_stored_key(key: &ChunkKey, bytes: &[u8]) -> [u8; STORED_KEY_LEN] {
    let mut out = [0u8; STORED_KEY_LEN];
    out[..CHUNK_KEY_LEN].copy_from_slice(&key.encode());
    out[0] = STORED_KEY_VERSION;
    if let Some(s) = BatchSummary::from_header(bytes) {
        out[37] = 1;
        out[38..46].copy_from_slice(&flip_i64(s.last_offset));
        out[46..50].copy_from_slice(&flip_i32(s.record_count));
        out[50..58].copy_from_slice(&flip_i64(s.max_timestamp));
        out[58..62].copy_from_slice(&s.size_in_bytes.to_be_bytes());
    }
    out
}

/// Reads a stored key of either version: the chunk key and, for version 2 keys with one, the
/// batch's manifest entry. `None` for a key this version cannot read.
pub fn decode_stored_key(bytes: &[u8]) -> Option<(ChunkKey, Option<BatchSummary>)> {
    match (bytes.first(), bytes.len()) {
        (Some(&CHUNK_KEY_VERSION), CHUNK_KEY_LEN) => Some((ChunkKey::decode(bytes)?, None)),
        (Some(&STORED_KEY_VERSION), STORED_KEY_LEN) => {
            let mut v1 = [0u8; CHUNK_KEY_LEN];
            v1.copy_from_slice(bytes.get(..CHUNK_KEY_LEN)?);
            v1[0] = CHUNK_KEY_VERSION;
            let key = ChunkKey::decode(&v1)?;
            if bytes.get(37) != Some(&1) {
                return Some((key, None));
            }
            let summary = BatchSummary {
                base_offset: key.batch_base_offset,
                last_offset: unflip_i64(bytes.get(38..46)?.try_into().ok()?),
                record_count: unflip_i32(bytes.get(46..50)?.try_into().ok()?),
                max_timestamp: unflip_i64(bytes.get(50..58)?.try_into().ok()?),
                size_in_bytes: u32::from_be_bytes(bytes.get(58..62)?.try_into().ok()?),
            };
            Some((key, Some(summary)))
        }
        _ => None,
    }
}

/// The byte bounds of `range` among stored keys: `[(low, high)]` for version 1 keys and for
/// version 2 keys (a delete must remove both while a store still holds version 1 chunks).
pub fn stored_key_bounds(range: &ChunkRange) -> [(Vec<u8>, Vec<u8>); 2] {
    let v1 = (range.first.encode().to_vec(), range.last.encode().to_vec());
    let mut low = range.first.encode().to_vec();
    low[0] = STORED_KEY_VERSION;
    low.resize(STORED_KEY_LEN, 0);
    let mut high = range.last.encode().to_vec();
    high[0] = STORED_KEY_VERSION;
    high.resize(STORED_KEY_LEN, 0xFF);
    [v1, (low, high)]
}

fn flip_i32(v: i32) -> [u8; 4] {
    ((v as u32) ^ 0x8000_0000).to_be_bytes()
}

fn unflip_i32(b: [u8; 4]) -> i32 {
    (u32::from_be_bytes(b) ^ 0x8000_0000) as i32
}

fn flip_i64(v: i64) -> [u8; 8] {
    ((v as u64) ^ 0x8000_0000_0000_0000).to_be_bytes()
}

fn unflip_i64(b: [u8; 8]) -> i64 {
    (u64::from_be_bytes(b) ^ 0x8000_0000_0000_0000) as i64
}

/// An inclusive range of chunk keys, as one delete removes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRange {
    /// The first key in the range.
    pub first: ChunkKey,
    /// The last key in the range.
    pub last: ChunkKey,
}

impl ChunkRange {
    /// Every chunk of a topic.
    pub fn topic(topic_id: TopicId) -> Self {
        Self {
            first: key(topic_id, i32::MIN, i64::MIN, i64::MIN),
            last: key(topic_id, i32::MAX, i64::MAX, i64::MAX),
        }
    }

    /// Every chunk of one partition.
    pub fn partition(topic_id: TopicId, partition: i32) -> Self {
        Self {
            first: key(topic_id, partition, i64::MIN, i64::MIN),
            last: key(topic_id, partition, i64::MAX, i64::MAX),
        }
    }

    /// Every chunk of one segment.
    pub fn segment(topic_id: TopicId, partition: i32, segment_base_offset: i64) -> Self {
        Self::segment_from(topic_id, partition, segment_base_offset, i64::MIN)
    }

    /// The chunks of one segment whose batch starts at or after `batch_base_offset`.
    pub fn segment_from(
        topic_id: TopicId,
        partition: i32,
        segment_base_offset: i64,
        batch_base_offset: i64,
    ) -> Self {
        Self {
            first: key(topic_id, partition, segment_base_offset, batch_base_offset),
            last: key(topic_id, partition, segment_base_offset, i64::MAX),
        }
    }

    /// True when `key` is in the range.
    pub fn contains(&self, key: &ChunkKey) -> bool {
        self.first <= *key && *key <= self.last
    }
}

fn key(topic_id: TopicId, partition: i32, segment: i64, batch: i64) -> ChunkKey {
    ChunkKey {
        topic_id,
        partition,
        segment_base_offset: segment,
        batch_base_offset: batch,
    }
}

/// The metadata key of a topic's record.
pub fn topic_key(topic_id: TopicId) -> String {
    format!("{TOPIC_KEY_PREFIX}{topic_id}")
}

/// Reads a topic id from its 22-character text.
pub fn parse_topic_id(text: &str) -> Option<TopicId> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    Some(TopicId(bytes.try_into().ok()?))
}

/// The cluster record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRecord {
    /// The format version ([`METADATA_VERSION`]).
    pub v: u32,
    /// How many times this playground was opened; mixed into the seed of new topic ids so a
    /// reload never redraws an id in use.
    pub opens: u64,
    /// Broker ids.
    pub broker_ids: Vec<i32>,
    /// Broker config overrides, `[name, value]`.
    pub config: Vec<(String, String)>,
}

/// One partition inside a topic record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionRecord {
    /// Partition number.
    pub index: i32,
    /// Replica broker ids.
    pub replicas: Vec<i32>,
    /// Leader broker id, or null.
    pub leader: Option<i32>,
    /// In-sync replicas.
    pub isr: Vec<i32>,
    /// Leader epoch.
    pub leader_epoch: i32,
    /// Log-start offset.
    pub log_start: i64,
    /// Segments, `[base offset, created ms]`.
    pub segments: Vec<(i64, i64)>,
}

/// A topic record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRecord {
    /// The format version ([`METADATA_VERSION`]).
    pub v: u32,
    /// The topic id's text.
    pub id: String,
    /// The name.
    pub name: String,
    /// Config overrides, `[name, value]`.
    pub config: Vec<(String, String)>,
    /// Partitions.
    pub partitions: Vec<PartitionRecord>,
}

/// Encodes the cluster record.
pub fn encode_cluster(snapshot: &ClusterSnapshot, opens: u64) -> String {
    let record = ClusterRecord {
        v: METADATA_VERSION,
        opens,
        broker_ids: snapshot.broker_ids.clone(),
        config: snapshot.config_overrides.clone(),
    };
    // Serialising plain strings and integers cannot fail.
    serde_json::to_string(&record).unwrap_or_default()
}

/// Decodes the cluster record: the snapshot and the open count.
pub fn decode_cluster(text: &str) -> Result<(ClusterSnapshot, u64), StorageError> {
    let record: ClusterRecord = parse(CLUSTER_KEY, text)?;
    check_version(CLUSTER_KEY, record.v)?;
    Ok((
        ClusterSnapshot {
            broker_ids: record.broker_ids,
            config_overrides: record.config,
        },
        record.opens,
    ))
}

/// Encodes a topic record.
pub fn encode_topic(snapshot: &TopicSnapshot) -> String {
    let record = TopicRecord {
        v: METADATA_VERSION,
        id: snapshot.id.to_string(),
        name: snapshot.name.clone(),
        config: snapshot.config_overrides.clone(),
        partitions: snapshot
            .partitions
            .iter()
            .map(|p| PartitionRecord {
                index: p.index,
                replicas: p.replicas.clone(),
                leader: p.leader,
                isr: p.isr.clone(),
                leader_epoch: p.leader_epoch,
                log_start: p.log_start_offset,
                segments: p.segments.clone(),
            })
            .collect(),
    };
    serde_json::to_string(&record).unwrap_or_default()
}

/// Decodes a topic record stored under `key`.
pub fn decode_topic(key: &str, text: &str) -> Result<TopicSnapshot, StorageError> {
    let record: TopicRecord = parse(key, text)?;
    check_version(key, record.v)?;
    let id = parse_topic_id(&record.id).ok_or_else(|| StorageError::Corrupt {
        what: format!("metadata record {key}"),
        reason: format!("{:?} is not a topic id", record.id),
    })?;
    Ok(TopicSnapshot {
        id,
        name: record.name,
        config_overrides: record.config,
        partitions: record
            .partitions
            .into_iter()
            .map(|p| PartitionSnapshot {
                index: p.index,
                replicas: p.replicas,
                leader: p.leader,
                isr: p.isr,
                leader_epoch: p.leader_epoch,
                log_start_offset: p.log_start,
                segments: p.segments,
            })
            .collect(),
    })
}

fn parse<T: for<'de> Deserialize<'de>>(key: &str, text: &str) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt {
        what: format!("metadata record {key}"),
        reason: e.to_string(),
    })
}

fn check_version(key: &str, v: u32) -> Result<(), StorageError> {
    if v == METADATA_VERSION {
        Ok(())
    } else {
        Err(StorageError::Corrupt {
            what: format!("metadata record {key}"),
            reason: format!("format version {v}, this Brooklet reads version {METADATA_VERSION}"),
        })
    }
}

/// The record count a batch's header declares (`recordsCount`, bytes 57..61), if the chunk
/// is long enough to have one; used only to report what recovery dropped.
pub fn declared_record_count(chunk: &[u8]) -> i64 {
    chunk
        .get(57..61)
        .and_then(|s| s.try_into().ok())
        .map_or(0, |b| i64::from(i32::from_be_bytes(b)).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_keys_order_as_their_bytes_do_even_for_negative_fields() {
        let id = TopicId([7; 16]);
        let keys = [
            key(id, -1, 5, 5),
            key(id, 0, i64::MIN, 0),
            key(id, 0, -3, 9),
            key(id, 0, 0, 0),
            key(id, 0, 0, 1),
            key(id, 0, 256, 0),
            key(id, 2, 0, 0),
        ];
        for pair in keys.windows(2) {
            assert!(pair[0] < pair[1]);
            assert!(pair[0].encode() < pair[1].encode());
        }
        for k in keys {
            assert_eq!(ChunkKey::decode(&k.encode()), Some(k));
        }
    }

    #[test]
    fn a_key_of_another_version_or_length_is_not_read() {
        let mut bytes = key(TopicId([1; 16]), 0, 0, 0).encode();
        assert_eq!(ChunkKey::decode(&bytes[..36]), None);
        bytes[0] = 2;
        assert_eq!(ChunkKey::decode(&bytes), None);
    }

    #[test]
    fn a_stored_key_carries_the_batch_manifest_and_stays_inside_its_ranges() {
        let mut b = crate::log::BatchBuilder::new(7, 100, crate::log::TimestampType::CreateTime);
        b.push(7, 100, None, Some(b"a"), &[]).unwrap();
        b.push(8, 250, None, Some(b"b"), &[]).unwrap();
        let batch = b.finish(None).unwrap();
        let k = key(TopicId([3; 16]), 1, 0, 7);
        let stored = encode_stored_key(&k, batch.as_bytes());
        let (decoded, summary) = decode_stored_key(&stored).unwrap();
        assert_eq!(decoded, k);
        assert_eq!(summary, Some(BatchSummary::of(&batch)));
        for range in [
            ChunkRange::partition(k.topic_id, 1),
            ChunkRange::segment_from(k.topic_id, 1, 0, 7),
        ] {
            let [(l1, h1), (l2, h2)] = stored_key_bounds(&range);
            assert!(l2.as_slice() <= &stored[..] && &stored[..] <= h2.as_slice());
            assert!(!(l1.as_slice() <= &stored[..] && &stored[..] <= h1.as_slice()));
        }
        let outside = ChunkRange::segment_from(k.topic_id, 1, 0, 8);
        let [_, (l2, _)] = stored_key_bounds(&outside);
        assert!(&stored[..] < l2.as_slice());
    }

    #[test]
    fn a_version_1_key_reads_without_a_manifest_and_a_torn_chunk_stores_none() {
        let k = key(TopicId([4; 16]), 0, 0, 0);
        assert_eq!(decode_stored_key(&k.encode()), Some((k, None)));
        let stored = encode_stored_key(&k, &[0u8; 20]);
        assert_eq!(decode_stored_key(&stored), Some((k, None)));
    }

    #[test]
    fn a_metadata_record_of_a_newer_version_is_refused_with_a_reason() {
        let err = decode_cluster(r#"{"v":2,"opens":0,"broker_ids":[],"config":[]}"#);
        assert!(matches!(err, Err(StorageError::Corrupt { .. })));
    }
}
