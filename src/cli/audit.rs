//! `audit list`: the audit trail of accesses to household data.

use super::args::{AuditCommand, Cli};
use super::session::{AUDITOR, CliError, PageError, Session, collect_pages};
use super::{render, view};
use crate::pb;

pub(super) async fn audit(cli: &Cli, cmd: &AuditCommand) -> Result<(), CliError> {
    let AuditCommand::List {
        household,
        caller,
        method,
        outcome,
        since,
        until,
        record,
        paging,
    } = cmd;
    let s = Session::open(cli).await?;
    let client = s.audit();
    let request = pb::ListAuditEventsRequest {
        household_id: household.clone().unwrap_or_default(),
        caller: caller.clone().unwrap_or_default(),
        method: method.clone().unwrap_or_default(),
        outcome: outcome.clone().unwrap_or_default(),
        start_time: *since,
        end_time: *until,
        page_size: paging.page_size.unwrap_or_default(),
        page_token: String::new(),
        record_id: record.clone().unwrap_or_default(),
    };
    let (list, next) = collect_pages(paging, |page_token| {
        let mut client = client.clone();
        let request = pb::ListAuditEventsRequest {
            page_token,
            ..request.clone()
        };
        async move {
            let r = client.list_audit_events(request).await?.into_inner();
            Ok::<_, PageError>((r.events, r.next_page_token))
        }
    })
    .await
    .map_err(|e| e.into_cli(&s, AUDITOR))?;
    s.print(
        || view::AuditListView {
            events: list.iter().map(view::AuditEventView::from).collect(),
            next_page_token: next.clone(),
        },
        || render::audit_events(&list, &next),
    )
}
