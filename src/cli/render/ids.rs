//! The numbers people know by their hyphens, printed with them: the wire
//! carries digits only (a personnummer as 12 digits, an organisationsnummer
//! as 10, a bankgiro number as 7 or 8), which is hard to read aloud or check
//! against a letter. Text that is not such a number is shown as it is.

fn digits(text: &str, lengths: &[usize]) -> bool {
    lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

fn hyphen_before_last(text: &str, tail: usize) -> String {
    let (head, last) = text.split_at(text.len() - tail);
    format!("{head}-{last}")
}

/// `text` with a hyphen before its last `tail` digits when it is all
/// digits of one of `lengths`; else as it is.
fn hyphenated(text: &str, lengths: &[usize], tail: usize) -> String {
    if digits(text, lengths) {
        hyphen_before_last(text, tail)
    } else {
        text.to_owned()
    }
}

/// `198804122482` as `19880412-2482`; a 10-digit number as `880412-2482`.
pub fn personnummer(text: &str) -> String {
    hyphenated(text, &[10, 12], 4)
}

/// `5566778899` as `556677-8899`.
pub fn organisationsnummer(text: &str) -> String {
    hyphenated(text, &[10], 4)
}

/// `51234565` as `5123-4565`, `1234566` as `123-4566`.
pub fn bankgiro(text: &str) -> String {
    hyphenated(text, &[7, 8], 4)
}

/// A plusgiro number with its check digit apart: `4711235` as `471123-5`.
pub fn plusgiro(text: &str) -> String {
    hyphenated(text, &[2, 3, 4, 5, 6, 7, 8], 1)
}

/// `table`, then each row's whole id on a line of its own under it, named
/// by `label`, to be copied into a later command: in a column of the table
/// an id (36 characters) would not leave room for the other cells' words.
/// Rows without an id are left out.
pub fn under_table<'a>(
    table: impl std::fmt::Display,
    rows: impl IntoIterator<Item = (String, &'a str)>,
) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "{table}\n{}",
        super::super::names::words::w("Id att ange i senare kommandon:")
    );
    for (label, id) in rows {
        if !id.is_empty() {
            let _ = write!(out, "\n  {label}: {id}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_their_hyphens_and_other_text_is_left_alone() {
        assert_eq!(personnummer("198804122482"), "19880412-2482");
        assert_eq!(personnummer("19880412-2482"), "19880412-2482");
        assert_eq!(organisationsnummer("5566778899"), "556677-8899");
        assert_eq!(bankgiro("51234565"), "5123-4565");
        assert_eq!(bankgiro("1234566"), "123-4566");
        assert_eq!(plusgiro("4711235"), "471123-5");
        assert_eq!(bankgiro("5123-4565"), "5123-4565");
        assert_eq!(personnummer(""), "");
    }
}
