//! The rent ledger in SQL: payouts to landlords, their
//! reversals, and the household's own receipts. Every table is append-only
//! (triggers on both backends); a payout's reversal is a row of its own,
//! unique per payout.
//!
//! A payout is written in one transaction that first takes a row lock on its
//! lease (PostgreSQL `FOR UPDATE`, sent with BEGIN; SQLite's `BEGIN IMMEDIATE` write
//! transactions are serial anyway): payouts for one lease then run one after
//! the other, so the check that a month's ongoing-rent payouts stay within
//! its rent reads every payout committed before it. PostgreSQL runs at READ
//! COMMITTED, where each statement after the lock sees what the previous
//! holder committed. Under the lock, one query reads all a payout's checks
//! need (rent, plan, earlier request, payee, paid so far); on PostgreSQL
//! the same statement also writes the payout and its audit record when
//! that state passes the checks.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};
use uuid::Uuid;

use super::chain::{chain_head, link_entry, link_insert, link_values, payout_canon_pg};
use super::households::check_unit;
use super::paging::{Fetched, fetch_limit};
use super::replay::{payout_records, receipt_records, reversal_records};
use super::settlement::Paid;
use super::sql::{
    corrupt, earlier_request, get_i64, get_money, get_str, get_uuid, ore, reused, timestamp,
    unique_refusal,
};
use super::{Backend, Idempotency, Page, SqlStore, Store, StoreError};
use crate::domain::audit::AuditEntry;
use crate::domain::calendar::YearMonth;
use crate::domain::chain::ChainedKind;
use crate::domain::ledger::{
    PayoutDraft, PayoutState, ReceiptDraft, RecordedReceipt, RentPaymentKind, RentPayout,
    RentReceipt, accept_payout, accept_receipt, accept_reversal, already_reversed,
    latest_rent_month, overpaid,
};
use crate::domain::money::Money;
use crate::domain::payment::payout_in_batch;
use crate::domain::unit::Units;
use arrears::read_open_arrears;
use rows::{optional_uuid, payee_from, payout_from_row, receipt_from_row};

mod arrears;
mod rows;

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

#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Records a payout to the lease's landlord, whose account becomes the
    /// payee. In one transaction that serialises payouts per lease, after
    /// looking for an earlier request (a replay returns the first payout,
    /// whatever changed since), it asks `domain::ledger::accept_payout` with
    /// the state it read under the lock: the ceiling `max_payout`
    /// (PAYOUT_ABOVE_LIMIT), the rent month (RENT_MONTH_TOO_FAR_AHEAD,
    /// NO_RENT_FOR_MONTH), the OCR reference the landlord requires
    /// (`ocr_reference`, as Invalid), the month's rent against its payouts
    /// and receipts (PAYOUT_EXCEEDS_RENT), and the lease's open arrears
    /// (NO_OPEN_ARREARS, PAYOUT_EXCEEDS_ARREARS). A refusal writes nothing.
    /// An arrears payout is tied to the lease's newest plan.
    async fn record_rent_payout(
        &self,
        draft: &PayoutDraft,
        max_payout: Money,
        units: &Units,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError>;
    /// Reverses a payout at most once (ALREADY_REVERSED), never one in a
    /// payment batch that is not cancelled (PAYOUT_IN_BATCH); a replay returns
    /// the payout with its reversal.
    async fn reverse_rent_payout(
        &self,
        payout_id: Uuid,
        reason: &str,
        units: &Units,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError>;
    async fn get_rent_payout(&self, id: Uuid) -> Result<RentPayout, StoreError>;
    /// Payouts by id (the order recorded), after `after`.
    async fn list_rent_payouts(
        &self,
        units: &Units,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPayout>, StoreError>;
    /// Records a receipt (NO_RENT_FOR_MONTH as for payouts; never refused
    /// for its amount) with the month's overpaid amount after it; an
    /// arrears receipt is tied to the lease's newest plan. A replay returns
    /// the first receipt, with the month's overpaid amount now.
    async fn record_rent_receipt(
        &self,
        draft: &ReceiptDraft,
        units: &Units,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RecordedReceipt, StoreError>;
    async fn get_rent_receipt(&self, id: Uuid) -> Result<RentReceipt, StoreError>;
    async fn list_rent_receipts(
        &self,
        units: &Units,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentReceipt>, StoreError>;
}

/// The select of payouts with their reversals, for `concat!` (queries are
/// literals).
macro_rules! payout_select {
    () => {
        "SELECT p.id, p.household_id, p.lease_id, p.rent_month, p.kind, p.amount_ore, \
         p.decision_reference, p.payee_bankgiro, p.payee_plusgiro, p.ocr_reference, p.payout_date, \
         p.plan_id, p.recorded_by, p.recorded_at, r.id AS reversal_id, r.reason AS reversal_reason, \
         r.recorded_by AS reversal_by, r.recorded_at AS reversal_at \
         FROM rent_payouts p LEFT JOIN rent_payout_reversals r ON r.payout_id = p.id"
    };
}

/// The insert of a payout, for `concat!`.
macro_rules! payout_insert {
    () => {
        "INSERT INTO rent_payouts (id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    };
}

/// A lease-month's figures, for `concat!`: $1 lease, $2 rent month. Its
/// rent (`rent_ore`, NULL before the lease starts), its ongoing-rent payouts
/// net of reversals (`paid_ore`) and its rent receipts (`received_ore`).
macro_rules! month_figures {
    () => {
        "(SELECT rent_ore FROM lease_rents WHERE lease_id = $1 AND from_month <= $2 \
          ORDER BY from_month DESC LIMIT 1) AS rent_ore, \
         (SELECT CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) FROM rent_payouts p \
          WHERE p.lease_id = $1 AND p.rent_month = $2 AND p.kind = 'rent' \
          AND NOT EXISTS (SELECT 1 FROM voided_payouts r WHERE r.payout_id = p.id)) AS paid_ore, \
         (SELECT CAST(COALESCE(SUM(c.amount_ore), 0) AS BIGINT) FROM rent_receipts c \
          WHERE c.lease_id = $1 AND c.rent_month = $2 AND c.kind = 'rent') AS received_ore"
    };
}

/// A payout's state under its lease's lock: $1 lease, $2 rent month, $3
/// request id.
macro_rules! payout_state {
    () => {
        concat!(
            "SELECT s.household_id, s.end_month, l.bankgiro, l.plusgiro, l.requires_ocr, ",
            month_figures!(),
            ", (SELECT id FROM rent_plans WHERE lease_id = $1 ORDER BY id DESC LIMIT 1) AS plan_id, \
             e.id AS earlier_id, e.request_hash AS earlier_hash \
             FROM leases s JOIN landlords l ON l.id = s.landlord_id \
             LEFT JOIN rent_payouts e ON e.request_id = $3 \
             WHERE s.id = $1"
        )
    };
}

/// The month's overpaid amount ([`overpaid`]) from a row of
/// `month_figures!`, with a receipt of kind rent not yet in it.
fn overpaid_in_row(row: &AnyRow, more_received: Money) -> Result<Money, StoreError> {
    let rent: Option<i64> = row.try_get("rent_ore")?;
    Ok(match rent {
        None => Money::ZERO,
        Some(rent) => overpaid(
            Money::from_ore(rent),
            get_money(row, "paid_ore")?,
            get_money(row, "received_ore")? + more_received,
        ),
    })
}

/// The lease's last month from a row's `end_month`, `None` while it runs.
fn end_month_in_row(row: &AnyRow) -> Result<Option<YearMonth>, StoreError> {
    let end: Option<String> = row.try_get("end_month")?;
    end.map(|m| YearMonth::parse(&m).ok_or_else(|| corrupt("end_month")))
        .transpose()
}

/// Takes the lease's row lock for the rest of the transaction, so that the
/// ledger writes of one lease run one after the other, each reading what
/// the one before committed. PostgreSQL: `FOR UPDATE`, in a statement of its
/// own (the reads after it then take a new snapshot, at READ COMMITTED);
/// SQLite's write transactions are serial already.
pub(super) async fn lock_lease(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    lease_id: Uuid,
) -> Result<(), StoreError> {
    let sql = match backend {
        Backend::Postgres => "SELECT id FROM leases WHERE id = $1 FOR UPDATE",
        Backend::Sqlite => "SELECT id FROM leases WHERE id = $1",
    };
    sqlx::query(sql)
        .bind(lease_id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound { resource: "lease" })?;
    Ok(())
}

impl SqlStore {
    /// A write transaction holding the lease's lock ([`lock_lease`]) from
    /// its first round trip. On PostgreSQL the lock's statement rides with
    /// BEGIN (one simple query, so the lease id is written into it: a
    /// parsed UUID, hex digits and hyphens only); a lease that does not
    /// exist takes no lock there, and the caller's next read finds no lease
    /// (NotFound). SQLite: BEGIN IMMEDIATE, then the lease must exist.
    async fn begin_on_lease(
        &self,
        lease_id: Uuid,
    ) -> Result<Transaction<'static, Any>, StoreError> {
        match self.backend() {
            Backend::Postgres => Ok(self
                .pool()
                .begin_with(sqlx::AssertSqlSafe(format!(
                    "BEGIN; SELECT id FROM leases WHERE id = '{lease_id}' FOR UPDATE"
                )))
                .await?),
            Backend::Sqlite => {
                let mut tx = self.begin_write().await?;
                lock_lease(&mut tx, Backend::Sqlite, lease_id).await?;
                Ok(tx)
            }
        }
    }
}

/// A request id's earlier entry from a row's `earlier_id` and
/// `earlier_hash`: its id when the request is the same, REQUEST_ID_REUSED
/// when it is not.
fn earlier_in_row(row: &AnyRow, idempotency: &Idempotency) -> Result<Option<Uuid>, StoreError> {
    match optional_uuid(row, "earlier_id")? {
        None => Ok(None),
        Some(id) if get_str(row, "earlier_hash")? == idempotency.request_hash => Ok(Some(id)),
        Some(_) => Err(reused()),
    }
}

/// The ledger rows a request id may have written, each as `id` (for a
/// reversal, the payout's) and `request_hash`.
const PAYOUT_BY_REQUEST: &str = "SELECT id, request_hash FROM rent_payouts WHERE request_id = $1";
const RECEIPT_BY_REQUEST: &str = "SELECT id, request_hash FROM rent_receipts WHERE request_id = $1";
const REVERSAL_BY_REQUEST: &str =
    "SELECT payout_id AS id, request_hash FROM rent_payout_reversals WHERE request_id = $1";

/// The ledger entry a request id wrote, if any: its id when the request is
/// the same, REQUEST_ID_REUSED when it is not.
async fn earlier_entry(
    conn: &mut AnyConnection,
    sql: &'static str,
    idempotency: &Idempotency,
) -> Result<Option<Uuid>, StoreError> {
    earlier_request(conn, sql, idempotency)
        .await?
        .map(|row| get_uuid(&row, "id"))
        .transpose()
}

/// A list filter's binds, `''` for a filter not given, in the order of the
/// list queries' `$2`…`$6`.
fn filter_binds(filter: &LedgerFilter) -> [String; 5] {
    let text = |o: Option<String>| o.unwrap_or_default();
    [
        text(filter.household_id.map(|h| h.to_string())),
        text(filter.lease_id.map(|l| l.to_string())),
        text(filter.from.map(|m| m.to_string())),
        text(filter.to.map(|m| m.to_string())),
        text(filter.decision_reference.clone()),
    ]
}

impl SqlStore {
    /// After a write's unique violation `e`: the entry its request id wrote
    /// meanwhile, or `e` when the violation was of another constraint.
    async fn replay_after(
        &self,
        e: sqlx::Error,
        sql: &'static str,
        idempotency: &Idempotency,
    ) -> Result<Uuid, StoreError> {
        match self.replayed(sql, idempotency).await? {
            Some(id) => Ok(id),
            None => Err(e.into()),
        }
    }

    /// A receipt recorded earlier, audited as a replay, with its month's
    /// overpaid amount now (a replay's answer).
    async fn recorded_receipt(
        &self,
        audit: &AuditEntry,
        id: Uuid,
    ) -> Result<RecordedReceipt, StoreError> {
        let receipt = self.replayed_receipt(audit, id).await?;
        let figures = sqlx::query(concat!("SELECT ", month_figures!()))
            .bind(receipt.draft.lease_id.to_string())
            .bind(receipt.draft.rent_month.to_string())
            .fetch_one(self.pool())
            .await?;
        Ok(RecordedReceipt {
            overpaid: overpaid_in_row(&figures, Money::ZERO)?,
            receipt,
        })
    }

    /// After a unique violation, outside the failed transaction: the entry
    /// the request id wrote meanwhile.
    async fn replayed(
        &self,
        sql: &'static str,
        idempotency: &Idempotency,
    ) -> Result<Option<Uuid>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        earlier_entry(&mut conn, sql, idempotency).await
    }
}

#[async_trait]
impl LedgerStore for SqlStore {
    async fn get_rent_payout(&self, id: Uuid) -> Result<RentPayout, StoreError> {
        let row = self
            .row_by_id(
                concat!(payout_select!(), " WHERE p.id = $1"),
                id,
                "rent payout",
            )
            .await?;
        payout_from_row(&row)
    }

    async fn record_rent_payout(
        &self,
        draft: &PayoutDraft,
        max_payout: Money,
        units: &Units,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError> {
        let mut tx = self.begin_on_lease(draft.lease_id).await?;
        let id = Uuid::now_v7();
        // Under the lock, everything the checks need in one round trip: a
        // concurrent twin of this request has either committed (and is
        // found here) or not begun, and so has every other payout and
        // receipt of the lease. On PostgreSQL an ongoing-rent payout, the
        // busiest write, is also written with its audit record in the same
        // statement (data-modifying WITHs) when the state passes the same
        // bounds as below; the Rust rule stays the authority (a refusal
        // rolls the transaction back) and explains a payout not written.
        // An arrears payout needs more reads (its open arrears), and SQLite
        // has no such WITH: they read, check, then write.
        let one_statement =
            self.backend() == Backend::Postgres && draft.kind == RentPaymentKind::Rent;
        let state = if one_statement {
            sqlx::query(concat!(
                "WITH state AS (",
                payout_state!(),
                "), payout AS ( \
                 INSERT INTO rent_payouts (id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, recorded_by, recorded_at) \
                 SELECT $4, $3, $5, household_id, $1, $2, $6, $7, $8, bankgiro, plusgiro, $9, $10, \
                   NULL, $11, $12 FROM state \
                 WHERE earlier_id IS NULL AND rent_ore IS NOT NULL \
                   AND (end_month IS NULL OR $2 <= end_month) \
                   AND $7 <= $16 AND $2 <= $17 \
                   AND (requires_ocr = 0 OR $9 IS NOT NULL) \
                   AND $6 = 'rent' AND paid_ore + received_ore + $7 <= rent_ore \
                 RETURNING *), \
                 audit AS ( \
                 INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome, records) \
                 SELECT $12, $11, $13, $14, household_id, $15, $18 FROM payout), ",
                chain_head!(),
                ", link AS (",
                link_insert!(),
                link_values!("payout", payout_canon_pg!()),
                " FROM payout x) \
                 SELECT state.*, (SELECT COUNT(*) FROM payout) AS inserted FROM state"
            ))
            .bind(draft.lease_id.to_string())
            .bind(draft.rent_month.to_string())
            .bind(idempotency.request_id.to_string())
            .bind(id.to_string())
            .bind(idempotency.request_hash.clone())
            .bind(draft.kind.as_str())
            .bind(ore(draft.amount, "a payout")?)
            .bind(draft.decision_reference.clone())
            .bind(draft.ocr_reference.as_ref().map(|o| o.as_str().to_owned()))
            .bind(draft.payout_date.format("%Y-%m-%d").to_string())
            .bind(audit.caller.clone())
            .bind(timestamp(audit.at))
            .bind(audit.role.clone())
            .bind(audit.method.clone())
            .bind(audit.outcome.clone())
            .bind(ore(max_payout, "the payout ceiling")?)
            .bind(latest_rent_month(draft.payout_date).to_string())
            .bind(
                audit
                    // A rent payout counts towards no plan.
                    .with_records(payout_records(id, draft.lease_id, None))
                    .records_text(),
            )
            .fetch_optional(&mut *tx)
            .await
        } else {
            sqlx::query(payout_state!())
                .bind(draft.lease_id.to_string())
                .bind(draft.rent_month.to_string())
                .bind(idempotency.request_id.to_string())
                .fetch_optional(&mut *tx)
                .await
        };
        let state = match unique_refusal(state)? {
            Ok(Some(state)) => state,
            Ok(None) => return Err(StoreError::NotFound { resource: "lease" }),
            // The same request id on another lease, committed meanwhile.
            Err(e) => {
                drop(tx);
                let id = self.replay_after(e, PAYOUT_BY_REQUEST, idempotency).await?;
                return self.replayed_payout(audit, id).await;
            }
        };
        let household_id = get_uuid(&state, "household_id")?;
        // Refusals from here on are about the household, for its audit.
        let refused = |e: StoreError| e.about(household_id);
        check_unit(&mut tx, units, household_id, "lease")
            .await
            .map_err(refused)?;
        // The earlier request before the bounds: a replay returns the first
        // payout even when the bounds would refuse it now.
        if let Some(earlier) = earlier_in_row(&state, idempotency).map_err(refused)? {
            drop(tx);
            return self.replayed_payout(audit, earlier).await;
        }
        let open_arrears = match draft.kind {
            RentPaymentKind::Arrears => read_open_arrears(&mut tx, draft.lease_id)
                .await
                .map_err(refused)?,
            RentPaymentKind::Rent => Money::ZERO,
        };
        let rent: Option<i64> = state.try_get("rent_ore")?;
        let ledger = PayoutState {
            rent: rent.map(Money::from_ore),
            requires_ocr: get_i64(&state, "requires_ocr")? != 0,
            paid_as_rent: get_money(&state, "paid_ore")?,
            received_as_rent: get_money(&state, "received_ore")?,
            newest_plan: optional_uuid(&state, "plan_id")?,
            open_arrears,
            end_month: end_month_in_row(&state)?,
        };
        let plan_id = accept_payout(draft, &ledger, max_payout).map_err(|e| refused(e.into()))?;
        let bankgiro: Option<String> = state.try_get("bankgiro")?;
        let plusgiro: Option<String> = state.try_get("plusgiro")?;
        if one_statement {
            if get_i64(&state, "inserted")? != 1 {
                return Err(StoreError::Other(anyhow::anyhow!(
                    "a payout passed the checks but its statement did not write it"
                )));
            }
        } else {
            let inserted = sqlx::query(payout_insert!())
                .bind(id.to_string())
                .bind(idempotency.request_id.to_string())
                .bind(idempotency.request_hash.clone())
                .bind(household_id.to_string())
                .bind(draft.lease_id.to_string())
                .bind(draft.rent_month.to_string())
                .bind(draft.kind.as_str())
                .bind(ore(draft.amount, "a payout")?)
                .bind(draft.decision_reference.clone())
                .bind(bankgiro.clone())
                .bind(plusgiro.clone())
                .bind(draft.ocr_reference.as_ref().map(|o| o.as_str().to_owned()))
                .bind(draft.payout_date.format("%Y-%m-%d").to_string())
                .bind(plan_id.map(|p| p.to_string()))
                .bind(audit.caller.clone())
                .bind(timestamp(audit.at))
                .execute(&mut *tx)
                .await;
            // The same request id on another lease, committed meanwhile.
            if let Err(e) = unique_refusal(inserted)? {
                drop(tx);
                let id = self.replay_after(e, PAYOUT_BY_REQUEST, idempotency).await?;
                return self.replayed_payout(audit, id).await;
            }
            link_entry(
                &mut tx,
                self.backend(),
                draft.lease_id,
                ChainedKind::Payout,
                id,
            )
            .await?;
            // The audit row names what the settlement wrote too; a rent
            // payout (one statement) settles nothing.
            let audit = audit.with_records(payout_records(id, draft.lease_id, plan_id));
            let paid = Paid::payout(draft, id, plan_id);
            self.settle(&mut tx, paid, &audit, household_id).await?;
        }
        tx.commit().await?;
        Ok(RentPayout {
            id,
            household_id,
            draft: draft.clone(),
            payee: payee_from(bankgiro, plusgiro)?,
            plan_id,
            recorded_by: audit.caller.clone(),
            recorded_at: audit.at,
            reversal: None,
        })
    }

    async fn reverse_rent_payout(
        &self,
        payout_id: Uuid,
        reason: &str,
        units: &Units,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError> {
        let mut tx = self.begin_write().await?;
        let payout = sqlx::query(
            "SELECT p.household_id, p.lease_id, r.id AS reversal_id FROM rent_payouts p \
             LEFT JOIN rent_payout_reversals r ON r.payout_id = p.id WHERE p.id = $1",
        )
        .bind(payout_id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            resource: "rent payout",
        })?;
        let household_id = get_uuid(&payout, "household_id")?;
        let refused = |e: StoreError| e.about(household_id);
        check_unit(&mut tx, units, household_id, "rent payout")
            .await
            .map_err(refused)?;
        let lease_id = get_uuid(&payout, "lease_id")?;
        // The same lock as payouts take, so that a reversal and a payout of
        // the lease do not interleave.
        lock_lease(&mut tx, self.backend(), lease_id).await?;
        if let Some(reversed) = earlier_entry(&mut tx, REVERSAL_BY_REQUEST, idempotency)
            .await
            .map_err(refused)?
        {
            drop(tx);
            return self.replayed_reversal(audit, reversed).await;
        }
        accept_reversal(optional_uuid(&payout, "reversal_id")?.is_some())
            .map_err(|e| refused(e.into()))?;
        // Under the lease's lock, which a batch's creation takes too: a
        // payout in a batch that is not cancelled is not reversed (the
        // database's trigger refuses it as well).
        let in_batch = sqlx::query(
            "SELECT 1 AS one FROM payment_batch_payouts i WHERE i.payout_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM payment_batch_events e \
                             WHERE e.batch_id = i.batch_id AND e.event = 'cancelled')",
        )
        .bind(payout_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if in_batch.is_some() {
            return Err(refused(payout_in_batch().into()));
        }
        let reversal_id = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO rent_payout_reversals (id, request_id, request_hash, payout_id, reason, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(reversal_id.to_string())
        .bind(idempotency.request_id.to_string())
        .bind(idempotency.request_hash.clone())
        .bind(payout_id.to_string())
        .bind(reason.to_owned())
        .bind(audit.caller.clone())
        .bind(timestamp(audit.at))
        .execute(&mut *tx)
        .await;
        if unique_refusal(inserted)?.is_err() {
            drop(tx);
            // Either this request committed meanwhile (a replay), or
            // another reversal of the payout did.
            return match self
                .replayed(REVERSAL_BY_REQUEST, idempotency)
                .await
                .map_err(refused)?
            {
                Some(payout) => self.replayed_reversal(audit, payout).await,
                None => Err(refused(already_reversed().into())),
            };
        }
        link_entry(
            &mut tx,
            self.backend(),
            lease_id,
            ChainedKind::Reversal,
            reversal_id,
        )
        .await?;
        let audit = audit.with_records(reversal_records(payout_id, reversal_id));
        let ids = (payout_id, reversal_id);
        self.unsettle(&mut tx, ids, &audit, household_id).await?;
        tx.commit().await?;
        self.get_rent_payout(payout_id).await
    }

    async fn list_rent_payouts(
        &self,
        units: &Units,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPayout>, StoreError> {
        let mut query = sqlx::query(concat!(
            payout_select!(),
            " WHERE ($1 = '' OR p.id > $1) AND ($2 = '' OR p.household_id = $2) \
             AND ($3 = '' OR p.lease_id = $3) AND ($4 = '' OR p.rent_month >= $4) \
             AND ($5 = '' OR p.rent_month <= $5) AND ($6 = '' OR p.decision_reference = $6) AND ",
            household_visible!("p.household_id", "$8"),
            " ORDER BY p.id LIMIT $7"
        ))
        .bind(after.map(|a| a.to_string()).unwrap_or_default());
        for bind in filter_binds(filter) {
            query = query.bind(bind);
        }
        let rows = query
            .bind(fetch_limit(limit))
            .bind(units.sql_param())
            .fetch_all(self.reads())
            .await?;
        Fetched::new(rows, limit).read(payout_from_row, |p| p.id.to_string())
    }

    async fn record_rent_receipt(
        &self,
        draft: &ReceiptDraft,
        units: &Units,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RecordedReceipt, StoreError> {
        let mut tx = self.begin_on_lease(draft.lease_id).await?;
        let state = sqlx::query(concat!(
            "SELECT s.household_id, s.end_month, ",
            month_figures!(),
            ", (SELECT id FROM rent_plans WHERE lease_id = $1 ORDER BY id DESC LIMIT 1) AS plan_id, \
               e.id AS earlier_id, e.request_hash AS earlier_hash \
             FROM leases s LEFT JOIN rent_receipts e ON e.request_id = $3 WHERE s.id = $1"
        ))
        .bind(draft.lease_id.to_string())
        .bind(draft.rent_month.to_string())
        .bind(idempotency.request_id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound { resource: "lease" })?;
        let household_id = get_uuid(&state, "household_id")?;
        let refused = |e: StoreError| e.about(household_id);
        check_unit(&mut tx, units, household_id, "lease")
            .await
            .map_err(refused)?;
        if let Some(id) = earlier_in_row(&state, idempotency).map_err(refused)? {
            drop(tx);
            return self.recorded_receipt(audit, id).await;
        }
        let rent: Option<i64> = state.try_get("rent_ore")?;
        let plan_id = accept_receipt(
            draft,
            rent.map(Money::from_ore),
            optional_uuid(&state, "plan_id")?,
            end_month_in_row(&state)?,
        )
        .map_err(|e| refused(e.into()))?;
        let as_rent = match draft.kind {
            RentPaymentKind::Rent => draft.amount,
            RentPaymentKind::Arrears => Money::ZERO,
        };
        let overpaid = overpaid_in_row(&state, as_rent)?;
        let id = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO rent_receipts (id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, paid_date, source, plan_id, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id.to_string())
        .bind(idempotency.request_id.to_string())
        .bind(idempotency.request_hash.clone())
        .bind(household_id.to_string())
        .bind(draft.lease_id.to_string())
        .bind(draft.rent_month.to_string())
        .bind(draft.kind.as_str())
        .bind(ore(draft.amount, "a receipt")?)
        .bind(draft.paid_date.format("%Y-%m-%d").to_string())
        .bind(draft.source.as_str())
        .bind(plan_id.map(|p| p.to_string()))
        .bind(audit.caller.clone())
        .bind(timestamp(audit.at))
        .execute(&mut *tx)
        .await;
        if let Err(e) = unique_refusal(inserted)? {
            drop(tx);
            let id = self
                .replay_after(e, RECEIPT_BY_REQUEST, idempotency)
                .await?;
            return self.recorded_receipt(audit, id).await;
        }
        link_entry(
            &mut tx,
            self.backend(),
            draft.lease_id,
            ChainedKind::Receipt,
            id,
        )
        .await?;
        let audit = audit.with_records(receipt_records(id, draft.lease_id));
        let paid = Paid::receipt(draft, id, plan_id);
        self.settle(&mut tx, paid, &audit, household_id).await?;
        tx.commit().await?;
        Ok(RecordedReceipt {
            receipt: RentReceipt {
                id,
                household_id,
                draft: draft.clone(),
                plan_id,
                recorded_by: audit.caller.clone(),
                recorded_at: audit.at,
            },
            overpaid,
        })
    }

    async fn get_rent_receipt(&self, id: Uuid) -> Result<RentReceipt, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, household_id, lease_id, rent_month, kind, amount_ore, paid_date, source, plan_id, recorded_by, recorded_at \
                 FROM rent_receipts WHERE id = $1",
                id,
                "rent receipt",
            )
            .await?;
        receipt_from_row(&row)
    }

    async fn list_rent_receipts(
        &self,
        units: &Units,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentReceipt>, StoreError> {
        // Receipts have no decision reference: `$6` is bound and unused.
        let mut query = sqlx::query(concat!(
            "SELECT id, household_id, lease_id, rent_month, kind, amount_ore, paid_date, source, plan_id, recorded_by, recorded_at \
             FROM rent_receipts WHERE ($1 = '' OR id > $1) AND ($2 = '' OR household_id = $2) \
             AND ($3 = '' OR lease_id = $3) AND ($4 = '' OR rent_month >= $4) \
             AND ($5 = '' OR rent_month <= $5) AND $6 = '' AND ",
            household_visible!("household_id", "$8"),
            " ORDER BY id LIMIT $7"
        ))
        .bind(after.map(|a| a.to_string()).unwrap_or_default());
        for bind in filter_binds(filter) {
            query = query.bind(bind);
        }
        let rows = query
            .bind(fetch_limit(limit))
            .bind(units.sql_param())
            .fetch_all(self.reads())
            .await?;
        Fetched::new(rows, limit).read(receipt_from_row, |r| r.id.to_string())
    }
}
