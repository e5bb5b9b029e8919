//! Spark's built-in scalar functions, one family a file, each binding its calls (argument count,
//! implicit casts, result type, as the function's `inputTypes` / `checkInputDataTypes` /
//! `dataType` in Spark 3.5) and evaluating them (`NULL` in, `NULL` out, unless Spark says
//! otherwise).
//!
//! Owns the built-in function table. Aggregates, generators, `from_json`/`to_json` and
//! `window` are not here: the integrator adds them through [`bind_with`](super::bind_with)'s
//! hook.

pub mod collection;
pub mod conditional;
pub mod datetime;
pub mod math;
pub mod string;

use super::bound::BoundExpr;
use super::coercion::{implicit_cast, Expected};
use super::error::{quote_type, EvalError};
use crate::streams::sql::ast::Expr;
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// A built-in scalar function, by family.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarFunction {
    /// `upper`, `concat`, `substring`, …
    String(string::StringFunction),
    /// `round`, `abs`, `greatest`, …
    Math(math::MathFunction),
    /// `year`, `date_format`, `to_date`, …
    Datetime(datetime::DatetimeFunction),
    /// `coalesce`, `nvl`, …
    Conditional(conditional::ConditionalFunction),
    /// `size`, `element_at`, `struct`, …
    Collection(collection::CollectionFunction),
}

impl ScalarFunction {
    /// The function's result for evaluated arguments; never panics.
    pub fn eval(&self, args: &[Value]) -> Value {
        match self {
            ScalarFunction::String(f) => string::eval(f, args),
            ScalarFunction::Math(f) => math::eval(f, args),
            ScalarFunction::Datetime(f) => datetime::eval(f, args),
            ScalarFunction::Conditional(f) => conditional::eval(f, args),
            ScalarFunction::Collection(f) => collection::eval(f, args),
        }
    }
}

/// Where a call is bound: its name and text for messages, and the session's clock.
#[derive(Debug)]
pub struct CallSite<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The call's text (`upper(name)`).
    pub sql: String,
    /// Each argument's text.
    pub arg_sql: Vec<String>,
    /// The session's current time (microseconds).
    pub now_micros: i64,
    /// The arguments as written.
    pub raw_args: &'a [Expr],
}

impl CallSite<'_> {
    /// `WRONG_NUM_ARGS` unless `actual` is one of `allowed`.
    pub fn arity(&self, actual: usize, allowed: &[usize]) -> Result<(), EvalError> {
        if allowed.contains(&actual) {
            return Ok(());
        }
        let expected = match allowed {
            [one] => one.to_string(),
            many => format!(
                "[{}]",
                many.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Err(self.wrong_count(expected, actual))
    }

    /// `WRONG_NUM_ARGS` unless at least `min` arguments.
    pub fn at_least(&self, actual: usize, min: usize) -> Result<(), EvalError> {
        if actual >= min {
            Ok(())
        } else {
            Err(self.wrong_count(format!("> {}", min - 1), actual))
        }
    }

    fn wrong_count(&self, expected: String, actual: usize) -> EvalError {
        EvalError::WrongArgumentCount {
            name: self.name.to_ascii_lowercase(),
            expected,
            actual,
        }
    }

    /// The argument at `index` cast as a parameter expecting `expected` takes it, or
    /// `UNEXPECTED_INPUT_TYPE`.
    pub fn coerce(
        &self,
        arg: BoundExpr,
        index: usize,
        expected: &Expected,
    ) -> Result<BoundExpr, EvalError> {
        let from = arg.data_type();
        match implicit_cast(&from, expected) {
            Some(t) => Ok(arg.cast_to(&t)),
            None => Err(self.unexpected(index, &expected.describe(), &from)),
        }
    }

    /// `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE` for argument `index` (0-based).
    pub fn unexpected(&self, index: usize, expected: &str, found: &DataType) -> EvalError {
        EvalError::DataTypeMismatch {
            sub_class: "UNEXPECTED_INPUT_TYPE",
            sql: self.sql.clone(),
            detail: format!(
                "Parameter {} requires the {expected} type, however \"{}\" has the type {}",
                index + 1,
                self.arg_sql.get(index).map_or("", String::as_str),
                quote_type(found)
            ),
        }
    }

    /// `DATATYPE_MISMATCH.NON_FOLDABLE_INPUT`: an argument that must be a constant is not.
    pub fn not_constant(&self, index: usize, expected: &DataType) -> EvalError {
        EvalError::DataTypeMismatch {
            sub_class: "NON_FOLDABLE_INPUT",
            sql: self.sql.clone(),
            detail: format!(
                "the input {} should be a foldable {} expression; however, got \"{}\"",
                self.param_name(index),
                quote_type(expected),
                self.arg_sql.get(index).map_or("", String::as_str)
            ),
        }
    }

    fn param_name(&self, index: usize) -> String {
        format!(
            "`{}`",
            ["first", "second", "third", "fourth"]
                .get(index)
                .unwrap_or(&"argument")
        )
    }
}

/// A call of a built-in.
pub fn call(function: ScalarFunction, args: Vec<BoundExpr>, data_type: DataType) -> BoundExpr {
    let nullable = args.iter().any(BoundExpr::nullable);
    BoundExpr::Call {
        function,
        args,
        data_type,
        nullable,
    }
}

/// The text of a constant string argument.
pub fn literal_text(arg: &BoundExpr) -> Option<String> {
    match arg {
        BoundExpr::Literal(Value::String(s), _) => Some(s.to_string()),
        _ => None,
    }
}

/// The value of a constant integral argument.
pub fn literal_int(arg: &BoundExpr) -> Option<i64> {
    match arg {
        BoundExpr::Literal(Value::Byte(n), _) => Some(i64::from(*n)),
        BoundExpr::Literal(Value::Short(n), _) => Some(i64::from(*n)),
        BoundExpr::Literal(Value::Integer(n), _) => Some(i64::from(*n)),
        BoundExpr::Literal(Value::Long(n), _) => Some(*n),
        _ => None,
    }
}

/// Binds a call of a built-in by its lower-case name; `None` when no built-in has that name.
pub fn bind_call(
    lower: &str,
    args: Vec<BoundExpr>,
    site: &CallSite<'_>,
) -> Option<Result<BoundExpr, EvalError>> {
    if string::NAMES.contains(&lower) {
        return Some(string::bind(lower, args, site));
    }
    if math::NAMES.contains(&lower) {
        return Some(math::bind(lower, args, site));
    }
    if datetime::NAMES.contains(&lower) {
        return Some(datetime::bind(lower, args, site));
    }
    if conditional::NAMES.contains(&lower) {
        return Some(conditional::bind(lower, args, site));
    }
    if collection::NAMES.contains(&lower) {
        return Some(collection::bind(lower, args, site));
    }
    None
}
