//! How Spark compares two values of one type: `=`, `<`, `IN`, `greatest`, `array_contains`.
//!
//! Owns equality and order only; the binder has already cast both sides to one type. Floating
//! point follows Spark's `SQLOrderingUtil`: `NaN` equals `NaN` and sorts above every number,
//! and `-0.0` equals `0.0`.

use std::cmp::Ordering;

use crate::streams::value::Value;

/// The order of two non-null values of one type, or `None` when either is null or they cannot
/// be compared (values of different types, which the binder prevents).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    use Value as V;
    Some(match (a, b) {
        (V::Null, _) | (_, V::Null) => return None,
        (V::Boolean(x), V::Boolean(y)) => x.cmp(y),
        (V::Byte(x), V::Byte(y)) => x.cmp(y),
        (V::Short(x), V::Short(y)) => x.cmp(y),
        (V::Integer(x), V::Integer(y)) => x.cmp(y),
        (V::Long(x), V::Long(y)) => x.cmp(y),
        (V::Float(x), V::Float(y)) => compare_f64(f64::from(*x), f64::from(*y)),
        (V::Double(x), V::Double(y)) => compare_f64(*x, *y),
        (V::String(x), V::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (V::Binary(x), V::Binary(y)) => x.cmp(y),
        (V::Date(x), V::Date(y)) => x.cmp(y),
        (V::Timestamp(x), V::Timestamp(y)) => x.cmp(y),
        (V::Array(x), V::Array(y)) | (V::Struct(x), V::Struct(y)) => compare_seq(x, y)?,
        _ => return None,
    })
}

/// Spark's equality of two non-null values (maps are never equal-comparable in Spark; here
/// they compare entry by entry).
pub fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => Some(x == y),
        _ => compare(a, b).map(|o| o == Ordering::Equal),
    }
}

fn compare_f64(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        // -0.0 == 0.0 here, as in Spark.
        _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// Arrays and structs compare element by element; a null element sorts first, as Spark's
/// interpreted ordering does.
fn compare_seq(x: &[Value], y: &[Value]) -> Option<Ordering> {
    for (a, b) in x.iter().zip(y.iter()) {
        let o = match (a.is_null(), b.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => compare(a, b)?,
        };
        if o != Ordering::Equal {
            return Some(o);
        }
    }
    Some(x.len().cmp(&y.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_equals_nan_and_sorts_above_infinity_as_in_spark() {
        assert_eq!(
            equal(&Value::Double(f64::NAN), &Value::Double(f64::NAN)),
            Some(true)
        );
        assert_eq!(
            compare(&Value::Double(f64::NAN), &Value::Double(f64::INFINITY)),
            Some(Ordering::Greater)
        );
        assert_eq!(equal(&Value::Double(-0.0), &Value::Double(0.0)), Some(true));
    }

    #[test]
    fn a_null_compares_to_nothing() {
        assert_eq!(compare(&Value::Null, &Value::Integer(1)), None);
    }
}
