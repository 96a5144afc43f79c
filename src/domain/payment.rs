//! Payouts to the bank and back: payment batches attested by a second
//! person (attestordning), the ISO 20022 credit-transfer file that carries
//! them ([`pain001`]), and the bank's answers ([`bank_status`]) that move
//! each payout through its states at the bank.
//!
//! A payout's states are append-only: `BATCHED → SENT → ACCEPTED |
//! REJECTED`, and an accepted payout `→ BOOKED | RETURNED` (a booked one may
//! still come back, `→ RETURNED`). A rejected or returned payout counts for
//! nothing under the rent and arrears bounds, as a reversed one
//! ([`BankState::frees_amount`]; the store's `voided_payouts` view).

pub mod bank_status;
pub mod pain001;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::error::DomainError;
use super::ledger::RentPaymentKind;
use super::money::Money;

/// Where a payout is at the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BankState {
    Batched,
    Sent,
    Accepted,
    Rejected,
    Booked,
    Returned,
}

impl BankState {
    pub const ALL: [BankState; 6] = [
        BankState::Batched,
        BankState::Sent,
        BankState::Accepted,
        BankState::Rejected,
        BankState::Booked,
        BankState::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BankState::Batched => "batched",
            BankState::Sent => "sent",
            BankState::Accepted => "accepted",
            BankState::Rejected => "rejected",
            BankState::Booked => "booked",
            BankState::Returned => "returned",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<BankState> {
        BankState::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the payout's amount is free again under the rent cap and the
    /// arrears bound: the money never reached the landlord.
    pub fn frees_amount(self) -> bool {
        matches!(self, BankState::Rejected | BankState::Returned)
    }

    /// Whether a payout whose newest state is `self` may move to `next`.
    pub fn leads_to(self, next: BankState) -> bool {
        use BankState::{Accepted, Batched, Booked, Rejected, Returned, Sent};
        matches!(
            (self, next),
            (Batched, Sent)
                | (Sent, Accepted | Rejected | Booked)
                | (Accepted, Booked | Returned)
                | (Booked, Returned)
        )
    }
}

/// One state of a payout at the bank, in the batch that sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankStateEntry {
    pub state: BankState,
    pub batch_id: Uuid,
    /// The bank's reason (an ISO external code such as `AC04`).
    pub reason_code: Option<String>,
    /// The message that said so: the batch's file, or the bank's answer.
    pub message_id: String,
    pub recorded_at: DateTime<Utc>,
}

/// Which payouts a batch gathers; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<RentPaymentKind>,
}

/// Who did something to a batch, when, and why (a cancellation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchEvent {
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStatus {
    Created,
    Approved,
    Exported,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentBatch {
    pub id: Uuid,
    /// The pain.001 file's GrpHdr/MsgId.
    pub message_id: String,
    pub filter: BatchFilter,
    pub payout_count: i64,
    pub total: Money,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub approved: Option<BatchEvent>,
    pub exported: Option<BatchEvent>,
    pub cancelled: Option<BatchEvent>,
}

impl PaymentBatch {
    pub fn status(&self) -> BatchStatus {
        if self.cancelled.is_some() {
            BatchStatus::Cancelled
        } else if self.exported.is_some() {
            BatchStatus::Exported
        } else if self.approved.is_some() {
            BatchStatus::Approved
        } else {
            BatchStatus::Created
        }
    }
}

/// A file's message id from a batch id: 32 hexadecimal digits, within
/// ISO 20022's Max35Text.
pub fn message_id(batch_id: Uuid) -> String {
    batch_id.simple().to_string()
}

/// A payout's EndToEndId: the payout id as 32 hexadecimal digits (its
/// hyphenated form is 36 characters, over Max35Text).
pub fn end_to_end_id(payout_id: Uuid) -> String {
    payout_id.simple().to_string()
}

/// The payout id of an EndToEndId ([`end_to_end_id`]); `None` for one this
/// service did not write.
pub fn payout_of_end_to_end_id(id: &str) -> Option<Uuid> {
    Uuid::try_parse(id.trim()).ok()
}

/// Whether `caller` may attest the batch with the count and total it saw:
/// only a batch waiting for attestation (`BATCH_NOT_APPROVABLE`), by
/// another caller than its creator (`SAME_CALLER_CANNOT_ATTEST`), with the
/// batch's own figures (`BATCH_CHANGED`).
pub fn accept_approval(
    batch: &PaymentBatch,
    caller: &str,
    payout_count: i64,
    total: Money,
) -> Result<(), DomainError> {
    if batch.status() != BatchStatus::Created {
        return Err(DomainError::refused(
            "BATCH_NOT_APPROVABLE",
            "the batch is not waiting for attestation: it is approved, exported or cancelled",
            "batch_id",
        ));
    }
    if batch.created_by == caller {
        return Err(DomainError::refused(
            "SAME_CALLER_CANNOT_ATTEST",
            "a batch is attested by another caller than the one who created it",
            "batch_id",
        ));
    }
    if batch.payout_count != payout_count || batch.total != total {
        return Err(DomainError::refused(
            "BATCH_CHANGED",
            "the count or total stated is not the batch's",
            "total",
        ));
    }
    Ok(())
}

/// A batch is cancelled before it is exported (`BATCH_ALREADY_EXPORTED`).
/// Cancelling a cancelled batch changes nothing (`Ok(false)`).
pub fn accept_cancel(batch: &PaymentBatch) -> Result<bool, DomainError> {
    match batch.status() {
        BatchStatus::Cancelled => Ok(false),
        BatchStatus::Exported => Err(DomainError::refused(
            "BATCH_ALREADY_EXPORTED",
            "the batch's file is exported: it can no longer be cancelled",
            "batch_id",
        )),
        BatchStatus::Created | BatchStatus::Approved => Ok(true),
    }
}

/// An approved batch is exported; an exported one again gives the same file
/// (`Ok(false)`: nothing to record). Else `BATCH_NOT_APPROVED`.
pub fn accept_export(batch: &PaymentBatch) -> Result<bool, DomainError> {
    match batch.status() {
        BatchStatus::Approved => Ok(true),
        BatchStatus::Exported => Ok(false),
        BatchStatus::Created | BatchStatus::Cancelled => Err(DomainError::refused(
            "BATCH_NOT_APPROVED",
            "only an approved batch is exported",
            "batch_id",
        )),
    }
}

/// The ledger's count and sum of a batch's payouts must be the batch's own
/// before its file is written (`LEDGER_MISMATCH`).
pub fn check_against_ledger(
    batch: &PaymentBatch,
    ledger_count: i64,
    ledger_total: Money,
) -> Result<(), DomainError> {
    if batch.payout_count != ledger_count || batch.total != ledger_total {
        return Err(DomainError::refused(
            "LEDGER_MISMATCH",
            "the batch's count or control sum differs from its payouts in the ledger",
            "batch_id",
        ));
    }
    Ok(())
}

/// The refusal of a reversal of a payout in a batch that is not cancelled.
pub fn payout_in_batch() -> DomainError {
    DomainError::refused(
        "PAYOUT_IN_BATCH",
        "the payout is in a payment batch: cancel the batch (before it is exported) to reverse it",
        "payout_id",
    )
}

#[cfg(test)]
mod tests;
