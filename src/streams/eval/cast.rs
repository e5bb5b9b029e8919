//! Spark's `CAST`, non-ANSI (`spark.sql.ansi.enabled=false`, Spark 3.x's default): a value that
//! does not convert becomes `NULL` instead of failing the query. Matches `Cast.scala`
//! (`castToString`, `castToLong`, …) and `UTF8String.toLong`/`toInt` of Spark 3.5.
//!
//! Owns which casts exist ([`can_cast`]) and what they produce ([`cast_value`],
//! [`value_to_text`]). Numbers narrow as the JVM does (a `long` cast to `int` wraps, a `double`
//! cast to `int` saturates); text of floating point is `java_text`'s; dates and timestamps are
//! `calendar`'s (UTC).

use std::rc::Rc;

use crate::streams::calendar::{self, MICROS_PER_DAY, MICROS_PER_SECOND};
use crate::streams::java_text::{double_to_string, float_to_string};
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// Whether Spark (non-ANSI) can cast `from` to `to` (`Cast.canCast`).
pub fn can_cast(from: &DataType, to: &DataType) -> bool {
    use DataType as T;
    if from == to {
        return true;
    }
    match (from, to) {
        (T::Null, _) => true,
        (_, T::String) => true,
        (T::String, T::Binary) => true,
        (f, T::Binary) => is_integral(f),
        (T::String | T::Date | T::Timestamp, T::Boolean) => true,
        (f, T::Boolean) => f.is_numeric(),
        (T::String | T::Boolean | T::Date | T::Timestamp, t) if t.is_numeric() => true,
        (f, t) if f.is_numeric() && t.is_numeric() => true,
        (T::String | T::Date | T::Boolean, T::Timestamp) => true,
        (f, T::Timestamp) => f.is_numeric(),
        (T::String | T::Timestamp, T::Date) => true,
        (
            T::Array { element: a, .. },
            T::Array {
                element: b,
                contains_null,
            },
        ) => can_cast(a, b) && (*contains_null || !casts_to_null(a, b)),
        (
            T::Map {
                key: k1, value: v1, ..
            },
            T::Map {
                key: k2, value: v2, ..
            },
        ) => can_cast(k1, k2) && can_cast(v1, v2),
        (T::Struct(a), T::Struct(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| can_cast(&x.data_type, &y.data_type))
        }
        _ => false,
    }
}

/// Whether a cast from `from` to `to` may turn a non-null value into `NULL` (Spark's
/// `Cast.forceNullable`, simplified): text that may not parse, and the like.
pub fn casts_to_null(from: &DataType, to: &DataType) -> bool {
    use DataType as T;
    match (from, to) {
        (f, t) if f == t => false,
        (T::String, T::String | T::Binary) => false,
        (T::String, _) => true,
        (T::Date, t) if t.is_numeric() => true,
        (f, T::Timestamp) if f.is_numeric() => true,
        (T::Array { element: a, .. }, T::Array { element: b, .. }) => casts_to_null(a, b),
        _ => false,
    }
}

fn is_integral(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Byte | DataType::Short | DataType::Integer | DataType::Long
    )
}

/// Casts one value to `to`; `NULL` where Spark's non-ANSI cast gives `NULL`. Callers check
/// [`can_cast`] at bind time; a pair that does not cast gives `NULL` here rather than panic.
pub fn cast_value(value: &Value, to: &DataType) -> Value {
    use DataType as T;
    if value.is_null() {
        return Value::Null;
    }
    match to {
        T::Null => Value::Null,
        T::String => Value::String(Rc::from(value_to_text(value).as_str())),
        T::Binary => to_binary(value),
        T::Boolean => to_boolean(value),
        T::Byte | T::Short | T::Integer | T::Long => to_integral(value, to),
        T::Float => to_f64(value).map_or(Value::Null, |d| Value::Float(d as f32)),
        T::Double => match value {
            // A float widens exactly, as Java's (double) f does.
            Value::Float(f) => Value::Double(f64::from(*f)),
            _ => to_f64(value).map_or(Value::Null, Value::Double),
        },
        T::Date => match value {
            Value::Date(d) => Value::Date(*d),
            Value::Timestamp(t) => {
                i32::try_from(t.div_euclid(MICROS_PER_DAY)).map_or(Value::Null, Value::Date)
            }
            Value::String(s) => calendar::parse_date(s).map_or(Value::Null, Value::Date),
            _ => Value::Null,
        },
        T::Timestamp => to_timestamp(value),
        T::Array { element, .. } => match value {
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| cast_value(v, element)).collect())
            }
            _ => Value::Null,
        },
        T::Map { key, value: vt, .. } => match value {
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (cast_value(k, key), cast_value(v, vt)))
                    .collect(),
            ),
            _ => Value::Null,
        },
        T::Struct(fields) => match value {
            Value::Struct(items) if items.len() == fields.len() => Value::Struct(
                items
                    .iter()
                    .zip(fields.iter())
                    .map(|(v, f)| cast_value(v, &f.data_type))
                    .collect(),
            ),
            _ => Value::Null,
        },
    }
}

/// Spark's text of a non-null value (`CAST(x AS STRING)`): binary decoded as UTF-8 with
/// U+FFFD for bad bytes, `[1, 2]`, `{1, a, null}`, `{a -> 1}`, Java's float and double text.
pub fn value_to_text(value: &Value) -> String {
    let mut out = String::new();
    write_text(value, &mut out);
    out
}

fn write_text(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Byte(n) => out.push_str(&n.to_string()),
        Value::Short(n) => out.push_str(&n.to_string()),
        Value::Integer(n) => out.push_str(&n.to_string()),
        Value::Long(n) => out.push_str(&n.to_string()),
        Value::Float(f) => out.push_str(&float_to_string(*f)),
        Value::Double(d) => out.push_str(&double_to_string(*d)),
        Value::String(s) => out.push_str(s),
        Value::Binary(b) => out.push_str(&String::from_utf8_lossy(b)),
        Value::Date(d) => out.push_str(&calendar::format_date(*d)),
        Value::Timestamp(t) => out.push_str(&calendar::format_timestamp(*t)),
        Value::Array(items) => write_seq('[', ']', items, out),
        Value::Struct(items) => write_seq('{', '}', items, out),
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_text(k, out);
                out.push_str(" -> ");
                write_text(v, out);
            }
            out.push('}');
        }
    }
}

fn write_seq(open: char, close: char, items: &[Value], out: &mut String) {
    out.push(open);
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_text(v, out);
    }
    out.push(close);
}

fn to_binary(value: &Value) -> Value {
    let bytes: Vec<u8> = match value {
        Value::Binary(b) => return Value::Binary(b.clone()),
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Byte(n) => n.to_be_bytes().to_vec(),
        Value::Short(n) => n.to_be_bytes().to_vec(),
        Value::Integer(n) => n.to_be_bytes().to_vec(),
        Value::Long(n) => n.to_be_bytes().to_vec(),
        _ => return Value::Null,
    };
    Value::Binary(Rc::from(bytes))
}

fn to_boolean(value: &Value) -> Value {
    match value {
        Value::Boolean(b) => Value::Boolean(*b),
        Value::String(s) => {
            let t = s.trim().to_ascii_lowercase();
            match t.as_str() {
                "t" | "true" | "y" | "yes" | "1" => Value::Boolean(true),
                "f" | "false" | "n" | "no" | "0" => Value::Boolean(false),
                _ => Value::Null,
            }
        }
        Value::Date(_) => Value::Null,
        Value::Timestamp(t) => Value::Boolean(*t != 0),
        Value::Float(f) => Value::Boolean(*f != 0.0),
        Value::Double(d) => Value::Boolean(*d != 0.0),
        other => integral_of(other).map_or(Value::Null, |n| Value::Boolean(n != 0)),
    }
}

/// The integral value of an integral or boolean value.
fn integral_of(value: &Value) -> Option<i64> {
    match value {
        Value::Boolean(b) => Some(i64::from(*b)),
        Value::Byte(n) => Some(i64::from(*n)),
        Value::Short(n) => Some(i64::from(*n)),
        Value::Integer(n) => Some(i64::from(*n)),
        Value::Long(n) => Some(*n),
        _ => None,
    }
}

fn to_integral(value: &Value, to: &DataType) -> Value {
    let wrap = |n: i64| match to {
        DataType::Byte => Value::Byte(n as i8),
        DataType::Short => Value::Short(n as i16),
        DataType::Integer => Value::Integer(n as i32),
        _ => Value::Long(n),
    };
    match value {
        Value::String(s) => {
            // UTF8String.toByte/toShort/toInt/toLong: out of the type's range is NULL, not
            // wrapped.
            let Some(n) = parse_integral(s) else {
                return Value::Null;
            };
            let fits = match to {
                DataType::Byte => i8::try_from(n).is_ok(),
                DataType::Short => i16::try_from(n).is_ok(),
                DataType::Integer => i32::try_from(n).is_ok(),
                _ => true,
            };
            if fits {
                wrap(n)
            } else {
                Value::Null
            }
        }
        // Java's (long) d saturates and maps NaN to 0; (byte) goes through (int) first.
        Value::Float(f) => from_fractional(f64::from(*f), to),
        Value::Double(d) => from_fractional(*d, to),
        Value::Timestamp(t) => wrap(t.div_euclid(MICROS_PER_SECOND)),
        Value::Date(_) => Value::Null,
        other => integral_of(other).map_or(Value::Null, wrap),
    }
}

fn from_fractional(d: f64, to: &DataType) -> Value {
    match to {
        DataType::Long => Value::Long(d as i64),
        DataType::Integer => Value::Integer(d as i32),
        DataType::Short => Value::Short(d as i32 as i16),
        _ => Value::Byte(d as i32 as i8),
    }
}

/// `UTF8String.toLong`: trimmed, an optional sign, digits, and optionally a `.` followed by
/// digits that are dropped (`'12.9'` is 12). Overflow is `None`.
pub fn parse_integral(text: &str) -> Option<i64> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (int_part, fraction) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if int_part.is_empty() && fraction.is_none_or(str::is_empty) {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !fraction.unwrap_or("").bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut n: i64 = 0;
    for b in int_part.bytes() {
        let digit = i64::from(b - b'0');
        // Accumulate negatively so that i64::MIN reads.
        n = n.checked_mul(10)?.checked_sub(digit)?;
    }
    if negative {
        Some(n)
    } else {
        n.checked_neg()
    }
}

/// Java's `Double.parseDouble` after trimming, plus Spark's special literals (`inf`,
/// `-infinity`, `nan`, any case). `None` when it is not a number.
pub fn parse_fractional(text: &str) -> Option<f64> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => return Some(f64::INFINITY),
        "-inf" | "-infinity" => return Some(f64::NEG_INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    // Java accepts a type suffix (`1.5d`, `2f`); Rust's parser does not.
    let body = t
        .strip_suffix(['d', 'D', 'f', 'F'])
        .filter(|b| b.ends_with(|c: char| c.is_ascii_digit() || c == '.'))
        .unwrap_or(t);
    let plain = body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !plain || body.is_empty() {
        return None;
    }
    body.parse::<f64>().ok()
}

fn to_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Float(f) => Some(f64::from(*f)),
        Value::Double(d) => Some(*d),
        Value::String(s) => parse_fractional(s),
        Value::Timestamp(t) => Some(*t as f64 / MICROS_PER_SECOND as f64),
        Value::Date(_) => None,
        other => integral_of(other).map(|n| n as f64),
    }
}

fn to_timestamp(value: &Value) -> Value {
    match value {
        Value::Timestamp(t) => Value::Timestamp(*t),
        Value::Date(d) => Value::Timestamp(i64::from(*d) * MICROS_PER_DAY),
        Value::String(s) => calendar::parse_timestamp(s).map_or(Value::Null, Value::Timestamp),
        Value::Float(_) | Value::Double(_) => match to_f64(value) {
            Some(d) if d.is_finite() => Value::Timestamp((d * MICROS_PER_SECOND as f64) as i64),
            _ => Value::Null,
        },
        // Seconds since the epoch; Spark's SECONDS.toMicros saturates.
        other => integral_of(other).map_or(Value::Null, |n| {
            Value::Timestamp(n.saturating_mul(MICROS_PER_SECOND))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::types::StructField;

    fn text(v: Value) -> String {
        value_to_text(&v)
    }

    #[test]
    fn a_kafka_value_casts_to_its_utf8_text_with_bad_bytes_replaced() {
        let v = Value::Binary(Rc::from(&b"{\"city\":\"chicago\"}"[..]));
        assert_eq!(
            cast_value(&v, &DataType::String),
            Value::string("{\"city\":\"chicago\"}")
        );
        let bad = Value::Binary(Rc::from(&[b'a', 0xff, b'b'][..]));
        assert_eq!(text(bad), "a\u{FFFD}b");
    }

    #[test]
    fn text_that_is_not_a_number_casts_to_null_not_an_error() {
        assert_eq!(
            cast_value(&Value::string("abc"), &DataType::Long),
            Value::Null
        );
        assert_eq!(
            cast_value(&Value::string(" 42 "), &DataType::Long),
            Value::Long(42)
        );
        assert_eq!(
            cast_value(&Value::string("12.9"), &DataType::Integer),
            Value::Integer(12)
        );
        assert_eq!(
            cast_value(&Value::string("-7"), &DataType::Long),
            Value::Long(-7)
        );
        assert_eq!(
            cast_value(&Value::string("3000000000"), &DataType::Integer),
            Value::Null
        );
        assert_eq!(
            cast_value(&Value::string("9223372036854775808"), &DataType::Long),
            Value::Null
        );
        assert_eq!(cast_value(&Value::string(""), &DataType::Long), Value::Null);
        assert_eq!(
            cast_value(&Value::string("1e3"), &DataType::Double),
            Value::Double(1000.0)
        );
        assert_eq!(
            cast_value(&Value::string("x1"), &DataType::Double),
            Value::Null
        );
    }

    #[test]
    fn numbers_narrow_as_java_does() {
        assert_eq!(
            cast_value(&Value::Long(4_294_967_297), &DataType::Integer),
            Value::Integer(1)
        );
        assert_eq!(
            cast_value(&Value::Double(1e20), &DataType::Integer),
            Value::Integer(i32::MAX)
        );
        assert_eq!(
            cast_value(&Value::Double(f64::NAN), &DataType::Long),
            Value::Long(0)
        );
        assert_eq!(
            cast_value(&Value::Double(300.7), &DataType::Byte),
            Value::Byte(44)
        );
        assert_eq!(
            cast_value(&Value::Integer(-3), &DataType::Boolean),
            Value::Boolean(true)
        );
    }

    #[test]
    fn nested_values_print_as_spark_casts_them_to_string() {
        let arr = Value::Array(Rc::from(vec![
            Value::Integer(1),
            Value::Null,
            Value::Integer(2),
        ]));
        assert_eq!(text(arr), "[1, null, 2]");
        let st = Value::Struct(Rc::from(vec![
            Value::Integer(1),
            Value::string("a"),
            Value::Null,
        ]));
        assert_eq!(text(st), "{1, a, null}");
        let map = Value::Map(Rc::from(vec![(Value::string("a"), Value::Long(1))]));
        assert_eq!(text(map), "{a -> 1}");
        assert_eq!(text(Value::Double(1e7)), "1.0E7");
        assert_eq!(text(Value::Float(299.98)), "299.98");
    }

    #[test]
    fn dates_and_timestamps_cast_through_the_calendar() {
        let ts = cast_value(&Value::string("2026-12-06 10:20:30"), &DataType::Timestamp);
        assert_eq!(text(ts.clone()), "2026-12-06 10:20:30");
        assert_eq!(text(cast_value(&ts, &DataType::Date)), "2026-12-06");
        assert_eq!(
            cast_value(&Value::Long(1), &DataType::Timestamp),
            Value::Timestamp(1_000_000)
        );
        assert_eq!(
            cast_value(&Value::Timestamp(1_500_000), &DataType::Long),
            Value::Long(1)
        );
        assert_eq!(
            cast_value(&Value::string("soon"), &DataType::Date),
            Value::Null
        );
    }

    #[test]
    fn which_casts_exist_follows_sparks_can_cast() {
        assert!(can_cast(&DataType::Binary, &DataType::String));
        assert!(!can_cast(
            &DataType::Integer,
            &DataType::array_of(DataType::Integer)
        ));
        assert!(!can_cast(&DataType::Integer, &DataType::Date));
        let s = DataType::Struct(vec![StructField::new("a", DataType::String)]);
        let t = DataType::Struct(vec![StructField::new("b", DataType::Long)]);
        assert!(can_cast(&s, &t));
        assert_eq!(
            cast_value(&Value::Struct(Rc::from(vec![Value::string("5")])), &t),
            Value::Struct(Rc::from(vec![Value::Long(5)]))
        );
    }
}
