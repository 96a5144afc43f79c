//! The read replica's watch: every second it measures the replica's lag
//! (`ReplicaStore::check_replica`), which routes reads that may lag to the
//! replica or to the primary. The verdict is published as the health
//! service `budgetrad.v1.ReadReplica`: SERVING while reads go to the replica,
//! NOT_SERVING while they go to the primary because the replica is down or
//! lags. Each change is logged once, with the lag.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

use crate::app::App;
use crate::store::{Backend, ReplicaState};

/// The health service that says whether reads go to the replica.
pub const READ_REPLICA_HEALTH: &str = "budgetrad.v1.ReadReplica";

/// A replica needs PostgreSQL on both URLs: refused before anything is
/// written.
pub(super) fn check_urls(database_url: &str, read_url: &str) -> anyhow::Result<()> {
    if Backend::from_url(database_url) != Some(Backend::Postgres) {
        anyhow::bail!(
            "--read-database-url needs --database-url to be PostgreSQL (postgres://…): SQLite has no streaming replicas"
        );
    }
    if Backend::from_url(read_url) != Some(Backend::Postgres) {
        anyhow::bail!(
            "--read-database-url must be a PostgreSQL URL (postgres://…) of a streaming replica"
        );
    }
    Ok(())
}

/// Checks the replica once (so the first calls already go where they
/// should), publishes it, and spawns the watch; `None` without a replica.
pub(super) async fn watch(
    app: Arc<App>,
    health: HealthReporter,
    interval: Duration,
) -> Option<JoinHandle<()>> {
    let first = app.store.check_replica().await?;
    publish(&health, None, first).await;
    Some(tokio::spawn(async move {
        let mut last = first;
        loop {
            tokio::time::sleep(interval).await;
            if let Some(state) = app.store.check_replica().await {
                publish(&health, Some(last), state).await;
                last = state;
            }
        }
    }))
}

/// Logs and publishes `state` when it routes reads differently from
/// `last`, or when a lagging replica's lag is first seen.
async fn publish(health: &HealthReporter, last: Option<ReplicaState>, state: ReplicaState) {
    let changed = match last {
        None => true,
        Some(last) => std::mem::discriminant(&last) != std::mem::discriminant(&state),
    };
    if !changed {
        return;
    }
    match state {
        ReplicaState::InUse { lag } => tracing::info!(
            lag_ms = lag.as_millis() as u64,
            "read replica in use: rent checks, lists and exports read from it (ReadReplica SERVING)"
        ),
        ReplicaState::Lagging { lag, max } => tracing::warn!(
            lag_seconds = lag.as_secs(),
            max_lag_seconds = max.as_secs(),
            "read replica lags too far: its reads go to the primary until it catches up (ReadReplica NOT_SERVING)"
        ),
        ReplicaState::Down => tracing::warn!(
            "read replica unreachable or not a standby: its reads go to the primary (ReadReplica NOT_SERVING)"
        ),
    }
    let status = if state.in_use() {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    };
    health.set_service_status(READ_REPLICA_HEALTH, status).await;
}
