//! ISO 8601 timestamps (`2025-03-04T08:15:02Z`, with an optional fraction and offset) to
//! milliseconds since the Unix epoch, without a date library: one grammar, [`parse_iso8601`].

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number written by `len` ASCII digits of `b` from `at`; `None` past the end or at any
/// other byte. A straight byte loop (no `str::parse`): a timestamp is read for every record.
fn num(b: &[u8], at: usize, len: usize) -> Option<i64> {
    let part = b.get(at..at.checked_add(len)?)?;
    part.iter().try_fold(0_i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why a text is not an ISO 8601 date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD[Thh:mm[:ss[.f]][Z|±hh:mm|±hhmm|±hh]]`.
    #[error("not an ISO 8601 date and time")]
    Form,
    #[error("there is no month {0}")]
    Month(u8),
    #[error("{year:04}-{month:02} has no day {day}")]
    Day { year: u16, month: u8, day: u8 },
    #[error("the time of day is out of range")]
    Clock,
    #[error("the offset from UTC is out of range")]
    Offset,
}

/// Milliseconds since the epoch of an ISO 8601 date (`2026-01-01`, midnight UTC) or date and
/// time: `T` (or a space), `hh:mm`, optional `:ss` (up to a leap second `60`) with an optional
/// fraction of at least one digit (milliseconds kept), and an optional zone: `Z` (or `z`) or an
/// offset `±hh:mm`, `±hhmm` or `±hh` (no zone: UTC). Nothing else, not even surrounding
/// whitespace, and no impossible date (`2099-02-30`). The one date grammar of condition values
/// (`model::condition_value`), which the lint rules and the evaluation engine share.
pub fn parse_iso8601(s: &str) -> Result<i64, DateError> {
    let form = DateError::Form;
    let b = s.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(form);
    }
    let (y, mo, d) = (num(b, 0, 4).ok_or(form)?, num(b, 5, 2).ok_or(form)?, num(b, 8, 2).ok_or(form)?);
    let rest = b.get(10..).ok_or(form)?;
    // The form first, then the ranges: a malformed text says so, whatever its numbers.
    let time = if rest.is_empty() { None } else { Some(clock(rest).ok_or(form)?) };
    let small = |n: i64| u8::try_from(n).unwrap_or(u8::MAX);
    if !(1..=12).contains(&mo) {
        return Err(DateError::Month(small(mo)));
    }
    if d < 1 || d > days_in_month(y, mo) {
        return Err(DateError::Day { year: u16::try_from(y).unwrap_or_default(), month: small(mo), day: small(d) });
    }
    let day = days_from_civil(y, mo, d) * 86_400_000;
    let Some(time) = time else { return Ok(day) };
    if time.hour > 23 || time.minute > 59 || time.second > 60 {
        return Err(DateError::Clock);
    }
    if time.offset_hours > 23 || time.offset_minutes > 59 {
        return Err(DateError::Offset);
    }
    let local = (time.hour * 3600 + time.minute * 60 + time.second) * 1000 + time.millis;
    let offset = time.offset_sign * (time.offset_hours * 3600 + time.offset_minutes * 60) * 1000;
    Ok(day + local - offset)
}

/// The fields of `Thh:mm[:ss[.f]][zone]`, unchecked ranges; `None` when the form is wrong.
struct Clock {
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
    offset_sign: i64,
    offset_hours: i64,
    offset_minutes: i64,
}

/// Read as bytes: every byte that matters is ASCII, so a multi-byte character anywhere fails
/// the form exactly as the `str` slicing it replaces did.
fn clock(rest: &[u8]) -> Option<Clock> {
    let time = match rest.split_first()? {
        (b'T' | b' ', time) => time,
        _ => return None,
    };
    if *time.get(2)? != b':' {
        return None;
    }
    let (hour, minute) = (num(time, 0, 2)?, num(time, 3, 2)?);
    let mut zone = time.get(5..)?;
    let (mut second, mut millis) = (0, 0);
    if let Some((b':', sec)) = zone.split_first() {
        second = num(sec, 0, 2)?;
        zone = sec.get(2..)?;
        if let Some((b'.', frac)) = zone.split_first() {
            let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let kept = digits.min(3);
            millis = num(frac, 0, kept)? * 10_i64.pow(3 - u32::try_from(kept).ok()?);
            zone = frac.get(digits..)?;
        }
    }
    let (offset_sign, offset_hours, offset_minutes) = match zone {
        b"" | b"Z" | b"z" => (1, 0, 0),
        z => {
            let (sign, body) = match z.split_first()? {
                (b'+', body) => (1, body),
                (b'-', body) => (-1, body),
                _ => return None,
            };
            let minutes = match body.len() {
                2 => Some(0),
                4 => num(body, 2, 2),
                5 if body.get(2) == Some(&b':') => num(body, 3, 2),
                _ => None,
            }?;
            (sign, num(body, 0, 2)?, minutes)
        }
    };
    Some(Clock { hour, minute, second, millis, offset_sign, offset_hours, offset_minutes })
}

/// Milliseconds since the epoch of a timestamp in a record or a setting (`eventTime`, an
/// `expires` date): [`parse_iso8601`] after trimming surrounding whitespace.
pub fn parse_millis(s: &str) -> Option<i64> {
    parse_iso8601(s.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::parse_millis;

    #[test]
    fn timestamps() {
        assert_eq!(parse_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_millis("2025-03-04T08:15:02Z"), Some(1_741_076_102_000));
        assert_eq!(parse_millis("2025-03-04T16:15:02+08:00"), Some(1_741_076_102_000));
        assert_eq!(parse_millis("2025-03-04T08:15:02.5Z"), Some(1_741_076_102_500));
        assert_eq!(parse_millis("2025-03-04T16:15:02+08"), Some(1_741_076_102_000));
        assert_eq!(parse_millis("2025-03-04T16:15:02+0800"), Some(1_741_076_102_000));
        assert!(parse_millis("2024-02-29T00:00:00Z").is_some());
        assert_eq!(parse_millis("2025-02-29T00:00:00Z"), None);
        assert_eq!(parse_millis("2025-04-31"), None);
        assert_eq!(parse_millis("2025-03-04T08:15:99Z"), None);
        assert_eq!(parse_millis("yesterday"), None);
    }

    #[test]
    fn one_grammar() {
        use super::{parse_iso8601, DateError};
        for ok in [
            "2019-08-12T17:00:00+08:00",
            "2012-11-11T23:59:59Z",
            "2026-01-01",
            "2026-01-01T00:00Z",
            "2026-01-01T00:00:00.123Z",
            "2021-08-02T10:49:17.289372919+08:00",
            "2026-01-01 00:00:00",
            "2026-12-31T23:59:60z",
            "2026-01-01T00:00:00-0530",
        ] {
            assert!(parse_iso8601(ok).is_ok(), "{ok}");
        }
        assert_eq!(parse_iso8601("2026-13-01"), Err(DateError::Month(13)));
        assert_eq!(parse_iso8601("2099-02-30T00:00:00Z"), Err(DateError::Day { year: 2099, month: 2, day: 30 }));
        assert_eq!(parse_iso8601("2026-01-01T25:00:00Z"), Err(DateError::Clock));
        assert_eq!(parse_iso8601("2026-01-01T00:00:00+24:00"), Err(DateError::Offset));
        for bad in [
            "tomorrow",
            "2026/01/01",
            "1700000000",
            " 2026-01-01",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+0:800",
            "2026-01-01T00:00:00+08::00",
            "2026-01-01T00:00:00+080",
            "2026-01-01T00:00:00+08:0",
            "2026-01-01Z",
            "2026-01-01T00:00:00ZZ",
            "2026-13-01Tnoon",
            "+026-01-01",
        ] {
            assert_eq!(parse_iso8601(bad), Err(DateError::Form), "{bad}");
        }
        assert_eq!(parse_millis(" 2026-01-01 "), parse_iso8601("2026-01-01").ok());
    }
}

/// Civil date from days since 1970-01-01 (the inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Milliseconds since the epoch as ISO 8601 in UTC, to the second (`2025-03-04T08:15:02Z`).
pub fn format_millis(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn formatting_inverts_parsing() {
        for text in ["1970-01-01T00:00:00Z", "2025-03-04T08:15:02Z", "2000-02-29T23:59:59Z", "2100-12-31T12:00:00Z"] {
            let ms = super::parse_millis(text).unwrap_or_default();
            assert_eq!(super::format_millis(ms), text);
        }
    }
}
