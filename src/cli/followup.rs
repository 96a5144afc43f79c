//! `follow-up MONTH [--to MONTH] [--unit U] [--csv FILE]`: the monthly
//! follow-up as a Swedish table per month, and as CSV. A figure on fewer
//! than five cases comes from the server without its value and is shown,
//! and written, as `<5`.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::args::Cli;
use super::names::display_name;
use super::names::words::{w, wf};
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

pub(super) async fn follow_up(
    cli: &Cli,
    month: &str,
    to: &Option<String>,
    unit: &Option<String>,
    csv: &Option<PathBuf>,
) -> Result<(), CliError> {
    let s = Session::open(cli).await?;
    let months = s
        .follow_up()
        .list_monthly_follow_up(pb::ListMonthlyFollowUpRequest {
            from_month: month.to_owned(),
            to_month: to.clone().unwrap_or_else(|| month.to_owned()),
            unit: unit.clone().unwrap_or_default(),
        })
        .await
        .map_err(s.refused(STATISTICS))?
        .into_inner()
        .months;
    if let Some(path) = csv {
        write_csv(path, &months)?;
    }
    s.print(
        || months.iter().map(MonthView::from).collect::<Vec<_>>(),
        || text(&months, csv.as_ref()),
    )
}

/// A measure's Swedish label.
fn label(m: &pb::FollowUpMeasure) -> String {
    let d = m.dimension.as_str();
    let upper = d.to_uppercase();
    let contract = || {
        display_name::<pb::ContractType>(
            pb::ContractType::from_str_name(&format!("CONTRACT_TYPE_{upper}")).unwrap_or_default()
                as i32,
        )
    };
    match (m.code.as_str(), d) {
        ("notices_received", _) => w("Underrättelser mottagna").to_owned(),
        ("notices_resolved", _) => wf(
            "Underrättelser lösta: {}",
            &[&display_name::<pb::NoticeResolution>(
                pb::NoticeResolution::from_str_name(&format!("NOTICE_RESOLUTION_{upper}"))
                    .unwrap_or_default() as i32,
            )],
        ),
        ("notices_resolved_within_deadline", _) => {
            w("Underrättelser lösta inom tidsfristen").to_owned()
        }
        ("notice_days_to_first_action_median", _) => {
            w("Dagar från underrättelse till första åtgärd (median)").to_owned()
        }
        ("notice_households_with_children", _) => {
            w("Hushåll med barn bland underrättelserna").to_owned()
        }
        ("plans_started", _) => w("Avbetalningsplaner påbörjade").to_owned(),
        ("plans_completed", _) => w("Avbetalningsplaner fullföljda").to_owned(),
        ("plans_broken", _) => w("Avbetalningsplaner brutna").to_owned(),
        ("instalments", "on_time") => w("Avbetalningar betalda i tid").to_owned(),
        ("instalments", "late") => w("Avbetalningar betalda för sent").to_owned(),
        ("instalments", "partly") => w("Avbetalningar delvis betalda").to_owned(),
        ("instalments", "missed") => w("Avbetalningar missade").to_owned(),
        ("payouts", _) => wf("Direktutbetalningar: {}", &[&payout_kind(&upper)]),
        ("payouts_sum", _) => wf("Direktutbetalningar, summa: {}", &[&payout_kind(&upper)]),
        ("payouts_rejected_by_bank", _) => w("Utbetalningar avvisade av banken").to_owned(),
        ("payouts_returned_by_bank", _) => w("Utbetalningar returnerade av banken").to_owned(),
        ("rent_status", _) => wf(
            "Hyran för månaden: {}",
            &[&display_name::<pb::RentCheckStatus>(
                pb::RentCheckStatus::from_str_name(&format!("RENT_CHECK_STATUS_{upper}"))
                    .unwrap_or_default() as i32,
            )],
        ),
        ("two_unpaid_months", _) => w("Hushåll med två obetalda månader i rad").to_owned(),
        ("households_by_contract_type", _) => wf("Hushåll per kontraktstyp: {}", &[&contract()]),
        ("ladder_moves_up", _) => w("Flyttar uppåt på boendetrappan").to_owned(),
        ("ladder_moves_down", _) => w("Flyttar nedåt på boendetrappan").to_owned(),
        ("stay_mean_months", _) => wf("Boendetid i månader, medel: {}", &[&contract()]),
        ("stay_median_months", _) => wf("Boendetid i månader, median: {}", &[&contract()]),
        ("debt_households", _) => w("Hushåll med registrerade skulder").to_owned(),
        ("debt_offer_households", _) => w("Hushåll med erbjudande till borgenärerna").to_owned(),
        ("skuldsanering_estimate_households", _) => {
            w("Hushåll med beräkning av skuldsanering").to_owned()
        }
        // A measure this build does not know: its code.
        (code, "") => code.to_owned(),
        (code, dimension) => format!("{code}: {dimension}"),
    }
}

fn payout_kind(upper: &str) -> String {
    display_name::<pb::RentPaymentKind>(
        pb::RentPaymentKind::from_str_name(&format!("RENT_PAYMENT_KIND_{upper}"))
            .unwrap_or_default() as i32,
    )
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
