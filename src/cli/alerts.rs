//! `budgetrad-cli alerts list|watch|ack`: the early warnings of the
//! caller's units, as a table (Swedish by default), or as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::args::AlertsCommand;
use super::names::display_name;
use super::names::words::w;
use comfy_table::Cell;

use super::render::list_table;
use super::session::{CliError, PageError, Session, collect_pages, present};
use crate::pb;

const COUNSELLOR: &str = "counsellor or caseworker";

pub(super) async fn alerts(s: &Session, cmd: &AlertsCommand) -> Result<(), CliError> {
    let client = s.alerts();
    match cmd {
        AlertsCommand::List {
            household,
            state,
            kind,
            paging,
        } => {
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                let request = pb::ListAlertsRequest {
                    household_id: household.clone().unwrap_or_default(),
                    states: state.iter().map(|s| *s as i32).collect(),
                    kinds: kind.iter().map(|k| *k as i32).collect(),
                    page_size,
                    page_token,
                };
                async move {
                    let r = client.list_alerts(request).await?.into_inner();
                    Ok::<_, PageError>((r.alerts, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(s, COUNSELLOR))?;
            s.print(
                || list.iter().map(AlertView::from).collect::<Vec<_>>(),
                || alerts_table(&list, &next),
            )
        }
        AlertsCommand::Watch { kind, after } => {
            let mut stream = client
                .clone()
                .watch_alerts(pb::WatchAlertsRequest {
                    kinds: kind.iter().map(|k| *k as i32).collect(),
                    after_sequence: after.unwrap_or_default(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            while let Some(next) = stream.message().await.map_err(s.refused(COUNSELLOR))? {
                let alert = present(next.alert, "alert")?;
                s.print(
                    || AlertView::from(&alert),
                    || alerts_table(std::slice::from_ref(&alert), ""),
                )?;
            }
            Ok(())
        }
        AlertsCommand::Ack { alert_id, close } => {
            let alert = client
                .clone()
                .acknowledge_alert(pb::AcknowledgeAlertRequest {
                    id: alert_id.clone(),
                    close: *close,
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner()
                .alert;
            let alert = present(alert, "alert")?;
            s.print(
                || AlertView::from(&alert),
                || alerts_table(std::slice::from_ref(&alert), ""),
            )
        }
    }
}

/// The alerts as a table: what, when and for whom; then the ids to act on.
fn alerts_table(list: &[pb::Alert], next: &str) -> String {
    let header = ["Nr", "Varning", "Läge", "Avser", "Senast", "Hushåll"];
    let mut out = list_table(list, "Inga varningar.", &header, &[0], next, |a| {
        vec![
            Cell::new(a.sequence),
            Cell::new(display_name::<pb::AlertKind>(a.kind)),
            Cell::new(display_name::<pb::AlertState>(a.state)),
            Cell::new(&a.period),
            Cell::new(&a.due_date),
            Cell::new(if a.household_id.is_empty() {
                w("alla")
            } else {
                &a.household_id
            }),
        ]
    });
    // Each alert's whole id by its number, to be copied into `alerts ack`:
    // a column of ids next to the households' would split them.
    if !list.is_empty() {
        let _ = writeln!(out, "{}", w("Id att ange i senare kommandon:"));
        for a in list {
            let _ = writeln!(out, "  {:>6}  {}", a.sequence, a.id);
        }
    }
    // The records each alert is about, by its number, one per line.
    if list.iter().any(|a| !a.record_ids.is_empty()) {
        let _ = writeln!(out, "{}", w("Poster (per nr):"));
        for a in list {
            for record in &a.record_ids {
                let _ = writeln!(out, "  {:>6}  {record}", a.sequence);
            }
        }
    }
    out
}

#[derive(Debug, Serialize)]
pub struct AlertView {
    pub id: String,
    pub sequence: i64,
    pub kind: String,
    pub state: String,
    pub household_id: Option<String>,
    pub record_ids: Vec<String>,
    pub period: Option<String>,
    pub due_date: Option<String>,
    pub changed_by: Option<String>,
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

impl From<&pb::Alert> for AlertView {
    fn from(a: &pb::Alert) -> Self {
        AlertView {
            id: a.id.clone(),
            sequence: a.sequence,
            kind: super::names::wire_name::<pb::AlertKind>(a.kind),
            state: super::names::wire_name::<pb::AlertState>(a.state),
            household_id: some(&a.household_id),
            record_ids: a.record_ids.clone(),
            period: some(&a.period),
            due_date: some(&a.due_date),
            changed_by: some(&a.changed_by),
        }
    }
}
