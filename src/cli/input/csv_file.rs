//! CSV files as people's spreadsheets write them: Swedish Excel saves with
//! `;` and a UTF-8 byte-order mark, others with `,`. Reading strips the
//! mark, takes the delimiter from the header line (or `--delimiter`) and
//! checks the header against the columns the command knows, naming any
//! column that is missing or unknown. Writing for Excel (`--excel`) uses
//! `;`, a decimal comma and the mark, so the file opens right in Swedish
//! Excel.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use super::InputError;
use crate::cli::names::words::{w, wf};

/// The UTF-8 byte-order mark Excel writes first.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The columns a CSV input may have.
pub struct Columns {
    /// Every column the command reads, in the documented order.
    pub known: &'static [&'static str],
    /// Columns that must be there.
    pub required: &'static [&'static str],
    /// Groups of which at least one column must be there.
    pub one_of: &'static [&'static [&'static str]],
}

/// A `--delimiter` value: `,` or `;` (also `comma`, `semicolon`).
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        _ => Err(w("ange , eller ; (eller comma, semicolon)").to_owned()),
    }
}

/// The delimiter of a header line: `;` when it has more semicolons than
/// commas, else `,`.
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let count = |b: u8| header.iter().filter(|&&c| c == b).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// Opens a CSV input: the mark skipped, the delimiter given or detected,
/// the header checked (and its names trimmed of spaces).
pub fn open(
    path: &Path,
    delimiter: Option<u8>,
    columns: &Columns,
) -> Result<csv::Reader<BufReader<File>>, InputError> {
    let fail = |message: String| InputError::Parse {
        path: path.to_owned(),
        message,
    };
    let file = File::open(path).map_err(|source| InputError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut buffered = BufReader::with_capacity(64 * 1024, file);
    let start = buffered.fill_buf().map_err(|source| InputError::Read {
        path: path.to_owned(),
        source,
    })?;
    let skip = if start.starts_with(BOM) { BOM.len() } else { 0 };
    let delimiter = delimiter.unwrap_or_else(|| {
        let rest = &start[skip..];
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        detect_delimiter(&rest[..end])
    });
    buffered.consume(skip);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(buffered);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| fail(wf("rad 1: {}", &[&e])))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    check_header(&header, columns).map_err(|m| fail(wf("rad 1: {}", &[&m])))?;
    reader.set_headers(csv::StringRecord::from(header));
    Ok(reader)
}

/// Names the first unknown, repeated or missing column.
pub fn check_header(header: &[String], columns: &Columns) -> Result<(), String> {
    let known = || columns.known.join(", ");
    for (i, name) in header.iter().enumerate() {
        if !columns.known.contains(&name.as_str()) {
            return Err(wf(
                "okänd kolumn \"{}\"; kolumnerna är {} (åtskilda med , eller ;)",
                &[&name, &known()],
            ));
        }
        if header[..i].contains(name) {
            return Err(wf("kolumnen \"{}\" står två gånger", &[&name]));
        }
    }
    let has = |c: &&str| header.iter().any(|h| h == c);
    if let Some(missing) = columns.required.iter().find(|c| !has(c)) {
        return Err(wf(
            "kolumnen \"{}\" saknas; kolumnerna är {}",
            &[&missing, &known()],
        ));
    }
    if let Some(group) = columns.one_of.iter().find(|g| !g.iter().any(has)) {
        return Err(wf(
            "en kolumn saknas: ange \"{}\"; kolumnerna är {}",
            &[&group.join(w("\" eller \"")), &known()],
        ));
    }
    Ok(())
}

/// A CSV writer: plain (`,` and `.`), or for Swedish Excel (`;`, the mark
/// first; amounts then take a decimal comma through [`excel_amount`]).
pub fn writer<W: Write>(mut out: W, excel: bool) -> std::io::Result<csv::Writer<W>> {
    if excel {
        out.write_all(BOM)?;
    }
    Ok(csv::WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .from_writer(out))
}

/// A wire amount (`1500.50`) as Swedish Excel reads a number: `1500,50`.
pub fn excel_amount(wire: &str) -> String {
    wire.replacen('.', ",", 1)
}
