//! `budget calculate | save | show | list` and `social-assistance`: budgets
//! and försörjningsstöd, both calculated by the budget service.

use std::path::Path;

use super::args::{BudgetCommand, Cli};
use super::input::{self, BudgetFile, SocialAssistanceFile};
use super::session::{COUNSELLOR, CliError, PageError, Session, collect_pages, present};
use super::{render, view};
use crate::pb;

pub(super) async fn budget(cli: &Cli, cmd: &BudgetCommand) -> Result<(), CliError> {
    match cmd {
        BudgetCommand::Calculate { file } => {
            let request = input::load::<BudgetFile>(file)?.calculate_request(file)?;
            let s = Session::open(cli).await?;
            s.fields_from_file(file, "");
            let response = s
                .budgets()
                .calculate_budget(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let r = present(response.result, "result")?;
            s.print(
                || view::BudgetResultView::from(&r),
                || render::budget_result(&r),
            )
        }
        BudgetCommand::Save { household_id, file } => {
            let request =
                input::load::<BudgetFile>(file)?.create_request(file, household_id.clone())?;
            let s = Session::open(cli).await?;
            s.fields_from_file(file, "");
            let response = s
                .budgets()
                .create_budget(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let b = present(response.budget, "budget")?;
            s.print(|| view::BudgetView::from(&b), || render::budget(&b))
        }
        BudgetCommand::Show { budget_id } => {
            let s = Session::open(cli).await?;
            let response = s
                .budgets()
                .get_budget(pb::GetBudgetRequest {
                    id: budget_id.clone(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let b = present(response.budget, "budget")?;
            s.print(|| view::BudgetView::from(&b), || render::budget(&b))
        }
        BudgetCommand::List {
            household_id,
            paging,
        } => {
            let s = Session::open(cli).await?;
            let client = s.budgets();
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                let household_id = household_id.clone();
                async move {
                    let r = client
                        .list_budgets(pb::ListBudgetsRequest {
                            household_id,
                            page_size,
                            page_token,
                        })
                        .await?
                        .into_inner();
                    Ok::<_, PageError>((r.budgets, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(&s, COUNSELLOR))?;
            s.print(
                || view::BudgetListView {
                    budgets: list.iter().map(view::BudgetView::from).collect(),
                    next_page_token: next.clone(),
                },
                || render::budgets(&list, &next),
            )
        }
    }
}

pub(super) async fn social_assistance(
    cli: &Cli,
    file: &Path,
    household_id: Option<String>,
) -> Result<(), CliError> {
    let request = input::load::<SocialAssistanceFile>(file)?.request(file, household_id)?;
    // Kept to say which members each riksnorm unit covers.
    let members = request.members.clone();
    let s = Session::open(cli).await?;
    s.fields_from_file(file, "");
    let r = s
        .budgets()
        .calculate_social_assistance(request)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || view::SocialAssistanceView::from(&r),
        || render::social_assistance(&r, &members),
    )
}
