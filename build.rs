//! Embeds every data file under `rules/` (except the generators' inputs in `rules/curated/`)
//! into the binary, so that adding a product or an action is a data change only: drop the file
//! in, rebuild, and it is known.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // `rules/curated/` holds the hand-curated inputs of the scripts/derive_*.py
            // generators, not data that the binary reads.
            if path.file_name().is_some_and(|n| n == "curated") {
                continue;
            }
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every JSON file under `rules/`, by path relative to it.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let rel = file.strip_prefix(&rules).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let _ = writeln!(code, "    ({rel:?}, include_str!({:?})),", file.to_string_lossy());
        if let Some(parent) = file.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(err) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {err}", out.display());
    }
}
