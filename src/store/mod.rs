//! Persistence: the [`Store`] trait and its one SQL implementation, which runs
//! on SQLite (the embedded default) and PostgreSQL (production).
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

mod checks;
mod debts;
mod leases;
mod ledger;
mod migrations;
mod plans;
mod postgres;
mod seed;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::audit::{AuditEntry, AuditEvent};
use crate::domain::budget::BudgetResult;
use crate::domain::budget::SavedBudget;
use crate::domain::calendar::YearMonth;
use crate::domain::debt::{Debt, DebtDraft, DebtEvent, NewDebtEvent};
use crate::domain::debt::{DebtKind, DebtStatus};
use crate::domain::error::DomainError;
use crate::domain::household::{Household, HouseholdDraft};
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::lease::{
    EvictionNotice, Landlord, LandlordDraft, Lease, LeaseDraft, NoticeResolution,
};
use crate::domain::ledger::{PayoutDraft, ReceiptDraft, RentPayout, RentReceipt};
use crate::domain::money::Money;
use crate::domain::norms::{NormTable, NormTableDraft};
use crate::domain::rent_check::RentFacts;
use crate::domain::rent_plan::RentPlan;
use crate::domain::rent_plan::RentPlanDraft;

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

/// The subjects of a batch of rent checks: one per item (repeats kept,
/// since each item is one access to record), and the rent months asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckSubjects {
    pub people: Vec<PersonalIdentityNumber>,
    pub households: Vec<Uuid>,
    pub months: Vec<YearMonth>,
}

/// What the store found for a batch of rent checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckFacts {
    /// The household of each personnummer asked about that a member has,
    /// keyed by the 12-digit number.
    pub people: std::collections::HashMap<String, Uuid>,
    /// The households asked about by id that exist.
    pub households: std::collections::HashSet<Uuid>,
    /// The rent facts of all these households in the months asked.
    pub rent: RentFacts,
}

/// Which ledger entries to list; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub household_id: Option<Uuid>,
    pub lease_id: Option<Uuid>,
    /// Rent months from, inclusive.
    pub from: Option<YearMonth>,
    /// Rent months to, inclusive.
    pub to: Option<YearMonth>,
    /// Payouts only.
    pub decision_reference: Option<String>,
}

/// Which audit records to list; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub household_id: Option<Uuid>,
    pub caller: Option<String>,
    pub method: Option<String>,
    pub outcome: Option<String>,
    /// At or after.
    pub start: Option<DateTime<Utc>>,
    /// Before.
    pub end: Option<DateTime<Utc>>,
}

/// One page of a keyset-paginated list: the items and the key to continue
/// after, when there may be more.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// A cheap round trip, for health checks.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Writes (here and below, every method taking an [`AuditEntry`]) store
    /// the entry's audit record for the household in the same transaction,
    /// and take the time and the author from it.
    async fn create_household(
        &self,
        draft: &HouseholdDraft,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError>;
    async fn get_household(&self, id: Uuid) -> Result<Household, StoreError>;
    /// Households by id (creation order, ids being UUIDv7), after `after`.
    async fn list_households(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Household>, StoreError>;
    /// Replaces a household's case reference and members if its revision is
    /// still `expected_revision`.
    async fn update_household(
        &self,
        id: Uuid,
        expected_revision: i64,
        draft: &HouseholdDraft,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError>;
    async fn find_household_by_person(
        &self,
        pin: &PersonalIdentityNumber,
    ) -> Result<Household, StoreError>;

    /// The latest version of every table, with rows (they are few and small).
    async fn all_norm_tables(&self) -> Result<Vec<NormTable>, StoreError>;
    /// One table with its rows: the latest version, or the one asked for.
    async fn get_norm_table(&self, id: &str, version: Option<i32>)
    -> Result<NormTable, StoreError>;
    /// Stores a new table, or a new version of an id. Refuses a period that
    /// overlaps another id of the same kind (NORM_TABLE_OVERLAP) and a change
    /// of kind for an existing id (NORM_TABLE_KIND_CHANGED).
    async fn import_norm_table(
        &self,
        draft: &NormTableDraft,
        loaded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<NormTable, StoreError>;

    async fn create_budget(
        &self,
        household_id: Uuid,
        household_revision: i64,
        result: &BudgetResult,
        audit: &AuditEntry,
    ) -> Result<SavedBudget, StoreError>;
    async fn get_budget(&self, id: Uuid) -> Result<SavedBudget, StoreError>;
    /// A household's budgets, newest first, before `before`.
    async fn list_budgets(
        &self,
        household_id: Uuid,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<SavedBudget>, StoreError>;

    /// Registers a debt with its opening balance (an OPENING_BALANCE event).
    /// A replay of the same request returns the debt first created.
    async fn create_debt(
        &self,
        household_id: Uuid,
        draft: &DebtDraft,
        opening: Money,
        balance_date: NaiveDate,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<Debt, StoreError>;
    async fn get_debt(&self, id: Uuid) -> Result<Debt, StoreError>;
    /// A household's debts by id (creation order), after `after`.
    async fn list_debts(
        &self,
        household_id: Uuid,
        kind: Option<DebtKind>,
        status: Option<DebtStatus>,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Debt>, StoreError>;
    /// Replaces a debt's terms if its revision is still `expected_revision`.
    /// A settled debt is not changed (DEBT_SETTLED), and SETTLED is set only
    /// by a settlement event.
    async fn update_debt(
        &self,
        id: Uuid,
        expected_revision: i64,
        draft: &DebtDraft,
        audit: &AuditEntry,
    ) -> Result<Debt, StoreError>;
    /// Records a balance change. Refuses an event on a settled debt
    /// (DEBT_SETTLED) and one that would take the balance below zero
    /// (BALANCE_WOULD_BE_NEGATIVE). A settlement sets the balance to zero and
    /// the status to settled. A replay returns the event first recorded.
    async fn record_debt_event(
        &self,
        debt_id: Uuid,
        event: &NewDebtEvent,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<(DebtEvent, Debt), StoreError>;
    /// A debt's events in the order recorded, after position `after`.
    async fn list_debt_events(
        &self,
        debt_id: Uuid,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<DebtEvent>, StoreError>;

    async fn create_landlord(
        &self,
        draft: &LandlordDraft,
        now: DateTime<Utc>,
    ) -> Result<Landlord, StoreError>;
    async fn get_landlord(&self, id: Uuid) -> Result<Landlord, StoreError>;
    /// Landlords in the order registered, after `after`.
    async fn list_landlords(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Landlord>, StoreError>;
    /// A lease with its first rent. The landlord must exist
    /// (`lease.landlord_id`).
    async fn create_lease(
        &self,
        draft: &LeaseDraft,
        start: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError>;
    async fn get_lease(&self, id: Uuid) -> Result<Lease, StoreError>;
    async fn list_leases(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Lease>, StoreError>;
    /// A new rent from `from` on; `from` must be after the start and not
    /// already changed (`from_month`).
    async fn change_lease_rent(
        &self,
        lease_id: Uuid,
        from: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError>;
    async fn create_eviction_notice(
        &self,
        lease_id: Uuid,
        served_on: NaiveDate,
        amount_owed: Money,
        deadline: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError>;
    async fn get_eviction_notice(&self, id: Uuid) -> Result<EvictionNotice, StoreError>;
    /// Notices by deadline (then id), after the page token `after`
    /// (`deadline/id` of the last notice of the previous page).
    async fn list_eviction_notices(
        &self,
        household_id: Option<Uuid>,
        include_resolved: bool,
        after: Option<(NaiveDate, Uuid)>,
        limit: u32,
    ) -> Result<Page<EvictionNotice>, StoreError>;
    /// Refuses a notice already resolved (NOTICE_RESOLVED).
    async fn resolve_eviction_notice(
        &self,
        id: Uuid,
        resolution: NoticeResolution,
        on: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError>;

    /// Stores a plan on a lease. A replay of the same request returns the
    /// plan first created.
    async fn create_rent_plan(
        &self,
        draft: &RentPlanDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError>;
    async fn get_rent_plan(&self, id: Uuid) -> Result<RentPlan, StoreError>;
    async fn list_rent_plans(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPlan>, StoreError>;
    /// Records a payment towards a plan; a replay records nothing new.
    async fn record_plan_payment(
        &self,
        plan_id: Uuid,
        date: NaiveDate,
        amount: Money,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError>;

    /// Records a payout to the lease's landlord, whose account becomes the
    /// payee. In one transaction that serialises payouts per lease: refuses a
    /// month without rent (NO_RENT_FOR_MONTH), a missing or wrong OCR
    /// reference the landlord requires (`ocr_reference`, as Invalid), and an
    /// ongoing-rent payout that would take the month's payouts net of
    /// reversals above its rent (PAYOUT_EXCEEDS_RENT). An arrears payout is
    /// tied to the lease's newest plan. A replay returns the first payout.
    async fn record_rent_payout(
        &self,
        draft: &PayoutDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError>;
    /// Reverses a payout at most once (ALREADY_REVERSED); a replay returns
    /// the payout with its reversal.
    async fn reverse_rent_payout(
        &self,
        payout_id: Uuid,
        reason: &str,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError>;
    async fn get_rent_payout(&self, id: Uuid) -> Result<RentPayout, StoreError>;
    /// Payouts by id (the order recorded), after `after`.
    async fn list_rent_payouts(
        &self,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPayout>, StoreError>;
    /// Records a receipt (NO_RENT_FOR_MONTH as for payouts); an arrears
    /// receipt is tied to the lease's newest plan. A replay returns the
    /// first receipt.
    async fn record_rent_receipt(
        &self,
        draft: &ReceiptDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentReceipt, StoreError>;
    async fn get_rent_receipt(&self, id: Uuid) -> Result<RentReceipt, StoreError>;
    async fn list_rent_receipts(
        &self,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentReceipt>, StoreError>;

    /// What a batch of rent checks needs, read set-based (a few
    /// statements, whatever the batch's size: a caller batches up to about
    /// a thousand subjects), and one audit record per subject asked, with
    /// its household or, when none matches, without one.
    async fn rent_check_facts(
        &self,
        asked: &CheckSubjects,
        audit: &AuditEntry,
    ) -> Result<CheckFacts, StoreError>;

    /// Appends one audit record per household (or one without a household
    /// for `None`), in one transaction: for reads, and for calls that failed.
    async fn append_audit(
        &self,
        entry: &AuditEntry,
        households: &[Option<Uuid>],
    ) -> Result<(), StoreError>;
    /// Audit records matching `filter`, in the order written, after the
    /// record with sequence `after`.
    async fn list_audit_events(
        &self,
        filter: &AuditFilter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<AuditEvent>, StoreError>;
}

/// Opens the database named by `url` (`sqlite:…` or `postgres://…`), creating
/// a SQLite file if missing, and applies the backend's migrations.
pub async fn connect(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let store = SqlStore::connect(url).await?;
    Ok(Arc::new(store))
}
