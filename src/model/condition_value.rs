//! One typed condition value, shared by the lint rules (`condition-value-type`) and the
//! evaluation engine, so that what lints clean is what evaluation can compare, and the reverse.
//!
//! RAM has five operator categories (string, number, date and time, Boolean, IP address); the
//! catalog names them `string`, `numeric`, `date`, `boolean` and `ip`. What each accepts:
//!
//! - `string`: any text;
//! - `numeric`: a finite decimal number (`10`, `-1.5`, `1e3`), surrounding whitespace ignored;
//! - `date`: ISO 8601, as [`crate::time::parse_iso8601`] reads it (`2026-01-01`,
//!   `2026-12-31T23:59:59Z`, offsets `+08:00`, `+0800` and `+08`; no impossible date);
//! - `boolean`: `true` or `false`, in any case;
//! - `ip`: an IPv4 or IPv6 address or CIDR block, as [`IpNetwork::parse`] reads it.

use crate::catalog::formats::{IpNetwork, NetworkError};
use crate::time::{parse_iso8601, DateError};
use std::borrow::Cow;

/// An operator category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    String,
    Numeric,
    Date,
    Boolean,
    Ip,
}

impl Category {
    pub const ALL: [Category; 5] =
        [Category::String, Category::Numeric, Category::Date, Category::Boolean, Category::Ip];

    /// The category of a catalog name (`numeric`), `None` for a name the model does not know.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The catalog's name of the category.
    pub fn name(self) -> &'static str {
        match self {
            Category::String => "string",
            Category::Numeric => "numeric",
            Category::Date => "date",
            Category::Boolean => "boolean",
            Category::Ip => "ip",
        }
    }
}

/// A condition value typed by its operator's category.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionValue<'a> {
    String(Cow<'a, str>),
    Number(f64),
    /// Milliseconds since the Unix epoch.
    Date(i64),
    Bool(bool),
    Ip(IpNetwork),
}

/// Why a text is not a value of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("not a finite number")]
    Number,
    #[error(transparent)]
    Date(#[from] DateError),
    #[error("not `true` or `false`")]
    Bool,
    #[error(transparent)]
    Ip(#[from] NetworkError),
}

impl ValueError {
    /// Whether the error says more than "the text is not of the category's form": an impossible
    /// date, a time out of range, a prefix longer than the address.
    pub fn is_specific(&self) -> bool {
        matches!(self, ValueError::Date(e) if *e != DateError::Form)
            || matches!(self, ValueError::Ip(NetworkError::PrefixTooLong { .. }))
    }
}

impl<'a> ConditionValue<'a> {
    /// Types `value` as a value of `category`.
    pub fn parse(category: Category, value: &'a str) -> Result<ConditionValue<'a>, ValueError> {
        Ok(match category {
            Category::String => ConditionValue::String(Cow::Borrowed(value)),
            Category::Numeric => match value.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => ConditionValue::Number(n),
                _ => return Err(ValueError::Number),
            },
            Category::Date => ConditionValue::Date(parse_iso8601(value)?),
            Category::Boolean if value.eq_ignore_ascii_case("true") => ConditionValue::Bool(true),
            Category::Boolean if value.eq_ignore_ascii_case("false") => ConditionValue::Bool(false),
            Category::Boolean => return Err(ValueError::Bool),
            Category::Ip => ConditionValue::Ip(IpNetwork::parse(value)?),
        })
    }

    /// The same value, owning its text.
    pub fn into_owned(self) -> ConditionValue<'static> {
        match self {
            ConditionValue::String(s) => ConditionValue::String(Cow::Owned(s.into_owned())),
            ConditionValue::Number(n) => ConditionValue::Number(n),
            ConditionValue::Date(d) => ConditionValue::Date(d),
            ConditionValue::Bool(b) => ConditionValue::Bool(b),
            ConditionValue::Ip(ip) => ConditionValue::Ip(ip),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(category: Category, value: &str) -> bool {
        ConditionValue::parse(category, value).is_ok()
    }

    #[test]
    fn categories_by_name() {
        for c in Category::ALL {
            assert_eq!(Category::from_name(c.name()), Some(c));
        }
        assert_eq!(Category::from_name("Numeric"), None);
    }

    #[test]
    fn values() {
        assert!(fits(Category::Ip, "192.168.0.0/16"));
        assert!(fits(Category::Ip, "2001:db8::/32"));
        assert!(!fits(Category::Ip, "42.120.XX.X/24"));
        assert!(!fits(Category::Ip, "10.0.0.0/33"));
        assert!(fits(Category::Numeric, "10"));
        assert!(fits(Category::Numeric, " 10 "));
        assert!(!fits(Category::Numeric, "ten"));
        assert!(!fits(Category::Numeric, "1e400"));
        assert!(fits(Category::Boolean, "TRUE"));
        assert!(!fits(Category::Boolean, "yes"));
        assert!(!fits(Category::Boolean, " true"));
        assert!(fits(Category::String, ""));
        assert_eq!(ConditionValue::parse(Category::Date, "1970-01-01T08:00:00+08"), Ok(ConditionValue::Date(0)));
        assert_eq!(ConditionValue::parse(Category::Boolean, "False"), Ok(ConditionValue::Bool(false)));
    }

    #[test]
    fn errors_say_why() {
        let err = |c, v| ConditionValue::parse(c, v).err();
        let impossible = err(Category::Date, "2099-02-30T00:00:00Z");
        assert_eq!(impossible.map(|e| e.to_string()).as_deref(), Some("2099-02 has no day 30"));
        assert!(impossible.is_some_and(|e| e.is_specific()));
        assert!(err(Category::Date, "31/12/2026 18:00").is_some_and(|e| !e.is_specific()));
        assert!(err(Category::Ip, "10.0.0.0/33").is_some_and(|e| e.is_specific()));
        assert!(err(Category::Ip, "42.120.XX.X/24").is_some_and(|e| !e.is_specific()));
        assert!(err(Category::Numeric, "ten").is_some_and(|e| !e.is_specific()));
    }
}
