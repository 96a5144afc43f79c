use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::domain::audit::{RecordKind, RecordRef};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

#[test]
fn the_month_checked_is_the_latest_whose_last_day_to_pay_has_passed() {
    // November's rent is due 30 October (a vardag) and may be paid until
    // 6 November; December's last day is in December.
    assert_eq!(rent_month_checked(d("2026-11-22")).to_string(), "2026-11");
    assert_eq!(rent_month_checked(d("2026-11-01")).to_string(), "2026-10");
    let month = rent_month_checked(d("2026-11-22"));
    assert!(last_day_to_pay(month).last_day < d("2026-11-22"));
    assert!(last_day_to_pay(month.succ()).last_day >= d("2026-11-22"));
}

#[test]
fn a_deadline_warns_from_seven_days_ahead_until_it_passes() {
    let today = d("2026-11-22");
    assert!(notice_deadline_near(d("2026-11-22"), today));
    assert!(notice_deadline_near(d("2026-11-29"), today));
    assert!(!notice_deadline_near(d("2026-11-30"), today));
    assert!(!notice_deadline_near(d("2026-11-21"), today));
}

#[test]
fn the_key_is_kind_first_record_and_period() {
    let id = Uuid::nil();
    let c = Condition {
        kind: AlertKind::RentUnpaid,
        household_id: None,
        records: vec![
            RecordRef::new(RecordKind::Lease, id),
            RecordRef::new(RecordKind::Plan, id),
        ],
        period: "2026-11".into(),
        due_date: None,
    };
    assert_eq!(
        c.key(),
        "rent_unpaid|lease:00000000-0000-0000-0000-000000000000|2026-11"
    );
    for kind in AlertKind::ALL {
        assert_eq!(AlertKind::from_str_opt(kind.as_str()), Some(kind));
    }
}
