//! Typed, spanned views over parsed documents.

pub mod arn;
pub mod call;
pub mod condition_value;
pub mod config;
pub mod language;
pub mod placeholder;
pub mod policy;
pub mod request;
