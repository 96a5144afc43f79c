//! Landlords, leases with their rent history, and eviction-risk notices in
//! SQL. Writes about a household store their audit record in the same
//! transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::audit::insert_audit;
use super::households::check_household;
use super::paging::{Fetched, fetch_limit};
use super::sql::{
    corrupt, get_date, get_i64, get_money, get_str, get_time, get_uuid, ore, timestamp,
    unique_refusal,
};
use super::{Page, SqlStore, StoreError};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::identity::{Bankgiro, OrganisationNumber, Plusgiro};
use crate::domain::lease::{
    ContractType, EvictionNotice, Landlord, LandlordDraft, Lease, LeaseDraft, NoticeResolution,
    PaymentAccount, PostalAddress,
};
use crate::domain::money::Money;
use crate::domain::rent_plan::eviction_notice_deadline;
use crate::domain::unit::Units;

#[async_trait]
pub trait LeaseStore: Send + Sync {
    async fn create_landlord(
        &self,
        draft: &LandlordDraft,
        now: DateTime<Utc>,
    ) -> Result<Landlord, StoreError>;
    async fn get_landlord(&self, id: Uuid) -> Result<Landlord, StoreError>;
    /// Landlords in the order registered, after `after`.
    async fn list_landlords(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Landlord>, StoreError>;
    /// A lease with its first rent. The landlord must exist
    /// (`lease.landlord_id`).
    async fn create_lease(
        &self,
        draft: &LeaseDraft,
        start: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError>;
    async fn get_lease(&self, id: Uuid) -> Result<Lease, StoreError>;
    async fn list_leases(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Lease>, StoreError>;
    /// A new rent from `from` on; `from` must be after the start and not
    /// already changed (`from_month`).
    async fn change_lease_rent(
        &self,
        lease_id: Uuid,
        from: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError>;
    /// Ends a lease in `end` (its last month): once, not before its start
    /// month (LEASE_ENDED, or a violation of `end_month`).
    async fn end_lease(
        &self,
        lease_id: Uuid,
        end: YearMonth,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError>;

    async fn create_eviction_notice(
        &self,
        lease_id: Uuid,
        served_on: NaiveDate,
        amount_owed: Money,
        deadline: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError>;
    async fn get_eviction_notice(&self, id: Uuid) -> Result<EvictionNotice, StoreError>;
    /// Notices by deadline (then id), after the page token `after`
    /// (`deadline/id` of the last notice of the previous page).
    async fn list_eviction_notices(
        &self,
        units: &Units,
        household_id: Option<Uuid>,
        include_resolved: bool,
        after: Option<(NaiveDate, Uuid)>,
        limit: u32,
    ) -> Result<Page<EvictionNotice>, StoreError>;
    /// Refuses a notice already resolved (NOTICE_RESOLVED).
    async fn resolve_eviction_notice(
        &self,
        id: Uuid,
        resolution: NoticeResolution,
        on: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError>;
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn invalid(field: &str, reason: &'static str, description: &str) -> StoreError {
    let mut v = Violations::new();
    v.add(field, reason, description);
    StoreError::Invalid(v)
}

fn landlord_from_row(row: &AnyRow) -> Result<Landlord, StoreError> {
    let bankgiro: Option<String> = row.try_get("bankgiro")?;
    let plusgiro: Option<String> = row.try_get("plusgiro")?;
    let account = match (bankgiro, plusgiro) {
        (Some(bg), None) => {
            PaymentAccount::Bankgiro(Bankgiro::parse(&bg).map_err(|_| corrupt("bankgiro"))?)
        }
        (None, Some(pg)) => {
            PaymentAccount::Plusgiro(Plusgiro::parse(&pg).map_err(|_| corrupt("plusgiro"))?)
        }
        _ => return Err(corrupt("bankgiro")),
    };
    Ok(Landlord {
        id: get_uuid(row, "id")?,
        draft: LandlordDraft {
            name: get_str(row, "name")?,
            organisation_number: OrganisationNumber::parse(&get_str(row, "organisation_number")?)
                .map_err(|_| corrupt("organisation_number"))?,
            account,
            requires_ocr: get_i64(row, "requires_ocr")? != 0,
            address: address_from_row(row)?,
        },
        created_at: get_time(row, "created_at")?,
    })
}

/// A landlord's postal address from its columns; `None` without a town.
pub(super) fn address_from_row(row: &AnyRow) -> Result<Option<PostalAddress>, StoreError> {
    let town: Option<String> = row.try_get("town_name")?;
    let Some(town_name) = town else {
        return Ok(None);
    };
    Ok(Some(PostalAddress {
        street_name: row.try_get("street_name")?,
        building_number: row.try_get("building_number")?,
        postal_code: row.try_get("postal_code")?,
        town_name,
        country: get_str(row, "country")?,
    }))
}

pub(super) fn notice_from_row(row: &AnyRow) -> Result<EvictionNotice, StoreError> {
    let resolution: Option<String> = row.try_get("resolution")?;
    let resolved_on: Option<String> = row.try_get("resolved_on")?;
    let resolution = match (resolution, resolved_on) {
        (Some(r), Some(on)) => Some((
            NoticeResolution::from_str_opt(&r).ok_or_else(|| corrupt("resolution"))?,
            NaiveDate::parse_from_str(&on, "%Y-%m-%d").map_err(|_| corrupt("resolved_on"))?,
        )),
        (None, None) => None,
        _ => return Err(corrupt("resolution")),
    };
    Ok(EvictionNotice {
        id: get_uuid(row, "id")?,
        lease_id: get_uuid(row, "lease_id")?,
        household_id: get_uuid(row, "household_id")?,
        served_on: get_date(row, "served_on")?,
        amount_owed: get_money(row, "amount_owed_ore")?,
        // By the rule, not as stored: a notice recorded before the deadline
        // followed lag (1930:173) 2 § stored the unmoved one
        // ([`SqlStore::repair_notice_deadlines`] rewrites it at start).
        deadline: eviction_notice_deadline(get_date(row, "served_on")?),
        resolution,
        note: get_str(row, "note")?,
        created_at: get_time(row, "created_at")?,
        created_by: get_str(row, "created_by")?,
        evidence: get_str(row, "evidence_ids")?
            .split(',')
            .filter(|id| !id.is_empty())
            .map(|id| Uuid::parse_str(id).map_err(|_| corrupt("evidence_ids")))
            .collect::<Result<_, _>>()?,
    })
}

impl SqlStore {
    /// Rewrites the stored deadline of every notice whose deadline is not
    /// the rule's ([`eviction_notice_deadline`] of the day served): notices
    /// recorded before the deadline moved to the next vardag (lag
    /// (1930:173) 2 §) stored the unmoved, too early, day, which SQL orders
    /// and pages by. Run at start, before serving; idempotent (a second run
    /// moves nothing, and two servers starting together write the same
    /// day); the number moved. Reads derive the deadline anyway
    /// ([`notice_from_row`]).
    pub(super) async fn repair_notice_deadlines(&self) -> Result<u64, StoreError> {
        let rows = sqlx::query("SELECT id, served_on, deadline FROM eviction_notices")
            .fetch_all(self.pool())
            .await?;
        let mut moved = 0;
        for row in &rows {
            let served = get_date(row, "served_on")?;
            let by_rule = eviction_notice_deadline(served);
            if get_date(row, "deadline")? == by_rule {
                continue;
            }
            moved += sqlx::query(
                "UPDATE eviction_notices SET deadline = $1 WHERE id = $2 AND served_on = $3",
            )
            .bind(day(by_rule))
            .bind(get_str(row, "id")?)
            .bind(day(served))
            .execute(self.pool())
            .await?
            .rows_affected();
        }
        Ok(moved)
    }
}

fn lease_from_rows(row: &AnyRow, rents: Vec<(YearMonth, Money)>) -> Result<Lease, StoreError> {
    Ok(Lease {
        id: get_uuid(row, "id")?,
        draft: LeaseDraft {
            household_id: get_uuid(row, "household_id")?,
            landlord_id: get_uuid(row, "landlord_id")?,
            object_reference: get_str(row, "object_reference")?,
            contract_type: ContractType::from_str_opt(&get_str(row, "contract_type")?)
                .ok_or_else(|| corrupt("contract_type"))?,
        },
        rents,
        end_month: {
            let end: Option<String> = row.try_get("end_month")?;
            end.map(|m| YearMonth::parse(&m).ok_or_else(|| corrupt("end_month")))
                .transpose()?
        },
        created_at: get_time(row, "created_at")?,
        updated_at: get_time(row, "updated_at")?,
    })
}

impl SqlStore {
    pub(super) async fn rents_of(
        &self,
        lease_id: Uuid,
    ) -> Result<Vec<(YearMonth, Money)>, StoreError> {
        let rows = sqlx::query(
            "SELECT from_month, rent_ore FROM lease_rents WHERE lease_id = $1 ORDER BY from_month",
        )
        .bind(lease_id.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    YearMonth::parse(&get_str(row, "from_month")?)
                        .ok_or_else(|| corrupt("from_month"))?,
                    get_money(row, "rent_ore")?,
                ))
            })
            .collect()
    }
}

/// Audits a change of a lease in its transaction, commits it and reads the
/// lease back.
async fn commit_lease_change(
    store: &SqlStore,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    lease_id: Uuid,
    household_id: Uuid,
    audit: &AuditEntry,
) -> Result<Lease, StoreError> {
    let audit = audit.with_records([RecordRef::new(RecordKind::Lease, lease_id)]);
    insert_audit(&mut tx, &audit, Some(household_id)).await?;
    tx.commit().await?;
    store.get_lease(lease_id).await
}

/// The household of a lease, if the lease exists: for a write about the
/// lease, inside the write's transaction.
pub(super) async fn lease_household(
    tx: &mut Transaction<'static, Any>,
    lease_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    let lease = sqlx::query("SELECT household_id FROM leases WHERE id = $1")
        .bind(lease_id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    lease.map(|row| get_uuid(&row, "household_id")).transpose()
}

#[async_trait]
impl LeaseStore for SqlStore {
    async fn create_landlord(
        &self,
        draft: &LandlordDraft,
        now: DateTime<Utc>,
    ) -> Result<Landlord, StoreError> {
        let id = Uuid::now_v7();
        let (bankgiro, plusgiro) = match &draft.account {
            PaymentAccount::Bankgiro(bg) => (Some(bg.as_str().to_owned()), None),
            PaymentAccount::Plusgiro(pg) => (None, Some(pg.as_str().to_owned())),
        };
        sqlx::query(
            "INSERT INTO landlords (id, name, organisation_number, bankgiro, plusgiro, requires_ocr, created_at, \
             street_name, building_number, postal_code, town_name, country) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id.to_string())
        .bind(draft.name.clone())
        .bind(draft.organisation_number.as_str().to_owned())
        .bind(bankgiro)
        .bind(plusgiro)
        .bind(i64::from(draft.requires_ocr))
        .bind(timestamp(now))
        .bind(draft.address.as_ref().and_then(|a| a.street_name.clone()))
        .bind(draft.address.as_ref().and_then(|a| a.building_number.clone()))
        .bind(draft.address.as_ref().and_then(|a| a.postal_code.clone()))
        .bind(draft.address.as_ref().map(|a| a.town_name.clone()))
        .bind(draft.address.as_ref().map(|a| a.country.clone()))
        .execute(self.pool())
        .await?;
        Ok(Landlord {
            id,
            draft: draft.clone(),
            created_at: now,
        })
    }

    async fn get_landlord(&self, id: Uuid) -> Result<Landlord, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, name, organisation_number, bankgiro, plusgiro, requires_ocr, created_at, street_name, building_number, postal_code, town_name, country FROM landlords WHERE id = $1",
                id,
                "landlord",
            )
            .await?;
        landlord_from_row(&row)
    }

    async fn list_landlords(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Landlord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, organisation_number, bankgiro, plusgiro, requires_ocr, created_at, street_name, building_number, postal_code, town_name, country FROM landlords \
             WHERE ($1 = '' OR id > $1) ORDER BY id LIMIT $2",
        )
        .bind(after.map(|u| u.to_string()).unwrap_or_default())
        .bind(fetch_limit(limit))
        .fetch_all(self.reads())
        .await?;
        Fetched::new(rows, limit).read(landlord_from_row, |l| l.id.to_string())
    }

    async fn get_lease(&self, id: Uuid) -> Result<Lease, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, household_id, landlord_id, object_reference, contract_type, end_month, created_at, updated_at FROM leases WHERE id = $1",
                id,
                "lease",
            )
            .await?;
        lease_from_rows(&row, self.rents_of(id).await?)
    }

    async fn create_lease(
        &self,
        draft: &LeaseDraft,
        start: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError> {
        let mut tx = self.begin_write().await?;
        check_household(&mut tx, draft.household_id).await?;
        let landlord = sqlx::query("SELECT id FROM landlords WHERE id = $1")
            .bind(draft.landlord_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if landlord.is_none() {
            return Err(invalid(
                "lease.landlord_id",
                "NOT_FOUND",
                "no such landlord",
            ));
        }
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO leases (id, household_id, landlord_id, object_reference, contract_type, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id.to_string())
        .bind(draft.household_id.to_string())
        .bind(draft.landlord_id.to_string())
        .bind(draft.object_reference.clone())
        .bind(draft.contract_type.as_str())
        .bind(timestamp(audit.at))
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO lease_rents (lease_id, from_month, rent_ore) VALUES ($1, $2, $3)")
            .bind(id.to_string())
            .bind(start.to_string())
            .bind(ore(rent, "a rent")?)
            .execute(&mut *tx)
            .await?;
        let audit = audit.with_records([RecordRef::new(RecordKind::Lease, id)]);
        insert_audit(&mut tx, &audit, Some(draft.household_id)).await?;
        tx.commit().await?;
        Ok(Lease {
            id,
            draft: draft.clone(),
            rents: vec![(start, rent)],
            end_month: None,
            created_at: audit.at,
            updated_at: audit.at,
        })
    }

    async fn list_leases(
        &self,
        household_id: Uuid,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Lease>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, household_id, landlord_id, object_reference, contract_type, end_month, created_at, updated_at FROM leases \
             WHERE household_id = $1 AND ($2 = '' OR id > $2) ORDER BY id LIMIT $3",
        )
        .bind(household_id.to_string())
        .bind(after.map(|u| u.to_string()).unwrap_or_default())
        .bind(fetch_limit(limit))
        .fetch_all(self.reads())
        .await?;
        let rows = Fetched::new(rows, limit);
        let mut items = Vec::with_capacity(rows.rows().len());
        for row in rows.rows() {
            let id = get_uuid(row, "id")?;
            items.push(lease_from_rows(row, self.rents_of(id).await?)?);
        }
        Ok(rows.page(items, |l| l.id.to_string()))
    }

    async fn change_lease_rent(
        &self,
        lease_id: Uuid,
        from: YearMonth,
        rent: Money,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError> {
        let mut tx = self.begin_write().await?;
        let household_id = lease_household(&mut tx, lease_id)
            .await?
            .ok_or(StoreError::NotFound { resource: "lease" })?;
        let start =
            sqlx::query("SELECT MIN(from_month) AS start FROM lease_rents WHERE lease_id = $1")
                .bind(lease_id.to_string())
                .fetch_one(&mut *tx)
                .await?;
        let start: Option<String> = start.try_get("start")?;
        if start.is_some_and(|s| from.to_string() <= s) {
            return Err(invalid(
                "from_month",
                "BEFORE_START",
                "must be after the lease's start month",
            ));
        }
        let inserted = sqlx::query(
            "INSERT INTO lease_rents (lease_id, from_month, rent_ore) VALUES ($1, $2, $3)",
        )
        .bind(lease_id.to_string())
        .bind(from.to_string())
        .bind(ore(rent, "a rent")?)
        .execute(&mut *tx)
        .await;
        unique_refusal(inserted)?.map_err(|_| {
            invalid(
                "from_month",
                "DUPLICATE",
                "the rent already changes from this month",
            )
        })?;
        sqlx::query("UPDATE leases SET updated_at = $1 WHERE id = $2")
            .bind(timestamp(audit.at))
            .bind(lease_id.to_string())
            .execute(&mut *tx)
            .await?;
        commit_lease_change(self, tx, lease_id, household_id, audit).await
    }

    async fn end_lease(
        &self,
        lease_id: Uuid,
        end: YearMonth,
        audit: &AuditEntry,
    ) -> Result<Lease, StoreError> {
        let mut tx = self.begin_write().await?;
        let household_id = lease_household(&mut tx, lease_id)
            .await?
            .ok_or(StoreError::NotFound { resource: "lease" })?;
        let row = sqlx::query(
            "SELECT l.end_month, (SELECT MIN(r.from_month) FROM lease_rents r WHERE r.lease_id = l.id) AS start \
             FROM leases l WHERE l.id = $1",
        )
        .bind(lease_id.to_string())
        .fetch_one(&mut *tx)
        .await?;
        let ended: Option<String> = row.try_get("end_month")?;
        let start: Option<String> = row.try_get("start")?;
        if ended.is_some() {
            return Err(StoreError::Conflict {
                reason: "LEASE_ENDED",
                message: "the lease has already ended".into(),
                field: Some("lease_id".into()),
            });
        }
        if start.is_some_and(|s| end.to_string() < s) {
            return Err(invalid(
                "end_month",
                "BEFORE_START",
                "must not be before the lease's start month",
            ));
        }
        sqlx::query("UPDATE leases SET end_month = $1, updated_at = $2 WHERE id = $3")
            .bind(end.to_string())
            .bind(timestamp(audit.at))
            .bind(lease_id.to_string())
            .execute(&mut *tx)
            .await?;
        commit_lease_change(self, tx, lease_id, household_id, audit).await
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
        let mut tx = self.begin_write().await?;
        let household_id = lease_household(&mut tx, lease_id)
            .await?
            .ok_or_else(|| invalid("notice.lease_id", "NOT_FOUND", "no such lease"))?;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO eviction_notices (id, lease_id, household_id, served_on, amount_owed_ore, deadline, resolution, resolved_on, note, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, $8, $9)",
        )
        .bind(id.to_string())
        .bind(lease_id.to_string())
        .bind(household_id.to_string())
        .bind(day(served_on))
        .bind(ore(amount_owed, "an amount owed")?)
        .bind(day(deadline))
        .bind(note.to_owned())
        .bind(timestamp(audit.at))
        .bind(audit.caller.clone())
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit, Some(household_id)).await?;
        tx.commit().await?;
        Ok(EvictionNotice {
            id,
            lease_id,
            household_id,
            served_on,
            amount_owed,
            deadline,
            resolution: None,
            note: note.to_owned(),
            created_at: audit.at,
            created_by: audit.caller.clone(),
            evidence: Vec::new(),
        })
    }

    async fn get_eviction_notice(&self, id: Uuid) -> Result<EvictionNotice, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, lease_id, household_id, served_on, amount_owed_ore, deadline, resolution, resolved_on, note, created_at, created_by, evidence_ids \
                 FROM eviction_notices WHERE id = $1",
                id,
                "eviction notice",
            )
            .await?;
        notice_from_row(&row)
    }

    async fn list_eviction_notices(
        &self,
        units: &Units,
        household_id: Option<Uuid>,
        include_resolved: bool,
        after: Option<(NaiveDate, Uuid)>,
        limit: u32,
    ) -> Result<Page<EvictionNotice>, StoreError> {
        let (after_deadline, after_id) = after
            .map(|(d, id)| (day(d), id.to_string()))
            .unwrap_or_default();
        let rows = sqlx::query(concat!(
            "SELECT id, lease_id, household_id, served_on, amount_owed_ore, deadline, resolution, resolved_on, note, created_at, created_by, evidence_ids \
             FROM eviction_notices \
             WHERE ($1 = '' OR household_id = $1) AND ($2 = 1 OR resolution IS NULL) \
             AND ($3 = '' OR deadline > $3 OR (deadline = $3 AND id > $4)) AND ",
            household_visible!("household_id", "$6"),
            " ORDER BY deadline, id LIMIT $5"
        ))
        .bind(household_id.map(|h| h.to_string()).unwrap_or_default())
        .bind(i64::from(include_resolved))
        .bind(after_deadline)
        .bind(after_id)
        .bind(fetch_limit(limit))
        .bind(units.sql_param())
        .fetch_all(self.reads())
        .await?;
        Fetched::new(rows, limit).read(notice_from_row, |n| format!("{}/{}", day(n.deadline), n.id))
    }

    async fn resolve_eviction_notice(
        &self,
        id: Uuid,
        resolution: NoticeResolution,
        on: NaiveDate,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<EvictionNotice, StoreError> {
        let mut tx = self.begin_write().await?;
        let current =
            sqlx::query("SELECT household_id, resolution FROM eviction_notices WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound {
                    resource: "eviction notice",
                })?;
        let household_id = get_uuid(&current, "household_id")?;
        let resolved: Option<String> = current.try_get("resolution")?;
        let updated = sqlx::query(
            "UPDATE eviction_notices SET resolution = $1, resolved_on = $2, note = CASE WHEN $3 = '' THEN note ELSE $3 END \
             WHERE id = $4 AND resolution IS NULL",
        )
        .bind(resolution.as_str())
        .bind(day(on))
        .bind(note.to_owned())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if resolved.is_some() || updated.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                reason: "NOTICE_RESOLVED",
                message: "the notice is already resolved".to_owned(),
                field: Some("id".to_owned()),
            });
        }
        insert_audit(&mut tx, audit, Some(household_id)).await?;
        tx.commit().await?;
        self.get_eviction_notice(id).await
    }
}
