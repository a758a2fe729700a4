//! API parameter specifications (`rules/apis/`): loaded per product on first use, with a
//! cheap name index so an API can be found without a product hint.

use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Read as _;
use std::sync::{OnceLock, RwLock};

#[derive(Debug, Deserialize, Default)]
pub struct ProductsFile {
    #[serde(default)]
    pub products: Vec<ProductEntry>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ProductEntry {
    pub product: String,
    pub code: String,
    pub version: String,
    pub file: String,
    #[serde(default)]
    pub service_names: Vec<String>,
    #[serde(default)]
    pub endpoint_prefixes: Vec<String>,
    #[serde(default)]
    pub deprecated: bool,
}

/// A set of parameter names, hashed: request linting asks it about every parameter of
/// every record.
pub type NameSet = std::collections::HashSet<String, foldhash::fast::FixedState>;

#[derive(Debug, Deserialize, Default)]
pub struct CommonParameters {
    #[serde(default)]
    pub rpc: NameSet,
    #[serde(default)]
    pub actiontrail: NameSet,
    #[serde(default)]
    pub region_when_undefined: NameSet,
}

#[derive(Debug, Deserialize, Default)]
pub struct ProductSpec {
    pub product: String,
    pub code: String,
    pub version: String,
    /// How the product's APIs are called (`RPC`, `ROA`, ...); `None`: RPC. Only RPC calls
    /// name every parameter in the request, so only their unknown and missing parameters
    /// are judged.
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub ram_code: Option<String>,
    #[serde(default)]
    pub catalog_date: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    #[serde(default)]
    pub explanations: BTreeMap<String, String>,
    #[serde(default)]
    pub apis: BTreeMap<String, ApiSpec>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ApiSpec {
    #[serde(default)]
    pub access: Option<String>,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub ram_action: Option<String>,
    #[serde(default)]
    pub parameters: BTreeMap<String, ParamSpec>,
    #[serde(default)]
    pub rules: Vec<CrossRule>,
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
}

#[derive(Debug, Deserialize, Default, Clone)]
pub struct ParamSpec {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub separator: Option<String>,
    #[serde(rename = "enum", default)]
    pub values: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub case_insensitive: bool,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub minimum: Option<f64>,
    #[serde(default)]
    pub exclusive_minimum: Option<f64>,
    #[serde(default)]
    pub maximum: Option<f64>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub min_items: Option<u64>,
    #[serde(default)]
    pub max_items: Option<u64>,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub items: Option<Box<ParamSpec>>,
    #[serde(default)]
    pub properties: Option<BTreeMap<String, ParamSpec>>,
}

/// A cross-parameter rule: when the parameters of `if` have one of their values, `then`
/// gives id formats, `absent` parameters that have no effect, `require` parameters needed.
#[derive(Debug, Deserialize, Clone)]
pub struct CrossRule {
    /// What the rule checks (`"rule"` in the data): a misspelt kind fails to load.
    #[serde(rename = "rule")]
    pub kind: CrossRuleKind,
    #[serde(rename = "if")]
    pub when: BTreeMap<String, Vec<serde_json::Value>>,
    #[serde(default)]
    pub then: BTreeMap<String, String>,
    #[serde(default)]
    pub absent: Vec<String>,
    #[serde(default)]
    pub require: Vec<String>,
}

/// The kinds of cross-parameter rules, named after the rule that reports them.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CrossRuleKind {
    /// `then`: the id format each parameter must have.
    InstanceTypeMismatch,
    /// `absent`: parameters the API ignores.
    ParameterNotApplicable,
    /// `require`: parameters the API needs.
    MissingParameter,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ErrorCode {
    pub code: String,
    #[serde(default)]
    pub status: Option<u32>,
    #[serde(default)]
    pub message: Option<String>,
}

/// `rules/apis/index.json`: every spec file's API names, so that an API is found without
/// inflating and parsing every product.
#[derive(Deserialize, Default)]
struct IndexFile {
    #[serde(default)]
    files: HashMap<String, IndexEntry>,
}

#[derive(Deserialize, Default)]
struct IndexEntry {
    #[serde(default)]
    apis: Vec<String>,
    #[serde(default)]
    deprecated: Vec<String>,
}

/// A spec file's text: plain (a `--catalog` overlay) or gzip-compressed (embedded).
#[derive(Clone)]
pub enum SpecText {
    Plain(Cow<'static, str>),
    Compressed(&'static [u8]),
}

impl SpecText {
    fn text(&self) -> Option<Cow<'static, str>> {
        match self {
            SpecText::Plain(text) => Some(text.clone()),
            SpecText::Compressed(bytes) => {
                let mut out = String::new();
                flate2::read::GzDecoder::new(*bytes).read_to_string(&mut out).ok()?;
                Some(Cow::Owned(out))
            }
        }
    }
}

#[derive(Deserialize, Default)]
struct NamesOnly {
    #[serde(default)]
    apis: BTreeMap<String, NameFlags>,
}

#[derive(Deserialize, Default)]
struct NameFlags {
    #[serde(default)]
    deprecated: bool,
}

/// Every product's API specs, parsed lazily.
pub struct Apis {
    pub products: Vec<ProductEntry>,
    pub common: CommonParameters,
    texts: Vec<Option<SpecText>>,
    index: Option<Cow<'static, str>>,
    specs: Vec<OnceLock<Option<ProductSpec>>>,
    names: OnceLock<HashMap<String, Vec<(usize, bool)>>>,
    hint_maps: OnceLock<HintMaps>,
    /// "Did you mean" across every product's API names, by the name asked about (at most
    /// [`SUGGESTIONS_KEPT`]): a log repeats its unknown names, and the catalogue holds 24,000.
    suggestions: RwLock<HashMap<String, Option<String>>>,
    /// Tells this catalogue's answers apart in the per-thread `LOOKUPS` memo.
    id: u64,
}

const SUGGESTIONS_KEPT: usize = 4096;

/// The ids of [`Apis::id`].
static NEXT_APIS_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many answers [`LOOKUPS`] keeps per thread before it starts over: a log repeats a few
/// hundred (API, product, version, host) combinations, and no input can grow it past this.
const LOOKUPS_KEPT: usize = 4096;

thread_local! {
    /// [`Apis::lookup`]'s answers on this thread, by its arguments (each length-prefixed in
    /// one key, built in the reused buffer), for the catalogue with the id kept beside them.
    /// Per thread, so the threads that lint records never share a lock. An unknown version is
    /// not kept (rare, and its answer is a list).
    static LOOKUPS: std::cell::RefCell<(u64, String, Answers)> =
        std::cell::RefCell::new((u64::MAX, String::new(), HashMap::default()));
}

/// The memo of [`Apis::lookup`]: answers by their arguments' key (foldhash: the map is read
/// once per record).
type Answers = HashMap<Box<str>, Answer, foldhash::fast::FixedState>;

/// [`Apis::lookup`]'s answer by product index, before the specs are borrowed for it.
#[derive(Clone)]
enum Answer {
    Found(usize),
    UnknownApi(Option<usize>),
    UnknownProduct,
    UnknownVersion(Vec<usize>),
}

#[derive(Default)]
struct HintMaps {
    names: HashMap<String, Vec<usize>>,
    prefixes: HashMap<String, Vec<usize>>,
}

/// Hints a record gives about its product.
#[derive(Debug, Default, Clone)]
pub struct Hints<'a> {
    pub product: Option<&'a str>,
    pub version: Option<&'a str>,
    pub host: Option<&'a str>,
}

/// What looking up an API found.
pub enum Lookup<'a> {
    /// The product's index in [`Apis::products`] and its spec, which has the API (the caller
    /// finds it in `apis`, or in an index of its own).
    Found(usize, &'a ProductSpec),
    /// The product is known but has no such API (did-you-mean candidates from it).
    UnknownApi(Option<&'a ProductSpec>),
    /// The record names a product the catalog does not hold.
    UnknownProduct,
    /// The record names a version that the product (or, without a product, no product
    /// with an API of that name) has: the (product, version) pairs that exist.
    UnknownVersion(Vec<(&'a str, &'a str)>),
}

impl Apis {
    /// `files`: the plain data files (a `--catalog` overlay's spec files among them, which
    /// win); `compressed`: the embedded spec files.
    pub fn new(
        products: ProductsFile,
        common: CommonParameters,
        files: &BTreeMap<String, Cow<'static, str>>,
        compressed: &BTreeMap<&'static str, &'static [u8]>,
    ) -> Apis {
        let texts = products
            .products
            .iter()
            .map(|p| {
                let path = format!("apis/{}", p.file);
                match files.get(&path) {
                    Some(text) => Some(SpecText::Plain(text.clone())),
                    None => compressed.get(path.as_str()).map(|bytes| SpecText::Compressed(bytes)),
                }
            })
            .collect();
        let specs = products.products.iter().map(|_| OnceLock::new()).collect();
        let index = files.get("apis/index.json").cloned();
        Apis {
            products: products.products,
            common,
            texts,
            index,
            specs,
            names: OnceLock::new(),
            hint_maps: OnceLock::new(),
            suggestions: RwLock::new(HashMap::new()),
            id: NEXT_APIS_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// A product's spec, inflated and parsed on first use.
    pub fn spec(&self, index: usize) -> Option<&ProductSpec> {
        self.specs
            .get(index)?
            .get_or_init(|| serde_json::from_str(&self.texts.get(index)?.as_ref()?.text()?).ok())
            .as_ref()
    }

    fn names(&self) -> &HashMap<String, Vec<(usize, bool)>> {
        self.names.get_or_init(|| {
            let index: IndexFile = self.index.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
            let mut map: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
            for (i, text) in self.texts.iter().enumerate() {
                let listed = match text {
                    Some(SpecText::Compressed(_)) => self.products.get(i).and_then(|p| index.files.get(&p.file)),
                    _ => None,
                };
                if let Some(entry) = listed {
                    for name in &entry.apis {
                        map.entry(name.clone()).or_default().push((i, entry.deprecated.contains(name)));
                    }
                    continue;
                }
                // An overlay's spec (or one the index misses): its names from its text.
                let Some(text) = text.as_ref().and_then(SpecText::text) else { continue };
                let Ok(names) = serde_json::from_str::<NamesOnly>(&text) else { continue };
                for (name, flags) in names.apis {
                    map.entry(name).or_default().push((i, flags.deprecated));
                }
            }
            map
        })
    }

    /// Products by lowercase name (product, code, service names) and by lowercase endpoint
    /// prefix, built on first use: a record's hints are looked up, not scanned for.
    fn hint_maps(&self) -> &HintMaps {
        self.hint_maps.get_or_init(|| {
            let mut maps = HintMaps::default();
            for (i, e) in self.products.iter().enumerate() {
                for name in e.service_names.iter().chain([&e.product, &e.code]) {
                    let list = maps.names.entry(name.to_ascii_lowercase()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
                for prefix in &e.endpoint_prefixes {
                    let list = maps.prefixes.entry(prefix.to_ascii_lowercase()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
            maps
        })
    }

    /// Products a record's hints select: by product name, else (or when the name is not
    /// known) by the endpoint host's first label, whose whole or a part before a `-` is a
    /// product's endpoint prefix (`ecs-cn-hangzhou` -> `ecs`).
    fn hinted(&self, hints: &Hints<'_>) -> Option<Vec<usize>> {
        let maps = self.hint_maps();
        let named = hints.product.map(|p| maps.names.get(&p.to_ascii_lowercase()).cloned().unwrap_or_default());
        match (named, hints.host) {
            (Some(named), Some(host)) if named.is_empty() => Some(self.by_host(host)),
            (Some(named), _) => Some(named),
            (None, Some(host)) => Some(self.by_host(host)),
            (None, None) => None,
        }
    }

    fn by_host(&self, host: &str) -> Vec<usize> {
        let maps = self.hint_maps();
        let label = host.split('.').next().unwrap_or_default().to_ascii_lowercase();
        let mut out: Vec<usize> = label
            .char_indices()
            .filter(|(_, c)| *c == '-')
            .map(|(i, _)| i)
            .chain([label.len()])
            .filter_map(|cut| label.get(..cut).and_then(|head| maps.prefixes.get(head)))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Finds an API by name. A product or host hint narrows the search; a version picks among
    /// the product's versions or, without a product, among the products with the API. A
    /// version that none of them has is [`Lookup::UnknownVersion`]: the call is never judged
    /// against a version it did not name. Without a version, the current (non-deprecated)
    /// definition of the first product listed wins (a product's default version is listed
    /// first).
    pub fn lookup(&self, api: &str, hints: &Hints<'_>) -> Lookup<'_> {
        let answer = LOOKUPS
            .try_with(|cell| {
                let mut memo = cell.try_borrow_mut().ok()?;
                let (id, key, answers) = &mut *memo;
                if *id != self.id {
                    answers.clear();
                    *id = self.id;
                }
                key.clear();
                // Each part is its length as one character, then its text (a part too long for
                // that is not memoised); an absent part is the character 0xFFFF.
                for part in [Some(api), hints.product, hints.version, hints.host] {
                    match part {
                        Some(text) => {
                            key.push(u32::try_from(text.len()).ok().filter(|n| *n < 0xD800).and_then(char::from_u32)?);
                            key.push_str(text);
                        }
                        None => key.push('\u{FFFF}'),
                    }
                }
                if let Some(known) = answers.get(key.as_str()) {
                    return Some(known.clone());
                }
                let answer = self.answer(api, hints);
                if !matches!(answer, Answer::UnknownVersion(_)) {
                    if answers.len() >= LOOKUPS_KEPT {
                        answers.clear();
                    }
                    answers.insert(key.as_str().into(), answer.clone());
                }
                Some(answer)
            })
            .ok()
            .flatten()
            .unwrap_or_else(|| self.answer(api, hints));
        match answer {
            Answer::Found(i) => self.spec(i).map_or(Lookup::UnknownApi(None), |spec| Lookup::Found(i, spec)),
            Answer::UnknownApi(product) => Lookup::UnknownApi(product.and_then(|i| self.spec(i))),
            Answer::UnknownProduct => Lookup::UnknownProduct,
            Answer::UnknownVersion(list) => Lookup::UnknownVersion(self.versions(list.into_iter())),
        }
    }

    /// [`Apis::lookup`] without the memo.
    fn answer(&self, api: &str, hints: &Hints<'_>) -> Answer {
        let mut hinted = self.hinted(hints);
        if let Some(list) = &hinted {
            if list.is_empty() {
                return Answer::UnknownProduct;
            }
        }
        if let (Some(v), Some(list)) = (hints.version, &hinted) {
            let same: Vec<usize> =
                list.iter().copied().filter(|i| self.products.get(*i).is_some_and(|p| p.version == v)).collect();
            if same.is_empty() {
                return Answer::UnknownVersion(list.clone());
            }
            hinted = Some(same);
        }
        // With a product, its specs answer (usually one, inflated once); without, the name
        // index of every product does.
        let mut pool: Vec<(usize, bool)> = match &hinted {
            Some(list) => list.iter().filter_map(|&i| self.spec(i)?.apis.get(api).map(|a| (i, a.deprecated))).collect(),
            None => self.names().get(api).cloned().unwrap_or_default(),
        };
        if let (Some(v), None) = (hints.version, &hinted) {
            let same: Vec<_> =
                pool.iter().copied().filter(|(i, _)| self.products.get(*i).is_some_and(|p| p.version == v)).collect();
            if same.is_empty() && !pool.is_empty() {
                return Answer::UnknownVersion(pool.iter().map(|(i, _)| *i).collect());
            }
            pool = same;
        }
        pool.sort_by_key(|(i, deprecated)| (*deprecated, *i));
        if let Some((i, _)) = pool.first() {
            if self.spec(*i).is_some_and(|spec| spec.apis.contains_key(api)) {
                return Answer::Found(*i);
            }
        }
        Answer::UnknownApi(hinted.and_then(|h| h.first().copied()).filter(|i| self.spec(*i).is_some()))
    }

    /// The distinct (product, version) pairs of some products, sorted.
    fn versions(&self, indices: impl Iterator<Item = usize>) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> =
            indices.filter_map(|i| self.products.get(i)).map(|p| (p.product.as_str(), p.version.as_str())).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The closest API name of any product ("did you mean"), remembered per name.
    pub fn did_you_mean_any(&self, name: &str) -> Option<String> {
        if let Some(known) = self.suggestions.read().ok().and_then(|m| m.get(name).cloned()) {
            return known;
        }
        let found = super::suggest::did_you_mean(name, self.all_names());
        if let Ok(mut map) = self.suggestions.write() {
            if map.len() < SUGGESTIONS_KEPT {
                map.insert(name.to_string(), found.clone());
            }
        }
        found
    }

    /// Every API name (for did-you-mean without a product).
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.names().keys().map(String::as_str)
    }
}
