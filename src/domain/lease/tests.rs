use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::*;
use crate::domain::testkit::{date, kr};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// Served 2026-11-10 for 14 350 kr, deadline 2026-12-01.
fn notice() -> EvictionNotice {
    EvictionNotice {
        id: id(1),
        lease_id: id(2),
        household_id: id(3),
        served_on: date(2026, 11, 10),
        amount_owed: kr(14_350),
        deadline: date(2026, 12, 1),
        resolution: None,
        note: String::new(),
        created_at: DateTime::<Utc>::UNIX_EPOCH,
        created_by: "test".into(),
        evidence: Vec::new(),
    }
}

fn paid(n: u128, on: NaiveDate, amount: i64) -> NoticePayment {
    NoticePayment {
        id: id(n),
        date: on,
        amount: kr(amount),
    }
}

#[test]
fn a_notice_is_paid_by_payments_from_the_day_served_to_the_deadline() {
    let n = notice();
    assert_eq!(
        paid_within_deadline(&n, &[paid(10, date(2026, 11, 20), 14_350)]),
        Some(vec![id(10)])
    );
    // Two payments together, oldest first; the deadline day counts.
    assert_eq!(
        paid_within_deadline(
            &n,
            &[
                paid(12, date(2026, 12, 1), 4_350),
                paid(11, date(2026, 11, 21), 10_000),
            ]
        ),
        Some(vec![id(11), id(12)])
    );
    // Not enough.
    assert_eq!(
        paid_within_deadline(&n, &[paid(10, date(2026, 11, 20), 14_349)]),
        None
    );
    // Too late, or before the notice (it paid something else).
    assert_eq!(
        paid_within_deadline(&n, &[paid(10, date(2026, 12, 2), 14_350)]),
        None
    );
    assert_eq!(
        paid_within_deadline(&n, &[paid(10, date(2026, 11, 9), 14_350)]),
        None
    );
    // A resolved notice is not resolved again.
    let mut resolved = n.clone();
    resolved.resolution = Some((NoticeResolution::Paid, date(2026, 11, 15)));
    assert_eq!(
        paid_within_deadline(&resolved, &[paid(10, date(2026, 11, 20), 14_350)]),
        None
    );
}

#[test]
fn an_unresolved_notice_past_its_deadline_is_deadline_passed() {
    let mut n = notice();
    assert_eq!(n.state(date(2026, 12, 1)), NoticeState::Open);
    assert_eq!(n.state(date(2026, 12, 2)), NoticeState::DeadlinePassed);
    n.resolution = Some((NoticeResolution::Other, date(2026, 12, 3)));
    assert_eq!(n.state(date(2026, 12, 4)), NoticeState::Resolved);
}

#[test]
fn resolutions_round_trip_their_storage_names() {
    for r in [
        NoticeResolution::Paid,
        NoticeResolution::PlanAgreed,
        NoticeResolution::Other,
        NoticeResolution::PaidWithinDeadline,
    ] {
        assert_eq!(NoticeResolution::from_str_opt(r.as_str()), Some(r));
    }
}
