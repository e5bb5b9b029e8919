//! One notebook cell: its language, its text, and what its last run printed and drew.
//!
//! Owns turning a shell's output into what a cell shows ([`CellOutput`]: text runs and
//! tables in the order they were written) and a SQL cell's program. Must not run anything (the
//! notebook does).

use crate::client::printed::Stream;
use crate::streams::shell::{ResultTable, ShellOutput};

/// A cell's language, as a Databricks notebook's `%python` / `%sql` cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    /// PySpark, as the `pyspark` shell runs it (`spark` is bound).
    Python,
    /// One Spark SQL statement; its result is drawn as a table.
    Sql,
}

impl CellKind {
    /// The cell's label (`Python`, `SQL`).
    pub fn label(self) -> &'static str {
        match self {
            CellKind::Python => "Python",
            CellKind::Sql => "SQL",
        }
    }
}

/// One piece of a cell's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputPart {
    /// Text printed on one stream (`print`, `show()`, an echoed value, a traceback).
    Text {
        /// Which stream.
        stream: Stream,
        /// What was printed.
        text: String,
    },
    /// A table `display(df)` drew, or a SQL cell's result.
    Table(ResultTable),
    /// Brooklet's note on what to do about the error above it (not Spark's output).
    Hint(String),
}

/// What a cell's last run showed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellOutput {
    /// Text and tables, in the order they were written.
    pub parts: Vec<OutputPart>,
    /// Whether the run ended with an exception (the cell is marked failed).
    pub failed: bool,
}

impl CellOutput {
    /// A Python cell's output: the shell's text runs, with each table where it was drawn.
    pub fn from_shell(output: &ShellOutput) -> Self {
        let mut parts = Vec::new();
        let mut tables = output.tables.iter().peekable();
        let mut stdout_at = 0;
        for (stream, text) in output.printed.pieces() {
            let mut rest = text;
            if stream == Stream::Stdout {
                // Split this run where tables were drawn inside it.
                while let Some((at, table)) =
                    tables.next_if(|(at, _)| *at <= stdout_at + rest.len())
                {
                    let (before, after) =
                        rest.split_at(at.saturating_sub(stdout_at).min(rest.len()));
                    push_text(&mut parts, stream, before);
                    parts.push(OutputPart::Table(table.clone()));
                    stdout_at += before.len();
                    rest = after;
                }
                stdout_at += rest.len();
            }
            push_text(&mut parts, stream, rest);
        }
        parts.extend(tables.map(|(_, table)| OutputPart::Table(table.clone())));
        CellOutput {
            parts,
            failed: output.failed,
        }
    }

    /// A SQL cell's output: as a Python cell's, without the traceback's frame lines (the
    /// "program" was the cell's one statement), so an error reads as Spark's message alone.
    pub fn from_sql(output: &ShellOutput) -> Self {
        let mut cell = CellOutput::from_shell(output);
        for part in &mut cell.parts {
            if let OutputPart::Text {
                stream: Stream::Stderr,
                text,
            } = part
            {
                *text = text
                    .lines()
                    .filter(|l| {
                        *l != "Traceback (most recent call last):"
                            && !l.starts_with("  File \"<stdin>\"")
                    })
                    .map(|l| format!("{l}\n"))
                    .collect();
            }
        }
        cell.parts
            .retain(|p| !matches!(p, OutputPart::Text { text, .. } if text.is_empty()));
        cell
    }

    /// A refusal before anything ran (the cell's text could not be made a program).
    pub fn refused(message: &str) -> Self {
        CellOutput {
            parts: vec![OutputPart::Text {
                stream: Stream::Stderr,
                text: format!("{message}\n"),
            }],
            failed: true,
        }
    }

    /// All the text, stdout and stderr in order (tables and hints left out): for tests and
    /// searches.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                OutputPart::Text { text, .. } => Some(text.as_str()),
                OutputPart::Table(_) | OutputPart::Hint(_) => None,
            })
            .collect()
    }

    /// What was printed on standard error.
    pub fn stderr_text(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                OutputPart::Text {
                    stream: Stream::Stderr,
                    text,
                } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Brooklet's hint, if the run got one.
    pub fn hint(&self) -> Option<&str> {
        self.parts.iter().find_map(|p| match p {
            OutputPart::Hint(h) => Some(h.as_str()),
            _ => None,
        })
    }

    /// The tables drawn.
    pub fn tables(&self) -> impl Iterator<Item = &ResultTable> {
        self.parts.iter().filter_map(|p| match p {
            OutputPart::Table(t) => Some(t),
            OutputPart::Text { .. } | OutputPart::Hint(_) => None,
        })
    }
}

fn push_text(parts: &mut Vec<OutputPart>, stream: Stream, text: &str) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(OutputPart::Text { stream: s, text: t }) if *s == stream => t.push_str(text),
        _ => parts.push(OutputPart::Text {
            stream,
            text: text.to_owned(),
        }),
    }
}

/// Why a SQL cell could not be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlCellError {
    /// The cell holds no statement.
    Empty,
    /// The text holds both kinds of triple quotes, so no Python string can carry it.
    BothTripleQuotes,
}

impl std::fmt::Display for SqlCellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SqlCellError::Empty => write!(f, "The SQL cell is empty: type one statement, e.g. SELECT * FROM orders_bronze LIMIT 10"),
            SqlCellError::BothTripleQuotes => write!(
                f,
                "The SQL cell holds both \"\"\" and ''': remove one of them (SQL strings need only ' or \")"
            ),
        }
    }
}

/// The PySpark a SQL cell runs: `display(spark.sql(r"""…"""))`, with a trailing `;` dropped
/// (a notebook's SQL cell takes one statement, as Databricks' does with `;` optional). A raw
/// string, so that backslashes reach Spark's SQL parser as typed.
pub fn sql_program(text: &str) -> Result<String, SqlCellError> {
    let statement = text.trim().trim_end_matches(';').trim_end();
    if statement.is_empty() {
        return Err(SqlCellError::Empty);
    }
    let quote = if !statement.contains("\"\"\"") {
        "\"\"\""
    } else if !statement.contains("'''") {
        "'''"
    } else {
        return Err(SqlCellError::BothTripleQuotes);
    };
    // The string cannot end in its own quote character nor in an odd backslash; a space
    // keeps the statement's meaning.
    let last = statement.chars().last();
    let tail = if last == quote.chars().next() || last == Some('\\') {
        " "
    } else {
        ""
    };
    Ok(format!(
        "display(spark.sql(r{quote}{statement}{tail}{quote}))\n"
    ))
}

/// A notebook cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Its id in the notebook (stable while cells are added and removed).
    pub id: u64,
    /// Its language.
    pub kind: CellKind,
    /// Its text.
    pub source: String,
    /// What its last run showed, if it ran.
    pub output: Option<CellOutput>,
    /// Which run of the notebook it was (`[3]`), if it ran.
    pub run_number: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::printed::Printed;

    fn table(name: &str) -> ResultTable {
        ResultTable {
            columns: vec![name.to_owned()],
            types: vec!["bigint".to_owned()],
            rows: vec![vec!["1".to_owned()]],
            total_rows: 1,
        }
    }

    #[test]
    fn a_table_drawn_between_two_prints_sits_between_their_texts() {
        let mut printed = Printed::default();
        printed.out("before\n");
        printed.err("warning\n");
        printed.out("after\n");
        let output = ShellOutput {
            printed,
            failed: false,
            tables: vec![(7, table("a")), (13, table("b"))],
        };
        let cell = CellOutput::from_shell(&output);
        let shape: Vec<String> = cell
            .parts
            .iter()
            .map(|p| match p {
                OutputPart::Text { stream, text } => format!("{stream:?}:{text}"),
                OutputPart::Table(t) => format!("table {}", t.columns[0]),
                OutputPart::Hint(h) => format!("hint {h}"),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "Stdout:before\n",
                "table a",
                "Stderr:warning\n",
                "Stdout:after\n",
                "table b"
            ]
        );
    }

    #[test]
    fn a_sql_cell_is_one_raw_string_without_its_semicolon() {
        assert_eq!(
            sql_program("select 'a\\b' as x;\n").unwrap(),
            "display(spark.sql(r\"\"\"select 'a\\b' as x\"\"\"))\n"
        );
        assert_eq!(
            sql_program("select \"x\"").unwrap(),
            "display(spark.sql(r\"\"\"select \"x\" \"\"\"))\n"
        );
        assert_eq!(
            sql_program("select \"\"\"x\"\"\" as q, 'y'").unwrap(),
            "display(spark.sql(r'''select \"\"\"x\"\"\" as q, 'y' '''))\n"
        );
        assert_eq!(sql_program("  ;  "), Err(SqlCellError::Empty));
        assert_eq!(
            sql_program("select '''' , \"\"\"\"\"\""),
            Err(SqlCellError::BothTripleQuotes)
        );
    }

    #[test]
    fn a_sql_cells_error_reads_as_sparks_message_without_python_frames() {
        let mut printed = Printed::default();
        printed.err("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\npyspark.errors.exceptions.captured.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] nope\n");
        let output = ShellOutput {
            printed,
            failed: true,
            tables: Vec::new(),
        };
        let cell = CellOutput::from_sql(&output);
        assert!(cell.failed);
        assert_eq!(
            cell.text(),
            "pyspark.errors.exceptions.captured.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] nope\n"
        );
    }
}
