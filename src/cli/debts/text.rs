//! The debt register as tables for people.

use std::fmt::Write as _;

use comfy_table::Cell;

use crate::cli::names::display_name;
use crate::cli::render::{
    amount_lines, basis, heading, kr, local_time, new_table, or_dash, right_align, warnings,
};
use crate::pb;

/// How long a debt takes: a number of months, "never", or "more than N".
pub(super) fn months_text(p: &pb::PayOff) -> String {
    match p.outcome {
        Some(pb::pay_off::Outcome::Months(m)) => m.to_string(),
        Some(pb::pay_off::Outcome::Never(_)) => "never".to_owned(),
        Some(pb::pay_off::Outcome::LongerThanMonths(m)) => format!("more than {m}"),
        None => "–".to_owned(),
    }
}

pub(super) fn debts_table(list: &[pb::Debt]) -> String {
    if list.is_empty() {
        return "No debts.".to_owned();
    }
    let mut table = new_table(&[
        "Id", "Creditor", "Kind", "Status", "Balance", "Rate %", "Payment", "Priority",
    ]);
    for d in list {
        table.add_row(vec![
            Cell::new(&d.id),
            Cell::new(&d.creditor_name),
            Cell::new(display_name::<pb::DebtKind>(d.kind)),
            Cell::new(display_name::<pb::DebtStatus>(d.status)),
            Cell::new(kr(&d.balance)),
            Cell::new(&d.annual_interest_rate),
            Cell::new(kr(&d.agreed_monthly_payment)),
            Cell::new(if d.priority { "yes" } else { "" }),
        ]);
    }
    right_align(&mut table, &[4, 5, 6]);
    table.to_string()
}

pub(super) fn debt_text(d: &pb::Debt, events: &[pb::DebtEvent]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Debt {}", d.id);
    let _ = writeln!(out, "  Household:   {}", d.household_id);
    let _ = writeln!(out, "  Debtor:      member {}", d.debtor_member_id);
    let _ = writeln!(
        out,
        "  Creditor:    {} {}",
        d.creditor_name,
        or_dash(&d.creditor_organisation_number)
    );
    let _ = writeln!(out, "  Reference:   {}", or_dash(&d.creditor_reference));
    let _ = writeln!(
        out,
        "  Kind:        {}",
        display_name::<pb::DebtKind>(d.kind)
    );
    let _ = writeln!(
        out,
        "  Status:      {}",
        display_name::<pb::DebtStatus>(d.status)
    );
    let _ = writeln!(
        out,
        "  Priority:    {}",
        if d.priority { "yes" } else { "no" }
    );
    let _ = writeln!(out, "  Balance:     {} kr", kr(&d.balance));
    let _ = writeln!(out, "  Interest:    {} % a year", d.annual_interest_rate);
    let _ = writeln!(out, "  Monthly fee: {} kr", kr(&d.monthly_fee));
    let _ = writeln!(
        out,
        "  Payment:     {} kr a month",
        kr(&d.agreed_monthly_payment)
    );
    let _ = writeln!(out, "  Revision:    {}", d.revision);
    if !events.is_empty() {
        heading(&mut out, "Balance history");
        let mut table = new_table(&["Date", "Event", "Change", "Balance", "Note", "Recorded"]);
        for e in events {
            table.add_row(vec![
                Cell::new(&e.date),
                Cell::new(display_name::<pb::DebtEventKind>(e.kind)),
                Cell::new(kr(&e.change)),
                Cell::new(kr(&e.balance_after)),
                Cell::new(or_dash(&e.note)),
                Cell::new(format!("{} {}", local_time(&e.record_time), e.recorded_by)),
            ]);
        }
        right_align(&mut table, &[2, 3]);
        let _ = writeln!(out, "{table}");
    }
    out
}

pub(super) fn offer_text(out: &mut String, o: &pb::GetDebtOverviewResponse) {
    heading(
        out,
        &format!(
            "Pro-rata offer of {} kr a month",
            kr(&o.available_monthly_amount)
        ),
    );
    let _ = writeln!(out, "  {}", basis(&o.available_basis).replace('\n', "\n  "));
    if o.available_lines.len() > 1 {
        // The surplus, what is paid first, and what is left.
        amount_lines(out, &o.available_lines, None);
    }
    if o.offer.is_empty() {
        let _ = writeln!(out, "  nothing to offer");
        return;
    }
    let mut table = new_table(&["Creditor", "Balance", "Monthly", "Basis"]);
    for share in &o.offer {
        table.add_row(vec![
            Cell::new(&share.creditor_name),
            Cell::new(kr(&share.balance)),
            Cell::new(kr(&share.monthly_amount)),
            Cell::new(basis(&share.basis)),
        ]);
    }
    right_align(&mut table, &[1, 2]);
    let _ = writeln!(out, "{table}");
}

pub(super) fn overview_text(o: &pb::GetDebtOverviewResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Debt overview on {}", o.date);
    let _ = writeln!(out, "  Open debts:   {} kr", kr(&o.total_balance));
    let _ = writeln!(
        out,
        "  Monthly cost: {} kr (agreed payments and fees)",
        kr(&o.monthly_cost)
    );
    for (title, totals, label) in [
        ("By kind", &o.by_kind, "kind"),
        ("By status", &o.by_status, "status"),
    ] {
        heading(&mut out, title);
        let mut table = new_table(&[label, "Debts", "Balance"]);
        for t in totals {
            table.add_row(vec![
                Cell::new(&t.key),
                Cell::new(t.count),
                Cell::new(kr(&t.balance)),
            ]);
        }
        right_align(&mut table, &[1, 2]);
        let _ = writeln!(out, "{table}");
    }
    heading(
        &mut out,
        "Priority debts (paid first: rent, electricity, Kronofogden)",
    );
    let _ = writeln!(out, "{}", debts_table(&o.priority_debts));
    heading(&mut out, "Other debts");
    let _ = writeln!(out, "{}", debts_table(&o.other_debts));
    heading(&mut out, "Months to pay off at the agreed payment");
    let mut table = new_table(&["Debt", "Months", "Total paid", "Interest and fees", "Basis"]);
    for p in &o.pay_off {
        let months = months_text(p);
        table.add_row(vec![
            Cell::new(&p.debt_id),
            Cell::new(months),
            Cell::new(kr(&p.total_paid)),
            Cell::new(kr(&p.total_interest_and_fees)),
            Cell::new(basis(&p.basis)),
        ]);
    }
    right_align(&mut table, &[1, 2, 3]);
    let _ = writeln!(out, "{table}");
    offer_text(&mut out, o);
    warnings(&mut out, &o.warnings);
    out
}
