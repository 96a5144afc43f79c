//! Payments settle debts (issue 18): which hyresskuld debt a rent-arrears
//! payment pays down, the event it records there, and the opposite event
//! when the payout is reversed.
//!
//! - The debt: the household's hyresskuld debts to the lease's landlord
//!   (same organisationsnummer) that are not settled are the candidates. A
//!   debt the payment's plan names is taken when it is a candidate; with no
//!   debt named, the only candidate is taken. Several candidates and none
//!   named, or a named debt that is no candidate: no debt, no event (the
//!   payment is still recorded; a case worker names the debt on the plan).
//! - The event: a payment of the amount paid, at most the balance (a debt
//!   never goes below zero); a balance of zero after it settles the debt
//!   ([`super::apply_event`]).
//! - The reversal: the opposite of the change the payout recorded, as a
//!   correction; a debt the payment had settled is active again.

use uuid::Uuid;

use super::{AppliedEvent, Debt, DebtEventKind, DebtStatus};
use crate::domain::money::Money;

/// The debt a payment settles, from the candidates and the debt the
/// payment's plan names.
pub fn settling_debt(candidates: &[Uuid], named: Option<Uuid>) -> Option<Uuid> {
    match named {
        Some(id) => candidates.contains(&id).then_some(id),
        None => match candidates {
            [only] => Some(*only),
            _ => None,
        },
    }
}

/// A payment of `amount` on a debt that is not settled: its change (at most
/// the balance) and what it leaves. `None` when it changes nothing (a zero
/// balance or amount).
pub fn payment_event(debt: &Debt, amount: Money) -> Option<(DebtEventKind, AppliedEvent)> {
    if debt.terms.status == DebtStatus::Settled || debt.balance.is_zero() || !amount.is_positive() {
        return None;
    }
    let paid = amount.min(debt.balance);
    let balance = debt.balance - paid;
    Some((
        DebtEventKind::Payment,
        AppliedEvent {
            change: Money::ZERO - paid,
            balance,
            status: if balance.is_zero() {
                DebtStatus::Settled
            } else {
                debt.terms.status
            },
        },
    ))
}

/// The opposite of a payment's recorded `change` (negative) when its payout
/// is reversed: the balance back up, and a debt settled by it active again.
pub fn reversal_event(debt: &Debt, change: Money) -> (DebtEventKind, AppliedEvent) {
    let back = Money::ZERO - change;
    (
        DebtEventKind::Correction,
        AppliedEvent {
            change: back,
            balance: debt.balance + back,
            status: match debt.terms.status {
                DebtStatus::Settled if !back.is_zero() => DebtStatus::Active,
                status => status,
            },
        },
    )
}
