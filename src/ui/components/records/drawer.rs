//! The record drawer: one record's key, pretty JSON value, headers, timestamp, partition,
//! offset and batch. Escape or the close button shuts it.
//!
//! Owns only the layout. Must not decode anything itself: `message_browser::record_detail` does.

use yew::prelude::*;

use crate::playground::record_format::format_utc;
use crate::playground::Area;
use crate::ui::context::use_area;

/// Props of [`RecordDrawer`].
#[derive(Properties, PartialEq)]
pub struct RecordDrawerProps {
    /// The topic.
    pub topic: String,
    /// The record's partition.
    pub partition: i32,
    /// The record's offset.
    pub offset: i64,
    /// Closes the drawer.
    pub on_close: Callback<()>,
}

/// The record drawer.
#[function_component(RecordDrawer)]
pub fn record_drawer(props: &RecordDrawerProps) -> Html {
    let store = use_area(vec![Area::Partitions(props.topic.clone()), Area::Storage]);
    let close_button = use_node_ref();
    {
        // Focus moves into the drawer when it opens (or shows another record).
        let close_button = close_button.clone();
        use_effect_with((props.partition, props.offset), move |_| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let detail = store
        .read()
        .record_detail(&props.topic, props.partition, props.offset);
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let on_key = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    html! {
        <aside class="drawer" role="dialog" aria-labelledby="drawer-title" data-testid="record-drawer" onkeydown={on_key}>
            <header class="drawer-head">
                <h2 id="drawer-title">{ format!("{}-{} @ offset {}", props.topic, props.partition, props.offset) }</h2>
                <button type="button" ref={close_button} onclick={on_close} aria-label="Close the record">{ "✕" }</button>
            </header>
            { match detail {
                Err(refused) => html! { <p class="notice error" role="alert">{ refused.to_string() }</p> },
                Ok(d) => html! {
                    <>
                        <dl class="drawer-facts">
                            <dt>{ "Partition" }</dt><dd>{ d.partition }</dd>
                            <dt>{ "Offset" }</dt><dd>{ d.offset }</dd>
                            <dt>{ "Timestamp" }</dt><dd>{ format!("{} ({})", d.timestamp, format_utc(d.timestamp)) }</dd>
                            <dt>{ "Key" }</dt><dd data-testid="drawer-key"><code>{ &d.key }</code></dd>
                            <dt>{ "Batch" }</dt>
                            <dd title="Kafka stores records in batches; a fetch returns whole batches">
                                { format!("offsets {}–{}, {} record(s), {} bytes", d.batch_base_offset, d.batch_last_offset, d.batch_records, d.batch_bytes) }
                            </dd>
                            <dt>{ "Headers" }</dt>
                            <dd>
                                if d.headers.is_empty() {
                                    <span class="muted">{ "none" }</span>
                                } else {
                                    <ul class="drawer-headers">
                                        { for d.headers.iter().map(|(k, v)| html! { <li><code>{ format!("{k}: {v}") }</code></li> }) }
                                    </ul>
                                }
                            </dd>
                        </dl>
                        <h3>{ "Value" }</h3>
                        <pre class="drawer-value" data-testid="drawer-value" tabindex="0">{ d.value }</pre>
                    </>
                },
            } }
        </aside>
    }
}
