//! The rent-paid check (docs/sources.md §6): before the application for
//! month M is decided, was the rent for month M − 1 paid? The answer from
//! what is due and what the ledger shows paid; finding the lease and summing
//! the ledger is the store's work.

use chrono::NaiveDate;
use uuid::Uuid;

use super::calendar::{YearMonth, rent_due_date};
use super::ledger::overpaid;
use super::money::Money;
use super::rent_plan::RentPlan;

/// How much of a month's rent is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidStatus {
    /// Payouts and receipts together cover the rent (or nothing was due).
    Paid,
    /// Something, but not all, is paid.
    PartiallyPaid,
    /// Nothing is paid.
    NotPaid,
}

/// The check of one month's rent on one lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RentCheck {
    pub status: PaidStatus,
    pub rent_due: Money,
    /// Ongoing-rent payouts to the landlord, net of reversals.
    pub paid_by_payouts: Money,
    /// What the household's receipts show it paid itself.
    pub paid_by_receipts: Money,
    /// What is left to pay; never below zero.
    pub outstanding: Money,
    /// By how much payouts and receipts together exceed the rent; never
    /// below zero. Payouts are capped at the rent, so only a receipt makes
    /// it positive, and the case worker then has money to recover.
    pub overpaid: Money,
    /// The month's rent due date (JB 12:20).
    pub due_date: NaiveDate,
    /// Days from the due date to the check date while something is
    /// outstanding (zero on the due date or when paid); `None` while the rent
    /// is not yet due on the check date, which has no overdue figure.
    pub days_overdue: Option<u32>,
}

impl RentCheck {
    /// Whether the rent is not yet due on the check date (the day before
    /// the due date or earlier).
    pub fn not_yet_due(&self) -> bool {
        self.days_overdue.is_none()
    }
}

/// The rent month an application month asks about: the month before.
pub fn rent_month_for(application: YearMonth) -> YearMonth {
    application.pred()
}

/// Checks `month`'s rent of `rent_due` against what was paid, as of `on`
/// (the check date: the caller's `as_of`, or today).
pub fn check_rent(
    month: YearMonth,
    rent_due: Money,
    paid_by_payouts: Money,
    paid_by_receipts: Money,
    on: NaiveDate,
) -> RentCheck {
    let paid = paid_by_payouts + paid_by_receipts;
    let outstanding = (rent_due - paid).max(Money::ZERO);
    let status = if outstanding.is_zero() {
        PaidStatus::Paid
    } else if paid.is_positive() {
        PaidStatus::PartiallyPaid
    } else {
        PaidStatus::NotPaid
    };
    let due_date = rent_due_date(month);
    let days_overdue = if on < due_date {
        None
    } else if outstanding.is_zero() {
        Some(0)
    } else {
        Some(u32::try_from((on - due_date).num_days()).unwrap_or(u32::MAX))
    };
    RentCheck {
        status,
        rent_due,
        paid_by_payouts,
        paid_by_receipts,
        outstanding,
        overpaid: overpaid(rent_due, paid_by_payouts, paid_by_receipts),
        due_date,
        days_overdue,
    }
}

/// A lease's rent history, for rent checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseRents {
    pub lease_id: Uuid,
    pub household_id: Uuid,
    /// Oldest first; the first is the lease's start month.
    pub rents: Vec<(YearMonth, Money)>,
    /// The lease's last month; `None` while it runs. No rent is due after it.
    pub end_month: Option<YearMonth>,
}

/// One ongoing-rent payout (not reversed) or receipt, for rent checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAmount {
    pub id: Uuid,
    pub lease_id: Uuid,
    pub month: YearMonth,
    pub amount: Money,
}

/// What the store holds about some households' rent in some months: their
/// leases with rent histories, the ongoing-rent payouts (net of reversals:
/// reversed ones are left out) and receipts of those months, and their
/// arrears plans with payments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RentFacts {
    pub leases: Vec<LeaseRents>,
    pub payouts: Vec<LedgerAmount>,
    pub receipts: Vec<LedgerAmount>,
    pub plans: Vec<RentPlan>,
    /// Ongoing-rent payouts the bank rejected or returned: they count for
    /// nothing (they are not in `payouts`), and are shown as such.
    pub failed_payouts: Vec<LedgerAmount>,
}

#[cfg(test)]
mod tests;
