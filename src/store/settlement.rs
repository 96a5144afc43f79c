//! Payments settle debts and notices follow the money (issue 18), in SQL:
//! called inside the transaction that writes an arrears payout, its
//! reversal, an arrears receipt or a plan payment, after that entry is
//! written and before the commit, so that the entry, its debt event and the
//! notices it resolves commit together or not at all.
//!
//! The rules are the domain's: `domain::debt::settle` picks the debt and the
//! event, `domain::lease::paid_within_deadline` decides a notice. A ledger
//! or plan entry makes at most one debt event (`debt_events.evidence_id` is
//! unique), and a replayed request is answered before it gets here, so a
//! replay adds nothing. On PostgreSQL the lease's row and then the debt's
//! are locked before they are read (`FOR UPDATE`, the order ledger writes
//! take), so a concurrent RecordDebtEvent waits instead of failing the
//! payment with a stale revision, and payments of one lease weigh its
//! notices one after the other.

use chrono::NaiveDate;
use sqlx::{Any, Transaction};
use uuid::Uuid;

use super::audit::insert_audit;
use super::debts::{append_event, debt_from_row, debt_in};
use super::leases::notice_from_row;
use super::replay::debt_event_records;
use super::sql::{get_date, get_money, get_uuid};
use super::{Backend, SqlStore, Store, StoreError};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::debt::settle::{payment_event, reversal_event, settling_debt};
use crate::domain::error::Violations;
use crate::domain::lease::{NoticePayment, NoticeResolution, paid_within_deadline};
use crate::domain::ledger::{PayoutDraft, ReceiptDraft, RentPaymentKind};
use crate::domain::money::Money;

/// A payment just written: a ledger entry (payout or receipt) or a plan
/// payment.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paid {
    /// The payout's, receipt's or plan payment's id: the evidence.
    pub entry: Uuid,
    pub lease_id: Uuid,
    /// The plan it counts towards, whose `debt_id` may name the debt.
    pub plan_id: Option<Uuid>,
    pub amount: Money,
    pub date: NaiveDate,
    pub note: &'static str,
}

impl Paid {
    /// A payout: only arrears pay a debt down.
    pub fn payout(draft: &PayoutDraft, id: Uuid, plan_id: Option<Uuid>) -> Option<Paid> {
        (draft.kind == RentPaymentKind::Arrears).then_some(Paid {
            entry: id,
            lease_id: draft.lease_id,
            plan_id,
            amount: draft.amount,
            date: draft.payout_date,
            note: "arrears payout",
        })
    }

    /// A receipt: only arrears pay a debt down.
    pub fn receipt(draft: &ReceiptDraft, id: Uuid, plan_id: Option<Uuid>) -> Option<Paid> {
        (draft.kind == RentPaymentKind::Arrears).then_some(Paid {
            entry: id,
            lease_id: draft.lease_id,
            plan_id,
            amount: draft.amount,
            date: draft.paid_date,
            note: "arrears receipt",
        })
    }
}

impl SqlStore {
    /// [`settle_payment`] on this store's backend, then the payment's audit
    /// row: `audit` (naming the entry) naming what the settlement wrote too.
    pub(super) async fn settle(
        &self,
        tx: &mut Transaction<'static, Any>,
        paid: Option<Paid>,
        audit: &AuditEntry,
        household_id: Uuid,
    ) -> Result<(), StoreError> {
        let settled = settle_payment(tx, self.backend(), paid, audit).await?;
        insert_audit(tx, &audit.with_records(settled), Some(household_id)).await
    }

    /// [`settle_reversal`] on this store's backend, then the reversal's
    /// audit row, naming what the settlement wrote too.
    pub(super) async fn unsettle(
        &self,
        tx: &mut Transaction<'static, Any>,
        (payout, reversal): (Uuid, Uuid),
        audit: &AuditEntry,
        household_id: Uuid,
    ) -> Result<(), StoreError> {
        let settled = settle_reversal(tx, self.backend(), payout, reversal, audit).await?;
        insert_audit(tx, &audit.with_records(settled), Some(household_id)).await
    }
}

/// The household's hyresskuld debts to the lease's ($1) landlord that are
/// not settled, locked on PostgreSQL.
macro_rules! candidates {
    () => {
        "SELECT d.id, d.household_id, d.debtor_member_id, d.creditor_name, d.creditor_organisation_number, \
         d.creditor_reference, d.creditor_care_of, d.creditor_street_address, d.creditor_postal_code, d.creditor_town, d.kind, d.status, d.balance_ore, d.interest_rate_hundredths, d.monthly_fee_ore, \
         d.agreed_payment_ore, d.revision, d.created_at, d.updated_at \
         FROM leases s JOIN landlords l ON l.id = s.landlord_id \
         JOIN debts d ON d.household_id = s.household_id \
         WHERE s.id = $1 AND d.kind = 'hyresskuld' AND d.status <> 'settled' \
         AND d.creditor_organisation_number = l.organisation_number ORDER BY d.id"
    };
}

/// A payment's settlement: the payment event on the debt it pays down, when
/// one is found, then the lease's open notices it pays. `None` (a payment
/// of the ongoing rent) does nothing. Returns what it wrote: the debt and
/// its event, and each notice it resolved.
pub(super) async fn settle_payment(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    paid: Option<Paid>,
    audit: &AuditEntry,
) -> Result<Vec<RecordRef>, StoreError> {
    let Some(paid) = paid else {
        return Ok(Vec::new());
    };
    if backend == Backend::Postgres {
        // The lease's lock, as ledger writes take it (a no-op for them): a
        // plan payment and a payout of one lease then settle one after the
        // other, each seeing the other's payment when it weighs the notices.
        sqlx::query("SELECT id FROM leases WHERE id = $1 FOR UPDATE")
            .bind(paid.lease_id.to_string())
            .fetch_one(&mut **tx)
            .await?;
    }
    let sql = match backend {
        Backend::Postgres => concat!(candidates!(), " FOR UPDATE OF d"),
        Backend::Sqlite => candidates!(),
    };
    let candidates = sqlx::query(sql)
        .bind(paid.lease_id.to_string())
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(debt_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let named = match paid.plan_id {
        None => None,
        Some(plan) => {
            let text: Option<String> =
                sqlx::query_scalar("SELECT debt_id FROM rent_plans WHERE id = $1")
                    .bind(plan.to_string())
                    .fetch_optional(&mut **tx)
                    .await?
                    .flatten();
            text.and_then(|t| Uuid::parse_str(&t).ok())
        }
    };
    let ids: Vec<Uuid> = candidates.iter().map(|d| d.id).collect();
    let mut wrote = Vec::new();
    if let Some(debt) =
        settling_debt(&ids, named).and_then(|id| candidates.iter().find(|d| d.id == id))
        && let Some((kind, applied)) = payment_event(debt, paid.amount)
    {
        let event = append_event(
            tx,
            debt,
            kind,
            paid.date,
            applied,
            paid.note,
            None,
            Some(paid.entry),
            audit,
        )
        .await??;
        wrote.extend(debt_event_records(debt.id, event.id));
    }
    wrote.extend(resolve_paid_notices(tx, paid.lease_id, audit).await?);
    Ok(wrote)
}

/// A payout's reversal (`reversal`, written just before): the opposite of
/// the event the payout recorded on a debt, if it recorded one, and the
/// notices the payout had paid open again unless other payments still pay
/// them. Returns what it wrote: the debt and its event, and each notice it
/// reopened or resolved.
pub(super) async fn settle_reversal(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    payout: Uuid,
    reversal: Uuid,
    audit: &AuditEntry,
) -> Result<Vec<RecordRef>, StoreError> {
    undo_payment(
        tx,
        backend,
        payout,
        reversal,
        "arrears payout reversed",
        audit,
    )
    .await
}

/// The evidence of a payout's voiding by the bank (rejected or returned):
/// a fixed id derived from the payout's, so the debt event it makes is made
/// once (`debt_events.evidence_id` is unique).
pub(super) fn bank_void_evidence(payout: Uuid) -> Uuid {
    let digest = crate::domain::chain::sha256_hex(format!("bank-void:{payout}").as_bytes());
    let mut bytes = [0u8; 16];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digest[2 * i..2 * i + 2], 16).unwrap_or(0);
    }
    // A version-8 (custom) UUID of the RFC 9562 variant.
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

/// A payout the bank rejected or returned, inside the import's
/// transaction: as a reversal, the opposite of the debt event it recorded
/// and the notices it paid open again. Returns what it wrote.
pub(super) async fn settle_bank_void(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    payout: Uuid,
    audit: &AuditEntry,
) -> Result<Vec<RecordRef>, StoreError> {
    let evidence = bank_void_evidence(payout);
    undo_payment(
        tx,
        backend,
        payout,
        evidence,
        "arrears payout rejected or returned by the bank",
        audit,
    )
    .await
}

/// A payout voided (reversed, or rejected or returned by the bank), with
/// `evidence` the voiding's id: what [`settle_reversal`] describes. A
/// payout whose debt event was already undone (voided before) has its
/// event undone no second time.
async fn undo_payment(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    payout: Uuid,
    reversal: Uuid,
    note: &'static str,
    audit: &AuditEntry,
) -> Result<Vec<RecordRef>, StoreError> {
    let lease_id = get_uuid(
        &sqlx::query("SELECT lease_id FROM rent_payouts WHERE id = $1")
            .bind(payout.to_string())
            .fetch_one(&mut **tx)
            .await?,
        "lease_id",
    )?;
    let undone = sqlx::query(
        "SELECT 1 AS one FROM debt_events WHERE evidence_id = $1 \
         OR evidence_id IN (SELECT id FROM rent_payout_reversals WHERE payout_id = $2)",
    )
    .bind(bank_void_evidence(payout).to_string())
    .bind(payout.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    let event = if undone {
        None
    } else {
        sqlx::query("SELECT debt_id, change_ore FROM debt_events WHERE evidence_id = $1")
            .bind(payout.to_string())
            .fetch_optional(&mut **tx)
            .await?
    };
    let mut wrote = Vec::new();
    if let Some(event) = event {
        let debt_id = get_uuid(&event, "debt_id")?;
        if backend == Backend::Postgres {
            sqlx::query("SELECT id FROM debts WHERE id = $1 FOR UPDATE")
                .bind(debt_id.to_string())
                .fetch_one(&mut **tx)
                .await?;
        }
        let debt = debt_in(tx, debt_id).await?;
        let (kind, applied) = reversal_event(&debt, get_money(&event, "change_ore")?);
        let event = append_event(
            tx,
            &debt,
            kind,
            audit.at.date_naive(),
            applied,
            note,
            None,
            Some(reversal),
            audit,
        )
        .await??;
        wrote.extend(debt_event_records(debt.id, event.id));
    }
    let reopened = sqlx::query(
        "UPDATE eviction_notices SET resolution = NULL, resolved_on = NULL, evidence_ids = '' \
         WHERE lease_id = $1 AND resolution = 'paid_within_deadline' \
         AND ',' || evidence_ids || ',' LIKE '%,' || $2 || ',%' RETURNING id",
    )
    .bind(lease_id.to_string())
    .bind(payout.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for row in &reopened {
        wrote.push(RecordRef::new(RecordKind::Notice, get_uuid(row, "id")?));
    }
    for notice in resolve_paid_notices(tx, lease_id, audit).await? {
        if !wrote.contains(&notice) {
            wrote.push(notice);
        }
    }
    Ok(wrote)
}

/// Every arrears payment on a lease ($1): its arrears payouts not reversed,
/// its arrears receipts and the payments towards its plans.
const LEASE_PAYMENTS: &str = "SELECT p.id, p.payout_date AS paid_on, p.amount_ore FROM rent_payouts p \
     WHERE p.lease_id = $1 AND p.kind = 'arrears' \
     AND NOT EXISTS (SELECT 1 FROM voided_payouts r WHERE r.payout_id = p.id) \
     UNION ALL \
     SELECT c.id, c.paid_date, c.amount_ore FROM rent_receipts c \
     WHERE c.lease_id = $1 AND c.kind = 'arrears' \
     UNION ALL \
     SELECT m.id, m.paid_on, m.amount_ore FROM rent_plan_payments m \
     JOIN rent_plans pl ON pl.id = m.plan_id WHERE pl.lease_id = $1";

/// Resolves the lease's open notices whose amount owed its payments paid
/// within the deadline (PAID_WITHIN_DEADLINE, with the payments' ids);
/// returns the notices it resolved.
async fn resolve_paid_notices(
    tx: &mut Transaction<'static, Any>,
    lease_id: Uuid,
    audit: &AuditEntry,
) -> Result<Vec<RecordRef>, StoreError> {
    let notices = sqlx::query(
        "SELECT id, lease_id, household_id, served_on, amount_owed_ore, deadline, resolution, resolved_on, note, created_at, created_by, evidence_ids \
         FROM eviction_notices WHERE lease_id = $1 AND resolution IS NULL ORDER BY deadline, id",
    )
    .bind(lease_id.to_string())
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(notice_from_row)
    .collect::<Result<Vec<_>, _>>()?;
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    let payments = sqlx::query(LEASE_PAYMENTS)
        .bind(lease_id.to_string())
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| {
            Ok(NoticePayment {
                id: get_uuid(row, "id")?,
                date: get_date(row, "paid_on")?,
                amount: get_money(row, "amount_ore")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut resolved = Vec::new();
    for notice in &notices {
        let Some(evidence) = paid_within_deadline(notice, &payments) else {
            continue;
        };
        resolved.push(RecordRef::new(RecordKind::Notice, notice.id));
        let ids: Vec<String> = evidence.iter().map(Uuid::to_string).collect();
        sqlx::query(
            "UPDATE eviction_notices SET resolution = $1, resolved_on = $2, evidence_ids = $3 \
             WHERE id = $4 AND resolution IS NULL",
        )
        .bind(NoticeResolution::PaidWithinDeadline.as_str())
        .bind(audit.at.date_naive().format("%Y-%m-%d").to_string())
        .bind(ids.join(","))
        .bind(notice.id.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(resolved)
}

/// A debt a plan on the lease ($1) may name: a hyresskuld of the lease's
/// household to the lease's landlord, not settled. Invalid under `field`
/// otherwise.
pub(super) async fn check_plan_debt(
    tx: &mut Transaction<'static, Any>,
    lease_id: Uuid,
    debt_id: Uuid,
    field: &str,
) -> Result<(), StoreError> {
    let found = sqlx::query(
        "SELECT d.id FROM leases s JOIN landlords l ON l.id = s.landlord_id \
         JOIN debts d ON d.household_id = s.household_id \
         WHERE s.id = $1 AND d.id = $2 AND d.kind = 'hyresskuld' AND d.status <> 'settled' \
         AND d.creditor_organisation_number = l.organisation_number",
    )
    .bind(lease_id.to_string())
    .bind(debt_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    if found.is_none() {
        let mut v = Violations::new();
        v.add(
            field,
            "NOT_OF_HOUSEHOLD",
            "not an unsettled hyresskuld debt of the lease's household to its landlord",
        );
        return Err(StoreError::Invalid(v));
    }
    Ok(())
}
