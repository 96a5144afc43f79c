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
//!
//! The database holds personnummer: its file is created with mode 0600
//! before SQLite opens it, and SQLite gives its `-wal` and `-shm` files the
//! database file's mode. A database, `-wal` or `-shm` file found readable by
//! others is narrowed to 0600, with a warning.

use std::path::{Path, PathBuf};
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

/// The database file a `sqlite:` URL names; None for an in-memory one.
fn database_file(url: &str) -> Option<PathBuf> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// Creates the database file 0600 unless it exists (and unless the URL
/// opens it read-only), and narrows the modes of a database, `-wal` and
/// `-shm` that others may read.
fn make_private(url: &str) -> anyhow::Result<()> {
    let Some(file) = database_file(url) else {
        return Ok(());
    };
    let read_only = url.contains("mode=ro");
    let mut paths = vec![file.clone()];
    for suffix in ["-wal", "-shm"] {
        let mut name = file.clone().into_os_string();
        name.push(suffix);
        paths.push(PathBuf::from(name));
    }
    for (i, path) in paths.iter().enumerate() {
        let exists = Path::exists(path);
        // Only the database itself is created; SQLite makes the others.
        if !exists && (i > 0 || read_only) {
            continue;
        }
        let narrowed = crate::files::ensure_private(path).with_context(|| {
            format!(
                "creating the SQLite database {} (does its directory exist?)",
                path.display()
            )
        })?;
        if narrowed {
            tracing::warn!(
                file = %path.display(),
                "the SQLite file was readable by others: narrowed to mode 0600"
            );
        }
    }
    Ok(())
}

pub(super) async fn pool(url: &str) -> anyhow::Result<AnyPool> {
    // An in-memory database lives only as long as its one connection.
    let in_memory = url.contains(":memory:");
    make_private(url)?;
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
