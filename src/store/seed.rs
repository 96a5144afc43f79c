//! A synthetic municipality, for benchmarks and demos (`budgetrad
//! seed`): households with one applicant each, leases at a few landlords,
//! and months of rent history in the ledger (payouts, receipts, reversals,
//! with chosen shares of unpaid and partly paid months).
//!
//! Everything is fictional: case references say SYNTETISK, personnummer are
//! built from a running number (valid check digits, dates spread over
//! 1950–1999), landlords are "Syntetiska Bostäder". Rows are written with
//! multi-row inserts in large transactions, past the API and its audit
//! trail, so seeding refuses a database that already holds households.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::{Any, AssertSqlSafe, Transaction};
use uuid::Uuid;

use super::sql::{LIST_PARAMS, timestamp};
use super::{Backend, SqlStore, Store, StoreError};
use crate::domain::calendar::{YearMonth, rent_due_date};
use crate::domain::identity::ocr_with_check_digits;

mod story;

/// What to seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedPlan {
    pub households: u32,
    /// Months of history, ending with `last_month`.
    pub months: u32,
    pub last_month: YearMonth,
    /// Shares of household-months left unpaid and partly paid (0–1):
    /// probabilities of the synthetic draws, never money, so floating point.
    pub unpaid_share: f64,
    pub partly_share: f64,
    /// Share of paid-out months that first got a wrong payout, reversed.
    pub reversal_share: f64,
    /// Share of households served an eviction-risk notice in one of the
    /// months (some resolved, some with a rent-arrears plan).
    pub notice_share: f64,
    /// Share of households that move, in one of the months, from one
    /// lease to another of another contract type.
    pub move_share: f64,
    /// The random generator's seed: the same plan gives the same data.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub households: u64,
    pub leases: u64,
    pub payouts: u64,
    pub reversals: u64,
    pub receipts: u64,
    pub notices: u64,
    pub plans: u64,
    pub moves: u64,
}

/// Households per transaction: bounds the memory of a large seed.
const BATCH: u32 = 5_000;
const LANDLORDS: u32 = 20;
/// Days from 1950-01-01 that birth dates are spread over; with the serial
/// (0–999) this gives each household its own personnummer.
const BIRTH_DAYS: u32 = 18_262;

enum Value {
    Text(String),
    Int(i64),
    Null,
    /// NULL in an integer column (PostgreSQL types a parameter).
    NullInt,
}

/// Rows of one table, written many to a statement.
struct Rows {
    table: &'static str,
    /// The columns as the insert names them, `a, b, c`.
    columns: &'static str,
    width: usize,
    values: Vec<Value>,
}

impl Rows {
    fn new(table: &'static str, columns: &'static str) -> Rows {
        Rows {
            table,
            columns,
            width: columns.split(", ").count(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.width);
        self.values.extend(row);
    }

    fn len(&self) -> u64 {
        (self.values.len() / self.width) as u64
    }

    /// Writes the rows and empties the buffer, at most [`LIST_PARAMS`]
    /// values to a statement (PostgreSQL over TCP: see there), a row count
    /// fixed per table, so statements of one length are prepared once and
    /// reused.
    async fn flush(&mut self, tx: &mut Transaction<'static, Any>) -> Result<(), StoreError> {
        let width = self.width;
        let per_statement = (LIST_PARAMS / width).max(1);
        let values = std::mem::take(&mut self.values);
        let rows: Vec<&[Value]> = values.chunks(width).collect();
        for chunk in rows.chunks(per_statement) {
            let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns);
            let mut n = 0;
            for (i, _) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                for c in 0..width {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    n += 1;
                    sql.push_str(&format!("${n}"));
                }
                sql.push(')');
            }
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for row in chunk {
                for value in *row {
                    query = match value {
                        Value::Text(t) => query.bind(t.clone()),
                        Value::Int(i) => query.bind(*i),
                        Value::Null => query.bind(None::<String>),
                        Value::NullInt => query.bind(None::<i64>),
                    };
                }
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// A valid personnummer for household `n`: a birth date and a serial that
/// no other household of the seed has.
fn personnummer(n: u32) -> Option<(NaiveDate, String)> {
    let base = NaiveDate::from_ymd_opt(1950, 1, 1)?;
    let born = base + Duration::days(i64::from(n % BIRTH_DAYS));
    let serial = n / BIRTH_DAYS;
    if serial > 999 {
        return None;
    }
    let body = format!("{}{serial:03}", born.format("%y%m%d"));
    let with_check = ocr_with_check_digits(&body, false)?;
    let check = with_check.chars().last()?;
    Some((born, format!("{}{serial:03}{check}", born.format("%Y%m%d"))))
}

impl SqlStore {
    /// Fills an empty database with a synthetic municipality.
    pub async fn seed_municipality(
        &self,
        plan: &SeedPlan,
        now: DateTime<Utc>,
        mut progress: impl FnMut(u64),
    ) -> Result<SeedReport, StoreError> {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM households")
            .fetch_one(self.pool())
            .await?;
        if existing > 0 {
            return Err(StoreError::Conflict {
                reason: "DATABASE_NOT_EMPTY",
                message: "seeding writes synthetic data past the API: give it an empty database"
                    .to_owned(),
                field: None,
            });
        }
        if plan.households > BIRTH_DAYS * 1000 {
            return Err(StoreError::Conflict {
                reason: "TOO_MANY_HOUSEHOLDS",
                message: format!("at most {} households", BIRTH_DAYS * 1000),
                field: Some("households".to_owned()),
            });
        }
        let mut rng = fastrand::Rng::with_seed(plan.seed);
        // The follow-up's stories draw from a generator of their own, so
        // the ledger's draws are those of a seed without them.
        let mut extra = fastrand::Rng::with_seed(plan.seed ^ 0x5EED_F011_0000_0022);
        let today = crate::clock::stockholm_date(now);
        let at = timestamp(now);
        let months: Vec<YearMonth> = (0..plan.months)
            .rev()
            .map(|back| plan.last_month.add_months(-(back as i32)))
            .collect();
        let start = months
            .first()
            .copied()
            .unwrap_or(plan.last_month)
            .add_months(-1);
        let mut report = SeedReport::default();

        let mut tx = self.begin_write().await?;
        let mut landlords = Rows::new(
            "landlords",
            "id, name, organisation_number, bankgiro, plusgiro, requires_ocr, created_at",
        );
        let mut accounts = Vec::new();
        for n in 0..LANDLORDS {
            let id = Uuid::now_v7();
            let org = ocr_with_check_digits(&format!("55600{n:04}"), false).unwrap_or_default();
            let bankgiro = ocr_with_check_digits(&format!("50{n:04}"), false).unwrap_or_default();
            landlords.push(vec![
                text(id.to_string()),
                text(format!("Syntetiska Bostäder {n}")),
                text(org),
                text(bankgiro.clone()),
                Value::Null,
                Value::Int(0),
                text(at.clone()),
            ]);
            accounts.push((id, bankgiro));
        }
        landlords.flush(&mut tx).await?;
        tx.commit().await?;

        let mut next = 0;
        while next < plan.households {
            let end = (next + BATCH).min(plan.households);
            let mut tx = self.begin_write().await?;
            let mut households = Rows::new(
                "households",
                "id, case_reference, revision, created_at, updated_at",
            );
            let mut members = Rows::new(
                "household_members",
                "id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school",
            );
            let mut leases = Rows::new(
                "leases",
                "id, household_id, landlord_id, object_reference, contract_type, end_month, created_at, updated_at",
            );
            let mut notices = Rows::new(
                "eviction_notices",
                "id, lease_id, household_id, served_on, amount_owed_ore, deadline, resolution, resolved_on, note, created_at, created_by",
            );
            let mut plans = Rows::new(
                "rent_plans",
                "id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by, request_id, request_hash",
            );
            let mut plan_payments = Rows::new(
                "rent_plan_payments",
                "id, plan_id, paid_on, amount_ore, recorded_by, recorded_at, request_id, request_hash",
            );
            let mut rents = Rows::new("lease_rents", "lease_id, from_month, rent_ore");
            let mut payouts = Rows::new(
                "rent_payouts",
                "id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, recorded_by, recorded_at",
            );
            let mut reversals = Rows::new(
                "rent_payout_reversals",
                "id, request_id, request_hash, payout_id, reason, recorded_by, recorded_at",
            );
            let mut receipts = Rows::new(
                "rent_receipts",
                "id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, paid_date, source, plan_id, recorded_by, recorded_at",
            );
            // Request ids are time-ordered too (UUIDv7), like every other
            // id here, so each index grows at its end instead of at random
            // places: a large seed stays fast on SQLite's page cache.
            for n in next..end {
                let household = Uuid::now_v7();
                let Some((born, pin)) = personnummer(n) else {
                    break;
                };
                households.push(vec![
                    text(household.to_string()),
                    text(format!("SYNTETISK-{n:07}")),
                    Value::Int(1),
                    text(at.clone()),
                    text(at.clone()),
                ]);
                members.push(vec![
                    text(Uuid::now_v7().to_string()),
                    text(household.to_string()),
                    Value::Int(0),
                    text("applicant"),
                    text(born.format("%Y-%m-%d").to_string()),
                    text(pin),
                    Value::Int(0),
                    Value::Int(0),
                    Value::Int(0),
                ]);
                let lease = Uuid::now_v7();
                let (landlord, bankgiro) = &accounts[rng.usize(..accounts.len())];
                // A rent of 4 000 – 12 000 kr in whole kronor.
                let first_rent = i64::from(rng.u32(4_000..=12_000)) * 100;
                let story = story::draw(&mut extra, plan, &months, start, first_rent, today);
                if let Some(born) = story.child {
                    members.push(vec![
                        text(Uuid::now_v7().to_string()),
                        text(household.to_string()),
                        Value::Int(1),
                        text("child"),
                        text(born.format("%Y-%m-%d").to_string()),
                        Value::Null,
                        Value::Int(0),
                        Value::Int(0),
                        Value::Int(1),
                    ]);
                }
                let mut lease_row = |id: Uuid, kind: &str, end: Option<YearMonth>, suffix: &str| {
                    leases.push(vec![
                        text(id.to_string()),
                        text(household.to_string()),
                        text(landlord.to_string()),
                        text(format!("SYNT-{n:07}{suffix}")),
                        text(kind),
                        end.map_or(Value::Null, |m| text(m.to_string())),
                        text(at.clone()),
                        text(at.clone()),
                    ]);
                };
                lease_row(
                    lease,
                    story.first.as_str(),
                    story.moved.map(|(month, _, _)| month.pred()),
                    "",
                );
                rents.push(vec![
                    text(lease.to_string()),
                    text(start.to_string()),
                    Value::Int(first_rent),
                ]);
                let moved = story.moved.map(|(month, kind, rent)| {
                    let id = Uuid::now_v7();
                    lease_row(id, kind.as_str(), None, "-B");
                    rents.push(vec![
                        text(id.to_string()),
                        text(month.to_string()),
                        Value::Int(rent),
                    ]);
                    report.moves += 1;
                    (month, id, rent)
                });
                if let Some(notice) = &story.notice {
                    seed_notice(
                        notice,
                        (household, lease, first_rent),
                        &at,
                        (&mut notices, &mut plans, &mut plan_payments),
                    );
                }
                for month in &months {
                    let (lease, rent) = match moved {
                        Some((from, id, rent)) if *month >= from => (id, rent),
                        _ => (lease, first_rent),
                    };
                    let due = rent_due_date(*month).format("%Y-%m-%d").to_string();
                    let payout = |payouts: &mut Rows, amount: i64| {
                        let id = Uuid::now_v7();
                        payouts.push(vec![
                            text(id.to_string()),
                            text(Uuid::now_v7().to_string()),
                            text("seed"),
                            text(household.to_string()),
                            text(lease.to_string()),
                            text(month.to_string()),
                            text("rent"),
                            Value::Int(amount),
                            text(format!("SYNT-BESLUT-{n:07}")),
                            text(bankgiro.clone()),
                            Value::Null,
                            Value::Null,
                            text(due.clone()),
                            Value::Null,
                            text("seed"),
                            text(at.clone()),
                        ]);
                        id
                    };
                    let draw = rng.f64();
                    if draw < plan.unpaid_share {
                        continue;
                    }
                    if draw < plan.unpaid_share + plan.partly_share {
                        // 30–90 % of the rent, paid out.
                        let part = rent * i64::from(rng.u32(30..=90)) / 100;
                        payout(&mut payouts, part);
                        continue;
                    }
                    if rng.f64() < 0.2 {
                        receipts.push(vec![
                            text(Uuid::now_v7().to_string()),
                            text(Uuid::now_v7().to_string()),
                            text("seed"),
                            text(household.to_string()),
                            text(lease.to_string()),
                            text(month.to_string()),
                            text("rent"),
                            Value::Int(rent),
                            text(due.clone()),
                            text(if rng.bool() {
                                "autogiro"
                            } else {
                                "bank_statement"
                            }),
                            Value::Null,
                            text("seed"),
                            text(at.clone()),
                        ]);
                        continue;
                    }
                    if rng.f64() < plan.reversal_share {
                        let wrong = payout(&mut payouts, rent);
                        reversals.push(vec![
                            text(Uuid::now_v7().to_string()),
                            text(Uuid::now_v7().to_string()),
                            text("seed"),
                            text(wrong.to_string()),
                            text("syntetisk rättelse"),
                            text("seed"),
                            text(at.clone()),
                        ]);
                    }
                    payout(&mut payouts, rent);
                }
            }
            report.households += households.len();
            report.leases += leases.len();
            report.payouts += payouts.len();
            report.reversals += reversals.len();
            report.receipts += receipts.len();
            report.notices += notices.len();
            report.plans += plans.len();
            for rows in [
                &mut households,
                &mut members,
                &mut leases,
                &mut rents,
                &mut notices,
                &mut plans,
                &mut plan_payments,
                &mut payouts,
                &mut reversals,
                &mut receipts,
            ] {
                rows.flush(&mut tx).await?;
            }
            tx.commit().await?;
            progress(report.households);
            next = end;
        }
        // A bulk load leaves the planner's statistics behind, and on
        // PostgreSQL the visibility map that index-only scans need: rent
        // checks on a freshly seeded database took ten times as long until
        // autovacuum came by.
        let tidy = match self.backend() {
            Backend::Postgres => {
                "VACUUM (ANALYZE) households, household_members, leases, lease_rents, \
                 rent_payouts, rent_payout_reversals, rent_receipts, eviction_notices, \
                 rent_plans, rent_plan_payments"
            }
            Backend::Sqlite => "ANALYZE",
        };
        sqlx::query(tidy).execute(self.pool()).await?;
        Ok(report)
    }
}

/// A notice's rows: the notice on the household's first lease, and its
/// plan with the plan's payments.
fn seed_notice(
    notice: &story::Notice,
    (household, lease, owed): (Uuid, Uuid, i64),
    at: &str,
    (notices, plans, payments): (&mut Rows, &mut Rows, &mut Rows),
) {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    notices.push(vec![
        text(Uuid::now_v7().to_string()),
        text(lease.to_string()),
        text(household.to_string()),
        text(day(notice.served)),
        Value::Int(owed),
        text(day(notice.deadline)),
        notice.resolved.map_or(Value::Null, |(r, _)| text(r)),
        notice.resolved.map_or(Value::Null, |(_, d)| text(day(d))),
        text("syntetisk underrättelse"),
        text(at),
        text("seed"),
    ]);
    let Some(plan) = &notice.plan else {
        return;
    };
    let id = Uuid::now_v7();
    let agreed = plan
        .agreed
        .and_hms_opt(10, 0, 0)
        .unwrap_or_default()
        .and_utc();
    plans.push(vec![
        text(id.to_string()),
        text(lease.to_string()),
        text(household.to_string()),
        Value::Int(owed),
        text(plan.start.to_string()),
        Value::NullInt,
        Value::Int(i64::from(plan.months)),
        Value::Int(2),
        text(timestamp(agreed)),
        text("seed"),
        text(Uuid::now_v7().to_string()),
        text("seed"),
    ]);
    for (paid_on, amount) in &plan.payments {
        payments.push(vec![
            text(Uuid::now_v7().to_string()),
            text(id.to_string()),
            text(day(*paid_on)),
            Value::Int(*amount),
            text("seed"),
            text(at),
            text(Uuid::now_v7().to_string()),
            text("seed"),
        ]);
    }
}

#[cfg(test)]
mod tests;
