//! `budgetrad-cli`: the budget- och skuldrådgivare's command-line client of
//! the budgetrad service, built on the generated gRPC clients.
//!
//! A counsellor writes a household, a budget or a försörjningsstöd case as a
//! small TOML or JSON file ([`input`] documents the formats; `examples/` has
//! one of each), sends it with one command, and reads the answer as tables
//! in which every figure stands beside its basis ([`render`]), or as JSON
//! with `--json` ([`view`]). Failed calls are explained in words, never as a
//! debug dump ([`session::status`]).
//!
//! Commands:
//!
//! ```text
//! households create FILE | get ID | list [--page-size N] [--page-token T] [--all]
//!            update ID FILE --revision N | lookup PERSONNUMMER
//!            | export --csv FILE [--application M] [--excel]
//! budget     calculate FILE | save HOUSEHOLD_ID FILE | show BUDGET_ID | list HOUSEHOLD_ID
//! social-assistance FILE [--household-id ID]
//! norms      list [--kind K] [--in-force-on YYYY-MM-DD] | show ID [--version N] | status [--date D] | import FILE
//! payments   batch create|approve ID --count N --total KR|export ID --out FILE.xml|status FILE.xml|list|show ID
//! payouts    record LEASE_ID --month M --amount KR --decision REF --date D | reverse ID --reason R
//!            list [--household ID] [--lease ID] [--from M] [--to M] [--decision REF] | show ID
//! receipts   record LEASE_ID --month M --amount KR --paid D --source S | list [filters]
//! rent-check one (--household ID | --person PNR) --application M
//!            | --in FILE.csv --out FILE.csv [--delimiter ;] [--excel]
//! alerts     list [--household ID] [--state S] [--kind K] | watch [--kind K] [--after N]
//!            | ack ID [--close]
//! ```
//!
//! `documents KIND --household ID … --out FILE.pdf [--json-out FILE]` renders a
//! letter or statement as PDF/A with its data twin (`--out-dir DIR`: one
//! letter per creditor); and debts, landlords, leases, rent-due, plans, notices and audit:
//! `budgetrad-cli --help` lists them all.
//!
//! Output: Swedish tables by default, English with `--lang en`; fitted to
//! the terminal, or to 100 columns when the output is saved or piped
//! (`--width N` to choose).
//!
//! Connection: `--server` / `BUDGETRAD_SERVER` (default
//! `http://127.0.0.1:50051`); the bearer token from `--token` /
//! `BUDGETRAD_TOKEN`, else the file `--token-file` / `BUDGETRAD_TOKEN_FILE`
//! (default `budgetrad-admin.token`), see [`session::connect`].
//!
//! Exit codes: 0 on success; 2 when the user's input is at fault (arguments,
//! an input file, the token or the server URL, found before anything is
//! sent, or INVALID_ARGUMENT from the server); 1 when the server could not
//! be reached or refused the request, or rows of a rent-check batch failed.
//! Only a write whose answer was lost (unavailable, timed out) prints the
//! `--request-id` that retries it.
//!
//! The CLI never does arithmetic on money: amounts, written as people write
//! them (`1 500,50`, `1500.50`, `1 500 kr`), are turned into the wire's
//! form by one parser ([`input::parse_amount`]; dates by
//! [`input::parse_date`]) and come back as the server's decimal strings.

mod alerts;
mod args;
mod audit;
mod budgets;
mod debts;
mod documents;
mod followup;
mod households;
pub mod input;
pub mod names;
mod norms;
mod payments;
mod payouts;
pub mod render;
mod rent;
mod rent_check;
mod session;
mod usage;
pub mod view;

use std::process::ExitCode;

use args::{AdminCommand, Cli, Command};
pub use session::CliError;
use session::Session;

/// The entry point of the `budgetrad-cli` binary.
pub fn main() -> ExitCode {
    // The language first, so that clap's refusals and the value parsers'
    // reasons are in it; clap's errors are rendered here (exit 2), its help
    // and version by clap itself.
    let args = args::json_twin_alias(std::env::args_os().collect());
    names::words::set_lang(usage::lang_of_args(&args));
    // The command tree in the run's language (its `--help` in Swedish by
    // default), parsed as clap's derive would.
    let parsed = args::command()
        .try_get_matches_from(&args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => match usage::render(&e) {
            Some(text) => {
                eprint!("{}", error_text(&text));
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    render::layout::set_width(cli.width);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprint!(
                "{}",
                error_text(&names::words::wf(
                    "kan inte starta körningsmiljön: {}",
                    &[&e]
                ))
            );
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", error_text(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// An error as printed on standard error: `fel:` (or `error:`) and the
/// message, its lines wrapped to the output's width like the tables.
fn error_text(message: &str) -> String {
    render::layout::fit(&format!("{}: {message}\n", names::words::w("fel")))
}

async fn run(cli: Cli) -> Result<(), CliError> {
    match &cli.command {
        Command::Households(cmd) => households::households(&cli, cmd).await,
        Command::Budget(cmd) => budgets::budget(&cli, cmd).await,
        Command::SocialAssistance { file, household_id } => {
            budgets::social_assistance(&cli, file, household_id.clone()).await
        }
        Command::Norms(cmd) => norms::norms(&cli, cmd).await,
        Command::Audit(cmd) => audit::audit(&cli, cmd).await,
        Command::Admin(AdminCommand::VerifyLedger) => audit::verify_ledger(&cli).await,
        Command::FollowUp(args) => followup::follow_up(&cli, args).await,
        Command::Landlords(cmd) => rent::landlords(&Session::open(&cli).await?, cmd).await,
        Command::Leases(cmd) => rent::leases(&Session::open(&cli).await?, cmd).await,
        Command::RentDue { month } => rent::rent_due(&Session::open(&cli).await?, month).await,
        Command::Plans(cmd) => rent::plans(&Session::open(&cli).await?, cmd).await,
        Command::Notices(cmd) => rent::notices(&Session::open(&cli).await?, cmd).await,
        Command::Debts(cmd) => debts::run(&Session::open(&cli).await?, cmd).await,
        Command::Documents(cmd) => documents::run(&Session::open(&cli).await?, cmd).await,
        Command::RentCheck(args) => rent_check::run(&Session::open(&cli).await?, args).await,
        Command::Payouts(cmd) => payouts::payouts(&Session::open(&cli).await?, cmd).await,
        Command::Receipts(cmd) => payouts::receipts(&Session::open(&cli).await?, cmd).await,
        Command::Payments(cmd) => payments::payments(&Session::open(&cli).await?, cmd).await,
        Command::Alerts(cmd) => alerts::alerts(&Session::open(&cli).await?, cmd).await,
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
