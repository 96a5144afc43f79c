//! The `--json` output: a serde view of each response.
//!
//! The CLI's own view rather than the proto's JSON mapping, so that it reads
//! like the input files: money is the server's decimal string (`"1234.50"`,
//! never a number, so no reader can lose an öre), enums are the lower_snake
//! names the input files use, instants are RFC 3339 in UTC. Field names
//! follow the proto. A household's members come out in the same shape as the
//! `[[members]]` of a household file, so `--json households get ID` can be
//! edited and sent back with `households update`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::names::wire_name;
use crate::pb;

/// A money field: the decimal string, or `null` when the server left it out.
pub(super) fn money(m: &Option<pb::Money>) -> Option<String> {
    m.as_ref().map(|m| m.amount.clone())
}

/// An instant as RFC 3339 in UTC; `null` when absent or out of range.
pub fn rfc3339(t: &Option<prost_types::Timestamp>) -> Option<String> {
    let t = t.as_ref()?;
    let nanos = u32::try_from(t.nanos).ok()?;
    DateTime::<Utc>::from_timestamp(t.seconds, nanos)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[derive(Debug, Serialize)]
pub struct BasisView {
    pub rule: String,
    pub source: String,
    pub arithmetic: String,
}

fn basis(b: &Option<pb::Basis>) -> Option<BasisView> {
    b.as_ref().map(|b| BasisView {
        rule: b.rule.clone(),
        source: b.source.clone(),
        arithmetic: b.arithmetic.clone(),
    })
}

#[derive(Debug, Serialize)]
pub struct AmountLineView {
    pub label: String,
    pub amount: Option<String>,
    pub basis: Option<BasisView>,
}

impl From<&pb::AmountLine> for AmountLineView {
    fn from(l: &pb::AmountLine) -> Self {
        Self {
            label: l.label.clone(),
            amount: money(&l.amount),
            basis: basis(&l.basis),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TableRefView {
    pub table_id: String,
    pub version: i32,
    pub status: String,
    pub source: String,
}

impl From<&pb::TableRef> for TableRefView {
    fn from(t: &pb::TableRef) -> Self {
        Self {
            table_id: t.table_id.clone(),
            version: t.version,
            status: wire_name::<pb::TableStatus>(t.status),
            source: t.source.clone(),
        }
    }
}

// ---------------------------------------------------------------------------
// Households
// ---------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct MemberView {
    pub id: String,
    pub role: String,
    pub birth_date: String,
    pub personal_identity_number: String,
    pub age: Option<u32>,
    pub lunch_at_school: bool,
    pub residence_days: u32,
    pub residence_period_days: u32,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub given_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub family_name: String,
}

impl From<&pb::Member> for MemberView {
    fn from(m: &pb::Member) -> Self {
        Self {
            id: m.id.clone(),
            role: wire_name::<pb::MemberRole>(m.role),
            birth_date: m.birth_date.clone(),
            personal_identity_number: m.personal_identity_number.clone(),
            age: m.age,
            lunch_at_school: m.lunch_at_school,
            residence_days: m.residence_days,
            residence_period_days: m.residence_period_days,
            given_name: m.given_name.clone(),
            family_name: m.family_name.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct HouseholdView {
    pub id: String,
    pub case_reference: String,
    pub revision: i64,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
    pub members: Vec<MemberView>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    /// As the household file's [postal_address] table takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<AddressView>,
}

#[derive(Debug, Serialize)]
pub struct AddressView {
    pub care_of: String,
    pub street_address: String,
    pub postal_code: String,
    pub town: String,
}

impl From<&pb::Household> for HouseholdView {
    fn from(h: &pb::Household) -> Self {
        Self {
            id: h.id.clone(),
            case_reference: h.case_reference.clone(),
            revision: h.revision,
            create_time: rfc3339(&h.create_time),
            update_time: rfc3339(&h.update_time),
            members: h.members.iter().map(MemberView::from).collect(),
            display_name: h.display_name.clone(),
            postal_address: h.postal_address.as_ref().map(|a| AddressView {
                care_of: a.care_of.clone(),
                street_address: a.street_address.clone(),
                postal_code: a.postal_code.clone(),
                town: a.town.clone(),
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct HouseholdListView {
    pub households: Vec<HouseholdView>,
    /// Empty when there are no more pages.
    pub next_page_token: String,
}

// ---------------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------------

/// An income or expense line; `category` is an income or an expense
/// category name depending on the list it is in.
#[derive(Debug, Serialize)]
pub struct LineView {
    pub category: String,
    pub description: String,
    pub amount: Option<String>,
    pub frequency: String,
    pub monthly_amount: Option<String>,
    pub basis: Option<BasisView>,
}

impl From<&pb::IncomeLine> for LineView {
    fn from(l: &pb::IncomeLine) -> Self {
        Self {
            category: wire_name::<pb::IncomeCategory>(l.category),
            description: l.description.clone(),
            amount: money(&l.amount),
            frequency: wire_name::<pb::Frequency>(l.frequency),
            monthly_amount: money(&l.monthly_amount),
            basis: basis(&l.basis),
        }
    }
}

impl From<&pb::ExpenseLine> for LineView {
    fn from(l: &pb::ExpenseLine) -> Self {
        Self {
            category: wire_name::<pb::ExpenseCategory>(l.category),
            description: l.description.clone(),
            amount: money(&l.amount),
            frequency: wire_name::<pb::Frequency>(l.frequency),
            monthly_amount: money(&l.monthly_amount),
            basis: basis(&l.basis),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ComparisonView {
    pub category: String,
    pub actual: Option<String>,
    pub reference: Option<String>,
    pub difference: Option<String>,
    pub flag: String,
    pub basis: Option<BasisView>,
}

impl From<&pb::ReferenceComparison> for ComparisonView {
    fn from(c: &pb::ReferenceComparison) -> Self {
        Self {
            category: wire_name::<pb::ExpenseCategory>(c.category),
            actual: money(&c.actual),
            reference: money(&c.reference),
            difference: money(&c.difference),
            flag: wire_name::<pb::ComparisonFlag>(c.flag),
            basis: basis(&c.basis),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct BudgetResultView {
    pub month: String,
    pub incomes: Vec<LineView>,
    pub expenses: Vec<LineView>,
    pub total_income: Option<String>,
    pub total_expenses: Option<String>,
    pub surplus: Option<String>,
    pub comparisons: Vec<ComparisonView>,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRefView>,
}

impl From<&pb::BudgetResult> for BudgetResultView {
    fn from(r: &pb::BudgetResult) -> Self {
        Self {
            month: r.month.clone(),
            incomes: r.incomes.iter().map(LineView::from).collect(),
            expenses: r.expenses.iter().map(LineView::from).collect(),
            total_income: money(&r.total_income),
            total_expenses: money(&r.total_expenses),
            surplus: money(&r.surplus),
            comparisons: r.comparisons.iter().map(ComparisonView::from).collect(),
            warnings: r.warnings.clone(),
            tables: r.tables.iter().map(TableRefView::from).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct BudgetView {
    pub id: String,
    pub household_id: String,
    pub household_revision: i64,
    pub create_time: Option<String>,
    pub created_by: String,
    pub result: Option<BudgetResultView>,
}

impl From<&pb::Budget> for BudgetView {
    fn from(b: &pb::Budget) -> Self {
        Self {
            id: b.id.clone(),
            household_id: b.household_id.clone(),
            household_revision: b.household_revision,
            create_time: rfc3339(&b.create_time),
            created_by: b.created_by.clone(),
            result: b.result.as_ref().map(BudgetResultView::from),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct BudgetListView {
    pub budgets: Vec<BudgetView>,
    pub next_page_token: String,
}

// ---------------------------------------------------------------------------
// Social assistance
// ---------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct NormUnitView {
    pub label: String,
    pub member_indexes: Vec<u32>,
    pub lines: Vec<AmountLineView>,
    pub total: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SocialAssistanceView {
    pub month: String,
    pub riksnorm_units: Vec<NormUnitView>,
    pub riksnorm_total: Option<String>,
    pub reasonable_costs: Vec<AmountLineView>,
    pub reasonable_costs_total: Option<String>,
    pub incomes: Vec<LineView>,
    pub total_income: Option<String>,
    pub total_need: Option<String>,
    pub assistance: Option<String>,
    pub rent_part: Option<String>,
    pub assistance_basis: Option<BasisView>,
    pub provisional: bool,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRefView>,
}

impl From<&pb::CalculateSocialAssistanceResponse> for SocialAssistanceView {
    fn from(r: &pb::CalculateSocialAssistanceResponse) -> Self {
        Self {
            month: r.month.clone(),
            riksnorm_units: r
                .riksnorm_units
                .iter()
                .map(|u| NormUnitView {
                    label: u.label.clone(),
                    member_indexes: u.member_indexes.clone(),
                    lines: u.lines.iter().map(AmountLineView::from).collect(),
                    total: money(&u.total),
                })
                .collect(),
            riksnorm_total: money(&r.riksnorm_total),
            reasonable_costs: r
                .reasonable_costs
                .iter()
                .map(AmountLineView::from)
                .collect(),
            reasonable_costs_total: money(&r.reasonable_costs_total),
            incomes: r.incomes.iter().map(LineView::from).collect(),
            total_income: money(&r.total_income),
            total_need: money(&r.total_need),
            assistance: money(&r.assistance),
            rent_part: money(&r.rent_part),
            assistance_basis: basis(&r.assistance_basis),
            provisional: r.provisional,
            warnings: r.warnings.clone(),
            tables: r.tables.iter().map(TableRefView::from).collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// Norm tables
// ---------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct NormRowView {
    pub key: String,
    pub value: String,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct NormTableView {
    pub id: String,
    pub kind: String,
    pub valid_from: String,
    pub valid_to: String,
    pub status: String,
    pub source: String,
    pub version: i32,
    pub loaded_by: String,
    pub load_time: Option<String>,
    /// Left out of lists, which the server sends without rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<NormRowView>>,
}

impl NormTableView {
    pub fn new(t: &pb::NormTable, with_rows: bool) -> Self {
        Self {
            id: t.id.clone(),
            kind: wire_name::<pb::NormTableKind>(t.kind),
            valid_from: t.valid_from.clone(),
            valid_to: t.valid_to.clone(),
            status: wire_name::<pb::TableStatus>(t.status),
            source: t.source.clone(),
            version: t.version,
            loaded_by: t.loaded_by.clone(),
            load_time: rfc3339(&t.load_time),
            rows: with_rows.then(|| {
                t.rows
                    .iter()
                    .map(|r| NormRowView {
                        key: r.key.clone(),
                        value: r.value.clone(),
                        label: r.label.clone(),
                    })
                    .collect()
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NormTableListView {
    pub norm_tables: Vec<NormTableView>,
    pub next_page_token: String,
}

// ---------------------------------------------------------------------------
// Audit trail
// ---------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct AuditEventView {
    pub sequence: i64,
    pub time: Option<String>,
    pub caller: String,
    pub role: String,
    pub method: String,
    /// `null` when the call named no existing household.
    pub household_id: Option<String>,
    pub outcome: String,
    /// An idempotent replay: the first result returned, no data written.
    pub replay: bool,
    /// The records read or written, each `kind:uuid`.
    pub records: Vec<String>,
}

impl From<&pb::AuditEvent> for AuditEventView {
    fn from(e: &pb::AuditEvent) -> Self {
        Self {
            sequence: e.sequence,
            time: rfc3339(&e.time),
            caller: e.caller.clone(),
            role: e.role.clone(),
            method: e.method.clone(),
            household_id: (!e.household_id.is_empty()).then(|| e.household_id.clone()),
            outcome: e.outcome.clone(),
            replay: e.replay,
            records: e.records.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AuditListView {
    pub events: Vec<AuditEventView>,
    /// Empty when there are no more pages.
    pub next_page_token: String,
}

#[cfg(test)]
mod tests;
