//! IndexedDB works under the test runner: bytes go in and come back out unchanged.
//!
//! Runs in headless Chromium (`make test-browser`). Each test uses a fresh, randomly named
//! database and deletes it afterwards, so runs never see each other's data.

// A browser test: web objects are its tools (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]
#![cfg(target_arch = "wasm32")]

use brooklet::storage::idb_request::await_request;
use js_sys::{ArrayBuffer, Math, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbTransactionMode};

wasm_bindgen_test_configure!(run_in_browser);

fn indexed_db() -> IdbFactory {
    web_sys::window()
        .and_then(|window| window.indexed_db().ok().flatten())
        .expect("this browser offers IndexedDB")
}

fn random_database_name() -> String {
    format!(
        "brooklet-test-{:016x}",
        (Math::random() * 2f64.powi(53)) as u64
    )
}

async fn open_with_store(name: &str, store: &'static str) -> IdbDatabase {
    let request: IdbOpenDbRequest = indexed_db()
        .open_with_u32(name, 1)
        .expect("open is allowed");
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        let database: IdbDatabase = upgrading
            .result()
            .expect("an upgrade has a result")
            .unchecked_into();
        database
            .create_object_store(store)
            .expect("a fresh database can create a store");
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    await_request(&request)
        .await
        .expect("the database opens")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn an_array_buffer_stored_in_indexed_db_reads_back_byte_for_byte() {
    let name = random_database_name();
    let database = open_with_store(&name, "chunks").await;

    // Every byte value, twice, so a sign or encoding slip anywhere would show.
    let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    let buffer: ArrayBuffer = Uint8Array::from(bytes.as_slice()).buffer();

    let write = database
        .transaction_with_str_and_mode("chunks", IdbTransactionMode::Readwrite)
        .expect("a readwrite transaction opens");
    let put = write
        .object_store("chunks")
        .expect("the store exists")
        .put_with_key(&buffer, &"segment-00000000000000000000".into())
        .expect("put is accepted");
    await_request(&put).await.expect("the put succeeds");

    let read = database
        .transaction_with_str("chunks")
        .expect("a readonly transaction opens");
    let get = read
        .object_store("chunks")
        .expect("the store exists")
        .get(&"segment-00000000000000000000".into())
        .expect("get is accepted");
    let stored = await_request(&get).await.expect("the get succeeds");
    assert!(
        stored.is_instance_of::<ArrayBuffer>(),
        "IndexedDB returns an ArrayBuffer"
    );
    assert_eq!(Uint8Array::new(&stored).to_vec(), bytes);

    database.close();
    let delete = indexed_db()
        .delete_database(&name)
        .expect("delete is allowed");
    await_request(&delete)
        .await
        .expect("the test database is deleted");
}

#[wasm_bindgen_test]
async fn reading_a_missing_key_returns_undefined_not_an_error() {
    let name = random_database_name();
    let database = open_with_store(&name, "chunks").await;
    let read = database
        .transaction_with_str("chunks")
        .expect("a readonly transaction opens");
    let get = read
        .object_store("chunks")
        .expect("the store exists")
        .get(&"absent".into())
        .expect("get is accepted");
    assert!(await_request(&get)
        .await
        .expect("the get succeeds")
        .is_undefined());
    database.close();
    let delete = indexed_db()
        .delete_database(&name)
        .expect("delete is allowed");
    await_request(&delete)
        .await
        .expect("the test database is deleted");
}
