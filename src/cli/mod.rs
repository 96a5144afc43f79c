//! `budgetrad-cli`: the budget- och skuldrådgivare's command-line client of
//! the budgetrad service, built on the generated gRPC clients.
//!
//! A counsellor writes a household, a budget or a försörjningsstöd case as a
//! small TOML or JSON file ([`input`] documents the formats; `examples/` has
//! one of each), sends it with one command, and reads the answer as tables
//! in which every figure stands beside its basis ([`render`]), or as JSON
//! with `--json` ([`view`]). Failed calls are explained in words, never as a
//! debug dump ([`status`]).
//!
//! Commands:
//!
//! ```text
//! households create FILE | get ID | list [--page-size N] [--page-token T] [--all]
//!            update ID FILE --revision N | lookup PERSONNUMMER
//! budget     calculate FILE | save HOUSEHOLD_ID FILE | show BUDGET_ID | list HOUSEHOLD_ID
//! social-assistance FILE [--household-id ID]
//! norms      list [--kind K] [--in-force-on YYYY-MM-DD] | show ID [--version N] | import FILE
//! payouts    record LEASE_ID --month M --amount KR --decision REF --date D | reverse ID --reason R
//!            list [--household ID] [--lease ID] [--from M] [--to M] [--decision REF] | show ID
//! receipts   record LEASE_ID --month M --amount KR --paid D --source S | list [filters]
//! rent-check one (--household ID | --person PNR) --application M | --in FILE.csv --out FILE.csv
//! ```
//!
//! and debts, landlords, leases, rent-due, plans, notices and audit:
//! `budgetrad-cli --help` lists them all.
//!
//! Connection: `--server` / `BUDGETRAD_SERVER` (default
//! `http://127.0.0.1:50051`); the bearer token from `--token` /
//! `BUDGETRAD_TOKEN`, else the file `--token-file` / `BUDGETRAD_TOKEN_FILE`
//! (default `budgetrad-admin.token`), see [`connect`].
//!
//! Exit codes: 0 on success; 2 when the user's input is at fault (arguments,
//! an input file, the token or the server URL), before anything is sent; 1
//! when the server could not be reached or refused the request.
//!
//! The CLI never does arithmetic on money: amounts go to the server as the
//! text written and come back as the server's decimal strings.

pub mod connect;
mod debts;
pub mod input;
pub mod names;
mod payouts;
pub mod render;
mod rent;
mod rent_check;
pub mod status;
pub mod view;

use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic::{Request, Status};

use crate::pb;
use crate::pb::admin_service_client::AdminServiceClient;
use crate::pb::audit_service_client::AuditServiceClient;
use crate::pb::budget_service_client::BudgetServiceClient;
use crate::pb::debt_service_client::DebtServiceClient;
use crate::pb::household_service_client::HouseholdServiceClient;
use crate::pb::norm_service_client::NormServiceClient;
use crate::pb::payout_service_client::PayoutServiceClient;
use crate::pb::rent_check_service_client::RentCheckServiceClient;
use crate::pb::rent_plan_service_client::RentPlanServiceClient;
use connect::{BearerAuth, ConnectError};
use input::{BudgetFile, HouseholdFile, InputError, NormTableFile, SocialAssistanceFile};

const ABOUT: &str = "The counsellors' client of budgetrad: households, budgets, \
försörjningsstöd by the riksnorm, and the norm tables behind them.";

const LONG_ABOUT: &str = "\
The counsellors' client of budgetrad: households, budgets, försörjningsstöd by the
riksnorm, and the norm tables behind them. Every figure is printed with its basis:
the rule, the table row read and the arithmetic.

Input files are TOML or JSON (by extension); `COMMAND --help` describes each format,
and examples/ holds one of each. Amounts are decimal strings (\"8200.50\") or whole
numbers.

The token is read from --token / BUDGETRAD_TOKEN, else from the file named by
--token-file / BUDGETRAD_TOKEN_FILE (default: budgetrad-admin.token in the working
directory). Prefer the environment or the file: a --token on the command line is
visible to other users of the machine.

Exit codes: 0 success; 2 bad arguments, input file, token or server URL; 1 the server
could not be reached or refused the request.";

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
    server: String,

    /// For an https:// server: the PEM file of the CA that signed its
    /// certificate.
    #[arg(long, env = "BUDGETRAD_CA_CERT", global = true, value_name = "PEM")]
    ca_cert: Option<PathBuf>,

    /// The bearer token (prefer BUDGETRAD_TOKEN or a token file: a command
    /// line is visible to other users).
    #[arg(
        long,
        env = "BUDGETRAD_TOKEN",
        hide_env_values = true,
        global = true,
        value_name = "SECRET"
    )]
    token: Option<String>,

    /// A file holding the token on one line [default: budgetrad-admin.token].
    #[arg(long, env = "BUDGETRAD_TOKEN_FILE", global = true, value_name = "FILE")]
    token_file: Option<PathBuf>,

    /// Print the response as JSON instead of tables (money as decimal
    /// strings, enums as lower_snake names).
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    Debts(debts::DebtsCommand),
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
        #[arg(long, value_name = "KR")]
        principal: String,
        /// The first day of delay, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: String,
        /// The last day of delay, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: String,
    },
    /// Landlords: name, organisationsnummer, bankgiro or plusgiro.
    #[command(subcommand)]
    Landlords(rent::LandlordsCommand),
    /// A household's leases and their rent history.
    #[command(subcommand)]
    Leases(rent::LeasesCommand),
    /// The due date of a month's rent (JB 12:20) and the day the lease
    /// becomes forfeitable (JB 12:42).
    RentDue {
        /// YYYY-MM.
        month: String,
    },
    /// Rent-arrears payment plans: preview, create, show, list, pay.
    #[command(subcommand)]
    Plans(rent::PlansCommand),
    /// The landlords' eviction-risk notices to socialnämnden (JB 12:44).
    #[command(subcommand)]
    Notices(rent::NoticesCommand),
    /// Rent paid out of försörjningsstöd straight to the landlord: record,
    /// reverse, list, show.
    #[command(subcommand)]
    Payouts(payouts::PayoutsCommand),
    /// Receipts showing that a household paid its rent itself.
    #[command(subcommand)]
    Receipts(payouts::ReceiptsCommand),
    /// Was last month's rent paid? One household, or a CSV batch in one
    /// stream (roles: rent_check or caseworker).
    RentCheck(rent_check::RentCheckArgs),
    /// The audit trail of accesses to household data (role: auditor).
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Subcommand)]
enum AuditCommand {
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
enum HouseholdsCommand {
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
    /// Finds the household a person belongs to.
    Lookup {
        /// Personnummer or samordningsnummer; "-" reads it from standard
        /// input, which keeps it out of the shell history.
        personnummer: String,
    },
}

#[derive(Subcommand)]
enum BudgetCommand {
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
enum NormsCommand {
    /// Lists the latest version of each table, newest first.
    List {
        /// Only tables of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Only tables in force on this date.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
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
    /// Loads a norm table, or a new version of one (role: admin).
    #[command(after_long_help = input::NORM_TABLE_FORMAT)]
    Import {
        /// The norm table file (.toml or .json).
        file: PathBuf,
    },
}

#[derive(Args)]
struct Paging {
    /// Results per page [server default: 50, maximum 500].
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    page_size: Option<i32>,
    /// Continue from this page (printed under the previous page).
    #[arg(long, value_name = "TOKEN")]
    page_token: Option<String>,
    /// Fetch every page.
    #[arg(long)]
    all: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
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

fn parse_date(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| s.to_owned())
        .map_err(|_| "expected a date as YYYY-MM-DD, such as 2026-03-01".to_owned())
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

/// Why the CLI stopped, and so its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments, token or server URL: exit 2.
    #[error("{0}")]
    Usage(String),
    /// An input file that cannot be used: exit 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The server could not be reached or refused: exit 1.
    #[error("{0}")]
    Server(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Input(_) => 2,
            CliError::Server(_) => 1,
        }
    }
}

/// The entry point of the `budgetrad-cli` binary.
pub fn main() -> ExitCode {
    // clap prints its own usage errors and exits with 2.
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

type Intercepted = InterceptedService<Channel, BearerAuth>;

/// A connected, authenticated session, and what error messages may say
/// about it.
struct Session {
    channel: Channel,
    auth: BearerAuth,
    server: String,
    token_source: String,
    json: bool,
}

impl Session {
    async fn open(cli: &Cli) -> Result<Self, CliError> {
        let credential = connect::find_token(cli.token.as_deref(), cli.token_file.as_deref())
            .map_err(CliError::Usage)?;
        let auth = BearerAuth::new(&credential).map_err(CliError::Usage)?;
        let channel = connect::channel(&cli.server, cli.ca_cert.as_deref())
            .await
            .map_err(|e| match e {
                ConnectError::BadUrl(m) => CliError::Usage(m),
                ConnectError::Unreachable(m) => CliError::Server(m),
            })?;
        Ok(Self {
            channel,
            auth,
            server: cli.server.clone(),
            token_source: credential.source,
            json: cli.json,
        })
    }

    fn households(&self) -> HouseholdServiceClient<Intercepted> {
        HouseholdServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn budgets(&self) -> BudgetServiceClient<Intercepted> {
        BudgetServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn norms(&self) -> NormServiceClient<Intercepted> {
        NormServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn admin(&self) -> AdminServiceClient<Intercepted> {
        AdminServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn debts(&self) -> DebtServiceClient<Intercepted> {
        DebtServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn rent(&self) -> RentPlanServiceClient<Intercepted> {
        RentPlanServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn payouts(&self) -> PayoutServiceClient<Intercepted> {
        PayoutServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn rent_checks(&self) -> RentCheckServiceClient<Intercepted> {
        RentCheckServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    fn audit(&self) -> AuditServiceClient<Intercepted> {
        AuditServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    /// A refused call in words; `roles` are those the RPC needs.
    fn refused<'a>(&'a self, roles: &'a str) -> impl Fn(Status) -> CliError + 'a {
        move |status| {
            CliError::Server(status::explain(
                &status,
                &status::Context {
                    server: &self.server,
                    token_source: &self.token_source,
                    roles,
                },
            ))
        }
    }

    /// Prints the JSON view with `--json`, else the table text.
    fn print<V: Serialize>(
        &self,
        view: impl FnOnce() -> V,
        text: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        let out = if self.json {
            let mut json = serde_json::to_string_pretty(&view())
                .map_err(|e| CliError::Server(format!("cannot write the response as JSON: {e}")))?;
            json.push('\n');
            json
        } else {
            text()
        };
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => Ok(()),
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Server(format!("cannot write the output: {e}"))),
        }
    }
}

const COUNSELLOR: &str = "counsellor or caseworker";
const ANY_CALLER: &str = "any authenticated caller";
const ADMIN: &str = "admin";
const AUDITOR: &str = "auditor";

/// An amount as the wire takes it: the text as typed; the server parses it
/// and names the field when it is not an amount.
fn wire_money(amount: &str) -> Option<pb::Money> {
    Some(pb::Money {
        amount: amount.to_owned(),
    })
}

/// The request id of a write: the one given (to retry a call that may have
/// gone through), or a new one, printed so that the call can be retried.
fn request_id(given: &Option<String>) -> String {
    match given {
        Some(id) => id.clone(),
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            eprintln!("request id {id} (give --request-id {id} to retry this exact call)");
            id
        }
    }
}

/// A response field the proto marks as always set, but which the server
/// left out: a server bug, reported rather than panicking.
fn present<T>(value: Option<T>, what: &str) -> Result<T, CliError> {
    value.ok_or_else(|| CliError::Server(format!("the server's answer has no {what}")))
}

async fn run(cli: Cli) -> Result<(), CliError> {
    match &cli.command {
        Command::Households(cmd) => households(&cli, cmd).await,
        Command::Budget(cmd) => budget(&cli, cmd).await,
        Command::SocialAssistance { file, household_id } => {
            social_assistance(&cli, file, household_id.clone()).await
        }
        Command::Norms(cmd) => norms(&cli, cmd).await,
        Command::Audit(cmd) => audit(&cli, cmd).await,
        Command::Landlords(cmd) => rent::landlords(&Session::open(&cli).await?, cmd).await,
        Command::Leases(cmd) => rent::leases(&Session::open(&cli).await?, cmd).await,
        Command::RentDue { month } => rent::rent_due(&Session::open(&cli).await?, month).await,
        Command::Plans(cmd) => rent::plans(&Session::open(&cli).await?, cmd).await,
        Command::Notices(cmd) => rent::notices(&Session::open(&cli).await?, cmd).await,
        Command::Debts(cmd) => debts::run(&Session::open(&cli).await?, cmd).await,
        Command::RentCheck(args) => rent_check::run(&Session::open(&cli).await?, args).await,
        Command::Payouts(cmd) => payouts::payouts(&Session::open(&cli).await?, cmd).await,
        Command::Receipts(cmd) => payouts::receipts(&Session::open(&cli).await?, cmd).await,
        Command::ProtectedAmount { file, household_id } => {
            let request = input::load::<input::DebtCaseFile>(file)?
                .protected_request(file, household_id.clone())?;
            debts::protected_amount(&Session::open(&cli).await?, request).await
        }
        Command::Skuldsanering { file, household_id } => {
            let request = input::load::<input::DebtCaseFile>(file)?
                .restructuring_request(file, household_id.clone())?;
            debts::skuldsanering(&Session::open(&cli).await?, request).await
        }
        Command::LateInterest {
            principal,
            from,
            to,
        } => debts::late_interest(&Session::open(&cli).await?, principal, from, to).await,
    }
}

async fn audit(cli: &Cli, cmd: &AuditCommand) -> Result<(), CliError> {
    let AuditCommand::List {
        household,
        caller,
        method,
        outcome,
        since,
        until,
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

async fn households(cli: &Cli, cmd: &HouseholdsCommand) -> Result<(), CliError> {
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

fn read_stdin_line() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        CliError::Usage(format!(
            "cannot read the personnummer from standard input: {e}"
        ))
    })?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        return Err(CliError::Usage(
            "no personnummer on standard input".to_owned(),
        ));
    }
    Ok(line)
}

async fn budget(cli: &Cli, cmd: &BudgetCommand) -> Result<(), CliError> {
    match cmd {
        BudgetCommand::Calculate { file } => {
            let request = input::load::<BudgetFile>(file)?.calculate_request(file)?;
            let s = Session::open(cli).await?;
            let response = s
                .budgets()
                .calculate_budget(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let r = present(response.result, "result")?;
            s.print(
                || view::BudgetResultView::from(&r),
                || render::budget_result(&r),
            )
        }
        BudgetCommand::Save { household_id, file } => {
            let request =
                input::load::<BudgetFile>(file)?.create_request(file, household_id.clone())?;
            let s = Session::open(cli).await?;
            let response = s
                .budgets()
                .create_budget(request)
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let b = present(response.budget, "budget")?;
            s.print(|| view::BudgetView::from(&b), || render::budget(&b))
        }
        BudgetCommand::Show { budget_id } => {
            let s = Session::open(cli).await?;
            let response = s
                .budgets()
                .get_budget(pb::GetBudgetRequest {
                    id: budget_id.clone(),
                })
                .await
                .map_err(s.refused(COUNSELLOR))?
                .into_inner();
            let b = present(response.budget, "budget")?;
            s.print(|| view::BudgetView::from(&b), || render::budget(&b))
        }
        BudgetCommand::List {
            household_id,
            paging,
        } => {
            let s = Session::open(cli).await?;
            let client = s.budgets();
            let page_size = paging.page_size.unwrap_or_default();
            let (list, next) = collect_pages(paging, |page_token| {
                let mut client = client.clone();
                let household_id = household_id.clone();
                async move {
                    let r = client
                        .list_budgets(pb::ListBudgetsRequest {
                            household_id,
                            page_size,
                            page_token,
                        })
                        .await?
                        .into_inner();
                    Ok::<_, PageError>((r.budgets, r.next_page_token))
                }
            })
            .await
            .map_err(|e| e.into_cli(&s, COUNSELLOR))?;
            s.print(
                || view::BudgetListView {
                    budgets: list.iter().map(view::BudgetView::from).collect(),
                    next_page_token: next.clone(),
                },
                || render::budgets(&list, &next),
            )
        }
    }
}

async fn social_assistance(
    cli: &Cli,
    file: &Path,
    household_id: Option<String>,
) -> Result<(), CliError> {
    let request = input::load::<SocialAssistanceFile>(file)?.request(file, household_id)?;
    // Kept to say which members each riksnorm unit covers.
    let members = request.members.clone();
    let s = Session::open(cli).await?;
    let r = s
        .budgets()
        .calculate_social_assistance(request)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || view::SocialAssistanceView::from(&r),
        || render::social_assistance(&r, &members),
    )
}

async fn norms(cli: &Cli, cmd: &NormsCommand) -> Result<(), CliError> {
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

/// Why paging stopped.
enum PageError {
    Status(Status),
    /// The server handed back the token it was given: following it would
    /// loop for ever.
    Loop,
}

impl From<Status> for PageError {
    fn from(s: Status) -> Self {
        PageError::Status(s)
    }
}

impl PageError {
    fn into_cli(self, s: &Session, roles: &str) -> CliError {
        match self {
            PageError::Status(status) => s.refused(roles)(status),
            PageError::Loop => CliError::Server(
                "the server returned the same page token twice; stopped to avoid a loop".to_owned(),
            ),
        }
    }
}

/// Fetches one page, or with `--all` every page from `--page-token` on.
/// Returns the items and the token of the next page ("" when none).
async fn collect_pages<T, F, Fut>(
    paging: &Paging,
    mut fetch: F,
) -> Result<(Vec<T>, String), PageError>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, String), PageError>>,
{
    let mut token = paging.page_token.clone().unwrap_or_default();
    let mut items = Vec::new();
    loop {
        let (page, next) = fetch(token.clone()).await?;
        items.extend(page);
        if !paging.all || next.is_empty() {
            return Ok((items, next));
        }
        if next == token {
            return Err(PageError::Loop);
        }
        token = next;
    }
}

#[cfg(test)]
mod tests;
