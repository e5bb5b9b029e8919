//! The time arguments of `--reset-offsets`: `--to-datetime YYYY-MM-DDTHH:mm:SS.sss` (no zone
//! means UTC; `Z`, `+hh:mm` or `-hh:mm` may follow) and `--by-duration` in ISO-8601
//! (`PnDTnHnMnS`, as Java's `Duration.parse`).
//!
//! Owns the parsing only, into milliseconds. Must not read the clock: `--by-duration` is
//! subtracted from the broker's time by the caller.

use super::error::GroupAdminError;
use crate::protocol::calendar::days_from_civil;

fn bad(what: &str, value: &str, expected: &str) -> GroupAdminError {
    GroupAdminError::InvalidTime(format!(
        "Error parsing {what} '{value}': expected {expected}"
    ))
}

/// Parses `--to-datetime` into ms since the epoch.
pub fn parse_reset_datetime(value: &str) -> Result<i64, GroupAdminError> {
    const FORMAT: &str = "YYYY-MM-DDTHH:mm:SS.sss, optionally followed by Z or +hh:mm";
    let err = || bad("date", value, FORMAT);
    let v = value.trim();
    let (date, rest) = v.split_once('T').ok_or_else(err)?;
    let num = |s: &str| s.parse::<i64>().map_err(|_| err());
    let mut d = date.split('-');
    let (y, mo, da) = match (d.next(), d.next(), d.next(), d.next()) {
        (Some(y), Some(m), Some(d), None) => (num(y)?, num(m)?, num(d)?),
        _ => return Err(err()),
    };
    // Split off a zone: `Z`, or the last `+` / `-` in the time part.
    let (time, zone_ms) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (t, z) = rest.split_at(i);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 4 {
            return Err(err());
        }
        let hh = num(&digits[..2])?;
        let mm = num(&digits[2..])?;
        (t, sign * (hh * 3_600_000 + mm * 60_000))
    } else {
        (rest, 0)
    };
    let (hms, millis) = match time.split_once('.') {
        Some((hms, frac)) => {
            let frac3: String = frac.chars().chain("000".chars()).take(3).collect();
            (hms, num(&frac3)?)
        }
        None => (time, 0),
    };
    let mut t = hms.split(':');
    let (h, mi, s) = match (t.next(), t.next(), t.next(), t.next()) {
        (Some(h), Some(m), Some(s), None) => (num(h)?, num(m)?, num(s)?),
        (Some(h), Some(m), None, None) => (num(h)?, num(m)?, 0),
        _ => return Err(err()),
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) || h > 23 || mi > 59 || s > 60 {
        return Err(err());
    }
    let days = days_from_civil(y, mo, da);
    Ok(days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + millis - zone_ms)
}

/// Parses an ISO-8601 duration (`PT1H`, `P1DT2H30M`, `PT0.5S`, `-PT10M`) into ms.
pub fn parse_duration_ms(value: &str) -> Result<i64, GroupAdminError> {
    let err = || {
        bad(
            "duration",
            value,
            "an ISO-8601 duration such as PT1H or P1DT12H30M",
        )
    };
    let v = value.trim().to_ascii_uppercase();
    let (sign, v) = match v.strip_prefix('-') {
        Some(rest) => (-1, rest.to_owned()),
        None => (1, v.trim_start_matches('+').to_owned()),
    };
    let body = v.strip_prefix('P').ok_or_else(err)?;
    let (days_part, time_part) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let mut total: f64 = 0.0;
    let mut any = false;
    let mut take = |part: &str, units: &[(char, f64)]| -> Result<(), GroupAdminError> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let scale = units
                .iter()
                .find(|(u, _)| *u == c)
                .map(|(_, s)| *s)
                .ok_or_else(err)?;
            let n: f64 = number.parse().map_err(|_| err())?;
            total += n * scale;
            any = true;
            number.clear();
        }
        if number.is_empty() {
            Ok(())
        } else {
            Err(err())
        }
    };
    take(days_part, &[('D', 86_400_000.0)])?;
    if let Some(t) = time_part {
        if t.is_empty() {
            return Err(err());
        }
        take(t, &[('H', 3_600_000.0), ('M', 60_000.0), ('S', 1000.0)])?;
    }
    if !any {
        return Err(err());
    }
    // Durations are whole milliseconds here; the cast saturates on absurd inputs.
    Ok(sign * total.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_without_a_zone_are_utc() {
        assert_eq!(
            parse_reset_datetime("1970-01-01T00:00:00.000").ok(),
            Some(0)
        );
        assert_eq!(
            parse_reset_datetime("2024-10-25T12:30:15.250").ok(),
            Some(1_729_859_415_250)
        );
        assert_eq!(
            parse_reset_datetime("2024-10-25T13:30:15.250+01:00").ok(),
            Some(1_729_859_415_250)
        );
        assert!(parse_reset_datetime("yesterday").is_err());
        assert!(parse_reset_datetime("2024-13-01T00:00:00").is_err());
    }

    #[test]
    fn durations_follow_java_duration_parse() {
        assert_eq!(parse_duration_ms("PT1H").ok(), Some(3_600_000));
        assert_eq!(parse_duration_ms("P1DT2H30M").ok(), Some(95_400_000));
        assert_eq!(parse_duration_ms("PT0.5S").ok(), Some(500));
        assert!(parse_duration_ms("1h").is_err());
        assert!(parse_duration_ms("PT").is_err());
    }
}
