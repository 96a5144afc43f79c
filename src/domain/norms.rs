//! Norm tables: the yearly and half-yearly figures the rules read.
//!
//! A table is data with an effective period, a source citation and a status,
//! never a constant in code (docs/sources.md §8 lists the tables the
//! migrations ship and those an operator must load). Each kind has a fixed
//! set of row keys, listed here with what they mean; an import must give
//! every required key, no unknown key, and no negative amount. Money rows are
//! kronor with at most two decimals; rate rows are percent with at most two
//! decimals.
//!
//! - riksnorm (Socialstyrelsen, socialtjänstförordningen 2025:468 12 kap. 2 §):
//!   personal costs per child age band (with optional "utan lunch" amounts for
//!   the preschool bands), ensamstående, sambor (the pair), and gemensamma
//!   hushållskostnader for 1–7 persons.
//! - normalbelopp (Kronofogden): ensamstående, makar/sambor, children by age.
//! - referensränta (Riksbanken, räntelagen 9 §): one rate per half-year.
//! - reference costs (Konsumentverket's categories): individual costs by age
//!   band and household costs by household size, for the categories loaded.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::error::{DomainError, Violations};
use super::money::Money;

pub mod status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NormKind {
    Riksnorm,
    Normalbelopp,
    Referensranta,
    ReferenceCosts,
}

impl NormKind {
    pub const ALL: [NormKind; 4] = [
        NormKind::Riksnorm,
        NormKind::Normalbelopp,
        NormKind::Referensranta,
        NormKind::ReferenceCosts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NormKind::Riksnorm => "riksnorm",
            NormKind::Normalbelopp => "normalbelopp",
            NormKind::Referensranta => "referensranta",
            NormKind::ReferenceCosts => "reference_costs",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<NormKind> {
        NormKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Rows are percent (true) or kronor (false).
    pub fn is_rate(self) -> bool {
        matches!(self, NormKind::Referensranta)
    }

    /// Every key a table of this kind may hold, with whether it is required
    /// and what it means. Reference costs are checked by [`reference_cost_key`].
    pub fn keys(self) -> &'static [(&'static str, bool, &'static str)] {
        match self {
            NormKind::Riksnorm => RIKSNORM_KEYS,
            NormKind::Normalbelopp => NORMALBELOPP_KEYS,
            NormKind::Referensranta => REFERENSRANTA_KEYS,
            NormKind::ReferenceCosts => &[],
        }
    }
}

impl fmt::Display for NormKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NormKind::Riksnorm => "riksnorm",
            NormKind::Normalbelopp => "normalbelopp",
            NormKind::Referensranta => "referensränta",
            NormKind::ReferenceCosts => "reference costs",
        })
    }
}

/// A household cost for more than seven persons, from a table that stops at
/// seven: the cost for 7 plus (cost for 7 − cost for 6) for each person
/// beyond 7. Both the riksnorm's shared household costs and the reference
/// costs by household size grow this way.
pub struct BeyondSeven {
    pub amount: Money,
    /// The two rows read, as shown: `7 personer: …, 6 personer: …`.
    pub rows: String,
    /// `seven + extra × (seven − six) = amount`.
    pub arithmetic: String,
}

/// [`BeyondSeven`] for a household of `persons` (more than 7); `None` when
/// the amount is too large to calculate with.
pub fn beyond_seven(seven: Money, six: Money, persons: usize) -> Option<BeyondSeven> {
    let extra = i64::try_from(persons.checked_sub(7)?).ok()?;
    let amount = seven + (seven - six).mul_ratio(extra, 1)?;
    Some(BeyondSeven {
        amount,
        rows: format!(
            "7 personer: {}, 6 personer: {}",
            seven.display_kr(),
            six.display_kr()
        ),
        arithmetic: format!(
            "{} + {extra} × ({} − {}) = {}",
            seven.display_kr(),
            seven.display_kr(),
            six.display_kr(),
            amount.display_kr()
        ),
    })
}

const RIKSNORM_KEYS: &[(&str, bool, &str)] = &[
    ("child_0", true, "barn 0 år"),
    ("child_1_2", true, "barn 1–2 år"),
    ("child_3", true, "barn 3 år"),
    ("child_4_6", true, "barn 4–6 år"),
    ("child_7_10", true, "barn 7–10 år"),
    ("child_11_14", true, "barn 11–14 år"),
    ("child_15_18", true, "barn 15–18 år"),
    ("child_19_20", true, "barn 19–20 år (hemmaboende)"),
    ("child_0_no_lunch", false, "barn 0 år, utan lunch"),
    ("child_1_2_no_lunch", false, "barn 1–2 år, utan lunch"),
    ("child_3_no_lunch", false, "barn 3 år, utan lunch"),
    ("child_4_6_no_lunch", false, "barn 4–6 år, utan lunch"),
    ("single_adult", true, "ensamstående"),
    ("cohabiting_pair", true, "sambor/makar (paret)"),
    ("shared_1", true, "gemensamma hushållskostnader, 1 person"),
    ("shared_2", true, "gemensamma hushållskostnader, 2 personer"),
    ("shared_3", true, "gemensamma hushållskostnader, 3 personer"),
    ("shared_4", true, "gemensamma hushållskostnader, 4 personer"),
    ("shared_5", true, "gemensamma hushållskostnader, 5 personer"),
    ("shared_6", true, "gemensamma hushållskostnader, 6 personer"),
    ("shared_7", true, "gemensamma hushållskostnader, 7 personer"),
];

const NORMALBELOPP_KEYS: &[(&str, bool, &str)] = &[
    ("single_adult", true, "ensamstående"),
    ("cohabiting_pair", true, "makar/sambor"),
    ("child_0_6", true, "barn 0–6 år"),
    ("child_7_10", true, "barn 7–10 år"),
    ("child_11_14", true, "barn 11–14 år"),
    ("child_15_plus", true, "barn från 15 år"),
];

const REFERENSRANTA_KEYS: &[(&str, bool, &str)] =
    &[("referensranta", true, "referensränta, procent per år")];

/// Konsumentverket's individual-cost categories (by age band).
pub const INDIVIDUAL_COST_CATEGORIES: &[&str] = &[
    "food",
    "clothing",
    "personal_hygiene",
    "leisure",
    "mobile_phone",
    "child_insurance",
    "baby_equipment",
];

/// Konsumentverket's household-cost categories (by household size 1–7).
pub const HOUSEHOLD_COST_CATEGORIES: &[&str] = &[
    "consumables",
    "home_equipment",
    "media",
    "home_insurance",
    "household_electricity",
    "water_and_sewage",
];

/// Age bands of the individual reference costs: (key suffix, from age, to age).
pub const REFERENCE_AGE_BANDS: &[(&str, u32, u32)] = &[
    ("age_0", 0, 0),
    ("age_1", 1, 1),
    ("age_2_5", 2, 5),
    ("age_6_9", 6, 9),
    ("age_10_13", 10, 13),
    ("age_14_17", 14, 17),
    ("age_18_30", 18, 30),
    ("age_31_60", 31, 60),
    ("age_61_74", 61, 74),
    ("age_75_plus", 75, u32::MAX),
];

/// The age band key suffix of the reference costs for an age.
pub fn reference_age_band(age: u32) -> &'static str {
    REFERENCE_AGE_BANDS
        .iter()
        .find(|(_, from, to)| (*from..=*to).contains(&age))
        .map(|(key, _, _)| *key)
        .unwrap_or("age_75_plus")
}

/// Splits a reference-cost key "category.band" and checks both parts.
pub fn reference_cost_key(key: &str) -> Option<(&str, &str)> {
    let (category, band) = key.split_once('.')?;
    if INDIVIDUAL_COST_CATEGORIES.contains(&category) {
        REFERENCE_AGE_BANDS
            .iter()
            .any(|(b, _, _)| *b == band)
            .then_some((category, band))
    } else if HOUSEHOLD_COST_CATEGORIES.contains(&category) {
        matches!(
            band,
            "size_1" | "size_2" | "size_3" | "size_4" | "size_5" | "size_6" | "size_7"
        )
        .then_some((category, band))
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStatus {
    Official,
    Provisional,
}

impl TableStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TableStatus::Official => "official",
            TableStatus::Provisional => "provisional",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<TableStatus> {
        match s {
            "official" => Some(TableStatus::Official),
            "provisional" => Some(TableStatus::Provisional),
            _ => None,
        }
    }
}

/// Which table (and version) a result read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    pub id: String,
    pub version: i32,
    pub status: TableStatus,
    pub source: String,
}

/// A table as an operator gives it, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormTableDraft {
    pub id: String,
    pub kind: NormKind,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: TableStatus,
    pub source: String,
    pub rows: BTreeMap<String, Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormTable {
    pub id: String,
    pub kind: NormKind,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: TableStatus,
    pub source: String,
    pub version: i32,
    pub loaded_by: String,
    pub loaded_at: DateTime<Utc>,
    pub rows: BTreeMap<String, Decimal>,
}

impl NormTable {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && date <= self.valid_to
    }

    /// A money row, or `NormRowMissing` naming the table and key.
    pub fn amount(&self, key: &str) -> Result<Money, DomainError> {
        self.rows
            .get(key)
            .map(|value| Money::from_decimal(*value))
            .ok_or_else(|| DomainError::NormRowMissing {
                table_id: self.id.clone(),
                key: key.to_owned(),
            })
    }

    pub fn has_row(&self, key: &str) -> bool {
        self.rows.contains_key(key)
    }

    pub fn table_ref(&self) -> TableRef {
        TableRef {
            id: self.id.clone(),
            version: self.version,
            status: self.status,
            source: self.source.clone(),
        }
    }

    /// "riksnorm 2026 (SFS 2025:1046)": how explanations cite the table.
    pub fn citation(&self) -> String {
        format!("{} {} ({})", self.kind, self.period_label(), self.source)
    }

    fn period_label(&self) -> String {
        use chrono::Datelike;
        let from = self.valid_from;
        let to = self.valid_to;
        let whole_year = from.month() == 1
            && from.day() == 1
            && to.month() == 12
            && to.day() == 31
            && from.year() == to.year();
        if whole_year {
            from.year().to_string()
        } else {
            format!("{from}–{to}")
        }
    }
}

/// The label of a row key, for people.
pub fn row_label(kind: NormKind, key: &str) -> String {
    if let Some((_, _, label)) = kind.keys().iter().find(|(k, _, _)| *k == key) {
        return (*label).to_owned();
    }
    key.replace(['_', '.'], " ")
}

/// The documented position of a row key, so rows list in a readable order
/// (`child_1_2` before `child_11_14`) rather than alphabetically.
pub fn row_position(kind: NormKind, key: &str) -> (usize, usize) {
    if let Some(i) = kind.keys().iter().position(|(k, _, _)| *k == key) {
        return (i, 0);
    }
    if let Some((category, band)) = reference_cost_key(key) {
        let c = INDIVIDUAL_COST_CATEGORIES
            .iter()
            .chain(HOUSEHOLD_COST_CATEGORIES)
            .position(|x| *x == category)
            .unwrap_or(usize::MAX);
        let b = REFERENCE_AGE_BANDS
            .iter()
            .position(|(x, _, _)| *x == band)
            .or_else(|| band.strip_prefix("size_").and_then(|n| n.parse().ok()))
            .unwrap_or(usize::MAX);
        return (c, b);
    }
    (usize::MAX, 0)
}

pub const MAX_ID_CHARS: usize = 64;
pub const MAX_SOURCE_CHARS: usize = 500;

/// Checks a draft table: id form, period, source, and rows by kind. `path` is
/// the request path of the table (`norm_table`); row keys are reported as
/// `norm_table.rows[key]`.
pub fn check_draft(draft: &NormTableDraft, path: &str) -> Violations {
    let mut v = Violations::new();
    let id_ok = !draft.id.is_empty()
        && draft.id.len() <= MAX_ID_CHARS
        && draft
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        v.add(
            format!("{path}.id"),
            "NORM_ID_INVALID",
            format!("1–{MAX_ID_CHARS} characters of a–z, 0–9 and '-', such as riksnorm-2027"),
        );
    }
    if draft.valid_to < draft.valid_from {
        v.add(
            format!("{path}.valid_to"),
            "BEFORE_START",
            "must not be before valid_from",
        );
    }
    if draft.source.trim().is_empty() {
        v.add(
            format!("{path}.source"),
            "REQUIRED",
            "say where the figures are printed",
        );
    } else if draft.source.chars().count() > MAX_SOURCE_CHARS {
        v.add(
            format!("{path}.source"),
            "TOO_LONG",
            format!("at most {MAX_SOURCE_CHARS} characters"),
        );
    }
    check_rows(draft.kind, &draft.rows, path, &mut v);
    v
}

fn check_rows(kind: NormKind, rows: &BTreeMap<String, Decimal>, path: &str, v: &mut Violations) {
    for (key, value) in rows {
        let field = format!("{path}.rows[{key}]");
        let known = match kind {
            NormKind::ReferenceCosts => reference_cost_key(key).is_some(),
            _ => kind.keys().iter().any(|(k, _, _)| k == key),
        };
        if !known {
            v.add(
                &field,
                "UNKNOWN_VALUE",
                format!("not a row of a {kind} table"),
            );
            continue;
        }
        if value.scale() > 2 && value.normalize().scale() > 2 {
            v.add(&field, "TOO_MANY_DECIMALS", "at most two decimals");
        }
        if kind.is_rate() {
            if value.abs() > Decimal::ONE_HUNDRED {
                v.add(
                    &field,
                    "OUT_OF_RANGE",
                    "a rate in percent between -100 and 100",
                );
            }
        } else if value.is_sign_negative() && !value.is_zero() {
            v.add(&field, "NEGATIVE", "must not be negative");
        } else if *value >= Decimal::from(1_000_000_000_i64) {
            v.add(&field, "TOO_LARGE", "an amount below 1 000 000 000 kr");
        }
    }
    match kind {
        NormKind::ReferenceCosts => {
            if rows.is_empty() {
                v.add(
                    format!("{path}.rows"),
                    "REQUIRED",
                    "give at least one category",
                );
            }
            let categories: std::collections::BTreeSet<&str> = rows
                .keys()
                .filter_map(|k| reference_cost_key(k).map(|(c, _)| c))
                .collect();
            for category in categories {
                let bands: Vec<String> = if INDIVIDUAL_COST_CATEGORIES.contains(&category) {
                    REFERENCE_AGE_BANDS
                        .iter()
                        .map(|(b, _, _)| (*b).to_owned())
                        .collect()
                } else {
                    (1..=7).map(|n| format!("size_{n}")).collect()
                };
                for band in bands {
                    let key = format!("{category}.{band}");
                    if !rows.contains_key(&key) {
                        v.add(
                            format!("{path}.rows[{key}]"),
                            "REQUIRED",
                            "missing: every band of a category must be given",
                        );
                    }
                }
            }
        }
        _ => {
            for (key, required, _) in kind.keys() {
                if *required && !rows.contains_key(*key) {
                    v.add(
                        format!("{path}.rows[{key}]"),
                        "REQUIRED",
                        "missing: every required row must be given",
                    );
                }
            }
        }
    }
}

/// The table of `kind` in force on `date`, from candidates of that kind, or
/// `NormTableMissing`. Never falls back to another period.
pub fn in_force(
    tables: &[NormTable],
    kind: NormKind,
    date: NaiveDate,
) -> Result<&NormTable, DomainError> {
    tables
        .iter()
        .filter(|t| t.kind == kind && t.in_force_on(date))
        .max_by_key(|t| (t.valid_from, t.version))
        .ok_or(DomainError::NormTableMissing { kind, date })
}

#[cfg(test)]
mod tests;
