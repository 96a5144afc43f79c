//! The audit trail's records: who read or wrote a household's data, with
//! which role and method, when, and with what outcome. Every read or write of
//! a household's data writes one (a write's record inside that write's own
//! transaction), and no call can change one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

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
}

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub sequence: i64,
    pub household_id: Option<Uuid>,
    pub entry: AuditEntry,
}
