//! Math functions (`mathExpressions.scala`, `arithmetic.scala` of Spark 3.5): `round`
//! (HALF_UP) and `bround` (HALF_EVEN) keeping their argument's type, `abs`, `ceil`/`floor`
//! (→ `bigint`), `sqrt`, `pow`, `greatest`, `least`.
//!
//! Owns these functions. Rounding a double goes through its shortest decimal text, as Spark's
//! `BigDecimal(d).setScale(scale, mode)` does, so `round(2.675, 2)` is `2.68`.

use std::cmp::Ordering;

use super::{call, literal_int, CallSite, ScalarFunction};
use crate::streams::eval::bound::BoundExpr;
use crate::streams::eval::coercion::{wider_numeric, Expected};
use crate::streams::eval::error::{quote_type, EvalError};
use crate::streams::eval::ordering::compare;
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// The names this family answers to.
pub const NAMES: &[&str] = &[
    "round", "bround", "abs", "ceil", "ceiling", "floor", "sqrt", "pow", "power", "greatest",
    "least",
];

/// A math function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathFunction {
    /// `round(x, scale)` (`half_even` false) or `bround` (true); the scale is a constant.
    Round {
        /// The scale.
        scale: i32,
        /// Banker's rounding.
        half_even: bool,
    },
    /// `abs(x)`, wrapping at the minimum as Java does.
    Abs,
    /// `ceil(x)` as a bigint.
    Ceil,
    /// `floor(x)` as a bigint.
    Floor,
    /// `sqrt(x)`.
    Sqrt,
    /// `pow(x, y)`.
    Pow,
    /// `greatest(…)`: nulls skipped.
    Greatest,
    /// `least(…)`: nulls skipped.
    Least,
}

/// Binds a call of this family.
pub fn bind(
    lower: &str,
    args: Vec<BoundExpr>,
    site: &CallSite<'_>,
) -> Result<BoundExpr, EvalError> {
    let n = args.len();
    let numeric = |args: Vec<BoundExpr>| -> Result<Vec<BoundExpr>, EvalError> {
        args.into_iter()
            .enumerate()
            .map(|(i, a)| site.coerce(a, i, &Expected::Numeric))
            .collect()
    };
    let double = |args: Vec<BoundExpr>| -> Result<Vec<BoundExpr>, EvalError> {
        args.into_iter()
            .enumerate()
            .map(|(i, a)| site.coerce(a, i, &Expected::Exact(DataType::Double)))
            .collect()
    };
    let f = |m| ScalarFunction::Math(m);
    match lower {
        "round" | "bround" => {
            site.arity(n, &[1, 2])?;
            let mut it = args.into_iter();
            let x = it
                .next()
                .map(|a| site.coerce(a, 0, &Expected::Numeric))
                .transpose()?;
            let scale = match it.next() {
                None => 0,
                Some(s) => {
                    let s = site.coerce(s, 1, &Expected::Exact(DataType::Integer))?;
                    literal_int(&s)
                        .and_then(|v| i32::try_from(v).ok())
                        .ok_or_else(|| site.not_constant(1, &DataType::Integer))?
                }
            };
            let x = x.unwrap_or(BoundExpr::Literal(Value::Null, DataType::Double));
            let t = x.data_type();
            let m = MathFunction::Round {
                scale,
                half_even: lower == "bround",
            };
            Ok(call(f(m), vec![x], t))
        }
        "abs" => {
            site.arity(n, &[1])?;
            let args = numeric(args)?;
            let t = args.first().map_or(DataType::Double, BoundExpr::data_type);
            Ok(call(f(MathFunction::Abs), args, t))
        }
        "ceil" | "ceiling" | "floor" => {
            site.arity(n, &[1])?;
            let args = numeric(args)?;
            let m = if lower == "floor" {
                MathFunction::Floor
            } else {
                MathFunction::Ceil
            };
            Ok(call(f(m), args, DataType::Long))
        }
        "sqrt" => {
            site.arity(n, &[1])?;
            Ok(call(f(MathFunction::Sqrt), double(args)?, DataType::Double))
        }
        "pow" | "power" => {
            site.arity(n, &[2])?;
            Ok(call(f(MathFunction::Pow), double(args)?, DataType::Double))
        }
        _ => {
            if n < 2 {
                return Err(EvalError::WrongArgumentCount {
                    name: lower.to_string(),
                    expected: "> 1".to_string(),
                    actual: n,
                });
            }
            // Spark's findWiderTypeWithoutStringPromotion: no string-to-number here.
            let mut t = DataType::Null;
            for a in &args {
                let at = a.data_type();
                t = if t == DataType::Null || t == at {
                    at
                } else if at == DataType::Null {
                    t
                } else {
                    wider_numeric(&t, &at).ok_or_else(|| {
                        let types: Vec<String> =
                            args.iter().map(|a| quote_type(&a.data_type())).collect();
                        EvalError::DataTypeMismatch {
                            sub_class: "DATA_DIFF_TYPES",
                            sql: site.sql.clone(),
                            detail: format!(
                                "Input to `{lower}` should all be the same type, but it's [{}]",
                                types.join(", ")
                            ),
                        }
                    })?
                };
            }
            let nullable = args.iter().all(BoundExpr::nullable);
            let m = if lower == "greatest" {
                MathFunction::Greatest
            } else {
                MathFunction::Least
            };
            Ok(BoundExpr::Call {
                function: f(m),
                args: args.into_iter().map(|a| a.cast_to(&t)).collect(),
                data_type: t,
                nullable,
            })
        }
    }
}

/// Evaluates a call of this family.
pub fn eval(f: &MathFunction, args: &[Value]) -> Value {
    let x = args.first().unwrap_or(&Value::Null);
    match f {
        MathFunction::Round { scale, half_even } => round_value(x, *scale, *half_even),
        MathFunction::Abs => match x {
            Value::Byte(n) => Value::Byte(n.wrapping_abs()),
            Value::Short(n) => Value::Short(n.wrapping_abs()),
            Value::Integer(n) => Value::Integer(n.wrapping_abs()),
            Value::Long(n) => Value::Long(n.wrapping_abs()),
            Value::Float(v) => Value::Float(v.abs()),
            Value::Double(v) => Value::Double(v.abs()),
            _ => Value::Null,
        },
        MathFunction::Ceil | MathFunction::Floor => match as_f64(x) {
            Some(_) if is_integral(x) => as_i64(x).map_or(Value::Null, Value::Long),
            Some(d) => Value::Long(if *f == MathFunction::Ceil {
                d.ceil()
            } else {
                d.floor()
            } as i64),
            None => Value::Null,
        },
        MathFunction::Sqrt => as_f64(x).map_or(Value::Null, |d| Value::Double(d.sqrt())),
        MathFunction::Pow => match (as_f64(x), args.get(1).and_then(as_f64)) {
            (Some(a), Some(b)) => Value::Double(a.powf(b)),
            _ => Value::Null,
        },
        MathFunction::Greatest | MathFunction::Least => {
            let want = if *f == MathFunction::Greatest {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<&Value> = None;
            for v in args.iter().filter(|v| !v.is_null()) {
                best = match best {
                    Some(b) if compare(v, b) != Some(want) => Some(b),
                    _ => Some(v),
                };
            }
            best.cloned().unwrap_or(Value::Null)
        }
    }
}

fn is_integral(v: &Value) -> bool {
    matches!(
        v,
        Value::Byte(_) | Value::Short(_) | Value::Integer(_) | Value::Long(_)
    )
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Byte(n) => Some(i64::from(*n)),
        Value::Short(n) => Some(i64::from(*n)),
        Value::Integer(n) => Some(i64::from(*n)),
        Value::Long(n) => Some(*n),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(f64::from(*f)),
        Value::Double(d) => Some(*d),
        other => as_i64(other).map(|n| n as f64),
    }
}

fn round_value(x: &Value, scale: i32, half_even: bool) -> Value {
    match x {
        Value::Double(d) => Value::Double(round_f64(*d, scale, half_even)),
        Value::Float(f) => Value::Float(round_f64(f64::from(*f), scale, half_even) as f32),
        other => match as_i64(other) {
            Some(n) => {
                let r = round_i128(i128::from(n), scale, half_even);
                match other {
                    Value::Byte(_) => Value::Byte(r as i8),
                    Value::Short(_) => Value::Short(r as i16),
                    Value::Integer(_) => Value::Integer(r as i32),
                    _ => Value::Long(r as i64),
                }
            }
            None => Value::Null,
        },
    }
}

fn round_i128(n: i128, scale: i32, half_even: bool) -> i128 {
    if scale >= 0 {
        return n;
    }
    let Some(unit) = 10i128.checked_pow(scale.unsigned_abs()) else {
        return 0;
    };
    let (q, r) = (n / unit, (n % unit).abs());
    let twice = r * 2;
    let up = twice > unit || (twice == unit && (!half_even || q % 2 != 0));
    let q = if up { q + n.signum() } else { q };
    q.saturating_mul(unit)
}

/// Rounds the shortest decimal form of `d` to `scale` fraction digits.
pub fn round_f64(d: f64, scale: i32, half_even: bool) -> f64 {
    if !d.is_finite() {
        return d;
    }
    let sci = format!("{:e}", d.abs());
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return d;
    };
    let Ok(exp) = exp.parse::<i64>() else {
        return d;
    };
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    // digits d0.d1d2… × 10^exp; keep the digits left of the rounding point.
    let keep = exp + 1 + i64::from(scale);
    if keep >= digits.len() as i64 {
        return d;
    }
    let sign = if d < 0.0 { -1.0 } else { 1.0 };
    if keep < 0 {
        return 0.0 * sign;
    }
    let keep = keep as usize;
    let mut kept: u128 = 0;
    for &x in &digits[..keep] {
        kept = kept * 10 + u128::from(x);
    }
    let first_dropped = digits.get(keep).copied().unwrap_or(0);
    let rest_nonzero = digits.iter().skip(keep + 1).any(|&x| x != 0);
    let up = if half_even {
        first_dropped > 5 || (first_dropped == 5 && (rest_nonzero || kept % 2 == 1))
    } else {
        first_dropped >= 5
    };
    if up {
        kept += 1;
    }
    let text = format!("{kept}e{}", exp + 1 - keep as i64);
    text.parse::<f64>().map_or(d, |v| v * sign)
}
