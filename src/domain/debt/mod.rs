//! Debts (docs/sources.md §2): kinds and statuses, which debts come first,
//! how long a debt takes to pay off, the pro-rata offer to creditors, the
//! förbehållsbelopp, a skuldsanering estimate and dröjsmålsränta.
//!
//! Terms, once each:
//! - **förbehållsbelopp**: what a debtor keeps each month under löneutmätning
//!   (wage garnishment by Kronofogden): Kronofogden's **normalbelopp** for the
//!   household + the housing cost + approved additions.
//! - **skuldsanering**: debt restructuring under skuldsaneringslagen, decided
//!   by Kronofogden: the debtor pays everything above the förbehållsbelopp for
//!   a number of years and the rest of the debts is written off.
//! - **dröjsmålsränta**: late-payment interest under räntelagen (1975:635),
//!   the **referensränta** set by Riksbanken for the half-year + 8
//!   percentage points.
//!
//! Conventions (each one a rule a counsellor can check by hand):
//! - Money is exact [`Money`]; rates are [`Rate`] percent (`12.5` is
//!   12.5 % a year). Nothing here uses floating point.
//! - Rounding happens only at the named points below, always through
//!   [`Rounding::HalfAwayFromZeroOre`]: a month's interest in
//!   [`months_to_pay_off`], a period's dröjsmålsränta in
//!   [`late_payment_interest`]. Splits (pro-rata shares, skuldsanering payouts)
//!   go through [`allocate`], so their parts sum exactly to the whole. Every
//!   other figure is a sum or difference of whole-öre amounts and so is whole
//!   öre without rounding.
//! - Months to pay off: each month, interest = balance × rate / 100 / 12
//!   rounded to whole öre; the balance grows by that interest and the monthly
//!   fee, then falls by the payment. The month in which balance + interest +
//!   fee is no more than the payment is the last one, and pays exactly that.
//!   A payment that does not exceed the first month's interest + fee never
//!   pays the debt off (the balance can then never fall); otherwise the
//!   balance falls every month, and the count stops at
//!   [`PAYOFF_MONTHS_CAP`] months, so the loop is always bounded.
//! - Input checks name the fields of the input types below, under the request
//!   path the caller gives (`debts[2].balance`); descriptions never repeat a
//!   value, since amounts are personal data. The gRPC layer names its request
//!   fields after them.
//! - Figures read from norm tables cite the table and row in their
//!   [`Basis`], as the riksnorm does; a result computed from a provisional
//!   table says so in its warnings.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::rate::Rate;

use super::error::{DomainError, Violations};
use super::household::Member;
use super::identity::OrganisationNumber;
use super::money::Money;
use super::names::PostalAddress;

// ---------------------------------------------------------------------------
// Kinds, statuses and priority
// ---------------------------------------------------------------------------

/// What a debt is for. The storage names are stable snake_case ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebtKind {
    /// Rent arrears.
    Hyresskuld,
    /// Unpaid electricity.
    Elskuld,
    /// Tax debt (Skatteverket).
    Skatteskuld,
    /// Student loan debt (Centrala studiestödsnämnden).
    Csn,
    /// Healthcare and dental bills.
    Vard,
    /// Consumer credit: loans, card and instalment credit.
    Konsumtionskredit,
    /// Small quick loans (sms-lån).
    SmsLan,
    /// A debt Kronofogden has a case for (allmänt or enskilt mål).
    KronofogdenMal,
    /// Unpaid child maintenance (underhållsskuld, often to Försäkringskassan).
    Underhallsskuld,
    Other,
}

impl DebtKind {
    pub const ALL: [DebtKind; 10] = [
        DebtKind::Hyresskuld,
        DebtKind::Elskuld,
        DebtKind::Skatteskuld,
        DebtKind::Csn,
        DebtKind::Vard,
        DebtKind::Konsumtionskredit,
        DebtKind::SmsLan,
        DebtKind::KronofogdenMal,
        DebtKind::Underhallsskuld,
        DebtKind::Other,
    ];

    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DebtKind::Hyresskuld => "hyresskuld",
            DebtKind::Elskuld => "elskuld",
            DebtKind::Skatteskuld => "skatteskuld",
            DebtKind::Csn => "csn",
            DebtKind::Vard => "vard",
            DebtKind::Konsumtionskredit => "konsumtionskredit",
            DebtKind::SmsLan => "sms_lan",
            DebtKind::KronofogdenMal => "kronofogden_mal",
            DebtKind::Underhallsskuld => "underhallsskuld",
            DebtKind::Other => "other",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<DebtKind> {
        DebtKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Swedish word for explanations.
    pub fn label(self) -> &'static str {
        match self {
            DebtKind::Hyresskuld => "hyresskuld",
            DebtKind::Elskuld => "elskuld",
            DebtKind::Skatteskuld => "skatteskuld",
            DebtKind::Csn => "CSN-skuld",
            DebtKind::Vard => "vårdskuld",
            DebtKind::Konsumtionskredit => "konsumtionskredit",
            DebtKind::SmsLan => "sms-lån",
            DebtKind::KronofogdenMal => "mål hos Kronofogden",
            DebtKind::Underhallsskuld => "underhållsskuld",
            DebtKind::Other => "annan skuld",
        }
    }
}

/// Where a debt stands. The storage names are stable snake_case ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebtStatus {
    /// With the original creditor.
    Active,
    /// With a debt collection agency (inkasso).
    DebtCollection,
    /// At Kronofogden (betalningsföreläggande, utmätning).
    Kronofogden,
    /// Included in a skuldsanering.
    Skuldsanering,
    /// Paid or otherwise closed.
    Settled,
}

impl DebtStatus {
    pub const ALL: [DebtStatus; 5] = [
        DebtStatus::Active,
        DebtStatus::DebtCollection,
        DebtStatus::Kronofogden,
        DebtStatus::Skuldsanering,
        DebtStatus::Settled,
    ];

    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DebtStatus::Active => "active",
            DebtStatus::DebtCollection => "debt_collection",
            DebtStatus::Kronofogden => "kronofogden",
            DebtStatus::Skuldsanering => "skuldsanering",
            DebtStatus::Settled => "settled",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<DebtStatus> {
        DebtStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Swedish words for explanations.
    pub fn label(self) -> &'static str {
        match self {
            DebtStatus::Active => "aktiv",
            DebtStatus::DebtCollection => "hos inkasso",
            DebtStatus::Kronofogden => "hos Kronofogden",
            DebtStatus::Skuldsanering => "i skuldsanering",
            DebtStatus::Settled => "reglerad",
        }
    }
}

/// A priority debt is one whose non-payment costs the home or essential
/// supply (docs/sources.md §2.4): rent arrears, electricity, and whatever
/// Kronofogden is enforcing (a kronofogden-mål, or any debt at Kronofogden).
/// Priority debts are paid first; the others share what is left through
/// [`pro_rata_offer`].
///
/// A settled debt is never a priority: nothing is left to pay on it, so it
/// cannot cost the home.
pub fn is_priority(kind: DebtKind, status: DebtStatus) -> bool {
    if status == DebtStatus::Settled {
        return false;
    }
    matches!(
        kind,
        DebtKind::Hyresskuld | DebtKind::Elskuld | DebtKind::KronofogdenMal
    ) || status == DebtStatus::Kronofogden
}

// ---------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------

/// The largest amount accepted, exclusive: 15 integer digits of kronor, as on
/// the wire ([`super::money::MAX_INTEGER_DIGITS`]). Keeps every product below
/// far inside `Decimal`'s range.
fn max_amount() -> Decimal {
    Decimal::from(1_000_000_000_000_000_i64)
}

/// [`max_amount`] in öre.
fn max_amount_ore() -> i128 {
    100_000_000_000_000_000
}

/// `path.name`, or `name` alone when the path is empty.
fn field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Records why `amount` cannot be a non-negative amount of whole öre with at
/// most 15 integer digits. Used for balances, fees, payments and incomes.
pub fn check_non_negative_amount(amount: Money, field: &str, v: &mut Violations) {
    if amount.is_negative() {
        v.add(field, "NEGATIVE", "must not be negative");
    } else if amount.to_ore().is_none() {
        v.add(
            field,
            "TOO_MANY_DECIMALS",
            "at most two decimals (whole öre)",
        );
    } else if amount.as_decimal() >= max_amount() {
        v.add(
            field,
            "TOO_LARGE",
            "at most 15 digits before the decimal point",
        );
    }
}

/// A debt's balance: not negative, whole öre.
pub fn check_balance(balance: Money, field: &str, v: &mut Violations) {
    check_non_negative_amount(balance, field, v);
}

/// An annual interest rate in percent: 0 to 100 inclusive.
pub fn check_interest_rate(rate: Rate, field: &str, v: &mut Violations) {
    if rate.is_negative() {
        v.add(field, "NEGATIVE", "must not be negative");
    } else if rate > Rate::percent(Decimal::ONE_HUNDRED) {
        v.add(
            field,
            "OUT_OF_RANGE",
            "a yearly rate in percent, at most 100",
        );
    }
}

/// The debtor must be a member of the household (docs/sources.md §2.4),
/// identified by the member's id.
pub fn check_debtor(debtor_id: Uuid, members: &[Member], field: &str, v: &mut Violations) {
    if debtor_id.is_nil() {
        v.add(
            field,
            "REQUIRED",
            "required: the id of the household member who owes the debt",
        );
    } else if !members.iter().any(|m| m.id == Some(debtor_id)) {
        v.add(field, "NOT_OF_HOUSEHOLD", "not a member of the household");
    }
}

/// The creditor's organisationsnummer when one is given: an empty input means
/// "not known" and is accepted as `None`; anything else must parse as an
/// [`OrganisationNumber`] (ten digits, Luhn check digit).
pub fn parse_creditor_organisation_number(
    input: &str,
    field: &str,
    v: &mut Violations,
) -> Option<OrganisationNumber> {
    if input.trim().is_empty() {
        return None;
    }
    v.check(
        field,
        "ORGANISATION_NUMBER_INVALID",
        OrganisationNumber::parse(input),
    )
}

/// The figures of a debt that the calculations read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtTerms {
    pub balance: Money,
    /// Percent a year, 0..=100 (`12.5` is 12.5 %).
    pub annual_interest_rate: Rate,
    pub monthly_fee: Money,
    /// The agreed monthly payment.
    pub monthly_payment: Money,
}

/// Checks a debt's terms; fields are reported as `path.balance`,
/// `path.annual_interest_rate`, `path.monthly_fee` and
/// `path.monthly_payment`.
pub fn check_terms(terms: &DebtTerms, path: &str) -> Violations {
    let mut v = Violations::new();
    check_balance(terms.balance, &field(path, "balance"), &mut v);
    check_interest_rate(
        terms.annual_interest_rate,
        &field(path, "annual_interest_rate"),
        &mut v,
    );
    check_non_negative_amount(terms.monthly_fee, &field(path, "monthly_fee"), &mut v);
    check_non_negative_amount(
        terms.monthly_payment,
        &field(path, "monthly_payment"),
        &mut v,
    );
    v
}

/// A debt and its balance, as the splits read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtBalance {
    pub debt_id: Uuid,
    pub balance: Money,
}

/// What an event does to a debt: its signed change, the balance after, and
/// the status after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppliedEvent {
    pub change: Money,
    pub balance: Money,
    pub status: DebtStatus,
}

/// A settled debt takes no more changes (`DEBT_SETTLED`).
pub fn check_changeable(debt: &Debt) -> Result<(), DomainError> {
    if debt.terms.status == DebtStatus::Settled {
        return Err(DomainError::refused(
            "DEBT_SETTLED",
            "the debt is settled and takes no more changes",
            "debt_id",
        ));
    }
    Ok(())
}

/// An event on a debt that is not settled: a settlement brings the balance
/// to zero and the status to settled; any other event moves the balance by
/// its change, never below zero (`BALANCE_WOULD_BE_NEGATIVE`), and one that
/// brings it to zero settles the debt as well.
pub fn apply_event(debt: &Debt, event: &NewDebtEvent) -> Result<AppliedEvent, DomainError> {
    check_changeable(debt)?;
    let change = match event.kind {
        DebtEventKind::Settlement => Money::ZERO - debt.balance,
        _ => event.change,
    };
    let balance = debt.balance + change;
    if balance.is_negative() {
        return Err(DomainError::refused(
            "BALANCE_WOULD_BE_NEGATIVE",
            "the change would take the balance below zero",
            "amount",
        ));
    }
    // A balance brought to zero by any event settles the debt by itself.
    let status = match event.kind {
        DebtEventKind::Settlement => DebtStatus::Settled,
        _ if balance.is_zero() => DebtStatus::Settled,
        _ => debt.terms.status,
    };
    Ok(AppliedEvent {
        change,
        balance,
        status,
    })
}

/// A figure too large to calculate with, under `path`.
pub(super) fn overflow(path: &str, name: &str) -> DomainError {
    DomainError::invalid(
        field(path, name),
        "TOO_LARGE",
        "too large to calculate with",
    )
}

/// What a caller sets of a debt: everything but its balance, which changes
/// only through events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtDraft {
    pub debtor_member_id: Uuid,
    pub creditor_name: String,
    pub creditor_organisation_number: Option<OrganisationNumber>,
    pub creditor_reference: String,
    /// Where letters to the creditor go.
    pub creditor_address: Option<PostalAddress>,
    pub kind: DebtKind,
    pub status: DebtStatus,
    /// Percent a year, at most two decimals.
    pub annual_interest_rate: Rate,
    pub monthly_fee: Money,
    pub agreed_monthly_payment: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debt {
    pub id: Uuid,
    pub household_id: Uuid,
    pub terms: DebtDraft,
    pub balance: Money,
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why a debt's balance changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebtEventKind {
    OpeningBalance,
    Payment,
    Interest,
    Fee,
    Correction,
    Settlement,
}

impl DebtEventKind {
    pub const ALL: [DebtEventKind; 6] = [
        DebtEventKind::OpeningBalance,
        DebtEventKind::Payment,
        DebtEventKind::Interest,
        DebtEventKind::Fee,
        DebtEventKind::Correction,
        DebtEventKind::Settlement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DebtEventKind::OpeningBalance => "opening_balance",
            DebtEventKind::Payment => "payment",
            DebtEventKind::Interest => "interest",
            DebtEventKind::Fee => "fee",
            DebtEventKind::Correction => "correction",
            DebtEventKind::Settlement => "settlement",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<DebtEventKind> {
        DebtEventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One recorded change of a debt's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtEvent {
    pub id: Uuid,
    pub debt_id: Uuid,
    pub position: i64,
    pub kind: DebtEventKind,
    pub date: NaiveDate,
    /// Signed: negative lowers the balance.
    pub change: Money,
    pub balance_after: Money,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The ledger or plan entry that made the event (a payout, its reversal,
    /// a receipt or a plan payment); `None` for one recorded by hand.
    pub evidence: Option<Uuid>,
}

/// A balance change to record. For a settlement the change is whatever
/// brings the balance to zero, and `change` is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDebtEvent {
    pub kind: DebtEventKind,
    pub date: NaiveDate,
    pub change: Money,
    pub note: String,
}

pub mod late_interest;
pub mod offer;
pub mod payoff;
pub mod protected;
pub mod settle;
pub mod skuldsanering;

#[cfg(test)]
mod tests;
