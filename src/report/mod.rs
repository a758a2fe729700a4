//! Output formats. One entry point renders a whole run.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::Severity;
use crate::lint::FileReport;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

/// Counts over a run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub records: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            records: reports.iter().map(|r| r.tally.records).sum(),
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| r.diagnostics.iter()) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}
