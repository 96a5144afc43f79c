//! Norm tables for people: the list, and one table with its rows.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::super::names::display_name;
use super::super::names::words::{w, wf};
use super::{
    decimal_comma, group_thousands, heading, list_table, local_time, more, new_table, or_dash,
    right_align, status_text,
};
use crate::pb;

pub fn norm_tables(list: &[pb::NormTable], next_page_token: &str) -> String {
    let header = [
        "Id",
        "Slag",
        "Gäller från",
        "Gäller till",
        "Status",
        "Version",
    ];
    let mut out = list_table(list, "Inga normtabeller matchar.", &header, &[], "", |t| {
        vec![
            Cell::new(&t.id),
            Cell::new(display_name::<pb::NormTableKind>(t.kind)),
            Cell::new(&t.valid_from),
            Cell::new(&t.valid_to),
            Cell::new(status_text(t.status)),
            Cell::new(t.version),
        ]
    });
    // Each table's source under the table, as a line of its own wrapped at
    // spaces: in a column its long words (a statute's name) would break.
    if list.iter().any(|t| !t.source.is_empty()) {
        let _ = writeln!(out, "{}", w("Källor:"));
        for t in list.iter().filter(|t| !t.source.is_empty()) {
            let _ = writeln!(out, "  {}: {}", t.id, t.source);
        }
    }
    more(&mut out, next_page_token);
    out
}

pub fn norm_table(t: &pb::NormTable) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        wf("Normtabell {} (version {})", &[&t.id, &t.version])
    );
    let kind = display_name::<pb::NormTableKind>(t.kind);
    let _ = writeln!(out, "{}", wf("  Slag:     {}", &[&kind]));
    let _ = writeln!(
        out,
        "{}",
        wf("  Gäller:   {} – {}", &[&t.valid_from, &t.valid_to])
    );
    let _ = writeln!(out, "{}", wf("  Status:   {}", &[&status_text(t.status)]));
    let _ = writeln!(out, "{}", wf("  Källa:    {}", &[&or_dash(&t.source)]));
    let _ = writeln!(
        out,
        "{}",
        wf(
            "  Inläst:   {} av {}",
            &[&local_time(&t.load_time), &or_dash(&t.loaded_by)]
        )
    );
    if t.status == i32::from(pb::TableStatus::Provisional) {
        let _ = writeln!(
            out,
            "\n{}",
            w("OBS: PRELIMINÄR: beloppen är inte myndighetens egen publicering.")
        );
    }
    // Rates are percent, not kronor: say which, so "2.25" is not read as money.
    let rate = t.kind == i32::from(pb::NormTableKind::Referensranta);
    let unit = if rate {
        "Värde (procent)"
    } else {
        "Värde (kr)"
    };
    let mut table = new_table(&["Nyckel", "Betydelse", unit]);
    for r in &t.rows {
        let value = if rate {
            decimal_comma(&r.value)
        } else {
            decimal_comma(&group_thousands(&r.value))
        };
        table.add_row(vec![
            Cell::new(&r.key),
            Cell::new(&r.label),
            Cell::new(value),
        ]);
    }
    right_align(&mut table, &[2]);
    heading(&mut out, w("Rader"));
    let _ = writeln!(out, "{table}");
    out
}
