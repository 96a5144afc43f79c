//! Shared SQL plumbing for the store's areas, over sqlx's `Any` driver: the
//! [`SqlStore`] and its pool, write transactions, row getters, and the
//! idempotency and unique-index handling every area's writes share. Each
//! area's trait is implemented for [`SqlStore`] in its own file.
//!
//! Writes run in one transaction each. On SQLite a write transaction starts
//! with `BEGIN IMMEDIATE`, so it holds the write lock from its first read and
//! two writers never interleave a read-check-write; on PostgreSQL the checks
//! are conditional writes (`WHERE revision = $n`) or unique indexes, which
//! hold under concurrency without locks.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Row, Transaction};
use uuid::Uuid;

use super::replica::Replica;
use super::{Backend, Idempotency, Store, StoreError, migrations, postgres, sqlite};
use crate::domain::money::Money;

#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    replica: Option<Arc<Replica>>,
}

impl std::fmt::Debug for SqlStore {
    // The URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
            .field("replica", &self.replica)
            .finish()
    }
}

impl SqlStore {
    /// Opens the database at `url` and migrates it over the same pool.
    pub async fn connect(url: &str) -> anyhow::Result<SqlStore> {
        Self::connect_migrating_as(url, url).await
    }

    /// Opens the database at `url` for serving after migrating it over
    /// `migrate_url`, the schema's owner. When the two differ (PostgreSQL
    /// only), the owner's one connection is closed before the serving pool
    /// opens, and the serving pool never runs a migration: it may be a role
    /// that can only read and append (docs/postgres-app-role.sql).
    pub async fn connect_migrating_as(url: &str, migrate_url: &str) -> anyhow::Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)
            .context("the database URL must start with sqlite: or postgres://")?;
        if migrate_url == url {
            let pool = open_pool(backend, url).await?;
            let mut conn = pool.acquire().await?;
            migrations::run(&mut conn, backend)
                .await
                .context("applying database migrations")?;
            drop(conn);
            return SqlStore::new(pool, backend).repaired().await;
        }
        if backend != Backend::Postgres || Backend::from_url(migrate_url) != Some(backend) {
            return Err(anyhow!(
                "a separate migration URL needs PostgreSQL on both URLs (SQLite has no roles)"
            ));
        }
        let mut owner = AnyConnection::connect(migrate_url)
            .await
            .context("connecting to PostgreSQL as the migration owner")?;
        migrations::run(&mut owner, backend)
            .await
            .context("applying database migrations as the migration owner")?;
        owner
            .close()
            .await
            .context("closing the owner's connection")?;
        let pool = open_pool(backend, url).await?;
        SqlStore::new(pool, backend).repaired().await
    }

    fn new(pool: AnyPool, backend: Backend) -> SqlStore {
        SqlStore {
            pool,
            backend,
            replica: None,
        }
    }

    /// The store with reads that may lag sent to the streaming replica at
    /// `url` while it lags at most `max_lag` (PostgreSQL only; see
    /// [`replica`](super::replica)). The replica is not used until the
    /// first [`check_replica`](super::ReplicaStore::check_replica) finds it
    /// close behind.
    pub fn with_replica(mut self, url: &str, max_lag: Duration) -> anyhow::Result<SqlStore> {
        if self.backend != Backend::Postgres || Backend::from_url(url) != Some(Backend::Postgres) {
            return Err(anyhow!(
                "--read-database-url needs PostgreSQL for both the database and its replica"
            ));
        }
        // Lazily: a replica that is down at start is skipped, not fatal.
        let pool = postgres::lazy_pool(url).context("the read replica's URL")?;
        self.replica = Some(Arc::new(Replica::new(pool, max_lag)));
        Ok(self)
    }

    pub(super) fn replica(&self) -> Option<&Replica> {
        self.replica.as_deref()
    }

    /// The pool of a list: inside [`reads_may_lag`](super::reads_may_lag)
    /// (a list RPC, an export) the replica while the watch finds it close
    /// behind, else the primary. Never for a read that decides a write.
    pub(super) fn reads(&self) -> &AnyPool {
        if super::replica::lag_allowed() {
            self.replica_reads().unwrap_or(&self.pool)
        } else {
            &self.pool
        }
    }

    /// The replica's pool while reads that may lag go to it.
    pub(super) fn replica_reads(&self) -> Option<&AnyPool> {
        self.replica.as_deref().and_then(Replica::pool_if_usable)
    }

    /// The store after the start-up repairs of rows written before a rule
    /// changed: the ledger entries linked into their hash chains, the
    /// notices' deadlines moved by lag (1930:173) 2 § (each a no-op once
    /// done).
    async fn repaired(self) -> anyhow::Result<SqlStore> {
        let store = self.with_chains_linked().await?;
        let moved = store
            .repair_notice_deadlines()
            .await
            .context("moving the deadlines of notices recorded before lag (1930:173) 2 §")?;
        if moved > 0 {
            tracing::info!(notices = moved, "notice deadlines moved to the next vardag");
        }
        Ok(store)
    }

    /// The store after linking the ledger entries written before the hash
    /// chains into their chains (a no-op once done).
    async fn with_chains_linked(self) -> anyhow::Result<SqlStore> {
        use super::ChainStore;
        let linked = self
            .link_backlog()
            .await
            .context("linking the ledger entries written before the hash chains")?;
        if linked > 0 {
            tracing::info!(
                entries = linked,
                "ledger entries linked into their hash chains"
            );
        }
        Ok(self)
    }

    /// The pool, for tests that must reach past the API (e.g. to prove a
    /// trigger rejects a direct UPDATE).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The row `sql` selects by `$1`, an id; NotFound (`resource`) when
    /// there is none.
    pub(super) async fn row_by_id(
        &self,
        sql: &'static str,
        id: Uuid,
        resource: &'static str,
    ) -> Result<AnyRow, StoreError> {
        sqlx::query(sql)
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound { resource })
    }

    pub(super) async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }
}

/// The serving pool of the backend.
async fn open_pool(backend: Backend, url: &str) -> anyhow::Result<AnyPool> {
    match backend {
        Backend::Sqlite => sqlite::pool(url).await,
        Backend::Postgres => postgres::pool(url).await,
    }
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The most parameters bound to one statement by a query over a list (an
/// `IN` list, a multi-row insert): about 8 KiB of values. sqlx 0.9.0 leaves
/// Nagle's algorithm on for TCP (TCP_NODELAY unset, sqlx issue #4335), so a
/// message larger than the socket's send buffer (16 KiB until the kernel
/// grows it) goes out in two writes, and the second waits ~40 ms for
/// PostgreSQL's delayed ACK: 1 000 ids to a statement made every statement
/// cost 40 ms. Smaller statements cost a round trip each, well under 1 ms.
pub(super) const LIST_PARAMS: usize = 200;

/// `$first, $first+1, …` for `count` values: the placeholders of an `IN`
/// list. Only placeholders go into the SQL text, never a value.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Other(anyhow!("unreadable value in column {what}"))
}

pub(super) fn get_str(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(column).map_err(StoreError::from)
}

pub(super) fn get_i64(row: &AnyRow, column: &str) -> Result<i64, StoreError> {
    row.try_get::<i64, _>(column).map_err(StoreError::from)
}

pub(super) fn get_uuid(row: &AnyRow, column: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&get_str(row, column)?).map_err(|_| corrupt(column))
}

pub(super) fn get_date(row: &AnyRow, column: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(&get_str(row, column)?, "%Y-%m-%d").map_err(|_| corrupt(column))
}

pub(super) fn get_time(row: &AnyRow, column: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(&get_str(row, column)?)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| corrupt(column))
}

pub(super) fn get_money(row: &AnyRow, column: &str) -> Result<Money, StoreError> {
    Ok(Money::from_ore(get_i64(row, column)?))
}

pub(super) fn ore(money: Money, what: &str) -> Result<i64, StoreError> {
    money
        .to_ore()
        .ok_or_else(|| StoreError::Other(anyhow!("{what} is not whole öre")))
}

pub(super) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// REQUEST_ID_REUSED: the caller's request id was used for a different
/// request.
pub(super) fn reused() -> StoreError {
    StoreError::Conflict {
        reason: "REQUEST_ID_REUSED",
        message: "this request_id was used for a different request".to_owned(),
        field: Some("request_id".to_owned()),
    }
}

/// The row a request id wrote, if any, read by `sql` (which selects by `$1`,
/// the request id, and returns the row's `request_hash`): the row when the
/// request is the same, REQUEST_ID_REUSED when it is not.
pub(super) async fn earlier_request<'c, E>(
    executor: E,
    sql: &'static str,
    idempotency: &Idempotency,
) -> Result<Option<AnyRow>, StoreError>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row = sqlx::query(sql)
        .bind(idempotency.request_id.to_string())
        .fetch_optional(executor)
        .await?;
    match row {
        None => Ok(None),
        Some(row) if get_str(&row, "request_hash")? == idempotency.request_hash => Ok(Some(row)),
        Some(_) => Err(reused()),
    }
}

/// A write a unique index may refuse: `Ok(Ok(_))` when it was written,
/// `Ok(Err(e))` when a unique index refused it (the caller says what that
/// means: a concurrent replay, a conflict), `Err` for any other failure.
pub(super) fn unique_refusal<T>(
    result: Result<T, sqlx::Error>,
) -> Result<Result<T, sqlx::Error>, StoreError> {
    match result {
        Ok(done) => Ok(Ok(done)),
        Err(e) if is_unique_violation(&e) => Ok(Err(e)),
        Err(e) => Err(e.into()),
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn ping(&self) -> Result<(), StoreError> {
        match self.backend() {
            // A connection of its own, past the pool: the pool would wait
            // out its acquire timeout retrying a refused connection, and a
            // busy pool would make a healthy database look down.
            Backend::Postgres => {
                use sqlx::ConnectOptions;
                let mut conn = self.pool.connect_options().connect().await?;
                sqlx::query("SELECT 1").execute(&mut conn).await?;
                let _ = sqlx::Connection::close(conn).await;
            }
            // The file does not go away; an in-memory database is only
            // reachable through the pool's one connection.
            Backend::Sqlite => {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
            }
        }
        Ok(())
    }
}
