//! [`PyValue`]: the plain Python values the shell hands back and prints as Python's `repr`
//! does — what `query.lastProgress` (a dict), `query.status`, `spark.streams.active` (a list)
//! and `query.isActive` show at the prompt.

use std::fmt::Write as _;

/// A plain Python value. Dicts keep their insertion order, as Python's do.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `dict` with string keys.
    Dict(Vec<(String, PyValue)>),
}

impl PyValue {
    /// Python's `repr(value)`.
    pub fn repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out);
        out
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            PyValue::None => out.push_str("None"),
            PyValue::Bool(true) => out.push_str("True"),
            PyValue::Bool(false) => out.push_str("False"),
            PyValue::Int(n) => {
                let _ = write!(out, "{n}");
            }
            PyValue::Float(x) => out.push_str(&float_repr(*x)),
            PyValue::Str(s) => out.push_str(&str_repr(s)),
            PyValue::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_repr(out);
                }
                out.push(']');
            }
            PyValue::Dict(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&str_repr(k));
                    out.push_str(": ");
                    v.write_repr(out);
                }
                out.push('}');
            }
        }
    }

    /// The value as JSON (Spark's `progress.json`): `None` is `null`, floats that are not
    /// finite are left out of their dict as Spark leaves them out.
    pub fn json(&self) -> String {
        match self {
            PyValue::None => "null".to_string(),
            PyValue::Bool(b) => b.to_string(),
            PyValue::Int(n) => n.to_string(),
            PyValue::Float(x) => crate::streams::java_text::double_to_string(*x),
            PyValue::Str(s) => serde_json::Value::from(s.as_str()).to_string(),
            PyValue::List(items) => {
                let inner: Vec<String> = items.iter().map(PyValue::json).collect();
                format!("[{}]", inner.join(","))
            }
            PyValue::Dict(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .filter(|(_, v)| !matches!(v, PyValue::Float(x) if !x.is_finite()))
                    .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), v.json()))
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
        }
    }
}

/// Python's `repr` of a float: the shortest digits that read back, `1.0` for whole numbers,
/// exponents from `1e+16` up and below `1e-04`.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let sci = format!("{x:e}");
        let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let plain = format!("{x}");
    if plain.contains('.') {
        plain
    } else {
        format!("{plain}.0")
    }
}

/// Python's `repr` of a str: single quotes unless the text has one and no double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_pythons_repr() {
        let v = PyValue::Dict(vec![
            (
                "message".into(),
                PyValue::Str("Waiting for data to arrive".into()),
            ),
            ("isDataAvailable".into(), PyValue::Bool(false)),
            ("name".into(), PyValue::None),
            (
                "rows".into(),
                PyValue::List(vec![PyValue::Int(1), PyValue::Float(2.5)]),
            ),
        ]);
        assert_eq!(
            v.repr(),
            "{'message': 'Waiting for data to arrive', 'isDataAvailable': False, 'name': None, 'rows': [1, 2.5]}"
        );
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
    }

    #[test]
    fn floats_print_as_python_prints_them() {
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(0.00001), "1e-05");
        assert_eq!(float_repr(123456.789), "123456.789");
        assert_eq!(float_repr(-0.0), "-0.0");
    }
}
