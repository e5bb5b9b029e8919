//! `to_json(value)` as Spark 4.x writes it (`StructsToJson` → `JacksonGenerator` with default
//! `JSONOptions`): compact, struct fields in schema order, null struct fields left out
//! (`spark.sql.jsonGenerator.ignoreNullFields = true`), nulls kept inside arrays and as map
//! values, strings escaped as Jackson escapes them.
//!
//! Owns the JSON text of a value; must not decide which types `to_json` accepts (the
//! expression's analysis does). Numbers print as the JVM prints them (`Float.toString`,
//! `Double.toString`); `NaN` and infinities are quoted (Jackson's `QUOTE_NON_NUMERIC_NUMBERS`).
//! Timestamps use Spark's default `timestampFormat` `yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]`, which
//! prints every optional section: `2026-12-06T10:20:30.120Z` in Brooklet's UTC session; dates
//! `yyyy-MM-dd`; binary as padded base64.

use crate::streams::calendar::{civil_from_days, format_date, MICROS_PER_DAY};
use crate::streams::java_text::{double_to_string, float_to_string};
use crate::streams::show::{element_type, map_types, struct_fields, write_separated};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;
use base64::Engine as _;

/// Spark's `to_json` text of `value`, a value of `data_type`. A top-level `NULL` (for which
/// Spark's `to_json` returns `NULL`, which the caller gives) is written `null`.
pub fn to_json(value: &Value, data_type: &DataType) -> String {
    let mut out = String::new();
    write_value(value, data_type, &mut out);
    out
}

fn write_value(value: &Value, data_type: &DataType, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Byte(n) => out.push_str(&n.to_string()),
        Value::Short(n) => out.push_str(&n.to_string()),
        Value::Integer(n) => out.push_str(&n.to_string()),
        Value::Long(n) => out.push_str(&n.to_string()),
        Value::Float(x) => number(float_to_string(*x), x.is_finite(), out),
        Value::Double(x) => number(double_to_string(*x), x.is_finite(), out),
        Value::String(s) => write_string(s, out),
        Value::Binary(bytes) => write_string(
            &base64::engine::general_purpose::STANDARD.encode(bytes),
            out,
        ),
        Value::Date(days) => write_string(&format_date(*days), out),
        Value::Timestamp(micros) => write_string(&json_timestamp(*micros), out),
        Value::Array(items) => {
            let element = element_type(data_type);
            write_separated(out, ('[', ']'), ",", items, |item, out| {
                write_value(item, element, out)
            });
        }
        Value::Map(entries) => {
            let (_, value_type) = map_types(data_type);
            write_separated(out, ('{', '}'), ",", entries, |(k, v), out| {
                write_string(&map_key(k), out);
                out.push(':');
                write_value(v, value_type, out);
            });
        }
        Value::Struct(values) => {
            // ignoreNullFields: a null field is left out, name and all.
            let present: Vec<(&StructField, &Value)> = struct_fields(data_type)
                .iter()
                .zip(values.iter())
                .filter(|(_, v)| !v.is_null())
                .collect();
            write_separated(out, ('{', '}'), ",", &present, |(field, v), out| {
                write_string(&field.name, out);
                out.push(':');
                write_value(v, &field.data_type, out);
            });
        }
    }
}

/// Jackson's `writeNumber(float|double)`: the JVM's digits, or a quoted string for NaN and
/// the infinities.
fn number(text: String, finite: bool, out: &mut String) {
    if finite {
        out.push_str(&text);
    } else {
        write_string(&text, out);
    }
}

/// A map key as `JacksonGenerator` names it: the key's `toString`, which for Spark's internal
/// forms is the string itself, the number, or for dates and timestamps their day / microsecond
/// count.
fn map_key(key: &Value) -> String {
    match key {
        Value::String(s) => s.to_string(),
        Value::Date(days) => days.to_string(),
        Value::Timestamp(micros) => micros.to_string(),
        other => {
            let mut text = String::new();
            write_value(other, &DataType::Null, &mut text);
            text.trim_matches('"').to_string()
        }
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS` and `Z` (UTC's offset in the `XXX` pattern).
fn json_timestamp(micros: i64) -> String {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let of_day = micros.rem_euclid(MICROS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let millis = of_day / 1000;
    let (h, mi, s, ms) = (
        millis / 3_600_000,
        millis / 60_000 % 60,
        millis / 1000 % 60,
        millis % 1000,
    );
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// A JSON string as Jackson writes it: `"` and `\` escaped, the short escapes for `\b \t \n \f
/// \r`, other control characters as `\u00XX` (upper-case hex), everything else as is (UTF-8,
/// `/` unescaped).
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{0008}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{000C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
