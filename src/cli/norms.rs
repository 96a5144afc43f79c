//! `norms list | show | import`: the norm tables the service reads.

use tonic::Request;

use super::args::{Cli, NormsCommand};
use super::input::{self, NormTableFile};
use super::session::{ADMIN, ANY_CALLER, CliError, PageError, Session, collect_pages, present};
use super::{render, view};
use crate::pb;

pub(super) async fn norms(cli: &Cli, cmd: &NormsCommand) -> Result<(), CliError> {
    match cmd {
        NormsCommand::List {
            kind,
            in_force_on,
            paging,
        } => {
            let s = Session::open(cli).await?;
            let client = s.norms();
            let page_size = paging.page_size.unwrap_or_default();
            let kind = kind.map_or(pb::NormTableKind::Unspecified, pb::NormTableKind::from);
            let in_force_on = in_force_on.clone().unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                let in_force_on = in_force_on.clone();
                async move {
                    let r = client
                        .list_norm_tables(pb::ListNormTablesRequest {
                            kind: kind.into(),
                            in_force_on,
                            page_size,
                            page_token,
                        })
                        .await?
                        .into_inner();
                    Ok::<_, PageError>((r.norm_tables, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(&s, ANY_CALLER))?;
            s.print(
                || view::NormTableListView {
                    norm_tables: list
                        .iter()
                        .map(|t| view::NormTableView::new(t, false))
                        .collect(),
                    next_page_token: next.clone(),
                },
                || render::norm_tables(&list, &next),
            )
        }
        NormsCommand::Show { id, version } => {
            let s = Session::open(cli).await?;
            let response = s
                .norms()
                .get_norm_table(pb::GetNormTableRequest {
                    id: id.clone(),
                    version: version.unwrap_or_default(),
                })
                .await
                .map_err(s.refused(ANY_CALLER))?
                .into_inner();
            let t = present(response.norm_table, "norm table")?;
            s.print(
                || view::NormTableView::new(&t, true),
                || render::norm_table(&t),
            )
        }
        NormsCommand::Import { file } => {
            let request = input::load::<NormTableFile>(file)?.request();
            let s = Session::open(cli).await?;
            let response = s
                .admin()
                .import_norm_table(Request::new(request))
                .await
                .map_err(s.refused(ADMIN))?
                .into_inner();
            let t = present(response.norm_table, "norm table")?;
            s.print(
                || view::NormTableView::new(&t, true),
                || render::norm_table(&t),
            )
        }
    }
}
