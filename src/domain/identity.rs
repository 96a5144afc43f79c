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
//!   reaches logs; [`IdentityError`]'s messages never include the input (DESIGN.md §6).
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
    /// Parses a plusgironummer. The length limits (2–8) are as sources.md §5 gives them, which
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) => date,
            None => panic!("bad test date {year}-{month}-{day}"),
        }
    }

    /// A fixed "today" so the tests do not depend on the clock.
    fn today() -> NaiveDate {
        d(2026, 3, 15)
    }

    fn ok<T, E: fmt::Debug>(result: Result<T, E>) -> T {
        match result {
            Ok(value) => value,
            Err(e) => panic!("expected Ok, got {e:?}"),
        }
    }

    fn pin(input: &str) -> Result<PersonalIdentityNumber, IdentityError> {
        PersonalIdentityNumber::parse(input, today())
    }

    fn digits(text: &str) -> Vec<u8> {
        text.bytes().map(|b| b - b'0').collect()
    }

    /// A synthetic personnummer (or samordningsnummer) as twelve digits: the birth date, a
    /// three-digit serial and the check digit computed over the ten-digit form.
    fn synthetic(birth: NaiveDate, serial: u32, coordination: bool) -> String {
        let day = birth.day() + if coordination { 60 } else { 0 };
        let ten = format!(
            "{:02}{:02}{:02}{:03}",
            birth.year() % 100,
            birth.month(),
            day,
            serial
        );
        let check = luhn_check_digit(&digits(&ten));
        format!("{:04}{}{}", birth.year(), &ten[2..], check)
    }

    /// The ten-digit form with the given separator ("" for none).
    fn short_form(twelve: &str, separator: &str) -> String {
        format!("{}{}{}", &twelve[2..8], separator, &twelve[8..])
    }

    #[test]
    fn luhn_examples() {
        // Skatteverket's example: 640823-323 → check digit 4.
        assert_eq!(luhn_check_digit(&digits("640823323")), 4);
        assert!(luhn_valid(&digits("6408233234")));
        assert!(!luhn_valid(&digits("6408233235")));
        assert_eq!(luhn_check_digit(&digits("160990")), 8);
        assert_eq!(luhn_check_digit(&[]), 0);
        assert!(!luhn_valid(&[]));
        assert!(!luhn_valid(&[1, 10]));
        // Out-of-range elements do not panic.
        assert!(luhn_check_digit(&[255, 200, 9]) <= 9);
    }

    #[test]
    fn source_personnummer_examples() {
        let p = ok(pin("640823-3234"));
        assert_eq!(p.as_str(), "196408233234");
        assert_eq!(p.to_string(), "19640823-3234");
        assert_eq!(p.birth_date(), d(1964, 8, 23));
        assert!(!p.is_coordination_number());
        assert_eq!(pin("640823-3235"), Err(IdentityError::BadCheckDigit));
        for form in [
            "6408233234",
            "196408233234",
            "19640823-3234",
            "  640823-3234\n",
        ] {
            assert_eq!(pin(form).as_ref().map(|p| p.as_str()), Ok("196408233234"));
        }
        // 1964 is within the last 100 years, so `+` means 1864.
        assert_eq!(ok(pin("640823+3234")).as_str(), "186408233234");
    }

    #[test]
    fn source_samordningsnummer_example() {
        let s = ok(pin("701063-2391"));
        assert_eq!(s.as_str(), "197010632391");
        assert!(s.is_coordination_number());
        assert_eq!(s.birth_date(), d(1970, 10, 3));
        assert_eq!(pin("701063-2392"), Err(IdentityError::BadCheckDigit));
    }

    #[test]
    fn personnummer_rejects() {
        assert_eq!(pin(""), Err(IdentityError::Empty));
        assert_eq!(pin("   "), Err(IdentityError::Empty));
        assert_eq!(pin("640823 3234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("640823_3234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("6408-233234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("640823--3234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("640823-+3234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("19640823+3234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("６40823-3234"), Err(IdentityError::BadCharacters));
        assert_eq!(pin("640823-323"), Err(IdentityError::BadLength));
        assert_eq!(pin("0640823-3234"), Err(IdentityError::BadLength));
        assert_eq!(pin("1964082332341"), Err(IdentityError::BadLength));
        // Month 13, day 00, day 32, samordning day 60 (unknown day) and 92.
        for (date, serial) in [("641323", 323), ("640800", 323), ("640832", 323)] {
            let ten = format!("{date}{serial}");
            let check = luhn_check_digit(&digits(&ten));
            assert_eq!(pin(&format!("{ten}{check}")), Err(IdentityError::BadDate));
        }
        for day in [60, 92] {
            let ten = format!("6408{day}323");
            let check = luhn_check_digit(&digits(&ten));
            assert_eq!(pin(&format!("{ten}{check}")), Err(IdentityError::BadDate));
        }
        // A year before 1000 in the twelve-digit form.
        let ten = "6408233234";
        assert_eq!(pin(&format!("09{ten}")), Err(IdentityError::BadDate));
    }

    #[test]
    fn february_30_is_bad_date() {
        // Build it by hand: 1990-02-30 does not exist.
        let ten = "900230123";
        let check = luhn_check_digit(&digits(ten));
        assert_eq!(pin(&format!("{ten}{check}")), Err(IdentityError::BadDate));
        assert_eq!(pin(&format!("19{ten}{check}")), Err(IdentityError::BadDate));
        // 29 February exists only in leap years: 2000 yes, 1900 ("+" form in 2026) no.
        let leap = synthetic(d(2000, 2, 29), 123, false);
        assert_eq!(ok(pin(&short_form(&leap, "-"))).as_str(), leap);
        assert_eq!(pin(&short_form(&leap, "+")), Err(IdentityError::BadDate));
    }

    #[test]
    fn future_dates_fail() {
        let tomorrow = synthetic(d(2026, 3, 16), 123, false);
        assert_eq!(pin(&tomorrow), Err(IdentityError::InTheFuture));
        // The ten-digit form of a date later this year is this year's, hence in the future:
        // someone born in 1926 on that day turns 100 this year and is written with `+`.
        assert_eq!(
            pin(&short_form(&tomorrow, "-")),
            Err(IdentityError::InTheFuture)
        );
        assert_eq!(
            ok(pin(&short_form(&tomorrow, "+"))).as_str(),
            format!("19{}", &tomorrow[2..])
        );
        let born_today = synthetic(today(), 123, false);
        assert_eq!(ok(pin(&short_form(&born_today, ""))).as_str(), born_today);
        let coordination = synthetic(d(2026, 3, 16), 123, true);
        assert_eq!(pin(&coordination), Err(IdentityError::InTheFuture));
    }

    #[test]
    fn century_boundaries() {
        // Today is 2026-03-15. `-` covers birth years 1927..=2026, `+` 1827..=1926.
        let y1927 = synthetic(d(1927, 1, 1), 1, false);
        assert_eq!(ok(pin(&short_form(&y1927, "-"))).as_str(), y1927);
        let y1926 = synthetic(d(1926, 12, 31), 1, false);
        assert_eq!(ok(pin(&short_form(&y1926, "+"))).as_str(), y1926);
        assert_eq!(ok(pin(&y1926)).as_str(), y1926);
        let y1827 = synthetic(d(1827, 6, 1), 1, false);
        assert_eq!(ok(pin(&short_form(&y1827, "+"))).as_str(), y1827);
    }

    #[test]
    fn debug_never_shows_digits() {
        let p = ok(pin("640823-3234"));
        let shown = format!("{p:?} {:?} {:#?}", Some(&p), p);
        assert!(!shown.bytes().any(|b| b.is_ascii_digit()), "{shown}");
        assert!(shown.contains("PersonalIdentityNumber(********-****)"));
        let s = ok(pin("701063-2391"));
        assert!(!format!("{s:?}").bytes().any(|b| b.is_ascii_digit()));
        let pg = ok(Plusgiro::parse(&pg_example()));
        assert!(!format!("{pg:?}").bytes().any(|b| b.is_ascii_digit()));
        let ocr = ok(OcrReference::parse("1234574", true));
        assert!(!format!("{ocr:?}").bytes().any(|b| b.is_ascii_digit()));
    }

    #[test]
    fn errors_never_show_the_number() {
        let all = [
            IdentityError::Empty,
            IdentityError::BadCharacters,
            IdentityError::BadLength,
            IdentityError::BadDate,
            IdentityError::BadCheckDigit,
            IdentityError::BadOrganisationNumber,
            IdentityError::InTheFuture,
        ];
        for e in all {
            let text = e.to_string();
            assert!(!text.is_empty());
            assert!(!text.bytes().any(|b| b.is_ascii_digit()), "{text}");
        }
        assert_eq!(
            IdentityError::BadCheckDigit.to_string(),
            "the check digit is wrong"
        );
    }

    #[test]
    fn organisation_numbers() {
        for (input, ten) in [
            ("212000-0142", "2120000142"),
            ("2120000142", "2120000142"),
            ("162120000142", "2120000142"),
            ("16212000-0142", "2120000142"),
            (" 212000-1355 ", "2120001355"),
        ] {
            let o = ok(OrganisationNumber::parse(input));
            assert_eq!(o.as_str(), ten, "{input}");
        }
        assert_eq!(
            ok(OrganisationNumber::parse("2120001355")).to_string(),
            "212000-1355"
        );
        assert_eq!(
            OrganisationNumber::parse("212000-0143"),
            Err(IdentityError::BadCheckDigit)
        );
        // A personnummer is not an organisationsnummer (month position 08 < 20).
        assert_eq!(
            OrganisationNumber::parse("640823-3234"),
            Err(IdentityError::BadOrganisationNumber)
        );
        assert_eq!(
            OrganisationNumber::parse("192120000142"),
            Err(IdentityError::BadOrganisationNumber)
        );
        assert_eq!(
            OrganisationNumber::parse("2120-000142"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(
            OrganisationNumber::parse("1621200001-42"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(
            OrganisationNumber::parse("16-2120000142"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(
            OrganisationNumber::parse("212000+0142"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(
            OrganisationNumber::parse("212000014"),
            Err(IdentityError::BadLength)
        );
        assert_eq!(OrganisationNumber::parse(""), Err(IdentityError::Empty));
    }

    #[test]
    fn bankgiro_numbers() {
        let bg = ok(Bankgiro::parse("160-9908"));
        assert_eq!(bg.as_str(), "1609908");
        assert_eq!(bg.to_string(), "160-9908");
        assert_eq!(ok(Bankgiro::parse("1609908")), bg);
        // An eight-digit one built here: payload 5050105 → check digit 5.
        assert_eq!(luhn_check_digit(&digits("5050105")), 5);
        let eight = ok(Bankgiro::parse("5050-1055"));
        assert_eq!(eight.to_string(), "5050-1055");
        assert_eq!(
            Bankgiro::parse("160-9907"),
            Err(IdentityError::BadCheckDigit)
        );
        assert_eq!(
            Bankgiro::parse("1609-908"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(
            Bankgiro::parse("160 9908"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(Bankgiro::parse("16099"), Err(IdentityError::BadLength));
        assert_eq!(Bankgiro::parse("123456789"), Err(IdentityError::BadLength));
        assert_eq!(Bankgiro::parse(" "), Err(IdentityError::Empty));
    }

    /// A synthetic plusgiro number written in groups: 44184 + its check digit.
    fn pg_example() -> String {
        let check = luhn_check_digit(&digits("44184"));
        format!("4 41 84-{check}")
    }

    #[test]
    fn plusgiro_numbers() {
        let check = luhn_check_digit(&digits("44184"));
        let pg = ok(Plusgiro::parse(&pg_example()));
        assert_eq!(pg.as_str(), format!("44184{check}"));
        assert_eq!(pg.to_string(), format!("44184-{check}"));
        assert_eq!(ok(Plusgiro::parse(pg.as_str())), pg);
        // The layout example "4 41 84-1" has a wrong check digit (it should be 0).
        assert_eq!(check, 0);
        assert_eq!(
            Plusgiro::parse("4 41 84-1"),
            Err(IdentityError::BadCheckDigit)
        );
        assert_eq!(Plusgiro::parse("18"), Ok(Plusgiro("18".to_string())));
        assert_eq!(Plusgiro::parse("1"), Err(IdentityError::BadLength));
        assert_eq!(Plusgiro::parse("123456789"), Err(IdentityError::BadLength));
        assert_eq!(
            Plusgiro::parse("4418-43"),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(
            Plusgiro::parse("44184/3"),
            Err(IdentityError::BadCharacters)
        );
    }

    #[test]
    fn ocr_references() {
        assert_eq!(
            ocr_with_check_digits("12345", true).as_deref(),
            Some("1234574")
        );
        assert_eq!(
            ocr_with_check_digits("1234567890", true).as_deref(),
            Some("123456789023")
        );
        let ocr = ok(OcrReference::parse("1234574", true));
        assert_eq!(ocr.as_str(), "1234574");
        assert_eq!(ocr.to_string(), "1234574");
        assert!(OcrReference::parse("123456789023", true).is_ok());
        assert_eq!(
            OcrReference::parse("1234575", true),
            Err(IdentityError::BadCheckDigit)
        );
        // 123455 is Luhn-valid, but its second-to-last digit (5) is not its length (6).
        let soft = ocr_with_check_digits("12345", false);
        assert_eq!(soft.as_deref(), Some("123455"));
        assert!(OcrReference::parse("123455", false).is_ok());
        assert_eq!(
            OcrReference::parse("123455", true),
            Err(IdentityError::BadCheckDigit)
        );
        assert_eq!(
            OcrReference::parse("0", false),
            Err(IdentityError::BadLength)
        );
        assert_eq!(
            OcrReference::parse(&"1".repeat(26), false),
            Err(IdentityError::BadLength)
        );
        assert_eq!(
            OcrReference::parse("1234-574", true),
            Err(IdentityError::BadCharacters)
        );
        assert_eq!(OcrReference::parse("", true), Err(IdentityError::Empty));
        assert_eq!(ocr_with_check_digits("", true), None);
        assert_eq!(ocr_with_check_digits("12a", true), None);
        assert_eq!(ocr_with_check_digits(" 12", true), None);
        // The longest bases: 23 digits + two control digits, or 24 + the check digit, make 25.
        let longest = |n: usize, length_digit| {
            ocr_with_check_digits(&"1".repeat(n), length_digit).map(|s| s.len())
        };
        assert_eq!(longest(23, true), Some(25));
        assert_eq!(longest(24, true), None);
        assert_eq!(longest(24, false), Some(25));
        assert_eq!(longest(25, false), None);
        assert_eq!(ocr_with_check_digits("7", false).as_deref(), Some("75"));
    }

    proptest! {
        #[test]
        fn synthetic_personnummer_forms_agree(
            offset in 0u64..=46_094, // 1900-01-01 ..= 2026-03-15
            serial in 0u32..1000,
            coordination in any::<bool>(),
        ) {
            let birth = d(1900, 1, 1) + chrono::Days::new(offset);
            prop_assert!(birth <= today());
            let twelve = synthetic(birth, serial, coordination);
            let separator = if today().year() - birth.year() < 100 { "-" } else { "+" };
            let mut forms = vec![twelve.clone(), format!("{}-{}", &twelve[..8], &twelve[8..]),
                                 short_form(&twelve, separator)];
            if separator == "-" {
                forms.push(short_form(&twelve, ""));
            }
            for form in &forms {
                let parsed = pin(form);
                prop_assert_eq!(parsed.as_ref().map(|p| p.as_str()), Ok(twelve.as_str()),
                    "form {}", form);
                if let Ok(p) = parsed {
                    prop_assert_eq!(p.birth_date(), birth);
                    prop_assert_eq!(p.is_coordination_number(), coordination);
                    prop_assert_eq!(pin(&p.to_string()), Ok(p.clone()));
                }
            }
            // Any other check digit fails, in every form.
            let last = twelve.as_bytes()[11] - b'0';
            for wrong in (0..10u8).filter(|&c| c != last) {
                let bad = format!("{}{}", &twelve[..11], wrong);
                prop_assert_eq!(pin(&bad), Err(IdentityError::BadCheckDigit));
                prop_assert_eq!(pin(&short_form(&bad, separator)),
                    Err(IdentityError::BadCheckDigit));
            }
        }

        #[test]
        fn plus_gives_the_earlier_century(
            offset in 0u64..=36_500,
            serial in 0u32..1000,
        ) {
            // Births in the last 100 calendar years, written with `+`, mean 100 years earlier.
            let birth = d(1927, 1, 1) + chrono::Days::new(offset);
            prop_assume!(birth <= today());
            let twelve = synthetic(birth, serial, false);
            match pin(&short_form(&twelve, "+")) {
                Ok(p) => {
                    prop_assert_eq!(p.birth_date().year(), birth.year() - 100);
                    prop_assert_eq!(&p.as_str()[2..], &twelve[2..]);
                }
                // Only 29 February of a leap year can be missing a century earlier.
                Err(e) => {
                    prop_assert_eq!(e, IdentityError::BadDate);
                    prop_assert_eq!((birth.month(), birth.day()), (2, 29));
                }
            }
        }

        #[test]
        fn future_births_fail(offset in 1u64..=36_500, serial in 0u32..1000,
                              coordination in any::<bool>()) {
            let birth = today() + chrono::Days::new(offset);
            let twelve = synthetic(birth, serial, coordination);
            prop_assert_eq!(pin(&twelve), Err(IdentityError::InTheFuture));
        }

        #[test]
        fn today_moves_the_century_window(
            today_offset in 0u64..=73_000, // 1950 ..= about 2150
            age_days in 0u64..=36_000,
            serial in 0u32..1000,
        ) {
            let today = d(1950, 1, 1) + chrono::Days::new(today_offset);
            let birth = today - chrono::Days::new(age_days);
            let twelve = synthetic(birth, serial, false);
            let separator = if today.year() - birth.year() < 100 { "-" } else { "+" };
            let parsed = PersonalIdentityNumber::parse(&short_form(&twelve, separator), today);
            prop_assert_eq!(parsed.as_ref().map(|p| p.as_str()), Ok(twelve.as_str()));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,30}", length_digit in any::<bool>()) {
            let _ = PersonalIdentityNumber::parse(&s, today());
            let _ = OrganisationNumber::parse(&s);
            let _ = Bankgiro::parse(&s);
            let _ = Plusgiro::parse(&s);
            let _ = OcrReference::parse(&s, length_digit);
            let _ = ocr_with_check_digits(&s, length_digit);
        }

        #[test]
        fn digit_strings_never_panic(s in "[0-9+ -]{0,16}") {
            let _ = PersonalIdentityNumber::parse(&s, today());
            let _ = OrganisationNumber::parse(&s);
            let _ = Bankgiro::parse(&s);
            let _ = Plusgiro::parse(&s);
        }

        #[test]
        fn ocr_built_references_parse(base in "[0-9]{1,22}", length_digit in any::<bool>()) {
            let built = ocr_with_check_digits(&base, length_digit);
            prop_assert!(built.is_some());
            if let Some(reference) = built {
                prop_assert!(reference.starts_with(&base));
                prop_assert_eq!(reference.len(), base.len() + 1 + usize::from(length_digit));
                prop_assert!(OcrReference::parse(&reference, length_digit).is_ok());
                // Every OCR built with a length digit also passes the soft (Luhn-only) check.
                prop_assert!(OcrReference::parse(&reference, false).is_ok());
                // Changing any one digit breaks the Luhn check (Luhn catches every
                // single-digit error).
                let bytes = reference.as_bytes();
                for i in 0..bytes.len() {
                    let mut changed = bytes.to_vec();
                    changed[i] = b'0' + (changed[i] - b'0' + 1) % 10;
                    let changed = String::from_utf8(changed).unwrap_or_default();
                    prop_assert_eq!(OcrReference::parse(&changed, false),
                        Err(IdentityError::BadCheckDigit));
                }
            }
        }

        #[test]
        fn bankgiro_round_trip(payload in "[0-9]{6,7}") {
            let check = luhn_check_digit(&digits(&payload));
            let number = format!("{payload}{check}");
            let bg = Bankgiro::parse(&number);
            prop_assert_eq!(bg.as_ref().map(|b| b.as_str()), Ok(number.as_str()));
            if let Ok(bg) = bg {
                prop_assert_eq!(Bankgiro::parse(&bg.to_string()), Ok(bg.clone()));
            }
        }

        #[test]
        fn organisation_number_round_trip(first in 0u8..10, second in 0u8..10,
                                          group in 20u32..100, rest in 0u32..100_000) {
            let payload = format!("{first}{second}{group:02}{rest:05}");
            let check = luhn_check_digit(&digits(&payload));
            let ten = format!("{payload}{check}");
            let o = OrganisationNumber::parse(&ten);
            prop_assert_eq!(o.as_ref().map(|o| o.as_str()), Ok(ten.as_str()));
            if let Ok(o) = o {
                prop_assert_eq!(OrganisationNumber::parse(&o.to_string()), Ok(o.clone()));
                prop_assert_eq!(OrganisationNumber::parse(&format!("16{ten}")), Ok(o.clone()));
            }
        }
    }
}
