//! Resolving `include "PATH"` the way nft does: a relative path is looked up next to the including
//! file, then in each `--include-path` directory, then in nft's default include directory. A glob
//! in the file name (`*.nft`) includes every match in C-locale order, skipping dot files; a glob
//! that matches nothing is fine, a plain file that does not exist is an error.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::FileLoader;

/// nft's `DEFAULT_INCLUDE_PATH` on Linux distributions.
const DEFAULT_INCLUDE_DIR: &str = "/etc";

/// nft's `MAX_INCLUDE_DEPTH`.
pub(crate) const MAX_DEPTH: usize = 16;

pub(crate) enum Resolved {
    /// What a glob matched, not read yet.
    Glob(Vec<PathBuf>),
    /// A plain file, read while looking for it, so that it is not read twice.
    File(PathBuf, io::Result<String>),
    NotFound {
        searched: Vec<PathBuf>,
    },
}

pub(crate) fn resolve(
    pattern: &str,
    including: &Path,
    include_paths: &[PathBuf],
    loader: &dyn FileLoader,
) -> Resolved {
    let pattern = Path::new(pattern);
    let bases: Vec<PathBuf> = if pattern.is_absolute() {
        vec![PathBuf::new()]
    } else {
        let mut bases = vec![
            including
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        ];
        bases.extend(include_paths.iter().cloned());
        bases.push(PathBuf::from(DEFAULT_INCLUDE_DIR));
        bases
    };
    let file_name = pattern
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let is_glob = file_name.contains(['*', '?', '[']);
    let mut searched = Vec::new();
    for base in bases {
        let candidate = normalize(&base.join(pattern));
        if is_glob {
            let dir = candidate
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let Ok(entries) = loader.read_dir(&dir) else {
                continue;
            };
            let mut matches: Vec<PathBuf> = entries
                .into_iter()
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| !n.starts_with('.') && glob_match(file_name, n))
                })
                .collect();
            matches.sort_by(|a, b| {
                a.as_os_str()
                    .as_encoded_bytes()
                    .cmp(b.as_os_str().as_encoded_bytes())
            });
            return Resolved::Glob(matches);
        }
        // A file that exists but cannot be read (a directory, a device, a file too large or not
        // UTF-8) is the one nft would take too: reading it then says why it fails, where "not
        // found" would mislead.
        match loader.read(&candidate) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => searched.push(candidate),
            read => return Resolved::File(candidate, read),
        }
    }
    if is_glob {
        Resolved::Glob(Vec::new())
    } else {
        Resolved::NotFound { searched }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system, so cycles are found by comparing paths.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Shell-style matching of one path component: `*`, `?` and `[...]` classes (with `!` or `^`).
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(close) = p.iter().skip(2).position(|&c| c == ']').map(|i| i + 2) else {
                    return n.first() == Some(&'[') && go(&p[1..], &n[1..]);
                };
                let Some(&c) = n.first() else { return false };
                let (negated, class) = match p[1] {
                    '!' | '^' => (true, &p[2..close]),
                    _ => (false, &p[1..close]),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negated && go(&p[close + 1..], &n[1..])
            }
            Some(&c) => n.first() == Some(&c) && go(&p[1..], &n[1..]),
        }
    }
    go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_the_shell() {
        assert!(glob_match("*.nft", "a.nft"));
        assert!(!glob_match("*.nft", "a.conf"));
        assert!(glob_match("rule?.nft", "rule1.nft"));
        assert!(glob_match("[0-9]*-x.nft", "10-x.nft"));
        assert!(!glob_match("[!0-9]*", "1a"));
    }

    #[test]
    fn normalize_removes_dots() {
        assert_eq!(
            normalize(Path::new("/etc/nft/../a/./b.nft")),
            PathBuf::from("/etc/a/b.nft")
        );
    }
}
