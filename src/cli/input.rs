//! Input files: the human-friendly TOML or JSON documents a counsellor writes,
//! and how each maps to a request message.
//!
//! The format is chosen by the file name: `.toml` or `.json`. Field names are
//! those of the proto messages; enum values are the proto names without their
//! prefix, in lower case (`salary`, `every_four_weeks`, `other_adult`). Every
//! struct denies unknown fields, because a misspelt field that is silently
//! ignored (`lunch_at_shcool = true`) would change a försörjningsstöd figure
//! without anyone noticing.
//!
//! Amounts are passed to the server as the text written: a decimal string
//! (`"8200.50"`) or a whole number (`8200`). A number with a fraction written
//! without quotes is refused, since a TOML or JSON parser would read it as
//! binary floating point and could change the öre; the server does the one
//! authoritative check of every amount. Dates may be strings or TOML dates.
//!
//! The formats, field by field, are in the `*_FORMAT` texts below, which are
//! also the long `--help` of the commands that read them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

use super::names::{ProtoEnum, parse_name};
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

/// Long help of `budget calculate` and `budget save`.
pub const BUDGET_FORMAT: &str = concat!(
    "BUDGET FILE (.toml or .json; see examples/budget.toml)\n\n",
    "month = \"2026-03\"             # the month the budget is for\n\n",
    "# Members: only for `budget calculate`. `budget save` uses the saved\n",
    "# household's members and refuses a file that lists any.\n",
);

/// Long help of `households create` and `households update`.
pub const HOUSEHOLD_FORMAT: &str = "\
HOUSEHOLD FILE (.toml or .json; see examples/household.toml)

case_reference = \"2026-1234\"   # the municipality's own reference (optional)

Then one [[members]] table per person (see below). Adults need a
personal_identity_number. On update the member list replaces the stored one:
give `id = \"…\"` for a member to keep (as printed by `households get`), none for
a new member. The output of `--json households get ID` is accepted as an update
file; its id and revision must agree with the command line.";

/// Long help of `social-assistance`.
pub const SOCIAL_ASSISTANCE_FORMAT: &str = "\
SOCIAL ASSISTANCE FILE (.toml or .json; see examples/social-assistance.toml)

month = \"2026-03\"            # the month the assistance is for
household_id = \"…\"           # a saved household, or leave it out and list [[members]]
rent_cap = \"9500\"            # the municipality's cap on accepted housing cost (optional)

[[costs]]                    # reasonable costs, paid at their actual amount
kind = \"rent\"                # rent | household_electricity | work_travel | home_insurance |
                             # union_and_unemployment_fund | childcare
amount = \"7900\"
frequency = \"monthly\"
description = \"hyra\"         # optional

Incomes as [[incomes]] tables, as in a budget file (see below).";

/// Long help of `protected-amount` and `skuldsanering`.
pub const DEBT_CASE_FORMAT: &str = "\
DEBT CASE FILE (.toml or .json; see examples/skuldsanering.toml)

month = \"2026-03\"              # the normalbelopp table in force then is used
household_id = \"…\"             # a saved household, or leave it out and list [[members]]
housing_cost = \"7000\"          # rent a month
net_income = \"20000\"           # net income a month (required for skuldsanering)
buffer = \"500\"                 # skuldsanering only: at least 500 (the default)
years = 5                      # skuldsanering only: 1 to 10 (default 5)

[[child_support]]              # support a child receives, reducing its normalbelopp
member_id = \"…\"                # with household_id; or member_index = 0 with [[members]]
barnbidrag = \"1250\"
underhallsstod = \"1673\"
studiebidrag = \"0\"

[[housing_allowances]]         # deducted from the housing cost
kind = \"bostadsbidrag\"         # bostadsbidrag | bostadstillagg | boendetillagg
amount = \"1200\"

[[additions]]                  # approved by Kronofogden
kind = \"work_travel\"           # work_travel | medicine_and_care | umgange | other
description = \"bil 12 mil\"
amount = \"300\"

[[claims]]                     # skuldsanering only; without claims, the household's open debts
creditor_name = \"Exempel Bank AB\"   # or debt_id = \"…\" for a registered debt
balance = \"120000\"

Members as [[members]] tables, as in a budget file.";

/// Long help of `norms import`.
pub const NORM_TABLE_FORMAT: &str = "\
NORM TABLE FILE (.toml or .json; see examples/norm-table-riksnorm-2099-example.toml)

id = \"riksnorm-2027\"          # a–z, 0–9 and '-'
kind = \"riksnorm\"             # riksnorm | normalbelopp | referensranta | reference_costs
valid_from = \"2027-01-01\"     # both inclusive
valid_to = \"2027-12-31\"
status = \"official\"           # official | provisional
source = \"SFS 2026:123\"       # where the figures are printed

[rows]                        # key = \"value\": kronor, or percent for referensranta
child_0 = \"2500\"

Row keys by kind:
  riksnorm: child_0, child_1_2, child_3, child_4_6, child_7_10, child_11_14,
    child_15_18, child_19_20, single_adult, cohabiting_pair, shared_1 … shared_7;
    optional child_0_no_lunch, child_1_2_no_lunch, child_3_no_lunch, child_4_6_no_lunch
  normalbelopp: single_adult, cohabiting_pair, child_0_6, child_7_10, child_11_14,
    child_15_plus
  referensranta: referensranta
  reference_costs: \"<category>.<band>\", e.g. \"food.age_31_60\" or \"media.size_2\";
    a sub-table also works: [rows.food] age_31_60 = \"2400\"";

/// The member and line formats, appended to the commands' long help.
pub fn members_and_lines_help() -> String {
    format!("MEMBERS\n\n{MEMBER_FORMAT}\n\nINCOMES AND EXPENSES\n\n{LINE_FORMAT}")
}

/// Why an input file could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the file name must end in .toml or .json", path.display())]
    Format { path: PathBuf },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{}: the file cannot be used:{}", path.display(), list(problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

/// One problem with a field of an otherwise well-formed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field's path, written like the server's (`members[0].id`).
    pub field: String,
    pub description: String,
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("\n  - {}: {}", p.field, p.description))
        .collect()
}

/// Reads and parses an input file, choosing TOML or JSON by its extension.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T, InputError> {
    let kind = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("toml") => Kind::Toml,
        Some("json") => Kind::Json,
        _ => {
            return Err(InputError::Format {
                path: path.to_owned(),
            });
        }
    };
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, kind).map_err(|message| InputError::Parse {
        path: path.to_owned(),
        message,
    })
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Toml,
    Json,
}

fn parse<T: DeserializeOwned>(text: &str, kind: Kind) -> Result<T, String> {
    match kind {
        // toml's message already points at the line and column, with the
        // offending text underlined.
        Kind::Toml => toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned()),
        Kind::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
    }
}

// ---------------------------------------------------------------------------
// Field types
// ---------------------------------------------------------------------------

/// A proto enum value written by its short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named<E>(pub E);

impl<'de, E: ProtoEnum> Deserialize<'de> for Named<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_name::<E>(&text).map(Named).map_err(de::Error::custom)
    }
}

impl<E: ProtoEnum> Named<E> {
    fn wire(self) -> i32 {
        self.0.into()
    }
}

/// An amount as the user wrote it: a decimal string or a whole number. The
/// text goes to the server unchanged; the server validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountText(pub String);

impl AmountText {
    fn money(self) -> Option<pb::Money> {
        Some(pb::Money { amount: self.0 })
    }
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = AmountText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // A number with a fraction reaches serde only as binary floating
        // point, which this visitor deliberately does not accept: the error
        // then tells the user to quote it.
        f.write_str("an amount as a quoted decimal string such as \"8200.50\" (or a whole number)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AmountText, E> {
        Ok(AmountText(v.to_owned()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// A calendar date: `"2026-03-01"`, or a bare TOML date `2026-03-01`. The
/// server checks the date itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = DateText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date as \"YYYY-MM-DD\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
        Ok(DateText(v.to_owned()))
    }

    /// A bare TOML date reaches serde as toml's private datetime map.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateText, A::Error> {
        let dt = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Ok(DateText(date.to_string())),
            _ => Err(de::Error::custom(format!(
                "expected a date without a time, such as 2026-03-01, not {dt}"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

// ---------------------------------------------------------------------------
// Members, incomes, expenses, costs
// ---------------------------------------------------------------------------

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
}

impl MemberInput {
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
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeInput {
    pub category: Named<pb::IncomeCategory>,
    pub amount: AmountText,
    pub frequency: Named<pb::Frequency>,
    #[serde(default)]
    pub description: Option<String>,
}

impl IncomeInput {
    fn into_proto(self) -> pb::Income {
        pb::Income {
            category: self.category.wire(),
            amount: self.amount.money(),
            frequency: self.frequency.wire(),
            description: self.description.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpenseInput {
    pub category: Named<pb::ExpenseCategory>,
    pub amount: AmountText,
    pub frequency: Named<pb::Frequency>,
    #[serde(default)]
    pub description: Option<String>,
}

impl ExpenseInput {
    fn into_proto(self) -> pb::Expense {
        pb::Expense {
            category: self.category.wire(),
            amount: self.amount.money(),
            frequency: self.frequency.wire(),
            description: self.description.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostInput {
    pub kind: Named<pb::ReasonableCostKind>,
    pub amount: AmountText,
    pub frequency: Named<pb::Frequency>,
    #[serde(default)]
    pub description: Option<String>,
}

impl CostInput {
    fn into_proto(self) -> pb::ReasonableCost {
        pb::ReasonableCost {
            kind: self.kind.wire(),
            amount: self.amount.money(),
            frequency: self.frequency.wire(),
            description: self.description.unwrap_or_default(),
        }
    }
}

/// Members of a calculation carry no ids: ids belong to saved households, and
/// a calculation given one would look as if it read the saved member.
fn calculation_members(members: Vec<MemberInput>, problems: &mut Vec<Problem>) -> Vec<pb::Member> {
    members
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            if m.id.as_deref().is_some_and(|id| !id.is_empty()) {
                problems.push(Problem {
                    field: format!("members[{i}].id"),
                    description: "member ids belong to saved households; remove it".into(),
                });
            }
            m.into_proto()
        })
        .collect()
}

fn finish<T>(path: &Path, problems: Vec<Problem>, value: T) -> Result<T, InputError> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(InputError::Invalid {
            path: path.to_owned(),
            problems,
        })
    }
}

// ---------------------------------------------------------------------------
// Budget
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    pub month: String,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub incomes: Vec<IncomeInput>,
    #[serde(default)]
    pub expenses: Vec<ExpenseInput>,
}

impl BudgetFile {
    /// The request of `budget calculate`.
    pub fn calculate_request(self, path: &Path) -> Result<pb::CalculateBudgetRequest, InputError> {
        let mut problems = Vec::new();
        let members = calculation_members(self.members, &mut problems);
        let request = pb::CalculateBudgetRequest {
            month: self.month,
            members,
            incomes: self
                .incomes
                .into_iter()
                .map(IncomeInput::into_proto)
                .collect(),
            expenses: self
                .expenses
                .into_iter()
                .map(ExpenseInput::into_proto)
                .collect(),
        };
        finish(path, problems, request)
    }

    /// The request of `budget save`: the saved household's members are used,
    /// so a file listing members is refused rather than silently ignored.
    pub fn create_request(
        self,
        path: &Path,
        household_id: String,
    ) -> Result<pb::CreateBudgetRequest, InputError> {
        let mut problems = Vec::new();
        if !self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: "a saved budget uses the saved household's members; remove the [[members]] tables (or use `budget calculate`)".into(),
            });
        }
        let request = pb::CreateBudgetRequest {
            household_id,
            month: self.month,
            incomes: self
                .incomes
                .into_iter()
                .map(IncomeInput::into_proto)
                .collect(),
            expenses: self
                .expenses
                .into_iter()
                .map(ExpenseInput::into_proto)
                .collect(),
        };
        finish(path, problems, request)
    }
}

// ---------------------------------------------------------------------------
// Household
// ---------------------------------------------------------------------------

/// A household file. `id`, `revision`, `create_time` and `update_time` are
/// output fields, accepted only so that the `--json` output of `households
/// get` can be edited and sent back as an update.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdFile {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub revision: Option<i64>,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub case_reference: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
}

impl HouseholdFile {
    /// The request of `households create`.
    pub fn create_request(self, path: &Path) -> Result<pb::CreateHouseholdRequest, InputError> {
        let mut problems = Vec::new();
        if self.id.as_deref().is_some_and(|id| !id.is_empty()) {
            problems.push(Problem {
                field: "id".into(),
                description: "the server assigns the id of a new household; remove it".into(),
            });
        }
        if self.revision.is_some_and(|r| r != 0) {
            problems.push(Problem {
                field: "revision".into(),
                description: "a new household has no revision; remove it".into(),
            });
        }
        let household = pb::Household {
            case_reference: self.case_reference.unwrap_or_default(),
            members: self
                .members
                .into_iter()
                .map(MemberInput::into_proto)
                .collect(),
            ..Default::default()
        };
        finish(
            path,
            problems,
            pb::CreateHouseholdRequest {
                household: Some(household),
            },
        )
    }

    /// The request of `households update ID FILE --revision N`.
    pub fn update_request(
        self,
        path: &Path,
        id: String,
        revision: i64,
    ) -> Result<pb::UpdateHouseholdRequest, InputError> {
        let mut problems = Vec::new();
        if let Some(file_id) = self.id.as_deref().filter(|s| !s.is_empty())
            && file_id != id
        {
            problems.push(Problem {
                field: "id".into(),
                description: format!("the file is for household {file_id}, not {id}"),
            });
        }
        if let Some(file_revision) = self.revision
            && file_revision != revision
        {
            problems.push(Problem {
                field: "revision".into(),
                description: format!(
                    "the file says revision {file_revision} but --revision is {revision}"
                ),
            });
        }
        let household = pb::Household {
            id,
            revision,
            case_reference: self.case_reference.unwrap_or_default(),
            members: self
                .members
                .into_iter()
                .map(MemberInput::into_proto)
                .collect(),
            ..Default::default()
        };
        finish(
            path,
            problems,
            pb::UpdateHouseholdRequest {
                household: Some(household),
            },
        )
    }
}

// ---------------------------------------------------------------------------
// Social assistance
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocialAssistanceFile {
    pub month: String,
    #[serde(default)]
    pub household_id: Option<String>,
    #[serde(default)]
    pub rent_cap: Option<AmountText>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub costs: Vec<CostInput>,
    #[serde(default)]
    pub incomes: Vec<IncomeInput>,
}

impl SocialAssistanceFile {
    /// The request of `social-assistance FILE [--household-id ID]`. The
    /// service reads members either from a saved household or from the
    /// request; a file giving both is refused, since one list would be
    /// ignored without the counsellor knowing which.
    pub fn request(
        self,
        path: &Path,
        household_override: Option<String>,
    ) -> Result<pb::CalculateSocialAssistanceRequest, InputError> {
        let mut problems = Vec::new();
        let from_file = self.household_id.filter(|s| !s.is_empty());
        let household_id = match (from_file, household_override) {
            (Some(file), Some(flag)) if file != flag => {
                problems.push(Problem {
                    field: "household_id".into(),
                    description: format!("the file names {file} but --household-id is {flag}"),
                });
                flag
            }
            (file, flag) => flag.or(file).unwrap_or_default(),
        };
        if !household_id.is_empty() && !self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: "give either a household_id or [[members]], not both".into(),
            });
        }
        if household_id.is_empty() && self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: "give a household_id (or --household-id) or list the [[members]]"
                    .into(),
            });
        }
        let members = calculation_members(self.members, &mut problems);
        let request = pb::CalculateSocialAssistanceRequest {
            month: self.month,
            household_id,
            members,
            costs: self.costs.into_iter().map(CostInput::into_proto).collect(),
            incomes: self
                .incomes
                .into_iter()
                .map(IncomeInput::into_proto)
                .collect(),
            rent_cap: self.rent_cap.and_then(AmountText::money),
        };
        finish(path, problems, request)
    }
}

// ---------------------------------------------------------------------------
// Norm table
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormTableFile {
    pub id: String,
    pub kind: Named<pb::NormTableKind>,
    pub valid_from: DateText,
    pub valid_to: DateText,
    pub status: Named<pb::TableStatus>,
    pub source: String,
    pub rows: Rows,
}

impl NormTableFile {
    /// The request of `norms import`. Output-only fields (version, loaded_by,
    /// load_time, row labels) are not part of the file.
    pub fn request(self) -> pb::ImportNormTableRequest {
        pb::ImportNormTableRequest {
            norm_table: Some(pb::NormTable {
                id: self.id,
                kind: self.kind.wire(),
                valid_from: self.valid_from.0,
                valid_to: self.valid_to.0,
                status: self.status.wire(),
                source: self.source,
                rows: self
                    .rows
                    .0
                    .into_iter()
                    .map(|(key, value)| pb::NormTableRow {
                        key,
                        value: value.0,
                        label: String::new(),
                    })
                    .collect(),
                ..Default::default()
            }),
        }
    }
}

/// The rows of a norm table, keyed as the service keys them. A TOML sub-table
/// is flattened with dots (`[rows.food] age_0 = "1"` is the row `food.age_0`),
/// because a reference-costs table is far easier to write that way than with
/// a quoted dotted key on every line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows(pub BTreeMap<String, AmountText>);

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut rows = BTreeMap::new();
        flatten(
            String::new(),
            RowValue::deserialize(deserializer)?,
            &mut rows,
        )
        .map_err(de::Error::custom)?;
        Ok(Rows(rows))
    }
}

enum RowValue {
    Value(AmountText),
    Table(Vec<(String, RowValue)>),
}

fn flatten(
    prefix: String,
    value: RowValue,
    rows: &mut BTreeMap<String, AmountText>,
) -> Result<(), String> {
    match value {
        RowValue::Value(v) => {
            if prefix.is_empty() {
                return Err("`rows` must be a table of key = \"value\"".into());
            }
            if rows.insert(prefix.clone(), v).is_some() {
                return Err(format!("the row \"{prefix}\" is given twice"));
            }
        }
        RowValue::Table(entries) => {
            for (key, inner) in entries {
                let full = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(full, inner, rows)?;
            }
        }
    }
    Ok(())
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = RowValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row value as a quoted decimal string such as \"4390\" or \"2.25\", or a table of rows")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RowValue, E> {
        Ok(RowValue::Value(AmountText(v.to_owned())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RowValue, E> {
        Ok(RowValue::Value(AmountText(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RowValue, E> {
        Ok(RowValue::Value(AmountText(v.to_string())))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RowValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            // A bare TOML date arrives as a map under toml's private key.
            if key.starts_with("$__toml") {
                return Err(de::Error::custom(
                    "a row value must be a quoted decimal string, not a date",
                ));
            }
            entries.push((key, map.next_value::<RowValue>()?));
        }
        Ok(RowValue::Table(entries))
    }
}

impl<'de> Deserialize<'de> for RowValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RowVisitor)
    }
}

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------
// Debt cases: förbehållsbelopp and skuldsanering
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildSupportInput {
    #[serde(default)]
    pub member_id: Option<String>,
    #[serde(default)]
    pub member_index: Option<i32>,
    #[serde(default)]
    pub barnbidrag: Option<AmountText>,
    #[serde(default)]
    pub underhallsstod: Option<AmountText>,
    #[serde(default)]
    pub studiebidrag: Option<AmountText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HousingAllowanceInput {
    pub kind: Named<pb::HousingAllowanceKind>,
    pub amount: AmountText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdditionInput {
    pub kind: Named<pb::AdditionKind>,
    #[serde(default)]
    pub description: String,
    pub amount: AmountText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    #[serde(default)]
    pub debt_id: Option<String>,
    #[serde(default)]
    pub creditor_name: Option<String>,
    #[serde(default)]
    pub balance: Option<AmountText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtCaseFile {
    pub month: String,
    #[serde(default)]
    pub household_id: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub child_support: Vec<ChildSupportInput>,
    pub housing_cost: AmountText,
    #[serde(default)]
    pub housing_allowances: Vec<HousingAllowanceInput>,
    #[serde(default)]
    pub additions: Vec<AdditionInput>,
    #[serde(default)]
    pub net_income: Option<AmountText>,
    #[serde(default)]
    pub buffer: Option<AmountText>,
    #[serde(default)]
    pub years: Option<i32>,
    #[serde(default)]
    pub claims: Vec<ClaimInput>,
}

impl DebtCaseFile {
    /// The shared part, with the checks both commands make.
    fn input(
        self,
        household_override: Option<String>,
        problems: &mut Vec<Problem>,
    ) -> (pb::ProtectedAmountInput, Self) {
        let from_file = self.household_id.clone().filter(|s| !s.is_empty());
        let household_id = match (from_file, household_override) {
            (Some(file), Some(flag)) if file != flag => {
                problems.push(Problem {
                    field: "household_id".into(),
                    description: format!("the file names {file} but --household-id is {flag}"),
                });
                flag
            }
            (file, flag) => flag.or(file).unwrap_or_default(),
        };
        if household_id.is_empty() == self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: "give either a household_id (or --household-id) or the [[members]]"
                    .into(),
            });
        }
        let members = calculation_members(self.members.clone(), problems);
        let input = pb::ProtectedAmountInput {
            month: self.month.clone(),
            household_id,
            members,
            child_support: self
                .child_support
                .iter()
                .cloned()
                .map(|c| pb::ChildSupport {
                    member_id: c.member_id.unwrap_or_default(),
                    member_index: c.member_index.unwrap_or_default(),
                    barnbidrag: c.barnbidrag.and_then(AmountText::money),
                    underhallsstod: c.underhallsstod.and_then(AmountText::money),
                    studiebidrag: c.studiebidrag.and_then(AmountText::money),
                })
                .collect(),
            housing_cost: self.housing_cost.clone().money(),
            housing_allowances: self
                .housing_allowances
                .iter()
                .cloned()
                .map(|a| pb::HousingAllowance {
                    kind: a.kind.wire(),
                    amount: a.amount.money(),
                })
                .collect(),
            additions: self
                .additions
                .iter()
                .cloned()
                .map(|a| pb::Addition {
                    kind: a.kind.wire(),
                    description: a.description,
                    amount: a.amount.money(),
                })
                .collect(),
        };
        (input, self)
    }

    /// The request of `protected-amount FILE`.
    pub fn protected_request(
        self,
        path: &Path,
        household_override: Option<String>,
    ) -> Result<pb::CalculateProtectedAmountRequest, InputError> {
        let mut problems = Vec::new();
        let (input, file) = self.input(household_override, &mut problems);
        for (set, field) in [
            (file.buffer.is_some(), "buffer"),
            (file.years.is_some(), "years"),
            (!file.claims.is_empty(), "claims"),
        ] {
            if set {
                problems.push(Problem {
                    field: field.into(),
                    description: "only for skuldsanering".into(),
                });
            }
        }
        let request = pb::CalculateProtectedAmountRequest {
            input: Some(input),
            net_income: file.net_income.and_then(AmountText::money),
        };
        finish(path, problems, request)
    }

    /// The request of `skuldsanering FILE`.
    pub fn restructuring_request(
        self,
        path: &Path,
        household_override: Option<String>,
    ) -> Result<pb::EstimateDebtRestructuringRequest, InputError> {
        let mut problems = Vec::new();
        let (input, file) = self.input(household_override, &mut problems);
        if file.net_income.is_none() {
            problems.push(Problem {
                field: "net_income".into(),
                description: "required: the net income a month".into(),
            });
        }
        let request = pb::EstimateDebtRestructuringRequest {
            input: Some(input),
            net_income: file.net_income.and_then(AmountText::money),
            buffer: file.buffer.and_then(AmountText::money),
            years: file.years.unwrap_or_default(),
            claims: file
                .claims
                .into_iter()
                .map(|c| pb::CreditorClaim {
                    debt_id: c.debt_id.unwrap_or_default(),
                    creditor_name: c.creditor_name.unwrap_or_default(),
                    balance: c.balance.and_then(AmountText::money),
                })
                .collect(),
        };
        finish(path, problems, request)
    }
}
