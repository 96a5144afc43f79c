//! Reads from a PostgreSQL streaming replica (`--read-database-url`).
//!
//! Only reads that may be a few seconds old go there: rent checks (unary
//! and stream), lists and exports. Everything that decides a write (the
//! idempotency lookup, the rent and arrears caps, attestation) reads the
//! primary inside its writing transaction, and every audit row, a replica
//! read's included, is written to the primary.
//!
//! The replica is used only while it is known to be close behind: the
//! server's replica watch calls [`ReplicaStore::check_replica`] every second,
//! which measures the lag and switches reads to the primary when the replica
//! is down or lags more than `--max-replica-lag-seconds`, and back when it
//! has caught up.
//!
//! How the lag is measured: each check reads the primary's WAL position
//! (`pg_current_wal_lsn()`) and remembers when it saw it, then reads how far
//! the replica has replayed (`pg_last_wal_replay_lsn()`). The lag is the age
//! of the oldest primary position the replica has not yet replayed, or zero
//! when it has replayed all of them. Unlike the age of the last replayed
//! transaction, this stays zero on an idle primary. It needs no clock shared
//! between the two servers either, since both instants are this server's.
//! It is at most one check interval coarse.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use sqlx::{AnyPool, Row};

use super::StoreError;
use super::sql::SqlStore;

/// What the replica watch found at its last check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReplicaState {
    /// Reads go to the replica; it lags this much (zero when caught up).
    InUse { lag: Duration },
    /// Reads go to the primary: the replica lags more than allowed.
    Lagging { lag: Duration, max: Duration },
    /// Reads go to the primary: the replica does not answer, or is not a
    /// standby of this primary (it has replayed nothing).
    Down,
}

impl ReplicaState {
    pub fn in_use(self) -> bool {
        matches!(self, ReplicaState::InUse { .. })
    }
}

tokio::task_local! {
    static MAY_LAG: ();
}

/// Runs `reads` (a list RPC's, an export's) letting its lists read from the
/// replica. Lists read anywhere else (the reads behind a plan's checks, an
/// overview, an offer) stay on the primary, so a caller sees its own
/// writes there at once. Rent checks always may read from the replica.
pub async fn reads_may_lag<F: std::future::Future>(reads: F) -> F::Output {
    MAY_LAG.scope((), reads).await
}

/// Whether the task runs inside [`reads_may_lag`].
pub(super) fn lag_allowed() -> bool {
    MAY_LAG.try_with(|()| ()).is_ok()
}

/// The replica's pool and the watch's verdict on it.
pub(super) struct Replica {
    pool: AnyPool,
    max_lag: Duration,
    usable: AtomicBool,
    /// Primary WAL positions not yet seen replayed, oldest first, with the
    /// instant each was read.
    pending: Mutex<VecDeque<(Instant, u64)>>,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("max_lag", &self.max_lag)
            .field("usable", &self.usable.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Replica {
    /// A replica that is not used until the first check finds it close
    /// behind.
    pub(super) fn new(pool: AnyPool, max_lag: Duration) -> Replica {
        Replica {
            pool,
            max_lag,
            usable: AtomicBool::new(false),
            pending: Mutex::new(VecDeque::new()),
        }
    }

    /// The pool reads that may lag go to now.
    pub(super) fn pool_if_usable(&self) -> Option<&AnyPool> {
        self.usable.load(Ordering::Relaxed).then_some(&self.pool)
    }

    /// The lag, from the primary's position read at `seen` and the replica's
    /// replay position.
    fn lag(&self, seen: Instant, primary: u64, replayed: u64) -> Duration {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        lag(&mut pending, seen, primary, replayed)
    }

    fn decide(&self, state: ReplicaState) -> ReplicaState {
        self.usable.store(state.in_use(), Ordering::Relaxed);
        state
    }
}

/// The module's rule: remember the primary's position `primary` read at
/// `seen` (unless an earlier one is as far), forget the positions the
/// replica has replayed, and answer the age of the oldest one left.
fn lag(
    pending: &mut VecDeque<(Instant, u64)>,
    seen: Instant,
    primary: u64,
    replayed: u64,
) -> Duration {
    if pending.back().is_none_or(|(_, lsn)| *lsn < primary) {
        pending.push_back((seen, primary));
    }
    while pending.front().is_some_and(|(_, lsn)| *lsn <= replayed) {
        pending.pop_front();
    }
    pending.front().map_or(Duration::ZERO, |(at, _)| {
        seen.saturating_duration_since(*at)
    })
}

/// A WAL position as PostgreSQL prints it (`16/B374D848`), as a number.
pub(crate) fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    let high = u64::from_str_radix(high, 16).ok()?;
    let low = u64::from_str_radix(low, 16).ok()?;
    (high <= u64::from(u32::MAX) && low <= u64::from(u32::MAX)).then_some((high << 32) | low)
}

/// The read replica, as the server's watch sees it.
#[async_trait]
pub trait ReplicaStore {
    /// Measures the replica's lag and routes reads by it; `None` when no
    /// replica is configured.
    async fn check_replica(&self) -> Option<ReplicaState>;
}

/// How long a check waits for either database.
const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

#[async_trait]
impl ReplicaStore for SqlStore {
    async fn check_replica(&self) -> Option<ReplicaState> {
        let replica = self.replica()?;
        let measured = tokio::time::timeout(CHECK_TIMEOUT, async {
            let seen = Instant::now();
            let primary = sqlx::query("SELECT pg_current_wal_lsn()::text AS lsn")
                .fetch_one(self.pool())
                .await?;
            let standby = sqlx::query(
                "SELECT pg_is_in_recovery() AS standby, \
                 pg_last_wal_replay_lsn()::text AS replayed",
            )
            .fetch_one(&replica.pool)
            .await?;
            Ok::<_, StoreError>((seen, primary, standby))
        })
        .await;
        let state = match measured {
            Ok(Ok((seen, primary, standby))) => {
                let primary = primary
                    .try_get::<String, _>("lsn")
                    .ok()
                    .and_then(|t| parse_lsn(&t));
                let is_standby = standby.try_get::<bool, _>("standby").unwrap_or(false);
                let replayed = standby
                    .try_get::<Option<String>, _>("replayed")
                    .ok()
                    .flatten()
                    .and_then(|t| parse_lsn(&t));
                match (primary, is_standby, replayed) {
                    (Some(primary), true, Some(replayed)) => {
                        let lag = replica.lag(seen, primary, replayed);
                        if lag > replica.max_lag {
                            ReplicaState::Lagging {
                                lag,
                                max: replica.max_lag,
                            }
                        } else {
                            ReplicaState::InUse { lag }
                        }
                    }
                    _ => ReplicaState::Down,
                }
            }
            _ => ReplicaState::Down,
        };
        Some(replica.decide(state))
    }
}

#[cfg(test)]
mod tests;
