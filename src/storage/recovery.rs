//! Opening a playground: the broker rebuilt from the store, and the store repaired to match.
//!
//! Owns [`open`]: read the metadata records and the chunk manifest (keys only), read each
//! partition's *tail* (its newest chunks, where a torn or corrupt write shows up) as `Bytes`
//! and leave older chunks cold — known by their manifest summaries, loaded later by
//! `hydration` — let `PartitionLog::recover` validate them (CRC-checked, a torn or corrupt
//! tail truncated, later segments dropped), report what was dropped, and commit the repair
//! (dropped chunks deleted, orphaned chunks of unknown topics deleted). A partition whose
//! chunks lack manifest entries (a version 1 store) is read whole and its chunks rewritten
//! with them. Must not decide Kafka's recovery rules: the log does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use bytes::Bytes;

use super::format::{
    declared_record_count, decode_cluster, decode_topic, ChunkKey, ChunkRange, CLUSTER_KEY,
    TOPIC_KEY_PREFIX,
};
use super::persister::Persister;
use super::{SegmentStore, StorageError};
use crate::broker::restore::{ClusterSnapshot, TopicSnapshot};
use crate::broker::Broker;
use crate::clock::Clock;
use crate::log::BatchSummary;
use crate::log::StoredSegment;
use crate::protocol::{TopicId, TopicPartition};

/// Bytes of each partition's newest chunks that open reads and CRC-checks (at least one
/// chunk); older chunks stay cold until hydration loads them.
pub const TAIL_BYTES: u64 = 1 << 20;

/// How to open a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenOptions {
    /// Mixed into the seed of new topic ids (with the store's open count and the time).
    pub seed: u64,
}

/// What recovery dropped from one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionDrop {
    /// The partition.
    pub partition: TopicPartition,
    /// Records dropped (counted from batch headers that could still be framed).
    pub records: i64,
    /// Bytes dropped.
    pub bytes: u64,
    /// Segments deleted whole, by base offset.
    pub deleted_segments: Vec<i64>,
    /// Where the log ends now.
    pub log_end_offset: i64,
    /// Why, in Kafka's words.
    pub reasons: Vec<String>,
}

/// What opening found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecoveryReport {
    /// Topics restored.
    pub topics: u64,
    /// Partitions restored.
    pub partitions: u64,
    /// Chunks stored (loaded now or left cold).
    pub chunks: u64,
    /// Bytes of chunk data stored.
    pub bytes: u64,
    /// Chunks left cold: known by their manifest entries, bytes loaded later by hydration.
    pub cold_chunks: u64,
    /// Bytes of the cold chunks.
    pub cold_bytes: u64,
    /// Chunks found without a manifest entry (written by a version 1 store): their
    /// partitions were read whole and the chunks rewritten with one.
    pub upgraded_chunks: u64,
    /// Partitions that lost a corrupt or torn tail.
    pub dropped: Vec<PartitionDrop>,
    /// Chunks of topics no metadata names (left by an interrupted deletion), deleted.
    pub orphan_chunks: u64,
    /// Stored keys this version cannot read, left alone.
    pub unreadable_keys: u64,
    /// The owner epoch this open claimed; `None` when the claim was refused for lack of space
    /// (then the persister claims before its first commit, and writes nothing until then).
    pub owner_epoch: Option<u64>,
    /// The open's own writes (the ownership claim, the repair commit) refused for lack of
    /// space: the playground opened with what is stored, and the repair goes with the next
    /// flush. Deleting topics frees space.
    pub refused_for_space: Option<StorageError>,
}

impl RecoveryReport {
    /// True when nothing was dropped.
    pub fn is_clean(&self) -> bool {
        self.dropped.is_empty() && self.orphan_chunks == 0
    }
}

/// A broker rebuilt from a store, its persister, and what recovery found.
#[derive(Debug)]
pub struct Opened<S> {
    /// The broker.
    pub broker: Broker,
    /// The persister, already holding the store.
    pub persister: Persister<S>,
    /// What recovery found and dropped.
    pub report: RecoveryReport,
}

/// Opens a store as its writer: claims it (so a previous writer's late commits are fenced
/// off), rebuilds the broker from it and repairs the store to match what recovery kept (in one
/// commit). An empty store gives a fresh one-broker cluster.
///
/// A full disk does not stop the open: reading needs no space, so when the claim (tried twice)
/// or the repair is refused for lack of space the broker still opens with everything stored,
/// the refusal is in [`RecoveryReport::refused_for_space`], and the repair waits in the
/// persister for the next flush. A claim refused twice is made without space
/// ([`SegmentStore::claim_without_space`]), so deleting topics can free space at once; were
/// that refused too, the claim is made before the persister's first commit: nothing is written
/// under the previous writer's epoch.
pub async fn open<S: SegmentStore>(
    store: S,
    clock: Rc<dyn Clock>,
    options: OpenOptions,
) -> Result<Opened<S>, StorageError> {
    // Claim before loading: whatever the previous writer committed before the claim is in
    // the load, and nothing it commits after the claim lands.
    let claim = match store.claim().await {
        // A refused write can hold space until the next commit (the IndexedDB store gives it
        // back after a refusal): the claim is tried once more in the space that freed.
        Err(e) if e.is_quota_exceeded() => store.claim().await,
        claim => claim,
    };
    // Still refused, the disk is full: claim by removing the stored epoch, which adds no
    // byte, so the previous writer is fenced and this one can free space at once. Should even
    // that fail, the playground opens unclaimed and claims before its first commit: it must
    // not write under the stored epoch, the previous writer's, whose late commits would then
    // not be fenced.
    let (claimed, mut refused_for_space) = match claim {
        Ok(epoch) => (Some(epoch), None),
        Err(e) if e.is_quota_exceeded() => (store.claim_without_space().await.ok(), Some(e)),
        Err(e) => return Err(e),
    };
    let state = store.load().await?;
    let mut report = RecoveryReport {
        unreadable_keys: state.unreadable_chunk_keys,
        owner_epoch: claimed,
        ..RecoveryReport::default()
    };
    let mut cluster = ClusterSnapshot::default();
    let mut opens = 0;
    let mut topics: Vec<TopicSnapshot> = Vec::new();
    for (key, value) in &state.metadata {
        if key == CLUSTER_KEY {
            (cluster, opens) = decode_cluster(value)?;
        } else if key.starts_with(TOPIC_KEY_PREFIX) {
            topics.push(decode_topic(key, value)?);
        }
    }
    let known: BTreeSet<TopicId> = topics.iter().map(|t| t.id).collect();
    let orphans: BTreeSet<TopicId> = state
        .chunk_keys
        .iter()
        .map(|k| k.topic_id)
        .filter(|id| !known.contains(id))
        .collect();
    report.orphan_chunks = state
        .chunk_keys
        .iter()
        .filter(|k| orphans.contains(&k.topic_id))
        .count() as u64;

    // Read every partition's tail (or all of it, without a manifest) before rebuilding:
    // reading is async, rebuilding is not.
    let mut keys_of: HashMap<(TopicId, i32), Vec<ChunkKey>> = HashMap::new();
    for k in &state.chunk_keys {
        keys_of
            .entry((k.topic_id, k.partition))
            .or_default()
            .push(*k);
    }
    let mut stored: HashMap<(TopicId, i32), Vec<(ChunkKey, Chunk)>> = HashMap::new();
    let mut upgrade: BTreeSet<(TopicId, i32)> = BTreeSet::new();
    for t in &topics {
        for p in &t.partitions {
            let keys = keys_of.remove(&(t.id, p.index)).unwrap_or_default();
            let summaries: Option<Vec<BatchSummary>> = keys
                .iter()
                .map(|k| state.summaries.get(k).copied())
                .collect();
            // Internal topics (`__consumer_offsets`) are read whole: the group coordinator
            // replays them before serving, as Kafka's loads its offsets partitions.
            let internal = t.name.starts_with("__");
            let chunks = match summaries {
                Some(summaries) if !keys.is_empty() && !internal => {
                    read_lazily(&store, &keys, &summaries, &mut report).await?
                }
                _ => {
                    let missing = keys
                        .iter()
                        .filter(|k| !state.summaries.contains_key(k))
                        .count() as u64;
                    if missing > 0 {
                        report.upgraded_chunks += missing;
                        upgrade.insert((t.id, p.index));
                    }
                    let chunks = store.read_chunks(t.id, p.index).await?;
                    report.chunks += chunks.len() as u64;
                    report.bytes += chunks.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
                    chunks
                        .into_iter()
                        .map(|(k, b)| (k, Chunk::Loaded(b)))
                        .collect()
                }
            };
            stored.insert((t.id, p.index), chunks);
        }
    }
    report.topics = topics.len() as u64;
    report.partitions = stored.len() as u64;

    let now = clock.now_ms();
    let seed = mix(options.seed, opens, now);
    let mut segment_sizes: HashMap<(TopicId, i32), BTreeMap<i64, (u64, i64)>> = HashMap::new();
    let (mut broker, restored) = Broker::restore(clock, seed, &cluster, topics, |t, p| {
        let chunks = stored.remove(&(t.id, p.index)).unwrap_or_default();
        let created: HashMap<i64, i64> = p.segments.iter().copied().collect();
        let sizes = segment_sizes.entry((t.id, p.index)).or_default();
        group_segments(chunks, &created, now, sizes)
    })
    .map_err(|e| StorageError::Corrupt {
        what: "topic metadata".to_owned(),
        reason: e.to_string(),
    })?;

    let mut durable = HashMap::new();
    for r in restored {
        let leo = broker
            .partition(&r.partition.topic, r.partition.partition)
            .map_or(0, |p| p.log.log_end_offset());
        durable.insert((r.topic_id, r.partition.partition), leo);
        if r.report.is_clean() {
            continue;
        }
        let sizes = segment_sizes.get(&(r.topic_id, r.partition.partition));
        let mut drop = PartitionDrop {
            partition: r.partition.clone(),
            records: 0,
            bytes: 0,
            deleted_segments: r.report.deleted_segments.clone(),
            log_end_offset: leo,
            reasons: Vec::new(),
        };
        for (_, seg) in &r.report.segments {
            drop.records += seg.dropped_records;
            drop.bytes += seg.dropped_bytes;
            drop.reasons.extend(seg.reason.clone());
        }
        for base in &r.report.deleted_segments {
            if let Some((bytes, records)) = sizes.and_then(|s| s.get(base)) {
                drop.bytes += bytes;
                drop.records += records;
            }
            drop.reasons.push(format!(
                "Deleted segment {base} because an earlier segment was corrupt or it overlapped one"
            ));
        }
        report.dropped.push(drop);
    }

    let metadata: BTreeMap<String, String> = state.metadata.into_iter().collect();
    let mut persister = Persister::new(store, metadata, durable, opens.saturating_add(1));
    match claimed {
        Some(epoch) => persister.set_owner_epoch(epoch),
        None => persister.claim_before_first_commit(),
    }
    for id in orphans {
        persister.delete_chunks(ChunkRange::topic(id));
    }
    // The upgrade from version 1: rewrite what recovery kept, now with manifest entries
    // (recovery's own events, absorbed after this, still drop what it dropped).
    for (topic_id, partition) in upgrade {
        persister.delete_chunks(ChunkRange::partition(topic_id, partition));
        let name = broker.topic_name(topic_id);
        if let Some(p) = name.and_then(|n| broker.partition(&n, partition).ok()) {
            for segment in p.log.segments() {
                for batch in segment.batches() {
                    let key = ChunkKey {
                        topic_id,
                        partition,
                        segment_base_offset: segment.base_offset(),
                        batch_base_offset: batch.base_offset(),
                    };
                    persister.put_chunk(key, batch.as_bytes().clone());
                }
            }
        }
    }
    // The repair commit: recovery's truncations and deletions, orphans, and the open count.
    let repair = std::cell::RefCell::new(broker);
    match persister.flush(&repair).await {
        Ok(_) => {}
        // Nothing was rolled back (every log ends at its durable end): the repair stays
        // pending and goes with the next flush.
        Err(e) if e.source.is_quota_exceeded() => {
            refused_for_space.get_or_insert(e.source);
        }
        Err(e) => return Err(e.source),
    }
    report.refused_for_space = refused_for_space;
    broker = repair.into_inner();
    Ok(Opened {
        broker,
        persister,
        report,
    })
}

/// A chunk as open found it: loaded, or cold (known by its manifest summary).
enum Chunk {
    Loaded(Bytes),
    Cold(BatchSummary),
}

/// Reads a partition's tail (its last segment's newest chunks, [`TAIL_BYTES`] of them, at
/// least one) and leaves the rest cold.
async fn read_lazily<S: SegmentStore>(
    store: &S,
    keys: &[ChunkKey],
    summaries: &[BatchSummary],
    report: &mut RecoveryReport,
) -> Result<Vec<(ChunkKey, Chunk)>, StorageError> {
    let mut tail_start = keys.len();
    let mut tail_bytes = 0u64;
    let last_segment = keys.last().map(|k| k.segment_base_offset);
    while let Some(i) = tail_start.checked_sub(1) {
        let in_last = keys.get(i).map(|k| k.segment_base_offset) == last_segment;
        if !in_last || (tail_start < keys.len() && tail_bytes >= TAIL_BYTES) {
            break;
        }
        tail_bytes += summaries.get(i).map_or(0, |s| u64::from(s.size_in_bytes));
        tail_start = i;
    }
    let mut tail: HashMap<ChunkKey, Bytes> = HashMap::new();
    if let (Some(first), Some(last)) = (keys.get(tail_start), keys.last()) {
        let range = ChunkRange {
            first: *first,
            last: *last,
        };
        tail = store.read_chunk_range(range).await?.into_iter().collect();
    }
    let mut out = Vec::with_capacity(keys.len());
    for (i, (key, summary)) in keys.iter().zip(summaries).enumerate() {
        report.chunks += 1;
        report.bytes += u64::from(summary.size_in_bytes);
        if i < tail_start {
            report.cold_chunks += 1;
            report.cold_bytes += u64::from(summary.size_in_bytes);
            out.push((*key, Chunk::Cold(*summary)));
        } else {
            // A chunk the manifest names but the read did not return reads as empty bytes,
            // which recovery reports as a torn write.
            let bytes = tail.remove(key).unwrap_or_default();
            out.push((*key, Chunk::Loaded(bytes)));
        }
    }
    Ok(out)
}

/// Groups a partition's chunks by segment (they arrive in key order), noting each segment's
/// stored bytes and declared records for the report.
fn group_segments(
    chunks: Vec<(ChunkKey, Chunk)>,
    created: &HashMap<i64, i64>,
    now_ms: i64,
    sizes: &mut BTreeMap<i64, (u64, i64)>,
) -> Vec<StoredSegment> {
    let mut segments: Vec<StoredSegment> = Vec::new();
    for (key, chunk) in chunks {
        let base = key.segment_base_offset;
        let size = sizes.entry(base).or_default();
        match &chunk {
            Chunk::Loaded(bytes) => {
                size.0 += bytes.len() as u64;
                size.1 += declared_record_count(bytes);
            }
            Chunk::Cold(s) => {
                size.0 += u64::from(s.size_in_bytes);
                size.1 += i64::from(s.record_count);
            }
        }
        if segments.last().is_none_or(|s| s.base_offset != base) {
            segments.push(StoredSegment {
                base_offset: base,
                cold: Vec::new(),
                chunks: Vec::new(),
                created_ms: created.get(&base).copied().unwrap_or(now_ms),
                last_modified_ms: now_ms,
            });
        }
        if let Some(s) = segments.last_mut() {
            match chunk {
                // Cold chunks come first in a segment (only its newest are read).
                Chunk::Cold(summary) if s.chunks.is_empty() => s.cold.push(summary),
                Chunk::Cold(_) => {}
                Chunk::Loaded(bytes) => s.chunks.push(bytes),
            }
        }
    }
    segments
}

/// A seed for new topic ids that differs at every open (SplitMix64 finaliser).
fn mix(seed: u64, opens: u64, now_ms: i64) -> u64 {
    let mut z = seed ^ opens.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (now_ms as u64).rotate_left(17);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
