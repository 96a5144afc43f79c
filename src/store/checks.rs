//! The facts a batch of rent checks is computed from (DESIGN §3.7), read
//! set-based: a handful of queries per batch, however many households it
//! holds, never one query per household. The checks themselves are
//! computed from these facts by `domain::rent_check` and the caller.

use std::collections::HashMap;

use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::plans::{payment_from_row, plan_from_row};
use super::sql::{get_money, get_str, get_uuid};
use super::{LeaseRents, LedgerAmount, PlanPaymentRecord, RentFacts, SqlStore, StoreError};
use crate::domain::calendar::YearMonth;
use crate::domain::identity::PersonalIdentityNumber;

/// `$first, $first+1, …` for `count` values: the placeholders of an `IN`
/// list. Only placeholders go into the SQL text, never a value.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn month_of(row: &AnyRow, column: &str) -> Result<YearMonth, StoreError> {
    YearMonth::parse(&get_str(row, column)?).ok_or_else(|| super::sql::corrupt(column))
}

fn ledger_amount(row: &AnyRow) -> Result<LedgerAmount, StoreError> {
    Ok(LedgerAmount {
        id: get_uuid(row, "id")?,
        lease_id: get_uuid(row, "lease_id")?,
        month: month_of(row, "rent_month")?,
        amount: get_money(row, "amount_ore")?,
    })
}

impl SqlStore {
    /// The households of the members with these numbers, by number (12
    /// digits); numbers no member has are left out.
    pub(super) async fn households_of(
        &self,
        pins: &[PersonalIdentityNumber],
    ) -> Result<HashMap<String, Uuid>, StoreError> {
        if pins.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT household_id, personal_identity_number FROM household_members \
             WHERE personal_identity_number IN ({})",
            placeholders(1, pins.len())
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for pin in pins {
            query = query.bind(pin.as_str().to_owned());
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok((
                    get_str(row, "personal_identity_number")?,
                    get_uuid(row, "household_id")?,
                ))
            })
            .collect()
    }

    /// Which of these households exist.
    pub(super) async fn households_among(&self, ids: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id FROM households WHERE id IN ({})",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id.to_string());
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| get_uuid(row, "id"))
            .collect()
    }

    pub(super) async fn facts_of(
        &self,
        households: &[Uuid],
        months: &[YearMonth],
    ) -> Result<RentFacts, StoreError> {
        if households.is_empty() || months.is_empty() {
            return Ok(RentFacts::default());
        }
        let ids: Vec<String> = households.iter().map(Uuid::to_string).collect();
        let months: Vec<String> = months.iter().map(YearMonth::to_string).collect();
        let in_households = placeholders(1, ids.len());

        let sql = format!(
            "SELECT l.id, l.household_id, r.from_month, r.rent_ore FROM leases l \
             JOIN lease_rents r ON r.lease_id = l.id \
             WHERE l.household_id IN ({in_households}) ORDER BY l.id, r.from_month"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in &ids {
            query = query.bind(id.clone());
        }
        let mut leases: Vec<LeaseRents> = Vec::new();
        for row in query.fetch_all(self.pool()).await? {
            let id = get_uuid(&row, "id")?;
            let rent = (month_of(&row, "from_month")?, get_money(&row, "rent_ore")?);
            match leases.last_mut() {
                Some(last) if last.lease_id == id => last.rents.push(rent),
                _ => leases.push(LeaseRents {
                    lease_id: id,
                    household_id: get_uuid(&row, "household_id")?,
                    rents: vec![rent],
                }),
            }
        }

        // The ledger by lease and month: the (lease_id, rent_month) index
        // answers a batch in a few milliseconds, where going by household
        // read every month of every household.
        let lease_ids: Vec<String> = leases.iter().map(|l| l.lease_id.to_string()).collect();
        let in_leases = placeholders(1, lease_ids.len());
        let in_months = placeholders(lease_ids.len() + 1, months.len());
        let ledger = |table: &str| {
            let sql = format!(
                "SELECT t.id, t.lease_id, t.rent_month, t.amount_ore FROM {table} t \
                 WHERE t.kind = 'rent' AND t.lease_id IN ({in_leases}) \
                 AND t.rent_month IN ({in_months}){} ORDER BY t.id",
                if table == "rent_payouts" {
                    " AND NOT EXISTS (SELECT 1 FROM rent_payout_reversals r WHERE r.payout_id = t.id)"
                } else {
                    ""
                }
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for value in lease_ids.iter().chain(months.iter()) {
                query = query.bind(value.clone());
            }
            query
        };
        let (payouts, receipts) = if lease_ids.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (
                ledger("rent_payouts")
                    .fetch_all(self.pool())
                    .await?
                    .iter()
                    .map(ledger_amount)
                    .collect::<Result<Vec<_>, _>>()?,
                ledger("rent_receipts")
                    .fetch_all(self.pool())
                    .await?
                    .iter()
                    .map(ledger_amount)
                    .collect::<Result<Vec<_>, _>>()?,
            )
        };
        let sql = format!(
            "SELECT id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by \
             FROM rent_plans WHERE household_id IN ({in_households}) ORDER BY id"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in &ids {
            query = query.bind(id.clone());
        }
        let plan_rows = query.fetch_all(self.pool()).await?;
        let mut payments = self
            .payments_of_plans(
                &plan_rows
                    .iter()
                    .map(|row| get_str(row, "id"))
                    .collect::<Result<Vec<_>, _>>()?,
            )
            .await?;
        let plans = plan_rows
            .iter()
            .map(|row| {
                let id = get_uuid(row, "id")?;
                plan_from_row(row, payments.remove(&id).unwrap_or_default())
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RentFacts {
            leases,
            payouts,
            receipts,
            plans,
        })
    }

    /// The payments of many plans at once, as `payments_of` reads one's.
    async fn payments_of_plans(
        &self,
        plan_ids: &[String],
    ) -> Result<HashMap<Uuid, Vec<PlanPaymentRecord>>, StoreError> {
        let mut by_plan: HashMap<Uuid, Vec<PlanPaymentRecord>> = HashMap::new();
        if plan_ids.is_empty() {
            return Ok(by_plan);
        }
        let list = placeholders(1, plan_ids.len());
        let sql = format!(
            "SELECT plan_id, id, 'plan' AS source, paid_on, amount_ore, recorded_by, recorded_at \
             FROM rent_plan_payments WHERE plan_id IN ({list}) \
             UNION ALL \
             SELECT p.plan_id, p.id, 'payout', p.payout_date, p.amount_ore, p.recorded_by, p.recorded_at \
             FROM rent_payouts p WHERE p.plan_id IN ({list}) \
             AND NOT EXISTS (SELECT 1 FROM rent_payout_reversals r WHERE r.payout_id = p.id) \
             UNION ALL \
             SELECT plan_id, id, 'receipt', paid_date, amount_ore, recorded_by, recorded_at \
             FROM rent_receipts WHERE plan_id IN ({list}) \
             ORDER BY paid_on, id"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in plan_ids {
            query = query.bind(id.clone());
        }
        for row in query.fetch_all(self.pool()).await? {
            by_plan
                .entry(get_uuid(&row, "plan_id")?)
                .or_default()
                .push(payment_from_row(&row)?);
        }
        Ok(by_plan)
    }
}
