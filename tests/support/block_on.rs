//! Runs a storage future to completion in a native test (included by the `storage_*` and
//! `client_*_storage` tests with `#[path]`). Native stores (`MemoryStore`, `FaultyStore`) never
//! wait, so every await is ready at once: no executor is needed, and none is a dependency.

/// Polls `future` until it is ready and returns its output.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}
