//! Documents that leave the office: letters and statements typeset as
//! PDF/A-2b with typst, each with its data twin.
//!
//! One template ([`TEMPLATE`], `document.typ`) typesets every kind: it reads
//! the document's content from `/data.json` and prints it. The content is
//! data, never markup: a name such as `#exit` or `]` is printed as written
//! because the template only ever places strings as text. The same JSON is
//! the data twin a caller receives beside the PDF.
//!
//! typst memoizes work across compilations (comemo); every document here is
//! distinct, so after each render the cache is evicted down to what the last
//! few renders used, which keeps the server's memory flat.

pub mod kinds;
mod model;
mod world;

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDateTime, Timelike};
use typst::foundations::{Bytes, Datetime};
pub use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use model::{Bar, Basis, Block, Chart, Document, Figure, Letter};
use world::{DocumentWorld, Shared};

/// The one template every document kind is typeset with.
pub const TEMPLATE: &str = include_str!("document.typ");

/// How many renders' worth of typst's memoized work is kept.
pub const CACHE_AGE: usize = 10;

static SHARED: LazyLock<Shared> = LazyLock::new(|| Shared::new(TEMPLATE));

/// Why a document could not be typeset. The messages are typst's about the
/// template, never the document's content.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the document data could not be encoded: {0}")]
    Data(#[from] serde_json::Error),
    #[error("the template failed: {0}")]
    Typeset(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// Loads the fonts and the standard library now rather than on the first
/// document (a server calls this at start).
pub fn warm_up() {
    LazyLock::force(&SHARED);
}

/// Typesets `document` as PDF/A-2b, tagged, fonts embedded; `created` is the
/// document's creation time (UTC), which PDF/A requires.
pub fn render(document: &Document, created: NaiveDateTime) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::to_vec(document)?;
    render_json(data, created)
}

/// [`render`] from the document's JSON (the data twin) as it is.
pub fn render_json(data: Vec<u8>, created: NaiveDateTime) -> Result<Vec<u8>, RenderError> {
    let result = layout_json(data, created).and_then(|paged| export_pdf(&paged, created));
    typst::comemo::evict(CACHE_AGE);
    result
}

/// The first of [`render_json`]'s two stages: the document's JSON laid out
/// in pages. Callers that time the stages (the documents bench) use it with
/// [`export_pdf`]; anyone else calls [`render_json`], which also evicts
/// typst's cache.
pub fn layout_json(data: Vec<u8>, created: NaiveDateTime) -> Result<PagedDocument, RenderError> {
    let world = DocumentWorld {
        shared: &SHARED,
        data: Bytes::new(data),
        today: typst_datetime(created),
    };
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| RenderError::Typeset(messages(errors.iter().map(|e| e.message.as_str()))))
}

/// The second stage: the pages written as PDF/A-2b, tagged, fonts embedded
/// (subsets of them), with `created` as the document's creation time.
pub fn export_pdf(paged: &PagedDocument, created: NaiveDateTime) -> Result<Vec<u8>, RenderError> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| RenderError::Pdf(e.message().to_string()))?;
    let options = PdfOptions {
        standards,
        timestamp: Some(Timestamp::new_utc(typst_datetime(created))),
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(paged, &options)
        .map_err(|errors| RenderError::Pdf(messages(errors.iter().map(|e| e.message.as_str()))))
}

fn messages<'a>(list: impl Iterator<Item = &'a str>) -> String {
    list.collect::<Vec<_>>().join("; ")
}

fn typst_datetime(at: NaiveDateTime) -> Datetime {
    // A NaiveDateTime's fields are always in range for typst's datetime.
    Datetime::from_ymd_hms(
        at.year(),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    )
    .unwrap_or_else(|| unreachable!("a valid date and time"))
}

#[cfg(test)]
mod tests;
