//! Embeds every data file under `rules/` (except the generators' inputs in `rules/curated/`)
//! into the binary, so that adding a product or an action is a data change only: drop the file
//! in, rebuild, and it is known.
//!
//! The API spec files (`rules/apis/<code>/<version>.json`, several hundred product versions)
//! are embedded gzip-compressed in `COMPRESSED` instead, and inflated when a product is first
//! used (`catalog::apis`).

use std::io::Write as _;

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
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let mut code = String::from(
        "/// Every JSON file under `rules/` but the API specs, by path relative to it.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    let mut compressed = String::from(
        "/// The API spec files (`apis/<code>/<version>.json`), gzip-compressed.\npub static COMPRESSED: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let rel = file.strip_prefix(&rules).unwrap_or(file).to_string_lossy().replace('\\', "/");
        if let Some(parent) = file.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
        if rel.starts_with("apis/") && rel.matches('/').count() == 2 {
            let gz = out_dir.join("apis").join(format!("{}.gz", rel.replace('/', "__")));
            match compress(file, &gz) {
                Ok(()) => {
                    let _ = writeln!(compressed, "    ({rel:?}, include_bytes!({:?})),", gz.to_string_lossy());
                    continue;
                }
                Err(err) => println!("cargo:warning=cannot compress {}: {err}", file.display()),
            }
        }
        let _ = writeln!(code, "    ({rel:?}, include_str!({:?})),", file.to_string_lossy());
    }
    code.push_str("];\n");
    compressed.push_str("];\n");
    code.push_str(&compressed);
    let out = out_dir.join("embedded.rs");
    if let Err(err) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {err}", out.display());
    }
}

fn compress(from: &Path, to: &Path) -> std::io::Result<()> {
    let text = std::fs::read(from)?;
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&text)?;
    std::fs::write(to, encoder.finish()?)
}
