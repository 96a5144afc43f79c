//! Payment batches and bank states between proto and domain.

use uuid::Uuid;

use super::ledger::{MAX_REASON_CHARS, payment_kind_to_pb};
use super::{date, filter_enum, finish, money_to_pb, page_size, page_token, text, timestamp};
use crate::domain::error::Violations;
use crate::domain::ledger::RentPaymentKind;
use crate::domain::payment::bank_status::StatusFileKind;
use crate::domain::payment::{BankState, BankStateEntry, BatchFilter, BatchStatus, PaymentBatch};
use crate::pb;
use crate::store::StatusOutcome;
use tonic::Status;

/// How many payout ids GetPaymentBatch names at most.
pub const MAX_LISTED_PAYOUTS: u32 = 1000;

pub fn batch_status_to_pb(s: BatchStatus) -> pb::PaymentBatchStatus {
    match s {
        BatchStatus::Created => pb::PaymentBatchStatus::Created,
        BatchStatus::Approved => pb::PaymentBatchStatus::Approved,
        BatchStatus::Exported => pb::PaymentBatchStatus::Exported,
        BatchStatus::Cancelled => pb::PaymentBatchStatus::Cancelled,
    }
}

pub fn bank_state_to_pb(s: BankState) -> pb::PayoutBankState {
    match s {
        BankState::Batched => pb::PayoutBankState::Batched,
        BankState::Sent => pb::PayoutBankState::Sent,
        BankState::Accepted => pb::PayoutBankState::Accepted,
        BankState::Rejected => pb::PayoutBankState::Rejected,
        BankState::Booked => pb::PayoutBankState::Booked,
        BankState::Returned => pb::PayoutBankState::Returned,
    }
}

pub fn bank_state_entry_to_pb(e: &BankStateEntry) -> pb::PayoutBankStateChange {
    pb::PayoutBankStateChange {
        state: bank_state_to_pb(e.state) as i32,
        batch_id: e.batch_id.to_string(),
        reason_code: e.reason_code.clone().unwrap_or_default(),
        message_id: e.message_id.clone(),
        record_time: Some(timestamp(e.recorded_at)),
    }
}

pub fn batch_to_pb(b: &PaymentBatch) -> pb::PaymentBatch {
    let by = |e: &Option<crate::domain::payment::BatchEvent>| {
        e.as_ref().map(|e| e.by.clone()).unwrap_or_default()
    };
    let at = |e: &Option<crate::domain::payment::BatchEvent>| e.as_ref().map(|e| timestamp(e.at));
    pb::PaymentBatch {
        id: b.id.to_string(),
        status: batch_status_to_pb(b.status()) as i32,
        payout_count: i32::try_from(b.payout_count).unwrap_or(i32::MAX),
        total: money_to_pb(b.total),
        from_date: b.filter.from.map(super::day).unwrap_or_default(),
        to_date: b.filter.to.map(super::day).unwrap_or_default(),
        kind: b
            .filter
            .kind
            .map_or(pb::RentPaymentKind::Unspecified, payment_kind_to_pb) as i32,
        created_by: b.created_by.clone(),
        create_time: Some(timestamp(b.created_at)),
        approved_by: by(&b.approved),
        approve_time: at(&b.approved),
        exported_by: by(&b.exported),
        export_time: at(&b.exported),
        cancelled_by: by(&b.cancelled),
        cancel_time: at(&b.cancelled),
        cancel_reason: b
            .cancelled
            .as_ref()
            .and_then(|c| c.reason.clone())
            .unwrap_or_default(),
        message_id: b.message_id.clone(),
    }
}

/// The filters of a batch to create; each date may be left out.
pub fn batch_filter(m: &pb::CreatePaymentBatchRequest, v: &mut Violations) -> Option<BatchFilter> {
    let optional_date = |field: &str, text: &str, v: &mut Violations| {
        if text.is_empty() {
            Some(None)
        } else {
            date(field, text, v).map(Some)
        }
    };
    let from = optional_date("from_date", &m.from_date, v);
    let to = optional_date("to_date", &m.to_date, v);
    if let (Some(Some(from)), Some(Some(to))) = (from, to)
        && to < from
    {
        v.add("to_date", "BEFORE_START", "must not be before from_date");
    }
    let kind = filter_enum(
        "kind",
        m.kind,
        |raw| match pb::RentPaymentKind::try_from(raw).ok()? {
            pb::RentPaymentKind::Rent => Some(RentPaymentKind::Rent),
            pb::RentPaymentKind::Arrears => Some(RentPaymentKind::Arrears),
            pb::RentPaymentKind::Unspecified => None,
        },
        v,
    );
    Some(BatchFilter {
        from: from?,
        to: to?,
        kind,
    })
}

/// A list's page size and token.
pub fn batch_page(m: &pb::ListPaymentBatchesRequest) -> Result<(u32, Option<Uuid>), Status> {
    let mut v = Violations::new();
    let size = page_size("page_size", m.page_size, &mut v);
    let after = page_token("page_token", &m.page_token, &mut v);
    v.finish(())?;
    Ok((size, after))
}

/// A cancellation's reason, checked.
pub fn cancel_reason(reason: &str, v: &mut Violations) -> String {
    text("reason", reason, MAX_REASON_CHARS, true, v);
    reason.trim().to_owned()
}

pub fn file_kind_to_pb(k: StatusFileKind) -> pb::PaymentStatusFileKind {
    match k {
        StatusFileKind::Pain002 => pb::PaymentStatusFileKind::Pain002,
        StatusFileKind::Camt054 => pb::PaymentStatusFileKind::Camt054,
    }
}

pub fn outcome_to_pb(o: &StatusOutcome) -> pb::PaymentStatusOutcome {
    pb::PaymentStatusOutcome {
        payout_id: o
            .payout_id
            .map(|p| p.to_string())
            .unwrap_or_else(|| o.end_to_end_id.clone()),
        state: o
            .recorded
            .map_or(pb::PayoutBankState::Unspecified, bank_state_to_pb) as i32,
        reason_code: o.reason_code.clone().unwrap_or_default(),
        not_recorded: o.not_recorded.unwrap_or_default().to_owned(),
    }
}

/// The approval's stated figures.
pub fn approval(
    m: &pb::ApprovePaymentBatchRequest,
) -> Result<(Uuid, i64, crate::domain::money::Money), Status> {
    let mut v = Violations::new();
    let id = super::uuid("batch_id", &m.batch_id, &mut v);
    if m.payout_count <= 0 {
        v.add(
            "payout_count",
            "REQUIRED",
            "required: the batch's count of payouts, more than zero",
        );
    }
    let total = super::positive("total", m.total.as_ref(), &mut v);
    let (id, total) = finish(v, (id, total))?;
    Ok((id, i64::from(m.payout_count), total))
}
