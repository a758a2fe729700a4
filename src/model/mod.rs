//! Typed, spanned views over parsed documents.

pub mod arn;
pub mod call;
pub mod policy;
pub mod request;
