//! Value formats shared by policy ARNs and request parameters (`rules/formats.json`).

use super::data::FormatSpec;
use regex::Regex;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

pub struct Format {
    pub id: String,
    pub spec: FormatSpec,
    regex: Option<Regex>,
}

pub struct Formats {
    by_id: BTreeMap<String, Format>,
}

impl Formats {
    pub fn new(specs: BTreeMap<String, FormatSpec>) -> Result<Self, String> {
        let mut by_id = BTreeMap::new();
        for (id, spec) in specs {
            let regex = match &spec.pattern {
                Some(p) => Some(Regex::new(p).map_err(|e| format!("format `{id}`: {e}"))?),
                None => None,
            };
            by_id.insert(id.clone(), Format { id, spec, regex });
        }
        Ok(Formats { by_id })
    }

    pub fn get(&self, id: &str) -> Option<&Format> {
        self.by_id.get(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// Which formats have an id prefix, e.g. (`eip-id`, `eip-`).
    pub fn prefixed(&self) -> impl Iterator<Item = (&Format, &str)> {
        self.by_id.values().filter_map(|f| f.spec.prefix.as_deref().map(|p| (f, p)))
    }
}

impl Format {
    /// Whether `value` has this format. `is_region` answers the `region` builtin.
    pub fn check(&self, value: &str, is_region: &dyn Fn(&str) -> bool) -> bool {
        let builtin_ok = match self.spec.builtin.as_deref() {
            Some("ipv4") => value.parse::<Ipv4Addr>().is_ok(),
            Some("ip") => value.parse::<IpAddr>().is_ok(),
            Some("cidr") => is_cidr(value),
            Some("ip-or-cidr") => value.parse::<IpAddr>().is_ok() || is_cidr(value),
            Some("region") => is_region(value),
            Some("client-token") => value.is_ascii() && value.chars().count() <= 64,
            _ => true,
        };
        builtin_ok && self.regex.as_ref().is_none_or(|r| r.is_match(value))
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match (&self.spec.summary, &self.spec.prefix) {
            (Some(s), _) => s.clone(),
            (None, Some(p)) => format!("an id starting with `{p}`"),
            (None, None) => self.id.replace('-', " "),
        }
    }
}

/// An IPv4 or IPv6 CIDR block such as `10.0.0.0/8`.
pub fn is_cidr(value: &str) -> bool {
    let Some((addr, bits)) = value.split_once('/') else { return false };
    let Ok(addr) = addr.parse::<IpAddr>() else { return false };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    !bits.is_empty()
        && bits.len() <= 3
        && bits.bytes().all(|b| b.is_ascii_digit())
        && bits.parse::<u32>().is_ok_and(|b| b <= max)
}
