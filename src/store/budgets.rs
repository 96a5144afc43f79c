//! Saved budgets in SQL: a budget's header, its income and expense lines
//! and its comparisons with the reference costs, as computed when saved.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};
use uuid::Uuid;

use super::audit::insert_audit;
use super::households::check_household;
use super::paging::{Fetched, fetch_limit};
use super::sql::{corrupt, get_i64, get_money, get_str, get_time, get_uuid, ore, timestamp};
use super::{Page, SqlStore, StoreError};
use crate::domain::audit::AuditEntry;
use crate::domain::budget::{
    BudgetResult, Comparison, Entry, ExpenseCategory, Frequency, IncomeCategory, MonthlyLine,
    SavedBudget,
};
use crate::domain::calendar::YearMonth;
use crate::domain::explain::Basis;
use crate::domain::norms::{TableRef, TableStatus};

#[async_trait]
pub trait BudgetStore: Send + Sync {
    async fn create_budget(
        &self,
        household_id: Uuid,
        household_revision: i64,
        result: &BudgetResult,
        audit: &AuditEntry,
    ) -> Result<SavedBudget, StoreError>;
    async fn get_budget(&self, id: Uuid) -> Result<SavedBudget, StoreError>;
    /// A household's budgets, newest first, before `before`.
    async fn list_budgets(
        &self,
        household_id: Uuid,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<SavedBudget>, StoreError>;
}

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
fn assemble_budgets(
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
impl BudgetStore for SqlStore {
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
        check_household(&mut tx, household_id).await?;
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
        .fetch_all(self.pool())
        .await?;
        if headers.is_empty() {
            return Err(StoreError::NotFound { resource: "budget" });
        }
        let lines = sqlx::query(
            "SELECT budget_id, direction, position, category, description, amount_ore, frequency, monthly_ore, basis_rule, basis_arithmetic \
             FROM budget_lines WHERE budget_id = $1 ORDER BY direction, position",
        )
        .bind(id.to_string())
        .fetch_all(self.pool())
        .await?;
        let comparisons = sqlx::query(
            "SELECT budget_id, category, actual_ore, reference_ore, basis_rule, basis_source, basis_arithmetic \
             FROM budget_comparisons WHERE budget_id = $1",
        )
        .bind(id.to_string())
        .fetch_all(self.pool())
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
        let headers = sqlx::query(
            "SELECT id, household_id, household_revision, month, created_at, created_by, total_income_ore, total_expenses_ore, surplus_ore, warnings_json, tables_json \
             FROM budgets WHERE household_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(household.clone())
        .bind(before.clone())
        .bind(fetch_limit(limit))
        .fetch_all(self.reads())
        .await?;
        let headers = Fetched::new(headers, limit);
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
        .fetch_all(self.reads())
        .await?;
        let comparisons = sqlx::query(
            "SELECT budget_id, category, actual_ore, reference_ore, basis_rule, basis_source, basis_arithmetic \
             FROM budget_comparisons WHERE budget_id IN \
             (SELECT id FROM budgets WHERE household_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3)",
        )
        .bind(household)
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(self.reads())
        .await?;
        let items = assemble_budgets(headers.rows(), &lines, &comparisons)?;
        Ok(headers.page(items, |b| b.id.to_string()))
    }
}
