//! `RentPlanService`: landlords, leases with their rent history, rent due
//! dates, and eviction-risk notices (the legal dates: docs/sources.md §4).
//! Calls about a household are audited; landlords are organisations, not
//! household data.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::leases::{
    MAX_NOTE_CHARS, landlord_draft, landlord_to_pb, lease_draft, lease_to_pb, new_notice,
    notice_to_pb, notice_token, rent_due_to_pb, rent_from, resolution,
};
use super::convert::plans::{
    broken_after, plan_check_to_pb, plan_length, plan_terms, plan_to_pb, rent_history,
    schedule_to_pb,
};
use super::convert::{self, finish};
use crate::app::App;
use crate::domain::audit::RecordKind;
use crate::domain::calendar::YearMonth;
use crate::domain::error::{DomainError, Violations};
use crate::domain::lease::Lease;
use crate::domain::rent_plan::checks::{
    BudgetSurplus, OpenNotice, PlanCheck, check_warnings, plan_checks,
};
use crate::domain::rent_plan::schedule::{Schedule, schedule};
use crate::domain::rent_plan::{RentPlanDraft, eviction_notice_deadline};
use crate::domain::unit::Units;
use crate::pb;
use crate::store::StoreError;
use crate::store::reads_may_lag;

pub struct RentApi {
    app: Arc<App>,
}

impl RentApi {
    pub fn new(app: Arc<App>) -> Self {
        RentApi { app }
    }

    /// The plan checked against the case (`domain::rent_plan::checks`):
    /// its largest instalment against the surplus of the household's latest
    /// saved budget, its first due date against each open notice on the
    /// lease.
    async fn checks(&self, lease: &Lease, sched: &Schedule) -> Result<Vec<PlanCheck>, Status> {
        let household = lease.draft.household_id;
        let latest = self
            .app
            .store
            .list_budgets(household, None, 1)
            .await?
            .items
            .into_iter()
            .next();
        let budget = latest.map(|b| BudgetSurplus {
            budget_id: b.id,
            month: b.result.month,
            surplus: b.result.surplus,
        });
        let mut notices = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .app
                .store
                // The lease's household passed the caller's unit gate.
                .list_eviction_notices(&Units::All, Some(household), false, after, 500)
                .await?;
            after = page.items.last().map(|n| (n.deadline, n.id));
            notices.extend(
                page.items
                    .iter()
                    .filter(|n| n.lease_id == lease.id && n.resolution.is_none())
                    .map(|n| OpenNotice {
                        id: n.id,
                        deadline: n.deadline,
                    }),
            );
            if page.next.is_none() {
                break;
            }
        }
        Ok(plan_checks(sched, budget, &notices))
    }

    /// The lease a call names by id, touched for the trail.
    async fn lease(&self, audit: &AuditCall, id: Uuid) -> Result<Lease, Status> {
        let lease = self.app.store.get_lease(id).await?;
        audit.visible(lease.draft.household_id, "lease").await?;
        audit.record(RecordKind::Lease, lease.id);
        Ok(lease)
    }

    fn this_month(&self) -> YearMonth {
        YearMonth::of(self.app.clock.today())
    }
}

#[tonic::async_trait]
impl pb::rent_plan_service_server::RentPlanService for RentApi {
    async fn create_landlord(
        &self,
        request: Request<pb::CreateLandlordRequest>,
    ) -> Result<Response<pb::CreateLandlordResponse>, Status> {
        let pb::CreateLandlordRequest { landlord } = request.into_inner();
        let mut v = Violations::new();
        let draft = landlord_draft(landlord, &mut v);
        let draft = finish(v, draft)?;
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
        let landlord = self.app.store.get_landlord(convert::id("id", &id)?).await?;
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
        let page = reads_may_lag(self.app.store.list_landlords(after, size)).await?;
        Ok(Response::new(pb::ListLandlordsResponse {
            landlords: page.items.iter().map(landlord_to_pb).collect(),
            next_page_token: page.next.unwrap_or_default(),
        }))
    }

    async fn create_lease(
        &self,
        request: Request<pb::CreateLeaseRequest>,
    ) -> Result<Response<pb::CreateLeaseResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::CreateLeaseRequest {
                lease,
                start_month,
                monthly_rent,
            } = message;
            let mut v = Violations::new();
            let draft = lease_draft(lease, &mut v);
            let (start, rent) =
                rent_from("start_month", &start_month, monthly_rent.as_ref(), &mut v);
            let (draft, start, rent) = finish(v, (draft, start, rent))?;
            audit.visible(draft.household_id, "household").await?;
            let created = audit
                .write(
                    self.app
                        .store
                        .create_lease(&draft, start, rent, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::CreateLeaseResponse {
                lease: Some(lease_to_pb(&created, self.this_month())),
            }))
        })
        .await
    }

    async fn get_lease(
        &self,
        request: Request<pb::GetLeaseRequest>,
    ) -> Result<Response<pb::GetLeaseResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::GetLeaseRequest { id } = message;
            let lease = self.lease(audit, convert::id("id", &id)?).await?;
            Ok(Response::new(pb::GetLeaseResponse {
                lease: Some(lease_to_pb(&lease, self.this_month())),
            }))
        })
        .await
    }

    async fn list_leases(
        &self,
        request: Request<pb::ListLeasesRequest>,
    ) -> Result<Response<pb::ListLeasesResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (household_id, size, after) = audit.household_page(&message).await?;
            let page = reads_may_lag(self.app.store.list_leases(household_id, after, size)).await?;
            for lease in &page.items {
                audit.record(RecordKind::Lease, lease.id);
            }
            let this_month = self.this_month();
            Ok(Response::new(pb::ListLeasesResponse {
                leases: page
                    .items
                    .iter()
                    .map(|l| lease_to_pb(l, this_month))
                    .collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn change_lease_rent(
        &self,
        request: Request<pb::ChangeLeaseRentRequest>,
    ) -> Result<Response<pb::ChangeLeaseRentResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ChangeLeaseRentRequest {
                lease_id,
                from_month,
                monthly_rent,
            } = message;
            let mut v = Violations::new();
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let (from, rent) = rent_from("from_month", &from_month, monthly_rent.as_ref(), &mut v);
            let (lease_id, from, rent) = finish(v, (lease_id, from, rent))?;
            self.lease(audit, lease_id).await?;
            let changed = audit
                .write(
                    self.app
                        .store
                        .change_lease_rent(lease_id, from, rent, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::ChangeLeaseRentResponse {
                lease: Some(lease_to_pb(&changed, self.this_month())),
            }))
        })
        .await
    }

    async fn end_lease(
        &self,
        request: Request<pb::EndLeaseRequest>,
    ) -> Result<Response<pb::EndLeaseResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::EndLeaseRequest {
                lease_id,
                end_month,
            } = message;
            let mut v = Violations::new();
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let end = convert::month("end_month", &end_month, &mut v);
            let (lease_id, end) = finish(v, (lease_id, end))?;
            self.lease(audit, lease_id).await?;
            let ended = audit
                .write(self.app.store.end_lease(lease_id, end, audit.entry()))
                .await?;
            Ok(Response::new(pb::EndLeaseResponse {
                lease: Some(lease_to_pb(&ended, self.this_month())),
            }))
        })
        .await
    }

    async fn get_rent_due_date(
        &self,
        request: Request<pb::GetRentDueDateRequest>,
    ) -> Result<Response<pb::GetRentDueDateResponse>, Status> {
        let pb::GetRentDueDateRequest { month } = request.into_inner();
        let mut v = Violations::new();
        let month = convert::month("month", &month, &mut v);
        Ok(Response::new(rent_due_to_pb(finish(v, month)?)))
    }

    async fn create_eviction_notice(
        &self,
        request: Request<pb::CreateEvictionNoticeRequest>,
    ) -> Result<Response<pb::CreateEvictionNoticeResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::CreateEvictionNoticeRequest { notice } = message;
            let mut v = Violations::new();
            let notice = new_notice(notice, self.app.clock.today(), &mut v);
            let notice = finish(v, notice)?;
            let lease = match self.app.store.get_lease(notice.lease_id).await {
                Ok(lease) => lease,
                Err(StoreError::NotFound { .. }) => {
                    return Err(DomainError::invalid(
                        "notice.lease_id",
                        "NOT_FOUND",
                        "no such lease",
                    )
                    .into());
                }
                Err(e) => return Err(e.into()),
            };
            // Another unit's lease is "no such lease", as a missing one.
            if !audit.sees(lease.draft.household_id).await? {
                return Err(
                    DomainError::invalid("notice.lease_id", "NOT_FOUND", "no such lease").into(),
                );
            }
            let deadline = eviction_notice_deadline(notice.served);
            let created = audit
                .write(self.app.store.create_eviction_notice(
                    notice.lease_id,
                    notice.served,
                    notice.owed,
                    deadline,
                    &notice.note,
                    audit.entry(),
                ))
                .await?;
            Ok(Response::new(pb::CreateEvictionNoticeResponse {
                notice: Some(notice_to_pb(&created, self.app.clock.today())),
            }))
        })
        .await
    }

    async fn list_eviction_notices(
        &self,
        request: Request<pb::ListEvictionNoticesRequest>,
    ) -> Result<Response<pb::ListEvictionNoticesResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ListEvictionNoticesRequest {
                household_id,
                include_resolved,
                page_size,
                page_token,
            } = message;
            let mut v = Violations::new();
            let household = convert::optional_uuid("household_id", &household_id, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = notice_token(&page_token, &mut v);
            let household = finish(v, household)?;
            if let Some(h) = household {
                audit.existing_household(h).await?;
            }
            let page = reads_may_lag(self.app.store.list_eviction_notices(
                audit.units(),
                household,
                include_resolved,
                after,
                size,
            ))
            .await?;
            // Each household on the urgent list was read.
            for n in &page.items {
                audit.listed(n.household_id);
            }
            Ok(Response::new(pb::ListEvictionNoticesResponse {
                notices: page
                    .items
                    .iter()
                    .map(|n| notice_to_pb(n, self.app.clock.today()))
                    .collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn resolve_eviction_notice(
        &self,
        request: Request<pb::ResolveEvictionNoticeRequest>,
    ) -> Result<Response<pb::ResolveEvictionNoticeResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ResolveEvictionNoticeRequest {
                id,
                resolution: raw,
                resolved_date,
                note,
            } = message;
            let mut v = Violations::new();
            let id = convert::uuid("id", &id, &mut v);
            let resolution = resolution("resolution", raw, &mut v);
            let today = self.app.clock.today();
            let on = convert::past_date("resolved_date", &resolved_date, today, &mut v);
            convert::text("note", &note, MAX_NOTE_CHARS, false, &mut v);
            let (id, resolution, on) = finish(v, (id, resolution, on))?;
            let notice = self.app.store.get_eviction_notice(id).await?;
            audit
                .visible(notice.household_id, "eviction notice")
                .await?;
            if on < notice.served_on {
                return Err(DomainError::invalid(
                    "resolved_date",
                    "BEFORE_START",
                    "must not be before the notice was served",
                )
                .into());
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
                notice: Some(notice_to_pb(&resolved, today)),
            }))
        })
        .await
    }

    async fn preview_rent_payment_plan(
        &self,
        request: Request<pb::PreviewRentPaymentPlanRequest>,
    ) -> Result<Response<pb::PreviewRentPaymentPlanResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::PreviewRentPaymentPlanRequest { lease_id, terms } = message;
            let mut v = Violations::new();
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let terms = plan_terms(terms, &mut v);
            let (lease_id, terms) = finish(v, (lease_id, terms))?;
            let lease = self.lease(audit, lease_id).await?;
            let sched = schedule(&terms, &rent_history(&lease)?, "terms")?;
            let checks = self.checks(&lease, &sched).await?;
            Ok(Response::new(pb::PreviewRentPaymentPlanResponse {
                instalments: schedule_to_pb(&sched),
                warnings: check_warnings(&checks),
                checks: checks.into_iter().map(plan_check_to_pb).collect(),
            }))
        })
        .await
    }

    async fn create_rent_payment_plan(
        &self,
        request: Request<pb::CreateRentPaymentPlanRequest>,
    ) -> Result<Response<pb::CreateRentPaymentPlanResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let pb::CreateRentPaymentPlanRequest {
                request_id: _,
                lease_id,
                terms,
                broken_after_missed,
                debt_id,
            } = message;
            let lease_id = convert::uuid("lease_id", &lease_id, &mut v);
            let debt_id = convert::optional_uuid("debt_id", &debt_id, &mut v);
            let terms = plan_terms(terms, &mut v);
            let broken_after = broken_after("broken_after_missed", broken_after_missed, &mut v);
            let (idempotency, lease_id, terms, broken_after, debt_id) =
                finish(v, (idempotency, lease_id, terms, broken_after, debt_id))?;
            let lease = self.lease(audit, lease_id).await?;
            // The schedule checks the terms against the lease before anything
            // is written.
            let sched = schedule(&terms, &rent_history(&lease)?, "terms")?;
            let length = plan_length(&terms).ok_or_else(|| {
                Status::invalid_argument("give an instalment or a number of months")
            })?;
            let checks = self.checks(&lease, &sched).await?;
            let warnings = check_warnings(&checks);
            let draft = RentPlanDraft {
                lease_id,
                arrears: terms.arrears,
                start: terms.start,
                length,
                broken_after,
                debt_id,
            };
            let plan = audit
                .write(
                    self.app
                        .store
                        .create_rent_plan(&draft, &idempotency, audit.entry()),
                )
                .await?;
            Ok(Response::new(pb::CreateRentPaymentPlanResponse {
                plan: Some(plan_to_pb(&plan, &lease, self.app.clock.today(), warnings)?),
                checks: checks.into_iter().map(plan_check_to_pb).collect(),
            }))
        })
        .await
    }

    async fn get_rent_payment_plan(
        &self,
        request: Request<pb::GetRentPaymentPlanRequest>,
    ) -> Result<Response<pb::GetRentPaymentPlanResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            Ok(Response::new(
                rent_payment_plan(&self.app, audit, message).await?,
            ))
        })
        .await
    }

    async fn list_rent_payment_plans(
        &self,
        request: Request<pb::ListRentPaymentPlansRequest>,
    ) -> Result<Response<pb::ListRentPaymentPlansResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (household_id, size, after) = audit.household_page(&message).await?;
            let page =
                reads_may_lag(self.app.store.list_rent_plans(household_id, after, size)).await?;
            let today = self.app.clock.today();
            // A household has few leases and often several plans on one:
            // each lease is read once.
            let mut leases: HashMap<Uuid, Lease> = HashMap::new();
            let mut plans = Vec::with_capacity(page.items.len());
            for plan in &page.items {
                audit.record(RecordKind::Plan, plan.id);
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
        })
        .await
    }

    async fn record_plan_payment(
        &self,
        request: Request<pb::RecordPlanPaymentRequest>,
    ) -> Result<Response<pb::RecordPlanPaymentResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let pb::RecordPlanPaymentRequest {
                request_id: _,
                plan_id,
                date,
                amount,
            } = message;
            let plan_id = convert::uuid("plan_id", &plan_id, &mut v);
            if date.is_empty() {
                v.add("date", "REQUIRED", "required, as YYYY-MM-DD");
            }
            let today = self.app.clock.today();
            let date = convert::past_date("date", &date, today, &mut v);
            let amount = convert::positive("amount", amount.as_ref(), &mut v);
            let (idempotency, plan_id, date, amount) =
                finish(v, (idempotency, plan_id, date, amount))?;
            let plan = self.app.store.get_rent_plan(plan_id).await?;
            audit
                .visible(plan.household_id, "rent payment plan")
                .await?;
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
            let today = self.app.clock.today();
            Ok(Response::new(pb::RecordPlanPaymentResponse {
                plan: Some(plan_to_pb(&plan, &lease, today, Vec::new())?),
            }))
        })
        .await
    }

    async fn set_rent_payment_plan_debt(
        &self,
        request: Request<pb::SetRentPaymentPlanDebtRequest>,
    ) -> Result<Response<pb::SetRentPaymentPlanDebtResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::SetRentPaymentPlanDebtRequest { plan_id, debt_id } = message;
            let mut v = Violations::new();
            let plan_id = convert::uuid("plan_id", &plan_id, &mut v);
            let debt_id = convert::optional_uuid("debt_id", &debt_id, &mut v);
            let (plan_id, debt_id) = finish(v, (plan_id, debt_id))?;
            let plan = self.app.store.get_rent_plan(plan_id).await?;
            audit
                .visible(plan.household_id, "rent payment plan")
                .await?;
            let plan = audit
                .write(
                    self.app
                        .store
                        .set_rent_plan_debt(plan_id, debt_id, audit.entry()),
                )
                .await?;
            let lease = self.app.store.get_lease(plan.draft.lease_id).await?;
            Ok(Response::new(pb::SetRentPaymentPlanDebtResponse {
                plan: Some(plan_to_pb(
                    &plan,
                    &lease,
                    self.app.clock.today(),
                    Vec::new(),
                )?),
            }))
        })
        .await
    }
}

/// GetRentPaymentPlan's answer, for its handler and for documents.
pub(crate) async fn rent_payment_plan(
    app: &App,
    audit: &AuditCall,
    message: pb::GetRentPaymentPlanRequest,
) -> Result<pb::GetRentPaymentPlanResponse, Status> {
    let pb::GetRentPaymentPlanRequest { id, on_date } = message;
    let mut v = Violations::new();
    let id = convert::uuid("id", &id, &mut v);
    let on = convert::date_or("on_date", &on_date, app.clock.today(), &mut v);
    let (id, on) = finish(v, (id, on))?;
    let plan = app.store.get_rent_plan(id).await?;
    audit
        .visible(plan.household_id, "rent payment plan")
        .await?;
    audit.record(RecordKind::Plan, plan.id);
    audit.record(RecordKind::Lease, plan.draft.lease_id);
    let lease = app.store.get_lease(plan.draft.lease_id).await?;
    Ok(pb::GetRentPaymentPlanResponse {
        plan: Some(plan_to_pb(&plan, &lease, on, Vec::new())?),
    })
}
