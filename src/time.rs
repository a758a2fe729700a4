//! ISO 8601 timestamps (`2025-03-04T08:15:02Z`, with an optional fraction and offset) to
//! milliseconds since the Unix epoch, without a date library.

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

fn num(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(range)?;
    part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Milliseconds since the epoch, or `None` when the text is not an ISO 8601 timestamp.
pub fn parse_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.get(4..5)? != "-" || s.get(7..8)? != "-" {
        return None;
    }
    let (y, mo, d) = (num(s, 0..4)?, num(s, 5..7)?, num(s, 8..10)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let mut millis = days_from_civil(y, mo, d) * 86_400_000;
    let rest = s.get(10..)?;
    if rest.is_empty() {
        return Some(millis);
    }
    let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let (h, mi) = (num(time, 0..2)?, num(time, 3..5)?);
    if time.get(2..3)? != ":" || h > 23 || mi > 59 {
        return None;
    }
    millis += (h * 3600 + mi * 60) * 1000;
    let mut zone = time.get(5..)?;
    if let Some(sec) = zone.strip_prefix(':') {
        let secs = num(sec, 0..2)?;
        if secs > 60 {
            return None;
        }
        millis += secs * 1000;
        zone = sec.get(2..)?;
        if let Some(frac) = zone.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            let ms = frac.get(..digits.min(3)).filter(|d| !d.is_empty()).map_or(Some(0), |d| d.parse::<i64>().ok())?;
            millis += ms * 10_i64.pow(3 - digits.min(3) as u32);
            zone = frac.get(digits..)?;
        }
    }
    match zone {
        "" | "Z" | "z" => Some(millis),
        z => {
            let sign = match z.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            // `+08:00`, `+0800` or `+08`.
            let body = z.get(1..)?.replace(':', "");
            let oh = num(&body, 0..2)?;
            let om = if body.len() == 2 { 0 } else { num(&body, 2..4)? };
            if body.len() > 4 || oh > 23 || om > 59 {
                return None;
            }
            Some(millis - sign * (oh * 3600 + om * 60) * 1000)
        }
    }
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
