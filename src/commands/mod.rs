//! The subcommands. Each is a short script over the library: it builds one [`Session`] from
//! the shared options, runs the engine, and writes its output. Command modules do not import
//! each other; what they share is in [`session`].

mod actions;
mod audit;
mod check;
mod diff;
mod explain;
mod fixing;
pub mod generate;
mod merge;
mod rules;
pub mod session;
mod simulate;

use crate::catalog::CatalogError;
use crate::cli::{Cli, Command};
use crate::discover::DiscoverError;
pub use session::Session;

/// Errors that stop a run (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AppError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Catalog(#[from] CatalogError),
    #[error("unknown rule `{rule}`")]
    #[diagnostic(code(ramlint::usage), help("{help}"))]
    UnknownRule { rule: String, help: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] crate::eval::PolicyError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Partial(#[from] crate::audit::partial::PartialError),
    #[error("{message}")]
    #[diagnostic(code(ramlint::usage), help("{help}"))]
    Usage { message: String, help: String },
    #[error("cannot create `{file}`: {message}")]
    #[diagnostic(code(ramlint::io), help("check that the folder exists and can be written"))]
    OutputFile { file: String, message: String },
    #[error("cannot write the report: {0}")]
    #[diagnostic(code(ramlint::io))]
    Output(#[from] std::io::Error),
}

/// The process exit code of a finished run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean = 0,
    Findings = 1,
    Failed = 2,
}

impl AppError {
    /// Whether the error is a closed standard output (`ramlint ... | head`): the reader has
    /// what it wanted, and the run ends quietly with exit code 0, as ruff and Unix tools do.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, AppError::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Runs the command the arguments name.
pub fn run(cli: Cli) -> Result<Outcome, AppError> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain { rule } => explain::run(&rule),
        Command::Actions(args) => actions::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Merge(args) => merge::run(&args),
    }
}
