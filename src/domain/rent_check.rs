//! The rent-paid check (DESIGN §3.7): before the application for month M is
//! decided, was the rent for month M − 1 paid? The answer from what is due
//! and what the ledger shows paid; finding the lease and summing the ledger
//! is the store's work.

use chrono::NaiveDate;

use super::calendar::{YearMonth, rent_due_date};
use super::money::Money;

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
    /// The month's rent due date (JB 12:20).
    pub due_date: NaiveDate,
    /// Days from the due date to the check date while something is
    /// outstanding; zero before the due date or when paid.
    pub days_overdue: u32,
}

/// The rent month an application month asks about: the month before.
pub fn rent_month_for(application: YearMonth) -> YearMonth {
    application.pred()
}

/// Checks `month`'s rent of `rent_due` against what was paid, on `on`.
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
    let days_overdue = if outstanding.is_zero() || on <= due_date {
        0
    } else {
        u32::try_from((on - due_date).num_days()).unwrap_or(u32::MAX)
    };
    RentCheck {
        status,
        rent_due,
        paid_by_payouts,
        paid_by_receipts,
        outstanding,
        due_date,
        days_overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(s: &str) -> Money {
        Money::parse(s).expect("an amount")
    }

    fn month(s: &str) -> YearMonth {
        YearMonth::parse(s).expect("a month")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn the_rent_month_is_the_month_before_the_application() {
        assert_eq!(rent_month_for(month("2026-12")), month("2026-11"));
        assert_eq!(rent_month_for(month("2027-01")), month("2026-12"));
    }

    #[test]
    fn payouts_and_receipts_together_pay_the_rent() {
        // November 2026's rent is due on 2026-10-30 (the last vardag of October).
        let c = check_rent(
            month("2026-11"),
            kr("7900"),
            kr("5000"),
            kr("2900"),
            day("2026-11-22"),
        );
        assert_eq!(c.status, PaidStatus::Paid);
        assert_eq!(c.outstanding, Money::ZERO);
        assert_eq!(c.due_date, day("2026-10-30"));
        assert_eq!(c.days_overdue, 0);
    }

    #[test]
    fn a_part_paid_month_is_overdue_from_its_due_date() {
        let c = check_rent(
            month("2026-11"),
            kr("7900"),
            Money::ZERO,
            kr("0.01"),
            day("2026-11-22"),
        );
        assert_eq!(c.status, PaidStatus::PartiallyPaid);
        assert_eq!(c.outstanding, kr("7899.99"));
        assert_eq!(c.days_overdue, 23);
    }

    #[test]
    fn nothing_paid_is_not_overdue_before_the_due_date() {
        let early = check_rent(
            month("2026-12"),
            kr("7900"),
            Money::ZERO,
            Money::ZERO,
            day("2026-11-22"),
        );
        assert_eq!(early.status, PaidStatus::NotPaid);
        assert_eq!(early.outstanding, kr("7900"));
        assert_eq!(early.days_overdue, 0);
        let on_the_day = check_rent(
            month("2026-12"),
            kr("7900"),
            Money::ZERO,
            Money::ZERO,
            early.due_date,
        );
        assert_eq!(on_the_day.days_overdue, 0);
    }

    #[test]
    fn overpaying_leaves_nothing_outstanding() {
        let c = check_rent(
            month("2026-11"),
            kr("7900"),
            kr("7900"),
            kr("100"),
            day("2026-12-01"),
        );
        assert_eq!(c.status, PaidStatus::Paid);
        assert_eq!(c.outstanding, Money::ZERO);
    }

    #[test]
    fn a_month_with_no_rent_is_paid() {
        let c = check_rent(
            month("2026-11"),
            Money::ZERO,
            Money::ZERO,
            Money::ZERO,
            day("2026-12-01"),
        );
        assert_eq!(c.status, PaidStatus::Paid);
    }
}
