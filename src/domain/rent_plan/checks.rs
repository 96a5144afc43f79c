//! A plan checked against the case before it is agreed: can the budget
//! carry its instalment, and does its first instalment fall due before the
//! deadline of an open eviction-risk notice on the lease (JB 12:44,
//! docs/sources.md §4.2)? A plan that fails a check can still be made; the
//! check warns with the figures it compared, and a passing check says so.

use chrono::NaiveDate;
use uuid::Uuid;

use super::schedule::Schedule;
use crate::domain::calendar::YearMonth;
use crate::domain::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanCheckKind {
    /// The largest instalment against the budget surplus.
    Surplus,
    /// The first instalment's due date against an open notice's deadline.
    NoticeDeadline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanCheckOutcome {
    Passed,
    /// The plan can be made, but may not hold: the message says why.
    Warning,
    /// Nothing to check against.
    NotChecked,
}

/// One check, with the figures it compared and a message that repeats them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCheck {
    pub kind: PlanCheckKind,
    pub outcome: PlanCheckOutcome,
    pub message: String,
    pub instalment: Option<Money>,
    pub surplus: Option<Money>,
    pub budget_id: Option<Uuid>,
    pub first_due_date: Option<NaiveDate>,
    pub notice_id: Option<Uuid>,
    pub notice_deadline: Option<NaiveDate>,
}

impl PlanCheck {
    fn new(kind: PlanCheckKind, outcome: PlanCheckOutcome, message: String) -> Self {
        PlanCheck {
            kind,
            outcome,
            message,
            instalment: None,
            surplus: None,
            budget_id: None,
            first_due_date: None,
            notice_id: None,
            notice_deadline: None,
        }
    }
}

/// The surplus of the household's latest saved budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetSurplus {
    pub budget_id: Uuid,
    pub month: YearMonth,
    /// Negative for a deficit.
    pub surplus: Money,
}

/// An unresolved eviction-risk notice on the plan's lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenNotice {
    pub id: Uuid,
    /// The last day to pay and keep the home.
    pub deadline: NaiveDate,
}

/// The largest instalment (the first, by both splitting rules) against the
/// surplus: it warns when the instalment is larger ("instalment 6 000 >
/// surplus 4 937"), passes when it is not, and is not checked without a
/// saved budget.
pub fn surplus_check(schedule: &Schedule, budget: Option<BudgetSurplus>) -> PlanCheck {
    let instalment = schedule.largest_instalment();
    let Some(budget) = budget else {
        let mut check = PlanCheck::new(
            PlanCheckKind::Surplus,
            PlanCheckOutcome::NotChecked,
            "no saved budget: the instalment is not checked against a surplus".to_owned(),
        );
        check.instalment = Some(instalment);
        return check;
    };
    let figures = format!(
        "instalment {} {} surplus {} (budget for {})",
        instalment.display_kr(),
        if instalment > budget.surplus {
            ">"
        } else {
            "≤"
        },
        budget.surplus.display_kr(),
        budget.month
    );
    let (outcome, message) = if instalment > budget.surplus {
        (
            PlanCheckOutcome::Warning,
            format!("{figures}: the plan can be made, but the budget does not cover it"),
        )
    } else {
        (
            PlanCheckOutcome::Passed,
            format!("{figures}: the budget covers the instalment"),
        )
    };
    let mut check = PlanCheck::new(PlanCheckKind::Surplus, outcome, message);
    check.instalment = Some(instalment);
    check.surplus = Some(budget.surplus);
    check.budget_id = Some(budget.budget_id);
    check
}

/// The first instalment's due date against each open notice's deadline, in
/// the order given: it warns when the instalment falls due after the
/// deadline ("first instalment due 2027-01-29, notice deadline
/// 2026-12-22"), passes when it falls due on or before it; one passing
/// check when the lease has no open notice.
pub fn notice_checks(schedule: &Schedule, notices: &[OpenNotice]) -> Vec<PlanCheck> {
    let first_due = schedule.instalments.first().map(|i| i.due_date);
    if notices.is_empty() {
        let mut check = PlanCheck::new(
            PlanCheckKind::NoticeDeadline,
            PlanCheckOutcome::Passed,
            "no open eviction notice on the lease".to_owned(),
        );
        check.first_due_date = first_due;
        return vec![check];
    }
    let Some(first_due) = first_due else {
        return Vec::new();
    };
    notices
        .iter()
        .map(|notice| {
            let figures = format!(
                "first instalment due {first_due}, notice deadline {}",
                notice.deadline
            );
            let (outcome, message) = if first_due > notice.deadline {
                (
                    PlanCheckOutcome::Warning,
                    format!(
                        "{figures}: the first instalment falls due after the last day to pay \
                         and keep the home (JB 12:44)"
                    ),
                )
            } else {
                (
                    PlanCheckOutcome::Passed,
                    format!("{figures}: the first instalment falls due by the deadline"),
                )
            };
            let mut check = PlanCheck::new(PlanCheckKind::NoticeDeadline, outcome, message);
            check.first_due_date = Some(first_due);
            check.notice_id = Some(notice.id);
            check.notice_deadline = Some(notice.deadline);
            check
        })
        .collect()
}

/// Every check of a plan: the surplus, then each open notice.
pub fn plan_checks(
    schedule: &Schedule,
    budget: Option<BudgetSurplus>,
    notices: &[OpenNotice],
) -> Vec<PlanCheck> {
    let mut checks = vec![surplus_check(schedule, budget)];
    checks.extend(notice_checks(schedule, notices));
    checks
}

/// The messages of the checks that warn, in order.
pub fn check_warnings(checks: &[PlanCheck]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c.outcome == PlanCheckOutcome::Warning)
        .map(|c| c.message.clone())
        .collect()
}
