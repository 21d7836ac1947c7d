//! Where the analyzer reads files from, and the files an analysis read.

use std::io;
use std::path::{Path, PathBuf};

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
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        std::fs::read_to_string(path)
    }

    fn read_dir(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(dir)?
            .map(|entry| entry.map(|e| e.path()))
            .collect()
    }
}

/// One file an analysis read: the checked file first, then the files it includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it (the checked file) or as the include resolved it.
    pub path: PathBuf,
    pub text: String,
}
