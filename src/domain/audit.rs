//! The audit trail's records: who read or wrote a household's data, with
//! which role and method, when, and with what outcome. Every read or write of
//! a household's data writes one (a write's record inside that write's own
//! transaction), and no call can change one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The outcome of a call refused because a household it named belongs to
/// a unit the caller does not have (the caller saw NOT_FOUND, or a rent
/// check's `UNKNOWN_SUBJECT`).
pub const OTHER_UNIT: &str = "OTHER_UNIT";

/// Who accessed household data, how, when and with what outcome: the part
/// of an audit record that is the same for every household a call touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The caller's name (never a person's personal data: tokens and
    /// certificates name staff accounts or services).
    pub caller: String,
    /// The role that allowed the call.
    pub role: String,
    /// `package.Service/Method`.
    pub method: String,
    /// `OK` or the gRPC status code name.
    pub outcome: String,
    /// The call was an idempotent replay: it returned the first request's
    /// result and wrote no data, only this record.
    pub replay: bool,
    /// The records the call read or wrote, in the order named.
    pub records: Vec<RecordRef>,
}

impl AuditEntry {
    /// This entry naming `records` too (those not already named).
    pub fn with_records(&self, records: impl IntoIterator<Item = RecordRef>) -> AuditEntry {
        let mut entry = self.clone();
        for record in records {
            if !entry.records.contains(&record) {
                entry.records.push(record);
            }
        }
        entry
    }

    /// This entry as the record of a replay that returned `records`.
    pub fn replayed(&self, records: impl IntoIterator<Item = RecordRef>) -> AuditEntry {
        AuditEntry {
            replay: true,
            ..self.with_records(records)
        }
    }

    /// The stored form of [`AuditEntry::records`]: `kind:uuid` items
    /// separated by commas, at most [`MAX_RECORDS`] of them; a longer list
    /// ends in `more:<count left off>`, so a cut list says it was cut.
    pub fn records_text(&self) -> String {
        let mut items: Vec<String> = self
            .records
            .iter()
            .take(MAX_RECORDS)
            .map(RecordRef::to_string)
            .collect();
        if self.records.len() > MAX_RECORDS {
            items.push(format!("more:{}", self.records.len() - MAX_RECORDS));
        }
        items.join(",")
    }
}

/// The most records one audit row names: a list page holds at most 500
/// items and a batch of rent checks 1 000, and 1 000 names of at most 49
/// characters keep a row's `records` under 50 KB.
pub const MAX_RECORDS: usize = 1000;

/// What kind of record an audit row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Payout,
    Reversal,
    Receipt,
    Lease,
    Plan,
    PlanPayment,
    Debt,
    DebtEvent,
    /// An eviction-risk notice a payment resolved (or its reversal
    /// reopened).
    Notice,
    /// A household's move to another unit (its old and new unit).
    UnitChange,
    /// A document rendered from the household's data (RenderDocument).
    Document,
    /// A household named by an audit read's filter (ListAuditEvents): the
    /// auditor read that household's trail.
    Household,
    /// A record of any kind named by an audit read's filter.
    Record,
    /// An early warning read, acknowledged or closed.
    Alert,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Payout => "payout",
            RecordKind::Reversal => "reversal",
            RecordKind::Receipt => "receipt",
            RecordKind::Lease => "lease",
            RecordKind::Plan => "plan",
            RecordKind::PlanPayment => "plan_payment",
            RecordKind::Debt => "debt",
            RecordKind::DebtEvent => "debt_event",
            RecordKind::Notice => "notice",
            RecordKind::UnitChange => "unit_change",
            RecordKind::Document => "document",
            RecordKind::Household => "household",
            RecordKind::Record => "record",
            RecordKind::Alert => "alert",
        }
    }
}

/// One record an audit row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: Uuid,
}

impl RecordRef {
    pub fn new(kind: RecordKind, id: Uuid) -> RecordRef {
        RecordRef { kind, id }
    }
}

impl std::fmt::Display for RecordRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.id)
    }
}

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub sequence: i64,
    pub household_id: Option<Uuid>,
    pub entry: AuditEntry,
    /// The stored record names (`kind:uuid`, perhaps ending `more:<n>`);
    /// `entry.records` is empty in a stored record.
    pub records: Vec<String>,
}

#[cfg(test)]
mod tests;
