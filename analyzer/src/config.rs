//! The user's settings: `nftlint.toml`.
//!
//! ```toml
//! ssh-ports = [22, 2222]
//! include-paths = ["includes"]
//!
//! [rules]
//! shadowed-rule = "error"
//! NFT001 = "off"
//! ```
//!
//! Every key is checked: a misspelt rule or setting is an error naming the file and line, since a
//! setting silently ignored would let a check the user believes is on (or off) be otherwise.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::{Diagnostic, Severity, registry};

/// The name the configuration file goes by, searched for upward from the checked file.
pub const FILE_NAME: &str = "nftlint.toml";

/// Settings from `nftlint.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// What the file sets for each rule, by rule code; rules not named keep their default
    /// severity.
    pub rules: BTreeMap<&'static str, RuleLevel>,
    /// The ports the SSH lockout analysis protects.
    pub ssh_ports: Vec<u16>,
    /// Directories searched for relative includes, after those given on the command line.
    /// Relative entries in the file are resolved against the file's directory.
    pub include_paths: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: BTreeMap::new(),
            ssh_ports: vec![22],
            include_paths: Vec::new(),
        }
    }
}

/// What the configuration sets for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    /// The rule reports nothing.
    Off,
    /// The rule reports at this severity instead of its default.
    Severity(Severity),
}

/// A configuration file that cannot be read or is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based, when the problem is at one place in the file.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The file as written, before rule names and paths are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    ssh_ports: Option<Vec<Spanned<i64>>>,
    include_paths: Option<Vec<String>>,
}

impl Config {
    /// Searches `start_dir` and then each directory above it for `nftlint.toml`, and loads the
    /// first one found. The path returned is absolute.
    pub fn discover(start_dir: &Path) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        // Canonical, so `..` and symlinks lead to the directories that really hold the file.
        let start = start_dir.canonicalize().map_err(|error| ConfigError {
            path: start_dir.to_owned(),
            line: None,
            message: format!("cannot search for {FILE_NAME}: {error}"),
        })?;
        for dir in start.ancestors() {
            let path = dir.join(FILE_NAME);
            if path.is_file() {
                let config = Config::load(&path)?;
                return Ok(Some((path, config)));
            }
        }
        Ok(None)
    }

    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            path: path.to_owned(),
            line: None,
            message: format!("cannot read: {error}"),
        })?;
        Config::from_toml(&text, path)
    }

    /// Checks the text of a configuration file; `path` names it in errors and anchors relative
    /// include paths.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let error_at = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
            path: path.to_owned(),
            line: span.map(|span| line_of(text, span.start)),
            message,
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|error| error_at(error.span(), error.message().trim().to_owned()))?;

        let mut config = Config::default();
        // In file order, so the first mistake is the one reported.
        let mut rules: Vec<_> = raw.rules.into_iter().collect();
        rules.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in rules {
            let rule = registry::find(key.get_ref()).ok_or_else(|| {
                error_at(
                    Some(key.span()),
                    format!(
                        "unknown rule `{}`; `nftlint explain` lists every rule",
                        key.get_ref()
                    ),
                )
            })?;
            let level = match value.get_ref().as_str() {
                "off" => RuleLevel::Off,
                "info" => RuleLevel::Severity(Severity::Info),
                "warning" => RuleLevel::Severity(Severity::Warning),
                "error" => RuleLevel::Severity(Severity::Error),
                other => {
                    return Err(error_at(
                        Some(value.span()),
                        format!(
                            "`{other}` is not a level for `{}`; expected \"error\", \"warning\", \
                             \"info\" or \"off\"",
                            key.get_ref()
                        ),
                    ));
                }
            };
            // `syntax-error` and `NFT001` name the same rule: two settings for it contradict.
            if config.rules.insert(rule.code, level).is_some() {
                return Err(error_at(
                    Some(key.span()),
                    format!(
                        "`{}` sets {} {} a second time",
                        key.get_ref(),
                        rule.code,
                        rule.name
                    ),
                ));
            }
        }
        if let Some(ports) = raw.ssh_ports {
            config.ssh_ports = ports
                .into_iter()
                .map(|port| {
                    u16::try_from(*port.get_ref())
                        .ok()
                        .filter(|&number| number != 0)
                        .ok_or_else(|| {
                            error_at(
                                Some(port.span()),
                                format!(
                                    "{} is not a port; ports run from 1 to 65535",
                                    port.get_ref()
                                ),
                            )
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(include_paths) = raw.include_paths {
            let base = path.parent().unwrap_or(Path::new(""));
            config.include_paths = include_paths.iter().map(|dir| base.join(dir)).collect();
        }
        Ok(config)
    }

    /// Applies per-rule severities and `off`.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|diagnostic| match self.rules.get(diagnostic.code) {
            None => true,
            Some(RuleLevel::Off) => false,
            Some(RuleLevel::Severity(severity)) => {
                diagnostic.severity = *severity;
                true
            }
        });
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new("conf/nftlint.toml"))
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn an_empty_file_is_the_default() {
        let config = parse("").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.ssh_ports, [22]);
    }

    #[test]
    fn rules_by_name_or_code_get_a_severity_or_off() {
        let config = parse("[rules]\nsyntax-error = \"warning\"\n").expect("a valid configuration");
        assert_eq!(
            config.rules.get("NFT001"),
            Some(&RuleLevel::Severity(Severity::Warning))
        );
        let config = parse("[rules]\nnft001 = \"off\"\n").expect("a valid configuration");
        assert_eq!(config.rules.get("NFT001"), Some(&RuleLevel::Off));
    }

    #[test]
    fn ports_and_include_paths() {
        let config =
            parse("ssh-ports = [22, 2222]\ninclude-paths = [\"inc\", \"/etc/nftables.d\"]\n")
                .unwrap();
        assert_eq!(config.ssh_ports, [22, 2222]);
        assert_eq!(
            config.include_paths,
            [PathBuf::from("conf/inc"), PathBuf::from("/etc/nftables.d")]
        );
    }

    #[test]
    fn errors_name_the_file_and_line() {
        assert_eq!(
            error("ssh-ports = [22]\n\n[rules]\nno-such-rule = \"error\"\n"),
            "conf/nftlint.toml:4: unknown rule `no-such-rule`; `nftlint explain` lists every rule"
        );
        assert_eq!(
            error("[rules]\nsyntax-error = \"fatal\"\n"),
            "conf/nftlint.toml:2: `fatal` is not a level for `syntax-error`; expected \"error\", \
             \"warning\", \"info\" or \"off\""
        );
        assert_eq!(
            error("[rules]\nsyntax-error = \"off\"\nNFT001 = \"error\"\n"),
            "conf/nftlint.toml:3: `NFT001` sets NFT001 syntax-error a second time"
        );
        assert_eq!(
            error("ssh-ports = [22,\n  0]\n"),
            "conf/nftlint.toml:2: 0 is not a port; ports run from 1 to 65535"
        );
        let unknown = error("\nssh_ports = [22]\n");
        assert!(
            unknown.starts_with("conf/nftlint.toml:2: unknown field `ssh_ports`"),
            "{unknown}"
        );
        assert_eq!(
            error("ssh-ports = [70000]\n"),
            "conf/nftlint.toml:1: 70000 is not a port; ports run from 1 to 65535"
        );
        let not_toml = error("[rules\n");
        assert!(not_toml.starts_with("conf/nftlint.toml:1: "), "{not_toml}");
    }

    #[test]
    fn apply_changes_severities_and_drops_rules_that_are_off() {
        let rule = registry::find("syntax-error").unwrap();
        let diagnostics = vec![Diagnostic::new(rule, 0..1, "x")];

        let mut changed = diagnostics.clone();
        parse("[rules]\nsyntax-error = \"info\"\n")
            .unwrap()
            .apply(&mut changed);
        assert_eq!(changed[0].severity, Severity::Info);

        let mut dropped = diagnostics.clone();
        parse("[rules]\nsyntax-error = \"off\"\n")
            .unwrap()
            .apply(&mut dropped);
        assert!(dropped.is_empty());

        let mut kept = diagnostics.clone();
        Config::default().apply(&mut kept);
        assert_eq!(kept, diagnostics);
    }

    #[test]
    fn discover_searches_upward_and_stops_at_the_first_file() {
        let root = std::env::temp_dir().join(format!("nftlint-config-{}", std::process::id()));
        let deep = root.join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.join(FILE_NAME), "ssh-ports = [2222]\n").unwrap();
        std::fs::write(root.join("a").join(FILE_NAME), "ssh-ports = [22, 23]\n").unwrap();

        let (path, config) = Config::discover(&deep).unwrap().expect("a file above");
        assert_eq!(path, root.join("a").join(FILE_NAME).canonicalize().unwrap());
        assert_eq!(config.ssh_ports, [22, 23]);

        std::fs::write(root.join("a").join(FILE_NAME), "[rules]\nbogus = \"off\"\n").unwrap();
        let error = Config::discover(&deep).unwrap_err();
        assert_eq!(error.line, Some(2));

        std::fs::remove_dir_all(&root).unwrap();
    }
}
