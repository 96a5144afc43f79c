//! The one amount parser of the CLI: an amount as Swedish people write it,
//! in a flag or an input file, turned into the wire's strict form.
//!
//! Accepted: `1500`, `1500.50`, `1500,50`, `1 500,50` (the space may be a
//! no-break space or a narrow no-break space, as copied from a document or
//! a spreadsheet), each optionally followed by `kr`, and a leading `-` for
//! the signed amounts that allow one. The result is digits with an optional
//! `.` and one or two decimals (`1500.50`); the server still does the one
//! authoritative check (its limits and whether a sign is allowed). The CLI
//! never does arithmetic: the digits are passed on as written.
//!
//! Refused, rather than guessed: `1,500` and `1.500` (three digits after the
//! separator read as a thousands separator in one language and as decimals
//! in another), `1.500,50` (two different separators), and groups of digits
//! other than three after a space.

use crate::cli::names::words::{w, wf};

/// What an amount may look like, for error messages (in Swedish; [`w`]
/// gives it in the run's language).
pub const AMOUNT_FORMS: &str = "ett belopp som 1 500,50 eller 1500.50 (gärna följt av kr)";

/// The wire form of an amount written by a person, or why it is not one
/// (the reason ends with what would be accepted).
pub fn parse_amount(text: &str) -> Result<String, String> {
    let refuse = |why: &str| {
        Err(wf(
            "{}; skriv {}",
            &[
                &why,
                &w("ett belopp som 1 500,50 eller 1500.50 (gärna följt av kr)"),
            ],
        ))
    };
    let mut s = text.trim_matches(is_space);
    if s.is_empty() {
        return refuse(w("inget belopp"));
    }
    // A trailing "kr" (any case), with or without a space before it.
    if let Some(stripped) = strip_suffix_ignore_case(s, "kr") {
        s = stripped.trim_end_matches(is_space);
    }
    let (negative, unsigned) = match s.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start_matches(is_space)),
        None => (false, s),
    };
    let separators: Vec<(usize, char)> = unsigned
        .char_indices()
        .filter(|(_, c)| *c == ',' || *c == '.')
        .collect();
    let (whole, fraction) = match separators.as_slice() {
        [] => (unsigned, None),
        [(at, _)] => (&unsigned[..*at], Some(&unsigned[at + 1..])),
        _ => return refuse(w("mer än ett decimaltecken")),
    };
    let digits_only = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = whole.split(is_space).collect();
    let grouped_right =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !groups.iter().all(|g| digits_only(g)) || !grouped_right {
        return refuse(w("inte ett belopp"));
    }
    let mut wire = String::with_capacity(unsigned.len() + 1);
    if negative {
        wire.push('-');
    }
    wire.extend(groups);
    match fraction {
        None => {}
        Some(f) if digits_only(f) && f.len() <= 2 => {
            wire.push('.');
            wire.push_str(f);
        }
        Some(f) if digits_only(f) && f.len() == 3 => {
            return refuse(w(
                "tre siffror efter tecknet kan vara tusental eller decimaler; skriv 1500 eller 1,50",
            ));
        }
        Some(f) if digits_only(f) => return refuse(w("högst två decimaler (hela ören)")),
        Some(_) => return refuse(w("inte ett belopp")),
    }
    Ok(wire)
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{00A0}' || c == '\u{202F}'
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix)).then(|| &s[..cut])
}
