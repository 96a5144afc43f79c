//! The debt documents: skuldöversikt, letters to creditors (begäran om
//! skuldbesked, förslag till avbetalning) and the skuldsanering estimate,
//! each from the answer of GetDebtOverview or EstimateDebtRestructuring.

use super::{Context, figure, kr, line_figure, money, tables_block, upper_first, warning_notes};
use crate::documents::model::{Block, Document, Figure, Letter};
use crate::domain::debt::{DebtKind, DebtStatus};
use crate::domain::identity::OrganisationNumber;
use crate::domain::money::Money;
use crate::pb;

fn kind_label(raw: i32) -> String {
    let name = pb::DebtKind::try_from(raw)
        .map(|k| k.as_str_name())
        .unwrap_or_default();
    let key = name
        .strip_prefix("DEBT_KIND_")
        .unwrap_or(name)
        .to_ascii_lowercase();
    upper_first(DebtKind::from_str_opt(&key).map_or("annan skuld", |k| k.label()))
}

fn status_label(raw: i32) -> String {
    let name = pb::DebtStatus::try_from(raw)
        .map(|k| k.as_str_name())
        .unwrap_or_default();
    let key = name
        .strip_prefix("DEBT_STATUS_")
        .unwrap_or(name)
        .to_ascii_lowercase();
    DebtStatus::from_str_opt(&key)
        .map_or("", |s| s.label())
        .to_owned()
}

/// The creditor's postal block: its name, postal address when given, and
/// organisationsnummer.
fn recipient(d: &pb::Debt) -> Vec<String> {
    let mut lines = vec![d.creditor_name.clone()];
    if let Some(a) = &d.creditor_postal_address {
        lines.extend(super::address_lines(a));
    }
    if !d.creditor_organisation_number.is_empty() {
        // As people write it, with its hyphen (556677-8899); the server
        // stored it valid, so a parse failure prints it as it stands.
        let number = OrganisationNumber::parse(&d.creditor_organisation_number)
            .map(|n| n.to_string())
            .unwrap_or_else(|_| d.creditor_organisation_number.clone());
        lines.push(format!("Org.nr {number}"));
    }
    lines
}

fn reference(d: &pb::Debt) -> Option<String> {
    (!d.creditor_reference.is_empty()).then(|| d.creditor_reference.clone())
}

fn pay_off_text(o: &pb::GetDebtOverviewResponse, debt_id: &str) -> String {
    use pb::pay_off::Outcome;
    match o
        .pay_off
        .iter()
        .find(|p| p.debt_id == debt_id)
        .and_then(|p| p.outcome.as_ref())
    {
        Some(Outcome::Months(m)) => format!("{m} mån"),
        Some(Outcome::Never(_)) => "betalas inte av".to_owned(),
        Some(Outcome::LongerThanMonths(m)) => format!("över {m} mån"),
        None => "–".to_owned(),
    }
}

fn debt_rows(o: &pb::GetDebtOverviewResponse, debts: &[pb::Debt]) -> Vec<Vec<String>> {
    debts
        .iter()
        .map(|d| {
            vec![
                d.creditor_name.clone(),
                kind_label(d.kind),
                status_label(d.status),
                kr(&d.balance),
                kr(&d.agreed_monthly_payment),
                pay_off_text(o, &d.id),
            ]
        })
        .collect()
}

const DEBT_COLUMNS: [&str; 6] = [
    "Borgenär",
    "Slag",
    "Status",
    "Skuld",
    "Betalning/mån",
    "Avbetalningstid",
];

/// DEBT_OVERVIEW: skuldöversikt by creditor, priority first.
pub fn overview(ctx: &Context, o: &pb::GetDebtOverviewResponse) -> Document {
    let mut blocks = vec![Block::paragraph(format!(
        "Skulderna för {} per den {}. Prioriterade skulder (hyra, el och det Kronofogden \
         driver in) står först.",
        ctx.household,
        super::day_text(&o.date)
    ))];
    blocks.push(Block::heading("Prioriterade skulder"));
    blocks.push(Block::table(
        &DEBT_COLUMNS,
        3,
        debt_rows(o, &o.priority_debts),
    ));
    blocks.push(Block::heading("Övriga skulder"));
    blocks.push(Block::table(&DEBT_COLUMNS, 3, debt_rows(o, &o.other_debts)));
    blocks.push(Block::heading("Summor"));
    let mut rows = vec![
        figure("Skulder totalt", &o.total_balance, &None),
        figure(
            "Avtalade betalningar och avgifter per månad",
            &o.monthly_cost,
            &None,
        ),
    ];
    rows.extend(o.pay_off.iter().filter_map(|p| {
        let d = o
            .priority_debts
            .iter()
            .chain(&o.other_debts)
            .find(|d| d.id == p.debt_id)?;
        Some(figure(
            format!("Avbetalningstid: {}", d.creditor_name),
            &p.total_paid,
            &p.basis,
        ))
    }));
    blocks.push(Block::Figures { rows });
    blocks.push(Block::heading("Att fördela till övriga borgenärer"));
    blocks.push(available_figures(o));
    if !o.offer.is_empty() {
        blocks.push(offer_table(o));
    }
    blocks.extend(warning_notes(&o.warnings));
    let title = "Skuldöversikt";
    ctx.statement(title, blocks, false)
}

fn available_figures(o: &pb::GetDebtOverviewResponse) -> Block {
    let mut rows: Vec<Figure> = o
        .available_lines
        .iter()
        .map(|l| line_figure(l, false))
        .collect();
    rows.push(figure(
        "Belopp att fördela per månad",
        &o.available_monthly_amount,
        &o.available_basis,
    ));
    Block::Figures { rows }
}

fn offer_table(o: &pb::GetDebtOverviewResponse) -> Block {
    let total: Money = o.offer.iter().map(|s| money(&s.monthly_amount)).sum();
    let balance: Money = o.offer.iter().map(|s| money(&s.balance)).sum();
    Block::table(
        &["Borgenär", "Skuld", "Andel per månad"],
        1,
        o.offer
            .iter()
            .map(|s| {
                vec![
                    s.creditor_name.clone(),
                    kr(&s.balance),
                    kr(&s.monthly_amount),
                ]
            })
            .collect(),
    )
    .with_total(vec![
        "Summa".into(),
        balance.display_sv(),
        total.display_sv(),
    ])
}

fn open_debts<'a>(
    o: &'a pb::GetDebtOverviewResponse,
    only: Option<&'a str>,
) -> impl Iterator<Item = &'a pb::Debt> {
    o.priority_debts
        .iter()
        .chain(&o.other_debts)
        .filter(move |d| only.is_none_or(|id| d.id == id))
}

/// CREDITOR_REQUEST: begäran om skuldbesked och betalningsanstånd, one
/// letter per creditor (or the one of `only`).
pub fn creditor_request(
    ctx: &Context,
    o: &pb::GetDebtOverviewResponse,
    only: Option<&str>,
) -> Document {
    let letters = open_debts(o, only)
        .map(|d| Letter {
            recipient: recipient(d),
            reference: reference(d),
            title: "Begäran om skuldbesked och betalningsanstånd".to_owned(),
            blocks: vec![
                Block::paragraph(format!(
                    "{} får hjälp av kommunens budget- och skuldrådgivning att gå igenom sin \
                     ekonomi. Vi ber er skicka ett skuldbesked per den {} med kapitalskuld, \
                     upplupen ränta, avgifter och de betalningar ni har tagit emot.",
                    upper_first(&ctx.household),
                    crate::domain::calendar::date_sv(ctx.date)
                )),
                Block::paragraph(format!("Gäldenär: {}.", ctx.debtor_line())),
                Block::paragraph(
                    "Vi ber också om betalningsanstånd medan genomgången pågår, och att ärendet \
                     inte lämnas till inkasso eller Kronofogden under tiden. Ett förslag till \
                     betalning skickas när hushållets ekonomi är utredd.",
                ),
                Block::table(
                    &["Skuld enligt våra uppgifter", "Belopp"],
                    1,
                    vec![vec![kind_label(d.kind), kr(&d.balance)]],
                ),
                Block::paragraph("Svara gärna till adressen ovan och ange er referens."),
                Block::Signatures {
                    lines: vec![ctx.office_signature("Budget- och skuldrådgivare")],
                },
            ],
        })
        .collect();
    ctx.document(
        "Begäran om skuldbesked och betalningsanstånd",
        letters,
        false,
    )
}

/// CREDITOR_OFFER: förslag till avbetalning, a summary and one letter per
/// creditor of the pro-rata offer (or the one of `only`).
pub fn creditor_offer(
    ctx: &Context,
    o: &pb::GetDebtOverviewResponse,
    only: Option<&str>,
) -> Document {
    let available = kr(&o.available_monthly_amount);
    let mut letters = vec![Letter {
        title: "Förslag till frivillig uppgörelse – sammanställning".to_owned(),
        blocks: vec![
            Block::paragraph(format!(
                "{} kan betala {} per månad till borgenärerna utan förmånsrätt. Beloppet \
                 fördelas i proportion till skuldernas storlek; andelarna summerar exakt till \
                 beloppet.",
                upper_first(&ctx.household),
                available
            )),
            Block::heading("Så har beloppet räknats fram"),
            available_figures(o),
            Block::heading("Fördelning"),
            offer_table(o),
            Block::heading("Varje andel"),
            Block::Figures {
                rows: o
                    .offer
                    .iter()
                    .map(|s| figure(s.creditor_name.clone(), &s.monthly_amount, &s.basis))
                    .collect(),
            },
        ],
        ..Letter::default()
    }];
    letters[0].blocks.extend(warning_notes(&o.warnings));
    for share in o
        .offer
        .iter()
        .filter(|s| only.is_none_or(|id| s.debt_id == id))
    {
        let debt = open_debts(o, None).find(|d| d.id == share.debt_id);
        letters.push(Letter {
            recipient: debt
                .map(recipient)
                .unwrap_or_else(|| vec![share.creditor_name.clone()]),
            reference: debt.and_then(reference),
            title: "Förslag till avbetalning".to_owned(),
            blocks: vec![
                Block::paragraph(format!(
                    "För {} föreslår vi en frivillig uppgörelse. Hushållet kan betala {} per \
                     månad, som fördelas mellan borgenärerna i proportion till skuldernas \
                     storlek. Er andel blir {} per månad av en skuld på {}.",
                    ctx.household,
                    available,
                    kr(&share.monthly_amount),
                    kr(&share.balance)
                )),
                Block::paragraph(format!("Gäldenär: {}.", ctx.debtor_line())),
                Block::Figures {
                    rows: vec![figure(
                        format!("Er andel: {}", share.creditor_name),
                        &share.monthly_amount,
                        &share.basis,
                    )],
                },
                Block::heading("Alla borgenärers andelar"),
                offer_table(o),
                Block::paragraph(
                    "Vi ber er godkänna förslaget och avstå från ytterligare ränta och avgifter \
                     under avbetalningstiden. Skriv under och skicka tillbaka en kopia.",
                ),
                Block::Signatures {
                    lines: vec![
                        "Borgenärens godkännande, datum".to_owned(),
                        ctx.office_signature("Budget- och skuldrådgivare"),
                    ],
                },
            ],
        });
    }
    ctx.document("Förslag till avbetalning", letters, false)
}

/// SKULDSANERING_ESTIMATE: the estimate per creditor and year.
pub fn skuldsanering(ctx: &Context, e: &pb::EstimateDebtRestructuringResponse) -> Document {
    let (tables, table_provisional) = tables_block(&e.tables);
    let provisional = e.provisional || table_provisional;
    let mut blocks = vec![
        Block::note(
            "UPPSKATTNING: detta är en beräkning av vad en skuldsanering kan innebära, inte \
             ett beslut. Kronofogden prövar ansökan och beslutar om betalningsplanen.",
        ),
        Block::heading("Uppgifter för ansökan"),
        Block::Figures {
            rows: e
                .lines
                .iter()
                .map(|l| line_figure(l, provisional))
                .chain([
                    Figure {
                        provisional,
                        ..figure("Förbehållsbelopp", &e.protected_amount, &None)
                    },
                    figure("Buffert", &e.buffer, &None),
                    Figure {
                        provisional,
                        ..figure("Betalning per månad", &e.monthly_payment, &None)
                    },
                ])
                .collect(),
        },
        Block::heading(format!("Per år ({} år)", e.years)),
        Block::table(
            &["År", "Inbetalt", "Avgift", "Fördelat", "Ej fördelat"],
            1,
            e.yearly
                .iter()
                .map(|y| {
                    vec![
                        y.year.to_string(),
                        kr(&y.paid_in),
                        kr(&y.fee),
                        kr(&y.distributed),
                        kr(&y.undistributed),
                    ]
                })
                .collect(),
        )
        .with_total(vec![
            "Summa".into(),
            kr(&e.total_paid_in),
            kr(&e.total_fees),
            kr(&e.total_distributed),
            String::new(),
        ]),
        Block::heading("Per borgenär"),
        Block::table(
            &["Borgenär", "Skuld", "Får totalt", "Kvar efter planen"],
            1,
            e.creditors
                .iter()
                .map(|c| {
                    vec![
                        c.creditor_name.clone(),
                        kr(&c.balance),
                        kr(&c.total_received),
                        kr(&c.unpaid),
                    ]
                })
                .collect(),
        )
        .with_total(vec![
            "Summa".into(),
            kr(&e.total_debt),
            kr(&e.total_distributed),
            kr(&e.total_unpaid),
        ]),
        Block::heading("Per borgenär och år"),
        Block::Figures {
            rows: e
                .creditors
                .iter()
                .flat_map(|c| {
                    c.yearly.iter().map(|l| Figure {
                        provisional,
                        ..figure(
                            format!("{}: {}", c.creditor_name, l.label),
                            &l.amount,
                            &l.basis,
                        )
                    })
                })
                .collect(),
        },
    ];
    blocks.extend(tables);
    blocks.extend(warning_notes(&e.warnings));
    let title = "Skuldsanering – uppskattning";
    ctx.document(
        title,
        vec![Letter {
            title: format!("{title} för {}", ctx.household),
            blocks,
            ..Letter::default()
        }],
        provisional,
    )
}
