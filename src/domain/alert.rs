//! Early warnings (issue 22): what a case worker must act on before a home
//! is lost or a calculation fails. An alert names a kind, the household and
//! the records by id (never personal data), the period it is about and a
//! due date; it is open, acknowledged (someone has seen it) or closed (the
//! condition ended, or someone closed it).
//!
//! Each alert has one key, its kind, record and period: raising the same
//! condition twice adds nothing, and a closed alert stays closed.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::audit::RecordRef;
use super::calendar::YearMonth;
use super::rent_plan::last_day_to_pay;

/// How far ahead a notice's deadline raises a warning.
pub const NOTICE_WARNING_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// An unresolved eviction-risk notice whose deadline is within
    /// [`NOTICE_WARNING_DAYS`] days.
    NoticeDeadline,
    /// A plan's instalment whose due date passed unpaid.
    InstalmentMissed,
    /// A plan with at least its `broken_after` instalments missed.
    PlanBroken,
    /// A lease's rent for the month checked is not paid by its last day.
    RentUnpaid,
    /// The rent of that month and the month before are both unpaid.
    SecondUnpaidMonth,
    /// The bank rejected or returned a payout.
    PayoutRejected,
    /// A norm table needed now or ahead is not loaded.
    NormTableMissing,
}

impl AlertKind {
    pub const ALL: [AlertKind; 7] = [
        AlertKind::NoticeDeadline,
        AlertKind::InstalmentMissed,
        AlertKind::PlanBroken,
        AlertKind::RentUnpaid,
        AlertKind::SecondUnpaidMonth,
        AlertKind::PayoutRejected,
        AlertKind::NormTableMissing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::NoticeDeadline => "notice_deadline",
            AlertKind::InstalmentMissed => "instalment_missed",
            AlertKind::PlanBroken => "plan_broken",
            AlertKind::RentUnpaid => "rent_unpaid",
            AlertKind::SecondUnpaidMonth => "second_unpaid_month",
            AlertKind::PayoutRejected => "payout_rejected",
            AlertKind::NormTableMissing => "norm_table_missing",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the sweep raises and closes this kind from the data as of a
    /// date; the others are raised by the write that causes them.
    pub fn swept(self) -> bool {
        self != AlertKind::PayoutRejected
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertState {
    Open,
    Acknowledged,
    Closed,
}

impl AlertState {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Open => "open",
            AlertState::Acknowledged => "acknowledged",
            AlertState::Closed => "closed",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<AlertState> {
        [
            AlertState::Open,
            AlertState::Acknowledged,
            AlertState::Closed,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A condition found: what the alert for it holds. `period` and the first
/// record make its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub kind: AlertKind,
    pub household_id: Option<Uuid>,
    /// The record the alert is about first, then records that explain it.
    pub records: Vec<RecordRef>,
    /// "2026-11" for a month, "3" for an instalment, "riksnorm 2027" for a
    /// norm period; empty when the record alone is the key.
    pub period: String,
    pub due_date: Option<NaiveDate>,
}

impl Condition {
    /// The one key of the alert for this condition.
    pub fn key(&self) -> String {
        let record = self
            .records
            .first()
            .map(|r| format!("{}:{}", r.kind.as_str(), r.id))
            .unwrap_or_default();
        format!("{}|{}|{}", self.kind.as_str(), record, self.period)
    }
}

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub id: Uuid,
    /// The order of the alert's last change, over all alerts: what a watch
    /// resumes after.
    pub sequence: i64,
    pub kind: AlertKind,
    pub household_id: Option<Uuid>,
    /// The records as `kind:uuid`.
    pub records: Vec<String>,
    pub period: String,
    pub due_date: Option<NaiveDate>,
    pub state: AlertState,
    pub created_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
    /// Who acknowledged or closed it; "sweep" when the condition ended.
    pub changed_by: Option<String>,
}

/// The rent month whose last day to pay is the latest one before `today`:
/// the month a sweep checks for unpaid rent.
pub fn rent_month_checked(today: NaiveDate) -> YearMonth {
    let mut month = YearMonth::of(today);
    while last_day_to_pay(month).last_day >= today {
        month = month.pred();
    }
    month
}

/// Whether a notice's deadline calls for a warning on `today`: not past,
/// and at most [`NOTICE_WARNING_DAYS`] ahead.
pub fn notice_deadline_near(deadline: NaiveDate, today: NaiveDate) -> bool {
    let days = (deadline - today).num_days();
    (0..=NOTICE_WARNING_DAYS).contains(&days)
}

#[cfg(test)]
mod tests;
