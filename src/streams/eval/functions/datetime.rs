//! Date and time functions (`datetimeExpressions.scala` of Spark 3.5, in UTC, Brooklet's only
//! session time zone): `to_date`, `to_timestamp`, `date_format`, `year`, `month`,
//! `dayofmonth`, `hour`, `minute`, `second`, `date_add`, `date_sub`, `datediff`,
//! `unix_timestamp`, `from_unixtime`, `current_timestamp`, `current_date`.
//!
//! Owns these functions and a datetime pattern reader/writer for the letters a learner uses
//! (`yyyy yy MM MMM MMMM M dd d HH H hh h mm m ss s SSS… a EEE EEEE` and `'quoted'` text);
//! any other letter is refused at bind time with the list of supported ones. A text that does
//! not match its pattern is `NULL` (non-ANSI).

use super::{call, literal_text, CallSite, ScalarFunction};
use crate::streams::calendar::{
    self, civil_from_days, days_from_civil, MICROS_PER_DAY, MICROS_PER_SECOND,
};
use crate::streams::eval::bound::BoundExpr;
use crate::streams::eval::coercion::Expected;
use crate::streams::eval::error::EvalError;
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// The names this family answers to.
pub const NAMES: &[&str] = &[
    "to_date",
    "to_timestamp",
    "date_format",
    "year",
    "month",
    "dayofmonth",
    "day",
    "hour",
    "minute",
    "second",
    "date_add",
    "date_sub",
    "datediff",
    "unix_timestamp",
    "from_unixtime",
    "current_timestamp",
    "now",
    "current_date",
];

/// Spark's default pattern of `unix_timestamp` and `from_unixtime`.
pub const DEFAULT_PATTERN: &str = "yyyy-MM-dd HH:mm:ss";

/// One piece of a datetime pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternToken {
    /// A pattern letter repeated `count` times.
    Field(char, usize),
    /// Text to print or match as is.
    Text(String),
}

/// A date/time function; patterns are read at bind time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatetimeFunction {
    /// `to_date(text, pattern)`.
    ToDate(Vec<PatternToken>),
    /// `to_timestamp(text, pattern)` / `unix_timestamp(text, pattern)` (`true`: seconds).
    ParseTimestamp(Vec<PatternToken>, bool),
    /// `date_format(ts, pattern)` / `from_unixtime(seconds, pattern)` (`true`: seconds).
    Format(Vec<PatternToken>, bool),
    /// `year`, `month`, `dayofmonth` of a date.
    DatePart(char),
    /// `hour`, `minute`, `second` of a timestamp.
    TimePart(char),
    /// `date_add` (+1) / `date_sub` (-1).
    DateShift(i32),
    /// `datediff(end, start)`.
    DateDiff,
    /// `unix_timestamp(ts)` of a timestamp.
    Seconds,
}

fn pattern_arg(
    site: &CallSite<'_>,
    arg: Option<&BoundExpr>,
    index: usize,
) -> Result<Vec<PatternToken>, EvalError> {
    let text = match arg {
        None => DEFAULT_PATTERN.to_string(),
        Some(a) => literal_text(a).ok_or_else(|| site.not_constant(index, &DataType::String))?,
    };
    parse_pattern(&text)
}

/// Reads a datetime pattern.
pub fn parse_pattern(pattern: &str) -> Result<Vec<PatternToken>, EvalError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\'' {
            let mut text = String::new();
            i += 1;
            while let Some(&q) = chars.get(i) {
                i += 1;
                if q == '\'' {
                    if chars.get(i) == Some(&'\'') {
                        text.push('\'');
                        i += 1;
                        continue;
                    }
                    break;
                }
                text.push(q);
            }
            if text.is_empty() {
                text.push('\'');
            }
            out.push(PatternToken::Text(text));
        } else if c.is_ascii_alphabetic() {
            let mut n = 1;
            while chars.get(i + n) == Some(&c) {
                n += 1;
            }
            if !"yMdHhmsSaE".contains(c) {
                return Err(EvalError::Unsupported(format!(
                    "The datetime pattern letter '{c}' in '{pattern}' is not supported in Brooklet; use y, M, d, H, h, m, s, S, a, E and 'quoted text'."
                )));
            }
            out.push(PatternToken::Field(c, n));
            i += n;
        } else {
            out.push(PatternToken::Text(c.to_string()));
            i += 1;
        }
    }
    Ok(out)
}

/// Binds a call of this family.
pub fn bind(
    lower: &str,
    args: Vec<BoundExpr>,
    site: &CallSite<'_>,
) -> Result<BoundExpr, EvalError> {
    use DatetimeFunction as D;
    let n = args.len();
    let f = ScalarFunction::Datetime;
    let date = Expected::Exact(DataType::Date);
    let ts = Expected::Exact(DataType::Timestamp);
    let string = Expected::Exact(DataType::String);
    let first = |args: Vec<BoundExpr>| args.into_iter().next();
    match lower {
        "current_timestamp" | "now" => {
            site.arity(n, &[0])?;
            Ok(BoundExpr::Literal(
                Value::Timestamp(site.now_micros),
                DataType::Timestamp,
            ))
        }
        "current_date" => {
            site.arity(n, &[0])?;
            let days = i32::try_from(site.now_micros.div_euclid(MICROS_PER_DAY)).unwrap_or(0);
            Ok(BoundExpr::Literal(Value::Date(days), DataType::Date))
        }
        "to_date" | "to_timestamp" => {
            site.arity(n, &[1, 2])?;
            let target = if lower == "to_date" {
                DataType::Date
            } else {
                DataType::Timestamp
            };
            if n == 1 {
                let Some(a) = first(args) else {
                    return Err(site.unexpected(0, "\"STRING\"", &DataType::Null));
                };
                return site.coerce(a, 0, &Expected::Exact(target));
            }
            let tokens = pattern_arg(site, args.get(1), 1)?;
            let a = site.coerce(
                first(args).unwrap_or(BoundExpr::Literal(Value::Null, DataType::Null)),
                0,
                &string,
            )?;
            let func = if lower == "to_date" {
                D::ToDate(tokens)
            } else {
                D::ParseTimestamp(tokens, false)
            };
            Ok(BoundExpr::Call {
                function: f(func),
                args: vec![a],
                data_type: target,
                nullable: true,
            })
        }
        "date_format" | "from_unixtime" => {
            site.arity(
                n,
                &if lower == "date_format" {
                    vec![2]
                } else {
                    vec![1, 2]
                },
            )?;
            let tokens = pattern_arg(site, args.get(1), 1)?;
            let seconds = lower == "from_unixtime";
            let expected = if seconds {
                Expected::Exact(DataType::Long)
            } else {
                ts
            };
            let a = site.coerce(
                first(args).unwrap_or(BoundExpr::Literal(Value::Null, DataType::Null)),
                0,
                &expected,
            )?;
            Ok(call(
                f(D::Format(tokens, seconds)),
                vec![a],
                DataType::String,
            ))
        }
        "unix_timestamp" => {
            site.arity(n, &[0, 1, 2])?;
            if n == 0 {
                let secs = site.now_micros.div_euclid(MICROS_PER_SECOND);
                return Ok(BoundExpr::Literal(Value::Long(secs), DataType::Long));
            }
            let tokens = pattern_arg(site, args.get(1), 1)?;
            let Some(a) = first(args) else {
                return Err(site.unexpected(0, "\"STRING\"", &DataType::Null));
            };
            match a.data_type() {
                DataType::Date | DataType::Timestamp => {
                    let a = a.cast_to(&DataType::Timestamp);
                    Ok(call(f(D::Seconds), vec![a], DataType::Long))
                }
                _ => {
                    let a = site.coerce(a, 0, &string)?;
                    Ok(BoundExpr::Call {
                        function: f(D::ParseTimestamp(tokens, true)),
                        args: vec![a],
                        data_type: DataType::Long,
                        nullable: true,
                    })
                }
            }
        }
        "year" | "month" | "dayofmonth" | "day" => {
            site.arity(n, &[1])?;
            let part = match lower {
                "year" => 'y',
                "month" => 'M',
                _ => 'd',
            };
            let args = vec![site.coerce(
                first(args).unwrap_or(BoundExpr::Literal(Value::Null, DataType::Null)),
                0,
                &date,
            )?];
            Ok(call(f(D::DatePart(part)), args, DataType::Integer))
        }
        "hour" | "minute" | "second" => {
            site.arity(n, &[1])?;
            let part = match lower {
                "hour" => 'H',
                "minute" => 'm',
                _ => 's',
            };
            let args = vec![site.coerce(
                first(args).unwrap_or(BoundExpr::Literal(Value::Null, DataType::Null)),
                0,
                &ts,
            )?];
            Ok(call(f(D::TimePart(part)), args, DataType::Integer))
        }
        "date_add" | "date_sub" | "datediff" => {
            site.arity(n, &[2])?;
            let second = if lower == "datediff" {
                date.clone()
            } else {
                Expected::Exact(DataType::Integer)
            };
            let mut out = Vec::with_capacity(2);
            for (i, a) in args.into_iter().enumerate() {
                out.push(site.coerce(a, i, if i == 0 { &date } else { &second })?);
            }
            let (func, t) = match lower {
                "date_add" => (D::DateShift(1), DataType::Date),
                "date_sub" => (D::DateShift(-1), DataType::Date),
                _ => (D::DateDiff, DataType::Integer),
            };
            Ok(call(f(func), out, t))
        }
        _ => Err(EvalError::UnknownFunction(site.name.to_string())),
    }
}

/// Evaluates a call of this family.
pub fn eval(f: &DatetimeFunction, args: &[Value]) -> Value {
    use DatetimeFunction as D;
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    match (f, arg(0)) {
        (D::ToDate(tokens), Value::String(s)) => parse_with(tokens, s)
            .and_then(|micros| i32::try_from(micros.div_euclid(MICROS_PER_DAY)).ok())
            .map_or(Value::Null, Value::Date),
        (D::ParseTimestamp(tokens, seconds), Value::String(s)) => match parse_with(tokens, s) {
            Some(m) if *seconds => Value::Long(m.div_euclid(MICROS_PER_SECOND)),
            Some(m) => Value::Timestamp(m),
            None => Value::Null,
        },
        (D::Format(tokens, false), Value::Timestamp(t)) => Value::string(&format_with(tokens, *t)),
        (D::Format(tokens, true), Value::Long(secs)) => match secs.checked_mul(MICROS_PER_SECOND) {
            Some(m) => Value::string(&format_with(tokens, m)),
            None => Value::Null,
        },
        (D::DatePart(part), Value::Date(d)) => {
            let (y, m, day) = civil_from_days(i64::from(*d));
            Value::Integer(match part {
                'y' => y as i32,
                'M' => m as i32,
                _ => day as i32,
            })
        }
        (D::TimePart(part), Value::Timestamp(t)) => {
            let secs = t.rem_euclid(MICROS_PER_DAY) / MICROS_PER_SECOND;
            Value::Integer(match part {
                'H' => secs / 3600,
                'm' => secs / 60 % 60,
                _ => secs % 60,
            } as i32)
        }
        (D::DateShift(sign), Value::Date(d)) => match arg(1) {
            Value::Integer(n) => Value::Date(d.wrapping_add(n.wrapping_mul(*sign))),
            _ => Value::Null,
        },
        (D::DateDiff, Value::Date(end)) => match arg(1) {
            Value::Date(start) => Value::Integer(end.wrapping_sub(*start)),
            _ => Value::Null,
        },
        (D::Seconds, Value::Timestamp(t)) => Value::Long(t.div_euclid(MICROS_PER_SECOND)),
        _ => Value::Null,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A timestamp as text of a pattern (UTC).
pub fn format_with(tokens: &[PatternToken], micros: i64) -> String {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let of_day = micros.rem_euclid(MICROS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let secs = of_day / MICROS_PER_SECOND;
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    for token in tokens {
        match token {
            PatternToken::Text(t) => out.push_str(t),
            PatternToken::Field(c, n) => {
                let n = *n;
                let num = |v: i64| format!("{v:0n$}");
                let piece = match c {
                    'y' if n == 2 => format!("{:02}", y.rem_euclid(100)),
                    'y' => num(y),
                    'M' if n >= 4 => MONTHS
                        .get(mo as usize - 1)
                        .copied()
                        .unwrap_or("")
                        .to_string(),
                    'M' if n == 3 => MONTHS
                        .get(mo as usize - 1)
                        .map_or(String::new(), |m| m[..3].to_string()),
                    'M' => num(i64::from(mo)),
                    'd' => num(i64::from(d)),
                    'H' => num(h),
                    'h' => num(if h % 12 == 0 { 12 } else { h % 12 }),
                    'm' => num(mi),
                    's' => num(s),
                    'S' => {
                        let digits = format!("{:06}", of_day % MICROS_PER_SECOND);
                        digits
                            .chars()
                            .chain(std::iter::repeat('0'))
                            .take(n)
                            .collect()
                    }
                    'a' => (if h < 12 { "AM" } else { "PM" }).to_string(),
                    // 1970-01-01 was a Thursday.
                    _ => {
                        let name = WEEKDAYS[(days + 3).rem_euclid(7) as usize];
                        if n >= 4 {
                            name.to_string()
                        } else {
                            name[..3].to_string()
                        }
                    }
                };
                out.push_str(&piece);
            }
        }
    }
    out
}

/// Reads a text of a pattern as a timestamp (UTC); `None` when it does not match wholly.
pub fn parse_with(tokens: &[PatternToken], text: &str) -> Option<i64> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0usize;
    let (mut y, mut mo, mut d, mut h, mut mi, mut s, mut frac) =
        (1970i64, 1u32, 1u32, 0i64, 0i64, 0i64, 0i64);
    let mut pm: Option<bool> = None;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            PatternToken::Text(t) => {
                for c in t.chars() {
                    if chars.get(pos) != Some(&c) {
                        return None;
                    }
                    pos += 1;
                }
            }
            PatternToken::Field(c, n) => {
                let adjacent = matches!(tokens.get(i + 1), Some(PatternToken::Field(..)));
                let max = match c {
                    'y' if *n == 2 => 2,
                    'y' if adjacent => *n,
                    'y' => 9,
                    'S' => *n,
                    _ if adjacent || *n >= 2 => (*n).max(2),
                    _ => 2,
                };
                match c {
                    'M' if *n >= 3 => {
                        let rest: String = chars[pos.min(chars.len())..].iter().collect();
                        let (index, len) = MONTHS.iter().enumerate().find_map(|(k, m)| {
                            let name = if *n >= 4 { *m } else { &m[..3] };
                            rest.starts_with(name).then_some((k, name.len()))
                        })?;
                        mo = index as u32 + 1;
                        pos += len;
                    }
                    'a' => {
                        let rest: String = chars[pos.min(chars.len())..].iter().take(2).collect();
                        pm = Some(match rest.to_ascii_uppercase().as_str() {
                            "AM" => false,
                            "PM" => true,
                            _ => return None,
                        });
                        pos += 2;
                    }
                    'E' => {
                        let rest: String = chars[pos.min(chars.len())..].iter().collect();
                        let len = WEEKDAYS.iter().find_map(|w| {
                            let name = if *n >= 4 { *w } else { &w[..3] };
                            rest.starts_with(name).then_some(name.len())
                        })?;
                        pos += len;
                    }
                    _ => {
                        let start = pos;
                        while pos < chars.len() && pos - start < max && chars[pos].is_ascii_digit()
                        {
                            pos += 1;
                        }
                        if pos == start {
                            return None;
                        }
                        let digits: String = chars[start..pos].iter().collect();
                        let v: i64 = digits.parse().ok()?;
                        match c {
                            'y' if *n == 2 => y = 2000 + v,
                            'y' => y = v,
                            'M' => mo = u32::try_from(v).ok()?,
                            'd' => d = u32::try_from(v).ok()?,
                            'H' | 'h' => h = v,
                            'm' => mi = v,
                            's' => s = v,
                            _ => {
                                let six: String = digits
                                    .chars()
                                    .chain(std::iter::repeat('0'))
                                    .take(6)
                                    .collect();
                                frac = six.parse().ok()?;
                            }
                        }
                    }
                }
            }
        }
    }
    if pos != chars.len() {
        return None;
    }
    if let Some(pm) = pm {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = h % 12 + if pm { 12 } else { 0 };
    }
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    // Validate the day through the calendar's own reader.
    let days = calendar::parse_date(&format!("{y:04}-{mo:02}-{d:02}"))?;
    debug_assert_eq!(i64::from(days), days_from_civil(y, mo, d));
    Some(i64::from(days) * MICROS_PER_DAY + (h * 3600 + mi * 60 + s) * MICROS_PER_SECOND + frac)
}
