//! Households and their members in SQL: a household's case reference and
//! revision, and its members in order, each at most once across households
//! (a unique personnummer).

use std::collections::HashMap;

use anyhow::anyhow;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::audit::insert_audit;
use super::paging::{Fetched, fetch_limit};
use super::sql::{
    corrupt, get_date, get_i64, get_str, get_time, get_uuid, timestamp, unique_refusal,
};
use super::{Page, SqlStore, StoreError};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::error::Violations;
use crate::domain::household::{AgeBasis, Household, HouseholdDraft, Member, Residence, Role};
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::names::PostalAddress;
use crate::domain::unit::{UnitCode, Units};

/// Whether a caller may see a household that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// It belongs to one of the caller's units.
    Visible,
    /// It belongs to another unit: the caller is told NOT_FOUND, as for a
    /// household that does not exist, and the audit row says `OTHER_UNIT`.
    OtherUnit,
}

/// A household moved between units: the household after the move, the unit
/// it was in, and the id of the recorded move (None when it stayed).
#[derive(Debug, Clone)]
pub struct UnitMove {
    pub household: Household,
    pub old_unit: UnitCode,
    pub change_id: Option<Uuid>,
}

#[async_trait]
pub trait HouseholdStore: Send + Sync {
    /// Creates a household in `unit`.
    async fn create_household(
        &self,
        draft: &HouseholdDraft,
        unit: &UnitCode,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError>;
    /// A household regardless of its unit: only after
    /// [`HouseholdStore::visible_household`] said the caller may see it.
    async fn get_household(&self, id: Uuid) -> Result<Household, StoreError>;
    /// The one check of a household's unit against the caller's `units`:
    /// NotFound (household) when there is no such household, and
    /// [`Visibility::OtherUnit`] when it belongs to a unit the caller does
    /// not have. Every read or write of a household's data, or of a record
    /// reached through a household, asks this first (through
    /// `AuditCall::visible`, which answers both with the same NOT_FOUND).
    async fn visible_household(&self, units: &Units, id: Uuid) -> Result<Visibility, StoreError>;
    /// Whether `units` holds every unit a household is in (true for all
    /// units, and for a caller of the one unit every household is in).
    async fn sees_every_household(&self, units: &Units) -> Result<bool, StoreError>;
    /// The households of `units` by id (creation order, ids being UUIDv7),
    /// after `after`.
    async fn list_households(
        &self,
        units: &Units,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Household>, StoreError>;
    /// Moves a household to `unit`, recording the move (old and new unit)
    /// in `household_unit_changes`, which the audit row names. Moving it to
    /// the unit it is in changes nothing and records no move.
    async fn set_household_unit(
        &self,
        id: Uuid,
        unit: &UnitCode,
        audit: &AuditEntry,
    ) -> Result<UnitMove, StoreError>;
    /// Replaces a household's case reference and members if its revision is
    /// still `expected_revision`.
    async fn update_household(
        &self,
        id: Uuid,
        expected_revision: i64,
        draft: &HouseholdDraft,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError>;
    async fn find_household_by_person(
        &self,
        pin: &PersonalIdentityNumber,
    ) -> Result<Household, StoreError>;
}

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
            given_name: get_str(row, "given_name")?,
            family_name: get_str(row, "family_name")?,
        },
    ))
}

fn household_from_row(row: &AnyRow, members: Vec<Member>) -> Result<Household, StoreError> {
    Ok(Household {
        id: get_uuid(row, "id")?,
        case_reference: get_str(row, "case_reference")?,
        members,
        display_name: get_str(row, "display_name")?,
        postal_address: address_from_row(row, "")?,
        unit: UnitCode::parse(&get_str(row, "unit")?).ok_or_else(|| corrupt("unit"))?,
        revision: get_i64(row, "revision")?,
        created_at: get_time(row, "created_at")?,
        updated_at: get_time(row, "updated_at")?,
    })
}

/// A postal address from the columns `{prefix}care_of`,
/// `{prefix}street_address`, `{prefix}postal_code` and `{prefix}town`
/// (the household's, or a debt's creditor's); None when not given.
pub(super) fn address_from_row(
    row: &AnyRow,
    prefix: &str,
) -> Result<Option<PostalAddress>, StoreError> {
    let column = |name: &str| get_str(row, &format!("{prefix}{name}"));
    let street = column("street_address")?;
    if street.is_empty() {
        return Ok(None);
    }
    Ok(Some(PostalAddress {
        care_of: column("care_of")?,
        street,
        postal_code: column("postal_code")?,
        town: column("town")?,
    }))
}

/// The four address columns' values, '' for none.
pub(super) fn address_columns(a: &Option<PostalAddress>) -> [String; 4] {
    a.as_ref().map_or_else(Default::default, |a| {
        [
            a.care_of.clone(),
            a.street.clone(),
            a.postal_code.clone(),
            a.town.clone(),
        ]
    })
}

async fn insert_member(
    tx: &mut Transaction<'static, Any>,
    household_id: Uuid,
    position: usize,
    member_id: Uuid,
    member: &Member,
) -> Result<(), StoreError> {
    let query = sqlx::query(
        "INSERT INTO household_members (id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school, given_name, family_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(member_id.to_string())
    .bind(household_id.to_string());
    let result = bind_member(query, position, member)?
        .execute(&mut **tx)
        .await;
    unique_refusal(result)?.map_err(|_| person_elsewhere(position))?;
    Ok(())
}

type AnyQuery<'q> = sqlx::query::Query<'q, Any, <Any as sqlx::Database>::Arguments>;

/// Binds a member at `position` to the next nine parameters, in the
/// column order both member writes (insert, rewrite in place) name them:
/// position, role, birth_date, personal_identity_number, residence_days,
/// residence_period_days, lunch_at_school, given_name, family_name.
fn bind_member<'q>(
    query: AnyQuery<'q>,
    position: usize,
    member: &Member,
) -> Result<AnyQuery<'q>, StoreError> {
    let birth = member
        .birth_date()
        .ok_or_else(|| StoreError::Other(anyhow!("a saved member needs a birth date")))?;
    let (days, period) = member.residence.map_or((0, 0), |r| (r.days, r.period));
    Ok(query
        .bind(position as i64)
        .bind(member.role.as_str())
        .bind(birth.format("%Y-%m-%d").to_string())
        .bind(
            member
                .personal_identity_number
                .as_ref()
                .map(|p| p.as_str().to_owned()),
        )
        .bind(i64::from(days))
        .bind(i64::from(period))
        .bind(i64::from(member.lunch_at_school))
        .bind(member.given_name.clone())
        .bind(member.family_name.clone()))
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
            "SELECT id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school, given_name, family_name \
             FROM household_members WHERE household_id = $1 ORDER BY position",
        )
        .bind(household_id.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| member_from_row(r).map(|(_, m)| m))
            .collect()
    }
}

/// NotFound (household) unless the household exists: for a write about
/// it, inside the write's transaction.
pub(super) async fn check_household(
    tx: &mut Transaction<'static, Any>,
    id: Uuid,
) -> Result<(), StoreError> {
    let found = sqlx::query("SELECT id FROM households WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    if found.is_none() {
        return Err(StoreError::NotFound {
            resource: "household",
        });
    }
    Ok(())
}

/// For a write that finds its household inside its transaction:
/// [`StoreError::OtherUnit`] (`resource`) when the household belongs to a
/// unit not in `units`, so the write is refused as if `resource` did not
/// exist, before it writes or replays anything.
pub(super) async fn check_unit(
    tx: &mut Transaction<'static, Any>,
    units: &Units,
    household: Uuid,
    resource: &'static str,
) -> Result<(), StoreError> {
    if *units == Units::All {
        return Ok(());
    }
    let row = sqlx::query("SELECT unit FROM households WHERE id = $1")
        .bind(household.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound { resource })?;
    let unit = UnitCode::parse(&get_str(&row, "unit")?).ok_or_else(|| corrupt("unit"))?;
    if units.contains(&unit) {
        Ok(())
    } else {
        Err(StoreError::OtherUnit { resource })
    }
}

#[async_trait]
impl HouseholdStore for SqlStore {
    async fn create_household(
        &self,
        draft: &HouseholdDraft,
        unit: &UnitCode,
        audit: &AuditEntry,
    ) -> Result<Household, StoreError> {
        let now = audit.at;
        let id = Uuid::now_v7();
        let mut tx = self.begin_write().await?;
        let [care_of, street, postal_code, town] = address_columns(&draft.postal_address);
        sqlx::query(
            "INSERT INTO households (id, case_reference, revision, created_at, updated_at, unit, display_name, care_of, street_address, postal_code, town) \
             VALUES ($1, $2, 1, $3, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.to_string())
        .bind(draft.case_reference.clone())
        .bind(timestamp(now))
        .bind(unit.as_str().to_owned())
        .bind(draft.display_name.clone())
        .bind(care_of)
        .bind(street)
        .bind(postal_code)
        .bind(town)
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
            display_name: draft.display_name.clone(),
            postal_address: draft.postal_address.clone(),
            unit: unit.clone(),
            revision: 1,
            created_at: now,
            updated_at: now,
        })
    }

    async fn get_household(&self, id: Uuid) -> Result<Household, StoreError> {
        let row = self
            .row_by_id(
                "SELECT id, case_reference, unit, revision, created_at, updated_at, display_name, care_of, street_address, postal_code, town FROM households WHERE id = $1",
                id,
                "household",
            )
            .await?;
        let members = self.members_of(id).await?;
        household_from_row(&row, members)
    }

    async fn sees_every_household(&self, units: &Units) -> Result<bool, StoreError> {
        if matches!(units, Units::All) {
            return Ok(true);
        }
        let hidden: Option<String> = sqlx::query_scalar(concat!(
            "SELECT unit FROM households WHERE NOT ",
            unit_visible!("unit", "$1"),
            " LIMIT 1"
        ))
        .bind(units.sql_param())
        .fetch_optional(self.pool())
        .await?;
        Ok(hidden.is_none())
    }

    async fn visible_household(&self, units: &Units, id: Uuid) -> Result<Visibility, StoreError> {
        let row = self
            .row_by_id("SELECT unit FROM households WHERE id = $1", id, "household")
            .await?;
        let unit = UnitCode::parse(&get_str(&row, "unit")?).ok_or_else(|| corrupt("unit"))?;
        Ok(if units.contains(&unit) {
            Visibility::Visible
        } else {
            Visibility::OtherUnit
        })
    }

    async fn list_households(
        &self,
        units: &Units,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Page<Household>, StoreError> {
        let after = after.map(|u| u.to_string()).unwrap_or_default();
        let rows = sqlx::query(concat!(
            "SELECT id, case_reference, unit, revision, created_at, updated_at, display_name, care_of, street_address, postal_code, town FROM households \
             WHERE ($1 = '' OR id > $1) AND ",
            unit_visible!("unit", "$3"),
            " ORDER BY id LIMIT $2"
        ))
        .bind(after.clone())
        .bind(fetch_limit(limit))
        .bind(units.sql_param())
        .fetch_all(self.reads())
        .await?;
        let rows = Fetched::new(rows, limit);
        let member_rows = sqlx::query(concat!(
            "SELECT id, household_id, position, role, birth_date, personal_identity_number, residence_days, residence_period_days, lunch_at_school, given_name, family_name \
             FROM household_members WHERE household_id IN \
             (SELECT id FROM households WHERE ($1 = '' OR id > $1) AND ",
            unit_visible!("unit", "$3"),
            " ORDER BY id LIMIT $2) ORDER BY household_id, position"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .bind(units.sql_param())
        .fetch_all(self.reads())
        .await?;
        let mut by_household: HashMap<Uuid, Vec<Member>> = HashMap::new();
        for row in &member_rows {
            let (household_id, member) = member_from_row(row)?;
            by_household.entry(household_id).or_default().push(member);
        }
        let mut items = Vec::with_capacity(rows.rows().len());
        for row in rows.rows() {
            let id = get_uuid(row, "id")?;
            items.push(household_from_row(
                row,
                by_household.remove(&id).unwrap_or_default(),
            )?);
        }
        Ok(rows.page(items, |h| h.id.to_string()))
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
        let [care_of, street, postal_code, town] = address_columns(&draft.postal_address);
        let updated = sqlx::query(
            "UPDATE households SET case_reference = $1, revision = revision + 1, updated_at = $2, \
             display_name = $5, care_of = $6, street_address = $7, postal_code = $8, town = $9 \
             WHERE id = $3 AND revision = $4",
        )
        .bind(draft.case_reference.clone())
        .bind(timestamp(now))
        .bind(id.to_string())
        .bind(expected_revision)
        .bind(draft.display_name.clone())
        .bind(care_of)
        .bind(street)
        .bind(postal_code)
        .bind(town)
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
                    "NOT_OF_HOUSEHOLD",
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
                    let query = sqlx::query(
                        "UPDATE household_members SET position = $1, role = $2, birth_date = $3, personal_identity_number = $4, \
                         residence_days = $5, residence_period_days = $6, lunch_at_school = $7, given_name = $8, family_name = $9 WHERE id = $10",
                    );
                    let result = bind_member(query, position, member)?
                        .bind(member_id.to_string())
                        .execute(&mut *tx)
                        .await;
                    unique_refusal(result)?.map_err(|_| person_elsewhere(position))?;
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
            "SELECT id, case_reference, unit, revision, created_at, updated_at, display_name, care_of, street_address, postal_code, town FROM households WHERE id = $1",
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
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound {
            resource: "household",
        })?;
        self.get_household(get_uuid(&row, "household_id")?).await
    }

    async fn set_household_unit(
        &self,
        id: Uuid,
        unit: &UnitCode,
        audit: &AuditEntry,
    ) -> Result<UnitMove, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT unit FROM households WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                resource: "household",
            })?;
        let old_unit = UnitCode::parse(&get_str(&row, "unit")?).ok_or_else(|| corrupt("unit"))?;
        let mut change_id = None;
        let mut entry = audit.clone();
        if old_unit != *unit {
            let change = Uuid::now_v7();
            sqlx::query("UPDATE households SET unit = $1, updated_at = $2 WHERE id = $3")
                .bind(unit.as_str().to_owned())
                .bind(timestamp(audit.at))
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO household_unit_changes (id, household_id, old_unit, new_unit, changed_at, changed_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(change.to_string())
            .bind(id.to_string())
            .bind(old_unit.as_str().to_owned())
            .bind(unit.as_str().to_owned())
            .bind(timestamp(audit.at))
            .bind(audit.caller.clone())
            .execute(&mut *tx)
            .await?;
            entry = audit.with_records([RecordRef::new(RecordKind::UnitChange, change)]);
            change_id = Some(change);
        }
        insert_audit(&mut tx, &entry, Some(id)).await?;
        tx.commit().await?;
        Ok(UnitMove {
            household: self.get_household(id).await?,
            old_unit,
            change_id,
        })
    }
}
