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
use std::io::IsTerminal;
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
}

impl Session {
    /// Reads the configuration and loads the catalog. `color` and `fail_on` are the flags of
    /// the commands that have them (`Color::Never` and `None` otherwise).
    pub fn new(args: &SessionArgs, color: Color, fail_on: Option<FailOn>) -> Result<Session, AppError> {
        crate::frame::set_max_record_size(args.max_record_size);
        let config = configuration(args.config.as_deref(), args.no_config)?;
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
        project.now_ms = Some(now(args.now.as_deref())?);
        Ok(Session { config, catalog, project, color: use_color(color), fail_on })
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

/// The configuration in force: `explicit`, else the discovered `ramlint.toml`, unless `none`.
fn configuration(explicit: Option<&Path>, none: bool) -> Result<Config, AppError> {
    let known: Vec<&'static crate::finding::RuleMeta> = crate::rules::ALL.iter().map(|r| r.meta()).collect();
    Ok(match (explicit, none) {
        (_, true) => Config::default(),
        (Some(path), false) => Config::load(path, &known)?,
        (None, false) => match crate::config::discover() {
            Some(path) => Config::load(&path, &known)?,
            None => Config::default(),
        },
    })
}

/// The run's current time: `--now`, else `RAMLINT_NOW`, else the clock.
fn now(flag: Option<&str>) -> Result<i64, AppError> {
    let (text, source) = match flag {
        Some(text) => (Some(text.to_string()), "--now"),
        None => (std::env::var("RAMLINT_NOW").ok().filter(|t| !t.is_empty()), "RAMLINT_NOW"),
    };
    let Some(text) = text else { return Ok(crate::config::now_ms()) };
    crate::time::parse_iso8601(&text).map_err(|e| AppError::Usage {
        message: format!("`{text}` given by {source} is not a time: {e}"),
        help: "give an ISO 8601 date or date and time, e.g. `2026-01-01T00:00:00Z`".to_string(),
    })
}
