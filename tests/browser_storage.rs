//! The storage contract against IndexedDB in headless Chromium, plus what only a browser
//! has: strict durability, schema creation, and stepping aside when another tab deletes the
//! database.
//!
//! The contract itself lives in `storage_contract.rs` (written once, also run natively).
//! Each test uses a fresh, randomly named database and deletes it afterwards.

// A browser test: web objects are its tools (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]
#![cfg(target_arch = "wasm32")]

#[path = "storage_contract.rs"]
mod contract;

use std::cell::RefCell;

use std::rc::Rc;

use brooklet::broker::{Acks, Broker, BrokerError, NewTopic};
use brooklet::clock::ManualClock;
use brooklet::log::{LogError, NewRecord};
use brooklet::storage::idb_request::{await_request, await_transaction, IdbError};
use brooklet::storage::indexed_db::database_name;
use brooklet::storage::{
    hydrate_all, open, Durability, FaultyStore, IndexedDbStore, MemoryStore, OpenOptions, Opened,
    SegmentStore, StorageError, WriteBatch,
};
use bytes::Bytes;
use contract::Harness;
use js_sys::{Date, JsString, Math, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbTransactionMode};

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
    a_claim_fences_off_the_previous_writers_commits,
    a_writer_taken_over_stores_nothing_more_and_rolls_its_records_back,
    a_flush_begun_before_a_takeover_is_kept_or_refused_never_lost,
    a_flush_held_across_a_takeover_is_fenced_and_writes_nothing,
    a_claim_without_space_fences_the_previous_writer_and_the_next_claim_fences_it,
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

// It prints how long the flush and the reopen took, for a reader; it asserts nothing on time.
#[allow(clippy::disallowed_methods)]
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

/// `batches` batches of 10 records with 1 KB values (~3 MB for 300: several times the tail a
/// lazy open reads) appended to topic "lazy" and flushed.
async fn fill<S: SegmentStore>(opened: Opened<S>, batches: usize) -> (RefCell<Broker>, S) {
    let Opened {
        broker,
        mut persister,
        ..
    } = opened;
    let broker = RefCell::new(broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("lazy"))
        .expect("created");
    for b in 0..batches {
        let records: Vec<NewRecord> = (0..10)
            .map(|i| {
                let value = format!("{b:05}-{i}-{}", "x".repeat(1_000));
                NewRecord::new(None, Some(Bytes::from(value)), contract::START)
            })
            .collect();
        broker
            .borrow_mut()
            .append("lazy", 0, &records, Acks::All)
            .expect("appended");
    }
    persister.flush(&broker).await.expect("flushed");
    (broker, persister.into_store())
}

/// Every value of topic "lazy" from its log start.
fn lazy_values(broker: &Broker) -> Result<Vec<Bytes>, BrokerError> {
    let end = broker.partition("lazy", 0)?.log.high_watermark();
    let mut offset = broker.partition("lazy", 0)?.log.log_start_offset();
    let mut out = Vec::new();
    while offset < end {
        let records = broker
            .fetch("lazy", 0, offset, 1 << 20)?
            .records()
            .expect("valid");
        let Some(last) = records.last() else { break };
        offset = last.offset + 1;
        out.extend(records.into_iter().filter_map(|r| r.value));
    }
    Ok(out)
}

#[wasm_bindgen_test]
async fn a_lazy_open_leaves_older_chunks_in_indexed_db_until_hydration_loads_them() {
    let clock = ManualClock::new(contract::START);
    let mut h = Idb::fresh(Durability::Relaxed);
    let (broker, store) = fill(contract::reopen(&mut h, &clock).await, 300).await;
    let all = lazy_values(&broker.borrow()).expect("all in memory");
    drop(broker);
    h.disconnect(store);

    let opened = contract::reopen(&mut h, &clock).await;
    assert!(opened.report.is_clean(), "{:?}", opened.report);
    assert_eq!(opened.report.chunks, 300);
    assert!(opened.report.cold_chunks > 150, "{:?}", opened.report);
    let log = &opened.broker.partition("lazy", 0).expect("p").log;
    assert_eq!(log.high_watermark(), 3_000);
    let err = opened
        .broker
        .fetch("lazy", 0, 0, 1 << 20)
        .expect_err("cold");
    assert!(
        matches!(err, BrokerError::Log(LogError::NotLoaded { .. })),
        "{err:?}"
    );
    let broker = RefCell::new(opened.broker);
    let steps = hydrate_all(opened.persister.store(), &broker, 50)
        .await
        .expect("hydrated");
    assert!(steps.iter().all(|s| s.dropped.is_none()));
    assert!(broker.borrow().is_loaded());
    assert_eq!(lazy_values(&broker.borrow()).expect("loaded"), all);
    h.disconnect(opened.persister.into_store());
    h.delete().await;
}

#[wasm_bindgen_test]
async fn corruption_in_a_cold_chunk_is_found_when_hydration_reads_it() {
    let clock = ManualClock::new(contract::START);
    let mut h = Idb::fresh(Durability::Relaxed);
    let (broker, store) = fill(contract::reopen(&mut h, &clock).await, 300).await;
    let all = lazy_values(&broker.borrow()).expect("all in memory");
    drop(broker);
    let faulty = FaultyStore::new(store);
    let bad = faulty.load().await.expect("loaded").chunk_keys[50];
    faulty.corrupt_chunk(bad).await.expect("damaged");
    let opened = open(
        faulty.clone(),
        Rc::new(clock.clone()),
        OpenOptions { seed: 7 },
    )
    .await
    .expect("opens");
    assert!(
        opened.report.is_clean(),
        "open does not read the damaged chunk"
    );
    let broker = RefCell::new(opened.broker);
    let steps = hydrate_all(&faulty, &broker, 50).await.expect("hydrated");
    let dropped: Vec<_> = steps.iter().filter_map(|s| s.dropped.clone()).collect();
    assert_eq!(dropped.len(), 1, "{steps:?}");
    assert_eq!(dropped[0].log_end_offset, bad.batch_base_offset);
    let kept = usize::try_from(bad.batch_base_offset).expect("small");
    assert_eq!(
        lazy_values(&broker.borrow()).expect("loaded"),
        all[..kept].to_vec()
    );
    h.disconnect(faulty.into_inner());
    h.delete().await;
}

/// Writes `metadata` and `chunks` into a new database laid out as schema version 1 wrote it
/// (version 1 keys, no manifest).
async fn write_version_1_database(
    name: &str,
    metadata: &[(String, String)],
    chunks: &[(brooklet::storage::ChunkKey, Bytes)],
) {
    let factory: IdbFactory = Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .expect("indexedDB")
        .unchecked_into();
    let request: IdbOpenDbRequest = factory.open_with_u32(name, 1).expect("opens");
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        let db: IdbDatabase = upgrading.result().expect("opened").unchecked_into();
        db.create_object_store("metadata").expect("created");
        db.create_object_store("chunks").expect("created");
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db: IdbDatabase = await_request(&request)
        .await
        .expect("opens")
        .unchecked_into();
    let names = js_sys::Array::of2(&JsString::from("metadata"), &JsString::from("chunks"));
    let tx = db
        .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        .expect("a transaction");
    let meta = tx.object_store("metadata").expect("store");
    for (k, v) in metadata {
        meta.put_with_key(&JsValue::from_str(v), &JsValue::from_str(k))
            .expect("queued");
    }
    let store = tx.object_store("chunks").expect("store");
    for (k, bytes) in chunks {
        let key = Uint8Array::from(k.encode().as_slice()).buffer();
        let value = Uint8Array::from(bytes.as_ref()).buffer();
        store.put_with_key(&value, &key).expect("queued");
    }
    await_transaction(&tx).await.expect("committed");
    db.close();
}

#[wasm_bindgen_test]
async fn a_version_1_database_is_upgraded_read_whole_once_and_opened_lazily_after() {
    let clock = ManualClock::new(contract::START);
    // The data, produced in memory, then written as a version 1 database would hold it.
    let memory = MemoryStore::new();
    let opened = open(
        memory.clone(),
        Rc::new(clock.clone()),
        OpenOptions { seed: 7 },
    )
    .await
    .expect("opens");
    let (broker, _) = fill(opened, 300).await;
    let all = lazy_values(&broker.borrow()).expect("all in memory");
    let id = broker.borrow().topic_id("lazy").expect("the topic");
    let state = memory.load().await.expect("loaded");
    let chunks = memory.read_chunks(id, 0).await.expect("read");
    let h = Idb::fresh(Durability::Relaxed);
    write_version_1_database(&database_name(&h.playground), &state.metadata, &chunks).await;

    let store = IndexedDbStore::open(&h.playground, Durability::Relaxed)
        .await
        .expect("a version 1 database opens and upgrades");
    let opened = open(store, Rc::new(clock.clone()), OpenOptions { seed: 7 })
        .await
        .expect("opens");
    assert_eq!(opened.report.upgraded_chunks, 300, "{:?}", opened.report);
    assert_eq!(opened.report.cold_chunks, 0);
    assert_eq!(lazy_values(&opened.broker).expect("read whole"), all);
    opened.persister.into_store().close();

    let store = IndexedDbStore::open(&h.playground, Durability::Relaxed)
        .await
        .expect("reopens");
    let state = store.load().await.expect("loaded");
    assert_eq!(
        state.summaries.len(),
        300,
        "every chunk was rewritten with its manifest"
    );
    let opened = open(store, Rc::new(clock.clone()), OpenOptions { seed: 7 })
        .await
        .expect("opens");
    assert_eq!(opened.report.upgraded_chunks, 0);
    assert!(opened.report.cold_chunks > 0, "{:?}", opened.report);
    let broker = RefCell::new(opened.broker);
    hydrate_all(opened.persister.store(), &broker, 100)
        .await
        .expect("hydrated");
    assert_eq!(lazy_values(&broker.borrow()).expect("loaded"), all);
    opened.persister.into_store().close();
    h.delete().await;
}

#[wasm_bindgen_test]
async fn a_connection_that_never_loaded_still_refuses_to_rewrite_a_stored_chunk() {
    let mut h = Idb::fresh(Durability::Relaxed);
    let key = brooklet::storage::ChunkKey {
        topic_id: brooklet::broker::TopicId([5; 16]),
        partition: 0,
        segment_base_offset: 0,
        batch_base_offset: 0,
    };
    let first = h.connect().await;
    first
        .commit(WriteBatch {
            chunk_puts: vec![(key, Bytes::from_static(b"original"))],
            ..WriteBatch::default()
        })
        .await
        .expect("committed");
    h.disconnect(first);
    // A fresh connection commits before any `load`: it reads the stored keys first.
    let second = h.connect().await;
    let err = second
        .commit(WriteBatch {
            chunk_puts: vec![(key, Bytes::from_static(b"rewritten"))],
            ..WriteBatch::default()
        })
        .await
        .expect_err("refused");
    assert!(matches!(err, StorageError::ChunkExists { .. }), "{err:?}");
    let chunks = second.read_chunk_range(brooklet::storage::ChunkRange {
        first: key,
        last: key,
    });
    assert_eq!(
        chunks.await.expect("read"),
        vec![(key, Bytes::from_static(b"original"))]
    );
    h.disconnect(second);
    h.delete().await;
}
