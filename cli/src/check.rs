//! `nftlint check`: lint every input, print the report, and turn the findings into an exit code.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use nftlint_analyzer::{Diagnostic, LineIndex, Severity};

use crate::args::{CheckArgs, Format};
use crate::errors::CliError;
use crate::inputs::{self, Source};
use crate::render;

/// One input and what the analyzer found in it.
pub struct CheckedFile {
    pub source: Source,
    pub index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckedFile {
    fn new(source: Source) -> Self {
        let index = LineIndex::new(&source.text);
        let diagnostics = nftlint_analyzer::check_source(&source.text);
        CheckedFile {
            source,
            index,
            diagnostics,
        }
    }
}

/// The file a diagnostic's or related place's `file` names: `None` is `current`. The analyzer
/// only points into files it was given, and the CLI gives it only files it has read.
pub fn resolve<'a>(
    files: &'a [CheckedFile],
    current: &'a CheckedFile,
    file: Option<&Path>,
) -> &'a CheckedFile {
    match file {
        None => current,
        Some(path) => files
            .iter()
            .find(|checked| Path::new(&checked.source.name) == path)
            .expect("diagnostics point only into files that were checked"),
    }
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let files: Vec<CheckedFile> = inputs::collect(&args.paths)?
        .into_iter()
        .map(CheckedFile::new)
        .collect();

    let report = match args.format {
        Format::Human => render::human::render(&files, use_color()),
        Format::Json => render::json::render(&files),
    };
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(CliError::Write)?;
    if args.format == Format::Human {
        // On stderr, so stdout holds nothing but the findings.
        eprintln!("{}", render::summary(&files));
    }

    let threshold = Severity::from(args.fail_on);
    let failed = files
        .iter()
        .flat_map(|file| &file.diagnostics)
        .any(|diagnostic| diagnostic.severity >= threshold);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Colour only for a person at a terminal, and never when `NO_COLOR` is set (no-color.org).
fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}
