//! The facts a batch of rent checks is computed from (DESIGN §3.7), read
//! set-based: a handful of queries per batch, however many households it
//! holds, never one query per household. The checks themselves are
//! computed from these facts by `domain::rent_check` and the caller.
//!
//! Each list is sent [`LIST_PARAMS`] values to a statement at most (see
//! there why), so a chunk of a thousand checks costs a few dozen short
//! statements.

use std::collections::HashMap;

use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::plans::{payment_from_row, plan_from_row};
use super::sql::{LIST_PARAMS, get_money, get_str, get_uuid, placeholders};
use super::{LeaseRents, LedgerAmount, PlanPaymentRecord, RentFacts, SqlStore, StoreError};
use crate::domain::calendar::YearMonth;
use crate::domain::identity::PersonalIdentityNumber;

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
        let mut found = HashMap::new();
        for part in pins.chunks(LIST_PARAMS) {
            let sql = format!(
                "SELECT household_id, personal_identity_number FROM household_members \
                 WHERE personal_identity_number IN ({})",
                placeholders(1, part.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for pin in part {
                query = query.bind(pin.as_str().to_owned());
            }
            for row in query.fetch_all(self.pool()).await? {
                found.insert(
                    get_str(&row, "personal_identity_number")?,
                    get_uuid(&row, "household_id")?,
                );
            }
        }
        Ok(found)
    }

    /// Which of these households exist.
    pub(super) async fn households_among(&self, ids: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
        let mut found = Vec::new();
        for part in ids.chunks(LIST_PARAMS) {
            let sql = format!(
                "SELECT id FROM households WHERE id IN ({})",
                placeholders(1, part.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in part {
                query = query.bind(id.to_string());
            }
            for row in query.fetch_all(self.pool()).await? {
                found.push(get_uuid(&row, "id")?);
            }
        }
        Ok(found)
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

        // A lease belongs to one household, so its rents all come in the
        // part that holds its household, in order.
        let mut leases: Vec<LeaseRents> = Vec::new();
        for part in ids.chunks(LIST_PARAMS) {
            let sql = format!(
                "SELECT l.id, l.household_id, r.from_month, r.rent_ore FROM leases l \
                 JOIN lease_rents r ON r.lease_id = l.id \
                 WHERE l.household_id IN ({}) ORDER BY l.id, r.from_month",
                placeholders(1, part.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in part {
                query = query.bind(id.clone());
            }
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
        }

        // The ledger by lease and month: the (lease_id, rent_month) index
        // answers a batch in a few milliseconds, where going by household
        // read every month of every household.
        let lease_ids: Vec<String> = leases.iter().map(|l| l.lease_id.to_string()).collect();
        let mut payouts = self.ledger_of("rent_payouts", &lease_ids, &months).await?;
        let mut receipts = self.ledger_of("rent_receipts", &lease_ids, &months).await?;
        payouts.sort_unstable_by_key(|e| e.id);
        receipts.sort_unstable_by_key(|e| e.id);

        let mut plan_rows = Vec::new();
        for part in ids.chunks(LIST_PARAMS) {
            let sql = format!(
                "SELECT id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by \
                 FROM rent_plans WHERE household_id IN ({})",
                placeholders(1, part.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in part {
                query = query.bind(id.clone());
            }
            plan_rows.extend(query.fetch_all(self.pool()).await?);
        }
        let mut payments = self
            .payments_of_plans(
                &plan_rows
                    .iter()
                    .map(|row| get_str(row, "id"))
                    .collect::<Result<Vec<_>, _>>()?,
            )
            .await?;
        let mut plans = plan_rows
            .iter()
            .map(|row| {
                let id = get_uuid(row, "id")?;
                plan_from_row(row, payments.remove(&id).unwrap_or_default())
            })
            .collect::<Result<Vec<_>, _>>()?;
        plans.sort_unstable_by_key(|p| p.id);
        Ok(RentFacts {
            leases,
            payouts,
            receipts,
            plans,
        })
    }

    /// The rent (not arrears) entries of `table` for these leases in these
    /// months; payouts without the reversed ones.
    async fn ledger_of(
        &self,
        table: &str,
        lease_ids: &[String],
        months: &[String],
    ) -> Result<Vec<LedgerAmount>, StoreError> {
        let unreversed = if table == "rent_payouts" {
            " AND NOT EXISTS (SELECT 1 FROM rent_payout_reversals r WHERE r.payout_id = t.id)"
        } else {
            ""
        };
        let mut entries = Vec::new();
        // Months are few (the months a chunk asks about); leases fill the
        // rest of each statement.
        for month_part in months.chunks(LIST_PARAMS / 4) {
            for lease_part in lease_ids.chunks(LIST_PARAMS - month_part.len()) {
                let sql = format!(
                    "SELECT t.id, t.lease_id, t.rent_month, t.amount_ore FROM {table} t \
                     WHERE t.kind = 'rent' AND t.lease_id IN ({}) \
                     AND t.rent_month IN ({}){unreversed}",
                    placeholders(1, lease_part.len()),
                    placeholders(lease_part.len() + 1, month_part.len()),
                );
                let mut query = sqlx::query(AssertSqlSafe(sql));
                for value in lease_part.iter().chain(month_part) {
                    query = query.bind(value.clone());
                }
                for row in query.fetch_all(self.pool()).await? {
                    entries.push(ledger_amount(&row)?);
                }
            }
        }
        Ok(entries)
    }

    /// The payments of many plans at once, as `payments_of` reads one's.
    async fn payments_of_plans(
        &self,
        plan_ids: &[String],
    ) -> Result<HashMap<Uuid, Vec<PlanPaymentRecord>>, StoreError> {
        let mut by_plan: HashMap<Uuid, Vec<PlanPaymentRecord>> = HashMap::new();
        for part in plan_ids.chunks(LIST_PARAMS) {
            let list = placeholders(1, part.len());
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
            for id in part {
                query = query.bind(id.clone());
            }
            // A plan's payments all come in the part that holds it, in order.
            for row in query.fetch_all(self.pool()).await? {
                by_plan
                    .entry(get_uuid(&row, "plan_id")?)
                    .or_default()
                    .push(payment_from_row(&row)?);
            }
        }
        Ok(by_plan)
    }
}
