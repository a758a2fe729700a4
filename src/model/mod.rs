//! Typed, spanned views over parsed documents.

pub mod arn;
pub mod condition_value;
pub mod policy;
pub mod request;
