//! A [`SegmentStore`] wrapper that fails on purpose, for tests of failure and recovery.
//!
//! Owns the faults: refuse the Nth commit (nothing applied), crash (every later commit is
//! lost, as if the tab died before it reached the disk), refuse chunk reads, and damage a
//! stored chunk
//! (flipped bits, or a torn tail); it also records the durability each commit was asked
//! with. Wraps any store, so the same faults run against IndexedDB in the browser. Must not
//! be used outside tests and demos: it exists to break things.

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;

use super::format::{ChunkKey, ChunkRange};
use super::{Durability, MemoryStore, SegmentStore, StorageError, StoredState, WriteBatch};

#[derive(Debug, Default)]
struct Faults {
    commits_seen: u64,
    fail_at: Option<u64>,
    armed_at: u64,
    crashed: bool,
    full: bool,
    /// Claims still to refuse for space, as refused writes leave a store full until the
    /// space they held is given back.
    claims_to_refuse: u64,
    /// Commits still to hold for one poll before they run.
    commits_to_hold: u64,
    /// The durability the next commit is asked with.
    durability: Durability,
    /// The durability each commit was asked with, in order.
    commit_durabilities: Vec<Durability>,
    /// Chunk reads still to refuse.
    reads_to_fail: u64,
}

/// A store that can be told to fail. Clones share the faults and the inner store.
#[derive(Debug, Clone, Default)]
pub struct FaultyStore<S = MemoryStore> {
    inner: S,
    faults: Rc<RefCell<Faults>>,
}

impl<S: SegmentStore> FaultyStore<S> {
    /// Wraps `inner`, with no fault armed.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            faults: Rc::default(),
        }
    }

    /// The wrapped store (what survives a simulated crash).
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Unwraps the store.
    pub fn into_inner(self) -> S {
        self.inner
    }

    /// Refuses the `n`th commit from now (1 = the next one) with
    /// [`StorageError::InjectedFault`]; nothing of it is applied. Later commits succeed.
    pub fn fail_nth_commit(&self, n: u64) {
        let mut f = self.faults.borrow_mut();
        f.armed_at = f.commits_seen;
        f.fail_at = Some(f.commits_seen + n.max(1));
    }

    /// Simulates a full disk, as Chromium behaves under its quota: every claim and every
    /// commit that writes bytes is refused with [`StorageError::QuotaExceeded`] (nothing of
    /// it applied); commits that only delete still go through.
    pub fn fill_disk(&self) {
        self.faults.borrow_mut().full = true;
    }

    /// Refuses the next `n` claims with [`StorageError::QuotaExceeded`], as a store whose
    /// space a refused write still holds does until the space is given back; later claims
    /// succeed (unless the disk is full).
    pub fn refuse_claims(&self, n: u64) {
        self.faults.borrow_mut().claims_to_refuse = n;
    }

    /// Holds each of the next `n` commits for one poll before it runs (and checks its fence),
    /// as IndexedDB's transactions wait: a test polls a flush once, lets another writer claim
    /// the store meanwhile, and the held commit then meets the new epoch.
    pub fn hold_commits(&self, n: u64) {
        self.faults.borrow_mut().commits_to_hold = n;
    }

    /// The durability each commit so far was asked with ([`SegmentStore::set_durability`]),
    /// in order, refused ones included: what a test of the durability switch reads.
    pub fn commit_durabilities(&self) -> Vec<Durability> {
        self.faults.borrow().commit_durabilities.clone()
    }

    /// Refuses the next `n` chunk reads ([`SegmentStore::read_chunk_range`]) with
    /// [`StorageError::InjectedReadFault`], as a browser that cannot read its storage would.
    pub fn fail_next_reads(&self, n: u64) {
        self.faults.borrow_mut().reads_to_fail = n;
    }

    /// Makes room again after [`FaultyStore::fill_disk`].
    pub fn free_disk(&self) {
        self.faults.borrow_mut().full = false;
    }

    /// Simulates a crash: every commit from now on is lost ([`StorageError::Crashed`]).
    /// Reopen the inner store to see what survived.
    pub fn crash(&self) {
        self.faults.borrow_mut().crashed = true;
    }

    /// Flips bits in the last byte of the last chunk (in key order) through the inner store,
    /// as bit rot would leave it. Returns the damaged chunk's key, or `None` when there are
    /// no chunks.
    pub async fn corrupt_last_chunk(&self) -> Result<Option<ChunkKey>, StorageError> {
        self.damage_last_chunk(|bytes| {
            if let Some(b) = bytes.last_mut() {
                *b ^= 0xA5;
            }
        })
        .await
    }

    /// Cuts the last chunk (in key order) down to its first `keep` bytes, as a write torn by
    /// a crash would leave it. Returns the damaged chunk's key, or `None` when there are no
    /// chunks.
    pub async fn tear_last_chunk(&self, keep: usize) -> Result<Option<ChunkKey>, StorageError> {
        self.damage_last_chunk(|bytes| bytes.truncate(keep)).await
    }

    /// Flips bits in the last byte of the chunk at `key` (any chunk, e.g. an old one a lazy
    /// open leaves cold). Returns `None` when there is no such chunk.
    pub async fn corrupt_chunk(&self, key: ChunkKey) -> Result<Option<ChunkKey>, StorageError> {
        self.damage_chunk(key, |bytes| {
            if let Some(b) = bytes.last_mut() {
                *b ^= 0xA5;
            }
        })
        .await
    }

    async fn damage_last_chunk(
        &self,
        damage: impl FnOnce(&mut Vec<u8>),
    ) -> Result<Option<ChunkKey>, StorageError> {
        let state = self.inner.load().await?;
        let Some(last) = state.chunk_keys.last().copied() else {
            return Ok(None);
        };
        self.damage_chunk(last, damage).await
    }

    async fn damage_chunk(
        &self,
        last: ChunkKey,
        damage: impl FnOnce(&mut Vec<u8>),
    ) -> Result<Option<ChunkKey>, StorageError> {
        let chunks = self
            .inner
            .read_chunk_range(ChunkRange { first: last, last })
            .await?;
        let Some((_, bytes)) = chunks.into_iter().find(|(k, _)| *k == last) else {
            return Ok(None);
        };
        let mut damaged = bytes.to_vec();
        damage(&mut damaged);
        // Replace the chunk in one commit: delete it, then write the damaged bytes.
        let batch = WriteBatch {
            chunk_deletes: vec![ChunkRange { first: last, last }],
            chunk_puts: vec![(last, Bytes::from(damaged))],
            ..WriteBatch::default()
        };
        self.inner.commit(batch).await?;
        Ok(Some(last))
    }
}

/// Pending once (waking its task at once), then ready.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

/// The refusal of a full disk, as Chromium words it.
fn full_disk() -> StorageError {
    StorageError::QuotaExceeded {
        message: "The quota has been exceeded.".to_owned(),
    }
}

impl<S: SegmentStore> SegmentStore for FaultyStore<S> {
    async fn load(&self) -> Result<StoredState, StorageError> {
        self.inner.load().await
    }

    async fn claim(&self) -> Result<u64, StorageError> {
        // A claim is a write: a crashed store loses it too.
        let (crashed, full) = {
            let mut faults = self.faults.borrow_mut();
            let refused = faults.claims_to_refuse > 0;
            faults.claims_to_refuse = faults.claims_to_refuse.saturating_sub(1);
            (faults.crashed, faults.full || refused)
        };
        if crashed {
            return Err(StorageError::Crashed);
        }
        if full {
            return Err(full_disk());
        }
        self.inner.claim().await
    }

    async fn claim_without_space(&self) -> Result<u64, StorageError> {
        // A removal adds no bytes: a full disk does not refuse it; a crashed store does.
        if self.faults.borrow().crashed {
            return Err(StorageError::Crashed);
        }
        self.inner.claim_without_space().await
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let hold = {
            let mut f = self.faults.borrow_mut();
            let hold = f.commits_to_hold > 0;
            f.commits_to_hold = f.commits_to_hold.saturating_sub(1);
            hold
        };
        if hold {
            YieldOnce(false).await;
        }
        let refused = {
            let mut f = self.faults.borrow_mut();
            f.commits_seen += 1;
            let durability = f.durability;
            f.commit_durabilities.push(durability);
            if f.crashed {
                return Err(StorageError::Crashed);
            }
            if f.full && !(batch.metadata_puts.is_empty() && batch.chunk_puts.is_empty()) {
                return Err(full_disk());
            }
            (f.fail_at == Some(f.commits_seen)).then(|| f.commits_seen - f.armed_at)
        };
        if let Some(commit) = refused {
            return Err(StorageError::InjectedFault { commit });
        }
        self.inner.commit(batch).await
    }

    async fn read_chunk_range(
        &self,
        range: ChunkRange,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError> {
        {
            let mut f = self.faults.borrow_mut();
            if f.reads_to_fail > 0 {
                f.reads_to_fail -= 1;
                return Err(StorageError::InjectedReadFault);
            }
        }
        self.inner.read_chunk_range(range).await
    }

    fn set_durability(&self, durability: Durability) {
        self.faults.borrow_mut().durability = durability;
        self.inner.set_durability(durability);
    }
}
