//! `follow-up MONTH [--to MONTH] [--unit U] [--csv FILE]`: the monthly
//! follow-up as a Swedish table per month, and as CSV. A figure on fewer
//! than five cases comes from the server without its value and is shown,
//! and written, as `<5`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::args::{Cli, FollowUpArgs};
use super::names::measures::label;
use super::names::words::{io_reason, w, wf};
use super::render::{self, amount, decimal_comma, new_table, right_align};
use super::session::{CliError, STATISTICS, Session};
use crate::pb;

/// What `--json` prints for a month: the wire's fields, a small cell
/// without value or cases.
#[derive(serde::Serialize)]
struct MonthView {
    month: String,
    unit: String,
    measures: Vec<MeasureView>,
}

#[derive(serde::Serialize)]
struct MeasureView {
    code: String,
    dimension: String,
    definition: String,
    suppressed: bool,
    /// `null` when suppressed.
    value: Option<String>,
    cases: Option<i64>,
}

impl From<&pb::MonthlyFollowUp> for MonthView {
    fn from(m: &pb::MonthlyFollowUp) -> MonthView {
        MonthView {
            month: m.month.clone(),
            unit: m.unit.clone(),
            measures: m
                .measures
                .iter()
                .map(|x| MeasureView {
                    code: x.code.clone(),
                    dimension: x.dimension.clone(),
                    definition: x.definition.clone(),
                    suppressed: x.suppressed,
                    value: (!x.suppressed).then(|| x.value.clone()),
                    cases: (!x.suppressed).then_some(x.cases),
                })
                .collect(),
        }
    }
}

/// What a small cell shows.
const SMALL: &str = "<5";

pub(super) async fn follow_up(cli: &Cli, args: &FollowUpArgs) -> Result<(), CliError> {
    let s = Session::open(cli).await?;
    let last = args.to.clone().unwrap_or_else(|| args.month.clone());
    let unit = args.unit.clone().unwrap_or_default();
    let months = s
        .follow_up()
        .list_monthly_follow_up(pb::ListMonthlyFollowUpRequest {
            from_month: args.month.clone(),
            to_month: last.clone(),
            unit: unit.clone(),
        })
        .await
        .map_err(s.refused(STATISTICS))?
        .into_inner()
        .months;
    if let Some(path) = &args.csv {
        write_csv(path, &months)?;
    }
    let report = match &args.pdf {
        Some(pdf) => {
            let answer = s
                .follow_up()
                .render_follow_up_report(pb::RenderFollowUpReportRequest {
                    to_month: last,
                    unit,
                    date: String::new(),
                })
                .await
                .map_err(s.refused(STATISTICS))?
                .into_inner();
            write_file(pdf, &answer.pdf)?;
            if let Some(json) = &args.pdf_json {
                write_file(json, answer.json.as_bytes())?;
            }
            Some((pdf, answer.document_id))
        }
        None => None,
    };
    s.print(
        || months.iter().map(MonthView::from).collect::<Vec<_>>(),
        || {
            let mut out = text(&months, args.csv.as_ref());
            if let Some((pdf, id)) = &report {
                let _ = writeln!(
                    out,
                    "{}",
                    wf(
                        "Rapporten (tolv månader, PDF/A-2b) skriven till {}, dokument-id {}",
                        &[&pdf.display(), id]
                    )
                );
            }
            out
        },
    )
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::Usage(format!("{}: {}", path.display(), io_reason(&e))))
}

/// The value for people: `<5`, an amount in kronor, or a number with a
/// decimal comma.
fn shown(m: &pb::FollowUpMeasure) -> String {
    if m.suppressed {
        SMALL.to_owned()
    } else if m.kind == pb::FollowUpValueKind::Amount as i32 {
        amount(&m.value)
    } else {
        decimal_comma(&render::group_thousands(&m.value))
    }
}

fn text(months: &[pb::MonthlyFollowUp], csv: Option<&PathBuf>) -> String {
    let mut out = String::new();
    for month in months {
        let title = if month.unit.is_empty() {
            wf("Uppföljning {}", &[&month.month])
        } else {
            wf("Uppföljning {}, enhet {}", &[&month.month, &month.unit])
        };
        let _ = writeln!(out, "{title}");
        let mut table = new_table(&["Mått", "Värde"]);
        for m in &month.measures {
            table.add_row(vec![label(m), shown(m)]);
        }
        right_align(&mut table, &[1]);
        let _ = writeln!(out, "{table}\n");
    }
    let _ = writeln!(
        out,
        "{}",
        w("<5: färre än fem fall, visas inte. Definitionerna står i --json.")
    );
    if let Some(path) = csv {
        let _ = writeln!(out, "{}", wf("CSV skriven till {}", &[&path.display()]));
    }
    out
}

/// One row per month and measure: the wire's codes, the value or `<5`,
/// the cases (empty for a small cell) and the definition.
fn write_csv(path: &PathBuf, months: &[pb::MonthlyFollowUp]) -> Result<(), CliError> {
    let failed = |e: &dyn std::fmt::Display| {
        CliError::Server(format!("cannot write {}: {e}", path.display()))
    };
    let mut out = csv::Writer::from_path(path).map_err(|e| failed(&e))?;
    out.write_record([
        "month",
        "unit",
        "code",
        "dimension",
        "value",
        "cases",
        "definition",
    ])
    .map_err(|e| failed(&e))?;
    for month in months {
        for m in &month.measures {
            let (value, cases) = if m.suppressed {
                (SMALL.to_owned(), String::new())
            } else {
                (m.value.clone(), m.cases.to_string())
            };
            out.write_record([
                month.month.as_str(),
                month.unit.as_str(),
                m.code.as_str(),
                m.dimension.as_str(),
                value.as_str(),
                cases.as_str(),
                m.definition.as_str(),
            ])
            .map_err(|e| failed(&e))?;
        }
    }
    out.flush().map_err(|e| failed(&e))
}
