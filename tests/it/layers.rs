//! The module layers point down: a module may name (`crate::<module>`) only modules of a
//! lower layer, so there are no import cycles between top-level modules and the knowledge
//! base knows nothing of its consumers. The table is the architecture
//! (`docs/architecture.md`); a new top-level module must be placed in it.

use std::path::Path;

/// Top-level modules of `src/`, bottom layer first. Modules on one line form one layer and
/// must not name each other.
const LAYERS: &[&[&str]] = &[
    // Utilities: the strict spanned parser, fixed hashes, timestamps.
    &["json", "hash", "time"],
    // Source texts and positions; finding the inputs; the knowledge base.
    &["source", "discover", "catalog"],
    // What a rule reports (JSON Pointers); reading inputs into records.
    &["finding", "frame"],
    // Typed, spanned views: policies, requests, calls, condition values, configuration.
    &["model"],
    // Findings resolved to positions; the evaluation engine.
    &["diagnostic", "eval"],
    // The rules: one file per rule id.
    &["rules"],
    // Running the rules: request validation, access diffs (over the evaluation engine), the
    // configuration, linting one input.
    &["request", "generate", "diff"],
    &["config"],
    &["lint"],
    // Applying the rules' fixes to a text.
    &["fix"],
    // Rows and renderers of the report; streaming whole logs (it stores report rows).
    &["report"],
    &["audit", "baseline"],
    // The command line.
    &["cli"],
    &["commands"],
    &["lib", "main"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names through `crate::<module>` (in `use` lines and paths).
/// Comment lines are skipped: a doc link may point anywhere.
fn named_modules(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    for (i, _) in code.match_indices("crate::") {
        // `$crate::` in macros names the crate root's items the same way.
        let rest = &code[i + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.push(name);
        }
        if let Some(braced) = rest.strip_prefix('{') {
            let inner: String = braced.chars().take_while(|c| *c != '}').collect();
            for part in inner.split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// The imports of each file (`(path, module, text)`) that name a module of the same or a
/// higher layer, and the modules that are in no layer.
fn violations(files: &[(String, String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, module, text) in files {
        let Some(mine) = layer_of(module) else {
            found.push(format!("{path}: module `{module}` is in no layer of tests/it/layers.rs"));
            continue;
        };
        for named in named_modules(text) {
            if named == *module || named == "rule_meta" {
                continue;
            }
            let Some(theirs) = layer_of(&named) else { continue };
            if theirs >= mine {
                found.push(format!("{path}: `{module}` (layer {mine}) names `crate::{named}` (layer {theirs})"));
            }
        }
    }
    found
}

#[test]
fn modules_import_only_lower_layers() {
    let src = crate::common::root().join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths.sort();
    let files: Vec<(String, String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap().display().to_string();
            (rel, top_module(&src, p), std::fs::read_to_string(p).unwrap())
        })
        .collect();
    assert!(files.len() > 50, "the walk found the sources");
    let found = violations(&files);
    assert!(found.is_empty(), "imports that point up or sideways:\n{}", found.join("\n"));
}

#[test]
fn an_import_that_points_up_is_reported() {
    let file = |module: &str, text: &str| (format!("{module}/x.rs"), module.to_string(), text.to_string());
    let found = violations(&[
        file("catalog", "use crate::json::Node;\n/// [`crate::rules`] in a comment is fine\n"),
        file("catalog", "use crate::{json, eval::call::Plan};"),
        file("rules", "fn f() { crate::lint::run(); }"),
        file("frame", "use crate::finding::Finding;"),
        file("newmodule", "use crate::json;"),
    ]);
    assert_eq!(
        found,
        [
            "catalog/x.rs: `catalog` (layer 1) names `crate::eval` (layer 4)",
            "rules/x.rs: `rules` (layer 5) names `crate::lint` (layer 8)",
            "frame/x.rs: `frame` (layer 2) names `crate::finding` (layer 2)",
            "newmodule/x.rs: module `newmodule` is in no layer of tests/it/layers.rs",
        ]
    );
}
