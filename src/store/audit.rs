//! The audit trail in SQL: one append-only record per access to a
//! household's data, and per refused or failed call.

use anyhow::anyhow;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::paging::{Fetched, fetch_limit};
use super::sql::{LIST_PARAMS, corrupt, get_i64, get_str, get_time, timestamp};
use super::{Backend, Page, SqlStore, Store, StoreError};
use crate::domain::audit::{AuditEntry, AuditEvent, RecordRef};
use crate::domain::unit::Units;

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
    /// Names this record (any kind).
    pub record_id: Option<Uuid>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
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
        units: &Units,
        filter: &AuditFilter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<AuditEvent>, StoreError>;
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(
        &self,
        entry: &AuditEntry,
        households: &[Option<Uuid>],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend() == Backend::Sqlite {
            // One statement over a JSON array of the households: binding
            // hundreds of parameters costs SQLite (through sqlx) a lookup
            // of each parameter's name, and with a batch of rent checks'
            // thousand rows that took a fifth of the stream's time.
            let households: Vec<Option<String>> = households
                .iter()
                .map(|h| h.map(|h| h.to_string()))
                .collect();
            let households = serde_json::to_string(&households)
                .map_err(|e| StoreError::Other(anyhow!("encoding audited households: {e}")))?;
            sqlx::query(
                "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome, replay, records) \
                 SELECT $1, $2, $3, $4, value, $5, $7, $8 FROM json_each($6)",
            )
            .bind(timestamp(entry.at))
            .bind(entry.caller.clone())
            .bind(entry.role.clone())
            .bind(entry.method.clone())
            .bind(entry.outcome.clone())
            .bind(households)
            .bind(i64::from(entry.replay))
            .bind(entry.records_text())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        // Many rows to a statement (a batch of rent checks records up to a
        // thousand): the entry's fields are bound once, then one household
        // each. Statements of one length are prepared once and reused.
        const ROWS: usize = LIST_PARAMS - 7;
        let records = entry.records_text();
        for chunk in households.chunks(ROWS) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, $2, $3, $4, ${}, $5, $6, $7)", i + 8))
                .collect();
            let sql = format!(
                "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome, replay, records) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(timestamp(entry.at))
                .bind(entry.caller.clone())
                .bind(entry.role.clone())
                .bind(entry.method.clone())
                .bind(entry.outcome.clone())
                .bind(i64::from(entry.replay))
                .bind(records.clone());
            for household in chunk {
                query = query.bind(household.map(|h| h.to_string()));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_audit_events(
        &self,
        units: &Units,
        filter: &AuditFilter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        // An auditor of some units sees the rows about their households,
        // and the rows that name none.
        let rows = sqlx::query(concat!(
            "SELECT sequence, occurred_at, caller, role, method, household_id, outcome, replay, records FROM audit_events \
             WHERE sequence > $1 AND ($2 = '' OR household_id = $2) AND ($3 = '' OR caller = $3) \
             AND ($4 = '' OR method = $4) AND ($5 = '' OR outcome = $5) \
             AND ($6 = '' OR occurred_at >= $6) AND ($7 = '' OR occurred_at < $7) \
             AND ($9 = '' OR (',' || records || ',') LIKE ('%:' || $9 || ',%')) \
             AND (household_id IS NULL OR ",
            household_visible!("household_id", "$10"),
            ") ORDER BY sequence LIMIT $8"
        ))
        .bind(after.unwrap_or(0))
        .bind(filter.household_id.map(|h| h.to_string()).unwrap_or_default())
        .bind(text(&filter.caller))
        .bind(text(&filter.method))
        .bind(text(&filter.outcome))
        .bind(filter.start.map(timestamp).unwrap_or_default())
        .bind(filter.end.map(timestamp).unwrap_or_default())
        .bind(fetch_limit(limit))
        .bind(filter.record_id.map(|r| r.to_string()).unwrap_or_default())
        .bind(units.sql_param())
        .fetch_all(self.pool())
        .await?;
        Fetched::new(rows, limit).read(audit_event_from_row, |e| e.sequence.to_string())
    }
}

/// Stores the record of a replay (`entry` marked and naming what the first
/// request returned) before its answer leaves, in its own transaction: a
/// replay returns household data, so it is audited like a read, and fails
/// when its record cannot be written.
pub(super) async fn audit_replay(
    store: &SqlStore,
    entry: &AuditEntry,
    household: Uuid,
    records: impl IntoIterator<Item = RecordRef>,
) -> Result<(), StoreError> {
    store
        .append_audit(&entry.replayed(records), &[Some(household)])
        .await
}

/// Writes one audit record inside a write's transaction.
pub(super) async fn insert_audit(
    tx: &mut Transaction<'static, Any>,
    entry: &AuditEntry,
    household: Option<Uuid>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome, replay, records) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(timestamp(entry.at))
    .bind(entry.caller.clone())
    .bind(entry.role.clone())
    .bind(entry.method.clone())
    .bind(household.map(|h| h.to_string()))
    .bind(entry.outcome.clone())
    .bind(i64::from(entry.replay))
    .bind(entry.records_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn audit_event_from_row(row: &AnyRow) -> Result<AuditEvent, StoreError> {
    let household: Option<String> = row.try_get("household_id")?;
    let household_id = match household {
        Some(h) => Some(Uuid::parse_str(&h).map_err(|_| corrupt("household_id"))?),
        None => None,
    };
    Ok(AuditEvent {
        sequence: get_i64(row, "sequence")?,
        household_id,
        entry: AuditEntry {
            at: get_time(row, "occurred_at")?,
            caller: get_str(row, "caller")?,
            role: get_str(row, "role")?,
            method: get_str(row, "method")?,
            outcome: get_str(row, "outcome")?,
            replay: get_i64(row, "replay")? != 0,
            records: Vec::new(),
        },
        records: get_str(row, "records")?
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}
