use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = ramlint::cli::Cli::parse();
    match ramlint::commands::run(cli) {
        Ok(outcome) => ExitCode::from(outcome as u8),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            ramlint::report::to_stderr(format_args!("{:?}", miette::Report::new(err)));
            ExitCode::from(2)
        }
    }
}
