//! Storage in the browser: persisted produce throughput next to a raw IndexedDB bulk put of
//! the same bytes, and the time to reopen a persisted log, measured in headless Chromium.
//!
//!     make bench-browser-storage
//!
//! (or `cargo bench --target wasm32-unknown-unknown --bench browser_storage` with the
//! environment the Makefile exports). Every figure is printed with `console_log!`; nothing
//! asserts on a timing, only on correctness (every record is back after reopening).
//!
//! - Produce: batches of 100 records (100 B or 1 KB random values, so IndexedDB's
//!   compression cannot flatter either side) are appended with `Broker::append` and flushed
//!   through the `Persister` once per [`BATCHES_PER_FLUSH`] batches, the default
//!   `BatchCache` evicting stored batches after each commit as the app's flush loop does;
//!   append + flush + evict is timed end to end, under relaxed and strict durability.
//! - Raw: the same encoded batches, under the same stored keys (`format::encode_stored_key`,
//!   the chunk key plus the batch's manifest entry, exactly the bytes the store writes), are
//!   `put` into a bare object store in the same number of transactions with the same
//!   durability, copying each out of wasm memory as the store does. The ratio
//!   persisted / raw is the figure (the target: at least 0.8). The same raw run with
//!   `add` instead of `put` (what the store uses, to refuse rewriting a chunk) is printed
//!   beside it, to show what that costs.
//! - Reload: at 10k, 100k and 1M records of 100 B, on a fresh `IndexedDbStore` handle: the
//!   manifest read alone (`load`: metadata and every key, `getAllKeys`) next to reading every
//!   chunk's bytes (`getAll`); `storage::open` until the broker is ready (the target:
//!   1M within 1 s; it reads keys and each partition's newest ~1 MiB); the first fetch +
//!   decode of the newest records right after; then the full background hydration (every
//!   older chunk read and CRC-checked into the log) and a fetch from the middle after it.
//!
//! Besides the log lines, each headline figure is printed as a `bench-result: {json}` line
//! for README's performance page (`make bench-browser`, collected by `benches/report.mjs`).
//!
//! Each measurement uses fresh, randomly named databases and deletes them afterwards. The
//! 1M reload is its own benchmark function so its set-up memory is freed before the next.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, NewTopic, TopicId, TopicPartition};
use brooklet::clock::ManualClock;
use brooklet::log::{LogConfig, LogEvent, NewRecord, PartitionLog};
use brooklet::storage::format::encode_stored_key;
use brooklet::storage::idb_request::{await_request, await_transaction};
use brooklet::storage::{
    self, hydrate_all, BatchCache, ChunkKey, Durability, IndexedDbStore, OpenOptions, Persister,
    SegmentStore,
};
use bytes::Bytes;
use js_sys::{JsString, Math, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

mod bench_records;
mod browser_clock;
use bench_records::{batch, value, RECORDS_PER_BATCH, START};
use browser_clock::now_ms;
use web_sys::{
    IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbTransactionDurability, IdbTransactionMode,
    IdbTransactionOptions,
};

wasm_bindgen_test_configure!(run_in_browser);

/// 100 batches per transaction: about 10k records, as a busy playground's flush would hold.
const BATCHES_PER_FLUSH: usize = 100;
const TOPIC: &str = "bench";

/// Prints one figure for README's performance page (format in /work/conventions.md).
fn bench_result(figure: serde_json::Value) {
    console_log!("bench-result: {figure}");
}

fn random_name(prefix: &str) -> String {
    format!("{prefix}-{:016x}", (Math::random() * 2f64.powi(53)) as u64)
}

fn durability_name(d: Durability) -> &'static str {
    match d {
        Durability::Relaxed => "relaxed",
        Durability::Strict => "strict",
    }
}

/// A fresh playground: an empty store opened into a broker with one single-partition topic.
async fn fresh_playground(
    durability: Durability,
) -> (String, RefCell<Broker>, Persister<IndexedDbStore>) {
    let playground = random_name("bench");
    let store = IndexedDbStore::open(&playground, durability)
        .await
        .expect("the bench database opens");
    let opened = storage::open(
        store,
        Rc::new(ManualClock::new(START)),
        OpenOptions { seed: 7 },
    )
    .await
    .expect("an empty store opens");
    let broker = RefCell::new(opened.broker);
    broker
        .borrow_mut()
        .create_topic(NewTopic::named(TOPIC))
        .expect("the bench topic is created");
    (playground, broker, opened.persister)
}

/// Appends `batches` and flushes every [`BATCHES_PER_FLUSH`] (and at the end), evicting
/// stored batches down to the default budget after each flush; returns the chunk bytes
/// written.
async fn produce(
    broker: &RefCell<Broker>,
    persister: &mut Persister<IndexedDbStore>,
    batches: &[Vec<NewRecord>],
    per_flush: usize,
) -> u64 {
    let mut bytes = 0;
    for group in batches.chunks(per_flush) {
        for records in group {
            broker
                .borrow_mut()
                .append(TOPIC, 0, records, Acks::All)
                .expect("appended");
        }
        bytes += persister
            .flush(broker)
            .await
            .expect("flushed")
            .bytes_written;
        BatchCache::default().evict(&mut broker.borrow_mut());
    }
    bytes
}

/// Persisted produce: returns (elapsed ms, chunk bytes written).
async fn persisted_produce(batches: &[Vec<NewRecord>], durability: Durability) -> (f64, u64) {
    let (playground, broker, mut persister) = fresh_playground(durability).await;
    let started = now_ms();
    let bytes = produce(&broker, &mut persister, batches, BATCHES_PER_FLUSH).await;
    let elapsed = now_ms() - started;
    let records = (batches.len() * RECORDS_PER_BATCH) as i64;
    assert_eq!(
        persister.durable_offset(topic_id(&broker.borrow()), 0),
        records
    );
    persister.into_store().close();
    IndexedDbStore::delete(&playground)
        .await
        .expect("the bench database is deleted");
    (elapsed, bytes)
}

fn topic_id(broker: &Broker) -> TopicId {
    broker.topic(TOPIC).expect("the bench topic exists").id
}

/// The chunks the persisted run writes, encoded by a bare partition log: same records, same
/// batch sizes, keys of the same shape.
fn encoded_chunks(batches: &[Vec<NewRecord>]) -> Vec<(ChunkKey, Bytes)> {
    let mut log = PartitionLog::new(TopicPartition::new(TOPIC, 0), LogConfig::default(), START);
    for records in batches {
        log.append(records, START).expect("appended");
    }
    log.drain_events()
        .into_iter()
        .filter_map(|e| match e {
            LogEvent::BatchAppended {
                segment_base_offset,
                base_offset,
                bytes,
                ..
            } => Some((
                ChunkKey {
                    topic_id: TopicId([7; 16]),
                    partition: 0,
                    segment_base_offset,
                    batch_base_offset: base_offset,
                },
                bytes,
            )),
            _ => None,
        })
        .collect()
}

fn idb_factory() -> IdbFactory {
    Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .expect("indexedDB exists")
        .unchecked_into()
}

/// Opens a bare database with one object store, `chunks`.
async fn raw_database(name: &str) -> IdbDatabase {
    let request: IdbOpenDbRequest = idb_factory()
        .open_with_u32(name, 1)
        .expect("the raw database opens");
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        let db: IdbDatabase = upgrading.result().expect("opened").unchecked_into();
        db.create_object_store("chunks")
            .expect("the raw object store is created");
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    await_request(&request)
        .await
        .expect("the raw database opens")
        .unchecked_into()
}

/// Raw bulk put (or `add`): the same bytes and keys, in the same transactions; returns
/// elapsed ms.
async fn raw_put(chunks: &[(ChunkKey, Bytes)], durability: Durability, add: bool) -> f64 {
    let name = random_name("brooklet-bench-raw");
    let db = raw_database(&name).await;
    let names = [JsString::from("chunks")];
    let options = IdbTransactionOptions::new();
    options.set_durability(match durability {
        Durability::Relaxed => IdbTransactionDurability::Relaxed,
        Durability::Strict => IdbTransactionDurability::Strict,
    });
    let started = now_ms();
    for group in chunks.chunks(BATCHES_PER_FLUSH) {
        let tx = db
            .transaction_with_str_sequence_and_mode_and_options(
                &names,
                IdbTransactionMode::Readwrite,
                &options,
            )
            .expect("a raw transaction starts");
        let store = tx.object_store("chunks").expect("the raw store");
        for (key, bytes) in group {
            let key = Uint8Array::from(encode_stored_key(key, bytes).as_slice()).buffer();
            let value = Uint8Array::from(bytes.as_ref()).buffer();
            if add {
                store.add_with_key(&value, &key).expect("a raw add queues");
            } else {
                store.put_with_key(&value, &key).expect("a raw put queues");
            }
        }
        await_transaction(&tx)
            .await
            .expect("a raw transaction commits");
    }
    let elapsed = now_ms() - started;
    db.close();
    let request = idb_factory()
        .delete_database(&name)
        .expect("the raw database is deleted");
    await_request(&request)
        .await
        .expect("the raw database is deleted");
    elapsed
}

/// One row of the produce table: best of three rounds each, alternating persisted and raw so
/// drift in the machine's load hits both.
async fn produce_row(value_size: usize, records: usize, durability: Durability) {
    let batches: Vec<Vec<NewRecord>> = (0..records / RECORDS_PER_BATCH)
        .map(|b| batch(b, value_size))
        .collect();
    let chunks = encoded_chunks(&batches);
    let raw_bytes: u64 = chunks.iter().map(|(_, b)| b.len() as u64).sum();
    let mut persisted = f64::INFINITY;
    let mut raw = f64::INFINITY;
    let mut raw_add = f64::INFINITY;
    let mut persisted_bytes = 0;
    for _ in 0..3 {
        let (ms, bytes) = persisted_produce(&batches, durability).await;
        persisted = persisted.min(ms);
        persisted_bytes = bytes;
        raw = raw.min(raw_put(&chunks, durability, false).await);
        raw_add = raw_add.min(raw_put(&chunks, durability, true).await);
    }
    assert_eq!(
        persisted_bytes, raw_bytes,
        "both sides write the same bytes"
    );
    let rate = |ms: f64| records as f64 / (ms / 1e3);
    let mbps = |ms: f64| raw_bytes as f64 / 1e6 / (ms / 1e3);
    console_log!(
        "produce {value_size} B x {records} ({} transactions, {:.1} MB, {}): \
         persisted {persisted:.0} ms = {:.0} rec/s, {:.1} MB/s | \
         raw put {raw:.0} ms = {:.0} rec/s, {:.1} MB/s | ratio {:.2} \
         (raw add instead of put: {raw_add:.0} ms)",
        records / RECORDS_PER_BATCH / BATCHES_PER_FLUSH,
        raw_bytes as f64 / 1e6,
        durability_name(durability),
        rate(persisted),
        mbps(persisted),
        rate(raw),
        mbps(raw),
        raw / persisted,
    );
    let size = if value_size >= 1_000 { "1KB" } else { "100B" };
    bench_result(serde_json::json!({
        "name": format!("produce_{size}_{}", durability_name(durability)),
        "label": format!(
            "persisted produce, {value_size} B values, {} ({records} records)",
            durability_name(durability)
        ),
        "value": rate(persisted),
        "unit": "rec/s",
        "raw_indexeddb": rate(raw),
        "goal": "ratio ≥ 0.8",
        "note": format!(
            "best of 3 rounds each: persisted {persisted:.0} ms, raw put {raw:.0} ms (raw add {raw_add:.0} ms), {:.1} MB",
            raw_bytes as f64 / 1e6
        ),
    }));
}

/// The origin's storage quota, as `navigator.storage.estimate()` reports it (to judge
/// whether a test could fill it and provoke `QuotaExceededError`).
async fn log_quota() {
    let storage = web_sys::window().expect("a window").navigator().storage();
    let promise = storage.estimate().expect("estimate() runs");
    let estimate: web_sys::StorageEstimate = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("an estimate")
        .unchecked_into();
    console_log!(
        "storage estimate: usage {:.1} MB, quota {:.1} GB",
        estimate.get_usage().unwrap_or(0.0) / 1e6,
        estimate.get_quota().unwrap_or(0.0) / 1e9
    );
}

#[wasm_bindgen_bench]
async fn produce_persisted_vs_raw_indexeddb(_c: &mut Criterion) {
    log_quota().await;
    for durability in [Durability::Relaxed, Durability::Strict] {
        produce_row(100, 200_000, durability).await;
        produce_row(1_000, 50_000, durability).await;
    }
}

/// Persists `records` 100 B records, reopens them on a fresh handle, fetches once.
async fn reload(records: usize) {
    let value_size = 100;
    let (playground, broker, mut persister) = fresh_playground(Durability::Relaxed).await;
    // Set-up: large flushes (1,000 batches, ~12 MB) keep it short; batches are built per
    // flush so only the broker's copy of the log stays in memory.
    let batch_count = records / RECORDS_PER_BATCH;
    let per_flush = 1_000;
    let mut written = 0;
    let mut b = 0;
    while b < batch_count {
        let group: Vec<Vec<NewRecord>> = (b..batch_count.min(b + per_flush))
            .map(|i| batch(i, value_size))
            .collect();
        written += produce(&broker, &mut persister, &group, per_flush).await;
        b += group.len();
    }
    drop(broker);
    persister.into_store().close();

    // The manifest alone (getAllKeys) versus every chunk's bytes (getAll), on their own
    // connection, before the timed open.
    let probe = IndexedDbStore::open(&playground, Durability::Relaxed)
        .await
        .expect("the bench database reopens");
    let started = now_ms();
    let state = probe.load().await.expect("the manifest is read");
    let keys_ms = now_ms() - started;
    assert_eq!(
        state.summaries.len(),
        batch_count,
        "every chunk has a manifest entry"
    );
    let id = state.chunk_keys.first().expect("chunks").topic_id;
    let started = now_ms();
    let read = probe.read_chunks(id, 0).await.expect("the chunks are read");
    let read_ms = now_ms() - started;
    assert_eq!(read.len(), batch_count);
    drop(read);
    drop(state);
    probe.close();

    let started = now_ms();
    let store = IndexedDbStore::open(&playground, Durability::Relaxed)
        .await
        .expect("the bench database reopens");
    let db_open = now_ms() - started;
    let started = now_ms();
    let opened = storage::open(
        store,
        Rc::new(ManualClock::new(START)),
        OpenOptions { seed: 7 },
    )
    .await
    .expect("the persisted log opens");
    let open_ms = now_ms() - started;
    assert!(opened.report.is_clean(), "{:?}", opened.report);

    // Ready: the newest records are served at once.
    let newest = records as i64 - RECORDS_PER_BATCH as i64;
    let started = now_ms();
    let fetched = opened
        .broker
        .fetch(TOPIC, 0, newest, 1)
        .expect("the newest batch is loaded")
        .records()
        .expect("decoded");
    let tail_fetch_ms = now_ms() - started;
    assert_eq!(fetched.first().map(|r| r.offset), Some(newest));

    // The background hydration, run to the end.
    let broker = RefCell::new(opened.broker);
    let started = now_ms();
    hydrate_all(
        opened.persister.store(),
        &broker,
        storage::hydration::DEFAULT_STEP_BATCHES,
    )
    .await
    .expect("hydrated");
    let hydrate_ms = now_ms() - started;
    let broker = broker.into_inner();
    assert!(broker.is_loaded());

    // A fetch from the middle, after hydration.
    let middle = (records / 2) as i64;
    let started = now_ms();
    let fetched = broker
        .fetch(TOPIC, 0, middle, 1)
        .expect("fetched")
        .records()
        .expect("decoded");
    let fetch_ms = now_ms() - started;

    let log = &broker.partition(TOPIC, 0).expect("the partition").log;
    assert_eq!(log.log_end_offset(), records as i64, "every record is back");
    let first = fetched.first().expect("the fetch returned records");
    assert_eq!(first.offset, middle);
    assert_eq!(first.value, Some(value(middle as u64, value_size)));
    console_log!(
        "reload {records} x 100 B ({batch_count} chunks, {:.1} MB): IndexedDB open {db_open:.0} ms, \
         storage::open (ready) {open_ms:.0} ms ({} of {} chunks left cold), first fetch+decode \
         of the newest batch {tail_fetch_ms:.2} ms | full hydration {hydrate_ms:.0} ms, then a \
         fetch+decode from the middle {fetch_ms:.2} ms | manifest alone (getAllKeys) \
         {keys_ms:.0} ms vs every chunk's bytes (getAll) {read_ms:.0} ms",
        written as f64 / 1e6,
        opened.report.cold_chunks,
        opened.report.chunks,
    );
    let scale = match records {
        1_000_000 => "1m".to_string(),
        n => format!("{}k", n / 1_000),
    };
    bench_result(serde_json::json!({
        "name": format!("storage_reload_{scale}_ready_ms"),
        "label": format!("reload of {records} records: storage::open until the broker is ready"),
        "value": open_ms,
        "unit": "ms",
        "raw_indexeddb": read_ms,
        "note": format!(
            "raw IndexedDB: every chunk's bytes read with getAll; the open reads the manifest \
             (getAllKeys, {keys_ms:.0} ms alone) and the newest ~1 MiB; {} of {} chunks left cold",
            opened.report.cold_chunks, opened.report.chunks
        ),
    }));
    bench_result(serde_json::json!({
        "name": format!("storage_reload_{scale}_hydration_ms"),
        "label": format!("reload of {records} records: full background hydration"),
        "value": hydrate_ms,
        "unit": "ms",
        "note": format!("every older chunk read and CRC-checked into the log, {} chunks per step", storage::hydration::DEFAULT_STEP_BATCHES),
    }));
    drop(broker);
    opened.persister.into_store().close();
    IndexedDbStore::delete(&playground)
        .await
        .expect("the bench database is deleted");
}

#[wasm_bindgen_bench]
async fn reload_10k_and_100k_records(_c: &mut Criterion) {
    reload(10_000).await;
    reload(100_000).await;
}

#[wasm_bindgen_bench]
async fn reload_1m_records(_c: &mut Criterion) {
    reload(1_000_000).await;
}
