//! `budgetrad-cli payouts | receipts`: the rent ledger. Payouts of rent
//! straight to the landlord, their reversals, and receipts showing that the
//! household paid itself.

use std::fmt::Write as _;

use comfy_table::Cell;
use serde::Serialize;

use super::args::{PayoutsCommand, ReceiptsCommand};
use super::names::words::{w, wf};
use super::names::{display_name, wire_name};
use super::render::{fields, heading, ids, is_nonzero, kr, list_table, local_time, or_dash};
use super::session::{CliError, PageError, Session, collect_pages, present, wire_money};
use super::view::money as amount_text;
use crate::pb;

const PAYOUT: &str = "payout";
const LEDGER: &str = "payout, caseworker or counsellor";

/// One page of a ledger list, or with `--all` every page: `$method` of the
/// payout service with `$request`, its page token set page by page, and
/// the items in the answer's `$items`. A macro because the payout and the
/// receipt lists share their shape but no type.
macro_rules! ledger_list {
    ($s:expr, $paging:expr, $client:expr, $request:expr, $method:ident, $items:ident) => {
        collect_pages($paging, |page_token| {
            let mut client = $client.clone();
            let mut request = $request.clone();
            request.page_token = page_token;
            async move {
                let r = client.$method(request).await?.into_inner();
                Ok::<_, PageError>((r.$items, r.next_page_token))
            }
        })
        .await
        .map_err(|e| e.into_cli($s, LEDGER))
    };
}

/// The wire's fields of the payout and receipt commands and the flags
/// that give them, for the server's field violations.
const LEDGER_FLAGS: &[(&str, &str)] = &[
    ("lease_id", "LEASE_ID"),
    ("rent_month", "--month"),
    ("kind", "--kind"),
    ("amount", "--amount"),
    ("decision_reference", "--decision"),
    ("ocr_reference", "--ocr"),
    ("payout_date", "--date"),
    ("paid_date", "--paid"),
    ("source", "--source"),
    ("reason", "--reason"),
    ("payout_id", "PAYOUT_ID"),
    ("household_id", "--household"),
    ("from_month", "--from"),
    ("to_month", "--to"),
];

pub(super) async fn payouts(s: &Session, cmd: &PayoutsCommand) -> Result<(), CliError> {
    s.fields_from_flags(LEDGER_FLAGS);
    let mut client = s.payouts();
    // The payout answered, and the roles the call needs (for a refusal).
    let (answer, roles) = match cmd {
        PayoutsCommand::Record {
            payment,
            decision,
            ocr,
            date,
            request_id: given,
        } => (
            client
                .record_rent_payout(pb::RecordRentPayoutRequest {
                    request_id: s.request_id(given),
                    lease_id: payment.lease_id.clone(),
                    rent_month: payment.month.clone(),
                    kind: payment.kind as i32,
                    amount: wire_money(&payment.amount),
                    decision_reference: decision.clone(),
                    ocr_reference: ocr.clone().unwrap_or_default(),
                    payout_date: date.clone(),
                })
                .await
                .map(|r| r.into_inner().payout),
            PAYOUT,
        ),
        PayoutsCommand::Reverse {
            payout_id,
            reason,
            request_id: given,
        } => (
            client
                .reverse_rent_payout(pb::ReverseRentPayoutRequest {
                    request_id: s.request_id(given),
                    payout_id: payout_id.clone(),
                    reason: reason.clone(),
                })
                .await
                .map(|r| r.into_inner().payout),
            PAYOUT,
        ),
        PayoutsCommand::Show { payout_id } => (
            client
                .get_rent_payout(pb::GetRentPayoutRequest {
                    id: payout_id.clone(),
                })
                .await
                .map(|r| r.into_inner().payout),
            LEDGER,
        ),
        PayoutsCommand::List {
            filter,
            decision,
            paging,
        } => {
            let [household_id, lease_id, from_month, to_month] = filter.wire();
            let request = pb::ListRentPayoutsRequest {
                household_id,
                lease_id,
                from_month,
                to_month,
                decision_reference: decision.clone().unwrap_or_default(),
                page_size: paging.page_size.unwrap_or_default(),
                page_token: String::new(),
            };
            let (list, next) =
                ledger_list!(s, paging, client, request, list_rent_payouts, payouts)?;
            return s.print(
                || list.iter().map(PayoutView::from).collect::<Vec<_>>(),
                || payouts_table(&list, &next),
            );
        }
    };
    let payout = present(answer.map_err(s.refused(roles))?, "payout")?;
    s.print(|| PayoutView::from(&payout), || payout_text(&payout))
}

pub(super) async fn receipts(s: &Session, cmd: &ReceiptsCommand) -> Result<(), CliError> {
    s.fields_from_flags(LEDGER_FLAGS);
    let mut client = s.payouts();
    match cmd {
        ReceiptsCommand::Record {
            payment,
            paid,
            source,
            request_id: given,
        } => {
            let recorded = client
                .record_rent_receipt(pb::RecordRentReceiptRequest {
                    request_id: s.request_id(given),
                    lease_id: payment.lease_id.clone(),
                    rent_month: payment.month.clone(),
                    kind: payment.kind as i32,
                    amount: wire_money(&payment.amount),
                    paid_date: paid.clone(),
                    source: *source as i32,
                })
                .await
                .map_err(s.refused(LEDGER))?
                .into_inner();
            let receipt = present(recorded.receipt, "receipt")?;
            let overpaid = recorded.overpaid;
            s.print(
                || RecordedReceiptView {
                    receipt: ReceiptView::from(&receipt),
                    overpaid: amount_text(&overpaid),
                },
                || {
                    let mut text = receipts_table(std::slice::from_ref(&receipt), "");
                    // A receipt is never refused for its amount; the
                    // counsellor learns here that there is money to recover.
                    if is_nonzero(&overpaid) {
                        let _ = writeln!(
                            text,
                            "{}",
                            wf(
                                "För mycket betalt: {}: månadens utbetalningar och kvitton är mer än hyran",
                                &[&kr(&overpaid)]
                            )
                        );
                    }
                    text
                },
            )
        }
        ReceiptsCommand::List { filter, paging } => {
            let [household_id, lease_id, from_month, to_month] = filter.wire();
            let request = pb::ListRentReceiptsRequest {
                household_id,
                lease_id,
                from_month,
                to_month,
                page_size: paging.page_size.unwrap_or_default(),
                page_token: String::new(),
            };
            let (list, next) =
                ledger_list!(s, paging, client, request, list_rent_receipts, receipts)?;
            s.print(
                || list.iter().map(ReceiptView::from).collect::<Vec<_>>(),
                || receipts_table(&list, &next),
            )
        }
    }
}

fn payee(p: &pb::RentPayout) -> String {
    if p.payee_plusgiro.is_empty() {
        format!("bankgiro {}", ids::bankgiro(&p.payee_bankgiro))
    } else {
        format!("plusgiro {}", ids::plusgiro(&p.payee_plusgiro))
    }
}

fn payout_text(p: &pb::RentPayout) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wf("Utbetalning av hyra {}", &[&p.id]));
    let mut lines: Vec<(&'static str, String)> = vec![
        ("Hushåll", p.household_id.clone()),
        ("Hyreskontrakt", p.lease_id.clone()),
        (
            "Avser",
            format!(
                "{} {}",
                display_name::<pb::RentPaymentKind>(p.kind),
                p.rent_month
            ),
        ),
        ("Belopp", kr(&p.amount)),
        ("Till", payee(p)),
        ("OCR", or_dash(&p.ocr_reference).to_owned()),
        ("Datum", p.payout_date.clone()),
        ("Beslut", p.decision_reference.clone()),
    ];
    if !p.plan_id.is_empty() {
        lines.push(("Plan", p.plan_id.clone()));
    }
    lines.push((
        "Registrerad",
        wf("{} av {}", &[&local_time(&p.record_time), &p.recorded_by]),
    ));
    fields(&mut out, &lines);
    if let Some(r) = &p.reversal {
        heading(&mut out, w("Återförd"));
        let _ = writeln!(
            out,
            "  {}: {}",
            wf("{} av {}", &[&local_time(&r.record_time), &r.recorded_by]),
            r.reason
        );
    }
    out
}

fn payouts_table(list: &[pb::RentPayout], next: &str) -> String {
    let header = [
        "Månad",
        "Avser",
        "Belopp",
        "Datum",
        "Beslut",
        "Återförd",
        "Id",
    ];
    list_table(list, "Inga utbetalningar.", &header, &[2], next, |p| {
        vec![
            Cell::new(&p.rent_month),
            Cell::new(display_name::<pb::RentPaymentKind>(p.kind)),
            Cell::new(kr(&p.amount)),
            Cell::new(&p.payout_date),
            Cell::new(&p.decision_reference),
            Cell::new(if p.reversal.is_some() { w("ja") } else { "" }),
            Cell::new(&p.id),
        ]
    })
}

fn receipts_table(list: &[pb::RentReceipt], next: &str) -> String {
    let header = ["Månad", "Avser", "Belopp", "Betald", "Underlag", "Id"];
    list_table(list, "Inga kvitton.", &header, &[2], next, |r| {
        vec![
            Cell::new(&r.rent_month),
            Cell::new(display_name::<pb::RentPaymentKind>(r.kind)),
            Cell::new(kr(&r.amount)),
            Cell::new(&r.paid_date),
            Cell::new(display_name::<pb::ReceiptSource>(r.source)),
            Cell::new(&r.id),
        ]
    })
}

#[derive(Debug, Serialize)]
pub struct ReversalView {
    pub id: String,
    pub reason: String,
    pub recorded_by: String,
}

#[derive(Debug, Serialize)]
pub struct PayoutView {
    pub id: String,
    pub household_id: String,
    pub lease_id: String,
    pub rent_month: String,
    pub kind: String,
    pub amount: Option<String>,
    pub decision_reference: String,
    pub payee_bankgiro: Option<String>,
    pub payee_plusgiro: Option<String>,
    pub ocr_reference: Option<String>,
    pub payout_date: String,
    pub plan_id: Option<String>,
    pub recorded_by: String,
    pub reversal: Option<ReversalView>,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

impl From<&pb::RentPayout> for PayoutView {
    fn from(p: &pb::RentPayout) -> Self {
        Self {
            id: p.id.clone(),
            household_id: p.household_id.clone(),
            lease_id: p.lease_id.clone(),
            rent_month: p.rent_month.clone(),
            kind: wire_name::<pb::RentPaymentKind>(p.kind),
            amount: amount_text(&p.amount),
            decision_reference: p.decision_reference.clone(),
            payee_bankgiro: non_empty(&p.payee_bankgiro),
            payee_plusgiro: non_empty(&p.payee_plusgiro),
            ocr_reference: non_empty(&p.ocr_reference),
            payout_date: p.payout_date.clone(),
            plan_id: non_empty(&p.plan_id),
            recorded_by: p.recorded_by.clone(),
            reversal: p.reversal.as_ref().map(|r| ReversalView {
                id: r.id.clone(),
                reason: r.reason.clone(),
                recorded_by: r.recorded_by.clone(),
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ReceiptView {
    pub id: String,
    pub household_id: String,
    pub lease_id: String,
    pub rent_month: String,
    pub kind: String,
    pub amount: Option<String>,
    pub paid_date: String,
    pub source: String,
    pub plan_id: Option<String>,
    pub recorded_by: String,
}

impl From<&pb::RentReceipt> for ReceiptView {
    fn from(r: &pb::RentReceipt) -> Self {
        Self {
            id: r.id.clone(),
            household_id: r.household_id.clone(),
            lease_id: r.lease_id.clone(),
            rent_month: r.rent_month.clone(),
            kind: wire_name::<pb::RentPaymentKind>(r.kind),
            amount: amount_text(&r.amount),
            paid_date: r.paid_date.clone(),
            source: wire_name::<pb::ReceiptSource>(r.source),
            plan_id: non_empty(&r.plan_id),
            recorded_by: r.recorded_by.clone(),
        }
    }
}

/// A recorded receipt, with by how much its month is now overpaid.
#[derive(Debug, Serialize)]
pub struct RecordedReceiptView {
    #[serde(flatten)]
    pub receipt: ReceiptView,
    pub overpaid: Option<String>,
}
