//! Persistence: one trait per area (households, norms, budgets, debts,
//! leases, plans, the ledger, rent checks, audit), [`Store`] their sum, and
//! their one SQL implementation, each area's in its own file, which runs on
//! SQLite (the embedded default) and PostgreSQL (production).
//!
//! Writes (every method taking an [`AuditEntry`](crate::domain::audit::AuditEntry))
//! store the entry's audit record for the household in the same
//! transaction, and take the time and the author from it.
//!
//! The backend is chosen once, from the database URL's scheme, in [`connect`];
//! everything above sees only `Arc<dyn Store>`, never a pool. All queries are
//! runtime queries with `$N` placeholders, which both databases accept, over
//! sqlx's `Any` driver, so one set of SQL serves both and every store test
//! runs on both. Where the dialects must differ (transaction modes, locks),
//! [`Backend`] says which one is in use. Migrations are kept per backend in
//! `migrations/{sqlite,postgres}` under the same names.
//!
//! Money is stored as whole öre (integers) on both backends; ids as UUID text,
//! dates as `YYYY-MM-DD`, instants as fixed-width UTC text.

/// SQL that the unit in `$column` is one of the caller's units, with the
/// units bound to `$param` as [`Units::sql_param`](crate::domain::unit::Units::sql_param)
/// gives them (`*` for all, else `,a,b,`; no unit code holds a comma or a
/// LIKE wildcard). One string literal, for `concat!` into static SQL: every
/// query that lists or finds households for a caller filters with it.
macro_rules! unit_visible {
    ($column:literal, $param:literal) => {
        concat!(
            "(",
            $param,
            " = '*' OR ",
            $param,
            " LIKE ('%,' || ",
            $column,
            " || ',%'))"
        )
    };
}

/// SQL that the household in `$column` (its id) belongs to one of the
/// caller's units, bound to `$param` as for [`unit_visible!`]: for rows
/// reached through a household (payouts, receipts, notices, audit rows).
macro_rules! household_visible {
    ($column:literal, $param:literal) => {
        concat!(
            "(",
            $param,
            " = '*' OR ",
            $column,
            " IN (SELECT id FROM households WHERE ",
            $param,
            " LIKE ('%,' || unit || ',%')))"
        )
    };
}

mod alerts;
mod audit;
mod budgets;
mod chain;
mod checks;
mod debts;
mod followup;
mod households;
mod leases;
mod ledger;
mod migrations;
mod norms;
mod paging;
mod payments;
mod plans;
mod postgres;
mod replay;
mod replica;
mod seed;
mod settlement;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::domain::error::DomainError;

pub use alerts::{ALERT_SWEEPER_KEY, AlertFilter, AlertStore, SweepOutcome};
pub use audit::{AuditFilter, AuditStore};
pub use budgets::BudgetStore;
pub use chain::ChainStore;
pub use checks::{CheckFacts, CheckStore, CheckSubjects};
pub use debts::DebtStore;
pub use followup::FollowUpStore;
pub use households::{HouseholdStore, UnitMove, Visibility};
pub use leases::LeaseStore;
pub use ledger::{LedgerFilter, LedgerStore};
pub use norms::NormStore;
pub use payments::{CreatedBatch, ExportedBatch, ImportedStatus, PaymentStore, StatusOutcome};
pub use plans::PlanStore;
pub use replica::{ReplicaState, ReplicaStore, reads_may_lag};
pub use seed::{SeedPlan, SeedReport};
pub use sql::SqlStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// What can go wrong in storage. `Conflict` carries an UPPER_SNAKE reason
/// for the caller; `Other` is an internal fault, logged and never shown.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    /// The record belongs to a household of a unit the caller does not
    /// have: answered exactly as [`StoreError::NotFound`], and audited as
    /// `OTHER_UNIT`.
    #[error("{resource} not found")]
    OtherUnit { resource: &'static str },
    #[error("{message}")]
    Conflict {
        reason: &'static str,
        message: String,
        /// The request field the conflict is about, where there is one.
        field: Option<String>,
    },
    #[error("the household was changed by someone else (revision {current})")]
    StaleRevision { current: i64 },
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// SQLite: another process held the write lock past the busy timeout
    /// (five seconds of retries).
    #[error("the database is locked by another writer")]
    Busy(#[source] sqlx::Error),
    /// A request field that only the stored state shows to be wrong (a member
    /// id that is not in the household).
    #[error("the request has invalid fields")]
    Invalid(crate::domain::error::Violations),
    #[error("storage failure")]
    Other(#[source] anyhow::Error),
    /// A write refused after it found the household it is about: the
    /// caller's audit records the refusal against that household
    /// (`AuditCall::write` unwraps it), without a lookup of its own first.
    #[error("{error}")]
    About {
        household: Uuid,
        error: Box<StoreError>,
    },
}

impl StoreError {
    /// `self`, marked as about `household`.
    pub fn about(self, household: Uuid) -> StoreError {
        StoreError::About {
            household,
            error: Box::new(self),
        }
    }
}

/// A domain rule's refusal of a write, as the store reports it: the rules
/// are the domain's, the transaction that asked them is the store's.
impl From<DomainError> for StoreError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid(violations) => StoreError::Invalid(violations),
            DomainError::Refused {
                reason,
                message,
                field,
            } => StoreError::Conflict {
                reason,
                message,
                field: field.map(str::to_owned),
            },
            other => StoreError::Other(other.into()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => StoreError::Unavailable(error),
            sqlx::Error::Database(ref e) if sqlite_busy(e.as_ref()) => StoreError::Busy(error),
            sqlx::Error::Database(ref e) if postgres_unavailable(e.as_ref()) => {
                StoreError::Unavailable(error)
            }
            other => StoreError::Other(other.into()),
        }
    }
}

/// SQLITE_BUSY or SQLITE_LOCKED, with any extended code: the busy timeout
/// ran out while another connection or process held the lock.
fn sqlite_busy(error: &dyn sqlx::error::DatabaseError) -> bool {
    error
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .and_then(sqlx::error::DatabaseError::code)
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// PostgreSQL going away or not yet back: connection exceptions (class
/// 08), an administrator's or a crash's shutdown (57P01, 57P02), "the
/// database system is starting up / shutting down" (57P03), and too many
/// connections (53300).
fn postgres_unavailable(error: &dyn sqlx::error::DatabaseError) -> bool {
    error
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some_and(|e| {
            let code = e.code();
            code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
        })
}

/// An idempotent write: the caller's request id, and a hash of the
/// request's content that tells a retry from a different request reusing
/// the id (REQUEST_ID_REUSED).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    pub request_id: Uuid,
    pub request_hash: String,
}

/// One page of a keyset-paginated list: the items and the key to continue
/// after, when there may be more.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// The whole store: every area's methods, and what is the backend's own.
/// Callers hold it as `Arc<dyn Store>`, on which every area's methods
/// resolve without importing its trait (a trait object's supertraits are
/// part of its type); code holding a concrete [`SqlStore`] imports the area
/// traits it calls.
#[async_trait]
pub trait Store:
    HouseholdStore
    + NormStore
    + BudgetStore
    + DebtStore
    + LeaseStore
    + PlanStore
    + LedgerStore
    + PaymentStore
    + CheckStore
    + AuditStore
    + ChainStore
    + ReplicaStore
    + AlertStore
    + FollowUpStore
    + Send
    + Sync
    + 'static
{
    fn backend(&self) -> Backend;

    /// A cheap round trip, for health checks.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Opens the database named by `url` (`sqlite:…` or `postgres://…`), creating
/// a SQLite file if missing, and applies the backend's migrations over
/// `migrate_url` when given (the schema's owner), else over `url`.
pub async fn connect(url: &str, migrate_url: Option<&str>) -> anyhow::Result<Arc<dyn Store>> {
    let store = SqlStore::connect_migrating_as(url, migrate_url.unwrap_or(url)).await?;
    Ok(Arc::new(store))
}

/// [`connect`], with reads that may lag sent to the streaming replica at
/// `read_url` while it lags at most `max_lag` (PostgreSQL only).
pub async fn connect_with_replica(
    url: &str,
    migrate_url: Option<&str>,
    read_url: &str,
    max_lag: std::time::Duration,
) -> anyhow::Result<Arc<dyn Store>> {
    let store = SqlStore::connect_migrating_as(url, migrate_url.unwrap_or(url))
        .await?
        .with_replica(read_url, max_lag)?;
    Ok(Arc::new(store))
}
