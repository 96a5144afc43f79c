//! Swedish identity numbers and payment references, parsed once and then trusted.
//!
//! Every number a caller sends is turned into one of these types at the boundary
//! (parse, don't validate); after that the rest of the service never sees a raw string.
//!
//! - Personnummer (folkbokföringslagen 1991:481 18 §, Skatteverket) and samordningsnummer
//!   (18 a §: the day of birth + 60), both as [`PersonalIdentityNumber`]. Written
//!   `ÅÅMMDD-NNNC`; the `-` becomes `+` in the calendar year the person turns 100. `C` is the
//!   check digit by Skatteverket's Luhn rule (modulus 10, weights 2, 1, 2, … from the left
//!   over the nine digits `ÅÅMMDDNNN`). Stored as the twelve digits `ÅÅÅÅMMDDNNNC`.
//! - Organisationsnummer ([`OrganisationNumber`]): ten digits, Luhn, and digits 3–4 at least
//!   20, so they can never be read as a month; that is what tells one apart from a
//!   personnummer (Skatteverket).
//! - Payment numbers: [`Bankgiro`] (7–8 digits), [`Plusgiro`] (2–8 digits) and
//!   [`OcrReference`] (2–25 digits, optionally with a length digit). The last digit is a Luhn
//!   check digit, as Bankgirot and Plusgirot specify. The service needs these to pay rent
//!   straight to a landlord.
//!
//! The Luhn rule: from the rightmost payload digit leftwards, multiply by 2, 1, 2, 1, …; add
//! the digits of the products; the check digit brings the sum up to a multiple of ten. For the
//! nine-digit personnummer body "2, 1, 2, … from the left" is the same thing, because an odd
//! number of digits starts and ends with weight 2.
//!
//! Invariants:
//! - A value of any type here holds only ASCII digits, of a length its type allows, and its
//!   check digit is right; there is no other way to build one than `parse`.
//! - A [`PersonalIdentityNumber`]'s birth date exists and is not after the `today` it was
//!   parsed against.
//! - Personal data never leaves through `Debug` or an error: a personnummer, a plusgiro
//!   number (private persons have them) and an OCR reference (landlords often build it from
//!   the tenant's personnummer or contract) print masked in `Debug`, since `Debug` output
//!   reaches logs; [`IdentityError`]'s messages never include the input (no personal data in
//!   logs or error messages).
//!   `Display` prints the number itself, for responses and documents meant to show it.
//! - Parsing never panics, whatever the input.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The Luhn (modulus 10) check digit for `digits`.
///
/// Weights 2, 1, 2, 1, … starting with the rightmost digit of `digits`, the digits of each
/// product summed; for Skatteverket's nine-digit personnummer body that is the same as
/// "2, 1, 2, … from the left". Each element should be 0..=9; larger values are reduced modulo
/// 10 so the function is total (the parsers here only ever pass digits).
pub fn luhn_check_digit(digits: &[u8]) -> u8 {
    // Keeping the running sum modulo 10 gives the same answer and can never overflow.
    let sum = digits
        .iter()
        .rev()
        .enumerate()
        .fold(0u8, |sum, (position, &digit)| {
            let digit = digit % 10;
            let weighted = if position % 2 == 0 {
                // Doubling 5..=9 gives a two-digit product; its digit sum is the product − 9.
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            };
            (sum + weighted) % 10
        });
    (10 - sum) % 10
}

/// Whether the last element of `digits` is the Luhn check digit over the ones before it.
/// False for an empty slice or for any element above 9.
pub fn luhn_valid(digits: &[u8]) -> bool {
    match digits.split_last() {
        Some((&check, payload)) if digits.iter().all(|&d| d <= 9) => {
            luhn_check_digit(payload) == check
        }
        _ => false,
    }
}

/// Why a number was rejected. The messages are short and never repeat the number, so an error
/// can be logged or returned to a caller without leaking personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityError {
    /// Nothing but whitespace was given.
    Empty,
    /// A character other than the digits and separators the format allows, or a separator in
    /// the wrong place.
    BadCharacters,
    /// The wrong number of digits for this kind of number.
    BadLength,
    /// The date in a personnummer or samordningsnummer does not exist.
    BadDate,
    /// The check digit (or an OCR length digit) is wrong.
    BadCheckDigit,
    /// Not an organisationsnummer: digits 3–4 are below 20 (a personnummer's month), or a
    /// twelve-digit form does not start with the prefix 16.
    BadOrganisationNumber,
    /// The birth date is after today.
    InTheFuture,
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdentityError::Empty => "no number was given",
            IdentityError::BadCharacters => {
                "the number has a character or separator not allowed here"
            }
            IdentityError::BadLength => "the number has the wrong number of digits",
            IdentityError::BadDate => "the date in the number does not exist",
            IdentityError::BadCheckDigit => "the check digit is wrong",
            IdentityError::BadOrganisationNumber => "the number is not an organisation number",
            IdentityError::InTheFuture => "the birth date in the number is in the future",
        })
    }
}

impl std::error::Error for IdentityError {}

/// The digits of a number as values 0..=9, with where its one separator (if any) stood.
struct Split {
    digits: Vec<u8>,
    /// The separator and how many digits came before it.
    separator: Option<(char, usize)>,
}

/// Splits trimmed `input` into digits and at most one separator from `separators`; `spaces`
/// additionally lets ASCII spaces stand between the digits (ignored).
fn split(input: &str, separators: &[char], spaces: bool) -> Result<Split, IdentityError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(IdentityError::Empty);
    }
    let mut digits = Vec::with_capacity(input.len());
    let mut separator = None;
    for c in input.chars() {
        match u8::try_from(c) {
            // Only ASCII digits: `char::is_numeric` would let other scripts' digits through.
            Ok(byte) if byte.is_ascii_digit() => digits.push(byte - b'0'),
            _ if separators.contains(&c) && separator.is_none() => {
                separator = Some((c, digits.len()));
            }
            _ if spaces && c == ' ' => {}
            _ => return Err(IdentityError::BadCharacters),
        }
    }
    Ok(Split { digits, separator })
}

/// The number the ASCII digits `digits` spell, for at most four digits.
fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d))
}

/// The digits as a string of ASCII digits.
fn to_text(digits: &[u8]) -> String {
    digits.iter().map(|&d| char::from(b'0' + d)).collect()
}

/// Writes `text` with a `-` before its last `tail` characters ("1609908" → "160-9908").
fn write_with_dash(f: &mut fmt::Formatter<'_>, text: &str, tail_len: usize) -> fmt::Result {
    match text
        .len()
        .checked_sub(tail_len)
        .and_then(|at| text.split_at_checked(at))
    {
        Some((head, tail)) => write!(f, "{head}-{tail}"),
        // Unreachable for the lengths the types allow; print the digits as they are.
        None => f.write_str(text),
    }
}

/// A personnummer or samordningsnummer, normalised to twelve digits `ÅÅÅÅMMDDNNNC`.
///
/// `Debug` prints `PersonalIdentityNumber(********-****)` and never the number, because Debug
/// output can reach logs. `Display` prints `ÅÅÅÅMMDD-NNNC`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalIdentityNumber {
    /// Twelve ASCII digits.
    digits: String,
    /// The real birth date (day − 60 for a samordningsnummer); a function of `digits`, kept
    /// so that reading it needs no re-parsing and cannot fail.
    birth_date: NaiveDate,
    coordination: bool,
}

impl PersonalIdentityNumber {
    /// Parses a personnummer or samordningsnummer written `ÅÅMMDD-NNNC`, `ÅÅMMDD+NNNC`,
    /// `ÅÅMMDDNNNC`, `ÅÅÅÅMMDDNNNC` or `ÅÅÅÅMMDD-NNNC`, with surrounding whitespace ignored
    /// and nothing else allowed.
    ///
    /// A ten-digit form carries no century. Skatteverket writes `-` until the calendar year in
    /// which the person turns 100 and `+` from that year on, so `-` (or no separator, which is
    /// read as `-`) means a birth year among the 100 years ending with `today`'s year, and `+`
    /// one at least 100 years before `today`'s year (the latest such). A birth date later this
    /// year than `today` is then [`IdentityError::InTheFuture`], not a birth 100 years ago:
    /// that person would have been written with `+`.
    ///
    /// A day of 61–91 marks a samordningsnummer (day + 60). The date must exist (with the 60
    /// taken off) and not be after `today`; a samordningsnummer with an unknown month or day
    /// (00 or 60) is rejected as [`IdentityError::BadDate`]. The check digit is verified over
    /// the ten-digit form `ÅÅMMDDNNN` + `C`.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, IdentityError> {
        let Split { digits, separator } = split(input, &['-', '+'], false)?;
        if digits.len() != 10 && digits.len() != 12 {
            return Err(IdentityError::BadLength);
        }
        let plus = match separator {
            None => false,
            // The separator always stands before the last four digits (the birth number).
            Some((c, before)) if before + 4 == digits.len() => {
                // With the century written out, `+` has nothing to say; Skatteverket's
                // twelve-digit form uses `-` only.
                if c == '+' && digits.len() == 12 {
                    return Err(IdentityError::BadCharacters);
                }
                c == '+'
            }
            Some(_) => return Err(IdentityError::BadCharacters),
        };
        // The ten digits ÅÅMMDDNNNC, common to both forms.
        let body = &digits[digits.len() - 10..];
        let year = if digits.len() == 12 {
            i32::try_from(number(&digits[..4])).map_err(|_| IdentityError::BadDate)?
        } else {
            century_for(number(&body[..2]), plus, today)
        };
        // The twelve-digit form needs a four-digit year; no one alive was born before 1000.
        if !(1000..=9999).contains(&year) {
            return Err(IdentityError::BadDate);
        }
        let month = number(&body[2..4]);
        let written_day = number(&body[4..6]);
        let coordination = written_day > 60;
        let day = if coordination {
            written_day - 60
        } else {
            written_day
        };
        let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or(IdentityError::BadDate)?;
        if birth_date > today {
            return Err(IdentityError::InTheFuture);
        }
        if !luhn_valid(body) {
            return Err(IdentityError::BadCheckDigit);
        }
        let year_digits = year.to_string();
        let mut normalised = String::with_capacity(12);
        normalised.push_str(&year_digits);
        normalised.push_str(&to_text(&body[2..]));
        Ok(PersonalIdentityNumber {
            digits: normalised,
            birth_date,
            coordination,
        })
    }

    /// The twelve digits `ÅÅÅÅMMDDNNNC`.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date: for a samordningsnummer the written day minus 60.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Whether this is a samordningsnummer (day + 60) rather than a personnummer.
    pub fn is_coordination_number(&self) -> bool {
        self.coordination
    }
}

/// The birth year for a two-digit year `yy` written in the ten-digit form.
fn century_for(yy: u32, plus: bool, today: NaiveDate) -> i32 {
    // `-`: the year is one of today's year − 99 ..= today's year.
    // `+`: the person turned or turns 100 this year or earlier, so the year is at most
    // today's year − 100; take the latest such, today's year − 199 ..= today's year − 100.
    let earliest = today.year() - if plus { 199 } else { 99 };
    let yy = i32::try_from(yy % 100).unwrap_or(0);
    earliest + (yy - earliest).rem_euclid(100)
}

impl fmt::Display for PersonalIdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_with_dash(f, &self.digits, 4)
    }
}

impl fmt::Debug for PersonalIdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the digits, not even the birth date: Debug output ends up in logs.
        f.write_str("PersonalIdentityNumber(********-****)")
    }
}

/// An organisationsnummer: ten digits, digits 3–4 at least 20, the last a Luhn check digit.
/// Accepts `NNNNNNNNNN`, `NNNNNN-NNNN` and the twelve-digit form with the prefix `16`
/// (`16NNNNNNNNNN`, `16NNNNNN-NNNN`). Stored as the ten digits; `Display` prints `NNNNNN-NNNN`.
///
/// A sole trader (enskild näringsidkare) uses their personnummer as organisationsnummer; that
/// is a [`PersonalIdentityNumber`], and this type rejects it (its month is below 20).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrganisationNumber(String);

impl OrganisationNumber {
    /// Parses an organisationsnummer; see the type's documentation for the accepted forms.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let Split {
            digits: written,
            separator,
        } = split(input, &['-'], false)?;
        let digits = match written.len() {
            10 => &written[..],
            // The prefix 16 marks an organisation in twelve-digit registers (where a
            // personnummer would carry its century instead).
            12 if written[..2] == [1, 6] => &written[2..],
            12 => return Err(IdentityError::BadOrganisationNumber),
            _ => return Err(IdentityError::BadLength),
        };
        // The separator stands before the last four digits, in whichever form was written.
        if matches!(separator, Some((_, before)) if before + 4 != written.len()) {
            return Err(IdentityError::BadCharacters);
        }
        if number(&digits[2..4]) < 20 {
            return Err(IdentityError::BadOrganisationNumber);
        }
        if !luhn_valid(digits) {
            return Err(IdentityError::BadCheckDigit);
        }
        Ok(OrganisationNumber(to_text(digits)))
    }

    /// The ten digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrganisationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_with_dash(f, &self.0, 4)
    }
}

/// A bankgironummer: 7–8 digits, the last a Luhn check digit, optionally written with a `-`
/// before the last four (`160-9908`, `5050-1055`). Stored as the digits; `Display` puts the
/// dash back. A bankgiro belongs to a business (here: a landlord), so `Debug` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bankgiro(String);

impl Bankgiro {
    /// Parses a bankgironummer.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let Split { digits, separator } = split(input, &['-'], false)?;
        if !(7..=8).contains(&digits.len()) {
            return Err(IdentityError::BadLength);
        }
        if matches!(separator, Some((_, before)) if before + 4 != digits.len()) {
            return Err(IdentityError::BadCharacters);
        }
        if !luhn_valid(&digits) {
            return Err(IdentityError::BadCheckDigit);
        }
        Ok(Bankgiro(to_text(&digits)))
    }

    /// The 7–8 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bankgiro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_with_dash(f, &self.0, 4)
    }
}

/// A plusgironummer: 2–8 digits, the last a Luhn check digit, optionally written with a `-`
/// before the check digit and spaces between groups (`4 41 84-0`). Stored as the digits;
/// `Display` prints them with the dash (`44184-0`).
///
/// `Debug` masks it: private persons hold plusgiro accounts too, and an account number of a
/// household must not reach a log.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Plusgiro(String);

impl Plusgiro {
    /// Parses a plusgironummer. The length limits (2–8) are as docs/sources.md §5 gives them, which
    /// marks them NOT CONFIRMED against Plusgirot's own documentation; the check digit is.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let Split { digits, separator } = split(input, &['-'], true)?;
        if !(2..=8).contains(&digits.len()) {
            return Err(IdentityError::BadLength);
        }
        if matches!(separator, Some((_, before)) if before + 1 != digits.len()) {
            return Err(IdentityError::BadCharacters);
        }
        if !luhn_valid(&digits) {
            return Err(IdentityError::BadCheckDigit);
        }
        Ok(Plusgiro(to_text(&digits)))
    }

    /// The 2–8 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Plusgiro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_with_dash(f, &self.0, 1)
    }
}

impl fmt::Debug for Plusgiro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Plusgiro(****)")
    }
}

/// An OCR reference (OCR-nummer) for a bankgiro or plusgiro payment: 2–25 digits, the last a
/// Luhn check digit over the others. A payee with "hard" OCR control may also demand a length
/// digit: the second-to-last digit equals the total length (both control digits included)
/// modulo 10. Stored and displayed as the digits.
///
/// `Debug` masks it: landlords often build the reference from the tenant's personnummer or
/// contract number, so it can identify a household.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OcrReference(String);

impl OcrReference {
    /// The most digits an OCR reference can have (Bankgirot's reference field is 25 long).
    pub const MAX_LEN: usize = 25;
    /// The fewest digits: a payload digit and the check digit.
    pub const MIN_LEN: usize = 2;

    /// Parses an OCR reference: digits only (no spaces or separators), with the Luhn check
    /// digit and, when `length_digit` is set, the length digit verified.
    pub fn parse(input: &str, length_digit: bool) -> Result<Self, IdentityError> {
        let Split { digits, .. } = split(input, &[], false)?;
        let len = digits.len();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(IdentityError::BadLength);
        }
        if !luhn_valid(&digits) {
            return Err(IdentityError::BadCheckDigit);
        }
        if length_digit && usize::from(digits[len - 2]) != len % 10 {
            return Err(IdentityError::BadCheckDigit);
        }
        Ok(OcrReference(to_text(&digits)))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OcrReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OcrReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OcrReference(****)")
    }
}

/// Builds a valid OCR reference from `base`, a non-empty string of ASCII digits: appends the
/// length digit (when `length_digit`) and then the Luhn check digit over everything before
/// it. `12345` → `1234574` with a length digit; `1234567890` → `123456789023`.
///
/// `None` if `base` is empty, holds anything but ASCII digits, or the result would be longer
/// than [`OcrReference::MAX_LEN`].
pub fn ocr_with_check_digits(base: &str, length_digit: bool) -> Option<String> {
    if base.is_empty() || !base.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: Vec<u8> = base.bytes().map(|b| b - b'0').collect();
    let total = digits.len() + 1 + usize::from(length_digit);
    if total > OcrReference::MAX_LEN {
        return None;
    }
    if length_digit {
        // total % 10 is below 10, so the conversion always succeeds.
        digits.push(u8::try_from(total % 10).ok()?);
    }
    digits.push(luhn_check_digit(&digits));
    Some(to_text(&digits))
}

#[cfg(test)]
mod tests;
