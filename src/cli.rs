//! Command-line arguments (clap derive types only; no logic).

use crate::lint::Kind;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "ramlint", version, about = "A fast, precise linter for Alibaba Cloud RAM policies and recorded API requests")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint policy documents and recorded requests.
    Check(CheckArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `invalid-effect`.
        rule: String,
    },
    /// Query the action catalog, e.g. `ramlint actions 'vpc:*Eip*'`.
    Actions(ActionsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Color {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders or glob patterns; `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Treat every input as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Extra rules data (same layout as `rules/`) that adds to or overrides the catalog.
    #[arg(long, value_name = "DIR")]
    pub catalog: Vec<PathBuf>,
    /// Colour in the text report (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// An action or wildcard pattern: `vpc:UnassociateEipAddress`, `vpc:*Eip*`, `ram:*`.
    pub pattern: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[arg(long, value_name = "DIR")]
    pub catalog: Vec<PathBuf>,
}
