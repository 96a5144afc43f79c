//! `AlertService`: the early warnings of the caller's units (and those of
//! no household), listed, watched and acknowledged. Every alert handed out
//! is audited against its household, naming the alert; a watch writes one
//! row per batch of alerts it sends, before sending it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::{self, finish};
use crate::app::App;
use crate::domain::alert::{Alert, AlertKind, AlertState};
use crate::domain::audit::{AuditEntry, RecordKind, RecordRef};
use crate::domain::error::Violations;
use crate::domain::unit::Units;
use crate::pb;
use crate::store::{AlertFilter, reads_may_lag};

/// Alerts a watch reads and sends at a time.
const WATCH_BATCH: u32 = 100;

pub struct AlertApi {
    app: Arc<App>,
    /// How often a watch looks for alerts changed since its last.
    poll: Duration,
    /// Turns true (or its sender goes away) when the server begins to shut
    /// down: every watch then ends, so that none holds the shutdown up.
    stopping: watch::Receiver<bool>,
}

impl AlertApi {
    pub fn new(app: Arc<App>, poll: Duration, stopping: watch::Receiver<bool>) -> Self {
        AlertApi {
            app,
            poll,
            stopping,
        }
    }
}

pub fn kind_to_pb(kind: AlertKind) -> pb::AlertKind {
    match kind {
        AlertKind::NoticeDeadline => pb::AlertKind::NoticeDeadline,
        AlertKind::InstalmentMissed => pb::AlertKind::InstalmentMissed,
        AlertKind::PlanBroken => pb::AlertKind::PlanBroken,
        AlertKind::RentUnpaid => pb::AlertKind::RentUnpaid,
        AlertKind::SecondUnpaidMonth => pb::AlertKind::SecondUnpaidMonth,
        AlertKind::PayoutRejected => pb::AlertKind::PayoutRejected,
        AlertKind::NormTableMissing => pb::AlertKind::NormTableMissing,
    }
}

fn state_to_pb(state: AlertState) -> pb::AlertState {
    match state {
        AlertState::Open => pb::AlertState::Open,
        AlertState::Acknowledged => pb::AlertState::Acknowledged,
        AlertState::Closed => pb::AlertState::Closed,
    }
}

fn kinds(field: &str, raw: &[i32], v: &mut Violations) -> Vec<AlertKind> {
    let mut out = Vec::new();
    for (i, k) in raw.iter().enumerate() {
        match AlertKind::ALL
            .into_iter()
            .find(|kind| kind_to_pb(*kind) as i32 == *k)
        {
            Some(kind) => out.push(kind),
            None => v.add(
                format!("{field}[{i}]"),
                "UNKNOWN_VALUE",
                "not an alert kind",
            ),
        }
    }
    out
}

fn states(field: &str, raw: &[i32], v: &mut Violations) -> Vec<AlertState> {
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        match [
            AlertState::Open,
            AlertState::Acknowledged,
            AlertState::Closed,
        ]
        .into_iter()
        .find(|state| state_to_pb(*state) as i32 == *s)
        {
            Some(state) => out.push(state),
            None => v.add(
                format!("{field}[{i}]"),
                "UNKNOWN_VALUE",
                "not an alert state",
            ),
        }
    }
    out
}

pub fn alert_to_pb(a: &Alert) -> pb::Alert {
    pb::Alert {
        id: a.id.to_string(),
        kind: kind_to_pb(a.kind) as i32,
        household_id: a.household_id.map(|h| h.to_string()).unwrap_or_default(),
        record_ids: a.records.clone(),
        period: a.period.clone(),
        due_date: a.due_date.map(convert::day).unwrap_or_default(),
        state: state_to_pb(a.state) as i32,
        create_time: Some(convert::timestamp(a.created_at)),
        change_time: Some(convert::timestamp(a.changed_at)),
        changed_by: a.changed_by.clone().unwrap_or_default(),
        sequence: a.sequence,
    }
}

/// The households of `alerts` for their audit row: each once, or none
/// (the row names no household) when only norm tables' alerts were read.
fn households_of(alerts: &[Alert]) -> Vec<Option<Uuid>> {
    let mut out: Vec<Option<Uuid>> = Vec::new();
    for a in alerts {
        if !out.contains(&a.household_id) {
            out.push(a.household_id);
        }
    }
    out
}

#[tonic::async_trait]
impl pb::alert_service_server::AlertService for AlertApi {
    async fn list_alerts(
        &self,
        request: Request<pb::ListAlertsRequest>,
    ) -> Result<Response<pb::ListAlertsResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::ListAlertsRequest {
                household_id,
                states: raw_states,
                kinds: raw_kinds,
                page_size,
                page_token,
            } = message;
            let mut v = Violations::new();
            let household = convert::optional_uuid("household_id", &household_id, &mut v);
            let states = states("states", &raw_states, &mut v);
            let kinds = kinds("kinds", &raw_kinds, &mut v);
            let size = convert::page_size("page_size", page_size, &mut v);
            let after = convert::page_token("page_token", &page_token, &mut v);
            let household = finish(v, household)?;
            if let Some(h) = household {
                audit.existing_household(h).await?;
            }
            let filter = AlertFilter {
                household_id: household,
                states,
                kinds,
            };
            let page = reads_may_lag(self.app.store.list_alerts(
                audit.units(),
                &filter,
                after,
                size,
            ))
            .await?;
            for a in &page.items {
                match a.household_id {
                    Some(h) => audit.listed(h),
                    None => audit.whole_register(),
                }
                audit.record(RecordKind::Alert, a.id);
            }
            Ok(Response::new(pb::ListAlertsResponse {
                alerts: page.items.iter().map(alert_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    type WatchAlertsStream = ReceiverStream<Result<pb::WatchAlertsResponse, Status>>;

    async fn watch_alerts(
        &self,
        request: Request<pb::WatchAlertsRequest>,
    ) -> Result<Response<Self::WatchAlertsStream>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::WatchAlertsRequest {
                kinds: raw_kinds,
                after_sequence,
            } = message;
            let mut v = Violations::new();
            let kinds = kinds("kinds", &raw_kinds, &mut v);
            if after_sequence < 0 {
                v.add("after_sequence", "NEGATIVE", "must not be negative");
            }
            let kinds = finish(v, Some(kinds))?;
            let after = if after_sequence > 0 {
                after_sequence
            } else {
                self.app.store.last_alert_sequence().await?
            };
            let (tx, rx) = mpsc::channel(WATCH_BATCH as usize);
            tokio::spawn(watch_until_stopping(
                self.stopping.clone(),
                tx.clone(),
                watch(
                    self.app.clone(),
                    audit.units().clone(),
                    audit.entry().clone(),
                    AlertFilter {
                        kinds,
                        ..AlertFilter::default()
                    },
                    after,
                    self.poll,
                    tx,
                ),
            ));
            Ok(Response::new(ReceiverStream::new(rx)))
        })
        .await
    }

    async fn acknowledge_alert(
        &self,
        request: Request<pb::AcknowledgeAlertRequest>,
    ) -> Result<Response<pb::AcknowledgeAlertResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let pb::AcknowledgeAlertRequest { id, close } = message;
            let id = convert::id("id", &id)?;
            let alert = self.app.store.get_alert(id).await?;
            match alert.household_id {
                Some(h) => audit.visible(h, "alert").await?,
                None => audit.whole_register(),
            }
            audit.record(RecordKind::Alert, id);
            let changed = audit
                .write(self.app.store.acknowledge_alert(id, close, audit.entry()))
                .await?;
            Ok(Response::new(pb::AcknowledgeAlertResponse {
                alert: Some(alert_to_pb(&changed)),
            }))
        })
        .await
    }
}

/// Runs the watch until the server begins to shut down, then ends the
/// stream with UNAVAILABLE, so that the client reconnects (to another
/// server, or this one restarted) with the last `sequence` it received as
/// `after_sequence`. A batch cut short is sent again after the reconnect;
/// its audit row was written before any of it was sent.
async fn watch_until_stopping(
    mut stopping: watch::Receiver<bool>,
    ending: mpsc::Sender<Result<pb::WatchAlertsResponse, Status>>,
    watch: impl Future<Output = ()>,
) {
    tokio::select! {
        biased;
        // An error means the server is gone without saying: stop as well.
        _ = stopping.wait_for(|stop| *stop) => {
            // Never wait on a client that does not read: if its queue is
            // full, the stream just ends.
            let _ = ending.try_send(Err(Status::unavailable("server shutting down")));
        }
        () = watch => {}
    }
}

/// Sends every alert of `units` changed after `after`, polling every
/// `poll`, until the caller goes away. Each batch's audit row is written
/// before the batch is sent; a batch whose row cannot be written ends the
/// stream with the error.
async fn watch(
    app: Arc<App>,
    units: Units,
    entry: AuditEntry,
    filter: AlertFilter,
    mut after: i64,
    poll: Duration,
    tx: mpsc::Sender<Result<pb::WatchAlertsResponse, Status>>,
) {
    let store = &app.store;
    loop {
        let batch = match store
            .alerts_after(&units, &filter, after, WATCH_BATCH)
            .await
        {
            Ok(batch) => batch,
            Err(e) => {
                let _ = tx.send(Err(e.into())).await;
                return;
            }
        };
        if batch.is_empty() {
            tokio::select! {
                () = tokio::time::sleep(poll) => continue,
                () = tx.closed() => return,
            }
        }
        let row = AuditEntry {
            at: app.clock.now(),
            ..entry.with_records(
                batch
                    .iter()
                    .map(|a| RecordRef::new(RecordKind::Alert, a.id)),
            )
        };
        if let Err(e) = store.append_audit(&row, &households_of(&batch)).await {
            let _ = tx.send(Err(e.into())).await;
            return;
        }
        for a in &batch {
            after = after.max(a.sequence);
            let message = pb::WatchAlertsResponse {
                alert: Some(alert_to_pb(a)),
            };
            if tx.send(Ok(message)).await.is_err() {
                return;
            }
        }
    }
}
