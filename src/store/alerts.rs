//! Early warnings in SQL (`domain::alert` holds the kinds and rules).
//!
//! Every change of an alert (raised, acknowledged, closed) takes the next
//! `sequence` under one lock held to its commit: the write transaction on
//! SQLite, a transaction advisory lock on PostgreSQL (never a session lock,
//! which a connection pooler breaks). So sequences commit in order, and a
//! watch on any server that polls "after N" sees every change once.
//!
//! An alert caused by a write is raised in that write's transaction
//! ([`raise`], from the bank-file import); the date-driven kinds come from
//! the sweep (`sweep.rs`), which one server at a time runs.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::audit::insert_audit;
use super::paging::{Fetched, fetch_limit};
use super::sql::{corrupt, get_i64, get_str, get_time, timestamp};
use super::{Backend, Page, SqlStore, Store, StoreError};
use crate::domain::alert::{Alert, AlertKind, AlertState, Condition};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::unit::Units;

mod sweep;

pub use sweep::{ALERT_SWEEPER_KEY, SweepOutcome};

/// The PostgreSQL transaction advisory lock every change of an alert takes
/// before it numbers the change: "alertseq" in ASCII.
const ALERTS_KEY: i64 = 0x616c_6572_7473_6571;

/// What a list of alerts is filtered on.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub household_id: Option<Uuid>,
    /// Any of these states; all when empty.
    pub states: Vec<AlertState>,
    /// Any of these kinds; all when empty.
    pub kinds: Vec<AlertKind>,
}

#[async_trait]
pub trait AlertStore: Send + Sync {
    /// The caller's units' alerts (and those of no household) matching
    /// `filter`, oldest first, after the alert `after`.
    async fn list_alerts(
        &self,
        units: &Units,
        filter: &AlertFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Alert>, StoreError>;
    /// The caller's units' alerts changed after `sequence`, in the order
    /// changed, at most `limit`.
    async fn alerts_after(
        &self,
        units: &Units,
        filter: &AlertFilter,
        sequence: i64,
        limit: u32,
    ) -> Result<Vec<Alert>, StoreError>;
    /// The sequence of the last change so far (0 when none).
    async fn last_alert_sequence(&self) -> Result<i64, StoreError>;
    async fn get_alert(&self, id: Uuid) -> Result<Alert, StoreError>;
    /// Acknowledges the alert, and closes it when `close`, with the call's
    /// audit row. A closed alert is refused (ALERT_CLOSED); acknowledging
    /// an acknowledged one changes nothing.
    async fn acknowledge_alert(
        &self,
        id: Uuid,
        close: bool,
        audit: &AuditEntry,
    ) -> Result<Alert, StoreError>;
    /// Raises the date-driven alerts that hold on `today` and closes those
    /// whose condition ended, unless another server is sweeping.
    async fn sweep_alerts(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<SweepOutcome, StoreError>;
}

/// An alert's columns, for `concat!`.
macro_rules! columns {
    () => {
        "id, sequence, kind, household_id, records, period, due_date, state, \
         created_at, changed_at, changed_by"
    };
}

const BY_ID: &str = concat!("SELECT ", columns!(), " FROM alerts WHERE id = $1");

fn alert_from_row(row: &AnyRow) -> Result<Alert, StoreError> {
    let household: Option<String> = row.try_get("household_id")?;
    let due: Option<String> = row.try_get("due_date")?;
    let records = get_str(row, "records")?;
    Ok(Alert {
        id: super::sql::get_uuid(row, "id")?,
        sequence: get_i64(row, "sequence")?,
        kind: AlertKind::from_str_opt(&get_str(row, "kind")?).ok_or_else(|| corrupt("kind"))?,
        household_id: household
            .map(|h| Uuid::parse_str(&h).map_err(|_| corrupt("household_id")))
            .transpose()?,
        records: records
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
        period: get_str(row, "period")?,
        due_date: due
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| corrupt("due_date")))
            .transpose()?,
        state: AlertState::from_str_opt(&get_str(row, "state")?).ok_or_else(|| corrupt("state"))?,
        created_at: get_time(row, "created_at")?,
        changed_at: get_time(row, "changed_at")?,
        changed_by: row.try_get("changed_by")?,
    })
}

/// `,a,b,` of the filter's states or kinds, or `*` for all.
fn any_of<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        "*".to_owned()
    } else {
        format!(",{},", names.join(","))
    }
}

/// Takes the lock that numbers alert changes, and returns the last number.
pub(super) async fn lock_alerts(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
) -> Result<i64, StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ALERTS_KEY)
            .execute(&mut **tx)
            .await?;
    }
    let row = sqlx::query("SELECT CAST(COALESCE(MAX(sequence), 0) AS BIGINT) AS last FROM alerts")
        .fetch_one(&mut **tx)
        .await?;
    get_i64(&row, "last")
}

/// Raises the alert for `condition` unless its key has one already (in any
/// state); under [`lock_alerts`], whose number `last` it advances. The new
/// alert's id, or `None`.
pub(super) async fn raise(
    tx: &mut Transaction<'static, Any>,
    last: &mut i64,
    condition: &Condition,
    at: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let key = condition.key();
    let known = sqlx::query("SELECT id FROM alerts WHERE alert_key = $1")
        .bind(key.clone())
        .fetch_optional(&mut **tx)
        .await?;
    if known.is_some() {
        return Ok(None);
    }
    *last += 1;
    let id = Uuid::now_v7();
    let records: Vec<String> = condition
        .records
        .iter()
        .map(|r| format!("{}:{}", r.kind.as_str(), r.id))
        .collect();
    sqlx::query(
        "INSERT INTO alerts (id, sequence, kind, alert_key, household_id, records, period, due_date, \
         state, created_at, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9, NULL)",
    )
    .bind(id.to_string())
    .bind(*last)
    .bind(condition.kind.as_str())
    .bind(key)
    .bind(condition.household_id.map(|h| h.to_string()))
    .bind(records.join(","))
    .bind(condition.period.clone())
    .bind(condition.due_date.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(timestamp(at))
    .execute(&mut **tx)
    .await?;
    Ok(Some(id))
}

/// Moves the alert `id` to `state`, under [`lock_alerts`].
async fn change(
    tx: &mut Transaction<'static, Any>,
    last: &mut i64,
    id: Uuid,
    state: AlertState,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    *last += 1;
    sqlx::query(
        "UPDATE alerts SET state = $1, sequence = $2, changed_at = $3, changed_by = $4 WHERE id = $5",
    )
    .bind(state.as_str())
    .bind(*last)
    .bind(timestamp(at))
    .bind(by.to_owned())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl AlertStore for SqlStore {
    async fn list_alerts(
        &self,
        units: &Units,
        filter: &AlertFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Alert>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM alerts WHERE ($1 = '' OR household_id = $1) \
             AND ($2 = '*' OR $2 LIKE ('%,' || state || ',%')) \
             AND ($3 = '*' OR $3 LIKE ('%,' || kind || ',%')) AND id > $4 \
             AND (household_id IS NULL OR ",
            household_visible!("household_id", "$6"),
            ") ORDER BY id LIMIT $5"
        ))
        .bind(
            filter
                .household_id
                .map(|h| h.to_string())
                .unwrap_or_default(),
        )
        .bind(any_of(filter.states.iter().map(|s| s.as_str())))
        .bind(any_of(filter.kinds.iter().map(|k| k.as_str())))
        .bind(after.map(|a| a.to_string()).unwrap_or_default())
        .bind(fetch_limit(limit))
        .bind(units.sql_param())
        .fetch_all(self.reads())
        .await?;
        Fetched::new(rows, limit).read(alert_from_row, |a: &Alert| a.id.to_string())
    }

    async fn alerts_after(
        &self,
        units: &Units,
        filter: &AlertFilter,
        sequence: i64,
        limit: u32,
    ) -> Result<Vec<Alert>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM alerts WHERE sequence > $1 \
             AND ($2 = '*' OR $2 LIKE ('%,' || kind || ',%')) \
             AND (household_id IS NULL OR ",
            household_visible!("household_id", "$4"),
            ") ORDER BY sequence LIMIT $3"
        ))
        .bind(sequence)
        .bind(any_of(filter.kinds.iter().map(|k| k.as_str())))
        .bind(i64::from(limit))
        .bind(units.sql_param())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(alert_from_row).collect()
    }

    async fn last_alert_sequence(&self) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT CAST(COALESCE(MAX(sequence), 0) AS BIGINT) AS last FROM alerts")
                .fetch_one(self.pool())
                .await?;
        get_i64(&row, "last")
    }

    async fn get_alert(&self, id: Uuid) -> Result<Alert, StoreError> {
        let row = sqlx::query(BY_ID)
            .bind(id.to_string())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { resource: "alert" })?;
        alert_from_row(&row)
    }

    async fn acknowledge_alert(
        &self,
        id: Uuid,
        close: bool,
        audit: &AuditEntry,
    ) -> Result<Alert, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut last = lock_alerts(&mut tx, self.backend()).await?;
        let row = sqlx::query(BY_ID)
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { resource: "alert" })?;
        let alert = alert_from_row(&row)?;
        let refuse = |household: Option<Uuid>, error: StoreError| match household {
            Some(h) => error.about(h),
            None => error,
        };
        if alert.state == AlertState::Closed {
            return Err(refuse(
                alert.household_id,
                StoreError::Conflict {
                    reason: "ALERT_CLOSED",
                    message: "the alert is closed".into(),
                    field: Some("id".into()),
                },
            ));
        }
        let to = if close {
            AlertState::Closed
        } else {
            AlertState::Acknowledged
        };
        if to != alert.state {
            change(&mut tx, &mut last, id, to, &audit.caller, audit.at).await?;
        }
        insert_audit(
            &mut tx,
            &audit.with_records(vec![RecordRef::new(RecordKind::Alert, id)]),
            alert.household_id,
        )
        .await?;
        let row = sqlx::query(BY_ID)
            .bind(id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        let changed = alert_from_row(&row)?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn sweep_alerts(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<SweepOutcome, StoreError> {
        sweep::sweep(self, today, now).await
    }
}

/// A payout the bank rejected or returned (`state` names which), in the
/// import's transaction: it counts for nothing now (`voided_payouts`), so
/// its debt settlement is undone, and the case worker is warned. Returns
/// what it wrote: the debt event, the notices reopened, the alert.
pub(super) async fn voided_by_bank(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    payout: Uuid,
    state: &str,
    audit: &AuditEntry,
) -> Result<Vec<RecordRef>, StoreError> {
    let mut wrote = super::settlement::settle_bank_void(tx, backend, payout, audit).await?;
    if let Some(alert) = raise_payout_rejected(tx, backend, payout, state, audit.at).await? {
        wrote.push(RecordRef::new(RecordKind::Alert, alert));
    }
    Ok(wrote)
}

/// Raises the alert for a payout the bank rejected or returned.
async fn raise_payout_rejected(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    payout: Uuid,
    state: &str,
    at: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let row =
        sqlx::query("SELECT household_id, lease_id, rent_month FROM rent_payouts WHERE id = $1")
            .bind(payout.to_string())
            .fetch_one(&mut **tx)
            .await?;
    let month = crate::domain::calendar::YearMonth::parse(&get_str(&row, "rent_month")?)
        .ok_or_else(|| corrupt("rent_month"))?;
    let condition = Condition {
        kind: AlertKind::PayoutRejected,
        household_id: Some(super::sql::get_uuid(&row, "household_id")?),
        records: vec![
            RecordRef::new(RecordKind::Payout, payout),
            RecordRef::new(RecordKind::Lease, super::sql::get_uuid(&row, "lease_id")?),
        ],
        period: state.to_owned(),
        due_date: Some(crate::domain::rent_plan::last_day_to_pay(month).last_day),
    };
    let mut last = lock_alerts(tx, backend).await?;
    raise(tx, &mut last, &condition, at).await
}
