//! Input discovery: paths, folders (walked), glob patterns and `-` for standard input.
//! Reading an input is [`crate::frame`]'s.

use std::path::{Path, PathBuf};

/// Extensions a folder walk picks up.
pub const EXTENSIONS: &[&str] = &[".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz"];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.to_string_lossy().trim_start_matches("./").to_string(),
        }
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DiscoverError {
    #[error("`{0}` does not exist")]
    #[diagnostic(code(ramlint::input))]
    NotFound(String),
    #[error("no file matches `{0}`")]
    #[diagnostic(code(ramlint::input))]
    NoMatch(String),
    #[error("`{0}` is not a valid glob pattern: {1}")]
    #[diagnostic(code(ramlint::input))]
    BadPattern(String, String),
    #[error("the folder `{0}` holds no file to lint")]
    #[diagnostic(code(ramlint::input), help("folders are searched for *.json, *.jsonl, *.ndjson and their .gz forms; hidden folders and target/ are skipped"))]
    EmptyDir(String),
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot read `{name}`: {message}")]
#[diagnostic(code(ramlint::io))]
pub struct ReadError {
    pub name: String,
    pub message: String,
}

fn has_extension(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    EXTENSIONS.iter().any(|e| name.ends_with(e))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, out)?;
            }
        } else if has_extension(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Expands the command-line arguments into inputs, in a stable order without repeats.
pub fn discover(args: &[String]) -> Result<Vec<Input>, DiscoverError> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|_| DiscoverError::NotFound(arg.clone()))?;
            if found.is_empty() {
                return Err(DiscoverError::EmptyDir(arg.clone()));
            }
            inputs.extend(found.into_iter().map(Input::File));
        } else if path.exists() {
            inputs.push(Input::File(path.to_path_buf()));
        } else if arg.contains(['*', '?', '[']) {
            let paths = glob::glob(arg).map_err(|e| DiscoverError::BadPattern(arg.clone(), e.to_string()))?;
            let mut found: Vec<PathBuf> = paths.flatten().filter(|p| p.is_file()).collect();
            found.sort();
            if found.is_empty() {
                return Err(DiscoverError::NoMatch(arg.clone()));
            }
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            return Err(DiscoverError::NotFound(arg.clone()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| seen.insert(i.clone()));
    Ok(inputs)
}
