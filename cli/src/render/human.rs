//! The report for people, in nft's own error layout:
//!
//! ```text
//! rules.nft:3:25: error[NFT001 syntax-error]: syntax error, unexpected '}', expecting newline or semicolon
//! ```
//!
//! followed by the source line with carets under the cause, labels on related places, and help.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use ariadne::{Cache, CharSet, Color, Config, Fmt, IndexType, Label, Report, ReportKind, Source};
use nftlint_analyzer::{Diagnostic, Severity};

use crate::check::Checked;

/// Labels further apart than this many lines get snippets of their own. ariadne walks every
/// line between the labels of one snippet, which made a finding whose cause is 10,000 lines
/// away cost as much as printing those lines.
const SNIPPET_SPAN: usize = 8;

/// Where a snippet shows: a file, and which of its snippets in the report. ariadne draws one
/// snippet per source id, so distant labels in one file get ids of their own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Place {
    file: String,
    snippet: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)
    }
}

/// What a label marks: a range in a snippet.
type Span = (Place, Range<usize>);

/// The files' texts, split into lines once for every report.
struct Sources<'t> {
    files: HashMap<String, Source<&'t str>>,
}

impl<'t> Cache<Place> for Sources<'t> {
    type Storage = &'t str;

    fn fetch(&mut self, place: &Place) -> Result<&Source<&'t str>, impl fmt::Debug> {
        self.files
            .get(&place.file)
            .ok_or_else(|| format!("no source for {}", place.file))
    }

    fn display<'a>(&self, place: &'a Place) -> Option<impl fmt::Display + 'a> {
        Some(place)
    }
}

pub fn render(checked: &[Checked], color: bool) -> String {
    let mut out = Vec::new();
    for input in checked {
        let mut sources = Sources {
            files: input
                .files()
                .map(|file| (file.name(), Source::from(file.source.text.as_str())))
                .collect(),
        };
        for diagnostic in input.diagnostics() {
            write_report(input, diagnostic, color, &mut sources, &mut out);
        }
    }
    String::from_utf8(out).expect("reports are built from UTF-8 text")
}

fn write_report(
    input: &Checked,
    diagnostic: &Diagnostic,
    color: bool,
    cache: &mut Sources,
    out: &mut Vec<u8>,
) {
    let target = input.file_of(diagnostic);
    let span = visible(&target.source.text, &diagnostic.range);
    let start = target.line_col(span.start);
    let severity_color = match diagnostic.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Blue,
    };
    let kind = format!(
        "{}[{} {}]",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.name
    );
    let kind = if color {
        kind.fg(severity_color).to_string()
    } else {
        kind
    };
    let primary = target.name();
    let header = format!(
        "{primary}:{}:{}: {kind}: {}\n",
        start.line, start.column, diagnostic.message
    );
    out.extend_from_slice(header.as_bytes());

    // ariadne draws carets only under labels with text, so the primary label repeats the
    // message: beside related labels, it also says which line is the finding.
    let mut labels = vec![(
        (primary.clone(), span.clone(), start.line),
        diagnostic.message.clone(),
        Some(severity_color),
    )];
    for related in &diagnostic.related {
        let place = input.related_file(diagnostic, related);
        let range = visible(&place.source.text, &related.range);
        let line = place.line_col(range.start).line;
        labels.push(((place.name(), range, line), related.message.clone(), None));
    }
    // ariadne draws one snippet per run of labels in the same file going down the page, so
    // labels in the primary file come first and in source order.
    labels.sort_by(|(a, ..), (b, ..)| {
        (a.0 != primary, &a.0, a.1.start).cmp(&(b.0 != primary, &b.0, b.1.start))
    });
    let mut snippet = 0;
    let mut previous: Option<(String, usize)> = None;
    let labels: Vec<(Span, String, Option<Color>)> = labels
        .into_iter()
        .map(|((file, range, line), message, label_color)| {
            if let Some((last_file, last_line)) = &previous
                && (*last_file != file || line > last_line + SNIPPET_SPAN)
            {
                snippet += 1;
            }
            previous = Some((file.clone(), line));
            ((Place { file, snippet }, range), message, label_color)
        })
        .collect();
    let primary_span = labels
        .iter()
        .find(|(_, _, label_color)| label_color.is_some())
        .map(|(span, ..)| span.clone())
        .expect("the primary label is there");

    let config = Config::new()
        .with_color(color)
        .with_index_type(IndexType::Byte)
        .with_char_set(CharSet::Ascii);
    let mut builder = Report::build(ReportKind::Error, primary_span).with_config(config);
    for (span, message, label_color) in labels {
        let label = Label::new(span).with_message(message);
        builder.add_label(match label_color {
            Some(label_color) => label.with_color(label_color),
            None => label,
        });
    }
    if let Some(help) = &diagnostic.help {
        builder.set_help(help);
    }
    let mut snippet = Vec::new();
    builder
        .finish()
        .write(cache, &mut snippet)
        .expect("writing to memory cannot fail");
    // ariadne opens with its own `Error: message` line; the header above replaces it.
    let snippet = String::from_utf8(snippet).expect("reports are built from UTF-8 text");
    for line in snippet.lines().skip(1) {
        out.extend_from_slice(line.trim_end().as_bytes());
        out.push(b'\n');
    }
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
