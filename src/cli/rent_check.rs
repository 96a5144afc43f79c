//! `budgetrad-cli rent-check`: was last month's rent paid? One household
//! with `rent-check one`, or a batch from CSV to CSV in one stream, with a
//! progress bar and a summary by status.
//!
//! The batch never holds the file in memory: a reader thread sends rows
//! into a bounded queue that feeds the stream, and answers are written as
//! they come.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::args::{RentCheckArgs, RentCheckCommand};
use super::input::csv_file::{self, Columns, excel_amount};
use super::input::{InputError, parse_date};
use super::names::words::{violation_text, w, wf};
use super::names::{display_name, parse_name, wire_name};
use super::render::{fields, is_nonzero, kr};
use super::session::{CliError, Session, present, read_stdin_line};
use super::view::money as amount_text;
use crate::pb;
use pb::check_rent_paid_stream_response::Outcome;
use pb::rent_check_query::Subject;

const ROLES: &str = "rent_check, caseworker";
/// Rows read ahead of the stream.
const READ_AHEAD: usize = 1000;

pub(super) async fn run(s: &Session, args: &RentCheckArgs) -> Result<(), CliError> {
    match (&args.one, &args.input, &args.output) {
        (
            Some(RentCheckCommand::One {
                household,
                person,
                application,
                rent_month,
                as_of,
            }),
            _,
            _,
        ) => {
            let subject = match (household, person) {
                (Some(id), _) => Subject::HouseholdId(id.clone()),
                (None, Some(pin)) if pin == "-" => {
                    Subject::PersonalIdentityNumber(read_stdin_line()?)
                }
                (None, Some(pin)) => Subject::PersonalIdentityNumber(pin.clone()),
                (None, None) => {
                    return Err(CliError::Usage(
                        w("ange --household ID eller --person PERSONNUMMER").to_owned(),
                    ));
                }
            };
            let result = s
                .rent_checks()
                .check_rent_paid(pb::CheckRentPaidRequest {
                    query: Some(pb::RentCheckQuery {
                        subject: Some(subject),
                        application_month: application.clone(),
                        rent_month: rent_month.clone().unwrap_or_default(),
                        as_of: as_of.clone().unwrap_or_default(),
                    }),
                })
                .await
                .map_err(s.refused(ROLES))?
                .into_inner()
                .result;
            let result = present(result, "result")?;
            s.print(|| ResultRow::of("", &result), || result_text(&result))
        }
        (None, Some(input), Some(output)) => batch(s, args, input, output).await,
        _ => Err(CliError::Usage(
            w("ange `one …` eller både --in FIL och --out FIL").to_owned(),
        )),
    }
}

/// One input row.
#[derive(Debug, Deserialize)]
struct Application {
    #[serde(default)]
    correlation_id: String,
    #[serde(default)]
    household_id: String,
    #[serde(default)]
    personal_identity_number: String,
    #[serde(default)]
    application_month: String,
    #[serde(default)]
    rent_month: String,
    /// Optional: the day the check is made as of (YYYY-MM-DD).
    #[serde(default)]
    as_of: String,
}

/// The columns of the input file.
const COLUMNS: Columns = Columns {
    known: &[
        "correlation_id",
        "household_id",
        "personal_identity_number",
        "application_month",
        "rent_month",
        "as_of",
    ],
    required: &["application_month"],
    one_of: &[&["household_id", "personal_identity_number"]],
};

impl Application {
    /// The request of the row on `line`, or why the row cannot be sent
    /// (naming the column).
    fn into_request(self, line: u64) -> Result<pb::CheckRentPaidStreamRequest, String> {
        let as_of = if self.as_of.trim().is_empty() {
            String::new()
        } else {
            parse_date(&self.as_of).map_err(|e| wf("rad {}, as_of: {}", &[&line, &e]))?
        };
        let subject = if !self.household_id.is_empty() {
            Some(Subject::HouseholdId(self.household_id))
        } else if !self.personal_identity_number.is_empty() {
            Some(Subject::PersonalIdentityNumber(
                self.personal_identity_number,
            ))
        } else {
            None
        };
        Ok(pb::CheckRentPaidStreamRequest {
            correlation_id: if self.correlation_id.is_empty() {
                line.to_string()
            } else {
                self.correlation_id
            },
            query: Some(pb::RentCheckQuery {
                subject,
                application_month: self.application_month,
                rent_month: self.rent_month,
                as_of,
            }),
        })
    }
}

/// One output row.
#[derive(Debug, Serialize)]
pub struct ResultRow {
    pub correlation_id: String,
    pub status: String,
    pub household_id: String,
    pub lease_id: String,
    pub rent_month: String,
    pub rent_due: Option<String>,
    pub paid_by_payouts: Option<String>,
    pub paid_by_receipts: Option<String>,
    pub outstanding: Option<String>,
    pub due_date: String,
    /// Empty while the rent is not yet due on the check date.
    pub days_overdue: Option<i32>,
    pub plan_instalment_state: String,
    pub error: String,
    /// The day the check was made as of.
    pub check_date: String,
    pub not_yet_due: bool,
}

impl ResultRow {
    /// The row for Swedish Excel: amounts with a decimal comma.
    fn for_excel(mut self) -> ResultRow {
        for amount in [
            &mut self.rent_due,
            &mut self.paid_by_payouts,
            &mut self.paid_by_receipts,
            &mut self.outstanding,
        ]
        .into_iter()
        .flatten()
        {
            *amount = excel_amount(amount);
        }
        self
    }

    fn of(correlation_id: &str, r: &pb::RentCheckResult) -> ResultRow {
        ResultRow {
            correlation_id: correlation_id.to_owned(),
            status: wire_name::<pb::RentCheckStatus>(r.status),
            household_id: r.household_id.clone(),
            lease_id: r.lease_id.clone(),
            rent_month: r.rent_month.clone(),
            rent_due: amount_text(&r.rent_due),
            paid_by_payouts: amount_text(&r.paid_by_payouts),
            paid_by_receipts: amount_text(&r.paid_by_receipts),
            outstanding: amount_text(&r.outstanding),
            due_date: r.due_date.clone(),
            days_overdue: (!r.not_yet_due && !r.lease_id.is_empty()).then_some(r.days_overdue),
            plan_instalment_state: r
                .plan_instalment
                .as_ref()
                .map(|p| wire_name::<pb::InstalmentState>(p.state))
                .unwrap_or_default(),
            error: String::new(),
            check_date: r.check_date.clone(),
            not_yet_due: r.not_yet_due,
        }
    }

    fn error(correlation_id: String, e: &pb::ItemError) -> ResultRow {
        let fields: Vec<String> = e
            .field_violations
            .iter()
            .map(|f| {
                // The column of the file, in the run's language.
                let column = f.field.strip_prefix("query.").unwrap_or(&f.field);
                format!("{column}: {}", violation_text(&f.reason, &f.description))
            })
            .collect();
        ResultRow {
            correlation_id,
            status: "error".to_owned(),
            household_id: String::new(),
            lease_id: String::new(),
            rent_month: String::new(),
            rent_due: None,
            paid_by_payouts: None,
            paid_by_receipts: None,
            outstanding: None,
            due_date: String::new(),
            days_overdue: None,
            plan_instalment_state: String::new(),
            error: if fields.is_empty() {
                format!("{} {}: {}", e.code, e.reason, e.message)
            } else {
                format!("{} {}: {}", e.code, e.reason, fields.join("; "))
            },
            check_date: String::new(),
            not_yet_due: false,
        }
    }
}

fn result_text(r: &pb::RentCheckResult) -> String {
    let mut out = String::new();
    let status = display_name::<pb::RentCheckStatus>(r.status);
    let _ = writeln!(out, "{}", wf("Hyran för {}: {}", &[&r.rent_month, &status]));
    let mut lines: Vec<(&'static str, String)> = Vec::new();
    if !r.household_id.is_empty() {
        lines.push(("Hushåll", r.household_id.clone()));
    }
    if !r.lease_id.is_empty() {
        lines.push(("Hyreskontrakt", r.lease_id.clone()));
        lines.push((
            "Hyra att betala",
            wf("{} den {}", &[&kr(&r.rent_due), &r.due_date]),
        ));
        lines.push(("Utbetalt", kr(&r.paid_by_payouts)));
        lines.push(("Kvitton", kr(&r.paid_by_receipts)));
        let outstanding = if !is_nonzero(&r.outstanding) {
            kr(&r.outstanding)
        } else if r.not_yet_due {
            wf(
                "{}, ej förfallen ännu den {}",
                &[&kr(&r.outstanding), &r.check_date],
            )
        } else {
            wf(
                "{}, {} dagar efter förfallodagen den {}",
                &[&kr(&r.outstanding), &r.days_overdue, &r.check_date],
            )
        };
        lines.push(("Obetalt", outstanding));
        if is_nonzero(&r.overpaid) {
            lines.push(("För mycket", kr(&r.overpaid)));
        }
        for id in &r.payout_ids {
            lines.push(("Utbetalning", id.clone()));
        }
        for id in &r.receipt_ids {
            lines.push(("Kvitto", id.clone()));
        }
    }
    fields(&mut out, &lines);
    if let Some(p) = &r.plan_instalment {
        let _ = writeln!(
            out,
            "{}",
            wf(
                "  Avbetalningsplan {}: delbetalning {} på {} förfaller {}, betalt {}: {}",
                &[
                    &p.plan_id,
                    &p.number,
                    &kr(&p.instalment),
                    &p.due_date,
                    &kr(&p.paid),
                    &display_name::<pb::InstalmentState>(p.state)
                ]
            )
        );
    }
    out
}

fn input_error(path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::Input(InputError::Parse {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Counts the data rows, for the progress bar (a quick pass that also
/// checks the header; the rows are read again as they are sent).
fn count_rows(path: &Path, delimiter: Option<u8>) -> Result<u64, CliError> {
    let mut reader = csv_file::open(path, delimiter, &COLUMNS)?;
    let mut rows = 0;
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| input_error(path, e))?
    {
        rows += 1;
    }
    Ok(rows)
}

async fn batch(
    s: &Session,
    args: &RentCheckArgs,
    input: &Path,
    output: &Path,
) -> Result<(), CliError> {
    let total = count_rows(input, args.delimiter)?;
    let mut reader = csv_file::open(input, args.delimiter, &COLUMNS)?;
    // The answers name who receives assistance: readable by the owner only.
    let file = crate::files::create_private(output, false).map_err(|e| input_error(output, e))?;
    let mut writer = csv_file::writer(file, args.excel).map_err(|e| input_error(output, e))?;

    // The reader thread: rows into a bounded queue, so the file is read
    // only as fast as the server takes it.
    let (tx, rx) = mpsc::channel::<pb::CheckRentPaidStreamRequest>(READ_AHEAD);
    let (fail_tx, mut fail_rx) = mpsc::channel::<CliError>(1);
    let path = input.to_owned();
    let reading = tokio::task::spawn_blocking(move || {
        for (n, row) in reader.deserialize::<Application>().enumerate() {
            // Line 1 is the header.
            let line = n as u64 + 2;
            let request = match row
                .map_err(|e| e.to_string())
                .and_then(|a| a.into_request(line))
            {
                Ok(request) => request,
                Err(e) => {
                    let _ = fail_tx.blocking_send(input_error(&path, e));
                    return;
                }
            };
            if tx.blocking_send(request).is_err() {
                return;
            }
        }
    });

    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} checked, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut answers = s
        .rent_checks()
        .check_rent_paid_stream(ReceiverStream::new(rx))
        .await
        .map_err(s.refused(ROLES))?
        .into_inner();
    let mut summary: BTreeMap<String, u64> = BTreeMap::new();
    loop {
        let answer = match answers.message().await {
            Ok(Some(answer)) => answer,
            Ok(None) => break,
            Err(status) => {
                bar.abandon();
                return Err(s.refused(ROLES)(status));
            }
        };
        let row = match &answer.outcome {
            Some(Outcome::Result(r)) => ResultRow::of(&answer.correlation_id, r),
            Some(Outcome::Error(e)) => ResultRow::error(answer.correlation_id.clone(), e),
            None => {
                bar.abandon();
                return Err(CliError::Server(
                    w("serverns svar saknar utfall").to_owned(),
                ));
            }
        };
        *summary.entry(row.status.clone()).or_default() += 1;
        let row = if args.excel { row.for_excel() } else { row };
        writer.serialize(&row).map_err(|e| input_error(output, e))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    writer.flush().map_err(|e| input_error(output, e))?;
    let _ = reading.await;
    if let Ok(error) = fail_rx.try_recv() {
        return Err(error);
    }
    let written: u64 = summary.values().sum();
    let mut out = wf(
        "{} ansökningar kontrollerade; svaren finns i {}",
        &[&written, &output.display()],
    );
    out.push('\n');
    for (status, count) in &summary {
        let words = match parse_name::<pb::RentCheckStatus>(status) {
            Ok(value) => display_name::<pb::RentCheckStatus>(value.into()),
            Err(_) => w("fel").to_owned(),
        };
        let _ = writeln!(out, "  {words:<16} {count:>9}");
    }
    s.print(|| &summary, || out)?;
    // The answers are all written; a row that failed still fails the batch,
    // so that a script notices.
    match summary.get("error") {
        Some(&failed) if failed > 0 => Err(CliError::Server(wf(
            "{} av {} rader misslyckades; kolumnen error i {} säger varför",
            &[&failed, &written, &output.display()],
        ))),
        _ => Ok(()),
    }
}
