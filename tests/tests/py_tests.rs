//! upstream's rule-line tests (`tests/py/**/*.t`), replayed through the parser.
//!
//! Each `.t` file names tables (`*family;table;chain,...`), chains (`:chain;type ... hook ...`),
//! sets (`!`), set elements (`?`), stateful objects (`%`) and rules, each `;ok` or `;fail`.
//! upstream's `nft-test.py` sends them to nft as commands. Here each test line becomes a whole
//! ruleset file, as a user would write it: the file's first table, holding the sets and objects
//! declared so far, and its first chain holding the rule; set elements follow the table as an
//! `add element` command.

use std::collections::HashMap;

use nftlint_tests::{CorpusFile, corpus_files, line_col, problem};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Ok,
    Fail,
}

/// One test line turned into a ruleset.
struct Case {
    /// `file:line` in the corpus.
    origin: String,
    /// The test line itself.
    line: String,
    text: String,
    expect: Expect,
}

struct Table {
    family: String,
    name: String,
    chain: String,
}

/// What a `.t` file has declared up to the line being read.
#[derive(Default)]
struct FileState {
    table: Option<Table>,
    /// Chain name to its base-chain spec (`type filter hook input priority 0`).
    chains: HashMap<String, String>,
    /// The `ok` set, map and object declarations, as lines of the table block.
    decls: Vec<String>,
}

impl FileState {
    /// The table with the declarations so far plus `extra`, and the chain holding `rule`.
    fn ruleset(&self, extra: Option<&str>, rule: Option<&str>) -> String {
        let table = self.table();
        let mut out = format!("table {} {} {{\n", table.family, table.name);
        for decl in self.decls.iter().map(String::as_str).chain(extra) {
            out += &format!("\t{decl}\n");
        }
        out += &format!("\tchain {} {{\n", table.chain);
        if let Some(spec) = self.chains.get(&table.chain) {
            out += &format!("\t\t{spec};\n");
        }
        if let Some(rule) = rule {
            out += &format!("\t\t{rule}\n");
        }
        out + "\t}\n}\n"
    }

    fn table(&self) -> &Table {
        self.table
            .as_ref()
            .expect("a `*family;table;chain` line before the first test line")
    }
}

/// Splits `body;ok` / `body;fail` / `rule;ok;canonical output`.
fn split_result(line: &str) -> (&str, Expect, Option<&str>) {
    let mut fields = line.split(';');
    let body = fields.next().unwrap_or_default();
    let expect = match fields.next().map(str::trim) {
        Some("ok") => Expect::Ok,
        Some("fail") => Expect::Fail,
        _ => panic!("py-tests line without ;ok or ;fail: {line:?}"),
    };
    (body.trim(), expect, fields.next().map(str::trim))
}

/// `set1 type ipv4_addr . inet_service flags interval` or `map1 typeof vlan id : meta mark`
/// as a `set`/`map` block; a `:` separates a map's key from its data.
fn set_decl(body: &str) -> String {
    let mut words = body.split_whitespace();
    let name = words.next().unwrap_or_default();
    let (mut spec, mut options) = (Vec::new(), Vec::new());
    while let Some(word) = words.next() {
        match word {
            "flags" | "timeout" => options.push(format!("{word} {}", words.next().unwrap_or(""))),
            _ => spec.push(word),
        }
    }
    let kind = if spec.contains(&":") { "map" } else { "set" };
    let mut block = format!("{kind} {name} {{ {};", spec.join(" "));
    for option in options {
        block += &format!(" {option};");
    }
    block + " }"
}

/// `qt1 type quota 25 mbytes` or `cthelp1 type ct helper { ... }` as an object block.
fn object_decl(body: &str) -> String {
    let mut words = body.split_whitespace();
    let name = words.next().unwrap_or_default();
    let _type_keyword = words.next();
    let mut kind = words.next().unwrap_or_default().to_string();
    if kind == "ct" {
        // `ct helper`, `ct timeout`, `ct expectation`
        kind = format!("ct {}", words.next().unwrap_or_default());
    }
    let spec = words.collect::<Vec<_>>().join(" ");
    match spec.as_str() {
        "" => format!("{kind} {name} {{ }}"),
        block if block.starts_with('{') => format!("{kind} {name} {block}"),
        config => format!("{kind} {name} {{ {config} }}"),
    }
}

/// Every test line of a file as a ruleset, plus each `ok` rule's canonical output when given.
fn cases(file: &CorpusFile) -> (Vec<Case>, Vec<Case>) {
    let mut state = FileState::default();
    let (mut cases, mut canonical) = (Vec::new(), Vec::new());
    for (index, line) in file.text.lines().enumerate() {
        let line = line.trim_end();
        let case = |text: String, expect| Case {
            origin: format!("{}:{}", file.name, index + 1),
            line: line.to_string(),
            text,
            expect,
        };
        let Some(first) = line.chars().next() else {
            continue;
        };
        let rest = &line[first.len_utf8()..];
        match first {
            // A comment, or a test upstream marks as broken.
            '#' | '-' => {}
            '*' => {
                let mut fields = rest.split(';');
                let mut field = || fields.next().unwrap_or_default().to_string();
                let (family, name, chains) = (field(), field(), field());
                let chain = chains.split(',').next().unwrap_or_default().to_string();
                state.table.get_or_insert(Table {
                    family,
                    name,
                    chain,
                });
            }
            ':' => {
                let (name, spec) = rest.split_once(';').unwrap_or((rest, ""));
                state
                    .chains
                    .insert(name.to_string(), spec.trim().to_string());
            }
            '!' | '%' => {
                // An object spec may hold `;` inside braces, so its result follows the last `}`.
                let (body, expect) = match (first, rest.rfind('}')) {
                    ('%', Some(brace)) => (&rest[..=brace], split_result(&rest[brace + 1..]).1),
                    _ => {
                        let (body, expect, _) = split_result(rest);
                        (body, expect)
                    }
                };
                let decl = if first == '!' {
                    set_decl(body)
                } else {
                    object_decl(body)
                };
                cases.push(case(state.ruleset(Some(&decl), None), expect));
                if expect == Expect::Ok {
                    state.decls.push(decl);
                }
            }
            '?' => {
                let (body, expect, _) = split_result(rest);
                let (set, elements) = body.split_once(' ').unwrap_or((body, ""));
                let table = state.table();
                let command = format!(
                    "add element {} {} {set} {{ {} }}\n",
                    table.family,
                    table.name,
                    elements.trim()
                );
                cases.push(case(state.ruleset(None, None) + &command, expect));
            }
            _ => {
                let (rule, expect, output) = split_result(line);
                cases.push(case(state.ruleset(None, Some(rule)), expect));
                if let Some(output) = output.filter(|o| !o.is_empty() && expect == Expect::Ok) {
                    canonical.push(case(state.ruleset(None, Some(output)), Expect::Ok));
                }
            }
        }
    }
    (cases, canonical)
}

/// Why a case that should parse did not: where, what, and the generated line.
fn explain(case: &Case) -> Option<String> {
    let parse = nftlint_syntax::parse(&case.text);
    let problem = problem(&case.text, &parse)?;
    let offset = parse.errors().first().map_or(0, |e| e.range.start);
    let (line, _) = line_col(&case.text, offset);
    let source = case.text.lines().nth(line - 1).unwrap_or_default();
    Some(format!(
        "{}: {}\n    {problem}\n    | {source}",
        case.origin, case.line
    ))
}

#[test]
fn py_tests_ok_lines_parse() {
    let files = corpus_files("upstream/py-tests", |p| {
        p.extension().is_some_and(|e| e == "t")
    });
    let (mut all, mut canonical) = (Vec::new(), Vec::new());
    for file in &files {
        let (cases, outputs) = cases(file);
        all.extend(cases);
        canonical.extend(outputs);
    }
    let (ok, fail): (Vec<Case>, Vec<Case>) = all.into_iter().partition(|c| c.expect == Expect::Ok);

    let ok_failures: Vec<String> = ok.iter().filter_map(explain).collect();
    let canonical_failures: Vec<String> = canonical.iter().filter_map(explain).collect();
    let rejected = fail
        .iter()
        .filter(|c| !nftlint_syntax::parse(&c.text).errors().is_empty());

    let ok_clean = ok.len() - ok_failures.len();
    println!("py-tests: {} files", files.len());
    println!(
        "py-tests ok lines: {ok_clean}/{} parse clean ({:.2}%)",
        ok.len(),
        100.0 * ok_clean as f64 / ok.len() as f64
    );
    println!(
        "py-tests canonical outputs: {}/{} parse clean",
        canonical.len() - canonical_failures.len(),
        canonical.len()
    );
    println!(
        "py-tests fail lines: {}/{} rejected by the parser",
        rejected.count(),
        fail.len()
    );
    for failure in &ok_failures {
        println!("not clean: {failure}");
    }
    for failure in &canonical_failures {
        println!("canonical output not clean: {failure}");
    }
    assert!(!ok.is_empty(), "no ok lines found in the py-tests");
    // At least 99% of the lines nft accepts must parse.
    assert!(
        ok_clean * 100 >= ok.len() * 99,
        "only {ok_clean}/{} py-tests ok lines parse clean (the gate is 99%): \
         see the `not clean:` lines above",
        ok.len()
    );
}
