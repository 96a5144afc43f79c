//! The domain's errors. Field violations carry the request path of the field
//! (`members[2].birth_date`) so the gRPC layer can report every bad field at
//! once, a language-neutral reason code (`REQUIRED`, `TOO_LONG`) that a
//! client words in its reader's language, and an English description for
//! whoever reads the wire; descriptions never repeat the rejected value,
//! since it may be personal data.

use chrono::NaiveDate;

use super::norms::NormKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: String,
    /// UPPER_SNAKE, stable: what a client words (see [`REASONS`]).
    pub reason: &'static str,
    pub description: String,
}

/// Every reason code a field violation carries. A client words each in its
/// reader's language; a code is never renamed, only added.
pub const REASONS: &[&str] = &[
    "REQUIRED",
    "NOT_BOTH",
    "BOTH_OR_NEITHER",
    "TOO_LONG",
    "CONTROL_CHARACTERS",
    "SPACE_AT_EDGE",
    "NO_LETTER",
    "NEGATIVE",
    "NOT_POSITIVE",
    "BEFORE_START",
    "IN_FUTURE",
    "OUT_OF_RANGE",
    "TOO_LARGE",
    "TOO_MANY_DECIMALS",
    "DUPLICATE",
    "NOT_FOUND",
    "NOT_OF_HOUSEHOLD",
    "UNKNOWN_VALUE",
    "NOT_HERE",
    "NO_CHANGE",
    "CHILD_ONLY",
    "NOT_BORN",
    "HOUSEHOLD_COMPOSITION",
    "NO_RENT_IN_MONTH",
    "ABOVE_ARREARS",
    "BIRTH_DATE_MISMATCH",
    "AMOUNT_INVALID",
    "PERCENT_INVALID",
    "DATE_INVALID",
    "MONTH_INVALID",
    "TIMESTAMP_INVALID",
    "ID_INVALID",
    "PAGE_TOKEN_INVALID",
    "PERSONNUMMER_INVALID",
    "ORGANISATION_NUMBER_INVALID",
    "BANKGIRO_INVALID",
    "PLUSGIRO_INVALID",
    "OCR_INVALID",
    "POSTAL_CODE_INVALID",
    "COUNTRY_INVALID",
    "UNIT_CODE_INVALID",
    "NORM_ID_INVALID",
    "FILE_INVALID",
];

/// Collects field violations while a request is checked, so that all of them
/// are reported together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    /// One bad field: its request path, its reason code (one of
    /// [`REASONS`]) and the English description.
    pub fn add(
        &mut self,
        field: impl Into<String>,
        reason: &'static str,
        description: impl Into<String>,
    ) {
        debug_assert!(REASONS.contains(&reason), "{reason} is not in REASONS");
        self.0.push(FieldViolation {
            field: field.into(),
            reason,
            description: description.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn extend(&mut self, other: Violations) {
        self.0.extend(other.0);
    }

    pub fn into_vec(self) -> Vec<FieldViolation> {
        self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldViolation> {
        self.0.iter()
    }

    /// [`Violations::check`] of a parsed amount, its reason from the
    /// parse error (`NEGATIVE`, `TOO_MANY_DECIMALS`, …).
    pub fn money<T>(
        &mut self,
        field: impl Into<String>,
        result: Result<T, super::money::MoneyParseError>,
    ) -> Option<T> {
        let reason = result
            .as_ref()
            .err()
            .map_or("AMOUNT_INVALID", |e| e.reason());
        self.check(field, reason, result)
    }

    /// `Ok(value)` when nothing was found, else the violations as an error.
    pub fn finish<T>(self, value: T) -> Result<T, DomainError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(DomainError::Invalid(self))
        }
    }

    /// Runs `check` on a value, records its error under `field` with
    /// `reason`, and returns the value when it passed.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: impl Into<String>,
        reason: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, reason, error.to_string());
                None
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("the request has invalid fields")]
    Invalid(Violations),
    /// No table of this kind is in force on the date: never fall back to
    /// another year's table.
    #[error("no {kind} table is in force on {date} (year {year}); an operator must load one", year = date.format("%Y"))]
    NormTableMissing { kind: NormKind, date: NaiveDate },
    /// The table in force lacks an optional row the calculation needs (such as
    /// an "utan lunch" amount for a year that has none).
    #[error("the norm table {table_id} has no row '{key}'")]
    NormRowMissing { table_id: String, key: String },
    /// A rule forbids the request in the state it found (a payout above
    /// the month's rent): FAILED_PRECONDITION with `reason`, about `field`
    /// of the request where there is one. The message never repeats an
    /// amount or a personal detail.
    #[error("{message}")]
    Refused {
        reason: &'static str,
        message: String,
        field: Option<&'static str>,
    },
}

impl DomainError {
    pub fn refused(reason: &'static str, message: impl Into<String>, field: &'static str) -> Self {
        DomainError::Refused {
            reason,
            message: message.into(),
            field: Some(field),
        }
    }

    pub fn invalid(
        field: impl Into<String>,
        reason: &'static str,
        description: impl Into<String>,
    ) -> Self {
        let mut v = Violations::new();
        v.add(field, reason, description);
        DomainError::Invalid(v)
    }
}
