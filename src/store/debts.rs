//! The debt register in SQL: debts, and their append-only balance events.
//!
//! Every balance change is one transaction that appends an event and moves
//! the debt's running balance and revision, together with the audit record.
//! On SQLite the transaction holds the write lock from its first read
//! (`BEGIN IMMEDIATE`); on PostgreSQL the balance is moved by a conditional
//! `UPDATE … WHERE revision = $n`, so a concurrent change makes the later
//! writer fail with STALE_REVISION (ABORTED) instead of losing an update, and
//! `(debt_id, position)` is unique besides. A retry with the same request id
//! is answered from what was stored.

use anyhow::anyhow;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::audit::insert_audit;
use super::households::{address_columns, address_from_row, check_household};
use super::paging::{Fetched, fetch_limit};
use super::replay::debt_event_records;
use super::sql::{
    corrupt, earlier_request, get_date, get_i64, get_money, get_str, get_time, get_uuid, ore,
    timestamp, unique_refusal,
};
use super::{Idempotency, Page, SqlStore, StoreError};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::debt::{
    AppliedEvent, Debt, DebtDraft, DebtEvent, DebtEventKind, DebtKind, DebtStatus, NewDebtEvent,
    apply_event, check_changeable,
};
use crate::domain::error::Violations;
use crate::domain::identity::OrganisationNumber;
use crate::domain::money::Money;
use crate::domain::rate::Rate;

#[async_trait]
pub trait DebtStore: Send + Sync {
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
}

fn rate_hundredths(rate: Rate) -> Result<i64, StoreError> {
    rate.to_hundredths().ok_or_else(|| {
        StoreError::Other(anyhow!(
            "an interest rate has more than two decimals or is out of range"
        ))
    })
}

pub(super) fn debt_from_row(row: &AnyRow) -> Result<Debt, StoreError> {
    let org: Option<String> = row.try_get("creditor_organisation_number")?;
    let creditor_organisation_number = match org {
        Some(text) => Some(
            OrganisationNumber::parse(&text)
                .map_err(|_| corrupt("creditor_organisation_number"))?,
        ),
        None => None,
    };
    Ok(Debt {
        id: get_uuid(row, "id")?,
        household_id: get_uuid(row, "household_id")?,
        terms: DebtDraft {
            debtor_member_id: get_uuid(row, "debtor_member_id")?,
            creditor_name: get_str(row, "creditor_name")?,
            creditor_organisation_number,
            creditor_reference: get_str(row, "creditor_reference")?,
            creditor_address: address_from_row(row, "creditor_")?,
            kind: DebtKind::from_str_opt(&get_str(row, "kind")?).ok_or_else(|| corrupt("kind"))?,
            status: DebtStatus::from_str_opt(&get_str(row, "status")?)
                .ok_or_else(|| corrupt("status"))?,
            annual_interest_rate: Rate::from_hundredths(get_i64(row, "interest_rate_hundredths")?),
            monthly_fee: get_money(row, "monthly_fee_ore")?,
            agreed_monthly_payment: get_money(row, "agreed_payment_ore")?,
        },
        balance: get_money(row, "balance_ore")?,
        revision: get_i64(row, "revision")?,
        created_at: get_time(row, "created_at")?,
        updated_at: get_time(row, "updated_at")?,
    })
}

fn event_from_row(row: &AnyRow) -> Result<DebtEvent, StoreError> {
    Ok(DebtEvent {
        id: get_uuid(row, "id")?,
        debt_id: get_uuid(row, "debt_id")?,
        position: get_i64(row, "position")?,
        kind: DebtEventKind::from_str_opt(&get_str(row, "kind")?).ok_or_else(|| corrupt("kind"))?,
        date: get_date(row, "event_date")?,
        change: get_money(row, "change_ore")?,
        balance_after: get_money(row, "balance_after_ore")?,
        note: get_str(row, "note")?,
        recorded_by: get_str(row, "recorded_by")?,
        recorded_at: get_time(row, "recorded_at")?,
        evidence: {
            let text: Option<String> = row.try_get("evidence_id")?;
            text.map(|t| Uuid::parse_str(&t).map_err(|_| corrupt("evidence_id")))
                .transpose()?
        },
    })
}

/// The debtor must be a member of the household now.
async fn check_debtor(
    tx: &mut Transaction<'static, Any>,
    household_id: Uuid,
    debtor: Uuid,
    field: &str,
) -> Result<(), StoreError> {
    let found = sqlx::query("SELECT id FROM household_members WHERE id = $1 AND household_id = $2")
        .bind(debtor.to_string())
        .bind(household_id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    if found.is_none() {
        let mut v = Violations::new();
        v.add(
            field,
            "NOT_OF_HOUSEHOLD",
            "not a member of the debt's household",
        );
        return Err(StoreError::Invalid(v));
    }
    Ok(())
}

pub(super) async fn debt_in(
    tx: &mut Transaction<'static, Any>,
    id: Uuid,
) -> Result<Debt, StoreError> {
    let row = sqlx::query(
        "SELECT id, household_id, debtor_member_id, creditor_name, creditor_organisation_number, creditor_reference, creditor_care_of, creditor_street_address, creditor_postal_code, creditor_town, kind, status, balance_ore, interest_rate_hundredths, monthly_fee_ore, agreed_payment_ore, revision, created_at, updated_at \
         FROM debts WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound { resource: "debt" })?;
    debt_from_row(&row)
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut Transaction<'static, Any>,
    debt_id: Uuid,
    position: i64,
    kind: DebtEventKind,
    date: NaiveDate,
    change: Money,
    balance_after: Money,
    note: &str,
    idempotency: Option<&Idempotency>,
    evidence: Option<Uuid>,
    audit: &AuditEntry,
) -> Result<DebtEvent, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO debt_events (id, debt_id, position, kind, event_date, change_ore, balance_after_ore, note, recorded_by, recorded_at, request_id, request_hash, evidence_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id.to_string())
    .bind(debt_id.to_string())
    .bind(position)
    .bind(kind.as_str())
    .bind(date.format("%Y-%m-%d").to_string())
    .bind(change.to_ore().unwrap_or_default())
    .bind(balance_after.to_ore().unwrap_or_default())
    .bind(note.to_owned())
    .bind(audit.caller.clone())
    .bind(timestamp(audit.at))
    .bind(idempotency.map(|i| i.request_id.to_string()))
    .bind(idempotency.map(|i| i.request_hash.clone()))
    .bind(evidence.map(|e| e.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(DebtEvent {
        id,
        debt_id,
        position,
        kind,
        date,
        change,
        balance_after,
        note: note.to_owned(),
        recorded_by: audit.caller.clone(),
        recorded_at: audit.at,
        evidence,
    })
}

/// Moves a debt read in this transaction (`current`) to what an event
/// leaves (`applied`) and appends the event at the next position. On
/// PostgreSQL a concurrent change of the debt since it was read makes this
/// STALE_REVISION; a duplicate request id or evidence is a unique violation
/// for the caller to handle.
#[allow(clippy::too_many_arguments)]
pub(super) async fn append_event(
    tx: &mut Transaction<'static, Any>,
    current: &Debt,
    kind: DebtEventKind,
    date: NaiveDate,
    applied: AppliedEvent,
    note: &str,
    idempotency: Option<&Idempotency>,
    evidence: Option<Uuid>,
    audit: &AuditEntry,
) -> Result<Result<DebtEvent, sqlx::Error>, StoreError> {
    let moved = sqlx::query(
        "UPDATE debts SET balance_ore = $1, status = $2, revision = revision + 1, updated_at = $3 \
         WHERE id = $4 AND revision = $5",
    )
    .bind(ore(applied.balance, "a balance")?)
    .bind(applied.status.as_str())
    .bind(timestamp(audit.at))
    .bind(current.id.to_string())
    .bind(current.revision)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(StoreError::StaleRevision {
            current: current.revision + 1,
        });
    }
    let position = get_i64(
        &sqlx::query(
            "SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) AS last FROM debt_events WHERE debt_id = $1",
        )
        .bind(current.id.to_string())
        .fetch_one(&mut **tx)
        .await?,
        "last",
    )? + 1;
    let recorded = insert_event(
        tx,
        current.id,
        position,
        kind,
        date,
        applied.change,
        applied.balance,
        note,
        idempotency,
        evidence,
        audit,
    )
    .await;
    unique_refusal(recorded)
}

impl SqlStore {
    /// The debt a request id created, if any; REQUEST_ID_REUSED when it
    /// created one from a different request.
    async fn debt_of_request(&self, idempotency: &Idempotency) -> Result<Option<Debt>, StoreError> {
        earlier_request(
            self.pool(),
            "SELECT id, household_id, debtor_member_id, creditor_name, creditor_organisation_number, creditor_reference, creditor_care_of, creditor_street_address, creditor_postal_code, creditor_town, kind, status, balance_ore, interest_rate_hundredths, monthly_fee_ore, agreed_payment_ore, revision, created_at, updated_at, request_hash \
             FROM debts WHERE request_id = $1",
            idempotency,
        )
        .await?
        .map(|row| debt_from_row(&row))
        .transpose()
    }

    /// The event a request id recorded, with its debt as it is now.
    async fn event_of_request(
        &self,
        idempotency: &Idempotency,
    ) -> Result<Option<(DebtEvent, Debt)>, StoreError> {
        let row = earlier_request(
            self.pool(),
            "SELECT id, debt_id, position, kind, event_date, change_ore, balance_after_ore, note, recorded_by, recorded_at, evidence_id, request_hash \
             FROM debt_events WHERE request_id = $1",
            idempotency,
        )
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let event = event_from_row(&row)?;
        let debt = self.get_debt(event.debt_id).await?;
        Ok(Some((event, debt)))
    }
}

#[async_trait]
impl DebtStore for SqlStore {
    async fn get_debt(&self, id: Uuid) -> Result<Debt, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, household_id, debtor_member_id, creditor_name, creditor_organisation_number, creditor_reference, creditor_care_of, creditor_street_address, creditor_postal_code, creditor_town, kind, status, balance_ore, interest_rate_hundredths, monthly_fee_ore, agreed_payment_ore, revision, created_at, updated_at \
                 FROM debts WHERE id = $1",
                id,
                "debt",
            )
            .await?;
        debt_from_row(&row)
    }

    async fn create_debt(
        &self,
        household_id: Uuid,
        draft: &DebtDraft,
        opening: Money,
        balance_date: NaiveDate,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<Debt, StoreError> {
        if let Some(debt) = self.debt_of_request(idempotency).await? {
            return self.replayed_debt(audit, debt).await;
        }
        let mut tx = self.begin_write().await?;
        check_household(&mut tx, household_id).await?;
        check_debtor(
            &mut tx,
            household_id,
            draft.debtor_member_id,
            "debt.debtor_member_id",
        )
        .await?;
        let id = Uuid::now_v7();
        let [care_of, street, postal_code, town] = address_columns(&draft.creditor_address);
        let inserted = sqlx::query(
            "INSERT INTO debts (id, household_id, debtor_member_id, creditor_name, creditor_organisation_number, creditor_reference, kind, status, balance_ore, interest_rate_hundredths, monthly_fee_ore, agreed_payment_ore, revision, created_at, updated_at, request_id, request_hash, \
             creditor_care_of, creditor_street_address, creditor_postal_code, creditor_town) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(id.to_string())
        .bind(household_id.to_string())
        .bind(draft.debtor_member_id.to_string())
        .bind(draft.creditor_name.clone())
        .bind(draft.creditor_organisation_number.as_ref().map(|o| o.as_str().to_owned()))
        .bind(draft.creditor_reference.clone())
        .bind(draft.kind.as_str())
        .bind(draft.status.as_str())
        .bind(ore(opening, "an opening balance")?)
        .bind(rate_hundredths(draft.annual_interest_rate)?)
        .bind(ore(draft.monthly_fee, "a monthly fee")?)
        .bind(ore(draft.agreed_monthly_payment, "an agreed payment")?)
        .bind(timestamp(audit.at))
        .bind(idempotency.request_id.to_string())
        .bind(idempotency.request_hash.clone())
        .bind(care_of)
        .bind(street)
        .bind(postal_code)
        .bind(town)
        .execute(&mut *tx)
        .await;
        // The same request id, committed by a concurrent call meanwhile.
        if let Err(e) = unique_refusal(inserted)? {
            drop(tx);
            let debt = self.debt_of_request(idempotency).await?.ok_or(e)?;
            return self.replayed_debt(audit, debt).await;
        }
        insert_event(
            &mut tx,
            id,
            1,
            DebtEventKind::OpeningBalance,
            balance_date,
            opening,
            opening,
            "",
            None,
            None,
            audit,
        )
        .await?;
        let audit = audit.with_records([RecordRef::new(RecordKind::Debt, id)]);
        insert_audit(&mut tx, &audit, Some(household_id)).await?;
        let debt = debt_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(debt)
    }

    async fn list_debts(
        &self,
        household_id: Uuid,
        kind: Option<DebtKind>,
        status: Option<DebtStatus>,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Debt>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, household_id, debtor_member_id, creditor_name, creditor_organisation_number, creditor_reference, creditor_care_of, creditor_street_address, creditor_postal_code, creditor_town, kind, status, balance_ore, interest_rate_hundredths, monthly_fee_ore, agreed_payment_ore, revision, created_at, updated_at \
             FROM debts WHERE household_id = $1 AND ($2 = '' OR kind = $2) AND ($3 = '' OR status = $3) \
             AND ($4 = '' OR id > $4) ORDER BY id LIMIT $5",
        )
        .bind(household_id.to_string())
        .bind(kind.map(DebtKind::as_str).unwrap_or_default())
        .bind(status.map(DebtStatus::as_str).unwrap_or_default())
        .bind(after.map(|u| u.to_string()).unwrap_or_default())
        .bind(fetch_limit(limit))
        .fetch_all(self.reads())
        .await?;
        Fetched::new(rows, limit).read(debt_from_row, |d| d.id.to_string())
    }

    async fn update_debt(
        &self,
        id: Uuid,
        expected_revision: i64,
        draft: &DebtDraft,
        audit: &AuditEntry,
    ) -> Result<Debt, StoreError> {
        let mut tx = self.begin_write().await?;
        let current = debt_in(&mut tx, id).await?;
        check_changeable(&current)?;
        if current.revision != expected_revision {
            return Err(StoreError::StaleRevision {
                current: current.revision,
            });
        }
        check_debtor(
            &mut tx,
            current.household_id,
            draft.debtor_member_id,
            "debt.debtor_member_id",
        )
        .await?;
        let [care_of, street, postal_code, town] = address_columns(&draft.creditor_address);
        let updated = sqlx::query(
            "UPDATE debts SET debtor_member_id = $1, creditor_name = $2, creditor_organisation_number = $3, creditor_reference = $4, \
             kind = $5, status = $6, interest_rate_hundredths = $7, monthly_fee_ore = $8, agreed_payment_ore = $9, \
             revision = revision + 1, updated_at = $10, creditor_care_of = $13, creditor_street_address = $14, \
             creditor_postal_code = $15, creditor_town = $16 WHERE id = $11 AND revision = $12",
        )
        .bind(draft.debtor_member_id.to_string())
        .bind(draft.creditor_name.clone())
        .bind(draft.creditor_organisation_number.as_ref().map(|o| o.as_str().to_owned()))
        .bind(draft.creditor_reference.clone())
        .bind(draft.kind.as_str())
        .bind(draft.status.as_str())
        .bind(rate_hundredths(draft.annual_interest_rate)?)
        .bind(ore(draft.monthly_fee, "a monthly fee")?)
        .bind(ore(draft.agreed_monthly_payment, "an agreed payment")?)
        .bind(timestamp(audit.at))
        .bind(id.to_string())
        .bind(expected_revision)
        .bind(care_of)
        .bind(street)
        .bind(postal_code)
        .bind(town)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            // Changed by a concurrent writer since it was read (PostgreSQL).
            return Err(StoreError::StaleRevision {
                current: expected_revision + 1,
            });
        }
        let audit = audit.with_records([RecordRef::new(RecordKind::Debt, id)]);
        insert_audit(&mut tx, &audit, Some(current.household_id)).await?;
        let debt = debt_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(debt)
    }

    async fn record_debt_event(
        &self,
        debt_id: Uuid,
        event: &NewDebtEvent,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<(DebtEvent, Debt), StoreError> {
        if let Some(replay) = self.event_of_request(idempotency).await? {
            return self.replayed_debt_event(audit, replay).await;
        }
        let mut tx = self.begin_write().await?;
        let current = debt_in(&mut tx, debt_id).await?;
        let applied = apply_event(&current, event)?;
        let recorded = append_event(
            &mut tx,
            &current,
            event.kind,
            event.date,
            applied,
            &event.note,
            Some(idempotency),
            None,
            audit,
        )
        .await?;
        let recorded = match recorded {
            Ok(recorded) => recorded,
            // The same request id, committed by a concurrent call meanwhile.
            Err(e) => {
                drop(tx);
                let replay = self.event_of_request(idempotency).await?.ok_or(e)?;
                return self.replayed_debt_event(audit, replay).await;
            }
        };
        let audit = audit.with_records(debt_event_records(debt_id, recorded.id));
        insert_audit(&mut tx, &audit, Some(current.household_id)).await?;
        let debt = debt_in(&mut tx, debt_id).await?;
        tx.commit().await?;
        Ok((recorded, debt))
    }

    async fn list_debt_events(
        &self,
        debt_id: Uuid,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<DebtEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, debt_id, position, kind, event_date, change_ore, balance_after_ore, note, recorded_by, recorded_at, evidence_id \
             FROM debt_events WHERE debt_id = $1 AND position > $2 ORDER BY position LIMIT $3",
        )
        .bind(debt_id.to_string())
        .bind(after.unwrap_or(0))
        .bind(fetch_limit(limit))
        .fetch_all(self.reads())
        .await?;
        Fetched::new(rows, limit).read(event_from_row, |e| e.position.to_string())
    }
}
