//! The sweep of the date-driven alerts: what holds on a date is read first
//! (notices near their deadline, plans' missed instalments and broken
//! plans, unpaid rent, missing norm tables), then, in one transaction, the
//! alerts are raised for what holds and closed for what no longer does.
//!
//! One server sweeps at a time: on PostgreSQL the transaction takes
//! `pg_try_advisory_xact_lock` and a server that does not get it skips the
//! round (transaction-scoped, so safe behind a pooler, as the audit seal);
//! on SQLite the write transaction excludes every other writer. Either way
//! a rerun adds nothing: an alert's key is unique, a closed one stays
//! closed.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::{lock_alerts, raise};
use crate::domain::alert::{AlertKind, AlertState, Condition, rent_month_checked};
use crate::domain::audit::{RecordKind, RecordRef};
use crate::domain::calendar::YearMonth;
use crate::domain::money::Money;
use crate::domain::norms::status::{Coverage, norm_status};
use crate::domain::rent_plan::tracking::InstalmentState;
use crate::domain::rent_plan::{last_day_to_pay, plan_status};
use crate::store::sql::{corrupt, get_date, get_money, get_str, get_uuid};
use crate::store::{Backend, NormStore, SqlStore, Store, StoreError};

/// A PostgreSQL advisory lock key (transaction-scoped) that one sweeper at
/// a time holds: "alertswp" in ASCII.
pub const ALERT_SWEEPER_KEY: i64 = 0x616c_6572_7473_7770;

/// What a sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepOutcome {
    /// Another server was sweeping: this one did nothing.
    pub skipped: bool,
    pub raised: u64,
    pub closed: u64,
}

pub(super) async fn sweep(
    store: &SqlStore,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SweepOutcome, StoreError> {
    let holding = conditions(store, today).await?;
    let mut tx = store.begin_write().await?;
    if store.backend() == Backend::Postgres {
        let row = sqlx::query("SELECT pg_try_advisory_xact_lock($1) AS got")
            .bind(ALERT_SWEEPER_KEY)
            .fetch_one(&mut *tx)
            .await?;
        let got: bool = row.try_get("got")?;
        if !got {
            return Ok(SweepOutcome {
                skipped: true,
                ..SweepOutcome::default()
            });
        }
    }
    let mut last = lock_alerts(&mut tx, store.backend()).await?;
    let mut outcome = SweepOutcome::default();
    let keys: HashSet<String> = holding.iter().map(Condition::key).collect();
    for condition in &holding {
        if raise(&mut tx, &mut last, condition, now).await?.is_some() {
            outcome.raised += 1;
        }
    }
    let live = sqlx::query(
        "SELECT id, kind, alert_key FROM alerts WHERE state <> 'closed' AND kind <> 'payout_rejected' \
         ORDER BY sequence",
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &live {
        if !keys.contains(&get_str(row, "alert_key")?) {
            super::change(
                &mut tx,
                &mut last,
                get_uuid(row, "id")?,
                AlertState::Closed,
                "sweep",
                now,
            )
            .await?;
            outcome.closed += 1;
        }
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Every date-driven condition that holds on `today`.
async fn conditions(store: &SqlStore, today: NaiveDate) -> Result<Vec<Condition>, StoreError> {
    let mut out = notices(store, today).await?;
    out.extend(plans(store, today).await?);
    out.extend(rents(store, today).await?);
    for status in norm_status(&store.all_norm_tables().await?, today) {
        if status.coverage == Coverage::Missing {
            out.push(Condition {
                kind: AlertKind::NormTableMissing,
                household_id: None,
                records: Vec::new(),
                period: format!("{} {}", status.period.kind, status.period.label),
                due_date: Some(status.period.from),
            });
        }
    }
    Ok(out)
}

/// Unresolved notices whose deadline is within the warning days.
async fn notices(store: &SqlStore, today: NaiveDate) -> Result<Vec<Condition>, StoreError> {
    let until = today
        .checked_add_days(Days::new(crate::domain::alert::NOTICE_WARNING_DAYS as u64))
        .unwrap_or(today);
    let rows = sqlx::query(
        "SELECT id, lease_id, household_id, deadline FROM eviction_notices \
         WHERE resolution IS NULL AND deadline >= $1 AND deadline <= $2 ORDER BY deadline, id",
    )
    .bind(today.format("%Y-%m-%d").to_string())
    .bind(until.format("%Y-%m-%d").to_string())
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Condition {
                kind: AlertKind::NoticeDeadline,
                household_id: Some(get_uuid(row, "household_id")?),
                records: vec![
                    RecordRef::new(RecordKind::Notice, get_uuid(row, "id")?),
                    RecordRef::new(RecordKind::Lease, get_uuid(row, "lease_id")?),
                ],
                period: String::new(),
                due_date: Some(get_date(row, "deadline")?),
            })
        })
        .collect()
}

/// Each plan's missed instalments, and the plan when broken: the plans,
/// their payments and their leases' rents read set-wise, in three
/// statements whatever the number of plans.
async fn plans(store: &SqlStore, today: NaiveDate) -> Result<Vec<Condition>, StoreError> {
    let plans = store.all_rent_plans().await?;
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let mut rents: HashMap<Uuid, Vec<(YearMonth, Money)>> = HashMap::new();
    for row in sqlx::query(
        "SELECT r.lease_id, r.from_month, r.rent_ore FROM lease_rents r \
         WHERE r.lease_id IN (SELECT p.lease_id FROM rent_plans p) ORDER BY r.lease_id, r.from_month",
    )
    .fetch_all(store.pool())
    .await?
    {
        rents.entry(get_uuid(&row, "lease_id")?).or_default().push((
            YearMonth::parse(&get_str(&row, "from_month")?).ok_or_else(|| corrupt("from_month"))?,
            get_money(&row, "rent_ore")?,
        ));
    }
    let mut out = Vec::new();
    for plan in &plans {
        let lease_rents = rents
            .get(&plan.draft.lease_id)
            .map_or(&[][..], Vec::as_slice);
        let (_, status) = plan_status(plan, lease_rents, today)?;
        let records = vec![
            RecordRef::new(RecordKind::Plan, plan.id),
            RecordRef::new(RecordKind::Lease, plan.draft.lease_id),
        ];
        let mut first_missed = None;
        for instalment in &status.instalments {
            if instalment.state == InstalmentState::Missed {
                first_missed.get_or_insert(instalment.due_date);
                out.push(Condition {
                    kind: AlertKind::InstalmentMissed,
                    household_id: Some(plan.household_id),
                    records: records.clone(),
                    period: instalment.number.to_string(),
                    due_date: Some(instalment.due_date),
                });
            }
        }
        if status.state == crate::domain::rent_plan::tracking::PlanState::Broken {
            out.push(Condition {
                kind: AlertKind::PlanBroken,
                household_id: Some(plan.household_id),
                records: records.clone(),
                period: String::new(),
                due_date: first_missed,
            });
        }
    }
    Ok(out)
}

/// Leases whose rent for the month checked (and the months of rent alerts
/// still open) is unpaid, and those unpaid two months in a row.
async fn rents(store: &SqlStore, today: NaiveDate) -> Result<Vec<Condition>, StoreError> {
    let checked = rent_month_checked(today);
    // The months alerts may be raised for; the month before each is read
    // too, for the second unpaid month, but raises nothing of its own (or
    // each sweep would reach one month further back).
    let mut raised: BTreeSet<YearMonth> = [checked, checked.pred()].into();
    let open = sqlx::query(
        "SELECT DISTINCT period FROM alerts WHERE state <> 'closed' \
         AND kind IN ('rent_unpaid', 'second_unpaid_month')",
    )
    .fetch_all(store.pool())
    .await?;
    for row in &open {
        let month = YearMonth::parse(&get_str(row, "period")?).ok_or_else(|| corrupt("period"))?;
        raised.insert(month);
    }
    let months: BTreeSet<YearMonth> = raised.iter().flat_map(|m| [*m, m.pred()]).collect();
    let mut unpaid: HashSet<(Uuid, YearMonth)> = HashSet::new();
    let mut households = HashMap::new();
    for month in &months {
        for (lease, household) in unpaid_leases(store, *month).await? {
            unpaid.insert((lease, *month));
            households.insert(lease, household);
        }
    }
    let mut out = Vec::new();
    for (lease, month) in &unpaid {
        if !raised.contains(month) {
            continue;
        }
        let due = last_day_to_pay(*month).last_day;
        if due >= today {
            continue;
        }
        let condition = |kind| Condition {
            kind,
            household_id: households.get(lease).copied(),
            records: vec![RecordRef::new(RecordKind::Lease, *lease)],
            period: month.to_string(),
            due_date: Some(due),
        };
        out.push(condition(AlertKind::RentUnpaid));
        if unpaid.contains(&(*lease, month.pred())) {
            out.push(condition(AlertKind::SecondUnpaidMonth));
        }
    }
    out.sort_by_key(Condition::key);
    Ok(out)
}

/// The leases (with their households) whose rent for `month` is more than
/// their rent payouts (not voided) and rent receipts for it; a lease ended
/// before `month` owes it no rent (as the rent check sees it). Set-wise:
/// each lease's rent month by a GROUP BY, the month's payouts and receipts
/// summed per lease once (no subquery per lease).
async fn unpaid_leases(
    store: &SqlStore,
    month: YearMonth,
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    let rows = sqlx::query(
        "WITH due AS (SELECT lease_id, MAX(from_month) AS f FROM lease_rents \
           WHERE from_month <= $1 GROUP BY lease_id), \
         paid AS (SELECT p.lease_id, SUM(p.amount_ore) AS s FROM rent_payouts p \
           WHERE p.rent_month = $1 AND p.kind = 'rent' \
           AND NOT EXISTS (SELECT 1 FROM voided_payouts v WHERE v.payout_id = p.id) GROUP BY p.lease_id), \
         received AS (SELECT lease_id, SUM(amount_ore) AS s FROM rent_receipts \
           WHERE rent_month = $1 AND kind = 'rent' GROUP BY lease_id) \
         SELECT s.id, s.household_id FROM leases s \
         JOIN due d ON d.lease_id = s.id \
         JOIN lease_rents r ON r.lease_id = d.lease_id AND r.from_month = d.f \
         LEFT JOIN paid p ON p.lease_id = s.id \
         LEFT JOIN received q ON q.lease_id = s.id \
         WHERE (s.end_month IS NULL OR s.end_month >= $1) AND r.rent_ore > 0 \
         AND COALESCE(p.s, 0) + COALESCE(q.s, 0) < r.rent_ore ORDER BY s.id",
    )
    .bind(month.to_string())
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| Ok((get_uuid(row, "id")?, get_uuid(row, "household_id")?)))
        .collect()
}
