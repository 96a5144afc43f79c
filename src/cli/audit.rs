//! `audit list`: the audit trail of accesses to household data; `admin
//! verify-ledger`: whether the ledger and the trail are as written.

use super::args::{AuditCommand, Cli};
use super::names::words::{w, wf};
use super::session::{AUDITOR, CliError, PageError, Session, collect_pages};
use super::{render, view};
use crate::pb;
use serde::Serialize;
use tonic::Request;

pub(super) async fn audit(cli: &Cli, cmd: &AuditCommand) -> Result<(), CliError> {
    let AuditCommand::List {
        household,
        caller,
        method,
        outcome,
        since,
        until,
        record,
        paging,
    } = cmd;
    let s = Session::open(cli).await?;
    let client = s.audit();
    let request = pb::ListAuditEventsRequest {
        household_id: household.clone().unwrap_or_default(),
        caller: caller.clone().unwrap_or_default(),
        method: method.clone().unwrap_or_default(),
        outcome: outcome.clone().unwrap_or_default(),
        start_time: *since,
        end_time: *until,
        page_size: paging.page_size.unwrap_or_default(),
        page_token: String::new(),
        record_id: record.clone().unwrap_or_default(),
    };
    let (list, next) = collect_pages(paging, |page_token| {
        let mut client = client.clone();
        let request = pb::ListAuditEventsRequest {
            page_token,
            ..request.clone()
        };
        async move {
            let r = client.list_audit_events(request).await?.into_inner();
            Ok::<_, PageError>((r.events, r.next_page_token))
        }
    })
    .await
    .map_err(|e| e.into_cli(&s, AUDITOR))?;
    s.print(
        || view::AuditListView {
            events: list.iter().map(view::AuditEventView::from).collect(),
            next_page_token: next.clone(),
        },
        || render::audit_events(&list, &next),
    )
}

/// What `admin verify-ledger --json` prints.
#[derive(Debug, Serialize)]
struct VerificationView {
    intact: bool,
    ledger_entries_checked: u64,
    ledger_chains_checked: u64,
    audit_events_checked: u64,
    audit_events_unsealed: u64,
    ledger_root: String,
    audit_head: String,
    /// `null` when every record matches.
    first_mismatch: Option<MismatchView>,
}

#[derive(Debug, Serialize)]
struct MismatchView {
    /// payout, reversal, receipt or audit_event.
    record_kind: &'static str,
    record_id: String,
    /// hash_mismatch, record_missing, record_unchained or chain_broken.
    mismatch: &'static str,
}

fn kind_names(kind: i32) -> (&'static str, &'static str) {
    match pb::ChainedRecordKind::try_from(kind) {
        Ok(pb::ChainedRecordKind::Payout) => ("payout", w("utbetalning")),
        Ok(pb::ChainedRecordKind::Reversal) => ("reversal", w("återföring")),
        Ok(pb::ChainedRecordKind::Receipt) => ("receipt", w("kvitto")),
        Ok(pb::ChainedRecordKind::AuditEvent) => ("audit_event", w("loggpost")),
        _ => ("unspecified", w("okänd post")),
    }
}

fn mismatch_names(mismatch: i32) -> (&'static str, &'static str) {
    match pb::ChainMismatchKind::try_from(mismatch) {
        Ok(pb::ChainMismatchKind::HashMismatch) => (
            "hash_mismatch",
            w("innehållet ger inte längre den hash som sparades"),
        ),
        Ok(pb::ChainMismatchKind::RecordMissing) => (
            "record_missing",
            w("posten finns i kedjan men är borttagen"),
        ),
        Ok(pb::ChainMismatchKind::RecordUnchained) => {
            ("record_unchained", w("posten saknas i kedjan"))
        }
        Ok(pb::ChainMismatchKind::ChainBroken) => {
            ("chain_broken", w("länken pekar inte på länken före den"))
        }
        _ => ("unspecified", w("okänd avvikelse")),
    }
}

/// A count with spaces between thousands, as Swedish text writes it.
fn count(n: u64) -> String {
    render::group_thousands(&n.to_string())
}

pub(super) async fn verify_ledger(cli: &Cli) -> Result<(), CliError> {
    let s = Session::open(cli).await?;
    let r = s
        .admin()
        .verify_ledger(Request::new(pb::VerifyLedgerRequest {}))
        .await
        .map_err(s.refused(AUDITOR))?
        .into_inner();
    s.print(
        || VerificationView {
            intact: r.intact,
            ledger_entries_checked: r.ledger_entries_checked,
            ledger_chains_checked: r.ledger_chains_checked,
            audit_events_checked: r.audit_events_checked,
            audit_events_unsealed: r.audit_events_unsealed,
            ledger_root: r.ledger_root.clone(),
            audit_head: r.audit_head.clone(),
            first_mismatch: r.first_mismatch.as_ref().map(|m| MismatchView {
                record_kind: kind_names(m.record_kind).0,
                record_id: m.record_id.clone(),
                mismatch: mismatch_names(m.mismatch).0,
            }),
        },
        || {
            let mut out = String::new();
            match &r.first_mismatch {
                None => out.push_str(w("Hashkedjorna stämmer: ingen post är ändrad.\n")),
                Some(m) => out.push_str(&wf(
                    "AVVIKELSE: första posten som inte stämmer är {} {}: {}.\n",
                    &[
                        &kind_names(m.record_kind).1,
                        &m.record_id,
                        &mismatch_names(m.mismatch).1,
                    ],
                )),
            }
            out.push_str(&wf(
                "Reskontraposter kontrollerade: {} (i {} hyreskontrakts kedjor)\n",
                &[
                    &count(r.ledger_entries_checked),
                    &count(r.ledger_chains_checked),
                ],
            ));
            out.push_str(&wf(
                "Loggposter kontrollerade: {} (ännu inte förseglade: {})\n",
                &[
                    &count(r.audit_events_checked),
                    &count(r.audit_events_unsealed),
                ],
            ));
            out.push_str(&wf(
                "Reskontrans rotsumma (spara den utanför databasen): {}\n",
                &[&r.ledger_root],
            ));
            out.push_str(&wf("Loggkedjans sista hash: {}\n", &[&r.audit_head]));
            out
        },
    )?;
    if r.intact {
        Ok(())
    } else {
        Err(CliError::Server(
            w("reskontran eller loggen stämmer inte med sin hashkedja").into(),
        ))
    }
}
