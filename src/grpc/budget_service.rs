//! `BudgetService`: household budgets (calculated, saved, listed) and
//! försörjningsstöd.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::audit::AuditCall;
use super::convert::{self, MemberSource};
use crate::app::App;
use crate::domain::budget::SavedBudget;
use crate::domain::budget::{
    AssistanceInput, BudgetResult, calculate_budget, calculate_social_assistance,
};
use crate::domain::calendar::YearMonth;
use crate::domain::error::{DomainError, Violations};
use crate::domain::household::{IdentityRule, Member, check_members};
use crate::domain::norms::{NormKind, in_force};
use crate::pb;

pub struct BudgetApi {
    app: Arc<App>,
}

impl BudgetApi {
    pub fn new(app: Arc<App>) -> Self {
        BudgetApi { app }
    }

    /// A budget for `month` with the reference costs in force then, if any.
    async fn budget(
        &self,
        month: YearMonth,
        members: &[Member],
        incomes: &[pb::Income],
        expenses: &[pb::Expense],
        mut v: Violations,
    ) -> Result<BudgetResult, Status> {
        let incomes = convert::incomes("incomes", incomes, &mut v);
        let expenses = convert::expenses("expenses", expenses, &mut v);
        v.finish(())?;
        let tables = self.app.norms.all().await?;
        let reference = in_force(&tables, NormKind::ReferenceCosts, month.first_day()).ok();
        Ok(calculate_budget(
            month, members, &incomes, &expenses, reference,
        ))
    }
}

fn saved_budget_to_pb(b: SavedBudget) -> pb::Budget {
    pb::Budget {
        id: b.id.to_string(),
        household_id: b.household_id.to_string(),
        create_time: Some(convert::timestamp(b.created_at)),
        created_by: b.created_by,
        result: Some(convert::budget_result_to_pb(b.result)),
        household_revision: b.household_revision,
    }
}

#[tonic::async_trait]
impl pb::budget_service_server::BudgetService for BudgetApi {
    async fn calculate_budget(
        &self,
        request: Request<pb::CalculateBudgetRequest>,
    ) -> Result<Response<pb::CalculateBudgetResponse>, Status> {
        let pb::CalculateBudgetRequest {
            month,
            members,
            incomes,
            expenses,
        } = request.into_inner();
        let mut v = Violations::new();
        let month = convert::month("month", &month, &mut v);
        let members = convert::members(
            "members",
            &members,
            MemberSource::Stateless,
            self.app.clock.today(),
            &mut v,
        );
        if let Some(members) = &members {
            v.extend(check_members(members, IdentityRule::Anonymous, "members"));
        }
        let (month, members) = match (month, members) {
            (Some(month), Some(members)) if v.is_empty() => (month, members),
            _ => {
                // Report the lines' problems too, all at once.
                convert::incomes("incomes", &incomes, &mut v);
                convert::expenses("expenses", &expenses, &mut v);
                return Err(DomainError::Invalid(v).into());
            }
        };
        let result = self.budget(month, &members, &incomes, &expenses, v).await?;
        Ok(Response::new(pb::CalculateBudgetResponse {
            result: Some(convert::budget_result_to_pb(result)),
        }))
    }

    async fn create_budget(
        &self,
        request: Request<pb::CreateBudgetRequest>,
    ) -> Result<Response<pb::CreateBudgetResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CreateBudgetRequest {
            household_id,
            month,
            incomes,
            expenses,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let month = convert::month("month", &month, &mut v);
            let (household_id, month) = match (household_id, month) {
                (Some(h), Some(m)) => (h, m),
                _ => {
                    convert::incomes("incomes", &incomes, &mut v);
                    convert::expenses("expenses", &expenses, &mut v);
                    return Err(DomainError::Invalid(v).into());
                }
            };
            audit.touch(household_id);
            let household = self.app.store.get_household(household_id).await?;
            let result = self
                .budget(month, &household.members, &incomes, &expenses, v)
                .await?;
            let saved = audit
                .write(self.app.store.create_budget(
                    household_id,
                    household.revision,
                    &result,
                    audit.entry(),
                ))
                .await?;
            tracing::info!(budget = %saved.id, household = %household_id, "budget saved");
            Ok(Response::new(pb::CreateBudgetResponse {
                budget: Some(saved_budget_to_pb(saved)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_budget(
        &self,
        request: Request<pb::GetBudgetRequest>,
    ) -> Result<Response<pb::GetBudgetResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetBudgetRequest { id } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let id = v
                .finish(id)?
                .ok_or_else(|| Status::invalid_argument("id is required"))?;
            let budget = self.app.store.get_budget(id).await?;
            audit.touch(budget.household_id);
            Ok(Response::new(pb::GetBudgetResponse {
                budget: Some(saved_budget_to_pb(budget)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_budgets(
        &self,
        request: Request<pb::ListBudgetsRequest>,
    ) -> Result<Response<pb::ListBudgetsResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListBudgetsRequest {
            household_id,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let before = convert::page_token("page_token", &page_token, &mut v);
            let household_id = v
                .finish(household_id)?
                .ok_or_else(|| Status::invalid_argument("household_id is required"))?;
            audit.existing_household(household_id).await?;
            let page = self
                .app
                .store
                .list_budgets(household_id, before, size)
                .await?;
            Ok(Response::new(pb::ListBudgetsResponse {
                budgets: page.items.into_iter().map(saved_budget_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn calculate_social_assistance(
        &self,
        request: Request<pb::CalculateSocialAssistanceRequest>,
    ) -> Result<Response<pb::CalculateSocialAssistanceResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CalculateSocialAssistanceRequest {
            month,
            household_id,
            members,
            costs,
            incomes,
            rent_cap,
        } = request.into_inner();
        let result = async {
            let today = self.app.clock.today();
            let mut v = Violations::new();
            let month = convert::month("month", &month, &mut v);
            let costs = convert::reasonable_costs("costs", &costs, &mut v);
            let incomes = convert::incomes("incomes", &incomes, &mut v);
            let rent_cap = rent_cap
                .as_ref()
                .and_then(|cap| convert::money_non_negative("rent_cap", Some(cap), &mut v));
            let (members, members_path) = if household_id.is_empty() {
                let parsed =
                    convert::members("members", &members, MemberSource::Stateless, today, &mut v);
                if let Some(parsed) = &parsed {
                    v.extend(check_members(parsed, IdentityRule::Anonymous, "members"));
                }
                (parsed, "members")
            } else {
                if !members.is_empty() {
                    v.add("members", "give either household_id or members, not both");
                }
                let id = convert::uuid("household_id", &household_id, &mut v);
                match id {
                    Some(id) if v.is_empty() => {
                        audit.touch(id);
                        (
                            Some(self.app.store.get_household(id).await?.members),
                            "household.members",
                        )
                    }
                    _ => (None, "household.members"),
                }
            };
            let (month, members) = match v.finish((month, members))? {
                (Some(month), Some(members)) => (month, members),
                _ => return Err(Status::invalid_argument("month and members are required")),
            };
            let tables = self.app.norms.all().await?;
            let riksnorm = in_force(&tables, NormKind::Riksnorm, month.first_day())?;
            let input = AssistanceInput {
                month,
                members,
                costs,
                incomes,
                rent_cap,
            };
            let r = calculate_social_assistance(&input, riksnorm, members_path)?;
            Ok(Response::new(pb::CalculateSocialAssistanceResponse {
                month: r.month.to_string(),
                riksnorm_units: r.units.into_iter().map(convert::norm_unit_to_pb).collect(),
                riksnorm_total: convert::money_to_pb(r.riksnorm_total),
                reasonable_costs: r.costs.into_iter().map(convert::line_to_pb).collect(),
                reasonable_costs_total: convert::money_to_pb(r.costs_total),
                incomes: r
                    .incomes
                    .into_iter()
                    .map(convert::income_line_to_pb)
                    .collect(),
                total_income: convert::money_to_pb(r.total_income),
                total_need: convert::money_to_pb(r.total_need),
                assistance: convert::money_to_pb(r.assistance),
                rent_part: convert::money_to_pb(r.rent_part),
                assistance_basis: convert::basis_to_pb(r.assistance_basis),
                provisional: r.provisional,
                warnings: r.warnings,
                tables: r.tables.into_iter().map(convert::table_ref_to_pb).collect(),
            }))
        }
        .await;
        audit.finish(result).await
    }
}
