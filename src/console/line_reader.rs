//! Kafka's `LineMessageReader`: how `kafka-console-producer.sh` turns each input line into a
//! record (`[headers⟨headers.delimiter⟩][key⟨key.separator⟩]value`).
//!
//! Owns the reader's properties, their validation and the per-line parse with Kafka's error
//! texts. Must not produce anything: the producer tool sends what this returns.

use bytes::Bytes;

use crate::log::Header;

/// Why the reader refused its settings or a line: `LineMessageReader`'s `KafkaException` texts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineReaderError {
    /// Two separators that must differ are equal (`a` and `b` are property names).
    #[error("{a} and {b} may not be equal")]
    SeparatorsEqual {
        /// The first property.
        a: &'static str,
        /// The second property.
        b: &'static str,
    },
    /// A line without the separator that ends its headers or key (`what`: `key separator`,
    /// `headers delimiter`).
    #[error("No {what} found on line number {line_number}: '{line}'")]
    MissingSeparator {
        /// Which separator.
        what: &'static str,
        /// The line number, from 1.
        line_number: usize,
        /// The line.
        line: String,
    },
    /// A header pair without `headers.key.separator`.
    #[error("No header key separator found in pair '{pair}' on line number {line_number}")]
    MissingHeaderKeySeparator {
        /// The pair.
        pair: String,
        /// The line number, from 1.
        line_number: usize,
    },
    /// A header key equal to `null.marker`.
    #[error("Header keys should not be equal to the null marker '{0}' as they can't be null")]
    NullHeaderKey(String),
}

/// The reader's settings (`--property k=v`), with Kafka's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReaderConfig {
    /// `parse.key` (false).
    pub parse_key: bool,
    /// `key.separator` (`\t`).
    pub key_separator: String,
    /// `parse.headers` (false).
    pub parse_headers: bool,
    /// `headers.delimiter` (`\t`).
    pub headers_delimiter: String,
    /// `headers.separator` (`,`).
    pub headers_separator: String,
    /// `headers.key.separator` (`:`).
    pub headers_key_separator: String,
    /// `ignore.error` (false).
    pub ignore_error: bool,
    /// `null.marker` (unset).
    pub null_marker: Option<String>,
}

impl Default for LineReaderConfig {
    fn default() -> Self {
        Self {
            parse_key: false,
            key_separator: "\t".into(),
            parse_headers: false,
            headers_delimiter: "\t".into(),
            headers_separator: ",".into(),
            headers_key_separator: ":".into(),
            ignore_error: false,
            null_marker: None,
        }
    }
}

fn truthy(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
}

impl LineReaderConfig {
    /// Applies `--property` pairs as `LineMessageReader.configure` does, then checks that the
    /// separators can be told apart. Unknown keys are ignored, as in Kafka.
    pub fn from_properties(props: &[(String, String)]) -> Result<Self, LineReaderError> {
        let mut c = Self::default();
        for (k, v) in props {
            match k.as_str() {
                "parse.key" => c.parse_key = truthy(v),
                "key.separator" => c.key_separator = v.clone(),
                "parse.headers" => c.parse_headers = truthy(v),
                "headers.delimiter" => c.headers_delimiter = v.clone(),
                "headers.separator" => c.headers_separator = v.clone(),
                "headers.key.separator" => c.headers_key_separator = v.clone(),
                "ignore.error" => c.ignore_error = truthy(v),
                "null.marker" => c.null_marker = Some(v.clone()),
                _ => {}
            }
        }
        let pairs = [
            (
                &c.headers_delimiter,
                &c.headers_separator,
                "headers.delimiter",
                "headers.separator",
            ),
            (
                &c.headers_delimiter,
                &c.headers_key_separator,
                "headers.delimiter",
                "headers.key.separator",
            ),
            (
                &c.headers_separator,
                &c.headers_key_separator,
                "headers.separator",
                "headers.key.separator",
            ),
        ];
        for (x, y, a, b) in pairs {
            if x == y {
                return Err(LineReaderError::SeparatorsEqual { a, b });
            }
        }
        if let Some(marker) = &c.null_marker {
            let others = [
                (&c.key_separator, "key.separator"),
                (&c.headers_delimiter, "headers.delimiter"),
                (&c.headers_separator, "headers.separator"),
                (&c.headers_key_separator, "headers.key.separator"),
            ];
            for (other, name) in others {
                if marker == other {
                    return Err(LineReaderError::SeparatorsEqual {
                        a: "null.marker",
                        b: name,
                    });
                }
            }
        }
        Ok(c)
    }
}

/// One record read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRecord {
    /// The key, `None` for null.
    pub key: Option<Bytes>,
    /// The value, `None` for null.
    pub value: Option<Bytes>,
    /// Headers in order.
    pub headers: Vec<Header>,
}

/// Reads `line` (without its line terminator), the `line_number`-th line (from 1).
/// Errors are the `KafkaException` messages Kafka prints.
pub fn read_line(
    config: &LineReaderConfig,
    line: &str,
    line_number: usize,
) -> Result<LineRecord, LineReaderError> {
    let headers = part(
        config.parse_headers,
        config.ignore_error,
        line,
        0,
        &config.headers_delimiter,
        "headers delimiter",
        line_number,
    )?;
    let header_offset = headers
        .as_ref()
        .map_or(0, |h| h.len() + config.headers_delimiter.len());
    let key = part(
        config.parse_key,
        config.ignore_error,
        line,
        header_offset,
        &config.key_separator,
        "key separator",
        line_number,
    )?;
    let key_offset = key
        .as_ref()
        .map_or(0, |k| k.len() + config.key_separator.len());
    let value = line.get(header_offset + key_offset..).unwrap_or("");
    let not_null = |s: &str| -> Option<Bytes> {
        (config.null_marker.as_deref() != Some(s)).then(|| Bytes::copy_from_slice(s.as_bytes()))
    };
    let mut record = LineRecord {
        key: key.as_deref().and_then(not_null),
        value: not_null(value),
        headers: Vec::new(),
    };
    if let Some(h) = headers.as_deref() {
        if config.null_marker.as_deref() != Some(h) {
            record.headers = split_headers(config, h, line_number)?;
        }
    }
    Ok(record)
}

/// `LineMessageReader.parse`: the text from `start` up to the first `separator`.
fn part(
    enabled: bool,
    ignore_error: bool,
    line: &str,
    start: usize,
    separator: &str,
    what: &'static str,
    line_number: usize,
) -> Result<Option<String>, LineReaderError> {
    if !enabled {
        return Ok(None);
    }
    let found = line
        .get(start..)
        .and_then(|rest| rest.find(separator))
        .and_then(|i| line.get(start..start + i));
    match found {
        Some(p) => Ok(Some(p.to_owned())),
        None if ignore_error => Ok(None),
        None => Err(LineReaderError::MissingSeparator {
            what,
            line_number,
            line: line.to_owned(),
        }),
    }
}

fn split_headers(
    config: &LineReaderConfig,
    headers: &str,
    line_number: usize,
) -> Result<Vec<Header>, LineReaderError> {
    // Java's String.split drops trailing empty strings.
    let mut pairs: Vec<&str> = if config.headers_separator.is_empty() {
        vec![headers]
    } else {
        headers.split(config.headers_separator.as_str()).collect()
    };
    while pairs.len() > 1 && pairs.last().is_some_and(|p| p.is_empty()) {
        pairs.pop();
    }
    let mut out = Vec::new();
    for pair in pairs {
        match pair.find(config.headers_key_separator.as_str()) {
            None if config.ignore_error => out.push(Header::new(pair, None)),
            None => {
                return Err(LineReaderError::MissingHeaderKeySeparator {
                    pair: pair.to_owned(),
                    line_number,
                })
            }
            Some(i) => {
                let key = pair.get(..i).unwrap_or("");
                if config.null_marker.as_deref() == Some(key) {
                    return Err(LineReaderError::NullHeaderKey(key.to_owned()));
                }
                let value = pair
                    .get(i + config.headers_key_separator.len()..)
                    .unwrap_or("");
                let value = (config.null_marker.as_deref() != Some(value))
                    .then(|| Bytes::copy_from_slice(value.as_bytes()));
                out.push(Header::new(key, value));
            }
        }
    }
    Ok(out)
}

/// Splits input text into lines as Java's `BufferedReader.readLine` does (`\n`, `\r\n`, `\r`).
pub fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(['\n', '\r']) {
            Some(i) => {
                out.push(rest.get(..i).unwrap_or(""));
                let skip = if rest.get(i..i + 2) == Some("\r\n") {
                    2
                } else {
                    1
                };
                rest = rest.get(i + skip..).unwrap_or("");
            }
            None => {
                out.push(rest);
                rest = "";
            }
        }
    }
    out
}
