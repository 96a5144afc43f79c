//! `DebtService`: the debt register with its balance history, the overview
//! with priorities and a pro-rata offer, förbehållsbelopp, a skuldsanering
//! estimate and dröjsmålsränta (DESIGN §3.4). The rules live in
//! `domain::debt`; this file parses requests, loads what they name, and
//! writes through the store with the audit record.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::{self, MemberSource};
use crate::app::App;
use crate::domain::calendar::YearMonth;
use crate::domain::debt::late_interest::{LateInterestInput, late_payment_interest};
use crate::domain::debt::offer::{ProRataInput, pro_rata_offer};
use crate::domain::debt::payoff::{Payoff, explain_payoff, months_to_pay_off};
use crate::domain::debt::protected::{
    Addition, AdditionKind, Adults, ChildInput, HousingAllowance, HousingAllowanceKind,
    ProtectedAmount, ProtectedAmountInput, garnishable_line, protected_amount,
};
use crate::domain::debt::skuldsanering::{SkuldsaneringInput, skuldsanering_estimate};
use crate::domain::debt::{Debt, DebtDraft, DebtEvent, DebtEventKind, NewDebtEvent};
use crate::domain::debt::{
    DebtBalance, DebtKind, DebtStatus, DebtTerms, is_priority, parse_creditor_organisation_number,
};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::Basis;
use crate::domain::household::{IdentityRule, Member, Role, check_members};
use crate::domain::money::Money;
use crate::domain::norms::{NormKind, TableRef, in_force};
use crate::domain::rate::Rate;
use crate::pb;
use crate::store::Idempotency;

/// Longest creditor name, reference and note accepted.
const MAX_NAME_CHARS: usize = 200;
const MAX_NOTE_CHARS: usize = 500;

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
        audit.touch(debt.household_id);
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

// ------------------------------------------------------------------ parsing

fn kind_from_pb(raw: i32) -> Option<DebtKind> {
    use pb::DebtKind as K;
    Some(match K::try_from(raw).ok()? {
        K::Unspecified => return None,
        K::Rent => DebtKind::Hyresskuld,
        K::Electricity => DebtKind::Elskuld,
        K::Tax => DebtKind::Skatteskuld,
        K::Csn => DebtKind::Csn,
        K::Healthcare => DebtKind::Vard,
        K::ConsumerCredit => DebtKind::Konsumtionskredit,
        K::SmsLoan => DebtKind::SmsLan,
        K::KronofogdenCase => DebtKind::KronofogdenMal,
        K::Maintenance => DebtKind::Underhallsskuld,
        K::Other => DebtKind::Other,
    })
}

fn kind_to_pb(kind: DebtKind) -> pb::DebtKind {
    use pb::DebtKind as K;
    match kind {
        DebtKind::Hyresskuld => K::Rent,
        DebtKind::Elskuld => K::Electricity,
        DebtKind::Skatteskuld => K::Tax,
        DebtKind::Csn => K::Csn,
        DebtKind::Vard => K::Healthcare,
        DebtKind::Konsumtionskredit => K::ConsumerCredit,
        DebtKind::SmsLan => K::SmsLoan,
        DebtKind::KronofogdenMal => K::KronofogdenCase,
        DebtKind::Underhallsskuld => K::Maintenance,
        DebtKind::Other => K::Other,
    }
}

fn status_from_pb(raw: i32) -> Option<DebtStatus> {
    use pb::DebtStatus as S;
    Some(match S::try_from(raw).ok()? {
        S::Unspecified => return None,
        S::Active => DebtStatus::Active,
        S::DebtCollection => DebtStatus::DebtCollection,
        S::Kronofogden => DebtStatus::Kronofogden,
        S::Skuldsanering => DebtStatus::Skuldsanering,
        S::Settled => DebtStatus::Settled,
    })
}

fn status_to_pb(status: DebtStatus) -> pb::DebtStatus {
    use pb::DebtStatus as S;
    match status {
        DebtStatus::Active => S::Active,
        DebtStatus::DebtCollection => S::DebtCollection,
        DebtStatus::Kronofogden => S::Kronofogden,
        DebtStatus::Skuldsanering => S::Skuldsanering,
        DebtStatus::Settled => S::Settled,
    }
}

fn event_kind_to_pb(kind: DebtEventKind) -> pb::DebtEventKind {
    use pb::DebtEventKind as E;
    match kind {
        DebtEventKind::OpeningBalance => E::OpeningBalance,
        DebtEventKind::Payment => E::Payment,
        DebtEventKind::Interest => E::Interest,
        DebtEventKind::Fee => E::Fee,
        DebtEventKind::Correction => E::Correction,
        DebtEventKind::Settlement => E::Settlement,
    }
}

/// A required enum field: a known value other than UNSPECIFIED.
fn required_enum<T>(
    field: &str,
    raw: i32,
    map: fn(i32) -> Option<T>,
    v: &mut Violations,
) -> Option<T> {
    let parsed = map(raw);
    if parsed.is_none() {
        v.add(field, "required: choose one of the enum's values");
    }
    parsed
}

/// An optional enum filter: UNSPECIFIED means any.
fn filter_enum<T>(
    field: &str,
    raw: i32,
    map: fn(i32) -> Option<T>,
    v: &mut Violations,
) -> Option<T> {
    if raw == 0 {
        return None;
    }
    let parsed = map(raw);
    if parsed.is_none() {
        v.add(field, format!("unknown enum value {raw}"));
    }
    parsed
}

/// A yearly percentage as the wire gives it ([`Rate::parse`]), 0 to 100.
fn rate(field: &str, text: &str, v: &mut Violations) -> Option<Rate> {
    match Rate::parse(text) {
        Some(rate) if rate <= Rate::percent(Decimal::ONE_HUNDRED) => Some(rate),
        Some(_) => {
            v.add(field, "must be at most 100 (percent a year)");
            None
        }
        None => {
            v.add(
                field,
                "a percentage such as \"12.5\": digits with at most two decimals",
            );
            None
        }
    }
}

/// An amount that may be left out (then zero).
fn optional_money(field: &str, money: Option<&pb::Money>, v: &mut Violations) -> Money {
    match money {
        None => Money::ZERO,
        Some(m) => convert::money_non_negative(field, Some(m), v).unwrap_or(Money::ZERO),
    }
}

/// The settable part of a debt message, checked in full.
fn draft(debt: &pb::Debt, path: &str, v: &mut Violations) -> Option<DebtDraft> {
    let pb::Debt {
        debtor_member_id,
        creditor_name,
        creditor_organisation_number,
        creditor_reference,
        kind,
        status,
        annual_interest_rate,
        monthly_fee,
        agreed_monthly_payment,
        // Set on create only, or output only.
        id: _,
        household_id: _,
        balance: _,
        revision: _,
        priority: _,
        create_time: _,
        update_time: _,
    } = debt;
    let f = |name: &str| format!("{path}.{name}");
    let debtor = convert::uuid(&f("debtor_member_id"), debtor_member_id, v);
    convert::text(&f("creditor_name"), creditor_name, MAX_NAME_CHARS, true, v);
    let org = parse_creditor_organisation_number(
        creditor_organisation_number,
        &f("creditor_organisation_number"),
        v,
    );
    convert::text(
        &f("creditor_reference"),
        creditor_reference,
        MAX_NAME_CHARS,
        false,
        v,
    );
    let kind = required_enum(&f("kind"), *kind, kind_from_pb, v);
    let status = required_enum(&f("status"), *status, status_from_pb, v);
    if status == Some(DebtStatus::Settled) {
        v.add(f("status"), "a debt is settled only through SettleDebt");
    }
    let rate = rate(&f("annual_interest_rate"), annual_interest_rate, v);
    let fee = optional_money(&f("monthly_fee"), monthly_fee.as_ref(), v);
    let payment = optional_money(
        &f("agreed_monthly_payment"),
        agreed_monthly_payment.as_ref(),
        v,
    );
    Some(DebtDraft {
        debtor_member_id: debtor?,
        creditor_name: creditor_name.trim().to_owned(),
        creditor_organisation_number: org,
        creditor_reference: creditor_reference.trim().to_owned(),
        kind: kind?,
        status: status?,
        annual_interest_rate: rate?,
        monthly_fee: fee,
        agreed_monthly_payment: payment,
    })
}

// ------------------------------------------------------------------ output

fn debt_to_pb(d: &Debt) -> pb::Debt {
    pb::Debt {
        id: d.id.to_string(),
        household_id: d.household_id.to_string(),
        debtor_member_id: d.terms.debtor_member_id.to_string(),
        creditor_name: d.terms.creditor_name.clone(),
        creditor_organisation_number: d
            .terms
            .creditor_organisation_number
            .as_ref()
            .map(|o| o.as_str().to_owned())
            .unwrap_or_default(),
        creditor_reference: d.terms.creditor_reference.clone(),
        kind: kind_to_pb(d.terms.kind) as i32,
        status: status_to_pb(d.terms.status) as i32,
        balance: convert::money_to_pb(d.balance),
        annual_interest_rate: d.terms.annual_interest_rate.to_wire(),
        monthly_fee: convert::money_to_pb(d.terms.monthly_fee),
        agreed_monthly_payment: convert::money_to_pb(d.terms.agreed_monthly_payment),
        revision: d.revision,
        priority: is_priority(d.terms.kind, d.terms.status),
        create_time: Some(convert::timestamp(d.created_at)),
        update_time: Some(convert::timestamp(d.updated_at)),
    }
}

fn event_to_pb(e: &DebtEvent) -> pb::DebtEvent {
    pb::DebtEvent {
        id: e.id.to_string(),
        debt_id: e.debt_id.to_string(),
        kind: event_kind_to_pb(e.kind) as i32,
        date: e.date.format("%Y-%m-%d").to_string(),
        change: convert::money_to_pb(e.change),
        balance_after: convert::money_to_pb(e.balance_after),
        note: e.note.clone(),
        recorded_by: e.recorded_by.clone(),
        record_time: Some(convert::timestamp(e.recorded_at)),
    }
}

fn tables_to_pb(tables: Vec<TableRef>) -> Vec<pb::TableRef> {
    tables.into_iter().map(convert::table_ref_to_pb).collect()
}

fn total(key: &str, debts: &[&Debt]) -> pb::DebtTotal {
    pb::DebtTotal {
        key: key.to_owned(),
        count: i32::try_from(debts.len()).unwrap_or(i32::MAX),
        balance: convert::money_to_pb(debts.iter().map(|d| d.balance).sum()),
    }
}

// ------------------------------------------------------- förbehållsbelopp

/// The members a calculation counts: a saved household's or given inline.
async fn members_of(
    app: &App,
    audit: &AuditCall,
    household_id: &str,
    members: &[pb::Member],
    path: &str,
    today: chrono::NaiveDate,
    v: &mut Violations,
) -> Result<Option<(Option<Uuid>, Vec<Member>)>, Status> {
    if household_id.is_empty() {
        let parsed = convert::members(
            &format!("{path}.members"),
            members,
            MemberSource::Stateless,
            today,
            v,
        );
        if let Some(parsed) = &parsed {
            v.extend(check_members(
                parsed,
                IdentityRule::Anonymous,
                &format!("{path}.members"),
            ));
        }
        return Ok(parsed.map(|m| (None, m)));
    }
    if !members.is_empty() {
        v.add(
            format!("{path}.members"),
            "give either household_id or members, not both",
        );
    }
    let Some(id) = convert::uuid(&format!("{path}.household_id"), household_id, v) else {
        return Ok(None);
    };
    if !v.is_empty() {
        return Ok(None);
    }
    audit.touch(id);
    let household = app.store.get_household(id).await?;
    Ok(Some((Some(id), household.members)))
}

/// Parses a `ProtectedAmountInput` and computes the förbehållsbelopp.
async fn protected(
    app: &App,
    audit: &AuditCall,
    input: Option<pb::ProtectedAmountInput>,
    mut v: Violations,
) -> Result<(ProtectedAmount, YearMonth, Option<Uuid>), Status> {
    let Some(pb::ProtectedAmountInput {
        month,
        household_id,
        members,
        child_support,
        housing_cost,
        housing_allowances,
        additions,
    }) = input
    else {
        v.add("input", "required");
        return Err(DomainError::Invalid(v).into());
    };
    let today = app.clock.today();
    let month = convert::month("input.month", &month, &mut v);
    let housing_cost =
        convert::money_non_negative("input.housing_cost", housing_cost.as_ref(), &mut v);
    let allowances: Vec<HousingAllowance> = housing_allowances
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let f = |name: &str| format!("input.housing_allowances[{i}].{name}");
            let kind = required_enum(&f("kind"), a.kind, housing_allowance_kind, &mut v);
            let amount = convert::money_non_negative(&f("amount"), a.amount.as_ref(), &mut v);
            Some(HousingAllowance {
                kind: kind?,
                amount: amount?,
            })
        })
        .collect();
    let additions: Vec<Addition> = additions
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let f = |name: &str| format!("input.additions[{i}].{name}");
            let kind = required_enum(&f("kind"), a.kind, addition_kind, &mut v);
            convert::text(&f("description"), &a.description, 200, false, &mut v);
            let amount = convert::money_non_negative(&f("amount"), a.amount.as_ref(), &mut v);
            Some(Addition {
                kind: kind?,
                description: a.description.trim().to_owned(),
                amount: amount?,
            })
        })
        .collect();
    let members = members_of(app, audit, &household_id, &members, "input", today, &mut v).await?;
    let (month, housing_cost, (household, members)) =
        match v.finish((month, housing_cost, members))? {
            (Some(m), Some(h), Some(members)) => (m, h, members),
            _ => return Err(Status::invalid_argument("input is incomplete")),
        };
    let on = month.first_day();
    let mut v = Violations::new();
    let adults = if members.iter().any(|m| m.role == Role::Partner) {
        Adults::Couple
    } else {
        Adults::Single
    };
    let children: Vec<(usize, &Member)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == Role::Child)
        .collect();
    let mut support: HashMap<usize, (Money, Money, Money)> = HashMap::new();
    for (i, s) in child_support.iter().enumerate() {
        let f = |name: &str| format!("input.child_support[{i}].{name}");
        let (field, position) = if household.is_some() {
            let field = f("member_id");
            // A malformed id is reported by the parser; nothing more to say.
            let Some(id) = convert::uuid(&field, &s.member_id, &mut v) else {
                continue;
            };
            (field, members.iter().position(|m| m.id == Some(id)))
        } else {
            let index = usize::try_from(s.member_index).ok();
            (f("member_index"), index.filter(|i| *i < members.len()))
        };
        match position {
            Some(p) if members[p].role == Role::Child => {
                if support.contains_key(&p) {
                    v.add(&field, "the same child is given twice");
                }
                let bb = optional_money(&f("barnbidrag"), s.barnbidrag.as_ref(), &mut v);
                let us = optional_money(&f("underhallsstod"), s.underhallsstod.as_ref(), &mut v);
                let sb = optional_money(&f("studiebidrag"), s.studiebidrag.as_ref(), &mut v);
                support.insert(p, (bb, us, sb));
            }
            Some(_) => v.add(&field, "not a child of the household"),
            None => v.add(&field, "not a member of the household"),
        }
    }
    let mut child_inputs = Vec::with_capacity(children.len());
    for (p, child) in &children {
        let Some(age) = child.age_on(on) else {
            v.add(format!("input.members[{p}]"), "not yet born in the month");
            continue;
        };
        let (barnbidrag, underhallsstod, studiebidrag) =
            support
                .get(p)
                .copied()
                .unwrap_or((Money::ZERO, Money::ZERO, Money::ZERO));
        child_inputs.push(ChildInput {
            age,
            barnbidrag,
            underhallsstod,
            studiebidrag,
        });
    }
    v.finish(())?;
    let input = ProtectedAmountInput {
        adults,
        children: child_inputs,
        housing_cost,
        housing_allowances: allowances,
        additions,
    };
    let tables = app.norms.all().await?;
    let table = in_force(&tables, NormKind::Normalbelopp, on)?;
    let mut result = protected_amount(&input, table, "input")?;
    if members.iter().any(|m| m.role == Role::OtherAdult) {
        result.warnings.push(
            "other adults in the household are not counted: each has a förbehållsbelopp of their own"
                .to_owned(),
        );
    }
    Ok((result, month, household))
}

fn housing_allowance_kind(raw: i32) -> Option<HousingAllowanceKind> {
    use pb::HousingAllowanceKind as K;
    Some(match K::try_from(raw).ok()? {
        K::Unspecified => return None,
        K::Bostadsbidrag => HousingAllowanceKind::Bostadsbidrag,
        K::Bostadstillagg => HousingAllowanceKind::Bostadstillagg,
        K::Boendetillagg => HousingAllowanceKind::Boendetillagg,
    })
}

fn addition_kind(raw: i32) -> Option<AdditionKind> {
    use pb::AdditionKind as K;
    Some(match K::try_from(raw).ok()? {
        K::Unspecified => return None,
        K::WorkTravel => AdditionKind::WorkTravel,
        K::MedicineAndCare => AdditionKind::MedicineAndCare,
        K::Umgange => AdditionKind::Umgange,
        K::Other => AdditionKind::Other,
    })
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

fn basis_pb(b: Basis) -> Option<pb::Basis> {
    convert::basis_to_pb(b)
}

#[tonic::async_trait]
impl pb::debt_service_server::DebtService for DebtApi {
    async fn create_debt(
        &self,
        request: Request<pb::CreateDebtRequest>,
    ) -> Result<Response<pb::CreateDebtResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let pb::CreateDebtRequest {
                request_id,
                debt,
                balance_date,
            } = &message;
            let rest = pb::CreateDebtRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let idempotency = convert::idempotency(request_id, &rest, &mut v);
            let debt = debt.clone().unwrap_or_else(|| {
                v.add("debt", "required");
                pb::Debt::default()
            });
            let household_id = convert::uuid("debt.household_id", &debt.household_id, &mut v);
            let draft = draft(&debt, "debt", &mut v);
            let opening =
                convert::money_non_negative("debt.balance", debt.balance.as_ref(), &mut v);
            let date =
                convert::past_date("balance_date", balance_date, self.app.clock.today(), &mut v);
            let (idempotency, household_id, draft, opening, date) =
                match v.finish((idempotency, household_id, draft, opening, date))? {
                    (Some(i), Some(h), Some(d), Some(o), Some(date)) => (i, h, d, o, date),
                    _ => return Err(Status::invalid_argument("the debt is incomplete")),
                };
            audit.touch(household_id);
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
        }
        .await;
        audit.finish(result).await
    }

    async fn get_debt(
        &self,
        request: Request<pb::GetDebtRequest>,
    ) -> Result<Response<pb::GetDebtResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetDebtRequest { id } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let id = v
                .finish(id)?
                .ok_or_else(|| Status::invalid_argument("id is required"))?;
            let debt = self.app.store.get_debt(id).await?;
            audit.touch(debt.household_id);
            Ok(Response::new(pb::GetDebtResponse {
                debt: Some(debt_to_pb(&debt)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_debts(
        &self,
        request: Request<pb::ListDebtsRequest>,
    ) -> Result<Response<pb::ListDebtsResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListDebtsRequest {
            household_id,
            kind,
            status,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let kind = filter_enum("kind", kind, kind_from_pb, &mut v);
            let status = filter_enum("status", status, status_from_pb, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let household_id = v
                .finish(household_id)?
                .ok_or_else(|| Status::invalid_argument("household_id is required"))?;
            audit.existing_household(household_id).await?;
            let page = self
                .app
                .store
                .list_debts(household_id, kind, status, after, size)
                .await?;
            Ok(Response::new(pb::ListDebtsResponse {
                debts: page.items.iter().map(debt_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn update_debt(
        &self,
        request: Request<pb::UpdateDebtRequest>,
    ) -> Result<Response<pb::UpdateDebtResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::UpdateDebtRequest { debt } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let debt = debt.unwrap_or_else(|| {
                v.add("debt", "required");
                pb::Debt::default()
            });
            let id = convert::uuid("debt.id", &debt.id, &mut v);
            if debt.revision < 1 {
                v.add(
                    "debt.revision",
                    "required: the revision the change is based on",
                );
            }
            let draft = draft(&debt, "debt", &mut v);
            let (id, draft) = match v.finish((id, draft))? {
                (Some(id), Some(draft)) => (id, draft),
                _ => return Err(Status::invalid_argument("the debt is incomplete")),
            };
            let current = self.app.store.get_debt(id).await?;
            audit.touch(current.household_id);
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
        }
        .await;
        audit.finish(result).await
    }

    async fn record_debt_event(
        &self,
        request: Request<pb::RecordDebtEventRequest>,
    ) -> Result<Response<pb::RecordDebtEventResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::RecordDebtEventRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::RecordDebtEventRequest {
                request_id,
                debt_id,
                kind,
                date,
                amount,
                note,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let debt_id = convert::uuid("debt_id", &debt_id, &mut v);
            use pb::DebtEventKind as E;
            let kind = match E::try_from(kind) {
                Ok(E::Payment) => Some(DebtEventKind::Payment),
                Ok(E::Interest) => Some(DebtEventKind::Interest),
                Ok(E::Fee) => Some(DebtEventKind::Fee),
                Ok(E::Correction) => Some(DebtEventKind::Correction),
                Ok(E::OpeningBalance | E::Settlement) => {
                    v.add("kind", "recorded by CreateDebt or SettleDebt, not here");
                    None
                }
                _ => {
                    v.add("kind", "required: PAYMENT, INTEREST, FEE or CORRECTION");
                    None
                }
            };
            if date.is_empty() {
                v.add("date", "required, as YYYY-MM-DD");
            }
            let date = convert::past_date("date", &date, self.app.clock.today(), &mut v);
            convert::text("note", &note, MAX_NOTE_CHARS, false, &mut v);
            let change = match kind {
                Some(DebtEventKind::Correction) => {
                    let a = amount
                        .as_ref()
                        .map(|m| v.check("amount", Money::parse(&m.amount)));
                    match a {
                        None => {
                            v.add(
                                "amount",
                                "required, as a decimal string such as \"1234.50\"",
                            );
                            None
                        }
                        Some(Some(a)) if a.is_zero() => {
                            v.add("amount", "a correction must change the balance");
                            None
                        }
                        Some(a) => a,
                    }
                }
                Some(k) => {
                    let a = convert::money_non_negative("amount", amount.as_ref(), &mut v);
                    match a {
                        Some(a) if a.is_zero() => {
                            v.add("amount", "must be more than zero");
                            None
                        }
                        Some(a) if k == DebtEventKind::Payment => Some(Money::ZERO - a),
                        other => other,
                    }
                }
                None => None,
            };
            let (idempotency, debt_id, kind, date, change) =
                match v.finish((idempotency, debt_id, kind, date, change))? {
                    (Some(i), Some(d), Some(k), Some(date), Some(c)) => (i, d, k, date, c),
                    _ => return Err(Status::invalid_argument("the event is incomplete")),
                };
            let event = NewDebtEvent {
                kind,
                date,
                change,
                note: note.trim().to_owned(),
            };
            let (event, debt) = self.record(&audit, debt_id, event, &idempotency).await?;
            Ok(Response::new(pb::RecordDebtEventResponse {
                event: Some(event_to_pb(&event)),
                debt: Some(debt_to_pb(&debt)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn settle_debt(
        &self,
        request: Request<pb::SettleDebtRequest>,
    ) -> Result<Response<pb::SettleDebtResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::SettleDebtRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::SettleDebtRequest {
                request_id,
                debt_id,
                date,
                note,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let debt_id = convert::uuid("debt_id", &debt_id, &mut v);
            let date = convert::past_date("date", &date, self.app.clock.today(), &mut v);
            convert::text("note", &note, MAX_NOTE_CHARS, false, &mut v);
            let (idempotency, debt_id, date) = match v.finish((idempotency, debt_id, date))? {
                (Some(i), Some(d), Some(date)) => (i, d, date),
                _ => return Err(Status::invalid_argument("the request is incomplete")),
            };
            let event = NewDebtEvent {
                kind: DebtEventKind::Settlement,
                date,
                change: Money::ZERO,
                note: note.trim().to_owned(),
            };
            let (event, debt) = self.record(&audit, debt_id, event, &idempotency).await?;
            Ok(Response::new(pb::SettleDebtResponse {
                debt: Some(debt_to_pb(&debt)),
                event: Some(event_to_pb(&event)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_debt_events(
        &self,
        request: Request<pb::ListDebtEventsRequest>,
    ) -> Result<Response<pb::ListDebtEventsResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListDebtEventsRequest {
            debt_id,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let debt_id = convert::uuid("debt_id", &debt_id, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::sequence_token("page_token", &page_token, &mut v);
            let debt_id = v
                .finish(debt_id)?
                .ok_or_else(|| Status::invalid_argument("debt_id is required"))?;
            let debt = self.app.store.get_debt(debt_id).await?;
            audit.touch(debt.household_id);
            let page = self
                .app
                .store
                .list_debt_events(debt_id, after, size)
                .await?;
            Ok(Response::new(pb::ListDebtEventsResponse {
                events: page.items.iter().map(event_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_debt_overview(
        &self,
        request: Request<pb::GetDebtOverviewRequest>,
    ) -> Result<Response<pb::GetDebtOverviewResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetDebtOverviewRequest {
            household_id,
            date,
            available_monthly_amount,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let date = if date.is_empty() {
                Some(self.app.clock.today())
            } else {
                convert::date("date", &date, &mut v)
            };
            let given = available_monthly_amount.as_ref().and_then(|m| {
                convert::money_non_negative("available_monthly_amount", Some(m), &mut v)
            });
            let (household_id, date) = match v.finish((household_id, date))? {
                (Some(h), Some(d)) => (h, d),
                _ => return Err(Status::invalid_argument("household_id is required")),
            };
            audit.existing_household(household_id).await?;
            let debts = all_debts(&self.app, household_id).await?;
            let open: Vec<&Debt> = debts
                .iter()
                .filter(|d| d.terms.status != DebtStatus::Settled)
                .collect();
            let mut warnings = Vec::new();

            let mut by_kind = Vec::new();
            for kind in DebtKind::ALL {
                let of: Vec<&Debt> = open.iter().copied().filter(|d| d.terms.kind == kind).collect();
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
                let months = |m: u32| i32::try_from(m).unwrap_or(i32::MAX);
                let (outcome, paid, charges) = match payoff {
                    Payoff::PaidOff {
                        months: m,
                        total_paid,
                        total_interest_and_fees,
                        ..
                    } => (
                        pb::pay_off::Outcome::Months(months(m)),
                        convert::money_to_pb(total_paid),
                        convert::money_to_pb(total_interest_and_fees),
                    ),
                    Payoff::NeverPaysOff { .. } => (pb::pay_off::Outcome::Never(true), None, None),
                    Payoff::LongerThan { months: m, .. } => {
                        (pb::pay_off::Outcome::LongerThanMonths(months(m)), None, None)
                    }
                };
                pay_off.push(pb::PayOff {
                    debt_id: d.id.to_string(),
                    outcome: Some(outcome),
                    total_paid: paid,
                    total_interest_and_fees: charges,
                    basis: basis_pb(basis),
                });
            }

            let (available, available_basis) = match given {
                Some(amount) => (
                    amount,
                    Basis {
                        rule: "the monthly amount for creditors, as given".to_owned(),
                        source: "the request".to_owned(),
                        arithmetic: amount.display_kr(),
                    },
                ),
                None => {
                    let latest = self
                        .app
                        .store
                        .list_budgets(household_id, None, 1)
                        .await?
                        .items
                        .into_iter()
                        .next();
                    match latest {
                        Some(budget) => {
                            let amount = budget.result.surplus.max(Money::ZERO);
                            (
                                amount,
                                Basis {
                                    rule: "the surplus of the household's latest saved budget, never below zero".to_owned(),
                                    source: format!("budget {} for {}", budget.id, budget.result.month),
                                    arithmetic: format!(
                                        "max(0, {}) = {}",
                                        budget.result.surplus.display_kr(),
                                        amount.display_kr()
                                    ),
                                },
                            )
                        }
                        None => {
                            warnings.push(
                                "the household has no saved budget: give available_monthly_amount for an offer".to_owned(),
                            );
                            (
                                Money::ZERO,
                                Basis {
                                    rule: "no saved budget and no amount given".to_owned(),
                                    source: String::new(),
                                    arithmetic: "0".to_owned(),
                                },
                            )
                        }
                    }
                }
            };
            let offer_input = ProRataInput {
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
            let offer = if available.is_zero() {
                Vec::new()
            } else {
                match pro_rata_offer(&offer_input, "offer")? {
                    Some(offer) => offer
                        .shares
                        .into_iter()
                        .map(|s| pb::OfferShare {
                            debt_id: s.debt_id.to_string(),
                            creditor_name: names.get(&s.debt_id).copied().unwrap_or("").to_owned(),
                            balance: convert::money_to_pb(s.balance),
                            monthly_amount: convert::money_to_pb(s.amount),
                            basis: basis_pb(s.basis),
                        })
                        .collect(),
                    None => {
                        warnings.push("no non-priority debt has a balance: there is nothing to offer on".to_owned());
                        Vec::new()
                    }
                }
            };
            Ok(Response::new(pb::GetDebtOverviewResponse {
                date: date.format("%Y-%m-%d").to_string(),
                total_balance: convert::money_to_pb(open.iter().map(|d| d.balance).sum()),
                by_kind,
                by_status,
                priority_debts: priority.iter().map(|d| debt_to_pb(d)).collect(),
                other_debts: other.iter().map(|d| debt_to_pb(d)).collect(),
                monthly_cost: convert::money_to_pb(monthly_cost),
                pay_off,
                available_monthly_amount: convert::money_to_pb(available),
                available_basis: basis_pb(available_basis),
                offer,
                warnings,
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn calculate_protected_amount(
        &self,
        request: Request<pb::CalculateProtectedAmountRequest>,
    ) -> Result<Response<pb::CalculateProtectedAmountResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CalculateProtectedAmountRequest { input, net_income } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let net = net_income
                .as_ref()
                .and_then(|m| convert::money_non_negative("net_income", Some(m), &mut v));
            let (p, month, _) = protected(&self.app, &audit, input, v).await?;
            let garnishable = net.map(|n| convert::line_to_pb(garnishable_line(n, p.total)));
            Ok(Response::new(pb::CalculateProtectedAmountResponse {
                month: month.to_string(),
                lines: p.lines.into_iter().map(convert::line_to_pb).collect(),
                protected_amount: convert::money_to_pb(p.total),
                basis: basis_pb(p.basis),
                garnishable,
                tables: tables_to_pb(p.tables),
                provisional: p.provisional,
                warnings: p.warnings,
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn estimate_debt_restructuring(
        &self,
        request: Request<pb::EstimateDebtRestructuringRequest>,
    ) -> Result<Response<pb::EstimateDebtRestructuringResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::EstimateDebtRestructuringRequest {
            input,
            net_income,
            buffer,
            years,
            claims,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let net = convert::money_non_negative("net_income", net_income.as_ref(), &mut v);
            let buffer = buffer
                .as_ref()
                .and_then(|m| convert::money_non_negative("buffer", Some(m), &mut v));
            let years = match years {
                0 => None,
                n => match u32::try_from(n) {
                    Ok(n) => Some(n),
                    Err(_) => {
                        v.add("years", "must be between 1 and 10");
                        None
                    }
                },
            };
            // Claims given inline are parsed before anything is read.
            let mut parsed_claims: Vec<(Option<Uuid>, String, Option<Money>)> = Vec::new();
            for (i, c) in claims.iter().enumerate() {
                let f = |name: &str| format!("claims[{i}].{name}");
                if c.debt_id.is_empty() {
                    convert::text(
                        &f("creditor_name"),
                        &c.creditor_name,
                        MAX_NAME_CHARS,
                        true,
                        &mut v,
                    );
                    let balance =
                        convert::money_non_negative(&f("balance"), c.balance.as_ref(), &mut v);
                    parsed_claims.push((None, c.creditor_name.trim().to_owned(), balance));
                } else {
                    let id = convert::uuid(&f("debt_id"), &c.debt_id, &mut v);
                    if parsed_claims
                        .iter()
                        .any(|(d, _, _)| d.is_some() && *d == id)
                    {
                        v.add(f("debt_id"), "the same debt is listed twice");
                    }
                    parsed_claims.push((id, String::new(), None));
                }
            }
            let (p, _, household) = protected(&self.app, &audit, input, v).await?;
            let net = net.ok_or_else(|| Status::invalid_argument("net_income is required"))?;
            // (key, debt id on the wire, creditor, balance)
            let mut creditors: Vec<(Uuid, String, String, Money)> = Vec::new();
            if parsed_claims.is_empty() {
                let Some(household) = household else {
                    let mut v = Violations::new();
                    v.add("claims", "required when no household is given");
                    return Err(DomainError::Invalid(v).into());
                };
                for d in all_debts(&self.app, household).await? {
                    if d.terms.status != DebtStatus::Settled && d.balance.is_positive() {
                        creditors.push((
                            d.id,
                            d.id.to_string(),
                            d.terms.creditor_name.clone(),
                            d.balance,
                        ));
                    }
                }
            } else {
                let mut v = Violations::new();
                for (i, (id, name, balance)) in parsed_claims.into_iter().enumerate() {
                    match id {
                        Some(id) => {
                            let debt = match self.app.store.get_debt(id).await {
                                Ok(debt) => debt,
                                Err(crate::store::StoreError::NotFound { .. }) => {
                                    v.add(format!("claims[{i}].debt_id"), "no such debt");
                                    continue;
                                }
                                Err(e) => return Err(e.into()),
                            };
                            if household.is_some_and(|h| h != debt.household_id) {
                                v.add(
                                    format!("claims[{i}].debt_id"),
                                    "not a debt of the household",
                                );
                                continue;
                            }
                            audit.touch(debt.household_id);
                            creditors.push((
                                id,
                                id.to_string(),
                                debt.terms.creditor_name,
                                debt.balance,
                            ));
                        }
                        None => {
                            if let Some(balance) = balance {
                                creditors.push((Uuid::new_v4(), String::new(), name, balance));
                            }
                        }
                    }
                }
                v.finish(())?;
            }
            let input = SkuldsaneringInput {
                protected_amount: p.total,
                buffer,
                net_income: net,
                years,
                debts: creditors
                    .iter()
                    .map(|(key, _, _, balance)| DebtBalance {
                        debt_id: *key,
                        balance: *balance,
                    })
                    .collect(),
            };
            let e = skuldsanering_estimate(&input, "")?;
            let yearly = e
                .years
                .iter()
                .map(|y| pb::RestructuringYear {
                    year: i32::try_from(y.year).unwrap_or(i32::MAX),
                    paid_in: convert::money_to_pb(y.paid_in),
                    fee: convert::money_to_pb(y.fee),
                    distributed: convert::money_to_pb(y.distributed),
                    undistributed: convert::money_to_pb(y.undistributed),
                })
                .collect();
            let creditor_pb = e
                .creditors
                .iter()
                .map(|c| {
                    let (wire_id, name) = creditors
                        .iter()
                        .find(|(key, ..)| *key == c.debt_id)
                        .map(|(_, w, n, _)| (w.clone(), n.clone()))
                        .unwrap_or_default();
                    let yearly = e
                        .years
                        .iter()
                        .filter_map(|y| {
                            y.payouts.iter().find(|p| p.debt_id == c.debt_id).map(|p| {
                                pb::AmountLine {
                                    label: format!("år {}", y.year),
                                    amount: convert::money_to_pb(p.amount),
                                    basis: basis_pb(p.basis.clone()),
                                }
                            })
                        })
                        .collect();
                    pb::CreditorPayout {
                        debt_id: wire_id,
                        creditor_name: name,
                        balance: convert::money_to_pb(c.balance),
                        yearly,
                        total_received: convert::money_to_pb(c.received),
                        unpaid: convert::money_to_pb(c.unpaid),
                    }
                })
                .collect();
            let mut warnings = p.warnings;
            warnings.extend(
                e.lines
                    .is_empty()
                    .then(|| "no payment lines were produced".to_owned()),
            );
            let mut lines: Vec<pb::AmountLine> =
                p.lines.into_iter().map(convert::line_to_pb).collect();
            lines.extend(e.lines.into_iter().map(convert::line_to_pb));
            Ok(Response::new(pb::EstimateDebtRestructuringResponse {
                lines,
                protected_amount: convert::money_to_pb(p.total),
                buffer: convert::money_to_pb(e.buffer),
                monthly_payment: convert::money_to_pb(e.monthly_payment),
                years: i32::try_from(e.length_years).unwrap_or(i32::MAX),
                yearly,
                creditors: creditor_pb,
                total_debt: convert::money_to_pb(e.total_debt),
                total_paid_in: convert::money_to_pb(e.total_paid_in),
                total_fees: convert::money_to_pb(e.total_fees),
                total_distributed: convert::money_to_pb(e.total_distributed),
                total_unpaid: convert::money_to_pb(e.total_unpaid),
                tables: tables_to_pb(p.tables),
                provisional: p.provisional,
                warnings,
            }))
        }
        .await;
        audit.finish(result).await
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
        let (principal, from_date, to_date) = match v.finish((principal, from, to))? {
            (Some(p), Some(f), Some(t)) => (p, f, t),
            _ => return Err(Status::invalid_argument("the request is incomplete")),
        };
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
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        Ok(Response::new(pb::CalculateLateInterestResponse {
            principal: convert::money_to_pb(r.principal),
            periods: r
                .periods
                .into_iter()
                .map(|p| pb::LateInterestPeriod {
                    half_year: p.half_year.to_string(),
                    from_date: day(p.from),
                    to_date: day(p.to),
                    days: i32::try_from(p.days).unwrap_or(i32::MAX),
                    referensranta: p.referensranta.to_wire(),
                    rate: p.rate.to_wire(),
                    interest: convert::money_to_pb(p.interest),
                    basis: basis_pb(p.basis),
                })
                .collect(),
            days: i32::try_from(r.days).unwrap_or(i32::MAX),
            interest: convert::money_to_pb(r.total),
            basis: basis_pb(r.basis),
            tables: tables_to_pb(r.tables),
            provisional: r.provisional,
            warnings: r.warnings,
        }))
    }
}
