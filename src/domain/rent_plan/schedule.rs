//! A plan's schedule: the instalments each month, split so they sum
//! exactly to the arrears, each due with the ordinary rent (JB 12:20).

use chrono::NaiveDate;

use super::{DUE_DATE_SOURCE, MAX_PLAN_MONTHS, RentHistory, check_positive_amount, field};
use crate::domain::calendar::{YearMonth, rent_due_date};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::Basis;
use crate::domain::money::{Money, allocate};

/// instalment each month or the number of months (exactly one of the two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanTerms {
    pub arrears: Money,
    /// The first month: its instalment falls due with that month's rent.
    /// Reported as `start_month` in errors, as the request names it.
    pub start: YearMonth,
    pub instalment: Option<Money>,
    pub months: Option<u32>,
}

/// One month of a plan: the ordinary rent and the instalment, both due on
/// `due_date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instalment {
    /// 1 for the first month.
    pub number: u32,
    pub month: YearMonth,
    /// [`rent_due_date`] of `month`.
    pub due_date: NaiveDate,
    /// The lease's rent for `month` from its [`RentHistory`].
    pub ordinary_rent: Money,
    /// The part of the arrears due this month.
    pub instalment: Money,
    /// `ordinary_rent + instalment`.
    pub total_due: Money,
    pub basis: Basis,
}

/// A plan's months in order. The instalments sum exactly to `arrears`; each
/// is positive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub arrears: Money,
    pub instalments: Vec<Instalment>,
    /// How the arrears were split.
    pub basis: Basis,
}

impl Schedule {
    /// The largest instalment (the first one, by both splitting rules), or
    /// zero for an empty schedule.
    pub fn largest_instalment(&self) -> Money {
        self.instalments
            .iter()
            .map(|i| i.instalment)
            .max()
            .unwrap_or(Money::ZERO)
    }
}

/// Checks a plan's terms against the lease's rent; fields are reported as
/// `path.arrears`, `path.months`, `path.instalment` and `path.start_month`:
///
/// - `arrears`: positive whole öre;
/// - exactly one of `instalment` and `months` (neither or both: a violation
///   on each of the two fields);
/// - `months`: 1..=[`MAX_PLAN_MONTHS`], and no more months than the arrears
///   has öre (every instalment is at least one öre);
/// - `instalment`: positive whole öre, no more than the arrears, and large
///   enough that the plan ends within [`MAX_PLAN_MONTHS`] months;
/// - `start_month`: the history has a rent for it (not before the lease's
///   first rent), and the plan ends by [`YearMonth::MAX`].
pub fn check_plan_terms(terms: &PlanTerms, history: &RentHistory, path: &str) -> Violations {
    let mut v = Violations::new();
    let arrears_field = field(path, "arrears");
    let months_field = field(path, "months");
    let instalment_field = field(path, "instalment");
    let start_field = field(path, "start_month");

    check_positive_amount(terms.arrears, &arrears_field, &mut v);
    let arrears_ore = if v.is_empty() {
        terms.arrears.to_ore()
    } else {
        None
    };

    let plan_months: Option<u32> =
        match (terms.instalment, terms.months) {
            (None, None) => {
                let why = "give either an instalment or a number of months";
                v.add(&instalment_field, "REQUIRED", why);
                v.add(&months_field, "REQUIRED", why);
                None
            }
            (Some(_), Some(_)) => {
                let why = "give either an instalment or a number of months, not both";
                v.add(&instalment_field, "NOT_BOTH", why);
                v.add(&months_field, "NOT_BOTH", why);
                None
            }
            (None, Some(months)) => {
                if months == 0 {
                    v.add(&months_field, "OUT_OF_RANGE", "at least one month");
                    None
                } else if months > MAX_PLAN_MONTHS {
                    v.add(
                        &months_field,
                        "OUT_OF_RANGE",
                        format!("at most {MAX_PLAN_MONTHS} months"),
                    );
                    None
                } else if arrears_ore.is_some_and(|a| i64::from(months) > a) {
                    v.add(
                    &months_field, "OUT_OF_RANGE",
                    "more months than öre of arrears: every instalment must be at least one öre",
                );
                    None
                } else {
                    Some(months)
                }
            }
            (Some(instalment), None) => {
                let mut own = Violations::new();
                check_positive_amount(instalment, &instalment_field, &mut own);
                let instalment_ore = if own.is_empty() {
                    instalment.to_ore()
                } else {
                    None
                };
                v.extend(own);
                match (arrears_ore, instalment_ore) {
                    (Some(a), Some(i)) if i > a => {
                        v.add(
                            &instalment_field,
                            "ABOVE_ARREARS",
                            "must not be larger than the arrears",
                        );
                        None
                    }
                    (Some(a), Some(i)) => {
                        let count = instalments_needed(a, i);
                        if count > i64::from(MAX_PLAN_MONTHS) {
                            v.add(
                            &instalment_field, "OUT_OF_RANGE",
                            format!(
                                "too small: the plan would run more than {MAX_PLAN_MONTHS} months"
                            ),
                        );
                            None
                        } else {
                            u32::try_from(count).ok()
                        }
                    }
                    _ => None,
                }
            }
        };

    match history.first_month() {
        None => v.add(
            &start_field,
            "NO_RENT_IN_MONTH",
            "the lease has no rent for this month",
        ),
        Some(first) if terms.start < first => v.add(
            &start_field,
            "NO_RENT_IN_MONTH",
            "before the lease's first rent: the lease has no rent for this month",
        ),
        Some(_) => {}
    }
    if let Some(months) = plan_months
        && !ends_in_range(terms.start, months)
    {
        v.add(
            &start_field,
            "OUT_OF_RANGE",
            "the plan would end after the last supported month",
        );
    }
    v
}

/// ⌈arrears / instalment⌉ in öre, both positive.
fn instalments_needed(arrears_ore: i64, instalment_ore: i64) -> i64 {
    arrears_ore / instalment_ore + i64::from(arrears_ore % instalment_ore != 0)
}

/// Whether the month `months − 1` after `start` exists (add_months saturates).
fn ends_in_range(start: YearMonth, months: u32) -> bool {
    let offset = i64::from(months) - 1;
    let last_index = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + offset;
    last_index <= i64::from(YearMonth::MAX_YEAR) * 12 + 11
}

/// The plan's schedule from its terms and the lease's rent history, by the
/// rules in [`check_plan_terms`] and:
///
/// - **`months` given**: the arrears are split by [`allocate`] into `months`
///   equal-weight parts in whole öre. Each part is first ⌊arrears / months⌋;
///   the r öre left over (r = arrears in öre mod months) go one each to the
///   *first* r months (equal remainders go to the earlier part). So no two
///   instalments differ by more than one öre and the plan is front-loaded.
/// - **`instalment` given**: every month pays the instalment and the last
///   month pays what remains, which is more than zero and at most the
///   instalment: when the arrears are an exact multiple, the plan ends in the
///   month whose instalment clears it instead of adding a month of zero.
///
/// Month *n* (from 1) is `start` + (n − 1); its ordinary rent is
/// [`RentHistory::rent_for`] that month (a rent change during the plan
/// applies from its month on), and the rent and instalment are due together
/// on [`rent_due_date`].
pub fn schedule(
    terms: &PlanTerms,
    history: &RentHistory,
    path: &str,
) -> Result<Schedule, DomainError> {
    check_plan_terms(terms, history, path).finish(())?;
    let arrears_field = field(path, "arrears");
    let invalid = |name: &str, reason: &'static str, why: &str| {
        DomainError::invalid(field(path, name), reason, why)
    };
    // The checks guarantee whole öre and exactly one of instalment / months;
    // the errors below keep the function total without unwrap.
    let arrears_ore = terms.arrears.to_ore().ok_or_else(|| {
        DomainError::invalid(
            &arrears_field,
            "TOO_MANY_DECIMALS",
            "at most two decimals (whole öre)",
        )
    })?;

    let (amounts, split_basis) = match (terms.months, terms.instalment) {
        (Some(months), _) => {
            let weights = vec![1_i64; months as usize];
            let parts = allocate(terms.arrears, &weights)
                .map_err(|e| DomainError::invalid(&arrears_field, "TOO_LARGE", e.to_string()))?;
            let basis = split_by_months_basis(terms.arrears, arrears_ore, months, &parts);
            (parts, basis)
        }
        (None, Some(instalment)) => {
            let instalment_ore = instalment.to_ore().ok_or_else(|| {
                invalid(
                    "instalment",
                    "TOO_MANY_DECIMALS",
                    "at most two decimals (whole öre)",
                )
            })?;
            let count = instalments_needed(arrears_ore, instalment_ore);
            let last = Money::from_ore(arrears_ore - instalment_ore * (count - 1));
            let mut parts: Vec<Money> = (1..count).map(|_| instalment).collect();
            parts.push(last);
            let basis = split_by_instalment_basis(terms.arrears, instalment, count, last);
            (parts, basis)
        }
        (None, None) => {
            return Err(invalid(
                "months",
                "REQUIRED",
                "give either an instalment or a number of months",
            ));
        }
    };

    let total = amounts.len();
    let mut instalments = Vec::with_capacity(total);
    for (index, amount) in amounts.into_iter().enumerate() {
        // index < MAX_PLAN_MONTHS, so both conversions succeed.
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let month = terms
            .start
            .add_months(i32::try_from(index).unwrap_or(i32::MAX));
        let ordinary_rent = history.rent_for(month).ok_or_else(|| {
            invalid(
                "start_month",
                "NO_RENT_IN_MONTH",
                "the lease has no rent for this month",
            )
        })?;
        let due_date = rent_due_date(month);
        let total_due = ordinary_rent + amount;
        instalments.push(Instalment {
            number,
            month,
            due_date,
            ordinary_rent,
            instalment: amount,
            total_due,
            basis: Basis::new(
                format!(
                    "månad {number} av {total} ({month}): hyran och avbetalningen på hyresskulden förfaller samma dag, {due_date}"
                ),
                DUE_DATE_SOURCE,
                format!(
                    "hyra {} + avbetalning {} = {}",
                    ordinary_rent.display_kr(),
                    amount.display_kr(),
                    total_due.display_kr()
                ),
            ),
        });
    }
    Ok(Schedule {
        arrears: terms.arrears,
        instalments,
        basis: split_basis,
    })
}

/// "12 000.05 / 6 = 2 000 rest 5 öre: 5 × 2 000.01 + 1 × 2 000 = 12 000.05".
fn split_by_months_basis(arrears: Money, arrears_ore: i64, months: u32, parts: &[Money]) -> Basis {
    let months_i = i64::from(months);
    let base = Money::from_ore(arrears_ore / months_i);
    let extra = arrears_ore % months_i;
    let terms = if extra == 0 {
        format!("{months} × {}", base.display_kr())
    } else {
        let bigger = base + Money::from_ore(1);
        format!(
            "{extra} × {} + {} × {}",
            bigger.display_kr(),
            months_i - extra,
            base.display_kr()
        )
    };
    let total: Money = parts.iter().sum();
    Basis::new(
        "hyresskulden delas i lika stora avbetalningar i hela ören; de ören som blir över går ett \
         var till de första månaderna (största rest), så att avbetalningarna blir exakt skulden",
        "avbetalningsplan, antal månader",
        format!(
            "{} / {months} = {} rest {extra} öre: {terms} = {}",
            arrears.display_kr(),
            base.display_kr(),
            total.display_kr()
        ),
    )
}

/// "5 × 2 000 + 1 × 500 = 10 500", or "6 × 2 000 = 12 000".
fn split_by_instalment_basis(arrears: Money, instalment: Money, count: i64, last: Money) -> Basis {
    let terms = if last == instalment {
        format!("{count} × {}", instalment.display_kr())
    } else {
        format!(
            "{} × {} + 1 × {}",
            count - 1,
            instalment.display_kr(),
            last.display_kr()
        )
    };
    Basis::new(
        "varje månad betalas avbetalningen; sista månaden betalas det som återstår av hyresskulden",
        "avbetalningsplan, avbetalning per månad",
        format!("{terms} = {}", arrears.display_kr()),
    )
}
