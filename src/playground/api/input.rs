//! What a JavaScript caller passed, as plain Rust: the JS adapter turns each argument into an
//! [`Input`] tree (no JS types cross this line), and the API's requests are read from it here,
//! with errors that name the argument's path (`messages[2].value`) and what it should be.
//!
//! Owns reading arguments the way kafkajs reads them (offsets as numbers or strings, `null`
//! and `undefined` alike for "not given"). Must not know about the playground.

use super::error::ApiError;

/// A JavaScript value, as the adapter converted it.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `undefined` (or an argument not passed).
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A `Uint8Array` (or a Node `Buffer`, which is one).
    Bytes(Vec<u8>),
    /// An array.
    Array(Vec<Input>),
    /// A plain object, its own enumerable properties in order.
    Object(Vec<(String, Input)>),
    /// Anything else, by its `typeof` (`function`, `bigint`, `symbol`) or class name.
    Other(String),
}

static UNDEFINED: Input = Input::Undefined;

impl Input {
    /// A property of an object (`undefined` when absent or when this is not an object).
    pub fn field(&self, name: &str) -> &Input {
        match self {
            Input::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == name)
                .map_or(&UNDEFINED, |(_, v)| v),
            _ => &UNDEFINED,
        }
    }

    /// True for `undefined` and `null`: kafkajs treats both as "not given".
    pub fn is_absent(&self) -> bool {
        matches!(self, Input::Undefined | Input::Null)
    }

    /// What the value is, in JavaScript's words, for error messages.
    pub fn kind(&self) -> String {
        match self {
            Input::Undefined => "undefined".into(),
            Input::Null => "null".into(),
            Input::Bool(b) => format!("the boolean {b}"),
            Input::Number(n) => format!("the number {n}"),
            Input::Text(t) => format!("the string {t:?}"),
            Input::Bytes(_) => "a Uint8Array".into(),
            Input::Array(_) => "an array".into(),
            Input::Object(_) => "an object".into(),
            Input::Other(kind) => format!("a {kind}"),
        }
    }

    /// A required string.
    pub fn string(&self, path: &str, example: &str) -> Result<String, ApiError> {
        match self {
            Input::Text(t) if !t.is_empty() => Ok(t.clone()),
            other => Err(ApiError::bad(
                path,
                &format!("a non-empty string, e.g. {example}"),
                other,
            )),
        }
    }

    /// An optional whole number (absent: `None`).
    pub fn int(&self, path: &str) -> Result<Option<i64>, ApiError> {
        match self {
            v if v.is_absent() => Ok(None),
            Input::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(*n as i64)),
            other => Err(ApiError::bad(path, "a whole number", other)),
        }
    }

    /// An optional whole number that fits Kafka's INT32 (absent: `None`).
    pub fn int32(&self, path: &str) -> Result<Option<i32>, ApiError> {
        match self.int(path)? {
            None => Ok(None),
            Some(n) => i32::try_from(n)
                .map(Some)
                .map_err(|_| ApiError::bad(path, "a whole number within Kafka's INT32", self)),
        }
    }

    /// An optional boolean (absent: `default`).
    pub fn flag(&self, path: &str, default: bool) -> Result<bool, ApiError> {
        match self {
            v if v.is_absent() => Ok(default),
            Input::Bool(b) => Ok(*b),
            other => Err(ApiError::bad(path, "true or false", other)),
        }
    }

    /// An optional array (absent: empty).
    pub fn list(&self, path: &str) -> Result<&[Input], ApiError> {
        match self {
            v if v.is_absent() => Ok(&[]),
            Input::Array(items) => Ok(items),
            other => Err(ApiError::bad(path, "an array", other)),
        }
    }

    /// A list of names: an array of non-empty strings like `example`.
    pub fn strings(&self, path: &str, example: &str) -> Result<Vec<String>, ApiError> {
        self.list(path)?
            .iter()
            .enumerate()
            .map(|(i, t)| t.string(&format!("{path}[{i}]"), example))
            .collect()
    }

    /// A list of topic names.
    pub fn topic_names(&self, path: &str) -> Result<Vec<String>, ApiError> {
        self.strings(path, "'orders'")
    }

    /// An offset as kafkajs takes one (`Long.fromValue`): a whole number or a string of one.
    pub fn offset(&self, path: &str) -> Result<i64, ApiError> {
        self.whole(
            path,
            "an offset: a whole number or a string of one, e.g. '42'",
        )
    }

    /// A timestamp in milliseconds since the epoch, as a number or a string of one (kafkajs
    /// sends `timestamp: Date.now().toString()`).
    pub fn timestamp(&self, path: &str) -> Result<i64, ApiError> {
        self.whole(
            path,
            "a timestamp in milliseconds since 1970: a whole number or a string of one, e.g. Date.now() or '1733472000000'",
        )
    }

    /// A whole number, or a string of one; else refused as not `expected`.
    fn whole(&self, path: &str, expected: &str) -> Result<i64, ApiError> {
        let parsed = match self {
            Input::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            Input::Text(t) => t.trim().parse::<i64>().ok(),
            _ => None,
        };
        parsed.ok_or_else(|| ApiError::bad(path, expected, self))
    }

    /// Bytes as kafkajs takes a key, value or header value: a string (UTF-8), bytes, or
    /// `null`/`undefined` for none.
    pub fn bytes(&self, path: &str) -> Result<Option<Vec<u8>>, ApiError> {
        match self {
            v if v.is_absent() => Ok(None),
            Input::Text(t) => Ok(Some(t.clone().into_bytes())),
            Input::Bytes(b) => Ok(Some(b.clone())),
            other => Err(ApiError::bad(
                path,
                "a string, a Uint8Array or null (use JSON.stringify for objects and String(n) for numbers)",
                other,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(fields: &[(&str, Input)]) -> Input {
        Input::Object(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn a_timestamp_that_is_not_a_number_is_refused_as_a_timestamp_not_an_offset() {
        assert_eq!(
            Input::Text("1733472000000".into()).timestamp("t").ok(),
            Some(1_733_472_000_000)
        );
        let error = Input::Text("yesterday".into())
            .timestamp("messages[0].timestamp")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "messages[0].timestamp must be a timestamp in milliseconds since 1970: a whole number or a string of one, e.g. Date.now() or '1733472000000'; it is the string \"yesterday\"."
        );
    }

    #[test]
    fn offsets_are_read_from_numbers_and_strings_as_kafkajs_reads_them() {
        assert_eq!(Input::Number(42.0).offset("offset").ok(), Some(42));
        assert_eq!(Input::Text(" 7 ".into()).offset("offset").ok(), Some(7));
        let error = Input::Text("seven".into())
            .offset("offsets[0].offset")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "offsets[0].offset must be an offset: a whole number or a string of one, e.g. '42'; it is the string \"seven\"."
        );
    }

    #[test]
    fn a_missing_field_reads_as_undefined_and_a_wrong_type_names_its_path() {
        let request = object(&[("topic", Input::Number(3.0))]);
        assert_eq!(request.field("messages"), &Input::Undefined);
        let error = request
            .field("topic")
            .string("topic", "'orders'")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "topic must be a non-empty string, e.g. 'orders'; it is the number 3."
        );
    }

    #[test]
    fn a_value_may_be_text_bytes_or_null_but_not_an_object() {
        assert_eq!(
            Input::Text("hé".into()).bytes("v").ok(),
            Some(Some("hé".as_bytes().to_vec()))
        );
        assert_eq!(
            Input::Bytes(vec![1, 2]).bytes("v").ok(),
            Some(Some(vec![1, 2]))
        );
        assert_eq!(Input::Null.bytes("v").ok(), Some(None));
        let error = object(&[]).bytes("messages[0].value").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("messages[0].value must be a string, a Uint8Array or null"),
            "{error}"
        );
    }
}
