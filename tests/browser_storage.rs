//! The storage contract against IndexedDB in headless Chromium, plus what only a browser
//! has: strict durability, schema creation, and stepping aside when another tab deletes the
//! database.
//!
//! The contract itself lives in `storage_contract.rs` (written once, also run natively).
//! Each test uses a fresh, randomly named database and deletes it afterwards.
#![cfg(target_arch = "wasm32")]

#[path = "storage_contract.rs"]
mod contract;

use brooklet::storage::{Durability, IndexedDbStore, SegmentStore, StorageError, WriteBatch};
use contract::Harness;
use js_sys::Math;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Connections to one randomly named playground database.
struct Idb {
    playground: String,
    durability: Durability,
}

impl Idb {
    fn fresh(durability: Durability) -> Self {
        Self {
            playground: format!("test-{:016x}", (Math::random() * 2f64.powi(53)) as u64),
            durability,
        }
    }

    async fn delete(self) {
        IndexedDbStore::delete(&self.playground)
            .await
            .expect("the test database is deleted");
    }
}

impl Harness for Idb {
    type Store = IndexedDbStore;

    async fn connect(&mut self) -> IndexedDbStore {
        IndexedDbStore::open(&self.playground, self.durability)
            .await
            .expect("the database opens")
    }

    fn disconnect(&mut self, store: IndexedDbStore) {
        store.close();
    }
}

macro_rules! contract_in_browser {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $name() {
                let mut h = Idb::fresh(Durability::Relaxed);
                contract::$name(&mut h).await;
                h.delete().await;
            }
        )*
    };
}

contract_in_browser!(
    a_commit_is_visible_after_reopening,
    chunks_are_append_only_and_a_refused_commit_changes_nothing,
    deleting_a_topic_deletes_its_chunks,
    acknowledged_records_survive_a_crash_and_the_log_is_a_prefix,
    a_corrupt_last_chunk_is_dropped_and_reported_and_earlier_records_survive,
    a_failed_commit_rolls_the_log_back_and_loses_nothing_earlier,
    retention_deleting_a_segment_deletes_its_chunks,
    topics_configs_and_partition_counts_survive_reopening,
);

#[wasm_bindgen_test]
async fn strict_durability_commits_and_reads_back_the_same() {
    let mut h = Idb::fresh(Durability::Strict);
    contract::a_commit_is_visible_after_reopening(&mut h).await;
    h.delete().await;
    let mut h = Idb::fresh(Durability::Strict);
    contract::acknowledged_records_survive_a_crash_and_the_log_is_a_prefix(&mut h).await;
    h.delete().await;
}

#[wasm_bindgen_test]
async fn a_new_database_opens_empty_with_its_schema() {
    let mut h = Idb::fresh(Durability::Relaxed);
    let store = h.connect().await;
    assert_eq!(store.name(), format!("brooklet/{}", h.playground));
    let state = store.load().await.expect("an empty database loads");
    assert!(state.metadata.is_empty() && state.chunk_keys.is_empty());
    h.disconnect(store);
    h.delete().await;
}

#[wasm_bindgen_test]
async fn our_connection_steps_aside_when_another_tab_deletes_the_database() {
    let mut h = Idb::fresh(Durability::Relaxed);
    let store = h.connect().await;
    // Deleting would block forever if our connection did not close on `versionchange`.
    IndexedDbStore::delete(&h.playground)
        .await
        .expect("the delete is not blocked by our open connection");
    assert!(store.is_closed());
    let err = store
        .commit(WriteBatch::default())
        .await
        .expect_err("closed");
    assert_eq!(err, StorageError::Closed);
    h.delete().await;
}
