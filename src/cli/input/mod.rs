//! Input files: the human-friendly TOML or JSON documents a counsellor writes,
//! and how each maps to a request message.
//!
//! The format is chosen by the file name: `.toml` or `.json`. Field names are
//! those of the proto messages; enum values are the proto names without their
//! prefix, in lower case (`salary`, `every_four_weeks`, `other_adult`). Every
//! struct denies unknown fields, because a misspelt field that is silently
//! ignored (`lunch_at_shcool = true`) would change a försörjningsstöd figure
//! without anyone noticing.
//!
//! Amounts are written as people write them, in quotes (`"8 200,50"`,
//! `"8200.50"`, `"8 200 kr"`) or as a whole number (`8200`), and go to the
//! server in its strict form (`8200.50`) by the one amount parser
//! ([`amount`]); the server does the authoritative check. A number with a
//! fraction written without quotes is refused, since a TOML or JSON parser
//! would read it as binary floating point and could change the öre. Dates
//! are strings (`"2026-12-02"`, `"20261202"`, by the one date parser,
//! [`date`]) or TOML dates.
//!
//! The formats, field by field, are in the `*_FORMAT` texts below, which are
//! also the long `--help` of the commands that read them.

pub mod amount;
mod budget;
pub mod csv_file;
pub mod date;
mod debts;
mod household;
mod lines;
mod norms;
mod serde_words;
mod social_assistance;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

use super::names::words::{io_reason, w, wf};
use super::names::{ProtoEnum, parse_name};
use crate::pb;
pub use amount::{AMOUNT_FORMS, parse_amount};
pub use budget::{BUDGET_FORMAT, BudgetFile};
pub use date::{DATE_FORMS, parse_date};
pub use debts::{
    AdditionInput, ChildSupportInput, ClaimInput, DEBT_CASE_FORMAT, DebtCaseFile,
    HousingAllowanceInput,
};
pub use household::{HOUSEHOLD_FORMAT, HouseholdFile};
pub use lines::{CostInput, ExpenseInput, IncomeInput, MemberInput, members_and_lines_help};
pub use norms::{NORM_TABLE_FORMAT, NormTableFile, Rows};
pub use social_assistance::{SOCIAL_ASSISTANCE_FORMAT, SocialAssistanceFile};

/// Why an input file could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}", wf("kan inte läsa {}: {}", &[&path.display(), &io_reason(source)]))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", wf("{}: filnamnet ska sluta på .toml eller .json", &[&path.display()]))]
    Format { path: PathBuf },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{}", wf("{}: filen kan inte användas:{}", &[&path.display(), &list(problems)]))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

/// One problem with a field of an otherwise well-formed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field's path, written like the server's (`members[0].id`).
    pub field: String,
    pub description: String,
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("\n  - {}: {}", p.field, p.description))
        .collect()
}

/// Reads and parses an input file, choosing TOML or JSON by its extension.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T, InputError> {
    let kind = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("toml") => Kind::Toml,
        Some("json") => Kind::Json,
        _ => {
            return Err(InputError::Format {
                path: path.to_owned(),
            });
        }
    };
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, kind).map_err(|message| InputError::Parse {
        path: path.to_owned(),
        message,
    })
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Toml,
    Json,
}

fn parse<T: DeserializeOwned>(text: &str, kind: Kind) -> Result<T, String> {
    match kind {
        // toml's message already points at the line and column, with the
        // offending text underlined.
        Kind::Toml => toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            located(text, line, e.message())
        }),
        // serde_json names the line and column; the line itself shows the
        // key the user wrote.
        Kind::Json => serde_json::from_str(text).map_err(|e| {
            let full = e.to_string();
            let message = full
                .rfind(" at line ")
                .map_or(full.as_str(), |at| &full[..at]);
            located(text, Some(e.line()).filter(|l| *l > 0), message)
        }),
    }
}

/// A parser's message with the line it found, and that line as written
/// (`rad 5: … \n5 | amount = "19850,5x"`), in the run's language.
fn located(text: &str, line: Option<usize>, message: &str) -> String {
    let message = serde_words::translate(message.trim());
    match line {
        Some(n) => match text.lines().nth(n - 1).map(str::trim) {
            Some(written) if !written.is_empty() => {
                format!("{}\n{n} | {written}", wf("rad {}: {}", &[&n, &message]))
            }
            _ => wf("rad {}: {}", &[&n, &message]),
        },
        None => message,
    }
}

fn finish<T>(path: &Path, problems: Vec<Problem>, value: T) -> Result<T, InputError> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(InputError::Invalid {
            path: path.to_owned(),
            problems,
        })
    }
}

/// The household a calculation is for: `--household-id` over the file's
/// `household_id`, and a problem when both are given and differ (a file
/// for one household sent for another is a mistake, not an override).
fn household_choice(
    from_file: Option<String>,
    flag: Option<String>,
    problems: &mut Vec<Problem>,
) -> String {
    match (from_file.filter(|s| !s.is_empty()), flag) {
        (Some(file), Some(flag)) if file != flag => {
            problems.push(Problem {
                field: "household_id".into(),
                description: wf("filen anger {} men --household-id är {}", &[&file, &flag]),
            });
            flag
        }
        (file, flag) => flag.or(file).unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// Field types
// ---------------------------------------------------------------------------

/// A proto enum value written by its short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named<E>(pub E);

impl<'de, E: ProtoEnum> Deserialize<'de> for Named<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_name::<E>(&text).map(Named).map_err(de::Error::custom)
    }
}

impl<E: ProtoEnum> Named<E> {
    fn wire(self) -> i32 {
        self.0.into()
    }
}

/// An amount in the wire's form (`1500.50`), read from what the user wrote:
/// a string in any form [`parse_amount`] takes, or a whole number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountText(pub String);

impl AmountText {
    fn money(self) -> Option<pb::Money> {
        Some(pb::Money { amount: self.0 })
    }
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = AmountText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // A number with a fraction reaches serde only as binary floating
        // point, which this visitor deliberately does not accept: the error
        // then tells the user to quote it.
        f.write_str(w(
            "ett belopp inom citattecken som \"1 500,50\" eller \"1500.50\" (eller ett heltal)",
        ))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AmountText, E> {
        parse_amount(v).map(AmountText).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// A calendar date in the wire's form (`2026-03-01`), read from a string in
/// any form [`parse_date`] takes, or from a bare TOML date `2026-03-01`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = DateText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(w("ett datum som \"2026-12-02\" eller \"20261202\""))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
        parse_date(v).map(DateText).map_err(E::custom)
    }

    /// A bare TOML date reaches serde as toml's private datetime map.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateText, A::Error> {
        let dt = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Ok(DateText(date.to_string())),
            _ => Err(de::Error::custom(wf(
                "ett datum utan klockslag, som 2026-03-01, inte {}",
                &[&dt],
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests;
