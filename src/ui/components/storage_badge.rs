//! Where the playground's data lives, how much room it takes, and the durability switch.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::storage::Durability;
use crate::ui::context::use_playground;
use crate::ui::persistence::{storage_estimate, StorageMode};
use crate::ui::playground::human_bytes;

/// The storage badge in the top bar.
#[function_component(StorageBadge)]
pub fn storage_badge() -> Html {
    let store = use_playground();
    let estimate = use_state(|| None::<(f64, f64)>);
    // Refresh the estimate after changes (the store's revision moves with each one).
    {
        let estimate = estimate.clone();
        use_effect_with(store.revision / 5, move |_| {
            spawn_local(async move { estimate.set(storage_estimate().await) });
        });
    }
    match store.persistence.mode() {
        StorageMode::MemoryOnly(reason) => html! {
            <span class="storage-badge memory" title={reason}>{ "Memory only" }</span>
        },
        StorageMode::Persistent(durability) => {
            let next = match durability {
                Durability::Relaxed => Durability::Strict,
                Durability::Strict => Durability::Relaxed,
            };
            let toggle = {
                let store = store.clone();
                Callback::from(move |_| {
                    store.persistence.set_durability(next);
                    store.dispatch(crate::ui::context::Changed);
                })
            };
            let used = estimate.map(|(usage, quota)| {
                format!(
                    " · {} of {}",
                    human_bytes(usage as u64),
                    human_bytes(quota as u64)
                )
            });
            let (label, help) = match durability {
                Durability::Relaxed => ("relaxed", "A write is acknowledged when IndexedDB has it; an OS crash may lose the last moments. Click for strict."),
                Durability::Strict => ("strict", "A write is acknowledged only once it is on disk: slower, survives power loss. Click for relaxed."),
            };
            html! {
                <span class="storage-badge" data-testid="storage-badge">
                    { format!("Kept in this browser{}", used.unwrap_or_default()) }
                    <button type="button" class="small" title={help} onclick={toggle}>{ format!("durability: {label}") }</button>
                </span>
            }
        }
    }
}
