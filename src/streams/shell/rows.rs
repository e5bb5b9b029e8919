//! Spark values as the Python objects `collect()` returns: `Row(key='1', value=…)`, `int`,
//! `float`, `str`, `bytearray`, `datetime.datetime`, lists and nested `Row`s.
//!
//! Owns the conversion only. Timestamps come back as naive `datetime.datetime` values in UTC
//! (PySpark converts them to the driver's local time zone; the playground's zone is UTC).

use crate::streams::calendar::civil_from_days;
use crate::streams::types::{DataType, StructField};
use crate::streams::value::{Row, Value};

use super::objects::{bytes_repr, Obj};

/// A collected row as a `Row`.
pub fn row_object(schema: &[StructField], row: &Row) -> Obj {
    Obj::Row(
        schema
            .iter()
            .zip(row)
            .map(|(f, v)| (f.name.clone(), value_object(v, &f.data_type)))
            .collect(),
    )
}

/// One Spark value as the Python object PySpark gives back.
pub fn value_object(value: &Value, t: &DataType) -> Obj {
    match value {
        Value::Null => Obj::None,
        Value::Boolean(b) => Obj::Bool(*b),
        Value::Byte(n) => Obj::Int(i64::from(*n)),
        Value::Short(n) => Obj::Int(i64::from(*n)),
        Value::Integer(n) => Obj::Int(i64::from(*n)),
        Value::Long(n) => Obj::Int(*n),
        Value::Float(x) => Obj::Float(f64::from(*x)),
        Value::Double(x) => Obj::Float(*x),
        Value::String(s) => Obj::Str(s.to_string()),
        // PySpark returns `bytearray(b'…')`; the shell keeps the printed form.
        Value::Binary(b) => Obj::Raw(format!("bytearray({})", bytes_repr(b))),
        Value::Date(days) => {
            let (y, m, d) = civil_from_days(i64::from(*days));
            Obj::Raw(format!("datetime.date({y}, {m}, {d})"))
        }
        Value::Timestamp(micros) => Obj::Raw(datetime_repr(*micros)),
        Value::Array(items) => {
            let element = match t {
                DataType::Array { element, .. } => element.as_ref().clone(),
                _ => DataType::Null,
            };
            Obj::List(items.iter().map(|v| value_object(v, &element)).collect())
        }
        Value::Map(entries) => {
            let (kt, vt) = match t {
                DataType::Map { key, value, .. } => (key.as_ref().clone(), value.as_ref().clone()),
                _ => (DataType::Null, DataType::Null),
            };
            Obj::Dict(
                entries
                    .iter()
                    .map(|(k, v)| (value_object(k, &kt), value_object(v, &vt)))
                    .collect(),
            )
        }
        Value::Struct(values) => match t {
            DataType::Struct(fields) => row_object(fields, &values.to_vec()),
            _ => Obj::List(
                values
                    .iter()
                    .map(|v| value_object(v, &DataType::Null))
                    .collect(),
            ),
        },
    }
}

/// `datetime.datetime(2023, 11, 14, 22, 13, 20, 123000)`: Python leaves out a zero
/// microsecond, and seconds only when both are zero.
fn datetime_repr(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let of_day = micros.rem_euclid(86_400_000_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, us) = (
        of_day / 3_600_000_000,
        of_day / 60_000_000 % 60,
        of_day / 1_000_000 % 60,
        of_day % 1_000_000,
    );
    let mut out = format!("datetime.datetime({y}, {m}, {d}, {h}, {mi}");
    if s != 0 || us != 0 {
        out.push_str(&format!(", {s}"));
    }
    if us != 0 {
        out.push_str(&format!(", {us}"));
    }
    out.push(')');
    out
}
