//! The debt register and calculators as `--json` shapes: money as decimal
//! strings, enums by their short names.

use serde::Serialize;

use super::text::months_text;
use crate::cli::names::wire_name;
use crate::cli::view::money as amount_text;
use crate::cli::view::rfc3339;
use crate::pb;

#[derive(Debug, Serialize)]
pub struct DebtView {
    pub id: String,
    pub household_id: String,
    pub debtor_member_id: String,
    pub creditor_name: String,
    pub creditor_organisation_number: String,
    pub creditor_reference: String,
    pub kind: String,
    pub status: String,
    pub balance: Option<String>,
    pub annual_interest_rate: String,
    pub monthly_fee: Option<String>,
    pub agreed_monthly_payment: Option<String>,
    pub priority: bool,
    pub revision: i64,
    pub update_time: Option<String>,
}

impl From<&pb::Debt> for DebtView {
    fn from(d: &pb::Debt) -> Self {
        Self {
            id: d.id.clone(),
            household_id: d.household_id.clone(),
            debtor_member_id: d.debtor_member_id.clone(),
            creditor_name: d.creditor_name.clone(),
            creditor_organisation_number: d.creditor_organisation_number.clone(),
            creditor_reference: d.creditor_reference.clone(),
            kind: wire_name::<pb::DebtKind>(d.kind),
            status: wire_name::<pb::DebtStatus>(d.status),
            balance: amount_text(&d.balance),
            annual_interest_rate: d.annual_interest_rate.clone(),
            monthly_fee: amount_text(&d.monthly_fee),
            agreed_monthly_payment: amount_text(&d.agreed_monthly_payment),
            priority: d.priority,
            revision: d.revision,
            update_time: rfc3339(&d.update_time),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct EventView {
    pub id: String,
    pub kind: String,
    pub date: String,
    pub change: Option<String>,
    pub balance_after: Option<String>,
    pub note: String,
    pub recorded_by: String,
    pub record_time: Option<String>,
}

impl From<&pb::DebtEvent> for EventView {
    fn from(e: &pb::DebtEvent) -> Self {
        Self {
            id: e.id.clone(),
            kind: wire_name::<pb::DebtEventKind>(e.kind),
            date: e.date.clone(),
            change: amount_text(&e.change),
            balance_after: amount_text(&e.balance_after),
            note: e.note.clone(),
            recorded_by: e.recorded_by.clone(),
            record_time: rfc3339(&e.record_time),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DebtListView {
    pub debts: Vec<DebtView>,
    pub next_page_token: String,
}

#[derive(Debug, Serialize)]
pub struct DebtWithHistoryView {
    pub debt: DebtView,
    pub events: Vec<EventView>,
}

#[derive(Debug, Serialize)]
pub struct ShareView {
    pub debt_id: String,
    pub creditor_name: String,
    pub balance: Option<String>,
    pub monthly_amount: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OfferView {
    pub available_monthly_amount: Option<String>,
    /// The surplus, each subtraction, and the amount available.
    pub available_lines: Vec<LineView>,
    pub shares: Vec<ShareView>,
}

#[derive(Debug, Serialize)]
pub struct PayOffView {
    pub debt_id: String,
    /// A number of months, "never", or "more than N".
    pub months: String,
    pub total_paid: Option<String>,
    pub total_interest_and_fees: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OverviewView {
    pub date: String,
    pub total_balance: Option<String>,
    pub monthly_cost: Option<String>,
    pub priority_debts: Vec<DebtView>,
    pub other_debts: Vec<DebtView>,
    pub pay_off: Vec<PayOffView>,
    pub offer: OfferView,
    pub warnings: Vec<String>,
}

impl From<&pb::GetDebtOverviewResponse> for OverviewView {
    fn from(o: &pb::GetDebtOverviewResponse) -> Self {
        Self {
            date: o.date.clone(),
            total_balance: amount_text(&o.total_balance),
            monthly_cost: amount_text(&o.monthly_cost),
            priority_debts: o.priority_debts.iter().map(DebtView::from).collect(),
            other_debts: o.other_debts.iter().map(DebtView::from).collect(),
            pay_off: o
                .pay_off
                .iter()
                .map(|p| PayOffView {
                    debt_id: p.debt_id.clone(),
                    months: months_text(p),
                    total_paid: amount_text(&p.total_paid),
                    total_interest_and_fees: amount_text(&p.total_interest_and_fees),
                })
                .collect(),
            offer: OfferView {
                available_monthly_amount: amount_text(&o.available_monthly_amount),
                available_lines: o.available_lines.iter().map(LineView::from).collect(),
                shares: o
                    .offer
                    .iter()
                    .map(|s| ShareView {
                        debt_id: s.debt_id.clone(),
                        creditor_name: s.creditor_name.clone(),
                        balance: amount_text(&s.balance),
                        monthly_amount: amount_text(&s.monthly_amount),
                    })
                    .collect(),
            },
            warnings: o.warnings.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LateInterestView {
    pub principal: Option<String>,
    pub days: i32,
    pub interest: Option<String>,
    pub periods: Vec<LateInterestPeriodView>,
}

#[derive(Debug, Serialize)]
pub struct LateInterestPeriodView {
    pub half_year: String,
    pub from_date: String,
    pub to_date: String,
    pub days: i32,
    pub referensranta: String,
    pub rate: String,
    pub interest: Option<String>,
}

impl From<&pb::CalculateLateInterestResponse> for LateInterestView {
    fn from(r: &pb::CalculateLateInterestResponse) -> Self {
        Self {
            principal: amount_text(&r.principal),
            days: r.days,
            interest: amount_text(&r.interest),
            periods: r
                .periods
                .iter()
                .map(|p| LateInterestPeriodView {
                    half_year: p.half_year.clone(),
                    from_date: p.from_date.clone(),
                    to_date: p.to_date.clone(),
                    days: p.days,
                    referensranta: p.referensranta.clone(),
                    rate: p.rate.clone(),
                    interest: amount_text(&p.interest),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LineView {
    pub label: String,
    pub amount: Option<String>,
}

impl From<&pb::AmountLine> for LineView {
    fn from(l: &pb::AmountLine) -> Self {
        Self {
            label: l.label.clone(),
            amount: amount_text(&l.amount),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ProtectedView {
    pub month: String,
    pub lines: Vec<LineView>,
    pub protected_amount: Option<String>,
    pub garnishable: Option<String>,
    pub provisional: bool,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CreditorView {
    pub debt_id: String,
    pub creditor_name: String,
    pub balance: Option<String>,
    pub yearly: Vec<Option<String>>,
    pub total_received: Option<String>,
    pub unpaid: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RestructuringView {
    pub protected_amount: Option<String>,
    pub buffer: Option<String>,
    pub protected_amount_with_buffer: Option<String>,
    pub monthly_payment: Option<String>,
    pub years: i32,
    pub creditors: Vec<CreditorView>,
    pub total_debt: Option<String>,
    pub total_distributed: Option<String>,
    pub total_unpaid: Option<String>,
    pub provisional: bool,
    pub warnings: Vec<String>,
}

impl From<&pb::EstimateDebtRestructuringResponse> for RestructuringView {
    fn from(r: &pb::EstimateDebtRestructuringResponse) -> Self {
        Self {
            protected_amount: amount_text(&r.protected_amount),
            buffer: amount_text(&r.buffer),
            protected_amount_with_buffer: amount_text(&r.protected_amount_with_buffer),
            monthly_payment: amount_text(&r.monthly_payment),
            years: r.years,
            creditors: r
                .creditors
                .iter()
                .map(|c| CreditorView {
                    debt_id: c.debt_id.clone(),
                    creditor_name: c.creditor_name.clone(),
                    balance: amount_text(&c.balance),
                    yearly: c.yearly.iter().map(|l| amount_text(&l.amount)).collect(),
                    total_received: amount_text(&c.total_received),
                    unpaid: amount_text(&c.unpaid),
                })
                .collect(),
            total_debt: amount_text(&r.total_debt),
            total_distributed: amount_text(&r.total_distributed),
            total_unpaid: amount_text(&r.total_unpaid),
            provisional: r.provisional,
            warnings: r.warnings.clone(),
        }
    }
}
