//! Input discovery: paths, folders (walked), glob patterns and `-` for standard input.
//! Reading an input is [`crate::frame`]'s.
//!
//! Folders and glob patterns are walked with `walkdir` (already in the lock file through
//! insta; small, with sorted output, per-entry errors that name the path, pruning, and loop
//! detection should links ever be followed). `ignore` was not taken: it applies `.gitignore`
//! rules, which would silently stop linting ignored policies, and it brings more crates. The
//! `glob` crate's own walk was the bug: it follows links to folders without loop detection
//! and drops unreadable folders silently; only its pattern matching is kept.

use std::path::{Path, PathBuf};

/// Extensions a folder walk picks up.
/// Terraform (`.tf`, `.tf.json`) and YAML files are read for the policies they hold (a YAML
/// file that is not a ROS template, a `.tf` without a policy, is skipped quietly). `.url` files
/// hold request URLs only (one per line), so a walk reads them like the JSON request logs;
/// `.log` and `.txt` files are read when named.
pub const EXTENSIONS: &[&str] =
    &[".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz", ".tf", ".url", ".yaml", ".yml"];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// A path that is not read, and why: a FIFO, a device or a socket (reading one could
    /// block forever or never end), or a folder that cannot be listed. Reading it is an error
    /// that names the reason; the other inputs are still linted.
    Refused(PathBuf, String),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) | Input::Refused(p, _) => p.to_string_lossy().trim_start_matches("./").to_string(),
        }
    }

    /// A path to read: a regular file (or a link to one) is read; anything else is refused
    /// with its kind.
    fn of_path(path: &Path) -> Input {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Input::File(path.to_path_buf()),
            Ok(meta) => Input::Refused(path.to_path_buf(), not_regular(&meta.file_type())),
            Err(e) => Input::Refused(path.to_path_buf(), io_reason(&e)),
        }
    }
}

/// Why a path that is not a regular file is not read.
pub fn not_regular(kind: &std::fs::FileType) -> String {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = if kind.is_dir() { "a folder" } else { "not a regular file" };
    format!("it is {what}; only regular files and `-` are read")
}

/// An I/O error as a reason (`permission denied`), without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "does not exist".to_string(),
        _ => e.to_string(),
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
    #[diagnostic(code(ramlint::input), help("folders are searched for *.json, *.jsonl, *.ndjson, their .gz forms and *.url; hidden folders and target/ are skipped"))]
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

/// Whether a folder walk enters a folder: hidden folders, `target/` and `node_modules/` are
/// skipped.
fn enters(name: &str) -> bool {
    !name.starts_with('.') && name != "target" && name != "node_modules"
}

/// The entries under `dir` (sorted by name, depth first), for a folder walk (`prune`: hidden
/// folders, `target/` and `node_modules/` skipped) or a glob (every folder).
/// Links to folders are not followed (a link to `.` would otherwise make the walk endless,
/// and a link may lead anywhere on the machine); links to files are read like files. A
/// folder that cannot be listed is an input of its own, refused with the reason, and the
/// walk goes on.
fn walk(dir: &Path, prune: bool, depth: Option<usize>, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<Input>) {
    let walker = walkdir::WalkDir::new(dir)
        .max_depth(depth.unwrap_or(usize::MAX))
        .follow_links(false)
        // By name: siblings share their folder's path, so their paths compare as their names
        // do, without finding each name in its path at every comparison.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| {
            !prune || e.depth() == 0 || !e.file_type().is_dir() || enters(&e.file_name().to_string_lossy())
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                let kind = entry.file_type();
                if kind.is_dir() || !keep(entry.path()) {
                    continue;
                }
                if kind.is_file() {
                    // The walk already knows a regular file: no second look at its metadata.
                    out.push(Input::File(entry.path().to_path_buf()));
                    continue;
                }
                if kind.is_symlink() && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()) {
                    continue;
                }
                out.push(Input::of_path(entry.path()));
            }
            Err(e) => {
                let Some(path) = e.path() else { continue };
                let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
                out.push(Input::Refused(path.to_path_buf(), format!("cannot list the folder: {reason}")));
            }
        }
    }
}

/// The folder a glob pattern's walk starts from: its components before the first one with
/// a wildcard (`.` when the first has one).
fn glob_base(pattern: &str) -> PathBuf {
    let mut base = PathBuf::new();
    for part in Path::new(pattern).components() {
        if part.as_os_str().to_string_lossy().contains(['*', '?', '[']) {
            break;
        }
        base.push(part);
    }
    if base.as_os_str().is_empty() {
        base.push(".");
    }
    base
}

/// The files a glob pattern matches, walked as a folder is (links to folders not followed,
/// unreadable folders refused with the reason).
fn expand(arg: &str) -> Result<Vec<Input>, DiscoverError> {
    let pattern = glob::Pattern::new(arg).map_err(|e| DiscoverError::BadPattern(arg.to_string(), e.to_string()))?;
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let base = glob_base(arg);
    // Paths from the walk of `.` start with `./`, which the pattern does not.
    let dotted = base == Path::new(".") && !arg.starts_with("./");
    let matches = |path: &Path| {
        let path = if dotted { path.strip_prefix(".").unwrap_or(path) } else { path };
        pattern.matches_path_with(path, options)
    };
    let mut found = Vec::new();
    if std::fs::metadata(&base).is_ok_and(|m| m.is_dir()) {
        // Without `**`, no match lies deeper than the pattern's components after the base.
        let parts = Path::new(arg).components().count();
        let below = if dotted { parts } else { parts.saturating_sub(base.components().count()) };
        let depth = (!arg.contains("**")).then_some(below);
        walk(&base, false, depth, &matches, &mut found);
    }
    let found: Vec<Input> = found
        .into_iter()
        .map(|i| match (i, dotted) {
            (Input::File(p), true) => Input::File(p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)),
            (Input::Refused(p, r), true) => Input::Refused(p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p), r),
            (i, _) => i,
        })
        .collect();
    Ok(found)
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
            walk(path, true, None, &|p| has_extension(p), &mut found);
            if found.is_empty() {
                return Err(DiscoverError::EmptyDir(arg.clone()));
            }
            inputs.extend(found);
        } else if path.exists() {
            inputs.push(Input::of_path(path));
        } else if arg.contains(['*', '?', '[']) {
            let found = expand(arg)?;
            if found.is_empty() {
                return Err(DiscoverError::NoMatch(arg.clone()));
            }
            inputs.extend(found);
        } else {
            return Err(DiscoverError::NotFound(arg.clone()));
        }
    }
    // One argument gives no repeats (a walk yields each path once): only several are deduplicated.
    if args.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        inputs.retain(|i| seen.insert(i.clone()));
    }
    Ok(inputs)
}
