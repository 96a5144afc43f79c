//! The state every service shares: the store, the clock and the norm tables.
//!
//! Norm tables change a few times a year, yet nearly every calculation reads
//! them, so they are cached in memory for a short time ([`NORM_CACHE_TTL`])
//! rather than read from the database on every call. An import on this
//! replica refreshes the cache at once; other replicas see it within the TTL.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::domain::norms::NormTable;
use crate::store::{Store, StoreError};

pub const NORM_CACHE_TTL: Duration = Duration::from_secs(30);

pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub norms: NormCache,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Arc<App> {
        Arc::new(App {
            norms: NormCache::new(store.clone()),
            store,
            clock,
        })
    }
}

pub struct NormCache {
    store: Arc<dyn Store>,
    cached: RwLock<Option<(Instant, Arc<Vec<NormTable>>)>>,
}

impl NormCache {
    fn new(store: Arc<dyn Store>) -> Self {
        NormCache {
            store,
            cached: RwLock::new(None),
        }
    }

    /// The latest version of every table, newest period first.
    pub async fn all(&self) -> Result<Arc<Vec<NormTable>>, StoreError> {
        if let Ok(guard) = self.cached.read()
            && let Some((at, tables)) = guard.as_ref()
            && at.elapsed() < NORM_CACHE_TTL
        {
            return Ok(tables.clone());
        }
        let tables = Arc::new(self.store.all_norm_tables().await?);
        if let Ok(mut guard) = self.cached.write() {
            *guard = Some((Instant::now(), tables.clone()));
        }
        Ok(tables)
    }

    /// Forgets the cached tables, after an import.
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.cached.write() {
            *guard = None;
        }
    }
}
