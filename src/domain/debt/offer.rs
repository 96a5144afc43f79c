//! The pro-rata offer to non-priority creditors: the available monthly
//! amount split by balance, summing exactly (largest remainder).

use std::collections::HashSet;

use uuid::Uuid;

use super::{
    DebtBalance, DebtKind, check_balance, check_non_negative_amount, field, max_amount_ore,
};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::{Basis, Line, sum_arithmetic};
use crate::domain::identity::OrganisationNumber;
use crate::domain::money::{Money, allocate};

/// The input of [`pro_rata_offer`]: the monthly amount available for the
/// non-priority creditors, and their debts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRataInput {
    pub available: Money,
    pub debts: Vec<DebtBalance>,
}

/// One creditor's share of the offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRataShare {
    pub debt_id: Uuid,
    pub balance: Money,
    pub amount: Money,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRataOffer {
    pub available: Money,
    pub total_balance: Money,
    /// In the order of the input; they sum exactly to `available`.
    pub shares: Vec<ProRataShare>,
    pub basis: Basis,
}

/// "a / b × c = exact" for a split computed in whole öre: the exact share
/// when it is whole öre, else its floor with "…" and the allocated share
/// (largest remainder). Integer arithmetic only, so nothing is rounded here.
pub(super) fn share_arithmetic(weight: i64, weight_sum: i64, whole: Money, share: Money) -> String {
    let head = format!(
        "{} / {} × {}",
        Money::from_ore(weight).display_kr(),
        Money::from_ore(weight_sum).display_kr(),
        whole.display_kr()
    );
    let whole_ore = i128::from(whole.to_ore().unwrap_or(0));
    let product = whole_ore * i128::from(weight);
    let sum = i128::from(weight_sum.max(1));
    if product % sum == 0 {
        return format!("{head} = {}", share.display_kr());
    }
    let floor = Money::from_ore(i64::try_from(product / sum).unwrap_or(i64::MAX));
    format!(
        "{head} = {}… → {} (största-rest-metoden: de ören som blir över går till de största resterna)",
        floor.display_kr(),
        share.display_kr()
    )
}

/// Balances in öre, checking each under `debts_path[i].balance` and that no
/// debt is listed twice (`debts_path[i].debt_id`).
pub(super) fn checked_weights(
    debts: &[DebtBalance],
    debts_path: &str,
    v: &mut Violations,
) -> Vec<i64> {
    let mut seen = HashSet::with_capacity(debts.len());
    let mut weights = Vec::with_capacity(debts.len());
    for (i, debt) in debts.iter().enumerate() {
        check_balance(debt.balance, &format!("{debts_path}[{i}].balance"), v);
        if !seen.insert(debt.debt_id) {
            v.add(
                format!("{debts_path}[{i}].debt_id"),
                "DUPLICATE",
                "the same debt is listed twice",
            );
        }
        weights.push(debt.balance.to_ore().unwrap_or(0).max(0));
    }
    // Keeps every sum of balances (and of payouts) inside i64 öre.
    let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if total >= max_amount_ore() {
        v.add(
            debts_path,
            "TOO_LARGE",
            "the balances together must have at most 15 digits before the decimal point",
        );
    }
    weights
}

/// Splits the available monthly amount over the non-priority debts by
/// balance: share = balance ÷ total balance × available, in whole öre by the
/// largest-remainder method ([`allocate`]), so the shares sum exactly to the
/// available amount; a debt with a zero balance gets nothing. Shares are
/// monthly amounts and are not capped at a balance: how long each debt then
/// takes is [`months_to_pay_off`]'s answer.
///
/// `Ok(None)` when the total balance is zero: there is nothing to offer on.
/// Fields are reported as `path.available`, `path.debts[i].balance` and
/// `path.debts[i].debt_id`.
pub fn pro_rata_offer(
    input: &ProRataInput,
    path: &str,
) -> Result<Option<ProRataOffer>, DomainError> {
    let mut v = Violations::new();
    check_non_negative_amount(input.available, &field(path, "available"), &mut v);
    let weights = checked_weights(&input.debts, &field(path, "debts"), &mut v);
    v.finish(())?;
    let weight_sum: i64 = weights.iter().sum();
    if weight_sum == 0 {
        return Ok(None);
    }
    let parts = allocate(input.available, &weights)
        .map_err(|e| DomainError::invalid(field(path, "available"), "TOO_LARGE", e.to_string()))?;
    let total_balance = Money::from_ore(weight_sum);
    let shares: Vec<ProRataShare> = input
        .debts
        .iter()
        .zip(weights.iter().zip(parts))
        .map(|(debt, (weight, amount))| ProRataShare {
            debt_id: debt.debt_id,
            balance: debt.balance,
            amount,
            basis: Basis::new(
                SHARE_RULE,
                "",
                share_arithmetic(*weight, weight_sum, input.available, amount),
            ),
        })
        .collect();
    let amounts: Vec<Money> = shares.iter().map(|s| s.amount).collect();
    Ok(Some(ProRataOffer {
        available: input.available,
        total_balance,
        basis: Basis::new(
            "det tillgängliga beloppet fördelas på borgenärerna utan förtur efter skuldernas storlek",
            "",
            format!(
                "summa saldon {}; andelar {}",
                total_balance.display_kr(),
                sum_arithmetic(&amounts)
            ),
        ),
        shares,
    }))
}

/// One monthly commitment paid before the non-priority creditors: a
/// priority debt's agreed payment or a rent-arrears plan's instalment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// What it is, in Swedish: "avtalad betalning, elskuld (Exempel Energi AB)".
    pub label: String,
    /// The record it is read from: "skuld 0193…", "avbetalningsplan 0193…".
    pub source: String,
    pub amount: Money,
    /// For a priority debt's payment: the plan that pays it (see
    /// [`paid_through_plan`]), whose instalment is subtracted instead, so the
    /// same money is not subtracted twice.
    pub paid_by_plan: Option<String>,
}

/// An active rent-arrears plan as the offer sees it: the organisationsnummer
/// of its lease's landlord and the debt it names, if it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDebt {
    pub landlord: OrganisationNumber,
    pub debt_id: Option<Uuid>,
}

/// A hyresskuld paid through an active rent-arrears plan: its agreed
/// payment is the plan's instalment, not a payment of its own. A plan that
/// names its debt (`debt_id`) pays that debt only; a plan that names none
/// pays a hyresskuld whose creditor's organisationsnummer is its landlord's
/// (a debt without one is then never matched).
pub fn paid_through_plan(
    debt_id: Uuid,
    kind: DebtKind,
    creditor: Option<&OrganisationNumber>,
    plan: &PlanDebt,
) -> bool {
    kind == DebtKind::Hyresskuld
        && match plan.debt_id {
            Some(named) => named == debt_id,
            None => creditor.is_some_and(|c| *c == plan.landlord),
        }
}

/// The rule of each share of [`pro_rata_offer`], as its basis states it.
pub const SHARE_RULE: &str = "pro rata: andel = skuldens saldo ÷ summan av saldona × \
     tillgängligt belopp, i hela ören så att andelarna summerar exakt";

/// What [`available_for_offer`] starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomInput {
    /// The surplus of the household's latest saved budget (negative for a
    /// deficit).
    pub surplus: Money,
    /// Where the surplus is read from: "budget 0193… för 2026-11".
    pub surplus_source: String,
    /// The agreed monthly payments of the open priority debts.
    pub priority_payments: Vec<Commitment>,
    /// The instalments of the active rent-arrears plans that fall due in the
    /// month.
    pub instalments: Vec<Commitment>,
}

/// The monthly amount left for the non-priority creditors, with one line
/// per step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub amount: Money,
    /// The surplus, each subtraction as a negative line, then the amount.
    pub lines: Vec<Line>,
    pub basis: Basis,
}

/// The rule of [`available_for_offer`], as its basis states it.
pub const ROOM_RULE: &str = "tillgängligt för borgenärer utan förtur = budgetens överskott − \
     förtursskuldernas avtalade månadsbetalningar − månadens avbetalningar på hyresskuldsplaner, \
     aldrig under noll (förtursskulder betalas först)";

/// The amount the pro-rata offer may split (docs/sources.md §2.4): priority
/// debts are paid first, so the budget surplus less the agreed monthly
/// payments of the priority debts, less the instalments of the active
/// rent-arrears plans falling due that month, never below zero. Each subtraction is its
/// own line and a term of the arithmetic. Sums of whole-öre amounts: nothing
/// is rounded.
pub fn available_for_offer(input: &RoomInput) -> Room {
    let mut lines = vec![Line {
        label: "budgetens överskott".to_owned(),
        amount: input.surplus,
        basis: Basis::new(
            "överskottet i hushållets senast sparade budget",
            input.surplus_source.clone(),
            input.surplus.display_kr(),
        ),
    }];
    let mut arithmetic = input.surplus.display_kr();
    let mut left = input.surplus;
    let steps = input
        .priority_payments
        .iter()
        .map(|c| {
            (
                c,
                "förtursskuld: den avtalade månadsbetalningen betalas först",
            )
        })
        .chain(input.instalments.iter().map(|c| {
            (
                c,
                "avbetalningsplan på hyresskuld: månadens avbetalning betalas först",
            )
        }));
    for (commitment, rule) in steps {
        if let Some(plan) = &commitment.paid_by_plan {
            lines.push(Line {
                label: commitment.label.clone(),
                amount: Money::ZERO,
                basis: Basis::new(
                    "förtursskuld som betalas genom avbetalningsplanen: planens avbetalning dras \
                     i stället, så att samma pengar inte räknas två gånger",
                    format!("{}; {plan}", commitment.source),
                    format!(
                        "{} ingår i avbetalningen, dras inte en gång till",
                        commitment.amount.display_kr()
                    ),
                ),
            });
            continue;
        }
        left -= commitment.amount;
        arithmetic.push_str(" − ");
        commitment.amount.push_kr(&mut arithmetic);
        lines.push(Line {
            label: commitment.label.clone(),
            amount: Money::ZERO - commitment.amount,
            basis: Basis::new(
                rule,
                commitment.source.clone(),
                format!("−{}", commitment.amount.display_kr()),
            ),
        });
    }
    let amount = left.max(Money::ZERO);
    let arithmetic = format!("max(0, {arithmetic}) = {}", amount.display_kr());
    let basis = Basis::new(ROOM_RULE, input.surplus_source.clone(), arithmetic);
    lines.push(Line {
        label: "tillgängligt för borgenärer utan förtur".to_owned(),
        amount,
        basis: basis.clone(),
    });
    Room {
        amount,
        lines,
        basis,
    }
}
