//! The monthly follow-up's counts (issue 22): set-based SQL over the
//! households of the caller's units, the same text on SQLite and
//! PostgreSQL but for the difference of two dates. Read through
//! [`SqlStore::reads`], so a call inside
//! [`reads_may_lag`](super::reads_may_lag) may be answered by the replica.
//!
//! Each statement computes one group of measures; what a measure counts is
//! `domain::followup::DEFINITIONS`, and the statements here are its SQL.
//! The plans' month is the one group not counted in SQL: the store reads
//! the plans, their rents and payments in three statements and the
//! domain's plan rules say where each stood (`domain::followup::plan_month`).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{NaiveDate, TimeZone};
use sqlx::{AssertSqlSafe, Row};

use super::sql::{corrupt, get_i64, get_str, timestamp};
use super::{Backend, SqlStore, Store, StoreError};
use crate::domain::calendar::YearMonth;
use crate::domain::followup::{Middle, MonthFacts, PlanFacts, RESOLUTIONS, Stay, plan_month, rung};
use crate::domain::lease::ContractType;
use crate::domain::money::Money;
use crate::domain::rent_plan::RentChange;
use crate::domain::rent_plan::schedule::PlanTerms;
use crate::domain::rent_plan::tracking::Payment;
use crate::domain::unit::Units;

#[async_trait]
pub trait FollowUpStore: Send + Sync {
    /// The month's counts over the households of `units`; `today` bounds
    /// the plans' month (an instalment not yet due is not counted).
    async fn month_facts(
        &self,
        units: &Units,
        month: YearMonth,
        today: NaiveDate,
    ) -> Result<MonthFacts, StoreError>;
}

/// The households the caller sees, as a CTE: `$1` is `Units::sql_param`.
const VISIBLE: &str = concat!(
    "vis AS (SELECT id FROM households h WHERE ",
    unit_visible!("h.unit", "$1"),
    ")"
);

/// Each lease's start month: its first rent.
const STARTS: &str =
    "starts AS (SELECT lease_id, MIN(from_month) AS start FROM lease_rents GROUP BY lease_id)";

/// `$2` first day, `$3` last day of the month.
fn notices_sql() -> String {
    format!(
        "WITH {VISIBLE} SELECT \
         COALESCE(SUM(CASE WHEN n.served_on BETWEEN $2 AND $3 THEN 1 ELSE 0 END), 0) AS received, \
         COALESCE(SUM(CASE WHEN n.resolved_on BETWEEN $2 AND $3 AND n.resolution = 'paid' THEN 1 ELSE 0 END), 0) AS r0, \
         COALESCE(SUM(CASE WHEN n.resolved_on BETWEEN $2 AND $3 AND n.resolution = 'plan_agreed' THEN 1 ELSE 0 END), 0) AS r1, \
         COALESCE(SUM(CASE WHEN n.resolved_on BETWEEN $2 AND $3 AND n.resolution = 'other' THEN 1 ELSE 0 END), 0) AS r2, \
         COALESCE(SUM(CASE WHEN n.resolved_on BETWEEN $2 AND $3 AND n.resolution = 'paid_within_deadline' THEN 1 ELSE 0 END), 0) AS r3, \
         COALESCE(SUM(CASE WHEN n.resolved_on BETWEEN $2 AND $3 AND n.resolved_on <= n.deadline THEN 1 ELSE 0 END), 0) AS within, \
         COUNT(DISTINCT CASE WHEN n.served_on BETWEEN $2 AND $3 AND EXISTS (SELECT 1 FROM household_members m \
           WHERE m.household_id = n.household_id AND m.role = 'child') THEN n.household_id END) AS children \
         FROM eviction_notices n WHERE n.household_id IN (SELECT id FROM vis) \
         AND (n.served_on BETWEEN $2 AND $3 OR n.resolved_on BETWEEN $2 AND $3)"
    )
}

/// The days from a notice's service to its first action, median: `$2`,
/// `$3` the month's days.
fn notice_days_sql(backend: Backend) -> String {
    let days = match backend {
        Backend::Sqlite => "CAST(julianday(d) - julianday(served_on) AS INTEGER)",
        Backend::Postgres => "(CAST(d AS DATE) - CAST(served_on AS DATE))",
    };
    format!(
        "WITH {VISIBLE}, \
         served AS (SELECT n.id, n.lease_id, n.served_on, n.resolved_on FROM eviction_notices n \
           WHERE n.household_id IN (SELECT id FROM vis) AND n.served_on BETWEEN $2 AND $3), \
         acts AS (SELECT id, served_on, resolved_on AS d FROM served WHERE resolved_on IS NOT NULL \
           UNION ALL SELECT s.id, s.served_on, substr(p.created_at, 1, 10) FROM served s \
             JOIN rent_plans p ON p.lease_id = s.lease_id WHERE substr(p.created_at, 1, 10) >= s.served_on \
           UNION ALL SELECT s.id, s.served_on, t.payout_date FROM served s \
             JOIN rent_payouts t ON t.lease_id = s.lease_id WHERE t.kind = 'arrears' AND t.payout_date >= s.served_on \
           UNION ALL SELECT s.id, s.served_on, t.paid_date FROM served s \
             JOIN rent_receipts t ON t.lease_id = s.lease_id WHERE t.kind = 'arrears' AND t.paid_date >= s.served_on), \
         firsts AS (SELECT id, served_on, MIN(d) AS d FROM acts GROUP BY id, served_on), \
         days AS (SELECT {days} AS days FROM firsts), \
         o AS (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS n FROM days) \
         SELECT COALESCE(MAX(n), 0) AS cases, CAST(COALESCE(SUM(days), 0) AS BIGINT) AS msum, COUNT(*) AS mcount \
         FROM o WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2"
    )
}

/// The plans begun by the month (`$2`): their terms, rents and payments
/// dated by `$3`.
fn plans_sql() -> String {
    format!(
        "WITH {VISIBLE} SELECT p.id, p.arrears_ore, p.start_month, p.instalment_ore, p.months, p.broken_after \
         FROM rent_plans p WHERE p.household_id IN (SELECT id FROM vis) AND p.start_month <= $2"
    )
}

fn plan_rents_sql() -> String {
    format!(
        "WITH {VISIBLE} SELECT p.id, r.from_month, r.rent_ore FROM rent_plans p \
         JOIN lease_rents r ON r.lease_id = p.lease_id \
         WHERE p.household_id IN (SELECT id FROM vis) AND p.start_month <= $2"
    )
}

fn plan_payments_sql() -> String {
    format!(
        "WITH {VISIBLE}, plans AS (SELECT p.id FROM rent_plans p \
           WHERE p.household_id IN (SELECT id FROM vis) AND p.start_month <= $2) \
         SELECT x.plan_id AS id, x.paid_on, x.amount_ore FROM ( \
           SELECT plan_id, paid_on, amount_ore FROM rent_plan_payments \
           UNION ALL SELECT t.plan_id, t.payout_date, t.amount_ore FROM rent_payouts t \
             WHERE t.plan_id IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM voided_payouts v WHERE v.payout_id = t.id) \
           UNION ALL SELECT plan_id, paid_date, amount_ore FROM rent_receipts WHERE plan_id IS NOT NULL \
         ) x WHERE x.plan_id IN (SELECT id FROM plans) AND x.paid_on <= $3"
    )
}

/// Payouts by kind dated in the month (`$2`, `$3`), and the bank's
/// rejections and returns recorded in it (`$4`, `$5`: its instants).
fn payouts_sql() -> String {
    format!(
        "WITH {VISIBLE} SELECT 'payout' AS what, t.kind, COUNT(*) AS n, CAST(COALESCE(SUM(t.amount_ore), 0) AS BIGINT) AS total \
         FROM rent_payouts t WHERE t.household_id IN (SELECT id FROM vis) \
         AND t.payout_date BETWEEN $2 AND $3 \
         AND NOT EXISTS (SELECT 1 FROM rent_payout_reversals r WHERE r.payout_id = t.id) \
         GROUP BY t.kind \
         UNION ALL SELECT 'bank', s.state, COUNT(DISTINCT s.payout_id), CAST(0 AS BIGINT) FROM payout_bank_states s \
         JOIN rent_payouts t ON t.id = s.payout_id \
         WHERE t.household_id IN (SELECT id FROM vis) AND s.state IN ('rejected', 'returned') \
         AND s.recorded_at >= $4 AND s.recorded_at < $5 GROUP BY s.state"
    )
}

/// The leases running in a month (`$month`, a placeholder): the newest
/// begun by it and not ended before it, per household, as CTE `name`.
fn current_cte(name: &str, month: &str) -> String {
    format!(
        "{name}_all AS (SELECT l.id, l.household_id, l.contract_type, \
           ROW_NUMBER() OVER (PARTITION BY l.household_id ORDER BY s.start DESC, l.id DESC) AS k \
           FROM leases l JOIN starts s ON s.lease_id = l.id \
           WHERE l.household_id IN (SELECT id FROM vis) AND s.start <= {month} \
           AND (l.end_month IS NULL OR l.end_month >= {month})), \
         {name} AS (SELECT id, household_id, contract_type FROM {name}_all WHERE k = 1)"
    )
}

/// A month's rent and what covers it, per household of CTE `current`:
/// set-wise, each lease's rent month by a GROUP BY and the month's payouts
/// (not voided) and receipts summed per lease once, joined to the leases
/// (no subquery per lease: on PostgreSQL those ran for minutes).
fn status_cte(name: &str, current: &str, month: &str) -> String {
    format!(
        "{name}_from AS (SELECT r.lease_id, MAX(r.from_month) AS f FROM lease_rents r \
           JOIN {current} c ON c.id = r.lease_id WHERE r.from_month <= {month} GROUP BY r.lease_id), \
         {name}_paid AS (SELECT t.lease_id, SUM(t.amount_ore) AS s FROM rent_payouts t \
           JOIN {current} c ON c.id = t.lease_id WHERE t.rent_month = {month} AND t.kind = 'rent' \
           AND NOT EXISTS (SELECT 1 FROM voided_payouts v WHERE v.payout_id = t.id) \
           GROUP BY t.lease_id), \
         {name}_received AS (SELECT t.lease_id, SUM(t.amount_ore) AS s FROM rent_receipts t \
           JOIN {current} c ON c.id = t.lease_id WHERE t.rent_month = {month} AND t.kind = 'rent' \
           GROUP BY t.lease_id), \
         {name} AS (SELECT c.household_id, r.rent_ore AS rent, \
           COALESCE(p.s, 0) + COALESCE(q.s, 0) AS covered \
           FROM {current} c \
           LEFT JOIN {name}_from f ON f.lease_id = c.id \
           LEFT JOIN lease_rents r ON r.lease_id = f.lease_id AND r.from_month = f.f \
           LEFT JOIN {name}_paid p ON p.lease_id = c.id \
           LEFT JOIN {name}_received q ON q.lease_id = c.id)"
    )
}

/// Rent status in the month `$2` and households unpaid in it and in `$3`,
/// the month before.
fn rent_status_sql() -> String {
    format!(
        "WITH {VISIBLE}, {STARTS}, {}, {}, {}, {} SELECT \
         COALESCE(SUM(CASE WHEN rent > 0 AND covered >= rent THEN 1 ELSE 0 END), 0) AS paid, \
         COALESCE(SUM(CASE WHEN rent > 0 AND covered > 0 AND covered < rent THEN 1 ELSE 0 END), 0) AS partly, \
         COALESCE(SUM(CASE WHEN rent > 0 AND covered = 0 THEN 1 ELSE 0 END), 0) AS not_paid, \
         (SELECT COUNT(*) FROM st_now a JOIN st_before b ON b.household_id = a.household_id \
           WHERE a.rent > 0 AND a.covered = 0 AND b.rent > 0 AND b.covered = 0) AS two_unpaid \
         FROM st_now",
        current_cte("cur_now", "$2"),
        current_cte("cur_before", "$3"),
        status_cte("st_now", "cur_now", "$2"),
        status_cte("st_before", "cur_before", "$3"),
    )
}

/// Households by the contract type of their lease running in `$2`.
fn contracts_sql() -> String {
    format!(
        "WITH {VISIBLE}, {STARTS}, {} SELECT contract_type, COUNT(*) AS n FROM cur GROUP BY contract_type",
        current_cte("cur", "$2")
    )
}

/// The leases begun in `$2` and the contract type of each one's
/// household's previous lease (begun last before it, by start month then
/// id): the moves, counted by pair of types. Set-wise, by `LAG` over each
/// household's leases in that order (a subquery per lease took 7.7 s on
/// SQLite at 2 000 households, and grows with the square).
fn moves_sql() -> String {
    format!(
        "WITH {VISIBLE}, {STARTS}, \
         ordered AS (SELECT l.contract_type AS now_type, s.start, \
           LAG(l.contract_type) OVER (PARTITION BY l.household_id ORDER BY s.start, l.id) AS before_type \
           FROM leases l JOIN starts s ON s.lease_id = l.id WHERE l.household_id IN (SELECT id FROM vis)) \
         SELECT now_type, before_type, COUNT(*) AS n FROM ordered \
         WHERE start = $2 AND before_type IS NOT NULL GROUP BY now_type, before_type"
    )
}

/// Length of stay per contract type of the leases that ran in `$2`, whose
/// month index (year × 12 + month) is `$3`.
fn stay_sql() -> String {
    format!(
        "WITH {VISIBLE}, {STARTS}, \
         stays AS (SELECT l.contract_type AS t, \
           ($3 - (CAST(substr(s.start, 1, 4) AS INTEGER) * 12 + CAST(substr(s.start, 6, 2) AS INTEGER)) + 1) AS months \
           FROM leases l JOIN starts s ON s.lease_id = l.id \
           WHERE l.household_id IN (SELECT id FROM vis) AND s.start <= $2 \
           AND (l.end_month IS NULL OR l.end_month >= $2)), \
         o AS (SELECT t, months, ROW_NUMBER() OVER (PARTITION BY t ORDER BY months) AS rn, \
           COUNT(*) OVER (PARTITION BY t) AS n FROM stays) \
         SELECT t, COUNT(*) AS cases, CAST(SUM(months) AS BIGINT) AS total, \
           CAST(SUM(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN months ELSE 0 END) AS BIGINT) AS msum, \
           CAST(SUM(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN 1 ELSE 0 END) AS BIGINT) AS mcount \
         FROM o GROUP BY t"
    )
}

/// Debt households by `$2` (the instant after the month), and the
/// households an overview or an estimate was made for from `$3` to `$2`.
fn debts_sql() -> String {
    format!(
        "WITH {VISIBLE} SELECT \
         (SELECT COUNT(DISTINCT d.household_id) FROM debts d \
           WHERE d.household_id IN (SELECT id FROM vis) AND d.created_at < $2) AS debts, \
         (SELECT COUNT(DISTINCT a.household_id) FROM audit_events a \
           WHERE a.household_id IN (SELECT id FROM vis) AND a.outcome = 'OK' \
           AND a.method = 'budgetrad.v1.DebtService/GetDebtOverview' \
           AND a.occurred_at >= $3 AND a.occurred_at < $2) AS offers, \
         (SELECT COUNT(DISTINCT a.household_id) FROM audit_events a \
           WHERE a.household_id IN (SELECT id FROM vis) AND a.outcome = 'OK' \
           AND a.method = 'budgetrad.v1.DebtService/EstimateDebtRestructuring' \
           AND a.occurred_at >= $3 AND a.occurred_at < $2) AS estimates"
    )
}

/// The instant a civil day begins in Sweden, as the store writes instants.
fn day_start(day: NaiveDate) -> String {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let instant = chrono_tz::Europe::Stockholm
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| local.and_utc());
    timestamp(instant)
}

/// A month's index for whole-month arithmetic: year × 12 + month.
fn month_index(month: YearMonth) -> i64 {
    i64::from(month.year()) * 12 + i64::from(month.month())
}

fn contract_index(text: &str) -> Result<usize, StoreError> {
    ContractType::ALL
        .iter()
        .position(|c| c.as_str() == text)
        .ok_or_else(|| corrupt("contract_type"))
}

#[async_trait]
impl FollowUpStore for SqlStore {
    async fn month_facts(
        &self,
        units: &Units,
        month: YearMonth,
        today: NaiveDate,
    ) -> Result<MonthFacts, StoreError> {
        let pool = self.reads();
        let units = units.sql_param();
        let (first, last) = (month.first_day(), month.last_day());
        let (first_s, last_s) = (first.to_string(), last.to_string());
        let (from, until) = (day_start(first), day_start(month.succ().first_day()));
        let m = month.to_string();
        let mut f = MonthFacts::default();

        let row = sqlx::query(AssertSqlSafe(notices_sql()))
            .bind(&units)
            .bind(&first_s)
            .bind(&last_s)
            .fetch_one(pool)
            .await?;
        f.notices_received = get_i64(&row, "received")?;
        for (i, slot) in f.notices_resolved.iter_mut().enumerate() {
            *slot = get_i64(&row, &format!("r{i}"))?;
        }
        debug_assert_eq!(RESOLUTIONS.len(), f.notices_resolved.len());
        f.notices_resolved_within_deadline = get_i64(&row, "within")?;
        f.notice_households_with_children = get_i64(&row, "children")?;

        let row = sqlx::query(AssertSqlSafe(notice_days_sql(self.backend())))
            .bind(&units)
            .bind(&first_s)
            .bind(&last_s)
            .fetch_one(pool)
            .await?;
        f.notice_days_to_action = Middle {
            cases: get_i64(&row, "cases")?,
            middle_sum: get_i64(&row, "msum")?,
            middle_count: get_i64(&row, "mcount")?,
        };

        f.plans = plan_month(
            &self.plan_facts(&units, month).await?,
            month,
            last.min(today),
        )?;

        for row in sqlx::query(AssertSqlSafe(payouts_sql()))
            .bind(&units)
            .bind(&first_s)
            .bind(&last_s)
            .bind(&from)
            .bind(&until)
            .fetch_all(pool)
            .await?
        {
            let (what, kind) = (get_str(&row, "what")?, get_str(&row, "kind")?);
            let (n, total) = (get_i64(&row, "n")?, get_i64(&row, "total")?);
            match (what.as_str(), kind.as_str()) {
                ("payout", "rent") => f.payouts[0] = (n, total),
                ("payout", "arrears") => f.payouts[1] = (n, total),
                ("bank", "rejected") => f.payouts_rejected = n,
                ("bank", "returned") => f.payouts_returned = n,
                _ => return Err(corrupt("kind")),
            }
        }

        let row = sqlx::query(AssertSqlSafe(rent_status_sql()))
            .bind(&units)
            .bind(&m)
            .bind(month.pred().to_string())
            .fetch_one(pool)
            .await?;
        f.rent_status = [
            get_i64(&row, "paid")?,
            get_i64(&row, "partly")?,
            get_i64(&row, "not_paid")?,
        ];
        f.two_unpaid_months = get_i64(&row, "two_unpaid")?;

        for row in sqlx::query(AssertSqlSafe(contracts_sql()))
            .bind(&units)
            .bind(&m)
            .fetch_all(pool)
            .await?
        {
            f.households_by_contract[contract_index(&get_str(&row, "contract_type")?)?] =
                get_i64(&row, "n")?;
        }

        for row in sqlx::query(AssertSqlSafe(moves_sql()))
            .bind(&units)
            .bind(&m)
            .fetch_all(pool)
            .await?
        {
            let now = ContractType::ALL[contract_index(&get_str(&row, "now_type")?)?];
            let before = ContractType::ALL[contract_index(&get_str(&row, "before_type")?)?];
            let n = get_i64(&row, "n")?;
            match (rung(before), rung(now)) {
                (Some(b), Some(a)) if a > b => f.ladder_up += n,
                (Some(b), Some(a)) if a < b => f.ladder_down += n,
                _ => {}
            }
        }

        for row in sqlx::query(AssertSqlSafe(stay_sql()))
            .bind(&units)
            .bind(&m)
            .bind(month_index(month))
            .fetch_all(pool)
            .await?
        {
            f.stay[contract_index(&get_str(&row, "t")?)?] = Stay {
                total_months: get_i64(&row, "total")?,
                middle: Middle {
                    cases: get_i64(&row, "cases")?,
                    middle_sum: get_i64(&row, "msum")?,
                    middle_count: get_i64(&row, "mcount")?,
                },
            };
        }

        let row = sqlx::query(AssertSqlSafe(debts_sql()))
            .bind(&units)
            .bind(&until)
            .bind(&from)
            .fetch_one(pool)
            .await?;
        f.debt_households = get_i64(&row, "debts")?;
        f.offer_households = get_i64(&row, "offers")?;
        f.estimate_households = get_i64(&row, "estimates")?;
        Ok(f)
    }
}

impl SqlStore {
    /// The plans begun by `month` of the households of `units` (its SQL
    /// parameter), with their rents and the payments dated by its end.
    async fn plan_facts(
        &self,
        units: &str,
        month: YearMonth,
    ) -> Result<Vec<PlanFacts>, StoreError> {
        let pool = self.reads();
        let (m, last) = (month.to_string(), month.last_day().to_string());
        let mut plans: HashMap<String, PlanFacts> = HashMap::new();
        for row in sqlx::query(AssertSqlSafe(plans_sql()))
            .bind(units)
            .bind(&m)
            .fetch_all(pool)
            .await?
        {
            let instalment: Option<i64> = row.try_get("instalment_ore")?;
            let months: Option<i64> = row.try_get("months")?;
            let terms = PlanTerms {
                arrears: Money::from_ore(get_i64(&row, "arrears_ore")?),
                start: YearMonth::parse(&get_str(&row, "start_month")?)
                    .ok_or_else(|| corrupt("start_month"))?,
                instalment: instalment.map(Money::from_ore),
                months: months
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|_| corrupt("months"))?,
            };
            let broken_after = u32::try_from(get_i64(&row, "broken_after")?)
                .map_err(|_| corrupt("broken_after"))?;
            plans.insert(
                get_str(&row, "id")?,
                PlanFacts {
                    terms,
                    rents: Vec::new(),
                    payments: Vec::new(),
                    broken_after,
                },
            );
        }
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        for row in sqlx::query(AssertSqlSafe(plan_rents_sql()))
            .bind(units)
            .bind(&m)
            .fetch_all(pool)
            .await?
        {
            if let Some(plan) = plans.get_mut(&get_str(&row, "id")?) {
                plan.rents.push(RentChange {
                    from: YearMonth::parse(&get_str(&row, "from_month")?)
                        .ok_or_else(|| corrupt("from_month"))?,
                    amount: Money::from_ore(get_i64(&row, "rent_ore")?),
                });
            }
        }
        for row in sqlx::query(AssertSqlSafe(plan_payments_sql()))
            .bind(units)
            .bind(&m)
            .bind(&last)
            .fetch_all(pool)
            .await?
        {
            if let Some(plan) = plans.get_mut(&get_str(&row, "id")?) {
                plan.payments.push(Payment {
                    date: NaiveDate::parse_from_str(&get_str(&row, "paid_on")?, "%Y-%m-%d")
                        .map_err(|_| corrupt("paid_on"))?,
                    amount: Money::from_ore(get_i64(&row, "amount_ore")?),
                });
            }
        }
        Ok(plans.into_values().collect())
    }
}
