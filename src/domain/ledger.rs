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

/// A receipt as recorded, with by how much its month is now overpaid
/// ([`overpaid`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedReceipt {
    pub receipt: RentReceipt,
    pub overpaid: Money,
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
    /// The month's ongoing-rent payouts, net of reversals and of payouts
    /// the bank rejected or returned (`payment::BankState::frees_amount`):
    /// money that never reached the landlord counts for nothing.
    pub paid_as_rent: Money,
    /// The month's receipts of kind rent.
    pub received_as_rent: Money,
    /// The lease's newest rent-arrears plan.
    pub newest_plan: Option<Uuid>,
    /// The lease's open arrears ([`open_arrears`]); the store reads it for
    /// an arrears payout only, and it is zero otherwise.
    pub open_arrears: Money,
    /// The lease's last month (`leases.end_month`); `None` while it runs.
    pub end_month: Option<YearMonth>,
}

/// The default of the per-payout ceiling (`--max-payout-kr`), in kronor: a
/// month's rent, or a rent-arrears payment, of a household on
/// försörjningsstöd is far below it, so a larger amount is a slip of the
/// keyboard or a misuse of the role.
pub const DEFAULT_MAX_PAYOUT_KR: u32 = 100_000;

/// Whether a payout may be recorded, and the plan it counts towards (an
/// arrears payout counts towards the lease's newest plan). In this order:
/// - an amount above `max_payout` is refused (`PAYOUT_ABOVE_LIMIT`);
/// - a rent month more than one month after the month of the payout date
///   (December pays January, no further) is refused
///   (`RENT_MONTH_TOO_FAR_AHEAD`);
/// - a month after the lease's last month is refused (`LEASE_ENDED`);
/// - a month without rent is refused (`NO_RENT_FOR_MONTH`);
/// - a landlord that requires an OCR reference gets one (`ocr_reference`);
/// - kind rent: the month's ongoing-rent payouts, net of reversals, plus its
///   rent receipts plus this payout never exceed its rent
///   (`PAYOUT_EXCEEDS_RENT`);
/// - kind arrears: only against open arrears on the lease
///   (`NO_OPEN_ARREARS`), and at most what remains open
///   (`PAYOUT_EXCEEDS_ARREARS`).
///
/// The messages never carry an amount: the amounts are the household's.
pub fn accept_payout(
    draft: &PayoutDraft,
    state: &PayoutState,
    max_payout: Money,
) -> Result<Option<Uuid>, DomainError> {
    if draft.amount > max_payout {
        return Err(DomainError::refused(
            "PAYOUT_ABOVE_LIMIT",
            "the amount is above the server's per-payout ceiling (--max-payout-kr)",
            "amount",
        ));
    }
    if draft.rent_month > latest_rent_month(draft.payout_date) {
        return Err(DomainError::refused(
            "RENT_MONTH_TOO_FAR_AHEAD",
            "a payout pays a rent month at most one month after the month of its payout date",
            "rent_month",
        ));
    }
    within_lease(draft.rent_month, state.end_month)?;
    let rent = state.rent.ok_or_else(|| no_rent(draft.rent_month))?;
    if state.requires_ocr && draft.ocr_reference.is_none() {
        let mut v = Violations::new();
        v.add(
            "ocr_reference",
            "REQUIRED",
            "required: the landlord requires an OCR reference on every payment",
        );
        return Err(DomainError::Invalid(v));
    }
    match draft.kind {
        RentPaymentKind::Rent
            if state.paid_as_rent + state.received_as_rent + draft.amount > rent =>
        {
            Err(DomainError::refused(
                "PAYOUT_EXCEEDS_RENT",
                "the month's ongoing-rent payouts, net of reversals, and its rent receipts \
                 would exceed its rent",
                "amount",
            ))
        }
        RentPaymentKind::Rent => Ok(None),
        RentPaymentKind::Arrears if !state.open_arrears.is_positive() => Err(DomainError::refused(
            "NO_OPEN_ARREARS",
            "the lease has no open rent arrears: no rent-arrears plan with arrears left \
                 and no unsettled hyresskuld to its landlord",
            "kind",
        )),
        RentPaymentKind::Arrears if draft.amount > state.open_arrears => Err(DomainError::refused(
            "PAYOUT_EXCEEDS_ARREARS",
            "the payout would exceed the lease's open rent arrears",
            "amount",
        )),
        RentPaymentKind::Arrears => Ok(state.newest_plan),
    }
}

/// The latest rent month a payout dated `payout_date` may pay: the month
/// after the payout date's (a payout in December pays January's rent, due
/// on the last weekday of December).
pub fn latest_rent_month(payout_date: NaiveDate) -> YearMonth {
    YearMonth::of(payout_date).succ()
}

/// What was owed and what was paid towards one rent-arrears plan: the plan's
/// own payments, its arrears payouts not reversed, and its arrears receipts
/// (the payments the plan's tracking counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanArrears {
    pub arrears: Money,
    pub paid: Money,
}

/// The household's unsettled hyresskuld debts whose creditor is the lease's
/// landlord (by organisationsnummer), and every arrears payment on the lease
/// since the oldest of those debts was registered that recorded no debt
/// event: arrears payouts not reversed, arrears receipts and plan payments,
/// whether they count towards a plan or not (a plan's payments pay the same
/// arrears the debt records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtArrears {
    pub balance: Money,
    pub paid_since: Money,
}

/// The open arrears on a lease: the larger of
/// (a) the sum over its rent-arrears plans of what remains of each plan's
///     arrears (never below zero for a plan paid beyond it), and
/// (b) the balances of the household's unsettled hyresskuld debts to the
///     lease's landlord, less every arrears payment on the lease since the
///     oldest of those debts was registered (never below zero).
///
/// The larger, not the sum: a plan and a hyresskuld debt usually describe
/// the same arrears (the plan is how the debt is paid), so adding them would
/// count the same arrears twice. A payment that found its debt recorded a
/// payment event there and is in the balance already; one that found none
/// (several debts and none named) is in `paid_since` instead, so a plan paid
/// in full never leaves the debt's whole balance open to be paid again.
pub fn open_arrears(plans: &[PlanArrears], debts: DebtArrears) -> Money {
    let by_plans = plans.iter().fold(Money::ZERO, |sum, plan| {
        sum + (plan.arrears - plan.paid).max(Money::ZERO)
    });
    let by_debts = (debts.balance - debts.paid_since).max(Money::ZERO);
    by_plans.max(by_debts)
}

/// By how much a month's rent-kind payouts (net of reversals) and rent-kind
/// receipts exceed its rent; zero when they do not. Only receipts can make
/// it positive: payouts are capped, receipts record money that already moved.
pub fn overpaid(rent: Money, paid_as_rent: Money, received_as_rent: Money) -> Money {
    (paid_as_rent + received_as_rent - rent).max(Money::ZERO)
}

/// Whether a receipt may be recorded (not for a month after the lease's
/// last month `end_month`: `LEASE_ENDED`; not for a month without rent:
/// `NO_RENT_FOR_MONTH`), and the plan it counts towards: an arrears receipt
/// counts towards the lease's newest plan. A receipt is evidence of money
/// that already moved, so it is never refused for its amount.
pub fn accept_receipt(
    draft: &ReceiptDraft,
    rent: Option<Money>,
    newest_plan: Option<Uuid>,
    end_month: Option<YearMonth>,
) -> Result<Option<Uuid>, DomainError> {
    within_lease(draft.rent_month, end_month)?;
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

/// A lease-month is written to the ledger only up to the lease's last month
/// (`LEASE_ENDED`): after it the lease has no rent, and no payment counts
/// towards it. The database refuses the same (trigger
/// `*_within_lease`).
fn within_lease(month: YearMonth, end_month: Option<YearMonth>) -> Result<(), DomainError> {
    match end_month {
        Some(end) if month > end => Err(DomainError::refused(
            "LEASE_ENDED",
            "the lease has ended: the rent month is after its last month",
            "rent_month",
        )),
        _ => Ok(()),
    }
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
