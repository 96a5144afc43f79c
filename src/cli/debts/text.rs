//! The debt register as tables for people.

use std::fmt::Write as _;

use comfy_table::Cell;

use crate::cli::names::words::{w, wf, yes_no};
use crate::cli::names::{ProtoEnum, display_name, name_or_id, parse_name};
use crate::cli::render::{
    amount_lines, basis, decimal_comma, fields, heading, ids, kr, local_time, new_table, or_dash,
    right_align, warnings,
};
use crate::pb;

/// How long a debt takes, for `--json`: a number of months, "never", or
/// "more than N" (the wire's words, not the table's).
pub(super) fn months_text(p: &pb::PayOff) -> String {
    match p.outcome {
        Some(pb::pay_off::Outcome::Months(m)) => m.to_string(),
        Some(pb::pay_off::Outcome::Never(_)) => "never".to_owned(),
        Some(pb::pay_off::Outcome::LongerThanMonths(m)) => format!("more than {m}"),
        None => "–".to_owned(),
    }
}

/// How long a debt takes, in words for the table.
fn months_cell(p: &pb::PayOff) -> String {
    match p.outcome {
        Some(pb::pay_off::Outcome::Months(m)) => m.to_string(),
        Some(pb::pay_off::Outcome::Never(_)) => w("aldrig").to_owned(),
        Some(pb::pay_off::Outcome::LongerThanMonths(m)) => wf("mer än {}", &[&m]),
        None => "–".to_owned(),
    }
}

pub(super) fn debts_table(list: &[pb::Debt]) -> String {
    if list.is_empty() {
        return w("Inga skulder.").to_owned();
    }
    let mut table = new_table(&[
        "Borgenär",
        "Slag",
        "Status",
        "Saldo",
        "Ränta %",
        "Per månad",
        "Förtur",
    ]);
    for d in list {
        table.add_row(vec![
            Cell::new(&d.creditor_name),
            Cell::new(display_name::<pb::DebtKind>(d.kind)),
            Cell::new(display_name::<pb::DebtStatus>(d.status)),
            Cell::new(kr(&d.balance)),
            Cell::new(decimal_comma(&d.annual_interest_rate)),
            Cell::new(kr(&d.agreed_monthly_payment)),
            Cell::new(if d.priority { w("ja") } else { "" }),
        ]);
    }
    right_align(&mut table, &[3, 5]);
    // The rate's header may wrap at its space ("Ränta" over "%").
    if let Some(rate) = table.column_mut(4) {
        rate.set_cell_alignment(comfy_table::CellAlignment::Right);
    }
    // Each id whole on a line of its own under the table, to be copied into
    // a later command: in a column it would not leave room for the words.
    ids::under_table(
        table,
        list.iter().map(|d| {
            let kind = display_name::<pb::DebtKind>(d.kind);
            (format!("{}, {kind}", d.creditor_name), d.id.as_str())
        }),
    )
}

pub(super) fn debt_text(d: &pb::Debt, events: &[pb::DebtEvent]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wf("Skuld {}", &[&d.id]));
    let lines = [
        ("Hushåll", d.household_id.clone()),
        ("Gäldenär", wf("medlem {}", &[&d.debtor_member_id])),
        (
            "Borgenär",
            format!(
                "{} {}",
                d.creditor_name,
                or_dash(&ids::organisationsnummer(&d.creditor_organisation_number))
            ),
        ),
        ("Referens", or_dash(&d.creditor_reference).to_owned()),
        ("Slag", display_name::<pb::DebtKind>(d.kind)),
        ("Status", display_name::<pb::DebtStatus>(d.status)),
        ("Prioriterad", yes_no(d.priority).to_owned()),
        ("Saldo", kr(&d.balance)),
        (
            "Ränta",
            wf("{} % per år", &[&decimal_comma(&d.annual_interest_rate)]),
        ),
        ("Avgift", wf("{} per månad", &[&kr(&d.monthly_fee)])),
        (
            "Betalning",
            wf("{} per månad", &[&kr(&d.agreed_monthly_payment)]),
        ),
        ("Revision", d.revision.to_string()),
    ];
    fields(&mut out, &lines);
    if !events.is_empty() {
        heading(&mut out, w("Saldots historik"));
        let mut table = new_table(&[
            "Datum",
            "Händelse",
            "Ändring",
            "Saldo",
            "Anteckning",
            "Registrerad",
        ]);
        for e in events {
            table.add_row(vec![
                Cell::new(&e.date),
                Cell::new(display_name::<pb::DebtEventKind>(e.kind)),
                Cell::new(kr(&e.change)),
                Cell::new(kr(&e.balance_after)),
                Cell::new(or_dash(&e.note)),
                Cell::new(wf(
                    "{} av {}",
                    &[&local_time(&e.record_time), &e.recorded_by],
                )),
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
        &wf(
            "Förslag till fördelning: {} per månad i proportion till skulderna",
            &[&kr(&o.available_monthly_amount)],
        ),
    );
    let _ = writeln!(out, "  {}", basis(&o.available_basis).replace('\n', "\n  "));
    if o.available_lines.len() > 1 {
        // The surplus, what is paid first, and what is left.
        amount_lines(out, &o.available_lines, None);
    }
    if o.offer.is_empty() {
        let _ = writeln!(out, "  {}", w("inget att fördela"));
        return;
    }
    let mut table = new_table(&["Borgenär", "Saldo", "Per månad", "Grund"]);
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

/// A kind or status key of the overview's totals in words: the key is the
/// value's short name (`kronofogden`) or its Swedish term in ASCII
/// (`sms_lan` for `sms-lån`).
fn total_key<E: ProtoEnum>(key: &str) -> String {
    let ascii = |term: &str| -> String {
        term.chars()
            .map(|c| match c {
                'å' | 'ä' => 'a',
                'ö' => 'o',
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    };
    let found = parse_name::<E>(key).ok().or_else(|| {
        (1..=255)
            .filter_map(|n| E::try_from(n).ok())
            .find(|v| v.swedish().is_some_and(|sv| ascii(sv) == key))
    });
    match found {
        Some(value) => display_name::<E>(value.into()),
        None => key.to_owned(),
    }
}

pub(super) fn overview_text(o: &pb::GetDebtOverviewResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wf("Skuldöversikt {}", &[&o.date]));
    let lines = [
        ("Öppna skulder", kr(&o.total_balance)),
        (
            "Kostnad per månad",
            wf(
                "{} (avtalade betalningar och avgifter)",
                &[&kr(&o.monthly_cost)],
            ),
        ),
    ];
    fields(&mut out, &lines);
    heading(&mut out, w("Per slag"));
    totals_table::<pb::DebtKind>(&mut out, "Slag", &o.by_kind);
    heading(&mut out, w("Per status"));
    totals_table::<pb::DebtStatus>(&mut out, "Status", &o.by_status);
    heading(
        &mut out,
        w("Prioriterade skulder (betalas först: hyra, el, Kronofogden)"),
    );
    let _ = writeln!(out, "{}", debts_table(&o.priority_debts));
    heading(&mut out, w("Övriga skulder"));
    let _ = writeln!(out, "{}", debts_table(&o.other_debts));
    heading(
        &mut out,
        w("Månader till skuldfrihet med avtalad betalning"),
    );
    // The pay-off rows name the debt by its id; the table names its creditor.
    let creditor = |debt_id: &str| {
        let found = o
            .priority_debts
            .iter()
            .chain(&o.other_debts)
            .find(|d| d.id == debt_id)
            .map(|d| d.creditor_name.as_str());
        name_or_id(found, debt_id)
    };
    let mut table = new_table(&[
        "Borgenär",
        "Månader",
        "Betalt totalt",
        "Ränta och avgifter",
        "Grund",
    ]);
    for p in &o.pay_off {
        table.add_row(vec![
            Cell::new(creditor(&p.debt_id)),
            Cell::new(months_cell(p)),
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

fn totals_table<E: ProtoEnum>(out: &mut String, label: &'static str, totals: &[pb::DebtTotal]) {
    let mut table = new_table(&[label, "Antal", "Saldo"]);
    for t in totals {
        table.add_row(vec![
            Cell::new(total_key::<E>(&t.key)),
            Cell::new(t.count),
            Cell::new(kr(&t.balance)),
        ]);
    }
    right_align(&mut table, &[1, 2]);
    let _ = writeln!(out, "{table}");
}
