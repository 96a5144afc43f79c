//! The arguments of `debts …`.

use clap::{Args, Subcommand};

use super::Paging;
use crate::cli::names::parse_name;
use crate::pb;

fn kind(text: &str) -> Result<pb::DebtKind, String> {
    parse_name(text)
}

fn status(text: &str) -> Result<pb::DebtStatus, String> {
    parse_name(text)
}

fn event_kind(text: &str) -> Result<pb::DebtEventKind, String> {
    parse_name(text)
}

#[derive(Args)]
pub(in crate::cli) struct Retry {
    /// The request id of an earlier attempt of this same call, to retry it
    /// without recording it twice [default: a new id].
    #[arg(long, value_name = "UUID")]
    pub(in crate::cli) request_id: Option<String>,
}

/// Where letters to the creditor go (the creditor letters print it).
#[derive(Args)]
pub(in crate::cli) struct CreditorAddress {
    /// The c/o line of the creditor's postal address.
    #[arg(long, value_name = "NAME")]
    pub(in crate::cli) creditor_care_of: Option<String>,
    /// The creditor's street address or box.
    #[arg(long, value_name = "STREET")]
    pub(in crate::cli) creditor_street: Option<String>,
    /// The creditor's postnummer, e.g. 111 22.
    #[arg(long, value_name = "CODE")]
    pub(in crate::cli) creditor_postal_code: Option<String>,
    /// The creditor's postort.
    #[arg(long, value_name = "TOWN")]
    pub(in crate::cli) creditor_town: Option<String>,
}

impl CreditorAddress {
    /// The address message; None when no part is given.
    pub(in crate::cli) fn to_proto(&self) -> Option<pb::PostalAddress> {
        let parts = [
            &self.creditor_care_of,
            &self.creditor_street,
            &self.creditor_postal_code,
            &self.creditor_town,
        ];
        if parts.iter().all(|p| p.is_none()) {
            return None;
        }
        let text = |p: &Option<String>| p.clone().unwrap_or_default();
        Some(pb::PostalAddress {
            care_of: text(&self.creditor_care_of),
            street_address: text(&self.creditor_street),
            postal_code: text(&self.creditor_postal_code),
            town: text(&self.creditor_town),
        })
    }
}

#[derive(Subcommand)]
pub(in crate::cli) enum DebtsCommand {
    /// Registers a debt of a household with its opening balance.
    Add {
        household_id: String,
        /// The member who owes it (a member id from `households get`).
        #[arg(long, value_name = "MEMBER_ID")]
        debtor: String,
        #[arg(long, value_name = "NAME")]
        creditor: String,
        /// The creditor's organisationsnummer.
        #[arg(long, value_name = "NUMBER")]
        org_number: Option<String>,
        /// The creditor's reference (invoice or case number).
        #[arg(long, value_name = "REF")]
        reference: Option<String>,
        // Boxed: its four optional strings would make every command as large.
        #[command(flatten)]
        address: Box<CreditorAddress>,
        /// rent, electricity, tax, csn, healthcare, consumer_credit, sms_loan,
        /// kronofogden_case, maintenance or other.
        #[arg(long, value_parser = kind)]
        kind: pb::DebtKind,
        /// active, debt_collection, kronofogden or skuldsanering.
        #[arg(long, value_parser = status, default_value = "active")]
        status: pb::DebtStatus,
        /// The opening balance, e.g. 12000.50.
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        balance: String,
        /// The day of the opening balance, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        balance_date: Option<String>,
        /// Annual interest in percent, e.g. 12.5.
        #[arg(long, value_name = "PERCENT", default_value = "0")]
        rate: String,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        fee: Option<String>,
        /// The agreed monthly payment.
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        payment: Option<String>,
        #[command(flatten)]
        retry: Retry,
    },
    /// A household's debts.
    List {
        household_id: String,
        #[arg(long, value_parser = kind)]
        kind: Option<pb::DebtKind>,
        #[arg(long, value_parser = status)]
        status: Option<pb::DebtStatus>,
        #[command(flatten)]
        paging: Paging,
    },
    /// One debt with its balance history.
    Show { debt_id: String },
    /// Records a payment, interest, a fee or a correction.
    Record {
        debt_id: String,
        /// payment, interest, fee or correction.
        #[arg(long, value_parser = event_kind)]
        kind: pb::DebtEventKind,
        /// Positive; for a correction the signed change, e.g. -150.
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount, allow_hyphen_values = true)]
        amount: String,
        /// YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        date: String,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        retry: Retry,
    },
    /// Marks a debt settled; what is left of the balance is written off.
    Settle {
        debt_id: String,
        /// YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        retry: Retry,
    },
    /// Totals, priority debts, monthly cost, pay-off times and the offer.
    Overview {
        household_id: String,
        /// YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        date: Option<String>,
        /// The monthly amount for creditors [default: the surplus of the
        /// household's latest saved budget, less the agreed payments of the
        /// priority debts and the plan instalments falling due in the month,
        /// never below 0].
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        available: Option<String>,
    },
    /// Only the pro-rata offer to the non-priority creditors.
    Offer {
        household_id: String,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        available: Option<String>,
    },
}
