//! Spark's implicit type coercion, non-ANSI (`TypeCoercion.scala` of Spark 3.5): the common
//! type of two operands, what a comparison of a string with a number compares as, and which
//! implicit casts a function's parameter accepts.
//!
//! Owns the type rules only; the binder inserts the casts. Brooklet has no decimal type, so
//! where Spark would widen to a decimal this widens to `double` (README, "Spark in the tab").

use crate::streams::types::DataType;

/// The rank of a numeric type in Spark's widening order (`byte < short < int < long < float
/// < double`).
fn rank(t: &DataType) -> Option<u8> {
    Some(match t {
        DataType::Byte => 1,
        DataType::Short => 2,
        DataType::Integer => 3,
        DataType::Long => 4,
        DataType::Float => 5,
        DataType::Double => 6,
        _ => return None,
    })
}

/// The wider of two numeric types (`int` and `bigint` → `bigint`); `None` unless both are
/// numeric.
pub fn wider_numeric(a: &DataType, b: &DataType) -> Option<DataType> {
    let (ra, rb) = (rank(a)?, rank(b)?);
    Some(if ra >= rb { a.clone() } else { b.clone() })
}

/// Spark's `findTightestCommonType` plus `findWiderTypeForTwo`'s string rule: the type both
/// values can become without losing meaning. `None` when there is none.
pub fn common_type(a: &DataType, b: &DataType) -> Option<DataType> {
    use DataType as T;
    if a == b {
        return Some(a.clone());
    }
    match (a, b) {
        (T::Null, t) | (t, T::Null) => Some(t.clone()),
        (T::Date, T::Timestamp) | (T::Timestamp, T::Date) => Some(T::Timestamp),
        (
            T::Array {
                element: x,
                contains_null: nx,
            },
            T::Array {
                element: y,
                contains_null: ny,
            },
        ) => Some(T::Array {
            element: Box::new(common_type(x, y)?),
            contains_null: *nx || *ny,
        }),
        (T::Struct(x), T::Struct(y)) if x.len() == y.len() => {
            let mut fields = Vec::with_capacity(x.len());
            for (f, g) in x.iter().zip(y.iter()) {
                if !f.name.eq_ignore_ascii_case(&g.name) {
                    return None;
                }
                let mut field = f.clone();
                field.data_type = common_type(&f.data_type, &g.data_type)?;
                field.nullable = f.nullable || g.nullable;
                fields.push(field);
            }
            Some(T::Struct(fields))
        }
        _ => wider_numeric(a, b).or_else(|| string_promotion(a, b)),
    }
}

/// `findWiderTypeForTwo`'s rule for `coalesce`, `CASE`, `IN`: a string with an atomic value
/// makes a string.
fn string_promotion(a: &DataType, b: &DataType) -> Option<DataType> {
    let atomic = |t: &DataType| {
        !matches!(
            t,
            DataType::Array { .. } | DataType::Map { .. } | DataType::Struct(_) | DataType::Binary
        )
    };
    match (a, b) {
        (DataType::String, t) | (t, DataType::String) if atomic(t) => Some(DataType::String),
        _ => None,
    }
}

/// The type a comparison (`=`, `<`, `<=>`, `IN`) casts both sides to (Spark 3.5's
/// `findCommonTypeForBinaryComparison`, non-ANSI): a string against a number compares as that
/// number (`'10' = 10` is true), against a date as a date, against a timestamp as a timestamp,
/// against a boolean as a boolean.
pub fn comparison_type(a: &DataType, b: &DataType) -> Option<DataType> {
    use DataType as T;
    match (a, b) {
        (T::String, T::Null) | (T::Null, T::String) => Some(T::String),
        (T::String, T::Date) | (T::Date, T::String) => Some(T::Date),
        (T::String, T::Timestamp) | (T::Timestamp, T::String) => Some(T::Timestamp),
        (T::String, t) | (t, T::String) if t.is_numeric() || *t == T::Boolean => Some(t.clone()),
        _ => common_type(a, b),
    }
}

/// What a function's parameter accepts (Spark's `AbstractDataType`s in `inputTypes`).
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// Exactly this type (implicitly cast to it where Spark allows).
    Exact(DataType),
    /// Any numeric type (strings become `double`).
    Numeric,
    /// An integral type (`int` preferred).
    Integral,
    /// A string or a binary.
    StringOrBinary,
    /// A date or a timestamp (strings become timestamps).
    Datetime,
    /// An array of anything.
    AnyArray,
    /// Anything.
    Any,
}

impl Expected {
    /// Spark's name of the accepted type in `UNEXPECTED_INPUT_TYPE` messages.
    pub fn describe(&self) -> String {
        match self {
            Expected::Exact(t) => format!("\"{}\"", t.sql()),
            Expected::Numeric => "\"NUMERIC\"".to_string(),
            Expected::Integral => "\"INTEGRAL\"".to_string(),
            Expected::StringOrBinary => "(\"STRING\" or \"BINARY\")".to_string(),
            Expected::Datetime => "(\"DATE\" or \"TIMESTAMP\")".to_string(),
            Expected::AnyArray => "\"ARRAY\"".to_string(),
            Expected::Any => "\"ANY\"".to_string(),
        }
    }
}

/// The type an argument of type `from` is implicitly cast to for a parameter that expects
/// `expected` (Spark's `ImplicitTypeCasts.implicitCast`), or `None` when Spark refuses it.
pub fn implicit_cast(from: &DataType, expected: &Expected) -> Option<DataType> {
    use DataType as T;
    match expected {
        Expected::Any => Some(from.clone()),
        Expected::AnyArray => matches!(from, T::Array { .. } | T::Null).then(|| from.clone()),
        Expected::Numeric => match from {
            t if t.is_numeric() => Some(t.clone()),
            T::String | T::Null => Some(T::Double),
            _ => None,
        },
        Expected::Integral => match from {
            T::Byte | T::Short | T::Integer | T::Long => Some(from.clone()),
            T::String | T::Null => Some(T::Integer),
            _ => None,
        },
        Expected::StringOrBinary => match from {
            T::String | T::Binary => Some(from.clone()),
            T::Array { .. } | T::Map { .. } | T::Struct(_) => None,
            _ => Some(T::String),
        },
        Expected::Datetime => match from {
            T::Date | T::Timestamp => Some(from.clone()),
            T::String | T::Null => Some(T::Timestamp),
            _ => None,
        },
        Expected::Exact(to) => {
            if from == to {
                return Some(to.clone());
            }
            let ok = match (from, to) {
                (T::Null, _) => true,
                (f, t) if f.is_numeric() && t.is_numeric() => true,
                (T::String, t) if t.is_numeric() => true,
                (T::String, T::Date | T::Timestamp | T::Binary) => true,
                (T::Date, T::Timestamp) | (T::Timestamp, T::Date) => true,
                (T::Array { .. } | T::Map { .. } | T::Struct(_) | T::Binary, T::String) => false,
                (_, T::String) => true,
                _ => false,
            };
            ok.then(|| to.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_int_and_a_bigint_widen_to_bigint() {
        assert_eq!(
            common_type(&DataType::Integer, &DataType::Long),
            Some(DataType::Long)
        );
        assert_eq!(
            common_type(&DataType::Float, &DataType::Long),
            Some(DataType::Float)
        );
        assert_eq!(
            common_type(&DataType::Null, &DataType::Date),
            Some(DataType::Date)
        );
    }

    #[test]
    fn a_string_compared_with_a_number_compares_as_the_number() {
        assert_eq!(
            comparison_type(&DataType::String, &DataType::Long),
            Some(DataType::Long)
        );
        assert_eq!(
            comparison_type(&DataType::Date, &DataType::String),
            Some(DataType::Date)
        );
        assert_eq!(
            common_type(&DataType::String, &DataType::Long),
            Some(DataType::String)
        );
    }

    #[test]
    fn a_string_argument_of_a_math_function_becomes_a_double() {
        assert_eq!(
            implicit_cast(&DataType::String, &Expected::Numeric),
            Some(DataType::Double)
        );
        assert_eq!(
            implicit_cast(
                &DataType::array_of(DataType::Integer),
                &Expected::StringOrBinary
            ),
            None
        );
        assert_eq!(
            implicit_cast(&DataType::Integer, &Expected::Exact(DataType::String)),
            Some(DataType::String)
        );
    }
}
