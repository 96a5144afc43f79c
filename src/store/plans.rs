//! Rent-arrears plans in SQL: the agreed terms, and the append-only
//! payments towards the arrears. The schedule and the states are computed
//! from these by `domain::rent_plan`, never stored.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;

use super::audit::insert_audit;
use super::leases::lease_household;
use super::paging::{Fetched, fetch_limit};
use super::replay::{plan_payment_records, plan_records};
use super::settlement::{Paid, check_plan_debt};
use super::sql::{
    corrupt, earlier_request, get_date, get_i64, get_money, get_str, get_time, get_uuid, ore,
    timestamp, unique_refusal,
};
use super::{Idempotency, Page, SqlStore, StoreError};
use crate::domain::audit::AuditEntry;
use crate::domain::calendar::YearMonth;
use crate::domain::money::Money;
use crate::domain::rent_plan::{
    PlanLength, PlanPaymentRecord, PlanPaymentSource, RentPlan, RentPlanDraft,
};

#[async_trait]
pub trait PlanStore: Send + Sync {
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
    /// The payment also pays down the plan's hyresskuld debt and resolves
    /// the notices it pays (`settlement`).
    async fn record_plan_payment(
        &self,
        plan_id: Uuid,
        date: NaiveDate,
        amount: Money,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError>;
    /// Names (`Some`) or clears (`None`) the hyresskuld debt that payments
    /// towards the plan settle; Invalid (`debt_id`) for a debt that is not
    /// an unsettled hyresskuld of the household to the lease's landlord.
    async fn set_rent_plan_debt(
        &self,
        plan_id: Uuid,
        debt_id: Option<Uuid>,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError>;
}

pub(super) fn plan_from_row(
    row: &AnyRow,
    payments: Vec<PlanPaymentRecord>,
) -> Result<RentPlan, StoreError> {
    let instalment: Option<i64> = row.try_get("instalment_ore")?;
    let months: Option<i64> = row.try_get("months")?;
    let length = match (instalment, months) {
        (Some(ore), None) => PlanLength::Instalment(Money::from_ore(ore)),
        (None, Some(n)) => PlanLength::Months(u32::try_from(n).map_err(|_| corrupt("months"))?),
        _ => return Err(corrupt("months")),
    };
    Ok(RentPlan {
        id: get_uuid(row, "id")?,
        household_id: get_uuid(row, "household_id")?,
        draft: RentPlanDraft {
            lease_id: get_uuid(row, "lease_id")?,
            arrears: get_money(row, "arrears_ore")?,
            start: YearMonth::parse(&get_str(row, "start_month")?)
                .ok_or_else(|| corrupt("start_month"))?,
            length,
            broken_after: u32::try_from(get_i64(row, "broken_after")?)
                .map_err(|_| corrupt("broken_after"))?,
            debt_id: {
                let text: Option<String> = row.try_get("debt_id")?;
                text.map(|t| Uuid::parse_str(&t).map_err(|_| corrupt("debt_id")))
                    .transpose()?
            },
        },
        payments,
        created_at: get_time(row, "created_at")?,
        created_by: get_str(row, "created_by")?,
    })
}

pub(super) fn payment_from_row(row: &AnyRow) -> Result<PlanPaymentRecord, StoreError> {
    Ok(PlanPaymentRecord {
        id: get_uuid(row, "id")?,
        source: PlanPaymentSource::from_str_opt(&get_str(row, "source")?)
            .ok_or_else(|| corrupt("source"))?,
        date: get_date(row, "paid_on")?,
        amount: get_money(row, "amount_ore")?,
        recorded_by: get_str(row, "recorded_by")?,
        recorded_at: get_time(row, "recorded_at")?,
    })
}

/// Plans' payments by date, each with its `plan_id`: those recorded on the
/// plan, and the ledger's arrears payouts (unless reversed) and receipts
/// tied to it, of the plans `filter` (a condition on `plan_id`) chooses.
fn payments_sql(filter: &str) -> String {
    format!(
        "SELECT plan_id, id, 'plan' AS source, paid_on, amount_ore, recorded_by, recorded_at \
         FROM rent_plan_payments WHERE {filter} \
         UNION ALL \
         SELECT p.plan_id, p.id, 'payout', p.payout_date, p.amount_ore, p.recorded_by, p.recorded_at \
         FROM rent_payouts p WHERE {filter} \
         AND NOT EXISTS (SELECT 1 FROM voided_payouts r WHERE r.payout_id = p.id) \
         UNION ALL \
         SELECT plan_id, id, 'receipt', paid_date, amount_ore, recorded_by, recorded_at \
         FROM rent_receipts WHERE {filter} \
         ORDER BY paid_on, id"
    )
}

impl SqlStore {
    /// A plan's payments by date (`payments_sql`).
    async fn payments_of(&self, plan_id: Uuid) -> Result<Vec<PlanPaymentRecord>, StoreError> {
        sqlx::query(AssertSqlSafe(payments_sql("plan_id = $1")))
            .bind(plan_id.to_string())
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(payment_from_row)
            .collect()
    }

    /// Every plan with its payments, in three statements whatever their
    /// number (the alert sweep's read), by id.
    pub(super) async fn all_rent_plans(&self) -> Result<Vec<RentPlan>, StoreError> {
        let mut payments: HashMap<Uuid, Vec<PlanPaymentRecord>> = HashMap::new();
        for row in sqlx::query(AssertSqlSafe(payments_sql("plan_id IS NOT NULL")))
            .fetch_all(self.pool())
            .await?
        {
            payments
                .entry(get_uuid(&row, "plan_id")?)
                .or_default()
                .push(payment_from_row(&row)?);
        }
        sqlx::query(
            "SELECT id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by, debt_id \
             FROM rent_plans ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| plan_from_row(row, payments.remove(&get_uuid(row, "id")?).unwrap_or_default()))
        .collect()
    }

    /// The plan a request id created; REQUEST_ID_REUSED for another request.
    async fn plan_of_request(
        &self,
        idempotency: &Idempotency,
    ) -> Result<Option<RentPlan>, StoreError> {
        let row = earlier_request(
            self.pool(),
            "SELECT id, request_hash FROM rent_plans WHERE request_id = $1",
            idempotency,
        )
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(self.get_rent_plan(get_uuid(&row, "id")?).await?)),
        }
    }
}

#[async_trait]
impl PlanStore for SqlStore {
    async fn get_rent_plan(&self, id: Uuid) -> Result<RentPlan, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by, debt_id \
                 FROM rent_plans WHERE id = $1",
                id,
                "rent payment plan",
            )
            .await?;
        plan_from_row(&row, self.payments_of(id).await?)
    }

    async fn create_rent_plan(
        &self,
        draft: &RentPlanDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError> {
        if let Some(plan) = self.plan_of_request(idempotency).await? {
            return self.replayed_plan(audit, plan).await;
        }
        let mut tx = self.begin_write().await?;
        let household_id = lease_household(&mut tx, draft.lease_id)
            .await?
            .ok_or(StoreError::NotFound { resource: "lease" })?;
        if let Some(debt_id) = draft.debt_id {
            check_plan_debt(&mut tx, draft.lease_id, debt_id, "debt_id").await?;
        }
        let (instalment, months) = match draft.length {
            PlanLength::Instalment(amount) => (Some(ore(amount, "an instalment")?), None),
            PlanLength::Months(n) => (None, Some(i64::from(n))),
        };
        let id = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO rent_plans (id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by, request_id, request_hash, debt_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id.to_string())
        .bind(draft.lease_id.to_string())
        .bind(household_id.to_string())
        .bind(ore(draft.arrears, "arrears")?)
        .bind(draft.start.to_string())
        .bind(instalment)
        .bind(months)
        .bind(i64::from(draft.broken_after))
        .bind(timestamp(audit.at))
        .bind(audit.caller.clone())
        .bind(idempotency.request_id.to_string())
        .bind(idempotency.request_hash.clone())
        .bind(draft.debt_id.map(|d| d.to_string()))
        .execute(&mut *tx)
        .await;
        if let Err(e) = unique_refusal(inserted)? {
            drop(tx);
            let plan = self.plan_of_request(idempotency).await?.ok_or(e)?;
            return self.replayed_plan(audit, plan).await;
        }
        let audit = audit.with_records(plan_records(id, draft.lease_id));
        insert_audit(&mut tx, &audit, Some(household_id)).await?;
        tx.commit().await?;
        Ok(RentPlan {
            id,
            household_id,
            draft: draft.clone(),
            payments: Vec::new(),
            created_at: audit.at,
            created_by: audit.caller.clone(),
        })
    }

    async fn list_rent_plans(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPlan>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by, debt_id \
             FROM rent_plans WHERE household_id = $1 AND ($2 = '' OR id > $2) ORDER BY id LIMIT $3",
        )
        .bind(household_id.to_string())
        .bind(after.map(|u| u.to_string()).unwrap_or_default())
        .bind(fetch_limit(limit))
        .fetch_all(self.reads())
        .await?;
        let rows = Fetched::new(rows, limit);
        let mut items = Vec::with_capacity(rows.rows().len());
        for row in rows.rows() {
            let payments = self.payments_of(get_uuid(row, "id")?).await?;
            items.push(plan_from_row(row, payments)?);
        }
        Ok(rows.page(items, |p| p.id.to_string()))
    }

    async fn record_plan_payment(
        &self,
        plan_id: Uuid,
        date: NaiveDate,
        amount: Money,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError> {
        let earlier = earlier_request(
            self.pool(),
            "SELECT id, plan_id, request_hash FROM rent_plan_payments WHERE request_id = $1",
            idempotency,
        )
        .await?;
        if let Some(row) = earlier {
            let (plan, payment) = (get_uuid(&row, "plan_id")?, get_uuid(&row, "id")?);
            return self.replayed_plan_payment(audit, plan, payment).await;
        }
        let mut tx = self.begin_write().await?;
        let plan = sqlx::query("SELECT household_id, lease_id FROM rent_plans WHERE id = $1")
            .bind(plan_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                resource: "rent payment plan",
            })?;
        let household_id = get_uuid(&plan, "household_id")?;
        let payment_id = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO rent_plan_payments (id, plan_id, paid_on, amount_ore, recorded_by, recorded_at, request_id, request_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(payment_id.to_string())
        .bind(plan_id.to_string())
        .bind(date.format("%Y-%m-%d").to_string())
        .bind(ore(amount, "a payment")?)
        .bind(audit.caller.clone())
        .bind(timestamp(audit.at))
        .bind(idempotency.request_id.to_string())
        .bind(idempotency.request_hash.clone())
        .execute(&mut *tx)
        .await;
        if let Err(e) = unique_refusal(inserted)? {
            drop(tx);
            // The same request id, committed by a concurrent call meanwhile.
            let earlier = earlier_request(
                self.pool(),
                "SELECT id, plan_id, request_hash FROM rent_plan_payments WHERE request_id = $1",
                idempotency,
            )
            .await?
            .ok_or(e)?;
            let (plan, payment) = (get_uuid(&earlier, "plan_id")?, get_uuid(&earlier, "id")?);
            return self.replayed_plan_payment(audit, plan, payment).await;
        }
        let audit = audit.with_records(plan_payment_records(plan_id, payment_id));
        let paid = Paid {
            entry: payment_id,
            lease_id: get_uuid(&plan, "lease_id")?,
            plan_id: Some(plan_id),
            amount,
            date,
            note: "plan payment",
        };
        self.settle(&mut tx, Some(paid), &audit, household_id)
            .await?;
        tx.commit().await?;
        self.get_rent_plan(plan_id).await
    }

    async fn set_rent_plan_debt(
        &self,
        plan_id: Uuid,
        debt_id: Option<Uuid>,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError> {
        let mut tx = self.begin_write().await?;
        let plan = sqlx::query("SELECT household_id, lease_id FROM rent_plans WHERE id = $1")
            .bind(plan_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                resource: "rent payment plan",
            })?;
        let household_id = get_uuid(&plan, "household_id")?;
        let lease_id = get_uuid(&plan, "lease_id")?;
        if let Some(debt_id) = debt_id {
            check_plan_debt(&mut tx, lease_id, debt_id, "debt_id")
                .await
                .map_err(|e| e.about(household_id))?;
        }
        sqlx::query("UPDATE rent_plans SET debt_id = $1 WHERE id = $2")
            .bind(debt_id.map(|d| d.to_string()))
            .bind(plan_id.to_string())
            .execute(&mut *tx)
            .await?;
        let audit = audit.with_records(plan_records(plan_id, lease_id));
        insert_audit(&mut tx, &audit, Some(household_id)).await?;
        tx.commit().await?;
        self.get_rent_plan(plan_id).await
    }
}
