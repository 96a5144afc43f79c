//! `norms list | show | status | import`: the norm tables the service reads,
//! and whether those needed now and ahead are loaded.

use std::fmt::Write as _;

use serde::Serialize;

use tonic::Request;

use super::args::{Cli, NormsCommand};
use super::input::{self, NormTableFile};
use super::names::wire_name;
use super::names::words::{w, wf};
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
        NormsCommand::Status { date } => {
            let s = Session::open(cli).await?;
            let r = s
                .norms()
                .get_norm_status(pb::GetNormStatusRequest {
                    date: date.clone().unwrap_or_default(),
                })
                .await
                .map_err(s.refused(ANY_CALLER))?
                .into_inner();
            s.print(|| NormStatusView::new(&r), || norm_status_text(&r))
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

#[derive(Debug, Serialize)]
struct NormStatusView {
    date: String,
    missing: bool,
    periods: Vec<NormPeriodView>,
}

#[derive(Debug, Serialize)]
struct NormPeriodView {
    kind: String,
    period: String,
    valid_from: String,
    valid_to: String,
    upcoming: bool,
    covered: bool,
    coverage: String,
    table_ids: Vec<String>,
    warning: String,
}

impl NormStatusView {
    fn new(r: &pb::GetNormStatusResponse) -> Self {
        NormStatusView {
            date: r.date.clone(),
            missing: r.missing,
            periods: r
                .periods
                .iter()
                .map(|p| NormPeriodView {
                    kind: wire_name::<pb::NormTableKind>(p.kind),
                    period: p.period.clone(),
                    valid_from: p.valid_from.clone(),
                    valid_to: p.valid_to.clone(),
                    upcoming: p.upcoming,
                    covered: p.covered,
                    coverage: wire_name::<pb::NormCoverage>(p.coverage),
                    table_ids: p.table_ids.clone(),
                    warning: p.warning.clone(),
                })
                .collect(),
        }
    }
}

/// The kind in Swedish, and what a missing table of it stops.
fn kind_sv(kind: i32) -> (&'static str, &'static str) {
    match pb::NormTableKind::try_from(kind) {
        Ok(pb::NormTableKind::Riksnorm) => (w("riksnorm"), w("försörjningsstöd")),
        Ok(pb::NormTableKind::Normalbelopp) => (
            w("normalbelopp"),
            w("förbehållsbelopp och skuldsaneringsberäkningar"),
        ),
        Ok(pb::NormTableKind::Referensranta) => (w("referensränta"), w("dröjsmålsränta")),
        Ok(pb::NormTableKind::ReferenceCosts) => (w("referenskostnader"), w("jämförelser")),
        _ => (w("okänd tabell"), w("beräkningar")),
    }
}

fn coverage_sv(coverage: i32) -> &'static str {
    match pb::NormCoverage::try_from(coverage) {
        Ok(pb::NormCoverage::Official) => w("officiell"),
        Ok(pb::NormCoverage::Provisional) => w("PRELIMINÄR"),
        Ok(pb::NormCoverage::Missing) => w("SAKNAS"),
        _ => w("okänd"),
    }
}

/// The status in Swedish: one line per needed period, then what to do.
fn norm_status_text(r: &pb::GetNormStatusResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wf("Normtabeller som behövs den {}", &[&r.date]));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<15} {:<16} {:<25} {:<12} {}",
        w("Slag"),
        w("Tidsperiod"),
        w("Gäller"),
        w("Status"),
        w("Tabell")
    );
    for p in &r.periods {
        let period = if p.upcoming {
            wf("{} (nästa)", &[&p.period])
        } else {
            p.period.clone()
        };
        let tables = if p.table_ids.is_empty() {
            "–".to_owned()
        } else {
            p.table_ids.join(", ")
        };
        let _ = writeln!(
            out,
            "{:<15} {:<16} {:<25} {:<12} {tables}",
            kind_sv(p.kind).0,
            period,
            format!("{} – {}", p.valid_from, p.valid_to),
            coverage_sv(p.coverage),
        );
    }
    let _ = writeln!(out);
    let mut notes = 0;
    for p in &r.periods {
        let (kind, stops) = kind_sv(p.kind);
        match pb::NormCoverage::try_from(p.coverage) {
            Ok(pb::NormCoverage::Missing) => {
                notes += 1;
                let _ = writeln!(
                    out,
                    "{}",
                    wf(
                        "Varning: ingen tabell för {} {} är inläst. Beräkningar av {} för perioden misslyckas med NORM_TABLE_MISSING tills en administratör läser in den med `budgetrad-cli norms import FIL`.",
                        &[&kind, &p.period, &stops]
                    )
                );
            }
            Ok(pb::NormCoverage::Provisional) => {
                notes += 1;
                let _ = writeln!(
                    out,
                    "{}",
                    wf(
                        "Obs: {} {} är preliminär ({}). Resultat som bygger på den säger det och ska stämmas av mot de officiella siffrorna när de finns.",
                        &[&kind, &p.period, &p.table_ids.join(", ")]
                    )
                );
            }
            _ => {}
        }
    }
    if !r.missing {
        let _ = writeln!(out, "{}", w("Alla tabeller som behövs är inlästa."));
    } else if notes == 0 {
        let _ = writeln!(out, "{}", w("Någon tabell som behövs saknas."));
    }
    out
}
