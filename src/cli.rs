//! Command-line arguments (clap derive types only; no logic).

use crate::lint::Kind;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ramlint",
    version,
    about = "A fast, precise linter for Alibaba Cloud RAM policies and recorded API requests"
)]
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
    /// Audit request logs at scale: validation, sequence rules and an accounted summary.
    Audit(AuditArgs),
    /// Query the action catalog, e.g. `ramlint actions 'vpc:*Eip*'`.
    Actions(ActionsArgs),
    /// Evaluate one call against policies and show which statement decided.
    Simulate(SimulateArgs),
    /// Print a least-privilege policy for the successful calls of request logs.
    Generate(GenerateArgs),
    /// The access a policy change adds and removes: `diff OLD NEW`, or `diff --base REV`.
    Diff(DiffArgs),
    /// Merge the outputs of `audit --partial` into the report `audit` gives (docs/spark.md).
    Merge(MergeArgs),
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

/// The options of every command that reads the catalog or the project's settings: what a
/// [`crate::commands::Session`] is built from.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// Extra rules data (same layout as `rules/`) that adds to or overrides the catalog.
    #[arg(long, value_name = "DIR")]
    pub catalog: Vec<PathBuf>,
    /// The configuration file (default: `ramlint.toml` in this folder or the nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `ramlint.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// The longest record read (a line of a log, or a whole document), in bytes or with a
    /// `K`, `M` or `G` suffix; a longer one is one unreadable record.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_record_size: usize,
    /// The current time for date checks (ISO 8601, e.g. `2026-01-01T00:00:00Z`); default: the
    /// `RAMLINT_NOW` environment variable, else the clock.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// A size in bytes: digits, optionally followed by `K`, `M` or `G` (powers of 1,024).
fn parse_size(text: &str) -> Result<usize, String> {
    let upper = text.trim().to_ascii_uppercase();
    let upper = upper.strip_suffix('B').filter(|u| u.ends_with(['K', 'M', 'G'])).unwrap_or(&upper);
    let (digits, shift) = match upper.strip_suffix('K') {
        Some(d) => (d, 10),
        None => match upper.strip_suffix('M') {
            Some(d) => (d, 20),
            None => match upper.strip_suffix('G') {
                Some(d) => (d, 30),
                None => (upper, 0),
            },
        },
    };
    let n: usize = digits.parse().map_err(|_| format!("`{text}` is not a size (e.g. `65536`, `64M`, `1G`)"))?;
    n.checked_mul(1usize << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a size greater than zero that fits in memory"))
}

/// The options `check` and `audit` share.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files, folders or glob patterns; `-` reads standard input (`check` default: `.`).
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Report only these rules: a rule id or a category (`syntax`, `validity`, `security`,
    /// `suggestion`, `audit`); repeatable or comma-separated. Wins over `ramlint.toml`.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not report these rules or categories; repeatable or comma-separated. Wins over
    /// `ramlint.toml`; of `--select` and `--ignore`, the more specific (a rule over a category)
    /// wins, `--ignore` on a tie.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Print the findings only: no summary line, no skipped inputs, no notes.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print how many findings each rule reported instead of the findings (`text` or `json`).
    #[arg(long)]
    pub statistics: bool,
    /// Treat every input as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// Also list the files skipped quietly (Terraform and YAML files without a RAM policy).
    #[arg(long)]
    pub verbose: bool,
    /// The lowest severity that makes the exit code 1 (default: `warning`, or `fail-on` of
    /// `ramlint.toml`; `error` for less).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Colour in the text report (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub lint: LintArgs,
    /// Report only findings that are not in this baseline (a missing file is an error: write
    /// it with `--update-baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to the `--baseline` file (created or replaced), report
    /// nothing, and exit 0.
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Print the settings in force, and where each comes from, instead of checking.
    #[arg(long)]
    pub show_settings: bool,
    /// Exit code 1 also when an input is skipped (neither a policy nor a recorded request;
    /// or `fail-on-skip = true` in `ramlint.toml`).
    #[arg(long)]
    pub fail_on_skip: bool,
    /// Apply the certain fixes (see `ramlint rules`: FIX) to the files, then report what is
    /// left. Only bytes of the fixed values change.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the fixes `--fix` would apply as a unified diff, and change nothing (exit code 1
    /// when there is something to fix).
    #[arg(long)]
    pub diff: bool,
}

/// Output of the listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// An action or wildcard pattern: `vpc:UnassociateEipAddress`, `vpc:*Eip*`, `ram:*`.
    pub pattern: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub lint: LintArgs,
    /// How long an accepted asynchronous operation keeps its resource pending: `10s`, `2m`, `500ms`.
    #[arg(long, default_value = "10s", value_parser = parse_window)]
    pub window: u64,
    /// How long a `ClientToken` counts as in use after its first call (`client-token-reuse`):
    /// `24h`, `7d` is `168h`.
    #[arg(long, default_value = "24h", value_parser = parse_window)]
    pub token_retention: u64,
    /// Show a progress bar (`auto`: on a terminal only).
    #[arg(long, value_enum, default_value_t)]
    pub progress: Color,
    /// Replay every call against this policy (repeat for several policies evaluated together).
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,
    /// The account id of calls whose record names none (RPC objects, URLs).
    #[arg(long, value_name = "ID", value_parser = parse_account)]
    pub account: Option<String>,
    /// A context key's value for the records that lack it, e.g. `acs:SourceIp=203.0.113.7`
    /// (RPC objects carry no source IP); a record's own value wins. Repeatable.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_context, requires = "policy")]
    pub context: Vec<(String, String)>,
    /// Audit a part of a run for `ramlint merge` (a Spark task; docs/spark.md): write its
    /// findings, the sequence rules' facts keyed by resource and client token, and a summary
    /// that merges exactly, as JSON Lines.
    #[arg(long, conflicts_with_all = ["statistics", "list_inputs", "format"])]
    pub partial: bool,
    /// With `--partial`: the inputs are facts that `--partial` wrote (whole key groups); run
    /// the sequence rules over them.
    #[arg(long, requires = "partial", conflicts_with = "policy")]
    pub facts: bool,
    /// Print the inputs the paths name (after the folder walk and `exclude`), one JSON object
    /// a line with `file` and `bytes`, and audit nothing.
    #[arg(long)]
    pub list_inputs: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The outputs of `audit --partial` and `audit --partial --facts` (their finding and
    /// summary lines); `-` reads standard input.
    #[command(flatten)]
    pub lint: LintArgs,
    /// The policies the parts replayed (`audit --partial --policy`), for `unused-permission`.
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,
}

/// A duration as milliseconds: a number with `ms`, `s`, `m` or `h` (seconds when bare).
pub fn parse_window(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("`{text}` is not a duration such as `10s`"))?;
    let factor = match unit.trim() {
        "ms" => 1.0,
        "" | "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        other => return Err(format!("unknown unit `{other}`: use ms, s, m or h")),
    };
    Ok((value * factor).round() as u64)
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The policies to evaluate together (`--policy a.json b.json`, or `--policy` repeated).
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub policy: Vec<PathBuf>,
    /// The RAM action of the call, e.g. `vpc:UnassociateEipAddress`.
    #[arg(long, required_unless_present = "request", conflicts_with = "request")]
    pub action: Option<String>,
    /// A resource ARN the call acts on (repeatable; default `*`).
    #[arg(long, value_name = "ARN", conflicts_with = "request")]
    pub resource: Vec<String>,
    /// A recorded call to evaluate instead of `--action`/`--resource`: an RPC object, an
    /// ActionTrail event or a request URL line (the file's first record).
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,
    /// With `--request`: the record to evaluate (1-based, as findings number them; default
    /// the first).
    #[arg(long, value_name = "N", requires = "request", value_parser = clap::value_parser!(usize))]
    pub record: Option<usize>,
    /// With `--request`: the account id when the record names none.
    #[arg(long, value_name = "ID", value_parser = parse_account, requires = "request")]
    pub account: Option<String>,
    /// A condition key of the call, e.g. `acs:SourceIp=203.0.113.7` (repeat a key for several
    /// values). `acs:CurrentTime` defaults to now.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_context)]
    pub context: Vec<(String, String)>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Request logs: files, folders or glob patterns; `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Grant every resource of a type (`eip/*`) instead of the ids seen.
    #[arg(long)]
    pub widen: bool,
    /// The account id of calls whose record names none (RPC objects, URLs).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Only the calls of this caller (its `userIdentity` user name, principal id or AccessKey
    /// id, as `audit --policy` counts callers).
    #[arg(long, value_name = "NAME")]
    pub principal: Option<String>,
    /// Treat every input as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW policy files; with `--base`, the files or folders to compare (default: the
    /// whole work tree).
    pub paths: Vec<String>,
    /// Compare every policy changed in the work tree since this git revision (its text read
    /// with `git show REV:PATH`).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Accept added access to actions matching this pattern (repeatable, e.g.
    /// `--allow-added 'vpc:Describe*'`): it is still reported but does not fail the run.
    #[arg(long, value_name = "ACTION_PATTERN")]
    pub allow_added: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// `KEY=VALUE` of `--context`.
pub fn parse_context(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not KEY=VALUE, e.g. acs:SourceIp=203.0.113.7")),
    }
}

/// An Alibaba Cloud account id: 16 digits.
pub fn parse_account(text: &str) -> Result<String, String> {
    if text.len() == 16 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text.to_string())
    } else {
        Err(format!("`{text}` is not an account id (16 digits)"))
    }
}
