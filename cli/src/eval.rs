//! `nftlint eval`: runs packets through a ruleset and prints what `nft monitor trace` would show,
//! or one JSON object a packet in the shape the kernel test lab prints.

use std::fmt::Write as _;
use std::path::Path as FsPath;
use std::process::ExitCode;

use nftlint_analyzer::eval::{Event, Interpreter, Outcome, Packet, Path, Verdict};
use nftlint_analyzer::{Analysis, DiskLoader, Options};
use serde::{Deserialize, Serialize};

use crate::args::{EvalArgs, EvalFormat, Expected, PacketPath};
use crate::check::Checked;
use crate::errors::CliError;
use crate::{inputs, render};

/// One packet to run.
struct Case {
    spec: String,
    path: Path,
    /// Nanoseconds since the ruleset was loaded.
    time: u64,
}

pub fn run(args: &EvalArgs) -> Result<ExitCode, CliError> {
    let source = inputs::read(&args.file)?;
    crate::memory::for_input(source.text.len());
    let options = Options {
        include_paths: args.include_paths.clone(),
        ..Options::default()
    };
    let mut interpreter = Interpreter::load(&source.path, source.text, &options, &DiskLoader);
    if !interpreter.errors().is_empty() {
        let analysis = Analysis {
            files: interpreter.files().to_vec(),
            diagnostics: interpreter.errors().to_vec(),
        };
        eprint!(
            "{}",
            render::human::render(&[Checked::new(analysis)], false)
        );
        eprintln!(
            "{}: nft would not load this ruleset; nothing was evaluated",
            source.path.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let path = match args.path {
        PacketPath::Input => Path::Input,
        PacketPath::Output => Path::Output,
        PacketPath::Forward => Path::Forward,
    };
    let cases = match (&args.packet, &args.jsonl) {
        (Some(spec), _) => vec![Case {
            spec: spec.clone(),
            path,
            time: 0,
        }],
        (None, Some(file)) => read_cases(file, path)?,
        (None, None) => Vec::new(),
    };
    // Every description is read before anything runs: a typo on the last line must not leave a
    // half-printed report.
    let packets = cases
        .iter()
        .map(|case| Packet::parse(&case.spec, case.path).map_err(|e| spec_error(case, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut report = String::new();
    let mut as_expected = true;
    for (case, packet) in cases.iter().zip(&packets) {
        let outcome = interpreter.run(packet, case.path, case.time);
        as_expected &= matches!(
            (args.expect, &outcome.verdict),
            (None, _)
                | (Some(Expected::Accept), Verdict::Accept)
                | (Some(Expected::Drop), Verdict::Drop)
        );
        match args.format {
            EvalFormat::Human => human(
                &mut report,
                case,
                &outcome,
                interpreter.files()[0].path.as_path(),
            ),
            EvalFormat::Json => {
                report.push_str(&json(case, &outcome));
                report.push('\n');
            }
        }
    }
    crate::write_stdout(&report)?;
    Ok(if as_expected {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One line of a `--jsonl` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseLine {
    packet: String,
    path: Option<String>,
    /// Seconds since the ruleset was loaded.
    time: Option<f64>,
}

/// The cases of a `--jsonl` file; `path` defaults to the command line's.
fn read_cases(file: &FsPath, path: Path) -> Result<Vec<Case>, CliError> {
    let source = inputs::read(file)?;
    let name = source.path.display().to_string();
    let mut cases = Vec::new();
    for (at, line) in source.text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| CliError::Cases {
            path: name.clone(),
            line: at + 1,
            message,
        };
        let line: CaseLine = serde_json::from_str(line).map_err(|e| error(e.to_string()))?;
        let path = match line.path {
            None => path,
            Some(name) => Path::from_name(&name).ok_or_else(|| {
                error(format!(
                    "\"path\" \"{name}\" is not input, output or forward"
                ))
            })?,
        };
        let time = match line.time {
            None => 0,
            Some(t) if t >= 0.0 && t.is_finite() => (t * 1e9) as u64,
            Some(t) => return Err(error(format!("\"time\" {t} is not a number of seconds"))),
        };
        let spec = line.packet;
        cases.push(Case { spec, path, time });
    }
    Ok(cases)
}

/// A description nftlint cannot read, pointing at the word.
fn spec_error(case: &Case, error: nftlint_analyzer::eval::SpecError) -> CliError {
    let mut words = case.spec.split_whitespace().map(|word| {
        let start = word.as_ptr() as usize - case.spec.as_ptr() as usize;
        (start, word.len())
    });
    let span = words.nth(error.word).unwrap_or((case.spec.len(), 0));
    CliError::Packet {
        message: error.message,
        spec: miette::NamedSource::new("packet", case.spec.clone()),
        word: span.into(),
    }
}

/// The trace as `nft monitor trace` prints it, each event after the place of its rule.
fn human(report: &mut String, case: &Case, outcome: &Outcome, file: &FsPath) {
    let _ = writeln!(report, "packet ({}): {}", case.path.name(), case.spec);
    let place = |event_file: Option<&FsPath>, line: usize| {
        format!("{}:{line}", event_file.unwrap_or(file).display())
    };
    for event in &outcome.trace {
        let Event {
            family,
            table,
            chain,
            ..
        } = event;
        let at = place(event.file.as_deref(), event.line);
        let _ = match event.rule {
            Some(_) => writeln!(
                report,
                "  {at}: {family} {table} {chain} rule {} (verdict {})",
                event.text, event.verdict
            ),
            None => writeln!(
                report,
                "  {at}: {family} {table} {chain} policy {}",
                event.verdict
            ),
        };
    }
    let _ = match &outcome.verdict {
        Verdict::Accept => writeln!(report, "verdict accept"),
        Verdict::Drop => writeln!(report, "verdict drop"),
        Verdict::Unknown {
            why,
            chain,
            file: event_file,
            line,
        } => writeln!(
            report,
            "verdict unknown: {why} (chain {chain}, {})",
            place(event_file.as_deref(), *line)
        ),
    };
    report.push('\n');
}

/// An outcome in the kernel test lab's shape, keys in its order.
#[derive(Serialize)]
struct JsonOutcome<'a> {
    packet: &'a str,
    path: &'static str,
    verdict: &'static str,
    trace: Vec<JsonEvent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown: Option<JsonUnknown<'a>>,
}

#[derive(Serialize)]
struct JsonEvent<'a> {
    family: &'static str,
    table: &'a str,
    chain: &'a str,
    rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    line: usize,
    text: &'a str,
    verdict: String,
}

#[derive(Serialize)]
struct JsonUnknown<'a> {
    why: &'a str,
    chain: &'a str,
    file: Option<String>,
    line: usize,
}

fn json(case: &Case, outcome: &Outcome) -> String {
    let file = |path: &Option<std::path::PathBuf>| path.as_ref().map(|f| f.display().to_string());
    let (verdict, unknown) = match &outcome.verdict {
        Verdict::Accept => ("accept", None),
        Verdict::Drop => ("drop", None),
        Verdict::Unknown {
            why,
            chain,
            file: in_file,
            line,
        } => (
            "unknown",
            Some(JsonUnknown {
                why,
                chain,
                file: file(in_file),
                line: *line,
            }),
        ),
    };
    let object = JsonOutcome {
        packet: &case.spec,
        path: case.path.name(),
        verdict,
        trace: outcome
            .trace
            .iter()
            .map(|e| JsonEvent {
                family: e.family,
                table: &e.table,
                chain: &e.chain,
                rule: e.rule,
                file: file(&e.file),
                line: e.line,
                text: &e.text,
                verdict: e.verdict.to_string(),
            })
            .collect(),
        unknown,
    };
    serde_json::to_string(&object).expect("an outcome serializes")
}
