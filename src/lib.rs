//! ramlint: a static analyzer for Alibaba Cloud RAM policies and recorded API requests.
//!
//! Pipeline: [`discover`] inputs, read them into records with [`frame`], [`lint`] each (parse
//! with spans in [`json`], detect the kind, run [`rules`] over the typed [`model`] with the
//! [`catalog`]), resolve findings to [`diagnostic`]s, and render a [`report`].

pub mod actions;
pub mod app;
pub mod audit;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod eval;
pub mod finding;
pub mod frame;
pub mod generate;
pub mod hash;
pub mod json;
pub mod lint;
pub mod model;
pub mod report;
pub mod request;
pub mod rules;
pub mod simulate;
pub mod source;
pub mod time;
