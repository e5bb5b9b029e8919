//! A store whose commits wait once before they run, as IndexedDB's do (included by the
//! `storage_*` tests with `#[path]`): a test polls a flush once, does something else while
//! the commit is held (produce, or let another writer claim the store), then lets it finish.

use brooklet::storage::{
    ChunkKey, ChunkRange, FaultyStore, SegmentStore, StorageError, StoredState, WriteBatch,
};
use bytes::Bytes;

/// A [`FaultyStore`] whose commits are held for one poll; clones share it.
#[derive(Clone, Default)]
pub struct SlowStore(pub FaultyStore);

/// Pending once, then ready.
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

impl SegmentStore for SlowStore {
    async fn load(&self) -> Result<StoredState, StorageError> {
        self.0.load().await
    }
    async fn claim(&self) -> Result<u64, StorageError> {
        self.0.claim().await
    }
    async fn commit(&self, batch: WriteBatch) -> Result<(), StorageError> {
        // The fence is checked when the commit runs, after the hold: a claim made meanwhile
        // fences it, as IndexedDB's would if the claim's transaction ran first.
        YieldOnce(false).await;
        self.0.commit(batch).await
    }
    async fn read_chunk_range(
        &self,
        range: ChunkRange,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError> {
        self.0.read_chunk_range(range).await
    }
}

/// Polls `future` once; it must not be finished yet (its commit is held).
pub fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(future.poll(&mut cx).is_pending(), "the commit is in flight");
}
