//! The rule documentation: every rule has a page with the required sections, its examples
//! behave as documented, and `docs/rules.md` is the index generated from the registry
//! (`UPDATE_DOCS=1 cargo test --test it docs::` rewrites it).

use crate::common::{is_audit_only, is_config_rule, lint_text, root, run_audit, run_config, TempDir};
use ramlint::lint::Kind;
use ramlint::rules::ALL;
use std::fmt::Write as _;

const SECTIONS: [&str; 4] = ["What it does", "Why it matters", "Incorrect", "Correct"];

fn page(id: &str) -> String {
    let path = root().join("docs/rules").join(format!("{id}.md"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `## ` sections of a page, as (heading, body) in order.
fn sections(markdown: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        match line.strip_prefix("## ") {
            Some(heading) if !in_fence => out.push((heading.trim(), String::new())),
            _ => {
                if let Some((_, body)) = out.last_mut() {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    out
}

/// The fenced blocks of a section body, in order: (info string, content).
fn blocks(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = body.lines();
    while let Some(lang) = lines.by_ref().find_map(|l| l.strip_prefix("```")) {
        let mut content = String::new();
        loop {
            let line = lines.next().unwrap_or_else(|| panic!("unterminated code block"));
            if line.starts_with("```") {
                break;
            }
            content.push_str(line);
            content.push('\n');
        }
        out.push((lang.trim().to_string(), content));
    }
    out
}

/// The first fenced block of a section body: (info string, content).
fn first_block(body: &str) -> Option<(String, String)> {
    blocks(body).into_iter().next()
}

/// A finding of an example: (rule, pointer, message).
type Found = (String, String, String);

/// Lints a documentation example as the file it stands for; the examples of rules that only
/// `ramlint audit` reports go through the audit, with `--policy` when the example gives one.
fn lint_example(id: &str, section: &str, lang: &str, code: &str, policy: Option<&str>) -> Vec<Found> {
    if lang == "toml" && is_config_rule(id) {
        let dir = TempDir::new(id);
        let report = run_config(id, &dir.write("ramlint.toml", code));
        return report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                [&d["rule"], &d["pointer"], &d["message"]].map(|v| v.as_str().unwrap_or_default().to_string()).into()
            })
            .collect();
    }
    let (ext, kind) = match lang {
        "json" => ("json", None),
        "jsonl" => ("jsonl", None),
        "text" => ("txt", Some(Kind::Request)),
        other => panic!("docs/rules/{id}.md, {section}: the example is ```{other}; use ```json, ```jsonl or ```text"),
    };
    let name = format!("{}.{ext}", section.to_lowercase());
    if is_audit_only(id) {
        let dir = TempDir::new(id);
        let policy = policy.map(|text| dir.write("policy.json", text));
        let extra: Vec<&str> = match &policy {
            Some(path) => vec!["--policy", path.to_str().unwrap()],
            None => Vec::new(),
        };
        let report = run_audit(&dir.write(&name, code), &extra);
        let found = report["diagnostics"].as_array().unwrap().iter();
        return found
            .map(|d| {
                [&d["rule"], &d["pointer"], &d["message"]].map(|v| v.as_str().unwrap_or_default().to_string()).into()
            })
            .collect();
    }
    let report = lint_text(&format!("docs/rules/{id}.md#{name}"), code, kind);
    assert!(
        report.skipped.is_none(),
        "docs/rules/{id}.md, {section}: the example was not linted: {:?}",
        report.skipped
    );
    report.diagnostics.iter().map(|d| (d.rule.to_string(), d.pointer.clone(), d.message.clone())).collect()
}

fn example(id: &str, section: &str) -> Vec<Found> {
    let markdown = page(id);
    let sections = sections(&markdown);
    let (_, body) = sections
        .iter()
        .find(|(h, _)| *h == section)
        .unwrap_or_else(|| panic!("docs/rules/{id}.md has no `## {section}`"));
    let mut found = blocks(body).into_iter();
    let (lang, code) = found.next().unwrap_or_else(|| panic!("docs/rules/{id}.md, {section}: no code block"));
    // An audit-only rule's example may give the policy (```json) before the log it replays.
    let (policy, (lang, code)) = match found.next() {
        Some(log) if is_audit_only(id) && lang == "json" => (Some(code), log),
        _ => (None, (lang, code)),
    };
    lint_example(id, section, &lang, &code, policy.as_deref())
}

#[test]
fn every_rule_has_a_page_with_the_required_sections_in_order() {
    for rule in ALL {
        let id = rule.meta().id;
        let markdown = page(id);
        assert_eq!(
            markdown.lines().next(),
            Some(format!("# {id}").as_str()),
            "docs/rules/{id}.md must start with `# {id}`"
        );
        let headings: Vec<&str> = sections(&markdown).into_iter().map(|(h, _)| h).collect();
        let positions: Vec<Option<usize>> = SECTIONS.iter().map(|s| headings.iter().position(|h| h == s)).collect();
        assert!(
            positions.iter().all(Option::is_some),
            "docs/rules/{id}.md lacks some of {SECTIONS:?}; it has {headings:?}"
        );
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "docs/rules/{id}.md: sections must come in the order {SECTIONS:?}; found {headings:?}"
        );
        assert_eq!(rule.meta().docs, markdown, "the embedded docs of `{id}` differ from docs/rules/{id}.md");
    }
}

#[test]
fn incorrect_examples_report_their_rule() {
    let mut problems = Vec::new();
    for rule in ALL {
        let id = rule.meta().id;
        let ids: Vec<String> = example(id, "Incorrect").into_iter().map(|(rule, _, _)| rule).collect();
        if !ids.iter().any(|r| r == id) {
            problems.push(format!("docs/rules/{id}.md: the Incorrect example gives {ids:?}, not `{id}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn correct_examples_are_clean_under_every_rule() {
    let mut problems = Vec::new();
    for rule in ALL {
        let id = rule.meta().id;
        let found = example(id, "Correct");
        if !found.is_empty() {
            problems.push(format!("docs/rules/{id}.md: the Correct example gives {found:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `docs/rules.md`, rendered from the registry.
fn index() -> String {
    let mut out = String::from("# Rules\n\n");
    out.push_str("<!-- Generated from `ramlint::rules::ALL` by tests/it/docs.rs: run `UPDATE_DOCS=1 cargo test --test it docs::` after changing a rule. -->\n\n");
    writeln!(out, "ramlint has {} rules. `ramlint explain <rule>` prints a rule's page.\n", ALL.len()).unwrap();
    out.push_str("| Rule | Severity | Category | Summary |\n|---|---|---|---|\n");
    for rule in ALL {
        let m = rule.meta();
        writeln!(
            out,
            "| [`{id}`](rules/{id}.md) | {} | {} | {} |",
            m.severity,
            m.category.as_str(),
            m.summary.replace('|', "\\|"),
            id = m.id
        )
        .unwrap();
    }
    out.push_str("\n## Which rule wins\n\n");
    out.push_str("One finding per root cause: when two rules report the same JSON Pointer, the more specific one wins and the other's finding is dropped (declared with `wins_over` in `rule_meta!`, applied once after all rules ran). The rest of the precedence (`invalid-arn` over the ARN field rules, the specific rule over `invalid-value-type`, ...) is built into the rules themselves; the contract's section \"Where a finding points, and which rule wins\" lists it all.\n\n");
    out.push_str("| Rule | Wins over, at the same pointer |\n|---|---|\n");
    for rule in ALL.iter().filter(|r| !r.meta().wins_over.is_empty()) {
        let m = rule.meta();
        let over: Vec<String> = m.wins_over.iter().map(|id| format!("`{id}`")).collect();
        writeln!(out, "| `{}` | {} |", m.id, over.join(", ")).unwrap();
    }
    out
}

#[test]
fn precedence_names_registered_rules() {
    for rule in ALL {
        for id in rule.meta().wins_over {
            assert!(ALL.iter().any(|r| r.meta().id == *id), "`{}` wins over unknown rule `{id}`", rule.meta().id);
            assert_ne!(*id, rule.meta().id, "a rule cannot win over itself");
        }
    }
}

#[test]
fn rules_index_is_up_to_date() {
    let path = root().join("docs/rules.md");
    let expected = index();
    if std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "docs/rules.md is out of date with rules::ALL; run `UPDATE_DOCS=1 cargo test --test it docs::`"
    );
}

#[test]
fn markdown_helpers_find_sections_and_blocks() {
    let md = "# x\n\n## Incorrect\n\ntext\n\n```jsonl\n{\"a\": 1}\n## not a heading\n```\n\n## Correct\n";
    let found = sections(md);
    assert_eq!(found.iter().map(|(h, _)| *h).collect::<Vec<_>>(), ["Incorrect", "Correct"]);
    assert_eq!(first_block(&found[0].1), Some(("jsonl".to_string(), "{\"a\": 1}\n## not a heading\n".to_string())));
    assert_eq!(first_block(&found[1].1), None);
    let two = "```json\n{}\n```\n\ntext\n\n```jsonl\n{\"b\": 2}\n```\n";
    assert_eq!(
        blocks(two),
        [("json".to_string(), "{}\n".to_string()), ("jsonl".to_string(), "{\"b\": 2}\n".to_string())]
    );
}
