//! What a batch of rent checks reads, set-based: one statement per part of
//! the batch, which resolves the subjects, reads
//! their households' leases, rents, ledger entries of the months asked and
//! plan ids, joined in the database; never a query per item. The checks
//! themselves are computed from these facts by `domain::rent_check` and
//! the caller.
//!
//! The subjects go to the statement as one text parameter each list (a
//! comma-separated list on PostgreSQL, a JSON array on SQLite), so binding
//! costs the same whatever the batch's size, and a part holds at most
//! [`LIST_BYTES`] of them (see there why).
//!
//! Each subject asked is one access to a household's data and gets one
//! audit record: on PostgreSQL the read statement writes them itself (a
//! data-modifying `WITH`), so reading and recording are one statement; on
//! SQLite, which has no such `WITH`, `append_audit` follows the reads.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use uuid::Uuid;

use super::plans::{payment_from_row, plan_from_row};
use super::sql::{LIST_PARAMS, corrupt, get_uuid, placeholders, timestamp};
use super::{AuditStore, Backend, SqlStore, Store, StoreError};
use crate::domain::audit::{AuditEntry, OTHER_UNIT};
use crate::domain::calendar::YearMonth;
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::money::Money;
use crate::domain::rent_check::{LeaseRents, LedgerAmount, RentFacts};
use crate::domain::rent_plan::PlanPaymentRecord;
use crate::domain::unit::Units;

/// The subjects of a batch of rent checks: one per item (repeats kept,
/// since each item is one access to record), and the rent months asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckSubjects {
    pub people: Vec<PersonalIdentityNumber>,
    pub households: Vec<Uuid>,
    pub months: Vec<YearMonth>,
}

/// What the store found for a batch of rent checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckFacts {
    /// The household of each personnummer asked about that a member has,
    /// keyed by the 12-digit number.
    pub people: std::collections::HashMap<String, Uuid>,
    /// The households asked about by id that exist.
    pub households: std::collections::HashSet<Uuid>,
    /// The rent facts of all these households in the months asked.
    pub rent: RentFacts,
}

#[async_trait]
pub trait CheckStore: Send + Sync {
    /// What a batch of rent checks needs, read set-based (a few
    /// statements, whatever the batch's size: a caller batches up to about
    /// a thousand subjects), and one audit record per subject asked, with
    /// its household or, when none matches, without one.
    async fn rent_check_facts(
        &self,
        asked: &CheckSubjects,
        units: &Units,
        audit: &AuditEntry,
    ) -> Result<CheckFacts, StoreError>;
}

/// The most bytes of listed values one statement binds. sqlx 0.9.0 leaves
/// Nagle's algorithm on (see [`LIST_PARAMS`]): a message larger than the
/// socket's first send buffer (16 KiB) waits ~40 ms for PostgreSQL's
/// delayed ACK, so a statement's lists (the months' included) stay under
/// it, with room for the audit entry. 14 KiB holds a stream's chunk of a
/// thousand personnummer (13 bytes each with its comma), or about 390
/// household ids.
const LIST_BYTES: usize = 14 * 1024;

/// The common table expressions of a part's read (see [`PART_POSTGRES`]):
/// `$4` is the caller's units (`Units::sql_param`). A person's household
/// row is read only to see its unit, so only for a caller of some units
/// (`CASE`): for a caller of all, one index descent a check fewer. Each
/// table is searched once a lease: `owned` reads a lease's end with its
/// id (one covering index), and `entries` reads each payout of the months
/// once, with whether it was reversed and whether the bank rejected or
/// returned it, for both the `payout` and the `failed` rows.
macro_rules! part_postgres_with {
    () => {
        "\
WITH asked_people AS (SELECT a.pin FROM unnest(string_to_array($1, ',')) AS a(pin)), \
asked_households AS (SELECT a.id FROM unnest(string_to_array($2, ',')) AS a(id)), \
people_all AS (SELECT m.personal_identity_number AS pin, m.household_id, \
  CASE WHEN $4 = '*' THEN TRUE ELSE EXISTS (SELECT 1 FROM households h \
    WHERE h.id = m.household_id AND $4 LIKE ('%,' || h.unit || ',%')) END AS visible \
  FROM household_members m WHERE m.personal_identity_number IN (SELECT pin FROM asked_people)), \
known_all AS (SELECT h.id, ($4 = '*' OR $4 LIKE ('%,' || h.unit || ',%')) AS visible \
  FROM households h WHERE h.id IN (SELECT id FROM asked_households)), \
wanted AS (SELECT household_id AS id FROM people_all WHERE visible \
  UNION SELECT id FROM known_all WHERE visible), \
owned AS (SELECT l.id, l.household_id, l.end_month FROM leases l \
  WHERE l.household_id IN (SELECT id FROM wanted)), \
months AS (SELECT DISTINCT m.month FROM unnest(string_to_array($3, ',')) AS m(month)), \
entries AS (SELECT t.id, t.lease_id, t.rent_month, t.amount_ore, \
  EXISTS (SELECT 1 FROM rent_payout_reversals v WHERE v.payout_id = t.id) AS reversed, \
  EXISTS (SELECT 1 FROM payout_bank_states v \
    WHERE v.payout_id = t.id AND v.state IN ('rejected', 'returned')) AS failed \
  FROM owned o CROSS JOIN months m \
  JOIN rent_payouts t ON t.lease_id = o.id AND t.rent_month = m.month WHERE t.kind = 'rent') \
"
    };
}

/// The rows of a part's read (see [`PART_POSTGRES`]). A payout counts
/// unless reversed or failed at the bank, as the view `voided_payouts`
/// says.
macro_rules! part_postgres_select {
    () => {
        "\
SELECT 'person' AS kind, pin AS id, household_id AS owner, CAST(NULL AS TEXT) AS month, \
  CAST(NULL AS BIGINT) AS amount FROM people_all WHERE visible \
UNION ALL SELECT 'household', id, NULL, NULL, NULL FROM known_all WHERE visible \
UNION ALL SELECT 'other_person', pin, household_id, NULL, NULL FROM people_all WHERE NOT visible \
UNION ALL SELECT 'other_household', id, NULL, NULL, NULL FROM known_all WHERE NOT visible \
UNION ALL SELECT 'rent', o.id, o.household_id, r.from_month, r.rent_ore FROM owned o \
  JOIN lease_rents r ON r.lease_id = o.id \
UNION ALL SELECT 'end', id, household_id, end_month, NULL FROM owned WHERE end_month IS NOT NULL \
UNION ALL SELECT 'payout', id, lease_id, rent_month, amount_ore FROM entries \
  WHERE NOT reversed AND NOT failed \
UNION ALL SELECT 'failed', id, lease_id, rent_month, amount_ore FROM entries WHERE failed \
UNION ALL SELECT 'receipt', t.id, t.lease_id, t.rent_month, t.amount_ore FROM owned o \
  CROSS JOIN months m JOIN rent_receipts t ON t.lease_id = o.id AND t.rent_month = m.month \
  WHERE t.kind = 'rent' \
UNION ALL SELECT 'plan', p.id, p.lease_id, NULL, NULL FROM rent_plans p \
  WHERE p.household_id IN (SELECT id FROM wanted)"
    };
}

/// The facts of one part, PostgreSQL. `$1` personnummer, `$2` household
/// ids, `$3` months, comma-separated; `$4` the caller's units
/// (`Units::sql_param`): another unit's household is left out, as if
/// unknown, and its audit row says `OTHER_UNIT`; `$5…$9` the audit entry.
/// Every row is `kind, id, owner, month, amount`:
/// - `person`: a personnummer asked and its household,
/// - `household`: a household asked by id that exists,
/// - `other_person` / `other_household`: the same, of another unit,
/// - `rent`: a lease, its household, and one rent from a month,
/// - `payout` / `receipt`: an entry, its lease, rent month and amount
///   (ongoing rent only; reversed payouts, and those the bank rejected or
///   returned, left out),
/// - `failed`: a payout of the month the bank rejected or returned,
/// - `plan`: an arrears plan on one of the households' leases.
const PART_POSTGRES: &str = concat!(
    part_postgres_with!(),
    "\
, audited AS (INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome) \
  SELECT $5, $6, $7, $8, p.household_id, \
    CASE WHEN p.household_id IS NULL OR p.visible THEN $9 ELSE 'OTHER_UNIT' END \
    FROM asked_people a LEFT JOIN people_all p ON p.pin = a.pin \
  UNION ALL SELECT $5, $6, $7, $8, k.id, \
    CASE WHEN k.id IS NULL OR k.visible THEN $9 ELSE 'OTHER_UNIT' END \
    FROM asked_households a LEFT JOIN known_all k ON k.id = a.id) ",
    part_postgres_select!()
);

/// The same read without the audit records (`$1…$4` only), for a read
/// replica, which takes no writes: the records follow on the primary.
const PART_POSTGRES_READ: &str = concat!(part_postgres_with!(), part_postgres_select!());

/// The same read on SQLite, the lists as JSON arrays; no audit here. Its
/// rows come back as one JSON array: sqlx hands SQLite's rows over from a
/// worker thread through a channel of 50, and those thread switches cost
/// more than the query. The `CROSS JOIN`s fix the join order, which SQLite
/// otherwise chose as a scan of the whole ledger.
const PART_SQLITE: &str = "\
WITH people_all AS MATERIALIZED (SELECT m.personal_identity_number AS pin, m.household_id, \
  CASE WHEN $4 = '*' THEN 1 ELSE EXISTS (SELECT 1 FROM households h \
    WHERE h.id = m.household_id AND $4 LIKE ('%,' || h.unit || ',%')) END AS visible \
  FROM household_members m WHERE m.personal_identity_number IN (SELECT value FROM json_each($1))), \
known_all AS MATERIALIZED (SELECT h.id, ($4 = '*' OR $4 LIKE ('%,' || h.unit || ',%')) AS visible \
  FROM households h WHERE h.id IN (SELECT value FROM json_each($2))), \
wanted AS MATERIALIZED (SELECT household_id AS id FROM people_all WHERE visible \
  UNION SELECT id FROM known_all WHERE visible), \
owned AS MATERIALIZED (SELECT l.id, l.household_id, l.end_month FROM leases l \
  WHERE l.household_id IN (SELECT id FROM wanted)), \
months AS MATERIALIZED (SELECT DISTINCT value AS month FROM json_each($3)), \
entries AS MATERIALIZED (SELECT t.id, t.lease_id, t.rent_month, t.amount_ore, \
  EXISTS (SELECT 1 FROM rent_payout_reversals v WHERE v.payout_id = t.id) AS reversed, \
  EXISTS (SELECT 1 FROM payout_bank_states v \
    WHERE v.payout_id = t.id AND v.state IN ('rejected', 'returned')) AS failed \
  FROM owned o CROSS JOIN months m CROSS JOIN rent_payouts t \
  WHERE t.lease_id = o.id AND t.rent_month = m.month AND t.kind = 'rent') \
SELECT json_group_array(json_array(kind, id, owner, month, amount)) AS facts FROM ( \
SELECT 'person' AS kind, pin AS id, household_id AS owner, NULL AS month, NULL AS amount \
  FROM people_all WHERE visible \
UNION ALL SELECT 'household', id, NULL, NULL, NULL FROM known_all WHERE visible \
UNION ALL SELECT 'other_person', pin, household_id, NULL, NULL FROM people_all WHERE NOT visible \
UNION ALL SELECT 'other_household', id, NULL, NULL, NULL FROM known_all WHERE NOT visible \
UNION ALL SELECT 'rent', o.id, o.household_id, r.from_month, r.rent_ore FROM owned o \
  CROSS JOIN lease_rents r WHERE r.lease_id = o.id \
UNION ALL SELECT 'end', id, household_id, end_month, NULL FROM owned WHERE end_month IS NOT NULL \
UNION ALL SELECT 'payout', id, lease_id, rent_month, amount_ore FROM entries \
  WHERE NOT reversed AND NOT failed \
UNION ALL SELECT 'failed', id, lease_id, rent_month, amount_ore FROM entries WHERE failed \
UNION ALL SELECT 'receipt', t.id, t.lease_id, t.rent_month, t.amount_ore FROM owned o \
  CROSS JOIN months m CROSS JOIN rent_receipts t \
  WHERE t.lease_id = o.id AND t.rent_month = m.month AND t.kind = 'rent' \
UNION ALL SELECT 'plan', p.id, p.lease_id, NULL, NULL FROM rent_plans p \
  WHERE p.household_id IN (SELECT id FROM wanted)) AS u";

/// A part of a batch: the subjects one statement asks about.
#[derive(Default)]
struct Part<'a> {
    people: Vec<&'a str>,
    households: Vec<String>,
}

/// Splits the subjects into parts of at most `budget` bytes (each value
/// counted with its separator), in the order given.
fn parts(asked: &CheckSubjects, budget: usize) -> Vec<Part<'_>> {
    let mut parts = vec![Part::default()];
    let mut bytes = 0;
    let mut room = |len: usize, parts: &mut Vec<Part<'_>>| {
        if bytes + len + 1 > budget && bytes > 0 {
            parts.push(Part::default());
            bytes = 0;
        }
        bytes += len + 1;
    };
    for pin in &asked.people {
        room(pin.as_str().len(), &mut parts);
        if let Some(part) = parts.last_mut() {
            part.people.push(pin.as_str());
        }
    }
    for id in &asked.households {
        let id = id.to_string();
        room(id.len(), &mut parts);
        if let Some(part) = parts.last_mut() {
            part.households.push(id);
        }
    }
    parts
}

/// A list as the backend's statements take it: comma-separated on
/// PostgreSQL (no value has a comma: they are validated numbers, ids and
/// months), a JSON array on SQLite.
fn list<S: AsRef<str>>(backend: Backend, values: &[S]) -> String {
    match backend {
        Backend::Postgres => values
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(","),
        Backend::Sqlite => serde_json::Value::from(
            values
                .iter()
                .map(|v| v.as_ref().to_owned())
                .collect::<Vec<_>>(),
        )
        .to_string(),
    }
}

/// What the parts found, merged: a household asked about in two parts
/// (two of its members, say) comes back from each, once kept.
#[derive(Default)]
struct Found {
    people: HashMap<String, Uuid>,
    households: HashSet<Uuid>,
    leases: HashMap<Uuid, LeaseRents>,
    payouts: HashMap<Uuid, LedgerAmount>,
    receipts: HashMap<Uuid, LedgerAmount>,
    plans: HashSet<Uuid>,
    /// The subjects asked about that belong to another unit's household,
    /// for their audit rows (`OTHER_UNIT`) when the store writes them after
    /// the read (SQLite, or a PostgreSQL replica).
    other_people: HashMap<String, Uuid>,
    other_households: HashSet<Uuid>,
    failed_payouts: HashMap<Uuid, LedgerAmount>,
}

/// One row of a part's answer: `kind, id, owner, month, amount` (see
/// [`PART_POSTGRES`]).
/// Borrowed from the row or the JSON text: a chunk's thousands of values
/// are parsed where they lie, not copied first.
type Fact<'r> = (
    &'r str,
    &'r str,
    Option<&'r str>,
    Option<&'r str>,
    Option<i64>,
);

fn fact_of_row(row: &AnyRow) -> Result<Fact<'_>, StoreError> {
    Ok((
        row.try_get("kind")?,
        row.try_get("id")?,
        row.try_get("owner")?,
        row.try_get("month")?,
        row.try_get("amount")?,
    ))
}

fn parse_uuid(value: Option<&str>, what: &str) -> Result<Uuid, StoreError> {
    value
        .and_then(|v| Uuid::parse_str(v).ok())
        .ok_or_else(|| corrupt(what))
}

impl Found {
    fn add(&mut self, facts: Vec<Fact<'_>>) -> Result<(), StoreError> {
        // A lease's rents all come from one part.
        let mut leases: HashMap<Uuid, LeaseRents> = HashMap::new();
        let mut ends: HashMap<Uuid, YearMonth> = HashMap::new();
        for (kind, id, owner, month, amount) in facts {
            let month = || {
                month
                    .and_then(YearMonth::parse)
                    .ok_or_else(|| corrupt("month"))
            };
            let amount = || amount.map(Money::from_ore).ok_or_else(|| corrupt("amount"));
            match kind {
                "person" => {
                    self.people
                        .insert(id.to_owned(), parse_uuid(owner, "owner")?);
                }
                "household" => {
                    self.households.insert(parse_uuid(Some(id), "id")?);
                }
                "other_person" => {
                    self.other_people
                        .insert(id.to_owned(), parse_uuid(owner, "owner")?);
                }
                "other_household" => {
                    self.other_households.insert(parse_uuid(Some(id), "id")?);
                }
                "rent" => {
                    let lease = parse_uuid(Some(id), "id")?;
                    let rent = (month()?, amount()?);
                    match leases.get_mut(&lease) {
                        Some(lease) => lease.rents.push(rent),
                        None => {
                            leases.insert(
                                lease,
                                LeaseRents {
                                    lease_id: lease,
                                    household_id: parse_uuid(owner, "owner")?,
                                    rents: vec![rent],
                                    end_month: None,
                                },
                            );
                        }
                    }
                }
                "end" => {
                    ends.insert(parse_uuid(Some(id), "id")?, month()?);
                }
                "payout" | "receipt" | "failed" => {
                    let entry = LedgerAmount {
                        id: parse_uuid(Some(id), "id")?,
                        lease_id: parse_uuid(owner, "owner")?,
                        month: month()?,
                        amount: amount()?,
                    };
                    let into = match kind {
                        "payout" => &mut self.payouts,
                        "failed" => &mut self.failed_payouts,
                        _ => &mut self.receipts,
                    };
                    into.insert(entry.id, entry);
                }
                "plan" => {
                    self.plans.insert(parse_uuid(Some(id), "id")?);
                }
                _ => return Err(corrupt("kind")),
            }
        }
        for (id, mut lease) in leases {
            lease.rents.sort_unstable_by_key(|(from, _)| *from);
            lease.end_month = ends.get(&id).copied();
            self.leases.entry(id).or_insert(lease);
        }
        Ok(())
    }
}

#[async_trait]
impl CheckStore for SqlStore {
    async fn rent_check_facts(
        &self,
        asked: &CheckSubjects,
        units: &Units,
        audit: &AuditEntry,
    ) -> Result<CheckFacts, StoreError> {
        let months: Vec<String> = asked.months.iter().map(YearMonth::to_string).collect();
        let months = list(self.backend(), &months);
        let at = timestamp(audit.at);
        let mut found = Found::default();
        // A replica's reads are all of one moment of it, the plans' too;
        // its audit records are written to the primary after.
        let replica = self.replica_reads();
        let reads = replica.unwrap_or(self.pool());
        // SQLite is in the process: no socket, so one statement for all.
        let budget = match self.backend() {
            Backend::Postgres => LIST_BYTES.saturating_sub(months.len()),
            Backend::Sqlite => usize::MAX,
        };
        for part in parts(asked, budget) {
            if part.people.is_empty() && part.households.is_empty() {
                continue;
            }
            let people = list(self.backend(), &part.people);
            let households = list(self.backend(), &part.households);
            match (self.backend(), replica) {
                (Backend::Postgres, Some(replica)) => {
                    let rows = sqlx::query(PART_POSTGRES_READ)
                        .bind(people)
                        .bind(households)
                        .bind(months.clone())
                        .bind(units.sql_param())
                        .fetch_all(replica)
                        .await?;
                    found.add(rows.iter().map(fact_of_row).collect::<Result<_, _>>()?)?;
                }
                (Backend::Postgres, None) => {
                    let rows = sqlx::query(PART_POSTGRES)
                        .bind(people)
                        .bind(households)
                        .bind(months.clone())
                        .bind(units.sql_param())
                        .bind(at.clone())
                        .bind(audit.caller.clone())
                        .bind(audit.role.clone())
                        .bind(audit.method.clone())
                        .bind(audit.outcome.clone())
                        .fetch_all(self.pool())
                        .await?;
                    found.add(rows.iter().map(fact_of_row).collect::<Result<_, _>>()?)?;
                }
                (Backend::Sqlite, _) => {
                    let json: Option<String> = sqlx::query_scalar(PART_SQLITE)
                        .bind(people)
                        .bind(households)
                        .bind(months.clone())
                        .bind(units.sql_param())
                        .fetch_one(self.pool())
                        .await?;
                    // Ids, numbers and months need no JSON escapes, so
                    // every value borrows from the text.
                    let json = json.unwrap_or_default();
                    let facts = if json.is_empty() {
                        Vec::new()
                    } else {
                        serde_json::from_str(&json).map_err(|_| corrupt("facts"))?
                    };
                    found.add(facts)?;
                }
            }
        }
        if self.backend() == Backend::Sqlite || replica.is_some() {
            self.audit_subjects(asked, &found, audit).await?;
        }
        let plans = plans_by_id(
            reads,
            &found.plans.iter().map(Uuid::to_string).collect::<Vec<_>>(),
        )
        .await?;
        let by_id = |entries: HashMap<Uuid, LedgerAmount>| {
            let mut entries: Vec<LedgerAmount> = entries.into_values().collect();
            entries.sort_unstable_by_key(|e| e.id);
            entries
        };
        let mut leases: Vec<LeaseRents> = found.leases.into_values().collect();
        leases.sort_unstable_by_key(|l| l.lease_id);
        Ok(CheckFacts {
            people: found.people,
            households: found.households,
            rent: RentFacts {
                leases,
                payouts: by_id(found.payouts),
                receipts: by_id(found.receipts),
                plans,
                failed_payouts: by_id(found.failed_payouts),
            },
        })
    }
}

impl SqlStore {
    /// SQLite, or PostgreSQL after a replica's read: one audit record per subject asked, with its household or
    /// none (`append_audit`, one transaction).
    async fn audit_subjects(
        &self,
        asked: &CheckSubjects,
        found: &Found,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let households: Vec<Option<Uuid>> = asked
            .people
            .iter()
            .filter(|pin| !found.other_people.contains_key(pin.as_str()))
            .map(|pin| found.people.get(pin.as_str()).copied())
            .chain(
                asked
                    .households
                    .iter()
                    .filter(|id| !found.other_households.contains(id))
                    .map(|id| found.households.contains(id).then_some(*id)),
            )
            .collect();
        // Another unit's household: answered UNKNOWN_SUBJECT, recorded as
        // refused against it.
        let others: Vec<Option<Uuid>> = asked
            .people
            .iter()
            .filter_map(|pin| found.other_people.get(pin.as_str()).copied().map(Some))
            .chain(
                asked
                    .households
                    .iter()
                    .filter(|id| found.other_households.contains(id))
                    .map(|id| Some(*id)),
            )
            .collect();
        if !others.is_empty() {
            let refused = AuditEntry {
                outcome: OTHER_UNIT.to_owned(),
                ..audit.clone()
            };
            self.append_audit(&refused, &others).await?;
        }
        if households.is_empty() {
            return Ok(());
        }
        self.append_audit(audit, &households).await
    }
}

/// These arrears plans with their payments, sorted by id, read from `pool`.
async fn plans_by_id(
    pool: &AnyPool,
    ids: &[String],
) -> Result<Vec<crate::domain::rent_plan::RentPlan>, StoreError> {
    let mut rows = Vec::new();
    for part in ids.chunks(LIST_PARAMS) {
        let sql = format!(
            "SELECT id, lease_id, household_id, arrears_ore, start_month, instalment_ore, months, broken_after, created_at, created_by, debt_id \
                 FROM rent_plans WHERE id IN ({})",
            placeholders(1, part.len())
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in part {
            query = query.bind(id.clone());
        }
        rows.extend(query.fetch_all(pool).await?);
    }
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut payments = payments_of_plans(pool, ids).await?;
    let mut plans = rows
        .iter()
        .map(|row| {
            let id = get_uuid(row, "id")?;
            plan_from_row(row, payments.remove(&id).unwrap_or_default())
        })
        .collect::<Result<Vec<_>, _>>()?;
    plans.sort_unstable_by_key(|p| p.id);
    Ok(plans)
}

/// The payments of many plans at once, as `payments_of` reads one's.
async fn payments_of_plans(
    pool: &AnyPool,
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
                 AND NOT EXISTS (SELECT 1 FROM voided_payouts r WHERE r.payout_id = p.id) \
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
        for row in query.fetch_all(pool).await? {
            by_plan
                .entry(get_uuid(&row, "plan_id")?)
                .or_default()
                .push(payment_from_row(&row)?);
        }
    }
    Ok(by_plan)
}

#[cfg(test)]
mod tests;
