//! [`PyError`]: an exception raised while the shell runs a statement, printed as Python prints
//! an uncaught one — the exception's qualified class, `: `, its message.
//!
//! Owns the exception classes and their wording; must not decide when to raise (the
//! interpreter and the objects do) nor print tracebacks (the shell does).

use crate::streams::session::SessionError;

/// Where unsupported Python or PySpark is listed, for the "not supported" lines.
pub const SUPPORTED_LIST: &str = "README, \"Spark in the tab\"";

/// An exception raised by a statement.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PyError {
    /// A Spark call the session refused (`AnalysisException`, `ParseException`, …).
    #[error("{}", spark_text(.0))]
    Spark(#[from] SessionError),
    /// A name never bound; a PySpark function or type name says the import it needs, in
    /// CPython 3.12's words ("Did you forget to import …?").
    #[error("NameError: name '{0}' is not defined{hint}", hint = import_hint(.0))]
    Name(String),
    /// An attribute the object does not have, as Python words it.
    #[error("AttributeError: '{type_name}' object has no attribute '{attr}'")]
    Attribute {
        /// The object's Python class name (`DataFrame`).
        type_name: String,
        /// The attribute asked for.
        attr: String,
    },
    /// A call with the wrong arguments, or an operation on the wrong types.
    #[error("TypeError: {0}")]
    Type(String),
    /// A bad value (`ValueError`), such as a column used as a truth value.
    #[error("ValueError: {0}")]
    Value(String),
    /// PySpark's own argument checks (`PySparkTypeError: [NOT_COLUMN_OR_STR] …`).
    #[error("pyspark.errors.exceptions.base.PySparkTypeError: [{class}] {message}")]
    PySparkType {
        /// The error class.
        class: &'static str,
        /// The message.
        message: String,
    },
    /// PySpark's `PySparkKeyError` (`schema["nope"]`).
    #[error("pyspark.errors.exceptions.base.PySparkKeyError: {0}")]
    PySparkKey(String),
    /// PySpark's `PySparkIndexError` (`schema[9]`).
    #[error("pyspark.errors.exceptions.base.PySparkIndexError: {0}")]
    PySparkIndex(String),
    /// A module that is not there.
    #[error("ModuleNotFoundError: No module named '{0}'")]
    NoModule(String),
    /// `from module import name` of a name the module does not have.
    #[error("ImportError: cannot import name '{name}' from '{module}'")]
    CannotImport {
        /// The name.
        name: String,
        /// The module.
        module: String,
    },
    /// A PySpark method or Python feature that exists but Brooklet's shell does not run.
    #[error("NotImplementedError: {what} is not supported in Brooklet's pyspark shell: {instead}")]
    Unsupported {
        /// What was called (`DataFrame.toPandas`).
        what: String,
        /// What to use instead.
        instead: String,
    },
    /// An integer division or modulo by zero.
    #[error("ZeroDivisionError: {0}")]
    ZeroDivision(&'static str),
    /// A dict key that is not there (Python prints the key's repr).
    #[error("KeyError: {0}")]
    Key(String),
    /// An index past a list's end.
    #[error("IndexError: {0}")]
    Index(String),
    /// A query stopped with an exception (`awaitTermination`, `processAllAvailable`).
    #[error("pyspark.errors.exceptions.captured.StreamingQueryException: {0}")]
    StreamingQuery(String),
    /// An analysis error the session does not raise itself (the shell's own checks, in
    /// Spark's words).
    #[error("pyspark.errors.exceptions.captured.AnalysisException: {0}")]
    Analysis(String),
    /// A Spark `IllegalArgumentException` raised by the shell's own checks.
    #[error("pyspark.errors.exceptions.captured.IllegalArgumentException: {0}")]
    IllegalArgument(String),
    /// Nesting past the interpreter's limit (a guard; the parser caps nesting first).
    #[error("RecursionError: maximum recursion depth exceeded")]
    Recursion,
    /// `exit()` / `quit()`: not an error, it ends the shell.
    #[error("SystemExit")]
    Exit,
}

/// `Class: message`; a `ParseException`'s message starts on its own line, as Spark's begins
/// with a newline.
fn spark_text(e: &SessionError) -> String {
    match e {
        SessionError::Parse(_) => format!("{}: \n{e}", e.exception()),
        _ => format!("{}: {e}", e.exception()),
    }
}

/// `. Did you forget to import 'col'? (from pyspark.sql.functions import col)` for a name
/// PySpark's modules have; nothing for other names.
fn import_hint(name: &str) -> String {
    use super::objects::Module;
    [Module::Functions, Module::Types]
        .into_iter()
        .find(|m| super::functions::star_names(*m).contains(&name))
        .map(|m| {
            format!(
                ". Did you forget to import '{name}'? (from {} import {name})",
                m.name()
            )
        })
        .unwrap_or_default()
}

/// Python's built-in functions the shell does not have (it has `print`, `len`, `str`, `repr`,
/// `display`, `exit`, `quit`): naming one says so instead of a bare `NameError`.
const PYTHON_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "dict",
    "dir",
    "enumerate",
    "filter",
    "float",
    "format",
    "getattr",
    "hasattr",
    "help",
    "input",
    "int",
    "isinstance",
    "iter",
    "list",
    "map",
    "max",
    "min",
    "next",
    "open",
    "range",
    "reversed",
    "round",
    "set",
    "sorted",
    "sum",
    "tuple",
    "type",
    "vars",
    "zip",
];

impl PyError {
    /// The error for an unbound name: Python's built-ins the shell lacks say so and what it
    /// has; any other name is Python's `NameError`.
    pub fn unbound(name: &str) -> Self {
        if PYTHON_BUILTINS.contains(&name) {
            return PyError::Unsupported {
                what: format!("Python's built-in {name}()"),
                instead: "it has print, len, str, repr and display; for columns use pyspark.sql.functions (from pyspark.sql import functions as F)".into(),
            };
        }
        PyError::Name(name.to_string())
    }

    /// `TypeError` for a call given an argument it does not take.
    pub fn unexpected_kwarg(function: &str, name: &str) -> Self {
        PyError::Type(format!(
            "{function}() got an unexpected keyword argument '{name}'"
        ))
    }

    /// PySpark's `[NOT_COLUMN_OR_STR]` for an argument that should be a column or a name.
    pub fn not_column_or_str(arg: &str, type_name: &str) -> Self {
        PyError::PySparkType {
            class: "NOT_COLUMN_OR_STR",
            message: format!("Argument `{arg}` should be a Column or str, got {type_name}."),
        }
    }
}
