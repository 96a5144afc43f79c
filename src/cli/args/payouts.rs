//! The arguments of `payouts …` and `receipts …`.

use clap::{Args, Subcommand};

use super::Paging;
use crate::cli::names::parse_name;
use crate::pb;

fn kind(text: &str) -> Result<pb::RentPaymentKind, String> {
    parse_name(text)
}

fn source(text: &str) -> Result<pb::ReceiptSource, String> {
    parse_name(text)
}

/// The filters the ledger's lists share.
#[derive(Args)]
pub(in crate::cli) struct LedgerFilter {
    #[arg(long, value_name = "ID")]
    household: Option<String>,
    #[arg(long, value_name = "ID")]
    lease: Option<String>,
    /// The first rent month, YYYY-MM.
    #[arg(long, value_name = "MONTH")]
    from: Option<String>,
    /// The last rent month, YYYY-MM.
    #[arg(long, value_name = "MONTH")]
    to: Option<String>,
}

/// What a payout and a receipt both record: the lease, the rent month,
/// what the money was for and how much.
#[derive(Args)]
pub(in crate::cli) struct RentPaymentArgs {
    pub(in crate::cli) lease_id: String,
    /// The rent month paid, YYYY-MM.
    #[arg(long, value_name = "MONTH")]
    pub(in crate::cli) month: String,
    /// rent (the month's rent) or arrears.
    #[arg(long, value_parser = kind, default_value = "rent")]
    pub(in crate::cli) kind: pb::RentPaymentKind,
    #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
    pub(in crate::cli) amount: String,
}

impl LedgerFilter {
    /// Household, lease, first and last month as the list requests take
    /// them ("" for no filter).
    pub(in crate::cli) fn wire(&self) -> [String; 4] {
        [&self.household, &self.lease, &self.from, &self.to].map(|f| f.clone().unwrap_or_default())
    }
}

#[derive(Subcommand)]
pub(in crate::cli) enum PayoutsCommand {
    /// Records rent paid out of försörjningsstöd to the lease's landlord
    /// (role: payout). The payee is the landlord's bankgiro or plusgiro.
    Record {
        #[command(flatten)]
        payment: RentPaymentArgs,
        /// The decision in the assistance system the payout is made under.
        #[arg(long, value_name = "REF")]
        decision: String,
        /// The OCR reference, if the landlord uses one.
        #[arg(long, value_name = "DIGITS")]
        ocr: Option<String>,
        /// The payout date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        date: String,
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
    },
    /// Reverses a payout, at most once (role: payout).
    Reverse {
        payout_id: String,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
    },
    /// Payouts in the order recorded.
    List {
        #[command(flatten)]
        filter: LedgerFilter,
        #[arg(long, value_name = "REF")]
        decision: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// One payout, with its reversal.
    Show { payout_id: String },
}

#[derive(Subcommand)]
pub(in crate::cli) enum ReceiptsCommand {
    /// Records proof that the household paid rent itself.
    #[command(mut_arg("kind", |a| a.help("rent or arrears")))]
    Record {
        #[command(flatten)]
        payment: RentPaymentArgs,
        /// The day the household paid, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        paid: String,
        /// client_receipt, landlord_confirmation, autogiro or bank_statement.
        #[arg(long, value_parser = source)]
        source: pb::ReceiptSource,
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
    },
    /// Receipts in the order recorded.
    List {
        #[command(flatten)]
        filter: LedgerFilter,
        #[command(flatten)]
        paging: Paging,
    },
}
