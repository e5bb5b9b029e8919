//! `from_json(value, schema)` as Spark 4.x evaluates it in its default `PERMISSIVE` mode
//! (`JsonToStructs` → `FailureSafeParser` → `JacksonParser`, with Spark's defaults
//! `spark.sql.json.enablePartialResults = true` (3.4+) and
//! `spark.sql.json.enableExactStringParsing = true` (4.0+)).
//!
//! Owns the mapping from JSON text to a [`Value`] of a schema; the grammar is
//! [`reader`](super::reader)'s. What Spark does, and so what this does:
//! - text that is not JSON (or nests deeper than [`MAX_DEPTH`](super::reader::MAX_DEPTH)): a
//!   struct schema gives a struct of all-null fields, an array or map schema gives `NULL`;
//! - empty or blank text gives `NULL`; text after the first complete value is not read;
//! - fields are matched by exact, case-sensitive name; fields the schema lacks are skipped;
//!   fields the JSON lacks are null; a repeated name keeps the last value that converted;
//! - a value whose JSON type does not fit its field's type (`"12"` or `12.5` for a `long`, an
//!   object for an `int`, 300 for an `int` beyond its range) makes that field null and keeps
//!   the rest of the struct (partial results); a misfit element makes its whole array null, a
//!   misfit map value its whole map;
//! - a `string` field takes any JSON value: strings decoded, anything else as its exact text
//!   (`12.50`, `{"a": 1}`) as Spark 4 does (3.5 re-printed it compactly, `12.5`, `{"a":1}`);
//! - numbers: integer tokens only for integral types (Jackson's ranges; `tinyint` takes
//!   -128..255 and wraps as Jackson does), any number for `float`/`double` plus the strings
//!   `NaN`, `Infinity`, `+INF`, `-Infinity`, `-INF`;
//! - `timestamp` from a string as `CAST(… AS TIMESTAMP)` reads it (Spark's default formatter
//!   when no `timestampFormat` is given) or from an integer as seconds since the epoch; `date`
//!   from a string as `CAST(… AS DATE)`, or a whole number of days (Spark 1.5's form);
//! - `binary` from a base64 string (with padding, as Jackson's default variant reads it).
//!
//! Brooklet differences: the session time zone is UTC; a top-level array given a struct schema
//! (which `from_json` also refuses) gives all-null fields; a lone `\uD800` escape becomes
//! U+FFFD where Java keeps the half character; map keys are always strings.

use super::reader::{Malformed, Reader, Token};
use crate::streams::calendar::{parse_date, parse_timestamp};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;
use base64::Engine as _;
use std::rc::Rc;

/// Why a value did not convert.
enum Failure {
    /// The text is not JSON: the whole record is bad.
    Malformed,
    /// The JSON value does not fit its type (Spark's `CannotParseJSONFieldException`); the value
    /// has been read past, so the record can go on.
    Mismatch,
}

impl From<Malformed> for Failure {
    fn from(_: Malformed) -> Self {
        Failure::Malformed
    }
}

type Converted = Result<Value, Failure>;

/// Spark's `from_json(text, schema)` (see the module documentation for every rule).
pub fn from_json(text: &str, schema: &DataType) -> Value {
    let mut reader = Reader::new(text);
    let (token, start) = match reader.next_token() {
        Ok(Some(first)) => first,
        Ok(None) => return Value::Null,
        Err(Malformed) => return bad_record(schema),
    };
    let outcome = match (schema, &token) {
        (DataType::Struct(fields), Token::StartObject) => object(&mut reader, fields),
        (DataType::Struct(_), _) => Err(Failure::Malformed),
        // SPARK-19595: an object read with an array-of-structs schema is a one-element array.
        (DataType::Array { element, .. }, Token::StartObject) => match element.as_ref() {
            DataType::Struct(fields) => {
                object(&mut reader, fields).map(|v| Value::Array(Rc::from(vec![v])))
            }
            _ => Err(Failure::Mismatch),
        },
        _ => convert(&mut reader, token, start, schema),
    };
    match outcome {
        Ok(value) => value,
        Err(_) => bad_record(schema),
    }
}

/// `FailureSafeParser`'s result for a bad record without partial results: a row of nulls,
/// which `JsonToStructs` gives as a struct of nulls, or the null of its one column otherwise.
fn bad_record(schema: &DataType) -> Value {
    match schema {
        DataType::Struct(fields) => Value::Struct(Rc::from(vec![Value::Null; fields.len()])),
        _ => Value::Null,
    }
}

/// `JacksonParser.makeConverter(dataType)` applied to a value whose first token was read.
fn convert<'a>(
    reader: &mut Reader<'a>,
    token: Token<'a>,
    start: usize,
    dt: &DataType,
) -> Converted {
    if token == Token::Null {
        return Ok(Value::Null);
    }
    match (dt, &token) {
        (DataType::Struct(fields), Token::StartObject) => object(reader, fields),
        (DataType::Array { element, .. }, Token::StartArray) => array(reader, element),
        (DataType::Map { value, .. }, Token::StartObject) => map(reader, value),
        (DataType::String, Token::String(text)) => Ok(Value::string(text)),
        (DataType::String, _) => {
            // Spark 4's exact string parsing: the value's own text, as written.
            reader.skip(&token)?;
            Ok(Value::string(reader.slice(start, reader.pos())))
        }
        (DataType::Null, _) => {
            reader.skip(&token)?;
            Ok(Value::Null)
        }
        _ => match scalar(&token, dt) {
            Some(value) => Ok(value),
            None => {
                reader.skip(&token)?;
                Err(Failure::Mismatch)
            }
        },
    }
}

/// A scalar token as a value of a non-string scalar type; `None` when it does not fit.
fn scalar(token: &Token<'_>, dt: &DataType) -> Option<Value> {
    match (dt, token) {
        (DataType::Boolean, Token::True) => Some(Value::Boolean(true)),
        (DataType::Boolean, Token::False) => Some(Value::Boolean(false)),
        (
            DataType::Byte,
            Token::Number {
                text,
                integral: true,
            },
        ) => {
            // Jackson's getByteValue accepts -128..255 and narrows like Java's (byte) cast.
            let n: i64 = text.parse().ok()?;
            (-128..=255)
                .contains(&n)
                .then_some(Value::Byte(n as u8 as i8))
        }
        (
            DataType::Short,
            Token::Number {
                text,
                integral: true,
            },
        ) => text.parse().ok().map(Value::Short),
        (
            DataType::Integer,
            Token::Number {
                text,
                integral: true,
            },
        ) => text.parse().ok().map(Value::Integer),
        (
            DataType::Long,
            Token::Number {
                text,
                integral: true,
            },
        ) => text.parse().ok().map(Value::Long),
        (DataType::Float, Token::Number { text, .. }) => text.parse().ok().map(Value::Float),
        (DataType::Double, Token::Number { text, .. }) => text.parse().ok().map(Value::Double),
        (DataType::Float, _) => non_numeric(token).map(|x| Value::Float(x as f32)),
        (DataType::Double, _) => non_numeric(token).map(Value::Double),
        (DataType::Timestamp, Token::String(text)) if !text.is_empty() => {
            parse_timestamp(text).map(Value::Timestamp)
        }
        (
            DataType::Timestamp,
            Token::Number {
                text,
                integral: true,
            },
        ) => {
            // `getLongValue * 1000000L`: seconds since the epoch, wrapping as the JVM does.
            let seconds: i64 = text.parse().ok()?;
            Some(Value::Timestamp(seconds.wrapping_mul(1_000_000)))
        }
        (DataType::Date, Token::String(text)) if !text.is_empty() => parse_date(text)
            .or_else(|| text.parse::<i32>().ok())
            .map(Value::Date),
        (DataType::Binary, Token::String(text)) => base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .ok()
            .map(|bytes| Value::Binary(Rc::from(bytes))),
        _ => None,
    }
}

/// `NaN` / `Infinity` tokens and the strings Spark reads as them, for `float` and `double`
/// (numbers proper are parsed in their own width, so a `float` rounds once, as Jackson 2.14+).
fn non_numeric(token: &Token<'_>) -> Option<f64> {
    match token {
        Token::NonNumeric(x) => Some(*x),
        Token::String(text) => match text.as_ref() {
            "NaN" => Some(f64::NAN),
            "+INF" | "+Infinity" | "Infinity" => Some(f64::INFINITY),
            "-INF" | "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// `convertObject`: the struct's fields by name; a misfit field stays null (partial result).
fn object(reader: &mut Reader<'_>, fields: &[StructField]) -> Converted {
    let mut values = vec![Value::Null; fields.len()];
    let mut first = true;
    while let Some(name) = reader.next_key(first)? {
        first = false;
        let (token, start) = reader.expect_token()?;
        // `StructType.getFieldIndex`: exact name; with a repeated name the last field wins.
        match fields.iter().rposition(|f| f.name == name) {
            Some(i) => {
                if let Some(value) = convert_field(reader, token, start, &fields[i].data_type)? {
                    values[i] = value;
                }
            }
            None => reader.skip(&token)?,
        }
    }
    Ok(Value::Struct(Rc::from(values)))
}

/// One member's value: `Some` when it converted, `None` when it did not fit (the member keeps
/// what it had), an error only when the text is malformed.
fn convert_field<'a>(
    reader: &mut Reader<'a>,
    token: Token<'a>,
    start: usize,
    dt: &DataType,
) -> Result<Option<Value>, Malformed> {
    match convert(reader, token, start, dt) {
        Ok(value) => Ok(Some(value)),
        Err(Failure::Mismatch) => Ok(None),
        Err(Failure::Malformed) => Err(Malformed),
    }
}

/// `convertArray`: every element; one misfit element makes the whole array misfit (Spark's
/// exception leaves the array and the enclosing struct drops it), but the rest is still read.
fn array(reader: &mut Reader<'_>, element: &DataType) -> Converted {
    let mut items = Vec::new();
    let mut misfit = false;
    let mut first = true;
    while reader.next_element(first)? {
        first = false;
        let (token, start) = reader.expect_token()?;
        if misfit {
            reader.skip(&token)?;
            continue;
        }
        match convert(reader, token, start, element) {
            Ok(value) => items.push(value),
            Err(Failure::Mismatch) => misfit = true,
            Err(Failure::Malformed) => return Err(Failure::Malformed),
        }
    }
    if misfit {
        Err(Failure::Mismatch)
    } else {
        Ok(Value::Array(Rc::from(items)))
    }
}

/// `convertMap`: every member as a key and value, in order (repeated keys kept, as Spark's
/// `ArrayBasedMapData` keeps them); one misfit value makes the whole map misfit.
fn map(reader: &mut Reader<'_>, value_type: &DataType) -> Converted {
    let mut entries = Vec::new();
    let mut misfit = false;
    let mut first = true;
    while let Some(name) = reader.next_key(first)? {
        first = false;
        let (token, start) = reader.expect_token()?;
        match convert(reader, token, start, value_type) {
            Ok(value) => entries.push((Value::string(&name), value)),
            Err(Failure::Mismatch) => misfit = true,
            Err(Failure::Malformed) => return Err(Failure::Malformed),
        }
    }
    if misfit {
        Err(Failure::Mismatch)
    } else {
        Ok(Value::Map(Rc::from(entries)))
    }
}
