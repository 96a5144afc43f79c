//! Landlords, leases and the landlords' eviction-risk notices:
//! who is paid and how, what a household rents and on which contract, and
//! the underrättelse to socialnämnden (JB 12:44) with its deadline.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::calendar::YearMonth;
use super::identity::{Bankgiro, OrganisationNumber, Plusgiro};
use super::money::Money;

/// Where a landlord is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentAccount {
    Bankgiro(Bankgiro),
    Plusgiro(Plusgiro),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandlordDraft {
    pub name: String,
    pub organisation_number: OrganisationNumber,
    pub account: PaymentAccount,
    pub requires_ocr: bool,
    /// Where the landlord is: the banks require the payee's town and
    /// country on a credit transfer. `None` for a landlord created without
    /// one, who is left out of payment batches.
    pub address: Option<PostalAddress>,
}

/// A structured postal address, in ISO 20022's fields (`PstlAdr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalAddress {
    pub street_name: Option<String>,
    pub building_number: Option<String>,
    pub postal_code: Option<String>,
    pub town_name: String,
    /// ISO 3166 alpha-2 code, e.g. `SE`.
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landlord {
    pub id: Uuid,
    pub draft: LandlordDraft,
    pub created_at: DateTime<Utc>,
}

/// The kinds of lease a household in the social services' care may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractType {
    FirstHand,
    SecondHand,
    Social,
    HousingFirst,
    Training,
    Emergency,
    Supported,
}

impl ContractType {
    pub const ALL: [ContractType; 7] = [
        ContractType::FirstHand,
        ContractType::SecondHand,
        ContractType::Social,
        ContractType::HousingFirst,
        ContractType::Training,
        ContractType::Emergency,
        ContractType::Supported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContractType::FirstHand => "first_hand",
            ContractType::SecondHand => "second_hand",
            ContractType::Social => "social",
            ContractType::HousingFirst => "housing_first",
            ContractType::Training => "training",
            ContractType::Emergency => "emergency",
            ContractType::Supported => "supported",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<ContractType> {
        ContractType::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseDraft {
    pub household_id: Uuid,
    pub landlord_id: Uuid,
    pub object_reference: String,
    pub contract_type: ContractType,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub id: Uuid,
    pub draft: LeaseDraft,
    /// Oldest first; the first is the lease's start month.
    pub rents: Vec<(YearMonth, Money)>,
    /// The last month of the lease, once ended (`EndLease`); None while
    /// ongoing.
    pub end_month: Option<YearMonth>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How an eviction-risk notice ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeResolution {
    Paid,
    PlanAgreed,
    Other,
    /// Set by the service, never by a case worker: payments on the lease
    /// dated from the day served to the deadline paid the amount owed
    /// ([`paid_within_deadline`]).
    PaidWithinDeadline,
}

impl NoticeResolution {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeResolution::Paid => "paid",
            NoticeResolution::PlanAgreed => "plan_agreed",
            NoticeResolution::Other => "other",
            NoticeResolution::PaidWithinDeadline => "paid_within_deadline",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<NoticeResolution> {
        [
            NoticeResolution::Paid,
            NoticeResolution::PlanAgreed,
            NoticeResolution::Other,
            NoticeResolution::PaidWithinDeadline,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvictionNotice {
    pub id: Uuid,
    pub lease_id: Uuid,
    pub household_id: Uuid,
    pub served_on: NaiveDate,
    pub amount_owed: Money,
    /// The last day to pay and keep the home:
    /// `rent_plan::eviction_notice_deadline` of `served_on`, by the rule
    /// in force when read (the store derives it, whatever an older version
    /// stored).
    pub deadline: NaiveDate,
    pub resolution: Option<(NoticeResolution, NaiveDate)>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The entries that paid the amount owed (PaidWithinDeadline), in the
    /// order paid.
    pub evidence: Vec<Uuid>,
}

/// Where a notice stands on a day, derived when it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeState {
    /// Unresolved, and the deadline is `today` or later.
    Open,
    /// Unresolved, and the deadline was before `today`: so until a case
    /// worker resolves it.
    DeadlinePassed,
    Resolved,
}

impl EvictionNotice {
    pub fn state(&self, today: NaiveDate) -> NoticeState {
        match self.resolution {
            Some(_) => NoticeState::Resolved,
            None if self.deadline < today => NoticeState::DeadlinePassed,
            None => NoticeState::Open,
        }
    }
}

/// A payment on a notice's lease: an arrears payout not reversed, an
/// arrears receipt or a payment towards one of the lease's plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticePayment {
    pub id: Uuid,
    pub date: NaiveDate,
    pub amount: Money,
}

/// Whether an open notice's amount owed is paid by payments dated from the
/// day it was served to its deadline, both inclusive: the ids of those
/// payments (oldest first) when they add up to the amount owed, `None`
/// otherwise (and for a resolved notice). Payments before the notice was
/// served paid something else; payments after the deadline came too late.
pub fn paid_within_deadline(
    notice: &EvictionNotice,
    payments: &[NoticePayment],
) -> Option<Vec<Uuid>> {
    if notice.resolution.is_some() {
        return None;
    }
    let mut within: Vec<&NoticePayment> = payments
        .iter()
        .filter(|p| p.date >= notice.served_on && p.date <= notice.deadline)
        .collect();
    within.sort_by_key(|p| (p.date, p.id));
    let paid = within.iter().fold(Money::ZERO, |sum, p| sum + p.amount);
    (paid >= notice.amount_owed).then(|| within.iter().map(|p| p.id).collect())
}

#[cfg(test)]
mod tests;
