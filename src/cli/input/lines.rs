//! Members, incomes, expenses and reasonable costs: the lists that budget,
//! household, social-assistance and debt-case files share.

use crate::cli::names::words::w;
use serde::Deserialize;

use super::{AmountText, DateText, Named, Problem};
use crate::pb;

/// What is shared by every file that lists members.
const MEMBER_FORMAT: &str = "\
[[members]]                  # one table per person, in order
role = \"applicant\"           # applicant | partner | child | other_adult
birth_date = \"1990-05-17\"    # YYYY-MM-DD; or leave it out and give:
personal_identity_number = \"19640823-3234\"  # personnummer/samordningsnummer (alias: personnummer)
age = 34                     # calculations only: age on the first day of the month
lunch_at_school = true       # children: eats lunch at school/preschool 5 days a week
residence_days = 7           # part-time child (växelvis boende): lives here 7 days
residence_period_days = 14   #   of every 14";

const LINE_FORMAT: &str = "\
[[incomes]]
category = \"salary\"          # salary | pension | sickness_benefit | parental_benefit |
                             # unemployment_benefit | activity_support | child_allowance |
                             # housing_allowance | maintenance_support | student_aid | other
amount = \"21500.00\"          # per occurrence: a decimal string, or a whole number
frequency = \"monthly\"        # monthly | weekly | every_four_weeks | quarterly | yearly | one_off
description = \"lön\"          # optional free text

[[expenses]]
category = \"rent\"            # rent | household_electricity | home_insurance | work_travel |
                             # union_and_unemployment_fund | childcare | food | clothing |
                             # personal_hygiene | leisure | mobile_phone | child_insurance |
                             # baby_equipment | consumables | home_equipment | media |
                             # water_and_sewage | healthcare | transport | debt_payments |
                             # maintenance_paid | other
amount = \"8200\"
frequency = \"monthly\"";

/// The member and line formats, appended to the commands' long help.
pub fn members_and_lines_help() -> String {
    format!("MEMBERS\n\n{MEMBER_FORMAT}\n\nINCOMES AND EXPENSES\n\n{LINE_FORMAT}")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// Only when updating a saved household: the member to keep.
    #[serde(default)]
    pub id: Option<String>,
    pub role: Named<pb::MemberRole>,
    #[serde(default)]
    pub birth_date: Option<DateText>,
    #[serde(default, alias = "personnummer")]
    pub personal_identity_number: Option<String>,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub lunch_at_school: bool,
    #[serde(default)]
    pub residence_days: Option<u32>,
    #[serde(default)]
    pub residence_period_days: Option<u32>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
}

impl MemberInput {
    /// A whole list as the request takes it.
    pub(super) fn all(list: Vec<Self>) -> Vec<pb::Member> {
        list.into_iter().map(Self::into_proto).collect()
    }

    fn into_proto(self) -> pb::Member {
        pb::Member {
            id: self.id.unwrap_or_default(),
            role: self.role.wire(),
            birth_date: self.birth_date.map(|d| d.0).unwrap_or_default(),
            personal_identity_number: self.personal_identity_number.unwrap_or_default(),
            residence_days: self.residence_days.unwrap_or_default(),
            residence_period_days: self.residence_period_days.unwrap_or_default(),
            lunch_at_school: self.lunch_at_school,
            age: self.age,
            given_name: self.given_name.unwrap_or_default(),
            family_name: self.family_name.unwrap_or_default(),
        }
    }
}

/// A line of an income, expense or reasonable-cost list: the three differ
/// only in the enum that names the line and the proto message it becomes.
macro_rules! line_input {
    ($(#[$doc:meta])* $name:ident, $field:ident: $enum:ty => $proto:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub $field: Named<$enum>,
            pub amount: AmountText,
            pub frequency: Named<pb::Frequency>,
            #[serde(default)]
            pub description: Option<String>,
        }

        impl $name {
            pub(super) fn into_proto(self) -> pb::$proto {
                pb::$proto {
                    $field: self.$field.wire(),
                    amount: self.amount.money(),
                    frequency: self.frequency.wire(),
                    description: self.description.unwrap_or_default(),
                }
            }

            /// A whole list as the request takes it.
            pub(super) fn all(list: Vec<Self>) -> Vec<pb::$proto> {
                list.into_iter().map(Self::into_proto).collect()
            }
        }
    };
}

line_input!(
    /// An `[[incomes]]` line.
    IncomeInput, category: pb::IncomeCategory => Income
);
line_input!(
    /// An `[[expenses]]` line.
    ExpenseInput, category: pb::ExpenseCategory => Expense
);
line_input!(
    /// A `[[costs]]` line of a social-assistance file.
    CostInput, kind: pb::ReasonableCostKind => ReasonableCost
);

/// Members of a calculation carry no ids: ids belong to saved households, and
/// a calculation given one would look as if it read the saved member.
pub(super) fn calculation_members(
    members: Vec<MemberInput>,
    problems: &mut Vec<Problem>,
) -> Vec<pb::Member> {
    members
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            if m.id.as_deref().is_some_and(|id| !id.is_empty()) {
                problems.push(Problem {
                    field: format!("members[{i}].id"),
                    description: w("medlems-id hör till sparade hushåll; ta bort det").into(),
                });
            }
            m.into_proto()
        })
        .collect()
}
