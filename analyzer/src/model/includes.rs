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
///
/// Greedy, going back only to the last `*`: linear in practice and never exponential, where
/// trying every split at every `*` would hang on `*a*a*a*a*a*a*a*b` against a long name of `a`s.
/// Going back further is never needed: whatever a later `*` matches, an earlier one may too.
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    // The last `*` seen, and where in the name what it matches ends so far.
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if p.get(pi) == Some(&'*') {
            star = Some((pi, ni));
            pi += 1;
            continue;
        }
        if let Some(len) = p.get(pi).and_then(|_| match_one(&p[pi..], n[ni])) {
            pi += len;
            ni += 1;
            continue;
        }
        // A mismatch: the last `*` takes one more character, or nothing matches.
        let Some((at, taken)) = star else {
            return false;
        };
        star = Some((at, taken + 1));
        pi = at + 1;
        ni = taken + 1;
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether the element that starts `p` (a character, `?` or a class) matches `c`: its length in
/// the pattern if so. A `[` without its `]` is a plain character.
fn match_one(p: &[char], c: char) -> Option<usize> {
    match p[0] {
        '?' => Some(1),
        '[' => {
            let Some(close) = p.iter().skip(2).position(|&c| c == ']').map(|i| i + 2) else {
                return (c == '[').then_some(1);
            };
            let (negated, class) = match p[1] {
                '!' | '^' => (true, &p[2..close]),
                _ => (false, &p[1..close]),
            };
            (in_class(class, c) != negated).then_some(close + 1)
        }
        literal => (literal == c).then_some(1),
    }
}

/// Whether `c` is one of the characters or `a-z` ranges of a class.
fn in_class(class: &[char], c: char) -> bool {
    let mut i = 0;
    while i < class.len() {
        if i + 2 < class.len() && class[i + 1] == '-' {
            if class[i] <= c && c <= class[i + 2] {
                return true;
            }
            i += 3;
        } else {
            if class[i] == c {
                return true;
            }
            i += 1;
        }
    }
    false
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
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("a*b*c", "aXbYbZ"));
        assert!(glob_match("[a", "[a"));
        assert!(glob_match("*.nft", ".nft"));
    }

    /// Every split tried at every `*` would take longer than the universe's age here.
    #[test]
    fn globs_with_many_stars_match_in_linear_time() {
        let name = "a".repeat(250);
        assert!(!glob_match(&("*a".repeat(20) + "b"), &name));
        assert!(glob_match(&"*a".repeat(20), &name));
    }

    #[test]
    fn normalize_removes_dots() {
        assert_eq!(
            normalize(Path::new("/etc/nft/../a/./b.nft")),
            PathBuf::from("/etc/a/b.nft")
        );
    }
}
