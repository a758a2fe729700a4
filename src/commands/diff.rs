//! `ramlint diff OLD NEW` and `ramlint diff --base REV [PATH...]`: the access a policy change
//! adds and removes (`docs/diff.md`). Each document becomes a [`Pair`]; with `--base`, the old
//! texts come from `git show REV:PATH`.

use super::{AppError, Outcome, Session};
use crate::cli::DiffArgs;
use crate::diff::{DocId, Embedding, Pair};
use crate::discover::Input;
use crate::eval::PolicyError;
use crate::frame::embed;
use crate::report::{diff as render, Format};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The text of a policy file, through the framer as every input (gzip recognised, only
/// regular files or `-`).
fn read(path: &Path) -> Result<String, AppError> {
    let name = path.display().to_string();
    let input = if name == "-" { Input::Stdin } else { Input::File(path.to_path_buf()) };
    let cannot = |message: String| AppError::Policy(PolicyError::Read { file: name.clone(), message });
    let whole = crate::frame::read(&input, false).map_err(|e| cannot(e.message))?;
    if let Some(problem) = whole.problem.or_else(|| whole.bad.first().map(crate::frame::BadByte::problem)) {
        return Err(cannot(problem.to_string()));
    }
    Ok(whole.text)
}

fn usage(message: String, help: &str) -> AppError {
    AppError::Usage { message, help: help.to_string() }
}

/// Runs git with `args`: its standard output, or why it failed.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git").args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// Whether a text is a policy document (by the same detection as `check`).
fn is_policy(text: &str) -> bool {
    crate::json::parse(text).is_ok_and(|root| crate::lint::detect(&root) == Some(crate::lint::Kind::Policy))
}

/// The host of embedded policies a file is (Terraform by its name, a ROS template or a plan
/// by its content, as `check` finds them), from either side's text.
fn host_of(name: &str, texts: &[Option<&str>]) -> Option<embed::Host> {
    texts.iter().flatten().find_map(|t| {
        if embed::is_yaml_name(name) && !t.contains("ROSTemplateFormatVersion") {
            return None;
        }
        embed::sniff(name, t)
    })
}

/// The embedded documents of one side of a host file, by resource address: their policy text
/// and embedding (documents read from a file beside the host are that file's own diff).
fn embedded(host: embed::Host, name: &str, text: Option<&str>) -> Result<Vec<(String, String, Embedding)>, AppError> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let extraction = embed::extract(host, name, text);
    if let Some((message, _)) = extraction.error {
        return Err(AppError::Policy(PolicyError::NotAPolicy { file: name.to_string(), message }));
    }
    let host_text: std::sync::Arc<str> = std::sync::Arc::from(text);
    Ok(extraction
        .documents
        .into_iter()
        .filter_map(|doc| {
            let (mut policy, mut map, mut unknown) = embed::document_text(&doc.body)?;
            if matches!(doc.body, embed::Body::Text { directives: true, .. }) && crate::json::parse(&policy).is_err() {
                (policy, map, unknown) = unreadable(doc.language, map.span(crate::json::Span::new(0, 0)));
            }
            let embedding = Embedding { unknown, host_name: name.to_string(), host_text: host_text.clone(), map };
            Some((doc.resource, policy, embedding))
        })
        .collect())
}

/// A document a template directive (`%{ for }`) leaves unreadable stands for any policy: one
/// statement whose effect, action and resource (for a trust policy: whose principal) are
/// unknown values, at the document's first line. Read at its bounds it may grant everything
/// and may grant nothing, so every change it takes part in is "may add access".
fn unreadable(
    language: embed::Language,
    at: crate::json::Span,
) -> (String, crate::json::PosMap, Vec<crate::json::Span>) {
    let mut b = embed::Builder::default();
    let mut unknown = Vec::new();
    let mut value = |b: &mut embed::Builder, text: &str| {
        let start = b.text.len();
        b.push(text, at, false);
        unknown.push(crate::json::Span::new(start, b.text.len()));
    };
    b.push("{\"Version\":\"1\",\"Statement\":[{", at, false);
    if language == embed::Language::Trust {
        b.push("\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":", at, false);
        value(&mut b, "\"*\"");
    } else {
        b.push("\"Effect\":", at, false);
        value(&mut b, "\"${…}\"");
        b.push(",\"Action\":", at, false);
        value(&mut b, "\"${…}\"");
        b.push(",\"Resource\":", at, false);
        value(&mut b, "\"${…}\"");
    }
    b.push("}]}", at, false);
    (b.text, b.map, unknown)
}

/// The pairs of one host file: its documents matched by resource address, in NEW's order and
/// then OLD's (a document only in OLD was removed, only in NEW added; a renamed address is a
/// removal and an addition).
fn embedded_pairs(host: embed::Host, name: &str, old: Option<&str>, new: Option<&str>) -> Result<Vec<Pair>, AppError> {
    let (mut olds, news) = (embedded(host, name, old)?, embedded(host, name, new)?);
    let mut pairs = Vec::new();
    for (resource, text, embedding) in news {
        let before = olds.iter().position(|(r, _, _)| *r == resource).map(|i| olds.remove(i));
        let (old, old_embedding) = before.map_or((None, None), |(_, t, e)| (Some(t), Some(e)));
        let id = DocId { file: name.to_string(), resource: Some(resource) };
        pairs.push(Pair { id, old, new: Some(text), old_embedding, new_embedding: Some(embedding) });
    }
    for (resource, text, embedding) in olds {
        let id = DocId { file: name.to_string(), resource: Some(resource) };
        pairs.push(Pair { id, old: Some(text), new: None, old_embedding: Some(embedding), new_embedding: None });
    }
    Ok(pairs)
}

/// The pairs of one file of each side: a host file's embedded documents, or one policy.
fn file_pairs(
    name: &str,
    old_name: &str,
    old: Option<String>,
    new: Option<String>,
) -> Result<Vec<(Pair, String)>, AppError> {
    match host_of(name, &[new.as_deref(), old.as_deref()]) {
        Some(host) => Ok(embedded_pairs(host, name, old.as_deref(), new.as_deref())?
            .into_iter()
            .map(|p| (p, old_name.to_string()))
            .collect()),
        None => {
            Ok(vec![(Pair::files(DocId { file: name.to_string(), resource: None }, old, new), old_name.to_string())])
        }
    }
}

/// Whether a changed file of `--base` may hold policies: JSON (a policy, a ROS template or a
/// plan), Terraform, or YAML (a ROS template).
fn may_hold_policies(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json") || embed::is_terraform_name(name) || embed::is_yaml_name(name)
}

/// The pairs of `--base REV`: every `.json` file under `paths` that differs in the working
/// tree from REV (tracked changes, untracked new files, deletions), as a policy on either side.
fn base_pairs(rev: &str, paths: &[String]) -> Result<(Vec<Pair>, Vec<String>), AppError> {
    let help = "run `ramlint diff --base REV` inside a git work tree, with a revision it knows (e.g. `origin/main`)";
    git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|e| {
        usage(
            format!(
                "`{rev}` is not a git revision here{}",
                if e.is_empty() { String::new() } else { format!(": {e}") }
            ),
            help,
        )
    })?;
    let mut args = vec!["diff", "--name-only", "--relative", "--no-renames", "-z", rev, "--"];
    args.extend(paths.iter().map(String::as_str));
    let changed = git(&args).map_err(|e| usage(format!("git diff failed: {e}"), help))?;
    let mut others = vec!["ls-files", "--others", "--exclude-standard", "-z", "--"];
    others.extend(paths.iter().map(String::as_str));
    let untracked = git(&others).map_err(|e| usage(format!("git ls-files failed: {e}"), help))?;
    let mut names: Vec<String> = changed
        .split(|&b| b == 0)
        .chain(untracked.split(|&b| b == 0))
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).to_string())
        .filter(|n| may_hold_policies(n))
        .collect();
    names.sort();
    names.dedup();
    let mut pairs = Vec::new();
    let mut old_names = Vec::new();
    for name in names {
        let old = git(&["show", &format!("{rev}:./{name}")]).ok().map(|b| String::from_utf8_lossy(&b).to_string());
        let path = PathBuf::from(&name);
        let new = if path.is_file() { Some(read(&path)?) } else { None };
        if let Some(host) = host_of(&name, &[new.as_deref(), old.as_deref()]) {
            let found = embedded_pairs(host, &name, old.as_deref(), new.as_deref())?;
            old_names.extend(found.iter().map(|_| format!("{rev}:{name}")));
            pairs.extend(found);
            continue;
        }
        // An old text that was not a policy (a file that became one) granted nothing.
        let old = old.filter(|t| is_policy(t));
        // A new text that is not a policy while the old one was is an error (reported by the
        // diff), not a removal of everything.
        if old.is_none() && !new.as_deref().is_some_and(is_policy) {
            continue;
        }
        old_names.push(format!("{rev}:{name}"));
        pairs.push(Pair::files(DocId { file: name, resource: None }, old, new));
    }
    Ok((pairs, old_names))
}

pub fn run(args: &DiffArgs) -> Result<Outcome, AppError> {
    let session = Session::new(&args.session, args.color, None)?;
    let (pairs, old_names) = match &args.base {
        Some(rev) => base_pairs(rev, &args.paths)?,
        None => match args.paths.as_slice() {
            [old, new] => {
                let found = file_pairs(new, old, Some(read(Path::new(old))?), Some(read(Path::new(new))?))?;
                found.into_iter().unzip()
            }
            _ => {
                return Err(usage(
                    format!("`ramlint diff` takes two policy files, OLD and NEW; {} given", args.paths.len()),
                    "`ramlint diff old.json new.json`, or `ramlint diff --base origin/main [PATH...]`",
                ))
            }
        },
    };
    let mut docs = Vec::with_capacity(pairs.len());
    for pair in &pairs {
        docs.push(crate::diff::diff(session.catalog(), session.project(), pair)?);
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => render::text(&mut out, &docs, &old_names, &args.allow_added, session.color())?,
        Format::Json => render::json(&mut out, &docs, &old_names, &args.allow_added)?,
        Format::Sarif => render::sarif(&mut out, &docs, &args.allow_added)?,
        Format::Github => render::github(&mut out, &docs, &args.allow_added)?,
    }
    out.flush()?;
    Ok(if render::DiffSummary::of(&docs, &args.allow_added).fails() { Outcome::Findings } else { Outcome::Clean })
}
