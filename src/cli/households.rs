//! `households create | get | list | update | export | lookup`: households
//! and their members.

use std::path::Path;

use super::args::{Cli, HouseholdsCommand, Paging};
use super::input::{self, HouseholdFile, InputError, csv_file};
use super::names::words::wf;
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
            s.fields_from_file(file, "household.");
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
            s.fields_from_file(file, "household.");
            let response = s
                .households()
                .update_household(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let h = present(response.household, "household")?;
            s.print(|| view::HouseholdView::from(&h), || render::household(&h))
        }
        HouseholdsCommand::Export {
            csv,
            application,
            excel,
        } => {
            let s = Session::open(cli).await?;
            export(&s, csv, application.as_deref().unwrap_or_default(), *excel).await
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

/// The columns `households export` writes: those `rent-check --in` reads.
const EXPORT_COLUMNS: [&str; 4] = [
    "correlation_id",
    "household_id",
    "personal_identity_number",
    "application_month",
];

/// Every household, one row each: its case reference as correlation id,
/// its id and its applicant's personnummer. The pages come from
/// ListHouseholds, which the server audits household by household; the file
/// is created 0600, since it lists who receives assistance.
async fn export(s: &Session, path: &Path, application: &str, excel: bool) -> Result<(), CliError> {
    let all = Paging {
        page_size: Some(500),
        page_token: None,
        all: true,
    };
    let client = s.households();
    let (list, _) = collect_pages(&all, |page_token| {
        let mut client = client.clone();
        async move {
            let r = client
                .list_households(pb::ListHouseholdsRequest {
                    page_size: 500,
                    page_token,
                })
                .await?
                .into_inner();
            Ok::<_, PageError>((r.households, r.next_page_token))
        }
    })
    .await
    .map_err(|e| e.into_cli(s, COUNSELLOR))?;
    let failed = |e: &dyn std::fmt::Display| {
        CliError::Input(InputError::Parse {
            path: path.to_owned(),
            message: wf("kan inte skriva: {}", &[e]),
        })
    };
    let file = crate::files::create_private(path, false).map_err(|e| failed(&e))?;
    let mut writer = csv_file::writer(file, excel).map_err(|e| failed(&e))?;
    writer
        .write_record(EXPORT_COLUMNS)
        .map_err(|e| failed(&e))?;
    for h in &list {
        let applicant = h
            .members
            .iter()
            .find(|m| m.role == i32::from(pb::MemberRole::Applicant))
            .map(|m| m.personal_identity_number.as_str())
            .unwrap_or_default();
        writer
            .write_record([h.case_reference.as_str(), &h.id, applicant, application])
            .map_err(|e| failed(&e))?;
    }
    writer.flush().map_err(|e| failed(&e))?;
    s.print(
        || serde_json::json!({ "households": list.len(), "file": path.display().to_string() }),
        || {
            format!(
                "{}\n",
                wf(
                    "{} hushåll skrivna till {}",
                    &[&list.len(), &path.display()]
                )
            )
        },
    )
}
