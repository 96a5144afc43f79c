//! `households create | get | list | update | lookup`: households and
//! their members.

use super::args::{Cli, HouseholdsCommand};
use super::input::{self, HouseholdFile};
use super::session::{
    COUNSELLOR, CliError, PageError, Session, collect_pages, present, read_stdin_line,
};
use super::{render, view};
use crate::pb;

pub(super) async fn households(cli: &Cli, cmd: &HouseholdsCommand) -> Result<(), CliError> {
    match cmd {
        HouseholdsCommand::Create { file } => {
            let request = input::load::<HouseholdFile>(file)?.create_request(file)?;
            let s = Session::open(cli).await?;
            let response = s
                .households()
                .create_household(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let h = present(response.household, "household")?;
            s.print(|| view::HouseholdView::from(&h), || render::household(&h))
        }
        HouseholdsCommand::Get { id } => {
            let s = Session::open(cli).await?;
            let response = s
                .households()
                .get_household(pb::GetHouseholdRequest { id: id.clone() })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let h = present(response.household, "household")?;
            s.print(|| view::HouseholdView::from(&h), || render::household(&h))
        }
        HouseholdsCommand::List { paging } => {
            let s = Session::open(cli).await?;
            let client = s.households();
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                async move {
                    let r = client
                        .list_households(pb::ListHouseholdsRequest {
                            page_size,
                            page_token,
                        })
                        .await?
                        .into_inner();
                    Ok::<_, PageError>((r.households, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(&s, COUNSELLOR))?;
            s.print(
                || view::HouseholdListView {
                    households: list.iter().map(view::HouseholdView::from).collect(),
                    next_page_token: next.clone(),
                },
                || render::households(&list, &next),
            )
        }
        HouseholdsCommand::Update { id, file, revision } => {
            let request =
                input::load::<HouseholdFile>(file)?.update_request(file, id.clone(), *revision)?;
            let s = Session::open(cli).await?;
            let response = s
                .households()
                .update_household(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let h = present(response.household, "household")?;
            s.print(|| view::HouseholdView::from(&h), || render::household(&h))
        }
        HouseholdsCommand::Lookup { personnummer } => {
            let number = if personnummer == "-" {
                read_stdin_line()?
            } else {
                personnummer.clone()
            };
            let s = Session::open(cli).await?;
            let response = s
                .households()
                .lookup_household(pb::LookupHouseholdRequest {
                    personal_identity_number: number,
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let h = present(response.household, "household")?;
            s.print(|| view::HouseholdView::from(&h), || render::household(&h))
        }
    }
}
