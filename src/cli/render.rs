//! Tables for people: each response rendered as text with comfy-table.
//!
//! Every figure the server explains is printed beside its basis (the rule,
//! the table row read, and the arithmetic), so a counsellor can show a
//! household or a creditor where each öre comes from (docs/sources.md §9). Amounts
//! are the server's exact decimal strings with the thousands grouped; they
//! are never parsed into numbers here. A result read from a PROVISIONAL
//! table says so at its top, not only in the list of tables at the end.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use super::names::{ProtoEnum, display_name, short_name, wire_name};
use crate::pb;

/// An amount for display: "1234.50" becomes "1 234.50"; a missing amount is
/// a dash. Text that is not a plain decimal is shown as the server sent it.
pub fn kr(m: &Option<pb::Money>) -> String {
    match m {
        Some(m) => group_thousands(&m.amount),
        None => "–".to_owned(),
    }
}

/// Whether an amount the server sent is above zero: any digit other than
/// 0 (amounts are never parsed here).
pub fn is_nonzero(m: &Option<pb::Money>) -> bool {
    m.as_ref()
        .is_some_and(|m| m.amount.bytes().any(|b| (b'1'..=b'9').contains(&b)))
}

/// Digits grouped by thousands with a space (`14 350.00`); anything that is
/// not a plain decimal number is returned as it is.
pub(super) fn group_thousands(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let plain = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    if !plain {
        return text.to_owned();
    }
    let mut grouped = String::with_capacity(text.len() + int.len() / 3);
    grouped.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push('.');
        grouped.push_str(f);
    }
    grouped
}

/// The basis of a figure as lines: the rule, the row read, the arithmetic.
pub(crate) fn basis(b: &Option<pb::Basis>) -> String {
    match b {
        Some(b) => [&b.rule, &b.source, &b.arithmetic]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        None => String::new(),
    }
}

/// An instant in Swedish civil time, which is what a counsellor's calendar
/// and the household's letters use.
pub(crate) fn local_time(t: &Option<prost_types::Timestamp>) -> String {
    let Some(t) = t else {
        return "–".to_owned();
    };
    let Ok(nanos) = u32::try_from(t.nanos) else {
        return "–".to_owned();
    };
    match DateTime::<Utc>::from_timestamp(t.seconds, nanos) {
        Some(d) => d
            .with_timezone(&chrono_tz::Europe::Stockholm)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => "–".to_owned(),
    }
}

pub(crate) fn or_dash(s: &str) -> &str {
    if s.is_empty() { "–" } else { s }
}

pub(crate) fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    table
}

pub(crate) fn right_align(table: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// A list as a table, or `empty` when there is nothing in it; then how to
/// fetch the next page.
pub(crate) fn list_table<T>(
    list: &[T],
    empty: &str,
    header: &[&str],
    right: &[usize],
    next_page_token: &str,
    row: impl Fn(&T) -> Vec<Cell>,
) -> String {
    let mut out = String::new();
    if list.is_empty() {
        let _ = writeln!(out, "{empty}");
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
    match pb::TableStatus::try_from(status) {
        Ok(pb::TableStatus::Provisional) => "PROVISIONAL".to_owned(),
        _ => wire_name::<pb::TableStatus>(status),
    }
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
        "\nNOTE: computed from a PROVISIONAL norm table (preliminära belopp); check the figures before a decision."
    );
    for t in provisional {
        let _ = writeln!(out, "  {} version {} ({})", t.table_id, t.version, t.source);
    }
}

pub(crate) fn warnings(out: &mut String, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    heading(out, "Warnings (varningar)");
    for w in warnings {
        let _ = writeln!(out, "  - {w}");
    }
}

pub(crate) fn tables_read(out: &mut String, tables: &[pb::TableRef]) {
    heading(out, "Norm tables read");
    if tables.is_empty() {
        let _ = writeln!(out, "  none");
        return;
    }
    let mut table = new_table(&["Table", "Version", "Status", "Source"]);
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
        let _ = writeln!(out, "  none");
        return;
    }
    let mut table = new_table(&[
        "Category",
        "Description",
        "Amount",
        "Frequency",
        "Per month",
        "Basis",
    ]);
    for l in lines {
        table.add_row(vec![
            Cell::new(display_name::<E>(l.category)),
            Cell::new(l.description),
            Cell::new(kr(l.amount)),
            Cell::new(wire_name::<pb::Frequency>(l.frequency)),
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
fn summary(rows: &[(&str, String, String)]) -> Table {
    let with_basis = rows.iter().any(|(_, _, b)| !b.is_empty());
    let mut table = if with_basis {
        new_table(&["", "Amount", "Basis"])
    } else {
        new_table(&["", "Amount"])
    };
    for (label, amount, b) in rows {
        let mut row = vec![Cell::new(label), Cell::new(amount)];
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
        "full time".to_owned()
    } else {
        format!(
            "{} of every {} days",
            m.residence_days, m.residence_period_days
        )
    }
}

fn members_table(members: &[pb::Member]) -> Table {
    let mut table = new_table(&[
        "#",
        "Role",
        "Birth date",
        "Personnummer",
        "Lunch at school",
        "Lives here",
        "Member id",
    ]);
    for (i, m) in members.iter().enumerate() {
        let born = match (m.birth_date.as_str(), m.age) {
            ("", Some(age)) => format!("age {age}"),
            (date, _) => or_dash(date).to_owned(),
        };
        table.add_row(vec![
            Cell::new(i + 1),
            Cell::new(display_name::<pb::MemberRole>(m.role)),
            Cell::new(born),
            Cell::new(or_dash(&m.personal_identity_number)),
            Cell::new(if m.lunch_at_school { "yes" } else { "no" }),
            Cell::new(residence(m)),
            Cell::new(or_dash(&m.id)),
        ]);
    }
    table
}

pub fn household(h: &pb::Household) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Household (hushåll) {}", h.id);
    let _ = writeln!(out, "  Case reference: {}", or_dash(&h.case_reference));
    let _ = writeln!(
        out,
        "  Revision:       {} (give --revision {} to update it)",
        h.revision, h.revision
    );
    let _ = writeln!(out, "  Created:        {}", local_time(&h.create_time));
    let _ = writeln!(out, "  Updated:        {}", local_time(&h.update_time));
    heading(&mut out, "Members");
    if h.members.is_empty() {
        let _ = writeln!(out, "  none");
    } else {
        let _ = writeln!(out, "{}", members_table(&h.members));
    }
    out
}

pub fn households(list: &[pb::Household], next_page_token: &str) -> String {
    let header = ["Id", "Case reference", "Members", "Revision", "Updated"];
    list_table(
        list,
        "No households.",
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
    let header = [
        "#",
        "Time",
        "Caller",
        "Role",
        "Method",
        "Household",
        "Outcome",
        "Records",
    ];
    list_table(
        list,
        "No audit records.",
        &header,
        &[0],
        next_page_token,
        |e| {
            vec![
                Cell::new(e.sequence),
                Cell::new(local_time(&e.time)),
                Cell::new(&e.caller),
                Cell::new(&e.role),
                // The package prefix is the same on every line.
                Cell::new(e.method.strip_prefix("budgetrad.v1.").unwrap_or(&e.method)),
                Cell::new(or_dash(&e.household_id)),
                // A replay wrote nothing: its outcome says so.
                Cell::new(if e.replay {
                    format!("{} (replay)", e.outcome)
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
            "More results: add --page-token {next_page_token} (or use --all)."
        );
    }
}

// ---------------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------------

pub fn budget_result(r: &pb::BudgetResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Budget for {}", or_dash(&r.month));
    budget_body(&mut out, r);
    out
}

fn budget_body(out: &mut String, r: &pb::BudgetResult) {
    provisional_banner(out, &r.tables, false);
    income_lines(out, "Incomes (inkomster)", &r.incomes);
    expense_lines(out, "Expenses (utgifter)", &r.expenses);

    heading(out, "Totals");
    let surplus_label = match &r.surplus {
        Some(m) if m.amount.starts_with('-') => "Deficit (underskott)",
        _ => "Surplus (överskott)",
    };
    let table = summary(&[
        (
            "Total income (summa inkomster)",
            kr(&r.total_income),
            String::new(),
        ),
        (
            "Total expenses (summa utgifter)",
            kr(&r.total_expenses),
            String::new(),
        ),
        (surplus_label, kr(&r.surplus), String::new()),
    ]);
    let _ = writeln!(out, "{table}");

    heading(out, "Compared with reference costs (referensvärden)");
    if r.comparisons.is_empty() {
        let _ = writeln!(out, "  none");
    } else {
        let mut table = new_table(&["Category", "Actual", "Reference", "Difference", "", "Basis"]);
        for c in &r.comparisons {
            let flag = match pb::ComparisonFlag::try_from(c.flag) {
                Ok(pb::ComparisonFlag::AboveReference) => "ABOVE".to_owned(),
                Ok(pb::ComparisonFlag::WithinReference) => "within".to_owned(),
                _ => wire_name::<pb::ComparisonFlag>(c.flag),
            };
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
    let _ = writeln!(out, "Budget {} for {}", b.id, or_dash(month));
    let _ = writeln!(
        out,
        "  Household: {} (members as of revision {})",
        or_dash(&b.household_id),
        b.household_revision
    );
    let _ = writeln!(
        out,
        "  Saved:     {} by {}",
        local_time(&b.create_time),
        or_dash(&b.created_by)
    );
    match &b.result {
        Some(r) => budget_body(&mut out, r),
        None => {
            let _ = writeln!(out, "\n(The server sent no result for this budget.)");
        }
    }
    out
}

pub fn budgets(list: &[pb::Budget], next_page_token: &str) -> String {
    let header = [
        "Id", "Month", "Saved", "By", "Income", "Expenses", "Surplus",
    ];
    list_table(
        list,
        "No saved budgets.",
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
                Some(role) => format!("{} {}", i + 1, short_name(role)),
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
    total: Option<(&str, &Option<pb::Money>)>,
) {
    let mut table = new_table(&["", "Amount", "Basis"]);
    for l in lines {
        table.add_row(vec![
            Cell::new(&l.label),
            Cell::new(kr(&l.amount)),
            Cell::new(basis(&l.basis)),
        ]);
    }
    if let Some((label, amount)) = total {
        table.add_row(vec![Cell::new(label), Cell::new(kr(amount)), Cell::new("")]);
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
        "Försörjningsstöd (social assistance) for {}",
        or_dash(&r.month)
    );
    provisional_banner(&mut out, &r.tables, r.provisional);

    heading(&mut out, "Riksnorm");
    if r.riksnorm_units.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for (n, unit) in r.riksnorm_units.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n  Unit {}: {} (members {}{})",
            n + 1,
            or_dash(&unit.label),
            unit_members(&unit.member_indexes, members),
            if members.is_empty() {
                ", in the household's order"
            } else {
                ", in the file's order"
            }
        );
        amount_lines(&mut out, &unit.lines, Some(("Unit total", &unit.total)));
    }
    let _ = writeln!(out, "  Riksnorm total: {}", kr(&r.riksnorm_total));

    heading(&mut out, "Reasonable costs (skäliga kostnader)");
    amount_lines(
        &mut out,
        &r.reasonable_costs,
        Some(("Total reasonable costs", &r.reasonable_costs_total)),
    );

    income_lines(&mut out, "Incomes (inkomster)", &r.incomes);

    heading(&mut out, "Assistance (försörjningsstöd)");
    let table = summary(&[
        ("Riksnorm", kr(&r.riksnorm_total), String::new()),
        (
            "+ Reasonable costs (skäliga kostnader)",
            kr(&r.reasonable_costs_total),
            String::new(),
        ),
        ("= Total need (behov)", kr(&r.total_need), String::new()),
        (
            "− Total income (inkomster)",
            kr(&r.total_income),
            String::new(),
        ),
        (
            "= Assistance (försörjningsstöd)",
            kr(&r.assistance),
            basis(&r.assistance_basis),
        ),
        (
            "  of which rent part (hyresdel, may be paid to the landlord)",
            kr(&r.rent_part),
            String::new(),
        ),
    ]);
    let _ = writeln!(out, "{table}");

    warnings(&mut out, &r.warnings);
    tables_read(&mut out, &r.tables);
    out
}

// ---------------------------------------------------------------------------
// Norm tables
// ---------------------------------------------------------------------------

pub fn norm_tables(list: &[pb::NormTable], next_page_token: &str) -> String {
    let header = [
        "Id",
        "Kind",
        "Valid from",
        "Valid to",
        "Status",
        "Version",
        "Source",
    ];
    list_table(
        list,
        "No norm tables match.",
        &header,
        &[],
        next_page_token,
        |t| {
            vec![
                Cell::new(&t.id),
                Cell::new(wire_name::<pb::NormTableKind>(t.kind)),
                Cell::new(&t.valid_from),
                Cell::new(&t.valid_to),
                Cell::new(status_text(t.status)),
                Cell::new(t.version),
                Cell::new(&t.source),
            ]
        },
    )
}

pub fn norm_table(t: &pb::NormTable) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Norm table {} (version {})", t.id, t.version);
    let _ = writeln!(
        out,
        "  Kind:      {}",
        wire_name::<pb::NormTableKind>(t.kind)
    );
    let _ = writeln!(out, "  In force:  {} – {}", t.valid_from, t.valid_to);
    let _ = writeln!(out, "  Status:    {}", status_text(t.status));
    let _ = writeln!(out, "  Source:    {}", or_dash(&t.source));
    let _ = writeln!(
        out,
        "  Loaded:    {} by {}",
        local_time(&t.load_time),
        or_dash(&t.loaded_by)
    );
    if t.status == i32::from(pb::TableStatus::Provisional) {
        let _ = writeln!(
            out,
            "\nNOTE: PROVISIONAL: these figures are not the authority's own publication."
        );
    }
    // Rates are percent, not kronor: say which, so "2.25" is not read as money.
    let unit = if t.kind == i32::from(pb::NormTableKind::Referensranta) {
        "Value (percent)"
    } else {
        "Value (kr)"
    };
    let mut table = new_table(&["Key", "Meaning", unit]);
    for r in &t.rows {
        let value = if t.kind == i32::from(pb::NormTableKind::Referensranta) {
            r.value.clone()
        } else {
            group_thousands(&r.value)
        };
        table.add_row(vec![
            Cell::new(&r.key),
            Cell::new(&r.label),
            Cell::new(value),
        ]);
    }
    right_align(&mut table, &[2]);
    heading(&mut out, "Rows");
    let _ = writeln!(out, "{table}");
    out
}

#[cfg(test)]
mod tests;
