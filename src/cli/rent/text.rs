//! Landlords, leases, plans and notices as tables for people.

use std::fmt::Write as _;

use comfy_table::Cell;

use crate::cli::names::display_name;
use crate::cli::names::words::{w, wf};
use crate::cli::render::{
    basis, fields, heading, ids, kr, list_table, more, new_table, or_dash, right_align, warnings,
};
use crate::pb;

pub(super) fn landlords_table(list: &[pb::Landlord], next: &str) -> String {
    let header = ["Namn", "Organisationsnummer", "Bankgiro", "Plusgiro", "OCR"];
    if list.is_empty() {
        let mut out = format!("{}\n", w("Inga hyresvärdar."));
        more(&mut out, next);
        return out;
    }
    let mut table = new_table(&header);
    for l in list {
        table.add_row(vec![
            Cell::new(&l.name),
            Cell::new(ids::organisationsnummer(&l.organisation_number)),
            Cell::new(or_dash(&ids::bankgiro(&l.bankgiro))),
            Cell::new(or_dash(&ids::plusgiro(&l.plusgiro))),
            Cell::new(if l.requires_ocr { w("krävs") } else { "" }),
        ]);
    }
    let mut out = ids::under_table(table, list.iter().map(|l| (l.name.clone(), l.id.as_str())));
    out.push('\n');
    more(&mut out, next);
    out
}

/// A lease; `landlord` is its landlord when it could be read, so the
/// landlord is named rather than shown by id.
pub(super) fn lease_text(l: &pb::Lease, landlord: Option<&pb::Landlord>) -> String {
    let mut out = String::new();
    let landlord = match landlord {
        Some(ll) => format!(
            "{} ({})",
            ll.name,
            ids::organisationsnummer(&ll.organisation_number)
        ),
        None => l.landlord_id.clone(),
    };
    let _ = writeln!(out, "{}", wf("Hyreskontrakt {}", &[&l.id]));
    let lines = [
        ("Hushåll", l.household_id.clone()),
        ("Hyresvärd", landlord),
        ("Objekt", l.object_reference.clone()),
        (
            "Kontrakt",
            display_name::<pb::ContractType>(l.contract_type),
        ),
        ("Hyra nu", kr(&l.current_rent)),
    ];
    fields(&mut out, &lines);
    let mut table = new_table(&["Från månad", "Månadshyra"]);
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

/// The instalments of a plan; a preview (`with_state` false) shows each
/// instalment's basis, a plan what is paid and its state.
pub(super) fn schedule_table(
    out: &mut String,
    instalments: &[pb::PlanInstalment],
    with_state: bool,
) {
    let mut header = vec![
        "#",
        "Månad",
        "Förfaller",
        "Hyra",
        "Avbetalning",
        "Att betala",
    ];
    if with_state {
        header.extend(["Betalt", "Läge"]);
    } else {
        header.push("Grund");
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
        } else {
            row.push(Cell::new(basis(&i.basis)));
        }
        table.add_row(row);
    }
    if with_state {
        right_align(&mut table, &[0, 3, 4, 5, 6]);
    } else {
        right_align(&mut table, &[0, 3, 4, 5]);
    }
    let _ = writeln!(out, "{table}");
}

/// The header of a plan preview: what was asked for, on which lease.
pub(super) fn preview_header(
    out: &mut String,
    lease: Option<&pb::Lease>,
    lease_id: &str,
    terms: &pb::PlanTerms,
    instalments: &[pb::PlanInstalment],
) {
    let _ = writeln!(
        out,
        "{}",
        w("Förslag till avbetalningsplan för hyresskuld (inget är sparat)")
    );
    let lease_text = match lease {
        Some(l) => format!("{} ({})", l.object_reference, kr(&l.current_rent)),
        None => lease_id.to_owned(),
    };
    let length = match &terms.length {
        Some(pb::plan_terms::Length::Instalment(m)) => {
            let m = pb::Money {
                amount: with_ore(&m.amount),
            };
            wf("{} per månad", &[&kr(&Some(m))])
        }
        Some(pb::plan_terms::Length::Months(n)) => wf("{} månader", &[n]),
        None => "–".to_owned(),
    };
    // The terms as typed (`14350`) are shown with their öre, as the
    // server's amounts are.
    let arrears = terms.arrears.as_ref().map(|m| pb::Money {
        amount: with_ore(&m.amount),
    });
    let lines = [
        ("Hyreskontrakt", lease_text),
        (
            "Hyresskuld",
            wf("{} från {}", &[&kr(&arrears), &terms.start_month]),
        ),
        ("Avbetalning", length),
        ("Antal månader", instalments.len().to_string()),
    ];
    fields(out, &lines);
    let _ = writeln!(
        out,
        "  {}",
        w("Varje månad betalas den vanliga hyran och avbetalningen på hyrans förfallodag.")
    );
}

/// An amount as typed with two decimals: `14350` as `14350.00`.
fn with_ore(amount: &str) -> String {
    match amount.split_once('.') {
        None => format!("{amount}.00"),
        Some((_, frac)) if frac.len() == 1 => format!("{amount}0"),
        Some(_) => amount.to_owned(),
    }
}

pub(super) fn plan_text(p: &pb::RentPaymentPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        wf("Avbetalningsplan för hyresskuld {}", &[&p.id])
    );
    let mut lines = vec![("Hyreskontrakt", p.lease_id.clone())];
    if let Some(t) = &p.terms {
        lines.push((
            "Hyresskuld",
            wf("{} från {}", &[&kr(&t.arrears), &t.start_month]),
        ));
    }
    lines.push((
        "Läge",
        wf(
            "{}: {} (bruten efter {} missade)",
            &[
                &p.status_date,
                &display_name::<pb::PlanState>(p.state),
                &p.broken_after_missed,
            ],
        ),
    ));
    lines.push((
        "Betalt",
        wf(
            "{}, kvar {}, för mycket betalt {}",
            &[&kr(&p.paid), &kr(&p.outstanding), &kr(&p.overpaid)],
        ),
    ));
    fields(&mut out, &lines);
    heading(&mut out, w("Betalningsplan"));
    schedule_table(&mut out, &p.instalments, true);
    if !p.payments.is_empty() {
        heading(&mut out, w("Betalningar på hyresskulden"));
        let mut table = new_table(&["Datum", "Belopp", "Från", "Registrerad av", "Id"]);
        for pay in &p.payments {
            table.add_row(vec![
                Cell::new(&pay.date),
                Cell::new(kr(&pay.amount)),
                Cell::new(display_name::<pb::PlanPaymentSource>(pay.source)),
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
        "Sista dag",
        "Delgiven",
        "Skuld",
        "Hushåll",
        "Hyreskontrakt",
        "Löst",
        "Id",
    ];
    list_table(
        list,
        "Inga underrättelser om risk för vräkning.",
        &header,
        &[2],
        next,
        |n| {
            let resolved = if n.state == pb::NoticeState::DeadlinePassed as i32 {
                display_name::<pb::NoticeState>(n.state)
            } else if n.resolved_date.is_empty() {
                String::new()
            } else {
                format!(
                    "{} {}",
                    n.resolved_date,
                    display_name::<pb::NoticeResolution>(n.resolution)
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

/// A plan's checks against the case, one line each: the outcome, then the
/// check's message with its figures.
pub(super) fn checks_text(out: &mut String, checks: &[pb::PlanCheck]) {
    if checks.is_empty() {
        return;
    }
    heading(out, w("Kontroll mot ärendet"));
    for check in checks {
        let outcome = match pb::PlanCheckOutcome::try_from(check.outcome) {
            Ok(pb::PlanCheckOutcome::Passed) => w("godkänd"),
            Ok(pb::PlanCheckOutcome::Warning) => w("VARNING"),
            Ok(pb::PlanCheckOutcome::NotChecked) => w("ej kontrollerad"),
            _ => w("okänd"),
        };
        let what = match pb::PlanCheckKind::try_from(check.kind) {
            Ok(pb::PlanCheckKind::Surplus) => w("överskott"),
            Ok(pb::PlanCheckKind::NoticeDeadline) => w("underrättelsens sista dag"),
            _ => w("kontroll"),
        };
        let _ = writeln!(out, "  {what}: {outcome}: {}", check_sentence(check));
    }
}

/// The warnings that are not the message of one of `checks`: the checks
/// print theirs in the run's language, from their fields.
pub(super) fn unchecked_warnings(warnings: &[String], checks: &[pb::PlanCheck]) -> Vec<String> {
    warnings
        .iter()
        .filter(|w| !checks.iter().any(|c| &c.message == *w))
        .cloned()
        .collect()
}

/// A check in words, from its kind, outcome and figures (the server's
/// message, which is English, only for a check this build does not know).
fn check_sentence(check: &pb::PlanCheck) -> String {
    use pb::PlanCheckKind as Kind;
    use pb::PlanCheckOutcome as Outcome;
    let kind = Kind::try_from(check.kind).unwrap_or(Kind::Unspecified);
    let outcome = Outcome::try_from(check.outcome).unwrap_or(Outcome::Unspecified);
    match (kind, outcome) {
        (Kind::Surplus, Outcome::NotChecked) => {
            w("ingen sparad budget: avbetalningen prövas inte mot något överskott").to_owned()
        }
        (Kind::Surplus, Outcome::Passed | Outcome::Warning) => {
            let (sign, verdict) = if outcome == Outcome::Passed {
                ("≤", w("budgeten räcker till avbetalningen"))
            } else {
                (
                    ">",
                    w("planen kan göras, men budgeten räcker inte till den"),
                )
            };
            wf(
                "avbetalning {} {} överskott {} (senast sparade budget): {}",
                &[&kr(&check.instalment), &sign, &kr(&check.surplus), &verdict],
            )
        }
        (Kind::NoticeDeadline, Outcome::Passed) if check.notice_id.is_empty() => {
            w("ingen öppen underrättelse om risk för vräkning på kontraktet").to_owned()
        }
        (Kind::NoticeDeadline, Outcome::Passed | Outcome::Warning) => {
            let verdict = if outcome == Outcome::Passed {
                w("första avbetalningen förfaller senast sista dagen")
            } else {
                w(
                    "första avbetalningen förfaller efter sista dagen att betala och behålla bostaden (JB 12:44)",
                )
            };
            wf(
                "första avbetalningen förfaller {}, underrättelsens sista dag {}: {}",
                &[&check.first_due_date, &check.notice_deadline, &verdict],
            )
        }
        _ => check.message.clone(),
    }
}
