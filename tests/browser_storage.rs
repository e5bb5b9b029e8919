//! The storage contract against IndexedDB in headless Chromium, plus what only a browser
//! has: strict durability, schema creation, and stepping aside when another tab deletes the
//! database.
//!
//! The contract itself lives in `storage_contract.rs` (written once, also run natively).
//! Each test uses a fresh, randomly named database and deletes it afterwards.
#![cfg(target_arch = "wasm32")]

#[path = "storage_contract.rs"]
mod contract;

use std::cell::RefCell;

use brooklet::broker::{Acks, NewTopic};
use brooklet::clock::ManualClock;
use brooklet::log::NewRecord;
use brooklet::storage::idb_request::IdbError;
use brooklet::storage::{
    Durability, IndexedDbStore, Opened, SegmentStore, StorageError, WriteBatch,
};
use bytes::Bytes;
use contract::Harness;
use js_sys::{Date, Math};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

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
    // The setting can change on an open connection; the next write uses it.
    let mut h = Idb::fresh(Durability::Relaxed);
    let store = h.connect().await;
    store.set_durability(Durability::Strict);
    assert_eq!(store.clone().durability(), Durability::Strict);
    store
        .commit(WriteBatch {
            metadata_puts: vec![("k".into(), "v".into())],
            ..WriteBatch::default()
        })
        .await
        .expect("a strict write commits");
    assert_eq!(store.load().await.expect("loaded").metadata.len(), 1);
    h.disconnect(store);
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

#[wasm_bindgen_test]
fn a_quota_exceeded_error_becomes_a_kafka_storage_error_saying_how_to_free_space() {
    let error = brooklet::storage::indexed_db::storage_error(
        "commit a write",
        IdbError {
            name: "QuotaExceededError".to_owned(),
            message: "The quota has been exceeded.".to_owned(),
        },
    );
    assert!(matches!(error, StorageError::QuotaExceeded { .. }));
    assert_eq!(error.code().name(), "KAFKA_STORAGE_ERROR");
    let text = error.to_string();
    assert!(text.contains("The quota has been exceeded."), "{text}");
    assert!(text.contains("retention"), "{text}");
}

/// Not a benchmark: size checks that print what they took, so regressions are visible.
#[wasm_bindgen_test]
async fn a_log_of_100k_records_reopens_without_decoding_them() {
    timed_reopen(1_000, 100).await;
}

#[wasm_bindgen_test]
async fn a_log_of_10k_single_record_batches_reopens_without_decoding_them() {
    timed_reopen(10_000, 1).await;
}

async fn timed_reopen(batches: i64, per_batch: i64) {
    let clock = ManualClock::new(contract::START);
    let mut h = Idb::fresh(Durability::Relaxed);
    let Opened {
        broker,
        mut persister,
        ..
    } = contract::reopen(&mut h, &clock).await;
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("big"))
        .expect("created");
    for b in 0..batches {
        let records: Vec<NewRecord> = (0..per_batch)
            .map(|i| {
                let n = b * per_batch + i;
                let order = format!(
                    r#"{{"order_id":{n},"customer_id":"c{}","amount":12.5}}"#,
                    n % 10
                );
                NewRecord::new(
                    Some(Bytes::from(format!("c{}", n % 10))),
                    Some(Bytes::from(order)),
                    contract::START,
                )
            })
            .collect();
        broker
            .borrow_mut()
            .append("big", 0, &records, Acks::All)
            .expect("appended");
    }
    let started = Date::now();
    let report = persister.flush(&broker).await.expect("flushed");
    let flush_ms = Date::now() - started;
    drop(broker);
    h.disconnect(persister.into_store());

    let started = Date::now();
    let opened = contract::reopen(&mut h, &clock).await;
    let open_ms = Date::now() - started;
    let log = &opened.broker.partition("big", 0).expect("p").log;
    assert_eq!(log.log_end_offset(), batches * per_batch);
    assert!(opened.report.is_clean());
    console_log!(
        "{} records in {batches} batches, {} bytes: flush {flush_ms} ms, reopen {open_ms} ms",
        batches * per_batch,
        report.bytes_written
    );
    h.disconnect(opened.persister.into_store());
    h.delete().await;
}
