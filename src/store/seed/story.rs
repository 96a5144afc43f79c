//! What happens to one synthetic household beyond its rent, for the
//! monthly follow-up: a child in the household, its contract type, a move
//! to a lease of another type, an eviction-risk notice, its resolution and
//! a rent-arrears plan with its payments. Drawn from a generator of its
//! own, so the rent ledger's draws (and the rent-check benchmark's data)
//! are the same as before these were added.

use chrono::{Duration, NaiveDate};

use super::SeedPlan;
use crate::domain::calendar::YearMonth;
use crate::domain::lease::ContractType;
use crate::domain::money::Money;
use crate::domain::rent_plan::schedule::{PlanTerms, schedule};
use crate::domain::rent_plan::{RentChange, RentHistory, eviction_notice_deadline};

/// Share of households with a child.
const CHILD_SHARE: f64 = 0.25;

pub(super) struct Story {
    /// A child's birth date.
    pub child: Option<NaiveDate>,
    pub first: ContractType,
    /// The month the household moves in, the new lease's type and rent.
    pub moved: Option<(YearMonth, ContractType, i64)>,
    pub notice: Option<Notice>,
}

pub(super) struct Notice {
    pub served: NaiveDate,
    pub deadline: NaiveDate,
    /// Resolution and day, when resolved by the seed's today.
    pub resolved: Option<(&'static str, NaiveDate)>,
    pub plan: Option<Plan>,
}

pub(super) struct Plan {
    pub start: YearMonth,
    pub months: u32,
    /// The day the plan was agreed.
    pub agreed: NaiveDate,
    /// Payments (day, öre), none after the seed's today.
    pub payments: Vec<(NaiveDate, i64)>,
}

/// One household's story. `months` is the ledger's window, `start` the
/// first lease's start month, `rent` its rent in öre.
pub(super) fn draw(
    rng: &mut fastrand::Rng,
    plan: &SeedPlan,
    months: &[YearMonth],
    start: YearMonth,
    rent: i64,
    today: NaiveDate,
) -> Story {
    let child = (rng.f64() < CHILD_SHARE).then(|| {
        NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default()
            + Duration::days(i64::from(rng.u32(0..5_000)))
    });
    let types = ContractType::ALL;
    let first = types[rng.usize(..types.len())];
    let mover = rng.f64() < plan.move_share && months.len() >= 2;
    let moved = mover.then(|| {
        let month = months[rng.usize(1..months.len())];
        let others: Vec<ContractType> = types.into_iter().filter(|t| *t != first).collect();
        let kind = others[rng.usize(..others.len())];
        (month, kind, i64::from(rng.u32(4_000..=12_000)) * 100)
    });
    let served = (!mover && !months.is_empty() && rng.f64() < plan.notice_share)
        .then(|| months[rng.usize(..months.len())].first_day() + Duration::days(rng.i64(0..28)))
        .filter(|served| *served <= today);
    let notice = served.map(|served| notice(rng, served, start, rent, today));
    Story {
        child,
        first,
        moved,
        notice,
    }
}

fn notice(
    rng: &mut fastrand::Rng,
    served: NaiveDate,
    start: YearMonth,
    rent: i64,
    today: NaiveDate,
) -> Notice {
    let draw = rng.f64();
    let day = served + Duration::days(rng.i64(2..45));
    let resolution = if draw < 0.35 {
        Some("paid")
    } else if draw < 0.6 {
        Some("plan_agreed")
    } else if draw < 0.7 {
        Some("other")
    } else {
        None
    };
    let resolved = resolution.filter(|_| day <= today).map(|r| (r, day));
    let plan = match resolved {
        Some(("plan_agreed", agreed)) => arrears_plan(rng, agreed, start, rent, today),
        _ => None,
    };
    Notice {
        served,
        deadline: eviction_notice_deadline(served),
        resolved,
        plan,
    }
}

/// A plan over 3–9 months from the month after it was agreed, for the
/// month's rent owed, and its payments: most instalments on time, some
/// late, some in part, some missed.
fn arrears_plan(
    rng: &mut fastrand::Rng,
    agreed: NaiveDate,
    start: YearMonth,
    rent: i64,
    today: NaiveDate,
) -> Option<Plan> {
    let months = rng.u32(3..=9);
    let first = YearMonth::of(agreed).succ();
    let terms = PlanTerms {
        arrears: Money::from_ore(rent),
        start: first,
        instalment: None,
        months: Some(months),
    };
    let history = RentHistory::new(
        vec![RentChange {
            from: start,
            amount: Money::from_ore(rent),
        }],
        "rents",
    )
    .ok()?;
    let sched = schedule(&terms, &history, "terms").ok()?;
    let mut payments = Vec::new();
    for instalment in &sched.instalments {
        let amount = instalment.instalment.to_ore()?;
        let draw = rng.f64();
        let (day, paid) = if draw < 0.7 {
            (instalment.due_date, amount)
        } else if draw < 0.8 {
            (instalment.due_date + Duration::days(12), amount)
        } else if draw < 0.9 {
            (instalment.due_date, amount / 2)
        } else {
            continue;
        };
        if day <= today && paid > 0 {
            payments.push((day, paid));
        }
    }
    Some(Plan {
        start: first,
        months,
        agreed,
        payments,
    })
}
