use super::*;

#[test]
fn half_past_midnight_in_stockholm_is_the_new_day() {
    // 2026-03-01 23:30 UTC is 00:30 on 2 March in Stockholm (CET, +1).
    let t = DateTime::parse_from_rfc3339("2026-03-01T23:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        stockholm_date(t),
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    );
    // Summer time: 2026-07-01 22:30 UTC is 00:30 on 2 July (CEST, +2).
    let t = DateTime::parse_from_rfc3339("2026-07-01T22:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        stockholm_date(t),
        NaiveDate::from_ymd_opt(2026, 7, 2).unwrap()
    );
    let t = DateTime::parse_from_rfc3339("2026-07-01T21:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        stockholm_date(t),
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    );
}
