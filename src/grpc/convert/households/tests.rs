use chrono::NaiveDate;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
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
