//! Where the analyzer reads files from, and the files an analysis read.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::LineIndex;

/// The largest file nftlint reads, in bytes: 64 MiB, far beyond any real ruleset. A larger file,
/// or one that never ends such as `/dev/zero`, is refused rather than read into memory.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Reads the files a ruleset includes: from disk for the CLI, from open buffers in an editor.
pub trait FileLoader {
    /// The text of a regular file. Anything else (a directory, a device) is an error.
    fn read(&self, path: &Path) -> io::Result<String>;
    /// The entries of a directory, for glob includes.
    fn read_dir(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
}

/// Reads from the file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct DiskLoader;

impl FileLoader for DiskLoader {
    fn read(&self, path: &Path) -> io::Result<String> {
        decode(read_file(path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    fn read_dir(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(dir)?
            .map(|entry| entry.map(|e| e.path()))
            .collect()
    }
}

/// One file an analysis read: the checked file first, then the files it includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it (the checked file) or as the include resolved it.
    pub path: PathBuf,
    pub text: String,
}

/// The bytes of a regular file (a symbolic link to one will do) of at most [`MAX_FILE_SIZE`]
/// bytes. Like nft, anything else is refused: a directory, a device such as `/dev/zero`, a FIFO
/// that would block.
fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    // Checked before opening, because opening a FIFO waits for a writer; and again on what was
    // opened, in case the path was replaced in between.
    regular(&std::fs::metadata(path)?)?;
    let file = File::open(path)?;
    regular(&file.metadata()?)?;
    read_at_most(file)
}

/// Everything `reader` gives, up to [`MAX_FILE_SIZE`] bytes; an error past that, without reading
/// more than one byte beyond it.
pub fn read_at_most(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large());
    }
    Ok(bytes)
}

fn regular(meta: &std::fs::Metadata) -> io::Result<()> {
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "larger than {} MiB, the most nftlint reads",
            MAX_FILE_SIZE / 1024 / 1024
        ),
    )
}

/// Where the first byte that is not UTF-8 lies in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    pub byte: u8,
    /// Bytes before it.
    pub offset: usize,
    /// 1-based, as [`LineIndex`] counts them.
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not valid UTF-8: invalid byte 0x{:02x} at byte offset {} (line {}, column {})",
            self.byte, self.offset, self.line, self.column
        )
    }
}

impl std::error::Error for NotUtf8 {}

/// The text of a file, or where its first invalid byte is: nft reads rulesets as UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let valid = std::str::from_utf8(&bytes[..offset]).expect("valid_up_to marks valid UTF-8");
        let position = LineIndex::new(valid).line_col(offset);
        NotUtf8 {
            byte: bytes[offset],
            offset,
            line: position.line,
            column: position.column,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_no_further() {
        let limit = usize::try_from(MAX_FILE_SIZE).expect("64 MiB fits");
        let at_limit = read_at_most(io::repeat(b'#').take(MAX_FILE_SIZE)).expect("at the limit");
        assert_eq!(at_limit.len(), limit);
        // An endless reader, like /dev/zero behind a pipe: refused after the limit.
        let endless = read_at_most(io::repeat(0)).expect_err("past the limit");
        assert_eq!(endless.kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let error =
            decode(b"table ip t {\n  # \xc3\xa4 \xff\n}\n".to_vec()).expect_err("not UTF-8");
        assert_eq!(
            error.to_string(),
            "not valid UTF-8: invalid byte 0xff at byte offset 20 (line 2, column 7)"
        );
    }
}
