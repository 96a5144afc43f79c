//! `budgetrad-cli landlords | leases | rent-due | plans | notices`: the
//! housing side of eviction prevention.

use std::fmt::Write as _;

use comfy_table::Cell;
use serde::Serialize;

use super::args::{LandlordsCommand, LeasesCommand, NoticesCommand, PlansCommand};
use super::names::{display_name, wire_name};
use super::render::{basis, heading, kr, more, new_table, or_dash, right_align, warnings};
use super::session::{
    COUNSELLOR, CliError, PageError, Session, collect_pages, present, request_id, wire_money,
};
use super::view::money as amount_text;
use crate::pb;

pub(super) async fn landlords(s: &Session, cmd: &LandlordsCommand) -> Result<(), CliError> {
    let client = s.rent();
    match cmd {
        LandlordsCommand::Add {
            name,
            org_number,
            bankgiro,
            plusgiro,
            requires_ocr,
        } => {
            let l = present(
                client
                    .clone()
                    .create_landlord(pb::CreateLandlordRequest {
                        landlord: Some(pb::Landlord {
                            name: name.clone(),
                            organisation_number: org_number.clone(),
                            bankgiro: bankgiro.clone().unwrap_or_default(),
                            plusgiro: plusgiro.clone().unwrap_or_default(),
                            requires_ocr: *requires_ocr,
                            ..Default::default()
                        }),
                    })
                    .await
                    .map_err(s.refused(COUNSELLOR))?
                    .into_inner()
                    .landlord,
                "landlord",
            )?;
            s.print(
                || LandlordView::from(&l),
                || landlords_table(std::slice::from_ref(&l), ""),
            )
        }
        LandlordsCommand::List { paging } => {
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                async move {
                    let r = client
                        .list_landlords(pb::ListLandlordsRequest {
                            page_size,
                            page_token,
                        })
                        .await?
                        .into_inner();
                    Ok::<_, PageError>((r.landlords, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(s, COUNSELLOR))?;
            s.print(
                || list.iter().map(LandlordView::from).collect::<Vec<_>>(),
                || landlords_table(&list, &next),
            )
        }
    }
}

pub(super) async fn leases(s: &Session, cmd: &LeasesCommand) -> Result<(), CliError> {
    let mut client = s.rent();
    let lease = match cmd {
        LeasesCommand::Add {
            household_id,
            landlord,
            object,
            contract_type,
            start,
            rent,
        } => {
            client
                .create_lease(pb::CreateLeaseRequest {
                    lease: Some(pb::Lease {
                        household_id: household_id.clone(),
                        landlord_id: landlord.clone(),
                        object_reference: object.clone(),
                        contract_type: *contract_type as i32,
                        ..Default::default()
                    }),
                    start_month: start.clone(),
                    monthly_rent: wire_money(rent),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .lease
        }
        LeasesCommand::List { household_id } => {
            let list = client
                .list_leases(pb::ListLeasesRequest {
                    household_id: household_id.clone(),
                    page_size: 500,
                    page_token: String::new(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .leases;
            return s.print(
                || list.iter().map(LeaseView::from).collect::<Vec<_>>(),
                || list.iter().map(lease_text).collect::<Vec<_>>().join("\n"),
            );
        }
        LeasesCommand::Show { lease_id } => {
            client
                .get_lease(pb::GetLeaseRequest {
                    id: lease_id.clone(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .lease
        }
        LeasesCommand::Rent {
            lease_id,
            from,
            rent,
        } => {
            client
                .change_lease_rent(pb::ChangeLeaseRentRequest {
                    lease_id: lease_id.clone(),
                    from_month: from.clone(),
                    monthly_rent: wire_money(rent),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .lease
        }
    };
    let lease = present(lease, "lease")?;
    s.print(|| LeaseView::from(&lease), || lease_text(&lease))
}

pub(super) async fn rent_due(s: &Session, month: &str) -> Result<(), CliError> {
    let r = s
        .rent()
        .get_rent_due_date(pb::GetRentDueDateRequest {
            month: month.to_owned(),
        })
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || DueView {
            month: r.month.clone(),
            due_date: r.due_date.clone(),
            forfeiture_date: r.forfeiture_date.clone(),
        },
        || {
            let mut out = String::new();
            let _ = writeln!(out, "Rent for {} is due {}.", r.month, r.due_date);
            let _ = writeln!(out, "  {}", basis(&r.due_basis).replace('\n', "\n  "));
            let _ = writeln!(
                out,
                "Unpaid from {} on, the lease is forfeitable.",
                r.forfeiture_date
            );
            let _ = writeln!(
                out,
                "  {}",
                basis(&r.forfeiture_basis).replace('\n', "\n  ")
            );
            out
        },
    )
}

pub(super) async fn plans(s: &Session, cmd: &PlansCommand) -> Result<(), CliError> {
    let mut client = s.rent();
    let plan = match cmd {
        PlansCommand::Preview { lease_id, terms } => {
            let r = client
                .preview_rent_payment_plan(pb::PreviewRentPaymentPlanRequest {
                    lease_id: lease_id.clone(),
                    terms: Some(terms.terms()),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            return s.print(
                || {
                    r.instalments
                        .iter()
                        .map(InstalmentView::from)
                        .collect::<Vec<_>>()
                },
                || {
                    let mut out = String::new();
                    schedule_table(&mut out, &r.instalments, false);
                    warnings(&mut out, &r.warnings);
                    out
                },
            );
        }
        PlansCommand::Create {
            lease_id,
            terms,
            broken_after,
            request_id: given,
        } => {
            client
                .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
                    request_id: request_id(given),
                    lease_id: lease_id.clone(),
                    terms: Some(terms.terms()),
                    broken_after_missed: broken_after.unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .plan
        }
        PlansCommand::Show { plan_id, on } => {
            client
                .get_rent_payment_plan(pb::GetRentPaymentPlanRequest {
                    id: plan_id.clone(),
                    on_date: on.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .plan
        }
        PlansCommand::List { household_id } => {
            let list = client
                .list_rent_payment_plans(pb::ListRentPaymentPlansRequest {
                    household_id: household_id.clone(),
                    page_size: 500,
                    page_token: String::new(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .plans;
            return s.print(
                || list.iter().map(PlanView::from).collect::<Vec<_>>(),
                || list.iter().map(plan_text).collect::<Vec<_>>().join("\n"),
            );
        }
        PlansCommand::Pay {
            plan_id,
            amount,
            date,
            request_id: given,
        } => {
            client
                .record_plan_payment(pb::RecordPlanPaymentRequest {
                    request_id: request_id(given),
                    plan_id: plan_id.clone(),
                    date: date.clone(),
                    amount: wire_money(amount),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .plan
        }
    };
    let plan = present(plan, "plan")?;
    s.print(|| PlanView::from(&plan), || plan_text(&plan))
}

pub(super) async fn notices(s: &Session, cmd: &NoticesCommand) -> Result<(), CliError> {
    let client = s.rent();
    let notice = match cmd {
        NoticesCommand::Add {
            lease_id,
            served,
            owed,
            note,
        } => {
            client
                .clone()
                .create_eviction_notice(pb::CreateEvictionNoticeRequest {
                    notice: Some(pb::EvictionNotice {
                        lease_id: lease_id.clone(),
                        served_date: served.clone(),
                        amount_owed: wire_money(owed),
                        note: note.clone().unwrap_or_default(),
                        ..Default::default()
                    }),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .notice
        }
        NoticesCommand::Resolve {
            notice_id,
            resolution,
            date,
            note,
        } => {
            client
                .clone()
                .resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
                    id: notice_id.clone(),
                    resolution: *resolution as i32,
                    resolved_date: date.clone().unwrap_or_default(),
                    note: note.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .notice
        }
        NoticesCommand::List {
            household,
            include_resolved,
            paging,
        } => {
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                let request = pb::ListEvictionNoticesRequest {
                    household_id: household.clone().unwrap_or_default(),
                    include_resolved: *include_resolved,
                    page_size,
                    page_token,
                };
                async move {
                    let r = client.list_eviction_notices(request).await?.into_inner();
                    Ok::<_, PageError>((r.notices, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(s, COUNSELLOR))?;
            return s.print(
                || list.iter().map(NoticeView::from).collect::<Vec<_>>(),
                || notices_table(&list, &next),
            );
        }
    };
    let notice = present(notice, "notice")?;
    s.print(
        || NoticeView::from(&notice),
        || notices_table(std::slice::from_ref(&notice), ""),
    )
}

// ------------------------------------------------------------------ text

fn landlords_table(list: &[pb::Landlord], next: &str) -> String {
    let mut out = String::new();
    if list.is_empty() {
        let _ = writeln!(out, "No landlords.");
    } else {
        let mut table = new_table(&["Id", "Name", "Org. number", "Bankgiro", "Plusgiro", "OCR"]);
        for l in list {
            table.add_row(vec![
                Cell::new(&l.id),
                Cell::new(&l.name),
                Cell::new(&l.organisation_number),
                Cell::new(or_dash(&l.bankgiro)),
                Cell::new(or_dash(&l.plusgiro)),
                Cell::new(if l.requires_ocr { "required" } else { "" }),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }
    more(&mut out, next);
    out
}

fn lease_text(l: &pb::Lease) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Lease {}", l.id);
    let _ = writeln!(out, "  Household: {}", l.household_id);
    let _ = writeln!(out, "  Landlord:  {}", l.landlord_id);
    let _ = writeln!(out, "  Object:    {}", l.object_reference);
    let _ = writeln!(
        out,
        "  Type:      {}",
        display_name::<pb::ContractType>(l.contract_type)
    );
    let _ = writeln!(out, "  Rent now:  {} kr", kr(&l.current_rent));
    let mut table = new_table(&["From month", "Monthly rent"]);
    for r in &l.rent_history {
        table.add_row(vec![
            Cell::new(&r.from_month),
            Cell::new(kr(&r.monthly_rent)),
        ]);
    }
    right_align(&mut table, &[1]);
    let _ = writeln!(out, "{table}");
    out
}

fn schedule_table(out: &mut String, instalments: &[pb::PlanInstalment], with_state: bool) {
    let mut header = vec!["#", "Month", "Due", "Rent", "Instalment", "Total due"];
    if with_state {
        header.extend(["Paid", "State"]);
    }
    let mut table = new_table(&header);
    for i in instalments {
        let mut row = vec![
            Cell::new(i.number),
            Cell::new(&i.month),
            Cell::new(&i.due_date),
            Cell::new(kr(&i.ordinary_rent)),
            Cell::new(kr(&i.instalment)),
            Cell::new(kr(&i.total_due)),
        ];
        if with_state {
            row.push(Cell::new(kr(&i.paid)));
            row.push(Cell::new(display_name::<pb::InstalmentState>(i.state)));
        }
        table.add_row(row);
    }
    right_align(&mut table, &[0, 3, 4, 5, 6]);
    let _ = writeln!(out, "{table}");
}

fn plan_text(p: &pb::RentPaymentPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Rent-arrears plan {}", p.id);
    let _ = writeln!(out, "  Lease:   {}", p.lease_id);
    if let Some(t) = &p.terms {
        let _ = writeln!(
            out,
            "  Arrears: {} kr from {}",
            kr(&t.arrears),
            t.start_month
        );
    }
    let _ = writeln!(
        out,
        "  State on {}: {} (broken after {} missed)",
        p.status_date,
        display_name::<pb::PlanState>(p.state),
        p.broken_after_missed
    );
    let _ = writeln!(
        out,
        "  Paid {} kr, outstanding {} kr, overpaid {} kr",
        kr(&p.paid),
        kr(&p.outstanding),
        kr(&p.overpaid)
    );
    heading(&mut out, "Schedule");
    schedule_table(&mut out, &p.instalments, true);
    if !p.payments.is_empty() {
        heading(&mut out, "Payments towards the arrears");
        let mut table = new_table(&["Date", "Amount", "From", "Recorded by", "Id"]);
        for pay in &p.payments {
            table.add_row(vec![
                Cell::new(&pay.date),
                Cell::new(kr(&pay.amount)),
                Cell::new(wire_name::<pb::PlanPaymentSource>(pay.source)),
                Cell::new(&pay.recorded_by),
                Cell::new(&pay.id),
            ]);
        }
        right_align(&mut table, &[1]);
        let _ = writeln!(out, "{table}");
    }
    warnings(&mut out, &p.warnings);
    out
}

fn notices_table(list: &[pb::EvictionNotice], next: &str) -> String {
    let mut out = String::new();
    if list.is_empty() {
        let _ = writeln!(out, "No eviction-risk notices.");
    } else {
        let mut table = new_table(&[
            "Deadline",
            "Served",
            "Owed",
            "Household",
            "Lease",
            "Resolved",
            "Id",
        ]);
        for n in list {
            let resolved = if n.resolved_date.is_empty() {
                String::new()
            } else {
                format!(
                    "{} {}",
                    n.resolved_date,
                    wire_name::<pb::NoticeResolution>(n.resolution)
                )
            };
            table.add_row(vec![
                Cell::new(&n.deadline),
                Cell::new(&n.served_date),
                Cell::new(kr(&n.amount_owed)),
                Cell::new(&n.household_id),
                Cell::new(&n.lease_id),
                Cell::new(resolved),
                Cell::new(&n.id),
            ]);
        }
        right_align(&mut table, &[2]);
        let _ = writeln!(out, "{table}");
    }
    more(&mut out, next);
    out
}

// ------------------------------------------------------------------ JSON

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
    pub forfeiture_date: String,
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
        }
    }
}
