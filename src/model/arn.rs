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
    let mut fields = Vec::with_capacity(5);
    let mut start = 0usize;
    for (i, part) in value.splitn(5, ':').enumerate() {
        fields.push(Field { text: part, start });
        start += part.len() + 1;
        let _ = i;
    }
    let [prefix, service, region, account, relative] = fields.as_slice() else {
        return Err(ArnError::Fields(fields.len()));
    };
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
    Ok(Arn { prefix: *prefix, service: *service, region: *region, account: *account, relative: *relative })
}
