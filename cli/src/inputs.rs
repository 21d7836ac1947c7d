//! Turns the paths on the command line into named source texts.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use nftlint_analyzer::read_at_most;
use walkdir::WalkDir;

use crate::errors::CliError;

/// The name standard input goes by in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// One file's text and the path reports give it: as the user wrote it, as found under a
/// directory they named, or `<stdin>`.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

/// Reads every file the paths name, in command-line order, with each directory's files sorted.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<Source>, CliError> {
    let mut sources = Vec::new();
    for path in paths {
        if path.is_dir() {
            for file in ruleset_files(path)? {
                sources.push(read(&file)?);
            }
        } else {
            sources.push(read(path)?);
        }
    }
    Ok(sources)
}

/// Reads one file, or standard input for `-`.
pub fn read(path: &Path) -> Result<Source, CliError> {
    let read_error = |source| CliError::Read {
        path: path.to_owned(),
        source,
    };
    // Bounded like the files a ruleset includes, since a path given by a hook may be a symbolic
    // link to a device that never ends; but any kind of file, so that `<(command)` still works.
    let (path, bytes) = if path == Path::new("-") {
        let bytes = read_at_most(io::stdin()).map_err(read_error)?;
        (PathBuf::from(STDIN_NAME), bytes)
    } else {
        let bytes = File::open(path).and_then(read_at_most);
        (path.to_owned(), bytes.map_err(read_error)?)
    };
    let text = decode(&path.display().to_string(), bytes)?;
    Ok(Source { path, text })
}

/// The files under `dir` that look like rulesets (`nftables.conf` is among the `*.conf`), sorted
/// so reports are stable. Symlinked files count; symlinked directories are not entered.
fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|source| CliError::Walk {
            path: dir.to_owned(),
            source,
        })?;
        let path = entry.path();
        let ruleset = matches!(
            path.extension().and_then(|ext| ext.to_str()),
            Some("nft" | "conf")
        );
        if ruleset && path.is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The text of a file, or an error that says where its first invalid byte is.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String, CliError> {
    nftlint_analyzer::decode(bytes).map_err(|error| CliError::NotUtf8 {
        name: name.to_owned(),
        byte: error.byte,
        offset: error.offset,
        line: error.line,
        column: error.column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_yield_nft_and_conf_files_sorted() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ruleset.d");
        let found: Vec<PathBuf> = ruleset_files(&dir)
            .unwrap()
            .into_iter()
            .map(|path| path.strip_prefix(&dir).unwrap().to_owned())
            .collect();
        let expected: Vec<PathBuf> = ["10-loopback.nft", "20-broken.conf", "sub/nftables.conf"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let error = decode("x.nft", b"table ip t {\n  # \xc3\xa4 \xff\n}\n".to_vec()).unwrap_err();
        let CliError::NotUtf8 {
            byte,
            offset,
            line,
            column,
            ..
        } = error
        else {
            panic!("expected an encoding error, got {error:?}");
        };
        assert_eq!((byte, offset, line, column), (0xff, 20, 2, 7));
    }
}
