//! Recorded calls as the rules over a whole log see them: a compact fact per call, and the
//! calls of a run in event-time order.

use crate::catalog::SequenceResource;
use std::cmp::Ordering;
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

    /// The parts the fact was made of ([`CallFact::new`] of them gives the fact back): how
    /// `audit --partial` writes a fact for another process to read.
    pub fn parts(&self) -> CallParts {
        CallParts {
            file: self.file.clone(),
            api: self.api.clone(),
            time: self.time(),
            fingerprint: self.fingerprint,
            record: self.record(),
            query: self.query(),
            accepted: self.accepted(),
            in_event: self.flags & IN_EVENT != 0,
            key: self.key().map(|(kind, id, place)| (kind, id.clone(), place)),
            token: self.token(),
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

    /// Writes the fact compactly (about 70 bytes and the resource id); `name` gives the index
    /// of a shared string (the file, the API) in a table kept beside the bytes.
    pub fn encode(&self, out: &mut Vec<u8>, mut name: impl FnMut(&Arc<str>) -> u32) {
        out.extend_from_slice(&name(&self.file).to_le_bytes());
        out.extend_from_slice(&name(&self.api).to_le_bytes());
        out.extend_from_slice(&self.time.to_le_bytes());
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.extend_from_slice(&self.token.to_le_bytes());
        out.extend_from_slice(&self.record.to_le_bytes());
        for place in [self.key_place, self.token_place] {
            for n in [place.line, place.column, place.end_column] {
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
        out.push(self.kind);
        out.push(self.flags);
        if let Some(id) = &self.id {
            out.extend_from_slice(id.as_bytes());
        }
    }

    /// The fact of bytes written by [`CallFact::encode`] (`name`: the shared strings).
    pub fn decode(bytes: &[u8], name: impl Fn(u32) -> Option<Arc<str>>) -> Option<CallFact> {
        let mut at = 0;
        let mut take = |n: usize| {
            let part = bytes.get(at..at + n);
            at += n;
            part
        };
        let u32_of = |b: Option<&[u8]>| Some(u32::from_le_bytes(b?.try_into().ok()?));
        let u64_of = |b: Option<&[u8]>| Some(u64::from_le_bytes(b?.try_into().ok()?));
        let file = name(u32_of(take(4))?)?;
        let api = name(u32_of(take(4))?)?;
        let time = i64::from_le_bytes(take(8)?.try_into().ok()?);
        let fingerprint = u64_of(take(8))?;
        let token = u64_of(take(8))?;
        let record = u32_of(take(4))?;
        let mut places = [0u32; 6];
        for n in &mut places {
            *n = u32_of(take(4))?;
        }
        let [kl, kc, ke, tl, tc, te] = places;
        let kind = *take(1)?.first()?;
        let flags = *take(1)?.first()?;
        let rest = bytes.get(at..)?;
        let id = (flags & HAS_KEY != 0).then(|| std::str::from_utf8(rest).ok().map(Arc::from)).flatten();
        Some(CallFact {
            file,
            api,
            id,
            time,
            fingerprint,
            token,
            record,
            key_place: Place { line: kl, column: kc, end_column: ke },
            token_place: Place { line: tl, column: tc, end_column: te },
            kind,
            flags,
        })
    }

    /// About how many bytes the fact holds besides itself (its own resource id).
    pub fn heap_size(&self) -> usize {
        self.id.as_ref().map_or(0, |id| id.len() + 16)
    }

    /// Whether the sequence rules over resources see this call: it names a resource and has a time.
    pub fn on_resource(&self) -> bool {
        self.flags & HAS_KEY != 0 && self.time != i64::MIN
    }

    /// The order of the calls on resources: resource kind and id, then event time, file and record.
    pub fn resource_order(a: &CallFact, b: &CallFact) -> Ordering {
        (a.kind, &a.id, a.time, &a.file, a.record).cmp(&(b.kind, &b.id, b.time, &b.file, b.record))
    }

    /// The order of the calls with a client token: token, then event time (calls without one
    /// first), file and record.
    pub fn token_order(a: &CallFact, b: &CallFact) -> Ordering {
        (a.token, a.time, &a.file, a.record).cmp(&(b.token, b.time, &b.file, b.record))
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

/// How long a client token is taken as honoured after the first call that used it, unless
/// `--token-retention` says otherwise (see `docs/rules/client-token-reuse.md`).
pub const DEFAULT_TOKEN_RETENTION_MS: i64 = 24 * 3_600_000;

/// Calls in the orders the rules over a log read them, from wherever they wait (in memory, or
/// spilled to disk in sorted runs by the audit).
pub trait CallSource {
    /// The calls that name a resource and have a time, by [`CallFact::resource_order`].
    fn by_resource(&self) -> Box<dyn Iterator<Item = CallFact> + '_>;
    /// The calls with a client token, by [`CallFact::token_order`].
    fn by_token(&self) -> Box<dyn Iterator<Item = CallFact> + '_>;
}

/// Calls held in memory, in both orders.
pub struct InMemory {
    by_resource: Vec<CallFact>,
    by_token: Vec<CallFact>,
}

impl InMemory {
    pub fn new<'f>(calls: impl IntoIterator<Item = &'f CallFact>) -> InMemory {
        let (mut by_resource, mut by_token) = (Vec::new(), Vec::new());
        for call in calls {
            if call.on_resource() {
                by_resource.push(call.clone());
            }
            if call.token().is_some() {
                by_token.push(call.clone());
            }
        }
        by_resource.sort_by(CallFact::resource_order);
        by_token.sort_by(CallFact::token_order);
        InMemory { by_resource, by_token }
    }
}

impl CallSource for InMemory {
    fn by_resource(&self) -> Box<dyn Iterator<Item = CallFact> + '_> {
        Box::new(self.by_resource.iter().cloned())
    }

    fn by_token(&self) -> Box<dyn Iterator<Item = CallFact> + '_> {
        Box::new(self.by_token.iter().cloned())
    }
}

/// The calls of a whole run as the rules over a log see them: grouped by resource (then in
/// event-time order) and by client token (then in event-time order), so that a rule keeps
/// the state of one group at a time, with what the sequence rules know about resources.
pub struct OrderedCalls<'a> {
    source: Source<'a>,
    /// The resources of `rules/sequences.json`, indexed by a fact's resource kind.
    pub resources: &'a [SequenceResource],
    /// How long an accepted asynchronous operation keeps its resource pending, at most.
    pub window_ms: i64,
    /// How long a client token is honoured after its first use.
    pub token_retention_ms: i64,
}

enum Source<'a> {
    Owned(InMemory),
    Borrowed(&'a dyn CallSource),
}

impl<'a> OrderedCalls<'a> {
    /// Calls in memory (tests, small runs).
    pub fn new(calls: Vec<&CallFact>, resources: &'a [SequenceResource], window_ms: i64) -> Self {
        let source = Source::Owned(InMemory::new(calls));
        OrderedCalls { source, resources, window_ms, token_retention_ms: DEFAULT_TOKEN_RETENTION_MS }
    }

    /// Calls from a source that already orders them.
    pub fn streamed(source: &'a dyn CallSource, resources: &'a [SequenceResource], window_ms: i64) -> Self {
        OrderedCalls {
            source: Source::Borrowed(source),
            resources,
            window_ms,
            token_retention_ms: DEFAULT_TOKEN_RETENTION_MS,
        }
    }

    pub fn with_token_retention(mut self, ms: i64) -> Self {
        self.token_retention_ms = ms;
        self
    }

    fn source(&self) -> &dyn CallSource {
        match &self.source {
            Source::Owned(m) => m,
            Source::Borrowed(s) => *s,
        }
    }

    /// See [`CallSource::by_resource`].
    pub fn by_resource(&self) -> Box<dyn Iterator<Item = CallFact> + '_> {
        self.source().by_resource()
    }

    /// See [`CallSource::by_token`].
    pub fn by_token(&self) -> Box<dyn Iterator<Item = CallFact> + '_> {
        self.source().by_token()
    }
}
