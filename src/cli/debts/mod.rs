//! `budgetrad-cli debts …`: the debt register with its balance history, the
//! overview and its pro-rata offer; and the calculators beside it
//! ([`calculators`]: förbehållsbelopp, skuldsanering, dröjsmålsränta). The
//! tables are in [`text`], the `--json` shapes in [`json`].

mod calculators;
mod json;
mod text;

use std::fmt::Write as _;

use crate::cli::args::{DebtsCommand, Paging};
use crate::cli::render::{more, warnings};
use crate::cli::session::{
    COUNSELLOR, CliError, PageError, Session, collect_pages, present, wire_money,
};
use crate::pb;
pub(super) use calculators::{late_interest, protected_amount, skuldsanering};
use json::{DebtListView, DebtView, DebtWithHistoryView, EventView, OverviewView};
use text::{debt_text, debts_table, offer_text, overview_text};

/// The wire's fields of the debt commands and the flags that give them,
/// for the server's field violations.
const DEBT_FLAGS: &[(&str, &str)] = &[
    ("debt.household_id", "HOUSEHOLD_ID"),
    ("household_id", "HOUSEHOLD_ID"),
    ("debt.debtor_member_id", "--debtor"),
    ("debt.creditor_name", "--creditor"),
    ("debt.creditor_organisation_number", "--org-number"),
    ("debt.creditor_reference", "--reference"),
    ("debt.creditor_postal_address.care_of", "--creditor-care-of"),
    (
        "debt.creditor_postal_address.street_address",
        "--creditor-street",
    ),
    (
        "debt.creditor_postal_address.postal_code",
        "--creditor-postal-code",
    ),
    ("debt.creditor_postal_address.town", "--creditor-town"),
    ("debt.creditor_postal_address", "--creditor-street"),
    ("debt.kind", "--kind"),
    ("debt.status", "--status"),
    ("debt.balance", "--balance"),
    ("balance_date", "--balance-date"),
    ("debt.annual_interest_rate", "--rate"),
    ("debt.monthly_fee", "--fee"),
    ("debt.agreed_monthly_payment", "--payment"),
    ("debt_id", "DEBT_ID"),
    ("kind", "--kind"),
    ("amount", "--amount"),
    ("date", "--date"),
    ("note", "--note"),
    ("available_monthly_amount", "--available"),
];

pub(super) async fn run(s: &Session, cmd: &DebtsCommand) -> Result<(), CliError> {
    s.fields_from_flags(DEBT_FLAGS);
    let mut client = s.debts();
    match cmd {
        DebtsCommand::Add {
            household_id,
            debtor,
            creditor,
            org_number,
            reference,
            address,
            kind,
            status,
            balance,
            balance_date,
            rate,
            fee,
            payment,
            retry,
        } => {
            let debt = pb::Debt {
                household_id: household_id.clone(),
                debtor_member_id: debtor.clone(),
                creditor_name: creditor.clone(),
                creditor_organisation_number: org_number.clone().unwrap_or_default(),
                creditor_reference: reference.clone().unwrap_or_default(),
                kind: *kind as i32,
                status: *status as i32,
                balance: wire_money(balance),
                annual_interest_rate: rate.clone(),
                monthly_fee: fee.as_deref().and_then(wire_money),
                agreed_monthly_payment: payment.as_deref().and_then(wire_money),
                creditor_postal_address: address.to_proto(),
                ..Default::default()
            };
            let response = client
                .create_debt(pb::CreateDebtRequest {
                    request_id: s.request_id(&retry.request_id),
                    debt: Some(debt),
                    balance_date: balance_date.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let d = present(response.debt, "debt")?;
            s.print(|| DebtView::from(&d), || debt_text(&d, &[]))
        }
        DebtsCommand::List {
            household_id,
            kind,
            status,
            paging,
        } => {
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                let request = pb::ListDebtsRequest {
                    household_id: household_id.clone(),
                    kind: kind.map_or(0, |k| k as i32),
                    status: status.map_or(0, |k| k as i32),
                    page_size,
                    page_token,
                };
                async move {
                    let r = client.list_debts(request).await?.into_inner();
                    Ok::<_, PageError>((r.debts, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(s, COUNSELLOR))?;
            s.print(
                || DebtListView {
                    debts: list.iter().map(DebtView::from).collect(),
                    next_page_token: next.clone(),
                },
                || {
                    let mut out = String::new();
                    let _ = writeln!(out, "{}", debts_table(&list));
                    more(&mut out, &next);
                    out
                },
            )
        }
        DebtsCommand::Show { debt_id } => {
            let d = present(
                client
                    .get_debt(pb::GetDebtRequest {
                        id: debt_id.clone(),
                    })
                    .await
                    .map_err(s.refused(COUNSELLOR))?
                    .into_inner()
                    .debt,
                "debt",
            )?;
            let paging = Paging {
                page_size: Some(500),
                page_token: None,
                all: true,
            };
            let (events, _) = collect_pages(&paging, |page_token| {
                let mut client = client.clone();
                let request = pb::ListDebtEventsRequest {
                    debt_id: debt_id.clone(),
                    page_size: 500,
                    page_token,
                };
                async move {
                    let r = client.list_debt_events(request).await?.into_inner();
                    Ok::<_, PageError>((r.events, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(s, COUNSELLOR))?;
            s.print(
                || DebtWithHistoryView {
                    debt: DebtView::from(&d),
                    events: events.iter().map(EventView::from).collect(),
                },
                || debt_text(&d, &events),
            )
        }
        DebtsCommand::Record {
            debt_id,
            kind,
            amount,
            date,
            note,
            retry,
        } => {
            let r = client
                .record_debt_event(pb::RecordDebtEventRequest {
                    request_id: s.request_id(&retry.request_id),
                    debt_id: debt_id.clone(),
                    kind: *kind as i32,
                    date: date.clone(),
                    amount: wire_money(amount),
                    note: note.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            print_event(s, r.debt, r.event)
        }
        DebtsCommand::Settle {
            debt_id,
            date,
            note,
            retry,
        } => {
            let r = client
                .settle_debt(pb::SettleDebtRequest {
                    request_id: s.request_id(&retry.request_id),
                    debt_id: debt_id.clone(),
                    date: date.clone().unwrap_or_default(),
                    note: note.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            print_event(s, r.debt, r.event)
        }
        DebtsCommand::Overview {
            household_id,
            date,
            available,
        } => {
            let o = overview(s, household_id, date.clone(), available).await?;
            s.print(|| OverviewView::from(&o), || overview_text(&o))
        }
        DebtsCommand::Offer {
            household_id,
            available,
        } => {
            let o = overview(s, household_id, None, available).await?;
            s.print(
                || OverviewView::from(&o).offer,
                || {
                    let mut out = String::new();
                    offer_text(&mut out, &o);
                    warnings(&mut out, &o.warnings);
                    out
                },
            )
        }
    }
}

/// A debt after a recorded event, with that event.
fn print_event(
    s: &Session,
    debt: Option<pb::Debt>,
    event: Option<pb::DebtEvent>,
) -> Result<(), CliError> {
    let d = present(debt, "debt")?;
    let e = present(event, "event")?;
    s.print(
        || DebtWithHistoryView {
            debt: DebtView::from(&d),
            events: vec![EventView::from(&e)],
        },
        || debt_text(&d, std::slice::from_ref(&e)),
    )
}

async fn overview(
    s: &Session,
    household_id: &str,
    date: Option<String>,
    available: &Option<String>,
) -> Result<pb::GetDebtOverviewResponse, CliError> {
    Ok(s.debts()
        .get_debt_overview(pb::GetDebtOverviewRequest {
            household_id: household_id.to_owned(),
            date: date.unwrap_or_default(),
            available_monthly_amount: available.as_deref().and_then(wire_money),
        })
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner())
}
