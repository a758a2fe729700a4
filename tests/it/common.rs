//! Helpers shared by the integration tests: the repository root, linting a text or raw bytes
//! through the library exactly as the CLI does, and reading fixture folders.

#![allow(dead_code, reason = "each test crate uses a different subset of these helpers")]

use ramlint::catalog::Catalog;
use ramlint::lint::{FileReport, Kind, Linter};
use ramlint::source::Source;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The crate root (where `Cargo.toml`, `fixtures/`, `docs/` and `rules/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap()
}

/// The linter of `ramlint check`: embedded catalog, no project settings.
fn linter(kind: Option<Kind>) -> Linter<'static> {
    static PROJECT: std::sync::OnceLock<ramlint::rules::Project> = std::sync::OnceLock::new();
    let project = PROJECT.get_or_init(ramlint::rules::Project::default);
    let validator = ramlint::request::Validator::new(catalog());
    Linter { catalog: catalog(), kind, collect_facts: false, project, replay: None, validator }
}

/// Lints an already decoded text under a display name.
pub fn lint_text(name: &str, text: &str, kind: Option<Kind>) -> FileReport {
    linter(kind).lint(Source { name: name.to_string(), text: Arc::from(text) })
}

/// Lints raw file content the way `ramlint check` does: through the framer (gzip, UTF-8,
/// records), a decoding problem reported as a finding.
pub fn lint_bytes(name: &str, bytes: Vec<u8>, kind: Option<Kind>) -> FileReport {
    let linter = linter(kind);
    let whole = ramlint::frame::whole(Box::new(std::io::Cursor::new(bytes)), name, linter.requests()).unwrap();
    linter.lint_whole(name.to_string(), whole)
}

/// The rule ids a report contains, in report order.
pub fn rule_ids(report: &FileReport) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.rule).collect()
}

/// Extensions of fixture and example inputs (`toml`: configurations, for the rules about
/// `ramlint.toml` itself).
pub const INPUT_EXTENSIONS: &[&str] = &["json", "jsonl", "txt", "gz", "toml"];

/// Rules that report on `ramlint.toml` (its suppressions), not on a document: their fixtures
/// and examples are configurations, run with `ramlint check --config` over the `policy.json` of
/// the rule's fixture folder.
pub const CONFIG_RULES: &[&str] = &["expired-suppression", "unused-suppression"];

pub fn is_config_rule(id: &str) -> bool {
    CONFIG_RULES.contains(&id)
}

/// Runs `ramlint check --format json --config <config> fixtures/<rule>/policy.json.in` (not
/// named `*.json`, so that it is not a fixture of its own).
pub fn run_config(rule: &str, config: &Path) -> serde_json::Value {
    let policy = Path::new("fixtures").join(rule).join("policy.json.in");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(root())
        .args(["check", "--format", "json", "--config"])
        .arg(config)
        .arg(&policy)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "ramlint check --config {}: {}",
        config.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Every input file of `fixtures/<rule>/`, as (rule folder, file path), sorted (an audit-only
/// rule's `policy.json` is not one of them: see [`fixture_policy`]).
pub fn fixture_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in sorted_entries(&root().join("fixtures")) {
        if !dir.is_dir() {
            continue;
        }
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in sorted_entries(&dir) {
            let ext = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            if file.is_file() && INPUT_EXTENSIONS.contains(&ext.as_str()) && !is_fixture_policy(&rule, &file) {
                out.push((rule.clone(), file));
            }
        }
    }
    out
}

pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

/// A path relative to the crate root, with `/` separators (`fixtures/<rule>/<file>`).
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// A fresh folder under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!("ramlint-test-{label}-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes a file (creating its folders) and returns its path.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Rules that only `ramlint audit` reports (they look at a log's sequence of records or at a
/// `--policy`), so their fixtures and examples run through the binary's audit.
pub const AUDIT_ONLY: &[&str] =
    &["client-token-reuse", "concurrent-operation", "denied-by-policy", "operation-while-pending", "unused-permission"];

pub fn is_audit_only(id: &str) -> bool {
    AUDIT_ONLY.contains(&id)
}

/// The policy file of an audit-only rule's fixture folder: every fixture of
/// `fixtures/<rule>/` is audited with `--policy fixtures/<rule>/policy.json` when it exists.
pub const FIXTURE_POLICY: &str = "policy.json";

/// Whether `file` is the policy of its audit-only fixture folder rather than a fixture.
pub fn is_fixture_policy(rule: &str, file: &Path) -> bool {
    is_audit_only(rule) && file.file_name().is_some_and(|n| n == FIXTURE_POLICY)
}

/// `fixtures/<rule>/policy.json` (relative to the crate root) for an audit-only rule whose
/// fixture folder has one.
pub fn fixture_policy(rule: &str) -> Option<PathBuf> {
    let path = Path::new("fixtures").join(rule).join(FIXTURE_POLICY);
    (is_audit_only(rule) && root().join(&path).is_file()).then_some(path)
}

/// Audits a fixture of an audit-only rule, with the folder's policy when it has one.
pub fn run_audit_fixture(rule: &str, file: &Path) -> serde_json::Value {
    let policy = fixture_policy(rule);
    let extra: Vec<&str> = match &policy {
        Some(path) => vec!["--policy", path.to_str().unwrap()],
        None => Vec::new(),
    };
    run_audit(file, &extra)
}

/// Runs `ramlint audit --format json <file> [extra...]` and returns its parsed report.
pub fn run_audit(file: &Path, extra: &[&str]) -> serde_json::Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(root())
        .args(["audit", "--format", "json"])
        .arg(file)
        .args(extra)
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "ramlint audit {} exited with {code:?}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("ramlint audit {} printed no JSON ({e}): {}", file.display(), String::from_utf8_lossy(&output.stdout))
    })
}

/// The rule ids of a JSON report.
pub fn json_rule_ids(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["rule"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// `bytes` as one gzip stream.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The gzip stream of `head` followed by `tail`, cut right after `head`: a sync flush after
/// `head` makes exactly `head` decodable from what is left.
pub fn gzip_cut_after(head: &[u8], tail: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(head).unwrap();
    encoder.flush().unwrap();
    let cut = encoder.get_ref().len();
    encoder.write_all(tail).unwrap();
    let full = encoder.finish().unwrap();
    assert!(cut < full.len() - 8, "the cut must fall before the end of the deflate stream");
    full[..cut].to_vec()
}
