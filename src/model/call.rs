//! Recorded calls as the rules over a whole log see them: a compact fact per call, and the
//! calls of a run in event-time order.

use crate::catalog::SequenceResource;
use std::sync::Arc;

pub use crate::source::Place;

const QUERY: u8 = 1;
const ACCEPTED: u8 = 2;
const IN_EVENT: u8 = 4;
const HAS_KEY: u8 = 8;
const HAS_TOKEN: u8 = 16;

/// What the rules over a log keep of a call: about a hundred bytes, because an audit keeps one
/// per relevant call of the whole run (strings are shared through the catalog's interner).
#[derive(Debug, Clone)]
pub struct CallFact {
    pub file: Arc<str>,
    pub api: Arc<str>,
    /// The id of the resource of `rules/sequences.json` that a non-query call names.
    id: Option<Arc<str>>,
    time: i64,
    pub fingerprint: u64,
    token: u64,
    record: u32,
    key_place: Place,
    token_place: Place,
    /// The index of the resource kind in `rules/sequences.json`.
    kind: u8,
    flags: u8,
}

/// What a call fact is made of, before it is packed.
#[derive(Debug, Clone)]
pub struct CallParts {
    pub file: Arc<str>,
    pub api: Arc<str>,
    /// Event time in milliseconds since the epoch.
    pub time: Option<i64>,
    /// Hash of the API and its parameters (a retry has the same one).
    pub fingerprint: u64,
    pub record: Option<usize>,
    pub query: bool,
    /// No error code was recorded.
    pub accepted: bool,
    /// The parameters are under `/requestParameters` (an ActionTrail event).
    pub in_event: bool,
    /// (resource kind in `rules/sequences.json`, resource id, where the id is).
    pub key: Option<(usize, Arc<str>, Place)>,
    /// (hash of the client token, where it is).
    pub token: Option<(u64, Place)>,
}

impl CallFact {
    pub fn new(parts: CallParts) -> CallFact {
        let mut flags = 0;
        for (on, bit) in [
            (parts.query, QUERY),
            (parts.accepted, ACCEPTED),
            (parts.in_event, IN_EVENT),
            (parts.key.is_some(), HAS_KEY),
            (parts.token.is_some(), HAS_TOKEN),
        ] {
            if on {
                flags |= bit;
            }
        }
        let (kind, id, key_place) = parts.key.map_or((0, None, Place::default()), |(k, id, p)| (k, Some(id), p));
        let (token, token_place) = parts.token.unwrap_or_default();
        CallFact {
            file: parts.file,
            api: parts.api,
            id,
            time: parts.time.unwrap_or(i64::MIN),
            fingerprint: parts.fingerprint,
            token,
            record: parts.record.and_then(|r| u32::try_from(r).ok()).unwrap_or(0),
            key_place,
            token_place,
            kind: u8::try_from(kind).unwrap_or(u8::MAX),
            flags,
        }
    }

    pub fn record(&self) -> Option<usize> {
        (self.record > 0).then_some(self.record as usize)
    }

    /// Event time in milliseconds since the epoch.
    pub fn time(&self) -> Option<i64> {
        (self.time != i64::MIN).then_some(self.time)
    }

    pub fn query(&self) -> bool {
        self.flags & QUERY != 0
    }

    /// No error code was recorded.
    pub fn accepted(&self) -> bool {
        self.flags & ACCEPTED != 0
    }

    /// (resource kind, resource id, where the id is), for a non-query call naming one.
    pub fn key(&self) -> Option<(usize, &Arc<str>, Place)> {
        (self.flags & HAS_KEY != 0).then_some(())?;
        Some((usize::from(self.kind), self.id.as_ref()?, self.key_place))
    }

    /// The client token's hash and where it is.
    pub fn token(&self) -> Option<(u64, Place)> {
        (self.flags & HAS_TOKEN != 0).then_some((self.token, self.token_place))
    }

    /// The pointer of a parameter of this call.
    pub fn pointer(&self, param: &str) -> String {
        if self.flags & IN_EVENT != 0 {
            format!("/requestParameters/{param}")
        } else {
            format!("/{param}")
        }
    }
}

/// The calls of a whole run in event-time order (then file and record; calls without a time
/// first), with what the sequence rules know about resources.
pub struct OrderedCalls<'a> {
    calls: Vec<&'a CallFact>,
    /// The resources of `rules/sequences.json`, indexed by a fact's resource kind.
    pub resources: &'a [SequenceResource],
    /// How long an accepted asynchronous operation keeps its resource pending, at most.
    pub window_ms: i64,
}

impl<'a> OrderedCalls<'a> {
    pub fn new(mut calls: Vec<&'a CallFact>, resources: &'a [SequenceResource], window_ms: i64) -> Self {
        calls.sort_by(|a, b| (a.time(), &a.file, a.record()).cmp(&(b.time(), &b.file, b.record())));
        OrderedCalls { calls, resources, window_ms }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a CallFact> + '_ {
        self.calls.iter().copied()
    }
}
