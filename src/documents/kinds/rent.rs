//! RENT_ARREARS_AGREEMENT: the avbetalningsplan for the landlord, from
//! GetRentPaymentPlan's answer.

use super::{Context, day_text, figure, kr, month_text, upper_first, warning_notes};
use crate::documents::model::{Block, Document};
use crate::pb;

pub fn agreement(ctx: &Context, plan: &pb::RentPaymentPlan) -> Document {
    let terms = plan.terms.clone().unwrap_or_default();
    let last = plan.instalments.last();
    let mut blocks = vec![
        Block::paragraph(format!(
            "{} betalar hyresskulden på {} i {} månatliga avbetalningar, med start {}. Varje \
             avbetalning betalas tillsammans med månadens hyra, senast den sista vardagen före \
             månadens början (jordabalken 12 kap. 20 §).",
            upper_first(&ctx.household),
            kr(&terms.arrears),
            plan.instalments.len(),
            month_text(&terms.start_month),
        )),
        Block::heading("Betalningsplan"),
        Block::table(
            &[
                "Nr",
                "Månad",
                "Förfaller",
                "Hyra",
                "Avbetalning",
                "Att betala",
            ],
            3,
            plan.instalments
                .iter()
                .map(|i| {
                    vec![
                        i.number.to_string(),
                        month_text(&i.month),
                        day_text(&i.due_date),
                        kr(&i.ordinary_rent),
                        kr(&i.instalment),
                        kr(&i.total_due),
                    ]
                })
                .collect(),
        ),
        Block::Figures {
            rows: vec![
                figure("Hyresskuld enligt planen", &terms.arrears, &None),
                figure("Betalt hittills", &plan.paid, &None),
                figure("Kvar att betala", &plan.outstanding, &None),
            ]
            .into_iter()
            .chain(plan.instalments.first().map(|i| {
                figure(
                    format!("Att betala för {}", month_text(&i.month)),
                    &i.total_due,
                    &i.basis,
                )
            }))
            .collect(),
        },
        Block::paragraph(format!(
            "Planen bryts om {} avbetalningar uteblir. Sista avbetalningen förfaller {}.",
            plan.broken_after_missed,
            last.map_or_else(String::new, |i| day_text(&i.due_date)),
        )),
    ];
    blocks.extend(warning_notes(&plan.warnings));
    blocks.push(Block::Signatures {
        lines: vec![
            ctx.client_signature("Hyresgäst"),
            "Hyresvärd".to_owned(),
            ctx.office_signature("Socialtjänsten"),
        ],
    });
    let title = "Avbetalningsplan för hyresskuld";
    ctx.statement(title, blocks, false)
}
