//! Conditional functions (`nullExpressions.scala`, `conditionalExpressions.scala` of Spark
//! 3.5): `coalesce`, `nvl`, `ifnull`, `nullif`, `nvl2`, `if` (bound as a `CASE`).
//!
//! Owns these functions; the arguments' common type follows Spark's `findWiderCommonType`
//! (a string with a number makes a string).

use super::{call, CallSite, ScalarFunction};
use crate::streams::eval::bind::common_of;
use crate::streams::eval::bound::BoundExpr;
use crate::streams::eval::error::{quote_type, EvalError};
use crate::streams::eval::ordering::equal;
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// The names this family answers to.
pub const NAMES: &[&str] = &["coalesce", "nvl", "ifnull", "nullif", "nvl2", "if"];

/// A conditional function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionalFunction {
    /// The first non-null argument.
    Coalesce,
    /// `nullif(a, b)`: `NULL` when `a = b`, else `a`.
    NullIf,
    /// `nvl2(a, b, c)`: `b` when `a` is not null, else `c`.
    Nvl2,
}

fn common(site: &CallSite<'_>, args: &[BoundExpr], fname: &str) -> Result<DataType, EvalError> {
    common_of(args.iter().map(BoundExpr::data_type)).ok_or_else(|| {
        let types: Vec<String> = args.iter().map(|a| quote_type(&a.data_type())).collect();
        EvalError::DataTypeMismatch {
            sub_class: "DATA_DIFF_TYPES",
            sql: site.sql.clone(),
            detail: format!(
                "Input to `{fname}` should all be the same type, but it's [{}]",
                types.join(", ")
            ),
        }
    })
}

/// Binds a call of this family.
pub fn bind(
    lower: &str,
    args: Vec<BoundExpr>,
    site: &CallSite<'_>,
) -> Result<BoundExpr, EvalError> {
    let n = args.len();
    match lower {
        "coalesce" | "nvl" | "ifnull" => {
            if lower == "coalesce" {
                site.at_least(n, 1)?;
            } else {
                site.arity(n, &[2])?;
            }
            let t = common(site, &args, "coalesce")?;
            let nullable = args.iter().all(BoundExpr::nullable);
            Ok(BoundExpr::Call {
                function: ScalarFunction::Conditional(ConditionalFunction::Coalesce),
                args: args.into_iter().map(|a| a.cast_to(&t)).collect(),
                data_type: t,
                nullable,
            })
        }
        "nullif" => {
            site.arity(n, &[2])?;
            let t = common(site, &args, "nullif")?;
            let first = args.first().map_or(DataType::Null, BoundExpr::data_type);
            let args: Vec<BoundExpr> = args.into_iter().map(|a| a.cast_to(&t)).collect();
            let f = call(
                ScalarFunction::Conditional(ConditionalFunction::NullIf),
                args,
                t,
            );
            Ok(f.cast_to(&first))
        }
        "nvl2" => {
            site.arity(n, &[3])?;
            let t = common(site, args.get(1..).unwrap_or(&[]), "nvl2")?;
            let args: Vec<BoundExpr> = args
                .into_iter()
                .enumerate()
                .map(|(i, a)| if i == 0 { a } else { a.cast_to(&t) })
                .collect();
            Ok(call(
                ScalarFunction::Conditional(ConditionalFunction::Nvl2),
                args,
                t,
            ))
        }
        _ => {
            site.arity(n, &[3])?;
            let mut it = args.into_iter();
            let (Some(cond), Some(yes), Some(no)) = (it.next(), it.next(), it.next()) else {
                return Err(site.wrong_count_for_if(n));
            };
            let ct = cond.data_type();
            if !matches!(ct, DataType::Boolean | DataType::Null) {
                return Err(site.unexpected(0, "\"BOOLEAN\"", &ct));
            }
            let t = common(site, &[yes.clone(), no.clone()], "if")?;
            Ok(BoundExpr::Case {
                branches: vec![(cond.cast_to(&DataType::Boolean), yes.cast_to(&t))],
                otherwise: Some(Box::new(no.cast_to(&t))),
                data_type: t,
            })
        }
    }
}

impl CallSite<'_> {
    fn wrong_count_for_if(&self, n: usize) -> EvalError {
        EvalError::WrongArgumentCount {
            name: "if".to_string(),
            expected: "3".to_string(),
            actual: n,
        }
    }
}

/// Evaluates a call of this family.
pub fn eval(f: &ConditionalFunction, args: &[Value]) -> Value {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    match f {
        ConditionalFunction::Coalesce => args
            .iter()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null),
        ConditionalFunction::NullIf => {
            let (a, b) = (arg(0), arg(1));
            if equal(&a, &b) == Some(true) {
                Value::Null
            } else {
                a
            }
        }
        ConditionalFunction::Nvl2 => {
            if arg(0).is_null() {
                arg(2)
            } else {
                arg(1)
            }
        }
    }
}
