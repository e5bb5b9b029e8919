//! Import a file of JSON lines, one record per line, keyed by a chosen field: the course's
//! "read a file line by line and produce it".
//!
//! Owns reading the chosen file (gloo's FileReader) and showing the outcome — once storage
//! has it: "Imported" is said when the store acknowledged every record, and a refused write
//! says nothing was stored. Must not parse or check lines (`import` does) nor pick
//! partitions (the playground's partitioner does).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::deliveries::{DeliveryId, DeliveryState};
use crate::playground::import::ImportedRecord;
use crate::playground::import_file::read_file;
use crate::playground::sample_orders::grouped;
use crate::playground::{Action, Area, Outcome, PlaygroundError};
use crate::ui::components::{event_value, typed};
use crate::ui::context::{use_area, PlaygroundHandle};

/// What the panel shows.
#[derive(Clone, PartialEq)]
enum Notice {
    /// Produced; waiting for the store. `stored` is the message once it has them all.
    Storing {
        delivery: DeliveryId,
        records: usize,
        stored: String,
    },
    /// Every record is stored: what was imported.
    Imported(String),
    /// Nothing was imported, and why.
    Refused(String),
}

/// Hands the parsed records to the engine, which checks them against the topic and produces
/// them all (or none).
fn import(
    store: &PlaygroundHandle,
    topic: &str,
    file_name: &str,
    key_field: &str,
    records: Vec<ImportedRecord>,
) -> Notice {
    let action = Action::Import {
        topic: topic.to_owned(),
        file_name: file_name.to_owned(),
        key_field: key_field.to_owned(),
        records,
    };
    match store.dispatch(action) {
        Ok(Outcome::Storing {
            delivery,
            records,
            stored,
        }) => Notice::Storing {
            delivery,
            records,
            stored,
        },
        Ok(other) => Notice::Imported(other.message().unwrap_or_default().to_owned()),
        Err(PlaygroundError::NoSuchTopic { topic }) => Notice::Refused(format!(
            "Topic '{topic}' does not exist (any more): create it first. Nothing was produced."
        )),
        Err(refused) => Notice::Refused(refused.to_string()),
    }
}

/// Props of [`ImportPanel`].
#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    /// The topic to produce to.
    pub topic: String,
}

/// The import panel.
#[function_component(ImportPanel)]
pub fn import_panel(props: &ImportPanelProps) -> Html {
    // The store's answer arrives with storage's changes.
    let store = use_area(vec![Area::Storage]);
    let key_field = use_state(|| "customer_id".to_owned());
    let outcome = use_state(|| None::<Notice>);
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
                    Err(error) => Notice::Refused(format!(
                        "Could not read {name}: {error}. Choose the file again, or check it is a text file."
                    )),
                    Ok(text) => match read_file(&name, &text, &key) {
                        Err(refused) => Notice::Refused(refused.to_string()),
                        Ok(records) => import(&store, &topic, &name, &key, records),
                    },
                };
                outcome.set(Some(result));
                // Choosing the same file again imports it again.
                input.set_value("");
            });
            *reader.borrow_mut() = Some(reading);
        })
    };

    // The store's answer: say "Imported" once it has every record, or that nothing was kept.
    let settled = match &*outcome {
        Some(Notice::Storing {
            delivery,
            records,
            stored,
        }) => match store.read().delivery(*delivery) {
            Some(DeliveryState::Waiting) => None,
            Some(DeliveryState::Failed(error)) => Some(Notice::Refused(format!(
                "Nothing was imported: storage refused the {} record(s), and they were rolled back. {error}",
                grouped(*records as u64)
            ))),
            // Stored (or forgotten long after it was).
            _ => Some(Notice::Imported(stored.clone())),
        },
        _ => None,
    };
    {
        // The engine tells the timeline itself, at the tick after the store has them.
        let outcome = outcome.clone();
        use_effect_with(settled, move |settled| {
            if let Some(notice) = settled.clone() {
                outcome.set(Some(notice));
            }
        });
    }

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
                Some(Notice::Storing { records, .. }) => html! {
                    <p class="notice" role="status" data-testid="import-storing">
                        { format!("Produced {} record(s); storing them in this browser…", grouped(*records as u64)) }
                    </p>
                },
                Some(Notice::Imported(message)) => html! { <p class="notice ok" role="status" data-testid="import-result">{ message }</p> },
                Some(Notice::Refused(message)) => html! { <p class="notice error" role="alert" data-testid="import-result">{ message }</p> },
                None => html! {},
            } }
        </section>
    }
}
