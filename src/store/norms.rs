//! Norm tables in SQL: versioned tables of norm values (riksnorm, reference
//! costs), each version with its rows as whole hundredths.

use std::collections::{BTreeMap, HashMap};

use anyhow::anyhow;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::any::AnyRow;

use super::sql::{corrupt, get_date, get_i64, get_str, get_time, is_unique_violation, timestamp};
use super::{SqlStore, StoreError};
use crate::domain::norms::{NormKind, NormTable, NormTableDraft, TableStatus};

#[async_trait]
pub trait NormStore: Send + Sync {
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
}

fn hundredths(value: Decimal) -> Result<i64, StoreError> {
    let scaled = value * Decimal::ONE_HUNDRED;
    if !scaled.fract().is_zero() {
        return Err(StoreError::Other(anyhow!(
            "a norm value has more than two decimals"
        )));
    }
    i64::try_from(scaled).map_err(|_| StoreError::Other(anyhow!("a norm value is out of range")))
}

fn norm_header_from_row(row: &AnyRow) -> Result<NormTable, StoreError> {
    Ok(NormTable {
        id: get_str(row, "id")?,
        kind: NormKind::from_str_opt(&get_str(row, "kind")?).ok_or_else(|| corrupt("kind"))?,
        valid_from: get_date(row, "valid_from")?,
        valid_to: get_date(row, "valid_to")?,
        status: TableStatus::from_str_opt(&get_str(row, "status")?)
            .ok_or_else(|| corrupt("status"))?,
        source: get_str(row, "source")?,
        version: i32::try_from(get_i64(row, "version")?).map_err(|_| corrupt("version"))?,
        loaded_by: get_str(row, "loaded_by")?,
        loaded_at: get_time(row, "loaded_at")?,
        rows: BTreeMap::new(),
    })
}

fn attach_rows(tables: &mut [NormTable], rows: &[AnyRow]) -> Result<(), StoreError> {
    let mut index: HashMap<(String, i32), usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        index.insert((t.id.clone(), t.version), i);
    }
    for row in rows {
        let id = get_str(row, "table_id")?;
        let version = i32::try_from(get_i64(row, "version")?).map_err(|_| corrupt("version"))?;
        if let Some(&i) = index.get(&(id, version)) {
            tables[i].rows.insert(
                get_str(row, "key")?,
                Decimal::new(get_i64(row, "value_hundredths")?, 2),
            );
        }
    }
    Ok(())
}

#[async_trait]
impl NormStore for SqlStore {
    async fn all_norm_tables(&self) -> Result<Vec<NormTable>, StoreError> {
        let headers = sqlx::query(
            "SELECT id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at FROM norm_tables t \
             WHERE version = (SELECT MAX(version) FROM norm_tables l WHERE l.id = t.id) \
             ORDER BY valid_from DESC, id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut tables = headers
            .iter()
            .map(norm_header_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query(
            "SELECT r.table_id, r.version, r.key, r.value_hundredths FROM norm_table_rows r \
             WHERE r.version = (SELECT MAX(version) FROM norm_tables l WHERE l.id = r.table_id)",
        )
        .fetch_all(self.pool())
        .await?;
        attach_rows(&mut tables, &rows)?;
        Ok(tables)
    }

    async fn get_norm_table(
        &self,
        id: &str,
        version: Option<i32>,
    ) -> Result<NormTable, StoreError> {
        let header = sqlx::query(
            "SELECT id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at FROM norm_tables \
             WHERE id = $1 AND version = CASE WHEN $2 > 0 THEN $2 ELSE (SELECT MAX(version) FROM norm_tables WHERE id = $1) END",
        )
        .bind(id.to_owned())
        .bind(i64::from(version.unwrap_or(0)))
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound { resource: "norm table" })?;
        let mut tables = vec![norm_header_from_row(&header)?];
        let rows = sqlx::query(
            "SELECT table_id, version, key, value_hundredths FROM norm_table_rows WHERE table_id = $1 AND version = $2",
        )
        .bind(id.to_owned())
        .bind(i64::from(tables[0].version))
        .fetch_all(self.pool())
        .await?;
        attach_rows(&mut tables, &rows)?;
        Ok(tables.remove(0))
    }

    async fn import_norm_table(
        &self,
        draft: &NormTableDraft,
        loaded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<NormTable, StoreError> {
        let mut tx = self.begin_write().await?;
        let latest = sqlx::query(
            "SELECT kind, version FROM norm_tables WHERE id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(draft.id.clone())
        .fetch_optional(&mut *tx)
        .await?;
        let version = match &latest {
            Some(row) => {
                if get_str(row, "kind")? != draft.kind.as_str() {
                    return Err(StoreError::Conflict {
                        reason: "NORM_TABLE_KIND_CHANGED",
                        message: format!("the table {} exists with another kind", draft.id),
                        field: Some("norm_table.kind".to_owned()),
                    });
                }
                get_i64(row, "version")? + 1
            }
            None => 1,
        };
        let from = draft.valid_from.format("%Y-%m-%d").to_string();
        let to = draft.valid_to.format("%Y-%m-%d").to_string();
        let overlap = sqlx::query(
            "SELECT id FROM norm_tables t WHERE kind = $1 AND id <> $2 \
             AND version = (SELECT MAX(version) FROM norm_tables l WHERE l.id = t.id) \
             AND valid_from <= $3 AND valid_to >= $4 ORDER BY id LIMIT 1",
        )
        .bind(draft.kind.as_str())
        .bind(draft.id.clone())
        .bind(to.clone())
        .bind(from.clone())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = overlap {
            return Err(StoreError::Conflict {
                reason: "NORM_TABLE_OVERLAP",
                message: format!(
                    "the period overlaps the {} table {}; re-import that id or change the dates",
                    draft.kind,
                    get_str(&row, "id")?
                ),
                field: Some("norm_table.valid_from".to_owned()),
            });
        }
        sqlx::query(
            "INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(draft.id.clone())
        .bind(version)
        .bind(draft.kind.as_str())
        .bind(from)
        .bind(to)
        .bind(draft.status.as_str())
        .bind(draft.source.clone())
        .bind(loaded_by.to_owned())
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                // Another import of the same id took this version first.
                StoreError::Conflict {
                    reason: "NORM_TABLE_CHANGED",
                    message: format!(
                        "the table {} was imported by someone else at the same time; import again",
                        draft.id
                    ),
                    field: Some("norm_table.id".to_owned()),
                }
            } else {
                e.into()
            }
        })?;
        for (key, value) in &draft.rows {
            sqlx::query(
                "INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES ($1, $2, $3, $4)",
            )
            .bind(draft.id.clone())
            .bind(version)
            .bind(key.clone())
            .bind(hundredths(*value)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(NormTable {
            id: draft.id.clone(),
            kind: draft.kind,
            valid_from: draft.valid_from,
            valid_to: draft.valid_to,
            status: draft.status,
            source: draft.source.clone(),
            version: i32::try_from(version).map_err(|_| corrupt("version"))?,
            loaded_by: loaded_by.to_owned(),
            loaded_at: now,
            rows: draft.rows.clone(),
        })
    }
}
