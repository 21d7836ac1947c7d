//! The CLI's own failures (unreadable input, unknown rule), as opposed to findings in rulesets.
//! Each ends the run with exit code 2.

use std::io;
use std::path::PathBuf;

use miette::Diagnostic;
use nftlint_analyzer::config::ConfigError;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum CliError {
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(nftlint::read))]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("cannot search directory {}", path.display())]
    #[diagnostic(code(nftlint::read))]
    Walk {
        path: PathBuf,
        #[source]
        source: walkdir::Error,
    },

    #[error(
        "{name} is not valid UTF-8: invalid byte 0x{byte:02x} at byte offset {offset} \
         (line {line}, column {column})"
    )]
    #[diagnostic(
        code(nftlint::encoding),
        help("nft reads rulesets as UTF-8; re-encode the file")
    )]
    NotUtf8 {
        name: String,
        byte: u8,
        offset: usize,
        line: usize,
        column: usize,
    },

    #[error("unknown rule `{0}`")]
    #[diagnostic(
        code(nftlint::unknown_rule),
        help("`nftlint explain` lists every rule")
    )]
    UnknownRule(String),

    #[error("unknown rule `{name}` in {option}")]
    #[diagnostic(
        code(nftlint::unknown_rule),
        help("`nftlint explain` lists every rule")
    )]
    UnknownRuleOption { option: &'static str, name: String },

    #[error("{0}")]
    #[diagnostic(code(nftlint::config))]
    Config(ConfigError),

    #[error("{message}")]
    #[diagnostic(code(nftlint::packet))]
    Packet {
        message: String,
        #[source_code]
        spec: miette::NamedSource<String>,
        #[label("here")]
        word: miette::SourceSpan,
    },

    #[error("{path}:{line}: {message}")]
    #[diagnostic(
        code(nftlint::cases),
        help(r#"each line is an object like {{"path": "input", "packet": "tcp dport 22", "time": 0.5}}"#)
    )]
    Cases {
        path: String,
        line: usize,
        message: String,
    },

    #[error("cannot start the language server")]
    #[diagnostic(code(nftlint::lsp))]
    Server(#[source] io::Error),

    #[error("cannot write the report")]
    #[diagnostic(code(nftlint::write))]
    Write(#[source] io::Error),
}
