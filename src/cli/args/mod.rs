//! The argument tree of `budgetrad-cli`: every command, flag and argument
//! as clap types, with the parsers of the few values checked before a call
//! (dates, instants). The commands of the larger areas have their own
//! files; what each command does is in the module of its area.

mod alerts;
mod debts;
mod documents;
mod help_sv;
mod payments;
mod payouts;
mod rent;
mod rent_check;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::input;
use crate::pb;
pub(super) use alerts::AlertsCommand;
pub(super) use debts::DebtsCommand;
pub(super) use documents::{DocumentArgs, DocumentKindArg, DocumentsCommand, json_twin_alias};
pub(super) use help_sv::command;
pub(super) use payments::{BatchCommand, PaymentsCommand};
pub(super) use payouts::{PayoutsCommand, ReceiptsCommand};
pub(super) use rent::{LandlordsCommand, LeasesCommand, NoticesCommand, PlansCommand};
pub(super) use rent_check::{RentCheckArgs, RentCheckCommand};

const ABOUT: &str = "The counsellors' client of budgetrad: households, budgets, \
försörjningsstöd by the riksnorm, and the norm tables behind them.";

const LONG_ABOUT: &str = "\
The counsellors' client of budgetrad: households, budgets, försörjningsstöd by the
riksnorm, and the norm tables behind them. Every figure is printed with its basis:
the rule, the table row read and the arithmetic.

Input files are TOML or JSON (by extension); `COMMAND --help` describes each format,
and examples/ holds one of each. Amounts, in flags and files, are written as in
Swedish (1 500,50 or 1 500 kr) or as 1500.50; dates as 2026-12-02 or 20261202.

The token is read from --token / BUDGETRAD_TOKEN, else from the file named by
--token-file / BUDGETRAD_TOKEN_FILE (default: budgetrad-admin.token in the working
directory). Prefer the environment or the file: a --token on the command line is
visible to other users of the machine.

Exit codes: 0 success; 2 bad arguments, input file, token or server URL (nothing was
sent); 1 the server could not be reached or refused the request, or rows of a batch
failed.";

#[derive(Parser)]
#[command(name = "budgetrad-cli", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// The server's URL.
    #[arg(
        long,
        env = "BUDGETRAD_SERVER",
        default_value = "http://127.0.0.1:50051",
        global = true,
        value_name = "URL"
    )]
    pub(super) server: String,

    /// For an https:// server: the PEM file of the CA that signed its
    /// certificate.
    #[arg(long, env = "BUDGETRAD_CA_CERT", global = true, value_name = "PEM")]
    pub(super) ca_cert: Option<PathBuf>,

    /// The bearer token (prefer BUDGETRAD_TOKEN or a token file: a command
    /// line is visible to other users).
    #[arg(
        long,
        env = "BUDGETRAD_TOKEN",
        hide_env_values = true,
        global = true,
        value_name = "SECRET"
    )]
    pub(super) token: Option<String>,

    /// A file holding the token on one line [default: budgetrad-admin.token].
    #[arg(long, env = "BUDGETRAD_TOKEN_FILE", global = true, value_name = "FILE")]
    pub(super) token_file: Option<PathBuf>,

    /// Print the response as JSON instead of tables (money as decimal
    /// strings, enums as lower_snake names).
    #[arg(long, global = true)]
    pub(super) json: bool,

    /// The language of the tables: sv (Swedish, the default) or en.
    #[arg(
        long,
        env = "BUDGETRAD_LANG",
        global = true,
        value_enum,
        default_value = "sv"
    )]
    pub(super) lang: super::names::words::Lang,

    /// Fit the tables to N columns [default: the terminal's width, or 100
    /// when the output is not a terminal, so that it prints].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(40..))]
    pub(super) width: Option<u16>,

    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Households and their members (roles: counsellor or caseworker).
    #[command(subcommand)]
    Households(HouseholdsCommand),
    /// Household budgets (roles: counsellor or caseworker).
    #[command(subcommand)]
    Budget(BudgetCommand),
    /// Försörjningsstöd for one month: riksnorm + reasonable costs − incomes.
    #[command(after_long_help = social_assistance_help())]
    SocialAssistance {
        /// The case file (.toml or .json).
        file: PathBuf,
        /// A saved household to calculate for, instead of members in the file.
        #[arg(long, value_name = "ID")]
        household_id: Option<String>,
    },
    /// The norm tables the service reads (riksnorm, normalbelopp, …).
    #[command(subcommand)]
    Norms(NormsCommand),
    /// A household's debts: register, history, overview and offer (roles:
    /// counsellor or caseworker).
    #[command(subcommand)]
    Debts(DebtsCommand),
    /// Förbehållsbelopp (what a debtor keeps under löneutmätning), and with
    /// net_income in the file the amount that can be garnished.
    #[command(after_long_help = input::DEBT_CASE_FORMAT)]
    ProtectedAmount {
        /// The case file (.toml or .json).
        file: PathBuf,
        /// A saved household, instead of members in the file.
        #[arg(long, value_name = "ID")]
        household_id: Option<String>,
    },
    /// A skuldsanering estimate: what each creditor receives each year and
    /// what stays unpaid.
    #[command(after_long_help = input::DEBT_CASE_FORMAT)]
    Skuldsanering {
        /// The case file (.toml or .json).
        file: PathBuf,
        /// A saved household, instead of members in the file.
        #[arg(long, value_name = "ID")]
        household_id: Option<String>,
    },
    /// Dröjsmålsränta (räntelagen 6 §): referensränta + 8 percentage points,
    /// per half-year, both end dates counted.
    LateInterest {
        /// The late amount, e.g. 10000.
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        principal: String,
        /// The first day of delay, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        from: String,
        /// The last day of delay, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        to: String,
    },
    /// Letters and statements as PDF/A (A4, Swedish) with their data twin:
    /// budget-summary, social-assistance-calculation, debt-overview,
    /// creditor-request, creditor-offer, rent-arrears-agreement,
    /// skuldsanering-estimate, monthly-binder-page.
    Documents(DocumentsCommand),
    /// Landlords: name, organisationsnummer, bankgiro or plusgiro.
    #[command(subcommand)]
    Landlords(LandlordsCommand),
    /// A household's leases and their rent history.
    #[command(subcommand)]
    Leases(LeasesCommand),
    /// The due date of a month's rent (JB 12:20), the last day to pay it
    /// and the first day the lease is forfeitable (JB 12:42, lag 1930:173).
    RentDue {
        /// YYYY-MM.
        month: String,
    },
    /// Rent-arrears payment plans: preview, create, show, list, pay.
    #[command(subcommand)]
    Plans(PlansCommand),
    /// The landlords' eviction-risk notices to socialnämnden (JB 12:44).
    #[command(subcommand)]
    Notices(NoticesCommand),
    /// Rent paid out of försörjningsstöd straight to the landlord: record,
    /// reverse, list, show.
    #[command(subcommand)]
    Payouts(PayoutsCommand),
    /// Receipts showing that a household paid its rent itself.
    #[command(subcommand)]
    Receipts(ReceiptsCommand),
    /// Payouts to the bank and back: batches, attestation, pain.001 files
    /// and the bank's pain.002 and camt.054.
    #[command(subcommand)]
    Payments(PaymentsCommand),
    /// Was last month's rent paid? One household, or a CSV batch in one
    /// stream (roles: rent_check or caseworker).
    RentCheck(RentCheckArgs),
    /// The audit trail of accesses to household data (role: auditor).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Checks of the whole register.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Early warnings of your units: list, watch as they come, acknowledge
    /// (roles: counsellor or caseworker).
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// The monthly follow-up for the steering group: notices, plans,
    /// payouts, rent checks, the housing ladder and debts, over your units
    /// or one of them; figures on fewer than five cases are shown as <5
    /// (roles: auditor or statistics).
    FollowUp(FollowUpArgs),
}

/// `follow-up MONTH [--to MONTH] [--unit U] [--csv FILE] [--pdf FILE]`.
#[derive(Args)]
pub(super) struct FollowUpArgs {
    /// The month, YYYY-MM (the first, with --to).
    pub month: String,
    /// The last month of a range, YYYY-MM (at most 24 months).
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<String>,
    /// One of your units.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Also write the figures as CSV to FILE (the same <5 for small cells).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<std::path::PathBuf>,
    /// Also write the steering group's report as PDF/A to FILE: a chart
    /// per measure over the twelve months ending with the last month.
    #[arg(long, value_name = "FILE.pdf")]
    pub pdf: Option<std::path::PathBuf>,
    /// With --pdf: where the report's data twin (JSON) is written.
    #[arg(long, value_name = "FILE", requires = "pdf")]
    pub pdf_json: Option<std::path::PathBuf>,
}

#[derive(Subcommand)]
pub(super) enum AdminCommand {
    /// Recomputes every hash chain (the rent ledger's, per lease, and the
    /// audit trail's) and names the first record that does not match
    /// (role: auditor). Exits 1 when one does not.
    VerifyLedger,
}

#[derive(Subcommand)]
pub(super) enum AuditCommand {
    /// Lists audit records, oldest first; every filter given must match.
    List {
        /// Only records about this household.
        #[arg(long, value_name = "ID")]
        household: Option<String>,
        /// Only records of this caller (a token or certificate name).
        #[arg(long, value_name = "NAME")]
        caller: Option<String>,
        /// Only this method, such as budgetrad.v1.HouseholdService/GetHousehold.
        #[arg(long, value_name = "METHOD")]
        method: Option<String>,
        /// Only this outcome: OK or a gRPC status code name such as NOT_FOUND.
        #[arg(long, value_name = "CODE")]
        outcome: Option<String>,
        /// Records at or after this instant: RFC 3339 (2026-11-01T08:00:00+01:00)
        /// or a date (YYYY-MM-DD, from midnight Swedish time).
        #[arg(long, value_name = "WHEN", value_parser = parse_instant)]
        since: Option<prost_types::Timestamp>,
        /// Records before this instant (same forms as --since; a date means
        /// before midnight starting that day).
        #[arg(long, value_name = "WHEN", value_parser = parse_instant)]
        until: Option<prost_types::Timestamp>,
        /// Only records naming this record id (a payout, receipt, lease,
        /// plan, debt …).
        #[arg(long, value_name = "ID")]
        record: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
}

/// An instant on the command line: RFC 3339, or a date meaning midnight in
/// Sweden at the start of it.
fn parse_instant(text: &str) -> Result<prost_types::Timestamp, String> {
    use chrono::{DateTime, NaiveDate, TimeZone};
    let instant = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        t.to_utc()
    } else if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = date.and_time(chrono::NaiveTime::MIN);
        chrono_tz::Europe::Stockholm
            .from_local_datetime(&midnight)
            .earliest()
            .ok_or("that midnight does not exist in Swedish time")?
            .to_utc()
    } else {
        return Err(
            "give an RFC 3339 instant (2026-11-01T08:00:00+01:00) or a date (2026-11-01)"
                .to_owned(),
        );
    };
    Ok(prost_types::Timestamp {
        seconds: instant.timestamp(),
        nanos: i32::try_from(instant.timestamp_subsec_nanos()).unwrap_or(0),
    })
}

#[derive(Subcommand)]
pub(super) enum HouseholdsCommand {
    /// Saves a new household from a file.
    #[command(after_long_help = household_help())]
    Create {
        /// The household file (.toml or .json).
        file: PathBuf,
    },
    /// Shows a household and its members.
    Get { id: String },
    /// Lists households, oldest first.
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Replaces a household's case reference and members.
    #[command(after_long_help = household_help())]
    Update {
        id: String,
        /// The household file (.toml or .json).
        file: PathBuf,
        /// The revision your change is based on (from `households get`).
        #[arg(long)]
        revision: i64,
    },
    /// Writes every household's id and its applicant's personnummer as a
    /// `rent-check --in` file, created readable by you only (an existing
    /// file is replaced). Read page by page through ListHouseholds, which
    /// the server records in its audit trail for every household listed.
    Export {
        /// The CSV file to write.
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        /// Fill application_month with this month, YYYY-MM [default: left
        /// empty for you to fill in].
        #[arg(long, value_name = "MONTH")]
        application: Option<String>,
        /// Write for Swedish Excel: ; between columns, UTF-8 with a
        /// byte-order mark.
        #[arg(long)]
        excel: bool,
    },
    /// Finds the household a person belongs to.
    Lookup {
        /// Personnummer or samordningsnummer; "-" reads it from standard
        /// input, which keeps it out of the shell history.
        personnummer: String,
    },
}

#[derive(Subcommand)]
pub(super) enum BudgetCommand {
    /// Computes a budget for one month without saving it.
    #[command(after_long_help = budget_help())]
    Calculate {
        /// The budget file (.toml or .json).
        file: PathBuf,
    },
    /// Computes a budget for a saved household's members and saves it.
    #[command(after_long_help = budget_help())]
    Save {
        household_id: String,
        /// The budget file (.toml or .json), without members.
        file: PathBuf,
    },
    /// Shows a saved budget.
    Show { budget_id: String },
    /// Lists a household's saved budgets, newest first.
    List {
        household_id: String,
        #[command(flatten)]
        paging: Paging,
    },
}

#[derive(Subcommand)]
pub(super) enum NormsCommand {
    /// Lists the latest version of each table, newest first.
    List {
        /// Only tables of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Only tables in force on this date.
        #[arg(long, value_name = "DATE", value_parser = input::parse_date)]
        in_force_on: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Shows one table with its rows.
    Show {
        id: String,
        /// A specific version [default: the latest].
        #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
        version: Option<i32>,
    },
    /// Whether the tables needed now and ahead are loaded (in Swedish): the
    /// next year's riksnorm and normalbelopp from 1 November, the next
    /// half-year's referensränta from 1 June and 1 December.
    Status {
        /// Judge from this date [default: the server's today].
        #[arg(long, value_name = "DATE", value_parser = input::parse_date)]
        date: Option<String>,
    },
    /// Loads a norm table, or a new version of one (role: admin).
    #[command(after_long_help = input::NORM_TABLE_FORMAT)]
    Import {
        /// The norm table file (.toml or .json).
        file: PathBuf,
    },
}

#[derive(Args)]
pub(super) struct Paging {
    /// Results per page [server default: 50, maximum 500].
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    pub(super) page_size: Option<i32>,
    /// Continue from this page (printed under the previous page).
    #[arg(long, value_name = "TOKEN")]
    pub(super) page_token: Option<String>,
    /// Fetch every page.
    #[arg(long)]
    pub(super) all: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum KindArg {
    Riksnorm,
    Normalbelopp,
    Referensranta,
    #[value(name = "reference_costs", alias = "reference-costs")]
    ReferenceCosts,
}

impl From<KindArg> for pb::NormTableKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Riksnorm => pb::NormTableKind::Riksnorm,
            KindArg::Normalbelopp => pb::NormTableKind::Normalbelopp,
            KindArg::Referensranta => pb::NormTableKind::Referensranta,
            KindArg::ReferenceCosts => pb::NormTableKind::ReferenceCosts,
        }
    }
}

fn budget_help() -> String {
    format!(
        "{}\n{}",
        input::BUDGET_FORMAT,
        input::members_and_lines_help()
    )
}

fn household_help() -> String {
    format!(
        "{}\n\n{}",
        input::HOUSEHOLD_FORMAT,
        input::members_and_lines_help()
    )
}

fn social_assistance_help() -> String {
    format!(
        "{}\n\n{}\n\nWith --household-id the file may leave out household_id.",
        input::SOCIAL_ASSISTANCE_FORMAT,
        input::members_and_lines_help()
    )
}

#[cfg(test)]
mod tests;
