//! Replays of idempotent writes, audited: a request id seen before returns
//! the first request's result and writes no data, but it does hand household
//! data out, so it leaves its own audit row (marked `replay`, naming the
//! records it returned) before the answer leaves. If that row cannot be
//! written the call fails, as a read would.
//!
//! The records a write's row names come from here too, so that the first
//! write and its replays name the same records. What a payment's settlement
//! wrote is read back for its replay ([`SqlStore::settled_by`]): the debt
//! event whose evidence it is and the notices resolved with it among their
//! evidence (a reversal's replay names its debt event, not the notices it
//! reopened: a reopened notice keeps no trace of it).

use uuid::Uuid;

use super::audit::audit_replay;
use super::sql::get_uuid;
use super::{LedgerStore, PlanStore, SqlStore, StoreError};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::debt::{Debt, DebtEvent};
use crate::domain::ledger::{RentPayout, RentReceipt};
use crate::domain::rent_plan::RentPlan;

/// Two records an audit row names, in this order.
fn pair(first: (RecordKind, Uuid), second: (RecordKind, Uuid)) -> [RecordRef; 2] {
    [
        RecordRef::new(first.0, first.1),
        RecordRef::new(second.0, second.1),
    ]
}

/// What a payout's audit row names: the payout, its lease, and the plan an
/// arrears payout counts towards.
pub(super) fn payout_records(
    id: Uuid,
    lease_id: Uuid,
    plan_id: Option<Uuid>,
) -> impl Iterator<Item = RecordRef> {
    pair((RecordKind::Payout, id), (RecordKind::Lease, lease_id))
        .into_iter()
        .chain(plan_id.map(|plan| RecordRef::new(RecordKind::Plan, plan)))
}

/// What a reversal's audit row names: the payout and its reversal.
pub(super) fn reversal_records(payout_id: Uuid, reversal_id: Uuid) -> [RecordRef; 2] {
    pair(
        (RecordKind::Payout, payout_id),
        (RecordKind::Reversal, reversal_id),
    )
}

/// What a receipt's audit row names: the receipt and its lease.
pub(super) fn receipt_records(id: Uuid, lease_id: Uuid) -> [RecordRef; 2] {
    pair((RecordKind::Receipt, id), (RecordKind::Lease, lease_id))
}

/// What a plan's audit row names: the plan and its lease.
pub(super) fn plan_records(id: Uuid, lease_id: Uuid) -> [RecordRef; 2] {
    pair((RecordKind::Plan, id), (RecordKind::Lease, lease_id))
}

/// What a plan payment's audit row names: the plan and the payment.
pub(super) fn plan_payment_records(plan_id: Uuid, payment_id: Uuid) -> [RecordRef; 2] {
    pair(
        (RecordKind::Plan, plan_id),
        (RecordKind::PlanPayment, payment_id),
    )
}

/// What a debt event's audit row names: the debt and the event.
pub(super) fn debt_event_records(debt_id: Uuid, event_id: Uuid) -> [RecordRef; 2] {
    pair(
        (RecordKind::Debt, debt_id),
        (RecordKind::DebtEvent, event_id),
    )
}

impl SqlStore {
    /// What the settlement of `entry` (a payout, receipt, plan payment or
    /// reversal) wrote, for its replay: the debt and the event `entry` is
    /// the evidence of, and the notices resolved PAID_WITHIN_DEADLINE with
    /// `entry` among their evidence.
    async fn settled_by(&self, entry: Uuid) -> Result<Vec<RecordRef>, StoreError> {
        let mut records = Vec::new();
        let event = sqlx::query("SELECT debt_id, id FROM debt_events WHERE evidence_id = $1")
            .bind(entry.to_string())
            .fetch_optional(self.pool())
            .await?;
        if let Some(row) = event {
            records.extend(debt_event_records(
                get_uuid(&row, "debt_id")?,
                get_uuid(&row, "id")?,
            ));
        }
        let notices = sqlx::query(
            "SELECT id FROM eviction_notices WHERE resolution = 'paid_within_deadline' \
             AND ',' || evidence_ids || ',' LIKE '%,' || $1 || ',%' ORDER BY deadline, id",
        )
        .bind(entry.to_string())
        .fetch_all(self.pool())
        .await?;
        for row in &notices {
            records.push(RecordRef::new(RecordKind::Notice, get_uuid(row, "id")?));
        }
        Ok(records)
    }

    /// The payout a request id wrote, audited as a replay.
    pub(super) async fn replayed_payout(
        &self,
        audit: &AuditEntry,
        id: Uuid,
    ) -> Result<RentPayout, StoreError> {
        let payout = self.get_rent_payout(id).await?;
        let settled = self.settled_by(payout.id).await?;
        audit_replay(
            self,
            audit,
            payout.household_id,
            payout_records(payout.id, payout.draft.lease_id, payout.plan_id).chain(settled),
        )
        .await?;
        Ok(payout)
    }

    /// The payout a request id reversed, audited as a replay.
    pub(super) async fn replayed_reversal(
        &self,
        audit: &AuditEntry,
        payout_id: Uuid,
    ) -> Result<RentPayout, StoreError> {
        let payout = self.get_rent_payout(payout_id).await?;
        let mut records = vec![RecordRef::new(RecordKind::Payout, payout.id)];
        if let Some(reversal) = &payout.reversal {
            records = reversal_records(payout.id, reversal.id).to_vec();
            records.extend(self.settled_by(reversal.id).await?);
        }
        audit_replay(self, audit, payout.household_id, records).await?;
        Ok(payout)
    }

    /// The receipt a request id wrote, audited as a replay.
    pub(super) async fn replayed_receipt(
        &self,
        audit: &AuditEntry,
        id: Uuid,
    ) -> Result<RentReceipt, StoreError> {
        let receipt = self.get_rent_receipt(id).await?;
        let settled = self.settled_by(receipt.id).await?;
        audit_replay(
            self,
            audit,
            receipt.household_id,
            receipt_records(receipt.id, receipt.draft.lease_id)
                .into_iter()
                .chain(settled),
        )
        .await?;
        Ok(receipt)
    }

    /// The plan a request id created, audited as a replay.
    pub(super) async fn replayed_plan(
        &self,
        audit: &AuditEntry,
        plan: RentPlan,
    ) -> Result<RentPlan, StoreError> {
        audit_replay(
            self,
            audit,
            plan.household_id,
            plan_records(plan.id, plan.draft.lease_id),
        )
        .await?;
        Ok(plan)
    }

    /// The plan a request id paid on, audited as a replay naming the
    /// payment.
    pub(super) async fn replayed_plan_payment(
        &self,
        audit: &AuditEntry,
        plan_id: Uuid,
        payment_id: Uuid,
    ) -> Result<RentPlan, StoreError> {
        let plan = self.get_rent_plan(plan_id).await?;
        let settled = self.settled_by(payment_id).await?;
        audit_replay(
            self,
            audit,
            plan.household_id,
            plan_payment_records(plan.id, payment_id)
                .into_iter()
                .chain(settled),
        )
        .await?;
        Ok(plan)
    }

    /// The debt a request id created, audited as a replay.
    pub(super) async fn replayed_debt(
        &self,
        audit: &AuditEntry,
        debt: Debt,
    ) -> Result<Debt, StoreError> {
        audit_replay(
            self,
            audit,
            debt.household_id,
            [RecordRef::new(RecordKind::Debt, debt.id)],
        )
        .await?;
        Ok(debt)
    }

    /// The event a request id recorded (with its debt), audited as a
    /// replay.
    pub(super) async fn replayed_debt_event(
        &self,
        audit: &AuditEntry,
        (event, debt): (DebtEvent, Debt),
    ) -> Result<(DebtEvent, Debt), StoreError> {
        audit_replay(
            self,
            audit,
            debt.household_id,
            debt_event_records(debt.id, event.id),
        )
        .await?;
        Ok((event, debt))
    }
}
