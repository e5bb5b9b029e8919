//! A result drawn as a table: `display(df)` and a SQL cell's rows, with each column's type.
//!
//! Owns the table's markup. Must not compute cells (the notebook's [`ResultTable`] holds them
//! as text).

use yew::prelude::*;

use crate::streams::shell::ResultTable;

/// Props of [`ResultTableView`].
#[derive(Properties, PartialEq)]
pub struct ResultTableProps {
    /// The table.
    pub table: ResultTable,
}

/// One result table, scrolling sideways inside its cell when it is wide.
#[function_component(ResultTableView)]
pub fn result_table_view(props: &ResultTableProps) -> Html {
    let t = &props.table;
    let shown = t.rows.len();
    html! {
        <div class="result-table" data-testid="result-table">
            <div class="table-scroll">
                <table>
                    <thead><tr>
                        { for t.columns.iter().zip(&t.types).map(|(name, ty)| html! {
                            <th scope="col" title={ty.clone()}>{ name }<span class="col-type">{ ty }</span></th>
                        }) }
                    </tr></thead>
                    <tbody>
                        { for t.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|v| html! { <td title={v.clone()}>{ v }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="muted table-count">{
                if shown < t.total_rows {
                    format!("Showing the first {shown} of {} rows", t.total_rows)
                } else if shown == 1 {
                    "1 row".to_owned()
                } else {
                    format!("{shown} rows")
                }
            }</p>
        </div>
    }
}
