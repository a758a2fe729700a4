//! ramlint: a static analyzer for Alibaba Cloud RAM policies and recorded API requests.
//!
//! Pipeline, top down (each layer uses only those below it):
//!
//! - [`commands`]: one module per subcommand, each a short script over the layers below; a
//!   [`commands::Session`] built once from the shared options holds the configuration
//!   ([`config`], `ramlint.toml`), the catalog with its overlays, the project settings, colour
//!   and the failure level. [`cli`] holds the argument types.
//! - [`report`]: every finding becomes one [`report::Row`] (the contract's shape) and is
//!   streamed by the [`report::Renderer`] of the chosen format (text, JSON, SARIF, GitHub).
//! - The engine: [`discover`] finds the inputs and [`frame`] reads them into records; [`lint`] runs each (parsed with spans
//!   by [`json`], its kind detected) through the [`rules`] over the typed [`model`], and resolves
//!   findings to [`diagnostic`]s; [`audit`] streams whole logs, runs the sequence rules over
//!   their calls and keeps its findings on disk; [`eval`] decides and explains what policies
//!   allow, and replays recorded calls ([`request`] turns records into calls).
//! - [`catalog`]: the knowledge base, loaded from the `rules/` data folder (embedded at build
//!   time) plus any overlay folders. The Rust module [`rules`] holds the rules themselves:
//!   metadata and detection, one file per rule id.

pub mod audit;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod eval;
pub mod finding;
pub mod fix;
pub mod frame;
pub mod generate;
pub mod hash;
pub mod json;
pub mod lint;
pub mod model;
pub mod report;
pub mod request;
pub mod rules;
pub mod source;
pub mod time;
