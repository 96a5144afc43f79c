//! The arguments of `alerts …`.

use clap::Subcommand;

use super::Paging;
use crate::cli::names::parse_name;
use crate::pb;

fn kind(text: &str) -> Result<pb::AlertKind, String> {
    parse_name(text)
}

fn state(text: &str) -> Result<pb::AlertState, String> {
    parse_name(text)
}

#[derive(Subcommand)]
pub(in crate::cli) enum AlertsCommand {
    /// Lists the early warnings of your units, oldest first (kinds:
    /// notice_deadline, instalment_missed, plan_broken, rent_unpaid,
    /// second_unpaid_month, payout_rejected, norm_table_missing).
    List {
        #[arg(long, value_name = "ID")]
        household: Option<String>,
        /// open, acknowledged or closed; repeat for several [default: all].
        #[arg(long, value_parser = state)]
        state: Vec<pb::AlertState>,
        /// An alert kind; repeat for several [default: all].
        #[arg(long, value_parser = kind)]
        kind: Vec<pb::AlertKind>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Prints each alert as it is raised or changes, until Ctrl-C.
    Watch {
        /// An alert kind; repeat for several [default: all].
        #[arg(long, value_parser = kind)]
        kind: Vec<pb::AlertKind>,
        /// Resume after this sequence number (printed with each alert).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..))]
        after: Option<i64>,
    },
    /// Acknowledges an alert (and with --close closes it).
    Ack {
        alert_id: String,
        #[arg(long)]
        close: bool,
    },
}
