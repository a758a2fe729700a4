//! The real-world precision corpus (`tests/corpus/`): policy documents from public
//! repositories, each finding ramlint reports on them labelled true or false with evidence in
//! `tests/corpus/corpus.json`. The test fails on a finding without a label and on an error
//! labelled false, and prints the precision per rule (`cargo test --test it corpus:: --
//! --nocapture`). A label whose finding is no longer reported fails too: the behaviour on a real
//! document changed, so it is relabelled on purpose. `catalog_gap` marks a false finding caused
//! by a catalog that lacks a real code, action or key (printed as such); it is no exemption.
//! The test also fails when fewer than 95 % of the errors and warnings are true (issue 12).
//! A document's source is `owner/repo@<commit>:path`, or the URL of a documentation page.

use crate::common::{lint_text, root};
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    source: String,
    licence: String,
    #[serde(default)]
    findings: Vec<Label>,
}

#[derive(serde::Deserialize)]
struct Label {
    rule: String,
    pointer: String,
    /// `true`: the finding is right; `false`: it is not.
    verdict: bool,
    evidence: String,
    #[serde(default)]
    catalog_gap: bool,
}

fn corpus() -> Vec<Entry> {
    let text = std::fs::read_to_string(root().join("tests/corpus/corpus.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_document_has_a_source_and_licence() {
    let entries = corpus();
    let listed: Vec<&str> = entries.iter().map(|e| e.file.as_str()).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("tests/corpus/documents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk, "corpus.json lists exactly the files under tests/corpus/documents");
    for e in &entries {
        // A repository file (`owner/repo@<40-hex commit>:path`), or a documentation page by URL.
        if let Some(url) = e.source.strip_prefix("https://") {
            assert!(url.contains('/') && !url.contains(char::is_whitespace), "{}: {}", e.file, e.source);
        } else {
            let (repo, rest) =
                e.source.split_once('@').unwrap_or_else(|| panic!("{}: source is repo@commit:path or a URL", e.file));
            let (commit, path) = rest.split_once(':').unwrap();
            let hex = commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit());
            assert!(repo.contains('/') && hex && !path.is_empty(), "{}: {}", e.file, e.source);
        }
        assert!(!e.licence.is_empty(), "{}: no licence", e.file);
        for l in &e.findings {
            assert!(!l.evidence.trim().is_empty(), "{}: {} at {} has no evidence", e.file, l.rule, l.pointer);
        }
    }
}

#[test]
fn every_finding_is_labelled_and_no_error_is_false() {
    let mut problems = Vec::new();
    // rule -> (true, false)
    // (rule, "error/warning" or "info") -> (true, false)
    let mut precision: BTreeMap<(&'static str, &'static str), (usize, usize)> = BTreeMap::new();
    let mut stale = Vec::new();
    for e in corpus() {
        let text = std::fs::read_to_string(root().join("tests/corpus/documents").join(&e.file)).unwrap();
        let report = lint_text(&e.file, &text, None);
        let mut used = vec![false; e.findings.len()];
        for d in &report.diagnostics {
            let found = e.findings.iter().position(|l| l.rule == d.rule && l.pointer == d.pointer);
            match found {
                None => problems.push(format!(
                    "{}: unlabelled {} {} at `{}`: {}",
                    e.file, d.severity, d.rule, d.pointer, d.message
                )),
                Some(i) => {
                    used[i] = true;
                    let label = &e.findings[i];
                    let class = if d.severity == ramlint::finding::Severity::Info { "info" } else { "error/warning" };
                    let counts = precision.entry((d.rule, class)).or_default();
                    if label.verdict {
                        counts.0 += 1;
                    } else {
                        counts.1 += 1;
                        if label.catalog_gap {
                            eprintln!("catalog gap: {}: {} at `{}`", e.file, d.rule, d.pointer);
                        }
                        if d.severity == ramlint::finding::Severity::Error {
                            problems.push(format!(
                                "{}: false error {} at `{}`: {}",
                                e.file, d.rule, d.pointer, label.evidence
                            ));
                        }
                    }
                }
            }
        }
        for (l, used) in e.findings.iter().zip(used) {
            if !used {
                stale.push(format!(
                    "{}: {} at `{}`{}",
                    e.file,
                    l.rule,
                    l.pointer,
                    if l.catalog_gap { " (catalog gap)" } else { "" }
                ));
            }
        }
    }
    let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((rule, class), (t, f)) in &precision {
        eprintln!("precision {rule} ({class}): {t}/{} true", t + f);
        let total = totals.entry(class).or_default();
        total.0 += t;
        total.1 += f;
    }
    for (class, (t, f)) in &totals {
        eprintln!("precision of all {class} findings: {t}/{} true", t + f);
    }
    // Issue 12: on real policies nobody on the team wrote, at least 95 % of the errors and
    // warnings are true (and no error is false, checked above).
    let (t, f) = totals.get("error/warning").copied().unwrap_or_default();
    if t + f > 0 && t * 100 < (t + f) * 95 {
        problems.push(format!("errors and warnings are {t}/{} true, below 95 %", t + f));
    }
    // A label whose finding is gone is a change of behaviour on a real document: relabel it.
    problems.extend(stale.iter().map(|s| format!("label without a finding: {s}")));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(!precision.is_empty(), "the corpus produced no findings at all: the labels check nothing");
}
