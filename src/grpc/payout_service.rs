//! `PayoutService`: the rent ledger (DESIGN §3.6). Rent paid out of
//! försörjningsstöd straight to the landlord, reversals, and the household's
//! own receipts. Every call is about a household and is audited; the
//! recording calls are idempotent by `request_id`, and the ledger's rules
//! (rent cap, reversal at most once, OCR) are kept by the store inside the
//! writing transaction. The writes look nothing up first: the store finds
//! the household under its lock and names it in a refusal
//! (`StoreError::About`), so a refused payout is audited against it too.

use std::sync::Arc;

use chrono::NaiveDate;
use tonic::{Request, Response, Status};

use super::audit::AuditCall;
use super::convert;
use super::rent_service::{day, positive};
use crate::app::App;
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::identity::OcrReference;
use crate::domain::lease::PaymentAccount;
use crate::domain::ledger::{
    PayoutDraft, ReceiptDraft, ReceiptSource, RentPaymentKind, RentPayout, RentReceipt,
};
use crate::pb;
use crate::store::LedgerFilter;

/// A decision reference of an assistance system (Treserva, Viva, Procapita
/// and the like use short case and decision numbers).
const MAX_DECISION_CHARS: usize = 100;
const MAX_REASON_CHARS: usize = 500;
/// How far from today a payout date may lie either way.
const PAYOUT_DATE_SPAN_DAYS: i64 = 366;

pub struct PayoutApi {
    app: Arc<App>,
}

impl PayoutApi {
    pub fn new(app: Arc<App>) -> Self {
        PayoutApi { app }
    }
}

fn payment_kind(field: &str, raw: i32, v: &mut Violations) -> Option<RentPaymentKind> {
    convert::enum_value(
        field,
        raw,
        |k: pb::RentPaymentKind| match k {
            pb::RentPaymentKind::Unspecified => None,
            pb::RentPaymentKind::Rent => Some(RentPaymentKind::Rent),
            pb::RentPaymentKind::Arrears => Some(RentPaymentKind::Arrears),
        },
        v,
    )
}

fn payment_kind_to_pb(k: RentPaymentKind) -> pb::RentPaymentKind {
    match k {
        RentPaymentKind::Rent => pb::RentPaymentKind::Rent,
        RentPaymentKind::Arrears => pb::RentPaymentKind::Arrears,
    }
}

fn receipt_source(field: &str, raw: i32, v: &mut Violations) -> Option<ReceiptSource> {
    convert::enum_value(
        field,
        raw,
        |s: pb::ReceiptSource| match s {
            pb::ReceiptSource::Unspecified => None,
            pb::ReceiptSource::ClientReceipt => Some(ReceiptSource::ClientReceipt),
            pb::ReceiptSource::LandlordConfirmation => Some(ReceiptSource::LandlordConfirmation),
            pb::ReceiptSource::Autogiro => Some(ReceiptSource::Autogiro),
            pb::ReceiptSource::BankStatement => Some(ReceiptSource::BankStatement),
        },
        v,
    )
}

fn receipt_source_to_pb(s: ReceiptSource) -> pb::ReceiptSource {
    match s {
        ReceiptSource::ClientReceipt => pb::ReceiptSource::ClientReceipt,
        ReceiptSource::LandlordConfirmation => pb::ReceiptSource::LandlordConfirmation,
        ReceiptSource::Autogiro => pb::ReceiptSource::Autogiro,
        ReceiptSource::BankStatement => pb::ReceiptSource::BankStatement,
    }
}

/// An OCR reference: none when empty, else digits with a valid Luhn check
/// digit. The outer `None` is a violation.
fn ocr(field: &str, text: &str, v: &mut Violations) -> Option<Option<OcrReference>> {
    if text.is_empty() {
        return Some(None);
    }
    match OcrReference::parse(text, false) {
        Ok(reference) => Some(Some(reference)),
        Err(e) => {
            v.add(field, format!("not an OCR reference: {e}"));
            None
        }
    }
}

/// A required date within [`PAYOUT_DATE_SPAN_DAYS`] of today.
fn payout_date(field: &str, text: &str, today: NaiveDate, v: &mut Violations) -> Option<NaiveDate> {
    if text.is_empty() {
        v.add(field, "required, as YYYY-MM-DD");
        return None;
    }
    let date = convert::date(field, text, v)?;
    if (date - today).num_days().abs() > PAYOUT_DATE_SPAN_DAYS {
        v.add(field, "must be within a year of today");
        return None;
    }
    Some(date)
}

fn optional_month(field: &str, text: &str, v: &mut Violations) -> Option<Option<YearMonth>> {
    if text.is_empty() {
        Some(None)
    } else {
        convert::month(field, text, v).map(Some)
    }
}

fn optional_uuid(field: &str, text: &str, v: &mut Violations) -> Option<Option<uuid::Uuid>> {
    if text.is_empty() {
        Some(None)
    } else {
        convert::uuid(field, text, v).map(Some)
    }
}

/// The filters of a list call. The outer `None` is a violation.
fn ledger_filter(
    household_id: &str,
    lease_id: &str,
    from_month: &str,
    to_month: &str,
    v: &mut Violations,
) -> Option<LedgerFilter> {
    let household_id = optional_uuid("household_id", household_id, v);
    let lease_id = optional_uuid("lease_id", lease_id, v);
    let from = optional_month("from_month", from_month, v);
    let to = optional_month("to_month", to_month, v);
    if let (Some(Some(from)), Some(Some(to))) = (from, to)
        && to < from
    {
        v.add("to_month", "must not be before from_month");
    }
    Some(LedgerFilter {
        household_id: household_id?,
        lease_id: lease_id?,
        from: from?,
        to: to?,
        decision_reference: None,
    })
}

fn payout_to_pb(p: &RentPayout) -> pb::RentPayout {
    let (bankgiro, plusgiro) = match &p.payee {
        PaymentAccount::Bankgiro(bg) => (bg.as_str().to_owned(), String::new()),
        PaymentAccount::Plusgiro(pg) => (String::new(), pg.as_str().to_owned()),
    };
    let d = &p.draft;
    pb::RentPayout {
        id: p.id.to_string(),
        household_id: p.household_id.to_string(),
        lease_id: d.lease_id.to_string(),
        rent_month: d.rent_month.to_string(),
        kind: payment_kind_to_pb(d.kind) as i32,
        amount: convert::money_to_pb(d.amount),
        decision_reference: d.decision_reference.clone(),
        payee_bankgiro: bankgiro,
        payee_plusgiro: plusgiro,
        ocr_reference: d
            .ocr_reference
            .as_ref()
            .map(|o| o.as_str().to_owned())
            .unwrap_or_default(),
        payout_date: day(d.payout_date),
        plan_id: p.plan_id.map(|id| id.to_string()).unwrap_or_default(),
        recorded_by: p.recorded_by.clone(),
        record_time: Some(convert::timestamp(p.recorded_at)),
        reversal: p.reversal.as_ref().map(|r| pb::RentPayoutReversal {
            id: r.id.to_string(),
            reason: r.reason.clone(),
            recorded_by: r.recorded_by.clone(),
            record_time: Some(convert::timestamp(r.recorded_at)),
        }),
    }
}

fn receipt_to_pb(r: &RentReceipt) -> pb::RentReceipt {
    let d = &r.draft;
    pb::RentReceipt {
        id: r.id.to_string(),
        household_id: r.household_id.to_string(),
        lease_id: d.lease_id.to_string(),
        rent_month: d.rent_month.to_string(),
        kind: payment_kind_to_pb(d.kind) as i32,
        amount: convert::money_to_pb(d.amount),
        paid_date: day(d.paid_date),
        source: receipt_source_to_pb(d.source) as i32,
        plan_id: r.plan_id.map(|id| id.to_string()).unwrap_or_default(),
        recorded_by: r.recorded_by.clone(),
        record_time: Some(convert::timestamp(r.recorded_at)),
    }
}

#[tonic::async_trait]
impl pb::payout_service_server::PayoutService for PayoutApi {
    async fn record_rent_payout(
        &self,
        request: Request<pb::RecordRentPayoutRequest>,
    ) -> Result<Response<pb::RecordRentPayoutResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::RecordRentPayoutRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::RecordRentPayoutRequest {
                request_id,
                lease_id,
                rent_month,
                kind,
                amount,
                decision_reference,
                ocr_reference,
                payout_date: date,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let rent_month = convert::month("rent_month", &rent_month, &mut v);
            let kind = payment_kind("kind", kind, &mut v);
            let amount = positive("amount", amount.as_ref(), &mut v);
            convert::text(
                "decision_reference",
                &decision_reference,
                MAX_DECISION_CHARS,
                true,
                &mut v,
            );
            let ocr_reference = ocr("ocr_reference", &ocr_reference, &mut v);
            let date = payout_date("payout_date", &date, self.app.clock.today(), &mut v);
            let fields = v.finish((
                idempotency,
                lease_id,
                rent_month,
                kind,
                amount,
                ocr_reference,
                date,
            ))?;
            let (
                (Some(idempotency), Some(lease_id), Some(rent_month)),
                (Some(kind), Some(amount), Some(ocr_reference), Some(payout_date)),
            ) = (
                (fields.0, fields.1, fields.2),
                (fields.3, fields.4, fields.5, fields.6),
            )
            else {
                return Err(Status::invalid_argument("the payout is incomplete"));
            };
            let draft = PayoutDraft {
                lease_id,
                rent_month,
                kind,
                amount,
                decision_reference: decision_reference.trim().to_owned(),
                ocr_reference,
                payout_date,
            };
            let payout = audit
                .write(
                    self.app
                        .store
                        .record_rent_payout(&draft, &idempotency, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::RecordRentPayoutResponse {
                payout: Some(payout_to_pb(&payout)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn reverse_rent_payout(
        &self,
        request: Request<pb::ReverseRentPayoutRequest>,
    ) -> Result<Response<pb::ReverseRentPayoutResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::ReverseRentPayoutRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::ReverseRentPayoutRequest {
                request_id,
                payout_id,
                reason,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let payout_id = convert::uuid("payout_id", &payout_id, &mut v);
            convert::text("reason", &reason, MAX_REASON_CHARS, true, &mut v);
            let (Some(idempotency), Some(payout_id)) = v.finish((idempotency, payout_id))? else {
                return Err(Status::invalid_argument("the reversal is incomplete"));
            };
            let payout = audit
                .write(self.app.store.reverse_rent_payout(
                    payout_id,
                    reason.trim(),
                    &idempotency,
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::ReverseRentPayoutResponse {
                payout: Some(payout_to_pb(&payout)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_rent_payout(
        &self,
        request: Request<pb::GetRentPayoutRequest>,
    ) -> Result<Response<pb::GetRentPayoutResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetRentPayoutRequest { id } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let id = v
                .finish(id)?
                .ok_or_else(|| Status::invalid_argument("id is required"))?;
            let payout = self.app.store.get_rent_payout(id).await?;
            audit.touch(payout.household_id);
            Ok(Response::new(pb::GetRentPayoutResponse {
                payout: Some(payout_to_pb(&payout)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_rent_payouts(
        &self,
        request: Request<pb::ListRentPayoutsRequest>,
    ) -> Result<Response<pb::ListRentPayoutsResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListRentPayoutsRequest {
            household_id,
            lease_id,
            from_month,
            to_month,
            decision_reference,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let filter = ledger_filter(&household_id, &lease_id, &from_month, &to_month, &mut v);
            convert::text(
                "decision_reference",
                &decision_reference,
                MAX_DECISION_CHARS,
                false,
                &mut v,
            );
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let mut filter = v
                .finish(filter)?
                .ok_or_else(|| Status::invalid_argument("the filter is incomplete"))?;
            let decision_reference = decision_reference.trim();
            if !decision_reference.is_empty() {
                filter.decision_reference = Some(decision_reference.to_owned());
            }
            if let Some(household) = filter.household_id {
                audit.existing_household(household).await?;
            }
            let page = self
                .app
                .store
                .list_rent_payouts(&filter, after, size)
                .await?;
            for payout in &page.items {
                audit.touch(payout.household_id);
            }
            Ok(Response::new(pb::ListRentPayoutsResponse {
                payouts: page.items.iter().map(payout_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn record_rent_receipt(
        &self,
        request: Request<pb::RecordRentReceiptRequest>,
    ) -> Result<Response<pb::RecordRentReceiptResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::RecordRentReceiptRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::RecordRentReceiptRequest {
                request_id,
                lease_id,
                rent_month,
                kind,
                amount,
                paid_date,
                source,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let rent_month = convert::month("rent_month", &rent_month, &mut v);
            let kind = payment_kind("kind", kind, &mut v);
            let amount = positive("amount", amount.as_ref(), &mut v);
            if paid_date.is_empty() {
                v.add("paid_date", "required, as YYYY-MM-DD");
            }
            let paid_date =
                convert::past_date("paid_date", &paid_date, self.app.clock.today(), &mut v);
            let source = receipt_source("source", source, &mut v);
            let fields = v.finish((
                idempotency,
                lease_id,
                rent_month,
                kind,
                amount,
                paid_date,
                source,
            ))?;
            let (
                (Some(idempotency), Some(lease_id), Some(rent_month)),
                (Some(kind), Some(amount), Some(paid_date), Some(source)),
            ) = (
                (fields.0, fields.1, fields.2),
                (fields.3, fields.4, fields.5, fields.6),
            )
            else {
                return Err(Status::invalid_argument("the receipt is incomplete"));
            };
            let draft = ReceiptDraft {
                lease_id,
                rent_month,
                kind,
                amount,
                paid_date,
                source,
            };
            let receipt = audit
                .write(
                    self.app
                        .store
                        .record_rent_receipt(&draft, &idempotency, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::RecordRentReceiptResponse {
                receipt: Some(receipt_to_pb(&receipt)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_rent_receipt(
        &self,
        request: Request<pb::GetRentReceiptRequest>,
    ) -> Result<Response<pb::GetRentReceiptResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetRentReceiptRequest { id } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let id = v
                .finish(id)?
                .ok_or_else(|| Status::invalid_argument("id is required"))?;
            let receipt = self.app.store.get_rent_receipt(id).await?;
            audit.touch(receipt.household_id);
            Ok(Response::new(pb::GetRentReceiptResponse {
                receipt: Some(receipt_to_pb(&receipt)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_rent_receipts(
        &self,
        request: Request<pb::ListRentReceiptsRequest>,
    ) -> Result<Response<pb::ListRentReceiptsResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListRentReceiptsRequest {
            household_id,
            lease_id,
            from_month,
            to_month,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let filter = ledger_filter(&household_id, &lease_id, &from_month, &to_month, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let filter = v
                .finish(filter)?
                .ok_or_else(|| Status::invalid_argument("the filter is incomplete"))?;
            if let Some(household) = filter.household_id {
                audit.existing_household(household).await?;
            }
            let page = self
                .app
                .store
                .list_rent_receipts(&filter, after, size)
                .await?;
            for receipt in &page.items {
                audit.touch(receipt.household_id);
            }
            Ok(Response::new(pb::ListRentReceiptsResponse {
                receipts: page.items.iter().map(receipt_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }
}
