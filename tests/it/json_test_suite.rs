//! JSONTestSuite (`tests/data/JSONTestSuite/`, see its README): ramlint's JSON parser accepts
//! every `y_` file and rejects every `n_` file; its choices on the `i_` files are snapshotted.
//! A file is read as the framer reads it: bytes that are not UTF-8 are not JSON text.

use crate::common::{root, sorted_entries};

fn accepts(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    ramlint::json::parse(text).map(|_| ()).map_err(|e| e.message)
}

/// (file name, bytes) of the files whose name starts with `prefix`.
fn files(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("tests/data/JSONTestSuite/test_parsing");
    let out: Vec<(String, Vec<u8>)> = sorted_entries(&dir)
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(name, _)| name.starts_with(prefix) && name.ends_with(".json"))
        .map(|(name, p)| (name, std::fs::read(p).unwrap()))
        .collect();
    assert!(!out.is_empty(), "no `{prefix}` files in {}", dir.display());
    out
}

#[test]
fn accepts_every_y_file() {
    let files = files("y_");
    assert_eq!(files.len(), 95);
    let wrong: Vec<String> =
        files.iter().filter_map(|(name, bytes)| accepts(bytes).err().map(|e| format!("{name}: {e}"))).collect();
    assert!(wrong.is_empty(), "rejected valid JSON:\n{}", wrong.join("\n"));
}

#[test]
fn rejects_every_n_file() {
    let files = files("n_");
    assert_eq!(files.len(), 193);
    let wrong: Vec<&str> =
        files.iter().filter(|(_, bytes)| accepts(bytes).is_ok()).map(|(name, _)| name.as_str()).collect();
    assert!(wrong.is_empty(), "accepted invalid JSON: {wrong:?}");
}

/// The documented choices (docs/fuzzing.md): numbers are kept as written, so
/// huge and tiny ones are accepted; a lone surrogate escape, bytes that are not UTF-8 and UTF-16
/// are rejected; a leading UTF-8 byte order mark is skipped; nesting deeper than
/// `json::MAX_DEPTH` is rejected.
#[test]
fn implementation_defined() {
    let table: String = files("i_")
        .iter()
        .map(|(name, bytes)| match accepts(bytes) {
            Ok(()) => format!("{name}: accepted\n"),
            Err(e) => format!("{name}: rejected ({e})\n"),
        })
        .collect();
    insta::assert_snapshot!(table);
}
