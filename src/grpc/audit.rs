//! The audit trail: every call that reads or writes a household's data
//! leaves one record per household it touched (who, with which role, which
//! method, which household, when, and the outcome), and `AuditService` lets
//! an auditor read them.
//!
//! A handler opens an [`AuditCall`] from the request, says which households
//! it touches as it learns them, and hands its result to
//! [`AuditCall::finish`]:
//! - a successful write stores its record in the write's own transaction
//!   (the store methods take [`AuditCall::entry`], and the handler runs them
//!   through [`AuditCall::write`]), so data and record commit together or
//!   not at all;
//! - a successful read is recorded before its answer leaves: if the record
//!   cannot be written, the caller gets the error and not the data;
//! - a call that fails after touching a household is recorded with the
//!   status code it ended with (a NOT_FOUND, a stale revision), so probing is
//!   visible too; a call refused because the household belongs to another
//!   unit is recorded as `OTHER_UNIT` (the caller saw NOT_FOUND).
//!
//! Units: [`AuditCall::visible`] is the gate every handler passes to reach
//! a household's data, and [`AuditCall::units`] what its unit-filtered
//! lists and searches filter by (ARCHITECTURE.md, "Units").
//!
//! Reading the trail (`ListAuditEvents`) leaves a row too, naming no
//! household; the household and record it filtered on are its records
//! (`household:<id>`, `record:<id>`), so a question about one household's
//! trail finds who read that trail.
//!
//! Calls refused before they reach a handler (bad credential, wrong role,
//! malformed request) have touched no household and are not recorded here;
//! the auth layer logs refusals. The audit table itself is append-only in the
//! database (triggers on both backends).

use std::future::Future;
use std::sync::{Arc, Mutex};

use tonic::{Code, Request, Response, Status};
use uuid::Uuid;

use super::auth::{Caller, Grant};
use super::convert::audit::{audit_event_to_pb, audit_query};
use super::convert::{self, HouseholdPage};
use crate::app::App;
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::error::Violations;
use crate::domain::unit::Units;
use crate::pb;
use crate::store::{Store, StoreError, Visibility};

/// The audit bookkeeping of one call.
pub struct AuditCall {
    store: Arc<dyn Store>,
    entry: AuditEntry,
    /// The units whose households the caller sees.
    units: Units,
    state: Mutex<Touched>,
}

#[derive(Default)]
struct Touched {
    households: Vec<Uuid>,
    /// The call searched for a household it may not find (a lookup by
    /// personnummer): recorded without a household when none was touched.
    searched: bool,
    /// A write stored the records with its data.
    written: bool,
    /// The records the call read, named as the handler learns them.
    records: Vec<RecordRef>,
    /// A household the call asked for belongs to another unit: the caller
    /// was told NOT_FOUND, the row says [`OTHER_UNIT`].
    other_unit: bool,
}

pub use crate::domain::audit::OTHER_UNIT;

impl AuditCall {
    /// Opens the audit of a request that passed the auth layer.
    pub fn begin<T>(app: &App, request: &Request<T>) -> Result<AuditCall, Status> {
        let caller = Caller::of(request)?;
        let grant = request
            .extensions()
            .get::<Grant>()
            .copied()
            .ok_or_else(|| Status::unauthenticated("no credentials"))?;
        Ok(AuditCall {
            units: caller.units(&app.default_unit),
            store: app.store.clone(),
            entry: AuditEntry {
                at: app.clock.now(),
                caller: caller.name,
                role: grant.role.as_str().to_owned(),
                method: grant.method.to_owned(),
                outcome: code_name(Code::Ok).to_owned(),
                replay: false,
                records: Vec::new(),
            },
            state: Mutex::new(Touched::default()),
        })
    }

    /// Runs a handler inside its audit call: opens the audit from the
    /// request, hands the handler the audit and the message, and records
    /// the handler's outcome ([`AuditCall::finish`]).
    pub async fn run<T, R>(
        app: &App,
        request: Request<T>,
        handler: impl AsyncFnOnce(&AuditCall, T) -> Result<R, Status>,
    ) -> Result<R, Status> {
        let audit = AuditCall::begin(app, &request)?;
        let result = handler(&audit, request.into_inner()).await;
        audit.finish(result).await
    }

    /// The record a successful write stores with its data: outcome OK, the
    /// call's time and caller.
    pub fn entry(&self) -> &AuditEntry {
        &self.entry
    }

    /// The units whose households the caller sees: what a query that
    /// lists or finds households for the call filters by.
    pub fn units(&self) -> &Units {
        &self.units
    }

    fn touch(&self, household: Uuid) {
        let mut state = self.lock();
        if !state.households.contains(&household) {
            state.households.push(household);
        }
    }

    /// A household a unit-filtered query returned for this call (a list
    /// page filtered by [`AuditCall::units`]): the call read it.
    pub fn listed(&self, household: Uuid) {
        self.touch(household);
    }

    /// The gate to a household's data, which every read or write of a
    /// household, or of a record reached through one, passes before its
    /// answer leaves or its write starts: the household is touched for the
    /// trail, and when it belongs to a unit the caller does not have, the
    /// call fails with `resource` NOT_FOUND, the very answer for an id that
    /// does not exist (the household's existence is not revealed), while
    /// its audit row records the refusal as [`OTHER_UNIT`].
    pub async fn visible(&self, household: Uuid, resource: &'static str) -> Result<(), Status> {
        self.touch(household);
        match self.store.visible_household(&self.units, household).await {
            Ok(Visibility::Visible) => Ok(()),
            Ok(Visibility::OtherUnit) => {
                self.lock().other_unit = true;
                Err(StoreError::NotFound { resource }.into())
            }
            Err(StoreError::NotFound { .. }) => Err(StoreError::NotFound { resource }.into()),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the caller may see `household`, for a call that answers
    /// "no such record" in its own words (a violation) rather than with
    /// NOT_FOUND: false for another unit's household, which the audit row
    /// records as [`OTHER_UNIT`] should the call fail.
    pub async fn sees(&self, household: Uuid) -> Result<bool, Status> {
        match self.visible(household, "household").await {
            Ok(()) => Ok(true),
            Err(status) if status.code() == Code::NotFound => Ok(false),
            Err(status) => Err(status),
        }
    }

    /// The household a call is about: touched for the trail, and NOT_FOUND
    /// when it does not exist or belongs to another unit (a list for an
    /// unknown household is an error, not an empty list).
    pub async fn existing_household(&self, household: Uuid) -> Result<(), Status> {
        self.visible(household, "household").await
    }

    /// The household and page a list of a household's items asks for:
    /// parsed (every violation at once), then touched and required to exist.
    pub async fn household_page(
        &self,
        request: &impl HouseholdPage,
    ) -> Result<(Uuid, u32, Option<Uuid>), Status> {
        let (household_id, page_size, page_token) = request.page();
        let mut v = Violations::new();
        let household_id = convert::uuid("household_id", household_id, &mut v);
        let size = convert::page_size("page_size", page_size, &mut v);
        let after = convert::page_token("page_token", page_token, &mut v);
        let household_id = convert::finish(v, household_id)?;
        self.existing_household(household_id).await?;
        Ok((household_id, size, after))
    }

    /// The call read (or is about to read) this record: its audit row
    /// names it, so an auditor can ask who saw one payout, not only one
    /// household. A write's row names what the store wrote instead.
    pub fn record(&self, kind: RecordKind, id: Uuid) {
        let record = RecordRef::new(kind, id);
        let mut state = self.lock();
        if !state.records.contains(&record) {
            state.records.push(record);
        }
    }

    /// The call reads the whole register, no one household (verifying the
    /// hash chains): its row names none.
    pub fn whole_register(&self) {
        self.lock().searched = true;
    }

    /// The call is about to search for a household it may not find.
    pub fn search(&self) {
        self.lock().searched = true;
    }

    /// Runs a store write that was given [`AuditCall::entry`]: once it has
    /// committed, the call's record is stored with its data.
    /// A write refused after finding its household ([`StoreError::About`])
    /// touches that household, so the refusal is recorded against it.
    pub async fn write<T>(
        &self,
        write: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match write.await {
            Ok(value) => {
                self.lock().written = true;
                Ok(value)
            }
            Err(StoreError::About { household, error }) => {
                self.touch(household);
                if let StoreError::OtherUnit { resource } = *error {
                    self.lock().other_unit = true;
                    return Err(StoreError::NotFound { resource });
                }
                Err(*error)
            }
            Err(e) => Err(e),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Touched> {
        // The state is plain data: a panic elsewhere cannot leave it torn.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records the call's outcome and passes its result on. A successful
    /// read whose record cannot be written fails with the store's error.
    pub async fn finish<R>(self, result: Result<R, Status>) -> Result<R, Status> {
        let (households, written, records, other_unit) = {
            let state = self.lock();
            let mut households: Vec<Option<Uuid>> =
                state.households.iter().copied().map(Some).collect();
            if households.is_empty() && state.searched {
                households.push(None);
            }
            (
                households,
                state.written,
                state.records.clone(),
                state.other_unit,
            )
        };
        let entry = self.entry.with_records(records);
        match result {
            Ok(value) => {
                if !written && !households.is_empty() {
                    self.store.append_audit(&entry, &households).await?;
                }
                Ok(value)
            }
            Err(status) => {
                if !households.is_empty() {
                    let outcome = if other_unit {
                        OTHER_UNIT
                    } else {
                        code_name(status.code())
                    };
                    let entry = AuditEntry {
                        outcome: outcome.to_owned(),
                        ..entry
                    };
                    if let Err(e) = self.store.append_audit(&entry, &households).await {
                        // The call failed anyway; its error goes back as it was.
                        tracing::error!(error = %e, "the audit record of a failed call was not written");
                    }
                }
                Err(status)
            }
        }
    }
}

/// The canonical name of a gRPC status code, as the audit trail stores it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// Every name [`code_name`] gives, for validating an outcome filter.
pub(super) const OUTCOMES: &[Code] = &[
    Code::Ok,
    Code::Cancelled,
    Code::Unknown,
    Code::InvalidArgument,
    Code::DeadlineExceeded,
    Code::NotFound,
    Code::AlreadyExists,
    Code::PermissionDenied,
    Code::ResourceExhausted,
    Code::FailedPrecondition,
    Code::Aborted,
    Code::OutOfRange,
    Code::Unimplemented,
    Code::Internal,
    Code::Unavailable,
    Code::DataLoss,
    Code::Unauthenticated,
];

pub struct AuditApi {
    app: Arc<App>,
}

impl AuditApi {
    pub fn new(app: Arc<App>) -> Self {
        AuditApi { app }
    }
}

#[tonic::async_trait]
impl pb::audit_service_server::AuditService for AuditApi {
    async fn list_audit_events(
        &self,
        request: Request<pb::ListAuditEventsRequest>,
    ) -> Result<Response<pb::ListAuditEventsResponse>, Status> {
        // Reading the trail is itself audited: one row naming no household,
        // with the household and record filtered on as its records.
        let app = self.app.clone();
        AuditCall::run(&self.app, request, async |audit, request| {
            audit.whole_register();
            let mut v = Violations::new();
            let (filter, after, size) = audit_query(request, &mut v);
            v.finish(())?;
            if let Some(household) = filter.household_id {
                audit.record(RecordKind::Household, household);
            }
            if let Some(record) = filter.record_id {
                audit.record(RecordKind::Record, record);
            }
            let page = app
                .store
                .list_audit_events(audit.units(), &filter, after, size)
                .await?;
            Ok(Response::new(pb::ListAuditEventsResponse {
                events: page.items.into_iter().map(audit_event_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }
}

#[cfg(test)]
mod tests;
