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
    assert_eq!(c.days_overdue, Some(0));
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
    assert_eq!(c.days_overdue, Some(23));
}

#[test]
fn rent_not_yet_due_has_no_overdue_figure() {
    let early = check_rent(
        month("2026-12"),
        kr("7900"),
        Money::ZERO,
        Money::ZERO,
        day("2026-11-22"),
    );
    assert_eq!(early.status, PaidStatus::NotPaid);
    assert_eq!(early.outstanding, kr("7900"));
    // Not yet due: no overdue figure at all, not a zero.
    assert_eq!(early.days_overdue, None);
    assert!(early.not_yet_due());
    let on_the_day = check_rent(
        month("2026-12"),
        kr("7900"),
        Money::ZERO,
        Money::ZERO,
        early.due_date,
    );
    // Due on the day, and not late yet.
    assert_eq!(on_the_day.days_overdue, Some(0));
    assert!(!on_the_day.not_yet_due());
    // Paid in advance: still not yet due, and paid.
    let paid_early = check_rent(
        month("2026-12"),
        kr("7900"),
        kr("7900"),
        Money::ZERO,
        day("2026-11-22"),
    );
    assert_eq!(paid_early.status, PaidStatus::Paid);
    assert_eq!(paid_early.days_overdue, None);
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
    assert_eq!(c.overpaid, kr("100"));
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
