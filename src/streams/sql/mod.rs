//! Spark's SQL dialect, the part the course uses: the syntax tree ([`ast`]) that both
//! `spark.sql("…")` / `selectExpr("…")` and PySpark's column expressions (`col("a").cast(…)`)
//! build, and its parser.
//!
//! Owns syntax only: names are not resolved and types not checked here (that is the plan's job).

pub mod ast;
