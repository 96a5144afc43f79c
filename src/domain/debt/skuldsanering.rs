//! The skuldsanering estimate: what is paid above the förbehållsbelopp
//! each month, what each creditor receives each year, and what stays unpaid.

use uuid::Uuid;

use super::offer::{checked_weights, share_arithmetic};
use super::protected::FORBEHALLSBELOPP_SOURCE;
use super::{DebtBalance, check_non_negative_amount, field, overflow};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::{Basis, Line};
use crate::domain::money::{Money, allocate};

/// Where the skuldsanering rules are printed.
pub const SKULDSANERING_SOURCE: &str =
    "Kronofogden, kronofogden.se \"Betalning under skuldsanering\" och \"Förslag och beslut\"";
/// The smallest buffer above the förbehållsbelopp in skuldsanering, kronor a
/// month; also the default.
pub const SKULDSANERING_MIN_BUFFER_KR: i64 = 500;
/// Kronofogden's yearly fee, deducted before the creditors are paid, kronor.
pub const SKULDSANERING_YEARLY_FEE_KR: i64 = 500;
/// Payment months a year: all but June and December.
pub const SKULDSANERING_PAYMENT_MONTHS: u32 = 10;
/// The normal length in years, and the default.
pub const SKULDSANERING_DEFAULT_YEARS: u32 = 5;
/// The longest length accepted for an estimate, in years.
pub const SKULDSANERING_MAX_YEARS: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuldsaneringInput {
    /// The förbehållsbelopp, without the buffer (see [`protected_amount`]).
    pub protected_amount: Money,
    /// At least [`SKULDSANERING_MIN_BUFFER_KR`]; `None` for that minimum.
    pub buffer: Option<Money>,
    /// Monthly net income.
    pub net_income: Money,
    /// 1..=[`SKULDSANERING_MAX_YEARS`]; `None` for
    /// [`SKULDSANERING_DEFAULT_YEARS`].
    pub years: Option<u32>,
    pub debts: Vec<DebtBalance>,
}

/// What one creditor receives in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorPayout {
    pub debt_id: Uuid,
    pub amount: Money,
    pub basis: Basis,
}

/// One year of the skuldsanering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuldsaneringYear {
    /// 1-based.
    pub year: u32,
    /// Monthly payment × payment months.
    pub paid_in: Money,
    /// The yearly fee, at most what was paid in.
    pub fee: Money,
    /// `paid_in` − `fee`.
    pub to_distribute: Money,
    /// In the order of the debts; they sum exactly to `distributed`.
    pub payouts: Vec<CreditorPayout>,
    /// min(`to_distribute`, what is still owed).
    pub distributed: Money,
    /// What is left once every debt is paid in full: not paid to anyone.
    pub undistributed: Money,
}

/// One creditor over the whole skuldsanering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorOutcome {
    pub debt_id: Uuid,
    pub balance: Money,
    pub received: Money,
    /// `balance` − `received`: what is left unpaid at the end.
    pub unpaid: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuldsaneringEstimate {
    /// How the yearly amount for the creditors is reached, line by line.
    pub lines: Vec<Line>,
    pub buffer: Money,
    /// The förbehållsbelopp as Kronofogden presents it in a skuldsanering:
    /// the förbehållsbelopp + the buffer.
    pub protected_amount_with_buffer: Money,
    pub monthly_payment: Money,
    pub length_years: u32,
    pub years: Vec<SkuldsaneringYear>,
    pub creditors: Vec<CreditorOutcome>,
    pub total_debt: Money,
    pub total_paid_in: Money,
    pub total_fees: Money,
    pub total_distributed: Money,
    pub total_undistributed: Money,
    pub total_unpaid: Money,
}

/// Splits `amount` öre over `weights` (the debts at the start) by
/// [`allocate`], never giving a debt more than its `room` (what is still
/// owed): a part that would exceed it is capped and the excess is split
/// again, by the same weights, over the debts still owed. Returns the first
/// split and the final payouts. `amount` must not exceed Σ`room`; every
/// debt with room has a positive weight (room ≤ its starting balance).
/// Each round either places everything or fills at least one debt, so there
/// are at most `weights.len()` + 1 rounds.
pub(super) fn split_capped(amount: i64, weights: &[i64], room: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let n = weights.len();
    let mut paid = vec![0_i64; n];
    let mut first: Option<Vec<i64>> = None;
    let mut left = amount;
    while left > 0 {
        let eligible: Vec<i64> = (0..n)
            .map(|i| if room[i] > paid[i] { weights[i] } else { 0 })
            .collect();
        let Ok(parts) = allocate(Money::from_ore(left), &eligible) else {
            break;
        };
        let parts: Vec<i64> = parts.iter().map(|p| p.to_ore().unwrap_or(0)).collect();
        if first.is_none() {
            first = Some(parts.clone());
        }
        let mut placed = 0;
        for ((paid, part), room) in paid.iter_mut().zip(&parts).zip(room) {
            let give = (*part).min(room - *paid).max(0);
            *paid += give;
            placed += give;
        }
        if placed == 0 {
            break;
        }
        left -= placed;
    }
    (first.unwrap_or_else(|| vec![0; n]), paid)
}

/// Checks the input of [`skuldsanering_estimate`]; fields are reported as
/// `path.protected_amount`, `path.buffer`, `path.net_income`, `path.years`
/// and `path.debts[i].balance` / `.debt_id` (or `path.debts` when no debt
/// has a balance).
pub fn check_skuldsanering_input(input: &SkuldsaneringInput, path: &str) -> Violations {
    let mut v = Violations::new();
    check_non_negative_amount(
        input.protected_amount,
        &field(path, "protected_amount"),
        &mut v,
    );
    check_non_negative_amount(input.net_income, &field(path, "net_income"), &mut v);
    if let Some(buffer) = input.buffer {
        let f = field(path, "buffer");
        if buffer < Money::from_kronor(SKULDSANERING_MIN_BUFFER_KR) {
            v.add(
                f,
                "OUT_OF_RANGE",
                format!("at least {SKULDSANERING_MIN_BUFFER_KR} kr a month in skuldsanering"),
            );
        } else {
            check_non_negative_amount(buffer, &f, &mut v);
        }
    }
    if let Some(years) = input.years
        && !(1..=SKULDSANERING_MAX_YEARS).contains(&years)
    {
        v.add(
            field(path, "years"),
            "OUT_OF_RANGE",
            format!("between 1 and {SKULDSANERING_MAX_YEARS} years"),
        );
    }
    let weights = checked_weights(&input.debts, &field(path, "debts"), &mut v);
    if v.is_empty() && weights.iter().all(|w| *w == 0) {
        v.add(
            field(path, "debts"),
            "REQUIRED",
            "at least one debt with a balance above zero",
        );
    }
    v
}

/// A skuldsanering estimate (kronofogden.se, "Betalning under skuldsanering";
/// docs/sources.md §2.3):
/// - the debtor keeps the förbehållsbelopp + a buffer of at least 500 kr a
///   month (500 by default);
/// - the monthly payment is the net income above that, never below zero,
///   paid ten months a year (June and December are payment-free);
/// - each year Kronofogden's fee of 500 kr is deducted from what was paid in
///   (never more than was paid in), and the rest is paid out to the creditors
///   once a year, pro rata to each debt's share of the total debt at the
///   start, in whole öre by [`allocate`] so the payouts sum exactly;
/// - no creditor is paid more than it is still owed: a capped share is split
///   again over the debts still owed, and whatever is left once every debt is
///   paid in full is reported as `undistributed` and paid to no one;
/// - the estimate runs for the given number of years (5 by default; 1–10
///   accepted) with the same income every year, and shows each creditor's
///   yearly payouts, its total and what is left unpaid at the end.
///
/// Since each year is split on its own, the largest-remainder öre go to the
/// same debts every year: a debt may receive up to one öre a year more than
/// another of the same size.
pub fn skuldsanering_estimate(
    input: &SkuldsaneringInput,
    path: &str,
) -> Result<SkuldsaneringEstimate, DomainError> {
    check_skuldsanering_input(input, path).finish(())?;
    let buffer = input
        .buffer
        .unwrap_or(Money::from_kronor(SKULDSANERING_MIN_BUFFER_KR));
    let length_years = input.years.unwrap_or(SKULDSANERING_DEFAULT_YEARS);
    let living = input.protected_amount + buffer;
    let monthly_payment = (input.net_income - living).max(Money::ZERO);
    let months = i64::from(SKULDSANERING_PAYMENT_MONTHS);
    let paid_in = monthly_payment
        .mul_ratio(months, 1)
        .ok_or_else(|| overflow(path, "net_income"))?;
    let fee = Money::from_kronor(SKULDSANERING_YEARLY_FEE_KR).min(paid_in);
    let to_distribute = paid_in - fee;

    let weights: Vec<i64> = input
        .debts
        .iter()
        .map(|d| d.balance.to_ore().unwrap_or(0))
        .collect();
    let weight_sum: i64 = weights.iter().sum();
    let total_debt = Money::from_ore(weight_sum);
    let to_distribute_ore = to_distribute
        .to_ore()
        .ok_or_else(|| overflow(path, "net_income"))?;

    let lines = vec![
        Line {
            label: "förbehållsbelopp".to_owned(),
            amount: input.protected_amount,
            basis: Basis::new(
                "förbehållsbelopp = normalbelopp + boendekostnad + godkända tillägg",
                FORBEHALLSBELOPP_SOURCE,
                input.protected_amount.display_kr(),
            ),
        },
        Line {
            label: "buffert".to_owned(),
            amount: buffer,
            basis: Basis::new(
                "skuldsanering: förbehållsbeloppet innehåller en buffert på minst 500 kr i månaden",
                SKULDSANERING_SOURCE,
                buffer.display_kr(),
            ),
        },
        Line {
            label: "förbehållsbelopp i skuldsanering".to_owned(),
            amount: living,
            basis: Basis::new(
                "förbehållsbelopp + buffert",
                SKULDSANERING_SOURCE,
                format!(
                    "{} + {} = {}",
                    input.protected_amount.display_kr(),
                    buffer.display_kr(),
                    living.display_kr()
                ),
            ),
        },
        Line {
            label: "betalning per månad".to_owned(),
            amount: monthly_payment,
            basis: Basis::new(
                "skuldsanering: all inkomst över förbehållsbeloppet betalas varje månad, aldrig under noll",
                SKULDSANERING_SOURCE,
                format!(
                    "max(0, {} − {}) = {}",
                    input.net_income.display_kr(),
                    living.display_kr(),
                    monthly_payment.display_kr()
                ),
            ),
        },
        Line {
            label: "inbetalt per år".to_owned(),
            amount: paid_in,
            basis: Basis::new(
                "skuldsanering: juni och december är betalningsfria, så det betalas 10 månader om året",
                SKULDSANERING_SOURCE,
                format!(
                    "{} × {months} = {}",
                    monthly_payment.display_kr(),
                    paid_in.display_kr()
                ),
            ),
        },
        Line {
            label: "årsavgift till Kronofogden".to_owned(),
            amount: fee,
            basis: Basis::new(
                "skuldsanering: en avgift på 500 kr om året dras innan borgenärerna får betalt, högst det som betalats in",
                SKULDSANERING_SOURCE,
                format!(
                    "min({}, {}) = {}",
                    Money::from_kronor(SKULDSANERING_YEARLY_FEE_KR).display_kr(),
                    paid_in.display_kr(),
                    fee.display_kr()
                ),
            ),
        },
        Line {
            label: "till borgenärerna per år".to_owned(),
            amount: to_distribute,
            basis: Basis::new(
                "skuldsanering: det som betalats in minus avgiften betalas ut till borgenärerna en gång om året",
                SKULDSANERING_SOURCE,
                format!(
                    "{} − {} = {}",
                    paid_in.display_kr(),
                    fee.display_kr(),
                    to_distribute.display_kr()
                ),
            ),
        },
    ];

    let mut owed = weights.clone();
    let mut received = vec![0_i64; weights.len()];
    let mut years = Vec::with_capacity(length_years as usize);
    for year in 1..=length_years {
        let still_owed: i64 = owed.iter().sum();
        let distributed = to_distribute_ore.min(still_owed);
        let (first, paid) = split_capped(distributed, &weights, &owed);
        let payouts = input
            .debts
            .iter()
            .enumerate()
            .map(|(i, debt)| {
                let amount = Money::from_ore(paid[i]);
                let share = share_arithmetic(
                    weights[i],
                    weight_sum,
                    Money::from_ore(distributed),
                    Money::from_ore(first[i]),
                );
                let arithmetic = if paid[i] == first[i] {
                    share
                } else if paid[i] < first[i] {
                    format!(
                        "{share}; högst återstående skuld {}",
                        Money::from_ore(owed[i]).display_kr()
                    )
                } else {
                    format!(
                        "{share}; + {} som översteg andra borgenärers återstående skuld = {}",
                        Money::from_ore(paid[i] - first[i]).display_kr(),
                        amount.display_kr()
                    )
                };
                CreditorPayout {
                    debt_id: debt.debt_id,
                    amount,
                    basis: Basis::new(
                        "skuldsanering: utbetalning efter skuldens andel av den totala skulden, i hela ören så att \
                         utbetalningarna summerar exakt; ingen borgenär får mer än den har kvar att fordra",
                        SKULDSANERING_SOURCE,
                        arithmetic,
                    ),
                }
            })
            .collect();
        for ((owed, received), paid) in owed.iter_mut().zip(&mut received).zip(&paid) {
            *owed -= paid;
            *received += paid;
        }
        years.push(SkuldsaneringYear {
            year,
            paid_in,
            fee,
            to_distribute,
            payouts,
            distributed: Money::from_ore(distributed),
            undistributed: Money::from_ore(to_distribute_ore - distributed),
        });
    }

    let creditors: Vec<CreditorOutcome> = input
        .debts
        .iter()
        .enumerate()
        .map(|(i, debt)| CreditorOutcome {
            debt_id: debt.debt_id,
            balance: Money::from_ore(weights[i]),
            received: Money::from_ore(received[i]),
            unpaid: Money::from_ore(owed[i]),
        })
        .collect();
    let total_paid_in = years.iter().map(|y| y.paid_in).sum();
    let total_fees = years.iter().map(|y| y.fee).sum();
    let total_distributed = years.iter().map(|y| y.distributed).sum();
    let total_undistributed = years.iter().map(|y| y.undistributed).sum();
    let total_unpaid = creditors.iter().map(|c| c.unpaid).sum();
    Ok(SkuldsaneringEstimate {
        lines,
        buffer,
        protected_amount_with_buffer: living,
        monthly_payment,
        length_years,
        years,
        creditors,
        total_debt,
        total_paid_in,
        total_fees,
        total_distributed,
        total_undistributed,
        total_unpaid,
    })
}
