//! Households and their members, as the riksnorm counts them.
//!
//! A household has exactly one applicant, at most one partner (make, maka,
//! registrerad partner or sambo), children under 21 whom the adults support,
//! and possibly other adults who live there without being the applicant's
//! partner. Adults of a saved household carry a personnummer or
//! samordningsnummer; children may.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

use super::error::Violations;
use super::identity::PersonalIdentityNumber;
use super::names::PostalAddress;
use super::unit::UnitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Applicant,
    Partner,
    Child,
    OtherAdult,
}

impl Role {
    pub fn is_adult(self) -> bool {
        !matches!(self, Role::Child)
    }

    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Partner => "partner",
            Role::Child => "child",
            Role::OtherAdult => "other_adult",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<Role> {
        Some(match s {
            "applicant" => Role::Applicant,
            "partner" => Role::Partner,
            "child" => Role::Child,
            "other_adult" => Role::OtherAdult,
            _ => return None,
        })
    }

    /// Swedish word for explanations.
    pub fn label(self) -> &'static str {
        match self {
            Role::Applicant => "sökande",
            Role::Partner => "make/maka/sambo",
            Role::Child => "barn",
            Role::OtherAdult => "annan vuxen",
        }
    }
}

/// How a member's age is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBasis {
    BirthDate(NaiveDate),
    /// Whole years on the first day of the month of a calculation; only for
    /// stateless calculations.
    Years(u32),
}

/// A child who lives in the household `days` of every `period` days
/// (växelvis boende). Its personal cost counts pro rata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Residence {
    pub days: u32,
    pub period: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: Option<Uuid>,
    pub role: Role,
    pub age: AgeBasis,
    pub personal_identity_number: Option<PersonalIdentityNumber>,
    pub residence: Option<Residence>,
    pub lunch_at_school: bool,
    /// Given and family name for the letters; empty when not given.
    pub given_name: String,
    pub family_name: String,
}

impl Member {
    /// Age in whole years on `date`; `None` if born after it.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        match self.age {
            AgeBasis::Years(years) => Some(years),
            AgeBasis::BirthDate(birth) => age_on(birth, date),
        }
    }

    /// "Anna Berg", or what of it is given; empty without a name.
    pub fn full_name(&self) -> String {
        [self.given_name.as_str(), self.family_name.as_str()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        match self.age {
            AgeBasis::BirthDate(d) => Some(d),
            AgeBasis::Years(_) => None,
        }
    }
}

/// Whole years from `birth` to `date`; `None` when `birth` is after `date`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> Option<u32> {
    if birth > date {
        return None;
    }
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub id: Uuid,
    pub case_reference: String,
    pub members: Vec<Member>,
    /// How letters name the household; empty when not given.
    pub display_name: String,
    /// Where letters to the household go.
    pub postal_address: Option<PostalAddress>,
    /// The unit that handles the case: only callers of that unit (or of
    /// all units) see the household.
    pub unit: UnitCode,
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a household's details must be before it is saved or updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdDraft {
    pub case_reference: String,
    pub members: Vec<Member>,
    pub display_name: String,
    pub postal_address: Option<PostalAddress>,
}

/// Whether personal identity numbers are required of adults: yes for saved
/// households, no for an anonymous calculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityRule {
    AdultsIdentified,
    Anonymous,
}

pub const MAX_CASE_REFERENCE_CHARS: usize = 100;
pub const MAX_MEMBERS: usize = 30;

/// Checks the make-up of a member list; `path` is the request path of the
/// list (e.g. `household.members`).
pub fn check_members(members: &[Member], rule: IdentityRule, path: &str) -> Violations {
    let mut v = Violations::new();
    if members.is_empty() {
        v.add(
            path,
            "HOUSEHOLD_COMPOSITION",
            "a household needs at least its applicant (an adult)",
        );
        return v;
    }
    if members.len() > MAX_MEMBERS {
        v.add(
            path,
            "OUT_OF_RANGE",
            format!("at most {MAX_MEMBERS} members"),
        );
    }
    let applicants = members.iter().filter(|m| m.role == Role::Applicant).count();
    let partners = members.iter().filter(|m| m.role == Role::Partner).count();
    if applicants == 0 {
        v.add(
            path,
            "HOUSEHOLD_COMPOSITION",
            "a household needs exactly one applicant (an adult); none is given",
        );
    } else if applicants > 1 {
        v.add(path, "HOUSEHOLD_COMPOSITION", "a household has exactly one applicant; register the other adult as PARTNER or OTHER_ADULT");
    }
    if partners > 1 {
        v.add(
            path,
            "HOUSEHOLD_COMPOSITION",
            "an applicant has at most one partner",
        );
    }
    for (i, member) in members.iter().enumerate() {
        let field = |name: &str| format!("{path}[{i}].{name}");
        if member.role.is_adult()
            && rule == IdentityRule::AdultsIdentified
            && member.personal_identity_number.is_none()
        {
            v.add(
                field("personal_identity_number"),
                "REQUIRED",
                "required for an adult of a saved household",
            );
        }
        if member.role != Role::Child {
            if member.residence.is_some() {
                v.add(
                    field("residence_days"),
                    "CHILD_ONLY",
                    "only a child can live part time in the household",
                );
            }
            if member.lunch_at_school {
                v.add(
                    field("lunch_at_school"),
                    "CHILD_ONLY",
                    "only applies to a child",
                );
            }
        }
        if let Some(r) = member.residence {
            if r.days == 0 || r.period == 0 {
                v.add(
                    field("residence_days"), "BOTH_OR_NEITHER",
                    "give both residence_days and residence_period_days (or neither, for full time)",
                );
            } else if r.days > r.period {
                v.add(
                    field("residence_days"),
                    "OUT_OF_RANGE",
                    "cannot exceed residence_period_days",
                );
            } else if r.period > 366 {
                v.add(
                    field("residence_period_days"),
                    "OUT_OF_RANGE",
                    "at most 366 days",
                );
            }
        }
        if let Some(pin) = &member.personal_identity_number {
            let earlier = members[..i]
                .iter()
                .any(|m| m.personal_identity_number.as_ref() == Some(pin));
            if earlier {
                v.add(
                    field("personal_identity_number"),
                    "DUPLICATE",
                    "the same person is listed twice",
                );
            }
        }
    }
    v
}

pub fn check_case_reference(reference: &str, field: &str) -> Violations {
    let mut v = Violations::new();
    if reference.chars().count() > MAX_CASE_REFERENCE_CHARS {
        v.add(
            field,
            "TOO_LONG",
            format!("at most {MAX_CASE_REFERENCE_CHARS} characters"),
        );
    }
    if reference.chars().any(char::is_control) {
        v.add(
            field,
            "CONTROL_CHARACTERS",
            "must not contain control characters",
        );
    }
    v
}

#[cfg(test)]
mod tests;
