//! Where the log is kept between visits.
//!
//! Owns the narrow [`SegmentStore`] trait (load at open, one atomic commit per flush, read a
//! partition's chunks), its implementations ([`MemoryStore`], [`FaultyStore`] for tests,
//! `IndexedDbStore` in the browser), the stored layout ([`format`]), the write-behind
//! [`Persister`] and when it flushes ([`FlushSchedule`]), recovery ([`open`], lazy: older
//! batches stay in storage), loading cold batches back ([`hydration`]) and the byte budget of
//! batches kept in memory once stored ([`cache`]). Must not know Kafka's rules: the log
//! validates what it reads back; storage keeps bytes and metadata records.
//!
//! The trait is deliberately not `Send`: IndexedDB handles are JavaScript objects.

pub mod cache;
pub mod error;
pub mod faulty;
pub mod flush_policy;
pub mod format;
pub mod hydration;
#[cfg(target_arch = "wasm32")]
pub mod idb_request;
#[cfg(target_arch = "wasm32")]
pub mod indexed_db;
pub mod memory;
mod pending;
pub mod persister;
pub mod recovery;
pub mod write_batch;

use bytes::Bytes;

pub use cache::{BatchCache, CacheStep, DEFAULT_BUDGET_BYTES};
pub use error::StorageError;
pub use faulty::FaultyStore;
pub use flush_policy::{FlushDecision, FlushPolicy, FlushSchedule};
pub use format::{ChunkKey, ChunkRange};
pub use hydration::{hydrate_all, hydrate_step, open_loaded, HydrationStep};
#[cfg(target_arch = "wasm32")]
pub use indexed_db::IndexedDbStore;
pub use memory::MemoryStore;
pub use persister::{AckedRange, FlushError, FlushReport, Persister, RolledBack};
pub use recovery::{open, OpenOptions, Opened, PartitionDrop, RecoveryReport};
pub use write_batch::{StoredState, WriteBatch};

use crate::protocol::TopicId;

/// How hard a commit waits for the disk (IndexedDB's transaction `durability` hint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// The browser may report success before the data reaches the disk: fast, and safe
    /// against a tab crash, but an OS crash or power loss may lose the last writes.
    #[default]
    Relaxed,
    /// Success only once the data is on disk: slower, survives power loss.
    Strict,
}

/// A place to keep metadata records and immutable log chunks.
///
/// Every method takes `&self`: implementations are handles (to a shared in-memory map, or to
/// an IndexedDB connection). Futures are not `Send`.
///
/// One writer at a time: a writer [`claim`](SegmentStore::claim)s the store before it loads
/// it, and fences every commit with the epoch it got ([`WriteBatch::fence`]). A later claim
/// (another tab taking the playground over) makes every commit of the earlier writer fail
/// with [`StorageError::Fenced`] and write nothing — also one already in flight, because the
/// check runs inside the commit's transaction. Claiming before loading means the new writer
/// sees every commit the old one made before the claim, and none lands after it.
#[allow(async_fn_in_trait)]
pub trait SegmentStore {
    /// Everything needed at open: all metadata records, the index of chunk keys and the
    /// manifest (each chunk's batch summary, where stored with one) — not the chunks' bytes;
    /// [`SegmentStore::read_chunk_range`] reads those.
    async fn load(&self) -> Result<StoredState, StorageError>;

    /// Makes this caller the store's writer: in one transaction, stores the owner epoch one
    /// above the stored one and returns it. From then on, commits fenced with an older epoch
    /// fail with [`StorageError::Fenced`] and write nothing. Call it before
    /// [`SegmentStore::load`]. It writes a few bytes, so a full disk can refuse it
    /// ([`StorageError::QuotaExceeded`]).
    async fn claim(&self) -> Result<u64, StorageError>;

    /// Makes this caller the writer without adding a byte, for a full disk that refuses
    /// [`SegmentStore::claim`]: removes the stored owner epoch in a delete-only transaction
    /// (which a browser never refuses for space) and returns 0, the epoch of a store with
    /// none. Every writer that claimed an epoch before is fenced from then on, so the new
    /// writer can free space (delete topics) at once. It cannot fence a writer that also
    /// claimed this way (both hold 0): that needs two full-disk takeovers in a row with a
    /// flush in flight across the second, which the Web Lock all but rules out.
    async fn claim_without_space(&self) -> Result<u64, StorageError>;

    /// Applies `batch` in one atomic transaction: all of it or nothing. Within it, metadata
    /// deletes and chunk deletes happen before puts, so a segment can be replaced in one
    /// commit. A chunk put whose key already exists (and is not deleted by this batch) fails
    /// the whole commit with [`StorageError::ChunkExists`]: chunks are written once. A batch
    /// with a [`WriteBatch::fence`] that is no longer the stored owner epoch fails with
    /// [`StorageError::Fenced`], writing nothing.
    async fn commit(&self, batch: WriteBatch) -> Result<(), StorageError>;

    /// One partition's chunks, in key order (segment, then batch base offset).
    async fn read_chunks(
        &self,
        topic_id: TopicId,
        partition: i32,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError> {
        self.read_chunk_range(ChunkRange::partition(topic_id, partition))
            .await
    }

    /// The chunks in `range`, in key order: what a lazy open and hydration read.
    async fn read_chunk_range(
        &self,
        range: ChunkRange,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError>;

    /// How hard the next commits wait for the disk (the learner's durability switch). A
    /// commit already started keeps the durability it began with. A store with no disk
    /// behind it (in memory) has nothing to wait for and ignores it.
    fn set_durability(&self, _durability: Durability) {}
}
