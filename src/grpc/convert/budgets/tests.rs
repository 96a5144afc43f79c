use super::*;

#[test]
fn money_fields_are_named() {
    let mut v = Violations::new();
    let list = vec![pb::Income {
        category: pb::IncomeCategory::Salary as i32,
        amount: Some(pb::Money {
            amount: "1e3".into(),
        }),
        frequency: pb::Frequency::Monthly as i32,
        description: String::new(),
    }];
    assert!(incomes("incomes", &list, &mut v).is_empty());
    assert_eq!(v.iter().next().unwrap().field, "incomes[0].amount");
}
