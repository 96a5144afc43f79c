//! `budgetrad-cli landlords | leases | rent-due | plans | notices`: the
//! housing side of eviction prevention. The tables are in [`text`], the
//! `--json` shapes in [`json`].

mod json;
mod text;

use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::args::{LandlordsCommand, LeasesCommand, NoticesCommand, PlansCommand};
use crate::cli::names::words::wf;
use crate::cli::render::{basis, warnings};
use crate::cli::session::{
    COUNSELLOR, CliError, PageError, Session, collect_pages, present, wire_money,
};
use crate::pb;
use json::{DueView, InstalmentView, LandlordView, LeaseView, NoticeView, PlanView};
use text::{
    checks_text, landlords_table, lease_text, notices_table, plan_text, preview_header,
    schedule_table, unchecked_warnings,
};

/// The page size of a household's leases or plans: these lists are not
/// paged, so they ask for one page of the server's largest size.
const WHOLE_LIST: i32 = 500;

/// Records printed whole, one after another: as a JSON array, or each
/// record's text with a blank line between.
fn print_each<T, V>(s: &Session, list: &[T], text: impl Fn(&T) -> String) -> Result<(), CliError>
where
    V: Serialize + for<'a> From<&'a T>,
{
    s.print(
        || list.iter().map(V::from).collect::<Vec<_>>(),
        || list.iter().map(&text).collect::<Vec<_>>().join("\n"),
    )
}

/// The landlord of a lease, to name it in the table; `None` when it cannot
/// be read (the table then shows its id).
async fn landlord_of(s: &Session, id: &str) -> Option<pb::Landlord> {
    let request = pb::GetLandlordRequest { id: id.to_owned() };
    let answer = s.rent().get_landlord(request).await.ok()?;
    answer.into_inner().landlord
}

/// Leases as text, each naming its landlord.
async fn leases_text(s: &Session, leases: &[pb::Lease]) -> String {
    let mut landlords: Vec<pb::Landlord> = Vec::new();
    for l in leases {
        if !landlords.iter().any(|ll| ll.id == l.landlord_id)
            && let Some(ll) = landlord_of(s, &l.landlord_id).await
        {
            landlords.push(ll);
        }
    }
    leases
        .iter()
        .map(|l| lease_text(l, landlords.iter().find(|ll| ll.id == l.landlord_id)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The wire's fields of the landlord, lease, plan and notice commands and
/// the flags that give them, for the server's field violations.
const RENT_FLAGS: &[(&str, &str)] = &[
    ("landlord.name", "--name"),
    ("landlord.organisation_number", "--org-number"),
    ("landlord.bankgiro", "--bankgiro"),
    ("landlord.plusgiro", "--plusgiro"),
    ("lease.household_id", "HOUSEHOLD_ID"),
    ("lease.landlord_id", "--landlord"),
    ("lease.object_reference", "--object"),
    ("lease.contract_type", "--type"),
    ("start_month", "--start"),
    ("monthly_rent", "--rent"),
    ("from_month", "--from"),
    ("lease_id", "LEASE_ID"),
    ("terms.arrears", "--arrears"),
    ("terms.instalment", "--instalment"),
    ("terms.months", "--months"),
    ("terms.start_month", "--start"),
    ("broken_after_missed", "--broken-after"),
    ("debt_id", "--debt"),
    ("plan_id", "PLAN_ID"),
    ("amount", "--amount"),
    ("date", "--date"),
    ("notice.lease_id", "LEASE_ID"),
    ("notice.served_date", "--served"),
    ("notice.amount_owed", "--owed"),
    ("notice.note", "--note"),
    ("resolution", "--resolution"),
    ("note", "--note"),
];

pub(super) async fn landlords(s: &Session, cmd: &LandlordsCommand) -> Result<(), CliError> {
    s.fields_from_flags(RENT_FLAGS);
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
    s.fields_from_flags(RENT_FLAGS);
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
            let request = pb::ListLeasesRequest {
                household_id: household_id.clone(),
                page_size: WHOLE_LIST,
                page_token: String::new(),
            };
            let list = client.list_leases(request).await;
            let list = list.map_err(s.refused(COUNSELLOR))?.into_inner().leases;
            let text = leases_text(s, &list).await;
            return s.print(
                || list.iter().map(LeaseView::from).collect::<Vec<_>>(),
                || text,
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
    let text = leases_text(s, std::slice::from_ref(&lease)).await;
    s.print(|| LeaseView::from(&lease), || text)
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
            last_day_to_pay: r.last_day_to_pay.clone(),
            first_forfeitable_date: r.first_forfeitable_date.clone(),
        },
        || {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{}",
                wf("Hyran för {} förfaller {}.", &[&r.month, &r.due_date])
            );
            let _ = writeln!(out, "  {}", basis(&r.due_basis).replace('\n', "\n  "));
            let _ = writeln!(
                out,
                "{}",
                wf("Sista dag att betala: {}", &[&r.last_day_to_pay])
            );
            let _ = writeln!(
                out,
                "{}",
                wf(
                    "Hyresrätten kan förverkas från: {}",
                    &[&r.first_forfeitable_date]
                )
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
    s.fields_from_flags(RENT_FLAGS);
    let mut client = s.rent();
    let plan = match cmd {
        PlansCommand::Preview { lease_id, terms } => {
            let terms = terms.terms();
            let r = client
                .preview_rent_payment_plan(pb::PreviewRentPaymentPlanRequest {
                    lease_id: lease_id.clone(),
                    terms: Some(terms.clone()),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            // The lease, to name it in the header; the preview stands without it.
            let lease = client
                .get_lease(pb::GetLeaseRequest {
                    id: lease_id.clone(),
                })
                .await
                .ok()
                .and_then(|l| l.into_inner().lease);
            return s.print(
                || {
                    r.instalments
                        .iter()
                        .map(InstalmentView::from)
                        .collect::<Vec<_>>()
                },
                || {
                    let mut out = String::new();
                    preview_header(&mut out, lease.as_ref(), lease_id, &terms, &r.instalments);
                    schedule_table(&mut out, &r.instalments, false);
                    warnings(&mut out, &unchecked_warnings(&r.warnings, &r.checks));
                    checks_text(&mut out, &r.checks);
                    out
                },
            );
        }
        PlansCommand::Create {
            lease_id,
            terms,
            broken_after,
            debt,
            request_id: given,
        } => {
            let r = client
                .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
                    request_id: s.request_id(given),
                    lease_id: lease_id.clone(),
                    terms: Some(terms.terms()),
                    broken_after_missed: broken_after.unwrap_or_default(),
                    debt_id: debt.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let plan = present(r.plan, "plan")?;
            return s.print(
                || PlanView::from(&plan),
                || {
                    // The checks say in words what the warnings say.
                    let shown = pb::RentPaymentPlan {
                        warnings: unchecked_warnings(&plan.warnings, &r.checks),
                        ..plan.clone()
                    };
                    let mut out = plan_text(&shown);
                    checks_text(&mut out, &r.checks);
                    out
                },
            );
        }
        PlansCommand::SetDebt { plan_id, debt } => {
            client
                .set_rent_payment_plan_debt(pb::SetRentPaymentPlanDebtRequest {
                    plan_id: plan_id.clone(),
                    debt_id: debt.clone().unwrap_or_default(),
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
            let request = pb::ListRentPaymentPlansRequest {
                household_id: household_id.clone(),
                page_size: WHOLE_LIST,
                page_token: String::new(),
            };
            let list = client.list_rent_payment_plans(request).await;
            let list = list.map_err(s.refused(COUNSELLOR))?.into_inner().plans;
            return print_each::<_, PlanView>(s, &list, plan_text);
        }
        PlansCommand::Pay {
            plan_id,
            amount,
            date,
            request_id: given,
        } => {
            client
                .record_plan_payment(pb::RecordPlanPaymentRequest {
                    request_id: s.request_id(given),
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
    s.fields_from_flags(RENT_FLAGS);
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
        || {
            let mut out = notices_table(std::slice::from_ref(&notice), "");
            let _ = writeln!(
                out,
                "{}",
                wf("Sista dag att betala: {}", &[&notice.deadline])
            );
            let _ = writeln!(
                out,
                "  {}",
                basis(&notice.deadline_basis).replace('\n', "\n  ")
            );
            out
        },
    )
}
