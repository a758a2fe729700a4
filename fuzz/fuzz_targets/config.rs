//! The `ramlint.toml` loader: any text loads or gives a `ConfigError`, which renders as
//! `ramlint` prints it; a loaded configuration filters findings.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ramlint::config::Config;
use std::sync::OnceLock;

fn path() -> &'static std::path::Path {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("ramlint-fuzz-{}", std::process::id())).join("ramlint.toml"))
}

fuzz_target!(|data: &[u8]| {
    let path = path();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if std::fs::write(path, data).is_err() {
        return;
    }
    let known: Vec<&'static ramlint::finding::RuleMeta> = ramlint::rules::ALL.iter().map(|r| r.meta()).collect();
    match Config::load(path, &known) {
        Ok(config) => {
            let _ = config.excludes("fixtures/full-admin/invalid-star.json");
            let _ = config.project();
            let mut none = Vec::new();
            config.filter(&mut none, 0);
        }
        Err(e) => {
            let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
            let mut out = String::new();
            let _ = handler.render_report(&mut out, &e);
        }
    }
});
