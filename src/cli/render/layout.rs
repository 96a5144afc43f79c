//! How wide the output may be: `--width N`, else the terminal's width when
//! standard output is one, else 100 columns, so that a saved or printed
//! table fits an A4 page in a monospaced font.
//!
//! Tables are fitted by comfy-table, each column at least as wide as its
//! longest word ([`WholeWords`]), so a cell wraps only at spaces and an id
//! stays whole to be copied; the prose lines around them (headings, a basis
//! written under a figure) are wrapped at spaces by [`fit`].

use std::fmt;
use std::io::IsTerminal;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use comfy_table::{ColumnConstraint, Table, Width};

/// The width when standard output is not a terminal and no `--width` is given.
pub const PRINT_WIDTH: u16 = 100;

static WIDTH: OnceLock<Option<u16>> = OnceLock::new();

/// Sets the width once, at start: `given`, else none for a terminal
/// (comfy-table then reads the terminal's own width), else [`PRINT_WIDTH`].
pub fn set_width(given: Option<u16>) {
    let width = given.or_else(|| (!std::io::stdout().is_terminal()).then_some(PRINT_WIDTH));
    let _ = WIDTH.set(width);
}

/// The width to fit, if any (none: a terminal, measured by comfy-table).
pub fn width() -> Option<u16> {
    WIDTH.get().copied().unwrap_or(Some(PRINT_WIDTH))
}

/// Wraps each line longer than the width at spaces, keeping its indent;
/// a table's lines (they start with a border) are already fitted and a
/// word longer than the width is left whole.
pub fn fit(text: &str) -> String {
    let Some(width) = width().map(usize::from) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let ending = &line[body.len()..];
        if body.chars().count() <= width || is_table_line(body) {
            out.push_str(line);
            continue;
        }
        let indent_len = body.len() - body.trim_start().len();
        let indent = &body[..indent_len];
        // Continued lines are indented two more, so they read as one.
        let continued = format!("{indent}  ");
        let mut current = String::from(indent);
        let mut fresh = true;
        for word in body.split_whitespace() {
            let len = word.chars().count();
            if !fresh && current.chars().count() + 1 + len > width {
                out.push_str(&current);
                out.push('\n');
                current.clone_from(&continued);
                fresh = true;
            }
            if !fresh {
                current.push(' ');
            }
            current.push_str(word);
            fresh = false;
        }
        out.push_str(&current);
        out.push_str(if ending.is_empty() { "" } else { "\n" });
    }
    out
}

/// A table whose cells wrap between words: when it is printed, each column
/// without a constraint of its own is given its longest word (an id,
/// `hyresskuld`, `Prioriterad`) as its least width, so comfy-table does not
/// break that word across lines. The columns with the shortest longest words
/// are given theirs first, as long as the table still fits its width; a
/// column whose word cannot fit is left to comfy-table.
#[derive(Clone)]
pub struct WholeWords(pub Table);

impl Deref for WholeWords {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl DerefMut for WholeWords {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

impl fmt::Display for WholeWords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut table = self.0.clone();
        let longest: Vec<usize> = (0..table.column_count())
            .map(|i| {
                table
                    .column_cells_with_header_iter(i)
                    .flatten()
                    .flat_map(|cell| {
                        cell.content()
                            .split_whitespace()
                            .map(|word| word.chars().count())
                            .collect::<Vec<_>>()
                    })
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        // Room for the columns' contents and padding: the width less the
        // borders (one more than the columns).
        let mut room = table
            .width()
            .map_or(usize::MAX, usize::from)
            .saturating_sub(longest.len() + 1);
        // A column with a constraint of its own (a figure kept on one line)
        // takes its content's width first.
        let content = table.column_max_content_widths();
        let mut order = Vec::new();
        for (i, column) in table.column_iter().enumerate() {
            let padding = usize::from(column.padding_width());
            if column.constraint().is_some() {
                let used = content.get(i).map_or(0, |&c| usize::from(c)) + padding;
                room = room.saturating_sub(used);
            } else {
                order.push((longest[i], padding, i));
            }
        }
        order.sort_unstable();
        let mut left = order.len();
        for (word, padding, i) in order {
            left -= 1;
            let least = word + padding;
            // Leave each later column at least one character and its padding.
            if least + left * (padding + 1) > room {
                room = room.saturating_sub(padding + 1);
                continue;
            }
            room -= least;
            let least = u16::try_from(least).unwrap_or(u16::MAX);
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(least)));
            }
        }
        write!(f, "{table}")
    }
}

fn is_table_line(line: &str) -> bool {
    line.trim_start()
        .starts_with(['│', '┌', '├', '└', '╞', '╭', '╰', '┆', '╘', '╒'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_prose_lines_wrap_at_spaces_with_their_indent() {
        let long = format!("  {}", ["ord"; 40].join(" "));
        let fitted = fit(&format!("{long}\nkort\n"));
        for line in fitted.lines() {
            assert!(line.chars().count() <= 100, "{line:?}");
            assert!(line.starts_with("  ") || line == "kort", "{line:?}");
        }
        assert_eq!(
            fitted.split_whitespace().filter(|w| *w == "ord").count(),
            40
        );
        assert!(fitted.ends_with("kort\n"));
    }
}
