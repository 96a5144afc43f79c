//! Rent payment plans: terms in, schedules, instalment states and stored
//! plans with their status out.

use chrono::NaiveDate;
use tonic::Status;
use uuid::Uuid;

use super::{basis_to_pb, day, money_non_negative, money_to_pb, month, timestamp};
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::lease::Lease;
use crate::domain::money::Money;
use crate::domain::rent_plan::checks::{PlanCheck, PlanCheckKind, PlanCheckOutcome};
use crate::domain::rent_plan::schedule::{Instalment, PlanTerms, Schedule};
use crate::domain::rent_plan::tracking::{
    InstalmentState, InstalmentStatus, PlanState, PlanStatus,
};
use crate::domain::rent_plan::{
    PlanLength, PlanPaymentSource, RentChange, RentHistory, RentPlan, RentPlanDraft,
};
use crate::pb;

/// Missed instalments that break a plan unless the plan says otherwise.
pub const DEFAULT_BROKEN_AFTER: u32 = 2;

pub fn rent_history(lease: &Lease) -> Result<RentHistory, Status> {
    history_of(&lease.rents)
}

pub fn history_of(rents: &[(YearMonth, Money)]) -> Result<RentHistory, Status> {
    let changes = rents
        .iter()
        .map(|(from, amount)| RentChange {
            from: *from,
            amount: *amount,
        })
        .collect();
    Ok(RentHistory::new(changes, "lease.rent_history")?)
}

/// Parses wire plan terms; the domain checks the rest (`terms.…`).
pub fn plan_terms(terms: Option<pb::PlanTerms>, v: &mut Violations) -> Option<PlanTerms> {
    let Some(pb::PlanTerms {
        arrears,
        start_month,
        length,
    }) = terms
    else {
        v.add("terms", "REQUIRED", "required");
        return None;
    };
    let arrears = money_non_negative("terms.arrears", arrears.as_ref(), v);
    let start = month("terms.start_month", &start_month, v);
    let (instalment, months) = match length {
        Some(pb::plan_terms::Length::Instalment(m)) => (
            money_non_negative("terms.instalment", Some(&m), v).map(Some),
            Some(None),
        ),
        Some(pb::plan_terms::Length::Months(n)) => match u32::try_from(n) {
            Ok(n) => (Some(None), Some(Some(n))),
            Err(_) => {
                v.add("terms.months", "NEGATIVE", "must not be negative");
                (Some(None), None)
            }
        },
        None => (Some(None), Some(None)),
    };
    Some(PlanTerms {
        arrears: arrears?,
        start: start?,
        instalment: instalment?,
        months: months?,
    })
}

pub fn plan_length(terms: &PlanTerms) -> Option<PlanLength> {
    match (terms.instalment, terms.months) {
        (Some(amount), None) => Some(PlanLength::Instalment(amount)),
        (None, Some(n)) => Some(PlanLength::Months(n)),
        _ => None,
    }
}

pub fn instalment_state_to_pb(s: InstalmentState) -> pb::InstalmentState {
    match s {
        InstalmentState::Paid => pb::InstalmentState::Paid,
        InstalmentState::PartiallyPaid => pb::InstalmentState::PartiallyPaid,
        InstalmentState::Missed => pb::InstalmentState::Missed,
        InstalmentState::Upcoming => pb::InstalmentState::Upcoming,
    }
}

pub fn plan_state_to_pb(s: PlanState) -> pb::PlanState {
    match s {
        PlanState::OnTrack => pb::PlanState::OnTrack,
        PlanState::Behind => pb::PlanState::Behind,
        PlanState::Completed => pb::PlanState::Completed,
        PlanState::Broken => pb::PlanState::Broken,
    }
}

pub fn schedule_to_pb(schedule: &Schedule) -> Vec<pb::PlanInstalment> {
    schedule
        .instalments
        .iter()
        .map(|i| pb::PlanInstalment {
            number: i32::try_from(i.number).unwrap_or(i32::MAX),
            month: i.month.to_string(),
            due_date: day(i.due_date),
            ordinary_rent: money_to_pb(i.ordinary_rent),
            instalment: money_to_pb(i.instalment),
            total_due: money_to_pb(i.total_due),
            basis: basis_to_pb(i.basis.clone()),
            paid: None,
            state: pb::InstalmentState::Unspecified as i32,
        })
        .collect()
}

pub fn terms_to_pb(d: &RentPlanDraft) -> pb::PlanTerms {
    pb::PlanTerms {
        arrears: money_to_pb(d.arrears),
        start_month: d.start.to_string(),
        length: Some(match d.length {
            PlanLength::Instalment(m) => pb::plan_terms::Length::Instalment(pb::Money {
                amount: m.to_wire(),
            }),
            PlanLength::Months(n) => {
                pb::plan_terms::Length::Months(i32::try_from(n).unwrap_or(i32::MAX))
            }
        }),
    }
}

pub fn plan_payment_source_to_pb(s: PlanPaymentSource) -> pb::PlanPaymentSource {
    match s {
        PlanPaymentSource::Plan => pb::PlanPaymentSource::Plan,
        PlanPaymentSource::Payout => pb::PlanPaymentSource::Payout,
        PlanPaymentSource::Receipt => pb::PlanPaymentSource::Receipt,
    }
}

/// A stored plan's schedule and its status on `on`
/// ([`crate::domain::rent_plan::plan_status`]).
pub fn plan_status(
    plan: &RentPlan,
    rents: &[(YearMonth, Money)],
    on: NaiveDate,
) -> Result<(Schedule, PlanStatus), Status> {
    Ok(crate::domain::rent_plan::plan_status(plan, rents, on)?)
}

/// A stored plan with its schedule and each instalment's state on `on`.
pub fn plan_to_pb(
    plan: &RentPlan,
    lease: &Lease,
    on: NaiveDate,
    warnings: Vec<String>,
) -> Result<pb::RentPaymentPlan, Status> {
    let d = &plan.draft;
    let (sched, status) = plan_status(plan, &lease.rents, on)?;
    let mut instalments = schedule_to_pb(&sched);
    for (wire, st) in instalments.iter_mut().zip(&status.instalments) {
        wire.paid = money_to_pb(st.paid);
        wire.state = instalment_state_to_pb(st.state) as i32;
    }
    Ok(pb::RentPaymentPlan {
        id: plan.id.to_string(),
        lease_id: d.lease_id.to_string(),
        household_id: plan.household_id.to_string(),
        terms: Some(terms_to_pb(d)),
        broken_after_missed: i32::try_from(d.broken_after).unwrap_or(i32::MAX),
        instalments,
        payments: plan
            .payments
            .iter()
            .map(|p| pb::PlanPayment {
                id: p.id.to_string(),
                date: day(p.date),
                amount: money_to_pb(p.amount),
                recorded_by: p.recorded_by.clone(),
                source: plan_payment_source_to_pb(p.source) as i32,
            })
            .collect(),
        status_date: day(on),
        state: plan_state_to_pb(status.state) as i32,
        paid: money_to_pb(status.paid),
        outstanding: money_to_pb(status.outstanding),
        overpaid: money_to_pb(status.overpaid),
        warnings,
        created_by: plan.created_by.clone(),
        create_time: Some(timestamp(plan.created_at)),
        debt_id: d.debt_id.map(|id| id.to_string()).unwrap_or_default(),
    })
}

/// How many missed instalments break a plan: the default when 0.
pub fn broken_after(field: &str, raw: i32, v: &mut Violations) -> Option<u32> {
    match raw {
        0 => Some(DEFAULT_BROKEN_AFTER),
        n => match u32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                v.add(field, "NOT_POSITIVE", "must be at least 1");
                None
            }
        },
    }
}

/// The instalment of a plan that falls in a checked month, with its state
/// and the plan's.
pub fn plan_instalment_check_to_pb(
    plan_id: Uuid,
    plan_state: PlanState,
    instalment: &Instalment,
    state: &InstalmentStatus,
) -> pb::PlanInstalmentCheck {
    pb::PlanInstalmentCheck {
        plan_id: plan_id.to_string(),
        plan_state: plan_state_to_pb(plan_state) as i32,
        number: i32::try_from(instalment.number).unwrap_or(i32::MAX),
        month: instalment.month.to_string(),
        due_date: instalment.due_date.to_string(),
        instalment: money_to_pb(instalment.instalment),
        paid: money_to_pb(state.paid),
        state: instalment_state_to_pb(state.state) as i32,
    }
}

pub fn plan_check_to_pb(c: PlanCheck) -> pb::PlanCheck {
    let PlanCheck {
        kind,
        outcome,
        message,
        instalment,
        surplus,
        budget_id,
        first_due_date,
        notice_id,
        notice_deadline,
    } = c;
    let text = |v: Option<String>| v.unwrap_or_default();
    pb::PlanCheck {
        kind: match kind {
            PlanCheckKind::Surplus => pb::PlanCheckKind::Surplus,
            PlanCheckKind::NoticeDeadline => pb::PlanCheckKind::NoticeDeadline,
        } as i32,
        outcome: match outcome {
            PlanCheckOutcome::Passed => pb::PlanCheckOutcome::Passed,
            PlanCheckOutcome::Warning => pb::PlanCheckOutcome::Warning,
            PlanCheckOutcome::NotChecked => pb::PlanCheckOutcome::NotChecked,
        } as i32,
        message,
        instalment: instalment.and_then(money_to_pb),
        surplus: surplus.and_then(money_to_pb),
        budget_id: text(budget_id.map(|id| id.to_string())),
        first_due_date: text(first_due_date.map(|d| d.to_string())),
        notice_id: text(notice_id.map(|id| id.to_string())),
        notice_deadline: text(notice_deadline.map(|d| d.to_string())),
    }
}
