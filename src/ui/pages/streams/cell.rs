//! One notebook cell: its language, its text (Shift+Enter runs it), and what its last run
//! printed and drew.
//!
//! Owns the cell's markup and keys. Must not run code (it dispatches [`NotebookAction::Run`]).

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::result_table::ResultTableView;
use crate::client::printed::Stream;
use crate::playground::action::NotebookAction;
use crate::playground::notebook::{Cell, CellKind, OutputPart};

/// Props of [`CellView`].
#[derive(Properties, PartialEq)]
pub struct CellProps {
    /// The cell.
    pub cell: Cell,
    /// Its position, from 1 (for its accessible name).
    pub position: usize,
    /// Dispatches a notebook action.
    pub act: Callback<NotebookAction>,
    /// Whether this tab may run anything (it is not read-only).
    pub writable: bool,
}

/// How many lines tall the editor is: its text's, within bounds.
fn editor_rows(source: &str) -> u32 {
    u32::try_from(source.lines().count() + 1)
        .unwrap_or(30)
        .clamp(2, 30)
}

/// One cell.
#[function_component(CellView)]
pub fn cell_view(props: &CellProps) -> Html {
    let cell = &props.cell;
    let id = cell.id;
    let act = props.act.clone();
    let oninput = {
        let act = act.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                act.emit(NotebookAction::Edit {
                    cell: id,
                    source: area.value(),
                });
            }
        })
    };
    let writable = props.writable;
    let onkeydown = {
        let act = act.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.shift_key() || e.ctrl_key() || e.meta_key()) && writable {
                e.prevent_default();
                act.emit(NotebookAction::Run { cell: id });
            }
        })
    };
    let run = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(NotebookAction::Run { cell: id }))
    };
    let remove = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(NotebookAction::RemoveCell { cell: id }))
    };
    let add_below = {
        let act = act.clone();
        let kind = cell.kind;
        Callback::from(move |_: MouseEvent| {
            act.emit(NotebookAction::AddCell {
                after: Some(id),
                kind,
            });
        })
    };
    let onchange_kind = {
        let act = act.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            let kind = if value == "sql" {
                CellKind::Sql
            } else {
                CellKind::Python
            };
            act.emit(NotebookAction::SetKind { cell: id, kind });
        })
    };
    let label = format!("Cell {} ({})", props.position, cell.kind.label());
    let failed = cell.output.as_ref().is_some_and(|o| o.failed);
    html! {
        <article class={classes!("nb-cell", failed.then_some("failed"))} aria-label={label.clone()} data-testid="nb-cell">
            <div class="nb-cell-bar">
                <span class="run-number" title="Which run of the notebook this output is from">{
                    cell.run_number.map_or("[ ]".to_owned(), |n| format!("[{n}]"))
                }</span>
                <select aria-label={format!("{label}: language")} onchange={onchange_kind}>
                    <option value="python" selected={cell.kind == CellKind::Python}>{ "Python" }</option>
                    <option value="sql" selected={cell.kind == CellKind::Sql}>{ "SQL" }</option>
                </select>
                <button type="button" class="primary" onclick={run} data-testid="run-cell" disabled={!props.writable}
                        title="Run this cell (Shift+Enter)">{ "Run" }</button>
                <button type="button" onclick={add_below} title="Add a cell below">{ "+" }</button>
                <button type="button" onclick={remove} aria-label={format!("Remove cell {}", props.position)} title="Remove this cell">{ "✕" }</button>
            </div>
            <textarea class="nb-source" spellcheck="false" rows={editor_rows(&cell.source).to_string()}
                      aria-label={format!("{label}: code")} value={cell.source.clone()} {oninput} {onkeydown} />
            if let Some(output) = &cell.output {
                <div class="nb-output" data-testid="cell-output" aria-live="polite">
                    { for output.parts.iter().map(|part| match part {
                        OutputPart::Text { stream, text } => html! {
                            <pre class={classes!("nb-text", (*stream == Stream::Stderr).then_some("stderr"))}>{ text }</pre>
                        },
                        OutputPart::Table(table) => html! { <ResultTableView table={table.clone()} /> },
                        OutputPart::Hint(hint) => html! { <p class="nb-hint" data-testid="cell-hint">{ hint }</p> },
                    }) }
                </div>
            }
        </article>
    }
}
