//! Spark's data types ([`DataType`], [`StructField`]) as Spark SQL names and prints them.
//!
//! Owns the type vocabulary only; parsing a DDL string and printing a schema live beside it.
//! Must not know about values or execution.

pub mod data_type;
pub mod print_schema;

pub use data_type::{DataType, StructField};
pub use print_schema::{dataframe_repr, print_schema, tree_string};
