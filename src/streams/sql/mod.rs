//! Spark's SQL dialect, the part the course uses: the syntax tree ([`ast`]) that both
//! `spark.sql("…")` / `selectExpr("…")` and PySpark's column expressions (`col("a").cast(…)`)
//! build, and its parser.
//!
//! Owns syntax only: names are not resolved and types not checked here (that is the plan's job).

pub mod ast;
pub mod error;
pub mod lexer;
pub mod parser;
pub mod visit;

pub use error::SqlError;
pub use parser::{
    parse_data_type, parse_ddl_schema, parse_expression, parse_select_item, parse_statement,
};
