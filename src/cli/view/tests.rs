use super::*;

#[test]
fn money_stays_a_string_and_enums_are_short_names() {
    let line = pb::ExpenseLine {
        category: pb::ExpenseCategory::Rent.into(),
        description: "hyra".into(),
        amount: Some(pb::Money {
            amount: "8200.00".into(),
        }),
        frequency: pb::Frequency::Monthly.into(),
        monthly_amount: Some(pb::Money {
            amount: "8200.00".into(),
        }),
        basis: None,
    };
    let json = serde_json::to_value(LineView::from(&line)).unwrap();
    assert_eq!(json["category"], "rent");
    assert_eq!(json["frequency"], "monthly");
    assert_eq!(json["monthly_amount"], "8200.00");
    assert!(json["basis"].is_null());
}

#[test]
fn timestamps_are_rfc3339_utc() {
    let t = Some(prost_types::Timestamp {
        seconds: 1_772_323_200,
        nanos: 0,
    });
    assert_eq!(rfc3339(&t).as_deref(), Some("2026-03-01T00:00:00Z"));
    assert_eq!(rfc3339(&None), None);
}
