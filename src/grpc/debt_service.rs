//! `DebtService`: the debt register with its balance history, the overview
//! with priorities and a pro-rata offer, förbehållsbelopp, a skuldsanering
//! estimate and dröjsmålsränta (docs/sources.md §2, §4.3). The rules live in
//! `domain::debt`; this file parses requests, loads what they name, and
//! writes through the store with the audit record.

use std::sync::Arc;

use chrono::NaiveDate;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::debts::{
    Claim, Creditor, MAX_NOTE_CHARS, additions, children, claims, debt_draft, debt_to_pb,
    event_change, event_kind, event_to_pb, housing_allowances, kind_from_pb, late_interest_to_pb,
    pay_off_to_pb, restructuring_to_pb, status_from_pb, total,
};
use super::convert::households::stateless_members;
use super::convert::norms::tables_to_pb;
use super::convert::{self, basis_to_pb, finish, line_to_pb, money_to_pb};
use crate::app::App;
use crate::domain::audit::RecordKind;
use crate::domain::calendar::YearMonth;
use crate::domain::debt::late_interest::{LateInterestInput, late_payment_interest};
use crate::domain::debt::payoff::{explain_payoff, months_to_pay_off};
use crate::domain::debt::protected::{
    Adults, ProtectedAmount, ProtectedAmountInput, garnishable_line, protected_amount,
};
use crate::domain::debt::skuldsanering::{SkuldsaneringInput, skuldsanering_estimate};
use crate::domain::debt::{
    Debt, DebtBalance, DebtEvent, DebtEventKind, DebtKind, DebtStatus, DebtTerms, NewDebtEvent,
    is_priority,
};
use crate::domain::error::{DomainError, Violations};
use crate::domain::household::{Member, Role};
use crate::domain::money::Money;
use crate::domain::norms::{NormKind, in_force};
use crate::pb;
use crate::store::reads_may_lag;
use crate::store::{Idempotency, StoreError};

mod offer;

pub struct DebtApi {
    app: Arc<App>,
}

impl DebtApi {
    pub fn new(app: Arc<App>) -> Self {
        DebtApi { app }
    }

    /// Records a balance change on a debt, audited under its household.
    async fn record(
        &self,
        audit: &AuditCall,
        debt_id: Uuid,
        event: NewDebtEvent,
        idempotency: &Idempotency,
    ) -> Result<(DebtEvent, Debt), Status> {
        let debt = self.app.store.get_debt(debt_id).await?;
        audit.visible(debt.household_id, "debt").await?;
        let recorded = audit
            .write(
                self.app
                    .store
                    .record_debt_event(debt_id, &event, idempotency, audit.entry()),
            )
            .await?;
        Ok(recorded)
    }
}

// ------------------------------------------------------- förbehållsbelopp

/// The members a calculation counts: a saved household's or given inline.
async fn members_of(
    app: &App,
    audit: &AuditCall,
    household_id: &str,
    members: &[pb::Member],
    today: NaiveDate,
    v: &mut Violations,
) -> Result<Option<(Option<Uuid>, Vec<Member>)>, Status> {
    if household_id.is_empty() {
        let parsed = stateless_members("input.members", members, today, v);
        return Ok(parsed.map(|m| (None, m)));
    }
    if !members.is_empty() {
        v.add(
            "input.members",
            "NOT_BOTH",
            "give either household_id or members, not both",
        );
    }
    let Some(id) = convert::uuid("input.household_id", household_id, v) else {
        return Ok(None);
    };
    if !v.is_empty() {
        return Ok(None);
    }
    audit.visible(id, "household").await?;
    let household = app.store.get_household(id).await?;
    Ok(Some((Some(id), household.members)))
}

/// A förbehållsbelopp with the month it is for and the household it was
/// read from, if any.
struct Protected {
    amount: ProtectedAmount,
    month: YearMonth,
    household: Option<Uuid>,
}

/// Parses a `ProtectedAmountInput` and computes the förbehållsbelopp.
/// `v` holds what the caller's own fields recorded, and `own` is their
/// value: both are finished with the input's.
async fn protected<X>(
    app: &App,
    audit: &AuditCall,
    input: Option<pb::ProtectedAmountInput>,
    mut v: Violations,
    own: Option<X>,
) -> Result<(Protected, X), Status> {
    let Some(pb::ProtectedAmountInput {
        month,
        household_id,
        members,
        child_support,
        housing_cost,
        housing_allowances: allowances,
        additions: added,
    }) = input
    else {
        v.add("input", "REQUIRED", "required");
        return Err(DomainError::Invalid(v).into());
    };
    let today = app.clock.today();
    let month = convert::month("input.month", &month, &mut v);
    let housing_cost =
        convert::money_non_negative("input.housing_cost", housing_cost.as_ref(), &mut v);
    let allowances = housing_allowances(&allowances, &mut v);
    let added = additions(&added, &mut v);
    let members = members_of(app, audit, &household_id, &members, today, &mut v).await?;
    let (month, housing_cost, (household, members), own) =
        finish(v, (month, housing_cost, members, own))?;
    let on = month.first_day();
    let mut v = Violations::new();
    let adults = if members.iter().any(|m| m.role == Role::Partner) {
        Adults::Couple
    } else {
        Adults::Single
    };
    let mut warnings = Vec::new();
    let children = children(
        &members,
        household.is_some(),
        &child_support,
        on,
        &mut v,
        &mut warnings,
    );
    v.finish(())?;
    let input = ProtectedAmountInput {
        adults,
        children,
        housing_cost,
        housing_allowances: allowances,
        additions: added,
    };
    let tables = app.norms.all().await?;
    let table = in_force(&tables, NormKind::Normalbelopp, on)?;
    let mut amount = protected_amount(&input, table, "input")?;
    amount.warnings.extend(warnings);
    if members.iter().any(|m| m.role == Role::OtherAdult) {
        amount.warnings.push(
            "other adults in the household are not counted: each has a förbehållsbelopp of their own"
                .to_owned(),
        );
    }
    let protected = Protected {
        amount,
        month,
        household,
    };
    Ok((protected, own))
}

/// Every debt of a household (all pages).
async fn all_debts(app: &App, household_id: Uuid) -> Result<Vec<Debt>, Status> {
    let mut debts = Vec::new();
    let mut after = None;
    loop {
        let page = app
            .store
            .list_debts(household_id, None, None, after, 500)
            .await?;
        after = page.items.last().map(|d| d.id);
        debts.extend(page.items);
        if page.next.is_none() {
            return Ok(debts);
        }
    }
}

/// The creditors of an estimate: the claims given, or else the open debts
/// of the household the input named. A claimed debt must exist and belong
/// to that household.
async fn creditors(
    app: &App,
    audit: &AuditCall,
    claims: Vec<Claim>,
    household: Option<Uuid>,
) -> Result<Vec<Creditor>, Status> {
    let mut creditors = Vec::new();
    if claims.is_empty() {
        let Some(household) = household else {
            return Err(DomainError::invalid(
                "claims",
                "REQUIRED",
                "required when no household is given",
            )
            .into());
        };
        for d in all_debts(app, household).await? {
            if d.terms.status != DebtStatus::Settled && d.balance.is_positive() {
                creditors.push(Creditor {
                    key: d.id,
                    wire_id: d.id.to_string(),
                    name: d.terms.creditor_name.clone(),
                    balance: d.balance,
                });
            }
        }
        return Ok(creditors);
    }
    let mut v = Violations::new();
    for (i, claim) in claims.into_iter().enumerate() {
        match claim {
            Claim::Debt(id) => {
                let debt = match app.store.get_debt(id).await {
                    Ok(debt) => debt,
                    Err(StoreError::NotFound { .. }) => {
                        v.add(format!("claims[{i}].debt_id"), "NOT_FOUND", "no such debt");
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                };
                // Another unit's debt is "no such debt", as a missing one.
                if !audit.sees(debt.household_id).await? {
                    v.add(format!("claims[{i}].debt_id"), "NOT_FOUND", "no such debt");
                    continue;
                }
                if household.is_some_and(|h| h != debt.household_id) {
                    v.add(
                        format!("claims[{i}].debt_id"),
                        "NOT_OF_HOUSEHOLD",
                        "not a debt of the household",
                    );
                    continue;
                }
                creditors.push(Creditor {
                    key: id,
                    wire_id: id.to_string(),
                    name: debt.terms.creditor_name,
                    balance: debt.balance,
                });
            }
            Claim::Inline {
                creditor_name,
                balance,
            } => creditors.push(Creditor {
                key: Uuid::new_v4(),
                wire_id: String::new(),
                name: creditor_name,
                balance,
            }),
        }
    }
    v.finish(())?;
    Ok(creditors)
}

#[tonic::async_trait]
impl pb::debt_service_server::DebtService for DebtApi {
    async fn create_debt(
        &self,
        request: Request<pb::CreateDebtRequest>,
    ) -> Result<Response<pb::CreateDebtResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let pb::CreateDebtRequest {
                request_id: _,
                debt,
                balance_date,
            } = message;
            let debt = debt.unwrap_or_else(|| {
                v.add("debt", "REQUIRED", "required");
                pb::Debt::default()
            });
            let household_id = convert::uuid("debt.household_id", &debt.household_id, &mut v);
            let draft = debt_draft(&debt, "debt", &mut v);
            let opening =
                convert::money_non_negative("debt.balance", debt.balance.as_ref(), &mut v);
            let today = self.app.clock.today();
            let date = convert::past_date("balance_date", &balance_date, today, &mut v);
            let (idempotency, household_id, draft, opening, date) =
                finish(v, (idempotency, household_id, draft, opening, date))?;
            audit.visible(household_id, "household").await?;
            let created = audit
                .write(self.app.store.create_debt(
                    household_id,
                    &draft,
                    opening,
                    date,
                    &idempotency,
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::CreateDebtResponse {
                debt: Some(debt_to_pb(&created)),
            }))
        })
        .await
    }

    async fn get_debt(
        &self,
        request: Request<pb::GetDebtRequest>,
    ) -> Result<Response<pb::GetDebtResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::GetDebtRequest { id } = message;
            let debt = self.app.store.get_debt(convert::id("id", &id)?).await?;
            audit.visible(debt.household_id, "debt").await?;
            audit.record(RecordKind::Debt, debt.id);
            Ok(Response::new(pb::GetDebtResponse {
                debt: Some(debt_to_pb(&debt)),
            }))
        })
        .await
    }

    async fn list_debts(
        &self,
        request: Request<pb::ListDebtsRequest>,
    ) -> Result<Response<pb::ListDebtsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ListDebtsRequest {
                household_id,
                kind,
                status,
                page_size,
                page_token,
            } = message;
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let kind = convert::filter_enum("kind", kind, kind_from_pb, &mut v);
            let status = convert::filter_enum("status", status, status_from_pb, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let household_id = finish(v, household_id)?;
            audit.existing_household(household_id).await?;
            let page =
                reads_may_lag(
                    self.app
                        .store
                        .list_debts(household_id, kind, status, after, size),
                )
                .await?;
            for debt in &page.items {
                audit.record(RecordKind::Debt, debt.id);
            }
            Ok(Response::new(pb::ListDebtsResponse {
                debts: page.items.iter().map(debt_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn update_debt(
        &self,
        request: Request<pb::UpdateDebtRequest>,
    ) -> Result<Response<pb::UpdateDebtResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::UpdateDebtRequest { debt } = message;
            let mut v = Violations::new();
            let debt = debt.unwrap_or_else(|| {
                v.add("debt", "REQUIRED", "required");
                pb::Debt::default()
            });
            let id = convert::uuid("debt.id", &debt.id, &mut v);
            if debt.revision < 1 {
                v.add(
                    "debt.revision",
                    "REQUIRED",
                    "required: the revision the change is based on",
                );
            }
            let draft = debt_draft(&debt, "debt", &mut v);
            let (id, draft) = finish(v, (id, draft))?;
            let current = self.app.store.get_debt(id).await?;
            audit.visible(current.household_id, "debt").await?;
            let updated = audit
                .write(
                    self.app
                        .store
                        .update_debt(id, debt.revision, &draft, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::UpdateDebtResponse {
                debt: Some(debt_to_pb(&updated)),
            }))
        })
        .await
    }

    async fn record_debt_event(
        &self,
        request: Request<pb::RecordDebtEventRequest>,
    ) -> Result<Response<pb::RecordDebtEventResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let pb::RecordDebtEventRequest {
                request_id: _,
                debt_id,
                kind,
                date,
                amount,
                note,
            } = message;
            let debt_id = convert::uuid("debt_id", &debt_id, &mut v);
            let kind = event_kind(kind, &mut v);
            if date.is_empty() {
                v.add("date", "REQUIRED", "required, as YYYY-MM-DD");
            }
            let date = convert::past_date("date", &date, self.app.clock.today(), &mut v);
            convert::text("note", &note, MAX_NOTE_CHARS, false, &mut v);
            let change = kind.and_then(|k| event_change(k, amount.as_ref(), &mut v));
            let (idempotency, debt_id, kind, date, change) =
                finish(v, (idempotency, debt_id, kind, date, change))?;
            let event = NewDebtEvent {
                kind,
                date,
                change,
                note: note.trim().to_owned(),
            };
            let (event, debt) = self.record(audit, debt_id, event, &idempotency).await?;
            Ok(Response::new(pb::RecordDebtEventResponse {
                event: Some(event_to_pb(&event)),
                debt: Some(debt_to_pb(&debt)),
            }))
        })
        .await
    }

    async fn settle_debt(
        &self,
        request: Request<pb::SettleDebtRequest>,
    ) -> Result<Response<pb::SettleDebtResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let pb::SettleDebtRequest {
                request_id: _,
                debt_id,
                date,
                note,
            } = message;
            let debt_id = convert::uuid("debt_id", &debt_id, &mut v);
            let date = convert::past_date("date", &date, self.app.clock.today(), &mut v);
            convert::text("note", &note, MAX_NOTE_CHARS, false, &mut v);
            let (idempotency, debt_id, date) = finish(v, (idempotency, debt_id, date))?;
            let event = NewDebtEvent {
                kind: DebtEventKind::Settlement,
                date,
                change: Money::ZERO,
                note: note.trim().to_owned(),
            };
            let (event, debt) = self.record(audit, debt_id, event, &idempotency).await?;
            Ok(Response::new(pb::SettleDebtResponse {
                debt: Some(debt_to_pb(&debt)),
                event: Some(event_to_pb(&event)),
            }))
        })
        .await
    }

    async fn list_debt_events(
        &self,
        request: Request<pb::ListDebtEventsRequest>,
    ) -> Result<Response<pb::ListDebtEventsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ListDebtEventsRequest {
                debt_id,
                page_size,
                page_token,
            } = message;
            let mut v = Violations::new();
            let debt_id = convert::uuid("debt_id", &debt_id, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::sequence_token("page_token", &page_token, &mut v);
            let debt = self.app.store.get_debt(finish(v, debt_id)?).await?;
            audit.visible(debt.household_id, "debt").await?;
            audit.record(RecordKind::Debt, debt.id);
            let page = reads_may_lag(self.app.store.list_debt_events(debt.id, after, size)).await?;
            Ok(Response::new(pb::ListDebtEventsResponse {
                events: page.items.iter().map(event_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn get_debt_overview(
        &self,
        request: Request<pb::GetDebtOverviewRequest>,
    ) -> Result<Response<pb::GetDebtOverviewResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            Ok(Response::new(
                debt_overview(&self.app, audit, message).await?,
            ))
        })
        .await
    }

    async fn calculate_protected_amount(
        &self,
        request: Request<pb::CalculateProtectedAmountRequest>,
    ) -> Result<Response<pb::CalculateProtectedAmountResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::CalculateProtectedAmountRequest { input, net_income } = message;
            let mut v = Violations::new();
            let net = convert::given_money("net_income", net_income.as_ref(), &mut v);
            let (p, net) = protected(&self.app, audit, input, v, Some(net)).await?;
            let garnishable = net.map(|n| line_to_pb(garnishable_line(n, p.amount.total)));
            let p_amount = p.amount;
            Ok(Response::new(pb::CalculateProtectedAmountResponse {
                month: p.month.to_string(),
                lines: p_amount.lines.into_iter().map(line_to_pb).collect(),
                protected_amount: money_to_pb(p_amount.total),
                basis: basis_to_pb(p_amount.basis),
                garnishable,
                tables: tables_to_pb(p_amount.tables),
                provisional: p_amount.provisional,
                warnings: p_amount.warnings,
            }))
        })
        .await
    }

    async fn estimate_debt_restructuring(
        &self,
        request: Request<pb::EstimateDebtRestructuringRequest>,
    ) -> Result<Response<pb::EstimateDebtRestructuringResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            Ok(Response::new(
                debt_restructuring(&self.app, audit, message).await?,
            ))
        })
        .await
    }

    async fn calculate_late_interest(
        &self,
        request: Request<pb::CalculateLateInterestRequest>,
    ) -> Result<Response<pb::CalculateLateInterestResponse>, Status> {
        let pb::CalculateLateInterestRequest {
            principal,
            from_date,
            to_date,
        } = request.into_inner();
        let mut v = Violations::new();
        let principal = convert::money_non_negative("principal", principal.as_ref(), &mut v);
        let from = convert::date("from_date", &from_date, &mut v);
        let to = convert::date("to_date", &to_date, &mut v);
        let (principal, from_date, to_date) = finish(v, (principal, from, to))?;
        let tables = self.app.norms.all().await?;
        let r = late_payment_interest(
            &LateInterestInput {
                principal,
                from_date,
                to_date,
            },
            &tables,
            "",
        )?;
        Ok(Response::new(late_interest_to_pb(r)))
    }
}

/// GetDebtOverview's answer, for its handler and for documents.
pub(crate) async fn debt_overview(
    app: &App,
    audit: &AuditCall,
    message: pb::GetDebtOverviewRequest,
) -> Result<pb::GetDebtOverviewResponse, Status> {
    let pb::GetDebtOverviewRequest {
        household_id,
        date,
        available_monthly_amount,
    } = message;
    let mut v = Violations::new();
    let household_id = convert::uuid("household_id", &household_id, &mut v);
    let date = convert::date_or("date", &date, app.clock.today(), &mut v);
    let given = convert::given_money(
        "available_monthly_amount",
        available_monthly_amount.as_ref(),
        &mut v,
    );
    let (household_id, date) = finish(v, (household_id, date))?;
    audit.existing_household(household_id).await?;
    let debts = all_debts(app, household_id).await?;
    let open: Vec<&Debt> = debts
        .iter()
        .filter(|d| d.terms.status != DebtStatus::Settled)
        .collect();
    let mut warnings = Vec::new();

    let mut by_kind = Vec::new();
    for kind in DebtKind::ALL {
        let of: Vec<&Debt> = open
            .iter()
            .copied()
            .filter(|d| d.terms.kind == kind)
            .collect();
        if !of.is_empty() {
            by_kind.push(total(kind.as_str(), &of));
        }
    }
    let mut by_status = Vec::new();
    for status in DebtStatus::ALL {
        let of: Vec<&Debt> = debts.iter().filter(|d| d.terms.status == status).collect();
        if !of.is_empty() {
            by_status.push(total(status.as_str(), &of));
        }
    }
    let (priority, other): (Vec<&Debt>, Vec<&Debt>) = open
        .iter()
        .copied()
        .partition(|d| is_priority(d.terms.kind, d.terms.status));
    let monthly_cost: Money = open
        .iter()
        .map(|d| d.terms.agreed_monthly_payment + d.terms.monthly_fee)
        .sum();

    let mut pay_off = Vec::with_capacity(open.len());
    for (i, d) in open.iter().enumerate() {
        let terms = DebtTerms {
            balance: d.balance,
            annual_interest_rate: d.terms.annual_interest_rate,
            monthly_fee: d.terms.monthly_fee,
            monthly_payment: d.terms.agreed_monthly_payment,
        };
        let payoff = months_to_pay_off(&terms, &format!("debts[{i}]"))?;
        let basis = explain_payoff(&terms, &payoff);
        pay_off.push(pay_off_to_pb(d.id, payoff, basis));
    }

    let (available, available_basis, available_code, available_lines) =
        offer::available(app, audit, household_id, &open, date, given, &mut warnings).await?;
    let offer = offer::offer(available, &other, &mut warnings)?;
    Ok(pb::GetDebtOverviewResponse {
        date: convert::day(date),
        total_balance: money_to_pb(open.iter().map(|d| d.balance).sum()),
        by_kind,
        by_status,
        priority_debts: priority.iter().map(|d| debt_to_pb(d)).collect(),
        other_debts: other.iter().map(|d| debt_to_pb(d)).collect(),
        monthly_cost: money_to_pb(monthly_cost),
        pay_off,
        available_monthly_amount: money_to_pb(available),
        available_basis: convert::coded_basis_to_pb(available_basis, available_code),
        offer,
        warnings,
        available_lines: available_lines.into_iter().map(line_to_pb).collect(),
    })
}

/// EstimateDebtRestructuring's answer, for its handler and for documents.
pub(crate) async fn debt_restructuring(
    app: &App,
    audit: &AuditCall,
    message: pb::EstimateDebtRestructuringRequest,
) -> Result<pb::EstimateDebtRestructuringResponse, Status> {
    let pb::EstimateDebtRestructuringRequest {
        input,
        net_income,
        buffer,
        years,
        claims: claimed,
    } = message;
    let mut v = Violations::new();
    let net = convert::money_non_negative("net_income", net_income.as_ref(), &mut v);
    let buffer = convert::given_money("buffer", buffer.as_ref(), &mut v);
    let years = match years {
        0 => Some(None),
        n => match u32::try_from(n) {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                v.add("years", "OUT_OF_RANGE", "must be between 1 and 10");
                None
            }
        },
    };
    // Claims given inline are parsed before anything is read.
    let claimed = claims(&claimed, &mut v);
    let own = (|| Some((net?, years?, claimed?)))();
    let (p, (net, years, claimed)) = protected(app, audit, input, v, own).await?;
    let creditors = creditors(app, audit, claimed, p.household).await?;
    let input = SkuldsaneringInput {
        protected_amount: p.amount.total,
        buffer,
        net_income: net,
        years,
        debts: creditors
            .iter()
            .map(|c| DebtBalance {
                debt_id: c.key,
                balance: c.balance,
            })
            .collect(),
    };
    let e = skuldsanering_estimate(&input, "")?;
    Ok(restructuring_to_pb(p.amount, e, &creditors))
}
