//! The rent ledger: payouts of försörjningsstöd straight to
//! the landlord, their reversals, and receipts of rent the household paid
//! itself. The ledger is append-only: a mistake is corrected by a reversal,
//! never by a change.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::calendar::YearMonth;
use super::error::{DomainError, Violations};
use super::identity::OcrReference;
use super::lease::PaymentAccount;
use super::money::Money;

/// What a ledger entry pays: the month's rent, or arrears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RentPaymentKind {
    Rent,
    Arrears,
}

impl RentPaymentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RentPaymentKind::Rent => "rent",
            RentPaymentKind::Arrears => "arrears",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<RentPaymentKind> {
        [RentPaymentKind::Rent, RentPaymentKind::Arrears]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// What a caller states of a payout; the payee comes from the landlord.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutDraft {
    pub lease_id: Uuid,
    pub rent_month: YearMonth,
    pub kind: RentPaymentKind,
    pub amount: Money,
    pub decision_reference: String,
    pub ocr_reference: Option<OcrReference>,
    pub payout_date: NaiveDate,
}

/// The correction of a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutReversal {
    pub id: Uuid,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A payout of the ledger, with its reversal if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentPayout {
    pub id: Uuid,
    pub household_id: Uuid,
    pub draft: PayoutDraft,
    /// The landlord's account when the payout was recorded.
    pub payee: PaymentAccount,
    /// The plan an arrears payout counts towards.
    pub plan_id: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub reversal: Option<PayoutReversal>,
}

/// How a household showed that it paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptSource {
    ClientReceipt,
    LandlordConfirmation,
    Autogiro,
    BankStatement,
}

impl ReceiptSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptSource::ClientReceipt => "client_receipt",
            ReceiptSource::LandlordConfirmation => "landlord_confirmation",
            ReceiptSource::Autogiro => "autogiro",
            ReceiptSource::BankStatement => "bank_statement",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<ReceiptSource> {
        [
            ReceiptSource::ClientReceipt,
            ReceiptSource::LandlordConfirmation,
            ReceiptSource::Autogiro,
            ReceiptSource::BankStatement,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDraft {
    pub lease_id: Uuid,
    pub rent_month: YearMonth,
    pub kind: RentPaymentKind,
    pub amount: Money,
    pub paid_date: NaiveDate,
    pub source: ReceiptSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentReceipt {
    pub id: Uuid,
    pub household_id: Uuid,
    pub draft: ReceiptDraft,
    /// The plan an arrears receipt counts towards.
    pub plan_id: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------
// The rules a ledger write keeps. The store reads the state under the lease's
// lock, inside the writing transaction, and asks these before it writes.
// ---------------------------------------------------------------------------

/// What the store read of a lease-month, under the lease's lock, before it
/// records a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutState {
    /// The month's rent; `None` for a month before the lease starts.
    pub rent: Option<Money>,
    /// The landlord requires an OCR reference on every payment.
    pub requires_ocr: bool,
    /// The month's ongoing-rent payouts, net of reversals.
    pub paid_as_rent: Money,
    /// The lease's newest rent-arrears plan.
    pub newest_plan: Option<Uuid>,
}

/// Whether a payout may be recorded, and the plan it counts towards (an
/// arrears payout counts towards the lease's newest plan):
/// - a month without rent is refused (`NO_RENT_FOR_MONTH`);
/// - a landlord that requires an OCR reference gets one (`ocr_reference`);
/// - the month's ongoing-rent payouts, net of reversals, never exceed its
///   rent (`PAYOUT_EXCEEDS_RENT`).
pub fn accept_payout(
    draft: &PayoutDraft,
    state: &PayoutState,
) -> Result<Option<Uuid>, DomainError> {
    let rent = state.rent.ok_or_else(|| no_rent(draft.rent_month))?;
    if state.requires_ocr && draft.ocr_reference.is_none() {
        let mut v = Violations::new();
        v.add(
            "ocr_reference",
            "required: the landlord requires an OCR reference on every payment",
        );
        return Err(DomainError::Invalid(v));
    }
    match draft.kind {
        RentPaymentKind::Rent if state.paid_as_rent + draft.amount > rent => {
            // The amounts stay out of the message: they are the household's.
            Err(DomainError::refused(
                "PAYOUT_EXCEEDS_RENT",
                "the month's ongoing-rent payouts, net of reversals, would exceed its rent",
                "amount",
            ))
        }
        RentPaymentKind::Rent => Ok(None),
        RentPaymentKind::Arrears => Ok(state.newest_plan),
    }
}

/// Whether a receipt may be recorded (not for a month without rent:
/// `NO_RENT_FOR_MONTH`), and the plan it counts towards: an arrears receipt
/// counts towards the lease's newest plan. A receipt is evidence of money
/// that already moved, so it is never refused for its amount.
pub fn accept_receipt(
    draft: &ReceiptDraft,
    rent: Option<Money>,
    newest_plan: Option<Uuid>,
) -> Result<Option<Uuid>, DomainError> {
    if rent.is_none() {
        return Err(no_rent(draft.rent_month));
    }
    Ok(match draft.kind {
        RentPaymentKind::Arrears => newest_plan,
        RentPaymentKind::Rent => None,
    })
}

/// A payout is reversed at most once (`ALREADY_REVERSED`).
pub fn accept_reversal(reversed: bool) -> Result<(), DomainError> {
    if reversed {
        return Err(already_reversed());
    }
    Ok(())
}

/// The refusal of a second reversal, also when the store finds one that a
/// concurrent call committed first.
pub fn already_reversed() -> DomainError {
    DomainError::refused(
        "ALREADY_REVERSED",
        "the payout is already reversed; a payout is reversed at most once",
        "payout_id",
    )
}

fn no_rent(month: YearMonth) -> DomainError {
    DomainError::refused(
        "NO_RENT_FOR_MONTH",
        format!("the lease has no rent for {month}: it starts later"),
        "rent_month",
    )
}

#[cfg(test)]
mod tests;
