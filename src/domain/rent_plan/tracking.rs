//! Tracking a plan: payments applied to the oldest open instalment first,
//! each instalment's state, and the plan's.

use chrono::NaiveDate;

use super::schedule::Schedule;

use super::{DUE_DATE_SOURCE, check_positive_amount};
use crate::domain::calendar::YearMonth;
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::Basis;
use crate::domain::money::Money;

/// A payment towards the arrears (a receipt or a payout of kind arrears).
/// The ordinary rent is not a [`Payment`] here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    pub date: NaiveDate,
    pub amount: Money,
}

/// Where one instalment stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstalmentState {
    /// Fully paid (perhaps late).
    Paid,
    /// Due date not yet passed; part paid.
    PartiallyPaid,
    /// Due date passed and not fully paid; `paid` shows any part paid.
    Missed,
    /// Due date not yet passed; nothing paid.
    Upcoming,
}

impl InstalmentState {
    /// The stable name used in storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            InstalmentState::Paid => "paid",
            InstalmentState::PartiallyPaid => "partially_paid",
            InstalmentState::Missed => "missed",
            InstalmentState::Upcoming => "upcoming",
        }
    }
}

/// Where the whole plan stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanState {
    /// No instalment missed.
    OnTrack,
    /// At least one instalment missed, fewer than the limit for broken.
    Behind,
    /// Every instalment fully paid.
    Completed,
    /// At least `broken_after` instalments missed.
    Broken,
}

impl PlanState {
    /// The stable name used in storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::OnTrack => "on_track",
            PlanState::Behind => "behind",
            PlanState::Completed => "completed",
            PlanState::Broken => "broken",
        }
    }
}

/// One instalment on the date asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalmentStatus {
    pub number: u32,
    pub month: YearMonth,
    pub due_date: NaiveDate,
    /// The instalment (without the ordinary rent).
    pub due: Money,
    /// What the payments counted have paid towards it, 0..=`due`.
    pub paid: Money,
    /// `due − paid`.
    pub outstanding: Money,
    pub state: InstalmentState,
    /// The date of the payment that completed it, when [`InstalmentState::Paid`].
    pub paid_on: Option<NaiveDate>,
}

/// The plan on a date: each instalment, the plan's state and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStatus {
    /// The date the status is for.
    pub on: NaiveDate,
    pub instalments: Vec<InstalmentStatus>,
    pub state: PlanState,
    /// The number of [`InstalmentState::Missed`] instalments.
    pub missed: u32,
    /// Paid towards the instalments: Σ `paid`.
    pub paid: Money,
    /// Left of the arrears: Σ instalments − `paid`.
    pub outstanding: Money,
    /// What the missed instalments still lack: Σ (`due` − `paid`) over them.
    pub overdue: Money,
    /// Paid beyond the last instalment.
    pub overpaid: Money,
    pub basis: Basis,
}

/// Checks payments: `path[i].amount` must be positive whole öre. (A reversed
/// payout is removed by the caller, not sent as a negative payment.)
pub fn check_payments(payments: &[Payment], path: &str) -> Violations {
    let mut v = Violations::new();
    for (i, payment) in payments.iter().enumerate() {
        check_positive_amount(payment.amount, &format!("{path}[{i}].amount"), &mut v);
    }
    v
}

/// The plan's status on `date` (the civil date in Europe/Stockholm that the
/// caller calls today, or any other day asked about).
///
/// Rules, in order:
/// 1. Only payments dated on or before `date` count; they are applied in
///    date order (payments on the same day in the order given, which cannot
///    change any figure) to the oldest instalment not yet fully paid. What a
///    payment has left after filling an instalment goes to the next one;
///    what is left after the last one is `overpaid`.
/// 2. Each instalment is then [`InstalmentState::Paid`] when `paid == due`;
///    otherwise [`InstalmentState::Missed`] when its due date is before
///    `date` (paid on the due date is on time, JB 12:20 "senast"), whether
///    or not part of it was paid — `paid` shows the part;
///    otherwise [`InstalmentState::PartiallyPaid`] when something is paid,
///    else [`InstalmentState::Upcoming`]. A missed instalment that a later
///    payment completes is Paid from that payment's date on (`paid_on` shows
///    it was late).
/// 3. The plan is [`PlanState::Completed`] when every instalment is paid,
///    else [`PlanState::Broken`] when at least `broken_after` instalments
///    are missed, else [`PlanState::Behind`] when at least one is, else
///    [`PlanState::OnTrack`]. The state describes the date asked about: a
///    household that catches up is back on track (whether the landlord has
///    meanwhile ended the agreement is not this module's knowledge).
///
/// Because money goes to the oldest instalment first, a later instalment has
/// something paid only when every earlier one is fully paid. Errors:
/// `payments[i].amount` not positive whole öre, `broken_after` zero.
pub fn status_on(
    schedule: &Schedule,
    payments: &[Payment],
    date: NaiveDate,
    broken_after: u32,
) -> Result<PlanStatus, DomainError> {
    let mut v = check_payments(payments, "payments");
    if broken_after == 0 {
        v.add(
            "broken_after",
            "OUT_OF_RANGE",
            "at least one missed instalment",
        );
    }
    v.finish(())?;

    let mut counted: Vec<&Payment> = payments.iter().filter(|p| p.date <= date).collect();
    counted.sort_by_key(|p| p.date);

    let dues: Vec<Money> = schedule.instalments.iter().map(|i| i.instalment).collect();
    let mut paid = vec![Money::ZERO; dues.len()];
    let mut paid_on: Vec<Option<NaiveDate>> = vec![None; dues.len()];
    let mut open = 0;
    let mut overpaid = Money::ZERO;
    for payment in counted {
        let mut left = payment.amount;
        while left.is_positive() {
            let (Some(due), Some(so_far)) = (dues.get(open), paid.get_mut(open)) else {
                overpaid += left;
                break;
            };
            let take = left.min(*due - *so_far);
            *so_far += take;
            left -= take;
            // `take` may be zero only for an instalment of zero, which is
            // then complete and skipped, so the loop always moves on.
            if *so_far >= *due {
                if let Some(slot) = paid_on.get_mut(open) {
                    *slot = Some(payment.date);
                }
                open += 1;
            }
        }
    }

    let mut instalments = Vec::with_capacity(dues.len());
    let mut missed = 0_u32;
    let mut overdue = Money::ZERO;
    for ((instalment, paid), paid_on) in schedule.instalments.iter().zip(paid).zip(paid_on) {
        let due = instalment.instalment;
        let state = if paid >= due {
            InstalmentState::Paid
        } else if instalment.due_date < date {
            InstalmentState::Missed
        } else if paid.is_positive() {
            InstalmentState::PartiallyPaid
        } else {
            InstalmentState::Upcoming
        };
        if state == InstalmentState::Missed {
            missed += 1;
            overdue += due - paid;
        }
        instalments.push(InstalmentStatus {
            number: instalment.number,
            month: instalment.month,
            due_date: instalment.due_date,
            due,
            paid,
            outstanding: due - paid,
            state,
            paid_on: if state == InstalmentState::Paid {
                paid_on
            } else {
                None
            },
        });
    }

    let total_paid: Money = instalments.iter().map(|i| i.paid).sum();
    let total_due: Money = dues.iter().sum();
    let outstanding = total_due - total_paid;
    let state = if instalments.iter().all(|i| i.state == InstalmentState::Paid) {
        PlanState::Completed
    } else if missed >= broken_after {
        PlanState::Broken
    } else if missed >= 1 {
        PlanState::Behind
    } else {
        PlanState::OnTrack
    };
    let basis = Basis::new(
        "betalningar till och med dagen räknas, äldsta öppna avbetalning först; en avbetalning \
         vars förfallodag har passerat utan att den är betald är missad; planen är bruten vid \
         minst det angivna antalet missade avbetalningar",
        DUE_DATE_SOURCE,
        format!(
            "betalt {} av {}, kvar {}; {missed} missade (bruten vid {broken_after}); \
             förfallet obetalt {}; överbetalt {}",
            total_paid.display_kr(),
            total_due.display_kr(),
            outstanding.display_kr(),
            overdue.display_kr(),
            overpaid.display_kr()
        ),
    );
    Ok(PlanStatus {
        on: date,
        instalments,
        state,
        missed,
        paid: total_paid,
        outstanding,
        overdue,
        overpaid,
        basis,
    })
}
