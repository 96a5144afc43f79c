//! The one date parser of the CLI: a calendar date as people write it, in a
//! flag, an input file or a CSV column, turned into the wire's `YYYY-MM-DD`.
//! Accepted: `2026-12-02` and `20261202`; the date must exist.

use chrono::NaiveDate;

use crate::cli::names::words::{w, wf};

/// What a date may look like, for error messages (in Swedish; [`w`] gives
/// it in the run's language).
pub const DATE_FORMS: &str = "ett datum som 2026-12-02 eller 20261202";

/// The wire form of a date written by a person, or why it is not one (the
/// reason ends with what would be accepted).
pub fn parse_date(text: &str) -> Result<String, String> {
    let s = text.trim();
    let date = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDate::parse_from_str(s, "%Y%m%d")
    } else if s.len() == 10 {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
    } else {
        return Err(wf(
            "inte ett datum; skriv {}",
            &[&w("ett datum som 2026-12-02 eller 20261202")],
        ));
    };
    date.map(|d| d.format("%Y-%m-%d").to_string()).map_err(|_| {
        wf(
            "datumet finns inte; skriv {}",
            &[&w("ett datum som 2026-12-02 eller 20261202")],
        )
    })
}
