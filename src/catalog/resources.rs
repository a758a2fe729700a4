//! Resource types: which ARN relative ids belong to which type (`rules/resource-types.json`).

use super::data::ResourceType;

pub struct CompiledType {
    pub spec: ResourceType,
    /// The literal text before the first placeholder of the relative id (`eip/`).
    pub literal_prefix: String,
    /// The relative-id template split into literal and placeholder parts.
    parts: Vec<TemplatePart>,
    /// `parts` as the symbols [`CompiledType::may_match`] walks, made once per type.
    tokens: Vec<Tok>,
    /// The length of the literal parts, by which [`ResourceTypes::classify`] prefers a type.
    weight: usize,
}

#[derive(Debug)]
enum TemplatePart {
    Literal(String),
    /// `{#Name}`: one or more characters; no `/` when `slash_free` (a placeholder followed by
    /// a path, or one below which the service documents other types: an SLS project name).
    Placeholder {
        slash_free: bool,
    },
    /// A `*` in a published template (`project/{#project}/alert/*`): any characters.
    Any,
}

pub struct ResourceTypes {
    pub types: Vec<CompiledType>,
    /// The indices into `types` of each service's types, in their order, by lower-case
    /// service code (sorted): a lookup, not a scan of every type per ARN.
    by_service: Vec<(String, Vec<usize>)>,
    /// The index into `types` of each type id (the first of a repeated id, as a scan finds):
    /// the ARN rules look types up by id once per documented type of every action.
    by_id: std::collections::HashMap<String, usize, foldhash::fast::FixedState>,
}

/// A resource type recognised in an ARN, with the resource id (the text of the last
/// placeholder) and its byte offset in the relative id.
pub struct TypeMatch<'t, 's> {
    pub ty: &'t CompiledType,
    pub id: &'s str,
    pub id_offset: usize,
}

/// Pushes a literal of a template, with each `*` in it as an [`TemplatePart::Any`].
fn push_literal(parts: &mut Vec<TemplatePart>, lit: &str) {
    for (i, piece) in lit.split('*').enumerate() {
        if i > 0 {
            parts.push(TemplatePart::Any);
        }
        if !piece.is_empty() {
            parts.push(TemplatePart::Literal(piece.to_string()));
        }
    }
}

fn split_template(relative: &str) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    let mut rest = relative;
    while let Some(open) = rest.find('{') {
        let (lit, after) = rest.split_at(open);
        push_literal(&mut parts, lit);
        match after.find('}') {
            Some(close) => {
                parts.push(TemplatePart::Placeholder { slash_free: false });
                rest = after.get(close + 1..).unwrap_or_default();
            }
            None => {
                push_literal(&mut parts, after);
                rest = "";
            }
        }
    }
    push_literal(&mut parts, rest);
    // A placeholder followed by more of the path holds one segment.
    let count = parts.len();
    for i in 0..count {
        let next_is_path = matches!(parts.get(i + 1), Some(TemplatePart::Literal(l)) if l.starts_with('/'));
        if let Some(TemplatePart::Placeholder { slash_free }) = parts.get_mut(i) {
            *slash_free = next_is_path;
        }
    }
    parts
}

/// Whether `longer` continues `shorter` with a path: the same parts, then a literal that
/// starts with `/` (`project/{#p}/logstore/{#l}` continues `project/{#p}`).
fn extends(longer: &[TemplatePart], shorter: &[TemplatePart]) -> bool {
    let same = |a: &TemplatePart, b: &TemplatePart| match (a, b) {
        (TemplatePart::Literal(x), TemplatePart::Literal(y)) => x.eq_ignore_ascii_case(y),
        (TemplatePart::Placeholder { .. }, TemplatePart::Placeholder { .. })
        | (TemplatePart::Any, TemplatePart::Any) => true,
        _ => false,
    };
    longer.len() > shorter.len()
        && longer.iter().zip(shorter).all(|(a, b)| same(a, b))
        && matches!(longer.get(shorter.len()), Some(TemplatePart::Literal(l)) if l.starts_with('/'))
}

impl ResourceTypes {
    pub fn new(types: Vec<ResourceType>) -> Self {
        let mut types: Vec<CompiledType> = types
            .into_iter()
            .map(|spec| {
                let relative = spec.arn.splitn(5, ':').nth(4).unwrap_or_default().to_string();
                let parts = split_template(&relative);
                let literal_prefix = match parts.first() {
                    Some(TemplatePart::Literal(l)) => l.clone(),
                    _ => String::new(),
                };
                CompiledType { spec, literal_prefix, parts, tokens: Vec::new(), weight: 0 }
            })
            .collect();
        // The last placeholder of a type holds one path segment when another type of the same
        // service continues its template (an SLS project name, below which logstores and
        // dashboards follow); otherwise it may hold a path (an OSS object name). Types are
        // grouped by service so that this stays linear in the number of types per service.
        let mut grouped: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, t) in types.iter().enumerate() {
            grouped.entry(t.spec.service.to_ascii_lowercase()).or_default().push(i);
        }
        let mut nested = vec![false; types.len()];
        for members in grouped.values() {
            for &i in members {
                let (Some(short), true) = (
                    types.get(i),
                    matches!(types.get(i).and_then(|t| t.parts.last()), Some(TemplatePart::Placeholder { .. })),
                ) else {
                    continue;
                };
                let continued = members
                    .iter()
                    .any(|&j| j != i && types.get(j).is_some_and(|long| extends(&long.parts, &short.parts)));
                if let Some(flag) = nested.get_mut(i) {
                    *flag = continued;
                }
            }
        }
        for (t, continued) in types.iter_mut().zip(nested) {
            if let (true, Some(TemplatePart::Placeholder { slash_free })) = (continued, t.parts.last_mut()) {
                *slash_free = true;
            }
        }
        let mut by_service: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, ty) in types.iter().enumerate() {
            let service = ty.spec.service.to_ascii_lowercase();
            match by_service.binary_search_by(|(s, _)| s.as_str().cmp(&service)) {
                Ok(at) => by_service.get_mut(at).iter_mut().for_each(|(_, list)| list.push(i)),
                Err(at) => by_service.insert(at, (service, vec![i])),
            }
        }
        for ty in &mut types {
            ty.tokens = tokens(&ty.parts);
            ty.weight = ty.parts.iter().map(|p| if let TemplatePart::Literal(l) = p { l.len() } else { 0 }).sum();
        }
        let mut by_id = std::collections::HashMap::with_hasher(foldhash::fast::FixedState::default());
        for (i, ty) in types.iter().enumerate() {
            by_id.entry(ty.spec.id.clone()).or_insert(i);
        }
        ResourceTypes { types, by_service, by_id }
    }

    /// The types of a service (case-insensitive), in the order of the data.
    pub fn of_service<'t>(&'t self, service: &str) -> impl Iterator<Item = &'t CompiledType> + 't {
        let indices = self
            .by_service
            .binary_search_by(|(s, _)| s.bytes().cmp(service.bytes().map(|b| b.to_ascii_lowercase())))
            .ok()
            .and_then(|at| self.by_service.get(at))
            .map_or(&[][..], |(_, list)| list.as_slice());
        indices.iter().filter_map(|&i| self.types.get(i))
    }

    pub fn get(&self, id: &str) -> Option<&CompiledType> {
        self.by_id.get(id).and_then(|&i| self.types.get(i))
    }

    /// The type of `relative` among `service`'s types, when the relative id names one
    /// unambiguously by its literal path segments (`eip/...`). Wildcards in the relative id
    /// are plain characters here: `*/*` names no type.
    pub fn classify<'s>(&self, service: &str, relative: &'s str) -> Option<TypeMatch<'_, 's>> {
        let mut best: Option<(usize, TypeMatch<'_, 's>)> = None;
        // A type's template starts with its literal prefix, which the relative id must start
        // with (the first step of `match_relative`): the other types are not tried.
        let candidates = self
            .of_service(service)
            .filter(|t| !t.literal_prefix.is_empty() && relative.as_bytes().starts_with(t.literal_prefix.as_bytes()));
        for ty in candidates {
            if let Some((id, id_offset)) = ty.match_relative(relative) {
                let weight = ty.weight;
                if best.as_ref().is_none_or(|(w, _)| weight > *w) {
                    best = Some((weight, TypeMatch { ty, id, id_offset }));
                }
            }
        }
        best.map(|(_, m)| m)
    }
}

impl CompiledType {
    /// Matches the relative id against the template: literals must appear in order,
    /// placeholders take at least one character (the last one takes the rest).
    fn match_relative<'s>(&self, relative: &'s str) -> Option<(&'s str, usize)> {
        let mut pos = 0usize;
        let mut last_id = None;
        let count = self.parts.len();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                TemplatePart::Literal(lit) => {
                    if relative.get(pos..)?.starts_with(lit.as_str()) {
                        pos += lit.len();
                    } else {
                        return None;
                    }
                }
                TemplatePart::Placeholder { slash_free } => {
                    let rest = relative.get(pos..)?;
                    let end = match self.parts.get(i + 1) {
                        Some(TemplatePart::Literal(next)) => find(rest, next)?,
                        _ => rest.len(),
                    };
                    let text = rest.get(..end)?;
                    // A wildcard may stand for a path within a placeholder that is followed by
                    // more of the template, never in the last one of a nested type
                    // (`project/p/*` is no project).
                    let last = i + 1 == count;
                    if end == 0
                        || (!last && text.contains('/') && !rest.contains('*'))
                        || (last && *slash_free && text.contains('/'))
                    {
                        return None;
                    }
                    last_id = Some((text, pos));
                    pos += end;
                }
                TemplatePart::Any => {
                    let rest = relative.get(pos..)?;
                    let end = match self.parts.get(i + 1) {
                        Some(TemplatePart::Literal(next)) => find(rest, next)?,
                        _ => rest.len(),
                    };
                    pos += end;
                }
            }
        }
        if pos != relative.len() {
            return None;
        }
        last_id
    }

    pub fn name(&self) -> &str {
        self.spec.name.as_deref().unwrap_or(&self.spec.id)
    }

    /// Whether some resource of this type fits the relative-id pattern `pattern` (RAM's `*`
    /// and `?` wildcards): the pattern and the template have a string in common. Literals
    /// compare case-insensitively, a placeholder takes one or more characters (no `/` where
    /// it holds one segment), a published `*` any characters. A search over (pattern position,
    /// template position, placeholder started), so O(pattern length × template length).
    pub fn may_match(&self, pattern: &str) -> bool {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                let Scratch { pat, seen, stack } = &mut *scratch;
                pat.clear();
                pat.extend(pattern.chars());
                let found = intersects(pat, &self.tokens, seen, stack);
                if [pat.capacity(), seen.capacity(), stack.capacity()].iter().any(|&c| c > SCRATCH_KEEP) {
                    *scratch = Scratch::default();
                }
                found
            }
            Err(_) => {
                let pat: Vec<char> = pattern.chars().collect();
                intersects(&pat, &self.tokens, &mut Vec::new(), &mut Vec::new())
            }
        })
    }
}

/// The buffers of [`intersects`], reused by the calls of one thread (one per ARN and
/// documented type, each of which allocated them anew); a call that grew one past
/// [`SCRATCH_KEEP`] entries (a huge pattern) frees them, so what is kept stays small.
#[derive(Default)]
struct Scratch {
    pat: Vec<char>,
    seen: Vec<bool>,
    stack: Vec<(usize, usize, bool)>,
}

/// The most entries a [`Scratch`] buffer keeps between calls.
const SCRATCH_KEEP: usize = 1 << 16;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The symbols of a template, for [`intersects`].
fn tokens(parts: &[TemplatePart]) -> Vec<Tok> {
    let mut tpl: Vec<Tok> = Vec::new();
    for part in parts {
        match part {
            TemplatePart::Literal(l) => tpl.extend(l.chars().map(Tok::Char)),
            TemplatePart::Placeholder { slash_free } => tpl.push(Tok::Placeholder(*slash_free)),
            TemplatePart::Any => tpl.push(Tok::Any),
        }
    }
    tpl
}

/// The first occurrence of `needle` in `hay` (as `str::find`), by a plain scan: the haystacks
/// are short relative ids, for which setting up `str::find`'s searcher costs more than it saves.
fn find(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else { return Some(0) };
    // A match starts at a char boundary: `needle` starts with one (it is a `str`).
    (0..hay.len()).find(|&i| hay.get(i) == Some(&first) && hay.get(i..).is_some_and(|r| r.starts_with(needle)))
}

#[derive(Clone, Copy, Debug)]
enum Tok {
    Char(char),
    /// One or more characters; `true`: none of them `/`.
    Placeholder(bool),
    Any,
}

/// Whether the glob `pat` (`*`, `?`) and the template tokens `tpl` match a common string.
fn intersects(pat: &[char], tpl: &[Tok], seen: &mut Vec<bool>, stack: &mut Vec<(usize, usize, bool)>) -> bool {
    let (n, m) = (pat.len(), tpl.len());
    let index = |i: usize, j: usize, started: bool| (i * (m + 1) + j) * 2 + usize::from(started);
    seen.clear();
    seen.resize((n + 1) * (m + 1) * 2, false);
    stack.clear();
    stack.push((0usize, 0usize, false));
    while let Some((i, j, started)) = stack.pop() {
        let Some(slot) = seen.get_mut(index(i, j, started)) else { continue };
        if *slot {
            continue;
        }
        *slot = true;
        if i == n && (j == m || (j + 1 == m && started && matches!(tpl.get(j), Some(Tok::Placeholder(_))))) {
            return true;
        }
        let p = pat.get(i).copied();
        let t = tpl.get(j).copied();
        // Moves that consume nothing.
        if p == Some('*') {
            stack.push((i + 1, j, started));
        }
        match t {
            Some(Tok::Any) => stack.push((i, j + 1, false)),
            Some(Tok::Placeholder(_)) if started => stack.push((i, j + 1, false)),
            _ => {}
        }
        if j == m && i < n && pat.get(i..).is_some_and(|rest| rest.iter().all(|&c| c == '*')) {
            return true;
        }
        // Moves that consume one character of the common string.
        let (Some(p), Some(t)) = (p, t) else { continue };
        let (next_i, pat_char) = match p {
            '*' => (i, None),
            '?' => (i + 1, None),
            c => (i + 1, Some(c)),
        };
        let fits = match (pat_char, t) {
            (Some(c), Tok::Char(d)) => c.eq_ignore_ascii_case(&d),
            (Some(c), Tok::Placeholder(true)) => c != '/',
            _ => true,
        };
        if !fits {
            continue;
        }
        let (next_j, next_started) = match t {
            Tok::Char(_) => (j + 1, false),
            Tok::Placeholder(_) => (j, true),
            Tok::Any => (j, false),
        };
        if next_i != i || next_j != j || next_started != started {
            stack.push((next_i, next_j, next_started));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{ResourceType, ResourceTypes};

    fn types() -> ResourceTypes {
        let ty = |id: &str, arn: &str| ResourceType {
            id: id.to_string(),
            service: id.split(':').next().unwrap_or_default().to_string(),
            name: None,
            arn: arn.to_string(),
            id_format: None,
        };
        ResourceTypes::new(vec![
            ty("log:project", "acs:log:{#regionId}:{#accountId}:project/{#ProjectName}"),
            ty("log:logstore", "acs:log:{#regionId}:{#accountId}:project/{#ProjectName}/logstore/{#LogstoreName}"),
            ty("log:dashboard", "acs:log:{#regionId}:{#accountId}:project/{#ProjectName}/dashboard/{#DashboardName}"),
            ty("log:logging", "acs:log:{#regionId}:{#accountId}:project/{#ProjectName}/logging"),
            ty("log:alert", "acs:log:{#regionId}:{#accountId}:project/{#project}/alert/*"),
            ty("oss:bucket", "acs:oss:{#regionId}:{#accountId}:{#BucketName}"),
            ty("oss:object", "acs:oss:{#regionId}:{#accountId}:{#BucketName}/{#ObjectPath}"),
        ])
    }

    #[test]
    fn glob_against_template() {
        let types = types();
        let get = |id: &str| types.get(id).unwrap();
        let (project, logstore, dashboard, logging, alert) =
            (get("log:project"), get("log:logstore"), get("log:dashboard"), get("log:logging"), get("log:alert"));
        assert!(project.may_match("project/p"));
        assert!(project.may_match("project/*"));
        assert!(project.may_match("*"));
        assert!(project.may_match("project/p?"));
        assert!(!project.may_match("project/p/*"));
        assert!(!project.may_match("project/p/logstore/l"));
        assert!(!project.may_match("project/"));
        assert!(logstore.may_match("project/p/*"));
        assert!(logstore.may_match("project/*/logstore/actiontrail_*"));
        assert!(logstore.may_match("PROJECT/p/LogStore/l"));
        assert!(!logstore.may_match("project/p/dashboard/d"));
        assert!(!logstore.may_match("project/p/logstore/"));
        assert!(dashboard.may_match("project/p/dashboard/d"));
        assert!(dashboard.may_match("project/p/dash*"));
        assert!(!dashboard.may_match("project/p/savedsearch/s"));
        assert!(logging.may_match("project/p/logging"));
        assert!(logging.may_match("project/*"));
        assert!(!logging.may_match("project/p/logging/x"));
        assert!(alert.may_match("project/p/alert/a"));
        assert!(alert.may_match("project/p/alert/"));
        assert!(!alert.may_match("project/p/dashboard/d"));
        let (bucket, object) = (get("oss:bucket"), get("oss:object"));
        assert!(bucket.may_match("my-bucket"));
        assert!(!bucket.may_match("my-bucket/a"));
        assert!(object.may_match("my-bucket/a/b/c.txt"));
        assert!(object.may_match("*"));
        assert!(!object.may_match("my-bucket"));
    }

    #[test]
    fn nested_types_classify_by_their_full_template() {
        let types = types();
        let id = |rel: &str| types.classify("log", rel).map(|m| m.ty.spec.id.clone());
        assert_eq!(id("project/p").as_deref(), Some("log:project"));
        assert_eq!(id("project/p/logstore/l").as_deref(), Some("log:logstore"));
        assert_eq!(id("project/p/dashboard/d").as_deref(), Some("log:dashboard"));
        assert_eq!(id("project/p/logging").as_deref(), Some("log:logging"));
        assert_eq!(id("project/p/*"), None);
        assert_eq!(id("project/p/job/j"), None);
    }
}
