//! Dates and timestamps as Spark writes and reads them, in UTC: days and microseconds since the
//! epoch to `2026-12-06` / `2026-12-06 10:20:30.123` and back.
//!
//! Owns the civil calendar (proleptic Gregorian, as Spark 3+) and Spark's default texts. Brooklet's
//! session time zone is always UTC (README, "Spark in the tab"); nothing here reads a clock.

/// Microseconds in a second.
pub const MICROS_PER_SECOND: i64 = 1_000_000;
/// Microseconds in a day.
pub const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Spark's text of a date: `2026-12-06`.
pub fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(days));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Spark's text of a timestamp (`CAST(ts AS STRING)`, `show()`): `2026-12-06 10:20:30`, with
/// the fraction only when there is one and without its trailing zeros
/// (`2026-12-06 10:20:30.12`).
pub fn format_timestamp(micros: i64) -> String {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let of_day = micros.rem_euclid(MICROS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let seconds = of_day / MICROS_PER_SECOND;
    let fraction = of_day % MICROS_PER_SECOND;
    let (h, mi, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut text = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
    if fraction != 0 {
        let digits = format!("{fraction:06}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text
}

/// Reads a date as `CAST('…' AS DATE)` does: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, optionally
/// followed by `T` or a space and anything (a time, which is ignored). `None` when it is not a
/// date (Spark's cast then gives `NULL`).
pub fn parse_date(text: &str) -> Option<i32> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let mut parts = date_part.split('-');
    let year: i64 = number(parts.next()?, 4, 4)?;
    let month: u32 = match parts.next() {
        Some(p) => number(p, 1, 2)?,
        None => 1,
    };
    let day: u32 = match parts.next() {
        Some(p) => number(p, 1, 2)?,
        None => 1,
    };
    if parts.next().is_some() || !valid_day(year, month, day) {
        return None;
    }
    i32::try_from(days_from_civil(year, month, day)).ok()
}

/// Reads a timestamp as `CAST('…' AS TIMESTAMP)` does in UTC: a date (see [`parse_date`]),
/// optionally followed by `T` or a space and `HH:mm[:ss[.fraction]]` and an optional `Z`.
/// `None` when it is not a timestamp.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    let split = text.find(['T', ' ']);
    let (date_text, time_text) = match split {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let days = i64::from(parse_date(date_text)?);
    let mut micros = days * MICROS_PER_DAY;
    if let Some(time) = time_text {
        let time = time.strip_suffix('Z').unwrap_or(time);
        let (clock, fraction) = match time.split_once('.') {
            Some((c, f)) => (c, Some(f)),
            None => (time, None),
        };
        let mut fields = clock.split(':');
        let h: i64 = number(fields.next()?, 1, 2)?;
        let mi: i64 = number(fields.next()?, 1, 2)?;
        let s: i64 = match fields.next() {
            Some(f) => number(f, 1, 2)?,
            None => 0,
        };
        if fields.next().is_some() || h > 23 || mi > 59 || s > 59 {
            return None;
        }
        micros += (h * 3600 + mi * 60 + s) * MICROS_PER_SECOND;
        if let Some(f) = fraction {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let six: String = f.chars().chain(std::iter::repeat('0')).take(6).collect();
            micros += six.parse::<i64>().ok()?;
        }
    }
    Some(micros)
}

fn number<T: std::str::FromStr>(text: &str, min_len: usize, max_len: usize) -> Option<T> {
    let ok = (min_len..=max_len).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if ok {
        text.parse().ok()
    } else {
        None
    }
}

fn valid_day(year: i64, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_a_leap_day_round_trip_through_the_civil_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        let leap = days_from_civil(2024, 2, 29);
        assert_eq!(civil_from_days(leap), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn timestamps_print_as_spark_casts_them_to_strings() {
        let micros = parse_timestamp("2026-12-06 10:20:30.120").unwrap();
        assert_eq!(format_timestamp(micros), "2026-12-06 10:20:30.12");
        assert_eq!(format_timestamp(0), "1970-01-01 00:00:00");
        assert_eq!(
            parse_timestamp("2026-12-06T10:20:30Z"),
            parse_timestamp("2026-12-06 10:20:30")
        );
    }

    #[test]
    fn text_that_is_not_a_date_reads_as_none() {
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_timestamp("2026-12-06 25:00"), None);
        assert_eq!(format_date(parse_date("2026-12-06").unwrap()), "2026-12-06");
    }
}
