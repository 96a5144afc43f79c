//! Months to pay off a debt with interest and fees: the rule of the
//! parent module's conventions, counted month by month and bounded.

use rust_decimal::Decimal;

use crate::domain::rate::Rate;

use super::{DebtTerms, check_terms, overflow};
use crate::domain::error::DomainError;
use crate::domain::explain::Basis;
use crate::domain::money::{Money, Rounding};

/// The longest pay-off counted: 100 years. A debt that takes longer is
/// reported as [`Payoff::LongerThan`], which also bounds the work done.
pub const PAYOFF_MONTHS_CAP: u32 = 1200;

/// How a debt is paid off at its agreed payment (see the module docs for the
/// convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payoff {
    /// Paid off after `months` months (0 for a debt with nothing left).
    /// `total_paid` is every payment including the smaller last one;
    /// `total_interest_and_fees` = `total_paid` − the balance.
    PaidOff {
        months: u32,
        total_paid: Money,
        total_interest_and_fees: Money,
        last_payment: Money,
    },
    /// The payment does not exceed the first month's interest + fee (or is
    /// zero), so the balance never falls.
    NeverPaysOff { first_month_charges: Money },
    /// Still owed after `months` (= [`PAYOFF_MONTHS_CAP`]) months.
    LongerThan { months: u32, balance_left: Money },
}

/// One month's interest on `balance` at `annual_rate` percent:
/// balance × rate / 1200, rounded half away from zero to whole öre (a named
/// rounding point). `None` only on overflow, which checked inputs cannot reach.
pub(super) fn monthly_interest(balance: Money, annual_rate: Rate) -> Option<Money> {
    let exact = balance
        .as_decimal()
        .checked_mul(annual_rate.as_decimal())?
        .checked_div(Decimal::from(1200))?;
    Some(Money::from_decimal(exact).round(Rounding::HalfAwayFromZeroOre))
}

/// Months to pay off a debt at its agreed payment, by the convention in the
/// module docs. `path` is the request path of the terms, for errors.
pub fn months_to_pay_off(terms: &DebtTerms, path: &str) -> Result<Payoff, DomainError> {
    check_terms(terms, path).finish(())?;
    if terms.balance.is_zero() {
        return Ok(Payoff::PaidOff {
            months: 0,
            total_paid: Money::ZERO,
            total_interest_and_fees: Money::ZERO,
            last_payment: Money::ZERO,
        });
    }
    let interest = |balance: Money| {
        monthly_interest(balance, terms.annual_interest_rate)
            .ok_or_else(|| overflow(path, "balance"))
    };
    let first_month_charges = interest(terms.balance)? + terms.monthly_fee;
    // With the payment at or below the first month's charges the balance
    // never falls, and since interest never falls while the balance does not,
    // no later month can do better. This also covers a zero payment.
    if terms.monthly_payment <= first_month_charges {
        return Ok(Payoff::NeverPaysOff {
            first_month_charges,
        });
    }
    // From here the balance falls by at least one öre a month.
    let mut balance = terms.balance;
    let mut total_paid = Money::ZERO;
    for month in 1..=PAYOFF_MONTHS_CAP {
        let owed = balance + interest(balance)? + terms.monthly_fee;
        if owed <= terms.monthly_payment {
            total_paid += owed;
            return Ok(Payoff::PaidOff {
                months: month,
                total_paid,
                total_interest_and_fees: total_paid - terms.balance,
                last_payment: owed,
            });
        }
        balance = owed - terms.monthly_payment;
        total_paid += terms.monthly_payment;
    }
    Ok(Payoff::LongerThan {
        months: PAYOFF_MONTHS_CAP,
        balance_left: balance,
    })
}

/// The basis of a [`Payoff`]: the rule, the first month worked out, and the
/// outcome, so a counsellor can follow the count.
pub fn explain_payoff(terms: &DebtTerms, payoff: &Payoff) -> Basis {
    let rule = "varje månad: ränta = skuld × årsränta / 100 / 12, avrundad till hela ören; \
                skulden ökar med räntan och avgiften och minskar med betalningen; \
                sista månaden betalas bara det som återstår";
    let first = monthly_interest(terms.balance, terms.annual_interest_rate)
        .map(|i| {
            format!(
                "månad 1: ränta {} × {} / 100 / 12 = {}; {} + {} + {} − {}",
                terms.balance.display_kr(),
                terms.annual_interest_rate.to_wire(),
                i.display_kr(),
                terms.balance.display_kr(),
                i.display_kr(),
                terms.monthly_fee.display_kr(),
                terms.monthly_payment.display_kr()
            )
        })
        .unwrap_or_default();
    let outcome = match payoff {
        Payoff::PaidOff {
            months,
            total_paid,
            total_interest_and_fees,
            last_payment,
        } => format!(
            "betald efter {months} månader, sista betalningen {}; totalt betalt {}, varav ränta och avgifter {}",
            last_payment.display_kr(),
            total_paid.display_kr(),
            total_interest_and_fees.display_kr()
        ),
        Payoff::NeverPaysOff {
            first_month_charges,
        } => format!(
            "betalningen {} täcker inte första månadens ränta och avgift {}: skulden minskar aldrig",
            terms.monthly_payment.display_kr(),
            first_month_charges.display_kr()
        ),
        Payoff::LongerThan {
            months,
            balance_left,
        } => format!(
            "efter {months} månader återstår {}: tar längre tid än så",
            balance_left.display_kr()
        ),
    };
    let arithmetic = if terms.balance.is_zero() {
        outcome
    } else {
        format!("{first}; {outcome}")
    };
    Basis::new(rule, "", arithmetic)
}
