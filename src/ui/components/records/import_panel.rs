//! Import a file of JSON lines, one record per line, keyed by a chosen field: the course's
//! "read a file line by line and produce it".
//!
//! Owns reading the chosen file (gloo's FileReader) and showing the outcome. Must not parse
//! lines (`import` does) nor pick partitions (the playground's partitioner does).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::components::{event_value, typed};
use crate::ui::context::{after_change, use_playground};
use crate::ui::import_file::read_file;
use crate::ui::sample_orders::grouped;

/// Props of [`ImportPanel`].
#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    /// The topic to produce to.
    pub topic: String,
}

/// The import panel.
#[function_component(ImportPanel)]
pub fn import_panel(props: &ImportPanelProps) -> Html {
    let store = use_playground();
    let key_field = use_state(|| "customer_id".to_owned());
    let outcome = use_state(|| None::<Result<String, String>>);
    // The reader must live until it calls back; a new file replaces (and aborts) the old one.
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);

    let on_key_field = {
        let key_field = key_field.clone();
        Callback::from(move |e: Event| key_field.set(event_value(&e)))
    };
    let on_file = {
        let (store, outcome, reader, topic, key) = (
            store.clone(),
            outcome.clone(),
            reader.clone(),
            props.topic.clone(),
            (*key_field).clone(),
        );
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let name = file.name();
            let file = gloo::file::File::from(file);
            let (store, outcome, topic, key) =
                (store.clone(), outcome.clone(), topic.clone(), key.clone());
            let reading = gloo::file::callbacks::read_as_text(&file, move |text| {
                let result = match text {
                    Err(error) => Err(format!(
                        "Could not read {name}: {error}. Choose the file again, or check it is a text file."
                    )),
                    Ok(text) => match read_file(&name, &text, &key) {
                        Err(message) => Err(message),
                        Ok(records) => {
                            let batch = records.into_iter().map(|r| (r.key, r.value)).collect();
                            let produced = store.playground.borrow_mut().produce_batch(&topic, batch);
                            let message = produced.map(|n| {
                                let keyed = if key.trim().is_empty() {
                                    "null keys".to_owned()
                                } else {
                                    format!("keyed by {}", key.trim())
                                };
                                format!("Imported {} record(s) from {name} into {topic}, {keyed}.", grouped(n as u64))
                            });
                            if let Ok(line) = &message {
                                store.playground.borrow_mut().tell(line.clone());
                            }
                            after_change(&store);
                            message
                        }
                    },
                };
                outcome.set(Some(result));
                // Choosing the same file again imports it again.
                input.set_value("");
            });
            *reader.borrow_mut() = Some(reading);
        })
    };

    html! {
        <section class="card form-grid one-column import-panel" aria-labelledby="import-title">
            <h2 id="import-title">{ "Import JSON lines" }</h2>
            <p class="fine-print">{ "One JSON object per line. All or nothing: if any line is bad, nothing is produced and each bad line is listed with its number." }</p>
            <label>{ "Key field (empty = null keys; a.b for nested)" }
                <input name="import-key" value={(*key_field).clone()} oninput={typed(on_key_field)} autocomplete="off" />
            </label>
            <label>{ "File" }
                <input name="import-file" type="file" accept=".json,.jsonl,.ndjson,.txt,application/json,text/plain" onchange={on_file} />
            </label>
            { match &*outcome {
                Some(Ok(message)) => html! { <p class="notice ok" role="status" data-testid="import-result">{ message }</p> },
                Some(Err(message)) => html! { <p class="notice error" role="alert" data-testid="import-result">{ message }</p> },
                None => html! {},
            } }
        </section>
    }
}
