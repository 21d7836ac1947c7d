//! The snippets below a report's header: the lines its labels mark, with carets under each label
//! and an arrow to its message, framed by the lines' numbers.
//!
//! The layout is ariadne's (0.6, with ASCII characters and byte offsets), which drew these
//! reports before. ariadne went through `fmt` for every character and worked out every column of
//! a row on its own, which made drawing the reports a quarter of a whole `nftlint check`; this
//! draws the same bytes, quirks included since people and scripts read them, straight into one
//! buffer and a run of alike columns at a time. Unlike ariadne, it draws a very long line only
//! around its labels (see [`LONG_LINE`]).

use std::cmp::Reverse;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::canvas::{Canvas, Color};
use super::lines::{Line, Lines};

const TAB_WIDTH: usize = 4;

/// A line of more characters than this is drawn in part: around the columns where labels start
/// and end and where their arrows drop, with `...` for each stretch between, so that a finding
/// on a one-line set of thousands of elements does not print all of it (once per finding).
pub(super) const LONG_LINE: usize = 300;
/// How many characters a long line keeps on each side of such a column.
const CONTEXT: usize = 40;
/// What stands for a stretch of a long line left out.
const ELISION: &str = "...";

/// Where a snippet shows: a file, and which of its snippets in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub file: &'a str,
    pub snippet: usize,
}

/// A label as a report gives it: a byte range in a place, with a message.
pub struct Mark<'a> {
    pub place: Place<'a>,
    pub lines: &'a Lines<'a>,
    pub range: Range<usize>,
    pub message: &'a str,
    pub color: Option<Color>,
}

/// Draws the snippets of `marks`, which come in the order they go down the page. The first
/// snippet in the place of `primary` names where `primary` starts, and the last ends with `help`.
pub fn draw(out: &mut Canvas, marks: &[Mark], primary: &Mark, help: Option<&str>) {
    let groups = groups(marks);
    let width = groups.iter().map(Group::number_width).max().unwrap_or(0);
    for (at, group) in groups.iter().enumerate() {
        let snippet = Snippet::new(group, width);
        let location = if group.place == primary.place {
            group.lines.at_byte(primary.range.start)
        } else {
            // The first label's offset counts characters, but is read as a byte offset: after
            // non-ASCII text this names a place before the label. ariadne printed it so.
            group.lines.at_byte(group.labels[0].span.start)
        };
        snippet.header(out, at == 0, location);
        snippet.body(out);
        let last = at + 1 == groups.len();
        if let Some(help) = help.filter(|_| last) {
            snippet.help(out, help);
        }
        snippet.footer(out, last);
    }
}

/// A label placed in its file.
struct Label<'a> {
    /// The characters it marks, as offsets in the file.
    span: Range<usize>,
    message: &'a str,
    color: Option<Color>,
    /// Whether its first and last characters are on different lines.
    multiline: bool,
    /// The index of the line of its last character.
    last_line: usize,
}

impl<'a> Label<'a> {
    /// `None` for a mark that reaches past the end of its file: it is not drawn.
    fn new(mark: &Mark<'a>) -> Option<Self> {
        let (span, first_line, last_line) = mark.lines.char_span(&mark.range)?;
        Some(Label {
            span,
            message: mark.message,
            color: mark.color,
            multiline: first_line != last_line,
            last_line,
        })
    }

    /// Its last character; for an empty label, the one it stands before.
    fn last(&self) -> usize {
        self.span.end.saturating_sub(1).max(self.span.start)
    }
}

/// The labels of one snippet: a run of marks in one place that goes down the page.
struct Group<'a> {
    place: Place<'a>,
    lines: &'a Lines<'a>,
    /// From the first character a label marks to the last.
    span: Range<usize>,
    labels: Vec<Label<'a>>,
}

impl Group<'_> {
    /// How many digits the number of its last line has.
    fn number_width(&self) -> usize {
        digits(self.lines.line_range(&self.span).end)
    }
}

fn groups<'a>(marks: &[Mark<'a>]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group> = Vec::new();
    for (mark, label) in marks
        .iter()
        .filter_map(|mark| Some((mark, Label::new(mark)?)))
    {
        match groups.last_mut() {
            Some(group)
                if group.place == mark.place
                    && group
                        .labels
                        .last()
                        .is_some_and(|last| last.last_line <= label.last_line) =>
            {
                group.span =
                    group.span.start.min(label.span.start)..group.span.end.max(label.span.end);
                group.labels.push(label);
            }
            _ => groups.push(Group {
                place: mark.place,
                lines: mark.lines,
                span: label.span.clone(),
                labels: vec![label],
            }),
        }
    }
    groups
}

/// A label where it starts or ends on a line.
#[derive(Debug, Clone, Copy)]
struct LineLabel {
    /// The column its arrow drops from.
    col: usize,
    /// Its index in the group's labels.
    label: usize,
    /// Whether it spans lines: its arrow runs to the margin.
    multi: bool,
    /// Whether its message goes on this line; a label over several lines has it on its last.
    draw_msg: bool,
}

/// A source line being drawn, with its labels.
struct SourceLine<'l> {
    index: usize,
    line: Line,
    /// Its text, without the terminator and trailing whitespace.
    text: &'l str,
    /// How many columns of the terminal each character of the text takes.
    widths: &'l [usize],
    /// Labels that end on it and labels over several lines that start on it, left to right:
    /// each gets a row of arrows.
    labels: &'l [LineLabel],
    /// The label over several lines whose arrow comes in from the margin.
    margin: Option<LineLabel>,
    /// The columns where what a row of arrows shows may change, from 0 to the row's end: the
    /// edges of labels and the columns arrows drop from. Between two of them, a row shows the
    /// same in every column.
    breaks: &'l [usize],
    /// The stretches of a long line left out, in order: each is drawn as [`ELISION`] in the
    /// source row and takes as many columns in the rows of arrows.
    elided: &'l [Range<usize>],
}

impl SourceLine<'_> {
    fn is_margin(&self, label: usize) -> bool {
        self.margin.is_some_and(|margin| margin.label == label)
    }

    /// The width of the character above column `col` of a row; past the end of the text, one.
    fn width(&self, col: usize) -> usize {
        self.widths.get(col).copied().unwrap_or(1)
    }

    /// The width of the characters above columns `cols` of a row.
    fn width_of(&self, cols: Range<usize>) -> usize {
        let text = cols.start.min(self.widths.len())..cols.end.min(self.widths.len());
        let past_text = cols.len() - text.len();
        self.widths[text].iter().sum::<usize>() + past_text
    }

    /// Draws a row of arrows, with `cell_at` telling what a column shows. Being the same for all
    /// columns between two breaks, it is asked once for each run of them.
    fn draw_row(&self, out: &mut Canvas, mut cell_at: impl FnMut(usize) -> Cell) {
        for run in self.breaks.windows(2) {
            let cell = cell_at(run[0]);
            if cell.first == cell.rest {
                let count = self.width_of(run[0]..run[1]);
                out.paint_repeat(cell.first.1, cell.first.0, count);
            } else {
                for col in run[0]..run[1] {
                    cell.draw(out, self.width(col));
                }
            }
        }
    }
}

/// The kinds of line a margin stands beside.
#[derive(Debug, Clone, Copy)]
enum Row {
    /// A source line, or in its place a `:` for lines inside a label left out.
    Source { skipping: bool },
    /// A blank line for lines left out.
    Gap,
    /// The carets under a line's labels, and `|` above the arrows of the labels from this one
    /// on, or a blank line before help.
    Underline(usize),
    /// The arrow of one label to its message.
    Arrow(usize),
}

impl Row {
    fn is_source(self) -> bool {
        matches!(self, Row::Source { .. })
    }

    fn is_skipping(self) -> bool {
        matches!(self, Row::Source { skipping: true })
    }

    /// The row of the label this is about, and whether it is the arrow's row.
    fn label_row(self) -> Option<(usize, bool)> {
        match self {
            Row::Underline(row) => Some((row, false)),
            Row::Arrow(row) => Some((row, true)),
            Row::Source { .. } | Row::Gap => None,
        }
    }
}

/// What one column shows: its first character cell, then the rest of a wide character's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cell {
    first: (char, Option<Color>),
    rest: (char, Option<Color>),
}

impl Cell {
    const BLANK: Cell = Cell::same(' ', None);

    const fn same(c: char, color: Option<Color>) -> Self {
        Cell {
            first: (c, color),
            rest: (c, color),
        }
    }

    fn draw(self, out: &mut Canvas, width: usize) {
        if width > 0 {
            out.paint_char(self.first.1, self.first.0);
        }
        for _ in 1..width {
            out.paint_char(self.rest.1, self.rest.0);
        }
    }
}

/// One group being drawn.
struct Snippet<'g, 'a> {
    group: &'g Group<'a>,
    /// The width of the line numbers, the same in every snippet of a report.
    width: usize,
    /// The labels over several lines, longest first: each has a column of the margin.
    multi: Vec<usize>,
}

impl<'g, 'a> Snippet<'g, 'a> {
    fn new(group: &'g Group<'a>, width: usize) -> Self {
        let mut multi: Vec<usize> = (0..group.labels.len())
            .filter(|&label| group.labels[label].multiline)
            .collect();
        multi.sort_by_key(|&label| Reverse(group.labels[label].span.len()));
        Snippet {
            group,
            width,
            multi,
        }
    }

    fn label(&self, label: usize) -> &Label<'a> {
        &self.group.labels[label]
    }

    /// `,-[ file:line:column ]`, or `|-[` for a snippet after the first.
    fn header(&self, out: &mut Canvas, first: bool, location: Option<(usize, usize)>) {
        let margin = Some(Color::Margin);
        out.spaces(self.width + 2);
        for c in [if first { ',' } else { '|' }, '-', '['] {
            out.paint_char(margin, c);
        }
        out.push(' ');
        out.text(self.group.place.file);
        match location {
            Some((line, column)) => {
                out.push(':');
                out.push_number(line + 1);
                out.push(':');
                out.push_number(column + 1);
            }
            None => out.push_str(":?:?"),
        }
        out.push(' ');
        out.paint_char(margin, ']');
        out.end_line();
        self.blank_margin(out);
    }

    fn footer(&self, out: &mut Canvas, last: bool) {
        if last {
            out.paint(Some(Color::Margin), |out| {
                out.repeat('-', self.width + 2);
                out.push('\'');
            });
            out.end_line();
        } else {
            self.blank_margin(out);
        }
    }

    fn blank_margin(&self, out: &mut Canvas) {
        out.spaces(self.width + 2);
        out.paint_char(Some(Color::Margin), '|');
        out.end_line();
    }

    /// The lines from the first label to the last. Of lines without labels, the first of a run
    /// shows as a blank margin, or as `:` inside a label over several lines; the rest not at all.
    fn body(&self, out: &mut Canvas) {
        let mut skipping = false;
        let (mut labels, mut widths, mut breaks) = (Vec::new(), Vec::new(), Vec::new());
        let mut elided = Vec::new();
        for index in self.group.lines.line_range(&self.group.span) {
            let line = self.group.lines.line(index);
            let margin = self.margin_label(line);
            self.line_labels(line, margin, &mut labels);
            if labels.is_empty() && margin.is_none() {
                let inside = self
                    .multi
                    .iter()
                    .any(|&label| self.label(label).span.contains(&line.offset));
                if skipping || !inside {
                    if !skipping {
                        self.margin(out, index, Row::Gap, &[], None);
                        out.end_line();
                    }
                    skipping = true;
                    continue;
                }
                skipping = true;
            } else {
                skipping = false;
            }
            labels.sort_by_key(|label| (label.col, Reverse(self.label(label.label).span.start)));
            let text = self.group.lines.text(line).trim_end();
            widths_of(text, &mut widths);
            let arrow_len = self.arrow_len(line, &labels);
            self.breaks(line, &labels, arrow_len, &mut breaks);
            elide(&breaks, &mut widths, &mut elided);
            let line = SourceLine {
                index,
                line,
                text,
                widths: &widths,
                labels: &labels,
                margin,
                breaks: &breaks,
                elided: &elided,
            };
            self.source(out, &line, skipping);
            for row in 0..labels.len() {
                self.underlines(out, &line, row);
                self.arrow(out, &line, row);
            }
        }
    }

    /// Where a label over several lines meets `line`: at its start, or else at its end.
    fn meets(&self, label: usize, line: Line) -> Option<LineLabel> {
        let span = line.span();
        let start = self.label(label).span.start;
        let last = self.label(label).last();
        let (col, draw_msg) = if span.contains(&start) {
            (start, false)
        } else if span.contains(&last) {
            (last, true)
        } else {
            return None;
        };
        Some(LineLabel {
            col: col - line.offset,
            label,
            multi: true,
            draw_msg,
        })
    }

    /// Of the labels over several lines that start or end on `line`, the one furthest left.
    fn margin_label(&self, line: Line) -> Option<LineLabel> {
        self.multi
            .iter()
            .filter_map(|&label| self.meets(label, line))
            .min_by_key(|meet| (meet.col, Reverse(self.label(meet.label).span.start)))
    }

    /// Fills `labels` with the labels that get a row of arrows under `line`: those over several
    /// lines where they start (but for the margin label) or end, then those on this line alone,
    /// each under its middle.
    fn line_labels(&self, line: Line, margin: Option<LineLabel>, labels: &mut Vec<LineLabel>) {
        labels.clear();
        let is_margin = |label| margin.is_some_and(|margin| margin.label == label);
        labels.extend(
            self.multi
                .iter()
                .filter_map(|&label| self.meets(label, line))
                .filter(|meet| meet.draw_msg || !is_margin(meet.label)),
        );
        let span = line.span();
        for (at, label) in self.group.labels.iter().enumerate() {
            if !label.multiline && label.span.start >= span.start && label.span.end <= span.end {
                let middle = (label.span.start + label.span.end) / 2;
                labels.push(LineLabel {
                    col: middle.max(label.span.start) - line.offset,
                    label: at,
                    multi: false,
                    draw_msg: true,
                });
            }
        }
    }

    /// The labels' rows reach two columns past the end of the last label; with a label over
    /// several lines, past the whole line, counted before any label that follows.
    fn arrow_len(&self, line: Line, labels: &[LineLabel]) -> usize {
        let reach = labels.iter().fold(0, |reach, label| {
            if label.multi {
                line.len
            } else {
                reach.max(self.label(label.label).span.end.saturating_sub(line.offset))
            }
        });
        reach + 2
    }

    /// Fills `breaks` with the columns where what a row of arrows under `line` shows may change.
    fn breaks(&self, line: Line, labels: &[LineLabel], arrow_len: usize, breaks: &mut Vec<usize>) {
        breaks.clear();
        breaks.extend([0, arrow_len]);
        for label in labels {
            breaks.extend([label.col, label.col + 1]);
            if !label.multi {
                let span = &self.label(label.label).span;
                breaks.extend([span.start - line.offset, span.end - line.offset]);
            }
        }
        breaks.retain(|&at| at <= arrow_len);
        breaks.sort_unstable();
        breaks.dedup();
    }

    /// The source line, each character in the colour of the shortest label over it, or `:` in
    /// its place.
    fn source(&self, out: &mut Canvas, line: &SourceLine, skipping: bool) {
        self.margin(
            out,
            line.index,
            Row::Source { skipping },
            line.labels,
            line.margin.as_ref(),
        );
        if !skipping {
            self.source_text(out, line);
        }
        out.end_line();
    }

    /// The source line's text, with [`ELISION`] for each stretch left out.
    fn source_text(&self, out: &mut Canvas, line: &SourceLine) {
        let end = line.widths.len();
        let mut from = 0;
        for stretch in line.elided.iter().chain([&(end..end)]) {
            self.source_cols(out, line, from..stretch.start);
            if !stretch.is_empty() {
                let color = out.has_color().then_some(Color::Unimportant);
                out.paint(color, |out| out.push_str(ELISION));
            }
            from = stretch.end;
        }
    }

    /// The characters of columns `cols` of the source line.
    fn source_cols(&self, out: &mut Canvas, line: &SourceLine, cols: Range<usize>) {
        if !out.has_color() && line.text.is_ascii() {
            // A character is a byte then, and only tabs inside a line are drawn as something
            // else: the text goes as it is between them.
            let text = &line.text[cols.clone()];
            let mut from = 0;
            for tab in memchr::memchr_iter(b'\t', text.as_bytes()) {
                out.push_str(&text[from..tab]);
                out.spaces(tab_width(cols.start + tab));
                from = tab + 1;
            }
            out.push_str(&text[from..]);
            return;
        }
        let chars = line.text.chars().enumerate().skip(cols.start);
        for (col, c) in chars.take(cols.len()) {
            let color = if out.has_color() {
                self.highlight(line, col)
                    .map_or(Some(Color::Unimportant), |label| self.label(label).color)
            } else {
                None
            };
            // Whitespace fills its columns; any other character is drawn once, however wide.
            match char_width(c, col) {
                (' ', width) => out.paint_repeat(color, ' ', width),
                (c, _) => out.paint_char(color, c),
            }
        }
    }

    /// The shortest label over column `col`.
    fn highlight(&self, line: &SourceLine, col: usize) -> Option<usize> {
        let at = line.line.offset + col;
        line.margin
            .iter()
            .map(|margin| margin.label)
            .chain(self.multi.iter().copied())
            .chain(line.labels.iter().map(|label| label.label))
            .filter(|&label| self.label(label).span.contains(&at))
            .min_by_key(|&label| self.label(label).span.len())
    }

    /// Under the first row: carets under the labels on this line alone. On every row: a `|` for
    /// each label from this row down, where its arrow will drop.
    fn underlines(&self, out: &mut Canvas, line: &SourceLine, row: usize) {
        self.margin(
            out,
            line.index,
            Row::Underline(row),
            line.labels,
            line.margin.as_ref(),
        );
        line.draw_row(out, |col| {
            let underline = if row == 0 {
                self.underline(line, col)
            } else {
                None
            };
            let color = |label: &LineLabel| self.label(label.label).color;
            match (self.vbar(line, col, row), underline) {
                (Some(vbar), Some(_)) => Cell {
                    first: ('|', color(vbar)),
                    rest: ('^', color(vbar)),
                },
                (Some(vbar), None) => Cell {
                    first: (if vbar.multi && row == 0 { '^' } else { '|' }, color(vbar)),
                    rest: (' ', color(vbar)),
                },
                (None, Some(underline)) => Cell::same('^', color(underline)),
                (None, None) => Cell::BLANK,
            }
        });
        out.end_line();
    }

    /// The arrow of the label of row `row`, from where it drops to its message, crossing the
    /// drops of the labels below.
    fn arrow(&self, out: &mut Canvas, line: &SourceLine, row: usize) {
        self.margin(
            out,
            line.index,
            Row::Arrow(row),
            line.labels,
            line.margin.as_ref(),
        );
        let label = &line.labels[row];
        let color = self.label(label.label).color;
        line.draw_row(out, |col| {
            let hbar = ((col > label.col) ^ label.multi) || (label.draw_msg && col > label.col);
            if col == label.col && !line.is_margin(label.label) {
                let corner = match (label.multi, label.draw_msg) {
                    (false, _) => '`',
                    (true, true) => '^',
                    (true, false) => '\'',
                };
                Cell {
                    first: (corner, color),
                    rest: ('-', color),
                }
            } else if hbar {
                Cell::same('-', color)
            } else if let Some(vbar) = self.vbar(line, col, row) {
                Cell {
                    first: ('|', self.label(vbar.label).color),
                    rest: (' ', color),
                }
            } else {
                Cell::BLANK
            }
        });
        if label.draw_msg {
            out.push(' ');
            out.text(self.label(label.label).message);
        }
        out.end_line();
    }

    /// The label whose arrow drops through column `col` of row `row`: the first from that row
    /// down that drops from that column.
    fn vbar<'l>(&self, line: &'l SourceLine, col: usize, row: usize) -> Option<&'l LineLabel> {
        line.labels[row..]
            .iter()
            .find(|label| label.col == col && !line.is_margin(label.label))
    }

    /// The shortest label on this line alone over column `col`.
    fn underline<'l>(&self, line: &'l SourceLine, col: usize) -> Option<&'l LineLabel> {
        let at = line.line.offset + col;
        line.labels
            .iter()
            .filter(|label| !label.multi && self.label(label.label).span.contains(&at))
            .min_by_key(|label| self.label(label.label).span.len())
    }

    /// Blank lines and help, at the end of the last snippet.
    fn help(&self, out: &mut Canvas, help: &str) {
        let margin = |out: &mut Canvas| self.margin(out, 0, Row::Underline(0), &[], None);
        margin(out);
        out.end_line();
        let mut lines = help.lines();
        if let Some(first) = lines.next() {
            margin(out);
            out.paint(Some(Color::Note), |out| out.push_str("Help"));
            out.push_str(": ");
            out.push_str(first);
            out.end_line();
        }
        for line in lines {
            margin(out);
            out.spaces("Help: ".len());
            out.push_str(line);
            out.end_line();
        }
    }

    /// The margin beside row `row` of line `index`: the line's number or a bar, then a column
    /// for each label over several lines and one for the arrows that come in from the margin.
    fn margin(
        &self,
        out: &mut Canvas,
        index: usize,
        row: Row,
        labels: &[LineLabel],
        margin: Option<&LineLabel>,
    ) {
        out.push(' ');
        if let Row::Source { skipping: false } = row {
            out.paint(Some(Color::Margin), |out| {
                out.spaces(self.width - digits(index + 1));
                out.push_number(index + 1);
                out.push_str(" |");
            });
        } else {
            out.paint(Some(Color::SkippedMargin), |out| {
                out.spaces(self.width + 1);
                out.push(if row.is_skipping() { ':' } else { '|' });
            });
        }
        out.push(' ');
        if let Row::Gap = row {
            return;
        }
        let columns = self.multi.len() + usize::from(!self.multi.is_empty());
        for col in 0..columns {
            self.margin_cell(index, row, col, labels, margin)
                .draw(out, 2);
        }
    }

    /// Column `col` of the margin: the bar of its label while it lasts, with a corner where
    /// its arrow leaves the bar; arrows from bars further left cross it, and the last column
    /// points at the line where a label starts or ends.
    fn margin_cell(
        &self,
        index: usize,
        row: Row,
        col: usize,
        labels: &[LineLabel],
        margin: Option<&LineLabel>,
    ) -> Cell {
        let line = self.group.lines.line(index).span();
        let count = self.multi.len();
        let (mut corner, mut hbar, mut vbar, mut from_margin) = (None, None, None, None);
        for (i, &label) in self.multi[..(col + 1).min(count)].iter().enumerate() {
            let span = &self.label(label).span;
            if span.start > line.end || span.end <= line.start {
                continue;
            }
            let margin = margin.filter(|margin| margin.label == label);
            let own = i == col;
            let is_start = line.contains(&span.start);
            let is_end = line.contains(&self.label(label).last());
            if margin.is_some() && row.is_source() {
                from_margin = Some((label, is_start));
            } else if !is_start && (!is_end || row.is_source()) {
                vbar = vbar.or(Some(label).filter(|_| own));
            } else if let Some((report_row, is_arrow)) = row.label_row() {
                let label_row = labels.iter().position(|l| l.label == label).unwrap_or(0);
                if report_row == label_row {
                    if let Some(margin) = margin {
                        vbar = Some(margin.label).filter(|_| own);
                        if is_start {
                            continue;
                        }
                    }
                    if is_arrow {
                        hbar = Some(label);
                        if own {
                            corner = Some((label, is_start));
                        }
                    } else if !is_start {
                        vbar = vbar.or(Some(label).filter(|_| own));
                    }
                } else {
                    let drops_here = is_start ^ (report_row < label_row);
                    vbar = vbar.or(Some(label).filter(|_| own && drops_here));
                }
            }
        }
        let column_label = self.multi.get(col).copied();
        if let Some((label, _)) = from_margin
            && column_label != Some(label)
            && col + 1 != count
        {
            hbar = hbar.or(Some(label));
        }
        hbar = hbar.filter(|&label| !row.is_source() || margin.is_none_or(|m| m.label != label));

        let color = |label: usize| self.label(label).color;
        if let Some((label, is_start)) = corner {
            Cell {
                first: (if is_start { ',' } else { '`' }, color(label)),
                rest: ('-', color(label)),
            }
        } else if let Some(label) = hbar {
            Cell::same('-', color(label))
        } else if let Some(label) = vbar {
            Cell {
                first: (if row.is_skipping() { ':' } else { '|' }, color(label)),
                rest: (' ', None),
            }
        } else if let Some((label, is_start)) = from_margin {
            let (first, rest) = if col == count {
                ('>', ' ')
            } else if column_label == Some(label) {
                (if is_start { ',' } else { '|' }, '-')
            } else {
                ('-', '-')
            };
            Cell {
                first: (first, color(label)),
                rest: (rest, color(label)),
            }
        } else {
            Cell::BLANK
        }
    }
}

/// For a line of more than [`LONG_LINE`] characters, fills `elided` with the stretches more
/// than [`CONTEXT`] characters from every column of `keep`, and gives each the width of
/// [`ELISION`]: its first column that many, the others none.
fn elide(keep: &[usize], widths: &mut [usize], elided: &mut Vec<Range<usize>>) {
    elided.clear();
    let len = widths.len();
    if len <= LONG_LINE {
        return;
    }
    // Left out only where that saves columns.
    let mut leave_out = |stretch: Range<usize>| {
        if stretch.len() > ELISION.len() {
            elided.push(stretch);
        }
    };
    let mut kept_until = 0;
    for &col in keep {
        let start = col.saturating_sub(CONTEXT).min(len);
        if start > kept_until {
            leave_out(kept_until..start);
        }
        kept_until = kept_until.max((col + CONTEXT + 1).min(len));
    }
    leave_out(kept_until..len);
    for stretch in elided.iter() {
        widths[stretch.start] = ELISION.len();
        widths[stretch.start + 1..stretch.end].fill(0);
    }
}

/// Fills `widths` with how many columns each character of `text` takes.
fn widths_of(text: &str, widths: &mut Vec<usize>) {
    widths.clear();
    if text.is_ascii() {
        // A character a byte, and one column wide but for a tab: this takes a few instructions a
        // character, where decoding and looking up each takes tens.
        let width = |(col, byte)| if byte == b'\t' { tab_width(col) } else { 1 };
        widths.extend(text.bytes().enumerate().map(width));
    } else {
        widths.extend(
            text.chars()
                .enumerate()
                .map(|(col, c)| char_width(c, col).1),
        );
    }
}

/// What a character shows as, and how many columns it takes: a tab reaches the next multiple of
/// four characters, other whitespace is a space, and a character of no known width takes one
/// column.
fn char_width(c: char, col: usize) -> (char, usize) {
    match c {
        '\t' => (' ', tab_width(col)),
        // Most text is printable ASCII: no need to look it up.
        '!'..='~' => (c, 1),
        c if c.is_whitespace() => (' ', 1),
        c => (c, c.width().unwrap_or(1)),
    }
}

/// A tab reaches the next multiple of four characters (not columns).
fn tab_width(col: usize) -> usize {
    TAB_WIDTH - col % TAB_WIDTH
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}
