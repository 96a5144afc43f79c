//! `NormService` (reading the norm tables) and `AdminService` (loading one,
//! and verifying the hash chains).

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::audit::AuditCall;
use super::auth::Caller;
use super::convert;
use super::convert::norms::{
    kind_filter, norm_table_draft, norm_table_to_pb, offset_token, period_status_to_pb,
};
use crate::app::App;
use crate::domain::error::Violations;
use crate::domain::norms::check_draft;
use crate::domain::norms::status::{Coverage, norm_status};
use crate::pb;

pub struct NormApi {
    app: Arc<App>,
}

impl NormApi {
    pub fn new(app: Arc<App>) -> Self {
        NormApi { app }
    }
}

#[tonic::async_trait]
impl pb::norm_service_server::NormService for NormApi {
    async fn list_norm_tables(
        &self,
        request: Request<pb::ListNormTablesRequest>,
    ) -> Result<Response<pb::ListNormTablesResponse>, Status> {
        let pb::ListNormTablesRequest {
            kind,
            in_force_on,
            page_size,
            page_token,
        } = request.into_inner();
        let mut v = Violations::new();
        let kind = kind_filter("kind", kind, &mut v);
        let date = if in_force_on.is_empty() {
            None
        } else {
            convert::date("in_force_on", &in_force_on, &mut v)
        };
        let size = convert::page_size("page_size", page_size, &mut v) as usize;
        let offset = offset_token("page_token", &page_token, &mut v);
        v.finish(())?;
        let tables = self.app.norms.all().await?;
        let matching: Vec<_> = tables
            .iter()
            .filter(|t| kind.is_none_or(|k| t.kind == k))
            .filter(|t| date.is_none_or(|d| t.in_force_on(d)))
            .collect();
        let end = offset.saturating_add(size).min(matching.len());
        let page = matching.get(offset..end).unwrap_or(&[]);
        Ok(Response::new(pb::ListNormTablesResponse {
            norm_tables: page.iter().map(|t| norm_table_to_pb(t, false)).collect(),
            next_page_token: if end < matching.len() {
                end.to_string()
            } else {
                String::new()
            },
        }))
    }

    async fn get_norm_table(
        &self,
        request: Request<pb::GetNormTableRequest>,
    ) -> Result<Response<pb::GetNormTableResponse>, Status> {
        let pb::GetNormTableRequest { id, version } = request.into_inner();
        let mut v = Violations::new();
        if id.is_empty() {
            v.add("id", "REQUIRED", "required");
        }
        if version < 0 {
            v.add(
                "version",
                "OUT_OF_RANGE",
                "0 for the latest, or a version number",
            );
        }
        v.finish(())?;
        let table = self
            .app
            .store
            .get_norm_table(&id, (version > 0).then_some(version))
            .await?;
        Ok(Response::new(pb::GetNormTableResponse {
            norm_table: Some(norm_table_to_pb(&table, true)),
        }))
    }

    async fn get_norm_status(
        &self,
        request: Request<pb::GetNormStatusRequest>,
    ) -> Result<Response<pb::GetNormStatusResponse>, Status> {
        let pb::GetNormStatusRequest { date } = request.into_inner();
        let mut v = Violations::new();
        let date = if date.is_empty() {
            Some(self.app.clock.today())
        } else {
            convert::date("date", &date, &mut v)
        };
        let date = convert::finish(v, date)?;
        let tables = self.app.norms.all().await?;
        let statuses = norm_status(&tables, date);
        Ok(Response::new(pb::GetNormStatusResponse {
            date: date.to_string(),
            missing: statuses.iter().any(|s| s.coverage == Coverage::Missing),
            periods: statuses.iter().map(period_status_to_pb).collect(),
        }))
    }
}

pub struct AdminApi {
    app: Arc<App>,
}

impl AdminApi {
    pub fn new(app: Arc<App>) -> Self {
        AdminApi { app }
    }
}

#[tonic::async_trait]
impl pb::admin_service_server::AdminService for AdminApi {
    async fn import_norm_table(
        &self,
        request: Request<pb::ImportNormTableRequest>,
    ) -> Result<Response<pb::ImportNormTableResponse>, Status> {
        let caller = Caller::of(&request)?;
        let pb::ImportNormTableRequest { norm_table } = request.into_inner();
        let mut v = Violations::new();
        let draft = norm_table_draft("norm_table", norm_table.as_ref(), &mut v);
        if let Some(draft) = &draft {
            v.extend(check_draft(draft, "norm_table"));
        }
        let draft = convert::finish(v, draft)?;
        let table = self
            .app
            .store
            .import_norm_table(&draft, &caller.name, self.app.clock.now())
            .await?;
        self.app.norms.invalidate();
        tracing::info!(
            table = %table.id,
            version = table.version,
            kind = table.kind.as_str(),
            loaded_by = %caller.name,
            "norm table imported"
        );
        Ok(Response::new(pb::ImportNormTableResponse {
            norm_table: Some(norm_table_to_pb(&table, true)),
        }))
    }

    async fn verify_ledger(
        &self,
        request: Request<pb::VerifyLedgerRequest>,
    ) -> Result<Response<pb::VerifyLedgerResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, _| {
            audit.whole_register();
            let verification = self.app.store.verify_chains().await?;
            if let Some(first) = &verification.first_mismatch {
                // Ids only: the record's content stays out of the log.
                tracing::warn!(
                    kind = first.kind.as_str(),
                    record = %first.record_id,
                    mismatch = ?first.mismatch,
                    "a record does not match its hash chain"
                );
            }
            Ok(Response::new(convert::audit::verification_to_pb(
                &verification,
            )))
        })
        .await
    }
}
