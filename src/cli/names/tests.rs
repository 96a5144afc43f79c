use super::*;

#[test]
fn short_names_drop_the_prefix() {
    assert_eq!(
        short_name(pb::Frequency::EveryFourWeeks),
        "every_four_weeks"
    );
    assert_eq!(
        short_name(pb::NormTableKind::ReferenceCosts),
        "reference_costs"
    );
}

#[test]
fn parsing_accepts_short_names_and_lists_the_allowed_ones() {
    assert_eq!(
        parse_name::<pb::MemberRole>("other-adult"),
        Ok(pb::MemberRole::OtherAdult)
    );
    let err = parse_name::<pb::Frequency>("fortnightly").unwrap_err();
    assert!(err.contains("okänt värde \"fortnightly\""), "{err}");
    assert!(err.contains("monthly, weekly, every_four_weeks"), "{err}");
    assert!(parse_name::<pb::Frequency>("unspecified").is_err());
    assert!(!allowed_names::<pb::Frequency>().contains(&"unspecified".to_owned()));
}

#[test]
fn unknown_wire_values_are_shown_not_hidden() {
    assert_eq!(wire_name::<pb::Frequency>(99), "unknown(99)");
    assert_eq!(display_name::<pb::ExpenseCategory>(1), "hyra");
    assert_eq!(
        display_name::<pb::DebtKind>(pb::DebtKind::SmsLoan.into()),
        "sms-lån"
    );
    assert_eq!(display_name::<pb::Frequency>(99), "okänt värde (99)");
}
