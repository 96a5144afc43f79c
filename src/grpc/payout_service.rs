//! `PayoutService`: the rent ledger. Rent paid out of försörjningsstöd
//! straight to the landlord, reversals, and the household's
//! own receipts. Every call is about a household and is audited; the
//! recording calls are idempotent by `request_id`, and the ledger's rules
//! (the bounds of `domain::ledger::accept_payout`, reversal at most once,
//! OCR) are kept by the store inside the writing transaction; the
//! per-payout ceiling (`--max-payout-kr`) comes from [`App`]. The writes look nothing up first: the store finds
//! the household under its lock and names it in a refusal
//! (`StoreError::About`), so a refused payout is audited against it too,
//! and refuses another unit's household there (`OTHER_UNIT`, NOT_FOUND to
//! the caller).

use std::sync::Arc;

use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::ledger::{
    LedgerQuery, MAX_REASON_CHARS, ledger_query, payout_draft, payout_to_pb, receipt_draft,
    receipt_to_pb,
};
use super::convert::payments::bank_state_entry_to_pb;
use super::convert::{self, finish, money_to_pb};
use crate::app::App;
use crate::domain::audit::RecordKind;
use crate::domain::error::Violations;
use crate::pb;
use crate::store::LedgerFilter;
use crate::store::reads_may_lag;

pub struct PayoutApi {
    app: Arc<App>,
}

impl PayoutApi {
    pub fn new(app: Arc<App>) -> Self {
        PayoutApi { app }
    }
}

/// A ledger list's filter, page size and token, parsed; the household it
/// names is touched and must exist.
async fn ledger_list(
    audit: &AuditCall,
    query: LedgerQuery<'_>,
) -> Result<(LedgerFilter, u32, Option<Uuid>), Status> {
    let mut v = Violations::new();
    let (filter, size, after) = ledger_query(query, &mut v);
    let filter = finish(v, filter)?;
    if let Some(household) = filter.household_id {
        audit.existing_household(household).await?;
    }
    Ok((filter, size, after))
}

#[tonic::async_trait]
impl pb::payout_service_server::PayoutService for PayoutApi {
    async fn record_rent_payout(
        &self,
        request: Request<pb::RecordRentPayoutRequest>,
    ) -> Result<Response<pb::RecordRentPayoutResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let draft = payout_draft(message, self.app.clock.today(), &mut v);
            let (idempotency, draft) = finish(v, (idempotency, draft))?;
            let payout = audit
                .write(self.app.store.record_rent_payout(
                    &draft,
                    self.app.max_payout,
                    audit.units(),
                    &idempotency,
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::RecordRentPayoutResponse {
                payout: Some(payout_to_pb(&payout)),
            }))
        })
        .await
    }

    async fn reverse_rent_payout(
        &self,
        request: Request<pb::ReverseRentPayoutRequest>,
    ) -> Result<Response<pb::ReverseRentPayoutResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let pb::ReverseRentPayoutRequest {
                request_id: _,
                payout_id,
                reason,
            } = message;
            let payout_id = convert::uuid("payout_id", &payout_id, &mut v);
            convert::text("reason", &reason, MAX_REASON_CHARS, true, &mut v);
            let (idempotency, payout_id) = finish(v, (idempotency, payout_id))?;
            let payout = audit
                .write(self.app.store.reverse_rent_payout(
                    payout_id,
                    reason.trim(),
                    audit.units(),
                    &idempotency,
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::ReverseRentPayoutResponse {
                payout: Some(payout_to_pb(&payout)),
            }))
        })
        .await
    }

    async fn get_rent_payout(
        &self,
        request: Request<pb::GetRentPayoutRequest>,
    ) -> Result<Response<pb::GetRentPayoutResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::GetRentPayoutRequest { id } = message;
            let payout = self
                .app
                .store
                .get_rent_payout(convert::id("id", &id)?)
                .await?;
            audit.visible(payout.household_id, "rent payout").await?;
            audit.record(RecordKind::Payout, payout.id);
            let mut answer = payout_to_pb(&payout);
            answer.bank_states = self
                .app
                .store
                .payout_bank_states(payout.id)
                .await?
                .iter()
                .map(bank_state_entry_to_pb)
                .collect();
            Ok(Response::new(pb::GetRentPayoutResponse {
                payout: Some(answer),
            }))
        })
        .await
    }

    async fn list_rent_payouts(
        &self,
        request: Request<pb::ListRentPayoutsRequest>,
    ) -> Result<Response<pb::ListRentPayoutsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (filter, size, after) = ledger_list(audit, (&message).into()).await?;
            let page = reads_may_lag(self.app.store.list_rent_payouts(
                audit.units(),
                &filter,
                after,
                size,
            ))
            .await?;
            for payout in &page.items {
                audit.listed(payout.household_id);
                audit.record(RecordKind::Payout, payout.id);
            }
            Ok(Response::new(pb::ListRentPayoutsResponse {
                payouts: page.items.iter().map(payout_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn record_rent_receipt(
        &self,
        request: Request<pb::RecordRentReceiptRequest>,
    ) -> Result<Response<pb::RecordRentReceiptResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let draft = receipt_draft(message, self.app.clock.today(), &mut v);
            let (idempotency, draft) = finish(v, (idempotency, draft))?;
            let recorded = audit
                .write(self.app.store.record_rent_receipt(
                    &draft,
                    audit.units(),
                    &idempotency,
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::RecordRentReceiptResponse {
                receipt: Some(receipt_to_pb(&recorded.receipt)),
                overpaid: money_to_pb(recorded.overpaid),
            }))
        })
        .await
    }

    async fn get_rent_receipt(
        &self,
        request: Request<pb::GetRentReceiptRequest>,
    ) -> Result<Response<pb::GetRentReceiptResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::GetRentReceiptRequest { id } = message;
            let receipt = self
                .app
                .store
                .get_rent_receipt(convert::id("id", &id)?)
                .await?;
            audit.visible(receipt.household_id, "rent receipt").await?;
            audit.record(RecordKind::Receipt, receipt.id);
            Ok(Response::new(pb::GetRentReceiptResponse {
                receipt: Some(receipt_to_pb(&receipt)),
            }))
        })
        .await
    }

    async fn list_rent_receipts(
        &self,
        request: Request<pb::ListRentReceiptsRequest>,
    ) -> Result<Response<pb::ListRentReceiptsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (filter, size, after) = ledger_list(audit, (&message).into()).await?;
            let page = reads_may_lag(self.app.store.list_rent_receipts(
                audit.units(),
                &filter,
                after,
                size,
            ))
            .await?;
            for receipt in &page.items {
                audit.listed(receipt.household_id);
                audit.record(RecordKind::Receipt, receipt.id);
            }
            Ok(Response::new(pb::ListRentReceiptsResponse {
                receipts: page.items.iter().map(receipt_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }
}
