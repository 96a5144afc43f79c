//! `BudgetService`: household budgets (calculated, saved, listed) and
//! försörjningsstöd.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::audit::AuditCall;
use super::convert::budgets::{
    assistance_to_pb, budget_result_to_pb, expenses, incomes, reasonable_costs, saved_budget_to_pb,
};
use super::convert::households::stateless_members;
use super::convert::{self, finish};
use crate::app::App;
use crate::domain::budget::{
    AssistanceInput, BudgetResult, Entry, ExpenseCategory, IncomeCategory, calculate_budget,
    calculate_social_assistance,
};
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::household::Member;
use crate::domain::norms::{NormKind, in_force};
use crate::pb;
use crate::store::reads_may_lag;

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
        incomes: &[Entry<IncomeCategory>],
        expenses: &[Entry<ExpenseCategory>],
    ) -> Result<BudgetResult, Status> {
        let tables = self.app.norms.all().await?;
        let reference = in_force(&tables, NormKind::ReferenceCosts, month.first_day()).ok();
        Ok(calculate_budget(
            month, members, incomes, expenses, reference,
        ))
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
            incomes: income_lines,
            expenses: expense_lines,
        } = request.into_inner();
        let mut v = Violations::new();
        let month = convert::month("month", &month, &mut v);
        let members = stateless_members("members", &members, self.app.clock.today(), &mut v);
        let incomes = incomes("incomes", &income_lines, &mut v);
        let expenses = expenses("expenses", &expense_lines, &mut v);
        let (month, members) = finish(v, (month, members))?;
        let result = self.budget(month, &members, &incomes, &expenses).await?;
        Ok(Response::new(pb::CalculateBudgetResponse {
            result: Some(budget_result_to_pb(result)),
        }))
    }

    async fn create_budget(
        &self,
        request: Request<pb::CreateBudgetRequest>,
    ) -> Result<Response<pb::CreateBudgetResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::CreateBudgetRequest {
                household_id,
                month,
                incomes: income_lines,
                expenses: expense_lines,
            } = message;
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let month = convert::month("month", &month, &mut v);
            let mut lines = Violations::new();
            let incomes = incomes("incomes", &income_lines, &mut lines);
            let expenses = expenses("expenses", &expense_lines, &mut lines);
            // Bad lines for a household that was found are a refusal about
            // it (audited); with a bad id or month every problem is told.
            if !v.is_empty() {
                v.extend(lines);
                lines = Violations::new();
            }
            let (household_id, month) = finish(v, (household_id, month))?;
            audit.visible(household_id, "household").await?;
            let household = self.app.store.get_household(household_id).await?;
            lines.finish(())?;
            let result = self
                .budget(month, &household.members, &incomes, &expenses)
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
        })
        .await
    }

    async fn get_budget(
        &self,
        request: Request<pb::GetBudgetRequest>,
    ) -> Result<Response<pb::GetBudgetResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::GetBudgetRequest { id } = message;
            let budget = self.app.store.get_budget(convert::id("id", &id)?).await?;
            audit.visible(budget.household_id, "budget").await?;
            Ok(Response::new(pb::GetBudgetResponse {
                budget: Some(saved_budget_to_pb(budget)),
            }))
        })
        .await
    }

    async fn list_budgets(
        &self,
        request: Request<pb::ListBudgetsRequest>,
    ) -> Result<Response<pb::ListBudgetsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (household_id, size, before) = audit.household_page(&message).await?;
            let page =
                reads_may_lag(self.app.store.list_budgets(household_id, before, size)).await?;
            Ok(Response::new(pb::ListBudgetsResponse {
                budgets: page.items.into_iter().map(saved_budget_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn calculate_social_assistance(
        &self,
        request: Request<pb::CalculateSocialAssistanceRequest>,
    ) -> Result<Response<pb::CalculateSocialAssistanceResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            Ok(Response::new(
                social_assistance(&self.app, audit, message).await?,
            ))
        })
        .await
    }
}

/// CalculateSocialAssistance's answer, for its handler and for documents.
pub(crate) async fn social_assistance(
    app: &App,
    audit: &AuditCall,
    message: pb::CalculateSocialAssistanceRequest,
) -> Result<pb::CalculateSocialAssistanceResponse, Status> {
    let pb::CalculateSocialAssistanceRequest {
        month,
        household_id,
        members,
        costs,
        incomes: income_lines,
        rent_cap,
    } = message;
    let today = app.clock.today();
    let mut v = Violations::new();
    let month = convert::month("month", &month, &mut v);
    let costs = reasonable_costs("costs", &costs, &mut v);
    let incomes = incomes("incomes", &income_lines, &mut v);
    let rent_cap = convert::given_money("rent_cap", rent_cap.as_ref(), &mut v);
    let (members, members_path) = if household_id.is_empty() {
        (
            stateless_members("members", &members, today, &mut v),
            "members",
        )
    } else {
        if !members.is_empty() {
            v.add(
                "members",
                "NOT_BOTH",
                "give either household_id or members, not both",
            );
        }
        let id = convert::uuid("household_id", &household_id, &mut v);
        match id {
            Some(id) if v.is_empty() => {
                audit.visible(id, "household").await?;
                (
                    Some(app.store.get_household(id).await?.members),
                    "household.members",
                )
            }
            _ => (None, "household.members"),
        }
    };
    let (month, members) = finish(v, (month, members))?;
    let tables = app.norms.all().await?;
    let riksnorm = in_force(&tables, NormKind::Riksnorm, month.first_day())?;
    let input = AssistanceInput {
        month,
        members,
        costs,
        incomes,
        rent_cap,
    };
    let r = calculate_social_assistance(&input, riksnorm, members_path)?;
    Ok(assistance_to_pb(r))
}
