//! Rent-arrears payment plans: a lease's rent history, the dates jordabalken
//! attaches to late rent (docs/sources.md §4.1–4.2), the schedule of an
//! avbetalningsplan and how payments are tracked against it.
//!
//! Terms, once each:
//! - **hyresskuld**: rent arrears, the rent a household owes for past months.
//! - **avbetalningsplan**: a payment plan agreed with the hyresvärd (landlord)
//!   in which the household pays the ordinary rent and, on the same day, an
//!   instalment towards the hyresskuld.
//! - **förverkande**: the landlord's right to end a home lease early because
//!   rent is paid late (jordabalken 12 kap. 42 §).
//! - **underrättelse**: the landlord's notice to the tenant, after which the
//!   tenant keeps the home by paying within three weeks (JB 12:44).
//!
//! Conventions (each one a rule a counsellor can check by hand):
//! - Money is exact [`Money`]; nothing here uses floating point. Amounts
//!   given to this module are whole öre with at most 15 integer digits, as on
//!   the wire; the checks below reject anything else.
//! - The only rounding is the split of the arrears into instalments, done by
//!   [`allocate`] (largest remainder, whole öre), so the instalments always
//!   sum exactly to the arrears. Every other figure is a sum or difference
//!   of whole-öre amounts.
//! - Dates: each month of a plan, the ordinary rent and the instalment fall
//!   due together on [`rent_due_date`] (JB 12:20, "senast sista vardagen före
//!   varje kalendermånads början", with the service's reading of "vardag"
//!   kept in [`super::calendar`]). A payment made on the due date is on time.
//! - Legal last days ([`last_day_to_pay`], [`eviction_notice_period`]) are
//!   counted in calendar days and then moved to the next vardag by lag
//!   (1930:173) 2 §, through [`statutory_last_day`], the one place for that
//!   rule (see each function for what the law adds that is not modelled).
//! - Tracking covers the instalments towards the arrears only. Whether the
//!   ordinary rent of a month was paid is the rent-paid check's question
//!   (`domain::rent_check`), not this module's.
//! - Input checks name fields under the request path the caller gives
//!   (`plan.arrears`, or `arrears` for an empty path); descriptions never
//!   repeat a value, since amounts are personal data.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use uuid::Uuid;

use super::calendar::{StatutoryLastDay, YearMonth, rent_due_date, statutory_last_day};
use super::debt::check_non_negative_amount;
use super::error::{DomainError, Violations};
use super::money::Money;

/// Where the rent due date comes from.
pub const DUE_DATE_SOURCE: &str = "jordabalken 12 kap. 20 §: hyran betalas senast sista vardagen före varje kalendermånads början";

/// The longest plan the service schedules: ten years. Real plans run months,
/// not decades; the cap keeps a typo (an instalment of one krona) from
/// producing thousands of rows.
pub const MAX_PLAN_MONTHS: u32 = 120;

/// `path.name`, or `name` alone when the path is empty.
fn field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Records why `amount` is not a positive amount of whole öre with at most 15
/// integer digits.
fn check_positive_amount(amount: Money, field: &str, v: &mut Violations) {
    if amount.is_zero() {
        v.add(field, "NOT_POSITIVE", "must be greater than zero");
    } else {
        check_non_negative_amount(amount, field, v);
    }
}

// ---------------------------------------------------------------------------
// Rent history
// ---------------------------------------------------------------------------

/// From `from` on, the lease's monthly rent is `amount` (until a later change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RentChange {
    pub from: YearMonth,
    pub amount: Money,
}

/// A lease's monthly rent over time, as a list of changes by month
/// A rent increase from a month on leaves earlier months at
/// the old rent; before the first change the lease has no rent (it had not
/// begun, as far as the service knows).
///
/// Invariant: the changes are sorted by month, no two share a month, and
/// every amount is non-negative whole öre. Only [`RentHistory::new`] builds
/// one, so the invariant holds for every value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RentHistory {
    changes: Vec<RentChange>,
}

/// Checks a list of rent changes; fields are reported as `path[i].amount`
/// (negative, fractions of an öre, too large) and `path[i].from` (a second
/// change for a month that already has one; the first keeps no violation).
/// A zero rent is allowed (a rent-free month, e.g. in a jourlägenhet).
pub fn check_rent_changes(changes: &[RentChange], path: &str) -> Violations {
    let mut v = Violations::new();
    let mut seen: HashMap<YearMonth, usize> = HashMap::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        check_non_negative_amount(change.amount, &format!("{path}[{i}].amount"), &mut v);
        if seen.insert(change.from, i).is_some() {
            v.add(
                format!("{path}[{i}].from"),
                "DUPLICATE",
                "another rent change is for the same month",
            );
        }
    }
    v
}

impl RentHistory {
    /// A history from changes in any order. `path` is the request path of
    /// the list (`lease.rent_changes`), for errors.
    pub fn new(mut changes: Vec<RentChange>, path: &str) -> Result<RentHistory, DomainError> {
        check_rent_changes(&changes, path).finish(())?;
        changes.sort_by_key(|c| c.from);
        Ok(RentHistory { changes })
    }

    /// The changes, oldest first.
    pub fn changes(&self) -> &[RentChange] {
        &self.changes
    }

    /// The first month with a rent, if any.
    pub fn first_month(&self) -> Option<YearMonth> {
        self.changes.first().map(|c| c.from)
    }

    /// The rent for `month`: the amount of the latest change at or before it,
    /// or `None` before the first change.
    pub fn rent_for(&self, month: YearMonth) -> Option<Money> {
        let after = self.changes.partition_point(|c| c.from <= month);
        after.checked_sub(1).map(|i| self.changes[i].amount)
    }
}

// ---------------------------------------------------------------------------
// Legal dates for late rent
// ---------------------------------------------------------------------------

/// The last day to pay the rent for `month` and keep a home lease under JB 12:42 första
/// stycket 1 p.: [`rent_due_date`]`(month)` + 7 days, moved to the next vardag by lag
/// (1930:173) 2 § when that day is not one.
///
/// The lease is forfeited if the tenant "dröjer med betalning av hyran mer än en vecka efter
/// förfallodagen". The rent is late from the day after the due date; the week runs out at the
/// end of the seventh day after it (due date + 7, the same weekday). When that day is a
/// söndag or other helgdag, a lördag, midsommar-, jul- or nyårsafton, payment on the next
/// vardag is still within the week (docs/sources.md §4.2, §4.6, §7 example 10).
pub fn last_day_to_pay(month: YearMonth) -> StatutoryLastDay {
    let due = rent_due_date(month);
    // Rent due dates lie in 1899..=2200, far inside chrono's range.
    statutory_last_day(due.checked_add_days(Days::new(7)).unwrap_or(NaiveDate::MAX))
}

/// The first day on which a home lease is forfeitable for not paying the rent for `month`:
/// the day after [`last_day_to_pay`].
///
/// The service does not model what the law then adds: a breach of ringa betydelse, payment
/// before notice is given (12:43), or the three weeks after an underrättelse (12:44,
/// [`eviction_notice_deadline`]). The date says when forfeiture *can* first be claimed, not
/// that it has happened.
pub fn first_forfeitable_day(month: YearMonth) -> NaiveDate {
    last_day_to_pay(month)
        .last_day
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
}

/// The last day on which the tenant keeps the home by paying after being served an
/// underrättelse for late rent (JB 12:44 "inom tre veckor från det att hyresgästen delgavs
/// underrättelse"): `served` + 21 days, moved to the next vardag by lag (1930:173) 2 § when
/// that day is not one (docs/sources.md §4.2, §4.6, §7 example 9).
///
/// The day of service does not count and the last day does: served on a Monday, the tenant
/// may pay up to and including the Monday three weeks later (or the next vardag), and the
/// lease is forfeitable from the day after.
///
/// The three weeks run only once the landlord has also sent the meddelande to socialnämnden
/// (12:44); a caller that knows both dates passes the later of the two as `served`.
pub fn eviction_notice_period(served: NaiveDate) -> StatutoryLastDay {
    statutory_last_day(
        served
            .checked_add_days(Days::new(21))
            .unwrap_or(NaiveDate::MAX),
    )
}

/// The last day of [`eviction_notice_period`]: the notice's deadline.
pub fn eviction_notice_deadline(served: NaiveDate) -> NaiveDate {
    eviction_notice_period(served).last_day
}

/// How a plan's length is agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanLength {
    Instalment(Money),
    Months(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentPlanDraft {
    pub lease_id: Uuid,
    pub arrears: Money,
    pub start: YearMonth,
    pub length: PlanLength,
    /// How many missed instalments break the plan.
    pub broken_after: u32,
    /// The hyresskuld debt that payments towards the plan settle, when
    /// named (at creation or later).
    pub debt_id: Option<Uuid>,
}

/// Where a payment towards a plan's arrears was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanPaymentSource {
    /// On the plan itself.
    Plan,
    /// An arrears payout of the ledger, not reversed.
    Payout,
    /// An arrears receipt of the ledger.
    Receipt,
}

impl PlanPaymentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanPaymentSource::Plan => "plan",
            PlanPaymentSource::Payout => "payout",
            PlanPaymentSource::Receipt => "receipt",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<PlanPaymentSource> {
        [
            PlanPaymentSource::Plan,
            PlanPaymentSource::Payout,
            PlanPaymentSource::Receipt,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// A payment towards a plan's arrears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPaymentRecord {
    /// The id of the plan payment, the payout or the receipt.
    pub id: Uuid,
    pub source: PlanPaymentSource,
    pub date: NaiveDate,
    pub amount: Money,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentPlan {
    pub id: Uuid,
    pub household_id: Uuid,
    pub draft: RentPlanDraft,
    /// Payments on the plan, then the ledger's arrears payouts (not
    /// reversed) and receipts tied to it, each in the order recorded.
    pub payments: Vec<PlanPaymentRecord>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// A stored plan's schedule, from its terms and the lease's rents (from
/// month, rent), and its status on `on` from its payments.
pub fn plan_status(
    plan: &RentPlan,
    rents: &[(YearMonth, Money)],
    on: NaiveDate,
) -> Result<(schedule::Schedule, tracking::PlanStatus), DomainError> {
    let d = &plan.draft;
    let terms = schedule::PlanTerms {
        arrears: d.arrears,
        start: d.start,
        instalment: match d.length {
            PlanLength::Instalment(m) => Some(m),
            PlanLength::Months(_) => None,
        },
        months: match d.length {
            PlanLength::Months(n) => Some(n),
            PlanLength::Instalment(_) => None,
        },
    };
    let history = RentHistory::new(
        rents
            .iter()
            .map(|(from, amount)| RentChange {
                from: *from,
                amount: *amount,
            })
            .collect(),
        "lease.rent_history",
    )?;
    let sched = schedule::schedule(&terms, &history, "terms")?;
    let payments: Vec<tracking::Payment> = plan
        .payments
        .iter()
        .map(|p| tracking::Payment {
            date: p.date,
            amount: p.amount,
        })
        .collect();
    let status = tracking::status_on(&sched, &payments, on, d.broken_after)?;
    Ok((sched, status))
}

pub mod checks;
pub mod schedule;
pub mod tracking;

#[cfg(test)]
mod tests;
