//! The Streams page's notebook as plain Rust: cells of PySpark or SQL run in one Spark
//! session (the notebook's "kernel", a [`PySparkShell`] whose `display(df)` draws tables),
//! and what the page shows of each query that session started.
//!
//! Owns the cells (add, edit, remove, run, a sample's cells) and what each query's console
//! sink printed. Must not create the session (the engine does: it holds the broker, the groups
//! and the catalog), touch the DOM, or decide Spark's behaviour (the shell and the session do).

pub mod cell;
pub mod error;
pub mod hints;
pub mod query_card;
pub mod samples;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::client::printed::Stream;
use crate::streams::query::Step;
use crate::streams::shell::PySparkShell;

pub use cell::{Cell, CellKind, CellOutput, OutputPart};
pub use error::NotebookError;
pub use query_card::QueryCard;
pub use samples::{SampleNotebook, SAMPLES};

/// How many of a query's console batches its card keeps.
const CONSOLE_BATCHES_KEPT: usize = 5;

/// The cells a new notebook opens with: a hint of what to type, as a Python cell.
const FIRST_CELL: &str = "# PySpark over this tab's topics.\n# Load a sample above, or type here;\n# Shift+Enter runs the cell.\nspark.version";

/// The notebook.
pub struct Notebook {
    cells: Vec<Cell>,
    next_id: u64,
    runs: u64,
    kernel: Option<PySparkShell>,
    /// Each query's last console batches, by handle.
    console: BTreeMap<usize, Vec<String>>,
    /// What loading a sample set up (topics created and filled), for the page to say.
    notice: Option<String>,
    /// Whether the cells of an earlier visit were put back (done once per visit).
    restored: bool,
    /// How many sessions this notebook started.
    sessions: u64,
}

impl std::fmt::Debug for Notebook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notebook")
            .field("cells", &self.cells.len())
            .field("runs", &self.runs)
            .field("kernel", &self.kernel.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Notebook {
    fn default() -> Self {
        let mut notebook = Notebook {
            cells: Vec::new(),
            next_id: 1,
            runs: 0,
            kernel: None,
            console: BTreeMap::new(),
            notice: None,
            restored: false,
            sessions: 0,
        };
        notebook.add(None, CellKind::Python, FIRST_CELL.to_owned());
        notebook
    }
}

impl Notebook {
    /// The cells, in order.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// What loading a sample set up, if a sample was loaded.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Adds a cell after `after` (at the end when `None` or unknown); returns its id.
    pub fn add(&mut self, after: Option<u64>, kind: CellKind, source: String) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let at = after
            .and_then(|a| self.cells.iter().position(|c| c.id == a))
            .map_or(self.cells.len(), |i| i + 1);
        self.cells.insert(
            at,
            Cell {
                id,
                kind,
                source,
                output: None,
                run_number: None,
            },
        );
        id
    }

    /// Changes a cell's text.
    pub fn edit(&mut self, id: u64, source: String) {
        if let Some(cell) = self.cell_mut(id) {
            cell.source = source;
        }
    }

    /// Changes a cell's language.
    pub fn set_kind(&mut self, id: u64, kind: CellKind) {
        if let Some(cell) = self.cell_mut(id) {
            cell.kind = kind;
        }
    }

    /// Removes a cell; the notebook keeps at least one (an empty Python cell).
    pub fn remove(&mut self, id: u64) {
        self.cells.retain(|c| c.id != id);
        if self.cells.is_empty() {
            self.add(None, CellKind::Python, String::new());
        }
    }

    fn cell_mut(&mut self, id: u64) -> Option<&mut Cell> {
        self.cells.iter_mut().find(|c| c.id == id)
    }

    /// Whether an earlier visit's cells were put back already.
    pub fn is_restored(&self) -> bool {
        self.restored
    }

    /// Puts back an earlier visit's cells, once: later calls (the page opened again) change
    /// nothing. No cells kept leaves the notebook as it is.
    pub fn restore(&mut self, cells: Vec<(CellKind, String)>) {
        if std::mem::replace(&mut self.restored, true) || cells.is_empty() {
            return;
        }
        self.cells.clear();
        for (kind, source) in cells {
            self.add(None, kind, source);
        }
        self.notice = Some("Your cells from the last visit are back. The Spark session starts afresh: run them again (a query with a checkpointLocation goes on where it stopped).".to_owned());
    }

    /// Whether a cell holds text of the learner's own (not empty, not the first cell's hint,
    /// not a sample's): loading a sample would replace it, so the page asks first.
    pub fn has_own_work(&self) -> bool {
        self.cells.iter().any(|c| {
            let text = c.source.trim();
            !text.is_empty()
                && text != FIRST_CELL
                && !SAMPLES
                    .iter()
                    .flat_map(|s| s.cells.iter())
                    .any(|(_, source)| source.trim() == text)
        })
    }

    /// Sets what the page says about the loaded sample.
    pub fn set_notice(&mut self, notice: String) {
        self.notice = Some(notice);
    }

    /// Replaces the cells with a sample's and starts a new session (the previous one's
    /// queries stop; their checkpoints and tables stay).
    pub fn load(&mut self, sample: &SampleNotebook) {
        self.restart();
        self.cells.clear();
        for (kind, source) in sample.cells {
            self.add(None, *kind, (*source).to_owned());
        }
    }

    /// Stops the session's queries and drops the session: the next run starts a new one
    /// (Databricks' "detach and re-attach"). Cells keep their text and output. Returns how
    /// many queries were running.
    pub fn restart(&mut self) -> usize {
        let running = self.kernel.as_ref().map_or(0, |k| {
            k.session().queries().iter().filter(|q| q.active).count()
        });
        if let Some(kernel) = &mut self.kernel {
            let session = kernel.session_mut();
            for handle in 0..session.queries().len() {
                session.stop(handle);
            }
        }
        self.kernel = None;
        self.console.clear();
        running
    }

    /// Counts a new session and returns its number (1 for the first): sessions draw their
    /// query ids from it, so a restarted session's temporary checkpoints are new ones.
    pub fn next_session_number(&mut self) -> u64 {
        self.sessions += 1;
        self.sessions
    }

    /// Whether the session exists (a cell ran since the last restart).
    pub fn has_kernel(&self) -> bool {
        self.kernel.is_some()
    }

    /// The session's shell, if a cell ran.
    pub fn kernel(&self) -> Option<&PySparkShell> {
        self.kernel.as_ref()
    }

    /// Runs cell `id` in the session (`fresh` becomes the session when none is attached) and
    /// keeps what it showed. Returns whether the cell ran without an exception; false too
    /// when there is no such cell.
    pub fn run(&mut self, id: u64, fresh: Option<PySparkShell>) -> bool {
        let Some(index) = self.cells.iter().position(|c| c.id == id) else {
            return false;
        };
        if self.kernel.is_none() {
            self.kernel = fresh;
        }
        let (kind, source) = (self.cells[index].kind, self.cells[index].source.clone());
        self.runs += 1;
        let Some(kernel) = &mut self.kernel else {
            return false;
        };
        let output = match kind {
            CellKind::Python if source.trim().is_empty() => CellOutput::default(),
            CellKind::Python => CellOutput::from_shell(&kernel.run(&source)),
            CellKind::Sql => match cell::sql_program(&source) {
                Ok(program) => CellOutput::from_sql(&kernel.run(&program)),
                Err(e) => CellOutput::refused(&e.to_string()),
            },
        };
        let mut output = output;
        if output.failed {
            if let Some(hint) = hints::hint(kind, &source, &output.stderr_text()) {
                output.parts.push(OutputPart::Hint(hint.to_owned()));
            }
        }
        if kernel.exited() {
            // `exit()` ends the shell, as it ends `pyspark`: the next run starts a new session.
            self.restart();
            output.parts.push(OutputPart::Text {
                stream: Stream::Stderr,
                text: "exit() ended the Spark session and stopped its queries; the next run starts a new one.\n".to_owned(),
            });
        }
        let failed = output.failed;
        let cell = &mut self.cells[index];
        cell.output = Some(output);
        cell.run_number = Some(self.runs);
        !failed
    }

    /// Runs the triggers that are due in the session (the page's timer); returns whether a
    /// query printed or committed anything.
    pub fn poll(&mut self) -> bool {
        let Some(kernel) = &mut self.kernel else {
            return false;
        };
        let session = kernel.session_mut();
        let mut moved = false;
        for handle in 0..session.queries().len() {
            moved |= self.console_step(handle, false).ran;
        }
        moved
    }

    /// One trigger of query `handle` now, whatever its trigger's interval (the card's Step
    /// button); returns what it did (nothing when there is no session).
    pub fn step(&mut self, handle: usize) -> Step {
        self.console_step(handle, true)
    }

    fn console_step(&mut self, handle: usize, force: bool) -> Step {
        let Some(kernel) = &mut self.kernel else {
            return Step::default();
        };
        let mut step = kernel.session_mut().step(handle, force);
        if !step.output.is_empty() {
            let kept = self.console.entry(handle).or_default();
            kept.push(std::mem::take(&mut step.output));
            let extra = kept.len().saturating_sub(CONSOLE_BATCHES_KEPT);
            kept.drain(..extra);
        }
        step
    }

    /// Stops query `handle` (the card's Stop button, `query.stop()`).
    pub fn stop(&mut self, handle: usize) {
        if let Some(kernel) = &mut self.kernel {
            kernel.session_mut().stop(handle);
        }
    }

    /// What query `handle`'s console sink printed in its last batches, oldest first.
    pub fn console(&self, handle: usize) -> &[String] {
        self.console.get(&handle).map_or(&[], Vec::as_slice)
    }

    /// Whether a query of the session still runs.
    pub fn has_active_queries(&self) -> bool {
        self.kernel
            .as_ref()
            .is_some_and(|k| k.session().queries().iter().any(|q| q.active))
    }

    /// The cards of the session's queries, newest first.
    pub fn query_cards(&self) -> Vec<QueryCard> {
        let Some(kernel) = &self.kernel else {
            return Vec::new();
        };
        let mut cards: Vec<QueryCard> = kernel
            .session()
            .queries()
            .iter()
            .enumerate()
            .map(|(handle, q)| QueryCard::of(handle, q, self.console(handle)))
            .collect();
        cards.reverse();
        cards
    }
}
