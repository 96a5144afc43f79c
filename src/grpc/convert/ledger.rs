//! The rent ledger: payouts, reversals and receipts, their kinds and
//! sources, OCR references and the filters of the ledger lists.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    date, day, enum_value, money_to_pb, month, optional_month, optional_uuid, page_size,
    page_token, past_date, positive, text, timestamp, uuid,
};
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
pub const MAX_DECISION_CHARS: usize = 100;

pub const MAX_REASON_CHARS: usize = 500;

/// How far before today a payout date may lie: a late record of last
/// year's payout is still accepted.
pub const PAYOUT_DATE_SPAN_DAYS: i64 = 366;

/// How far after today a payout date may lie: a payout is recorded when it
/// is decided, at most a month before it is paid.
pub const PAYOUT_DATE_AHEAD_DAYS: i64 = 31;

pub fn payment_kind(field: &str, raw: i32, v: &mut Violations) -> Option<RentPaymentKind> {
    enum_value(
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

pub fn payment_kind_to_pb(k: RentPaymentKind) -> pb::RentPaymentKind {
    match k {
        RentPaymentKind::Rent => pb::RentPaymentKind::Rent,
        RentPaymentKind::Arrears => pb::RentPaymentKind::Arrears,
    }
}

pub fn receipt_source(field: &str, raw: i32, v: &mut Violations) -> Option<ReceiptSource> {
    enum_value(
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

pub fn receipt_source_to_pb(s: ReceiptSource) -> pb::ReceiptSource {
    match s {
        ReceiptSource::ClientReceipt => pb::ReceiptSource::ClientReceipt,
        ReceiptSource::LandlordConfirmation => pb::ReceiptSource::LandlordConfirmation,
        ReceiptSource::Autogiro => pb::ReceiptSource::Autogiro,
        ReceiptSource::BankStatement => pb::ReceiptSource::BankStatement,
    }
}

/// An OCR reference: none when empty, else digits with a valid Luhn check
/// digit. The outer `None` is a violation.
pub fn ocr(field: &str, text: &str, v: &mut Violations) -> Option<Option<OcrReference>> {
    if text.is_empty() {
        return Some(None);
    }
    match OcrReference::parse(text, false) {
        Ok(reference) => Some(Some(reference)),
        Err(e) => {
            v.add(field, "OCR_INVALID", format!("not an OCR reference: {e}"));
            None
        }
    }
}

/// A required date at most [`PAYOUT_DATE_SPAN_DAYS`] before today and
/// [`PAYOUT_DATE_AHEAD_DAYS`] after it.
pub fn payout_date(
    field: &str,
    text: &str,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<NaiveDate> {
    if text.is_empty() {
        v.add(field, "REQUIRED", "required, as YYYY-MM-DD");
        return None;
    }
    let date = date(field, text, v)?;
    let days = (date - today).num_days();
    if days < -PAYOUT_DATE_SPAN_DAYS {
        v.add(field, "OUT_OF_RANGE", "must be within a year before today");
        return None;
    }
    if days > PAYOUT_DATE_AHEAD_DAYS {
        v.add(field, "OUT_OF_RANGE", "must be at most 31 days after today");
        return None;
    }
    Some(date)
}

/// The filters of a ledger list, with its page (size, and the id of the
/// previous page's last item). The filter is `None` after a violation. A
/// payout list may name a decision reference; a receipt list has none.
pub struct LedgerQuery<'a> {
    pub household_id: &'a str,
    pub lease_id: &'a str,
    pub from_month: &'a str,
    pub to_month: &'a str,
    pub decision_reference: Option<&'a str>,
    pub page_size: i32,
    pub page_token: &'a str,
}

macro_rules! ledger_request {
    ($message:ident { $($reference:ident)? }) => {
        impl<'a> From<&'a pb::$message> for LedgerQuery<'a> {
            fn from(request: &'a pb::$message) -> Self {
                let pb::$message {
                    household_id,
                    lease_id,
                    from_month,
                    to_month,
                    $($reference,)?
                    page_size,
                    page_token,
                } = request;
                LedgerQuery {
                    household_id,
                    lease_id,
                    from_month,
                    to_month,
                    decision_reference: None $(.or(Some($reference.as_str())))?,
                    page_size: *page_size,
                    page_token,
                }
            }
        }
    };
}

ledger_request!(ListRentPayoutsRequest { decision_reference });
ledger_request!(ListRentReceiptsRequest {});

pub fn ledger_query(
    q: LedgerQuery<'_>,
    v: &mut Violations,
) -> (Option<LedgerFilter>, u32, Option<Uuid>) {
    let household_id = optional_uuid("household_id", q.household_id, v);
    let lease_id = optional_uuid("lease_id", q.lease_id, v);
    let from = optional_month("from_month", q.from_month, v);
    let to = optional_month("to_month", q.to_month, v);
    if let (Some(Some(from)), Some(Some(to))) = (from, to)
        && to < from
    {
        v.add("to_month", "BEFORE_START", "must not be before from_month");
    }
    let decision_reference = q.decision_reference.and_then(|reference| {
        text(
            "decision_reference",
            reference,
            MAX_DECISION_CHARS,
            false,
            v,
        );
        let reference = reference.trim();
        (!reference.is_empty()).then(|| reference.to_owned())
    });
    let size = page_size("page_size", q.page_size, v);
    let after = page_token("page_token", q.page_token, v);
    let filter = (|| {
        Some(LedgerFilter {
            household_id: household_id?,
            lease_id: lease_id?,
            from: from?,
            to: to?,
            decision_reference,
        })
    })();
    (filter, size, after)
}

/// A payout to record (the request id aside).
pub fn payout_draft(
    message: pb::RecordRentPayoutRequest,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<PayoutDraft> {
    let pb::RecordRentPayoutRequest {
        request_id: _,
        lease_id,
        rent_month,
        kind,
        amount,
        decision_reference,
        ocr_reference,
        payout_date: date,
    } = message;
    let lease_id = uuid("lease_id", &lease_id, v);
    let rent_month = month("rent_month", &rent_month, v);
    let kind = payment_kind("kind", kind, v);
    let amount = positive("amount", amount.as_ref(), v);
    text(
        "decision_reference",
        &decision_reference,
        MAX_DECISION_CHARS,
        true,
        v,
    );
    let ocr_reference = ocr("ocr_reference", &ocr_reference, v);
    let payout_date = payout_date("payout_date", &date, today, v);
    Some(PayoutDraft {
        lease_id: lease_id?,
        rent_month: rent_month?,
        kind: kind?,
        amount: amount?,
        decision_reference: decision_reference.trim().to_owned(),
        ocr_reference: ocr_reference?,
        payout_date: payout_date?,
    })
}

/// A receipt to record (the request id aside).
pub fn receipt_draft(
    message: pb::RecordRentReceiptRequest,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<ReceiptDraft> {
    let pb::RecordRentReceiptRequest {
        request_id: _,
        lease_id,
        rent_month,
        kind,
        amount,
        paid_date,
        source,
    } = message;
    let lease_id = uuid("lease_id", &lease_id, v);
    let rent_month = month("rent_month", &rent_month, v);
    let kind = payment_kind("kind", kind, v);
    let amount = positive("amount", amount.as_ref(), v);
    if paid_date.is_empty() {
        v.add("paid_date", "REQUIRED", "required, as YYYY-MM-DD");
    }
    let paid_date = past_date("paid_date", &paid_date, today, v);
    let source = receipt_source("source", source, v);
    Some(ReceiptDraft {
        lease_id: lease_id?,
        rent_month: rent_month?,
        kind: kind?,
        amount: amount?,
        paid_date: paid_date?,
        source: source?,
    })
}

pub fn payout_to_pb(p: &RentPayout) -> pb::RentPayout {
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
        amount: money_to_pb(d.amount),
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
        record_time: Some(timestamp(p.recorded_at)),
        reversal: p.reversal.as_ref().map(|r| pb::RentPayoutReversal {
            id: r.id.to_string(),
            reason: r.reason.clone(),
            recorded_by: r.recorded_by.clone(),
            record_time: Some(timestamp(r.recorded_at)),
        }),
        bank_states: Vec::new(),
    }
}

pub fn receipt_to_pb(r: &RentReceipt) -> pb::RentReceipt {
    let d = &r.draft;
    pb::RentReceipt {
        id: r.id.to_string(),
        household_id: r.household_id.to_string(),
        lease_id: d.lease_id.to_string(),
        rent_month: d.rent_month.to_string(),
        kind: payment_kind_to_pb(d.kind) as i32,
        amount: money_to_pb(d.amount),
        paid_date: day(d.paid_date),
        source: receipt_source_to_pb(d.source) as i32,
        plan_id: r.plan_id.map(|id| id.to_string()).unwrap_or_default(),
        recorded_by: r.recorded_by.clone(),
        record_time: Some(timestamp(r.recorded_at)),
    }
}
