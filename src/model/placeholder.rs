//! Documentation placeholders and masked values (`174649585760xxxx`, `123456789012****`,
//! `<accountId>`, `{uid}`, `%s`, `$regionid`, `[ECS RAM Action]`): text copied from an example
//! that still has to be replaced. Template parts (`${var.id}`, `%{ if }`) are resolved by a tool
//! before RAM sees the document and are never placeholders.

/// Characters that end an ARN field or a principal, around a placeholder.
fn is_boundary(c: u8) -> bool {
    matches!(c, b':' | b'/' | b',' | b'"' | b'=' | b';') || c.is_ascii_whitespace()
}

/// The byte ranges of template parts (`${...}`, `%{...}`), which are not judged.
fn template_ranges(value: &str) -> Vec<(usize, usize)> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if matches!(bytes.get(i), Some(b'$' | b'%')) && bytes.get(i + 1) == Some(&b'{') {
            let end = bytes.get(i..).and_then(|r| r.iter().position(|&b| b == b'}')).map_or(bytes.len(), |p| i + p + 1);
            out.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The longest bracketed placeholder considered (`<...>`, `{...}`, `[...]`).
const MAX_BRACKETED: usize = 64;

/// The first placeholder in `value`, as the byte range of the field that holds it (the text
/// between ARN separators), or `None`. Linear in the value's length.
pub fn find(value: &str) -> Option<(usize, usize)> {
    let bytes = value.as_bytes();
    // Only these bytes can start a placeholder (or a template part): most values have none.
    let starts = |b: u8| matches!(b, b'<' | b'{' | b'[' | b'%' | b'$' | b'*' | b'x' | b'X');
    if !bytes.iter().any(|&b| starts(b)) {
        return None;
    }
    let at = |i: usize| bytes.get(i).copied();
    // Only a value with a `$` or `%` can have a template part.
    let templates = if bytes.iter().any(|&b| b == b'$' || b == b'%') { template_ranges(value) } else { Vec::new() };
    let mut templates = templates.into_iter().peekable();
    let run = |i: usize, f: fn(&u8) -> bool| bytes.get(i..).map_or(0, |r| r.iter().take_while(|b| f(b)).count());
    let mut i = 0;
    while let Some(c) = at(i) {
        // A byte that starts nothing is skipped; a template part starts with one that does
        // (`$`, `%`), so none is stepped over.
        if !starts(c) {
            i += 1;
            continue;
        }
        if let Some(&(start, end)) = templates.peek() {
            if i >= start {
                templates.next();
                i = i.max(end);
                continue;
            }
        }
        let found = match c {
            b'<' | b'{' | b'[' => {
                let close = match c {
                    b'<' => b'>',
                    b'{' => b'}',
                    _ => b']',
                };
                let rest = bytes.get(i + 1..bytes.len().min(i + 1 + MAX_BRACKETED)).unwrap_or_default();
                rest.iter()
                    .position(|&b| b == close || b == c)
                    .filter(|&p| p > 0 && rest.get(p) == Some(&close))
                    .filter(|&p| rest.get(..p).unwrap_or_default().iter().any(u8::is_ascii_alphabetic))
                    .map(|p| (i, i + p + 2))
            }
            b'%' => (matches!(at(i + 1), Some(b's' | b'd' | b'v'))
                && at(i + 2).is_none_or(|b| !b.is_ascii_alphanumeric()))
            .then_some((i, i + 2)),
            b'$' => {
                let starts_word = i == 0 || at(i - 1).is_none_or(|b| !b.is_ascii_alphanumeric());
                let len = run(i + 1, |b| b.is_ascii_alphanumeric() || *b == b'_');
                (starts_word && len > 0 && at(i + 1).is_some_and(|b| b.is_ascii_alphabetic()))
                    .then_some((i, i + 1 + len))
            }
            b'*' => {
                let len = run(i, |b| *b == b'*');
                if len < 3 {
                    i += len.max(1);
                    continue;
                }
                Some((i, i + len))
            }
            b'x' | b'X' => {
                let len = run(i, |b| matches!(b, b'x' | b'X'));
                let before = if i == 0 { None } else { at(i - 1) };
                let after = at(i + len);
                let before_ok = before.is_none_or(|b| !b.is_ascii_alphabetic());
                let after_ok = after.is_none_or(|b| !b.is_ascii_alphabetic());
                let near_digit = [before, after].iter().flatten().any(|b| b.is_ascii_digit() || *b == b'.');
                if !(before_ok && after_ok && (len >= 3 || (len >= 2 && near_digit))) {
                    i += len.max(1);
                    continue;
                }
                Some((i, i + len))
            }
            _ => None,
        };
        if let Some((start, end)) = found {
            return Some(widen(bytes, start, end));
        }
        i += 1;
    }
    None
}

/// Widens a placeholder to the field that holds it (up to the separators around it).
fn widen(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let boundary = |i: usize| bytes.get(i).is_none_or(|&b| is_boundary(b));
    let mut s = start;
    while s > 0 && !boundary(s - 1) {
        s -= 1;
    }
    let mut e = end;
    while e < bytes.len() && !boundary(e) {
        e += 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::find;

    fn token(v: &str) -> Option<&str> {
        find(v).map(|(s, e)| &v[s..e])
    }

    #[test]
    fn finds_documentation_placeholders() {
        assert_eq!(token("acs:ecs:cn-hangzhou:174649585760xxxx:instance/*"), Some("174649585760xxxx"));
        assert_eq!(token("acs:ram::123456789012****:root"), Some("123456789012****"));
        assert_eq!(token("acs:ram::<accountId>:role/x"), Some("<accountId>"));
        assert_eq!(token("acs:oss:*:{uid}:bucket"), Some("{uid}"));
        assert_eq!(token("acs:ram::%s:root"), Some("%s"));
        assert_eq!(token("acs:ecs:$regionid:*:instance/*"), Some("$regionid"));
        assert_eq!(token("ecs:[ECS RAM Action]"), Some("[ECS RAM Action]"));
        assert_eq!(token("18***"), Some("18***"));
        assert_eq!(token("116.62.XX.XX/24"), Some("116.62.XX.XX"));
        assert_eq!(token("acs:log:*:*:project/{#ProjectName}"), Some("{#ProjectName}"));
    }

    #[test]
    fn leaves_real_values_and_templates_alone() {
        for v in [
            "acs:ecs:cn-hangzhou:1234567890123456:instance/*",
            "acs:oss:*:*:examplebucket/*",
            "acs:ecs:${var.region}:${data.alicloud_account.this.id}:instance/*",
            "%{ if x }",
            "acs:odps:*:projects/p/tables/*",
            "ALIYUN$bob@example.com",
            "maxxxgames",
            "ecs:Describe*",
            "acs:oss:*:*:bucket/**",
            "192.168.0.0/16",
            "x",
        ] {
            assert_eq!(token(v), None, "{v}");
        }
    }
}
