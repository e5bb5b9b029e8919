//! The PySpark shell: runs the course's PySpark as pasted — a program's statements against a
//! [`SparkSession`] — and prints what the PySpark shell prints.
//!
//! Owns the interpreter of the Python subset (walking the syntax tree of
//! [`crate::streams::python`]), the Python-side objects (`spark`, DataFrames, readers, writers,
//! queries, columns) and their printed forms. Must not parse SQL or run plans itself.
//!
//! Two ways in, as with `python`: [`PySparkShell::run`] takes a whole program (a heredoc's
//! body) and stops at its first exception, as `python < script` does; [`PySparkShell::feed_line`]
//! takes typed lines, runs each complete input and goes on after an exception, as the `>>>`
//! prompt does. Both echo the repr of an expression statement's value when it is not `None`
//! (in a script too, so a pasted notebook cell's `query.status` shows), and print an uncaught
//! exception as CPython prints it for `<stdin>`: `Traceback (most recent call last):`, one
//! `File "<stdin>", line N, in <module>` frame (PySpark's own frames are left out), then the
//! exception's class and message. A syntax error prints CPython's `File "<stdin>", line N`,
//! the line, and the error (no caret: the parser reports lines, not columns).
//!
//! Streaming queries run only when asked: `processAllAvailable()` and `awaitTermination()` in
//! the program, or [`PySparkShell::poll`] on the terminal's timer.

pub mod dataframe;
pub mod errors;
pub mod functions;
#[cfg(test)]
mod fuzz_tests;
pub mod interpreter;
pub mod objects;
pub mod operators;
pub mod py_value;
pub mod result_table;
pub mod rows;
#[cfg(test)]
mod tests;
pub mod types;
pub mod writer;

use crate::client::printed::Printed;
use crate::streams::python::{input_is_complete, parse_program, PySyntaxError};
use crate::streams::session::SparkSession;

pub use errors::PyError;
pub use interpreter::Interp;
pub use py_value::PyValue;
pub use result_table::ResultTable;
pub use writer::SPARK_VERSION;

/// What a run printed: standard output (echoed values, `print`, `show()`, console sinks) and
/// standard error (tracebacks, syntax errors, notes), in the order they were written; it
/// dereferences to [`Printed`], so `.stdout` and `.stderr` read each stream whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellOutput {
    /// Both streams, in order.
    pub printed: Printed,
    /// Whether the input ended with an uncaught exception or a syntax error (`python`'s exit
    /// status 1).
    pub failed: bool,
    /// In a notebook ([`PySparkShell::for_notebook`]): the tables `display(df)` drew, each
    /// with the length standard output had when it was drawn (where it goes among the text).
    pub tables: Vec<(usize, ResultTable)>,
}

impl std::ops::Deref for ShellOutput {
    type Target = Printed;
    fn deref(&self) -> &Printed {
        &self.printed
    }
}

/// The prompt for a new input.
pub const PROMPT: &str = ">>> ";
/// The prompt while an input continues.
pub const CONTINUATION: &str = "... ";

/// A PySpark shell over a session.
pub struct PySparkShell {
    interp: Interp,
    pending: String,
    exited: bool,
}

impl std::fmt::Debug for PySparkShell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PySparkShell")
            .field("pending", &self.pending)
            .field("exited", &self.exited)
            .finish_non_exhaustive()
    }
}

impl PySparkShell {
    /// A shell with `spark` bound to `session`.
    pub fn new(session: SparkSession) -> Self {
        PySparkShell {
            interp: Interp::new(session),
            pending: String::new(),
            exited: false,
        }
    }

    /// A notebook's shell: `display(df)` draws a [`ResultTable`] (in
    /// [`ShellOutput::tables`]) rather than printing `show()`'s text.
    pub fn for_notebook(session: SparkSession) -> Self {
        let mut shell = PySparkShell::new(session);
        shell.interp.tables = Some(Vec::new());
        shell
    }

    /// The session.
    pub fn session(&self) -> &SparkSession {
        &self.interp.session
    }

    /// The session, to step or stop its queries from outside the program (the Streams
    /// page's buttons).
    pub fn session_mut(&mut self) -> &mut SparkSession {
        &mut self.interp.session
    }

    /// Whether `exit()` / `quit()` ran: the terminal leaves the shell.
    pub fn exited(&self) -> bool {
        self.exited
    }

    /// Runs a whole program; stops at the first exception, as `python < script` does.
    pub fn run(&mut self, source: &str) -> ShellOutput {
        self.run_input(source)
    }

    /// The prompt for the next line: `>>> `, or `... ` while an input is unfinished.
    pub fn prompt(&self) -> &str {
        if self.pending.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        }
    }

    /// One typed line: `None` while the input needs more lines (an open bracket, a `\`, a
    /// triple-quoted string), else what running it printed. A blank line ends nothing here
    /// (there are no blocks), as in Python's shell.
    pub fn feed_line(&mut self, line: &str) -> Option<ShellOutput> {
        self.pending.push_str(line);
        self.pending.push('\n');
        if !input_is_complete(&self.pending) {
            return None;
        }
        let input = std::mem::take(&mut self.pending);
        Some(self.run_input(&input))
    }

    /// Ctrl-C at the prompt: drops a half-typed input and prints Python's `KeyboardInterrupt`.
    pub fn interrupt(&mut self) -> ShellOutput {
        self.pending.clear();
        let mut out = ShellOutput::default();
        out.printed.err("\nKeyboardInterrupt\n");
        out
    }

    /// Runs the triggers that are due (the terminal's timer): what console sinks print.
    pub fn poll(&mut self) -> String {
        self.interp.session.tick()
    }

    fn run_input(&mut self, source: &str) -> ShellOutput {
        let mut out = ShellOutput::default();
        let statements = match parse_program(source) {
            Ok(s) => s,
            Err(e) => {
                out.printed.err(&syntax_error_text(source, &e));
                out.failed = true;
                return out;
            }
        };
        for stmt in &statements {
            let result = self.interp.exec(stmt);
            let before = out.printed.stdout.len();
            if let Some(tables) = &mut self.interp.tables {
                out.tables
                    .extend(tables.drain(..).map(|(at, table)| (before + at, table)));
            }
            out.printed
                .append(&std::mem::take(&mut self.interp.printed));
            match result {
                Ok(Some(value)) => {
                    let text = self.interp.repr(&value);
                    out.printed.out(&text);
                    out.printed.out("\n");
                }
                Ok(None) => {}
                Err(PyError::Exit) => {
                    self.exited = true;
                    break;
                }
                Err(e) => {
                    let line = stmt.line;
                    out.printed.err(&format!(
                        "Traceback (most recent call last):\n  File \"<stdin>\", line {line}, in <module>\n{e}\n"
                    ));
                    // One input stops at its first exception; the prompt then reads the next.
                    out.failed = true;
                    break;
                }
            }
        }
        out
    }
}

/// CPython's report of a syntax error in `<stdin>`: the frame line, the offending source line
/// indented by four spaces, then the error.
fn syntax_error_text(source: &str, e: &PySyntaxError) -> String {
    let line = e.line();
    let text = source
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim();
    if text.is_empty() {
        format!("  File \"<stdin>\", line {line}\n{e}\n")
    } else {
        format!("  File \"<stdin>\", line {line}\n    {text}\n{e}\n")
    }
}
