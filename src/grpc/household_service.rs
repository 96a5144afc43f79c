//! `HouseholdService`: households and their members.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::audit::AuditCall;
use super::convert::{self, MemberSource};
use crate::app::App;
use crate::domain::error::Violations;
use crate::domain::household::{HouseholdDraft, IdentityRule, check_case_reference, check_members};
use crate::domain::identity::PersonalIdentityNumber;
use crate::pb;

pub struct HouseholdApi {
    app: Arc<App>,
}

impl HouseholdApi {
    pub fn new(app: Arc<App>) -> Self {
        HouseholdApi { app }
    }

    /// The editable part of a household message, checked in full.
    fn draft(&self, household: &pb::Household, v: &mut Violations) -> Option<HouseholdDraft> {
        let pb::Household {
            case_reference,
            members,
            // Output only, or used by the caller (id, revision on update).
            id: _,
            revision: _,
            create_time: _,
            update_time: _,
        } = household;
        let today = self.app.clock.today();
        v.extend(check_case_reference(
            case_reference,
            "household.case_reference",
        ));
        let members =
            convert::members("household.members", members, MemberSource::Saved, today, v)?;
        v.extend(check_members(
            &members,
            IdentityRule::AdultsIdentified,
            "household.members",
        ));
        Some(HouseholdDraft {
            case_reference: case_reference.clone(),
            members,
        })
    }
}

fn required(household: Option<pb::Household>, v: &mut Violations) -> pb::Household {
    household.unwrap_or_else(|| {
        v.add("household", "required");
        pb::Household::default()
    })
}

#[tonic::async_trait]
impl pb::household_service_server::HouseholdService for HouseholdApi {
    async fn create_household(
        &self,
        request: Request<pb::CreateHouseholdRequest>,
    ) -> Result<Response<pb::CreateHouseholdResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CreateHouseholdRequest { household } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household = required(household, &mut v);
            let draft = self.draft(&household, &mut v);
            let draft = v
                .finish(draft)?
                .ok_or_else(|| Status::invalid_argument("household is required"))?;
            // A refused create (a person already in another household) tells
            // the caller something about a household: it is recorded too.
            audit.search();
            let created = audit
                .write(self.app.store.create_household(&draft, audit.entry()))
                .await?;
            tracing::info!(household = %created.id, "household created");
            Ok(Response::new(pb::CreateHouseholdResponse {
                household: Some(convert::household_to_pb(&created)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_household(
        &self,
        request: Request<pb::GetHouseholdRequest>,
    ) -> Result<Response<pb::GetHouseholdResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetHouseholdRequest { id } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let id = v
                .finish(id)?
                .ok_or_else(|| Status::invalid_argument("id is required"))?;
            audit.touch(id);
            let household = self.app.store.get_household(id).await?;
            Ok(Response::new(pb::GetHouseholdResponse {
                household: Some(convert::household_to_pb(&household)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_households(
        &self,
        request: Request<pb::ListHouseholdsRequest>,
    ) -> Result<Response<pb::ListHouseholdsResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListHouseholdsRequest {
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            v.finish(())?;
            let page = self.app.store.list_households(after, size).await?;
            // Every household on the page was read.
            for household in &page.items {
                audit.touch(household.id);
            }
            Ok(Response::new(pb::ListHouseholdsResponse {
                households: page.items.iter().map(convert::household_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn update_household(
        &self,
        request: Request<pb::UpdateHouseholdRequest>,
    ) -> Result<Response<pb::UpdateHouseholdResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::UpdateHouseholdRequest { household } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household = required(household, &mut v);
            let id = convert::uuid("household.id", &household.id, &mut v);
            if household.revision < 1 {
                v.add(
                    "household.revision",
                    "required: the revision the change is based on",
                );
            }
            let draft = self.draft(&household, &mut v);
            let (id, draft) = match v.finish((id, draft))? {
                (Some(id), Some(draft)) => (id, draft),
                _ => return Err(Status::invalid_argument("household is incomplete")),
            };
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
                household: Some(convert::household_to_pb(&updated)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn lookup_household(
        &self,
        request: Request<pb::LookupHouseholdRequest>,
    ) -> Result<Response<pb::LookupHouseholdResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::LookupHouseholdRequest {
            personal_identity_number,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let pin = if personal_identity_number.is_empty() {
                v.add("personal_identity_number", "required");
                None
            } else {
                v.check(
                    "personal_identity_number",
                    PersonalIdentityNumber::parse(
                        &personal_identity_number,
                        self.app.clock.today(),
                    ),
                )
            };
            let pin = v
                .finish(pin)?
                .ok_or_else(|| Status::invalid_argument("personal_identity_number is required"))?;
            audit.search();
            let household = self.app.store.find_household_by_person(&pin).await?;
            audit.touch(household.id);
            Ok(Response::new(pb::LookupHouseholdResponse {
                household: Some(convert::household_to_pb(&household)),
            }))
        }
        .await;
        audit.finish(result).await
    }
}
