//! Value formats shared by policy ARNs and request parameters (`rules/formats.json`).

use super::data::FormatSpec;
use regex::Regex;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

pub struct Format {
    pub id: String,
    pub spec: FormatSpec,
    regex: Option<Regex>,
}

pub struct Formats {
    /// Shared, so that a compiled request schema's format check holds its format directly
    /// instead of looking it up by id for every value it checks.
    by_id: BTreeMap<String, Arc<Format>>,
}

impl Formats {
    pub fn new(specs: BTreeMap<String, FormatSpec>) -> Result<Self, String> {
        let mut by_id = BTreeMap::new();
        for (id, spec) in specs {
            let regex = match &spec.pattern {
                Some(p) => Some(Regex::new(p).map_err(|e| format!("format `{id}`: {e}"))?),
                None => None,
            };
            by_id.insert(id.clone(), Arc::new(Format { id, spec, regex }));
        }
        Ok(Formats { by_id })
    }

    pub fn get(&self, id: &str) -> Option<&Format> {
        self.by_id.get(id).map(|f| &**f)
    }

    /// Every format with its id, shared.
    pub fn shared(&self) -> impl Iterator<Item = (&str, &Arc<Format>)> {
        self.by_id.iter().map(|(id, f)| (id.as_str(), f))
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// Which formats have an id prefix, e.g. (`eip-id`, `eip-`).
    pub fn prefixed(&self) -> impl Iterator<Item = (&Format, &str)> {
        self.by_id.values().filter_map(|f| f.spec.prefix.as_deref().map(|p| (&**f, p)))
    }
}

impl Format {
    /// Whether `value` has this format. `is_region` answers the `region` builtin.
    pub fn check(&self, value: &str, is_region: &dyn Fn(&str) -> bool) -> bool {
        let builtin_ok = match self.spec.builtin.as_deref() {
            Some("ipv4") => value.parse::<Ipv4Addr>().is_ok(),
            Some("ip") => IpNetwork::parse(value).is_ok_and(|n| n.prefix.is_none()),
            Some("cidr") => IpNetwork::parse(value).is_ok_and(|n| n.prefix.is_some()),
            Some("ip-or-cidr") => IpNetwork::parse(value).is_ok(),
            Some("region") => is_region(value),
            // ASCII: one byte per character.
            Some("client-token") => value.is_ascii() && value.len() <= 64,
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

/// An IP address or CIDR block (`10.0.0.1`, `10.0.0.0/8`, `2001:db8::/32`): the one parser of
/// IP values, shared by the `ip`, `cidr` and `ip-or-cidr` formats and by condition values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNetwork {
    pub address: IpAddr,
    /// The prefix length of a CIDR block (at most 32 for IPv4, 128 for IPv6); `None` for an
    /// address.
    pub prefix: Option<u8>,
}

/// Why a text is not an IP address or CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("not an IP address or CIDR block")]
    Address,
    #[error("the prefix length is not a number")]
    Prefix,
    #[error("the prefix length {bits} is longer than the {max} bits of the address")]
    PrefixTooLong { bits: u16, max: u8 },
}

impl IpNetwork {
    /// `address` or `address/bits`, with one to three decimal digits of prefix length; no
    /// surrounding whitespace.
    pub fn parse(value: &str) -> Result<IpNetwork, NetworkError> {
        let (address, bits) = match value.split_once('/') {
            Some((address, bits)) => (address, Some(bits)),
            None => (value, None),
        };
        let address = address.parse::<IpAddr>().map_err(|_| NetworkError::Address)?;
        let Some(bits) = bits else { return Ok(IpNetwork { address, prefix: None }) };
        if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NetworkError::Prefix);
        }
        let bits = bits.parse::<u16>().map_err(|_| NetworkError::Prefix)?;
        let max: u8 = if address.is_ipv4() { 32 } else { 128 };
        match u8::try_from(bits) {
            Ok(prefix) if prefix <= max => Ok(IpNetwork { address, prefix: Some(prefix) }),
            _ => Err(NetworkError::PrefixTooLong { bits, max }),
        }
    }

    /// Whether the address `ip` is in this network (a CIDR block, or an address equal to it).
    /// An IPv4 address in IPv6 form (`::ffff:10.0.0.1`) is that IPv4 address, on both sides. A
    /// block is in no network.
    pub fn contains(&self, ip: &IpNetwork) -> bool {
        if ip.prefix.is_some() {
            return false;
        }
        let (v4, network, bits) = canonical(self.address, self.prefix);
        let (ip_v4, address, _) = canonical(ip.address, None);
        let (width, address) = match (v4, ip_v4) {
            (true, true) => (32_u32, address),
            (false, false) => (128, address),
            // A block of IPv4-mapped addresses shorter than `/96` (`::ffff:0:0/80`) holds an
            // IPv4 address in its mapped form; any other IPv6 block holds none.
            (false, true) if is_mapped(self.address) => (128, address | (0xffff_u128 << 32)),
            _ => return false,
        };
        let shift = width.saturating_sub(bits);
        shift >= 128 || (network >> shift) == (address >> shift)
    }
}

fn is_mapped(address: IpAddr) -> bool {
    matches!(address, IpAddr::V6(a) if a.to_ipv4_mapped().is_some())
}

/// (IPv4?, the address bits, the prefix length): an IPv4-mapped IPv6 address (with a prefix of
/// at least 96 bits) as IPv4.
fn canonical(address: IpAddr, prefix: Option<u8>) -> (bool, u128, u32) {
    let prefix = prefix.map(u32::from);
    match address {
        IpAddr::V4(a) => (true, u128::from(u32::from(a)), prefix.unwrap_or(32)),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) if prefix.is_none_or(|p| p >= 96) => {
                (true, u128::from(u32::from(v4)), prefix.map_or(32, |p| p.saturating_sub(96)))
            }
            _ => (false, u128::from(a), prefix.unwrap_or(128)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> IpNetwork {
        IpNetwork::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parsing() {
        assert_eq!(net("10.0.0.0/8").prefix, Some(8));
        assert_eq!(net("2001:db8::/32").prefix, Some(32));
        assert_eq!(net("10.0.0.1").prefix, None);
        assert_eq!(net("10.0.0.0/08").prefix, Some(8));
        assert_eq!(IpNetwork::parse("10.0.0.0/33"), Err(NetworkError::PrefixTooLong { bits: 33, max: 32 }));
        assert_eq!(IpNetwork::parse("::/129"), Err(NetworkError::PrefixTooLong { bits: 129, max: 128 }));
        assert_eq!(IpNetwork::parse("10.0.0.0/999"), Err(NetworkError::PrefixTooLong { bits: 999, max: 32 }));
        for bad in ["10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/1234", "10.0.0.0/8/8", "10.0.0.0/a"] {
            assert_eq!(IpNetwork::parse(bad), Err(NetworkError::Prefix), "{bad}");
        }
        for bad in ["42.120.XX.X/24", "192.168.1.300", " 10.0.0.1", "10.0.0.1 ", "", "/8"] {
            assert_eq!(IpNetwork::parse(bad), Err(NetworkError::Address), "{bad}");
        }
    }

    #[test]
    fn networks() {
        let has = |n: &str, ip: &str| net(n).contains(&net(ip));
        assert!(has("10.0.0.0/8", "10.1.2.3"));
        assert!(has("0.0.0.0/0", "10.1.2.3"));
        assert!(!has("10.0.0.0/8", "11.1.2.3"));
        assert!(has("2001:db8::/32", "2001:db8::1"));
        assert!(!has("10.0.0.0/8", "2001:db8::1"));
        assert!(!has("::/0", "10.1.2.3"));
        assert!(has("10.0.0.0/8", "::ffff:10.0.0.1"));
        assert!(has("::ffff:10.0.0.1", "10.0.0.1"));
        assert!(has("::ffff:10.0.0.0/104", "10.9.9.9"));
        assert!(has("::ffff:0.0.0.0/80", "10.9.9.9"));
        assert!(has("::ffff:0.0.0.0/80", "::ffff:10.9.9.9"));
        assert!(!has("::ffff:0.0.0.0/80", "2001:db8::1"));
        assert!(has("203.0.113.7", "203.0.113.7"));
        assert!(!has("10.0.0.0/8", "10.0.0.0/8"));
    }
}
