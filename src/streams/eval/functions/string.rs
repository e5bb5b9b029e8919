//! String functions (`stringExpressions.scala` and `UTF8String` of Spark 3.5): `upper`,
//! `lower`, `length`, `trim`/`ltrim`/`rtrim` (spaces only), `concat`, `concat_ws`,
//! `substring`/`substr` (1-based, negative positions from the end), `split` (a literal
//! separator only), `replace`, `lpad`/`rpad`, `initcap`, `instr`.
//!
//! Owns these functions. Positions and lengths count characters (code points), as Spark does.

use super::{call, literal_text, CallSite, ScalarFunction};
use crate::streams::eval::bound::BoundExpr;
use crate::streams::eval::cast::value_to_text;
use crate::streams::eval::coercion::Expected;
use crate::streams::eval::error::EvalError;
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// The names this family answers to.
pub const NAMES: &[&str] = &[
    "upper",
    "ucase",
    "lower",
    "lcase",
    "length",
    "char_length",
    "character_length",
    "trim",
    "ltrim",
    "rtrim",
    "concat",
    "concat_ws",
    "substring",
    "substr",
    "split",
    "replace",
    "lpad",
    "rpad",
    "initcap",
    "instr",
];

/// A string function.
#[derive(Debug, Clone, PartialEq)]
pub enum StringFunction {
    /// `upper(s)`.
    Upper,
    /// `lower(s)`.
    Lower,
    /// `length(s)`: characters of a string, bytes of a binary.
    Length,
    /// `trim`, `ltrim`, `rtrim`: (left, right).
    Trim(bool, bool),
    /// `concat(a, …)`: `NULL` if any is.
    Concat,
    /// `concat_ws(sep, …)`: nulls skipped, arrays flattened.
    ConcatWs,
    /// `substring(s, pos, len)`.
    Substring,
    /// `split(s, sep, limit)` with a literal separator.
    Split(String),
    /// `replace(s, search, replacement)`.
    Replace,
    /// `lpad` (`true`) / `rpad` (`false`).
    Pad(bool),
    /// `initcap(s)`.
    Initcap,
    /// `instr(s, sub)`: 1-based, 0 when absent.
    Instr,
}

/// Binds a call of this family.
pub fn bind(
    lower: &str,
    mut args: Vec<BoundExpr>,
    site: &CallSite<'_>,
) -> Result<BoundExpr, EvalError> {
    let string = Expected::Exact(DataType::String);
    let int = Expected::Exact(DataType::Integer);
    let n = args.len();
    let coerce_all =
        |args: Vec<BoundExpr>, kinds: &[&Expected]| -> Result<Vec<BoundExpr>, EvalError> {
            args.into_iter()
                .enumerate()
                .map(|(i, a)| site.coerce(a, i, kinds.get(i).copied().unwrap_or(&Expected::Any)))
                .collect()
        };
    let (f, args, t) = match lower {
        "upper" | "ucase" | "lower" | "lcase" | "initcap" => {
            site.arity(n, &[1])?;
            let f = match lower {
                "upper" | "ucase" => StringFunction::Upper,
                "initcap" => StringFunction::Initcap,
                _ => StringFunction::Lower,
            };
            (f, coerce_all(args, &[&string])?, DataType::String)
        }
        "length" | "char_length" | "character_length" => {
            site.arity(n, &[1])?;
            let args = coerce_all(args, &[&Expected::StringOrBinary])?;
            (StringFunction::Length, args, DataType::Integer)
        }
        "trim" | "ltrim" | "rtrim" => {
            site.arity(n, &[1])?;
            let f = StringFunction::Trim(lower != "rtrim", lower != "ltrim");
            (f, coerce_all(args, &[&string])?, DataType::String)
        }
        "concat" => {
            let kinds = vec![&string; n];
            (
                StringFunction::Concat,
                coerce_all(args, &kinds)?,
                DataType::String,
            )
        }
        "concat_ws" => {
            site.at_least(n, 1)?;
            let mut out = Vec::with_capacity(n);
            for (i, a) in args.into_iter().enumerate() {
                out.push(match a.data_type() {
                    DataType::Array { element, .. } if i > 0 && *element == DataType::String => a,
                    _ => site.coerce(a, i, &string)?,
                });
            }
            (StringFunction::ConcatWs, out, DataType::String)
        }
        "substring" | "substr" => {
            site.arity(n, &[2, 3])?;
            if n == 2 {
                args.push(BoundExpr::Literal(
                    Value::Integer(i32::MAX),
                    DataType::Integer,
                ));
            }
            let args = coerce_all(args, &[&string, &int, &int])?;
            (StringFunction::Substring, args, DataType::String)
        }
        "split" => {
            site.arity(n, &[2, 3])?;
            if n == 2 {
                args.push(BoundExpr::Literal(Value::Integer(-1), DataType::Integer));
            }
            let args = coerce_all(args, &[&string, &string, &int])?;
            let separator = args.get(1).and_then(literal_text).ok_or_else(|| {
                EvalError::Unsupported(
                    "split() in Brooklet takes a constant separator, e.g. split(value, ' ')."
                        .to_string(),
                )
            })?;
            let literal = literal_separator(&separator).ok_or_else(|| {
                EvalError::Unsupported(format!(
                    "split() in Brooklet supports only a literal separator, and '{separator}' is a regular expression; escape its special characters with \\\\ (e.g. '\\\\.') or split on one literal separator."
                ))
            })?;
            (
                StringFunction::Split(literal),
                args,
                DataType::array_of(DataType::String),
            )
        }
        "replace" => {
            site.arity(n, &[2, 3])?;
            if n == 2 {
                args.push(BoundExpr::Literal(Value::string(""), DataType::String));
            }
            let args = coerce_all(args, &[&string, &string, &string])?;
            (StringFunction::Replace, args, DataType::String)
        }
        "lpad" | "rpad" => {
            site.arity(n, &[2, 3])?;
            if n == 2 {
                args.push(BoundExpr::Literal(Value::string(" "), DataType::String));
            }
            let args = coerce_all(args, &[&string, &int, &string])?;
            (StringFunction::Pad(lower == "lpad"), args, DataType::String)
        }
        _ => {
            site.arity(n, &[2])?;
            let args = coerce_all(args, &[&string, &string])?;
            (StringFunction::Instr, args, DataType::Integer)
        }
    };
    Ok(call(ScalarFunction::String(f), args, t))
}

/// The separator a "regex" stands for when it has no unescaped metacharacter (`\.` is `.`).
fn literal_separator(pattern: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '.' | '^' | '$' | '|' | '?' | '*' | '+' | '(' | ')' | '[' | ']' | '{' | '}' => {
                return None
            }
            c => out.push(c),
        }
    }
    Some(out)
}

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i32> {
    match v {
        Value::Integer(n) => Some(*n),
        _ => None,
    }
}

fn s(text: &str) -> Value {
    Value::string(text)
}

/// Evaluates a call of this family.
pub fn eval(f: &StringFunction, args: &[Value]) -> Value {
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    match f {
        StringFunction::Concat => {
            let mut out = String::new();
            for a in args {
                match text(a) {
                    Some(t) => out.push_str(t),
                    None => return Value::Null,
                }
            }
            s(&out)
        }
        StringFunction::ConcatWs => {
            let Some(sep) = text(arg(0)) else {
                return Value::Null;
            };
            let mut parts: Vec<String> = Vec::new();
            for a in args.iter().skip(1) {
                match a {
                    Value::String(t) => parts.push(t.to_string()),
                    Value::Array(items) => {
                        parts.extend(items.iter().filter(|v| !v.is_null()).map(value_to_text))
                    }
                    _ => {}
                }
            }
            s(&parts.join(sep))
        }
        StringFunction::Length => match arg(0) {
            Value::String(t) => Value::Integer(t.chars().count() as i32),
            Value::Binary(b) => Value::Integer(b.len() as i32),
            _ => Value::Null,
        },
        _ => {
            let Some(t) = text(arg(0)) else {
                return Value::Null;
            };
            eval_on_text(f, t, args)
        }
    }
}

fn eval_on_text(f: &StringFunction, t: &str, args: &[Value]) -> Value {
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    match f {
        StringFunction::Upper => s(&t.to_uppercase()),
        StringFunction::Lower => s(&t.to_lowercase()),
        StringFunction::Initcap => s(&initcap(t)),
        StringFunction::Trim(left, right) => {
            let mut r = t;
            if *left {
                r = r.trim_start_matches(' ');
            }
            if *right {
                r = r.trim_end_matches(' ');
            }
            s(r)
        }
        StringFunction::Substring => match (int(arg(1)), int(arg(2))) {
            (Some(pos), Some(len)) => s(&substring_sql(t, pos, len)),
            _ => Value::Null,
        },
        StringFunction::Split(sep) => match int(arg(2)) {
            Some(limit) => Value::Array(split(t, sep, limit).into_iter().map(|p| s(&p)).collect()),
            None => Value::Null,
        },
        StringFunction::Replace => match (text(arg(1)), text(arg(2))) {
            (Some(search), Some(with)) if !search.is_empty() => s(&t.replace(search, with)),
            (Some(_), Some(_)) => s(t),
            _ => Value::Null,
        },
        StringFunction::Pad(left) => match (int(arg(1)), text(arg(2))) {
            // A padded string longer than the tab can hold is NULL (Spark's executor would
            // run out of memory): see MAX_PADDED_CHARS.
            (Some(len), Some(_)) if len > MAX_PADDED_CHARS => Value::Null,
            (Some(len), Some(pad)) => s(&pad_text(t, len, pad, *left)),
            _ => Value::Null,
        },
        StringFunction::Instr => match text(arg(1)) {
            Some(sub) => Value::Integer(match t.find(sub) {
                Some(byte) => t[..byte].chars().count() as i32 + 1,
                None => 0,
            }),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

/// `UTF8String.substringSQL`: 1-based `pos` (0 acts as 1, negative counts from the end).
pub fn substring_sql(t: &str, pos: i32, len: i32) -> String {
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len() as i64;
    let start: i64 = match pos {
        p if p > 0 => i64::from(p) - 1,
        p if p < 0 => n + i64::from(p),
        _ => 0,
    };
    let end = (start + i64::from(len)).min(n);
    let start = start.max(0);
    if start >= end {
        return String::new();
    }
    chars[start as usize..end as usize].iter().collect()
}

/// `split` with a literal separator: `limit > 0` keeps at most that many parts (the last
/// holding the rest); otherwise all, trailing empty parts kept. An empty separator splits
/// into characters.
fn split(t: &str, sep: &str, limit: i32) -> Vec<String> {
    if sep.is_empty() {
        let mut parts: Vec<String> = t.chars().map(String::from).collect();
        if parts.is_empty() {
            parts.push(String::new());
        }
        return parts;
    }
    if limit > 0 {
        t.splitn(limit as usize, sep).map(String::from).collect()
    } else {
        t.split(sep).map(String::from).collect()
    }
}

/// The longest string `lpad` / `rpad` make (16 Mi characters): one row must not take the tab's
/// memory (README, "Spark in the tab").
pub const MAX_PADDED_CHARS: i32 = 1 << 24;

fn pad_text(t: &str, len: i32, pad: &str, left: bool) -> String {
    let chars: Vec<char> = t.chars().collect();
    let len = len.max(0) as usize;
    if len <= chars.len() || pad.is_empty() {
        return chars.iter().take(len).collect();
    }
    let need = len - chars.len();
    let filler: String = pad.chars().cycle().take(need).collect();
    if left {
        filler + t
    } else {
        format!("{t}{filler}")
    }
}

/// `initcap`: lower case, then the first letter of each space-separated word in upper case.
fn initcap(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut after_space = true;
    for c in t.to_lowercase().chars() {
        if after_space {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        after_space = c == ' ';
    }
    out
}
