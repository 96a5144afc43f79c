//! The audit trail's records (DESIGN §6): who read or wrote a household's
//! data, with which role and method, when, and with what outcome.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Who accessed household data, how, when and with what outcome: the part
/// of an audit record that is the same for every household a call touched
/// (DESIGN §6).
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
}

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub sequence: i64,
    pub household_id: Option<Uuid>,
    pub entry: AuditEntry,
}
