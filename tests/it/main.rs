//! The integration tests, as one test crate (one link of the library and its dependencies
//! instead of one per file).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod audit;
mod cli;
mod cli_flags;
mod common;
mod condition_values;
mod corpus;
mod data;
mod diff;
mod docs;
mod embedded;
mod eval_props;
mod fix;
mod frame;
mod generate;
mod hostile;
mod inputs;
mod json_fast;
mod json_test_suite;
mod languages;
mod layers;
mod partial;
mod props;
mod registry;
mod replay;
mod resource_types;
mod rules;
mod sarif;
mod scale;
mod simulate;
