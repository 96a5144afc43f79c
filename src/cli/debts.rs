//! `budgetrad-cli debts …` and `late-interest`: the debt register, the
//! overview with its pro-rata offer, and dröjsmålsränta.

use std::fmt::Write as _;

use comfy_table::Cell;
use serde::Serialize;

use super::args::{DebtsCommand, Paging};
use super::names::{display_name, wire_name};
use super::render::{
    basis, heading, kr, local_time, more, new_table, or_dash, right_align, tables_read, warnings,
};
use super::session::{
    COUNSELLOR, CliError, PageError, Session, collect_pages, present, request_id, wire_money,
};
use super::view::money as amount_text;
use super::view::rfc3339;
use crate::pb;

pub(super) async fn run(s: &Session, cmd: &DebtsCommand) -> Result<(), CliError> {
    let mut client = s.debts();
    match cmd {
        DebtsCommand::Add {
            household_id,
            debtor,
            creditor,
            org_number,
            reference,
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
                ..Default::default()
            };
            let response = client
                .create_debt(pb::CreateDebtRequest {
                    request_id: request_id(&retry.request_id),
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
                    request_id: request_id(&retry.request_id),
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
                    request_id: request_id(&retry.request_id),
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

/// How long a debt takes: a number of months, "never", or "more than N".
fn months_text(p: &pb::PayOff) -> String {
    match p.outcome {
        Some(pb::pay_off::Outcome::Months(m)) => m.to_string(),
        Some(pb::pay_off::Outcome::Never(_)) => "never".to_owned(),
        Some(pb::pay_off::Outcome::LongerThanMonths(m)) => format!("more than {m}"),
        None => "–".to_owned(),
    }
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

/// `late-interest`: dröjsmålsränta per half-year.
pub(super) async fn late_interest(
    s: &Session,
    principal: &str,
    from: &str,
    to: &str,
) -> Result<(), CliError> {
    let r = s
        .debts()
        .calculate_late_interest(pb::CalculateLateInterestRequest {
            principal: wire_money(principal),
            from_date: from.to_owned(),
            to_date: to.to_owned(),
        })
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || LateInterestView::from(&r),
        || {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "Dröjsmålsränta on {} kr, {} days: {} kr",
                kr(&r.principal),
                r.days,
                kr(&r.interest)
            );
            let mut table = new_table(&[
                "Half-year",
                "From",
                "To",
                "Days",
                "Rate %",
                "Interest",
                "Basis",
            ]);
            for p in &r.periods {
                table.add_row(vec![
                    Cell::new(&p.half_year),
                    Cell::new(&p.from_date),
                    Cell::new(&p.to_date),
                    Cell::new(p.days),
                    Cell::new(&p.rate),
                    Cell::new(kr(&p.interest)),
                    Cell::new(basis(&p.basis)),
                ]);
            }
            right_align(&mut table, &[3, 4, 5]);
            let _ = writeln!(out, "{table}");
            warnings(&mut out, &r.warnings);
            out
        },
    )
}

/// `protected-amount FILE`.
pub(super) async fn protected_amount(
    s: &Session,
    request: pb::CalculateProtectedAmountRequest,
) -> Result<(), CliError> {
    let r = s
        .debts()
        .calculate_protected_amount(request)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || ProtectedView {
            month: r.month.clone(),
            lines: r.lines.iter().map(LineView::from).collect(),
            protected_amount: amount_text(&r.protected_amount),
            garnishable: r.garnishable.as_ref().and_then(|l| amount_text(&l.amount)),
            provisional: r.provisional,
            warnings: r.warnings.clone(),
        },
        || {
            let mut out = String::new();
            let _ = writeln!(out, "Förbehållsbelopp for {}", r.month);
            let mut lines = r.lines.clone();
            lines.extend(r.garnishable.clone());
            lines_table(&mut out, &lines);
            let _ = writeln!(out, "Förbehållsbelopp: {} kr", kr(&r.protected_amount));
            warnings(&mut out, &r.warnings);
            tables_read(&mut out, &r.tables);
            out
        },
    )
}

/// `skuldsanering FILE`.
pub(super) async fn skuldsanering(
    s: &Session,
    request: pb::EstimateDebtRestructuringRequest,
) -> Result<(), CliError> {
    let r = s
        .debts()
        .estimate_debt_restructuring(request)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || RestructuringView::from(&r),
        || {
            let mut out = String::new();
            let _ = writeln!(out, "Skuldsanering over {} years", r.years);
            lines_table(&mut out, &r.lines);
            heading(&mut out, "Each year");
            let mut table = new_table(&["Year", "Paid in", "Fee", "To creditors", "Not needed"]);
            for y in &r.yearly {
                table.add_row(vec![
                    Cell::new(y.year),
                    Cell::new(kr(&y.paid_in)),
                    Cell::new(kr(&y.fee)),
                    Cell::new(kr(&y.distributed)),
                    Cell::new(kr(&y.undistributed)),
                ]);
            }
            right_align(&mut table, &[1, 2, 3, 4]);
            let _ = writeln!(out, "{table}");
            heading(&mut out, "Each creditor");
            let mut table = new_table(&["Creditor", "Debt", "Per year", "Received", "Unpaid"]);
            for c in &r.creditors {
                let yearly: Vec<String> = c.yearly.iter().map(|l| kr(&l.amount)).collect();
                table.add_row(vec![
                    Cell::new(&c.creditor_name),
                    Cell::new(kr(&c.balance)),
                    Cell::new(yearly.join(" / ")),
                    Cell::new(kr(&c.total_received)),
                    Cell::new(kr(&c.unpaid)),
                ]);
            }
            right_align(&mut table, &[1, 3, 4]);
            let _ = writeln!(out, "{table}");
            let _ = writeln!(
                out,
                "Total debt {} kr; to creditors {} kr; unpaid {} kr.",
                kr(&r.total_debt),
                kr(&r.total_distributed),
                kr(&r.total_unpaid)
            );
            warnings(&mut out, &r.warnings);
            tables_read(&mut out, &r.tables);
            out
        },
    )
}

// ------------------------------------------------------------------ text

fn lines_table(out: &mut String, lines: &[pb::AmountLine]) {
    let mut table = new_table(&["", "Amount", "Basis"]);
    for l in lines {
        table.add_row(vec![
            Cell::new(&l.label),
            Cell::new(kr(&l.amount)),
            Cell::new(basis(&l.basis)),
        ]);
    }
    right_align(&mut table, &[1]);
    let _ = writeln!(out, "{table}");
}

fn debts_table(list: &[pb::Debt]) -> String {
    if list.is_empty() {
        return "No debts.".to_owned();
    }
    let mut table = new_table(&[
        "Id", "Creditor", "Kind", "Status", "Balance", "Rate %", "Payment", "Priority",
    ]);
    for d in list {
        table.add_row(vec![
            Cell::new(&d.id),
            Cell::new(&d.creditor_name),
            Cell::new(display_name::<pb::DebtKind>(d.kind)),
            Cell::new(display_name::<pb::DebtStatus>(d.status)),
            Cell::new(kr(&d.balance)),
            Cell::new(&d.annual_interest_rate),
            Cell::new(kr(&d.agreed_monthly_payment)),
            Cell::new(if d.priority { "yes" } else { "" }),
        ]);
    }
    right_align(&mut table, &[4, 5, 6]);
    table.to_string()
}

fn debt_text(d: &pb::Debt, events: &[pb::DebtEvent]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Debt {}", d.id);
    let _ = writeln!(out, "  Household:   {}", d.household_id);
    let _ = writeln!(out, "  Debtor:      member {}", d.debtor_member_id);
    let _ = writeln!(
        out,
        "  Creditor:    {} {}",
        d.creditor_name,
        or_dash(&d.creditor_organisation_number)
    );
    let _ = writeln!(out, "  Reference:   {}", or_dash(&d.creditor_reference));
    let _ = writeln!(
        out,
        "  Kind:        {}",
        display_name::<pb::DebtKind>(d.kind)
    );
    let _ = writeln!(
        out,
        "  Status:      {}",
        display_name::<pb::DebtStatus>(d.status)
    );
    let _ = writeln!(
        out,
        "  Priority:    {}",
        if d.priority { "yes" } else { "no" }
    );
    let _ = writeln!(out, "  Balance:     {} kr", kr(&d.balance));
    let _ = writeln!(out, "  Interest:    {} % a year", d.annual_interest_rate);
    let _ = writeln!(out, "  Monthly fee: {} kr", kr(&d.monthly_fee));
    let _ = writeln!(
        out,
        "  Payment:     {} kr a month",
        kr(&d.agreed_monthly_payment)
    );
    let _ = writeln!(out, "  Revision:    {}", d.revision);
    if !events.is_empty() {
        heading(&mut out, "Balance history");
        let mut table = new_table(&["Date", "Event", "Change", "Balance", "Note", "Recorded"]);
        for e in events {
            table.add_row(vec![
                Cell::new(&e.date),
                Cell::new(display_name::<pb::DebtEventKind>(e.kind)),
                Cell::new(kr(&e.change)),
                Cell::new(kr(&e.balance_after)),
                Cell::new(or_dash(&e.note)),
                Cell::new(format!("{} {}", local_time(&e.record_time), e.recorded_by)),
            ]);
        }
        right_align(&mut table, &[2, 3]);
        let _ = writeln!(out, "{table}");
    }
    out
}

fn offer_text(out: &mut String, o: &pb::GetDebtOverviewResponse) {
    heading(
        out,
        &format!(
            "Pro-rata offer of {} kr a month",
            kr(&o.available_monthly_amount)
        ),
    );
    let _ = writeln!(out, "  {}", basis(&o.available_basis).replace('\n', "\n  "));
    if o.offer.is_empty() {
        let _ = writeln!(out, "  nothing to offer");
        return;
    }
    let mut table = new_table(&["Creditor", "Balance", "Monthly", "Basis"]);
    for share in &o.offer {
        table.add_row(vec![
            Cell::new(&share.creditor_name),
            Cell::new(kr(&share.balance)),
            Cell::new(kr(&share.monthly_amount)),
            Cell::new(basis(&share.basis)),
        ]);
    }
    right_align(&mut table, &[1, 2]);
    let _ = writeln!(out, "{table}");
}

fn overview_text(o: &pb::GetDebtOverviewResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Debt overview on {}", o.date);
    let _ = writeln!(out, "  Open debts:   {} kr", kr(&o.total_balance));
    let _ = writeln!(
        out,
        "  Monthly cost: {} kr (agreed payments and fees)",
        kr(&o.monthly_cost)
    );
    for (title, totals, label) in [
        ("By kind", &o.by_kind, "kind"),
        ("By status", &o.by_status, "status"),
    ] {
        heading(&mut out, title);
        let mut table = new_table(&[label, "Debts", "Balance"]);
        for t in totals {
            table.add_row(vec![
                Cell::new(&t.key),
                Cell::new(t.count),
                Cell::new(kr(&t.balance)),
            ]);
        }
        right_align(&mut table, &[1, 2]);
        let _ = writeln!(out, "{table}");
    }
    heading(
        &mut out,
        "Priority debts (paid first: rent, electricity, Kronofogden)",
    );
    let _ = writeln!(out, "{}", debts_table(&o.priority_debts));
    heading(&mut out, "Other debts");
    let _ = writeln!(out, "{}", debts_table(&o.other_debts));
    heading(&mut out, "Months to pay off at the agreed payment");
    let mut table = new_table(&["Debt", "Months", "Total paid", "Interest and fees", "Basis"]);
    for p in &o.pay_off {
        let months = months_text(p);
        table.add_row(vec![
            Cell::new(&p.debt_id),
            Cell::new(months),
            Cell::new(kr(&p.total_paid)),
            Cell::new(kr(&p.total_interest_and_fees)),
            Cell::new(basis(&p.basis)),
        ]);
    }
    right_align(&mut table, &[1, 2, 3]);
    let _ = writeln!(out, "{table}");
    offer_text(&mut out, o);
    warnings(&mut out, &o.warnings);
    out
}

// ------------------------------------------------------------------ JSON

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
