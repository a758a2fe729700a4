//! The knowledge base: the data under `rules/`, embedded in the binary, optionally overlaid
//! by `--catalog` folders, indexed once and parsed lazily where it is large.

pub mod apis;
pub mod data;
pub mod formats;
pub mod resources;
pub mod suggest;
pub mod wildcard;

use data::*;
pub use data::{
    Action, Alias, ConditionKey, Escalation, FormatSpec, Operator, PendingOperation, ResourceType, SequenceResource,
    Service, UnmappedProduct,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Errors reading rules data (embedded, or a `--catalog` folder).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CatalogError {
    #[error("cannot read catalog folder `{path}`")]
    #[diagnostic(code(ramlint::catalog))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("rules data `{file}` is invalid: {message}")]
    #[diagnostic(code(ramlint::catalog), help("see rules/README.md for the format of each file"))]
    Parse { file: String, message: String },
}

/// Where an action list comes from, which decides how sure a verdict on it is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// `ramActions`, a RAM authorization table, or a list verified against the product's RAM
    /// documentation: an action not in it does not exist.
    #[default]
    Authoritative,
    /// The product's API names under its RAM code: the usual rule, with documented exceptions.
    Derived,
    /// Some actions only; unknown actions are not judged.
    Partial,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Authoritative => "authoritative",
            Provenance::Derived => "derived",
            Provenance::Partial => "partial",
        }
    }
}

/// The actions of one RAM code.
#[derive(Debug, Default)]
pub struct ServiceActions {
    pub code: String,
    /// Complete enough to judge an unknown action (authoritative or derived).
    pub catalogued: bool,
    pub provenance: Provenance,
    pub catalog_date: Option<String>,
    pub actions: Vec<Action>,
    by_lower: HashMap<String, usize, foldhash::fast::FixedState>,
}

impl ServiceActions {
    /// The action named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Action> {
        with_lowercase(name, |lower| self.by_lower.get(lower).copied()).and_then(|i| self.actions.get(i))
    }

    /// Actions whose name matches a wildcard pattern (case-insensitive).
    pub fn matching<'a, 'p>(&'a self, pattern: &'p str) -> impl Iterator<Item = &'a Action> + use<'a, 'p> {
        self.actions.iter().filter(move |a| wildcard::matches(pattern, &a.name, true))
    }
}

/// The indexed knowledge base.
pub struct Catalog {
    files: BTreeMap<String, Cow<'static, str>>,
    pub regions: std::sync::Arc<BTreeSet<String>>,
    services: BTreeMap<String, Service>,
    unmapped: Vec<UnmappedProduct>,
    aliases: BTreeMap<String, Alias>,
    groups: Vec<Vec<String>>,
    /// The groups of each code of `groups` (ASCII lower case), as bits of group indices, when
    /// there are at most 64 groups: [`Catalog::same_product`] is asked per action and ARN.
    group_bits: Option<HashMap<String, u64, foldhash::fast::FixedState>>,
    operators: BTreeMap<String, String>,
    qualifiers: Vec<String>,
    keys: HashMap<String, ConditionKey, foldhash::fast::FixedState>,
    key_prefixes: Vec<ConditionKey>,
    key_names: Vec<String>,
    pub resource_types: resources::ResourceTypes,
    pub formats: std::sync::Arc<formats::Formats>,
    pub escalation: Vec<Escalation>,
    pub apis: apis::Apis,
    pub sequences: Vec<SequenceResource>,
    /// How recorded calls map to authorization requests (`rules/authorization.json`).
    pub authorization: data::AuthorizationFile,
    /// By RAM code; hashed, as every action string looks its code up.
    actions: HashMap<String, OnceLock<Option<ServiceActions>>, foldhash::fast::FixedState>,
    /// The keys of `services` and `actions`, for [`Catalog::is_service`].
    codes: std::collections::HashSet<String, foldhash::fast::FixedState>,
    /// This catalog among those of the process, for the per-thread cache of resolved action
    /// patterns (see [`Catalog::resolve`]).
    id: u64,
    /// "Did you mean" answers already computed, by (candidate set, input).
    suggestions: std::sync::RwLock<HashMap<(String, String), Option<String>>>,
    /// Shared copies of strings that audits keep many times (API names, resource ids).
    interned: std::sync::RwLock<std::collections::HashSet<std::sync::Arc<str>>>,
}

/// A resolution kept by index, so it can be cached without borrowing.
enum ResolvedIndex {
    Any,
    Undocumented(String),
    Actions(String, Vec<usize>, Matched),
}

/// What the actions an action string names have in common, computed once per pattern (see
/// [`Catalog::summary`]).
#[derive(Debug, Default)]
pub struct Matched {
    /// Whether some action documents a resource type other than `*`.
    pub documented: bool,
    /// The services (lower case, each once) of the resource types the actions document
    /// (`vpc` of `vpc:eip`).
    pub resource_services: Vec<String>,
    /// The resource types the actions document (sorted, each once); `None` when one of them
    /// documents none, or none matched.
    pub types: Option<Vec<String>>,
    /// How many actions matched.
    pub count: usize,
    /// Whether some matched action is deprecated.
    pub deprecated: bool,
    /// Whether some action matched and every one is a read action (access `get` or `list`).
    pub read_only: bool,
}

impl Matched {
    fn of<'a>(actions: impl Iterator<Item = &'a Action>) -> Matched {
        let mut matched = Matched::default();
        let mut all: Option<Vec<String>> = Some(Vec::new());
        let mut any = false;
        let mut read_only = true;
        for action in actions {
            any = true;
            matched.count += 1;
            matched.deprecated |= action.deprecated;
            read_only &= matches!(action.access.as_deref(), Some("get" | "list"));
            match (&action.resources, all.as_mut()) {
                (Some(documented), Some(all)) => all.extend(documented.iter().cloned()),
                _ => all = None,
            }
            let Some(types) = &action.resources else { continue };
            matched.documented |= !types.iter().all(|t| t == "*");
            for t in types {
                let Some((service, _)) = t.split_once(':') else { continue };
                if !matched.resource_services.iter().any(|s| s.eq_ignore_ascii_case(service)) {
                    matched.resource_services.push(service.to_ascii_lowercase());
                }
            }
        }
        if let Some(all) = all.as_mut() {
            all.sort_unstable();
            all.dedup();
        }
        matched.types = all.filter(|_| any);
        matched.read_only = any && read_only;
        matched
    }
}

/// What an action string names, without the list of its actions (see [`Catalog::summary`]).
pub enum Summary<'r> {
    Any,
    Undocumented(&'r str),
    Actions(&'r str, &'r Matched),
}

/// The cached resolution of one action string (see [`Catalog::summarized`]).
#[derive(Clone)]
pub struct Summarized(std::rc::Rc<ResolvedIndex>);

impl Summarized {
    /// The actions it names, when it names some catalogued action (as [`Catalog::resolve`]
    /// giving a non-empty list), without listing them.
    pub fn matched(&self) -> Option<&Matched> {
        match &*self.0 {
            ResolvedIndex::Actions(_, indices, matched) if !indices.is_empty() => Some(matched),
            _ => None,
        }
    }

    pub fn get(&self) -> Summary<'_> {
        match &*self.0 {
            ResolvedIndex::Any => Summary::Any,
            ResolvedIndex::Undocumented(code) => Summary::Undocumented(code),
            ResolvedIndex::Actions(code, _, matched) => Summary::Actions(code, matched),
        }
    }
}

fn parse<T: serde::de::DeserializeOwned + Default>(
    files: &BTreeMap<String, Cow<'static, str>>,
    name: &str,
) -> Result<T, CatalogError> {
    match files.get(name) {
        Some(text) => serde_json::from_str(text)
            .map_err(|e| CatalogError::Parse { file: format!("rules/{name}"), message: e.to_string() }),
        None => Ok(T::default()),
    }
}

impl Catalog {
    /// The embedded data alone, loaded once per process.
    pub fn embedded() -> Result<&'static Catalog, &'static CatalogError> {
        static CATALOG: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::load(&[])).as_ref()
    }

    /// The embedded data overlaid by the JSON files of `extra` folders (same relative paths
    /// replace embedded files; new paths add to them).
    pub fn load(extra: &[PathBuf]) -> Result<Catalog, CatalogError> {
        let mut files: BTreeMap<String, Cow<'static, str>> =
            embedded::FILES.iter().map(|(p, t)| ((*p).to_string(), Cow::Borrowed(*t))).collect();
        for dir in extra {
            overlay(dir, dir, &mut files)?;
        }
        Catalog::from_files(files)
    }

    fn from_files(files: BTreeMap<String, Cow<'static, str>>) -> Result<Catalog, CatalogError> {
        let regions: RegionsFile = parse(&files, "regions.json")?;
        let services: ServicesFile = parse(&files, "services.json")?;
        let keys_file: ConditionKeysFile = parse(&files, "condition-keys.json")?;
        let types: ResourceTypesFile = parse(&files, "resource-types.json")?;
        let formats_file: FormatsFile = parse(&files, "formats.json")?;
        let escalation: EscalationFile = parse(&files, "escalation.json")?;
        let sequences: SequencesFile = parse(&files, "sequences.json")?;
        let authorization: data::AuthorizationFile = parse(&files, "authorization.json")?;
        let mut keys = HashMap::with_hasher(foldhash::fast::FixedState::default());
        let mut key_prefixes = Vec::new();
        let mut key_names = Vec::new();
        for key in keys_file.keys {
            key_names.push(key.key.clone());
            if key.match_kind.as_deref() == Some("prefix") {
                key_prefixes.push(key);
            } else {
                keys.insert(key.key.to_lowercase(), key);
            }
        }
        let actions = files
            .keys()
            .filter_map(|p| p.strip_prefix("actions/")?.split_once(".json").map(|(code, _)| code))
            .map(|code| (code.to_string(), OnceLock::new()))
            .collect();
        let actions: HashMap<String, OnceLock<Option<ServiceActions>>, foldhash::fast::FixedState> = actions;
        let codes = services.services.iter().map(|s| s.code.clone()).chain(actions.keys().cloned()).collect();
        let products: apis::ProductsFile = parse(&files, "apis/products.json")?;
        let common: apis::CommonParameters = parse(&files, "apis/common-parameters.json")?;
        let compressed = embedded::COMPRESSED.iter().copied().collect();
        let api_specs = apis::Apis::new(products, common, &files, &compressed);
        let formats = formats::Formats::new(formats_file.formats)
            .map_err(|message| CatalogError::Parse { file: "rules/formats.json".into(), message })?;
        Ok(Catalog {
            regions: std::sync::Arc::new(regions.regions.into_iter().map(|r| r.id).collect()),
            services: services.services.into_iter().map(|s| (s.code.clone(), s)).collect(),
            unmapped: services.unmapped_products,
            aliases: services.aliases.into_iter().map(|a| (a.code.clone(), a)).collect(),
            group_bits: group_bits(&services.groups),
            groups: services.groups,
            operators: keys_file.operators.into_iter().map(|o| (o.name, o.category)).collect(),
            qualifiers: keys_file.qualifiers,
            keys,
            key_prefixes,
            key_names,
            resource_types: resources::ResourceTypes::new(types.types),
            formats: std::sync::Arc::new(formats),
            escalation: escalation.actions,
            apis: api_specs,
            sequences: sequences.resources,
            authorization,
            codes,
            actions,
            id: NEXT_CATALOG_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            suggestions: std::sync::RwLock::new(HashMap::new()),
            interned: std::sync::RwLock::new(std::collections::HashSet::new()),
            files,
        })
    }

    /// The raw text of a data file, by its path under `rules/`.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(|c| c.as_ref())
    }

    /// Paths of all data files (the compressed API specs among them, which [`Catalog::file`]
    /// does not return: they are read through `apis`).
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        let names: std::collections::BTreeSet<&str> =
            self.files.keys().map(String::as_str).chain(embedded::COMPRESSED.iter().map(|(p, _)| *p)).collect();
        names.into_iter()
    }

    pub fn is_region(&self, id: &str) -> bool {
        self.regions.contains(id)
    }

    /// Whether a RAM code is used by some service (case-insensitive).
    pub fn is_service(&self, code: &str) -> bool {
        self.codes.contains(code) || with_lowercase(code, |lower| self.codes.contains(lower))
    }

    /// What the catalog knows of a RAM code: its product and the evidence for it.
    pub fn service_info(&self, code: &str) -> Option<&Service> {
        self.services.get(code).or_else(|| self.services.get(&code.to_lowercase()))
    }

    /// The products whose RAM code the sources do not name.
    pub fn unmapped_products(&self) -> &[UnmappedProduct] {
        &self.unmapped
    }

    pub fn service_codes(&self) -> impl Iterator<Item = &str> {
        self.services.keys().map(String::as_str)
    }

    pub fn alias(&self, code: &str) -> Option<&Alias> {
        self.aliases.get(&code.to_lowercase())
    }

    /// Whether two RAM codes belong to the same product (equal, or published together).
    pub fn same_product(&self, a: &str, b: &str) -> bool {
        if a.eq_ignore_ascii_case(b) {
            return true;
        }
        if let Some(bits) = &self.group_bits {
            let of = |code: &str| with_ascii_lowercase(code, |lower| bits.get(lower).copied().unwrap_or(0));
            return of(a) & of(b) != 0;
        }
        self.groups
            .iter()
            .any(|g| g.iter().any(|c| c.eq_ignore_ascii_case(a)) && g.iter().any(|c| c.eq_ignore_ascii_case(b)))
    }

    /// The actions of a RAM code, parsed on first use.
    pub fn service(&self, code: &str) -> Option<&ServiceActions> {
        let (key, cell) = with_lowercase(code, |code| self.actions.get_key_value(code))?;
        cell.get_or_init(|| {
            // The embedded list, then the `--catalog` additions (`actions/<code>.json+N`):
            // an added action replaces the one of the same name.
            let path = format!("actions/{key}.json");
            let mut merged: Option<ActionsFile> = None;
            for (_, text) in self.files.range(path.clone()..).take_while(|(p, _)| p.starts_with(&path)) {
                let file: ActionsFile = serde_json::from_str(text).ok()?;
                match merged.as_mut() {
                    None => merged = Some(file),
                    Some(base) => {
                        for action in file.actions {
                            base.actions.retain(|a| !a.name.eq_ignore_ascii_case(&action.name));
                            base.actions.push(action);
                        }
                    }
                }
            }
            let file = merged?;
            let by_lower = file.actions.iter().enumerate().map(|(i, a)| (a.name.to_lowercase(), i)).collect();
            let provenance = match file.list.as_deref() {
                Some("derived") => Provenance::Derived,
                Some("partial") => Provenance::Partial,
                Some(_) => Provenance::Authoritative,
                None if file.catalogued => Provenance::Authoritative,
                None => Provenance::Partial,
            };
            Some(ServiceActions {
                code: key.clone(),
                catalogued: file.catalogued && provenance != Provenance::Partial,
                provenance,
                catalog_date: file.catalog_date,
                actions: file.actions,
                by_lower,
            })
        })
        .as_ref()
    }

    /// RAM codes with an action list.
    pub fn action_services(&self) -> impl Iterator<Item = &str> {
        let mut codes: Vec<&str> = self.actions.keys().map(String::as_str).collect();
        codes.sort_unstable();
        codes.into_iter()
    }

    /// The category (`string`, `numeric`, `date`, `boolean`, `ip`) of an operator, with any
    /// `ForAllValues:`/`ForAnyValue:` qualifier removed.
    pub fn operator_category(&self, operator: &str) -> Option<&str> {
        let base = self.strip_qualifier(operator);
        self.operators.get(base).map(String::as_str)
    }

    pub fn strip_qualifier<'o>(&self, operator: &'o str) -> &'o str {
        self.qualifiers.iter().find_map(|q| operator.strip_prefix(q.as_str())).unwrap_or(operator)
    }

    pub fn operator_names(&self) -> impl Iterator<Item = &str> {
        self.operators.keys().map(String::as_str)
    }

    /// A documented condition key (exact, case-insensitive, or by prefix such as
    /// `acs:RequestTag/`).
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKey> {
        with_lowercase(key, |lower| self.keys.get(lower)).or_else(|| {
            let lower = key.to_lowercase();
            self.key_prefixes.iter().find(|k| lower.starts_with(&k.key.to_lowercase()) && lower.len() > k.key.len())
        })
    }

    pub fn condition_key_names(&self) -> impl Iterator<Item = &str> {
        self.key_names.iter().map(String::as_str)
    }

    /// Whether any documented key belongs to `service` (its keys are then known). The
    /// `<code>:tag/` form, which every service with tag APIs has, says nothing about the
    /// service's other keys and does not count.
    pub fn has_keys_for(&self, service: &str) -> bool {
        let prefix = format!("{}:", service.to_lowercase());
        self.key_names.iter().any(|k| {
            let k = k.to_lowercase();
            k.starts_with(&prefix) && k.get(prefix.len()..) != Some("tag/")
        })
    }
}

fn overlay(root: &Path, dir: &Path, files: &mut BTreeMap<String, Cow<'static, str>>) -> Result<(), CatalogError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CatalogError::Io { path: dir.to_path_buf(), source })?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            overlay(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            let text =
                std::fs::read_to_string(&path).map_err(|source| CatalogError::Io { path: path.clone(), source })?;
            let mut rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            // An action list for a service the catalog already has adds to it (see `service`).
            if rel.starts_with("actions/") && files.contains_key(&rel) {
                let n = files.keys().filter(|k| k.starts_with(&format!("{rel}+"))).count();
                rel = format!("{rel}+{n}");
            }
            files.insert(rel, Cow::Owned(text));
        }
    }
    Ok(())
}

/// What an action string of a policy refers to in the catalog.
pub enum Resolved<'c> {
    /// `*`, or a wildcard RAM code: any action of any service.
    Any,
    /// A service or action the catalog does not document; carries the RAM code.
    Undocumented(String),
    /// The catalogued actions it names (one, or those a wildcard matches).
    Actions(String, Vec<&'c Action>),
}

/// The most entries of each of the catalog's caches (interned strings, suggestions, resolved
/// action patterns): a log of millions of distinct values must not grow them without bound;
/// past the limit, answers are computed again.
const CACHE_LIMIT: usize = 1 << 16;

/// The id of the next catalog made (ids are never reused, so a cache keyed by one never
/// answers for another catalog).
static NEXT_CATALOG_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

thread_local! {
    /// Action patterns already resolved on this thread (lowercase pattern -> result), for the
    /// catalog with the id kept beside them. Per thread, so the threads that lint files in
    /// parallel never wait for each other or share a lock's cache line.
    static RESOLVED: std::cell::RefCell<(u64, ResolvedCache)> =
        std::cell::RefCell::new((u64::MAX, ResolvedCache::default()));
}

/// The per-thread map of resolved action patterns: foldhash, not SipHash (the keys are the
/// policy's own action strings, and the map is looked up several times per action).
type ResolvedCache = HashMap<String, std::rc::Rc<ResolvedIndex>, foldhash::fast::FixedState>;

/// The bits of [`Catalog::same_product`]'s index (`None` past 64 groups).
fn group_bits(groups: &[Vec<String>]) -> Option<HashMap<String, u64, foldhash::fast::FixedState>> {
    if groups.len() > 64 {
        return None;
    }
    let mut bits: HashMap<String, u64, foldhash::fast::FixedState> = HashMap::default();
    for (i, group) in groups.iter().enumerate() {
        for code in group {
            *bits.entry(code.to_ascii_lowercase()).or_default() |= 1u64 << i;
        }
    }
    Some(bits)
}

/// Calls `f` with the ASCII lower-case form of `s` (`str::to_ascii_lowercase`, which
/// `eq_ignore_ascii_case` compares), without allocating for short strings.
fn with_ascii_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if !s.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(s);
    }
    let mut buf = [0u8; 96];
    if let Some(lower) = buf.get_mut(..s.len()) {
        lower.copy_from_slice(s.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    f(&s.to_ascii_lowercase())
}

/// Calls `f` with the lower-case form of `s` (`str::to_lowercase`), without allocating for
/// the short ASCII strings of policies (for ASCII the two lower-case forms are the same).
fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if s.is_ascii() {
        return with_ascii_lowercase(s, f);
    }
    f(&s.to_lowercase())
}

impl Catalog {
    /// One shared copy of `s`.
    pub fn intern(&self, s: &str) -> std::sync::Arc<str> {
        if let Some(hit) = self.interned.read().ok().and_then(|set| set.get(s).cloned()) {
            return hit;
        }
        let arc: std::sync::Arc<str> = std::sync::Arc::from(s);
        if let Ok(mut set) = self.interned.write() {
            if let Some(hit) = set.get(s) {
                return hit.clone();
            }
            if set.len() < CACHE_LIMIT {
                set.insert(arc.clone());
            }
        }
        arc
    }

    /// The closest candidate to `input` (see [`suggest::closest`]), cached per `set` (a name
    /// for the candidate list, such as `actions:vpc`) and input, since logs repeat mistakes.
    pub fn closest<'c, I>(&'c self, set: &str, input: &str, candidates: impl FnOnce() -> I) -> Option<String>
    where
        I: IntoIterator<Item = &'c str>,
    {
        let key = (set.to_string(), input.to_string());
        if let Some(hit) = self.suggestions.read().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let answer = suggest::closest(input, candidates()).map(str::to_string);
        if let Ok(mut map) =
            self.suggestions.write().map_err(drop).and_then(|m| if m.len() < CACHE_LIMIT { Ok(m) } else { Err(()) })
        {
            map.insert(key, answer.clone());
        }
        answer
    }

    /// The certain fix of `input` among candidates (see [`suggest::certain`]), cached per
    /// `set` and input as [`Catalog::closest`] is: policies repeat their typos.
    pub fn certain<'c, I>(&'c self, set: &str, input: &str, candidates: impl FnOnce() -> I) -> Option<String>
    where
        I: IntoIterator<Item = &'c str>,
    {
        let key = (format!("certain:{set}"), input.to_string());
        if let Some(hit) = self.suggestions.read().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let answer = suggest::certain(input, candidates()).map(str::to_string);
        if let Ok(mut map) =
            self.suggestions.write().map_err(drop).and_then(|m| if m.len() < CACHE_LIMIT { Ok(m) } else { Err(()) })
        {
            map.insert(key, answer.clone());
        }
        answer
    }

    /// What an action string names in the catalog (cached per pattern).
    pub fn resolve(&self, action: &str) -> Resolved<'_> {
        let index = self.resolved_index(action);
        match &*index {
            ResolvedIndex::Any => Resolved::Any,
            ResolvedIndex::Undocumented(code) => Resolved::Undocumented(code.clone()),
            ResolvedIndex::Actions(code, indices, _) => {
                let list = self
                    .service(code)
                    .map(|s| indices.iter().filter_map(|&i| s.actions.get(i)).collect())
                    .unwrap_or_default();
                Resolved::Actions(code.clone(), list)
            }
        }
    }

    /// [`Catalog::resolve`] for a question about the whole match (its code, whether its
    /// resources are documented, their services), answered from the cache without listing
    /// the matched actions: `f` gets the summary.
    pub fn summary<R>(&self, action: &str, f: impl FnOnce(Summary<'_>) -> R) -> R {
        let index = self.resolved_index(action);
        f(match &*index {
            ResolvedIndex::Any => Summary::Any,
            ResolvedIndex::Undocumented(code) => Summary::Undocumented(code),
            ResolvedIndex::Actions(code, _, matched) => Summary::Actions(code, matched),
        })
    }

    /// This catalog among those of the process: a key for per-thread caches of answers that
    /// depend on the catalog.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// [`Catalog::summary`] kept, to be read as often as needed without resolving again.
    pub fn summarized(&self, action: &str) -> Summarized {
        Summarized(self.resolved_index(action))
    }

    /// The cached resolution of an action string (resolved on this thread's first ask).
    fn resolved_index(&self, action: &str) -> std::rc::Rc<ResolvedIndex> {
        let cached = with_lowercase(action, |key| {
            RESOLVED.with(|cell| {
                let cache = cell.try_borrow().ok()?;
                if cache.0 != self.id {
                    return None;
                }
                cache.1.get(key).cloned()
            })
        });
        let index = match cached {
            Some(index) => index,
            None => {
                let index = std::rc::Rc::new(self.resolve_uncached(action));
                RESOLVED.with(|cell| {
                    if let Ok(mut cache) = cell.try_borrow_mut() {
                        if cache.0 != self.id {
                            *cache = (self.id, ResolvedCache::default());
                        }
                        if cache.1.len() < CACHE_LIMIT {
                            cache.1.insert(action.to_lowercase(), index.clone());
                        }
                    }
                });
                index
            }
        };
        index
    }

    fn resolve_uncached(&self, action: &str) -> ResolvedIndex {
        let Some((code, name)) = action.split_once(':') else {
            return if action == "*" { ResolvedIndex::Any } else { ResolvedIndex::Undocumented(String::new()) };
        };
        if wildcard::has_wildcard(code) {
            return ResolvedIndex::Any;
        }
        let code_lower = code.to_lowercase();
        let Some(service) = self.service(code) else { return ResolvedIndex::Undocumented(code_lower) };
        let indices: Vec<usize> = if wildcard::has_wildcard(name) {
            service
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| wildcard::matches(name, &a.name, true))
                .map(|(i, _)| i)
                .collect()
        } else {
            service.by_lower.get(&name.to_lowercase()).copied().into_iter().collect()
        };
        // Nothing matched: a verdict only for an authoritative list (a derived one lacks the
        // actions that are not API names).
        if indices.is_empty() && service.provenance != Provenance::Authoritative {
            return ResolvedIndex::Undocumented(code_lower);
        }
        let matched = Matched::of(indices.iter().filter_map(|&i| service.actions.get(i)));
        ResolvedIndex::Actions(code_lower, indices, matched)
    }
}
