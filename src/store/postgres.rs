//! The production PostgreSQL backend. The service is stateless, so any number
//! of replicas can share one database; the pool is bounded, and a caller
//! waiting longer than the acquire timeout (2 s) gets UNAVAILABLE rather
//! than a queue without end. The timeout is short so that calls caught by
//! an outage before the health watcher sees it (within about two seconds;
//! after that calls are refused at once) still fail within a typical
//! deadline.

use std::time::Duration;

use anyhow::Context;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

fn options() -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(2))
        .idle_timeout(Some(Duration::from_secs(600)))
}

pub(super) async fn pool(url: &str) -> anyhow::Result<AnyPool> {
    options()
        .connect(url)
        .await
        .context("connecting to PostgreSQL")
}

/// A pool that connects on first use: for a read replica, which may be
/// down when the server starts (its reads then go to the primary).
pub(super) fn lazy_pool(url: &str) -> anyhow::Result<AnyPool> {
    options()
        .connect_lazy(url)
        .context("parsing the PostgreSQL URL")
}
