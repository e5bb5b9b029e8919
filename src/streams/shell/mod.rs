//! The PySpark shell: runs the course's PySpark as pasted — a program's statements against a
//! [`SparkSession`](crate::streams::session) — and prints what the PySpark shell prints.
//!
//! Owns the interpreter of the Python subset (walking the syntax tree of
//! [`crate::streams::python`]), the Python-side objects (`spark`, DataFrames, readers, writers,
//! queries, columns) and their printed forms. Must not parse SQL or run plans itself.

pub mod py_value;

pub use py_value::PyValue;
