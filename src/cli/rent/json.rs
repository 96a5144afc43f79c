//! Landlords, leases, plans and notices as `--json` shapes: money as
//! decimal strings, enums by their short names.

use serde::Serialize;

use crate::cli::names::wire_name;
use crate::cli::view::money as amount_text;
use crate::pb;

#[derive(Debug, Serialize)]
pub struct LandlordView {
    pub id: String,
    pub name: String,
    pub organisation_number: String,
    pub bankgiro: String,
    pub plusgiro: String,
    pub requires_ocr: bool,
}

impl From<&pb::Landlord> for LandlordView {
    fn from(l: &pb::Landlord) -> Self {
        Self {
            id: l.id.clone(),
            name: l.name.clone(),
            organisation_number: l.organisation_number.clone(),
            bankgiro: l.bankgiro.clone(),
            plusgiro: l.plusgiro.clone(),
            requires_ocr: l.requires_ocr,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RentChangeView {
    pub from_month: String,
    pub monthly_rent: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LeaseView {
    pub id: String,
    pub household_id: String,
    pub landlord_id: String,
    pub object_reference: String,
    pub contract_type: String,
    pub current_rent: Option<String>,
    pub rent_history: Vec<RentChangeView>,
}

impl From<&pb::Lease> for LeaseView {
    fn from(l: &pb::Lease) -> Self {
        Self {
            id: l.id.clone(),
            household_id: l.household_id.clone(),
            landlord_id: l.landlord_id.clone(),
            object_reference: l.object_reference.clone(),
            contract_type: wire_name::<pb::ContractType>(l.contract_type),
            current_rent: amount_text(&l.current_rent),
            rent_history: l
                .rent_history
                .iter()
                .map(|r| RentChangeView {
                    from_month: r.from_month.clone(),
                    monthly_rent: amount_text(&r.monthly_rent),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DueView {
    pub month: String,
    pub due_date: String,
    /// JB 12:42 with lag (1930:173) 2 §: the last day to pay and keep the lease.
    pub last_day_to_pay: String,
    /// The day after `last_day_to_pay`.
    pub first_forfeitable_date: String,
}

#[derive(Debug, Serialize)]
pub struct InstalmentView {
    pub number: i32,
    pub month: String,
    pub due_date: String,
    pub ordinary_rent: Option<String>,
    pub instalment: Option<String>,
    pub total_due: Option<String>,
    pub paid: Option<String>,
    pub state: String,
}

impl From<&pb::PlanInstalment> for InstalmentView {
    fn from(i: &pb::PlanInstalment) -> Self {
        Self {
            number: i.number,
            month: i.month.clone(),
            due_date: i.due_date.clone(),
            ordinary_rent: amount_text(&i.ordinary_rent),
            instalment: amount_text(&i.instalment),
            total_due: amount_text(&i.total_due),
            paid: amount_text(&i.paid),
            state: wire_name::<pb::InstalmentState>(i.state),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PlanView {
    pub id: String,
    pub lease_id: String,
    pub status_date: String,
    pub state: String,
    pub paid: Option<String>,
    pub outstanding: Option<String>,
    pub overpaid: Option<String>,
    pub instalments: Vec<InstalmentView>,
    pub warnings: Vec<String>,
}

impl From<&pb::RentPaymentPlan> for PlanView {
    fn from(p: &pb::RentPaymentPlan) -> Self {
        Self {
            id: p.id.clone(),
            lease_id: p.lease_id.clone(),
            status_date: p.status_date.clone(),
            state: wire_name::<pb::PlanState>(p.state),
            paid: amount_text(&p.paid),
            outstanding: amount_text(&p.outstanding),
            overpaid: amount_text(&p.overpaid),
            instalments: p.instalments.iter().map(InstalmentView::from).collect(),
            warnings: p.warnings.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NoticeView {
    pub id: String,
    pub lease_id: String,
    pub household_id: String,
    pub served_date: String,
    pub amount_owed: Option<String>,
    pub deadline: String,
    pub resolution: Option<String>,
    pub resolved_date: Option<String>,
    /// OPEN, DEADLINE_PASSED or RESOLVED.
    pub state: String,
    /// The payments that paid it (PAID_WITHIN_DEADLINE).
    pub evidence_ids: Vec<String>,
}

impl From<&pb::EvictionNotice> for NoticeView {
    fn from(n: &pb::EvictionNotice) -> Self {
        let resolved = !n.resolved_date.is_empty();
        Self {
            id: n.id.clone(),
            lease_id: n.lease_id.clone(),
            household_id: n.household_id.clone(),
            served_date: n.served_date.clone(),
            amount_owed: amount_text(&n.amount_owed),
            deadline: n.deadline.clone(),
            resolution: resolved.then(|| wire_name::<pb::NoticeResolution>(n.resolution)),
            resolved_date: resolved.then(|| n.resolved_date.clone()),
            state: wire_name::<pb::NoticeState>(n.state),
            evidence_ids: n.evidence_ids.clone(),
        }
    }
}
