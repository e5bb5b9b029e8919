//! Keeps the Streams page's cells (their language and text) between visits, in localStorage,
//! as the terminal keeps its history: a reload ends the Spark session, but not the learner's
//! code. Their outputs are not kept (running the cells again makes them, and a query started
//! again over its checkpoint goes on where it was).
//!
//! Owns the storage key and the save/load/clear of the cells. Kept only beside a stored
//! playground, never by a read-only tab. Must not decide what a cell holds: the notebook does.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use super::local_kept;
use crate::playground::notebook::CellKind;
use crate::playground::Playground;

/// Where the cells are kept.
const KEY: &str = "brooklet.notebook";

/// One kept cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeptCell {
    /// `python` or `sql`.
    kind: String,
    /// Its text.
    source: String,
}

thread_local! {
    /// What was written last, so unchanged cells (most re-renders) are not written again.
    static LAST_SAVED: RefCell<Option<Vec<KeptCell>>> = const { RefCell::new(None) };
}

fn kind_name(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Python => "python",
        CellKind::Sql => "sql",
    }
}

/// The cells an earlier visit kept; none when there are none or they cannot be read.
pub fn load() -> Vec<(CellKind, String)> {
    let kept: Vec<KeptCell> = local_kept::load(KEY, &LAST_SAVED);
    kept.into_iter()
        .map(|c| {
            let kind = if c.kind == "sql" {
                CellKind::Sql
            } else {
                CellKind::Python
            };
            (kind, c.source)
        })
        .collect()
}

/// Keeps the notebook's cells if they changed since the last save.
pub fn save(playground: &Playground) {
    if playground.read_only().is_some() {
        return;
    }
    let kept: Vec<KeptCell> = playground
        .notebook()
        .cells()
        .iter()
        .map(|c| KeptCell {
            kind: kind_name(c.kind).to_owned(),
            source: c.source.clone(),
        })
        .collect();
    local_kept::save_if_changed(KEY, &LAST_SAVED, kept);
}

/// Forgets the kept cells (the playground is being reset).
pub fn clear() {
    local_kept::clear(KEY, &LAST_SAVED);
}
