//! Spark's interval strings as `window(…, '10 minutes')`, `withWatermark(…, '10 minutes')`
//! and `trigger(processingTime='10 seconds')` take them: a list of `<number> <unit>` pairs,
//! optionally after the word `interval`.
//!
//! Owns day-time intervals only: months and years have no fixed length, and Spark refuses them
//! in windows and watermarks too.

use crate::streams::calendar::{MICROS_PER_DAY, MICROS_PER_SECOND};

/// An interval string that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    /// Not `<number> <unit>` pairs.
    #[error("Error parsing '{0}' to interval: write it as a number and a unit, e.g. '10 minutes' or '1 hour 30 minutes' (units: microseconds, milliseconds, seconds, minutes, hours, days, weeks)")]
    Malformed(String),
    /// A month or year: no fixed length.
    #[error("Intervals of months or years are not supported here ('{0}'): use days, hours, minutes or seconds")]
    Calendar(String),
}

/// Reads an interval string into microseconds.
pub fn parse_interval(text: &str) -> Result<i64, IntervalError> {
    let malformed = || IntervalError::Malformed(text.to_string());
    let lower = text.trim().to_ascii_lowercase();
    let body = lower
        .strip_prefix("interval")
        .map_or(lower.as_str(), str::trim_start);
    let words: Vec<&str> = body.split_whitespace().collect();
    if words.is_empty() || words.len() % 2 != 0 {
        return Err(malformed());
    }
    let mut total: i64 = 0;
    for pair in words.chunks(2) {
        let [number, unit] = pair else {
            return Err(malformed());
        };
        let unit = unit.trim_end_matches('s');
        let per: f64 = match unit {
            "microsecond" | "us" => 1.0,
            "millisecond" | "ms" => 1_000.0,
            "second" | "sec" => MICROS_PER_SECOND as f64,
            "minute" | "min" => 60.0 * MICROS_PER_SECOND as f64,
            "hour" => 3_600.0 * MICROS_PER_SECOND as f64,
            "day" => MICROS_PER_DAY as f64,
            "week" => 7.0 * MICROS_PER_DAY as f64,
            "month" | "year" => return Err(IntervalError::Calendar(text.to_string())),
            _ => return Err(malformed()),
        };
        let n: f64 = number.parse().map_err(|_| malformed())?;
        let micros = (n * per).round();
        if !micros.is_finite() || micros.abs() > 1e17 {
            return Err(malformed());
        }
        total = total.checked_add(micros as i64).ok_or_else(malformed)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_courses_intervals_read_in_microseconds() {
        assert_eq!(parse_interval("10 minutes"), Ok(600 * MICROS_PER_SECOND));
        assert_eq!(parse_interval("5 seconds"), Ok(5 * MICROS_PER_SECOND));
        assert_eq!(
            parse_interval("interval 1 hour 30 minutes"),
            Ok(5_400 * MICROS_PER_SECOND)
        );
        assert_eq!(parse_interval("1 minute"), Ok(60 * MICROS_PER_SECOND));
        assert_eq!(parse_interval("0.5 seconds"), Ok(500_000));
    }

    #[test]
    fn intervals_that_do_not_read_say_how_to_write_one() {
        assert!(matches!(
            parse_interval("ten minutes"),
            Err(IntervalError::Malformed(_))
        ));
        assert!(matches!(
            parse_interval("10"),
            Err(IntervalError::Malformed(_))
        ));
        assert!(matches!(
            parse_interval("1 month"),
            Err(IntervalError::Calendar(_))
        ));
        assert!(matches!(
            parse_interval("1e300 days"),
            Err(IntervalError::Malformed(_))
        ));
    }
}
