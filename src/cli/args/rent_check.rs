//! The arguments of `rent-check`, with the CSV formats of its batch.

use std::path::PathBuf;

use clap::{Args, Subcommand};

pub const CSV_FORMAT: &str = "\
Input CSV (a header row, then one application a row; UTF-8, with or without the
byte-order mark Excel writes; columns separated by , or ; as detected from the
header row, or as --delimiter says; the columns may come in any order, and an
unknown or missing column is named before anything is sent):
  correlation_id,household_id,personal_identity_number,application_month,rent_month,as_of
  ansökan-1,0190f1c2-…,,2026-12,,2026-12-01
  ansökan-2,,19800101-6016,2026-12,,2026-12-01
One of household_id and personal_identity_number; rent_month is optional
(the month before application_month); as_of (2026-12-01 or 20261201, not
after today) is optional and makes a batch repeatable: the check is made as
of that day instead of today, and the column may be left out. An empty
correlation_id becomes the row's line number.

Output CSV, one row per input row in the same order:
  correlation_id,status,household_id,lease_id,rent_month,rent_due,
  paid_by_payouts,paid_by_receipts,outstanding,due_date,days_overdue,
  plan_instalment_state,error,check_date,not_yet_due
status is paid, partially_paid, not_paid, no_lease, unknown_subject or
error (then error says why). days_overdue is empty when there is no
figure: no lease was checked, or the rent is not yet due on check_date (then
not_yet_due is true). The personnummer is not written out. With --excel the
file is written for Swedish Excel: ; between columns, amounts with a decimal
comma (7900,00) and UTF-8 with a byte-order mark.

The batch exits 1, after writing every answer, when any row has status
error; the count is on standard error. `households export --csv FILE` writes
the household ids and personnummer of the register as an input file.";

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = CSV_FORMAT)]
pub(in crate::cli) struct RentCheckArgs {
    #[command(subcommand)]
    pub(in crate::cli) one: Option<RentCheckCommand>,
    /// The applications, as CSV (see below).
    #[arg(long = "in", value_name = "FILE", requires = "output")]
    pub(in crate::cli) input: Option<PathBuf>,
    /// Where the answers go, as CSV; an existing file is replaced.
    #[arg(long = "out", value_name = "FILE", requires = "input")]
    pub(in crate::cli) output: Option<PathBuf>,
    /// The input's column separator, , or ; [default: detected from the
    /// header row].
    #[arg(long, value_name = "CHAR", requires = "input", value_parser = crate::cli::input::csv_file::parse_delimiter)]
    pub(in crate::cli) delimiter: Option<u8>,
    /// Write the answers for Swedish Excel: ; between columns, a decimal
    /// comma, UTF-8 with a byte-order mark.
    #[arg(long, requires = "input")]
    pub(in crate::cli) excel: bool,
}

#[derive(Subcommand)]
pub(in crate::cli) enum RentCheckCommand {
    /// Checks one household.
    One {
        #[arg(
            long,
            value_name = "ID",
            conflicts_with = "person",
            required_unless_present = "person"
        )]
        household: Option<String>,
        /// A member's personnummer; `-` reads it from stdin.
        #[arg(long, value_name = "PERSONNUMMER")]
        person: Option<String>,
        /// The month applied for, YYYY-MM.
        #[arg(long, value_name = "MONTH")]
        application: String,
        /// The rent month to check [default: the month before].
        #[arg(long, value_name = "MONTH")]
        rent_month: Option<String>,
        /// The day to check as of, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        as_of: Option<String>,
    },
}
