//! The arguments of `landlords`, `leases`, `plans` and `notices`.

use clap::Subcommand;

use super::Paging;
use crate::cli::names::parse_name;
use crate::cli::session::wire_money;
use crate::pb;

fn contract_type(text: &str) -> Result<pb::ContractType, String> {
    parse_name(text)
}

fn resolution(text: &str) -> Result<pb::NoticeResolution, String> {
    parse_name(text)
}

#[derive(Subcommand)]
pub(in crate::cli) enum LandlordsCommand {
    /// Registers a landlord.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "NUMBER")]
        org_number: String,
        /// Where rent is paid: a bankgiro, or --plusgiro.
        #[arg(long, conflicts_with = "plusgiro")]
        bankgiro: Option<String>,
        #[arg(long)]
        plusgiro: Option<String>,
        /// Payments must carry an OCR reference.
        #[arg(long)]
        requires_ocr: bool,
    },
    /// The landlords, in the order registered.
    List {
        #[command(flatten)]
        paging: Paging,
    },
}

#[derive(Subcommand)]
pub(in crate::cli) enum LeasesCommand {
    /// Registers a household's lease with its first monthly rent.
    Add {
        household_id: String,
        #[arg(long, value_name = "LANDLORD_ID")]
        landlord: String,
        /// The landlord's reference for the home.
        #[arg(long, value_name = "REF")]
        object: String,
        /// first_hand, second_hand, social, housing_first, training,
        /// emergency or supported.
        #[arg(long = "type", value_parser = contract_type)]
        contract_type: pb::ContractType,
        /// The first month, YYYY-MM.
        #[arg(long, value_name = "MONTH")]
        start: String,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        rent: String,
    },
    /// A household's leases.
    List { household_id: String },
    /// One lease with its rent history.
    Show { lease_id: String },
    /// A new monthly rent from a month on.
    Rent {
        lease_id: String,
        #[arg(long, value_name = "MONTH")]
        from: String,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        rent: String,
    },
}

#[derive(clap::Args)]
pub(in crate::cli) struct TermsArgs {
    /// The rent arrears to pay off.
    #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
    arrears: String,
    /// The first month, YYYY-MM.
    #[arg(long, value_name = "MONTH")]
    start: String,
    /// The instalment each month (the last takes the remainder).
    #[arg(
        long,
        value_name = "KR", value_parser = crate::cli::input::parse_amount,
        conflicts_with = "months",
        required_unless_present = "months"
    )]
    instalment: Option<String>,
    /// Or the number of months, the arrears split evenly.
    #[arg(long)]
    months: Option<i32>,
}

impl TermsArgs {
    pub(in crate::cli) fn terms(&self) -> pb::PlanTerms {
        pb::PlanTerms {
            arrears: wire_money(&self.arrears),
            start_month: self.start.clone(),
            length: match (&self.instalment, self.months) {
                (Some(i), _) => Some(pb::plan_terms::Length::Instalment(pb::Money {
                    amount: i.clone(),
                })),
                (None, Some(n)) => Some(pb::plan_terms::Length::Months(n)),
                (None, None) => None,
            },
        }
    }
}

#[derive(Subcommand)]
pub(in crate::cli) enum PlansCommand {
    /// The schedule a plan would have, without saving it.
    Preview {
        lease_id: String,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Agrees a rent-arrears plan on a lease.
    Create {
        lease_id: String,
        #[command(flatten)]
        terms: TermsArgs,
        /// Missed instalments that break the plan [default: 2].
        #[arg(long, value_name = "N")]
        broken_after: Option<i32>,
        /// The hyresskuld debt the plan's payments settle (needed when the
        /// household has several to the landlord).
        #[arg(long, value_name = "DEBT_ID")]
        debt: Option<String>,
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
    },
    /// Names the hyresskuld debt a plan's payments settle (none: clears it).
    SetDebt {
        plan_id: String,
        #[arg(long, value_name = "DEBT_ID")]
        debt: Option<String>,
    },
    /// A plan with each instalment's state.
    Show {
        plan_id: String,
        /// The day to show the states for, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        on: Option<String>,
    },
    /// A household's plans with their state today.
    List { household_id: String },
    /// Records a payment towards the arrears.
    Pay {
        plan_id: String,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        amount: String,
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        date: String,
        #[arg(long, value_name = "UUID")]
        request_id: Option<String>,
    },
}

#[derive(Subcommand)]
pub(in crate::cli) enum NoticesCommand {
    /// Records the landlord's meddelande to socialnämnden (JB 12:44).
    Add {
        lease_id: String,
        /// The day the tenant was served the underrättelse.
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        served: String,
        #[arg(long, value_name = "KR", value_parser = crate::cli::input::parse_amount)]
        owed: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Unresolved notices by deadline, soonest first.
    List {
        #[arg(long, value_name = "ID")]
        household: Option<String>,
        /// Resolved notices too.
        #[arg(long)]
        include_resolved: bool,
        #[command(flatten)]
        paging: Paging,
    },
    /// Marks a notice resolved.
    Resolve {
        notice_id: String,
        /// paid, plan_agreed or other.
        #[arg(long, value_parser = resolution)]
        resolution: pb::NoticeResolution,
        #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_date)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}
