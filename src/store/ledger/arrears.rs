//! The open arrears on a lease, read under its lock for an arrears payout:
//! what its rent-arrears plans still have open, and what the household's
//! unsettled hyresskuld debts to its landlord do, for
//! `domain::ledger::open_arrears` to weigh. Three small reads, not a
//! statement per plan: a lease has a plan or two.

use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use crate::domain::ledger::{DebtArrears, PlanArrears, open_arrears};
use crate::domain::money::Money;
use crate::store::StoreError;
use crate::store::sql::get_money;

/// What was owed and paid towards each of a lease's ($1) rent-arrears
/// plans: the payments the plan's tracking counts (`plans::payments_of`).
const PLAN_ARREARS: &str = "SELECT pl.arrears_ore, \
       (SELECT CAST(COALESCE(SUM(m.amount_ore), 0) AS BIGINT) FROM rent_plan_payments m \
        WHERE m.plan_id = pl.id) AS by_plan, \
       (SELECT CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) FROM rent_payouts p \
        WHERE p.plan_id = pl.id \
        AND NOT EXISTS (SELECT 1 FROM voided_payouts r WHERE r.payout_id = p.id)) AS by_payouts, \
       (SELECT CAST(COALESCE(SUM(c.amount_ore), 0) AS BIGINT) FROM rent_receipts c \
        WHERE c.plan_id = pl.id) AS by_receipts \
     FROM rent_plans pl WHERE pl.lease_id = $1";

/// The household's unsettled hyresskuld debts to the lease's ($1)
/// landlord, by organisationsnummer: their balances and the oldest one's
/// registration.
const DEBT_ARREARS: &str = "SELECT CAST(COALESCE(SUM(d.balance_ore), 0) AS BIGINT) AS balance_ore, \
       MIN(d.created_at) AS since \
     FROM leases s JOIN landlords l ON l.id = s.landlord_id \
     JOIN debts d ON d.household_id = s.household_id \
     WHERE s.id = $1 AND d.kind = 'hyresskuld' AND d.status <> 'settled' \
     AND d.creditor_organisation_number = l.organisation_number";

/// Every arrears payment on the lease ($1) recorded at or after $2: its
/// arrears payouts (not reversed), its arrears receipts and the payments of
/// its plans, whether they count towards a plan or not; except those that
/// paid a debt down already (a debt event names them as its evidence), whose
/// debt's balance has them subtracted.
const PAID_SINCE: &str = "SELECT \
       (SELECT CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) FROM rent_payouts p \
        WHERE p.lease_id = $1 AND p.kind = 'arrears' AND p.recorded_at >= $2 \
        AND NOT EXISTS (SELECT 1 FROM voided_payouts r WHERE r.payout_id = p.id) \
        AND NOT EXISTS (SELECT 1 FROM debt_events e WHERE e.evidence_id = p.id)) AS by_payouts, \
       (SELECT CAST(COALESCE(SUM(c.amount_ore), 0) AS BIGINT) FROM rent_receipts c \
        WHERE c.lease_id = $1 AND c.kind = 'arrears' AND c.recorded_at >= $2 \
        AND NOT EXISTS (SELECT 1 FROM debt_events e WHERE e.evidence_id = c.id)) AS by_receipts, \
       (SELECT CAST(COALESCE(SUM(m.amount_ore), 0) AS BIGINT) FROM rent_plan_payments m \
        JOIN rent_plans pl ON pl.id = m.plan_id \
        WHERE pl.lease_id = $1 AND m.recorded_at >= $2 \
        AND NOT EXISTS (SELECT 1 FROM debt_events e WHERE e.evidence_id = m.id)) AS by_plans";

/// The lease's open arrears ([`open_arrears`]), read under its lock.
pub(super) async fn read_open_arrears(
    tx: &mut Transaction<'static, Any>,
    lease_id: Uuid,
) -> Result<Money, StoreError> {
    let plans = sqlx::query(PLAN_ARREARS)
        .bind(lease_id.to_string())
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| {
            Ok(PlanArrears {
                arrears: get_money(row, "arrears_ore")?,
                paid: get_money(row, "by_plan")?
                    + get_money(row, "by_payouts")?
                    + get_money(row, "by_receipts")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let debts = sqlx::query(DEBT_ARREARS)
        .bind(lease_id.to_string())
        .fetch_one(&mut **tx)
        .await?;
    let since: Option<String> = debts.try_get("since")?;
    let paid_since = match since {
        // No such debt: nothing to subtract from.
        None => Money::ZERO,
        Some(since) => {
            let paid = sqlx::query(PAID_SINCE)
                .bind(lease_id.to_string())
                .bind(since)
                .fetch_one(&mut **tx)
                .await?;
            get_money(&paid, "by_payouts")?
                + get_money(&paid, "by_receipts")?
                + get_money(&paid, "by_plans")?
        }
    };
    Ok(open_arrears(
        &plans,
        DebtArrears {
            balance: get_money(&debts, "balance_ore")?,
            paid_since,
        },
    ))
}
