//! Config definitions and Kafka's `ConfigDef` parsing rules.
//!
//! Owns how a config string becomes a typed value (Java's `Integer.parseInt`, `Long.parseLong`,
//! `Double.parseDouble`, case-insensitive booleans, comma lists) and the validators (`atLeast`,
//! `between`, `ValidString.in`, `ValidList.in`) with their messages. Must not know which configs
//! exist (that is `topic` and `broker`).

use std::fmt;

use super::error::{ConfigError, InvalidReason};

/// A config's type, printed as Kafka's `ConfigDef.Type` (`LONG`, `INT`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigType {
    /// `BOOLEAN`.
    Boolean,
    /// `STRING`.
    String,
    /// `INT` (32-bit).
    Int,
    /// `LONG` (64-bit).
    Long,
    /// `DOUBLE`.
    Double,
    /// `LIST` (comma-separated).
    List,
}

impl fmt::Display for ConfigType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Boolean => "BOOLEAN",
            Self::String => "STRING",
            Self::Int => "INT",
            Self::Long => "LONG",
            Self::Double => "DOUBLE",
            Self::List => "LIST",
        })
    }
}

/// A parsed config value.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigValue {
    /// A `BOOLEAN`.
    Boolean(bool),
    /// A `STRING` (trimmed).
    String(String),
    /// An `INT`.
    Int(i32),
    /// A `LONG`.
    Long(i64),
    /// A `DOUBLE`.
    Double(f64),
    /// A `LIST`.
    List(Vec<String>),
}

impl ConfigValue {
    /// The value as an `INT`; 0 for any other type (a config's type is fixed by its
    /// definition, so a mismatch only happens for a wrong name in our own code).
    pub fn as_int(&self) -> i32 {
        match self {
            Self::Int(v) => *v,
            _ => 0,
        }
    }

    /// The value as a `LONG` (an `INT` widens); 0 for any other type.
    pub fn as_long(&self) -> i64 {
        match self {
            Self::Long(v) => *v,
            Self::Int(v) => i64::from(*v),
            _ => 0,
        }
    }

    /// True only for `BOOLEAN` true.
    pub fn as_bool(&self) -> bool {
        matches!(self, Self::Boolean(true))
    }
}

impl fmt::Display for ConfigValue {
    /// The value as Kafka prints a parsed value (`ConfigDef.convertToString`; doubles as Java's
    /// `Double.toString`, lists joined by `,`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Boolean(b) => write!(f, "{b}"),
            Self::String(s) => f.write_str(s),
            Self::Int(v) => write!(f, "{v}"),
            Self::Long(v) => write!(f, "{v}"),
            Self::Double(v) => f.write_str(&java_double_to_string(*v)),
            Self::List(items) => f.write_str(&items.join(",")),
        }
    }
}

/// A validator from Kafka's `ConfigDef`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Validator {
    /// No check beyond the type.
    None,
    /// `Range.atLeast(min)`.
    AtLeast(i64),
    /// `Range.between(min, max)`.
    Between(i64, i64),
    /// `ValidString.in(...)`: case-sensitive.
    OneOf(&'static [&'static str]),
    /// `ValidList.in(...)`: every element must be one of these.
    ListOf(&'static [&'static str]),
}

/// One defined config: name, type, default (as Kafka prints it) and validator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConfigDef {
    pub name: &'static str,
    pub ty: ConfigType,
    pub default: &'static str,
    pub validator: Validator,
}

impl ConfigDef {
    /// Parses and validates `raw` for this config, with Kafka's error texts.
    pub fn parse(&self, raw: &str) -> Result<ConfigValue, ConfigError> {
        let value = parse_type(self.name, raw, self.ty)?;
        self.validate(&value)?;
        Ok(value)
    }

    /// The parsed default. Defaults are written to be valid; a broken one falls back to the
    /// type's zero rather than panicking.
    pub fn default_value(&self) -> ConfigValue {
        parse_type(self.name, self.default, self.ty).unwrap_or(match self.ty {
            ConfigType::Boolean => ConfigValue::Boolean(false),
            ConfigType::String => ConfigValue::String(String::new()),
            ConfigType::Int => ConfigValue::Int(0),
            ConfigType::Long => ConfigValue::Long(0),
            ConfigType::Double => ConfigValue::Double(0.0),
            ConfigType::List => ConfigValue::List(Vec::new()),
        })
    }

    fn validate(&self, value: &ConfigValue) -> Result<(), ConfigError> {
        let invalid = |shown: String, reason| ConfigError::InvalidValue {
            name: self.name.to_owned(),
            value: shown,
            reason,
        };
        // Java compares ranges through Number.doubleValue(); so do we.
        let number = match value {
            ConfigValue::Int(v) => Some(f64::from(*v)),
            ConfigValue::Long(v) => Some(*v as f64),
            ConfigValue::Double(v) => Some(*v),
            _ => None,
        };
        match (self.validator, number) {
            (Validator::AtLeast(min), Some(n)) if n < min as f64 => Err(invalid(
                value.to_string(),
                InvalidReason::AtLeast(min.to_string()),
            )),
            (Validator::Between(min, _), Some(n)) if n < min as f64 => Err(invalid(
                value.to_string(),
                InvalidReason::AtLeast(min.to_string()),
            )),
            (Validator::Between(_, max), Some(n)) if n > max as f64 => Err(invalid(
                value.to_string(),
                InvalidReason::NoMoreThan(max.to_string()),
            )),
            (Validator::OneOf(valid), _) => match value {
                ConfigValue::String(s) if !valid.contains(&s.as_str()) => {
                    Err(invalid(s.clone(), InvalidReason::NotOneOf(valid)))
                }
                _ => Ok(()),
            },
            (Validator::ListOf(valid), _) => match value {
                // Kafka reports the first offending element, not the whole list.
                ConfigValue::List(items) => {
                    match items.iter().find(|i| !valid.contains(&i.as_str())) {
                        Some(bad) => Err(invalid(bad.clone(), InvalidReason::NotOneOf(valid))),
                        None => Ok(()),
                    }
                }
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }
}

/// Java's `\s`: ASCII whitespace only.
fn is_java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

/// Java's `String.trim()`: strips every char ≤ U+0020 from both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `ConfigDef.parseType` for a string value.
fn parse_type(name: &str, raw: &str, ty: ConfigType) -> Result<ConfigValue, ConfigError> {
    let trimmed = java_trim(raw);
    let invalid = |reason| ConfigError::InvalidValue {
        name: name.to_owned(),
        value: raw.to_owned(),
        reason,
    };
    let not_a_number = || invalid(InvalidReason::NotANumber(ty));
    match ty {
        ConfigType::Boolean => {
            if trimmed.eq_ignore_ascii_case("true") {
                Ok(ConfigValue::Boolean(true))
            } else if trimmed.eq_ignore_ascii_case("false") {
                Ok(ConfigValue::Boolean(false))
            } else {
                Err(invalid(InvalidReason::NotABoolean))
            }
        }
        ConfigType::String => Ok(ConfigValue::String(trimmed.to_owned())),
        ConfigType::Int => trimmed
            .parse::<i32>()
            .map(ConfigValue::Int)
            .map_err(|_| not_a_number()),
        ConfigType::Long => trimmed
            .parse::<i64>()
            .map(ConfigValue::Long)
            .map_err(|_| not_a_number()),
        ConfigType::Double => java_parse_double(trimmed)
            .map(ConfigValue::Double)
            .ok_or_else(not_a_number),
        ConfigType::List => {
            if trimmed.is_empty() {
                return Ok(ConfigValue::List(Vec::new()));
            }
            // `split("\\s*,\\s*", -1)`: whitespace around commas goes, empty items stay.
            let items = trimmed
                .split(',')
                .map(|item| item.trim_matches(is_java_space).to_owned())
                .collect();
            Ok(ConfigValue::List(items))
        }
    }
}

/// Java's `Double.parseDouble` for decimal input: optional sign, digits with an optional point
/// and exponent, an optional `f`/`F`/`d`/`D` suffix, or `NaN` / `Infinity`. (Hexadecimal
/// floating-point literals are not accepted; nobody types them into a topic config.)
fn java_parse_double(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let negative = s.starts_with('-');
    match unsigned {
        "NaN" => return Some(f64::NAN),
        "Infinity" => {
            return Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        _ => {}
    }
    let body = s.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(s);
    let digits = body.strip_prefix(['+', '-']).unwrap_or(body);
    let well_formed = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && digits.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return None;
    }
    body.parse::<f64>().ok()
}

/// Java's `Double.toString`: `0.5`, `1.0`, `1.0E10`, `1.0E-4`, `NaN`, `Infinity`.
pub(crate) fn java_double_to_string(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let magnitude = v.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let s = format!("{v}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        // Rust's shortest round-trip digits, in Java's computerized scientific notation.
        let s = format!("{v:e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        if mantissa.contains('.') {
            format!("{mantissa}E{exponent}")
        } else {
            format!("{mantissa}.0E{exponent}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_accessors_widen_an_int_and_read_other_types_as_zero_or_false() {
        assert_eq!(ConfigValue::Int(7).as_long(), 7);
        assert_eq!(ConfigValue::Long(1 << 40).as_long(), 1 << 40);
        assert_eq!(ConfigValue::Long(5).as_int(), 0);
        assert_eq!(ConfigValue::String("true".into()).as_long(), 0);
        assert!(ConfigValue::Boolean(true).as_bool());
        assert!(!ConfigValue::String("true".into()).as_bool());
    }

    const RETENTION: ConfigDef = ConfigDef {
        name: "retention.ms",
        ty: ConfigType::Long,
        default: "604800000",
        validator: Validator::AtLeast(-1),
    };

    #[test]
    fn a_non_number_is_reported_with_its_raw_text_and_type() {
        assert_eq!(
            RETENTION.parse("abc").unwrap_err().to_string(),
            "Invalid value abc for configuration retention.ms: Not a number of type LONG"
        );
    }

    #[test]
    fn a_value_below_the_range_is_reported_with_the_minimum() {
        assert_eq!(
            RETENTION.parse("-5").unwrap_err().to_string(),
            "Invalid value -5 for configuration retention.ms: Value must be at least -1"
        );
        assert_eq!(RETENTION.parse(" 100 "), Ok(ConfigValue::Long(100)));
        assert_eq!(RETENTION.parse("+100"), Ok(ConfigValue::Long(100)));
    }

    #[test]
    fn doubles_print_as_java_prints_them() {
        assert_eq!(java_double_to_string(0.5), "0.5");
        assert_eq!(java_double_to_string(2.0), "2.0");
        assert_eq!(java_double_to_string(1e10), "1.0E10");
        assert_eq!(java_double_to_string(1.5e-5), "1.5E-5");
        assert_eq!(java_double_to_string(-0.0), "-0.0");
    }

    #[test]
    fn doubles_parse_as_java_parses_them() {
        assert_eq!(java_parse_double("0.5"), Some(0.5));
        assert_eq!(java_parse_double(".5"), Some(0.5));
        assert_eq!(java_parse_double("1d"), Some(1.0));
        assert_eq!(java_parse_double("inf"), None);
        assert_eq!(java_parse_double("nan"), None);
        assert_eq!(java_parse_double("Infinity"), Some(f64::INFINITY));
        assert_eq!(java_parse_double(""), None);
        assert_eq!(java_parse_double("e"), None);
    }
}
