//! Python's operators on plain values (`+`, `//`, `%`, `**`, comparisons, `in`, `is`), and
//! the hand-off to column expressions when either side is a `Column`.
//!
//! Owns the arithmetic of the shell's `int` (64 bits: an overflow is an error, not a wrong
//! number), `float` and `str`; must not build SQL itself ([`super::functions`] does).

use crate::streams::python::{BinOp, CmpOp, UnaryOp};

use super::errors::PyError;
use super::objects::Obj;

/// The longest string the shell builds with `*` or `+` (a guard against `"x" * 10**12`, or
/// `x = x + x` pasted thirty times, freezing the tab).
const MAX_STRING: usize = 1 << 24;

/// The most items the shell builds in one list or tuple with `*` or `+` (the same guard).
const MAX_ITEMS: usize = 1 << 20;

/// Equality of plain values (numbers compare across int and float, as in Python).
pub fn plain_eq(a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::None, Obj::None) => true,
        (Obj::Str(x), Obj::Str(y)) => x == y,
        (Obj::Bytes(x), Obj::Bytes(y)) => x == y,
        (Obj::List(x), Obj::List(y)) | (Obj::Tuple(x), Obj::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| plain_eq(a, b))
        }
        (Obj::Query(x), Obj::Query(y)) => x == y,
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn number(v: &Obj) -> Option<f64> {
    match v {
        Obj::Bool(b) => Some(f64::from(u8::from(*b))),
        Obj::Int(n) => Some(*n as f64),
        Obj::Float(x) => Some(*x),
        _ => None,
    }
}

fn int_of(v: &Obj) -> Option<i64> {
    match v {
        Obj::Bool(b) => Some(i64::from(*b)),
        Obj::Int(n) => Some(*n),
        _ => None,
    }
}

/// `-x`, `+x`, `~x`, `not x`.
pub fn unary(op: UnaryOp, v: Obj) -> Result<Obj, PyError> {
    if matches!(v, Obj::Column(_)) {
        return super::functions::column_unary(op, v);
    }
    Ok(match (op, &v) {
        (UnaryOp::Not, v) => Obj::Bool(!v.truthy().unwrap_or(true)),
        (UnaryOp::Neg, Obj::Float(x)) => Obj::Float(-x),
        (UnaryOp::Neg, _) if int_of(&v).is_some() => {
            Obj::Int(int_of(&v).and_then(i64::checked_neg).ok_or_else(overflow)?)
        }
        (UnaryOp::Pos, Obj::Float(_)) => v,
        (UnaryOp::Pos, _) if int_of(&v).is_some() => Obj::Int(int_of(&v).unwrap_or(0)),
        (UnaryOp::Invert, _) if int_of(&v).is_some() => Obj::Int(!int_of(&v).unwrap_or(0)),
        _ => {
            let sym = match op {
                UnaryOp::Neg => "-",
                UnaryOp::Pos => "+",
                _ => "~",
            };
            return Err(PyError::Type(format!(
                "bad operand type for unary {sym}: '{}'",
                v.type_name()
            )));
        }
    })
}

fn overflow() -> PyError {
    PyError::Value("integer overflow: Brooklet's pyspark shell holds 64-bit integers".into())
}

/// `l op r` for arithmetic and bitwise operators.
pub fn binary(op: BinOp, l: Obj, r: Obj) -> Result<Obj, PyError> {
    if matches!(l, Obj::Column(_)) || matches!(r, Obj::Column(_)) {
        return super::functions::column_binary(op, l, r);
    }
    if let (Some(a), Some(b)) = (int_of(&l), int_of(&r)) {
        let v = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::Div => {
                if b == 0 {
                    return Err(PyError::ZeroDivision("division by zero"));
                }
                return Ok(Obj::Float(a as f64 / b as f64));
            }
            BinOp::FloorDiv | BinOp::Mod if b == 0 => {
                return Err(PyError::ZeroDivision("integer division or modulo by zero"))
            }
            // Python floors toward negative infinity.
            BinOp::FloorDiv => a.checked_div(b).map(|q| {
                if a % b != 0 && ((a < 0) != (b < 0)) {
                    q - 1
                } else {
                    q
                }
            }),
            // `MIN % -1` is 0 in Python; only the machine division overflows.
            BinOp::Mod if b == -1 => Some(0),
            BinOp::Mod => a.checked_rem(b).map(|m| {
                if m != 0 && (m < 0) != (b < 0) {
                    m + b
                } else {
                    m
                }
            }),
            BinOp::Pow if b < 0 => return Ok(Obj::Float((a as f64).powf(b as f64))),
            BinOp::Pow => u32::try_from(b).ok().and_then(|e| a.checked_pow(e)),
            BinOp::BitAnd => Some(a & b),
            BinOp::BitOr => Some(a | b),
            BinOp::BitXor => Some(a ^ b),
            // `checked_shl` only refuses shifts past 63; bits shifted out are an overflow too.
            BinOp::LShift => u32::try_from(b)
                .ok()
                .filter(|&s| s < 64)
                .map(|s| (a << s, s))
                .filter(|&(v, s)| v >> s == a && (v < 0) == (a < 0))
                .map(|(v, _)| v),
            BinOp::RShift => u32::try_from(b).ok().map(|s| a >> s.min(63)),
        };
        return v.map(Obj::Int).ok_or_else(overflow);
    }
    if let (Some(a), Some(b)) = (number(&l), number(&r)) {
        let v = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div | BinOp::FloorDiv | BinOp::Mod if b == 0.0 => {
                return Err(PyError::ZeroDivision("float division by zero"))
            }
            BinOp::Div => a / b,
            BinOp::FloorDiv => (a / b).floor(),
            BinOp::Mod => a - b * (a / b).floor(),
            BinOp::Pow => a.powf(b),
            _ => return Err(operand_error(op, &l, &r)),
        };
        return Ok(Obj::Float(v));
    }
    match (op, l, r) {
        (BinOp::Add, Obj::Str(a), Obj::Str(b)) => {
            string_fits(a.len().saturating_add(b.len()))?;
            Ok(Obj::Str(a + &b))
        }
        (BinOp::Add, Obj::List(a), Obj::List(b)) => {
            items_fit(a.len().saturating_add(b.len()))?;
            Ok(Obj::List([a, b].concat()))
        }
        (BinOp::Add, Obj::Tuple(a), Obj::Tuple(b)) => {
            items_fit(a.len().saturating_add(b.len()))?;
            Ok(Obj::Tuple([a, b].concat()))
        }
        (BinOp::Mul, Obj::Str(s), Obj::Int(n)) | (BinOp::Mul, Obj::Int(n), Obj::Str(s)) => {
            let n = usize::try_from(n).unwrap_or(0);
            string_fits(s.len().saturating_mul(n))?;
            Ok(Obj::Str(s.repeat(n)))
        }
        (BinOp::Mul, Obj::List(v), Obj::Int(n)) | (BinOp::Mul, Obj::Int(n), Obj::List(v)) => {
            Ok(Obj::List(repeat_items(&v, n)?))
        }
        (BinOp::Mul, Obj::Tuple(v), Obj::Int(n)) | (BinOp::Mul, Obj::Int(n), Obj::Tuple(v)) => {
            Ok(Obj::Tuple(repeat_items(&v, n)?))
        }
        (BinOp::Mod, Obj::Str(_), _) => Err(PyError::Unsupported {
            what: "%-formatting".into(),
            instead: "join strings with +".into(),
        }),
        (op, l, r) => Err(operand_error(op, &l, &r)),
    }
}

fn string_fits(len: usize) -> Result<(), PyError> {
    if len > MAX_STRING {
        return Err(PyError::Value(format!(
            "a string longer than {MAX_STRING} bytes is more than Brooklet's pyspark shell builds"
        )));
    }
    Ok(())
}

/// `items * n`: a negative `n` repeats nothing, as in Python.
fn repeat_items(items: &[Obj], n: i64) -> Result<Vec<Obj>, PyError> {
    let n = usize::try_from(n).unwrap_or(0);
    items_fit(items.len().saturating_mul(n))?;
    Ok(std::iter::repeat_n(items, n).flatten().cloned().collect())
}

fn items_fit(len: usize) -> Result<(), PyError> {
    if len > MAX_ITEMS {
        return Err(PyError::Value(format!(
            "a list longer than {MAX_ITEMS} items is more than Brooklet's pyspark shell builds"
        )));
    }
    Ok(())
}

fn operand_error(op: BinOp, l: &Obj, r: &Obj) -> PyError {
    let sym = match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
    };
    PyError::Type(format!(
        "unsupported operand type(s) for {sym}: '{}' and '{}'",
        l.type_name(),
        r.type_name()
    ))
}

/// `l op r` for comparisons, `in` and `is`.
pub fn compare(op: CmpOp, l: Obj, r: Obj) -> Result<Obj, PyError> {
    if matches!(l, Obj::Column(_)) || matches!(r, Obj::Column(_)) {
        return super::functions::column_compare(op, l, r);
    }
    let ordering = || -> Result<std::cmp::Ordering, PyError> {
        match (&l, &r) {
            (Obj::Str(a), Obj::Str(b)) => Ok(a.cmp(b)),
            _ => match (number(&l), number(&r)) {
                (Some(a), Some(b)) => a
                    .partial_cmp(&b)
                    .ok_or_else(|| PyError::Value("nan does not order".into())),
                _ => Err(PyError::Type(format!(
                    "'<' not supported between instances of '{}' and '{}'",
                    l.type_name(),
                    r.type_name()
                ))),
            },
        }
    };
    let contains = || -> Result<bool, PyError> {
        match &r {
            Obj::Str(hay) => match &l {
                Obj::Str(needle) => Ok(hay.contains(needle.as_str())),
                other => Err(PyError::Type(format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                ))),
            },
            Obj::List(items) | Obj::Tuple(items) => Ok(items.iter().any(|i| plain_eq(i, &l))),
            Obj::Dict(entries) => Ok(entries.iter().any(|(k, _)| plain_eq(k, &l))),
            Obj::Row(fields) => Ok(fields.iter().any(|(_, v)| plain_eq(v, &l))),
            other => Err(PyError::Type(format!(
                "argument of type '{}' is not iterable",
                other.type_name()
            ))),
        }
    };
    use std::cmp::Ordering::*;
    Ok(Obj::Bool(match op {
        CmpOp::Eq => plain_eq(&l, &r),
        CmpOp::NotEq => !plain_eq(&l, &r),
        CmpOp::Lt => ordering()? == Less,
        CmpOp::LtE => ordering()? != Greater,
        CmpOp::Gt => ordering()? == Greater,
        CmpOp::GtE => ordering()? != Less,
        CmpOp::In => contains()?,
        CmpOp::NotIn => !contains()?,
        CmpOp::Is => same_object(&l, &r),
        CmpOp::IsNot => !same_object(&l, &r),
    }))
}

/// `is`: singletons and plain values compare by value (Python would compare identity; for
/// `None`, `True`, `False`, which is what `is` is written with, the answer is the same).
fn same_object(a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::None, Obj::None) => true,
        (Obj::Bool(x), Obj::Bool(y)) => x == y,
        (Obj::None, _) | (_, Obj::None) | (Obj::Bool(_), _) | (_, Obj::Bool(_)) => false,
        _ => plain_eq(a, b),
    }
}
