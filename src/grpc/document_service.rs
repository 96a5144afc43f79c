//! `DocumentService`: letters and statements as PDF/A-2b with their data
//! twin. Each kind reads through the same function as the RPC it prints
//! (GetBudget, CalculateSocialAssistance, GetDebtOverview,
//! EstimateDebtRestructuring, GetRentPaymentPlan), inside this call's audit,
//! which names the document (`document:<id>`); `crate::documents` typesets.

use std::sync::Arc;

use chrono::NaiveDate;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::auth::Caller;
use super::budget_service::social_assistance;
use super::convert::budgets::saved_budget_to_pb;
use super::convert::{self, finish};
use super::debt_service::{debt_overview, debt_restructuring};
use super::rent_service::rent_payment_plan;
use crate::app::App;
use crate::documents::kinds::{self, BinderItem, Context, debts, rent};
use crate::documents::{self, Document};
use crate::domain::audit::RecordKind;
use crate::domain::calendar::{YearMonth, rent_due_date};
use crate::domain::error::Violations;
use crate::domain::household::Role;
use crate::domain::money::Money;
use crate::pb;
use pb::DocumentKind as Kind;

pub struct DocumentApi {
    app: Arc<App>,
}

impl DocumentApi {
    pub fn new(app: Arc<App>) -> Self {
        DocumentApi { app }
    }
}

/// The parsed request.
struct Wanted {
    kind: Kind,
    household_id: Uuid,
    date: NaiveDate,
    budget_id: Option<Uuid>,
    plan_id: Option<Uuid>,
    debt_id: Option<Uuid>,
    month: Option<YearMonth>,
}

fn parse(m: &pb::RenderDocumentRequest, today: NaiveDate) -> Result<Wanted, Status> {
    let mut v = Violations::new();
    let kind = match Kind::try_from(m.kind) {
        Ok(Kind::Unspecified) | Err(_) => {
            v.add(
                "kind",
                "REQUIRED",
                "required: one of the DocumentKind values",
            );
            None
        }
        Ok(Kind::MonthlyFollowUpReport) => {
            v.add(
                "kind",
                "NOT_HERE",
                "MONTHLY_FOLLOW_UP_REPORT is rendered by FollowUpService.RenderFollowUpReport",
            );
            None
        }
        Ok(kind) => Some(kind),
    };
    let household_id = convert::uuid("household_id", &m.household_id, &mut v);
    let date = convert::date_or("date", &m.date, today, &mut v);
    let optional_uuid = |field: &str, text: &str, v: &mut Violations| {
        if text.is_empty() {
            Some(None)
        } else {
            convert::uuid(field, text, v).map(Some)
        }
    };
    let budget_id = optional_uuid("budget_id", &m.budget_id, &mut v);
    let plan_id = optional_uuid("rent_payment_plan_id", &m.rent_payment_plan_id, &mut v);
    let debt_id = optional_uuid("debt_id", &m.debt_id, &mut v);
    let month = if m.month.is_empty() {
        Some(None)
    } else {
        convert::month("month", &m.month, &mut v).map(Some)
    };
    if let Some(kind) = kind {
        let needs = |field: &str, given: bool, v: &mut Violations| {
            if !given {
                v.add(field, "REQUIRED", "required for this kind");
            }
        };
        match kind {
            Kind::BudgetSummary | Kind::MonthlyBinderPage => {
                needs("budget_id", !m.budget_id.is_empty(), &mut v)
            }
            Kind::RentArrearsAgreement => needs(
                "rent_payment_plan_id",
                !m.rent_payment_plan_id.is_empty(),
                &mut v,
            ),
            Kind::SocialAssistanceCalculation => {
                let inner = m.social_assistance.as_ref();
                needs("social_assistance", inner.is_some(), &mut v);
                if inner
                    .is_some_and(|r| !r.household_id.is_empty() && r.household_id != m.household_id)
                {
                    v.add(
                        "social_assistance.household_id",
                        "NOT_OF_HOUSEHOLD",
                        "must be empty or household_id",
                    );
                }
            }
            Kind::SkuldsaneringEstimate => {
                let inner = m.debt_restructuring.as_ref();
                needs("debt_restructuring", inner.is_some(), &mut v);
                let own = inner
                    .and_then(|r| r.input.as_ref())
                    .map(|i| i.household_id.as_str());
                if own.is_some_and(|h| !h.is_empty() && h != m.household_id) {
                    v.add(
                        "debt_restructuring.input.household_id",
                        "NOT_OF_HOUSEHOLD",
                        "must be empty or household_id",
                    );
                }
            }
            _ => {}
        }
    }
    let (kind, household_id, date, budget_id, plan_id, debt_id, month) = finish(
        v,
        (kind, household_id, date, budget_id, plan_id, debt_id, month),
    )?;
    Ok(Wanted {
        kind,
        household_id,
        date,
        budget_id,
        plan_id,
        debt_id,
        month,
    })
}

/// How the letters name the household, its address block and its
/// applicant's name: the display name, else the applicant's name, else the
/// case reference, never an id.
async fn household_names(app: &App, id: Uuid) -> Result<(String, Vec<String>, String), Status> {
    let household = app.store.get_household(id).await?;
    let applicant = household
        .members
        .iter()
        .find(|m| m.role == Role::Applicant)
        .map(|m| m.full_name())
        .unwrap_or_default();
    let name = if !household.display_name.is_empty() {
        household.display_name.clone()
    } else if !applicant.is_empty() {
        format!("hushållet {applicant}")
    } else if household.case_reference.is_empty() {
        "hushållet".to_owned()
    } else {
        format!("hushållet i ärende {}", household.case_reference)
    };
    let address = household
        .postal_address
        .as_ref()
        .map(|a| a.lines())
        .unwrap_or_default();
    Ok((name, address, applicant))
}

/// A saved budget of the household.
async fn budget_of(app: &App, audit: &AuditCall, w: &Wanted) -> Result<pb::Budget, Status> {
    let id = w.budget_id.unwrap_or_default();
    let budget = app.store.get_budget(id).await?;
    audit.visible(budget.household_id, "budget").await?;
    if budget.household_id != w.household_id {
        return Err(not_of_household("budget_id"));
    }
    Ok(saved_budget_to_pb(budget))
}

fn not_of_household(field: &str) -> Status {
    let mut v = Violations::new();
    v.add(field, "NOT_OF_HOUSEHOLD", "must belong to household_id");
    match v.finish(()) {
        Err(e) => e.into(),
        Ok(()) => Status::invalid_argument(field.to_owned()),
    }
}

async fn overview(
    app: &App,
    audit: &AuditCall,
    w: &Wanted,
    m: &pb::RenderDocumentRequest,
) -> Result<pb::GetDebtOverviewResponse, Status> {
    debt_overview(
        app,
        audit,
        pb::GetDebtOverviewRequest {
            household_id: w.household_id.to_string(),
            date: w.date.to_string(),
            available_monthly_amount: m.available_monthly_amount.clone(),
        },
    )
    .await
}

/// The plan instalments and agreed debt payments of `month`.
async fn binder_extras(
    app: &App,
    audit: &AuditCall,
    w: &Wanted,
    m: &pb::RenderDocumentRequest,
    month: YearMonth,
) -> Result<Vec<BinderItem>, Status> {
    let mut items = Vec::new();
    if let Some(plan_id) = w.plan_id {
        let plan = plan_of(app, audit, w, plan_id).await?;
        let wanted = month.succ().to_string();
        for i in plan.instalments.iter().filter(|i| i.month == wanted) {
            items.push(BinderItem {
                label: format!("Avbetalning {} på hyresskulden", i.number),
                due: Some(rent_due_date(month.succ())),
                amount: kinds::money(&i.instalment),
            });
        }
    }
    let o = overview(app, audit, w, m).await?;
    for d in o.priority_debts.iter().chain(&o.other_debts) {
        let amount = kinds::money(&d.agreed_monthly_payment);
        if amount > Money::ZERO {
            items.push(BinderItem {
                label: format!("Avbetalning till {}", d.creditor_name),
                due: None,
                amount,
            });
        }
    }
    Ok(items)
}

async fn plan_of(
    app: &App,
    audit: &AuditCall,
    w: &Wanted,
    plan_id: Uuid,
) -> Result<pb::RentPaymentPlan, Status> {
    let plan = rent_payment_plan(
        app,
        audit,
        pb::GetRentPaymentPlanRequest {
            id: plan_id.to_string(),
            on_date: w.date.to_string(),
        },
    )
    .await?
    .plan
    .unwrap_or_default();
    if plan.household_id != w.household_id.to_string() {
        return Err(not_of_household("rent_payment_plan_id"));
    }
    Ok(plan)
}

async fn build(
    app: &App,
    audit: &AuditCall,
    ctx: &Context<'_>,
    w: &Wanted,
    m: pb::RenderDocumentRequest,
) -> Result<Document, Status> {
    let only = w.debt_id.map(|id| id.to_string());
    Ok(match w.kind {
        Kind::BudgetSummary => kinds::budget_summary(ctx, &budget_of(app, audit, w).await?),
        Kind::MonthlyBinderPage => {
            let budget = budget_of(app, audit, w).await?;
            let month = match w.month {
                Some(month) => month,
                None => budget
                    .result
                    .as_ref()
                    .and_then(|r| YearMonth::parse(&r.month))
                    .unwrap_or_else(|| YearMonth::of(w.date)),
            };
            let extras = binder_extras(app, audit, w, &m, month).await?;
            kinds::binder_page(ctx, &budget, month, extras)
        }
        Kind::SocialAssistanceCalculation => {
            let mut request = m.social_assistance.unwrap_or_default();
            if request.members.is_empty() {
                request.household_id = w.household_id.to_string();
            }
            kinds::social_assistance(ctx, &social_assistance(app, audit, request).await?)
        }
        Kind::DebtOverview => debts::overview(ctx, &overview(app, audit, w, &m).await?),
        Kind::CreditorRequest => {
            debts::creditor_request(ctx, &overview(app, audit, w, &m).await?, only.as_deref())
        }
        Kind::CreditorOffer => {
            debts::creditor_offer(ctx, &overview(app, audit, w, &m).await?, only.as_deref())
        }
        Kind::SkuldsaneringEstimate => {
            let mut request = m.debt_restructuring.unwrap_or_default();
            let input = request.input.get_or_insert_with(Default::default);
            if input.members.is_empty() {
                input.household_id = w.household_id.to_string();
            }
            debts::skuldsanering(ctx, &debt_restructuring(app, audit, request).await?)
        }
        Kind::RentArrearsAgreement => {
            let plan = plan_of(app, audit, w, w.plan_id.unwrap_or_default()).await?;
            rent::agreement(ctx, &plan)
        }
        // Refused by `parse`.
        Kind::Unspecified | Kind::MonthlyFollowUpReport => {
            return Err(Status::invalid_argument("kind"));
        }
    })
}

#[tonic::async_trait]
impl pb::document_service_server::DocumentService for DocumentApi {
    async fn render_document(
        &self,
        request: Request<pb::RenderDocumentRequest>,
    ) -> Result<Response<pb::RenderDocumentResponse>, Status> {
        let signer = Caller::of(&request)?.signature.clone();
        AuditCall::run(&self.app, request, async |audit, message| {
            let app = &*self.app;
            let w = parse(&message, app.clock.today())?;
            audit.existing_household(w.household_id).await?;
            let document_id = Uuid::now_v7();
            audit.record(RecordKind::Document, document_id);
            let (household, household_address, applicant) =
                household_names(app, w.household_id).await?;
            let ctx = Context {
                kind: w.kind.as_str_name(),
                document_id: document_id.to_string(),
                letterhead: &app.letterhead,
                date: w.date,
                household,
                household_address,
                applicant,
                signer,
            };
            let document = build(app, audit, &ctx, &w, message).await?;
            Ok(Response::new(typeset(app, w.kind, &document).await?))
        })
        .await
    }
}

/// `document` typeset as PDF/A-2b off the async threads, with its JSON twin:
/// the answer of RenderDocument and of FollowUpService.RenderFollowUpReport.
pub(super) async fn typeset(
    app: &App,
    kind: Kind,
    document: &Document,
) -> Result<pb::RenderDocumentResponse, Status> {
    let json = serde_json::to_vec(document).map_err(|_| typeset_failed(kind))?;
    let created = app.clock.now().naive_utc();
    let twin = json.clone();
    let pdf = tokio::task::spawn_blocking(move || documents::render_json(twin, created))
        .await
        .map_err(|_| typeset_failed(kind))?
        .map_err(|e| {
            // typst's message is about the template, not the content.
            tracing::error!(kind = kind.as_str_name(), error = %e, "document not typeset");
            typeset_failed(kind)
        })?;
    Ok(pb::RenderDocumentResponse {
        document_id: document.document_id.clone(),
        kind: kind as i32,
        pdf,
        json: String::from_utf8(json).map_err(|_| typeset_failed(kind))?,
        provisional: document.provisional,
    })
}

fn typeset_failed(kind: Kind) -> Status {
    Status::internal(format!(
        "the {} document could not be typeset",
        kind.as_str_name()
    ))
}
