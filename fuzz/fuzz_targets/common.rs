//! Shared by the targets: the linter of `ramlint check` and the text and JSON renderers.

#![allow(dead_code, reason = "each target uses a subset")]

use ramlint::catalog::Catalog;
use ramlint::lint::{FileReport, Kind, Linter};
use ramlint::report::{Format, Item, Renderer, Summary};
use std::sync::OnceLock;

pub fn catalog() -> &'static Catalog {
    match Catalog::embedded() {
        Ok(c) => c,
        Err(e) => panic!("the embedded catalog does not load: {e}"),
    }
}

fn project() -> &'static ramlint::rules::Project {
    static PROJECT: OnceLock<ramlint::rules::Project> = OnceLock::new();
    PROJECT.get_or_init(ramlint::rules::Project::default)
}

/// The linter of `ramlint check` (embedded catalog, no configuration), `kind` as `--kind`.
pub fn linter(kind: Option<Kind>) -> Linter<'static> {
    let validator = ramlint::request::Validator::new(catalog());
    Linter { catalog: catalog(), kind, collect_facts: false, project: project(), replay: None, validator }
}

/// Lints raw file content as `ramlint check` does (through the framer).
pub fn lint_bytes(name: &str, bytes: &[u8], kind: Option<Kind>) -> Option<FileReport> {
    let linter = linter(kind);
    let whole = ramlint::frame::whole(Box::new(std::io::Cursor::new(bytes.to_vec())), name, linter.requests()).ok()?;
    let report = linter.lint_whole(name.to_string(), whole);
    let t = &report.tally;
    assert_eq!(t.records, t.linted + t.skipped + t.unreadable, "every record is counted once: {t:?}");
    for d in &report.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= report.source.text.len(),
            "span {:?} out of the text",
            d.span
        );
    }
    Some(report)
}

/// Renders a report in `format` into memory; the writes cannot fail.
pub fn render(report: &FileReport, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    let summary = Summary::of(std::slice::from_ref(report));
    let mut renderer = Renderer::new(format, false);
    let ok = renderer.begin(&mut out, &summary, &[], None).is_ok()
        && report.diagnostics.iter().all(|d| renderer.finding(&mut out, Item::Located(d, &report.source.text)).is_ok())
        && renderer.end(&mut out, &summary).is_ok();
    assert!(ok, "writing to memory failed");
    out
}
