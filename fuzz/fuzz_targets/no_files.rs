//! A file system without files: fuzzed rulesets include nothing from the machine's disk.

use std::io;
use std::path::{Path, PathBuf};

pub struct NoFiles;

impl nftlint_analyzer::FileLoader for NoFiles {
    fn read(&self, _: &Path) -> io::Result<String> {
        Err(io::ErrorKind::NotFound.into())
    }

    fn read_dir(&self, _: &Path) -> io::Result<Vec<PathBuf>> {
        Err(io::ErrorKind::NotFound.into())
    }
}
