//! The rent ledger (DESIGN §3.6): payouts of försörjningsstöd straight to
//! the landlord, their reversals, and receipts of rent the household paid
//! itself. The ledger is append-only: a mistake is corrected by a reversal,
//! never by a change.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::calendar::YearMonth;
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
