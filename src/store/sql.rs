//! The one SQL implementation of [`Store`], over sqlx's `Any` driver.
//!
//! Writes run in one transaction each. On SQLite a write transaction starts
//! with `BEGIN IMMEDIATE`, so it holds the write lock from its first read and
//! two writers never interleave a read-check-write; on PostgreSQL the checks
//! are conditional writes (`WHERE revision = $n`) or unique indexes, which
//! hold under concurrency without locks.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, anyhow};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Row, Transaction};
use uuid::Uuid;

use super::{
    AuditFilter, Backend, CheckFacts, CheckSubjects, Idempotency, LedgerFilter, Page, Store,
    StoreError, migrations, postgres, sqlite,
};
use crate::domain::audit::{AuditEntry, AuditEvent};
use crate::domain::budget::SavedBudget;
use crate::domain::budget::{
    BudgetResult, Comparison, Entry, ExpenseCategory, Frequency, IncomeCategory, MonthlyLine,
};
use crate::domain::calendar::YearMonth;
use crate::domain::debt::{Debt, DebtDraft, DebtEvent, NewDebtEvent};
use crate::domain::debt::{DebtKind, DebtStatus};
use crate::domain::error::Violations;
use crate::domain::explain::Basis;
use crate::domain::household::{AgeBasis, Household, HouseholdDraft, Member, Residence, Role};
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::lease::{
    EvictionNotice, Landlord, LandlordDraft, Lease, LeaseDraft, NoticeResolution,
};
use crate::domain::ledger::{PayoutDraft, ReceiptDraft, RentPayout, RentReceipt};
use crate::domain::money::Money;
use crate::domain::norms::{NormKind, NormTable, NormTableDraft, TableRef, TableStatus};
use crate::domain::rent_plan::{RentPlan, RentPlanDraft};

#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for SqlStore {
    // The URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
            .finish()
    }
}

impl SqlStore {
    pub async fn connect(url: &str) -> anyhow::Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)
            .context("the database URL must start with sqlite: or postgres://")?;
        let pool = match backend {
            Backend::Sqlite => sqlite::pool(url).await?,
            Backend::Postgres => postgres::pool(url).await?,
        };
        migrations::run(&pool, backend)
            .await
            .context("applying database migrations")?;
        Ok(SqlStore { pool, backend })
    }

    /// The pool, for tests that must reach past the API (e.g. to prove a
    /// trigger rejects a direct UPDATE).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(super) async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The most parameters bound to one statement by a query over a list (an
/// `IN` list, a multi-row insert): about 8 KiB of values. sqlx 0.9.0 leaves
/// Nagle's algorithm on for TCP (TCP_NODELAY unset, sqlx issue #4335), so a
/// message larger than the socket's send buffer (16 KiB until the kernel
/// grows it) goes out in two writes, and the second waits ~40 ms for
/// PostgreSQL's delayed ACK: 1 000 ids to a statement made every statement
/// cost 40 ms. Smaller statements cost a round trip each, well under 1 ms.
pub(super) const LIST_PARAMS: usize = 200;

/// `$first, $first+1, …` for `count` values: the placeholders of an `IN`
/// list. Only placeholders go into the SQL text, never a value.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Other(anyhow!("unreadable value in column {what}"))
}

pub(super) fn get_str(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(column).map_err(StoreError::from)
}

pub(super) fn get_i64(row: &AnyRow, column: &str) -> Result<i64, StoreError> {
    row.try_get::<i64, _>(column).map_err(StoreError::from)
}

pub(super) fn get_uuid(row: &AnyRow, column: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&get_str(row, column)?).map_err(|_| corrupt(column))
}

pub(super) fn get_date(row: &AnyRow, column: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(&get_str(row, column)?, "%Y-%m-%d").map_err(|_| corrupt(column))
}

pub(super) fn get_time(row: &AnyRow, column: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(&get_str(row, column)?)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| corrupt(column))
}

pub(super) fn get_money(row: &AnyRow, column: &str) -> Result<Money, StoreError> {
    Ok(Money::from_ore(get_i64(row, column)?))
}

pub(super) fn ore(money: Money, what: &str) -> Result<i64, StoreError> {
    money
        .to_ore()
        .ok_or_else(|| StoreError::Other(anyhow!("{what} is not whole öre")))
}

pub(super) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

// ---------------------------------------------------------------- households

fn member_from_row(row: &AnyRow) -> Result<(Uuid, Member), StoreError> {
    let household_id = get_uuid(row, "household_id")?;
    let role = Role::from_str_opt(&get_str(row, "role")?).ok_or_else(|| corrupt("role"))?;
    let pin: Option<String> = row.try_get("personal_identity_number")?;
    let personal_identity_number = match pin {
        // Stored numbers were validated on the way in; a stored 12-digit form
        // parses against any date after the birth date.
        Some(digits) => Some(
            PersonalIdentityNumber::parse(&digits, NaiveDate::MAX)
                .map_err(|_| corrupt("personal_identity_number"))?,
        ),
        None => None,
    };
    let days = get_i64(row, "residence_days")?;
    let period = get_i64(row, "residence_period_days")?;
    let residence = if days == 0 && period == 0 {
        None
    } else {
        Some(Residence {
            days: u32::try_from(days).map_err(|_| corrupt("residence_days"))?,
            period: u32::try_from(period).map_err(|_| corrupt("residence_period_days"))?,
        })
    };
    Ok((
        household_id,
        Member {
            id: Some(get_uuid(row, "id")?),
            role,
            age: AgeBasis::BirthDate(get_date(row, "birth_date")?),
            personal_identity_number,
            residence,
            lunch_at_school: get_i64(row, "lunch_at_school")? != 0,
        },
    ))
}

fn household_from_row(row: &AnyRow, members: Vec<Member>) -> Result<Household, StoreError> {
    Ok(Household {
        id: get_uuid(row, "id")?,
        case_reference: get_str(row, "case_reference")?,
        members,
        revision: get_i64(row, "revision")?,
        created_at: get_time(row, "created_at")?,
        updated_at: get_time(row, "updated_at")?,
    })
}

async fn insert_member(
    tx: &mut Transaction<'static, Any>,
    household_id: Uuid,
    position: usize,
    member_id: Uuid,
    member: &Member,
) -> Result<(), StoreError> {
    let birth = member
        .birth_date()
        .ok_or_else(|| StoreError::Other(anyhow!("a saved member needs a birth date")))?;
    let (days, period) = member.residence.map_or((0, 0), |r| (r.days, r.period));
    let result = sqlx::query(
        "INSERT INTO household_members (id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(member_id.to_string())
    .bind(household_id.to_string())
    .bind(position as i64)
    .bind(member.role.as_str())
    .bind(birth.format("%Y-%m-%d").to_string())
    .bind(member.personal_identity_number.as_ref().map(|p| p.as_str().to_owned()))
    .bind(i64::from(days))
    .bind(i64::from(period))
    .bind(i64::from(member.lunch_at_school))
    .execute(&mut **tx)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(person_elsewhere(position)),
        Err(e) => Err(e.into()),
    }
}

fn person_elsewhere(position: usize) -> StoreError {
    StoreError::Conflict {
        reason: "PERSON_IN_OTHER_HOUSEHOLD",
        message: "this person is already a member of another household".to_owned(),
        field: Some(format!(
            "household.members[{position}].personal_identity_number"
        )),
    }
}

impl SqlStore {
    async fn members_of(&self, household_id: Uuid) -> Result<Vec<Member>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school \
             FROM household_members WHERE household_id = $1 ORDER BY position",
        )
        .bind(household_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| member_from_row(r).map(|(_, m)| m))
            .collect()
    }
}

// --------------------------------------------------------------- norm tables

pub(super) fn hundredths(value: Decimal) -> Result<i64, StoreError> {
    let scaled = value * Decimal::ONE_HUNDRED;
    if !scaled.fract().is_zero() {
        return Err(StoreError::Other(anyhow!(
            "a norm value has more than two decimals"
        )));
    }
    i64::try_from(scaled).map_err(|_| StoreError::Other(anyhow!("a norm value is out of range")))
}

fn norm_header_from_row(row: &AnyRow) -> Result<NormTable, StoreError> {
    Ok(NormTable {
        id: get_str(row, "id")?,
        kind: NormKind::from_str_opt(&get_str(row, "kind")?).ok_or_else(|| corrupt("kind"))?,
        valid_from: get_date(row, "valid_from")?,
        valid_to: get_date(row, "valid_to")?,
        status: TableStatus::from_str_opt(&get_str(row, "status")?)
            .ok_or_else(|| corrupt("status"))?,
        source: get_str(row, "source")?,
        version: i32::try_from(get_i64(row, "version")?).map_err(|_| corrupt("version"))?,
        loaded_by: get_str(row, "loaded_by")?,
        loaded_at: get_time(row, "loaded_at")?,
        rows: BTreeMap::new(),
    })
}

fn attach_rows(tables: &mut [NormTable], rows: &[AnyRow]) -> Result<(), StoreError> {
    let mut index: HashMap<(String, i32), usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        index.insert((t.id.clone(), t.version), i);
    }
    for row in rows {
        let id = get_str(row, "table_id")?;
        let version = i32::try_from(get_i64(row, "version")?).map_err(|_| corrupt("version"))?;
        if let Some(&i) = index.get(&(id, version)) {
            tables[i].rows.insert(
                get_str(row, "key")?,
                Decimal::new(get_i64(row, "value_hundredths")?, 2),
            );
        }
    }
    Ok(())
}

// ------------------------------------------------------------------- budgets

#[derive(Serialize, Deserialize)]
struct StoredTableRef {
    id: String,
    version: i32,
    status: String,
    source: String,
}

fn line_from_row<C>(
    row: &AnyRow,
    parse: fn(&str) -> Option<C>,
) -> Result<MonthlyLine<C>, StoreError> {
    Ok(MonthlyLine {
        entry: Entry {
            category: parse(&get_str(row, "category")?).ok_or_else(|| corrupt("category"))?,
            amount: get_money(row, "amount_ore")?,
            frequency: Frequency::from_str_opt(&get_str(row, "frequency")?)
                .ok_or_else(|| corrupt("frequency"))?,
            description: get_str(row, "description")?,
        },
        monthly: get_money(row, "monthly_ore")?,
        basis: Basis::new(
            get_str(row, "basis_rule")?,
            "",
            get_str(row, "basis_arithmetic")?,
        ),
    })
}

fn comparison_from_row(row: &AnyRow) -> Result<Comparison, StoreError> {
    let actual = get_money(row, "actual_ore")?;
    let reference = get_money(row, "reference_ore")?;
    let difference = actual - reference;
    Ok(Comparison {
        category: ExpenseCategory::from_str_opt(&get_str(row, "category")?)
            .ok_or_else(|| corrupt("category"))?,
        actual,
        reference,
        difference,
        above: difference.is_positive(),
        basis: Basis::new(
            get_str(row, "basis_rule")?,
            get_str(row, "basis_source")?,
            get_str(row, "basis_arithmetic")?,
        ),
    })
}

/// Builds saved budgets from their header rows and all their line and
/// comparison rows (fetched set-wise, not per budget).
pub(super) fn assemble_budgets(
    headers: &[AnyRow],
    lines: &[AnyRow],
    comparisons: &[AnyRow],
) -> Result<Vec<SavedBudget>, StoreError> {
    let mut out = Vec::with_capacity(headers.len());
    let mut position: HashMap<Uuid, usize> = HashMap::new();
    for row in headers {
        let id = get_uuid(row, "id")?;
        let warnings: Vec<String> = serde_json::from_str(&get_str(row, "warnings_json")?)
            .map_err(|_| corrupt("warnings_json"))?;
        let stored: Vec<StoredTableRef> = serde_json::from_str(&get_str(row, "tables_json")?)
            .map_err(|_| corrupt("tables_json"))?;
        let tables = stored
            .into_iter()
            .map(|t| {
                Ok(TableRef {
                    status: TableStatus::from_str_opt(&t.status)
                        .ok_or_else(|| corrupt("tables_json"))?,
                    id: t.id,
                    version: t.version,
                    source: t.source,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let month = YearMonth::parse(&get_str(row, "month")?).ok_or_else(|| corrupt("month"))?;
        position.insert(id, out.len());
        out.push(SavedBudget {
            id,
            household_id: get_uuid(row, "household_id")?,
            household_revision: get_i64(row, "household_revision")?,
            created_at: get_time(row, "created_at")?,
            created_by: get_str(row, "created_by")?,
            result: BudgetResult {
                month,
                incomes: Vec::new(),
                expenses: Vec::new(),
                total_income: get_money(row, "total_income_ore")?,
                total_expenses: get_money(row, "total_expenses_ore")?,
                surplus: get_money(row, "surplus_ore")?,
                comparisons: Vec::new(),
                warnings,
                tables,
            },
        });
    }
    for row in lines {
        let Some(&i) = position.get(&get_uuid(row, "budget_id")?) else {
            continue;
        };
        let result = &mut out[i].result;
        match get_str(row, "direction")?.as_str() {
            "income" => result
                .incomes
                .push(line_from_row(row, IncomeCategory::from_str_opt)?),
            "expense" => result
                .expenses
                .push(line_from_row(row, ExpenseCategory::from_str_opt)?),
            _ => return Err(corrupt("direction")),
        }
    }
    for row in comparisons {
        if let Some(&i) = position.get(&get_uuid(row, "budget_id")?) {
            out[i].result.comparisons.push(comparison_from_row(row)?);
        }
    }
    for budget in &mut out {
        budget.result.comparisons.sort_by_key(|c| c.category);
    }
    Ok(out)
}

async fn insert_budget_line<C: Copy>(
    tx: &mut Transaction<'static, Any>,
    budget_id: &str,
    direction: &str,
    position: usize,
    line: &MonthlyLine<C>,
    key: fn(C) -> &'static str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO budget_lines (budget_id, direction, position, category, description, amount_ore, frequency, monthly_ore, basis_rule, basis_arithmetic) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(budget_id.to_owned())
    .bind(direction.to_owned())
    .bind(position as i64)
    .bind(key(line.entry.category))
    .bind(line.entry.description.clone())
    .bind(ore(line.entry.amount, "a budget line")?)
    .bind(line.entry.frequency.as_str())
    .bind(ore(line.monthly, "a monthly amount")?)
    .bind(line.basis.rule.clone())
    .bind(line.basis.arithmetic.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn ping(&self) -> Result<(), StoreError> {
        match self.backend() {
            // A connection of its own, past the pool: the pool would wait
            // out its acquire timeout retrying a refused connection, and a
            // busy pool would make a healthy database look down.
            Backend::Postgres => {
                use sqlx::ConnectOptions;
                let mut conn = self.pool.connect_options().connect().await?;
                sqlx::query("SELECT 1").execute(&mut conn).await?;
                let _ = sqlx::Connection::close(conn).await;
            }
            // The file does not go away; an in-memory database is only
            // reachable through the pool's one connection.
            Backend::Sqlite => {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    async fn create_household(
        &self,
        draft: &HouseholdDraft,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError> {
        let now = audit.at;
        let id = Uuid::now_v7();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO households (id, case_reference, revision, created_at, updated_at) VALUES ($1, $2, 1, $3, $3)",
        )
        .bind(id.to_string())
        .bind(draft.case_reference.clone())
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await?;
        let mut members = Vec::with_capacity(draft.members.len());
        for (position, member) in draft.members.iter().enumerate() {
            let member_id = Uuid::now_v7();
            insert_member(&mut tx, id, position, member_id, member).await?;
            members.push(Member {
                id: Some(member_id),
                ..member.clone()
            });
        }
        insert_audit(&mut tx, audit, Some(id)).await?;
        tx.commit().await?;
        Ok(Household {
            id,
            case_reference: draft.case_reference.clone(),
            members,
            revision: 1,
            created_at: now,
            updated_at: now,
        })
    }

    async fn get_household(&self, id: Uuid) -> Result<Household, StoreError> {
        let row = sqlx::query(
            "SELECT id, case_reference, revision, created_at, updated_at FROM households WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound { resource: "household" })?;
        let members = self.members_of(id).await?;
        household_from_row(&row, members)
    }

    async fn list_households(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Household>, StoreError> {
        let after = after.map(|u| u.to_string()).unwrap_or_default();
        let fetch = i64::from(limit) + 1;
        let mut rows = sqlx::query(
            "SELECT id, case_reference, revision, created_at, updated_at FROM households \
             WHERE ($1 = '' OR id > $1) ORDER BY id LIMIT $2",
        )
        .bind(after.clone())
        .bind(fetch)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let member_rows = sqlx::query(
            "SELECT id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school \
             FROM household_members WHERE household_id IN \
             (SELECT id FROM households WHERE ($1 = '' OR id > $1) ORDER BY id LIMIT $2) \
             ORDER BY household_id, position",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut by_household: HashMap<Uuid, Vec<Member>> = HashMap::new();
        for row in &member_rows {
            let (household_id, member) = member_from_row(row)?;
            by_household.entry(household_id).or_default().push(member);
        }
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = get_uuid(row, "id")?;
            items.push(household_from_row(
                row,
                by_household.remove(&id).unwrap_or_default(),
            )?);
        }
        let next = if more {
            items.last().map(|h| h.id.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn update_household(
        &self,
        id: Uuid,
        expected_revision: i64,
        draft: &HouseholdDraft,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError> {
        let now = audit.at;
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE households SET case_reference = $1, revision = revision + 1, updated_at = $2 \
             WHERE id = $3 AND revision = $4",
        )
        .bind(draft.case_reference.clone())
        .bind(timestamp(now))
        .bind(id.to_string())
        .bind(expected_revision)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            let current = sqlx::query("SELECT revision FROM households WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match current {
                None => StoreError::NotFound {
                    resource: "household",
                },
                Some(row) => StoreError::StaleRevision {
                    current: get_i64(&row, "revision")?,
                },
            });
        }
        let existing: Vec<String> =
            sqlx::query("SELECT id FROM household_members WHERE household_id = $1")
                .bind(id.to_string())
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| get_str(r, "id"))
                .collect::<Result<_, _>>()?;
        let mut violations = Violations::new();
        for (i, member) in draft.members.iter().enumerate() {
            if let Some(member_id) = member.id
                && !existing.contains(&member_id.to_string())
            {
                violations.add(
                    format!("household.members[{i}].id"),
                    "not a member of this household; leave empty for a new member",
                );
            }
        }
        if !violations.is_empty() {
            return Err(StoreError::Invalid(violations));
        }
        let kept: Vec<String> = draft
            .members
            .iter()
            .filter_map(|m| m.id.map(|u| u.to_string()))
            .collect();
        for old in existing.iter().filter(|e| !kept.contains(e)) {
            sqlx::query("DELETE FROM household_members WHERE id = $1")
                .bind(old.clone())
                .execute(&mut *tx)
                .await?;
        }
        // Kept members are rewritten in place (their ids stay, so records that
        // refer to them stay valid); new members are inserted.
        for member in draft.members.iter().filter(|m| m.id.is_some()) {
            sqlx::query(
                "UPDATE household_members SET personal_identity_number = NULL WHERE id = $1",
            )
            .bind(member.id.map(|u| u.to_string()))
            .execute(&mut *tx)
            .await?;
        }
        let mut members = Vec::with_capacity(draft.members.len());
        for (position, member) in draft.members.iter().enumerate() {
            let member_id = match member.id {
                Some(member_id) => {
                    let birth = member.birth_date().ok_or_else(|| {
                        StoreError::Other(anyhow!("a saved member needs a birth date"))
                    })?;
                    let (days, period) = member.residence.map_or((0, 0), |r| (r.days, r.period));
                    let result = sqlx::query(
                        "UPDATE household_members SET position = $1, role = $2, birth_date = $3, personal_identity_number = $4, \
                         residence_days = $5, residence_period_days = $6, lunch_at_school = $7 WHERE id = $8",
                    )
                    .bind(position as i64)
                    .bind(member.role.as_str())
                    .bind(birth.format("%Y-%m-%d").to_string())
                    .bind(member.personal_identity_number.as_ref().map(|p| p.as_str().to_owned()))
                    .bind(i64::from(days))
                    .bind(i64::from(period))
                    .bind(i64::from(member.lunch_at_school))
                    .bind(member_id.to_string())
                    .execute(&mut *tx)
                    .await;
                    match result {
                        Ok(_) => {}
                        Err(e) if is_unique_violation(&e) => {
                            return Err(person_elsewhere(position));
                        }
                        Err(e) => return Err(e.into()),
                    }
                    member_id
                }
                None => {
                    let member_id = Uuid::now_v7();
                    insert_member(&mut tx, id, position, member_id, member).await?;
                    member_id
                }
            };
            members.push(Member {
                id: Some(member_id),
                ..member.clone()
            });
        }
        let row = sqlx::query(
            "SELECT id, case_reference, revision, created_at, updated_at FROM households WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit, Some(id)).await?;
        tx.commit().await?;
        household_from_row(&row, members)
    }

    async fn find_household_by_person(
        &self,
        pin: &PersonalIdentityNumber,
    ) -> Result<Household, StoreError> {
        let row = sqlx::query(
            "SELECT household_id FROM household_members WHERE personal_identity_number = $1",
        )
        .bind(pin.as_str().to_owned())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound {
            resource: "household",
        })?;
        self.get_household(get_uuid(&row, "household_id")?).await
    }

    async fn all_norm_tables(&self) -> Result<Vec<NormTable>, StoreError> {
        let headers = sqlx::query(
            "SELECT id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at FROM norm_tables t \
             WHERE version = (SELECT MAX(version) FROM norm_tables l WHERE l.id = t.id) \
             ORDER BY valid_from DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut tables = headers
            .iter()
            .map(norm_header_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query(
            "SELECT r.table_id, r.version, r.key, r.value_hundredths FROM norm_table_rows r \
             WHERE r.version = (SELECT MAX(version) FROM norm_tables l WHERE l.id = r.table_id)",
        )
        .fetch_all(&self.pool)
        .await?;
        attach_rows(&mut tables, &rows)?;
        Ok(tables)
    }

    async fn get_norm_table(
        &self,
        id: &str,
        version: Option<i32>,
    ) -> Result<NormTable, StoreError> {
        let header = sqlx::query(
            "SELECT id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at FROM norm_tables \
             WHERE id = $1 AND version = CASE WHEN $2 > 0 THEN $2 ELSE (SELECT MAX(version) FROM norm_tables WHERE id = $1) END",
        )
        .bind(id.to_owned())
        .bind(i64::from(version.unwrap_or(0)))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound { resource: "norm table" })?;
        let mut tables = vec![norm_header_from_row(&header)?];
        let rows = sqlx::query(
            "SELECT table_id, version, key, value_hundredths FROM norm_table_rows WHERE table_id = $1 AND version = $2",
        )
        .bind(id.to_owned())
        .bind(i64::from(tables[0].version))
        .fetch_all(&self.pool)
        .await?;
        attach_rows(&mut tables, &rows)?;
        Ok(tables.remove(0))
    }

    async fn import_norm_table(
        &self,
        draft: &NormTableDraft,
        loaded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<NormTable, StoreError> {
        let mut tx = self.begin_write().await?;
        let latest = sqlx::query(
            "SELECT kind, version FROM norm_tables WHERE id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(draft.id.clone())
        .fetch_optional(&mut *tx)
        .await?;
        let version = match &latest {
            Some(row) => {
                if get_str(row, "kind")? != draft.kind.as_str() {
                    return Err(StoreError::Conflict {
                        reason: "NORM_TABLE_KIND_CHANGED",
                        message: format!("the table {} exists with another kind", draft.id),
                        field: Some("norm_table.kind".to_owned()),
                    });
                }
                get_i64(row, "version")? + 1
            }
            None => 1,
        };
        let from = draft.valid_from.format("%Y-%m-%d").to_string();
        let to = draft.valid_to.format("%Y-%m-%d").to_string();
        let overlap = sqlx::query(
            "SELECT id FROM norm_tables t WHERE kind = $1 AND id <> $2 \
             AND version = (SELECT MAX(version) FROM norm_tables l WHERE l.id = t.id) \
             AND valid_from <= $3 AND valid_to >= $4 ORDER BY id LIMIT 1",
        )
        .bind(draft.kind.as_str())
        .bind(draft.id.clone())
        .bind(to.clone())
        .bind(from.clone())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = overlap {
            return Err(StoreError::Conflict {
                reason: "NORM_TABLE_OVERLAP",
                message: format!(
                    "the period overlaps the {} table {}; re-import that id or change the dates",
                    draft.kind,
                    get_str(&row, "id")?
                ),
                field: Some("norm_table.valid_from".to_owned()),
            });
        }
        sqlx::query(
            "INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(draft.id.clone())
        .bind(version)
        .bind(draft.kind.as_str())
        .bind(from)
        .bind(to)
        .bind(draft.status.as_str())
        .bind(draft.source.clone())
        .bind(loaded_by.to_owned())
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                // Another import of the same id took this version first.
                StoreError::Conflict {
                    reason: "NORM_TABLE_CHANGED",
                    message: format!(
                        "the table {} was imported by someone else at the same time; import again",
                        draft.id
                    ),
                    field: Some("norm_table.id".to_owned()),
                }
            } else {
                e.into()
            }
        })?;
        for (key, value) in &draft.rows {
            sqlx::query(
                "INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES ($1, $2, $3, $4)",
            )
            .bind(draft.id.clone())
            .bind(version)
            .bind(key.clone())
            .bind(hundredths(*value)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(NormTable {
            id: draft.id.clone(),
            kind: draft.kind,
            valid_from: draft.valid_from,
            valid_to: draft.valid_to,
            status: draft.status,
            source: draft.source.clone(),
            version: i32::try_from(version).map_err(|_| corrupt("version"))?,
            loaded_by: loaded_by.to_owned(),
            loaded_at: now,
            rows: draft.rows.clone(),
        })
    }

    async fn create_budget(
        &self,
        household_id: Uuid,
        household_revision: i64,
        result: &BudgetResult,
        audit: &AuditEntry,
    ) -> Result<SavedBudget, StoreError> {
        let (now, created_by) = (audit.at, audit.caller.as_str());
        let id = Uuid::now_v7();
        let id_text = id.to_string();
        let tables: Vec<StoredTableRef> = result
            .tables
            .iter()
            .map(|t| StoredTableRef {
                id: t.id.clone(),
                version: t.version,
                status: t.status.as_str().to_owned(),
                source: t.source.clone(),
            })
            .collect();
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM households WHERE id = $1")
            .bind(household_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                resource: "household",
            });
        }
        sqlx::query(
            "INSERT INTO budgets (id, household_id, household_revision, month, created_at, created_by, total_income_ore, total_expenses_ore, surplus_ore, warnings_json, tables_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id_text.clone())
        .bind(household_id.to_string())
        .bind(household_revision)
        .bind(result.month.to_string())
        .bind(timestamp(now))
        .bind(created_by.to_owned())
        .bind(ore(result.total_income, "total income")?)
        .bind(ore(result.total_expenses, "total expenses")?)
        .bind(ore(result.surplus, "surplus")?)
        .bind(serde_json::to_string(&result.warnings).map_err(|e| StoreError::Other(e.into()))?)
        .bind(serde_json::to_string(&tables).map_err(|e| StoreError::Other(e.into()))?)
        .execute(&mut *tx)
        .await?;
        for (position, line) in result.incomes.iter().enumerate() {
            insert_budget_line(
                &mut tx,
                &id_text,
                "income",
                position,
                line,
                IncomeCategory::as_str,
            )
            .await?;
        }
        for (position, line) in result.expenses.iter().enumerate() {
            insert_budget_line(
                &mut tx,
                &id_text,
                "expense",
                position,
                line,
                ExpenseCategory::as_str,
            )
            .await?;
        }
        for c in &result.comparisons {
            sqlx::query(
                "INSERT INTO budget_comparisons (budget_id, category, actual_ore, reference_ore, basis_rule, basis_source, basis_arithmetic) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id_text.clone())
            .bind(c.category.as_str())
            .bind(ore(c.actual, "a comparison")?)
            .bind(ore(c.reference, "a reference value")?)
            .bind(c.basis.rule.clone())
            .bind(c.basis.source.clone())
            .bind(c.basis.arithmetic.clone())
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, audit, Some(household_id)).await?;
        tx.commit().await?;
        Ok(SavedBudget {
            id,
            household_id,
            household_revision,
            created_at: now,
            created_by: created_by.to_owned(),
            result: result.clone(),
        })
    }

    async fn get_budget(&self, id: Uuid) -> Result<SavedBudget, StoreError> {
        let headers = sqlx::query(
            "SELECT id, household_id, household_revision, month, created_at, created_by, total_income_ore, total_expenses_ore, surplus_ore, warnings_json, tables_json \
             FROM budgets WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        if headers.is_empty() {
            return Err(StoreError::NotFound { resource: "budget" });
        }
        let lines = sqlx::query(
            "SELECT budget_id, direction, position, category, description, amount_ore, frequency, monthly_ore, basis_rule, basis_arithmetic \
             FROM budget_lines WHERE budget_id = $1 ORDER BY direction, position",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        let comparisons = sqlx::query(
            "SELECT budget_id, category, actual_ore, reference_ore, basis_rule, basis_source, basis_arithmetic \
             FROM budget_comparisons WHERE budget_id = $1",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut budgets = assemble_budgets(&headers, &lines, &comparisons)?;
        Ok(budgets.remove(0))
    }

    async fn list_budgets(
        &self,
        household_id: Uuid,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<SavedBudget>, StoreError> {
        let before = before.map(|u| u.to_string()).unwrap_or_default();
        let household = household_id.to_string();
        let mut headers = sqlx::query(
            "SELECT id, household_id, household_revision, month, created_at, created_by, total_income_ore, total_expenses_ore, surplus_ore, warnings_json, tables_json \
             FROM budgets WHERE household_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(household.clone())
        .bind(before.clone())
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await?;
        let more = headers.len() > limit as usize;
        headers.truncate(limit as usize);
        // Lines and comparisons of the same page, selected set-wise by the
        // same condition (queries are literals, so it is repeated).
        let lines = sqlx::query(
            "SELECT budget_id, direction, position, category, description, amount_ore, frequency, monthly_ore, basis_rule, basis_arithmetic \
             FROM budget_lines WHERE budget_id IN \
             (SELECT id FROM budgets WHERE household_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3) \
             ORDER BY budget_id, direction, position",
        )
        .bind(household.clone())
        .bind(before.clone())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let comparisons = sqlx::query(
            "SELECT budget_id, category, actual_ore, reference_ore, basis_rule, basis_source, basis_arithmetic \
             FROM budget_comparisons WHERE budget_id IN \
             (SELECT id FROM budgets WHERE household_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3)",
        )
        .bind(household)
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let items = assemble_budgets(&headers, &lines, &comparisons)?;
        let next = if more {
            items.last().map(|b| b.id.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
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
        self.insert_debt(
            household_id,
            draft,
            opening,
            balance_date,
            idempotency,
            audit,
        )
        .await
    }

    async fn get_debt(&self, id: Uuid) -> Result<Debt, StoreError> {
        self.debt(id).await
    }

    async fn list_debts(
        &self,
        household_id: Uuid,
        kind: Option<DebtKind>,
        status: Option<DebtStatus>,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Debt>, StoreError> {
        self.list_debts_page(household_id, kind, status, after, limit)
            .await
    }

    async fn update_debt(
        &self,
        id: Uuid,
        expected_revision: i64,
        draft: &DebtDraft,
        audit: &AuditEntry,
    ) -> Result<Debt, StoreError> {
        self.update_debt_terms(id, expected_revision, draft, audit)
            .await
    }

    async fn record_debt_event(
        &self,
        debt_id: Uuid,
        event: &NewDebtEvent,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<(DebtEvent, Debt), StoreError> {
        self.record_event(debt_id, event, idempotency, audit).await
    }

    async fn list_debt_events(
        &self,
        debt_id: Uuid,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<DebtEvent>, StoreError> {
        self.debt_events_page(debt_id, after, limit).await
    }

    async fn create_landlord(
        &self,
        draft: &LandlordDraft,
        now: DateTime<Utc>,
    ) -> Result<Landlord, StoreError> {
        self.insert_landlord(draft, now).await
    }

    async fn get_landlord(&self, id: Uuid) -> Result<Landlord, StoreError> {
        self.landlord(id).await
    }

    async fn list_landlords(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Landlord>, StoreError> {
        self.landlords_page(after, limit).await
    }

    async fn create_lease(
        &self,
        draft: &LeaseDraft,
        start: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError> {
        self.insert_lease(draft, start, rent, audit).await
    }

    async fn get_lease(&self, id: Uuid) -> Result<Lease, StoreError> {
        self.lease(id).await
    }

    async fn list_leases(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Lease>, StoreError> {
        self.leases_page(household_id, after, limit).await
    }

    async fn change_lease_rent(
        &self,
        lease_id: Uuid,
        from: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError> {
        self.insert_rent_change(lease_id, from, rent, audit).await
    }

    async fn create_eviction_notice(
        &self,
        lease_id: Uuid,
        served_on: NaiveDate,
        amount_owed: Money,
        deadline: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError> {
        self.insert_eviction_notice(lease_id, served_on, amount_owed, deadline, note, audit)
            .await
    }

    async fn get_eviction_notice(&self, id: Uuid) -> Result<EvictionNotice, StoreError> {
        self.eviction_notice(id).await
    }

    async fn list_eviction_notices(
        &self,
        household_id: Option<Uuid>,
        include_resolved: bool,
        after: Option<(NaiveDate, Uuid)>,
        limit: u32,
    ) -> Result<Page<EvictionNotice>, StoreError> {
        self.eviction_notices_page(household_id, include_resolved, after, limit)
            .await
    }

    async fn resolve_eviction_notice(
        &self,
        id: Uuid,
        resolution: NoticeResolution,
        on: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError> {
        self.mark_notice_resolved(id, resolution, on, note, audit)
            .await
    }

    async fn create_rent_plan(
        &self,
        draft: &RentPlanDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError> {
        self.insert_rent_plan(draft, idempotency, audit).await
    }

    async fn get_rent_plan(&self, id: Uuid) -> Result<RentPlan, StoreError> {
        self.rent_plan(id).await
    }

    async fn list_rent_plans(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPlan>, StoreError> {
        self.rent_plans_page(household_id, after, limit).await
    }

    async fn record_plan_payment(
        &self,
        plan_id: Uuid,
        date: NaiveDate,
        amount: Money,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPlan, StoreError> {
        self.insert_plan_payment(plan_id, date, amount, idempotency, audit)
            .await
    }

    async fn record_rent_payout(
        &self,
        draft: &PayoutDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError> {
        self.insert_rent_payout(draft, idempotency, audit).await
    }

    async fn reverse_rent_payout(
        &self,
        payout_id: Uuid,
        reason: &str,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentPayout, StoreError> {
        self.insert_reversal(payout_id, reason, idempotency, audit)
            .await
    }

    async fn get_rent_payout(&self, id: Uuid) -> Result<RentPayout, StoreError> {
        self.rent_payout(id).await
    }

    async fn list_rent_payouts(
        &self,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentPayout>, StoreError> {
        self.rent_payouts_page(filter, after, limit).await
    }

    async fn record_rent_receipt(
        &self,
        draft: &ReceiptDraft,
        idempotency: &Idempotency,
        audit: &AuditEntry,
    ) -> Result<RentReceipt, StoreError> {
        self.insert_receipt(draft, idempotency, audit).await
    }

    async fn get_rent_receipt(&self, id: Uuid) -> Result<RentReceipt, StoreError> {
        self.rent_receipt(id).await
    }

    async fn list_rent_receipts(
        &self,
        filter: &LedgerFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<RentReceipt>, StoreError> {
        self.rent_receipts_page(filter, after, limit).await
    }

    async fn rent_check_facts(
        &self,
        asked: &CheckSubjects,
        audit: &AuditEntry,
    ) -> Result<CheckFacts, StoreError> {
        self.check_facts(asked, audit).await
    }

    async fn append_audit(
        &self,
        entry: &AuditEntry,
        households: &[Option<Uuid>],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Sqlite {
            // One statement over a JSON array of the households: binding
            // hundreds of parameters costs SQLite (through sqlx) a lookup
            // of each parameter's name, and with a batch of rent checks'
            // thousand rows that took a fifth of the stream's time.
            let households: Vec<Option<String>> = households
                .iter()
                .map(|h| h.map(|h| h.to_string()))
                .collect();
            let households = serde_json::to_string(&households)
                .map_err(|e| StoreError::Other(anyhow!("encoding audited households: {e}")))?;
            sqlx::query(
                "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome) \
                 SELECT $1, $2, $3, $4, value, $5 FROM json_each($6)",
            )
            .bind(timestamp(entry.at))
            .bind(entry.caller.clone())
            .bind(entry.role.clone())
            .bind(entry.method.clone())
            .bind(entry.outcome.clone())
            .bind(households)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        // Many rows to a statement (a batch of rent checks records up to a
        // thousand): the entry's fields are bound once, then one household
        // each. Statements of one length are prepared once and reused.
        const ROWS: usize = LIST_PARAMS - 5;
        for chunk in households.chunks(ROWS) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, $2, $3, $4, ${}, $5)", i + 6))
                .collect();
            let sql = format!(
                "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(timestamp(entry.at))
                .bind(entry.caller.clone())
                .bind(entry.role.clone())
                .bind(entry.method.clone())
                .bind(entry.outcome.clone());
            for household in chunk {
                query = query.bind(household.map(|h| h.to_string()));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_audit_events(
        &self,
        filter: &AuditFilter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut rows = sqlx::query(
            "SELECT sequence, occurred_at, caller, role, method, household_id, outcome FROM audit_events \
             WHERE sequence > $1 AND ($2 = '' OR household_id = $2) AND ($3 = '' OR caller = $3) \
             AND ($4 = '' OR method = $4) AND ($5 = '' OR outcome = $5) \
             AND ($6 = '' OR occurred_at >= $6) AND ($7 = '' OR occurred_at < $7) \
             ORDER BY sequence LIMIT $8",
        )
        .bind(after.unwrap_or(0))
        .bind(filter.household_id.map(|h| h.to_string()).unwrap_or_default())
        .bind(text(&filter.caller))
        .bind(text(&filter.method))
        .bind(text(&filter.outcome))
        .bind(filter.start.map(timestamp).unwrap_or_default())
        .bind(filter.end.map(timestamp).unwrap_or_default())
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let items = rows
            .iter()
            .map(audit_event_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let next = if more {
            items.last().map(|e| e.sequence.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

// ---------------------------------------------------------------- audit

pub(super) async fn insert_audit(
    tx: &mut Transaction<'static, Any>,
    entry: &AuditEntry,
    household: Option<Uuid>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(timestamp(entry.at))
    .bind(entry.caller.clone())
    .bind(entry.role.clone())
    .bind(entry.method.clone())
    .bind(household.map(|h| h.to_string()))
    .bind(entry.outcome.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn audit_event_from_row(row: &AnyRow) -> Result<AuditEvent, StoreError> {
    let household: Option<String> = row.try_get("household_id")?;
    let household_id = match household {
        Some(h) => Some(Uuid::parse_str(&h).map_err(|_| corrupt("household_id"))?),
        None => None,
    };
    Ok(AuditEvent {
        sequence: get_i64(row, "sequence")?,
        household_id,
        entry: AuditEntry {
            at: get_time(row, "occurred_at")?,
            caller: get_str(row, "caller")?,
            role: get_str(row, "role")?,
            method: get_str(row, "method")?,
            outcome: get_str(row, "outcome")?,
        },
    })
}
