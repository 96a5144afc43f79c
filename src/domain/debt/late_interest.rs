//! Dröjsmålsränta (räntelagen 6 §, 9 §): the referensränta of each
//! half-year + 8 percentage points, per day, actual days / 365.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::domain::rate::Rate;

use super::{check_non_negative_amount, field, overflow};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::{Basis, sum_arithmetic};
use crate::domain::money::{Money, Rounding};
use crate::domain::norms::{self, NormKind, NormTable, TableRef, TableStatus};

/// Räntelagen (1975:635) 6 §: dröjsmålsränta is the referensränta + this
/// many percentage points a year.
pub fn drojsmalsranta_margin() -> Rate {
    Rate::percent(Decimal::from(8))
}

/// A calendar half-year: the periods for which Riksbanken sets the
/// referensränta (räntelagen 9 §: from 1 January and 1 July).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    year: i32,
    /// 1 (January–June) or 2 (July–December).
    half: u8,
}

impl HalfYear {
    pub fn of(date: NaiveDate) -> HalfYear {
        HalfYear {
            year: date.year(),
            half: if date.month() <= 6 { 1 } else { 2 },
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 or 2.
    pub fn half(self) -> u8 {
        self.half
    }

    /// 1 January or 1 July. `None` only outside chrono's range of dates.
    pub fn first_day(self) -> Option<NaiveDate> {
        let month = if self.half == 1 { 1 } else { 7 };
        NaiveDate::from_ymd_opt(self.year, month, 1)
    }

    /// 30 June or 31 December.
    pub fn last_day(self) -> Option<NaiveDate> {
        if self.half == 1 {
            NaiveDate::from_ymd_opt(self.year, 6, 30)
        } else {
            NaiveDate::from_ymd_opt(self.year, 12, 31)
        }
    }
}

impl std::fmt::Display for HalfYear {
    /// "2024-H1".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-H{}", self.year, self.half)
    }
}

/// Days from `from` to `to` with both days counted, as Kronofogden counts
/// (2021-01-01..2021-04-20 is 110 days); 0 when `to` is before `from`.
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> i64 {
    ((to - from).num_days() + 1).max(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateInterestInput {
    pub principal: Money,
    /// The first day interest runs.
    pub from_date: NaiveDate,
    /// The last day interest runs (counted).
    pub to_date: NaiveDate,
}

/// The part of the time that falls in one half-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateInterestPeriod {
    pub half_year: HalfYear,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub referensranta: Rate,
    /// referensränta + 8, percent a year.
    pub rate: Rate,
    /// Rounded to whole öre for the period.
    pub interest: Money,
    pub table: TableRef,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateInterest {
    pub principal: Money,
    pub days: i64,
    pub periods: Vec<LateInterestPeriod>,
    /// The sum of the periods' rounded interest.
    pub total: Money,
    pub basis: Basis,
    pub provisional: bool,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRef>,
}

/// Checks the input of [`late_payment_interest`]; fields are reported as
/// `path.principal` and `path.to_date`.
pub fn check_late_interest_input(input: &LateInterestInput, path: &str) -> Violations {
    let mut v = Violations::new();
    check_non_negative_amount(input.principal, &field(path, "principal"), &mut v);
    if input.to_date < input.from_date {
        v.add(
            field(path, "to_date"),
            "BEFORE_START",
            "must not be before from_date",
        );
    }
    v
}

/// Dröjsmålsränta on `principal` from `from_date` to `to_date`, both days
/// counted (räntelagen 6 §, 9 §; docs/sources.md §4.3–4.4):
/// - the time is split at half-year boundaries (1 January, 1 July);
/// - each half-year's rate is the referensränta in force on its first day
///   (the referensränta table from `tables` in force then) + 8 percentage
///   points;
/// - each period's interest = principal × rate / 100 × days / 365, rounded
///   half away from zero to whole öre (a named rounding point); 365 also in a
///   leap year, as Kronofogden's calculator counts;
/// - the total is the sum of the rounded periods.
///
/// A half-year with no referensränta table fails with `NormTableMissing`
/// for referensränta on the half-year's first day, which names the half-year:
/// never another period's rate.
pub fn late_payment_interest(
    input: &LateInterestInput,
    tables: &[NormTable],
    path: &str,
) -> Result<LateInterest, DomainError> {
    check_late_interest_input(input, path).finish(())?;
    let mut periods = Vec::new();
    let mut cursor = input.from_date;
    loop {
        let half_year = HalfYear::of(cursor);
        let (Some(first_day), Some(last_day)) = (half_year.first_day(), half_year.last_day())
        else {
            return Err(DomainError::invalid(
                field(path, "from_date"),
                "OUT_OF_RANGE",
                "outside the dates the service can count",
            ));
        };
        // Read on the half-year's first day, so the error names the half-year.
        let table = norms::in_force(tables, NormKind::Referensranta, first_day)?;
        let referensranta = Rate::percent(*table.rows.get("referensranta").ok_or_else(|| {
            DomainError::NormRowMissing {
                table_id: table.id.clone(),
                key: "referensranta".to_owned(),
            }
        })?);
        let rate = referensranta + drojsmalsranta_margin();
        let to = last_day.min(input.to_date);
        let days = days_inclusive(cursor, to);
        let exact = input
            .principal
            .as_decimal()
            .checked_mul(rate.as_decimal())
            .and_then(|x| x.checked_mul(Decimal::from(days)))
            .and_then(|x| x.checked_div(Decimal::from(36_500)))
            .ok_or_else(|| overflow(path, "principal"))?;
        let interest = Money::from_decimal(exact).round(Rounding::HalfAwayFromZeroOre);
        periods.push(LateInterestPeriod {
            half_year,
            from: cursor,
            to,
            days,
            referensranta,
            rate,
            interest,
            table: table.table_ref(),
            basis: Basis::new(
                "dröjsmålsränta = referensräntan för halvåret + 8 procentenheter (räntelagen 6 §, 9 §), \
                 per dag: faktiska dagar / 365, båda ändpunkterna räknas, avrundad till hela ören per period",
                format!(
                    "{}, referensränta {half_year}: {} %",
                    table.citation(),
                    referensranta
                ),
                format!(
                    "{} × ({} + 8) % × {days} / 365 = {}",
                    input.principal.display_kr(),
                    referensranta,
                    interest.display_kr()
                ),
            ),
        });
        if to >= input.to_date {
            break;
        }
        match to.succ_opt() {
            Some(next) => cursor = next,
            None => break,
        }
    }
    let amounts: Vec<Money> = periods.iter().map(|p| p.interest).collect();
    let total: Money = amounts.iter().sum();
    let mut tables_used: Vec<TableRef> = Vec::new();
    for period in &periods {
        if !tables_used.contains(&period.table) {
            tables_used.push(period.table.clone());
        }
    }
    let provisional = tables_used
        .iter()
        .any(|t| t.status == TableStatus::Provisional);
    let warnings = tables_used
        .iter()
        .filter(|t| t.status == TableStatus::Provisional)
        .map(|t| {
            format!(
                "the referensränta table {} is provisional: the result must be checked against the official rate",
                t.id
            )
        })
        .collect();
    Ok(LateInterest {
        principal: input.principal,
        days: days_inclusive(input.from_date, input.to_date),
        periods,
        total,
        basis: Basis::new(
            "dröjsmålsränta: summan av periodernas avrundade ränta",
            "räntelagen (1975:635) 6 §, 9 §",
            sum_arithmetic(&amounts),
        ),
        provisional,
        warnings,
        tables: tables_used,
    })
}
