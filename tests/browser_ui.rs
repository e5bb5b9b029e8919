//! The Yew app mounts in a real page: the playground opens (lock, IndexedDB, recovery) and
//! renders its first screen with the cluster's real state; the consumer-groups page mounts
//! with its standalone reader.

// A browser test: web objects are its tools (clippy.toml keeps them out of the native layers).
#![allow(clippy::disallowed_types)]
#![cfg(target_arch = "wasm32")]

use brooklet::ui::App;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Waits up to `ms` for `selector` to match, polling every 20 ms.
async fn wait_for(root: &web_sys::Element, selector: &str, ms: u32) -> Option<web_sys::Element> {
    for _ in 0..ms / 20 {
        if let Ok(Some(found)) = root.query_selector(selector) {
            return Some(found);
        }
        TimeoutFuture::new(20).await;
    }
    None
}

#[wasm_bindgen_test]
// One test mounts the app once: the tab lock the first mount takes outlives `destroy`, so a
// second mount in the same page would open as "open in another tab".
async fn the_app_mounts_shows_the_overview_then_the_groups_page_with_its_standalone_reader() {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();

    let shell = wait_for(&root, "[data-testid=\"app\"]", 10_000).await;
    assert!(shell.is_some(), "the shell rendered: {}", root.inner_html());
    let heading = root
        .query_selector("h1")
        .ok()
        .flatten()
        .map(|h| h.text_content().unwrap_or_default());
    assert_eq!(heading.as_deref(), Some("Learn Kafka by running it"));
    let brokers = root
        .query_selector("article[aria-label=\"Brokers\"] tbody")
        .ok()
        .flatten()
        .and_then(|b| b.text_content())
        .unwrap_or_default();
    assert!(
        brokers.contains("1 (controller)"),
        "brokers card: {brokers}"
    );
    let links = root
        .query_selector_all("nav a.nav-link")
        .expect("a selector")
        .length();
    assert_eq!(
        links, 5,
        "overview, topics, consumer groups, terminal, streams"
    );

    let window = gloo::utils::window();
    window.location().set_hash("#/groups").expect("a hash");
    let reader = wait_for(&root, "[data-testid=\"reader\"]", 10_000).await;
    let text = reader
        .and_then(|r| r.text_content())
        .unwrap_or_else(|| root.inner_html());
    assert!(text.contains("Standalone reader"), "{text}");
    assert!(text.contains("Browsing is not consuming"), "{text}");
    assert!(text.contains("commits nothing"), "{text}");
    let run = root
        .query_selector("[data-testid=\"auto-run\"]")
        .ok()
        .flatten()
        .and_then(|r| r.parent_element())
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert!(
        run.contains("each at its own rate"),
        "the run toggle: {run}"
    );
    window.location().set_hash("").expect("a hash");
    handle.destroy();
    root.remove();
}
