//! Whether the norm tables the coming calculations need are loaded.
//!
//! A table for a period must be in place before the period starts, or the
//! first calculation in it fails with `NORM_TABLE_MISSING`. So, as of a
//! date, each watched kind needs its current period and, from a warning
//! date, the next one:
//!
//! - riksnorm and normalbelopp (one table per calendar year): the current
//!   year, and from 1 November the next year;
//! - referensränta (one table per half-year, räntelagen 9 §): the current
//!   half-year, and from 1 June the second half-year, from 1 December the
//!   first half of the next year.
//!
//! Reference costs are not watched: no year of them is shipped and a budget
//! without them only lacks a comparison (docs/sources.md §8).

use chrono::{Datelike, NaiveDate};

use super::{NormKind, NormTable, TableStatus};

/// The kinds whose coverage is watched, in the order they are reported.
pub const WATCHED: [NormKind; 3] = [
    NormKind::Riksnorm,
    NormKind::Normalbelopp,
    NormKind::Referensranta,
];

/// A period one kind's tables must cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededPeriod {
    pub kind: NormKind,
    /// "2027" for a year, "2026-H2" for a half-year.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The period after the current one, needed ahead of time.
    pub upcoming: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every day is covered, by official tables only.
    Official,
    /// Every day is covered, by at least one provisional table.
    Provisional,
    /// Some day has no table.
    Missing,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Official => "official",
            Coverage::Provisional => "provisional",
            Coverage::Missing => "missing",
        }
    }
}

/// One needed period with what covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodStatus {
    pub period: NeededPeriod,
    pub coverage: Coverage,
    /// The ids of the tables in force in the period, earliest first.
    pub table_ids: Vec<String>,
    /// What to do about it; empty when the period is covered officially.
    pub warning: String,
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // Every date built here is a first or last day of a month that exists.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn year_period(kind: NormKind, year: i32, upcoming: bool) -> NeededPeriod {
    NeededPeriod {
        kind,
        label: year.to_string(),
        from: date(year, 1, 1),
        to: date(year, 12, 31),
        upcoming,
    }
}

fn half_year_period(year: i32, second: bool, upcoming: bool) -> NeededPeriod {
    let (label, from, to) = if second {
        (format!("{year}-H2"), date(year, 7, 1), date(year, 12, 31))
    } else {
        (format!("{year}-H1"), date(year, 1, 1), date(year, 6, 30))
    };
    NeededPeriod {
        kind: NormKind::Referensranta,
        label,
        from,
        to,
        upcoming,
    }
}

/// The periods each watched kind needs as of `today`, current period first.
pub fn needed_periods(today: NaiveDate) -> Vec<NeededPeriod> {
    let year = today.year();
    let month = today.month();
    let mut out = Vec::new();
    for kind in [NormKind::Riksnorm, NormKind::Normalbelopp] {
        out.push(year_period(kind, year, false));
        if month >= 11 {
            out.push(year_period(kind, year + 1, true));
        }
    }
    let second_half = month >= 7;
    out.push(half_year_period(year, second_half, false));
    if month == 6 {
        out.push(half_year_period(year, true, true));
    } else if month == 12 {
        out.push(half_year_period(year + 1, false, true));
    }
    out
}

/// How the tables of the period's kind cover it: the tables in force on
/// some day of it, and whether every day has one.
pub fn cover(tables: &[NormTable], period: &NeededPeriod) -> (Coverage, Vec<String>) {
    let mut used: Vec<&NormTable> = tables
        .iter()
        .filter(|t| t.kind == period.kind && t.valid_from <= period.to && t.valid_to >= period.from)
        .collect();
    used.sort_by_key(|t| (t.valid_from, t.id.clone()));
    let mut next_uncovered = Some(period.from);
    for t in &used {
        if let Some(day) = next_uncovered
            && t.valid_from <= day
            && t.valid_to >= day
        {
            next_uncovered = t.valid_to.succ_opt();
        }
    }
    let covered = next_uncovered.is_none_or(|day| day > period.to);
    let coverage = if !covered {
        Coverage::Missing
    } else if used.iter().any(|t| t.status == TableStatus::Provisional) {
        Coverage::Provisional
    } else {
        Coverage::Official
    };
    (coverage, used.iter().map(|t| t.id.clone()).collect())
}

/// What a period's coverage means, for the operator; ids and periods only.
fn warning(period: &NeededPeriod, coverage: Coverage, table_ids: &[String]) -> String {
    let what = match period.kind {
        NormKind::Riksnorm => "försörjningsstöd",
        NormKind::Normalbelopp => "förbehållsbelopp and skuldsanering estimates",
        NormKind::Referensranta => "dröjsmålsränta",
        NormKind::ReferenceCosts => "reference-cost comparisons",
    };
    match coverage {
        Coverage::Official => String::new(),
        Coverage::Provisional => format!(
            "the {} for {} is provisional ({}): {what} results say so and must be checked against the official figures once they are out",
            period.kind,
            period.label,
            table_ids.join(", ")
        ),
        Coverage::Missing => format!(
            "no {} table covers {} ({} – {}): {what} for {} fails with NORM_TABLE_MISSING until an operator loads it",
            period.kind,
            period.label,
            period.from,
            period.to,
            if period.upcoming {
                "that period"
            } else {
                "dates without a table"
            }
        ),
    }
}

/// The status of every period the watched kinds need as of `today`.
pub fn norm_status(tables: &[NormTable], today: NaiveDate) -> Vec<PeriodStatus> {
    needed_periods(today)
        .into_iter()
        .map(|period| {
            let (coverage, table_ids) = cover(tables, &period);
            let warning = warning(&period, coverage, &table_ids);
            PeriodStatus {
                period,
                coverage,
                table_ids,
                warning,
            }
        })
        .collect()
}

/// The needed periods without a table, as "riksnorm 2027": what health and
/// the log name.
pub fn missing(statuses: &[PeriodStatus]) -> Vec<String> {
    statuses
        .iter()
        .filter(|s| s.coverage == Coverage::Missing)
        .map(|s| format!("{} {}", s.period.kind.as_str(), s.period.label))
        .collect()
}

#[cfg(test)]
mod tests;
