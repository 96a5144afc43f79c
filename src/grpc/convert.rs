//! Conversions between proto messages and domain types. Requests are parsed
//! here, once, into the domain's newtypes ("parse, don't validate"); every
//! problem is recorded against the field's request path so that a caller
//! learns of all bad fields at once. Messages are destructured in full, so a
//! new proto field breaks the build until it is handled here.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use prost_types::Timestamp;
use uuid::Uuid;

use crate::domain::budget::{
    BudgetResult, Comparison, Entry, ExpenseCategory, Frequency, IncomeCategory, MonthlyLine,
    ReasonableCostKind,
};
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::explain::{Basis, Line};
use crate::domain::household::{AgeBasis, Household, Member, Residence, Role};
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::money::Money;
use crate::domain::norms::{
    NormKind, NormTable, NormTableDraft, TableRef, TableStatus, row_label, row_position,
};
use crate::domain::riksnorm::NormUnit;
use crate::pb;

/// Page sizes of every List call: the default when 0 is asked, and the most
/// one page holds (a larger request is served with the maximum).
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;

// ------------------------------------------------------------ scalar parsing

pub fn page_size(field: &str, size: i32, v: &mut Violations) -> u32 {
    match size {
        0 => DEFAULT_PAGE_SIZE,
        n if n < 0 => {
            v.add(field, "must not be negative");
            DEFAULT_PAGE_SIZE
        }
        n => (n as u32).min(MAX_PAGE_SIZE),
    }
}

/// A page token is the id of the last item of the previous page.
pub fn page_token(field: &str, token: &str, v: &mut Violations) -> Option<Uuid> {
    if token.is_empty() {
        return None;
    }
    v.check(
        field,
        Uuid::parse_str(token).map_err(|_| "not a page token from this service"),
    )
}

/// An idempotent write's request id (a UUID the caller chooses), and a
/// SHA-256 of the rest of the request, which tells a retry from a different
/// request that reuses the id.
pub fn idempotency<M: prost::Message>(
    request_id: &str,
    rest: &M,
    v: &mut Violations,
) -> Option<crate::store::Idempotency> {
    use sha2::{Digest, Sha256};
    let id = uuid("request_id", request_id, v)?;
    let hash = Sha256::digest(rest.encode_to_vec());
    Some(crate::store::Idempotency {
        request_id: id,
        request_hash: hash.iter().map(|b| format!("{b:02x}")).collect(),
    })
}

/// A page token that is the (positive) sequence number of the last item of
/// the previous page.
pub fn sequence_token(field: &str, token: &str, v: &mut Violations) -> Option<i64> {
    if token.is_empty() {
        return None;
    }
    v.check(
        field,
        token
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or("not a page token from this service"),
    )
}

/// Free text: required when `required`, at most `max` characters, no
/// control characters.
pub fn text(field: &str, value: &str, max: usize, required: bool, v: &mut Violations) {
    if required && value.trim().is_empty() {
        v.add(field, "required");
    } else if value.chars().count() > max {
        v.add(field, format!("at most {max} characters"));
    } else if value.chars().any(char::is_control) {
        v.add(field, "must not contain control characters");
    }
}

/// The day something happened: given and not after today, or today when
/// left empty.
pub fn past_date(
    field: &str,
    value: &str,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<NaiveDate> {
    if value.is_empty() {
        return Some(today);
    }
    let day = date(field, value, v)?;
    if day > today {
        v.add(field, "must not be in the future");
        return None;
    }
    Some(day)
}

pub fn uuid(field: &str, text: &str, v: &mut Violations) -> Option<Uuid> {
    if text.is_empty() {
        v.add(field, "required");
        return None;
    }
    v.check(
        field,
        Uuid::parse_str(text).map_err(|_| "not an id of this service (a UUID)"),
    )
}

pub fn month(field: &str, text: &str, v: &mut Violations) -> Option<YearMonth> {
    if text.is_empty() {
        v.add(field, "required, as YYYY-MM");
        return None;
    }
    v.check(
        field,
        YearMonth::parse(text).ok_or("a month as YYYY-MM, such as 2026-03"),
    )
}

pub fn date(field: &str, text: &str, v: &mut Violations) -> Option<NaiveDate> {
    if text.is_empty() {
        v.add(field, "required, as YYYY-MM-DD");
        return None;
    }
    v.check(
        field,
        parse_date(text).ok_or("a date as YYYY-MM-DD, such as 2026-03-01"),
    )
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    // Exactly YYYY-MM-DD: chrono alone would also accept "2026-3-1".
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A required amount that may be negative only where `allow_negative`.
fn money_inner(
    field: &str,
    money: Option<&pb::Money>,
    non_negative: bool,
    v: &mut Violations,
) -> Option<Money> {
    let Some(pb::Money { amount }) = money else {
        v.add(field, "required, as a decimal string such as \"1234.50\"");
        return None;
    };
    let parsed = if non_negative {
        Money::parse_non_negative(amount)
    } else {
        Money::parse(amount)
    };
    v.check(field, parsed)
}

pub fn money_non_negative(
    field: &str,
    money: Option<&pb::Money>,
    v: &mut Violations,
) -> Option<Money> {
    money_inner(field, money, true, v)
}

/// A proto enum field: unknown numbers and UNSPECIFIED are violations.
pub fn enum_value<E: TryFrom<i32>, T>(
    field: &str,
    raw: i32,
    map: impl Fn(E) -> Option<T>,
    v: &mut Violations,
) -> Option<T> {
    match E::try_from(raw) {
        Ok(e) => match map(e) {
            Some(t) => Some(t),
            None => {
                v.add(field, "required: choose one of the enum's values");
                None
            }
        },
        Err(_) => {
            v.add(field, format!("unknown enum value {raw}"));
            None
        }
    }
}

pub fn frequency(field: &str, raw: i32, v: &mut Violations) -> Option<Frequency> {
    enum_value(
        field,
        raw,
        |f: pb::Frequency| match f {
            pb::Frequency::Unspecified => None,
            pb::Frequency::Monthly => Some(Frequency::Monthly),
            pb::Frequency::Weekly => Some(Frequency::Weekly),
            pb::Frequency::EveryFourWeeks => Some(Frequency::EveryFourWeeks),
            pb::Frequency::Quarterly => Some(Frequency::Quarterly),
            pb::Frequency::Yearly => Some(Frequency::Yearly),
            pb::Frequency::OneOff => Some(Frequency::OneOff),
        },
        v,
    )
}

pub fn frequency_to_pb(f: Frequency) -> pb::Frequency {
    match f {
        Frequency::Monthly => pb::Frequency::Monthly,
        Frequency::Weekly => pb::Frequency::Weekly,
        Frequency::EveryFourWeeks => pb::Frequency::EveryFourWeeks,
        Frequency::Quarterly => pb::Frequency::Quarterly,
        Frequency::Yearly => pb::Frequency::Yearly,
        Frequency::OneOff => pb::Frequency::OneOff,
    }
}

pub const MAX_DESCRIPTION_CHARS: usize = 200;
pub const MAX_LINES: usize = 200;

fn description(field: &str, text: &str, v: &mut Violations) -> String {
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        v.add(field, format!("at most {MAX_DESCRIPTION_CHARS} characters"));
    }
    if text.chars().any(char::is_control) {
        v.add(field, "must not contain control characters");
    }
    text.to_owned()
}

// ------------------------------------------------------------------ members

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
    } = member;
    let f = |name: &str| format!("{path}.{name}");
    let id = if id.is_empty() {
        None
    } else {
        v.check(
            f("id"),
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
            v.add(f("birth_date"), "is in the future");
        }
        if let Some(p) = &pin
            && p.birth_date() != b
        {
            v.add(
                f("birth_date"),
                "does not match the personal identity number",
            );
        }
    }
    let age_basis = match (birth.or_else(|| pin.as_ref().map(|p| p.birth_date())), age) {
        (Some(b), None) => Some(AgeBasis::BirthDate(b)),
        (Some(_), Some(_)) => {
            v.add(f("age"), "give either an age or a birth date, not both");
            None
        }
        (None, Some(years)) if source == MemberSource::Stateless => {
            if *years > 130 {
                v.add(f("age"), "at most 130");
            }
            Some(AgeBasis::Years(*years))
        }
        (None, Some(_)) => {
            v.add(
                f("birth_date"),
                "required for a saved household (an age is only enough for a calculation)",
            );
            None
        }
        (None, None) => {
            if birth_date.is_empty() && personal_identity_number.is_empty() {
                v.add(
                    f("birth_date"),
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
    }
}

/// A wire instant, checked: nanos within a second, and a date chrono can
/// hold.
pub fn instant(field: &str, t: &Timestamp, v: &mut Violations) -> Option<DateTime<Utc>> {
    let nanos = u32::try_from(t.nanos).ok().filter(|n| *n < 1_000_000_000);
    v.check(
        field,
        nanos
            .and_then(|n| DateTime::from_timestamp(t.seconds, n))
            .ok_or("not a valid timestamp"),
    )
}

pub fn timestamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp {
        seconds: t.timestamp(),
        nanos: i32::try_from(t.timestamp_subsec_nanos()).unwrap_or(0),
    }
}

pub fn household_to_pb(h: &Household) -> pb::Household {
    pb::Household {
        id: h.id.to_string(),
        case_reference: h.case_reference.clone(),
        members: h.members.iter().map(member_to_pb).collect(),
        revision: h.revision,
        create_time: Some(timestamp(h.created_at)),
        update_time: Some(timestamp(h.updated_at)),
    }
}

// -------------------------------------------------------- incomes, expenses

pub fn money_to_pb(m: Money) -> Option<pb::Money> {
    Some(pb::Money {
        amount: m.to_wire(),
    })
}

fn entries<P, C>(
    path: &str,
    list: &[P],
    v: &mut Violations,
    split: impl Fn(&P) -> (i32, Option<&pb::Money>, i32, &str),
    category: impl Fn(&str, i32, &mut Violations) -> Option<C>,
) -> Vec<Entry<C>> {
    if list.len() > MAX_LINES {
        v.add(path, format!("at most {MAX_LINES} lines"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let (raw_category, amount, raw_frequency, text) = split(item);
        // A valid line needs no field paths: try it without building them
        // (this is the hot path of every budget), and name the fields only
        // when something is wrong.
        let mut quiet = Violations::new();
        let category_ok = category("", raw_category, &mut quiet);
        let amount_ok = money_non_negative("", amount, &mut quiet);
        let frequency_ok = frequency("", raw_frequency, &mut quiet);
        let description_ok = description("", text, &mut quiet);
        if let (true, Some(category), Some(amount), Some(frequency)) =
            (quiet.is_empty(), category_ok, amount_ok, frequency_ok)
        {
            out.push(Entry {
                category,
                amount,
                frequency,
                description: description_ok,
            });
            continue;
        }
        let p = format!("{path}[{i}]");
        let category = category(&format!("{p}.category"), raw_category, v);
        let amount = money_non_negative(&format!("{p}.amount"), amount, v);
        let frequency = frequency(&format!("{p}.frequency"), raw_frequency, v);
        let description = description(&format!("{p}.description"), text, v);
        if let (Some(category), Some(amount), Some(frequency)) = (category, amount, frequency) {
            out.push(Entry {
                category,
                amount,
                frequency,
                description,
            });
        }
    }
    out
}

fn income_category(field: &str, raw: i32, v: &mut Violations) -> Option<IncomeCategory> {
    use pb::IncomeCategory as P;
    enum_value(
        field,
        raw,
        |c: P| {
            Some(match c {
                P::Unspecified => return None,
                P::Salary => IncomeCategory::Salary,
                P::Pension => IncomeCategory::Pension,
                P::SicknessBenefit => IncomeCategory::SicknessBenefit,
                P::ParentalBenefit => IncomeCategory::ParentalBenefit,
                P::UnemploymentBenefit => IncomeCategory::UnemploymentBenefit,
                P::ActivitySupport => IncomeCategory::ActivitySupport,
                P::ChildAllowance => IncomeCategory::ChildAllowance,
                P::HousingAllowance => IncomeCategory::HousingAllowance,
                P::MaintenanceSupport => IncomeCategory::MaintenanceSupport,
                P::StudentAid => IncomeCategory::StudentAid,
                P::Other => IncomeCategory::Other,
            })
        },
        v,
    )
}

fn income_category_to_pb(c: IncomeCategory) -> pb::IncomeCategory {
    use pb::IncomeCategory as P;
    match c {
        IncomeCategory::Salary => P::Salary,
        IncomeCategory::Pension => P::Pension,
        IncomeCategory::SicknessBenefit => P::SicknessBenefit,
        IncomeCategory::ParentalBenefit => P::ParentalBenefit,
        IncomeCategory::UnemploymentBenefit => P::UnemploymentBenefit,
        IncomeCategory::ActivitySupport => P::ActivitySupport,
        IncomeCategory::ChildAllowance => P::ChildAllowance,
        IncomeCategory::HousingAllowance => P::HousingAllowance,
        IncomeCategory::MaintenanceSupport => P::MaintenanceSupport,
        IncomeCategory::StudentAid => P::StudentAid,
        IncomeCategory::Other => P::Other,
    }
}

fn expense_category(field: &str, raw: i32, v: &mut Violations) -> Option<ExpenseCategory> {
    use pb::ExpenseCategory as P;
    enum_value(
        field,
        raw,
        |c: P| {
            Some(match c {
                P::Unspecified => return None,
                P::Rent => ExpenseCategory::Rent,
                P::HouseholdElectricity => ExpenseCategory::HouseholdElectricity,
                P::HomeInsurance => ExpenseCategory::HomeInsurance,
                P::WorkTravel => ExpenseCategory::WorkTravel,
                P::UnionAndUnemploymentFund => ExpenseCategory::UnionAndUnemploymentFund,
                P::Childcare => ExpenseCategory::Childcare,
                P::Food => ExpenseCategory::Food,
                P::Clothing => ExpenseCategory::Clothing,
                P::PersonalHygiene => ExpenseCategory::PersonalHygiene,
                P::Leisure => ExpenseCategory::Leisure,
                P::MobilePhone => ExpenseCategory::MobilePhone,
                P::ChildInsurance => ExpenseCategory::ChildInsurance,
                P::BabyEquipment => ExpenseCategory::BabyEquipment,
                P::Consumables => ExpenseCategory::Consumables,
                P::HomeEquipment => ExpenseCategory::HomeEquipment,
                P::Media => ExpenseCategory::Media,
                P::WaterAndSewage => ExpenseCategory::WaterAndSewage,
                P::Healthcare => ExpenseCategory::Healthcare,
                P::Transport => ExpenseCategory::Transport,
                P::DebtPayments => ExpenseCategory::DebtPayments,
                P::MaintenancePaid => ExpenseCategory::MaintenancePaid,
                P::Other => ExpenseCategory::Other,
            })
        },
        v,
    )
}

fn expense_category_to_pb(c: ExpenseCategory) -> pb::ExpenseCategory {
    use pb::ExpenseCategory as P;
    match c {
        ExpenseCategory::Rent => P::Rent,
        ExpenseCategory::HouseholdElectricity => P::HouseholdElectricity,
        ExpenseCategory::HomeInsurance => P::HomeInsurance,
        ExpenseCategory::WorkTravel => P::WorkTravel,
        ExpenseCategory::UnionAndUnemploymentFund => P::UnionAndUnemploymentFund,
        ExpenseCategory::Childcare => P::Childcare,
        ExpenseCategory::Food => P::Food,
        ExpenseCategory::Clothing => P::Clothing,
        ExpenseCategory::PersonalHygiene => P::PersonalHygiene,
        ExpenseCategory::Leisure => P::Leisure,
        ExpenseCategory::MobilePhone => P::MobilePhone,
        ExpenseCategory::ChildInsurance => P::ChildInsurance,
        ExpenseCategory::BabyEquipment => P::BabyEquipment,
        ExpenseCategory::Consumables => P::Consumables,
        ExpenseCategory::HomeEquipment => P::HomeEquipment,
        ExpenseCategory::Media => P::Media,
        ExpenseCategory::WaterAndSewage => P::WaterAndSewage,
        ExpenseCategory::Healthcare => P::Healthcare,
        ExpenseCategory::Transport => P::Transport,
        ExpenseCategory::DebtPayments => P::DebtPayments,
        ExpenseCategory::MaintenancePaid => P::MaintenancePaid,
        ExpenseCategory::Other => P::Other,
    }
}

fn reasonable_cost_kind(field: &str, raw: i32, v: &mut Violations) -> Option<ReasonableCostKind> {
    use pb::ReasonableCostKind as P;
    enum_value(
        field,
        raw,
        |c: P| {
            Some(match c {
                P::Unspecified => return None,
                P::Rent => ReasonableCostKind::Rent,
                P::HouseholdElectricity => ReasonableCostKind::HouseholdElectricity,
                P::WorkTravel => ReasonableCostKind::WorkTravel,
                P::HomeInsurance => ReasonableCostKind::HomeInsurance,
                P::UnionAndUnemploymentFund => ReasonableCostKind::UnionAndUnemploymentFund,
                P::Childcare => ReasonableCostKind::Childcare,
            })
        },
        v,
    )
}

pub fn incomes(path: &str, list: &[pb::Income], v: &mut Violations) -> Vec<Entry<IncomeCategory>> {
    entries(
        path,
        list,
        v,
        |i| {
            let pb::Income {
                category,
                amount,
                frequency,
                description,
            } = i;
            (*category, amount.as_ref(), *frequency, description.as_str())
        },
        income_category,
    )
}

pub fn expenses(
    path: &str,
    list: &[pb::Expense],
    v: &mut Violations,
) -> Vec<Entry<ExpenseCategory>> {
    entries(
        path,
        list,
        v,
        |e| {
            let pb::Expense {
                category,
                amount,
                frequency,
                description,
            } = e;
            (*category, amount.as_ref(), *frequency, description.as_str())
        },
        expense_category,
    )
}

pub fn reasonable_costs(
    path: &str,
    list: &[pb::ReasonableCost],
    v: &mut Violations,
) -> Vec<Entry<ReasonableCostKind>> {
    entries(
        path,
        list,
        v,
        |c| {
            let pb::ReasonableCost {
                kind,
                amount,
                frequency,
                description,
            } = c;
            (*kind, amount.as_ref(), *frequency, description.as_str())
        },
        reasonable_cost_kind,
    )
}

// Results are converted by value: their strings move into the response
// instead of being copied (this is on the path of every calculation).

pub fn basis_to_pb(b: Basis) -> Option<pb::Basis> {
    let Basis {
        rule,
        source,
        arithmetic,
    } = b;
    Some(pb::Basis {
        rule,
        source,
        arithmetic,
    })
}

pub fn line_to_pb(l: Line) -> pb::AmountLine {
    pb::AmountLine {
        label: l.label,
        amount: money_to_pb(l.amount),
        basis: basis_to_pb(l.basis),
    }
}

pub fn income_line_to_pb(l: MonthlyLine<IncomeCategory>) -> pb::IncomeLine {
    pb::IncomeLine {
        category: income_category_to_pb(l.entry.category) as i32,
        description: l.entry.description,
        amount: money_to_pb(l.entry.amount),
        frequency: frequency_to_pb(l.entry.frequency) as i32,
        monthly_amount: money_to_pb(l.monthly),
        basis: basis_to_pb(l.basis),
    }
}

fn expense_line_to_pb(l: MonthlyLine<ExpenseCategory>) -> pb::ExpenseLine {
    pb::ExpenseLine {
        category: expense_category_to_pb(l.entry.category) as i32,
        description: l.entry.description,
        amount: money_to_pb(l.entry.amount),
        frequency: frequency_to_pb(l.entry.frequency) as i32,
        monthly_amount: money_to_pb(l.monthly),
        basis: basis_to_pb(l.basis),
    }
}

fn comparison_to_pb(c: Comparison) -> pb::ReferenceComparison {
    pb::ReferenceComparison {
        category: expense_category_to_pb(c.category) as i32,
        actual: money_to_pb(c.actual),
        reference: money_to_pb(c.reference),
        difference: money_to_pb(c.difference),
        flag: if c.above {
            pb::ComparisonFlag::AboveReference
        } else {
            pb::ComparisonFlag::WithinReference
        } as i32,
        basis: basis_to_pb(c.basis),
    }
}

pub fn table_ref_to_pb(t: TableRef) -> pb::TableRef {
    pb::TableRef {
        table_id: t.id,
        version: t.version,
        status: status_to_pb(t.status) as i32,
        source: t.source,
    }
}

pub fn budget_result_to_pb(r: BudgetResult) -> pb::BudgetResult {
    pb::BudgetResult {
        month: r.month.to_string(),
        incomes: r.incomes.into_iter().map(income_line_to_pb).collect(),
        expenses: r.expenses.into_iter().map(expense_line_to_pb).collect(),
        total_income: money_to_pb(r.total_income),
        total_expenses: money_to_pb(r.total_expenses),
        surplus: money_to_pb(r.surplus),
        comparisons: r.comparisons.into_iter().map(comparison_to_pb).collect(),
        warnings: r.warnings,
        tables: r.tables.into_iter().map(table_ref_to_pb).collect(),
    }
}

pub fn norm_unit_to_pb(u: NormUnit) -> pb::NormUnit {
    pb::NormUnit {
        label: u.label,
        member_indexes: u.member_indexes.into_iter().map(|i| i as u32).collect(),
        lines: u.lines.into_iter().map(line_to_pb).collect(),
        total: money_to_pb(u.total),
    }
}

// --------------------------------------------------------------- norm tables

pub fn kind_to_pb(k: NormKind) -> pb::NormTableKind {
    match k {
        NormKind::Riksnorm => pb::NormTableKind::Riksnorm,
        NormKind::Normalbelopp => pb::NormTableKind::Normalbelopp,
        NormKind::Referensranta => pb::NormTableKind::Referensranta,
        NormKind::ReferenceCosts => pb::NormTableKind::ReferenceCosts,
    }
}

fn kind_from_pb(k: pb::NormTableKind) -> Option<NormKind> {
    match k {
        pb::NormTableKind::Unspecified => None,
        pb::NormTableKind::Riksnorm => Some(NormKind::Riksnorm),
        pb::NormTableKind::Normalbelopp => Some(NormKind::Normalbelopp),
        pb::NormTableKind::Referensranta => Some(NormKind::Referensranta),
        pb::NormTableKind::ReferenceCosts => Some(NormKind::ReferenceCosts),
    }
}

/// An optional kind filter: UNSPECIFIED means any.
pub fn kind_filter(field: &str, raw: i32, v: &mut Violations) -> Option<NormKind> {
    enum_value(field, raw, |k: pb::NormTableKind| Some(kind_from_pb(k)), v).flatten()
}

fn status_to_pb(s: TableStatus) -> pb::TableStatus {
    match s {
        TableStatus::Official => pb::TableStatus::Official,
        TableStatus::Provisional => pb::TableStatus::Provisional,
    }
}

pub fn norm_table_to_pb(t: &NormTable, with_rows: bool) -> pb::NormTable {
    let rows = if with_rows {
        let mut ordered: Vec<_> = t.rows.iter().collect();
        ordered.sort_by_key(|(key, _)| (row_position(t.kind, key), (*key).clone()));
        ordered
            .into_iter()
            .map(|(key, value)| {
                let mut value = *value;
                value.rescale(2);
                pb::NormTableRow {
                    key: key.clone(),
                    value: value.to_string(),
                    label: row_label(t.kind, key),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    pb::NormTable {
        id: t.id.clone(),
        kind: kind_to_pb(t.kind) as i32,
        valid_from: t.valid_from.to_string(),
        valid_to: t.valid_to.to_string(),
        status: status_to_pb(t.status) as i32,
        source: t.source.clone(),
        rows,
        version: t.version,
        loaded_by: t.loaded_by.clone(),
        load_time: Some(timestamp(t.loaded_at)),
    }
}

/// An operator's table. Row values are decimal strings: kronor for amounts,
/// percent for rates; the domain checks keys and ranges by kind.
pub fn norm_table_draft(
    path: &str,
    table: Option<&pb::NormTable>,
    v: &mut Violations,
) -> Option<NormTableDraft> {
    let Some(table) = table else {
        v.add(path, "required");
        return None;
    };
    let pb::NormTable {
        id,
        kind,
        valid_from,
        valid_to,
        status,
        source,
        rows,
        // Output only: ignored on input.
        version: _,
        loaded_by: _,
        load_time: _,
    } = table;
    let kind = enum_value(&format!("{path}.kind"), *kind, kind_from_pb, v);
    let status = enum_value(
        &format!("{path}.status"),
        *status,
        |s: pb::TableStatus| match s {
            pb::TableStatus::Unspecified => None,
            pb::TableStatus::Official => Some(TableStatus::Official),
            pb::TableStatus::Provisional => Some(TableStatus::Provisional),
        },
        v,
    );
    let valid_from = date(&format!("{path}.valid_from"), valid_from, v);
    let valid_to = date(&format!("{path}.valid_to"), valid_to, v);
    let mut parsed = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let pb::NormTableRow {
            key,
            value,
            label: _,
        } = row;
        let field = format!("{path}.rows[{i}]");
        if parsed.contains_key(key) {
            v.add(format!("{field}.key"), "the same key is given twice");
            continue;
        }
        // Rates may be negative (a referensränta has been); the domain
        // refuses negative amounts by kind.
        match Money::parse(value) {
            Ok(m) => {
                parsed.insert(key.clone(), m.as_decimal());
            }
            Err(e) => v.add(format!("{field}.value"), e.to_string()),
        }
    }
    Some(NormTableDraft {
        id: id.clone(),
        kind: kind?,
        valid_from: valid_from?,
        valid_to: valid_to?,
        status: status?,
        source: source.clone(),
        rows: parsed,
    })
}

#[cfg(test)]
mod tests;
