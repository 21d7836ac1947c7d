//! Differential testing against nft itself: whenever the analyzer reports an error on a file,
//! `nft -c -f` must refuse that file too. An error-severity diagnostic promises that nft will not
//! load the ruleset, and nft is the judge of that promise.
//!
//! Inputs are the valid corpus, the real-world files with real mistakes, and variants of corpus
//! files that a single edit likely breaks (a brace gone, a port out of range, a chain that does
//! not exist). The other direction, nft refusing what the analyzer lets through, is expected: nft
//! checks more than the analyzer does, and its check reaches the kernel.
//!
//! nft runs only as root and only inside a network namespace made for the run, so that even a
//! mistake in `-c` handling could touch nothing but a throw-away ruleset. Without root, `ip` or
//! `nft`, or when namespaces cannot be made, the test says why it skips and passes.
//!
//! nft here is whatever the machine has (Debian's 1.0.6 in CI), while the analyzer follows
//! 1.1.6: upstream dumps that the corpus records as rejected by 1.0.6 are left out of the
//! comparison and only counted.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use nftlint_tests::{
    CorpusFile, corpus_files, corpus_root, describe, errors, is_corpus_data, lint,
    nft_1_0_6_accepts, valid_corpus,
};

/// Variants made per mutation. With the mutations below and nft taking 10 to 100 ms a file, this
/// keeps the variants well under a minute.
const VARIANTS_PER_MUTATION: usize = 8;

#[test]
fn nft_rejects_every_file_the_analyzer_reports_an_error_on() {
    let namespace = match Namespace::create() {
        Ok(namespace) => namespace,
        Err(reason) => {
            println!("SKIP nft differential test: {reason}");
            return;
        }
    };
    println!("nft differential test with {}", namespace.nft_version);
    let mut comparison = Comparison {
        namespace: &namespace,
        groups: BTreeMap::new(),
        disagreements: Vec::new(),
    };

    let accepts = nft_1_0_6_accepts();
    let (mut left_out, mut left_out_flagged) = (0, 0);
    for file in valid_corpus() {
        let path = corpus_root().join(&file.name);
        if file.name.starts_with("upstream/") && accepts.get(&file.name) == Some(&false) {
            left_out += 1;
            left_out_flagged += usize::from(first_error(&path, &file).is_some());
            continue;
        }
        comparison.compare(&["corpus"], &path, &file);
    }
    for file in corpus_files("real-world-invalid", is_corpus_data) {
        comparison.compare(
            &["real-world-invalid"],
            &corpus_root().join(&file.name),
            &file,
        );
    }

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nft-differential");
    // Left over from an earlier run: start from nothing so that no stale variant is read.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the variants directory");
    for variant in variants(&accepts) {
        let stem = variant.source.rsplit('/').next().unwrap_or_default();
        let path = dir.join(format!("{}__{stem}", variant.mutation));
        std::fs::write(&path, &variant.text).expect("write a variant");
        let file = CorpusFile {
            name: format!("{} of {}", variant.mutation, variant.source),
            text: variant.text,
        };
        let by_mutation = format!("variants: {}", variant.mutation);
        comparison.compare(&["variants", &by_mutation], &path, &file);
    }

    println!(
        "left out: {left_out} upstream dumps that nft 1.0.6 rejects (newer syntax, kernel \
         features); nftlint reports an error on {left_out_flagged} of them"
    );
    let mut total = Confusion::default();
    for (group, confusion) in &comparison.groups {
        println!("{group:>38}: {confusion}");
        if !group.starts_with("variants: ") {
            total.merge(confusion);
        }
    }
    println!("{:>38}: {total}", "all");
    let disagreements = &comparison.disagreements;
    assert!(
        disagreements.is_empty(),
        "nftlint reports an error where nft accepts the file ({}; variants are in {}):\n{}",
        disagreements.len(),
        dir.display(),
        disagreements.join("\n")
    );
}

/// The analyzer's first error on a file, as `file:line:col code message`.
fn first_error(path: &Path, file: &CorpusFile) -> Option<String> {
    let analysis = lint(path, file.text.clone());
    errors(&analysis)
        .next()
        .map(|error| describe(&analysis, &file.name, error))
}

/// The verdicts so far: tallied by group, and every file nftlint reports an error on while nft
/// accepts it.
struct Comparison<'a> {
    namespace: &'a Namespace,
    groups: BTreeMap<String, Confusion>,
    disagreements: Vec<String>,
}

impl Comparison<'_> {
    /// Checks the file at `path` with both and tallies the verdicts in each of `groups`.
    fn compare(&mut self, groups: &[&str], path: &Path, file: &CorpusFile) {
        let error = first_error(path, file);
        let rejected = self.namespace.nft_rejects(path);
        for group in groups {
            let confusion = self.groups.entry(group.to_string()).or_default();
            confusion.add(error.is_some(), rejected);
        }
        if let (Some(error), false) = (error, rejected) {
            self.disagreements.push(error);
        }
    }
}

/// How the analyzer's verdict and nft's compare over a set of files.
#[derive(Debug, Default)]
struct Confusion {
    both_reject: usize,
    only_nft_rejects: usize,
    only_nftlint_errors: usize,
    both_accept: usize,
}

impl Confusion {
    fn add(&mut self, nftlint_error: bool, nft_rejects: bool) {
        *match (nftlint_error, nft_rejects) {
            (true, true) => &mut self.both_reject,
            (false, true) => &mut self.only_nft_rejects,
            (true, false) => &mut self.only_nftlint_errors,
            (false, false) => &mut self.both_accept,
        } += 1;
    }

    fn merge(&mut self, other: &Confusion) {
        self.both_reject += other.both_reject;
        self.only_nft_rejects += other.only_nft_rejects;
        self.only_nftlint_errors += other.only_nftlint_errors;
        self.both_accept += other.both_accept;
    }
}

impl fmt::Display for Confusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "both reject {:>3} | only nft rejects {:>3} | only nftlint errors {:>3} | both accept {:>3}",
            self.both_reject, self.only_nft_rejects, self.only_nftlint_errors, self.both_accept
        )
    }
}

/// How long one `nft -c` may take, for `timeout`: it takes well under a second.
const NFT_TIMEOUT: &str = "60s";

/// A network namespace that lives as long as the test, so that nft's netlink check runs against
/// an empty ruleset of its own. Dropping it deletes the namespace, on a panic too.
struct Namespace {
    name: String,
    nft_version: String,
}

impl Namespace {
    /// A new namespace with nft runnable inside, or why there cannot be one.
    fn create() -> Result<Self, String> {
        let uid = run(Command::new("id").arg("-u")).map_err(|e| format!("cannot run id: {e}"))?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Err(
                "not running as root, and nft may only run in a namespace of its own".into(),
            );
        }
        run(Command::new("ip").arg("-V"))
            .map_err(|e| format!("cannot run ip (install iproute2): {e}"))?;
        let name = format!("nftlint-diff-{}", std::process::id());
        let added = run(Command::new("ip").args(["netns", "add", &name]))
            .map_err(|e| format!("cannot run ip netns add: {e}"))?;
        if !added.status.success() {
            return Err(format!(
                "cannot create network namespace {name}: {}",
                String::from_utf8_lossy(&added.stderr).trim()
            ));
        }
        let mut namespace = Namespace {
            name,
            nft_version: String::new(),
        };
        let version = run(namespace.nft().arg("--version"))
            .map_err(|e| format!("cannot run ip netns exec: {e}"))?;
        if !version.status.success() {
            return Err(format!(
                "cannot run nft (install nftables): {}",
                String::from_utf8_lossy(&version.stderr).trim()
            ));
        }
        namespace.nft_version = String::from_utf8_lossy(&version.stdout).trim().to_string();
        Ok(namespace)
    }

    /// nft, to be run in the namespace. Under `timeout`, so that an nft stuck on something of
    /// the machine's, such as a name lookup, fails the test instead of hanging CI.
    fn nft(&self) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name, "timeout", NFT_TIMEOUT, "nft"]);
        command
    }

    /// Whether `nft -c -f path` refuses the file. Only checks: `-c` commits nothing, and the
    /// namespace keeps even that away from the machine's own ruleset.
    fn nft_rejects(&self, path: &Path) -> bool {
        let mut command = self.nft();
        command.args(["-c", "-f"]).arg(path);
        let output = run(&mut command).unwrap_or_else(|e| panic!("cannot run nft: {e}"));
        // `timeout` exits with 124 when it had to stop nft.
        assert_ne!(
            output.status.code(),
            Some(124),
            "nft -c -f {} did not finish within {NFT_TIMEOUT}",
            path.display()
        );
        !output.status.success()
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        if let Err(e) = run(Command::new("ip").args(["netns", "del", &self.name])) {
            eprintln!("cannot delete network namespace {}: {e}", self.name);
        }
    }
}

/// Runs a command with no input, collecting its output.
fn run(command: &mut Command) -> std::io::Result<Output> {
    command.stdin(Stdio::null()).output()
}

/// A corpus file after one mutation.
struct Variant {
    mutation: &'static str,
    source: String,
    text: String,
}

/// An edit that likely makes a ruleset invalid, or `None` where it does not apply.
type Mutation = fn(&Code) -> Option<String>;

/// Mutations by name. Some keep the ruleset valid for nft (a second table of the same name in
/// another family, a `;` dropped before `}`): those check the analyzer does not cry wolf.
const MUTATIONS: &[(&str, Mutation)] = &[
    ("delete-first-close-brace", delete_first_close_brace),
    ("delete-last-close-brace", delete_last_close_brace),
    ("drop-semicolon-before-brace", drop_semicolon_before_brace),
    ("port-out-of-range", port_out_of_range),
    ("invalid-ipv4-address", invalid_ipv4_address),
    ("undefined-variable-value", undefined_variable_value),
    ("drop-define", drop_define),
    ("define-twice", define_twice),
    ("jump-to-missing-chain", jump_to_missing_chain),
    ("missing-set-reference", missing_set_reference),
    ("statement-after-verdict", statement_after_verdict),
    ("same-table-other-family", same_table_other_family),
    ("duplicate-table-block", duplicate_table_block),
];

/// For each mutation, up to [`VARIANTS_PER_MUTATION`] variants of the corpus files nft 1.0.6
/// accepts. Files are taken in the order of a hash of their names: a fixed choice, spread over
/// the whole corpus rather than the first files of one folder.
fn variants(accepts: &HashMap<String, bool>) -> Vec<Variant> {
    let mut sources: Vec<CorpusFile> = valid_corpus()
        .into_iter()
        .filter(|file| accepts.get(&file.name) == Some(&true))
        .collect();
    sources.sort_by_key(|file| fnv1a(&file.name));
    let codes: Vec<Code> = sources.iter().map(|file| Code::new(&file.text)).collect();
    let mut variants = Vec::new();
    for &(mutation, mutate) in MUTATIONS {
        let applied = sources
            .iter()
            .zip(&codes)
            .filter_map(|(file, code)| {
                mutate(code).map(|text| Variant {
                    mutation,
                    source: file.name.clone(),
                    text,
                })
            })
            .take(VARIANTS_PER_MUTATION);
        variants.extend(applied);
    }
    variants
}

/// 64-bit FNV-1a: a hash that stays the same across Rust versions and platforms.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A ruleset's text with what nft reads as code marked, so that mutations edit code and never a
/// comment or a quoted string.
struct Code<'a> {
    text: &'a str,
    /// For each byte: outside `#` comments and `"` strings.
    code: Vec<bool>,
}

impl<'a> Code<'a> {
    fn new(text: &'a str) -> Self {
        let (mut comment, mut string) = (false, false);
        let code = text
            .bytes()
            .map(|byte| match byte {
                b'\n' => {
                    (comment, string) = (false, false);
                    true
                }
                b'"' if !comment => {
                    string = !string;
                    false
                }
                b'#' if !string => {
                    comment = true;
                    false
                }
                _ => !comment && !string,
            })
            .collect();
        Code { text, code }
    }

    /// Offsets of `byte` in code.
    fn find(&self, byte: u8) -> impl DoubleEndedIterator<Item = usize> + '_ {
        self.text
            .bytes()
            .enumerate()
            .filter(move |&(i, b)| b == byte && self.code[i])
            .map(|(i, _)| i)
    }

    /// The words of the code, in order: runs of bytes other than white space and punctuation,
    /// so `$var`, `@set`, `10.0.0.0/8` and `ip6` are each one word.
    fn words(&self) -> Vec<Range<usize>> {
        let mut words = Vec::new();
        let mut start = None;
        for (i, byte) in self.text.bytes().enumerate() {
            let in_word =
                self.code[i] && !byte.is_ascii_whitespace() && !b"{}[]();,=".contains(&byte);
            match (in_word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        words.extend(start.map(|s| s..self.text.len()));
        words
    }

    /// The first word for which `pick` returns a range to replace, given the word and the one
    /// before it, with that range replaced by `with`.
    fn replace_word(
        &self,
        with: &str,
        pick: impl Fn(&str, &str) -> Option<Range<usize>>,
    ) -> Option<String> {
        let words = self.words();
        words.iter().enumerate().find_map(|(i, word)| {
            let previous = i
                .checked_sub(1)
                .map_or("", |p| &self.text[words[p].clone()]);
            let local = pick(previous, &self.text[word.clone()])?;
            Some(self.splice(word.start + local.start..word.start + local.end, with))
        })
    }

    fn splice(&self, range: Range<usize>, with: &str) -> String {
        let mut text = self.text.to_string();
        text.replace_range(range, with);
        text
    }

    /// The lines of the text with their start offsets, for line-based mutations.
    fn lines(&self) -> impl Iterator<Item = (usize, &'a str)> {
        self.text.split_inclusive('\n').scan(0, |start, line| {
            let at = *start;
            *start += line.len();
            Some((at, line))
        })
    }
}

fn delete_first_close_brace(code: &Code) -> Option<String> {
    code.find(b'}').next().map(|i| code.splice(i..i + 1, ""))
}

fn delete_last_close_brace(code: &Code) -> Option<String> {
    code.find(b'}')
        .next_back()
        .map(|i| code.splice(i..i + 1, ""))
}

fn drop_semicolon_before_brace(code: &Code) -> Option<String> {
    code.find(b';')
        .find(|&i| code.text[i + 1..].trim_start().starts_with('}'))
        .map(|i| code.splice(i..i + 1, ""))
}

/// A port number is a whole word of digits after `dport` or `sport`.
fn port(previous: &str, word: &str) -> Option<Range<usize>> {
    let is_port = previous.ends_with("dport") || previous.ends_with("sport");
    (is_port && word.bytes().all(|b| b.is_ascii_digit())).then_some(0..word.len())
}

/// The address of a word that is an IPv4 address, a prefix (`/8`) or a range (`-`).
fn ipv4(word: &str) -> Option<Range<usize>> {
    let address = word.split(['/', '-']).next()?;
    address
        .parse::<std::net::Ipv4Addr>()
        .ok()
        .map(|_| 0..address.len())
}

fn port_out_of_range(code: &Code) -> Option<String> {
    code.replace_word("99999", port)
}

fn invalid_ipv4_address(code: &Code) -> Option<String> {
    code.replace_word("300.1.1.1", |_, word| ipv4(word))
}

fn undefined_variable_value(code: &Code) -> Option<String> {
    code.replace_word("$nftlint_undefined", |previous, word| {
        port(previous, word).or_else(|| ipv4(word))
    })
}

/// A `define` line, and the name it defines, when the name is used.
fn used_define<'a>(code: &Code<'a>) -> Option<(usize, &'a str)> {
    code.lines().find(|&(start, line)| {
        let name = define_name(line);
        code.code[start] && name.is_some_and(|name| code.text.contains(&format!("${name}")))
    })
}

fn define_name(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("define ")?;
    rest.split(|c: char| c.is_whitespace() || c == '=')
        .find(|part| !part.is_empty())
}

fn drop_define(code: &Code) -> Option<String> {
    let (start, line) = used_define(code)?;
    Some(code.splice(start..start + line.len(), ""))
}

fn define_twice(code: &Code) -> Option<String> {
    let (start, line) = used_define(code)?;
    let line = if line.ends_with('\n') {
        line.to_string()
    } else {
        format!("{line}\n")
    };
    Some(code.splice(start..start, &line))
}

fn jump_to_missing_chain(code: &Code) -> Option<String> {
    code.replace_word("nftlint_missing_chain", |previous, word| {
        (matches!(previous, "jump" | "goto") && !word.starts_with('$')).then_some(0..word.len())
    })
}

fn missing_set_reference(code: &Code) -> Option<String> {
    // A word `@th` followed by `,` is a raw payload base, `@th,16,16`, not a set.
    let word = code
        .words()
        .into_iter()
        .find(|w| code.text[w.clone()].starts_with('@') && !code.text[w.end..].starts_with(','))?;
    Some(code.splice(word, "@nftlint_missing_set"))
}

/// After the first rule that ends in `accept` or `drop`, a verdict and a statement nothing can
/// reach.
fn statement_after_verdict(code: &Code) -> Option<String> {
    code.lines().find_map(|(start, line)| {
        let end = start + line.len();
        let code_end = (start..end)
            .find(|&i| !code.code[i] || code.text.as_bytes()[i] == b'\n')
            .unwrap_or(end);
        let rule = code.text[start..code_end].trim_end();
        let is_rule = (rule.ends_with(" accept") || rule.ends_with(" drop"))
            && !rule.trim_start().starts_with("policy");
        is_rule.then(|| {
            let at = start + rule.len();
            code.splice(at..at, " accept counter")
        })
    })
}

const FAMILIES: &[&str] = &["ip", "ip6", "inet", "arp", "bridge", "netdev"];

/// The first `table` block at the top level: its family, its name and its byte range.
fn first_table(code: &Code) -> Option<(&'static str, String, Range<usize>)> {
    // Brace depth before each byte, counting only braces in code.
    let mut depth = 0usize;
    let depths: Vec<usize> = (0..code.text.len())
        .map(|i| {
            let before = depth;
            match code.text.as_bytes()[i] {
                b'{' if code.code[i] => depth += 1,
                b'}' if code.code[i] => depth = depth.saturating_sub(1),
                _ => {}
            }
            before
        })
        .collect();
    let words = code.words();
    let word = |k: usize| words.get(k).map(|w| &code.text[w.clone()]);
    (0..words.len()).find_map(|i| {
        if word(i) != Some("table") || depths[words[i].start] != 0 {
            return None;
        }
        // `table inet filter {`, or `table filter {` for the default family, ip.
        let (family, name_at) = match FAMILIES.iter().find(|&&f| word(i + 1) == Some(f)) {
            Some(family) => (*family, i + 2),
            None => ("ip", i + 1),
        };
        let name = words.get(name_at)?;
        let open = name.end + code.text[name.end..].find(|c: char| !c.is_whitespace())?;
        if code.text.as_bytes()[open] != b'{' {
            return None;
        }
        let close = (open + 1..code.text.len())
            .find(|&j| code.code[j] && code.text.as_bytes()[j] == b'}' && depths[j] == 1)?;
        Some((
            family,
            code.text[name.clone()].to_string(),
            words[i].start..close + 1,
        ))
    })
}

fn same_table_other_family(code: &Code) -> Option<String> {
    let (family, name, _) = first_table(code)?;
    let other = if family == "ip" { "inet" } else { "ip" };
    Some(format!("{}\ntable {other} {name} {{\n}}\n", code.text))
}

fn duplicate_table_block(code: &Code) -> Option<String> {
    let (_, _, block) = first_table(code)?;
    Some(format!("{}\n{}\n", code.text, &code.text[block]))
}

#[test]
fn mutations_edit_code_only() {
    let text = "# dport 22 10.0.0.1 }\ntable ip t {\n\tchain c {\n\t\ttcp dport 22 ip saddr 10.0.0.1 \
                accept # }\n\t}\n}\n";
    let code = Code::new(text);
    let mutated = |mutate: Mutation| mutate(&code).expect("the mutation applies");
    assert!(mutated(port_out_of_range).contains("tcp dport 99999 ip"));
    assert!(mutated(invalid_ipv4_address).contains("saddr 300.1.1.1 accept"));
    assert!(mutated(undefined_variable_value).contains("dport $nftlint_undefined ip"));
    assert!(mutated(statement_after_verdict).contains("accept accept counter # }"));
    assert!(mutated(delete_first_close_brace).contains("# }\n\t\n}\n"));
    assert!(mutated(delete_last_close_brace).ends_with("\t}\n\n"));
    assert!(mutated(same_table_other_family).ends_with("}\n\ntable inet t {\n}\n"));
    let duplicated = mutated(duplicate_table_block);
    assert_eq!(duplicated.matches("table ip t {").count(), 2);
    assert!(duplicated.ends_with(
        "}\n}\n\ntable ip t {\n\tchain c {\n\t\ttcp dport 22 ip saddr 10.0.0.1 accept # }\n\t}\n}\n"
    ));
    assert_eq!(jump_to_missing_chain(&code), None, "there is no jump");
}
