//! `HouseholdService`: households and their members.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::audit::AuditCall;
use super::convert::households::{
    household_draft, household_to_pb, personal_identity_number, required_household,
};
use super::convert::{self, finish};
use crate::app::App;
use crate::domain::error::Violations;
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
            let draft = household_draft(&household, self.app.clock.today(), &mut v);
            let draft = finish(v, draft)?;
            // A refused create (a person already in another household) tells
            // the caller something about a household: it is recorded too.
            audit.search();
            let created = audit
                .write(self.app.store.create_household(&draft, audit.entry()))
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
            audit.touch(id);
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
            let page = reads_may_lag(self.app.store.list_households(after, size)).await?;
            // Every household on the page was read.
            for household in &page.items {
                audit.touch(household.id);
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
            if household.revision < 1 {
                v.add(
                    "household.revision",
                    "required: the revision the change is based on",
                );
            }
            let draft = household_draft(&household, self.app.clock.today(), &mut v);
            let (id, draft) = finish(v, (id, draft))?;
            audit.touch(id);
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
            audit.touch(household.id);
            Ok(Response::new(pb::LookupHouseholdResponse {
                household: Some(household_to_pb(&household)),
            }))
        })
        .await
    }
}
