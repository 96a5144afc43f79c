use super::*;

fn member(role: Role, age: u32) -> Member {
    Member {
        id: None,
        role,
        age: AgeBasis::Years(age),
        personal_identity_number: None,
        residence: None,
        lunch_at_school: false,
        given_name: String::new(),
        family_name: String::new(),
    }
}

#[test]
fn ages() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert_eq!(age_on(d(2020, 3, 15), d(2026, 3, 14)), Some(5));
    assert_eq!(age_on(d(2020, 3, 15), d(2026, 3, 15)), Some(6));
    assert_eq!(age_on(d(2020, 2, 29), d(2021, 2, 28)), Some(0));
    assert_eq!(age_on(d(2020, 2, 29), d(2021, 3, 1)), Some(1));
    assert_eq!(age_on(d(2026, 3, 2), d(2026, 3, 1)), None);
}

#[test]
fn a_household_needs_one_applicant() {
    let v = check_members(
        &[member(Role::Child, 4)],
        IdentityRule::Anonymous,
        "members",
    );
    assert_eq!(v.iter().next().unwrap().field, "members");
    let v = check_members(
        &[member(Role::Applicant, 30), member(Role::Applicant, 31)],
        IdentityRule::Anonymous,
        "members",
    );
    assert!(!v.is_empty());
    let ok = check_members(
        &[
            member(Role::Applicant, 30),
            member(Role::Partner, 31),
            member(Role::Child, 2),
        ],
        IdentityRule::Anonymous,
        "members",
    );
    assert!(ok.is_empty());
}

#[test]
fn adults_of_a_saved_household_are_identified() {
    let v = check_members(
        &[member(Role::Applicant, 30)],
        IdentityRule::AdultsIdentified,
        "household.members",
    );
    assert_eq!(
        v.iter().next().unwrap().field,
        "household.members[0].personal_identity_number"
    );
}

#[test]
fn part_time_only_for_children() {
    let mut adult = member(Role::Applicant, 30);
    adult.residence = Some(Residence {
        days: 7,
        period: 14,
    });
    let v = check_members(&[adult], IdentityRule::Anonymous, "members");
    assert_eq!(v.iter().next().unwrap().field, "members[0].residence_days");
    let mut child = member(Role::Child, 3);
    child.residence = Some(Residence {
        days: 15,
        period: 14,
    });
    let v = check_members(
        &[member(Role::Applicant, 30), child],
        IdentityRule::Anonymous,
        "members",
    );
    assert_eq!(v.iter().next().unwrap().field, "members[1].residence_days");
}
