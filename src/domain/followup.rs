//! The monthly follow-up (issue 22): what each measure counts, the housing
//! ladder's order, the rule against small cells, and the rent-arrears
//! plans' month, which follows from the plans' own rules
//! ([`rent_plan::tracking::status_on`](super::rent_plan::tracking::status_on)).
//!
//! The store counts (set-based SQL, [`MonthFacts`]); this module turns the
//! counts into [`Measure`]s, each with its code, definition and the number
//! of cases behind it, and says which may be shown: no figure resting on
//! fewer than [`MIN_CELL`] cases leaves the service.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::calendar::YearMonth;
use super::error::DomainError;
use super::lease::{ContractType, NoticeResolution};
use super::rent_plan::schedule::{PlanTerms, schedule};
use super::rent_plan::tracking::{InstalmentState, Payment, PlanState, status_on};
use super::rent_plan::{RentChange, RentHistory};

/// The smallest number of cases a published figure may rest on: a count
/// below it, and a sum, median or mean over fewer cases, is suppressed
/// (shown as `<5`), zero included.
pub const MIN_CELL: i64 = 5;

/// The longest range `ListMonthlyFollowUp` answers, in months.
pub const MAX_MONTHS: i32 = 24;

/// The housing ladder, lowest rung first: jourlägenhet, stödboende,
/// socialt kontrakt, bostad först, försöks-/träningslägenhet,
/// förstahandskontrakt (the order of issue 22). An andrahandskontrakt
/// (`SecondHand`) is no rung: a move to or from it is no move on the ladder.
pub const LADDER: [ContractType; 6] = [
    ContractType::Emergency,
    ContractType::Supported,
    ContractType::Social,
    ContractType::HousingFirst,
    ContractType::Training,
    ContractType::FirstHand,
];

/// A contract type's rung on the ladder, 1 for the lowest; None off it.
pub fn rung(contract: ContractType) -> Option<i64> {
    LADDER
        .iter()
        .position(|c| *c == contract)
        .map(|i| i as i64 + 1)
}

/// What a measure's value is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Count,
    /// Kronor.
    Amount,
    Days,
    Months,
}

/// A median's makings: the number of values, and the sum and number of
/// the middle one or two (SQL gives these; the division is exact here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Middle {
    pub cases: i64,
    pub middle_sum: i64,
    pub middle_count: i64,
}

impl Middle {
    pub fn median(&self) -> Decimal {
        if self.middle_count == 0 {
            return Decimal::ZERO;
        }
        Decimal::from(self.middle_sum) / Decimal::from(self.middle_count)
    }
}

/// Length of stay of one contract type's leases in the month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stay {
    /// Σ months over the leases (`Middle::cases` of them).
    pub total_months: i64,
    pub middle: Middle,
}

/// The month's instalments, by how they were paid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Instalments {
    pub on_time: i64,
    pub late: i64,
    pub partly: i64,
    pub missed: i64,
}

/// The plans' month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanMonth {
    pub started: i64,
    pub completed: i64,
    pub broken: i64,
    pub instalments: Instalments,
}

/// Everything the store counts for a month, over the households of the
/// units asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthFacts {
    pub notices_received: i64,
    /// Per resolution, in [`RESOLUTIONS`] order.
    pub notices_resolved: [i64; 4],
    pub notices_resolved_within_deadline: i64,
    pub notice_days_to_action: Middle,
    pub notice_households_with_children: i64,
    pub plans: PlanMonth,
    /// Rent, arrears: (count, Σ öre).
    pub payouts: [(i64, i64); 2],
    pub payouts_rejected: i64,
    pub payouts_returned: i64,
    /// Paid, partly paid, not paid.
    pub rent_status: [i64; 3],
    pub two_unpaid_months: i64,
    /// Per contract type, in [`ContractType::ALL`] order.
    pub households_by_contract: [i64; 7],
    pub ladder_up: i64,
    pub ladder_down: i64,
    /// Per contract type, in [`ContractType::ALL`] order.
    pub stay: [Stay; 7],
    pub debt_households: i64,
    pub offer_households: i64,
    pub estimate_households: i64,
}

/// The resolutions in the order of [`MonthFacts::notices_resolved`].
pub const RESOLUTIONS: [NoticeResolution; 4] = [
    NoticeResolution::Paid,
    NoticeResolution::PlanAgreed,
    NoticeResolution::Other,
    NoticeResolution::PaidWithinDeadline,
];

/// The payout kinds in the order of [`MonthFacts::payouts`].
pub const PAYOUT_KINDS: [&str; 2] = ["rent", "arrears"];

/// The rent statuses in the order of [`MonthFacts::rent_status`].
pub const RENT_STATUSES: [&str; 3] = ["paid", "partially_paid", "not_paid"];

/// One figure of the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub code: &'static str,
    pub dimension: &'static str,
    pub kind: ValueKind,
    value: Decimal,
    cases: i64,
}

impl Measure {
    fn count(code: &'static str, dimension: &'static str, n: i64) -> Measure {
        Measure {
            code,
            dimension,
            kind: ValueKind::Count,
            value: Decimal::from(n),
            cases: n,
        }
    }

    /// The value and the cases behind it, when at least [`MIN_CELL`]
    /// cases are; None (suppressed) otherwise.
    pub fn published(&self) -> Option<(Decimal, i64)> {
        (self.cases >= MIN_CELL).then_some((self.value, self.cases))
    }

    /// What the measure counts (English, for the wire).
    pub fn definition(&self) -> &'static str {
        definition(self.code)
    }
}

/// Each measure's definition, by code.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "notices_received",
        "Eviction-risk notices (underrättelser, JB 12:44) served in the month.",
    ),
    (
        "notices_resolved",
        "Eviction-risk notices resolved in the month, by resolution.",
    ),
    (
        "notices_resolved_within_deadline",
        "Eviction-risk notices resolved in the month on or before their deadline.",
    ),
    (
        "notice_days_to_first_action_median",
        "For notices served in the month: the median number of days from the day served to the first recorded action, the earliest of the notice's resolution, a rent-arrears plan created on its lease, and an arrears payout or receipt on its lease, each on or after the day served. Notices with no action yet are left out.",
    ),
    (
        "notice_households_with_children",
        "Households with a notice served in the month that have a member with the role child (as the household is registered now).",
    ),
    (
        "plans_started",
        "Rent-arrears plans whose first instalment month is the month.",
    ),
    (
        "plans_completed",
        "Rent-arrears plans every instalment of which was paid by the month's last day but not by the day before the month.",
    ),
    (
        "plans_broken",
        "Rent-arrears plans broken (at least their limit of instalments missed) on the month's last day but not on the day before the month.",
    ),
    (
        "instalments",
        "Plan instalments due in the month (due with the month's rent), by how they stood on the month's last day: on_time (fully paid by the due date), late (fully paid after it), partly (part paid), missed (nothing paid). Instalments not yet due are left out.",
    ),
    (
        "payouts",
        "Direct rent payouts to the landlord dated in the month, by kind, reversed ones left out.",
    ),
    (
        "payouts_sum",
        "The sum in kronor of the direct rent payouts dated in the month, by kind, reversed ones left out.",
    ),
    (
        "payouts_rejected_by_bank",
        "Payouts the bank rejected, by the day the rejection was recorded in the month.",
    ),
    (
        "payouts_returned_by_bank",
        "Payouts the bank returned, by the day the return was recorded in the month.",
    ),
    (
        "rent_status",
        "Households with a lease running in the month (the newest begun by the month and not ended before it) with a rent above zero, by the month's rent: paid (payouts, not reversed, rejected or returned, and the household's own receipts cover it), partially_paid, not_paid (nothing recorded).",
    ),
    (
        "two_unpaid_months",
        "Households whose month's rent and the previous month's rent were both not paid at all (as in rent_status).",
    ),
    (
        "households_by_contract_type",
        "Households by the contract type of their lease running in the month (the newest begun by the month and not ended before it).",
    ),
    (
        "ladder_moves_up",
        "Leases begun in the month whose household's previous lease (the one begun last before it) is on a lower rung of the housing ladder: jourlägenhet (emergency) < stödboende (supported) < socialt kontrakt (social) < bostad först (housing_first) < försöks-/träningslägenhet (training) < förstahandskontrakt (first_hand); an andrahandskontrakt (second_hand) is not on the ladder.",
    ),
    (
        "ladder_moves_down",
        "Leases begun in the month whose household's previous lease is on a higher rung of the housing ladder (as for ladder_moves_up).",
    ),
    (
        "stay_mean_months",
        "For leases that ran in the month (begun by it, not ended before it), by contract type: the mean length of stay in months, from the start month to the end month or, if ongoing, the month, both counted.",
    ),
    ("stay_median_months", "As stay_mean_months, the median."),
    (
        "debt_households",
        "Households with at least one debt registered in the debt register by the month's last day.",
    ),
    (
        "debt_offer_households",
        "Households for which a debt overview with its pro-rata offer to the creditors was produced in the month. Offers are calculated, not stored: counted from the audit trail (GetDebtOverview answered OK).",
    ),
    (
        "skuldsanering_estimate_households",
        "Households for which a skuldsanering estimate was made in the month. Estimates are calculated, not stored: counted from the audit trail (EstimateDebtRestructuring answered OK).",
    ),
];

/// The definition of a measure code ("" for an unknown one).
pub fn definition(code: &str) -> &'static str {
    DEFINITIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, d)| *d)
        .unwrap_or("")
}

/// The month's measures, in a fixed order.
pub fn measures(f: &MonthFacts) -> Vec<Measure> {
    let mut m = vec![Measure::count("notices_received", "", f.notices_received)];
    for (r, n) in RESOLUTIONS.iter().zip(f.notices_resolved) {
        m.push(Measure::count("notices_resolved", r.as_str(), n));
    }
    m.push(Measure::count(
        "notices_resolved_within_deadline",
        "",
        f.notices_resolved_within_deadline,
    ));
    m.push(Measure {
        code: "notice_days_to_first_action_median",
        dimension: "",
        kind: ValueKind::Days,
        value: f.notice_days_to_action.median(),
        cases: f.notice_days_to_action.cases,
    });
    m.push(Measure::count(
        "notice_households_with_children",
        "",
        f.notice_households_with_children,
    ));
    m.push(Measure::count("plans_started", "", f.plans.started));
    m.push(Measure::count("plans_completed", "", f.plans.completed));
    m.push(Measure::count("plans_broken", "", f.plans.broken));
    let i = f.plans.instalments;
    for (dimension, n) in [
        ("on_time", i.on_time),
        ("late", i.late),
        ("partly", i.partly),
        ("missed", i.missed),
    ] {
        m.push(Measure::count("instalments", dimension, n));
    }
    for (kind, (count, _)) in PAYOUT_KINDS.iter().zip(f.payouts) {
        m.push(Measure::count("payouts", kind, count));
    }
    for (kind, (count, ore)) in PAYOUT_KINDS.iter().zip(f.payouts) {
        m.push(Measure {
            code: "payouts_sum",
            dimension: kind,
            kind: ValueKind::Amount,
            value: Decimal::new(ore, 2),
            cases: count,
        });
    }
    m.push(Measure::count(
        "payouts_rejected_by_bank",
        "",
        f.payouts_rejected,
    ));
    m.push(Measure::count(
        "payouts_returned_by_bank",
        "",
        f.payouts_returned,
    ));
    for (status, n) in RENT_STATUSES.iter().zip(f.rent_status) {
        m.push(Measure::count("rent_status", status, n));
    }
    m.push(Measure::count("two_unpaid_months", "", f.two_unpaid_months));
    for (c, n) in ContractType::ALL.iter().zip(f.households_by_contract) {
        m.push(Measure::count("households_by_contract_type", c.as_str(), n));
    }
    m.push(Measure::count("ladder_moves_up", "", f.ladder_up));
    m.push(Measure::count("ladder_moves_down", "", f.ladder_down));
    for (c, s) in ContractType::ALL.iter().zip(f.stay) {
        let mean = if s.middle.cases == 0 {
            Decimal::ZERO
        } else {
            (Decimal::from(s.total_months) / Decimal::from(s.middle.cases)).round_dp(2)
        };
        m.push(Measure {
            code: "stay_mean_months",
            dimension: c.as_str(),
            kind: ValueKind::Months,
            value: mean,
            cases: s.middle.cases,
        });
        m.push(Measure {
            code: "stay_median_months",
            dimension: c.as_str(),
            kind: ValueKind::Months,
            value: s.middle.median(),
            cases: s.middle.cases,
        });
    }
    m.push(Measure::count("debt_households", "", f.debt_households));
    m.push(Measure::count(
        "debt_offer_households",
        "",
        f.offer_households,
    ));
    m.push(Measure::count(
        "skuldsanering_estimate_households",
        "",
        f.estimate_households,
    ));
    m
}

/// One stored plan, as the follow-up reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFacts {
    pub terms: PlanTerms,
    pub rents: Vec<RentChange>,
    pub payments: Vec<Payment>,
    pub broken_after: u32,
}

/// The plans' month: started, completed and broken in it, and the
/// instalments due in it, by the plans' own rules as of `as_of` (the
/// month's last day, or today when that is earlier). A plan whose terms no
/// longer make a schedule (its lease's rent history changed under it) is
/// an error, as it is for `GetRentPaymentPlan`.
pub fn plan_month(
    plans: &[PlanFacts],
    month: YearMonth,
    as_of: NaiveDate,
) -> Result<PlanMonth, DomainError> {
    let mut out = PlanMonth::default();
    let before = month.first_day().pred_opt().unwrap_or(month.first_day());
    for plan in plans {
        if plan.terms.start == month {
            out.started += 1;
        }
        let history = RentHistory::new(plan.rents.clone(), "rents")?;
        let sched = schedule(&plan.terms, &history, "terms")?;
        let now = status_on(&sched, &plan.payments, as_of, plan.broken_after)?;
        let then = status_on(&sched, &plan.payments, before, plan.broken_after)?;
        if now.state == PlanState::Completed && then.state != PlanState::Completed {
            out.completed += 1;
        }
        if now.state == PlanState::Broken && then.state != PlanState::Broken {
            out.broken += 1;
        }
        for st in now.instalments.iter().filter(|i| i.month == month) {
            let i = &mut out.instalments;
            match st.state {
                InstalmentState::Paid if st.paid_on.is_some_and(|d| d <= st.due_date) => {
                    i.on_time += 1
                }
                InstalmentState::Paid => i.late += 1,
                InstalmentState::Missed if st.paid.is_positive() => i.partly += 1,
                InstalmentState::Missed => i.missed += 1,
                // Not yet due on `as_of`.
                InstalmentState::PartiallyPaid | InstalmentState::Upcoming => {}
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
