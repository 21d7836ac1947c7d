//! `nftlint check`: lint every input, print the report, and turn the findings into an exit code.

use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nftlint_analyzer::config::{ConfigError, RuleLevel};
use nftlint_analyzer::registry::{self, RULES};
use nftlint_analyzer::{
    Analysis, Config, Diagnostic, DiskLoader, LineCol, LineIndex, Options, Related, Severity,
    SourceFile,
};

use crate::args::{CheckArgs, Format};
use crate::errors::CliError;
use crate::inputs::{self, STDIN_NAME};
use crate::render;

/// The analysis of one input, with a line index for each file it read.
pub struct Checked {
    pub analysis: Analysis,
    indices: Vec<LineIndex>,
}

/// One file of an analysis, ready to turn byte offsets into lines and columns.
#[derive(Clone, Copy)]
pub struct File<'a> {
    pub source: &'a SourceFile,
    index: &'a LineIndex,
}

impl File<'_> {
    /// The file's name in reports.
    pub fn name(&self) -> String {
        self.source.path.display().to_string()
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.index.line_col(offset)
    }
}

impl Checked {
    pub fn new(analysis: Analysis) -> Self {
        let indices = analysis
            .files
            .iter()
            .map(|file| LineIndex::new(&file.text))
            .collect();
        Checked { analysis, indices }
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.analysis.diagnostics
    }

    /// The checked file, then the files it includes.
    pub fn files(&self) -> impl Iterator<Item = File<'_>> {
        self.analysis
            .files
            .iter()
            .zip(&self.indices)
            .map(|(source, index)| File { source, index })
    }

    /// The file a diagnostic points into.
    pub fn file_of(&self, diagnostic: &Diagnostic) -> File<'_> {
        self.file(diagnostic.file.as_deref())
    }

    /// The file a related place points into: the diagnostic's own unless it names another.
    pub fn related_file(&self, diagnostic: &Diagnostic, related: &Related) -> File<'_> {
        match &related.file {
            None => self.file_of(diagnostic),
            Some(path) => self.file(Some(path)),
        }
    }

    fn file(&self, path: Option<&Path>) -> File<'_> {
        let source = self.analysis.file(path);
        let at = self
            .analysis
            .files
            .iter()
            .position(|file| std::ptr::eq(file, source))
            .expect("Analysis::file returns one of its files");
        File {
            source,
            index: &self.indices[at],
        }
    }
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let filter = RuleFilter::new(&args.select, &args.ignore)?;
    let explicit = match &args.config {
        Some(path) => Some(Config::load(path).map_err(config_error)?),
        None => None,
    };
    let sources = inputs::collect(&args.paths)?;
    crate::memory::for_input(sources.iter().map(|s| s.text.len()).sum());

    let mut discovered: HashMap<PathBuf, Config> = HashMap::new();
    let mut checked = Vec::with_capacity(sources.len());
    for source in sources {
        let config = match &explicit {
            Some(config) => config.clone(),
            None => {
                let dir = search_start(&source.path);
                match discovered.get(&dir) {
                    Some(config) => config.clone(),
                    None => {
                        let config = Config::discover(&dir)
                            .map_err(config_error)?
                            .map(|(_, config)| config)
                            .unwrap_or_default();
                        discovered.insert(dir, config.clone());
                        config
                    }
                }
            }
        };
        let include_paths = args
            .include_paths
            .iter()
            .chain(&config.include_paths)
            .cloned()
            .collect();
        let options = Options {
            include_paths,
            config: filter.restrict(config),
        };
        let analysis = nftlint_analyzer::analyze(&source.path, source.text, &options, &DiskLoader);
        checked.push(Checked::new(analysis));
    }

    let report = match args.format {
        Format::Human => render::human::render(&checked, use_color()),
        Format::Json => render::json::render(&checked),
        Format::Sarif => render::sarif::render(&checked),
        Format::Github => render::github::render(&checked),
    };
    crate::write_stdout(&report)?;
    if args.format == Format::Human {
        // On stderr, so stdout holds nothing but the findings.
        eprintln!("{}", render::summary(&checked));
    }

    let threshold = Severity::from(args.fail_on);
    let failed = checked
        .iter()
        .flat_map(Checked::diagnostics)
        .any(|diagnostic| diagnostic.severity >= threshold);
    // The process ends after this: the kernel takes back the analyses' memory at once.
    std::mem::forget((checked, report));
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Where the search for `nftlint.toml` starts: the file's directory, or the current one for
/// standard input.
fn search_start(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if path != Path::new(STDIN_NAME) && !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// A configuration error, naming the file relative to the current directory when it lies below
/// it: discovery finds files by their absolute path.
fn config_error(mut error: ConfigError) -> CliError {
    let relative = std::env::current_dir()
        .and_then(|dir| dir.canonicalize())
        .ok()
        .and_then(|dir| error.path.strip_prefix(dir).ok().map(Path::to_owned));
    if let Some(relative) = relative {
        error.path = relative;
    }
    CliError::Config(error)
}

/// The rules `--select` and `--ignore` leave on, by code.
struct RuleFilter {
    select: Vec<&'static str>,
    ignore: Vec<&'static str>,
}

impl RuleFilter {
    fn new(select: &[String], ignore: &[String]) -> Result<Self, CliError> {
        let codes = |names: &[String], option: &'static str| {
            names
                .iter()
                .map(|name| name.trim())
                // `--select a,` leaves an empty name: nothing to select.
                .filter(|name| !name.is_empty())
                .map(|name| {
                    registry::find(name).map(|rule| rule.code).ok_or_else(|| {
                        CliError::UnknownRuleOption {
                            option,
                            name: name.to_owned(),
                        }
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(RuleFilter {
            select: codes(select, "--select")?,
            ignore: codes(ignore, "--ignore")?,
        })
    }

    /// Turns off the rules the command line leaves out. The command line wins over the
    /// configuration: a rule it selects is on even where the configuration turns it off.
    fn restrict(&self, mut config: Config) -> Config {
        for rule in RULES {
            if self.ignore.contains(&rule.code)
                || !(self.select.is_empty() || self.select.contains(&rule.code))
            {
                config.rules.insert(rule.code, RuleLevel::Off);
            } else if self.select.contains(&rule.code)
                && config.rules.get(rule.code) == Some(&RuleLevel::Off)
            {
                config.rules.remove(rule.code);
            }
        }
        config
    }
}

/// Colour only for a person at a terminal, and never when `NO_COLOR` is set (no-color.org).
fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn select_turns_every_other_rule_off() {
        let filter = RuleFilter::new(&names(&["syntax-error"]), &[]).unwrap();
        let config = filter.restrict(Config::default());
        for rule in RULES {
            let expected = (rule.code != "NFT001").then_some(&RuleLevel::Off);
            assert_eq!(config.rules.get(rule.code), expected, "{}", rule.name);
        }
    }

    #[test]
    fn ignore_wins_over_select_and_select_over_the_configuration() {
        let mut off = Config::default();
        off.rules.insert("NFT001", RuleLevel::Off);
        let selected = RuleFilter::new(&names(&["NFT001"]), &[]).unwrap();
        assert_eq!(selected.restrict(off).rules.get("NFT001"), None);

        let both = RuleFilter::new(&names(&["NFT001"]), &names(&["syntax-error"])).unwrap();
        assert_eq!(
            both.restrict(Config::default()).rules.get("NFT001"),
            Some(&RuleLevel::Off)
        );
    }

    #[test]
    fn unknown_names_are_errors_naming_the_option() {
        let error = RuleFilter::new(&[], &names(&["syntax-error", "bogus"]))
            .err()
            .expect("an unknown rule");
        assert_eq!(error.to_string(), "unknown rule `bogus` in --ignore");
    }

    #[test]
    fn the_search_for_a_configuration_starts_beside_the_file() {
        assert_eq!(search_start(Path::new("a/b.nft")), Path::new("a"));
        assert_eq!(search_start(Path::new("b.nft")), Path::new("."));
        assert_eq!(search_start(Path::new(STDIN_NAME)), Path::new("."));
    }
}
