//! ARNs: `acs:<ram-code>:<region>:<account-id>:<relative-id>`, with the byte offset of each
//! field in the string so findings can underline just that field.

#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub text: &'a str,
    pub start: usize,
}

impl Field<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Arn<'a> {
    pub prefix: Field<'a>,
    pub service: Field<'a>,
    pub region: Field<'a>,
    pub account: Field<'a>,
    pub relative: Field<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnError {
    /// Fewer than five fields; carries the count.
    Fields(usize),
    /// The first field is not `acs`; carries its end offset.
    Prefix(usize),
    /// The service field is empty or malformed; carries its span.
    Service(usize, usize),
    /// The relative id is empty.
    Relative,
}

/// [`parse`] of a value with template parts (`${var.account}`, `${ALIYUN::AccountId}`): the
/// parts are read as opaque text (a `:` inside one does not split a field), so the literal
/// fields around them are judged; a field that holds a part is unknown to whoever reads it.
pub fn parse_template(value: &str) -> Result<Arn<'_>, ArnError> {
    // Without a template part there is nothing to mask: the plain parse, without a copy.
    if !super::policy::is_template(value) {
        return parse(value);
    }
    let mut masked = value.as_bytes().to_vec();
    let mut from = 0;
    while let Some(at) = value.get(from..).and_then(|v| v.find("${")) {
        let start = from + at;
        let Some(end) = value.get(start..).and_then(|v| v.find('}')).map(|e| start + e + 1) else {
            break;
        };
        for b in masked.get_mut(start..end).unwrap_or_default() {
            if *b == b':' {
                *b = b'_';
            }
        }
        from = end;
    }
    // Only `:` bytes were replaced (by `_`): the offsets and char boundaries are the same.
    let masked = String::from_utf8(masked).map_err(|_| ArnError::Fields(0))?;
    let arn = parse(&masked).map_err(|e| e.clone())?;
    let field = |f: Field<'_>| Field { text: value.get(f.start..f.end()).unwrap_or_default(), start: f.start };
    Ok(Arn {
        prefix: field(arn.prefix),
        service: field(arn.service),
        region: field(arn.region),
        account: field(arn.account),
        relative: field(arn.relative),
    })
}

pub fn parse(value: &str) -> Result<Arn<'_>, ArnError> {
    // The first four `:` split the five fields (the relative id keeps any further `:`), found
    // without collecting the fields into a vector.
    let mut bounds = [0usize; 4];
    let mut count = 0usize;
    for (at, b) in value.bytes().enumerate() {
        if b != b':' {
            continue;
        }
        let Some(slot) = bounds.get_mut(count) else { break };
        *slot = at;
        count += 1;
    }
    if count < 4 {
        return Err(ArnError::Fields(count + 1));
    }
    let [c1, c2, c3, c4] = bounds;
    let field = |start: usize, end: usize| Field { text: value.get(start..end).unwrap_or_default(), start };
    let (prefix, service, region, account, relative) =
        (field(0, c1), field(c1 + 1, c2), field(c2 + 1, c3), field(c3 + 1, c4), field(c4 + 1, value.len()));
    if prefix.text != "acs" {
        return Err(ArnError::Prefix(prefix.end()));
    }
    let service_ok = !service.text.is_empty()
        && service.text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?' | '.'));
    if !service_ok {
        return Err(ArnError::Service(service.start, service.end()));
    }
    if relative.text.is_empty() {
        return Err(ArnError::Relative);
    }
    Ok(Arn { prefix, service, region, account, relative })
}
