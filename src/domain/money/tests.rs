use super::*;
use proptest::prelude::*;

#[test]
fn parses_the_wire_format() {
    assert_eq!(Money::parse("1234.50").unwrap(), Money::from_ore(123_450));
    assert_eq!(Money::parse("0").unwrap(), Money::ZERO);
    assert_eq!(Money::parse("12.5").unwrap(), Money::from_ore(1250));
    assert_eq!(Money::parse("-3.25").unwrap(), Money::from_ore(-325));
    assert_eq!(
        Money::parse("999999999999999.99").unwrap().to_ore(),
        Some(99_999_999_999_999_999)
    );
}

#[test]
fn rejects_everything_else() {
    for bad in [
        "", "1e3", "1,5", "12.345", "+5", " 5", "5 ", "5.", ".5", "-", "--1", "1.2.3", "0x10",
        "NaN", "1 000", "١٢",
    ] {
        assert!(Money::parse(bad).is_err(), "{bad:?} was accepted");
    }
    assert_eq!(
        Money::parse("12.345"),
        Err(MoneyParseError::TooManyDecimals)
    );
    assert_eq!(
        Money::parse("1234567890123456"),
        Err(MoneyParseError::TooLarge)
    );
    assert_eq!(Money::parse(""), Err(MoneyParseError::Empty));
    assert_eq!(
        Money::parse_non_negative("-1"),
        Err(MoneyParseError::Negative)
    );
}

#[test]
fn wire_output_has_two_decimals() {
    assert_eq!(Money::from_kronor(100).to_wire(), "100.00");
    assert_eq!(Money::ZERO.to_wire(), "0.00");
    assert_eq!(Money::from_ore(-5).to_wire(), "-0.05");
    assert_eq!((Money::from_ore(1) - Money::from_ore(1)).to_wire(), "0.00");
    // 2 030 / 4
    let share = Money::from_kronor(2030).mul_ratio(1, 4).unwrap();
    assert_eq!(share.to_wire(), "507.50");
}

#[test]
fn rounds_half_away_from_zero() {
    let m = Money::from_decimal(Decimal::new(12_345_665, 3)); // 12345.665
    assert_eq!(
        m.round(Rounding::HalfAwayFromZeroOre),
        Money::from_ore(1_234_567)
    );
    let n = Money::from_decimal(Decimal::new(-12_345_665, 3));
    assert_eq!(
        n.round(Rounding::HalfAwayFromZeroOre),
        Money::from_ore(-1_234_567)
    );
    assert_eq!(
        Money::from_ore(50).round(Rounding::HalfAwayFromZeroKrona),
        Money::from_kronor(1)
    );
}

#[test]
fn ratio_to_ore_rounds_half_away_from_zero() {
    let five_ore = Money::from_ore(5);
    assert_eq!(five_ore.mul_ratio_to_ore(1, 2), Some(Money::from_ore(3)));
    assert_eq!(five_ore.mul_ratio_to_ore(-1, 2), Some(Money::from_ore(-3)));
    assert_eq!(five_ore.mul_ratio_to_ore(1, -2), Some(Money::from_ore(-3)));
    assert_eq!(
        Money::from_ore(2).mul_ratio_to_ore(1, 3),
        Some(Money::from_ore(1))
    );
    assert_eq!(Money::from_ore(1).mul_ratio_to_ore(1, 3), Some(Money::ZERO));
    // 950 kr a week: 950 × 52 / 12 = 4 116.666… → 4 116.67.
    assert_eq!(
        Money::from_kronor(950).mul_ratio_to_ore(52, 12),
        Some(Money::from_ore(411_667))
    );
    assert_eq!(Money::from_kronor(950).mul_ratio_to_ore(52, 0), None);
    // Finer than öre takes the decimal path: 1.235 → 1.24, 1.2349 → 1.23.
    let fine = Money::from_decimal(Decimal::new(1_235, 3));
    assert_eq!(fine.mul_ratio_to_ore(1, 1), Some(Money::from_ore(124)));
    let finer = Money::from_decimal(Decimal::new(12_349, 4));
    assert_eq!(finer.mul_ratio_to_ore(1, 1), Some(Money::from_ore(123)));
}

#[test]
fn displays_for_people() {
    assert_eq!(Money::from_kronor(4390).display_kr(), "4 390");
    assert_eq!(Money::from_ore(50_750).display_kr(), "507.50");
    assert_eq!(Money::from_ore(195_025).display_kr(), "1 950.25");
    assert_eq!(Money::from_kronor(-1_234_567).display_kr(), "-1 234 567");
    assert_eq!(Money::ZERO.display_kr(), "0");
    let mut text = "a ".to_owned();
    Money::from_ore(-123_456_789).push_kr(&mut text);
    assert_eq!(text, "a -1 234 567.89");
    assert_eq!(Money::from_kronor(100).display_kr(), "100");
}

#[test]
fn to_ore_refuses_fractions_of_an_ore() {
    assert_eq!(Money::from_decimal(Decimal::new(1005, 3)).to_ore(), None);
    assert_eq!(Money::from_kronor(3).to_ore(), Some(300));
}

#[test]
fn allocation_example() {
    // 100 öre over three equal weights: 34 / 33 / 33.
    let parts = allocate(Money::from_ore(100), &[1, 1, 1]).unwrap();
    assert_eq!(
        parts,
        vec![
            Money::from_ore(34),
            Money::from_ore(33),
            Money::from_ore(33)
        ]
    );
    assert_eq!(
        allocate(Money::from_ore(1), &[0, 0]),
        Err(AllocationError::NoWeight)
    );
    assert_eq!(
        allocate(Money::from_ore(1), &[1, -1]),
        Err(AllocationError::NegativeWeight)
    );
}

proptest! {
    #[test]
    fn allocation_parts_sum_to_the_whole(
        total in -10_000_000_000_i64..10_000_000_000,
        weights in proptest::collection::vec(0_i64..1_000_000_000_000, 1..40),
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let parts = allocate(Money::from_ore(total), &weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        let sum: Money = parts.iter().sum();
        prop_assert_eq!(sum, Money::from_ore(total));
        for (part, weight) in parts.iter().zip(&weights) {
            if total >= 0 {
                prop_assert!(!part.is_negative());
            } else {
                prop_assert!(!part.is_positive());
            }
            if *weight == 0 {
                prop_assert!(part.is_zero());
            }
            // Each part is within one öre of its exact share.
            let exact = Decimal::from(total) * Decimal::from(*weight)
                / Decimal::from(weights.iter().sum::<i64>());
            let diff = (Decimal::from(part.to_ore().unwrap()) - exact).abs();
            prop_assert!(diff < Decimal::ONE, "part off by {}", diff);
        }
    }

    #[test]
    fn wire_round_trip(ore in -99_999_999_999_999_999_i64..99_999_999_999_999_999) {
        let money = Money::from_ore(ore);
        prop_assert_eq!(Money::parse(&money.to_wire()).unwrap(), money);
    }

    #[test]
    fn fast_and_decimal_formatting_agree(ore in -99_999_999_999_999_999_i64..99_999_999_999_999_999) {
        let money = Money::from_ore(ore);
        prop_assert_eq!(money.display_kr(), display_decimal(money.0));
        let mut d = money.0;
        d.rescale(2);
        let slow_wire = if d.is_zero() { "0.00".to_owned() } else { d.to_string() };
        prop_assert_eq!(money.to_wire(), slow_wire);
    }

    #[test]
    fn integer_ratio_agrees_with_decimal_arithmetic(
        ore in -9_999_999_999_999_999_i64..9_999_999_999_999_999,
        numerator in -1_000_i64..1_000,
        denominator in prop_oneof![-1_000_i64..0, 1_i64..1_000],
    ) {
        let money = Money::from_ore(ore);
        let decimal = money
            .mul_ratio(numerator, denominator)
            .unwrap()
            .round(Rounding::HalfAwayFromZeroOre);
        prop_assert_eq!(money.mul_ratio_to_ore(numerator, denominator), Some(decimal));
    }

    #[test]
    fn to_ore_agrees_with_decimal_arithmetic(m in -1_000_000_000_000_000_i64..1_000_000_000_000_000, scale in 0_u32..10) {
        let d = Decimal::new(m, scale);
        let hundredfold = d * Decimal::ONE_HUNDRED;
        let expected = if hundredfold.fract().is_zero() { i64::try_from(hundredfold).ok() } else { None };
        prop_assert_eq!(Money::from_decimal(d).to_ore(), expected);
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,24}") {
        let _ = Money::parse(&s);
    }
}

#[test]
fn letters_print_amounts_with_comma_two_decimals_and_kr() {
    let sv = |s: &str| Money::parse(s).unwrap().display_sv().replace('\u{a0}', " ");
    assert_eq!(sv("14350"), "14 350,00 kr");
    assert_eq!(sv("507.5"), "507,50 kr");
    assert_eq!(sv("0"), "0,00 kr");
    assert_eq!(sv("-1950.25"), "-1 950,25 kr");
    assert_eq!(sv("1234567.01"), "1 234 567,01 kr");
    // No ordinary space: an amount never breaks over two lines.
    assert!(!Money::from_kronor(14350).display_sv().contains(' '));
}
