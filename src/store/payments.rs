//! Payment batches in SQL: the batch, its payouts in the file's order, its
//! events (approved, exported, cancelled), each payout's states at the bank
//! (BATCHED and SENT implied by the batch's rows, the bank's answers
//! recorded; the view `payout_bank_path`) and the bank's files imported.
//! Every table is append-only (triggers on both backends), and the
//! database refuses what the rules here refuse: a
//! payout reversed or in a live batch is not batched, a payout in a live
//! batch is not reversed, a batch's creator does not attest it, and events
//! follow in order (migration `payment_batches`).
//!
//! A batch's writes are serialised: SQLite's write transactions are serial,
//! and on PostgreSQL a batch's events take a transaction-scoped advisory
//! lock on the batch, and creating a batch locks the leases of the payouts
//! it gathers, as a reversal does.

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use uuid::Uuid;

use super::leases::address_from_row;
use super::paging::{Fetched, fetch_limit};
use super::sql::{
    corrupt, earlier_request, get_date, get_i64, get_money, get_str, get_time, get_uuid, timestamp,
    unique_refusal,
};
use super::{Backend, Idempotency, Page, SqlStore, Store, StoreError};
use crate::domain::audit::AuditEntry;
use crate::domain::identity::{Bankgiro, Plusgiro};
use crate::domain::lease::PaymentAccount;
use crate::domain::ledger::RentPaymentKind;
use crate::domain::money::Money;
use crate::domain::payment::bank_status::StatusFile;
use crate::domain::payment::pain001::Transfer;
use crate::domain::payment::{
    BankState, BankStateEntry, BatchEvent, BatchFilter, PaymentBatch, accept_approval,
    accept_cancel, accept_export, check_against_ledger, message_id,
};
use crate::domain::unit::Units;

mod bank_status;

/// A batch as created, and the payouts its filters matched but left out
/// for want of the landlord's postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedBatch {
    pub batch: PaymentBatch,
    pub left_without_address: i64,
}

/// What an import recorded of one payout the file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusOutcome {
    pub end_to_end_id: String,
    pub payout_id: Option<Uuid>,
    pub household_id: Option<Uuid>,
    /// The state recorded, if any.
    pub recorded: Option<BankState>,
    pub reason_code: Option<String>,
    /// Why nothing was recorded.
    pub not_recorded: Option<&'static str>,
    /// What recording a rejection or return wrote besides the state: the
    /// debt event it undid, the notices it reopened, the alert it raised.
    pub wrote: Vec<crate::domain::audit::RecordRef>,
}

/// A batch whose file may be written: checked against the ledger, and
/// the households whose payouts it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedBatch {
    pub batch: PaymentBatch,
    pub households: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedStatus {
    pub already_imported: bool,
    pub outcomes: Vec<StatusOutcome>,
}

#[async_trait]
pub trait PaymentStore: Send + Sync {
    /// Gathers the payouts not reversed and in no live batch that match
    /// `filter`, of households in `units`, whose landlord has a postal address, in execution order
    /// (payout date, then id), at most `max`; NO_PAYOUTS_TO_BATCH when
    /// there are none. Each is BATCHED by being in the batch (the view
    /// `payout_bank_path`: no state row per payout). A replay of the
    /// request returns the batch it made.
    async fn create_payment_batch(
        &self,
        filter: &BatchFilter,
        units: &Units,
        max: u32,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<CreatedBatch, StoreError>;
    async fn get_payment_batch(&self, id: Uuid) -> Result<PaymentBatch, StoreError>;
    /// The batch's first `limit` payouts in the file's order.
    async fn payment_batch_payouts(&self, id: Uuid, limit: u32) -> Result<Vec<Uuid>, StoreError>;
    /// The households whose payouts are in the batch.
    async fn payment_batch_households(&self, id: Uuid) -> Result<Vec<Uuid>, StoreError>;
    /// Batches, newest first.
    async fn list_payment_batches(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<PaymentBatch>, StoreError>;
    /// Attests the batch (`domain::payment::accept_approval`).
    async fn approve_payment_batch(
        &self,
        id: Uuid,
        payout_count: i64,
        total: Money,
        audit: &AuditEntry,
    ) -> Result<PaymentBatch, StoreError>;
    /// Cancels the batch before its export (`accept_cancel`).
    async fn cancel_payment_batch(
        &self,
        id: Uuid,
        reason: &str,
        audit: &AuditEntry,
    ) -> Result<PaymentBatch, StoreError>;
    /// Checks the approved batch against the ledger (LEDGER_MISMATCH) and,
    /// on its first export, records it exported and its payouts SENT; under
    /// the batch's lock, and one read of the batch's payouts for both the
    /// check and the households it reaches. A batch holding a payout of a
    /// household outside `units` is refused before anything else, as
    /// [`StoreError::OtherUnit`] about that household.
    async fn export_payment_batch(
        &self,
        id: Uuid,
        units: &Units,
        audit: &AuditEntry,
    ) -> Result<ExportedBatch, StoreError>;
    /// Sends the batch's transfers into `into` in the file's order, `slice`
    /// at a time, read by one statement; execution dates not before
    /// `today`. Returns once all are sent, or as soon as `into` is closed
    /// (its reader is gone), which ends the statement.
    async fn send_payment_batch_transfers(
        &self,
        id: Uuid,
        today: NaiveDate,
        slice: usize,
        into: &mpsc::Sender<Result<Vec<Transfer>, StoreError>>,
    ) -> Result<(), StoreError>;
    /// Records what the bank's file says, once per file (kind and message
    /// id): each payout named moves to its new state when its newest state
    /// leads there.
    async fn import_payment_status(
        &self,
        file: &StatusFile,
        file_sha256: &str,
        audit: &AuditEntry,
    ) -> Result<ImportedStatus, StoreError>;
    /// A payout's states at the bank, in the order recorded.
    async fn payout_bank_states(&self, payout_id: Uuid) -> Result<Vec<BankStateEntry>, StoreError>;
}

/// A batch with its events, for `concat!`.
macro_rules! batch_select {
    () => {
        "SELECT b.id, b.message_id, b.from_date, b.to_date, b.kind, b.payout_count, b.total_ore, \
         b.created_by, b.created_at, \
         a.recorded_by AS approved_by, a.recorded_at AS approved_at, \
         x.recorded_by AS exported_by, x.recorded_at AS exported_at, \
         c.recorded_by AS cancelled_by, c.recorded_at AS cancelled_at, c.reason AS cancel_reason \
         FROM payment_batches b \
         LEFT JOIN payment_batch_events a ON a.batch_id = b.id AND a.event = 'approved' \
         LEFT JOIN payment_batch_events x ON x.batch_id = b.id AND x.event = 'exported' \
         LEFT JOIN payment_batch_events c ON c.batch_id = b.id AND c.event = 'cancelled'"
    };
}

/// The payouts a batch may gather: $1 from date, $2 to date, $3 kind
/// (`''` for no filter); not reversed, in no batch that is not cancelled.
macro_rules! candidates {
    () => {
        concat!(
            "FROM rent_payouts p JOIN leases s ON s.id = p.lease_id \
         JOIN landlords ld ON ld.id = s.landlord_id \
         WHERE ($1 = '' OR p.payout_date >= $1) AND ($2 = '' OR p.payout_date <= $2) \
         AND ($3 = '' OR p.kind = $3) \
         AND NOT EXISTS (SELECT 1 FROM voided_payouts v WHERE v.payout_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM payment_batch_payouts i WHERE i.payout_id = p.id \
           AND NOT EXISTS (SELECT 1 FROM payment_batch_events e \
                           WHERE e.batch_id = i.batch_id AND e.event = 'cancelled')) \
         AND ",
            household_visible!("s.household_id", "$4")
        )
    };
}

/// Rows inserted per statement.
const INSERT_CHUNK: usize = 500;

fn event_of(row: &AnyRow, by: &str, at: &str) -> Result<Option<BatchEvent>, StoreError> {
    let who: Option<String> = row.try_get(by)?;
    match who {
        None => Ok(None),
        Some(by) => Ok(Some(BatchEvent {
            by,
            at: get_time(row, at)?,
            reason: None,
        })),
    }
}

fn batch_from_row(row: &AnyRow) -> Result<PaymentBatch, StoreError> {
    let date = |column: &str| -> Result<Option<NaiveDate>, StoreError> {
        let text: Option<String> = row.try_get(column)?;
        text.map(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| corrupt(column)))
            .transpose()
    };
    let kind: Option<String> = row.try_get("kind")?;
    let mut cancelled = event_of(row, "cancelled_by", "cancelled_at")?;
    if let Some(c) = cancelled.as_mut() {
        c.reason = row.try_get("cancel_reason")?;
    }
    Ok(PaymentBatch {
        id: get_uuid(row, "id")?,
        message_id: get_str(row, "message_id")?,
        filter: BatchFilter {
            from: date("from_date")?,
            to: date("to_date")?,
            kind: kind
                .map(|k| RentPaymentKind::from_str_opt(&k).ok_or_else(|| corrupt("kind")))
                .transpose()?,
        },
        payout_count: get_i64(row, "payout_count")?,
        total: get_money(row, "total_ore")?,
        created_by: get_str(row, "created_by")?,
        created_at: get_time(row, "created_at")?,
        approved: event_of(row, "approved_by", "approved_at")?,
        exported: event_of(row, "exported_by", "exported_at")?,
        cancelled,
    })
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The batch's row inside a transaction, after its lock (PostgreSQL: a
/// transaction-scoped advisory lock on the batch id; SQLite's write
/// transactions are serial).
async fn locked_batch(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    id: Uuid,
) -> Result<PaymentBatch, StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
    }
    let row = sqlx::query(concat!(batch_select!(), " WHERE b.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound {
            resource: "payment batch",
        })?;
    batch_from_row(&row)
}

async fn insert_event(
    tx: &mut Transaction<'static, Any>,
    batch: Uuid,
    event: &str,
    reason: Option<&str>,
    audit: &AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO payment_batch_events (id, batch_id, event, reason, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(batch.to_string())
    .bind(event.to_owned())
    .bind(reason.map(str::to_owned))
    .bind(audit.caller.clone())
    .bind(timestamp(audit.at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A row of the batch's transfers (`send_payment_batch_transfers`) as a
/// credit transfer, executed not before `today`.
fn transfer_from_row(row: &AnyRow, today: NaiveDate) -> Result<Transfer, StoreError> {
    let bankgiro: Option<String> = row.try_get("payee_bankgiro")?;
    let plusgiro: Option<String> = row.try_get("payee_plusgiro")?;
    let account = match (bankgiro, plusgiro) {
        (Some(bg), _) => {
            PaymentAccount::Bankgiro(Bankgiro::parse(&bg).map_err(|_| corrupt("payee_bankgiro"))?)
        }
        (None, Some(pg)) => {
            PaymentAccount::Plusgiro(Plusgiro::parse(&pg).map_err(|_| corrupt("payee_plusgiro"))?)
        }
        (None, None) => return Err(corrupt("payee_bankgiro")),
    };
    Ok(Transfer {
        payout_id: get_uuid(row, "id")?,
        amount: get_money(row, "amount_ore")?,
        execution_date: get_date(row, "payout_date")?.max(today),
        account,
        ocr_reference: row.try_get("ocr_reference")?,
        decision_reference: get_str(row, "decision_reference")?,
        payee_name: get_str(row, "name")?,
        payee_address: address_from_row(row)?.ok_or_else(|| corrupt("town_name"))?,
    })
}

impl SqlStore {
    async fn batch_by_id(&self, id: Uuid) -> Result<PaymentBatch, StoreError> {
        let row = self
            .row_by_id(
                concat!(batch_select!(), " WHERE b.id = $1"),
                id,
                "payment batch",
            )
            .await?;
        batch_from_row(&row)
    }

    /// Locks the leases of the payouts a batch may gather (PostgreSQL), in
    /// id order, so that a reversal of one of them waits for the batch.
    async fn lock_candidate_leases(
        &self,
        tx: &mut Transaction<'static, Any>,
        binds: &[String; 4],
    ) -> Result<(), StoreError> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        let mut query = sqlx::query(concat!(
            "SELECT id FROM leases WHERE id IN (SELECT p.lease_id ",
            candidates!(),
            ") ORDER BY id FOR UPDATE"
        ));
        for bind in binds {
            query = query.bind(bind.clone());
        }
        query.fetch_all(&mut **tx).await?;
        Ok(())
    }
}

#[async_trait]
impl PaymentStore for SqlStore {
    async fn create_payment_batch(
        &self,
        filter: &BatchFilter,
        units: &Units,
        max: u32,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<CreatedBatch, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(row) = earlier_request(
            &mut *tx,
            "SELECT id, request_hash FROM payment_batches WHERE request_id = $1",
            idempotency,
        )
        .await?
        {
            drop(tx);
            return Ok(CreatedBatch {
                batch: self.batch_by_id(get_uuid(&row, "id")?).await?,
                left_without_address: 0,
            });
        }
        let binds = [
            day(filter.from),
            day(filter.to),
            filter
                .kind
                .map(|k| k.as_str().to_owned())
                .unwrap_or_default(),
            units.sql_param(),
        ];
        self.lock_candidate_leases(&mut tx, &binds).await?;
        let mut query = sqlx::query(concat!(
            "SELECT p.id, p.amount_ore, ",
            "CASE WHEN ld.town_name IS NULL OR ld.country IS NULL THEN 0 ELSE 1 END AS addressed ",
            candidates!(),
            " ORDER BY p.payout_date, p.id"
        ));
        for bind in &binds {
            query = query.bind(bind.clone());
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let mut left_without_address = 0;
        let mut chosen: Vec<(Uuid, Money)> = Vec::new();
        for row in &rows {
            if get_i64(row, "addressed")? == 0 {
                left_without_address += 1;
            } else if chosen.len() < max as usize {
                chosen.push((get_uuid(row, "id")?, get_money(row, "amount_ore")?));
            }
        }
        if chosen.is_empty() {
            return Err(crate::domain::error::DomainError::refused(
                "NO_PAYOUTS_TO_BATCH",
                "no payout matches: none unreversed, outside a batch and with the landlord's postal address",
                "from_date",
            )
            .into());
        }
        let id = Uuid::now_v7();
        let total: Money = chosen.iter().map(|(_, amount)| *amount).sum();
        let total_ore = total.to_ore().ok_or_else(|| corrupt("amount_ore"))?;
        let inserted = sqlx::query(
            "INSERT INTO payment_batches (id, request_id, request_hash, message_id, from_date, to_date, kind, payout_count, total_ore, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id.to_string())
        .bind(idempotency.request_id.to_string())
        .bind(idempotency.request_hash.clone())
        .bind(message_id(id))
        .bind(filter.from.map(|d| day(Some(d))))
        .bind(filter.to.map(|d| day(Some(d))))
        .bind(filter.kind.map(|k| k.as_str().to_owned()))
        .bind(chosen.len() as i64)
        .bind(total_ore)
        .bind(audit.caller.clone())
        .bind(timestamp(audit.at))
        .execute(&mut *tx)
        .await;
        if let Err(e) = unique_refusal(inserted)? {
            // The same request committed meanwhile.
            drop(tx);
            let mut conn = self.pool().acquire().await?;
            let row = earlier_request(
                &mut *conn,
                "SELECT id, request_hash FROM payment_batches WHERE request_id = $1",
                idempotency,
            )
            .await?
            .ok_or(StoreError::from(e))?;
            return Ok(CreatedBatch {
                batch: self.batch_by_id(get_uuid(&row, "id")?).await?,
                left_without_address: 0,
            });
        }
        for (chunk_no, chunk) in chosen.chunks(INSERT_CHUNK).enumerate() {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let n = 3 * i;
                    format!(
                        "(${}, ${}, ${}, (SELECT COUNT(*) FROM payment_batch_payouts r WHERE r.payout_id = ${}))",
                        n + 1,
                        n + 2,
                        n + 3,
                        n + 3
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO payment_batch_payouts (batch_id, position, payout_id, round) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (i, (payout, _)) in chunk.iter().enumerate() {
                query = query
                    .bind(id.to_string())
                    .bind((chunk_no * INSERT_CHUNK + i + 1) as i64)
                    .bind(payout.to_string());
            }
            query.execute(&mut *tx).await?;
        }
        let batch = PaymentBatch {
            id,
            message_id: message_id(id),
            filter: filter.clone(),
            payout_count: chosen.len() as i64,
            total,
            created_by: audit.caller.clone(),
            created_at: audit.at,
            approved: None,
            exported: None,
            cancelled: None,
        };
        tx.commit().await?;
        Ok(CreatedBatch {
            batch,
            left_without_address,
        })
    }

    async fn get_payment_batch(&self, id: Uuid) -> Result<PaymentBatch, StoreError> {
        self.batch_by_id(id).await
    }

    async fn payment_batch_payouts(&self, id: Uuid, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        sqlx::query(
            "SELECT payout_id FROM payment_batch_payouts WHERE batch_id = $1 ORDER BY position LIMIT $2",
        )
        .bind(id.to_string())
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| get_uuid(row, "payout_id"))
        .collect()
    }

    async fn payment_batch_households(&self, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        sqlx::query(
            "SELECT DISTINCT p.household_id FROM payment_batch_payouts i \
             JOIN rent_payouts p ON p.id = i.payout_id WHERE i.batch_id = $1 ORDER BY p.household_id",
        )
        .bind(id.to_string())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| get_uuid(row, "household_id"))
        .collect()
    }

    async fn list_payment_batches(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<PaymentBatch>, StoreError> {
        let rows = sqlx::query(concat!(
            batch_select!(),
            " WHERE ($1 = '' OR b.id < $1) ORDER BY b.id DESC LIMIT $2"
        ))
        .bind(after.map(|a| a.to_string()).unwrap_or_default())
        .bind(fetch_limit(limit))
        .fetch_all(self.pool())
        .await?;
        Fetched::new(rows, limit).read(batch_from_row, |b| b.id.to_string())
    }

    async fn approve_payment_batch(
        &self,
        id: Uuid,
        payout_count: i64,
        total: Money,
        audit: &AuditEntry,
    ) -> Result<PaymentBatch, StoreError> {
        let mut tx = self.begin_write().await?;
        let batch = locked_batch(&mut tx, self.backend(), id).await?;
        accept_approval(&batch, &audit.caller, payout_count, total)?;
        insert_event(&mut tx, id, "approved", None, audit).await?;
        tx.commit().await?;
        self.batch_by_id(id).await
    }

    async fn cancel_payment_batch(
        &self,
        id: Uuid,
        reason: &str,
        audit: &AuditEntry,
    ) -> Result<PaymentBatch, StoreError> {
        let mut tx = self.begin_write().await?;
        let batch = locked_batch(&mut tx, self.backend(), id).await?;
        if accept_cancel(&batch)? {
            insert_event(&mut tx, id, "cancelled", Some(reason), audit).await?;
            tx.commit().await?;
        }
        self.batch_by_id(id).await
    }

    async fn export_payment_batch(
        &self,
        id: Uuid,
        units: &Units,
        audit: &AuditEntry,
    ) -> Result<ExportedBatch, StoreError> {
        let mut tx = self.begin_write().await?;
        let batch = locked_batch(&mut tx, self.backend(), id).await?;
        // One read of the batch's payouts, per household: whether the
        // caller sees it, and its unreversed payouts' count and sum.
        let rows = sqlx::query(concat!(
            "SELECT p.household_id, \
             SUM(CASE WHEN r.payout_id IS NULL THEN 1 ELSE 0 END) AS n, \
             CAST(COALESCE(SUM(CASE WHEN r.payout_id IS NULL THEN p.amount_ore ELSE 0 END), 0) AS BIGINT) AS total_ore, \
             CASE WHEN ",
            household_visible!("p.household_id", "$2"),
            " THEN 1 ELSE 0 END AS visible \
             FROM payment_batch_payouts i JOIN rent_payouts p ON p.id = i.payout_id \
             LEFT JOIN rent_payout_reversals r ON r.payout_id = p.id \
             WHERE i.batch_id = $1 GROUP BY p.household_id ORDER BY p.household_id"
        ))
        .bind(id.to_string())
        .bind(units.sql_param())
        .fetch_all(&mut *tx)
        .await?;
        let mut households = Vec::with_capacity(rows.len());
        let (mut count, mut total) = (0, Money::ZERO);
        for row in &rows {
            let household = get_uuid(row, "household_id")?;
            if get_i64(row, "visible")? == 0 {
                return Err(StoreError::OtherUnit {
                    resource: "payment batch",
                }
                .about(household));
            }
            households.push(household);
            count += get_i64(row, "n")?;
            total += get_money(row, "total_ore")?;
        }
        let first = accept_export(&batch)?;
        check_against_ledger(&batch, count, total)?;
        if first {
            // The event makes every payout of the batch SENT (the view
            // `payout_bank_path`): one row, not one per payout.
            insert_event(&mut tx, id, "exported", None, audit).await?;
            tx.commit().await?;
            return Ok(ExportedBatch {
                batch: self.batch_by_id(id).await?,
                households,
            });
        }
        Ok(ExportedBatch { batch, households })
    }

    async fn send_payment_batch_transfers(
        &self,
        id: Uuid,
        today: NaiveDate,
        slice: usize,
        into: &mpsc::Sender<Result<Vec<Transfer>, StoreError>>,
    ) -> Result<(), StoreError> {
        // One statement for the whole batch, read as the file is written:
        // the database joins the batch once (pages of it joined it once
        // each), and the rows wait in the connection while the reader is
        // behind, so memory stays flat.
        let mut rows = sqlx::query(
            "SELECT p.id, p.amount_ore, p.payout_date, p.payee_bankgiro, p.payee_plusgiro, \
             p.ocr_reference, p.decision_reference, ld.name, ld.street_name, ld.building_number, \
             ld.postal_code, ld.town_name, ld.country \
             FROM payment_batch_payouts i JOIN rent_payouts p ON p.id = i.payout_id \
             JOIN leases s ON s.id = p.lease_id JOIN landlords ld ON ld.id = s.landlord_id \
             WHERE i.batch_id = $1 ORDER BY i.position",
        )
        .bind(id.to_string())
        .fetch(self.pool());
        let mut page = Vec::with_capacity(slice);
        while let Some(row) = rows.next().await.transpose()? {
            page.push(transfer_from_row(&row, today)?);
            if page.len() == slice {
                let full = std::mem::replace(&mut page, Vec::with_capacity(slice));
                if into.send(Ok(full)).await.is_err() {
                    return Ok(());
                }
            }
        }
        if !page.is_empty() {
            let _ = into.send(Ok(page)).await;
        }
        Ok(())
    }

    async fn import_payment_status(
        &self,
        file: &StatusFile,
        file_sha256: &str,
        audit: &AuditEntry,
    ) -> Result<ImportedStatus, StoreError> {
        bank_status::import(self, file, file_sha256, audit).await
    }

    async fn payout_bank_states(&self, payout_id: Uuid) -> Result<Vec<BankStateEntry>, StoreError> {
        bank_status::states(self, payout_id).await
    }
}
