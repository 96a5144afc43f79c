//! The embedded SQLite backend: a file in the working directory by default,
//! created on first start, in WAL mode with full fsync (a committed payout
//! must survive a power cut, not only a process crash).
//!
//! Every connection turns on `recursive_triggers`: without it, the delete
//! half of `INSERT OR REPLACE` / `REPLACE INTO` fires no DELETE trigger, so
//! a REPLACE could rewrite a row of an append-only table (the rent ledger,
//! `audit_events`, `debt_events`, `rent_plan_payments`) past its
//! `…_no_delete` trigger. With it, that delete hits the trigger and the
//! statement fails. No write path of the store uses REPLACE or UPSERT, and
//! no trigger writes, so nothing else changes.

use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

/// Adds `mode=rwc` (create if missing) unless the URL chooses a mode.
fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

pub(super) async fn pool(url: &str) -> anyhow::Result<AnyPool> {
    // An in-memory database lives only as long as its one connection.
    let in_memory = url.contains(":memory:");
    let options = AnyPoolOptions::new()
        .max_connections(if in_memory { 1 } else { 8 })
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout(if in_memory {
            None
        } else {
            Some(Duration::from_secs(600))
        })
        .max_lifetime(if in_memory {
            None
        } else {
            Some(Duration::from_secs(1800))
        })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                     PRAGMA recursive_triggers = ON;",
                )
                .await?;
                Ok(())
            })
        });
    options
        .connect(&with_create_mode(url))
        .await
        .context("opening the SQLite database (does its directory exist?)")
}

#[cfg(test)]
mod tests;
