//! [`ResultTable`]: a batch result as a notebook draws it — Databricks' `display(df)` table
//! widget and a SQL cell's result — rather than `show()`'s text.
//!
//! Owns the cells' text (as `show()` prints each value) and the row limit. Must not run plans
//! (the session collects them).

use crate::streams::session::Collected;
use crate::streams::show::pretty_cell;

/// How many rows a notebook table shows, as Databricks' `display` does.
pub const DISPLAY_ROW_LIMIT: usize = 1000;

/// A result's columns and its first rows as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultTable {
    /// The column names.
    pub columns: Vec<String>,
    /// Each column's type in Spark's SQL spelling (`bigint`, `struct<…>`).
    pub types: Vec<String>,
    /// The first [`DISPLAY_ROW_LIMIT`] rows, each value as `show()` prints it.
    pub rows: Vec<Vec<String>>,
    /// How many rows the result has in all.
    pub total_rows: usize,
}

impl ResultTable {
    /// The table of a collected result.
    pub fn from_collected(result: &Collected) -> Self {
        ResultTable {
            columns: result.schema.iter().map(|f| f.name.clone()).collect(),
            types: result.schema.iter().map(|f| f.data_type.sql()).collect(),
            rows: result
                .rows
                .iter()
                .take(DISPLAY_ROW_LIMIT)
                .map(|row| {
                    row.iter()
                        .zip(&result.schema)
                        .map(|(v, f)| pretty_cell(v, &f.data_type))
                        .collect()
                })
                .collect(),
            total_rows: result.rows.len(),
        }
    }
}
