//! `RentPlanService`: landlords, leases with their rent history, rent due
//! dates, and eviction-risk notices (DESIGN §3.5). Calls about a household
//! are audited; landlords are organisations, not household data.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use chrono::NaiveDate;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert;
use crate::app::App;
use crate::domain::calendar::{YearMonth, rent_due_date};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::Basis;
use crate::domain::identity::{Bankgiro, OrganisationNumber, Plusgiro};
use crate::domain::lease::{
    ContractType, EvictionNotice, Landlord, LandlordDraft, Lease, LeaseDraft, NoticeResolution,
    PaymentAccount,
};
use crate::domain::money::Money;
use crate::domain::rent_plan::schedule::{PlanTerms, Schedule, budget_warning, schedule};
use crate::domain::rent_plan::tracking::{
    InstalmentState, Payment, PlanState, PlanStatus, status_on,
};
use crate::domain::rent_plan::{PlanLength, PlanPaymentSource, RentPlan, RentPlanDraft};
use crate::domain::rent_plan::{
    RentChange, RentHistory, eviction_notice_deadline, forfeiture_date,
};
use crate::pb;
use crate::store::Idempotency;

const MAX_TEXT_CHARS: usize = 200;
const MAX_NOTE_CHARS: usize = 500;

pub struct RentApi {
    app: Arc<App>,
}

impl RentApi {
    pub fn new(app: Arc<App>) -> Self {
        RentApi { app }
    }

    /// A warning when the plan's instalment exceeds the surplus of the
    /// household's latest saved budget.
    async fn budget_warnings(
        &self,
        lease: &Lease,
        sched: &Schedule,
    ) -> Result<Vec<String>, Status> {
        let latest = self
            .app
            .store
            .list_budgets(lease.draft.household_id, None, 1)
            .await?
            .items
            .into_iter()
            .next();
        let surplus = latest.map(|b| b.result.surplus);
        Ok(budget_warning(sched, surplus).into_iter().collect())
    }

    async fn create_plan(
        &self,
        draft: &RentPlanDraft,
        idempotency: &Idempotency,
        audit: &AuditCall,
    ) -> Result<RentPlan, crate::store::StoreError> {
        self.app
            .store
            .create_rent_plan(draft, idempotency, audit.entry())
            .await
    }
}

pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A required amount above zero.
pub(super) fn positive(
    field: &str,
    money: Option<&pb::Money>,
    v: &mut Violations,
) -> Option<Money> {
    let amount = convert::money_non_negative(field, money, v)?;
    if amount.is_zero() {
        v.add(field, "must be more than zero");
        return None;
    }
    Some(amount)
}

fn contract_type(raw: i32) -> Option<ContractType> {
    use pb::ContractType as C;
    Some(match C::try_from(raw).ok()? {
        C::Unspecified => return None,
        C::FirstHand => ContractType::FirstHand,
        C::SecondHand => ContractType::SecondHand,
        C::Social => ContractType::Social,
        C::HousingFirst => ContractType::HousingFirst,
        C::Training => ContractType::Training,
        C::Emergency => ContractType::Emergency,
        C::Supported => ContractType::Supported,
    })
}

fn contract_type_to_pb(c: ContractType) -> pb::ContractType {
    use pb::ContractType as C;
    match c {
        ContractType::FirstHand => C::FirstHand,
        ContractType::SecondHand => C::SecondHand,
        ContractType::Social => C::Social,
        ContractType::HousingFirst => C::HousingFirst,
        ContractType::Training => C::Training,
        ContractType::Emergency => C::Emergency,
        ContractType::Supported => C::Supported,
    }
}

fn resolution_to_pb(r: NoticeResolution) -> pb::NoticeResolution {
    match r {
        NoticeResolution::Paid => pb::NoticeResolution::Paid,
        NoticeResolution::PlanAgreed => pb::NoticeResolution::PlanAgreed,
        NoticeResolution::Other => pb::NoticeResolution::Other,
    }
}

fn landlord_to_pb(l: &Landlord) -> pb::Landlord {
    let (bankgiro, plusgiro) = match &l.draft.account {
        PaymentAccount::Bankgiro(bg) => (bg.as_str().to_owned(), String::new()),
        PaymentAccount::Plusgiro(pg) => (String::new(), pg.as_str().to_owned()),
    };
    pb::Landlord {
        id: l.id.to_string(),
        name: l.draft.name.clone(),
        organisation_number: l.draft.organisation_number.as_str().to_owned(),
        bankgiro,
        plusgiro,
        requires_ocr: l.draft.requires_ocr,
        create_time: Some(convert::timestamp(l.created_at)),
    }
}

fn lease_to_pb(l: &Lease, this_month: YearMonth) -> pb::Lease {
    let current = l
        .rents
        .iter()
        .rev()
        .find(|(from, _)| *from <= this_month)
        .map(|(_, rent)| *rent);
    pb::Lease {
        id: l.id.to_string(),
        household_id: l.draft.household_id.to_string(),
        landlord_id: l.draft.landlord_id.to_string(),
        object_reference: l.draft.object_reference.clone(),
        contract_type: contract_type_to_pb(l.draft.contract_type) as i32,
        rent_history: l
            .rents
            .iter()
            .map(|(from, rent)| pb::RentChange {
                from_month: from.to_string(),
                monthly_rent: convert::money_to_pb(*rent),
            })
            .collect(),
        current_rent: current.and_then(convert::money_to_pb),
        create_time: Some(convert::timestamp(l.created_at)),
        update_time: Some(convert::timestamp(l.updated_at)),
    }
}

fn deadline_basis(served: NaiveDate, deadline: NaiveDate) -> Basis {
    Basis {
        rule: "the tenant keeps the home by paying within three weeks of being served the underrättelse".to_owned(),
        source: "jordabalken 12 kap. 44 §".to_owned(),
        arithmetic: format!("{} + 3 veckor = {}", day(served), day(deadline)),
    }
}

fn notice_to_pb(n: &EvictionNotice) -> pb::EvictionNotice {
    pb::EvictionNotice {
        id: n.id.to_string(),
        lease_id: n.lease_id.to_string(),
        household_id: n.household_id.to_string(),
        served_date: day(n.served_on),
        amount_owed: convert::money_to_pb(n.amount_owed),
        deadline: day(n.deadline),
        deadline_basis: convert::basis_to_pb(deadline_basis(n.served_on, n.deadline)),
        resolution: n
            .resolution
            .map_or(pb::NoticeResolution::Unspecified, |(r, _)| {
                resolution_to_pb(r)
            }) as i32,
        resolved_date: n.resolution.map(|(_, on)| day(on)).unwrap_or_default(),
        note: n.note.clone(),
        create_time: Some(convert::timestamp(n.created_at)),
    }
}

/// Missed instalments that break a plan unless the plan says otherwise.
const DEFAULT_BROKEN_AFTER: u32 = 2;

fn rent_history(lease: &Lease) -> Result<RentHistory, Status> {
    history_of(&lease.rents)
}

fn history_of(rents: &[(YearMonth, Money)]) -> Result<RentHistory, Status> {
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
fn plan_terms(terms: Option<pb::PlanTerms>, v: &mut Violations) -> Option<PlanTerms> {
    let Some(pb::PlanTerms {
        arrears,
        start_month,
        length,
    }) = terms
    else {
        v.add("terms", "required");
        return None;
    };
    let arrears = convert::money_non_negative("terms.arrears", arrears.as_ref(), v);
    let start = convert::month("terms.start_month", &start_month, v);
    let (instalment, months) = match length {
        Some(pb::plan_terms::Length::Instalment(m)) => (
            convert::money_non_negative("terms.instalment", Some(&m), v).map(Some),
            Some(None),
        ),
        Some(pb::plan_terms::Length::Months(n)) => match u32::try_from(n) {
            Ok(n) => (Some(None), Some(Some(n))),
            Err(_) => {
                v.add("terms.months", "must not be negative");
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

fn plan_length(terms: &PlanTerms) -> Option<PlanLength> {
    match (terms.instalment, terms.months) {
        (Some(amount), None) => Some(PlanLength::Instalment(amount)),
        (None, Some(n)) => Some(PlanLength::Months(n)),
        _ => None,
    }
}

pub(super) fn instalment_state_to_pb(s: InstalmentState) -> pb::InstalmentState {
    match s {
        InstalmentState::Paid => pb::InstalmentState::Paid,
        InstalmentState::PartiallyPaid => pb::InstalmentState::PartiallyPaid,
        InstalmentState::Missed => pb::InstalmentState::Missed,
        InstalmentState::Upcoming => pb::InstalmentState::Upcoming,
    }
}

pub(super) fn plan_state_to_pb(s: PlanState) -> pb::PlanState {
    match s {
        PlanState::OnTrack => pb::PlanState::OnTrack,
        PlanState::Behind => pb::PlanState::Behind,
        PlanState::Completed => pb::PlanState::Completed,
        PlanState::Broken => pb::PlanState::Broken,
    }
}

fn schedule_to_pb(schedule: &Schedule) -> Vec<pb::PlanInstalment> {
    schedule
        .instalments
        .iter()
        .map(|i| pb::PlanInstalment {
            number: i32::try_from(i.number).unwrap_or(i32::MAX),
            month: i.month.to_string(),
            due_date: day(i.due_date),
            ordinary_rent: convert::money_to_pb(i.ordinary_rent),
            instalment: convert::money_to_pb(i.instalment),
            total_due: convert::money_to_pb(i.total_due),
            basis: convert::basis_to_pb(i.basis.clone()),
            paid: None,
            state: pb::InstalmentState::Unspecified as i32,
        })
        .collect()
}

fn terms_to_pb(d: &RentPlanDraft) -> pb::PlanTerms {
    pb::PlanTerms {
        arrears: convert::money_to_pb(d.arrears),
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

fn plan_payment_source_to_pb(s: PlanPaymentSource) -> pb::PlanPaymentSource {
    match s {
        PlanPaymentSource::Plan => pb::PlanPaymentSource::Plan,
        PlanPaymentSource::Payout => pb::PlanPaymentSource::Payout,
        PlanPaymentSource::Receipt => pb::PlanPaymentSource::Receipt,
    }
}

/// A stored plan's schedule, from its terms and the lease's rents, and its
/// status on `on` from its payments.
pub(super) fn plan_status(
    plan: &RentPlan,
    rents: &[(YearMonth, Money)],
    on: NaiveDate,
) -> Result<(Schedule, PlanStatus), Status> {
    let d = &plan.draft;
    let terms = PlanTerms {
        arrears: d.arrears,
        start: d.start,
        instalment: match d.length {
            PlanLength::Instalment(m) => Some(m),
            PlanLength::Months(_) => None,
        },
        months: match d.length {
            PlanLength::Months(n) => Some(n),
            PlanLength::Instalment(_) => None,
        },
    };
    let sched = schedule(&terms, &history_of(rents)?, "terms")?;
    let payments: Vec<Payment> = plan
        .payments
        .iter()
        .map(|p| Payment {
            date: p.date,
            amount: p.amount,
        })
        .collect();
    let status = status_on(&sched, &payments, on, d.broken_after)?;
    Ok((sched, status))
}

/// A stored plan with its schedule and each instalment's state on `on`.
fn plan_to_pb(
    plan: &RentPlan,
    lease: &Lease,
    on: NaiveDate,
    warnings: Vec<String>,
) -> Result<pb::RentPaymentPlan, Status> {
    let d = &plan.draft;
    let (sched, status) = plan_status(plan, &lease.rents, on)?;
    let mut instalments = schedule_to_pb(&sched);
    for (wire, st) in instalments.iter_mut().zip(&status.instalments) {
        wire.paid = convert::money_to_pb(st.paid);
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
                amount: convert::money_to_pb(p.amount),
                recorded_by: p.recorded_by.clone(),
                source: plan_payment_source_to_pb(p.source) as i32,
            })
            .collect(),
        status_date: day(on),
        state: plan_state_to_pb(status.state) as i32,
        paid: convert::money_to_pb(status.paid),
        outstanding: convert::money_to_pb(status.outstanding),
        overpaid: convert::money_to_pb(status.overpaid),
        warnings,
        created_by: plan.created_by.clone(),
        create_time: Some(convert::timestamp(plan.created_at)),
    })
}

/// A notice list's page token: `YYYY-MM-DD/uuid` of the last notice shown.
fn notice_token(token: &str, v: &mut Violations) -> Option<(NaiveDate, Uuid)> {
    if token.is_empty() {
        return None;
    }
    let parsed = token.split_once('/').and_then(|(d, id)| {
        Some((
            NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?,
            Uuid::parse_str(id).ok()?,
        ))
    });
    v.check(
        "page_token",
        parsed.ok_or("not a page token from this service"),
    )
}

#[tonic::async_trait]
impl pb::rent_plan_service_server::RentPlanService for RentApi {
    async fn create_landlord(
        &self,
        request: Request<pb::CreateLandlordRequest>,
    ) -> Result<Response<pb::CreateLandlordResponse>, Status> {
        let pb::CreateLandlordRequest { landlord } = request.into_inner();
        let mut v = Violations::new();
        let pb::Landlord {
            name,
            organisation_number,
            bankgiro,
            plusgiro,
            requires_ocr,
            id: _,
            create_time: _,
        } = landlord.unwrap_or_else(|| {
            v.add("landlord", "required");
            pb::Landlord::default()
        });
        convert::text("landlord.name", &name, MAX_TEXT_CHARS, true, &mut v);
        let org = if organisation_number.is_empty() {
            v.add("landlord.organisation_number", "required");
            None
        } else {
            v.check(
                "landlord.organisation_number",
                OrganisationNumber::parse(&organisation_number),
            )
        };
        let account = match (bankgiro.is_empty(), plusgiro.is_empty()) {
            (false, true) => v
                .check("landlord.bankgiro", Bankgiro::parse(&bankgiro))
                .map(PaymentAccount::Bankgiro),
            (true, false) => v
                .check("landlord.plusgiro", Plusgiro::parse(&plusgiro))
                .map(PaymentAccount::Plusgiro),
            (true, true) => {
                v.add("landlord.bankgiro", "give a bankgiro or a plusgiro");
                None
            }
            (false, false) => {
                v.add(
                    "landlord.plusgiro",
                    "give a bankgiro or a plusgiro, not both",
                );
                None
            }
        };
        let draft = match v.finish((org, account))? {
            (Some(organisation_number), Some(account)) => LandlordDraft {
                name: name.trim().to_owned(),
                organisation_number,
                account,
                requires_ocr,
            },
            _ => return Err(Status::invalid_argument("the landlord is incomplete")),
        };
        let created = self
            .app
            .store
            .create_landlord(&draft, self.app.clock.now())
            .await?;
        Ok(Response::new(pb::CreateLandlordResponse {
            landlord: Some(landlord_to_pb(&created)),
        }))
    }

    async fn get_landlord(
        &self,
        request: Request<pb::GetLandlordRequest>,
    ) -> Result<Response<pb::GetLandlordResponse>, Status> {
        let pb::GetLandlordRequest { id } = request.into_inner();
        let mut v = Violations::new();
        let id = convert::uuid("id", &id, &mut v);
        let id = v
            .finish(id)?
            .ok_or_else(|| Status::invalid_argument("id is required"))?;
        let landlord = self.app.store.get_landlord(id).await?;
        Ok(Response::new(pb::GetLandlordResponse {
            landlord: Some(landlord_to_pb(&landlord)),
        }))
    }

    async fn list_landlords(
        &self,
        request: Request<pb::ListLandlordsRequest>,
    ) -> Result<Response<pb::ListLandlordsResponse>, Status> {
        let pb::ListLandlordsRequest {
            page_size,
            page_token,
        } = request.into_inner();
        let mut v = Violations::new();
        let size = convert::page_size("page_size", page_size, &mut v);
        let after = convert::page_token("page_token", &page_token, &mut v);
        v.finish(())?;
        let page = self.app.store.list_landlords(after, size).await?;
        Ok(Response::new(pb::ListLandlordsResponse {
            landlords: page.items.iter().map(landlord_to_pb).collect(),
            next_page_token: page.next.unwrap_or_default(),
        }))
    }

    async fn create_lease(
        &self,
        request: Request<pb::CreateLeaseRequest>,
    ) -> Result<Response<pb::CreateLeaseResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CreateLeaseRequest {
            lease,
            start_month,
            monthly_rent,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let pb::Lease {
                household_id,
                landlord_id,
                object_reference,
                contract_type: raw_type,
                // Output only.
                id: _,
                rent_history: _,
                current_rent: _,
                create_time: _,
                update_time: _,
            } = lease.unwrap_or_else(|| {
                v.add("lease", "required");
                pb::Lease::default()
            });
            let household = convert::uuid("lease.household_id", &household_id, &mut v);
            let landlord = convert::uuid("lease.landlord_id", &landlord_id, &mut v);
            convert::text(
                "lease.object_reference",
                &object_reference,
                MAX_TEXT_CHARS,
                true,
                &mut v,
            );
            let kind = contract_type(raw_type);
            if kind.is_none() {
                v.add(
                    "lease.contract_type",
                    "required: choose one of the enum's values",
                );
            }
            let start = convert::month("start_month", &start_month, &mut v);
            let rent = convert::money_non_negative("monthly_rent", monthly_rent.as_ref(), &mut v);
            let (draft, start, rent) = match v.finish((household, landlord, kind, start, rent))? {
                (Some(household_id), Some(landlord_id), Some(contract_type), Some(s), Some(r)) => (
                    LeaseDraft {
                        household_id,
                        landlord_id,
                        object_reference: object_reference.trim().to_owned(),
                        contract_type,
                    },
                    s,
                    r,
                ),
                _ => return Err(Status::invalid_argument("the lease is incomplete")),
            };
            audit.touch(draft.household_id);
            let created = audit
                .write(
                    self.app
                        .store
                        .create_lease(&draft, start, rent, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::CreateLeaseResponse {
                lease: Some(lease_to_pb(&created, YearMonth::of(self.app.clock.today()))),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_lease(
        &self,
        request: Request<pb::GetLeaseRequest>,
    ) -> Result<Response<pb::GetLeaseResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetLeaseRequest { id } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let id = v
                .finish(id)?
                .ok_or_else(|| Status::invalid_argument("id is required"))?;
            let lease = self.app.store.get_lease(id).await?;
            audit.touch(lease.draft.household_id);
            Ok(Response::new(pb::GetLeaseResponse {
                lease: Some(lease_to_pb(&lease, YearMonth::of(self.app.clock.today()))),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_leases(
        &self,
        request: Request<pb::ListLeasesRequest>,
    ) -> Result<Response<pb::ListLeasesResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListLeasesRequest {
            household_id,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let household_id = v
                .finish(household_id)?
                .ok_or_else(|| Status::invalid_argument("household_id is required"))?;
            audit.existing_household(household_id).await?;
            let page = self
                .app
                .store
                .list_leases(household_id, after, size)
                .await?;
            let this_month = YearMonth::of(self.app.clock.today());
            Ok(Response::new(pb::ListLeasesResponse {
                leases: page
                    .items
                    .iter()
                    .map(|l| lease_to_pb(l, this_month))
                    .collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn change_lease_rent(
        &self,
        request: Request<pb::ChangeLeaseRentRequest>,
    ) -> Result<Response<pb::ChangeLeaseRentResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ChangeLeaseRentRequest {
            lease_id,
            from_month,
            monthly_rent,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let from = convert::month("from_month", &from_month, &mut v);
            let rent = convert::money_non_negative("monthly_rent", monthly_rent.as_ref(), &mut v);
            let (lease_id, from, rent) = match v.finish((lease_id, from, rent))? {
                (Some(l), Some(f), Some(r)) => (l, f, r),
                _ => return Err(Status::invalid_argument("the change is incomplete")),
            };
            let lease = self.app.store.get_lease(lease_id).await?;
            audit.touch(lease.draft.household_id);
            let changed = audit
                .write(
                    self.app
                        .store
                        .change_lease_rent(lease_id, from, rent, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::ChangeLeaseRentResponse {
                lease: Some(lease_to_pb(&changed, YearMonth::of(self.app.clock.today()))),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_rent_due_date(
        &self,
        request: Request<pb::GetRentDueDateRequest>,
    ) -> Result<Response<pb::GetRentDueDateResponse>, Status> {
        let pb::GetRentDueDateRequest { month } = request.into_inner();
        let mut v = Violations::new();
        let month = convert::month("month", &month, &mut v);
        let month = v
            .finish(month)?
            .ok_or_else(|| Status::invalid_argument("month is required"))?;
        let due = rent_due_date(month);
        let forfeit = forfeiture_date(month);
        Ok(Response::new(pb::GetRentDueDateResponse {
            month: month.to_string(),
            due_date: day(due),
            due_basis: convert::basis_to_pb(Basis {
                rule: "rent is paid in advance, at the latest on the last vardag before the month begins".to_owned(),
                source: "jordabalken 12 kap. 20 §; vardagar per lag (1989:253) och lag (1930:173)".to_owned(),
                arithmetic: format!("sista vardagen före {} = {}", day(month.first_day()), day(due)),
            }),
            forfeiture_date: day(forfeit),
            forfeiture_basis: convert::basis_to_pb(Basis {
                rule: "a home lease is forfeitable when rent is more than one week late after the due date".to_owned(),
                source: "jordabalken 12 kap. 42 § första stycket 1".to_owned(),
                arithmetic: format!("{} + 1 vecka + 1 dag = {}", day(due), day(forfeit)),
            }),
        }))
    }

    async fn create_eviction_notice(
        &self,
        request: Request<pb::CreateEvictionNoticeRequest>,
    ) -> Result<Response<pb::CreateEvictionNoticeResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CreateEvictionNoticeRequest { notice } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let pb::EvictionNotice {
                lease_id,
                served_date,
                amount_owed,
                note,
                // Output only.
                id: _,
                household_id: _,
                deadline: _,
                deadline_basis: _,
                resolution: _,
                resolved_date: _,
                create_time: _,
            } = notice.unwrap_or_else(|| {
                v.add("notice", "required");
                pb::EvictionNotice::default()
            });
            let lease_id = convert::uuid("notice.lease_id", &lease_id, &mut v);
            if served_date.is_empty() {
                v.add("notice.served_date", "required, as YYYY-MM-DD");
            }
            let served = convert::past_date(
                "notice.served_date",
                &served_date,
                self.app.clock.today(),
                &mut v,
            );
            let owed = positive("notice.amount_owed", amount_owed.as_ref(), &mut v);
            convert::text("notice.note", &note, MAX_NOTE_CHARS, false, &mut v);
            let (lease_id, served, owed) = match v.finish((lease_id, served, owed))? {
                (Some(l), Some(s), Some(o)) => (l, s, o),
                _ => return Err(Status::invalid_argument("the notice is incomplete")),
            };
            let lease = match self.app.store.get_lease(lease_id).await {
                Ok(lease) => lease,
                Err(crate::store::StoreError::NotFound { .. }) => {
                    let mut v = Violations::new();
                    v.add("notice.lease_id", "no such lease");
                    return Err(DomainError::Invalid(v).into());
                }
                Err(e) => return Err(e.into()),
            };
            audit.touch(lease.draft.household_id);
            let deadline = eviction_notice_deadline(served);
            let created = audit
                .write(self.app.store.create_eviction_notice(
                    lease_id,
                    served,
                    owed,
                    deadline,
                    note.trim(),
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::CreateEvictionNoticeResponse {
                notice: Some(notice_to_pb(&created)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_eviction_notices(
        &self,
        request: Request<pb::ListEvictionNoticesRequest>,
    ) -> Result<Response<pb::ListEvictionNoticesResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListEvictionNoticesRequest {
            household_id,
            include_resolved,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household = if household_id.is_empty() {
                None
            } else {
                convert::uuid("household_id", &household_id, &mut v)
            };
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = notice_token(&page_token, &mut v);
            v.finish(())?;
            if let Some(h) = household {
                audit.existing_household(h).await?;
            }
            let page = self
                .app
                .store
                .list_eviction_notices(household, include_resolved, after, size)
                .await?;
            // Each household on the urgent list was read.
            for n in &page.items {
                audit.touch(n.household_id);
            }
            Ok(Response::new(pb::ListEvictionNoticesResponse {
                notices: page.items.iter().map(notice_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn resolve_eviction_notice(
        &self,
        request: Request<pb::ResolveEvictionNoticeRequest>,
    ) -> Result<Response<pb::ResolveEvictionNoticeResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ResolveEvictionNoticeRequest {
            id,
            resolution,
            resolved_date,
            note,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let resolution = match pb::NoticeResolution::try_from(resolution) {
                Ok(pb::NoticeResolution::Paid) => Some(NoticeResolution::Paid),
                Ok(pb::NoticeResolution::PlanAgreed) => Some(NoticeResolution::PlanAgreed),
                Ok(pb::NoticeResolution::Other) => Some(NoticeResolution::Other),
                _ => {
                    v.add("resolution", "required: PAID, PLAN_AGREED or OTHER");
                    None
                }
            };
            let on = convert::past_date(
                "resolved_date",
                &resolved_date,
                self.app.clock.today(),
                &mut v,
            );
            convert::text("note", &note, MAX_NOTE_CHARS, false, &mut v);
            let (id, resolution, on) = match v.finish((id, resolution, on))? {
                (Some(i), Some(r), Some(o)) => (i, r, o),
                _ => return Err(Status::invalid_argument("the request is incomplete")),
            };
            let notice = self.app.store.get_eviction_notice(id).await?;
            audit.touch(notice.household_id);
            if on < notice.served_on {
                let mut v = Violations::new();
                v.add("resolved_date", "must not be before the notice was served");
                return Err(DomainError::Invalid(v).into());
            }
            let resolved = audit
                .write(self.app.store.resolve_eviction_notice(
                    id,
                    resolution,
                    on,
                    note.trim(),
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::ResolveEvictionNoticeResponse {
                notice: Some(notice_to_pb(&resolved)),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn preview_rent_payment_plan(
        &self,
        request: Request<pb::PreviewRentPaymentPlanRequest>,
    ) -> Result<Response<pb::PreviewRentPaymentPlanResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::PreviewRentPaymentPlanRequest { lease_id, terms } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let terms = plan_terms(terms, &mut v);
            let (lease_id, terms) = match v.finish((lease_id, terms))? {
                (Some(l), Some(t)) => (l, t),
                _ => return Err(Status::invalid_argument("the request is incomplete")),
            };
            let lease = self.app.store.get_lease(lease_id).await?;
            audit.touch(lease.draft.household_id);
            let sched = schedule(&terms, &rent_history(&lease)?, "terms")?;
            let warnings = self.budget_warnings(&lease, &sched).await?;
            Ok(Response::new(pb::PreviewRentPaymentPlanResponse {
                instalments: schedule_to_pb(&sched),
                warnings,
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn create_rent_payment_plan(
        &self,
        request: Request<pb::CreateRentPaymentPlanRequest>,
    ) -> Result<Response<pb::CreateRentPaymentPlanResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::CreateRentPaymentPlanRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::CreateRentPaymentPlanRequest {
                request_id,
                lease_id,
                terms,
                broken_after_missed,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let terms = plan_terms(terms, &mut v);
            let broken_after = match broken_after_missed {
                0 => Some(DEFAULT_BROKEN_AFTER),
                n => match u32::try_from(n) {
                    Ok(n) => Some(n),
                    Err(_) => {
                        v.add("broken_after_missed", "must be at least 1");
                        None
                    }
                },
            };
            let (idempotency, lease_id, terms, broken_after) =
                match v.finish((idempotency, lease_id, terms, broken_after))? {
                    (Some(i), Some(l), Some(t), Some(b)) => (i, l, t, b),
                    _ => return Err(Status::invalid_argument("the plan is incomplete")),
                };
            let lease = self.app.store.get_lease(lease_id).await?;
            audit.touch(lease.draft.household_id);
            // The schedule checks the terms against the lease before anything
            // is written.
            let sched = schedule(&terms, &rent_history(&lease)?, "terms")?;
            let length = plan_length(&terms).ok_or_else(|| {
                Status::invalid_argument("give an instalment or a number of months")
            })?;
            let warnings = self.budget_warnings(&lease, &sched).await?;
            let draft = RentPlanDraft {
                lease_id,
                arrears: terms.arrears,
                start: terms.start,
                length,
                broken_after,
            };
            let plan = audit
                .write(self.create_plan(&draft, &idempotency, &audit))
                .await?;
            Ok(Response::new(pb::CreateRentPaymentPlanResponse {
                plan: Some(plan_to_pb(&plan, &lease, self.app.clock.today(), warnings)?),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn get_rent_payment_plan(
        &self,
        request: Request<pb::GetRentPaymentPlanRequest>,
    ) -> Result<Response<pb::GetRentPaymentPlanResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::GetRentPaymentPlanRequest { id, on_date } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let on = if on_date.is_empty() {
                Some(self.app.clock.today())
            } else {
                convert::date("on_date", &on_date, &mut v)
            };
            let (id, on) = match v.finish((id, on))? {
                (Some(i), Some(o)) => (i, o),
                _ => return Err(Status::invalid_argument("the request is incomplete")),
            };
            let plan = self.app.store.get_rent_plan(id).await?;
            audit.touch(plan.household_id);
            let lease = self.app.store.get_lease(plan.draft.lease_id).await?;
            Ok(Response::new(pb::GetRentPaymentPlanResponse {
                plan: Some(plan_to_pb(&plan, &lease, on, Vec::new())?),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn list_rent_payment_plans(
        &self,
        request: Request<pb::ListRentPaymentPlansRequest>,
    ) -> Result<Response<pb::ListRentPaymentPlansResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::ListRentPaymentPlansRequest {
            household_id,
            page_size,
            page_token,
        } = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let household_id = convert::uuid("household_id", &household_id, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let household_id = v
                .finish(household_id)?
                .ok_or_else(|| Status::invalid_argument("household_id is required"))?;
            audit.existing_household(household_id).await?;
            let page = self
                .app
                .store
                .list_rent_plans(household_id, after, size)
                .await?;
            let today = self.app.clock.today();
            // A household has few leases and often several plans on one:
            // each lease is read once.
            let mut leases: HashMap<Uuid, Lease> = HashMap::new();
            let mut plans = Vec::with_capacity(page.items.len());
            for plan in &page.items {
                let id = plan.draft.lease_id;
                let lease = match leases.entry(id) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => slot.insert(self.app.store.get_lease(id).await?),
                };
                plans.push(plan_to_pb(plan, lease, today, Vec::new())?);
            }
            Ok(Response::new(pb::ListRentPaymentPlansResponse {
                plans,
                next_page_token: page.next.unwrap_or_default(),
            }))
        }
        .await;
        audit.finish(result).await
    }

    async fn record_plan_payment(
        &self,
        request: Request<pb::RecordPlanPaymentRequest>,
    ) -> Result<Response<pb::RecordPlanPaymentResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let message = request.into_inner();
        let result = async {
            let mut v = Violations::new();
            let rest = pb::RecordPlanPaymentRequest {
                request_id: String::new(),
                ..message.clone()
            };
            let pb::RecordPlanPaymentRequest {
                request_id,
                plan_id,
                date,
                amount,
            } = message;
            let idempotency = convert::idempotency(&request_id, &rest, &mut v);
            let plan_id = convert::uuid("plan_id", &plan_id, &mut v);
            if date.is_empty() {
                v.add("date", "required, as YYYY-MM-DD");
            }
            let date = convert::past_date("date", &date, self.app.clock.today(), &mut v);
            let amount = positive("amount", amount.as_ref(), &mut v);
            let (idempotency, plan_id, date, amount) =
                match v.finish((idempotency, plan_id, date, amount))? {
                    (Some(i), Some(p), Some(d), Some(a)) => (i, p, d, a),
                    _ => return Err(Status::invalid_argument("the payment is incomplete")),
                };
            let plan = self.app.store.get_rent_plan(plan_id).await?;
            audit.touch(plan.household_id);
            let plan = audit
                .write(self.app.store.record_plan_payment(
                    plan_id,
                    date,
                    amount,
                    &idempotency,
                    audit.entry(),
                ))
                .await?;
            let lease = self.app.store.get_lease(plan.draft.lease_id).await?;
            Ok(Response::new(pb::RecordPlanPaymentResponse {
                plan: Some(plan_to_pb(
                    &plan,
                    &lease,
                    self.app.clock.today(),
                    Vec::new(),
                )?),
            }))
        }
        .await;
        audit.finish(result).await
    }
}
