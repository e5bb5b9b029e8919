//! Spark's scalar expressions: binding an unresolved [`ast::Expr`](crate::streams::sql::ast::Expr)
//! against an input schema into a typed [`BoundExpr`], and evaluating it on rows.
//!
//! Matches Spark 3.5 with `spark.sql.ansi.enabled=false` (Spark 3.x's default): a cast that
//! fails, a division by zero, an index out of range are `NULL`, never an error; integer
//! overflow wraps as in Java. Names resolve case-insensitively. The session time zone is UTC.
//!
//! Owns resolution ([`bind`], [`bind_with`]), coercion, casts, the built-in scalar functions,
//! the names of unaliased select items ([`output_name`]) and the analysis errors
//! ([`EvalError`]). Must not know about plans, aggregation or sources: functions of other
//! parts (aggregates, `from_json`, `explode`, `window`) come in through [`bind_with`]'s hook,
//! usually as a [`BoundExpr::External`] implementing [`ExternalFunction`].
//!
//! Deliberate differences from Spark: no decimal type (fractional literals are doubles), no
//! `RLIKE`, `split` takes only a literal separator, datetime patterns support the common
//! letters only, and `element_at(arr, 0)` is `NULL` instead of an error.

pub mod bind;
pub mod bound;
pub mod cast;
pub mod coercion;
pub mod error;
pub mod functions;
pub mod like;
pub mod naming;
pub mod ordering;
pub mod resolve;

#[cfg(test)]
mod tests;

pub use bind::{bind, bind_with, BindContext, ExternalCall, FunctionHook, Qualifier};
pub use bound::{BinaryOperator, BoundExpr, ExternalFunction};
pub use error::EvalError;
pub use functions::ScalarFunction;
pub use naming::{output_name, output_name_in, pretty_sql};
