//! [`SqlError`]: why a SQL text, expression or DDL string did not parse, written as Spark writes
//! it.
//!
//! The text matches Spark 3.5's `ParseException.getMessage`
//! (`sql/api/.../catalyst/parser/parsers.scala`): the message, the position glued on as
//! `(line L, pos P)`, then `== SQL ==`, the statement's lines up to the one at fault, a caret
//! line `---^^^` under the position and the remaining lines. Spark prefixes the whole with a
//! newline (PySpark prints `ParseException: ` and then it); [`SqlError`]'s `Display` leaves that
//! newline out and keeps Spark's final newline. Owns the wording only; it does not decide where
//! an error is (the lexer and parser do).

use std::fmt;

/// Where in the statement an error is: Spark's 1-based line and 0-based position in that line,
/// counted in characters, lines split at `\n` only (as ANTLR counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The character position in the line, from 0.
    pub pos: usize,
}

/// Why a text did not parse. Each variant keeps the whole text (`command`) so that its message
/// can show the statement with the caret, as Spark does.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlError {
    /// `[PARSE_SYNTAX_ERROR]`: a token that does not fit the grammar where it stands.
    Syntax {
        /// The offending token as Spark shows it: `'FROM'` in quotes, or `end of input`.
        near: String,
        /// Where it is.
        at: Position,
        /// The whole text.
        command: String,
    },
    /// `[PARSE_EMPTY_STATEMENT]`: nothing but blanks and comments.
    EmptyStatement {
        /// The whole text.
        command: String,
    },
    /// `[UNCLOSED_BRACKETED_COMMENT]`: a `/*` without its `*/`.
    UnclosedComment {
        /// Where the comment starts.
        at: Position,
        /// The whole text.
        command: String,
    },
    /// `[UNSUPPORTED_DATATYPE]`: a type name Spark (and so Brooklet) does not know, such as
    /// `strin` or `int(3)`.
    UnsupportedDataType {
        /// The type as Spark quotes it: upper case, with its parameters (`"STRIN"`, `"INT(3)"`).
        type_name: String,
        /// Where the type starts.
        at: Position,
        /// The whole text.
        command: String,
    },
    /// `[INVALID_NUMERIC_LITERAL_RANGE]`: `99999999999999999999L` and the like.
    NumberOutOfRange {
        /// The digits without their type suffix.
        digits: String,
        /// Spark's name of the literal's type (`bigint`, `smallint`, `tinyint`).
        type_name: &'static str,
        /// The type's least value.
        min: i64,
        /// The type's greatest value.
        max: i64,
        /// Where the literal is.
        at: Position,
        /// The whole text.
        command: String,
    },
    /// Brooklet's own limit: more nesting than [`MAX_DEPTH`](crate::streams::sql::parser::MAX_DEPTH)
    /// levels. Spark has no such message (its parser fails with a stack overflow far later);
    /// Brooklet stops early so that no text can exhaust the tab's stack.
    TooDeep {
        /// The limit.
        limit: usize,
        /// Where the level over the limit starts.
        at: Position,
        /// The whole text.
        command: String,
    },
    /// A DDL schema string that is a type but not a struct (`from_json(value, 'int')`).
    NotAStruct {
        /// The schema string.
        schema: String,
        /// The type it names, in Spark's SQL form (`"INT"`).
        type_sql: String,
    },
}

impl SqlError {
    /// Spark's error class, the bracketed word that starts the message.
    pub fn error_class(&self) -> &'static str {
        match self {
            SqlError::Syntax { .. } => "PARSE_SYNTAX_ERROR",
            SqlError::EmptyStatement { .. } => "PARSE_EMPTY_STATEMENT",
            SqlError::UnclosedComment { .. } => "UNCLOSED_BRACKETED_COMMENT",
            SqlError::UnsupportedDataType { .. } => "UNSUPPORTED_DATATYPE",
            SqlError::NumberOutOfRange { .. } => "INVALID_NUMERIC_LITERAL_RANGE",
            SqlError::TooDeep { .. } => "BROOKLET_NESTING_TOO_DEEP",
            SqlError::NotAStruct { .. } => "INVALID_SCHEMA.NON_STRUCT_TYPE",
        }
    }

    /// The message without its position and statement: `Syntax error at or near 'FROM'.`
    fn sentence(&self) -> String {
        match self {
            SqlError::Syntax { near, .. } => format!("Syntax error at or near {near}."),
            SqlError::EmptyStatement { .. } => "Syntax Error, unexpected empty statement.".into(),
            SqlError::UnclosedComment { .. } => {
                "Found an unclosed bracketed comment. Please, append */ at the end of the comment."
                    .into()
            }
            SqlError::UnsupportedDataType { type_name, .. } => {
                format!("Unsupported data type {type_name}.")
            }
            SqlError::NumberOutOfRange {
                digits,
                type_name,
                min,
                max,
                ..
            } => format!(
                "Numeric literal {digits} is outside the valid range for {type_name} with minimum \
                 value of {min} and maximum value of {max}. Please adjust the value accordingly."
            ),
            SqlError::TooDeep { limit, .. } => format!(
                "The text nests more than {limit} levels deep (parentheses, calls, CASE, \
                 subqueries or types); Brooklet stops there. Remove some nesting."
            ),
            SqlError::NotAStruct { schema, type_sql } => format!(
                "The input schema {} is not a valid schema string. The input expression must be \
                 a struct type, but got \"{type_sql}\".",
                quote_schema(schema)
            ),
        }
    }

    /// The position and the text to point into, when the error has them.
    fn located(&self) -> Option<(Position, &str)> {
        match self {
            SqlError::Syntax { at, command, .. }
            | SqlError::UnclosedComment { at, command }
            | SqlError::UnsupportedDataType { at, command, .. }
            | SqlError::NumberOutOfRange { at, command, .. }
            | SqlError::TooDeep { at, command, .. } => Some((*at, command)),
            // Spark reports an empty statement at line 1, position 0.
            SqlError::EmptyStatement { command } => Some((Position { line: 1, pos: 0 }, command)),
            SqlError::NotAStruct { .. } => None,
        }
    }
}

/// Spark's `toSQLValue` of a string: in double quotes.
fn quote_schema(schema: &str) -> String {
    format!("\"{schema}\"")
}

/// Java's `String.split("\n")`: trailing empty pieces dropped, but `""` is one empty line.
fn java_split_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return vec![""];
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.error_class(), self.sentence())?;
        let Some((at, command)) = self.located() else {
            return Ok(());
        };
        writeln!(f, "(line {}, pos {})", at.line, at.pos)?;
        f.write_str("\n== SQL ==\n")?;
        let lines = java_split_lines(command);
        let split = at.line.min(lines.len());
        for line in lines.iter().take(split) {
            writeln!(f, "{line}")?;
        }
        writeln!(f, "{}^^^", "-".repeat(at.pos))?;
        for line in lines.iter().skip(split) {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SqlError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_prints_sparks_caret_under_the_token() {
        let e = SqlError::Syntax {
            near: "'FROM'".into(),
            at: Position { line: 1, pos: 7 },
            command: "select FROM x".into(),
        };
        assert_eq!(
            e.to_string(),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'.(line 1, pos 7)\n\n== SQL ==\n\
             select FROM x\n-------^^^\n"
        );
    }

    #[test]
    fn lines_after_the_faulty_one_follow_the_caret() {
        let e = SqlError::Syntax {
            near: "'x'".into(),
            at: Position { line: 1, pos: 2 },
            command: "a x\nb\n\n".into(),
        };
        assert_eq!(
            e.to_string(),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'x'.(line 1, pos 2)\n\n== SQL ==\n\
             a x\n--^^^\nb\n"
        );
    }
}
