//! The write-behind persister: the broker's changes go to the store in one transaction per
//! flush, and a produce counts as acknowledged only once its flush committed.
//!
//! Owns the pending writes, the metadata records last committed (so unchanged ones are not
//! rewritten), each partition's durable end offset, and the rollback after a failed commit.
//! Must not hold a borrow of the broker across an await: a flush borrows it only to drain
//! events and, afterwards, to record the outcome, so the UI can keep using it meanwhile.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use thiserror::Error;

use super::format::{
    encode_cluster, encode_topic, topic_key, ChunkRange, APP_KEY_PREFIX, CLUSTER_KEY,
};
use super::pending::PendingChunks;
use super::{SegmentStore, StorageError, WriteBatch};
use crate::broker::restore::PartitionExtent;
use crate::broker::{Broker, BrokerEvent};
use crate::protocol::{ErrorCode, TopicId, TopicPartition};

/// The default size at which [`Persister::should_flush`] says a flush is due: 1 MiB.
pub const DEFAULT_FLUSH_THRESHOLD_BYTES: u64 = 1 << 20;

/// Offsets of one partition that became durable in a flush: `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckedRange {
    /// The partition.
    pub partition: TopicPartition,
    /// The first newly durable offset.
    pub from: i64,
    /// One past the last newly durable offset (the durable log end).
    pub to: i64,
}

/// What a successful flush did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlushReport {
    /// Offsets now durable, per partition that grew; fire delivery callbacks for these.
    pub acked: Vec<AckedRange>,
    /// Chunks written.
    pub chunks_written: u64,
    /// Bytes of chunk data written.
    pub bytes_written: u64,
    /// Metadata records written or deleted.
    pub metadata_records: u64,
    /// False when there was nothing to write and no transaction ran.
    pub committed: bool,
}

/// Records removed from one partition after a failed commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledBack {
    /// The partition.
    pub partition: TopicPartition,
    /// Where the log ends now (its durable end).
    pub log_end_offset: i64,
    /// Records removed.
    pub records: i64,
}

/// A flush whose commit failed: the store holds what it held before, and every log was
/// rolled back to what the store has, so nothing acknowledged earlier is lost.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{source} The records not yet stored were removed from the log: {}.", describe(.rolled_back))]
pub struct FlushError {
    /// Why the commit failed.
    pub source: StorageError,
    /// What was rolled back, per partition.
    pub rolled_back: Vec<RolledBack>,
}

impl FlushError {
    /// The Kafka error a producer waiting on these records gets: `KAFKA_STORAGE_ERROR`.
    pub fn code(&self) -> ErrorCode {
        self.source.code()
    }
}

/// The part of `batch` that only removes whole topics (deleted topics' metadata records, and
/// every chunk of a topic), consistent on its own and adding no bytes; `None` when there is
/// none or it is the whole batch.
fn removals_only(batch: &WriteBatch) -> Option<WriteBatch> {
    let chunk_deletes: Vec<ChunkRange> = batch
        .chunk_deletes
        .iter()
        .filter(|r| **r == ChunkRange::topic(r.first.topic_id))
        .copied()
        .collect();
    let removals = WriteBatch {
        metadata_deletes: batch.metadata_deletes.clone(),
        chunk_deletes,
        fence: batch.fence,
        ..WriteBatch::default()
    };
    let whole = removals.metadata_deletes.len() == batch.metadata_deletes.len()
        && removals.chunk_deletes.len() == batch.chunk_deletes.len()
        && batch.metadata_puts.is_empty()
        && batch.chunk_puts.is_empty();
    (!removals.is_empty() && !whole).then_some(removals)
}

/// Tells each log that what a commit captured of it is stored, so those batches may be
/// evicted from memory (the batch cache only ever evicts what the store acknowledged).
fn mark_stored(broker: &mut Broker, extents: &[PartitionExtent]) {
    for e in extents {
        broker.mark_stored(e.topic_id, e.partition, e.stored);
    }
}

fn describe(rolled: &[RolledBack]) -> String {
    if rolled.is_empty() {
        return "none".to_owned();
    }
    rolled
        .iter()
        .map(|r| format!("{} record(s) of {}", r.records, r.partition))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Write-behind persistence for one broker and one store.
///
/// Changes accumulate as pending writes ([`Persister::absorb`]); [`Persister::flush`] writes
/// them in one transaction. The persister owns no timer and reads no clock: the caller
/// flushes on its own schedule (the app asks a [`super::FlushSchedule`]: a change has waited
/// its delay, or enough bytes are pending; [`Persister::should_flush`] is the size test alone).
#[derive(Debug)]
pub struct Persister<S> {
    store: S,
    pending: PendingChunks,
    /// Metadata records as last committed, `key → JSON`.
    committed_metadata: BTreeMap<String, String>,
    /// The application's records ([`APP_KEY_PREFIX`]), written with the broker's metadata.
    app_records: BTreeMap<String, String>,
    /// Each partition's durable log end.
    durable: HashMap<(TopicId, i32), i64>,
    opens: u64,
    flush_threshold_bytes: u64,
    /// The owner epoch every commit is fenced with (`None`: unfenced, or not claimed yet).
    owner_epoch: Option<u64>,
    /// Set when the open's claim was refused (a full disk): the store is claimed before the
    /// first commit, so no commit is ever made under another writer's epoch.
    claim_first: bool,
    /// Set once a commit was fenced or the owner let go: no write is tried again.
    fenced: Option<StorageError>,
    /// The log extents the last successful commit captured (what it stored).
    committed_extents: Vec<PartitionExtent>,
}

/// What a flush captured from the broker before its commit.
struct Prepared {
    batch: WriteBatch,
    metadata: BTreeMap<String, String>,
    extents: Vec<PartitionExtent>,
}

impl<S: SegmentStore> Persister<S> {
    /// A persister for a broker whose stored state is `committed_metadata` and whose logs are
    /// durable up to `durable` (empty for a fresh store). `opens` is written into the cluster
    /// record. Use [`super::open`] rather than this for a store with data.
    pub fn new(
        store: S,
        committed_metadata: BTreeMap<String, String>,
        durable: HashMap<(TopicId, i32), i64>,
        opens: u64,
    ) -> Self {
        let app_records = committed_metadata
            .iter()
            .filter(|(k, _)| k.starts_with(APP_KEY_PREFIX))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self {
            store,
            pending: PendingChunks::default(),
            app_records,
            committed_metadata,
            durable,
            opens,
            flush_threshold_bytes: DEFAULT_FLUSH_THRESHOLD_BYTES,
            owner_epoch: None,
            claim_first: false,
            fenced: None,
            committed_extents: Vec::new(),
        }
    }

    /// The open could not claim the store (the disk was full): claim it before the first
    /// commit. Until then nothing is written — a commit fenced with the stored epoch would
    /// share it with the writer this one took over from, whose late commits would then land.
    pub fn claim_before_first_commit(&mut self) {
        self.owner_epoch = None;
        self.claim_first = true;
    }

    /// True while the store is not claimed yet ([`Persister::claim_before_first_commit`]).
    pub fn is_unclaimed(&self) -> bool {
        self.claim_first
    }

    /// Claims the store if the open could not; every commit calls this first.
    async fn ensure_claimed(&mut self) -> Result<(), StorageError> {
        if self.claim_first {
            let epoch = match self.store.claim().await {
                Err(e) if e.is_quota_exceeded() => self.store.claim_without_space().await?,
                claimed => claimed?,
            };
            self.owner_epoch = Some(epoch);
            self.claim_first = false;
        }
        Ok(())
    }

    /// Fences every later commit with `epoch`, the owner epoch this writer claimed
    /// ([`SegmentStore::claim`]): once another writer claims the store, they fail and write
    /// nothing.
    pub fn set_owner_epoch(&mut self, epoch: u64) {
        self.owner_epoch = Some(epoch);
    }

    /// The owner epoch commits are fenced with.
    pub fn owner_epoch(&self) -> Option<u64> {
        self.owner_epoch
    }

    /// Why this persister writes no more (another writer took the store over), if it does not.
    pub fn fenced(&self) -> Option<&StorageError> {
        self.fenced.as_ref()
    }

    /// Stops writing for good because another writer took the store over (this tab lost its
    /// lock): nothing pending is written, and every log is rolled back to what the store has,
    /// so no record this writer has not stored can look stored. Returns what was removed, as a
    /// failed flush would. Later flushes fail at once with the same error.
    pub fn abandon(&mut self, broker: &mut Broker, reason: StorageError) -> FlushError {
        self.pending.clear();
        let rolled_back = self.roll_back(broker);
        self.fenced = Some(reason.clone());
        FlushError {
            source: reason,
            rolled_back,
        }
    }

    /// Sets the pending size at which [`Persister::should_flush`] turns true.
    pub fn set_flush_threshold_bytes(&mut self, bytes: u64) {
        self.flush_threshold_bytes = bytes;
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the store back (to reopen it, in tests).
    pub fn into_store(self) -> S {
        self.store
    }

    /// The durable log end of a partition: every offset below it is in the store.
    pub fn durable_offset(&self, topic_id: TopicId, partition: i32) -> i64 {
        self.durable
            .get(&(topic_id, partition))
            .copied()
            .unwrap_or(0)
    }

    /// Takes the broker's queued changes into the pending writes. Returns true when the
    /// pending chunk bytes passed the flush threshold (call [`Persister::flush`] soon).
    pub fn absorb(&mut self, broker: &mut Broker) -> bool {
        self.absorb_events(broker.drain_events())
    }

    /// Takes changes someone else drained from the broker (a UI that also shows them).
    /// Whoever drains the broker's events must hand every one of them here, in order, or
    /// storage would miss appends and deletions. Returns [`Persister::should_flush`].
    pub fn absorb_events(&mut self, events: impl IntoIterator<Item = BrokerEvent>) -> bool {
        if self.fenced.is_some() {
            // Nothing will be written any more: keep nothing.
            return false;
        }
        for event in events {
            self.pending.absorb(event);
        }
        self.should_flush()
    }

    /// The application's records as stored or last set (keys under [`APP_KEY_PREFIX`]).
    pub fn app_records(&self) -> &BTreeMap<String, String> {
        &self.app_records
    }

    /// Replaces the application's records: the next flush writes the ones that changed and
    /// removes the ones that are gone. Keys outside [`APP_KEY_PREFIX`] are ignored (they are
    /// the broker's).
    pub fn set_app_records(&mut self, records: BTreeMap<String, String>) {
        self.app_records = records
            .into_iter()
            .filter(|(k, _)| k.starts_with(APP_KEY_PREFIX))
            .collect();
    }

    /// True when the pending chunk bytes passed the flush threshold.
    pub fn should_flush(&self) -> bool {
        self.pending.put_bytes() >= self.flush_threshold_bytes
    }

    /// Bytes of chunk data waiting for a flush.
    pub fn pending_bytes(&self) -> u64 {
        self.pending.put_bytes()
    }

    /// Adds a chunk write to the next flush (recovery uses it to rewrite chunks of a
    /// version 1 store with manifest entries).
    pub(crate) fn put_chunk(&mut self, key: super::ChunkKey, bytes: bytes::Bytes) {
        self.pending.put(key, bytes);
    }

    /// Adds a delete of a range of chunks to the next flush (recovery uses it to drop
    /// orphans).
    pub(crate) fn delete_chunks(&mut self, range: ChunkRange) {
        self.pending.delete(range);
    }

    /// Writes everything that changed since the last flush in one transaction: all dirty
    /// partitions' chunks and the metadata records that differ from what is stored. On
    /// success returns the offsets that became durable. On failure the store is unchanged,
    /// each partition log is rolled back to its durable end, and the error says what was
    /// removed. The broker is borrowed only before and after the commit's await; do not run
    /// two flushes of one persister at once (`&mut self` ensures it).
    pub async fn flush(&mut self, broker: &RefCell<Broker>) -> Result<FlushReport, FlushError> {
        if let Some(reason) = self.fenced.clone() {
            return Err(self.abandon(&mut broker.borrow_mut(), reason));
        }
        let prepared = self.prepare(&mut broker.borrow_mut());
        if prepared.batch.is_empty() {
            self.mark_durable(&prepared.extents);
            mark_stored(&mut broker.borrow_mut(), &prepared.extents);
            return Ok(FlushReport::default());
        }
        let removals = removals_only(&prepared.batch);
        let mut outcome = self.commit_prepared(prepared).await;
        // A full disk: the learner frees space by deleting topics, but a flush carries those
        // deletions with new bytes (the cluster record, new chunks), which the browser refuses
        // as a whole. Store the removals alone, then try the rest once more in the space
        // they freed.
        if let (Err(e), Some(removals)) = (&outcome, removals) {
            if e.is_quota_exceeded() {
                match self.commit_removals(removals).await {
                    Ok(()) => {
                        let prepared = self.prepare(&mut broker.borrow_mut());
                        outcome = self.commit_prepared(prepared).await;
                    }
                    // Taken over meanwhile: that, not the full disk, is what the flush reports
                    // (it abandons below instead of rolling back and trying again).
                    Err(fenced @ StorageError::Fenced { .. }) => outcome = Err(fenced),
                    // Still full: the first refusal stands.
                    Err(_) => {}
                }
            }
        }
        match outcome {
            Ok(report) => {
                mark_stored(&mut broker.borrow_mut(), &self.committed_extents);
                Ok(report)
            }
            Err(source @ StorageError::Fenced { .. }) => {
                // Another writer owns the store now: write nothing more, ever.
                Err(self.abandon(&mut broker.borrow_mut(), source))
            }
            Err(source) => {
                // Pending writes stay: deletes (retention, topic deletion, compaction) must
                // still reach the store; the rollback's own events drop the puts it undoes.
                let rolled_back = self.roll_back(&mut broker.borrow_mut());
                Err(FlushError {
                    source,
                    rolled_back,
                })
            }
        }
    }

    /// Commits a prepared flush; on success records what became durable.
    async fn commit_prepared(
        &mut self,
        mut prepared: Prepared,
    ) -> Result<FlushReport, StorageError> {
        self.ensure_claimed().await?;
        prepared.batch.fence = self.owner_epoch;
        let chunks_written = prepared.batch.chunk_puts.len() as u64;
        let bytes_written = prepared.batch.chunk_bytes();
        let metadata_records =
            (prepared.batch.metadata_puts.len() + prepared.batch.metadata_deletes.len()) as u64;
        self.store.commit(prepared.batch).await?;
        self.pending.clear();
        self.committed_metadata = prepared.metadata;
        let acked = self.mark_durable(&prepared.extents);
        self.committed_extents = prepared.extents;
        Ok(FlushReport {
            acked,
            chunks_written,
            bytes_written,
            metadata_records,
            committed: true,
        })
    }

    /// Commits the removal of deleted topics alone (their records and all their chunks),
    /// and forgets those writes as pending.
    async fn commit_removals(&mut self, mut removals: WriteBatch) -> Result<(), StorageError> {
        self.ensure_claimed().await?;
        removals.fence = self.owner_epoch;
        let done = removals.clone();
        self.store.commit(removals).await?;
        for key in &done.metadata_deletes {
            self.committed_metadata.remove(key);
        }
        self.pending.forget_deletes(&done.chunk_deletes);
        Ok(())
    }

    fn prepare(&mut self, broker: &mut Broker) -> Prepared {
        self.absorb(broker);
        let mut metadata = BTreeMap::new();
        metadata.insert(
            CLUSTER_KEY.to_owned(),
            encode_cluster(&broker.snapshot_cluster(), self.opens),
        );
        for topic in broker.snapshot_topics() {
            metadata.insert(topic_key(topic.id), encode_topic(&topic));
        }
        metadata.extend(self.app_records.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut batch = WriteBatch {
            fence: self.owner_epoch,
            ..WriteBatch::default()
        };
        for (key, value) in &metadata {
            if self.committed_metadata.get(key) != Some(value) {
                batch.metadata_puts.push((key.clone(), value.clone()));
            }
        }
        batch.metadata_deletes = self
            .committed_metadata
            .keys()
            .filter(|k| !metadata.contains_key(*k))
            .cloned()
            .collect();
        self.pending.fill(&mut batch);
        Prepared {
            batch,
            metadata,
            extents: broker.partition_extents(),
        }
    }

    /// Records the captured log ends as durable; returns the ranges that grew.
    fn mark_durable(&mut self, extents: &[PartitionExtent]) -> Vec<AckedRange> {
        let mut acked = Vec::new();
        let mut live = BTreeSet::new();
        for e in extents {
            live.insert((e.topic_id, e.partition));
            let old = self.durable_offset(e.topic_id, e.partition);
            if e.log_end_offset > old {
                acked.push(AckedRange {
                    partition: TopicPartition::new(e.topic.clone(), e.partition),
                    from: old.max(e.log_start_offset),
                    to: e.log_end_offset,
                });
            }
            self.durable
                .insert((e.topic_id, e.partition), e.log_end_offset);
        }
        // Deleted topics' partitions are gone from the store too.
        self.durable.retain(|k, _| live.contains(k));
        acked
    }

    fn roll_back(&mut self, broker: &mut Broker) -> Vec<RolledBack> {
        let mut rolled = Vec::new();
        for e in broker.partition_extents() {
            let durable = self.durable_offset(e.topic_id, e.partition);
            if let Some(report) = broker.roll_back_partition(&e.topic, e.partition, durable) {
                rolled.push(RolledBack {
                    partition: TopicPartition::new(e.topic.clone(), e.partition),
                    log_end_offset: durable.max(e.log_start_offset),
                    records: report.records,
                });
            }
        }
        rolled
    }
}
