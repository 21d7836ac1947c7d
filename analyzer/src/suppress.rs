//! Suppression comments: `# nftlint: disable=NAME[,NAME] -- reason` and
//! `# nftlint: disable-file=NAME`.
//!
//! `disable=` covers one statement: put it on its own line directly above the statement (a run
//! of comment lines may hold it), or at the end of one of the statement's lines. The statement a
//! diagnostic belongs to is the innermost rule, property, block, definition, include or command
//! around its start. For a block (`table`, `chain`, `set` ...) that is its header line when the
//! diagnostic is there, and its closing-brace line when the diagnostic is on the brace: the
//! lines a person sees as "the statement". `disable-file=` covers its whole file.
//!
//! Rules are named by name or code. A name that is no rule is ignored: a suppression must never
//! be the reason a file cannot be checked.

use std::collections::HashMap;

use nftlint_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextSize};

use crate::model::ParsedFile;
use crate::{Diagnostic, LineIndex, registry};

/// Every directive starts with this; files without it need no parse.
const MARKER: &str = "nftlint:";

/// Drops the diagnostics a suppression comment in their file covers.
pub(crate) fn apply(files: &[ParsedFile], diagnostics: &mut Vec<Diagnostic>) {
    if files.is_empty() {
        return;
    }
    // Only files that mention the marker are searched for comments.
    let mut parsed: HashMap<usize, Option<Suppressions>> = HashMap::new();
    diagnostics.retain(|diagnostic| {
        let index = match &diagnostic.file {
            None => 0,
            Some(path) => match files.iter().position(|file| &file.source.path == path) {
                Some(index) => index,
                None => return true,
            },
        };
        let suppressions = parsed.entry(index).or_insert_with(|| {
            let file = &files[index];
            let text = &file.source.text;
            text.contains(MARKER)
                .then(|| Suppressions::new(text, file.parse.syntax()))
        });
        !suppressions
            .as_ref()
            .is_some_and(|suppressions| suppressions.covers(diagnostic))
    });
}

/// The suppression comments of one file.
struct Suppressions {
    tree: SyntaxNode,
    index: LineIndex,
    /// Codes of the rules `disable-file=` turns off.
    file_wide: Vec<&'static str>,
    /// The comment on each 1-based line that has one.
    comments: HashMap<usize, LineComment>,
}

struct LineComment {
    /// Nothing but whitespace before it on its line.
    own_line: bool,
    /// Codes of the rules its `disable=` names; empty for any other comment.
    disabled: Vec<&'static str>,
}

enum Directive {
    Statement(Vec<&'static str>),
    File(Vec<&'static str>),
}

impl Suppressions {
    /// The suppressions of `text`, whose tree is `tree`.
    fn new(text: &str, tree: SyntaxNode) -> Self {
        let index = LineIndex::new(text);
        let mut file_wide = Vec::new();
        let mut comments = HashMap::new();
        let tokens = tree
            .descendants_with_tokens()
            .filter_map(|element| element.into_token())
            .filter(|token| token.kind() == SyntaxKind::COMMENT);
        for token in tokens {
            let start = usize::from(token.text_range().start());
            let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
            let own_line = text[line_start..start].trim().is_empty();
            let disabled = match directive(token.text()) {
                Some(Directive::File(codes)) => {
                    file_wide.extend(codes);
                    Vec::new()
                }
                Some(Directive::Statement(codes)) => codes,
                None => Vec::new(),
            };
            let line = index.line_col(start).line;
            comments.insert(line, LineComment { own_line, disabled });
        }
        Suppressions {
            tree,
            index,
            file_wide,
            comments,
        }
    }

    fn covers(&self, diagnostic: &Diagnostic) -> bool {
        if self.file_wide.contains(&diagnostic.code) {
            return true;
        }
        let (first, last) = self.statement_lines(diagnostic.range.start);
        let at_end = (first..=last).any(|line| {
            self.comments.get(&line).is_some_and(|comment| {
                !comment.own_line && comment.disabled.contains(&diagnostic.code)
            })
        });
        if at_end {
            return true;
        }
        let mut above = (1..first)
            .rev()
            .map_while(|line| self.comments.get(&line).filter(|comment| comment.own_line));
        above.any(|comment| comment.disabled.contains(&diagnostic.code))
    }

    /// The first and last line of the statement a diagnostic starting at `offset` belongs to.
    fn statement_lines(&self, offset: usize) -> (usize, usize) {
        let line = |offset: TextSize| self.index.line_col(offset.into()).line;
        let at = clamp(offset, &self.tree);
        let own = line(at);
        let Some(token) = self
            .tree
            .token_at_offset(at)
            .right_biased()
            .or_else(|| self.tree.token_at_offset(at).left_biased())
        else {
            return (own, own);
        };
        for node in token.parent_ancestors() {
            if is_block(node.kind()) {
                let brace = |kind| {
                    node.children_with_tokens()
                        .filter_map(|element| element.into_token())
                        .filter(move |token| token.kind() == kind)
                };
                let Some(open) = brace(SyntaxKind::L_CURLY).next() else {
                    return significant_lines(&node, line).unwrap_or((own, own));
                };
                if at < open.text_range().end() {
                    let first = significant(&node)
                        .next()
                        .map_or(own, |t| line(t.text_range().start()));
                    return (first, line(open.text_range().start()));
                }
                return match brace(SyntaxKind::R_CURLY).last() {
                    Some(close) if at >= close.text_range().start() => {
                        let close = line(close.text_range().start());
                        (close, close)
                    }
                    // Inside the body but in no statement, such as a stray token.
                    _ => (own, own),
                };
            }
            if is_statement(&node) {
                return significant_lines(&node, line).unwrap_or((own, own));
            }
        }
        (own, own)
    }
}

fn clamp(offset: usize, tree: &SyntaxNode) -> TextSize {
    let end = tree.text_range().end();
    TextSize::try_from(offset).map_or(end, |offset| offset.min(end))
}

/// Blocks: a header line ending in `{`, a body, a closing `}`.
fn is_block(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(kind, TABLE | CHAIN | SET | MAP | FLOWTABLE | OBJECT)
}

fn is_statement(node: &SyntaxNode) -> bool {
    use SyntaxKind::*;
    match node.kind() {
        RULE | PROPERTY | DEFINE | INCLUDE | COMMAND | UNDEFINE => true,
        // Text the parser could not place stands where a statement would: a syntax error in it
        // is suppressed on its lines.
        ERROR => node
            .parent()
            .is_some_and(|parent| parent.kind() == SOURCE_FILE || is_block(parent.kind())),
        _ => false,
    }
}

/// The tokens of a node that are not trivia: its comments above it are not its lines.
fn significant(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> {
    node.descendants_with_tokens()
        .filter_map(|element| element.into_token())
        .filter(|token| !token.kind().is_trivia())
}

fn significant_lines(
    node: &SyntaxNode,
    line: impl Fn(TextSize) -> usize,
) -> Option<(usize, usize)> {
    let mut tokens = significant(node);
    let first = tokens.next()?;
    let last = tokens.last().unwrap_or_else(|| first.clone());
    Some((
        line(first.text_range().start()),
        line(last.text_range().start()),
    ))
}

/// The directive a comment holds, if any: `# nftlint: disable=a,b -- reason`.
fn directive(comment: &str) -> Option<Directive> {
    let body = comment.strip_prefix('#')?.trim_start();
    let body = body.strip_prefix(MARKER)?.trim_start();
    let (file, names) = if let Some(names) = body.strip_prefix("disable-file=") {
        (true, names)
    } else {
        (false, body.strip_prefix("disable=")?)
    };
    // Rule names hold single hyphens only, so `--` always starts the reason.
    let names = names.split("--").next().unwrap_or_default();
    let codes = names
        .split(',')
        .filter_map(|name| name.split_whitespace().next())
        .filter_map(registry::find)
        .map(|rule| rule.code)
        .collect();
    Some(if file {
        Directive::File(codes)
    } else {
        Directive::Statement(codes)
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::SourceFile;

    /// A file of a model, as the analysis leaves it for suppressions.
    fn parsed(path: &str, text: &str) -> ParsedFile {
        let source = SourceFile {
            path: PathBuf::from(path),
            text: text.to_owned(),
        };
        ParsedFile::new(source, nftlint_syntax::parse(text), None)
    }

    /// The 1-based lines of the syntax errors left in `text` after suppressions.
    fn reported(text: &str) -> Vec<usize> {
        let files = [parsed("x.nft", text)];
        let mut diagnostics = crate::check_source(text);
        assert!(!diagnostics.is_empty(), "the snippet has no syntax error");
        apply(&files, &mut diagnostics);
        let index = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|diagnostic| index.line_col(diagnostic.range.start).line)
            .collect()
    }

    #[test]
    fn without_a_suppression_everything_is_reported() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n";
        assert_eq!(reported(text), [3, 5]);
    }

    #[test]
    fn on_the_line_before_the_statement() {
        let text = "table ip t {\n\tchain c {\n\t\t# nftlint: disable=syntax-error -- fixed upstream\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n";
        assert_eq!(reported(text), [6]);
    }

    #[test]
    fn by_code_and_among_other_comment_lines() {
        let text = "table ip t {\n\tchain c {\n\t\t# nftlint: disable=NFT001\n\t\t# an explanation\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n";
        assert_eq!(reported(text), [7]);
    }

    #[test]
    fn a_blank_line_or_a_statement_between_breaks_the_link() {
        let blank = "table ip t {\n\tchain c {\n\t\t# nftlint: disable=syntax-error\n\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n";
        assert_eq!(reported(blank), [5, 7]);
        let between = "table ip t {\n\tchain c {\n\t\t# nftlint: disable=syntax-error\n\t\tip saddr 1.2.3.5 accept\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n";
        assert_eq!(reported(between), [5, 7]);
    }

    #[test]
    fn at_the_end_of_the_line() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept } # nftlint: disable=syntax-error -- known\n}\n}\n";
        assert_eq!(reported(text), [5]);
    }

    #[test]
    fn at_the_end_of_a_later_line_of_the_same_statement() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr { 1.2.3.4,\n\t\t\t1.2.3.5 } acept # nftlint: disable=syntax-error\n\t}\n}\n";
        assert_eq!(reported(text), Vec::<usize>::new());
        let next = "table ip t {\n\tchain c {\n\t\tip saddr { 1.2.3.4,\n\t\t\t1.2.3.5 } acept\n\t\taccept # nftlint: disable=syntax-error\n\t}\n}\n";
        assert_eq!(
            reported(next),
            [4],
            "the next statement's comment is not this one's"
        );
    }

    #[test]
    fn on_a_table_header() {
        let text = "# nftlint: disable=syntax-error\ntable ip6 t extra {\n}\n";
        assert_eq!(reported(text), Vec::<usize>::new());
        let at_end = "table ip6 t extra { # nftlint: disable=syntax-error\n}\n";
        assert_eq!(reported(at_end), Vec::<usize>::new());
    }

    #[test]
    fn a_header_suppression_does_not_cover_the_body() {
        let text = "# nftlint: disable=syntax-error\ntable ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 acept\n\t}\n}\n";
        assert_eq!(reported(text), [4]);
    }

    #[test]
    fn only_the_named_rules() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept } # nftlint: disable=no-such-rule,NFT999\n}\n}\n";
        assert_eq!(reported(text), [3, 5]);
        let several = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept } # nftlint: disable=no-such-rule, syntax-error\n}\n}\n";
        assert_eq!(reported(several), [5]);
    }

    #[test]
    fn disable_file_anywhere() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n# nftlint: disable-file=syntax-error -- generated file\n";
        assert_eq!(reported(text), Vec::<usize>::new());
        let trailing = "table ip t { # nftlint: disable-file=NFT001\n\tchain c {\n\t\tip saddr 1.2.3.4 accept }\n}\n}\n";
        assert_eq!(reported(trailing), Vec::<usize>::new());
    }

    #[test]
    fn text_in_strings_is_no_comment() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept comment \"# nftlint: disable=syntax-error\" }\n}\n}\n";
        assert_eq!(reported(text), [3, 5]);
    }

    #[test]
    fn junk_between_statements_is_its_own_statement() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept\n\t\t# nftlint: disable=syntax-error\n\t\tfoo bar baz\n\t}\n}\n";
        assert_eq!(reported(text), Vec::<usize>::new());
    }

    #[test]
    fn directives_need_the_marker_and_the_equals_sign() {
        assert!(directive("# disable=syntax-error").is_none());
        assert!(directive("# nftlint: enable=syntax-error").is_none());
        assert!(
            matches!(directive("#nftlint:disable=NFT001 -- x"), Some(Directive::Statement(codes)) if codes == ["NFT001"])
        );
    }

    #[test]
    fn diagnostics_in_other_files_use_that_files_comments() {
        let main = "include \"inc.nft\"\n";
        let included = "table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 accept } # nftlint: disable=syntax-error\n}\n}\n";
        let files = [parsed("main.nft", main), parsed("inc.nft", included)];
        let mut diagnostics = crate::check_source(included);
        for diagnostic in &mut diagnostics {
            diagnostic.file = Some(PathBuf::from("inc.nft"));
        }
        assert_eq!(diagnostics.len(), 2);
        apply(&files, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
    }
}
