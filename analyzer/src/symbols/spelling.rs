//! "Did you mean" suggestions, with the same tolerance as nft's `misspell.c`.

/// The longest name, in characters, that gets a suggestion. Computing a distance takes the product
/// of the two lengths: pasted files can hold names of megabytes, and nobody misspells those.
const MAX_LEN: usize = 256;

/// The candidate closest to `name` by edit distance, if one is close enough to be a likely typo.
///
/// The distance counts insertions, deletions, substitutions and swaps of adjacent characters.
/// A candidate qualifies when its distance is at most about a third of the longer length, the
/// rule nft uses for its own suggestions, so nftlint proposes what nft would. Ties go to the
/// earlier candidate. Two names of at most one character are never paired, and names longer
/// than [`MAX_LEN`] are never compared.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name: Vec<char> = name.chars().collect();
    if name.len() > MAX_LEN {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let chars: Vec<char> = candidate.chars().take(MAX_LEN + 1).collect();
        if chars.len() > MAX_LEN {
            continue;
        }
        let (longer, shorter) = if chars.len() > name.len() {
            (chars.len(), name.len())
        } else {
            (name.len(), chars.len())
        };
        if longer <= 1 {
            continue;
        }
        let threshold = if longer - shorter <= 1 {
            longer.div_ceil(3).max(1)
        } else {
            (longer + 2).div_ceil(3)
        };
        // The distance is at least the difference in length: no need to compute it then.
        if longer - shorter > threshold {
            continue;
        }
        let distance = distance(&name, &chars);
        if distance <= threshold && best.is_none_or(|(least, _)| distance < least) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
fn distance(a: &[char], b: &[char]) -> usize {
    // Three rows suffice: a transposition looks back two rows.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: &str, b: &str) -> usize {
        distance(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn distances() {
        assert_eq!(dist("", ""), 0);
        assert_eq!(dist("abc", ""), 3);
        assert_eq!(dist("", "abc"), 3);
        assert_eq!(dist("kitten", "sitting"), 3);
        assert_eq!(dist("tcp", "tpc"), 1);
        assert_eq!(dist("established", "establihsed"), 1);
        assert_eq!(dist("ca", "abc"), 3);
    }

    #[test]
    fn picks_the_closest_within_reach() {
        let names = ["new", "established", "related", "invalid", "untracked"];
        assert_eq!(closest("establised", names), Some("established"));
        assert_eq!(closest("relatd", names), Some("related"));
        assert_eq!(closest("nwe", names), Some("new"));
        assert_eq!(closest("xyz", names), None);
        assert_eq!(closest("n", names), Some("new"));
        assert_eq!(closest("x", ["y"]), None);
        // Ties keep the first candidate.
        assert_eq!(closest("ab", ["ac", "ab1"]), Some("ac"));
        // Past the longest name compared: no suggestion, however close.
        let long = "a".repeat(MAX_LEN + 1);
        assert_eq!(closest(&long, [&long[1..]]), None);
        assert_eq!(closest(&long[2..], [&long[1..]]), Some(&long[1..]));
    }
}
