//! The browser's [`SegmentStore`]: one IndexedDB database per playground.
//!
//! Owns the database schema (object store `metadata`, string keys → JSON text, plus the owner
//! epoch under `owner-epoch` that fences a previous tab's writes; object store
//! `chunks`, binary stored keys → `ArrayBuffer` batch bytes; version 2 keys carry each batch's
//! manifest entry so a lazy open reads keys only, version 1 keys are still read), the upgrade
//! path,
//! closing our connection when another tab upgrades or deletes the database, and the mapping
//! of DOM exceptions to [`StorageError`]. Must not interpret the bytes: `format` owns keys
//! and records, the log owns batches.

// The IndexedDB backend: web objects are its job (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use bytes::Bytes;
use js_sys::{Array, JsString, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    IdbDatabase, IdbFactory, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbTransaction,
    IdbTransactionDurability, IdbTransactionMode, IdbTransactionOptions, IdbVersionChangeEvent,
};

use super::format::{
    decode_stored_key, encode_stored_key, stored_key_bounds, ChunkKey, ChunkRange, OWNER_KEY,
};
use super::idb_request::{await_request, await_transaction, IdbError};
use super::{Durability, SegmentStore, StorageError, StoredState, WriteBatch};

/// The schema version this code creates and reads.
pub const SCHEMA_VERSION: u32 = 2;
const METADATA: &str = "metadata";
const CHUNKS: &str = "chunks";

/// A connection to one playground's IndexedDB database.
#[derive(Debug, Clone)]
pub struct IndexedDbStore {
    db: IdbDatabase,
    name: String,
    /// Shared by clones, so the UI's setting applies to the persister's handle too.
    durability: Rc<Cell<Durability>>,
    closed: Rc<Cell<bool>>,
    /// The chunk keys stored, as this connection knows them (from `load`, or read before the
    /// first commit, then kept up to date by each commit): chunks are written with `put`, and
    /// this index refuses a rewrite, because `add`'s per-record existence check cost ~25 % of
    /// a commit's time in Chromium (measured by `benches/browser_storage.rs`). One tab owns a
    /// playground (Web Locks), so no other connection writes meanwhile.
    chunk_index: Rc<RefCell<Option<BTreeSet<ChunkKey>>>>,
}

/// The database name of a playground.
pub fn database_name(playground: &str) -> String {
    format!("brooklet/{playground}")
}

fn factory() -> Result<IdbFactory, StorageError> {
    // `indexedDB` lives on the global object of windows and workers alike.
    let value = Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .map_err(|e| StorageError::Unavailable(IdbError::from_js(&e).to_string()))?;
    if value.is_undefined() || value.is_null() {
        return Err(StorageError::Unavailable(
            "indexedDB is not defined".to_owned(),
        ));
    }
    Ok(value.unchecked_into())
}

/// Maps a browser failure to a storage error: `QuotaExceededError` becomes
/// [`StorageError::QuotaExceeded`] (Kafka's `KAFKA_STORAGE_ERROR`, with a message saying how
/// to free space), `ConstraintError` a refused chunk rewrite, `InvalidStateError` a closed
/// connection.
pub fn storage_error(operation: &'static str, e: IdbError) -> StorageError {
    match e.name.as_str() {
        _ if e.is_quota_exceeded() => StorageError::QuotaExceeded { message: e.message },
        "ConstraintError" => StorageError::ChunkExists {
            key: format!("(one of this write's chunks: {})", e.message),
        },
        "InvalidStateError" => StorageError::Closed,
        _ => StorageError::Idb {
            operation,
            name: e.name,
            message: e.message,
        },
    }
}

fn js_error(operation: &'static str) -> impl Fn(JsValue) -> StorageError {
    move |e| storage_error(operation, IdbError::from_js(&e))
}

fn bytes_value(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).buffer().into()
}

/// The key ranges of `range` among version 1 and version 2 stored keys.
fn key_ranges(range: &ChunkRange) -> Result<[IdbKeyRange; 2], StorageError> {
    let [(l1, h1), (l2, h2)] = stored_key_bounds(range);
    let bound = |l: &[u8], h: &[u8]| {
        IdbKeyRange::bound(&bytes_value(l), &bytes_value(h)).map_err(js_error("build a key range"))
    };
    Ok([bound(&l1, &h1)?, bound(&l2, &h2)?])
}

impl IndexedDbStore {
    /// Opens (creating or upgrading) the database of `playground`. Writes use `durability`.
    pub async fn open(playground: &str, durability: Durability) -> Result<Self, StorageError> {
        let name = database_name(playground);
        let request: IdbOpenDbRequest = factory()?
            .open_with_u32(&name, SCHEMA_VERSION)
            .map_err(js_error("open the database"))?;
        let upgrading = request.clone();
        let on_upgrade = Closure::once_into_js(move |event: IdbVersionChangeEvent| {
            let Ok(result) = upgrading.result() else {
                return;
            };
            let db: IdbDatabase = result.unchecked_into();
            // Version 0 → 1: create both stores. Later versions add steps here, keyed on
            // the old version, so every older database is brought forward step by step.
            if event.old_version() < 1.0 {
                // A failure here fails the open request, which the caller sees.
                let _ = db.create_object_store(METADATA);
                let _ = db.create_object_store(CHUNKS);
            }
            // Version 1 → 2: chunk keys gain the batch manifest. The stores are unchanged;
            // version 1 keys are still read, and recovery reads a partition holding any
            // eagerly and rewrites its chunks under version 2 keys (`storage::open`).
        });
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db: IdbDatabase = await_request(&request)
            .await
            .map_err(|e| storage_error("open the database", e))?
            .unchecked_into();
        let closed = Rc::new(Cell::new(false));
        let flag = closed.clone();
        let closing = db.clone();
        // Another tab wants a newer schema or is deleting the database: step aside.
        let on_version_change = Closure::once_into_js(move || {
            flag.set(true);
            closing.close();
        });
        db.set_onversionchange(Some(on_version_change.unchecked_ref()));
        Ok(Self {
            db,
            name,
            durability: Rc::new(Cell::new(durability)),
            closed,
            chunk_index: Rc::default(),
        })
    }

    /// Deletes the database of `playground` (close every connection to it first).
    pub async fn delete(playground: &str) -> Result<(), StorageError> {
        let request = factory()?
            .delete_database(&database_name(playground))
            .map_err(js_error("delete the database"))?;
        await_request(&request)
            .await
            .map(|_| ())
            .map_err(|e| storage_error("delete the database", e))
    }

    /// Closes the connection; later calls fail with [`StorageError::Closed`].
    pub fn close(&self) {
        self.closed.set(true);
        self.db.close();
    }

    /// True once closed, by us or because another tab upgraded or deleted the database.
    pub fn is_closed(&self) -> bool {
        self.closed.get()
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The durability writes use.
    pub fn durability(&self) -> Durability {
        self.durability.get()
    }

    fn transaction(&self, mode: IdbTransactionMode) -> Result<IdbTransaction, StorageError> {
        self.transaction_over(&[METADATA, CHUNKS], mode)
    }

    /// A transaction over `stores` only: a commit that writes no metadata leaves the
    /// metadata store out of its scope.
    fn transaction_over(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, StorageError> {
        if self.closed.get() {
            return Err(StorageError::Closed);
        }
        let names: Vec<JsString> = stores.iter().map(|s| JsString::from(*s)).collect();
        let options = IdbTransactionOptions::new();
        options.set_durability(match self.durability.get() {
            Durability::Relaxed => IdbTransactionDurability::Relaxed,
            Durability::Strict => IdbTransactionDurability::Strict,
        });
        self.db
            .transaction_with_str_sequence_and_mode_and_options(&names, mode, &options)
            .map_err(js_error("start a transaction"))
    }

    /// Lets the browser take back the space of a write it refused for lack of space.
    ///
    /// Chromium 156 keeps IndexedDB in SQLite, and usage is the database file's size: a
    /// transaction refused by the quota check leaves its pages in the file, counted as used,
    /// until a later transaction on the database commits. While usage is over the quota every
    /// write that adds bytes is refused, so without a commit the playground would stay full
    /// for good after a single refused write. An empty read-write transaction writes nothing
    /// (so it is never refused) and its commit releases those pages at once (measured with
    /// `navigator.storage.estimate()`: 335,872 bytes after a refused 256 KiB write, 73,728,
    /// the empty database, after the empty commit). Elsewhere it costs one round trip.
    async fn reclaim_refused_space(&self) {
        if let Ok(tx) = self.transaction(IdbTransactionMode::Readwrite) {
            // Nothing to report either way: this only helps the next write.
            let _ = await_transaction(&tx).await;
        }
    }

    /// Reads every chunk key into the index (a handle that commits before it ever loaded).
    async fn load_chunk_index(&self) -> Result<(), StorageError> {
        let tx = self.transaction_over(&[CHUNKS], IdbTransactionMode::Readonly)?;
        let chunks = tx.object_store(CHUNKS).map_err(js_error("open a store"))?;
        let request = chunks
            .get_all_keys()
            .map_err(js_error("read the chunk keys"))?;
        let keys = await_request(&request)
            .await
            .map_err(|e| storage_error("read the chunk keys", e))?;
        let index = Array::from(&keys)
            .iter()
            .filter_map(|k| decode_stored_key(&Uint8Array::new(&k).to_vec()).map(|(k, _)| k))
            .collect();
        *self.chunk_index.borrow_mut() = Some(index);
        Ok(())
    }

    /// Refuses a put of a chunk that is stored and not deleted by the same batch, or put
    /// twice in it: chunks are written once.
    fn check_append_only(&self, batch: &WriteBatch) -> Result<(), StorageError> {
        let index = self.chunk_index.borrow();
        let mut seen = BTreeSet::new();
        for (key, _) in &batch.chunk_puts {
            let stored = index.as_ref().is_some_and(|i| i.contains(key));
            if (stored && !batch.is_deleted(key)) || !seen.insert(*key) {
                return Err(StorageError::ChunkExists {
                    key: key.to_string(),
                });
            }
        }
        Ok(())
    }

    fn stores(tx: &IdbTransaction) -> Result<(IdbObjectStore, IdbObjectStore), StorageError> {
        let metadata = tx
            .object_store(METADATA)
            .map_err(js_error("open a store"))?;
        let chunks = tx.object_store(CHUNKS).map_err(js_error("open a store"))?;
        Ok((metadata, chunks))
    }

    /// Queues every request of `batch` on `tx`; the transaction commits them all or none.
    fn queue(tx: &IdbTransaction, batch: &WriteBatch) -> Result<(), StorageError> {
        let err = js_error("queue a write");
        if !batch.metadata_puts.is_empty() || !batch.metadata_deletes.is_empty() {
            Self::queue_metadata(tx, batch)?;
        }
        let chunks = tx.object_store(CHUNKS).map_err(js_error("open a store"))?;
        for range in &batch.chunk_deletes {
            for r in key_ranges(range)? {
                chunks.delete(&r.into()).map_err(&err)?;
            }
        }
        for (key, bytes) in &batch.chunk_puts {
            let value = Uint8Array::from(bytes.as_ref()).buffer();
            let stored = encode_stored_key(key, bytes);
            // `put`: `check_append_only` has refused rewrites already.
            chunks
                .put_with_key(&value, &bytes_value(&stored))
                .map_err(&err)?;
        }
        Ok(())
    }

    /// Queues, in `tx`, the read of the stored owner epoch; returns the metadata store too.
    fn read_owner_epoch(
        tx: &IdbTransaction,
    ) -> Result<(IdbObjectStore, web_sys::IdbRequest), StorageError> {
        let metadata = tx
            .object_store(METADATA)
            .map_err(js_error("open a store"))?;
        let request = metadata
            .get(&JsValue::from_str(OWNER_KEY))
            .map_err(js_error("read the owner epoch"))?;
        Ok((metadata, request))
    }

    /// Queues the read of the stored owner epoch; its success handler aborts `tx` when the
    /// epoch is no longer `ours` and leaves the stored one in the returned cell. The handler
    /// is a plain callback, not a future's continuation: it runs while the transaction is
    /// active and before any later request of it.
    fn queue_fence(tx: &IdbTransaction, ours: u64) -> Result<Rc<Cell<Option<u64>>>, StorageError> {
        let (_, request) = Self::read_owner_epoch(tx)?;
        let fenced = Rc::new(Cell::new(None));
        let (flag, reading, aborting) = (fenced.clone(), request.clone(), tx.clone());
        let on_success = Closure::once_into_js(move || {
            let stored = reading.result().map_or(0, |v| parse_epoch(&v));
            if stored != ours {
                flag.set(Some(stored));
                let _ = aborting.abort();
            }
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        Ok(fenced)
    }

    fn queue_metadata(tx: &IdbTransaction, batch: &WriteBatch) -> Result<(), StorageError> {
        let metadata = tx
            .object_store(METADATA)
            .map_err(js_error("open a store"))?;
        let err = js_error("queue a write");
        for key in &batch.metadata_deletes {
            metadata.delete(&JsValue::from_str(key)).map_err(&err)?;
        }
        for (key, value) in &batch.metadata_puts {
            metadata
                .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
                .map_err(&err)?;
        }
        Ok(())
    }
}

/// The owner epoch as stored (decimal text); 0 when there is none.
fn parse_epoch(value: &JsValue) -> u64 {
    value
        .as_string()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

fn strings(value: &JsValue) -> Vec<String> {
    Array::from(value)
        .iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect()
}

impl SegmentStore for IndexedDbStore {
    async fn load(&self) -> Result<StoredState, StorageError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let (metadata, chunks) = Self::stores(&tx)?;
        let err = js_error("read the stored state");
        // Every request is issued before the first await, while the transaction is active.
        let meta_keys = metadata.get_all_keys().map_err(&err)?;
        let meta_values = metadata.get_all().map_err(&err)?;
        let chunk_keys = chunks.get_all_keys().map_err(&err)?;
        let read = |e| storage_error("read the stored state", e);
        let meta_keys = strings(&await_request(&meta_keys).await.map_err(read)?);
        let meta_values = strings(&await_request(&meta_values).await.map_err(read)?);
        let raw_keys = Array::from(&await_request(&chunk_keys).await.map_err(read)?);
        let mut state = StoredState::default();
        for (key, value) in meta_keys.into_iter().zip(meta_values) {
            if key == OWNER_KEY {
                state.owner_epoch = value.parse().unwrap_or(0);
            } else {
                state.metadata.push((key, value));
            }
        }
        for key in raw_keys.iter() {
            match decode_stored_key(&Uint8Array::new(&key).to_vec()) {
                Some((k, summary)) => {
                    state.chunk_keys.push(k);
                    if let Some(s) = summary {
                        state.summaries.insert(k, s);
                    }
                }
                None => state.unreadable_chunk_keys += 1,
            }
        }
        // Version 1 and 2 keys sort apart (by their version byte): restore key order.
        crate::sort::sort(&mut state.chunk_keys);
        *self.chunk_index.borrow_mut() = Some(state.chunk_keys.iter().copied().collect());
        Ok(state)
    }

    async fn claim(&self) -> Result<u64, StorageError> {
        let tx = self.transaction_over(&[METADATA], IdbTransactionMode::Readwrite)?;
        let (metadata, request) = Self::read_owner_epoch(&tx)?;
        // Read and bump in one transaction, the put issued from the read's own callback
        // (while the transaction is active), so two claims can never get the same epoch.
        let claimed = Rc::new(Cell::new(0u64));
        let (epoch, reading, store, aborting) = (
            claimed.clone(),
            request.clone(),
            metadata.clone(),
            tx.clone(),
        );
        let on_success = Closure::once_into_js(move || {
            let next = reading.result().map_or(0, |v| parse_epoch(&v)) + 1;
            epoch.set(next);
            let put = store.put_with_key(
                &JsValue::from_str(&next.to_string()),
                &JsValue::from_str(OWNER_KEY),
            );
            // A put refused at once must not let the transaction complete as a claim; one
            // refused later (for space) aborts it by itself. The await below reports both.
            if put.is_err() {
                let _ = aborting.abort();
            }
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        if let Err(e) = await_transaction(&tx).await {
            if e.is_quota_exceeded() {
                self.reclaim_refused_space().await;
            }
            return Err(storage_error("claim the playground", e));
        }
        Ok(claimed.get())
    }

    async fn claim_without_space(&self) -> Result<u64, StorageError> {
        let tx = self.transaction_over(&[METADATA], IdbTransactionMode::Readwrite)?;
        tx.object_store(METADATA)
            .map_err(js_error("open a store"))?
            .delete(&JsValue::from_str(OWNER_KEY))
            .map_err(js_error("remove the owner epoch"))?;
        await_transaction(&tx)
            .await
            .map_err(|e| storage_error("claim the playground", e))?;
        Ok(0)
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StorageError> {
        if self.chunk_index.borrow().is_none() && !batch.chunk_puts.is_empty() {
            self.load_chunk_index().await?;
        }
        self.check_append_only(&batch)?;
        let stores: &[&str] = if batch.metadata_puts.is_empty()
            && batch.metadata_deletes.is_empty()
            && batch.fence.is_none()
        {
            &[CHUNKS]
        } else {
            &[METADATA, CHUNKS]
        };
        let tx = self.transaction_over(stores, IdbTransactionMode::Readwrite)?;
        // The fence is read first, in this transaction: requests run in order, so its check
        // aborts the transaction before any of the writes queued after it can commit.
        let fenced = match batch.fence {
            Some(ours) => match Self::queue_fence(&tx, ours) {
                Ok(fenced) => Some(fenced),
                Err(e) => {
                    let _ = tx.abort();
                    return Err(e);
                }
            },
            None => None,
        };
        if let Err(e) = Self::queue(&tx, &batch) {
            // Nothing may land half-done: abandon everything queued so far.
            let _ = tx.abort();
            return Err(e);
        }
        let committed = await_transaction(&tx).await;
        if let (Some(ours), Some(stored)) = (batch.fence, fenced.and_then(|f| f.get())) {
            return Err(StorageError::Fenced { ours, stored });
        }
        if let Err(e) = committed {
            if e.is_quota_exceeded() {
                self.reclaim_refused_space().await;
            }
            return Err(storage_error("commit a write", e));
        }
        if let Some(index) = self.chunk_index.borrow_mut().as_mut() {
            for range in &batch.chunk_deletes {
                let doomed: Vec<ChunkKey> =
                    index.range(range.first..=range.last).copied().collect();
                for key in doomed {
                    index.remove(&key);
                }
            }
            index.extend(batch.chunk_puts.iter().map(|(k, _)| *k));
        }
        Ok(())
    }

    async fn read_chunk_range(
        &self,
        range: ChunkRange,
    ) -> Result<Vec<(ChunkKey, Bytes)>, StorageError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let (_, chunks) = Self::stores(&tx)?;
        let err = js_error("read chunks");
        // Both key versions, every request issued before the first await.
        let mut requests = Vec::with_capacity(2);
        for r in key_ranges(&range)? {
            let r: JsValue = r.into();
            let keys = chunks.get_all_keys_with_key(&r).map_err(&err)?;
            let values = chunks.get_all_with_key(&r).map_err(&err)?;
            requests.push((keys, values));
        }
        let read = |e| storage_error("read chunks", e);
        let mut out = Vec::new();
        for (keys, values) in requests {
            let keys = Array::from(&await_request(&keys).await.map_err(read)?);
            let values = Array::from(&await_request(&values).await.map_err(read)?);
            out.reserve(keys.length() as usize);
            for (key, value) in keys.iter().zip(values.iter()) {
                if let Some((k, _)) = decode_stored_key(&Uint8Array::new(&key).to_vec()) {
                    out.push((k, Bytes::from(Uint8Array::new(&value).to_vec())));
                }
            }
        }
        crate::sort::sort_by_key(&mut out, |(k, _)| *k);
        Ok(out)
    }

    /// Changes the durability of the next transactions (the playground's visible setting);
    /// clones share it.
    fn set_durability(&self, durability: Durability) {
        self.durability.set(durability);
    }
}
