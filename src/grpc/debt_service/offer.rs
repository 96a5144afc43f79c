//! The overview's offer: the amount left for the non-priority creditors
//! (given, or the budget surplus less what is paid first) and its split.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use tonic::Status;
use uuid::Uuid;

use crate::app::App;
use crate::domain::audit::RecordKind;
use crate::domain::calendar::YearMonth;
use crate::domain::debt::offer::{
    Commitment, PlanDebt, ProRataInput, RoomInput, available_for_offer, paid_through_plan,
    pro_rata_offer,
};
use crate::domain::debt::{Debt, DebtBalance, is_priority};
use crate::domain::explain::{Basis, Line};
use crate::domain::identity::OrganisationNumber;
use crate::domain::lease::Lease;
use crate::domain::money::Money;
use crate::domain::rent_plan::RentPlan;
use crate::domain::rent_plan::tracking::PlanState;
use crate::grpc::audit::AuditCall;
use crate::grpc::convert::debts::offer_share_to_pb;
use crate::grpc::convert::plans::plan_status;
use crate::pb;

/// What the household can give its non-priority creditors each month: the
/// amount given, else the surplus of its latest saved budget less the
/// agreed payments of its open priority debts and the instalments of its
/// active plans that fall due in the month of `on` ([`available_for_offer`]).
/// The basis comes with the stable code of its rule, for a client to word
/// it: `OFFER_AMOUNT_GIVEN`, `OFFER_NO_BUDGET` or `OFFER_ROOM`.
pub(super) async fn available(
    app: &App,
    audit: &AuditCall,
    household_id: Uuid,
    open: &[&Debt],
    on: NaiveDate,
    given: Option<Money>,
    warnings: &mut Vec<String>,
) -> Result<(Money, Basis, &'static str, Vec<Line>), Status> {
    if let Some(amount) = given {
        let basis = Basis::new(
            "the monthly amount for creditors, as given",
            "the request",
            amount.display_kr(),
        );
        let line = Line {
            label: "tillgängligt för borgenärer utan förtur (angivet)".to_owned(),
            amount,
            basis: basis.clone(),
        };
        return Ok((amount, basis, "OFFER_AMOUNT_GIVEN", vec![line]));
    }
    let latest = app
        .store
        .list_budgets(household_id, None, 1)
        .await?
        .items
        .into_iter()
        .next();
    let Some(budget) = latest else {
        warnings.push(
            "the household has no saved budget: give available_monthly_amount for an offer"
                .to_owned(),
        );
        let basis = Basis::new("no saved budget and no amount given", "", "0");
        let line = Line {
            label: "tillgängligt för borgenärer utan förtur".to_owned(),
            amount: Money::ZERO,
            basis: basis.clone(),
        };
        return Ok((Money::ZERO, basis, "OFFER_NO_BUDGET", vec![line]));
    };
    let (instalments, plan_debts) = instalments(app, audit, household_id, on).await?;
    let priority_payments = open
        .iter()
        .filter(|d| is_priority(d.terms.kind, d.terms.status))
        .filter(|d| d.terms.agreed_monthly_payment.is_positive())
        .map(|d| {
            let creditor = d.terms.creditor_organisation_number.as_ref();
            let plan = plan_debts
                .iter()
                .find(|(pays, _)| paid_through_plan(d.id, d.terms.kind, creditor, pays))
                .map(|(_, plan)| format!("avbetalningsplan {plan}"));
            Commitment {
                label: format!(
                    "avtalad betalning, {} ({})",
                    d.terms.kind.label(),
                    d.terms.creditor_name
                ),
                source: format!("skuld {}", d.id),
                amount: d.terms.agreed_monthly_payment,
                paid_by_plan: plan,
            }
        })
        .collect();
    let room = available_for_offer(&RoomInput {
        surplus: budget.result.surplus,
        surplus_source: format!("budget {} för {}", budget.id, budget.result.month),
        priority_payments,
        instalments,
    });
    Ok((room.amount, room.basis, "OFFER_ROOM", room.lines))
}

/// The instalments falling due in the month of `on` (each with its month's
/// rent, on the last vardag before that month) of the household's plans that
/// are on track or behind on `on` (a completed plan asks nothing more, a broken
/// one is no longer an agreement), and what each such plan pays (its lease's
/// landlord and the debt it names) with the plan. Each plan read is recorded for the trail.
async fn instalments(
    app: &App,
    audit: &AuditCall,
    household_id: Uuid,
    on: NaiveDate,
) -> Result<(Vec<Commitment>, Vec<(PlanDebt, Uuid)>), Status> {
    let month = YearMonth::of(on);
    let mut plans: Vec<RentPlan> = Vec::new();
    let mut after = None;
    loop {
        let page = app.store.list_rent_plans(household_id, after, 500).await?;
        after = page.items.last().map(|p| p.id);
        plans.extend(page.items);
        if page.next.is_none() {
            break;
        }
    }
    let mut leases: HashMap<Uuid, Lease> = HashMap::new();
    let mut landlords: HashMap<Uuid, OrganisationNumber> = HashMap::new();
    let mut commitments = Vec::new();
    let mut plan_debts = Vec::new();
    for plan in &plans {
        let id = plan.draft.lease_id;
        let lease = match leases.entry(id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(app.store.get_lease(id).await?),
        };
        let (sched, status) = plan_status(plan, &lease.rents, on)?;
        if !matches!(status.state, PlanState::OnTrack | PlanState::Behind) {
            continue;
        }
        audit.record(RecordKind::Plan, plan.id);
        let landlord_id = lease.draft.landlord_id;
        let landlord = match landlords.entry(landlord_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(
                app.store
                    .get_landlord(landlord_id)
                    .await?
                    .draft
                    .organisation_number,
            ),
        };
        plan_debts.push((
            PlanDebt {
                landlord: landlord.clone(),
                debt_id: plan.draft.debt_id,
            },
            plan.id,
        ));
        let due = sched
            .instalments
            .iter()
            .find(|i| YearMonth::of(i.due_date) == month);
        if let Some(instalment) = due {
            commitments.push(Commitment {
                label: format!(
                    "avbetalning på hyresskuld för {}, förfaller {}",
                    instalment.month, instalment.due_date
                ),
                source: format!("avbetalningsplan {}", plan.id),
                amount: instalment.instalment,
                paid_by_plan: None,
            });
        }
    }
    Ok((commitments, plan_debts))
}

/// The pro-rata offer of `available` a month on the non-priority debts.
pub(super) fn offer(
    available: Money,
    other: &[&Debt],
    warnings: &mut Vec<String>,
) -> Result<Vec<pb::OfferShare>, Status> {
    if available.is_zero() {
        return Ok(Vec::new());
    }
    let input = ProRataInput {
        available,
        debts: other
            .iter()
            .map(|d| DebtBalance {
                debt_id: d.id,
                balance: d.balance,
            })
            .collect(),
    };
    let names: HashMap<Uuid, &str> = other
        .iter()
        .map(|d| (d.id, d.terms.creditor_name.as_str()))
        .collect();
    let Some(offer) = pro_rata_offer(&input, "offer")? else {
        warnings
            .push("no non-priority debt has a balance: there is nothing to offer on".to_owned());
        return Ok(Vec::new());
    };
    Ok(offer
        .shares
        .into_iter()
        .map(|s| {
            let creditor = names.get(&s.debt_id).copied().unwrap_or("");
            offer_share_to_pb(s, creditor)
        })
        .collect())
}
