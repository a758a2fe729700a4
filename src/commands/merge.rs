//! `ramlint merge`: the outputs of `audit --partial` (a Spark job's parts) merged into the
//! report `ramlint audit` gives over the same files (docs/spark.md).

use super::{AppError, Outcome, Session};
use crate::cli::MergeArgs;

pub fn run(args: &MergeArgs) -> Result<Outcome, AppError> {
    let lint = &args.lint;
    if lint.paths.is_empty() {
        return Err(AppError::Usage {
            message: "no part to merge".into(),
            help: "give the outputs of `ramlint audit --partial`, or `-` for standard input: `ramlint merge parts/*.jsonl`"
                .into(),
        });
    }
    let color = super::session::report_color(lint.color, lint.output_file.as_deref());
    let mut session = Session::new(&lint.session, color, lint.fail_on)?;
    session.select(&lint.select, &lint.ignore)?;
    let mut renderer = super::session::renderer(lint, session.color())?;
    let policy = if args.policy.is_empty() { None } else { Some(crate::eval::PolicySet::read(&args.policy)?) };
    let mut inputs = crate::audit::partial::open(&lint.paths)?;
    let mut result = crate::audit::partial::merge(&mut inputs, policy.as_ref(), &session.config)?;
    super::audit::write_report(&mut result, &mut renderer, lint, &session)
}
