//! Helpers shared by nftlint's cross-crate tests: where the corpus lives, reading it, what nft
//! said of each file, running the analyzer on it, and describing a problem by `line:col` the way
//! nft does.
//!
//! The corpus is GPL test data kept beside the repository (`../shared/corpus`), so it is read at
//! run time and never copied into this tree.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nftlint_analyzer::{Analysis, Diagnostic, DiskLoader, LineIndex, Options, Severity};
use nftlint_syntax::Parse;

/// The corpus root: `$NFTLINT_CORPUS` if set, else `shared/corpus` beside the repository.
///
/// Panics when the directory is missing: a conformance test that finds no files must not pass.
pub fn corpus_root() -> PathBuf {
    let root = match std::env::var_os("NFTLINT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    assert!(
        root.is_dir(),
        "nftlint test corpus not found at {}: check out `shared/` beside the repository \
         (so that ../shared/corpus exists) or set NFTLINT_CORPUS to the corpus directory",
        root.display()
    );
    root
}

/// One corpus file: its path relative to the corpus root, and its text.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub name: String,
    pub text: String,
}

/// Every file under `dir` (relative to the corpus root, searched recursively) whose path `keep`
/// accepts, sorted by name. Panics if `dir` is missing or holds no such file.
pub fn corpus_files(dir: &str, keep: impl Fn(&Path) -> bool) -> Vec<CorpusFile> {
    let root = corpus_root();
    let mut paths = Vec::new();
    collect(&root.join(dir), &mut paths);
    paths.retain(|p| keep(p));
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no matching files under {}",
        root.join(dir).display()
    );
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            CorpusFile { name, text }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// True for paths ending in `.nft`.
pub fn is_nft(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "nft")
}

/// Everything in a corpus folder but the folder's own documentation, `README.md` and
/// `MANIFEST.tsv`.
pub fn is_corpus_data(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name != "README.md" && !name.starts_with("MANIFEST")
}

/// The rulesets meant to be valid: upstream's shell-test dumps and the real-world files.
pub fn valid_corpus() -> Vec<CorpusFile> {
    let mut files = corpus_files("upstream/shell-dumps", is_nft);
    files.extend(corpus_files("real-world", is_corpus_data));
    files
}

/// Whether `nft -c -f` of nftables 1.0.6 accepted each file of [`valid_corpus`], by
/// [`CorpusFile::name`], as the corpus records it: `shell-dumps.nft-1.0.6-check.tsv` for the
/// upstream dumps and `real-world/MANIFEST.tsv`. Anything but `OK` is a rejection.
pub fn nft_1_0_6_accepts() -> HashMap<String, bool> {
    let mut accepts = HashMap::new();
    for (tsv, column, dir) in [
        (
            "upstream/shell-dumps.nft-1.0.6-check.tsv",
            "nft_1.0.6_check",
            "upstream/shell-dumps",
        ),
        ("real-world/MANIFEST.tsv", "nft_check", "real-world"),
    ] {
        for (file, verdict) in tsv_columns(tsv, column) {
            accepts.insert(format!("{dir}/{file}"), verdict == "OK");
        }
    }
    accepts
}

/// The first column (the file name) and column `column` of each row of a corpus TSV file.
fn tsv_columns(tsv: &str, column: &str) -> Vec<(String, String)> {
    let path = corpus_root().join(tsv);
    let table = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows = table.lines().map(|row| row.split('\t').collect::<Vec<_>>());
    let header = rows.next().unwrap_or_default();
    let index = header
        .iter()
        .position(|&name| name == column)
        .unwrap_or_else(|| panic!("{} has no column {column}", path.display()));
    rows.filter(|row| row.len() > index)
        .map(|row| (row[0].to_string(), row[index].to_string()))
        .collect()
}

/// Runs the analyzer on the file at `path` as the CLI does, with no include directories of our
/// own: an include the machine lacks is then reported the same way wherever the tests run.
pub fn lint(path: &Path, text: String) -> Analysis {
    let options = Options {
        include_paths: Vec::new(),
        ..Options::default()
    };
    nftlint_analyzer::analyze(path, text, &options, &DiskLoader)
}

/// The diagnostics that say nft will not load the ruleset: every error but `lockout-risk`, which
/// speaks of what a ruleset nft loads would do.
pub fn errors(analysis: &Analysis) -> impl Iterator<Item = &Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.name != "lockout-risk")
}

/// A diagnostic as `file:line:col code message`, naming the checked file `name`.
pub fn describe(analysis: &Analysis, name: &str, diagnostic: &Diagnostic) -> String {
    let file = analysis.file(diagnostic.file.as_deref());
    let at = LineIndex::new(&file.text).line_col(diagnostic.range.start);
    let file_name = match &diagnostic.file {
        Some(path) => path.display().to_string(),
        None => name.to_string(),
    };
    format!(
        "{file_name}:{}:{} {} {}",
        at.line, at.column, diagnostic.code, diagnostic.message
    )
}

/// 1-based line and column of byte `offset`; columns count Unicode scalar values, as nftlint's
/// diagnostics do. An offset inside a multi-byte character counts that character as begun.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    // Every byte that is not a UTF-8 continuation byte starts a character.
    let col = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (line, col)
}

/// What is wrong with a parse of `text`, if anything: the tree does not print back the input, or
/// the first syntax error as `line:col: message` and how many there are.
pub fn problem(text: &str, parse: &Parse) -> Option<String> {
    if let Some(problem) = round_trip_problem(text, parse) {
        return Some(problem);
    }
    let first = parse.errors().first()?;
    let (line, col) = line_col(text, first.range.start);
    let count = parse.errors().len();
    let plural = if count == 1 { "" } else { "s" };
    Some(format!(
        "{line}:{col}: {} ({count} syntax error{plural})",
        first.message
    ))
}

/// `line:col` where the printed tree first differs from `text`, or `None` if it is identical.
pub fn round_trip_problem(text: &str, parse: &Parse) -> Option<String> {
    let printed = parse.syntax().to_string();
    if printed == text {
        return None;
    }
    let common = text
        .bytes()
        .zip(printed.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let (line, col) = line_col(text, common);
    Some(format!(
        "{line}:{col}: the tree does not print back the input from here"
    ))
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "ab\nçd\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, text.len()), (3, 1));
    }
}
