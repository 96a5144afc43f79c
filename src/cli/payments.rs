//! `budgetrad-cli payments batch …`: payouts to the bank and back. A batch
//! is gathered, attested by a second person, written as a pain.001 file for
//! the bank, and the bank's pain.002 and camt.054 files are imported.

use std::fmt::Write as _;

use serde::Serialize;

use super::args::{BatchCommand, PaymentsCommand};
use super::names::words::{io_reason, w, wf};
use super::render::kr;
use super::session::{CliError, PageError, Session, collect_pages, present, wire_money};
use super::view::money as amount_text;
use crate::pb;

const PAYOUT: &str = "payout";
const ATTESTER: &str = "attester";
const EITHER: &str = "payout, attester";

pub(super) async fn payments(s: &Session, cmd: &PaymentsCommand) -> Result<(), CliError> {
    let PaymentsCommand::Batch(cmd) = cmd;
    let mut client = s.payments();
    let (answer, roles) = match cmd {
        BatchCommand::Create {
            from,
            to,
            kind,
            request_id,
        } => {
            let created = client
                .create_payment_batch(pb::CreatePaymentBatchRequest {
                    request_id: s.request_id(request_id),
                    from_date: from.clone().unwrap_or_default(),
                    to_date: to.clone().unwrap_or_default(),
                    kind: kind.map_or(0, |k| k as i32),
                })
                .await
                .map_err(s.refused(PAYOUT))?
                .into_inner();
            let batch = present(created.batch, "batch")?;
            let left = created.left_without_address;
            return s.print(
                || BatchView::from(&batch),
                || {
                    let mut text = batch_text(&batch);
                    if left > 0 {
                        let _ = writeln!(
                            text,
                            "{}",
                            wf(
                                "{} utbetalningar utelämnades: hyresvärden saknar postadress (ort och land)",
                                &[&left],
                            )
                        );
                    }
                    text
                },
            );
        }
        BatchCommand::Approve {
            batch_id,
            count,
            total,
        } => (
            client
                .approve_payment_batch(pb::ApprovePaymentBatchRequest {
                    batch_id: batch_id.clone(),
                    payout_count: *count,
                    total: wire_money(total),
                })
                .await
                .map(|r| r.into_inner().batch),
            ATTESTER,
        ),
        BatchCommand::Cancel { batch_id, reason } => (
            client
                .cancel_payment_batch(pb::CancelPaymentBatchRequest {
                    batch_id: batch_id.clone(),
                    reason: reason.clone(),
                })
                .await
                .map(|r| r.into_inner().batch),
            EITHER,
        ),
        BatchCommand::Show { batch_id } => (
            client
                .get_payment_batch(pb::GetPaymentBatchRequest {
                    id: batch_id.clone(),
                })
                .await
                .map(|r| r.into_inner().batch),
            EITHER,
        ),
        BatchCommand::Export { batch_id, out } => {
            let mut stream = client
                .export_payment_batch(pb::ExportPaymentBatchRequest {
                    batch_id: batch_id.clone(),
                })
                .await
                .map_err(s.refused(PAYOUT))?
                .into_inner();
            // Written to a temporary file beside the target and renamed
            // when complete: a broken stream leaves no half file.
            let part = out.with_extension("xml.part");
            let mut file = std::fs::File::create(&part)
                .map_err(|e| CliError::Usage(format!("{}: {}", part.display(), io_reason(&e))))?;
            let mut bytes = 0usize;
            while let Some(chunk) = stream.message().await.map_err(s.refused(PAYOUT))? {
                std::io::Write::write_all(&mut file, &chunk.chunk).map_err(|e| {
                    CliError::Usage(format!("{}: {}", part.display(), io_reason(&e)))
                })?;
                bytes += chunk.chunk.len();
            }
            std::fs::rename(&part, out)
                .map_err(|e| CliError::Usage(format!("{}: {}", out.display(), io_reason(&e))))?;
            return s.print(
                || ExportView {
                    batch_id: batch_id.clone(),
                    file: out.display().to_string(),
                    bytes,
                },
                || {
                    wf(
                        "Betalfilen skrevs till {} ({} byte)\n",
                        &[&out.display(), &bytes],
                    )
                },
            );
        }
        BatchCommand::Status { file } => {
            let bytes = std::fs::read(file)
                .map_err(|e| CliError::Usage(format!("{}: {}", file.display(), io_reason(&e))))?;
            let imported = client
                .import_payment_status(pb::ImportPaymentStatusRequest { file: bytes })
                .await
                .map_err(s.refused(PAYOUT))?
                .into_inner();
            return s.print(|| StatusView::from(&imported), || status_text(&imported));
        }
        BatchCommand::List { paging } => {
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                async move {
                    let r = client
                        .list_payment_batches(pb::ListPaymentBatchesRequest {
                            page_size,
                            page_token,
                        })
                        .await?
                        .into_inner();
                    Ok::<_, PageError>((r.batches, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(s, EITHER))?;
            return s.print(
                || list.iter().map(BatchView::from).collect::<Vec<_>>(),
                || {
                    let mut text = String::new();
                    for b in &list {
                        let _ = writeln!(
                            text,
                            "{}  {:<12} {:>6} {}  {:>17}  {}",
                            b.id,
                            status_sv(b.status),
                            b.payout_count,
                            w("st"),
                            kr(&b.total),
                            b.created_by
                        );
                    }
                    if !next.is_empty() {
                        let _ = writeln!(text, "{}", wf("Nästa sida: --page-token {}", &[&next]));
                    }
                    text
                },
            );
        }
    };
    let batch = present(answer.map_err(s.refused(roles))?, "batch")?;
    s.print(|| BatchView::from(&batch), || batch_text(&batch))
}

/// A batch's status in Swedish.
fn status_sv(status: i32) -> &'static str {
    match pb::PaymentBatchStatus::try_from(status) {
        Ok(pb::PaymentBatchStatus::Created) => w("skapad"),
        Ok(pb::PaymentBatchStatus::Approved) => w("attesterad"),
        Ok(pb::PaymentBatchStatus::Exported) => w("exporterad"),
        Ok(pb::PaymentBatchStatus::Cancelled) => w("makulerad"),
        _ => w("okänd"),
    }
}

/// A payout's state at the bank in Swedish.
fn state_sv(state: i32) -> &'static str {
    match pb::PayoutBankState::try_from(state) {
        Ok(pb::PayoutBankState::Batched) => w("i betalningsuppdrag"),
        Ok(pb::PayoutBankState::Sent) => w("skickad"),
        Ok(pb::PayoutBankState::Accepted) => w("godkänd av banken"),
        Ok(pb::PayoutBankState::Rejected) => w("avvisad av banken"),
        Ok(pb::PayoutBankState::Booked) => w("bokförd"),
        Ok(pb::PayoutBankState::Returned) => w("returnerad"),
        _ => w("inte registrerad"),
    }
}

fn batch_text(b: &pb::PaymentBatch) -> String {
    let mut out = String::new();
    let line = |out: &mut String, text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(&mut out, wf("Betalningsuppdrag {}", &[&b.id]));
    line(&mut out, wf("  Status:        {}", &[&status_sv(b.status)]));
    line(&mut out, wf("  Antal:         {}", &[&b.payout_count]));
    line(&mut out, wf("  Summa:         {}", &[&kr(&b.total)]));
    line(&mut out, wf("  Skapad av:     {}", &[&b.created_by]));
    if !b.approved_by.is_empty() {
        line(&mut out, wf("  Attesterad av: {}", &[&b.approved_by]));
    }
    if !b.exported_by.is_empty() {
        line(&mut out, wf("  Exporterad av: {}", &[&b.exported_by]));
    }
    if !b.cancelled_by.is_empty() {
        line(
            &mut out,
            wf(
                "  Makulerad av:  {} ({})",
                &[&b.cancelled_by, &b.cancel_reason],
            ),
        );
    }
    line(&mut out, wf("  Meddelande-id: {}", &[&b.message_id]));
    out
}

fn status_text(r: &pb::ImportPaymentStatusResponse) -> String {
    let mut out = String::new();
    let kind = match pb::PaymentStatusFileKind::try_from(r.kind) {
        Ok(pb::PaymentStatusFileKind::Pain002) => w("statusrapport (pain.002)"),
        Ok(pb::PaymentStatusFileKind::Camt054) => w("debiteringsavisering (camt.054)"),
        _ => w("fil"),
    };
    if r.already_imported {
        let _ = writeln!(
            out,
            "{}",
            wf(
                "Filen {} ({}) är redan inläst: inget ändrades",
                &[&r.message_id, &kind],
            )
        );
        return out;
    }
    let _ = writeln!(out, "{}", wf("Inläst {} {}", &[&kind, &r.message_id]));
    for o in &r.outcomes {
        let what = if o.not_recorded.is_empty() {
            state_sv(o.state).to_owned()
        } else {
            wf("inte registrerad ({})", &[&o.not_recorded])
        };
        let reason = if o.reason_code.is_empty() {
            String::new()
        } else {
            wf(", orsak {}", &[&o.reason_code])
        };
        let _ = writeln!(out, "  {}  {what}{reason}", o.payout_id);
    }
    out
}

#[derive(Debug, Serialize)]
pub struct BatchView {
    pub id: String,
    pub status: String,
    pub payout_count: i32,
    pub total: Option<String>,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub exported_by: Option<String>,
    pub cancelled_by: Option<String>,
    pub message_id: String,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

impl From<&pb::PaymentBatch> for BatchView {
    fn from(b: &pb::PaymentBatch) -> Self {
        BatchView {
            id: b.id.clone(),
            status: pb::PaymentBatchStatus::try_from(b.status)
                .map(|s| s.as_str_name().to_owned())
                .unwrap_or_default(),
            payout_count: b.payout_count,
            total: amount_text(&b.total),
            created_by: b.created_by.clone(),
            approved_by: non_empty(&b.approved_by),
            exported_by: non_empty(&b.exported_by),
            cancelled_by: non_empty(&b.cancelled_by),
            message_id: b.message_id.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ExportView {
    pub batch_id: String,
    pub file: String,
    pub bytes: usize,
}

#[derive(Debug, Serialize)]
pub struct StatusView {
    pub message_id: String,
    pub already_imported: bool,
    pub outcomes: Vec<OutcomeView>,
}

#[derive(Debug, Serialize)]
pub struct OutcomeView {
    pub payout_id: String,
    pub state: Option<String>,
    pub reason_code: Option<String>,
    pub not_recorded: Option<String>,
}

impl From<&pb::ImportPaymentStatusResponse> for StatusView {
    fn from(r: &pb::ImportPaymentStatusResponse) -> Self {
        StatusView {
            message_id: r.message_id.clone(),
            already_imported: r.already_imported,
            outcomes: r
                .outcomes
                .iter()
                .map(|o| OutcomeView {
                    payout_id: o.payout_id.clone(),
                    state: pb::PayoutBankState::try_from(o.state)
                        .ok()
                        .filter(|s| *s != pb::PayoutBankState::Unspecified)
                        .map(|s| s.as_str_name().to_owned()),
                    reason_code: non_empty(&o.reason_code),
                    not_recorded: non_empty(&o.not_recorded),
                })
                .collect(),
        }
    }
}
