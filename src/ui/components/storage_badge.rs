//! Where the playground's data lives, how much room it takes on disk and in memory (the
//! wasm memory, and the batches cached in it), and the durability and flush-delay switches.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::playground::engine::human_bytes;
use crate::playground::Area;
use crate::storage::Durability;
use crate::ui::context::use_area;
use crate::ui::persistence::{
    storage_estimate, wasm_memory_bytes, StorageMode, FLUSH_DELAY_CHOICES,
};

/// The storage badge in the top bar.
#[function_component(StorageBadge)]
pub fn storage_badge() -> Html {
    let store = use_area(vec![Area::Storage]);
    let estimate = use_state(|| None::<(f64, f64)>);
    // Refresh the estimate after changes (the store's revision moves with each one).
    {
        let estimate = estimate.clone();
        use_effect_with(store.read().revision(&Area::Storage) / 5, move |_| {
            spawn_local(async move { estimate.set(storage_estimate().await) });
        });
    }
    match store.persistence.mode() {
        StorageMode::MemoryOnly(reason) => {
            // Nothing is stored, so nothing can be evicted: every record stays in memory.
            let memory = wasm_memory_bytes()
                .map(|bytes| format!(" · memory {}", human_bytes(bytes)))
                .unwrap_or_default();
            html! {
                <span class="storage-badge memory" title={reason}>{ format!("Memory only{memory}") }</span>
            }
        }
        StorageMode::Persistent(durability) => {
            let next = match durability {
                Durability::Relaxed => Durability::Strict,
                Durability::Strict => Durability::Relaxed,
            };
            let toggle = {
                let store = store.clone();
                Callback::from(move |_| {
                    store.persistence.set_durability(next);
                    store.storage_changed();
                })
            };
            // Below 1500 px the badge says "Stored 72 KiB" instead of "Kept in this browser ·
            // 72 KiB of 10 GiB" and leaves out the cache (both are in the tooltips), so the top
            // bar stays one row with the memory figure in it (styles.css).
            let (used, quota) = estimate
                .map(|(usage, quota)| {
                    (
                        human_bytes(usage as u64),
                        format!(" of {}", human_bytes(quota as u64)),
                    )
                })
                .unwrap_or_default();
            let (long, short) = if used.is_empty() {
                ("Kept in this browser", "Stored")
            } else {
                ("Kept in this browser · ", "Stored ")
            };
            let (label, help) = match durability {
                Durability::Relaxed => ("relaxed", "A write is acknowledged when IndexedDB has it; an OS crash may lose the last moments. Click for strict."),
                Durability::Strict => ("strict", "A write is acknowledged only once it is on disk: slower, survives power loss. Click for relaxed."),
            };
            let policy = store.persistence.flush_policy();
            let next_delay = FLUSH_DELAY_CHOICES
                .iter()
                .copied()
                .find(|d| *d > policy.max_delay_ms)
                .unwrap_or(FLUSH_DELAY_CHOICES[0]);
            let cycle_delay = {
                let store = store.clone();
                Callback::from(move |_| {
                    let mut next = store.persistence.flush_policy();
                    next.max_delay_ms = next_delay;
                    store.set_flush_policy(next);
                })
            };
            let flush_help = format!(
                "Changes are written in one IndexedDB transaction once the oldest has waited {} ms, or at once when {} are waiting; a produce is acknowledged when its transaction completes. Click to wait up to {} ms.",
                policy.max_delay_ms,
                human_bytes(policy.max_dirty_bytes),
                next_delay
            );
            let (cached, cold) = store.read().cache_usage();
            let budget = store.persistence.cache_budget().unwrap_or_default();
            let memory_help = format!(
                "The page's WebAssembly memory (it grows, never shrinks). Of it, {} are records cached from this browser's storage (at most about {}: older ones are dropped once stored and read back when needed); {cold} batch(es) are in storage only.",
                human_bytes(cached),
                human_bytes(budget)
            );
            let memory = wasm_memory_bytes().map(|bytes| {
                (
                    format!(" · memory {}", human_bytes(bytes)),
                    format!(" (cache {})", human_bytes(cached)),
                )
            });
            html! {
                <span class="storage-badge" data-testid="storage-badge">
                    <span title={format!("The playground's log is kept in IndexedDB, in this browser's profile: {used}{quota} used.")}>
                        <span class="where-long">{ long }</span><span class="where-short">{ short }</span>{ used }<span class="quota">{ quota }</span>
                    </span>
                    if let Some((memory, cache)) = memory {
                        <span class="memory-use" data-testid="storage-memory" title={memory_help}>
                            { memory }<span class="cache">{ cache }</span>
                        </span>
                    }
                    <button type="button" class="small" title={help} onclick={toggle}>{ format!("durability: {label}") }</button>
                    <button type="button" class="small" title={flush_help} onclick={cycle_delay} data-testid="flush-delay">
                        { flush_label(policy.max_delay_ms, policy.max_dirty_bytes) }
                    </button>
                </span>
            }
        }
    }
}

/// The flush setting in a few words.
fn flush_label(max_delay_ms: u64, max_dirty_bytes: u64) -> String {
    if max_delay_ms == 0 {
        "flush: every change".to_owned()
    } else {
        format!(
            "flush: ≤{max_delay_ms} ms or {}",
            human_bytes(max_dirty_bytes)
        )
    }
}
