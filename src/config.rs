//! `ramlint.toml`: project settings, found from the current folder upward (or `--config`).
//! Rule levels, path excludes, extra catalog folders, and suppressions that carry a reason and
//! may expire. Errors in the file are diagnostics with spans into it.

use crate::diagnostic::{Diagnostic, Resolver};
use crate::finding::{Finding, RuleMeta, Severity};
use crate::json::Span;
use crate::model::config::{ConfigView, Expiry, SuppressionUse};
use crate::source::LineIndex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "ramlint.toml";

/// The keys of the file; any other is an error (checked on the parsed table, so that every
/// unknown key is reported, each with a "did you mean").
const KEYS: &[&str] =
    &["catalog", "exclude", "fail-on", "fail-on-skip", "kinds", "regions", "rules", "suppress", "trusted-accounts"];
/// The keys of a `[[suppress]]` entry.
const SUPPRESS_KEYS: &[&str] = &["expires", "path", "pointer", "reason", "resource", "rule"];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Raw {
    fail_on: Option<Spanned<String>>,
    fail_on_skip: Option<bool>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    catalog: Vec<String>,
    #[serde(default)]
    trusted_accounts: Vec<String>,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
    #[serde(default)]
    kinds: Vec<RawKind>,
}

/// `[[kinds]] path = "glob", kind = "oss-bucket-policy"`: the policy language of the files
/// the glob matches, where their content cannot tell it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    path: Spanned<String>,
    kind: Spanned<String>,
}

#[derive(Debug, Deserialize)]
struct RawSuppression {
    rule: Spanned<String>,
    path: Option<Spanned<String>>,
    pointer: Option<String>,
    resource: Option<String>,
    reason: String,
    expires: Option<Spanned<String>>,
}

/// A suppression: findings of `rule` in files matching `path`, at or under `pointer`.
#[derive(Debug)]
pub struct Suppression {
    pub rule: String,
    pub path: Option<glob::Pattern>,
    pub pointer: Option<String>,
    /// A Terraform address (`alicloud_ram_policy.eip`, with or without the attribute) or a ROS
    /// path (`Resources.EipRole`): findings in the policies it holds.
    pub resource: Option<String>,
    pub reason: String,
    /// The last day it applies.
    pub expires: Option<Expiry>,
    /// Where it is written in the TOML file.
    pub span: Span,
}

/// The settings in force.
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    text: String,
    pub fail_on: Option<Severity>,
    /// Whether a skipped input (neither a policy nor a request) fails the run.
    pub fail_on_skip: Option<bool>,
    pub exclude: Vec<glob::Pattern>,
    pub catalog: Vec<PathBuf>,
    pub trusted_accounts: Vec<String>,
    pub regions: Vec<String>,
    /// Rule id -> level (`None`: off).
    pub levels: BTreeMap<String, Option<Severity>>,
    pub suppressions: Vec<Suppression>,
    /// `[[kinds]]`: the policy language of the files each glob matches, in file order.
    pub kinds: Vec<(glob::Pattern, crate::model::language::Language)>,
    /// How many findings each suppression hid (counted from any thread).
    uses: Vec<std::sync::atomic::AtomicUsize>,
    /// Rule id -> its suppressions (indices, in file order): a finding is matched against
    /// the suppressions of its rule only, not against all of them.
    by_rule: std::collections::HashMap<String, Vec<usize>>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(ramlint::config))]
pub struct ConfigError {
    message: String,
    #[source_code]
    src: std::sync::Arc<miette::NamedSource<String>>,
    #[label("{label}")]
    span: Option<miette::SourceSpan>,
    label: &'static str,
    #[help]
    help: Option<String>,
    /// The other errors of the same file, when there are several.
    #[related]
    related: Vec<ConfigError>,
}

impl ConfigError {
    fn at(
        path: &Path,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
        label: &'static str,
        help: Option<String>,
    ) -> Self {
        ConfigError {
            message: message.into(),
            src: std::sync::Arc::new(miette::NamedSource::new(path.display().to_string(), text.to_string())),
            // A span miette cannot underline (far along a long line) is left out: the message
            // and help still say what is wrong.
            span: span
                .map(|r| (r.start, r.end.saturating_sub(r.start)))
                .filter(|&(start, len)| crate::source::underlinable(text, start, len))
                .map(Into::into),
            label,
            help,
            related: Vec::new(),
        }
    }

    /// One error for all the errors of a file: the error itself when there is one.
    fn all(path: &Path, mut errors: Vec<ConfigError>) -> Self {
        if errors.len() == 1 {
            if let Some(e) = errors.pop() {
                return e;
            }
        }
        let mut e =
            ConfigError::at(path, "", None, format!("{} errors in `{}`", errors.len(), path.display()), "", None);
        e.related = errors;
        e
    }

    fn io(path: &Path, e: &std::io::Error) -> Self {
        ConfigError::at(path, "", None, format!("cannot read `{}`: {e}", path.display()), "", None)
    }
}

/// The `ramlint.toml` of the current folder or its nearest parent.
pub fn discover() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn level(value: &str) -> Option<Option<Severity>> {
    match value {
        "off" => Some(None),
        "info" => Some(Some(Severity::Info)),
        "warning" => Some(Some(Severity::Warning)),
        "error" => Some(Some(Severity::Error)),
        _ => None,
    }
}

/// Milliseconds at the end of a `YYYY-MM-DD` day.
fn end_of_day(date: &str) -> Option<i64> {
    (date.len() == 10).then_some(())?;
    crate::time::parse_millis(date).map(|start| start + 86_400_000 - 1)
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path, known_rules: &[&'static RuleMeta]) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, &e))?;
        let syntax = |e: toml::de::Error| {
            ConfigError::at(
                path,
                &text,
                e.span(),
                e.message().to_string(),
                "here",
                Some("see the Configuration section of the README".into()),
            )
        };
        let err = |span: std::ops::Range<usize>, message: String, label: &'static str, help: Option<String>| {
            ConfigError::at(path, &text, Some(span), message, label, help)
        };
        let table = toml::de::DeTable::parse(&text).map_err(syntax)?;
        let mut errors = Vec::new();
        let mut unknown_key = |key: &Spanned<toml::de::DeString<'_>>, keys: &[&str], within: &str| {
            if !keys.contains(&key.get_ref().as_ref()) {
                let help = crate::catalog::suggest::did_you_mean(key.get_ref(), keys.iter().copied())
                    .unwrap_or_else(|| format!("the keys {within} are {}", keys.join(", ")));
                errors.push(err(key.span(), format!("unknown key `{}`", key.get_ref()), "unknown key", Some(help)));
            }
        };
        for (key, value) in table.get_ref().iter() {
            unknown_key(key, KEYS, "of ramlint.toml");
            if key.get_ref() == "suppress" {
                for entry in value.get_ref().as_array().into_iter().flatten() {
                    for (key, _) in entry.get_ref().as_table().into_iter().flatten() {
                        unknown_key(key, SUPPRESS_KEYS, "of a [[suppress]] entry");
                    }
                }
            }
        }
        let raw: Raw = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(syntax(e));
                return Err(ConfigError::all(path, errors));
            }
        };
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let ids: Vec<&str> = known_rules.iter().map(|m| m.id).collect();
        let known = |id: &Spanned<String>| -> Result<(), ConfigError> {
            if ids.contains(&id.get_ref().as_str()) {
                return Ok(());
            }
            let help = crate::catalog::suggest::did_you_mean(id.get_ref(), ids.iter().copied())
                .or_else(|| Some("`ramlint rules` lists the rule ids".into()));
            Err(err(id.span(), format!("`{}` is not a rule", id.get_ref()), "unknown rule", help))
        };
        let fail_on = match &raw.fail_on {
            None => None,
            Some(v) => match v.get_ref().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                other => {
                    errors.push(err(
                        v.span(),
                        format!("`{other}` is not a failure level"),
                        "expected `error` or `warning`",
                        crate::catalog::suggest::did_you_mean(other, ["error", "warning"]),
                    ));
                    None
                }
            },
        };
        let mut levels = BTreeMap::new();
        for (id, value) in &raw.rules {
            if let Err(e) = known(id) {
                errors.push(e);
                continue;
            }
            let Some(l) = level(value.get_ref()) else {
                errors.push(err(
                    value.span(),
                    format!("`{}` is not a rule level", value.get_ref()),
                    "expected `off`, `info`, `warning` or `error`",
                    crate::catalog::suggest::did_you_mean(value.get_ref(), ["off", "info", "warning", "error"]),
                ));
                continue;
            };
            levels.insert(id.get_ref().clone(), l);
        }
        let pattern = |p: &Spanned<String>| {
            glob::Pattern::new(p.get_ref()).map_err(|e| {
                err(p.span(), format!("`{}` is not a valid glob pattern: {e}", p.get_ref()), "bad pattern", None)
            })
        };
        let mut exclude = Vec::new();
        for p in &raw.exclude {
            match pattern(p) {
                Ok(p) => exclude.push(p),
                Err(e) => errors.push(e),
            }
        }
        let mut kinds = Vec::new();
        for k in &raw.kinds {
            use crate::model::language::Language;
            let Some(language) = Language::from_name(k.kind.get_ref()) else {
                let names: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
                errors.push(err(
                    k.kind.span(),
                    format!("`{}` is not a policy language", k.kind.get_ref()),
                    "unknown kind",
                    Some(
                        crate::catalog::suggest::did_you_mean(k.kind.get_ref(), names.iter().copied())
                            .unwrap_or_else(|| format!("expected one of {}", names.join(", "))),
                    ),
                ));
                continue;
            };
            match pattern(&k.path) {
                Ok(p) => kinds.push((p, language)),
                Err(e) => errors.push(e),
            }
        }
        let mut suppressions = Vec::new();
        for s in &raw.suppress {
            let span = s.span();
            let inner = s.get_ref();
            let before = errors.len();
            if let Err(e) = known(&inner.rule) {
                errors.push(e);
            }
            if inner.reason.trim().is_empty() {
                errors.push(err(
                    span.clone(),
                    "a suppression needs a non-empty `reason`".into(),
                    "no reason",
                    Some("say why the finding is accepted, so that reviewers can judge it later".into()),
                ));
            }
            let expires = match &inner.expires {
                None => None,
                Some(date) => match end_of_day(date.get_ref()) {
                    Some(end_ms) => Some(Expiry { date: date.get_ref().clone(), end_ms }),
                    None => {
                        errors.push(err(
                            date.span(),
                            format!("`{}` is not a date", date.get_ref()),
                            "expected `YYYY-MM-DD`",
                            None,
                        ));
                        None
                    }
                },
            };
            let glob = match inner.path.as_ref().map(pattern).transpose() {
                Ok(glob) => glob,
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
            if errors.len() > before {
                continue;
            }
            suppressions.push(Suppression {
                rule: inner.rule.get_ref().clone(),
                path: glob,
                pointer: inner.pointer.clone(),
                resource: inner.resource.clone(),
                reason: inner.reason.clone(),
                expires,
                span: Span::new(span.start, span.end),
            });
        }
        if !errors.is_empty() {
            return Err(ConfigError::all(path, errors));
        }
        Ok(Config {
            fail_on,
            fail_on_skip: raw.fail_on_skip,
            exclude,
            catalog: raw.catalog.iter().map(|c| base.join(c)).collect(),
            trusted_accounts: raw.trusted_accounts,
            regions: raw.regions,
            levels,
            kinds,
            uses: suppressions.iter().map(|_| std::sync::atomic::AtomicUsize::new(0)).collect(),
            by_rule: suppressions.iter().enumerate().fold(std::collections::HashMap::new(), |mut map, (i, s)| {
                map.entry(s.rule.clone()).or_insert_with(Vec::new).push(i);
                map
            }),
            suppressions,
            path: Some(path.to_path_buf()),
            text,
        })
    }

    /// Whether a discovered input is excluded.
    pub fn excludes(&self, name: &str) -> bool {
        let name = name.trim_start_matches("./");
        self.exclude.iter().any(|p| p.matches(name) || p.matches_path(Path::new(name)))
    }

    /// Applies rule levels and suppressions to findings (from any thread), counting what each
    /// suppression hid.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>, now_ms: i64) {
        self.apply_levels(diagnostics);
        diagnostics.retain(|d| {
            let candidates = self.by_rule.get(d.rule).map(Vec::as_slice).unwrap_or_default();
            let hit = candidates
                .iter()
                .copied()
                .find(|&i| self.suppressions.get(i).is_some_and(|s| s.matches(d) && !s.expired(now_ms)));
            if let Some(uses) = hit.and_then(|i| self.uses.get(i)) {
                uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            hit.is_none()
        });
    }

    /// Applies the rule levels only (not the suppressions): for the findings about this file.
    pub fn apply_levels(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| match self.levels.get(d.rule) {
            Some(None) => false,
            Some(Some(level)) => {
                d.severity = *level;
                true
            }
            None => true,
        });
    }

    /// How many findings each suppression hid so far, in the file's order (what
    /// `audit --partial` hands on, so that `merge` can tell the unused ones).
    pub fn suppression_uses(&self) -> Vec<usize> {
        self.uses.iter().map(|n| n.load(std::sync::atomic::Ordering::Relaxed)).collect()
    }

    /// Adds what each suppression hid in another part of the run (`merge`); `false` when
    /// the counts are not of this file's suppressions (another number of them).
    pub fn add_suppression_uses(&self, uses: &[usize]) -> bool {
        if uses.len() != self.uses.len() {
            return false;
        }
        for (mine, n) in self.uses.iter().zip(uses) {
            mine.fetch_add(*n, std::sync::atomic::Ordering::Relaxed);
        }
        true
    }

    /// The suppressions with what they hid so far, for the rules about the configuration.
    pub fn view(&self, now_ms: i64) -> ConfigView<'_> {
        let suppressions = self
            .suppressions
            .iter()
            .enumerate()
            .map(|(index, s)| SuppressionUse {
                index,
                rule: &s.rule,
                reason: &s.reason,
                expires: s.expires.as_ref(),
                uses: self.uses.get(index).map_or(0, |n| n.load(std::sync::atomic::Ordering::Relaxed)),
                span: s.span,
            })
            .collect();
        ConfigView { suppressions, now_ms }
    }

    /// Findings about this file (they point into it) as diagnostics, in order, under the
    /// file's path relative to the current folder.
    pub fn resolve(&self, findings: Vec<Finding>) -> Vec<Diagnostic> {
        let lines = LineIndex::new(&self.text);
        let cwd = std::env::current_dir().unwrap_or_default();
        let file =
            self.path.as_ref().map(|p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string()).unwrap_or_default();
        let resolver = Resolver { file: &file, text: &self.text, lines: Some(&lines), first_line: 0 };
        let mut out: Vec<Diagnostic> = findings.into_iter().map(|f| resolver.resolve(f, None, 0, None)).collect();
        crate::diagnostic::sort(&mut out);
        out
    }

    /// The settings the rules use.
    pub fn project(&self) -> crate::rules::Project {
        crate::rules::Project {
            regions: self.regions.iter().cloned().collect(),
            trusted_accounts: self.trusted_accounts.iter().cloned().collect(),
            now_ms: None,
            kinds: self.kinds.clone(),
        }
    }

    /// The configuration file's text, for rendering findings that point into it.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Suppression {
    fn matches(&self, d: &Diagnostic) -> bool {
        let file = d.file.trim_start_matches("./");
        self.rule == d.rule
            && self.path.as_ref().is_none_or(|p| p.matches(file) || p.matches_path(Path::new(file)))
            && self.pointer.as_ref().is_none_or(|p| d.pointer == *p || d.pointer.starts_with(&format!("{p}/")))
            && self
                .resource
                .as_ref()
                .is_none_or(|r| d.resource.as_ref().is_some_and(|held| held == r || held.starts_with(&format!("{r}."))))
    }

    fn expired(&self, now_ms: i64) -> bool {
        self.expires.as_ref().is_some_and(|e| e.passed(now_ms))
    }
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
