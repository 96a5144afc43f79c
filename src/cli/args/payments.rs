//! The arguments of `payments batch …`.

use std::path::PathBuf;

use clap::Subcommand;

use super::Paging;
use crate::cli::names::parse_name;
use crate::pb;

fn kind(text: &str) -> Result<pb::RentPaymentKind, String> {
    parse_name(text)
}

#[derive(Subcommand)]
pub(in crate::cli) enum PaymentsCommand {
    /// Payment batches: gathered, attested, exported as pain.001, and the
    /// bank's answers imported.
    #[command(subcommand)]
    Batch(BatchCommand),
}

#[derive(Subcommand)]
pub(in crate::cli) enum BatchCommand {
    /// Gathers the payouts not yet sent to the bank into a batch (role:
    /// payout).
    Create {
        /// The first payout date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        from: Option<String>,
        /// The last payout date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        to: Option<String>,
        /// rent or arrears [default: both].
        #[arg(long, value_parser = kind)]
        kind: Option<pb::RentPaymentKind>,
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
    },
    /// Attests a batch, stating its count and total as checked (role:
    /// attester; not the batch's creator).
    Approve {
        batch_id: String,
        #[arg(long, value_name = "N")]
        count: i32,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        total: String,
    },
    /// Writes the approved batch's pain.001 file (role: payout).
    Export {
        batch_id: String,
        #[arg(long, value_name = "FILE.xml")]
        out: PathBuf,
    },
    /// Imports the bank's pain.002 or camt.054 file (role: payout).
    Status {
        #[arg(value_name = "FILE.xml")]
        file: PathBuf,
    },
    /// Cancels a batch before its export.
    Cancel {
        batch_id: String,
        #[arg(long)]
        reason: String,
    },
    /// Lists batches, newest first.
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Shows a batch.
    Show { batch_id: String },
}
