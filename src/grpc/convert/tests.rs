use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

#[test]
fn dates_must_be_exactly_iso() {
    assert!(parse_date("2026-03-01").is_some());
    for bad in [
        "2026-3-1",
        "2026-02-30",
        "20260301",
        "2026/03/01",
        " 2026-03-01",
        "",
    ] {
        assert!(parse_date(bad).is_none(), "{bad}");
    }
}

#[test]
fn a_member_reports_every_bad_field() {
    let mut v = Violations::new();
    let m = pb::Member {
        role: 99,
        birth_date: "2030-01-01".into(),
        personal_identity_number: "640823-3235".into(),
        ..Default::default()
    };
    assert!(member("members[0]", &m, MemberSource::Stateless, today(), &mut v).is_none());
    let fields: Vec<String> = v.iter().map(|f| f.field.clone()).collect();
    assert!(fields.contains(&"members[0].role".to_owned()));
    assert!(fields.contains(&"members[0].personal_identity_number".to_owned()));
    assert!(fields.contains(&"members[0].birth_date".to_owned()));
}

#[test]
fn the_birth_date_comes_from_the_personal_identity_number() {
    let mut v = Violations::new();
    let m = pb::Member {
        role: pb::MemberRole::Applicant as i32,
        personal_identity_number: "640823-3234".into(),
        ..Default::default()
    };
    let parsed = member("m", &m, MemberSource::Saved, today(), &mut v).unwrap();
    assert!(v.is_empty());
    assert_eq!(parsed.birth_date(), NaiveDate::from_ymd_opt(1964, 8, 23));
}

#[test]
fn saved_members_need_a_birth_date_not_an_age() {
    let mut v = Violations::new();
    let m = pb::Member {
        role: pb::MemberRole::Child as i32,
        age: Some(4),
        ..Default::default()
    };
    assert!(member("m", &m, MemberSource::Saved, today(), &mut v).is_none());
    assert_eq!(v.iter().next().unwrap().field, "m.birth_date");
}

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
