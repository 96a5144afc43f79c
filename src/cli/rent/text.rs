//! Landlords, leases, plans and notices as tables for people.

use std::fmt::Write as _;

use comfy_table::Cell;

use crate::cli::names::{display_name, wire_name};
use crate::cli::render::{heading, kr, list_table, new_table, or_dash, right_align, warnings};
use crate::pb;

pub(super) fn landlords_table(list: &[pb::Landlord], next: &str) -> String {
    let header = ["Id", "Name", "Org. number", "Bankgiro", "Plusgiro", "OCR"];
    list_table(list, "No landlords.", &header, &[], next, |l| {
        vec![
            Cell::new(&l.id),
            Cell::new(&l.name),
            Cell::new(&l.organisation_number),
            Cell::new(or_dash(&l.bankgiro)),
            Cell::new(or_dash(&l.plusgiro)),
            Cell::new(if l.requires_ocr { "required" } else { "" }),
        ]
    })
}

pub(super) fn lease_text(l: &pb::Lease) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Lease {}", l.id);
    let _ = writeln!(out, "  Household: {}", l.household_id);
    let _ = writeln!(out, "  Landlord:  {}", l.landlord_id);
    let _ = writeln!(out, "  Object:    {}", l.object_reference);
    let _ = writeln!(
        out,
        "  Type:      {}",
        display_name::<pb::ContractType>(l.contract_type)
    );
    let _ = writeln!(out, "  Rent now:  {} kr", kr(&l.current_rent));
    let mut table = new_table(&["From month", "Monthly rent"]);
    for r in &l.rent_history {
        table.add_row(vec![
            Cell::new(&r.from_month),
            Cell::new(kr(&r.monthly_rent)),
        ]);
    }
    right_align(&mut table, &[1]);
    let _ = writeln!(out, "{table}");
    out
}

pub(super) fn schedule_table(
    out: &mut String,
    instalments: &[pb::PlanInstalment],
    with_state: bool,
) {
    let mut header = vec!["#", "Month", "Due", "Rent", "Instalment", "Total due"];
    if with_state {
        header.extend(["Paid", "State"]);
    }
    let mut table = new_table(&header);
    for i in instalments {
        let mut row = vec![
            Cell::new(i.number),
            Cell::new(&i.month),
            Cell::new(&i.due_date),
            Cell::new(kr(&i.ordinary_rent)),
            Cell::new(kr(&i.instalment)),
            Cell::new(kr(&i.total_due)),
        ];
        if with_state {
            row.push(Cell::new(kr(&i.paid)));
            row.push(Cell::new(display_name::<pb::InstalmentState>(i.state)));
        }
        table.add_row(row);
    }
    right_align(&mut table, &[0, 3, 4, 5, 6]);
    let _ = writeln!(out, "{table}");
}

pub(super) fn plan_text(p: &pb::RentPaymentPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Rent-arrears plan {}", p.id);
    let _ = writeln!(out, "  Lease:   {}", p.lease_id);
    if let Some(t) = &p.terms {
        let _ = writeln!(
            out,
            "  Arrears: {} kr from {}",
            kr(&t.arrears),
            t.start_month
        );
    }
    let _ = writeln!(
        out,
        "  State on {}: {} (broken after {} missed)",
        p.status_date,
        display_name::<pb::PlanState>(p.state),
        p.broken_after_missed
    );
    let _ = writeln!(
        out,
        "  Paid {} kr, outstanding {} kr, overpaid {} kr",
        kr(&p.paid),
        kr(&p.outstanding),
        kr(&p.overpaid)
    );
    heading(&mut out, "Schedule");
    schedule_table(&mut out, &p.instalments, true);
    if !p.payments.is_empty() {
        heading(&mut out, "Payments towards the arrears");
        let mut table = new_table(&["Date", "Amount", "From", "Recorded by", "Id"]);
        for pay in &p.payments {
            table.add_row(vec![
                Cell::new(&pay.date),
                Cell::new(kr(&pay.amount)),
                Cell::new(wire_name::<pb::PlanPaymentSource>(pay.source)),
                Cell::new(&pay.recorded_by),
                Cell::new(&pay.id),
            ]);
        }
        right_align(&mut table, &[1]);
        let _ = writeln!(out, "{table}");
    }
    warnings(&mut out, &p.warnings);
    out
}

pub(super) fn notices_table(list: &[pb::EvictionNotice], next: &str) -> String {
    let header = [
        "Deadline",
        "Served",
        "Owed",
        "Household",
        "Lease",
        "Resolved",
        "Id",
    ];
    list_table(
        list,
        "No eviction-risk notices.",
        &header,
        &[2],
        next,
        |n| {
            let resolved = if n.state == pb::NoticeState::DeadlinePassed as i32 {
                wire_name::<pb::NoticeState>(n.state)
            } else if n.resolved_date.is_empty() {
                String::new()
            } else {
                format!(
                    "{} {}",
                    n.resolved_date,
                    wire_name::<pb::NoticeResolution>(n.resolution)
                )
            };
            vec![
                Cell::new(&n.deadline),
                Cell::new(&n.served_date),
                Cell::new(kr(&n.amount_owed)),
                Cell::new(&n.household_id),
                Cell::new(&n.lease_id),
                Cell::new(resolved),
                Cell::new(&n.id),
            ]
        },
    )
}

/// A plan's checks against the case, one line each: the outcome in
/// Swedish, then the check's message with its figures.
pub(super) fn checks_text(out: &mut String, checks: &[pb::PlanCheck]) {
    if checks.is_empty() {
        return;
    }
    heading(out, "Kontroll mot ärendet");
    for check in checks {
        let outcome = match pb::PlanCheckOutcome::try_from(check.outcome) {
            Ok(pb::PlanCheckOutcome::Passed) => "godkänd",
            Ok(pb::PlanCheckOutcome::Warning) => "VARNING",
            Ok(pb::PlanCheckOutcome::NotChecked) => "ej kontrollerad",
            _ => "okänd",
        };
        let what = match pb::PlanCheckKind::try_from(check.kind) {
            Ok(pb::PlanCheckKind::Surplus) => "överskott",
            Ok(pb::PlanCheckKind::NoticeDeadline) => "underrättelsens sista dag",
            _ => "kontroll",
        };
        let _ = writeln!(out, "  {what}: {outcome}: {}", check.message);
    }
}
