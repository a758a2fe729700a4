//! What every command sets up the same way, once, from the shared options: the configuration
//! (`--config`, else the discovered `ramlint.toml`, unless `--no-config`), the catalog with
//! the overlays of `--catalog` and of the configuration, the project settings, colour and the
//! failure level.

use super::AppError;
use crate::catalog::{Catalog, CatalogError};
use crate::cli::{Color, FailOn, SessionArgs};
use crate::config::Config;
use crate::discover::{self, Input};
use crate::finding::Severity;
use crate::rules::Project;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The catalog in force: the embedded one, or one overlaid by extra folders.
enum Loaded {
    Embedded(&'static Catalog),
    Overlaid(Box<Catalog>),
}

/// A command's setup.
pub struct Session {
    pub config: Config,
    catalog: Loaded,
    project: Project,
    color: bool,
    fail_on: Option<FailOn>,
    /// Where each setting that is not the file's or the default came from, for
    /// `--show-settings`: the flags given, and how the configuration was found.
    origin: Origin,
}

/// Where the settings came from (`--show-settings`).
#[derive(Default)]
struct Origin {
    /// `--config FILE`, discovered, or none.
    config: String,
    catalog_flags: Vec<PathBuf>,
    now: &'static str,
    max_record_size: usize,
    /// Rule id -> the flag that set its level (`--select`, `--ignore`).
    rules: BTreeMap<&'static str, String>,
}

impl Session {
    /// Reads the configuration and loads the catalog. `color` and `fail_on` are the flags of
    /// the commands that have them (`Color::Never` and `None` otherwise).
    pub fn new(args: &SessionArgs, color: Color, fail_on: Option<FailOn>) -> Result<Session, AppError> {
        crate::frame::set_max_record_size(args.max_record_size);
        let (config, found) = configuration(args.config.as_deref(), args.no_config)?;
        let extra: Vec<PathBuf> = args.catalog.iter().chain(config.catalog.iter()).cloned().collect();
        let catalog = if extra.is_empty() {
            Loaded::Embedded(
                Catalog::embedded()
                    .map_err(|e| CatalogError::Parse { file: "embedded rules".into(), message: e.to_string() })?,
            )
        } else {
            Loaded::Overlaid(Box::new(Catalog::load(&extra)?))
        };
        let mut project = config.project();
        let (now_ms, now_origin) = now(args.now.as_deref())?;
        project.now_ms = Some(now_ms);
        let origin = Origin {
            config: found.to_string(),
            catalog_flags: args.catalog.clone(),
            now: now_origin,
            max_record_size: args.max_record_size,
            rules: BTreeMap::new(),
        };
        Ok(Session { config, catalog, project, color: use_color(color), fail_on, origin })
    }

    /// Applies `--select` and `--ignore` over the rule levels of the configuration: a rule
    /// `--select` leaves out, or `--ignore` names, is off; a rule `--select` names that the
    /// configuration turns off is on again at its default level. When both name a rule, the
    /// more specific wins (a rule id over a category), `--ignore` on a tie (as in ruff).
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> Result<(), AppError> {
        let categories = ["syntax", "validity", "security", "suggestion", "audit"];
        let ids: Vec<&'static str> = crate::rules::ALL.iter().map(|r| r.meta().id).collect();
        for (flag, name) in select.iter().map(|n| ("--select", n)).chain(ignore.iter().map(|n| ("--ignore", n))) {
            if !ids.contains(&name.as_str()) && !categories.contains(&name.as_str()) {
                let help = crate::catalog::suggest::did_you_mean(name, ids.iter().copied().chain(categories))
                    .unwrap_or_else(|| {
                        "give a rule id (`ramlint rules` lists them) or a category: `syntax`, `validity`, `security`, `suggestion`, `audit`".into()
                    });
                return Err(AppError::Usage {
                    message: format!("`{name}` of {flag} is neither a rule nor a category"),
                    help,
                });
            }
        }
        if select.is_empty() && ignore.is_empty() {
            return Ok(());
        }
        // How specifically a list names a rule: 2 by id, 1 by category.
        let best = |list: &[String], id: &str, category: &str| -> Option<(u8, String)> {
            list.iter()
                .filter_map(|n| match n.as_str() {
                    n if n == id => Some((2, n.to_string())),
                    n if n == category => Some((1, n.to_string())),
                    _ => None,
                })
                .max_by_key(|(s, _)| *s)
        };
        for rule in crate::rules::ALL {
            let meta = rule.meta();
            let category = meta.category.as_str();
            let selected = if select.is_empty() { Some((0, String::new())) } else { best(select, meta.id, category) };
            let ignored = best(ignore, meta.id, category);
            match (selected, ignored) {
                (None, _) => {
                    self.config.levels.insert(meta.id.to_string(), None);
                    self.origin.rules.insert(meta.id, "--select (not selected)".into());
                }
                (Some((s, _)), Some((i, name))) if i >= s => {
                    self.config.levels.insert(meta.id.to_string(), None);
                    self.origin.rules.insert(meta.id, format!("--ignore {name}"));
                }
                (Some((s, name)), _) if s > 0 => {
                    if self.config.levels.get(meta.id) == Some(&None) {
                        self.config.levels.remove(meta.id);
                    }
                    self.origin.rules.insert(meta.id, format!("--select {name}"));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The settings in force and where each comes from, as `ramlint.toml` would write them
    /// (`ramlint check --show-settings`).
    pub fn settings(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let file = self.config.path.as_ref().map(|p| p.display().to_string());
        let from_file = |set: bool| if set { file.clone().unwrap_or_default() } else { "default".to_string() };
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let list = |items: Vec<String>| format!("[{}]", items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(", "));
        let line = |out: &mut dyn Write, key: &str, value: String, origin: &str| {
            writeln!(out, "{:<40} # {origin}", format!("{key} = {value}"))
        };
        writeln!(out, "# the settings in force; after each `#`, where the value comes from")?;
        writeln!(out, "# configuration: {}", self.origin.config)?;
        let (fail_on, fail_origin) = match self.fail_on {
            Some(FailOn::Error) => ("error".to_string(), "--fail-on".to_string()),
            Some(FailOn::Warning) => ("warning".to_string(), "--fail-on".to_string()),
            None => (self.failure_level().as_str().to_string(), from_file(self.config.fail_on.is_some())),
        };
        line(out, "fail-on", quote(&fail_on), &fail_origin)?;
        line(
            out,
            "fail-on-skip",
            self.config.fail_on_skip.unwrap_or(false).to_string(),
            &from_file(self.config.fail_on_skip.is_some()),
        )?;
        let exclude: Vec<String> = self.config.exclude.iter().map(|p| p.as_str().to_string()).collect();
        line(out, "exclude", list(exclude.clone()), &from_file(!exclude.is_empty()))?;
        let flags: Vec<String> = self.origin.catalog_flags.iter().map(|p| p.display().to_string()).collect();
        let files: Vec<String> = self.config.catalog.iter().map(|p| p.display().to_string()).collect();
        let catalog_origin = match (flags.is_empty(), files.is_empty()) {
            (true, true) => "default (the embedded catalog only)".to_string(),
            (false, true) => "--catalog".to_string(),
            (true, false) => from_file(true),
            (false, false) => format!("--catalog, then {}", from_file(true)),
        };
        line(out, "catalog", list(flags.into_iter().chain(files).collect()), &catalog_origin)?;
        line(
            out,
            "trusted-accounts",
            list(self.config.trusted_accounts.clone()),
            &from_file(!self.config.trusted_accounts.is_empty()),
        )?;
        line(out, "regions", list(self.config.regions.clone()), &from_file(!self.config.regions.is_empty()))?;
        // Flag-only settings (not keys of the file): the flag, else its default.
        let size_origin = if self.origin.max_record_size == 64 << 20 {
            "default (flag only: --max-record-size)"
        } else {
            "--max-record-size"
        };
        line(out, "max-record-size", self.origin.max_record_size.to_string(), size_origin)?;
        let now = self.project.now_ms.map(crate::time::format_millis).unwrap_or_default();
        line(out, "now", quote(&now), self.origin.now)?;
        writeln!(out, "\n[rules]")?;
        for rule in crate::rules::ALL {
            let meta = rule.meta();
            let (level, mut origin) = match self.config.levels.get(meta.id) {
                Some(level) => (level.map_or("off", Severity::as_str), from_file(true)),
                None => (meta.severity.as_str(), "default".to_string()),
            };
            if let Some(flag) = self.origin.rules.get(meta.id) {
                origin = flag.clone();
            }
            line(out, meta.id, quote(level), &origin)?;
        }
        for s in &self.config.suppressions {
            writeln!(out, "\n[[suppress]]{:<28} # {}", "", from_file(true))?;
            writeln!(out, "rule = {}", quote(&s.rule))?;
            if let Some(path) = &s.path {
                writeln!(out, "path = {}", quote(path.as_str()))?;
            }
            if let Some(pointer) = &s.pointer {
                writeln!(out, "pointer = {}", quote(pointer))?;
            }
            writeln!(out, "reason = {}", quote(&s.reason))?;
            if let Some(expires) = &s.expires {
                writeln!(out, "expires = {}", quote(&expires.date))?;
            }
        }
        Ok(())
    }

    pub fn catalog(&self) -> &Catalog {
        match &self.catalog {
            Loaded::Embedded(c) => c,
            Loaded::Overlaid(c) => c,
        }
    }

    /// The project settings the policy rules use.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Whether the text output is coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// The lowest severity that fails a run: the flag, else the configuration, else `warning`
    /// (security findings are warnings and errors; they fail CI by default).
    pub fn failure_level(&self) -> Severity {
        match (self.fail_on, self.config.fail_on) {
            (Some(FailOn::Error), _) => Severity::Error,
            (Some(FailOn::Warning), _) => Severity::Warning,
            (None, Some(level)) => level,
            (None, None) => Severity::Warning,
        }
    }

    /// Whether a skipped input fails the run: the flag, else the configuration's
    /// `fail-on-skip`.
    pub fn fail_on_skip(&self, flag: bool) -> bool {
        flag || self.config.fail_on_skip.unwrap_or(false)
    }

    /// The inputs the paths name, less those the configuration excludes.
    pub fn inputs(&self, paths: &[String]) -> Result<Vec<Input>, AppError> {
        let mut inputs = discover::discover(paths)?;
        inputs.retain(|i| !self.config.excludes(&i.name()));
        Ok(inputs)
    }
}

/// Whether to colour standard output (`auto`: on a terminal, unless `NO_COLOR` is set).
fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The configuration in force: `explicit`, else the discovered `ramlint.toml`, unless `none`;
/// with how it was found.
fn configuration(explicit: Option<&Path>, none: bool) -> Result<(Config, String), AppError> {
    let known: Vec<&'static crate::finding::RuleMeta> = crate::rules::ALL.iter().map(|r| r.meta()).collect();
    Ok(match (explicit, none) {
        (_, true) => (Config::default(), "none (--no-config)".into()),
        (Some(path), false) => (Config::load(path, &known)?, format!("{} (--config)", path.display())),
        (None, false) => match crate::config::discover() {
            Some(path) => {
                (Config::load(&path, &known)?, format!("{} (found from the current folder upward)", path.display()))
            }
            None => (Config::default(), format!("none (no {} here or in a parent folder)", crate::config::FILE_NAME)),
        },
    })
}

/// The run's current time: `--now`, else `RAMLINT_NOW`, else the clock; with where it came from.
fn now(flag: Option<&str>) -> Result<(i64, &'static str), AppError> {
    let (text, source) = match flag {
        Some(text) => (Some(text.to_string()), "--now"),
        None => (std::env::var("RAMLINT_NOW").ok().filter(|t| !t.is_empty()), "RAMLINT_NOW"),
    };
    let Some(text) = text else { return Ok((crate::config::now_ms(), "the clock")) };
    crate::time::parse_iso8601(&text).map(|ms| (ms, source)).map_err(|e| AppError::Usage {
        message: format!("`{text}` given by {source} is not a time: {e}"),
        help: "give an ISO 8601 date or date and time, e.g. `2026-01-01T00:00:00Z`".to_string(),
    })
}

/// The colour choice of a report written to `--output-file`: never, unless asked for.
pub fn report_color(choice: Color, output_file: Option<&Path>) -> Color {
    match (choice, output_file) {
        (Color::Auto, Some(_)) => Color::Never,
        _ => choice,
    }
}

/// Where a report goes: `--output-file`, else standard output (buffered).
pub fn report_output(output_file: Option<&Path>) -> Result<Box<dyn Write>, AppError> {
    Ok(match output_file {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| AppError::OutputFile { file: path.display().to_string(), message: e.to_string() })?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// The renderer the flags ask for: the format's, or its `--statistics`; `--quiet` or not.
pub fn renderer(lint: &crate::cli::LintArgs, color: bool) -> Result<crate::report::Renderer, AppError> {
    use crate::report::Renderer;
    let renderer = if lint.statistics {
        Renderer::statistics(lint.format).ok_or_else(|| AppError::Usage {
            message: "`--statistics` prints text or JSON only".into(),
            help: "use `--format text` or `--format json` with `--statistics`".into(),
        })?
    } else {
        Renderer::new(lint.format, color)
    };
    Ok(if lint.quiet { renderer.quiet() } else { renderer })
}
