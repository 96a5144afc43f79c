//! `HouseholdService`: households and their members, each in one unit.

use std::sync::Arc;

use tonic::{Code, Request, Response, Status};

use super::audit::AuditCall;
use super::convert::households::{
    household_draft, household_to_pb, optional_unit, personal_identity_number, required_household,
};
use super::convert::{self, finish};
use super::status::auth_refusal;
use crate::app::App;
use crate::domain::error::{DomainError, Violations};
use crate::pb;
use crate::store::reads_may_lag;

pub struct HouseholdApi {
    app: Arc<App>,
}

impl HouseholdApi {
    pub fn new(app: Arc<App>) -> Self {
        HouseholdApi { app }
    }
}

#[tonic::async_trait]
impl pb::household_service_server::HouseholdService for HouseholdApi {
    async fn create_household(
        &self,
        request: Request<pb::CreateHouseholdRequest>,
    ) -> Result<Response<pb::CreateHouseholdResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::CreateHouseholdRequest { household } = message;
            let mut v = Violations::new();
            let household = required_household(household, &mut v);
            let unit = optional_unit("household.unit", &household.unit, &mut v);
            let draft = household_draft(&household, self.app.clock.today(), &mut v);
            let draft = finish(v, draft)?;
            // Without a unit: the caller's only unit, else the default one.
            let unit = unit.unwrap_or_else(|| audit.units().placement(&self.app.default_unit));
            if !audit.units().contains(&unit) {
                return Err(unit_not_permitted("household.unit"));
            }
            // A refused create (a person already in another household) tells
            // the caller something about a household: it is recorded too.
            audit.search();
            let created = audit
                .write(
                    self.app
                        .store
                        .create_household(&draft, &unit, audit.entry()),
                )
                .await?;
            tracing::info!(household = %created.id, "household created");
            Ok(Response::new(pb::CreateHouseholdResponse {
                household: Some(household_to_pb(&created)),
            }))
        })
        .await
    }

    async fn get_household(
        &self,
        request: Request<pb::GetHouseholdRequest>,
    ) -> Result<Response<pb::GetHouseholdResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::GetHouseholdRequest { id } = message;
            let id = convert::id("id", &id)?;
            audit.visible(id, "household").await?;
            let household = self.app.store.get_household(id).await?;
            Ok(Response::new(pb::GetHouseholdResponse {
                household: Some(household_to_pb(&household)),
            }))
        })
        .await
    }

    async fn list_households(
        &self,
        request: Request<pb::ListHouseholdsRequest>,
    ) -> Result<Response<pb::ListHouseholdsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ListHouseholdsRequest {
                page_size,
                page_token,
            } = message;
            let mut v = Violations::new();
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            v.finish(())?;
            let page =
                reads_may_lag(self.app.store.list_households(audit.units(), after, size)).await?;
            // Every household on the page was read.
            for household in &page.items {
                audit.listed(household.id);
            }
            Ok(Response::new(pb::ListHouseholdsResponse {
                households: page.items.iter().map(household_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn update_household(
        &self,
        request: Request<pb::UpdateHouseholdRequest>,
    ) -> Result<Response<pb::UpdateHouseholdResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::UpdateHouseholdRequest { household } = message;
            let mut v = Violations::new();
            let household = required_household(household, &mut v);
            let id = convert::uuid("household.id", &household.id, &mut v);
            let unit = optional_unit("household.unit", &household.unit, &mut v);
            if household.revision < 1 {
                v.add(
                    "household.revision", "REQUIRED",
                    "required: the revision the change is based on",
                );
            }
            let draft = household_draft(&household, self.app.clock.today(), &mut v);
            let (id, draft) = finish(v, (id, draft))?;
            audit.visible(id, "household").await?;
            if let Some(unit) = unit {
                let current = self.app.store.get_household(id).await?;
                if unit != current.unit {
                    return Err(DomainError::invalid(
                        "household.unit", "NOT_HERE",
                        "a household's unit is changed with SetHouseholdUnit (admin); leave it empty",
                    )
                    .into());
                }
            }
            let updated = audit
                .write(self.app.store.update_household(
                    id,
                    household.revision,
                    &draft,
                    audit.entry(),
                ))
                .await?;
            tracing::info!(
                household = %updated.id,
                revision = updated.revision,
                "household updated"
            );
            Ok(Response::new(pb::UpdateHouseholdResponse {
                household: Some(household_to_pb(&updated)),
            }))
        })
        .await
    }

    async fn lookup_household(
        &self,
        request: Request<pb::LookupHouseholdRequest>,
    ) -> Result<Response<pb::LookupHouseholdResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::LookupHouseholdRequest {
                personal_identity_number: pin,
            } = message;
            let mut v = Violations::new();
            let pin = personal_identity_number(
                "personal_identity_number",
                &pin,
                self.app.clock.today(),
                &mut v,
            );
            let pin = finish(v, pin)?;
            audit.search();
            let household = self.app.store.find_household_by_person(&pin).await?;
            // Another unit's household: NOT_FOUND, as for a person in none.
            audit.visible(household.id, "household").await?;
            Ok(Response::new(pb::LookupHouseholdResponse {
                household: Some(household_to_pb(&household)),
            }))
        })
        .await
    }

    async fn set_household_unit(
        &self,
        request: Request<pb::SetHouseholdUnitRequest>,
    ) -> Result<Response<pb::SetHouseholdUnitResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::SetHouseholdUnitRequest { household_id, unit } = message;
            let mut v = Violations::new();
            let id = convert::uuid("household_id", &household_id, &mut v);
            let unit_code = optional_unit("unit", &unit, &mut v);
            if unit.is_empty() {
                v.add("unit", "REQUIRED", "required");
            }
            let (id, unit) = finish(v, (id, unit_code))?;
            // An admin moving a household between units: the admin's own
            // units bound which households it sees and where it may move
            // them (`*` by default).
            audit.visible(id, "household").await?;
            if !audit.units().contains(&unit) {
                return Err(unit_not_permitted("unit"));
            }
            let moved = audit
                .write(self.app.store.set_household_unit(id, &unit, audit.entry()))
                .await?;
            // Unit codes are not personal data.
            tracing::info!(
                household = %id,
                from = %moved.old_unit,
                to = %unit,
                "household unit set"
            );
            Ok(Response::new(pb::SetHouseholdUnitResponse {
                household: Some(household_to_pb(&moved.household)),
                previous_unit: moved.old_unit.to_string(),
            }))
        })
        .await
    }
}

/// PERMISSION_DENIED, reason UNIT_NOT_PERMITTED: a household asked to be
/// created in, or moved to, a unit the caller does not have (`field`
/// names the request's unit field in the metadata).
fn unit_not_permitted(field: &str) -> Status {
    auth_refusal(
        Code::PermissionDenied,
        "UNIT_NOT_PERMITTED",
        "the household's unit is not one of the caller's units",
        vec![("field".to_owned(), field.to_owned())],
    )
}
