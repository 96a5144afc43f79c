//! `FollowUpService`: the monthly follow-up for the steering group (issue
//! 22). Figures over the caller's units (or one of them), each with its
//! definition; a figure resting on fewer than five cases leaves suppressed,
//! without its value (`domain::followup::MIN_CELL`). The reads may go to
//! the replica; each call leaves one audit row naming no household.

use std::sync::Arc;

use tonic::{Code, Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::{self, finish};
use super::document_service::typeset;
use super::status::auth_refusal;
use crate::app::App;
use crate::documents::kinds::{Context, followup::report};
use crate::domain::audit::RecordKind;
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::followup::{MAX_MONTHS, Measure, ValueKind, measures};
use crate::domain::unit::{UNIT_CODE_RULE, UnitCode, Units};
use crate::pb;
use crate::store::reads_may_lag;

/// The months a follow-up report charts: its last month and the eleven
/// before it.
const REPORT_MONTHS: i32 = 12;

pub struct FollowUpApi {
    app: Arc<App>,
}

impl FollowUpApi {
    pub fn new(app: Arc<App>) -> Self {
        FollowUpApi { app }
    }

    /// The units to count over: the one asked for, when the caller has it
    /// (else PERMISSION_DENIED, `UNIT_NOT_PERMITTED`), or all the caller's.
    fn scope(&self, audit: &AuditCall, unit: Option<&UnitCode>) -> Result<Units, Status> {
        match unit {
            None => Ok(audit.units().clone()),
            Some(unit) if audit.units().contains(unit) => Ok(Units::one(unit.clone())),
            Some(_) => Err(auth_refusal(
                Code::PermissionDenied,
                "UNIT_NOT_PERMITTED",
                "the unit is not one of the caller's units",
                vec![("field".to_owned(), "unit".to_owned())],
            )),
        }
    }

    /// The follow-up of each month from `from` to `to`, oldest first.
    async fn months(
        &self,
        units: &Units,
        from: YearMonth,
        to: YearMonth,
        unit: &str,
    ) -> Result<Vec<pb::MonthlyFollowUp>, Status> {
        let mut months = Vec::new();
        let mut month = from;
        while month <= to {
            months.push(self.month(units, month, unit).await?);
            month = month.succ();
        }
        Ok(months)
    }

    async fn month(
        &self,
        units: &Units,
        month: YearMonth,
        unit: &str,
    ) -> Result<pb::MonthlyFollowUp, Status> {
        let facts = reads_may_lag(
            self.app
                .store
                .month_facts(units, month, self.app.clock.today()),
        )
        .await?;
        Ok(pb::MonthlyFollowUp {
            month: month.to_string(),
            unit: unit.to_owned(),
            measures: measures(&facts).iter().map(measure_to_pb).collect(),
        })
    }
}

/// A measure on the wire: a suppressed one without its value or cases.
pub fn measure_to_pb(m: &Measure) -> pb::FollowUpMeasure {
    let (suppressed, value, cases) = match m.published() {
        // Kronor keep their two decimals.
        Some((value, cases)) if m.kind == ValueKind::Amount => {
            (false, format!("{value:.2}"), cases)
        }
        Some((value, cases)) => (false, value.normalize().to_string(), cases),
        None => (true, String::new(), 0),
    };
    pb::FollowUpMeasure {
        code: m.code.to_owned(),
        dimension: m.dimension.to_owned(),
        definition: m.definition().to_owned(),
        kind: match m.kind {
            ValueKind::Count => pb::FollowUpValueKind::Count,
            ValueKind::Amount => pb::FollowUpValueKind::Amount,
            ValueKind::Days => pb::FollowUpValueKind::Days,
            ValueKind::Months => pb::FollowUpValueKind::Months,
        } as i32,
        suppressed,
        value,
        cases,
    }
}

/// An optional unit field.
fn unit_field(text: &str, v: &mut Violations) -> Option<UnitCode> {
    if text.is_empty() {
        return None;
    }
    let unit = UnitCode::parse(text);
    if unit.is_none() {
        v.add("unit", "UNIT_CODE_INVALID", UNIT_CODE_RULE);
    }
    unit
}

#[tonic::async_trait]
impl pb::follow_up_service_server::FollowUpService for FollowUpApi {
    async fn get_monthly_follow_up(
        &self,
        request: Request<pb::GetMonthlyFollowUpRequest>,
    ) -> Result<Response<pb::GetMonthlyFollowUpResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            audit.whole_register();
            let pb::GetMonthlyFollowUpRequest { month, unit } = message;
            let mut v = Violations::new();
            let parsed = convert::month("month", &month, &mut v);
            let code = unit_field(&unit, &mut v);
            let month = finish(v, parsed)?;
            let units = self.scope(audit, code.as_ref())?;
            Ok(Response::new(pb::GetMonthlyFollowUpResponse {
                follow_up: Some(self.month(&units, month, &unit).await?),
            }))
        })
        .await
    }

    async fn list_monthly_follow_up(
        &self,
        request: Request<pb::ListMonthlyFollowUpRequest>,
    ) -> Result<Response<pb::ListMonthlyFollowUpResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            audit.whole_register();
            let pb::ListMonthlyFollowUpRequest {
                from_month,
                to_month,
                unit,
            } = message;
            let mut v = Violations::new();
            let from = convert::month("from_month", &from_month, &mut v);
            let to = convert::month("to_month", &to_month, &mut v);
            let code = unit_field(&unit, &mut v);
            if let (Some(from), Some(to)) = (from, to) {
                if to < from {
                    v.add("to_month", "BEFORE_START", "must not be before from_month");
                } else if to > from.add_months(MAX_MONTHS - 1) {
                    v.add(
                        "to_month",
                        "OUT_OF_RANGE",
                        format!("at most {MAX_MONTHS} months from from_month"),
                    );
                }
            }
            let (from, to) = finish(v, (from, to))?;
            let units = self.scope(audit, code.as_ref())?;
            let months = self.months(&units, from, to, &unit).await?;
            Ok(Response::new(pb::ListMonthlyFollowUpResponse { months }))
        })
        .await
    }

    async fn render_follow_up_report(
        &self,
        request: Request<pb::RenderFollowUpReportRequest>,
    ) -> Result<Response<pb::RenderFollowUpReportResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            audit.whole_register();
            let app = &*self.app;
            let pb::RenderFollowUpReportRequest {
                to_month,
                unit,
                date,
            } = message;
            let mut v = Violations::new();
            let to = convert::month("to_month", &to_month, &mut v);
            let code = unit_field(&unit, &mut v);
            let date = convert::date_or("date", &date, app.clock.today(), &mut v);
            let (to, date) = finish(v, (to, date))?;
            let units = self.scope(audit, code.as_ref())?;
            let document_id = Uuid::now_v7();
            audit.record(RecordKind::Document, document_id);
            let months = self
                .months(&units, to.add_months(1 - REPORT_MONTHS), to, &unit)
                .await?;
            let kind = pb::DocumentKind::MonthlyFollowUpReport;
            let ctx = Context {
                kind: kind.as_str_name(),
                document_id: document_id.to_string(),
                letterhead: &app.letterhead,
                date,
                household: String::new(),
                household_address: Vec::new(),
                applicant: String::new(),
                signer: None,
            };
            let document = report(&ctx, &months, &unit);
            let typeset = typeset(app, kind, &document).await?;
            Ok(Response::new(pb::RenderFollowUpReportResponse {
                document_id: typeset.document_id,
                kind: typeset.kind,
                pdf: typeset.pdf,
                json: typeset.json,
            }))
        })
        .await
    }
}
