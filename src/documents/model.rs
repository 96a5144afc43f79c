//! The content of a document: what the template prints and, as JSON, the
//! data twin a caller receives beside the PDF. Every amount is a [`Figure`]
//! with its wire value, its printed form and its basis.

use serde::Serialize;

use crate::domain::money::Money;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The kind, as the proto enum names it without prefix
    /// ("CREDITOR_OFFER").
    pub kind: String,
    /// The id the audit row names (`document:<id>`).
    pub document_id: String,
    /// Swedish title of the whole document ("Förslag till avbetalning").
    pub title: String,
    pub municipality: String,
    pub unit: String,
    /// The day of the document, YYYY-MM-DD, and as running text.
    pub date: String,
    pub date_text: String,
    /// Some figure comes from a PROVISIONAL table.
    pub provisional: bool,
    /// One letter per recipient (a creditor's letter, a summary); a
    /// statement is one letter without recipient. Each starts on a new page.
    pub letters: Vec<Letter>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Letter {
    /// The recipient's postal address, one line each; empty for none.
    pub recipient: Vec<String>,
    /// The recipient's own reference ("Er referens"), if known.
    pub reference: Option<String>,
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A boxed remark: an estimate, a provisional table, a warning.
    Note {
        text: String,
    },
    /// A table of printed cells; `numeric` right-aligns a column; `total`
    /// is a closing row in bold.
    Table {
        columns: Vec<String>,
        numeric: Vec<bool>,
        rows: Vec<Vec<String>>,
        total: Option<Vec<String>>,
    },
    /// Amounts, each with its basis printed beneath it.
    Figures {
        rows: Vec<Figure>,
    },
    /// Lines to sign on, each with its caption.
    Signatures {
        lines: Vec<String>,
    },
    /// Small bar charts, two to a row: one measure each over months.
    Charts {
        charts: Vec<Chart>,
    },
}

/// One measure over months, a bar a month.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The measure in Swedish ("Underrättelser mottagna").
    pub title: String,
    /// The measure's wire code and dimension, for the data twin.
    pub code: String,
    pub dimension: String,
    /// What the figures are in ("antal", "kr", "dagar", "månader").
    pub unit: String,
    pub bars: Vec<Bar>,
}

/// A month's bar. A figure on too few cases has no value and no bar; it
/// prints as `<5`.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// YYYY-MM.
    pub month: String,
    /// The month under its bar ("jan").
    pub label: String,
    /// The figure on the wire ("17", "12345.50"); None when suppressed.
    pub value: Option<String>,
    /// As printed above the bar ("17", "12 345,50", "<5").
    pub text: String,
    /// The bar's height in percent of the chart's tallest bar (0–100).
    pub percent: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub label: String,
    /// The amount on the wire ("14350.00").
    pub amount: String,
    /// As printed ("14 350,00 kr").
    pub text: String,
    pub basis: Option<Basis>,
    pub provisional: bool,
}

/// A figure's basis as printed. The service's bases name records by id
/// (a budget, a debt, a plan); the page prints no raw id, so each id is
/// replaced by a pointer to the data twin, and `records` keeps the ids in
/// the twin, where the figure can be checked against them.
#[derive(Debug, Clone, Serialize)]
pub struct Basis {
    pub rule: String,
    pub source: String,
    pub arithmetic: String,
    pub records: Vec<String>,
}

/// What stands on the page where a basis named a record by id.
pub const ID_ON_PAGE: &str = "(id i datafilen)";

impl Basis {
    pub fn new(rule: &str, source: &str, arithmetic: &str) -> Basis {
        let mut records = Vec::new();
        let rule = scrub(rule, &mut records);
        let source = scrub(source, &mut records);
        let arithmetic = scrub(arithmetic, &mut records);
        Basis {
            rule,
            source,
            arithmetic,
            records,
        }
    }
}

/// `text` with every UUID (8-4-4-4-12 hex digits) replaced by
/// [`ID_ON_PAGE`], the UUIDs pushed to `found`.
pub fn scrub(text: &str, found: &mut Vec<String>) -> String {
    const LEN: usize = 36;
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i + LEN <= bytes.len() {
        let window = &bytes[i..i + LEN];
        let is_uuid = window.iter().enumerate().all(|(k, b)| match k {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
        if is_uuid {
            out.push_str(&text[copied..i]);
            out.push_str(ID_ON_PAGE);
            found.push(text[i..i + LEN].to_owned());
            i += LEN;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

impl Figure {
    pub fn new(label: impl Into<String>, amount: Money, basis: Option<Basis>) -> Figure {
        Figure {
            label: label.into(),
            amount: amount.to_wire(),
            text: amount.display_sv(),
            basis,
            provisional: false,
        }
    }
}

impl Block {
    pub fn heading(text: impl Into<String>) -> Block {
        Block::Heading { text: text.into() }
    }

    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph { text: text.into() }
    }

    pub fn note(text: impl Into<String>) -> Block {
        Block::Note { text: text.into() }
    }

    /// A table whose columns after the first `text_columns` are amounts.
    pub fn table(columns: &[&str], text_columns: usize, rows: Vec<Vec<String>>) -> Block {
        Block::Table {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            numeric: (0..columns.len()).map(|i| i >= text_columns).collect(),
            rows,
            total: None,
        }
    }

    /// The same table with a closing total row.
    pub fn with_total(mut self, row: Vec<String>) -> Block {
        if let Block::Table { total, .. } = &mut self {
            *total = Some(row);
        }
        self
    }
}
