//! [`EvalError`]: why an expression cannot be bound, with Spark 3.5's error-class texts
//! (`common/utils/src/main/resources/error/error-classes.json`, built the way
//! `QueryCompilationErrors` fills them in).
//!
//! Owns the messages only. Evaluation never fails (non-ANSI Spark turns run-time errors into
//! `NULL`), so every variant is a bind-time (Spark: analysis-time) error.

use thiserror::Error;

/// Why an expression could not be resolved against its input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EvalError {
    /// A name that is no column of the input. `suggestions` are already quoted
    /// (`` `city` ``), ordered by Levenshtein distance as Spark orders them, at most five.
    #[error("{}", unresolved_column(name, suggestions))]
    UnresolvedColumn {
        /// The name as Spark quotes it (`` `citi` `` or `` `value`.`citi` ``).
        name: String,
        /// The closest columns, quoted.
        suggestions: Vec<String>,
    },
    /// A struct has no field of that name.
    #[error("[FIELD_NOT_FOUND] No such struct field {field} in {fields}.")]
    FieldNotFound {
        /// The missing field, quoted.
        field: String,
        /// The struct's fields, quoted and joined with `, `.
        fields: String,
    },
    /// A name matches more than one column (two joined tables with the same column).
    #[error("[AMBIGUOUS_REFERENCE] Reference {name} is ambiguous, could be: [{candidates}].")]
    AmbiguousReference {
        /// The name, quoted.
        name: String,
        /// The qualified candidates, quoted and joined with `, `.
        candidates: String,
    },
    /// No built-in (or integrator-provided) function has that name.
    #[error(
        "[UNRESOLVED_ROUTINE] Cannot resolve function `{0}` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
    )]
    UnknownFunction(String),
    /// A function called with the wrong number of arguments.
    #[error(
        "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{name}` requires {expected} parameters but the actual number is {actual}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix."
    )]
    WrongArgumentCount {
        /// The function's name.
        name: String,
        /// What it takes, as Spark words it (`1`, `[2, 3]`, `> 0`).
        expected: String,
        /// How many it got.
        actual: usize,
    },
    /// An argument or operand of a type the operation does not accept.
    #[error("[DATATYPE_MISMATCH.{sub_class}] Cannot resolve \"{sql}\" due to data type mismatch: {detail}.")]
    DataTypeMismatch {
        /// Spark's sub-class (`UNEXPECTED_INPUT_TYPE`, `BINARY_OP_DIFF_TYPES`,
        /// `CAST_WITHOUT_SUGGESTION`, `DATA_DIFF_TYPES`, …).
        sub_class: &'static str,
        /// The expression as Spark prints it in messages.
        sql: String,
        /// The sentence after the colon, without its final full stop.
        detail: String,
    },
    /// Something Spark supports that Brooklet does not: the sentence says what is supported.
    #[error("{0}")]
    Unsupported(String),
    /// The expression nests deeper than the binder allows.
    #[error("The expression nests more than {0} levels deep; simplify it.")]
    TooDeep(usize),
}

fn unresolved_column(name: &str, suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        format!(
            "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column or function parameter with name {name} cannot be resolved."
        )
    } else {
        format!(
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name {name} cannot be resolved. Did you mean one of the following? [{}].",
            suggestions.join(", ")
        )
    }
}

/// Spark's `toSQLId`: each name part in backticks (a backtick inside doubled), joined with `.`.
pub fn quote_id(parts: &[String]) -> String {
    let quoted: Vec<String> = parts
        .iter()
        .map(|p| format!("`{}`", p.replace('`', "``")))
        .collect();
    quoted.join(".")
}

/// Spark's `toSQLType`: a type in double quotes as messages print it (`"ARRAY<INT>"`).
pub fn quote_type(t: &crate::streams::types::DataType) -> String {
    format!("\"{}\"", t.sql())
}
