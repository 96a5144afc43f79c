//! `late-interest`, `protected-amount` and `skuldsanering`: the debt
//! calculators, which save nothing.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::json::{LateInterestView, LineView, ProtectedView, RestructuringView};
use crate::cli::names::words::{w, wf};
use crate::cli::render::{
    amount_lines, basis, decimal_comma, heading, kr, new_table, right_align, tables_read, warnings,
};
use crate::cli::session::{COUNSELLOR, CliError, Session, wire_money};
use crate::cli::view::money as amount_text;
use crate::pb;

/// `late-interest`: dröjsmålsränta per half-year.
pub(in crate::cli) async fn late_interest(
    s: &Session,
    principal: &str,
    from: &str,
    to: &str,
) -> Result<(), CliError> {
    let r = s
        .debts()
        .calculate_late_interest(pb::CalculateLateInterestRequest {
            principal: wire_money(principal),
            from_date: from.to_owned(),
            to_date: to.to_owned(),
        })
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || LateInterestView::from(&r),
        || {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{}",
                wf(
                    "Dröjsmålsränta på {}, {} dagar: {}",
                    &[&kr(&r.principal), &r.days, &kr(&r.interest)]
                )
            );
            let mut table = new_table(&[
                "Halvår", "Från", "Till", "Dagar", "Ränta %", "Ränta", "Grund",
            ]);
            for p in &r.periods {
                table.add_row(vec![
                    Cell::new(&p.half_year),
                    Cell::new(&p.from_date),
                    Cell::new(&p.to_date),
                    Cell::new(p.days),
                    Cell::new(decimal_comma(&p.rate)),
                    Cell::new(kr(&p.interest)),
                    Cell::new(basis(&p.basis)),
                ]);
            }
            right_align(&mut table, &[3, 4, 5]);
            let _ = writeln!(out, "{table}");
            warnings(&mut out, &r.warnings);
            out
        },
    )
}

/// `protected-amount FILE`.
pub(in crate::cli) async fn protected_amount(
    s: &Session,
    request: pb::CalculateProtectedAmountRequest,
) -> Result<(), CliError> {
    let r = s
        .debts()
        .calculate_protected_amount(request)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || ProtectedView {
            month: r.month.clone(),
            lines: r.lines.iter().map(LineView::from).collect(),
            protected_amount: amount_text(&r.protected_amount),
            garnishable: r.garnishable.as_ref().and_then(|l| amount_text(&l.amount)),
            provisional: r.provisional,
            warnings: r.warnings.clone(),
        },
        || {
            let mut out = String::new();
            let _ = writeln!(out, "{}", wf("Förbehållsbelopp för {}", &[&r.month]));
            let mut lines = r.lines.clone();
            lines.extend(r.garnishable.clone());
            amount_lines(&mut out, &lines, None);
            let _ = writeln!(
                out,
                "{}",
                wf("Förbehållsbelopp: {}", &[&kr(&r.protected_amount)])
            );
            warnings(&mut out, &r.warnings);
            tables_read(&mut out, &r.tables);
            out
        },
    )
}

/// `skuldsanering FILE`.
pub(in crate::cli) async fn skuldsanering(
    s: &Session,
    request: pb::EstimateDebtRestructuringRequest,
) -> Result<(), CliError> {
    let r = s
        .debts()
        .estimate_debt_restructuring(request)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    s.print(
        || RestructuringView::from(&r),
        || {
            let mut out = String::new();
            let _ = writeln!(out, "{}", wf("Skuldsanering under {} år", &[&r.years]));
            amount_lines(&mut out, &r.lines, None);
            let _ = writeln!(
                out,
                "{}",
                wf(
                    "Förbehållsbelopp i skuldsanering: {} (varav buffert {})",
                    &[&kr(&r.protected_amount_with_buffer), &kr(&r.buffer)]
                )
            );
            heading(&mut out, w("Varje år"));
            let mut table =
                new_table(&["År", "Inbetalt", "Avgift", "Till borgenärer", "Behövs inte"]);
            for y in &r.yearly {
                table.add_row(vec![
                    Cell::new(y.year),
                    Cell::new(kr(&y.paid_in)),
                    Cell::new(kr(&y.fee)),
                    Cell::new(kr(&y.distributed)),
                    Cell::new(kr(&y.undistributed)),
                ]);
            }
            right_align(&mut table, &[1, 2, 3, 4]);
            let _ = writeln!(out, "{table}");
            heading(&mut out, w("Varje borgenär"));
            let mut table = new_table(&["Borgenär", "Skuld", "Per år", "Får", "Obetalt"]);
            for c in &r.creditors {
                let yearly: Vec<String> = c.yearly.iter().map(|l| kr(&l.amount)).collect();
                table.add_row(vec![
                    Cell::new(&c.creditor_name),
                    Cell::new(kr(&c.balance)),
                    Cell::new(yearly.join(" / ")),
                    Cell::new(kr(&c.total_received)),
                    Cell::new(kr(&c.unpaid)),
                ]);
            }
            right_align(&mut table, &[1, 3, 4]);
            let _ = writeln!(out, "{table}");
            let _ = writeln!(
                out,
                "{}",
                wf(
                    "Skulder totalt {}; till borgenärer {}; obetalt {}.",
                    &[
                        &kr(&r.total_debt),
                        &kr(&r.total_distributed),
                        &kr(&r.total_unpaid)
                    ]
                )
            );
            warnings(&mut out, &r.warnings);
            tables_read(&mut out, &r.tables);
            out
        },
    )
}
