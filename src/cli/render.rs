//! Tables for people: each response rendered as text with comfy-table.
//!
//! Every figure the server explains is printed beside its basis (the rule,
//! the table row read, and the arithmetic), so a counsellor can show a
//! household or a creditor where each öre comes from (docs/sources.md §9). Amounts
//! are the server's exact decimal strings written as people write them
//! (`14 350,00 kr`); they are never parsed into numbers here. A result read
//! from a PROVISIONAL table says so at its top, not only in the list of
//! tables at the end. The figures' own forms (amounts, decimal commas,
//! bases, times) are in [`figures`]; the words are in
//! [`super::names::words`]; the numbers people know by their hyphens (personnummer, organisationsnummer,
//! bankgiro) are printed with them ([`ids`]); the output fits the width of
//! [`layout`] (100 columns when not a terminal, or `--width`).

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};

use super::names::words::{Lang, lang, w, wf, yes_no};
use super::names::{ProtoEnum, display_name};
use crate::pb;

mod figures;
pub mod ids;
pub mod layout;
mod norms;

pub use figures::{amount, is_nonzero, kr};
pub(crate) use figures::{basis, decimal_comma, group_thousands, local_time};
pub use norms::{norm_table, norm_tables};

/// Labelled values under a title, the labels looked up in the words table
/// and padded to the longest, so the values line up in either language.
pub(crate) fn fields(out: &mut String, rows: &[(&'static str, String)]) {
    let longest = rows
        .iter()
        .map(|(label, _)| w(label).chars().count())
        .max()
        .unwrap_or(0);
    for (label, value) in rows {
        let label = w(label);
        let pad = longest - label.chars().count();
        let _ = writeln!(out, "  {label}:{:pad$} {value}", "");
    }
}

pub(crate) fn or_dash(s: &str) -> &str {
    if s.is_empty() { "–" } else { s }
}

/// A table whose header words are looked up in the words table, fitted to
/// the output's width.
pub(crate) fn new_table(header: &[&'static str]) -> layout::WholeWords {
    let mut table = layout::WholeWords(Table::new());
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|h| w(h)).collect::<Vec<_>>());
    if let Some(width) = layout::width() {
        table.set_width(width);
    }
    table
}

/// Right-aligns the columns of figures, and keeps each figure on one line:
/// the other columns (names, ids, bases) wrap instead.
pub(crate) fn right_align(table: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

/// A list as a table, or `empty` when there is nothing in it; then how to
/// fetch the next page.
pub(crate) fn list_table<T>(
    list: &[T],
    empty: &'static str,
    header: &[&'static str],
    right: &[usize],
    next_page_token: &str,
    row: impl Fn(&T) -> Vec<Cell>,
) -> String {
    let mut out = String::new();
    if list.is_empty() {
        let _ = writeln!(out, "{}", w(empty));
    } else {
        let mut table = new_table(header);
        for item in list {
            table.add_row(row(item));
        }
        right_align(&mut table, right);
        let _ = writeln!(out, "{table}");
    }
    more(&mut out, next_page_token);
    out
}

pub(crate) fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
}

fn status_text(status: i32) -> String {
    display_name::<pb::TableStatus>(status)
}

/// A warning line at the top for every provisional table read.
fn provisional_banner(out: &mut String, tables: &[pb::TableRef], flagged: bool) {
    let provisional: Vec<&pb::TableRef> = tables
        .iter()
        .filter(|t| t.status == i32::from(pb::TableStatus::Provisional))
        .collect();
    if provisional.is_empty() && !flagged {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        w("OBS: beräknat från en PRELIMINÄR normtabell; kontrollera beloppen före beslut.")
    );
    for t in provisional {
        let _ = writeln!(
            out,
            "{}",
            wf(
                "  {} version {} ({})",
                &[&t.table_id, &t.version, &t.source]
            )
        );
    }
}

pub(crate) fn warnings(out: &mut String, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    heading(out, w("Varningar"));
    for warning in warnings {
        // In Swedish as the documents word them; as the service wrote them
        // in English, or when the wording does not know the warning.
        let text = match lang() {
            Lang::Sv => crate::domain::warnings::warning_sv(warning),
            Lang::En => warning.clone(),
        };
        let _ = writeln!(out, "  - {text}");
    }
}

pub(crate) fn tables_read(out: &mut String, tables: &[pb::TableRef]) {
    heading(out, w("Normtabeller som lästs"));
    if tables.is_empty() {
        let _ = writeln!(out, "  {}", w("inga"));
        return;
    }
    let mut table = new_table(&["Tabell", "Version", "Status", "Källa"]);
    for t in tables {
        table.add_row(vec![
            Cell::new(&t.table_id),
            Cell::new(t.version),
            Cell::new(status_text(t.status)),
            Cell::new(&t.source),
        ]);
    }
    let _ = writeln!(out, "{table}");
}

/// An income or expense line, whichever list it came from.
struct Line<'a> {
    category: i32,
    description: &'a str,
    amount: &'a Option<pb::Money>,
    frequency: i32,
    monthly: &'a Option<pb::Money>,
    basis: &'a Option<pb::Basis>,
}

/// `E` is the category enum of the list, for naming each line's category.
fn lines_table<E: ProtoEnum>(out: &mut String, title: &str, lines: &[Line]) {
    heading(out, title);
    if lines.is_empty() {
        let _ = writeln!(out, "  {}", w("inga"));
        return;
    }
    let mut table = new_table(&[
        "Kategori",
        "Beskrivning",
        "Belopp",
        "Period",
        "Per månad",
        "Grund",
    ]);
    for l in lines {
        table.add_row(vec![
            Cell::new(display_name::<E>(l.category)),
            Cell::new(l.description),
            Cell::new(kr(l.amount)),
            Cell::new(display_name::<pb::Frequency>(l.frequency)),
            Cell::new(kr(l.monthly)),
            Cell::new(basis(l.basis)),
        ]);
    }
    right_align(&mut table, &[2, 4]);
    let _ = writeln!(out, "{table}");
}

/// The [`Line`]s of a list of income or expense lines: the two messages
/// share these fields but no type.
macro_rules! lines_of {
    ($lines:expr) => {
        $lines
            .iter()
            .map(|l| Line {
                category: l.category,
                description: &l.description,
                amount: &l.amount,
                frequency: l.frequency,
                monthly: &l.monthly_amount,
                basis: &l.basis,
            })
            .collect::<Vec<Line>>()
    };
}

fn income_lines(out: &mut String, title: &str, lines: &[pb::IncomeLine]) {
    lines_table::<pb::IncomeCategory>(out, title, &lines_of!(lines));
}

fn expense_lines(out: &mut String, title: &str, lines: &[pb::ExpenseLine]) {
    lines_table::<pb::ExpenseCategory>(out, title, &lines_of!(lines));
}

/// A two-column table of labelled amounts, with an optional basis column.
fn summary(rows: &[(&'static str, String, String)]) -> layout::WholeWords {
    let with_basis = rows.iter().any(|(_, _, b)| !b.is_empty());
    let mut table = if with_basis {
        new_table(&["", "Belopp", "Grund"])
    } else {
        new_table(&["", "Belopp"])
    };
    for (label, amount, b) in rows {
        let mut row = vec![Cell::new(w(label)), Cell::new(amount)];
        if with_basis {
            row.push(Cell::new(b));
        }
        table.add_row(row);
    }
    right_align(&mut table, &[1]);
    table
}

// ---------------------------------------------------------------------------
// Households
// ---------------------------------------------------------------------------

fn residence(m: &pb::Member) -> String {
    if m.residence_days == 0 && m.residence_period_days == 0 {
        w("hela tiden").to_owned()
    } else {
        wf(
            "{} av {} dagar",
            &[&m.residence_days, &m.residence_period_days],
        )
    }
}

fn members_table(members: &[pb::Member]) -> String {
    let mut table = new_table(&["#", "Roll", "Född", "Personnummer", "Skollunch", "Bor här"]);
    for (i, m) in members.iter().enumerate() {
        let born = match (m.birth_date.as_str(), m.age) {
            ("", Some(age)) => wf("{} år", &[&age]),
            (date, _) => or_dash(date).to_owned(),
        };
        table.add_row(vec![
            Cell::new(i + 1),
            Cell::new(display_name::<pb::MemberRole>(m.role)),
            Cell::new(born),
            Cell::new(or_dash(&ids::personnummer(&m.personal_identity_number))),
            Cell::new(yes_no(m.lunch_at_school)),
            Cell::new(residence(m)),
        ]);
    }
    // The member ids whole under the table, by number and role.
    ids::under_table(
        table,
        members.iter().enumerate().map(|(i, m)| {
            let role = display_name::<pb::MemberRole>(m.role);
            (format!("{} {role}", i + 1), m.id.as_str())
        }),
    )
}

pub fn household(h: &pb::Household) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wf("Hushåll {}", &[&h.id]));
    let _ = writeln!(
        out,
        "{}",
        wf("  Ärendereferens: {}", &[&or_dash(&h.case_reference)])
    );
    let _ = writeln!(
        out,
        "{}",
        wf(
            "  Revision:       {} (ange --revision {} för att ändra)",
            &[&h.revision, &h.revision]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        wf("  Skapat:         {}", &[&local_time(&h.create_time)])
    );
    let _ = writeln!(
        out,
        "{}",
        wf("  Ändrat:         {}", &[&local_time(&h.update_time)])
    );
    heading(&mut out, w("Medlemmar"));
    if h.members.is_empty() {
        let _ = writeln!(out, "  {}", w("inga"));
    } else {
        let _ = writeln!(out, "{}", members_table(&h.members));
    }
    out
}

pub fn households(list: &[pb::Household], next_page_token: &str) -> String {
    let header = ["Id", "Ärendereferens", "Medlemmar", "Revision", "Ändrat"];
    list_table(
        list,
        "Inga hushåll.",
        &header,
        &[2, 3],
        next_page_token,
        |h| {
            vec![
                Cell::new(&h.id),
                Cell::new(or_dash(&h.case_reference)),
                Cell::new(h.members.len()),
                Cell::new(h.revision),
                Cell::new(local_time(&h.update_time)),
            ]
        },
    )
}

// ---------------------------------------------------------------------------
// Audit trail
// ---------------------------------------------------------------------------

pub fn audit_events(list: &[pb::AuditEvent], next_page_token: &str) -> String {
    // The caller and its role share a cell, and the method breaks after
    // its service, so that a row fits 100 columns with its household id.
    let header = [
        "#", "Tid", "Anropare", "Metod", "Hushåll", "Utfall", "Poster",
    ];
    list_table(
        list,
        "Inga loggposter.",
        &header,
        // The number and the time (all of one width) are kept unwrapped.
        &[0, 1],
        next_page_token,
        |e| {
            vec![
                Cell::new(e.sequence),
                Cell::new(local_time(&e.time)),
                Cell::new(format!("{}\n({})", e.caller, e.role)),
                // The package prefix is the same on every line.
                Cell::new(
                    e.method
                        .strip_prefix("budgetrad.v1.")
                        .unwrap_or(&e.method)
                        .replacen('/', "/\n", 1),
                ),
                Cell::new(or_dash(&e.household_id)),
                // A replay wrote nothing: its outcome says so.
                Cell::new(if e.replay {
                    wf("{} (upprepning)", &[&e.outcome])
                } else {
                    e.outcome.clone()
                }),
                Cell::new(or_dash(&e.records.join(","))),
            ]
        },
    )
}

pub(crate) fn more(out: &mut String, next_page_token: &str) {
    if !next_page_token.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            wf(
                "Fler resultat: lägg till --page-token {} (eller använd --all).",
                &[&next_page_token]
            )
        );
    }
}

// ---------------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------------

pub fn budget_result(r: &pb::BudgetResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wf("Budget för {}", &[&or_dash(&r.month)]));
    budget_body(&mut out, r);
    out
}

fn budget_body(out: &mut String, r: &pb::BudgetResult) {
    provisional_banner(out, &r.tables, false);
    income_lines(out, w("Inkomster"), &r.incomes);
    expense_lines(out, w("Utgifter"), &r.expenses);

    heading(out, w("Summor"));
    let surplus_label = match &r.surplus {
        Some(m) if m.amount.starts_with('-') => "Underskott",
        _ => "Överskott",
    };
    let table = summary(&[
        ("Summa inkomster", kr(&r.total_income), String::new()),
        ("Summa utgifter", kr(&r.total_expenses), String::new()),
        (surplus_label, kr(&r.surplus), String::new()),
    ]);
    let _ = writeln!(out, "{table}");

    heading(out, w("Jämfört med referensvärden"));
    if r.comparisons.is_empty() {
        let _ = writeln!(out, "  {}", w("inga"));
    } else {
        let mut table = new_table(&["Kategori", "Faktisk", "Referens", "Skillnad", "", "Grund"]);
        for c in &r.comparisons {
            let flag = display_name::<pb::ComparisonFlag>(c.flag);
            table.add_row(vec![
                Cell::new(display_name::<pb::ExpenseCategory>(c.category)),
                Cell::new(kr(&c.actual)),
                Cell::new(kr(&c.reference)),
                Cell::new(kr(&c.difference)),
                Cell::new(flag),
                Cell::new(basis(&c.basis)),
            ]);
        }
        right_align(&mut table, &[1, 2, 3]);
        let _ = writeln!(out, "{table}");
    }
    warnings(out, &r.warnings);
    tables_read(out, &r.tables);
}

pub fn budget(b: &pb::Budget) -> String {
    let mut out = String::new();
    let month = b.result.as_ref().map(|r| r.month.as_str()).unwrap_or("");
    let _ = writeln!(out, "{}", wf("Budget {} för {}", &[&b.id, &or_dash(month)]));
    let _ = writeln!(
        out,
        "{}",
        wf(
            "  Hushåll: {} (medlemmar enligt revision {})",
            &[&or_dash(&b.household_id), &b.household_revision]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        wf(
            "  Sparad:  {} av {}",
            &[&local_time(&b.create_time), &or_dash(&b.created_by)]
        )
    );
    match &b.result {
        Some(r) => budget_body(&mut out, r),
        None => {
            let _ = writeln!(
                out,
                "\n{}",
                w("(Servern skickade inget resultat för budgeten.)")
            );
        }
    }
    out
}

pub fn budgets(list: &[pb::Budget], next_page_token: &str) -> String {
    let header = [
        "Id",
        "Månad",
        "Sparad",
        "Av",
        "Inkomster",
        "Utgifter",
        "Överskott",
    ];
    list_table(
        list,
        "Inga sparade budgetar.",
        &header,
        &[4, 5, 6],
        next_page_token,
        |b| {
            let (month, income, expenses, surplus) = match &b.result {
                Some(r) => (
                    r.month.clone(),
                    kr(&r.total_income),
                    kr(&r.total_expenses),
                    kr(&r.surplus),
                ),
                None => ("–".into(), "–".into(), "–".into(), "–".into()),
            };
            vec![
                Cell::new(&b.id),
                Cell::new(month),
                Cell::new(local_time(&b.create_time)),
                Cell::new(or_dash(&b.created_by)),
                Cell::new(income),
                Cell::new(expenses),
                Cell::new(surplus),
            ]
        },
    )
}

// ---------------------------------------------------------------------------
// Social assistance
// ---------------------------------------------------------------------------

/// Who a riksnorm unit covers: by role when the request listed the members,
/// else by position in the saved household.
fn unit_members(indexes: &[u32], members: &[pb::Member]) -> String {
    indexes
        .iter()
        .map(|&i| {
            let role = usize::try_from(i)
                .ok()
                .and_then(|i| members.get(i))
                .and_then(|m| pb::MemberRole::try_from(m.role).ok());
            match role {
                Some(role) => format!("{} {}", i + 1, display_name::<pb::MemberRole>(role.into())),
                None => format!("{}", i + 1),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Labelled amounts with their basis, and a total row when one is given.
pub(crate) fn amount_lines(
    out: &mut String,
    lines: &[pb::AmountLine],
    total: Option<(&'static str, &Option<pb::Money>)>,
) {
    let mut table = new_table(&["", "Belopp", "Grund"]);
    for l in lines {
        table.add_row(vec![
            Cell::new(&l.label),
            Cell::new(kr(&l.amount)),
            Cell::new(basis(&l.basis)),
        ]);
    }
    if let Some((label, amount)) = total {
        table.add_row(vec![
            Cell::new(w(label)),
            Cell::new(kr(amount)),
            Cell::new(""),
        ]);
    }
    right_align(&mut table, &[1]);
    let _ = writeln!(out, "{table}");
}

/// `members` are the members the request listed (empty when it named a
/// saved household), used to say who each riksnorm unit covers.
pub fn social_assistance(
    r: &pb::CalculateSocialAssistanceResponse,
    members: &[pb::Member],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        wf("Försörjningsstöd för {}", &[&or_dash(&r.month)])
    );
    provisional_banner(&mut out, &r.tables, r.provisional);

    heading(&mut out, w("Riksnorm"));
    if r.riksnorm_units.is_empty() {
        let _ = writeln!(out, "  {}", w("inga"));
    }
    for (n, unit) in r.riksnorm_units.iter().enumerate() {
        let line = if members.is_empty() {
            "  Enhet {}: {} (medlem {}, i hushållets ordning)"
        } else {
            "  Enhet {}: {} (medlem {}, i filens ordning)"
        };
        let who = unit_members(&unit.member_indexes, members);
        let _ = writeln!(
            out,
            "\n{}",
            wf(line, &[&(n + 1), &or_dash(&unit.label), &who])
        );
        amount_lines(
            &mut out,
            &unit.lines,
            Some(("Summa för enheten", &unit.total)),
        );
    }
    let _ = writeln!(
        out,
        "{}",
        wf("  Riksnorm totalt: {}", &[&kr(&r.riksnorm_total)])
    );

    heading(&mut out, w("Skäliga kostnader"));
    amount_lines(
        &mut out,
        &r.reasonable_costs,
        Some(("Summa skäliga kostnader", &r.reasonable_costs_total)),
    );

    income_lines(&mut out, w("Inkomster"), &r.incomes);

    heading(&mut out, w("Försörjningsstöd"));
    let table = summary(&[
        ("Riksnorm", kr(&r.riksnorm_total), String::new()),
        (
            "+ Skäliga kostnader",
            kr(&r.reasonable_costs_total),
            String::new(),
        ),
        ("= Behov", kr(&r.total_need), String::new()),
        ("− Inkomster", kr(&r.total_income), String::new()),
        (
            "= Försörjningsstöd",
            kr(&r.assistance),
            basis(&r.assistance_basis),
        ),
        (
            "  varav hyresdel (kan betalas till hyresvärden)",
            kr(&r.rent_part),
            String::new(),
        ),
    ]);
    let _ = writeln!(out, "{table}");

    warnings(&mut out, &r.warnings);
    tables_read(&mut out, &r.tables);
    out
}

#[cfg(test)]
mod tests;
