//! Typed, spanned views over parsed documents.

pub mod arn;
pub mod policy;
pub mod request;
