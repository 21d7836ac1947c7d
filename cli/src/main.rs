//! `nftlint`: the command-line front end of the nftables linter.

mod args;
mod check;
mod errors;
mod eval;
mod explain;
mod inputs;
mod memory;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::errors::CliError;

// A syntax tree and a ruleset model are hundreds of thousands of small allocations, made and
// freed in a burst; mimalloc serves them in about two thirds of the time the system allocator
// takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // clap itself exits with 2 on usage errors.
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            // 1 means "findings"; an input or output failure must not look like one.
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        None => check::run(&cli.check),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Eval(args)) => eval::run(&args),
        Some(Command::Lsp { .. }) => {
            memory::for_server();
            nftlint_lsp::run_stdio().map_err(CliError::Server)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Syntax { file }) => {
            let source = inputs::read(&file)?;
            print(&nftlint_syntax::parse(&source.text).debug_tree())
        }
        Some(Command::Explain { rule }) => print(&explain::explain(rule.as_deref())?),
    }
}

fn print(text: &str) -> Result<ExitCode, CliError> {
    write_stdout(text)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output. A reader that stops early (`nftlint ... | head`) is no error:
/// what it did not read, it did not want.
fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Write(e)),
        _ => Ok(()),
    }
}
