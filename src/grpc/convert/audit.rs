//! The audit trail: an event out, and the filter of an audit list in.

use super::{instant, page_size, sequence_token, timestamp, uuid};
use crate::domain::audit::AuditEvent;
use crate::domain::chain::{ChainedKind, Mismatch, Verification};
use crate::domain::error::Violations;
use crate::grpc::audit::{OTHER_UNIT, OUTCOMES, code_name};
use crate::pb;
use crate::store::AuditFilter;

pub fn audit_event_to_pb(e: AuditEvent) -> pb::AuditEvent {
    pb::AuditEvent {
        sequence: e.sequence,
        time: Some(timestamp(e.entry.at)),
        caller: e.entry.caller,
        role: e.entry.role,
        method: e.entry.method,
        household_id: e.household_id.map(|h| h.to_string()).unwrap_or_default(),
        outcome: e.entry.outcome,
        replay: e.entry.replay,
        records: e.records,
    }
}

pub fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// The filter and page of an audit list.
pub fn audit_query(
    request: pb::ListAuditEventsRequest,
    v: &mut Violations,
) -> (AuditFilter, Option<i64>, u32) {
    let pb::ListAuditEventsRequest {
        household_id,
        caller,
        method,
        outcome,
        start_time,
        end_time,
        page_size: size,
        page_token,
        record_id,
    } = request;
    let household_id = if household_id.is_empty() {
        None
    } else {
        uuid("household_id", &household_id, v)
    };
    if !outcome.is_empty()
        && outcome != OTHER_UNIT
        && !OUTCOMES.iter().any(|c| code_name(*c) == outcome)
    {
        v.add(
            "outcome",
            "UNKNOWN_VALUE",
            "not a gRPC status code name such as OK or NOT_FOUND, nor OTHER_UNIT",
        );
    }
    let start = start_time.and_then(|t| instant("start_time", &t, v));
    let end = end_time.and_then(|t| instant("end_time", &t, v));
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        v.add("end_time", "BEFORE_START", "must not be before start_time");
    }
    let record_id = if record_id.is_empty() {
        None
    } else {
        uuid("record_id", &record_id, v)
    };
    let size = page_size("page_size", size, v);
    let after = sequence_token("page_token", &page_token, v);
    let filter = AuditFilter {
        household_id,
        caller: optional(caller),
        method: optional(method),
        outcome: optional(outcome),
        start,
        end,
        record_id,
    };
    (filter, after, size)
}

/// What verifying the hash chains found, on the wire.
pub fn verification_to_pb(v: &Verification) -> pb::VerifyLedgerResponse {
    pb::VerifyLedgerResponse {
        ledger_entries_checked: v.ledger_entries_checked,
        ledger_chains_checked: v.ledger_chains_checked,
        audit_events_checked: v.audit_events_checked,
        audit_events_unsealed: v.audit_events_unsealed,
        intact: v.first_mismatch.is_none(),
        first_mismatch: v.first_mismatch.as_ref().map(|m| pb::ChainMismatch {
            record_kind: match m.kind {
                ChainedKind::Payout => pb::ChainedRecordKind::Payout,
                ChainedKind::Reversal => pb::ChainedRecordKind::Reversal,
                ChainedKind::Receipt => pb::ChainedRecordKind::Receipt,
                ChainedKind::AuditEvent => pb::ChainedRecordKind::AuditEvent,
            } as i32,
            record_id: m.record_id.clone(),
            mismatch: match m.mismatch {
                Mismatch::HashMismatch => pb::ChainMismatchKind::HashMismatch,
                Mismatch::RecordMissing => pb::ChainMismatchKind::RecordMissing,
                Mismatch::RecordUnchained => pb::ChainMismatchKind::RecordUnchained,
                Mismatch::ChainBroken => pb::ChainMismatchKind::ChainBroken,
            } as i32,
        }),
        ledger_root: v.ledger_root.clone(),
        audit_head: v.audit_head.clone(),
    }
}
