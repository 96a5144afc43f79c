use rust_decimal::Decimal;

use super::*;

#[test]
fn wire_rates_have_at_most_two_decimals() {
    for (text, hundredths) in [
        ("12.5", 1250),
        ("0", 0),
        ("8", 800),
        ("0.25", 25),
        ("100.00", 10_000),
    ] {
        let rate = Rate::parse(text).expect(text);
        assert_eq!(rate.to_hundredths(), Some(hundredths), "{text}");
    }
    for text in [
        "",
        ".5",
        "5.",
        "1.234",
        "-1",
        "1e2",
        "1,5",
        " 1",
        "12345678901",
        "+1",
    ] {
        assert_eq!(Rate::parse(text), None, "{text:?}");
    }
}

#[test]
fn storage_and_display_round_trip() {
    let rate = Rate::from_hundredths(1250);
    assert_eq!(rate.to_wire(), "12.5");
    assert_eq!(rate.to_string(), "12.50");
    assert_eq!(Rate::from_hundredths(0).to_wire(), "0");
    assert_eq!(Rate::from_hundredths(rate.to_hundredths().unwrap()), rate);
    assert_eq!(Rate::percent(Decimal::new(12345, 3)).to_hundredths(), None);
}

#[test]
fn sums_are_exact_and_signs_are_seen() {
    let sum = Rate::from_hundredths(-50) + Rate::percent(Decimal::from(8));
    assert_eq!(sum, Rate::from_hundredths(750));
    assert!(Rate::from_hundredths(-1).is_negative());
    assert!(!Rate::ZERO.is_negative());
}
