use super::*;
use crate::domain::identity::PersonalIdentityNumber;

#[test]
fn seeded_personnummer_are_valid_and_distinct() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date");
    let mut seen = std::collections::HashSet::new();
    for n in (0..50_000).chain([BIRTH_DAYS * 1000 - 1]) {
        let (_, pin) = personnummer(n).expect("a number");
        assert!(PersonalIdentityNumber::parse(&pin, today).is_ok(), "{pin}");
        assert!(seen.insert(pin));
    }
    assert!(personnummer(BIRTH_DAYS * 1000).is_none());
}
