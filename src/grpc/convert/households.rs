//! Households and their members: the member list a saved household or a
//! stateless calculation gives, and the household message.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{date, enum_value, timestamp};
use crate::domain::error::Violations;
use crate::domain::household::{
    AgeBasis, Household, HouseholdDraft, IdentityRule, Member, Residence, Role,
    check_case_reference, check_members,
};
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::names::{self, PostalAddress};
use crate::domain::unit::{UNIT_CODE_RULE, UnitCode};
use crate::pb;

/// Where a member list comes from decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSource {
    /// A saved household: birth dates (or identity numbers) required.
    Saved,
    /// A stateless calculation: an age in years is enough.
    Stateless,
}

pub fn role_to_pb(role: Role) -> pb::MemberRole {
    match role {
        Role::Applicant => pb::MemberRole::Applicant,
        Role::Partner => pb::MemberRole::Partner,
        Role::Child => pb::MemberRole::Child,
        Role::OtherAdult => pb::MemberRole::OtherAdult,
    }
}

pub fn member(
    path: &str,
    member: &pb::Member,
    source: MemberSource,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<Member> {
    let pb::Member {
        id,
        role,
        birth_date,
        personal_identity_number,
        residence_days,
        residence_period_days,
        lunch_at_school,
        age,
        given_name,
        family_name,
    } = member;
    let f = |name: &str| format!("{path}.{name}");
    names::check_name(given_name, &f("given_name"), v);
    names::check_name(family_name, &f("family_name"), v);
    let id = if id.is_empty() {
        None
    } else {
        v.check(
            f("id"),
            "ID_INVALID",
            Uuid::parse_str(id).map_err(|_| "not a member id of this service (a UUID)"),
        )
    };
    let role = enum_value(
        &f("role"),
        *role,
        |r: pb::MemberRole| match r {
            pb::MemberRole::Unspecified => None,
            pb::MemberRole::Applicant => Some(Role::Applicant),
            pb::MemberRole::Partner => Some(Role::Partner),
            pb::MemberRole::Child => Some(Role::Child),
            pb::MemberRole::OtherAdult => Some(Role::OtherAdult),
        },
        v,
    );
    let pin = if personal_identity_number.is_empty() {
        None
    } else {
        v.check(
            f("personal_identity_number"),
            "PERSONNUMMER_INVALID",
            PersonalIdentityNumber::parse(personal_identity_number, today),
        )
    };
    let birth = if birth_date.is_empty() {
        None
    } else {
        date(&f("birth_date"), birth_date, v)
    };
    if let Some(b) = birth {
        if b > today {
            v.add(f("birth_date"), "IN_FUTURE", "is in the future");
        }
        if let Some(p) = &pin
            && p.birth_date() != b
        {
            v.add(
                f("birth_date"),
                "BIRTH_DATE_MISMATCH",
                "does not match the personal identity number",
            );
        }
    }
    let age_basis = match (birth.or_else(|| pin.as_ref().map(|p| p.birth_date())), age) {
        (Some(b), None) => Some(AgeBasis::BirthDate(b)),
        (Some(_), Some(_)) => {
            v.add(
                f("age"),
                "NOT_BOTH",
                "give either an age or a birth date, not both",
            );
            None
        }
        (None, Some(years)) if source == MemberSource::Stateless => {
            if *years > 130 {
                v.add(f("age"), "OUT_OF_RANGE", "at most 130");
            }
            Some(AgeBasis::Years(*years))
        }
        (None, Some(_)) => {
            v.add(
                f("birth_date"),
                "REQUIRED",
                "required for a saved household (an age is only enough for a calculation)",
            );
            None
        }
        (None, None) => {
            if birth_date.is_empty() && personal_identity_number.is_empty() {
                v.add(
                    f("birth_date"),
                    "REQUIRED",
                    match source {
                        MemberSource::Saved => "required (or a personal_identity_number)",
                        MemberSource::Stateless => {
                            "required (or a personal_identity_number, or an age)"
                        }
                    },
                );
            }
            None
        }
    };
    let residence = match (residence_days, residence_period_days) {
        (0, 0) => None,
        (days, period) => Some(Residence {
            days: *days,
            period: *period,
        }),
    };
    Some(Member {
        id,
        role: role?,
        age: age_basis?,
        personal_identity_number: pin,
        residence,
        lunch_at_school: *lunch_at_school,
        given_name: given_name.clone(),
        family_name: family_name.clone(),
    })
}

/// Parses a member list; `None` if any member had a bad field (recorded).
pub fn members(
    path: &str,
    list: &[pb::Member],
    source: MemberSource,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<Vec<Member>> {
    let before = v.iter().count();
    let parsed: Vec<Option<Member>> = list
        .iter()
        .enumerate()
        .map(|(i, m)| member(&format!("{path}[{i}]"), m, source, today, v))
        .collect();
    if v.iter().count() != before {
        return None;
    }
    parsed.into_iter().collect()
}

pub fn member_to_pb(member: &Member) -> pb::Member {
    let (residence_days, residence_period_days) =
        member.residence.map_or((0, 0), |r| (r.days, r.period));
    let (birth_date, age) = match member.age {
        AgeBasis::BirthDate(d) => (d.format("%Y-%m-%d").to_string(), None),
        AgeBasis::Years(y) => (String::new(), Some(y)),
    };
    pb::Member {
        id: member.id.map(|u| u.to_string()).unwrap_or_default(),
        role: role_to_pb(member.role) as i32,
        birth_date,
        personal_identity_number: member
            .personal_identity_number
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        residence_days,
        residence_period_days,
        lunch_at_school: member.lunch_at_school,
        age,
        given_name: member.given_name.clone(),
        family_name: member.family_name.clone(),
    }
}

/// A postal address message at `path`: None when every field is empty.
pub fn postal_address(
    path: &str,
    a: Option<&pb::PostalAddress>,
    v: &mut Violations,
) -> Option<PostalAddress> {
    let a = a?;
    names::address(
        path,
        &a.care_of,
        &a.street_address,
        &a.postal_code,
        &a.town,
        v,
    )
}

pub fn postal_address_to_pb(a: &Option<PostalAddress>) -> Option<pb::PostalAddress> {
    a.as_ref().map(|a| pb::PostalAddress {
        care_of: a.care_of.clone(),
        street_address: a.street.clone(),
        postal_code: a.postal_code.clone(),
        town: a.town.clone(),
    })
}

pub fn household_to_pb(h: &Household) -> pb::Household {
    pb::Household {
        id: h.id.to_string(),
        case_reference: h.case_reference.clone(),
        members: h.members.iter().map(member_to_pb).collect(),
        revision: h.revision,
        create_time: Some(timestamp(h.created_at)),
        update_time: Some(timestamp(h.updated_at)),
        unit: h.unit.to_string(),
        display_name: h.display_name.clone(),
        postal_address: postal_address_to_pb(&h.postal_address),
    }
}

/// A unit code at `path`; empty is None (no unit given), an invalid code a
/// violation.
pub fn optional_unit(path: &str, text: &str, v: &mut Violations) -> Option<UnitCode> {
    if text.is_empty() {
        return None;
    }
    let unit = UnitCode::parse(text);
    if unit.is_none() {
        v.add(path, "UNIT_CODE_INVALID", UNIT_CODE_RULE);
    }
    unit
}

pub fn required_household(household: Option<pb::Household>, v: &mut Violations) -> pb::Household {
    household.unwrap_or_else(|| {
        v.add("household", "REQUIRED", "required");
        pb::Household::default()
    })
}

/// The editable part of a household message, checked in full.
pub fn household_draft(
    household: &pb::Household,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<HouseholdDraft> {
    let pb::Household {
        case_reference,
        members,
        // Output only, or used by the caller (id, revision on update).
        id: _,
        revision: _,
        create_time: _,
        update_time: _,
        // Create and update decide what it means.
        unit: _,
        display_name,
        postal_address,
    } = household;
    v.extend(check_case_reference(
        case_reference,
        "household.case_reference",
    ));
    names::check_name(display_name, "household.display_name", v);
    let postal_address =
        self::postal_address("household.postal_address", postal_address.as_ref(), v);
    let members = self::members("household.members", members, MemberSource::Saved, today, v)?;
    v.extend(check_members(
        &members,
        IdentityRule::AdultsIdentified,
        "household.members",
    ));
    Some(HouseholdDraft {
        case_reference: case_reference.clone(),
        members,
        display_name: display_name.clone(),
        postal_address,
    })
}

/// The members of a stateless calculation, given inline under `path`: each
/// parsed, and the list checked as an anonymous household.
pub fn stateless_members(
    path: &str,
    list: &[pb::Member],
    today: NaiveDate,
    v: &mut Violations,
) -> Option<Vec<Member>> {
    let parsed = members(path, list, MemberSource::Stateless, today, v);
    if let Some(parsed) = &parsed {
        v.extend(check_members(parsed, IdentityRule::Anonymous, path));
    }
    parsed
}

/// A personnummer or samordningsnummer to look a household up by.
pub fn personal_identity_number(
    field: &str,
    text: &str,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<PersonalIdentityNumber> {
    if text.is_empty() {
        v.add(field, "REQUIRED", "required");
        return None;
    }
    v.check(
        field,
        "PERSONNUMMER_INVALID",
        PersonalIdentityNumber::parse(text, today),
    )
}

#[cfg(test)]
mod tests;
