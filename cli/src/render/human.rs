//! The report for people, in nft's own error layout:
//!
//! ```text
//! rules.nft:3:25: error[NFT001 syntax-error]: syntax error, unexpected '}', expecting newline or semicolon
//! ```
//!
//! followed by snippets of the source: the lines with the cause and related places, carets under
//! each and an arrow to its message, then help. The snippets keep the layout ariadne drew them in
//! (see `snippet`).

mod canvas;
mod lines;
mod snippet;

use std::ops::Range;
use std::sync::OnceLock;

use nftlint_analyzer::parallel::in_halves;
use nftlint_analyzer::{Diagnostic, Severity};

use self::canvas::{Canvas, Color};
use self::lines::Lines;
use self::snippet::{Mark, Place};
use crate::check::{Checked, File};

/// Labels further apart than this many lines get snippets of their own. A snippet walks every
/// line between its labels, which made a finding whose cause is 10,000 lines away cost as much
/// as printing those lines.
const SNIPPET_SPAN: usize = 8;

/// Reports from this many on are drawn on two threads, each half on a canvas of its own.
const DRAW_IN_PARALLEL_FROM: usize = 512;

pub fn render(checked: &[Checked], color: bool) -> String {
    render_splitting_from(checked, color, DRAW_IN_PARALLEL_FROM)
}

fn render_splitting_from(checked: &[Checked], color: bool, from: usize) -> String {
    // Shared by both halves, so each file is split into lines once.
    let sources: Vec<Sources> = checked.iter().map(Sources::new).collect();
    let reports: Vec<(&Checked, &Sources, &Diagnostic)> = checked
        .iter()
        .zip(&sources)
        .flat_map(|(input, sources)| input.diagnostics().iter().map(move |d| (input, sources, d)))
        .collect();
    let drawn = in_halves(&reports, from, |part| {
        let mut out = Canvas::new(color);
        for (input, sources, diagnostic) in part {
            write_report(input, sources, diagnostic, &mut out);
        }
        vec![out.finish()]
    });
    drawn.concat()
}

/// The files of one input, as reports show them.
struct Sources<'a> {
    files: Vec<Source<'a>>,
}

struct Source<'a> {
    file: File<'a>,
    name: String,
    /// Split once a report shows the file, by whichever thread draws it first.
    lines: OnceLock<Lines<'a>>,
}

impl<'a> Sources<'a> {
    fn new(input: &'a Checked) -> Self {
        let files = input
            .files()
            .map(|file| Source {
                file,
                name: file.name(),
                lines: OnceLock::new(),
            })
            .collect();
        Sources { files }
    }

    fn name(&self, file: File<'a>) -> &str {
        &self.source(file).name
    }

    fn lines(&self, file: File<'a>) -> &Lines<'a> {
        self.source(file)
            .lines
            .get_or_init(|| Lines::new(&file.source.text))
    }

    fn source(&self, file: File<'a>) -> &Source<'a> {
        self.files
            .iter()
            .find(|known| std::ptr::eq(known.file.source, file.source))
            .expect("every file of a report is one of its input's")
    }
}

/// A place a report marks: its cause, or a related place.
struct Label<'a> {
    file: File<'a>,
    range: Range<usize>,
    message: &'a str,
    /// The severity's for the cause; none for related places.
    color: Option<Color>,
}

fn write_report<'a>(
    input: &'a Checked,
    sources: &Sources<'a>,
    diagnostic: &'a Diagnostic,
    out: &mut Canvas,
) {
    let target = input.file_of(diagnostic);
    let span = visible(&target.source.text, &diagnostic.range);
    let color = match diagnostic.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Blue,
    };
    write_header(out, sources.name(target), target, &span, diagnostic, color);

    // Carets go only under labels with text, so the primary label repeats the message: beside
    // related labels, it also says which line is the finding.
    let mut labels = vec![Label {
        file: target,
        range: span,
        message: &diagnostic.message,
        color: Some(color),
    }];
    for related in &diagnostic.related {
        let file = input.related_file(diagnostic, related);
        labels.push(Label {
            file,
            range: visible(&file.source.text, &related.range),
            message: &related.message,
            color: None,
        });
    }
    let marks = marks(sources, labels);
    let primary = marks
        .iter()
        .find(|mark| mark.color.is_some())
        .expect("the primary label is there");
    snippet::draw(out, &marks, primary, diagnostic.help.as_deref());
}

/// `file:line:column: severity[CODE name]: message`.
fn write_header(
    out: &mut Canvas,
    name: &str,
    target: File,
    span: &Range<usize>,
    diagnostic: &Diagnostic,
    color: Color,
) {
    let start = target.line_col(span.start);
    out.push_str(name);
    out.push(':');
    out.push_number(start.line);
    out.push(':');
    out.push_number(start.column);
    out.push_str(": ");
    out.paint(Some(color), |out| {
        out.push_str(diagnostic.severity.as_str());
        out.push('[');
        out.push_str(diagnostic.code);
        out.push(' ');
        out.push_str(diagnostic.name);
        out.push(']');
    });
    out.push_str(": ");
    out.push_str(&diagnostic.message);
    out.end_line_as_is();
}

/// The labels of a report, ordered and placed in snippets. A snippet is a run of labels in the
/// same file going down the page, so labels in the primary file come first and in source order.
fn marks<'s, 'a: 's>(sources: &'s Sources<'a>, mut labels: Vec<Label<'a>>) -> Vec<Mark<'s>> {
    let primary = sources.name(labels[0].file);
    let key = |label: &Label<'a>| -> (bool, &'s str, usize) {
        let name = sources.name(label.file);
        (name != primary, name, label.range.start)
    };
    labels.sort_by(|a, b| key(a).cmp(&key(b)));
    let mut snippet = 0;
    let mut previous: Option<(&str, usize)> = None;
    labels
        .into_iter()
        .map(|label| {
            let name = sources.name(label.file);
            let line = label.file.line_col(label.range.start).line;
            if let Some((last_name, last_line)) = previous
                && (last_name != name || line > last_line + SNIPPET_SPAN)
            {
                snippet += 1;
            }
            previous = Some((name, line));
            Mark {
                place: Place {
                    file: name,
                    snippet,
                },
                lines: sources.lines(label.file),
                range: label.range,
                message: label.message,
                color: label.color,
            }
        })
        .collect()
}

/// The range the snippet marks. An empty range (such as "missing `;` here") widens to the
/// character it stands before, so it gets a caret; one at the very end, after the final newline,
/// moves onto the last line, where there is something to show.
fn visible(text: &str, range: &Range<usize>) -> Range<usize> {
    if !range.is_empty() {
        return range.clone();
    }
    match text[range.start..].chars().next() {
        Some(c) if c != '\n' => range.start..range.start + c.len_utf8(),
        None if text.ends_with('\n') => text.len() - 1..text.len() - 1,
        _ => range.clone(),
    }
}

#[cfg(test)]
mod tests {
    use nftlint_analyzer::{Diagnostic, Related, registry};

    use super::*;
    use crate::render::tests::{covered_rule, input, with_include};

    fn checked(name: &str, text: &str, diagnostics: Vec<Diagnostic>) -> Checked {
        input(&[(name, text)], diagnostics)
    }

    #[test]
    fn a_syntax_error_in_nfts_layout() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept }\n}\n";
        let at = text.find('}').unwrap();
        let rule = registry::find("syntax-error").unwrap();
        let message = "syntax error, unexpected '}', expecting newline or semicolon";
        let diagnostic = Diagnostic::new(rule, at..at + 1, message);
        let files = [checked("rules.nft", text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    #[test]
    fn related_places_and_help() {
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 drop\n    ip saddr 10.1.2.3 accept\n  }\n}\n";
        let files = [checked("rules.nft", text, vec![covered_rule(text)])];
        insta::assert_snapshot!(render(&files, false));
    }

    #[test]
    fn an_empty_range_still_gets_a_caret() {
        let text = "table ip t {\n  chain c {\n    accept }\n}\n";
        let at = text.find(" }").unwrap() + 1;
        let diagnostic =
            Diagnostic::new(registry::find("NFT001").unwrap(), at..at, "missing newline");
        let files = [checked("rules.nft", text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    #[test]
    fn an_error_at_the_end_of_the_file() {
        let text = "table ip t {\n  chain c {\n";
        let rule = registry::find("NFT001").unwrap();
        let diagnostic = Diagnostic::new(
            rule,
            text.len()..text.len(),
            "syntax error, unexpected end of file",
        );
        let files = [checked("rules.nft", text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    #[test]
    fn findings_in_included_files_name_that_file() {
        insta::assert_snapshot!(render(&[with_include()], false));
    }

    /// A finding at `marked` in `text`, with related places at `related` and `help`.
    fn finding(text: &str, marked: &str, related: &[&str], help: Option<&str>) -> Diagnostic {
        let place = |part: &str| {
            let at = text.find(part).expect("the marked part is in the text");
            at..at + part.len()
        };
        let mut diagnostic = Diagnostic::new(
            registry::find("NFT001").unwrap(),
            place(marked),
            "no packet reaches this rule",
        );
        diagnostic.help = help.map(str::to_owned);
        diagnostic.related = related
            .iter()
            .map(|part| Related {
                file: None,
                range: place(part),
                message: "every packet it matches is dropped here".into(),
            })
            .collect();
        diagnostic
    }

    #[test]
    fn places_over_several_lines_get_a_bar_in_the_margin() {
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 \\\n      drop\n    tcp dport 22 accept\n    ip saddr 10.1.2.3 \\\n      counter \\\n      accept\n  }\n}\n";
        let first = "ip saddr 10.0.0.0/8 \\\n      drop";
        let second = "ip saddr 10.1.2.3 \\\n      counter \\\n      accept";
        let diagnostic = finding(text, second, &[first, "22"], Some("move it up"));
        let files = [checked("rules.nft", text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    /// A finding on a line of thousands of characters shows the line around its label's ends
    /// and middle, with `...` between, and the carets under the text they mark; a line just
    /// short of that is drawn whole.
    #[test]
    fn long_lines_are_drawn_around_their_labels() {
        let elements: Vec<String> = (0..400)
            .map(|i| format!("10.0.{}.{}", i / 256, i % 256))
            .collect();
        let text = format!(
            "table ip t {{\n\tchain c {{\n\t\tip saddr {{ {} }} drop\n\t\tip saddr 10.0.0.7 drop\n\t}}\n}}\n",
            elements.join(", ")
        );
        let long_rule = format!("ip saddr {{ {} }} drop", elements.join(", "));
        let diagnostic = finding(&text, "ip saddr 10.0.0.7 drop", &[&long_rule], None);
        let files = [checked("long.nft", &text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));

        let short = "x".repeat(super::snippet::LONG_LINE - 30);
        let text = format!("table ip t {{\n\tchain c {{\n\t\tcomment \"{short}\" drop\n\t}}\n}}\n");
        let diagnostic = finding(&text, "drop", &[], None);
        let drawn = render(&[checked("short.nft", &text, vec![diagnostic])], false);
        assert!(drawn.contains(&short) && !drawn.contains("..."), "{drawn}");
    }

    #[test]
    fn tabs_and_wide_characters_keep_the_carets_under_their_text() {
        let text = "table ip t {\n\tchain c {\n\t\tudp dport 53 comment \"zulässig 日本\" accept\tdrop\n\t}\n}\n";
        let diagnostic = finding(text, "drop", &["udp dport 53", "accept"], None);
        let files = [checked("rules.nft", text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    #[test]
    fn a_distant_place_after_non_ascii_text_gets_a_snippet_of_its_own() {
        let mut text =
            "# Größe: 日本語\ntable inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 drop # ü\n"
                .to_owned();
        for port in 1..=12 {
            text.push_str(&format!("    tcp dport {port} accept\n"));
        }
        text.push_str("    ip saddr 10.1.2.3 accept\n  }\n}\n");
        let diagnostic = finding(
            &text,
            "ip saddr 10.1.2.3 accept",
            &["ip saddr 10.0.0.0/8 drop"],
            Some("move it above the rule that covers it\nor delete it"),
        );
        let files = [checked("rules.nft", &text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    #[test]
    fn crlf_line_endings_and_form_feeds_count_as_line_ends() {
        let text = "table ip t {\r\n  chain c {\x0c    drop\r\n    accept }\r\n}\r\n";
        let diagnostic = finding(text, "accept", &["drop"], None);
        let files = [checked("rules.nft", text, vec![diagnostic])];
        insta::assert_snapshot!(render(&files, false));
    }

    /// Drawn on two threads, the reports of several inputs, with findings in included files and
    /// in colour, come out as one thread draws them.
    #[test]
    fn reports_drawn_in_halves_read_as_drawn_in_one() {
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 drop\n    ip saddr 10.1.2.3 accept\n  }\n}\n";
        let findings = (0..5).map(|_| covered_rule(text)).collect();
        let inputs = [
            checked("first.nft", text, findings),
            with_include(),
            checked("third.nft", text, vec![covered_rule(text)]),
        ];
        for color in [false, true] {
            let one = render_splitting_from(&inputs, color, usize::MAX);
            assert_eq!(one.matches("NFT001").count(), 7, "{one}");
            for from in [1, 2, 7] {
                assert_eq!(render_splitting_from(&inputs, color, from), one);
            }
        }
    }

    #[test]
    fn colour_marks_the_finding_and_its_places() {
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 \\\n      drop\n    ip saddr 10.1.2.3 accept\n  }\n}\n";
        let diagnostic = finding(
            text,
            "ip saddr 10.1.2.3 accept",
            &["ip saddr 10.0.0.0/8 \\\n      drop"],
            Some("move it up"),
        );
        let files = [checked("rules.nft", text, vec![diagnostic])];
        // Escape characters made visible, so the snapshot reads as text.
        insta::assert_snapshot!(render(&files, true).replace('\x1b', "<ESC>"));
    }
}
