//! RFC 6901 JSON Pointers, kept as their encoded text (`/Statement/0/Action`).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A new pointer one object key deeper.
    pub fn key(&self, key: &str) -> Pointer {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        if !key.contains(['~', '/']) {
            // The common case: nothing to escape, one copy.
            s.push_str(key);
            return Pointer(s);
        }
        for c in key.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        Pointer(s)
    }

    /// A new pointer one array index deeper.
    pub fn index(&self, index: usize) -> Pointer {
        use std::fmt::Write as _;
        let mut s = String::with_capacity(self.0.len() + 4);
        s.push_str(&self.0);
        // Writing to a `String` cannot fail.
        let _ = write!(s, "/{index}");
        Pointer(s)
    }

    /// Decoded reference tokens, or `None` when the text is not a pointer.
    pub fn tokens(pointer: &str) -> Option<Vec<String>> {
        if pointer.is_empty() {
            return Some(Vec::new());
        }
        let rest = pointer.strip_prefix('/')?;
        // Almost no token has an escape: those are copied once, without two `replace` passes.
        Some(
            rest.split('/')
                .map(|t| if t.contains('~') { t.replace("~1", "/").replace("~0", "~") } else { t.to_owned() })
                .collect(),
        )
    }

    /// An array index token: digits without a leading zero.
    pub fn index_of(token: &str) -> Option<usize> {
        if token.is_empty() || (token.len() > 1 && token.starts_with('0')) || !token.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        token.parse().ok()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> String {
        p.0
    }
}
