//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use nftlint_analyzer::Severity;

/// A linter for nftables rulesets.
///
/// Without a command, `nftlint PATH...` runs `check`.
#[derive(Debug, Parser)]
#[command(
    name = "nftlint",
    version,
    arg_required_else_help = true,
    // `nftlint FILE` is `nftlint check FILE`: the check options live on the top level too, and
    // naming a command switches them off.
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories for problems (the default command).
    Check(CheckArgs),
    /// Run packets through a ruleset as the kernel would: which rule of which chain decides.
    Eval(EvalArgs),
    /// Run the language server on standard input and output, for editors.
    Lsp {
        /// Standard input and output, the only transport: accepted because LSP clients add it.
        #[arg(long)]
        stdio: bool,
    },
    /// Print the lossless syntax tree of a file, one element a line.
    Syntax {
        /// The file to parse, or `-` for standard input.
        file: PathBuf,
    },
    /// Print the documentation of a rule, or list every rule.
    Explain {
        /// A rule's name (`syntax-error`) or code (`NFT001`).
        rule: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check, directories to search for `*.nft` and `*.conf` files, or `-` for
    /// standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Check only these rules (names or codes, comma-separated; may be repeated).
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not check these rules (names or codes, comma-separated; may be repeated). Wins over
    /// `--select`.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this configuration file instead of the `nftlint.toml` found upward from each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Search this directory for relative includes, like nft's `-I` (may be repeated; searched
    /// before the configuration's `include-paths`).
    #[arg(long = "include-path", short = 'I', value_name = "DIR")]
    pub include_paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// nft's own error layout: `file:line:col: severity[CODE name]: message`, the source line and
    /// carets.
    Human,
    /// One JSON object with every finding.
    Json,
    /// SARIF 2.1.0, for code scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

/// The severities, as `--fail-on` spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(fail_on: FailOn) -> Self {
        match fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The ruleset, or `-` for standard input.
    pub file: PathBuf,
    /// The packet, in nft's match words: `iifname eth0 ip saddr 192.0.2.7 tcp dport 22 ct state
    /// new`. What it leaves out takes the documented defaults.
    #[arg(long, value_name = "SPEC", required_unless_present = "jsonl")]
    pub packet: Option<String>,
    /// Many packets: a file with one `{"path": .., "packet": .., "time": ..}` object a line
    /// (`path` and `time`, in seconds since loading, are optional).
    #[arg(long, value_name = "CASES", conflicts_with = "packet")]
    pub jsonl: Option<PathBuf>,
    /// The hooks the packet passes: `input` (prerouting, input), `output` (output,
    /// postrouting) or `forward` (prerouting, forward, postrouting).
    #[arg(long, value_enum, default_value_t = PacketPath::Input)]
    pub path: PacketPath,
    /// How to print the outcome: a trace like `nft monitor trace`, or one JSON object a packet.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
    /// Exit with 1 unless every packet gets this verdict.
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub expect: Option<Expected>,
    /// Search this directory for relative includes, like nft's `-I` (may be repeated).
    #[arg(long = "include-path", short = 'I', value_name = "DIR")]
    pub include_paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PacketPath {
    Input,
    Output,
    Forward,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Expected {
    Accept,
    Drop,
}
