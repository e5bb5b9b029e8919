//! How records read for a learner: times in UTC (and back from what they type) and JSON laid
//! out in the producer's own key order.
//!
//! Owns text formatting only. Must not read the broker or any clock.

use crate::playground::forms::pretty_value;
use crate::protocol::calendar::{days_from_civil, UtcTime};

/// A time in ms since the epoch as `2026-11-26 12:00:00.123 UTC`.
pub fn format_utc(ms: i64) -> String {
    let t = UtcTime::from_epoch_ms(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} UTC",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.millis
    )
}

/// Why a typed time cannot be read; the message says which forms are understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeParseError {
    /// Not milliseconds, nor a date (and time) made of numbers.
    #[error("'{text}' is not a time: write milliseconds since 1970 (like 1764158400000) or a UTC date and time like 2026-11-26 12:00:00.")]
    Unreadable {
        /// What was typed (trimmed).
        text: String,
    },
    /// A date or time whose month, day, hour, minute or second is out of range.
    #[error("'{text}' is not a time: write milliseconds since 1970 (like 1764158400000) or a UTC date and time like 2026-11-26 12:00:00.")]
    OutOfRange {
        /// What was typed (trimmed).
        text: String,
    },
}

/// Reads a time: milliseconds since the epoch, or `YYYY-MM-DD[ HH:MM[:SS]]` in UTC.
pub fn parse_time(text: &str) -> Result<i64, TimeParseError> {
    let text = text.trim();
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let bad = || TimeParseError::Unreadable {
        text: text.to_owned(),
    };
    let (date, time) = text
        .split_once([' ', 'T'])
        .map_or((text, ""), |(d, t)| (d, t.trim_end_matches('Z')));
    let date: Vec<i64> = date
        .split('-')
        .map(|p| p.parse::<i64>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let time: Vec<i64> = if time.is_empty() {
        Vec::new()
    } else {
        time.split(':')
            .map(|p| p.parse::<i64>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?
    };
    let (&[y, m, d], true) = (date.as_slice(), time.len() <= 3) else {
        return Err(bad());
    };
    let part = |i: usize| time.get(i).copied().unwrap_or(0);
    let (hh, mm, ss) = (part(0), part(1), part(2));
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return Err(TimeParseError::OutOfRange {
            text: text.to_owned(),
        });
    }
    Ok((days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss) * 1000)
}

/// Valid JSON laid out with two-space indents, keeping the producer's key order (so an order
/// reads `order_id` first, as it was written); anything else as text (lossy UTF-8).
pub fn pretty_in_order(bytes: &[u8]) -> String {
    if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
        return pretty_value(bytes);
    }
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                // Skip whitespace to see whether the container is empty.
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_keeps_the_producers_key_order_and_strings_intact() {
        let compact =
            br#"{"order_id":1,"city":"a, b: {c}","items":[{"q":2},[]],"e":{},"s":"x\"y"}"#;
        let pretty = pretty_in_order(compact);
        assert_eq!(
            pretty,
            "{\n  \"order_id\": 1,\n  \"city\": \"a, b: {c}\",\n  \"items\": [\n    {\n      \"q\": 2\n    },\n    []\n  ],\n  \"e\": {},\n  \"s\": \"x\\\"y\"\n}"
        );
        let reparsed: serde_json::Value = serde_json::from_str(&pretty).expect("still JSON");
        assert_eq!(
            reparsed,
            serde_json::from_slice::<serde_json::Value>(compact).expect("JSON")
        );
        assert_eq!(pretty_in_order(b"plain text"), "plain text");
        assert_eq!(pretty_in_order(b"42"), "42");
    }

    #[test]
    fn times_read_as_milliseconds_or_utc_dates_and_print_back() {
        assert_eq!(parse_time("1764158400000"), Ok(1_764_158_400_000));
        assert_eq!(parse_time("2025-11-26 12:00:00"), Ok(1_764_158_400_000));
        assert_eq!(parse_time("2025-11-26T12:00Z"), Ok(1_764_158_400_000));
        assert_eq!(parse_time("1970-01-01"), Ok(0));
        assert!(parse_time("yesterday")
            .is_err_and(|e| e.to_string().contains("like 2026-11-26 12:00:00")));
        assert_eq!(
            parse_time(" 2025-13-01 "),
            Err(TimeParseError::OutOfRange {
                text: "2025-13-01".to_owned()
            })
        );
        assert_eq!(format_utc(1_764_158_400_123), "2025-11-26 12:00:00.123 UTC");
    }
}
