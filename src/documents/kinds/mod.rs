//! Each document kind built from the answer of the RPC it prints (the same
//! computation, the same bases): budget, försörjningsstöd and the binder
//! page here, the debt letters in [`debts`], the rent-arrears agreement in
//! [`rent`].

pub mod debts;
pub mod followup;
pub mod rent;

use chrono::NaiveDate;

use super::model::{Basis, Block, Document, Figure, Letter, scrub};
use crate::domain::budget::{ExpenseCategory, IncomeCategory};
use crate::domain::calendar::{YearMonth, date_sv, rent_due_date, year_month_sv};
use crate::domain::money::Money;
use crate::domain::names::PostalAddress;
use crate::grpc::auth::Signature;
use crate::pb;

/// The municipality and unit every document is headed with, from the
/// server's configuration (`--municipality-name`, `--municipality-unit`).
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub municipality: String,
    pub unit: String,
}

/// What `--municipality-name` and `--municipality-unit` default to.
pub const DEFAULT_MUNICIPALITY: &str = "Kommunen";
pub const DEFAULT_UNIT: &str = "Socialtjänsten";

impl Default for Letterhead {
    fn default() -> Self {
        Letterhead {
            municipality: DEFAULT_MUNICIPALITY.to_owned(),
            unit: DEFAULT_UNIT.to_owned(),
        }
    }
}

/// What every kind needs besides its data.
pub struct Context<'a> {
    pub kind: &'static str,
    pub document_id: String,
    pub letterhead: &'a Letterhead,
    pub date: NaiveDate,
    /// How the letters name the household: its display name, else its
    /// applicant's name, else its case reference (never an id).
    pub household: String,
    /// The household's postal address block; empty when not given.
    pub household_address: Vec<String>,
    /// The applicant's given and family name; empty when not given.
    pub applicant: String,
    /// Who signs for the office: the caller's name and unit from its
    /// token entry; None for an unnamed signature line.
    pub signer: Option<Signature>,
}

impl Context<'_> {
    pub fn document(&self, title: &str, letters: Vec<Letter>, provisional: bool) -> Document {
        Document {
            kind: self.kind.to_owned(),
            document_id: self.document_id.clone(),
            title: title.to_owned(),
            municipality: self.letterhead.municipality.clone(),
            unit: self.letterhead.unit.clone(),
            date: self.date.to_string(),
            date_text: date_sv(self.date),
            provisional,
            letters,
        }
    }

    /// A document of one letter without recipient, titled as the document.
    pub fn statement(&self, title: &str, blocks: Vec<Block>, provisional: bool) -> Document {
        let letter = Letter {
            title: title.to_owned(),
            blocks,
            ..Letter::default()
        };
        self.document(title, vec![letter], provisional)
    }

    /// The office's signature caption: "{role}: " and the caller's name
    /// and unit, or the letterhead's unit when the caller's token names no
    /// signature; the role alone when that unit is the role's own word
    /// ("Socialtjänsten", not "Socialtjänsten: Socialtjänsten").
    fn office_signature(&self, role: &str) -> String {
        let who = match &self.signer {
            Some(s) => format!("{}, {}", s.name, s.unit),
            None => self.letterhead.unit.clone(),
        };
        if who.trim().is_empty() || who.trim().to_lowercase() == role.to_lowercase() {
            role.to_owned()
        } else {
            format!("{role}: {who}")
        }
    }

    /// The household as a creditor identifies its debtor: name and, when
    /// given, postal address on one line.
    fn debtor_line(&self) -> String {
        let mut parts = vec![upper_first(&self.household)];
        parts.extend(self.household_address.iter().cloned());
        parts.join(", ")
    }

    /// A signature caption for the client: "{role}: {applicant}" or the
    /// role alone.
    fn client_signature(&self, role: &str) -> String {
        if self.applicant.is_empty() {
            role.to_owned()
        } else {
            format!("{role}: {}", self.applicant)
        }
    }
}

/// An amount the server itself produced (always valid wire text).
pub fn money(m: &Option<pb::Money>) -> Money {
    m.as_ref()
        .and_then(|m| Money::parse(&m.amount).ok())
        .unwrap_or(Money::ZERO)
}

pub fn kr(m: &Option<pb::Money>) -> String {
    money(m).display_sv()
}

pub fn basis(b: &Option<pb::Basis>) -> Option<Basis> {
    b.as_ref()
        .map(|b| Basis::new(&b.rule, &b.source, &b.arithmetic))
}

pub fn figure(label: impl Into<String>, m: &Option<pb::Money>, b: &Option<pb::Basis>) -> Figure {
    Figure::new(label, money(m), basis(b))
}

pub fn line_figure(l: &pb::AmountLine, provisional: bool) -> Figure {
    Figure {
        provisional,
        ..figure(l.label.clone(), &l.amount, &l.basis)
    }
}

/// "2026-12-30" as "30 december 2026"; other text as it is.
pub fn day_text(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(date_sv)
        .unwrap_or_else(|_| iso.to_owned())
}

/// "2026-12" as "december 2026"; other text as it is.
pub fn month_text(iso: &str) -> String {
    YearMonth::parse(iso)
        .map(year_month_sv)
        .unwrap_or_else(|| iso.to_owned())
}

fn income_label(l: &pb::IncomeLine) -> String {
    let category = pb::IncomeCategory::try_from(l.category)
        .ok()
        .and_then(|c| IncomeCategory::from_str_opt(&short(c.as_str_name(), "INCOME_CATEGORY_")));
    labelled(category.map(|c| c.label()), &l.description)
}

fn expense_category(raw: i32) -> Option<ExpenseCategory> {
    pb::ExpenseCategory::try_from(raw)
        .ok()
        .and_then(|c| ExpenseCategory::from_str_opt(&short(c.as_str_name(), "EXPENSE_CATEGORY_")))
}

fn expense_label(l: &pb::ExpenseLine) -> String {
    labelled(
        expense_category(l.category).map(|c| c.label()),
        &l.description,
    )
}

/// A proto value name as the domain's storage key ("FOOD" → "food").
fn short(name: &str, prefix: &str) -> String {
    name.strip_prefix(prefix)
        .unwrap_or(name)
        .to_ascii_lowercase()
}

fn labelled(category: Option<&str>, description: &str) -> String {
    let category = category.unwrap_or("övrigt");
    let mut label = upper_first(category);
    if !description.is_empty() {
        label.push_str(" – ");
        label.push_str(description);
    }
    label
}

pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Notes for the warnings of a computation.
pub fn warning_notes(warnings: &[String]) -> Vec<Block> {
    warnings
        .iter()
        .map(|w| {
            Block::note(scrub(
                &crate::domain::warnings::warning_sv(w),
                &mut Vec::new(),
            ))
        })
        .collect()
}

/// The norm tables a computation read, and whether any is provisional.
pub fn tables_block(tables: &[pb::TableRef]) -> (Option<Block>, bool) {
    let provisional = tables
        .iter()
        .any(|t| t.status == pb::TableStatus::Provisional as i32);
    if tables.is_empty() {
        return (None, provisional);
    }
    let rows = tables
        .iter()
        .map(|t| {
            let status = if t.status == pb::TableStatus::Provisional as i32 {
                "PRELIMINÄR"
            } else {
                "fastställd"
            };
            vec![t.source.clone(), t.version.to_string(), status.to_owned()]
        })
        .collect();
    (
        Some(Block::table(&["Normtabell", "Version", "Status"], 3, rows)),
        provisional,
    )
}

/// BUDGET_SUMMARY: hushållsbudget with signature lines.
pub fn budget_summary(ctx: &Context, budget: &pb::Budget) -> Document {
    let r = budget.result.clone().unwrap_or_default();
    let (tables, provisional) = tables_block(&r.tables);
    let mut blocks = vec![Block::paragraph(format!(
        "Budgeten gäller {} för {}. Alla belopp är omräknade till en månad.",
        ctx.household,
        month_text(&r.month)
    ))];
    let lines = |title: &str, rows: Vec<[String; 3]>, total: &Option<pb::Money>| {
        Block::table(
            &[title, "Belopp", "Per månad"],
            1,
            rows.into_iter().map(Vec::from).collect(),
        )
        .with_total(vec![
            format!("Summa: {}", title.to_lowercase()),
            String::new(),
            kr(total),
        ])
    };
    blocks.push(Block::heading("Inkomster"));
    blocks.push(lines(
        "Inkomst",
        r.incomes
            .iter()
            .map(|l| [income_label(l), kr(&l.amount), kr(&l.monthly_amount)])
            .collect(),
        &r.total_income,
    ));
    blocks.push(Block::heading("Utgifter"));
    blocks.push(lines(
        "Utgift",
        r.expenses
            .iter()
            .map(|l| [expense_label(l), kr(&l.amount), kr(&l.monthly_amount)])
            .collect(),
        &r.total_expenses,
    ));
    if !r.comparisons.is_empty() {
        blocks.push(Block::heading("Jämförelse med referensvärden"));
        blocks.push(Block::table(
            &["Utgift", "Budget", "Referensvärde", "Skillnad"],
            1,
            r.comparisons
                .iter()
                .map(|c| {
                    vec![
                        upper_first(expense_category(c.category).map_or("övrigt", |c| c.label())),
                        kr(&c.actual),
                        kr(&c.reference),
                        kr(&c.difference),
                    ]
                })
                .collect(),
        ));
    }
    blocks.push(Block::heading("Överskott"));
    blocks.push(Block::Figures {
        rows: vec![
            figure("Summa inkomster", &r.total_income, &None),
            figure("Summa utgifter", &r.total_expenses, &None),
            Figure::new(
                "Överskott (underskott om negativt)",
                money(&r.surplus),
                Some(Basis::new(
                    "inkomster − utgifter",
                    "",
                    &format!(
                        "{} − {} = {}",
                        kr(&r.total_income),
                        kr(&r.total_expenses),
                        kr(&r.surplus)
                    ),
                )),
            ),
        ],
    });
    blocks.push(Block::heading("Underlag för varje rad"));
    let mut rows: Vec<Figure> = r
        .incomes
        .iter()
        .map(|l| figure(income_label(l), &l.monthly_amount, &l.basis))
        .collect();
    rows.extend(
        r.expenses
            .iter()
            .map(|l| figure(expense_label(l), &l.monthly_amount, &l.basis)),
    );
    rows.extend(r.comparisons.iter().map(|c| Figure {
        provisional,
        ..figure(
            format!(
                "Referensvärde: {}",
                expense_category(c.category).map_or("övrigt", |c| c.label())
            ),
            &c.reference,
            &c.basis,
        )
    }));
    blocks.push(Block::Figures { rows });
    blocks.extend(tables);
    blocks.extend(warning_notes(&r.warnings));
    blocks.push(Block::Signatures {
        lines: vec![
            ctx.client_signature("Datum och klientens underskrift"),
            ctx.office_signature("Budget- och skuldrådgivare"),
        ],
    });
    let title = format!("Hushållsbudget för {}", month_text(&r.month));
    ctx.statement(&title, blocks, provisional)
}

/// SOCIAL_ASSISTANCE_CALCULATION: beräkning av försörjningsstöd.
pub fn social_assistance(ctx: &Context, r: &pb::CalculateSocialAssistanceResponse) -> Document {
    let (tables, _) = tables_block(&r.tables);
    let provisional = r.provisional;
    let mut blocks = vec![Block::paragraph(format!(
        "Beräkningen gäller {} för {}: riksnormen, skäliga kostnader och inkomster enligt \
         socialtjänstlagen. Varje rad visar sin grund.",
        ctx.household,
        month_text(&r.month)
    ))];
    blocks.push(Block::heading("Riksnormen"));
    for unit in &r.riksnorm_units {
        let mut rows: Vec<Figure> = unit
            .lines
            .iter()
            .map(|l| line_figure(l, provisional))
            .collect();
        rows.push(Figure {
            provisional,
            ..figure(format!("Summa: {}", unit.label), &unit.total, &None)
        });
        blocks.push(Block::paragraph(upper_first(&unit.label)));
        blocks.push(Block::Figures { rows });
    }
    blocks.push(Block::Figures {
        rows: vec![Figure {
            provisional,
            ..figure("Riksnormen totalt", &r.riksnorm_total, &None)
        }],
    });
    blocks.push(Block::heading("Skäliga kostnader"));
    let mut rows: Vec<Figure> = r
        .reasonable_costs
        .iter()
        .map(|l| line_figure(l, false))
        .collect();
    rows.push(figure(
        "Skäliga kostnader totalt",
        &r.reasonable_costs_total,
        &None,
    ));
    blocks.push(Block::Figures { rows });
    blocks.push(Block::heading("Inkomster"));
    let mut rows: Vec<Figure> = r
        .incomes
        .iter()
        .map(|l| figure(income_label(l), &l.monthly_amount, &l.basis))
        .collect();
    rows.push(figure("Inkomster totalt", &r.total_income, &None));
    blocks.push(Block::Figures { rows });
    blocks.push(Block::heading("Beräkning"));
    blocks.push(Block::Figures {
        rows: vec![
            Figure {
                provisional,
                ..figure("Behov (riksnorm + skäliga kostnader)", &r.total_need, &None)
            },
            figure("Inkomster", &r.total_income, &None),
            Figure {
                provisional,
                ..figure("Försörjningsstöd", &r.assistance, &r.assistance_basis)
            },
            figure("Därav hyresdel", &r.rent_part, &None),
        ],
    });
    blocks.extend(tables);
    blocks.extend(warning_notes(&r.warnings));
    blocks.push(Block::Signatures {
        lines: vec![ctx.office_signature("Handläggare")],
    });
    let title = format!("Beräkning av försörjningsstöd för {}", month_text(&r.month));
    ctx.statement(&title, blocks, provisional)
}

/// One payment of the month for the binder page.
pub struct BinderItem {
    pub label: String,
    pub due: Option<NaiveDate>,
    pub amount: Money,
}

/// MONTHLY_BINDER_PAGE: the month's page for the client's binder. `extra`
/// are the plan instalments and agreed debt payments of the month.
pub fn binder_page(
    ctx: &Context,
    budget: &pb::Budget,
    month: YearMonth,
    extra: Vec<BinderItem>,
) -> Document {
    let r = budget.result.clone().unwrap_or_default();
    let (_, provisional) = tables_block(&r.tables);
    let mut blocks = vec![Block::paragraph(format!(
        "Månadens inkomster och utgifter för {} enligt budgeten för {}. Skriv i kolumnen \
         \"Betalt\" vad som faktiskt betalades och när.",
        year_month_sv(month),
        month_text(&r.month)
    ))];
    blocks.push(Block::heading("Inkomster"));
    blocks.push(
        Block::table(
            &["Inkomst", "Per månad", "Fått"],
            1,
            r.incomes
                .iter()
                .map(|l| vec![income_label(l), kr(&l.monthly_amount), String::new()])
                .collect(),
        )
        .with_total(vec!["Summa".into(), kr(&r.total_income), String::new()]),
    );
    let next = month.succ();
    let mut items: Vec<BinderItem> = r
        .expenses
        .iter()
        .map(|l| {
            let rent = expense_category(l.category) == Some(ExpenseCategory::Rent);
            BinderItem {
                label: if rent {
                    format!("Hyra för {} (JB 12:20)", year_month_sv(next))
                } else {
                    expense_label(l)
                },
                due: rent.then(|| rent_due_date(next)),
                amount: money(&l.monthly_amount),
            }
        })
        .collect();
    items.extend(extra);
    let total: Money = items.iter().map(|i| i.amount).sum();
    let mut deadlines: Vec<(NaiveDate, String)> = items
        .iter()
        .filter_map(|i| i.due.map(|d| (d, i.label.clone())))
        .collect();
    deadlines.sort();
    blocks.push(Block::heading("Utgifter"));
    blocks.push(
        Block::table(
            &["Utgift", "Förfaller", "Belopp", "Betalt"],
            2,
            items
                .into_iter()
                .map(|i| {
                    vec![
                        i.label,
                        i.due.map(date_sv).unwrap_or_default(),
                        i.amount.display_sv(),
                        String::new(),
                    ]
                })
                .collect(),
        )
        .with_total(vec![
            "Summa".into(),
            String::new(),
            total.display_sv(),
            String::new(),
        ]),
    );
    blocks.push(Block::heading("Månadens sista betalningsdagar"));
    if deadlines.is_empty() {
        blocks.push(Block::paragraph("Inga betalningar med fast förfallodag."));
    }
    for (day, label) in deadlines {
        blocks.push(Block::paragraph(format!("{}: {}", date_sv(day), label)));
    }
    let title = format!("Månadsblad för {}", year_month_sv(month));
    ctx.statement(&title, blocks, provisional)
}

/// A postal address message as the lines of an address block (c/o,
/// street, postal code and town in capitals).
pub fn address_lines(a: &pb::PostalAddress) -> Vec<String> {
    PostalAddress {
        care_of: a.care_of.clone(),
        street: a.street_address.clone(),
        postal_code: a.postal_code.clone(),
        town: a.town.clone(),
    }
    .lines()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context<'a>(letterhead: &'a Letterhead, signer: Option<Signature>) -> Context<'a> {
        Context {
            kind: "RENT_ARREARS_AGREEMENT",
            document_id: "0193a5b0-0000-7000-8000-000000000001".to_owned(),
            letterhead,
            date: NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date"),
            household: "hushållet i ärende EX-1".to_owned(),
            household_address: Vec::new(),
            applicant: String::new(),
            signer,
        }
    }

    #[test]
    fn the_office_signs_with_its_role_once() {
        let default = Letterhead::default();
        let ctx = context(&default, None);
        assert_eq!(ctx.office_signature("Socialtjänsten"), "Socialtjänsten");
        assert_eq!(
            ctx.office_signature("Handläggare"),
            "Handläggare: Socialtjänsten"
        );
        let named = Letterhead {
            municipality: "Exempelby kommun".to_owned(),
            unit: "Budget- och skuldrådgivningen".to_owned(),
        };
        assert_eq!(
            context(&named, None).office_signature("Socialtjänsten"),
            "Socialtjänsten: Budget- och skuldrådgivningen"
        );
        let signer = Signature {
            name: "Eva Exempel".to_owned(),
            unit: "Socialtjänsten".to_owned(),
        };
        assert_eq!(
            context(&default, Some(signer)).office_signature("Socialtjänsten"),
            "Socialtjänsten: Eva Exempel, Socialtjänsten"
        );
    }
}
