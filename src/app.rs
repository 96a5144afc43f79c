//! The state every service shares: the store, the clock, the norm tables,
//! and whether the database answers.
//!
//! Norm tables change a few times a year, yet nearly every calculation reads
//! them, so they are cached in memory for a short time ([`NORM_CACHE_TTL`])
//! rather than read from the database on every call. An import on this
//! replica refreshes the cache at once; other replicas see it within the TTL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::documents::kinds::Letterhead;
use crate::domain::ledger::DEFAULT_MAX_PAYOUT_KR;
use crate::domain::money::Money;
use crate::domain::norms::NormTable;
use crate::domain::payment::pain001::{Debtor, Pain001Version};
use crate::domain::unit::UnitCode;
use crate::store::{Store, StoreError};

pub const NORM_CACHE_TTL: Duration = Duration::from_secs(30);

pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub norms: NormCache,
    pub database: Arc<DatabaseHealth>,
    /// The per-payout ceiling (`--max-payout-kr`): a payout above it is
    /// refused with PAYOUT_ABOVE_LIMIT before anything is written.
    pub max_payout: Money,
    /// Where a new household without a unit goes when its creator has
    /// several units or all (`--default-unit`); also the one unit of a
    /// token or certificate that names no units and is not admin or auditor.
    pub default_unit: UnitCode,
    /// The bank's file format and the paying account (`--bank-profile`,
    /// `--debtor-*`), and the largest payment batch.
    pub payments: PaymentSettings,
    /// The municipality and unit documents are headed with
    /// (`--municipality-name`, `--municipality-unit`).
    pub letterhead: Letterhead,
}

/// How payment batches are made and exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSettings {
    pub version: Pain001Version,
    /// The paying account; without it no batch is exported
    /// (BANK_NOT_CONFIGURED).
    pub debtor: Option<Debtor>,
    /// The most payouts a batch gathers (`--payment-batch-max`).
    pub batch_max: u32,
}

/// The default of `--payment-batch-max`.
pub const DEFAULT_PAYMENT_BATCH_MAX: u32 = 10_000;

impl Default for PaymentSettings {
    fn default() -> Self {
        PaymentSettings {
            version: Pain001Version::V09,
            debtor: None,
            batch_max: DEFAULT_PAYMENT_BATCH_MAX,
        }
    }
}

/// Whether the database answered its last ping (the server's health
/// watcher pings it every second). While it does not, calls are refused at
/// once with UNAVAILABLE instead of each waiting out the pool's timeout.
#[derive(Debug)]
pub struct DatabaseHealth(AtomicBool);

impl Default for DatabaseHealth {
    fn default() -> Self {
        DatabaseHealth(AtomicBool::new(true))
    }
}

impl DatabaseHealth {
    pub fn reachable(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    pub fn set_reachable(&self, reachable: bool) {
        self.0.store(reachable, Ordering::Relaxed);
    }
}

impl App {
    /// The shared state with the default per-payout ceiling
    /// ([`DEFAULT_MAX_PAYOUT_KR`]).
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Arc<App> {
        App::with_max_payout(
            store,
            clock,
            Money::from_kronor(i64::from(DEFAULT_MAX_PAYOUT_KR)),
        )
    }

    pub fn with_max_payout(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_payout: Money,
    ) -> Arc<App> {
        App::configured(
            store,
            clock,
            max_payout,
            UnitCode::default_unit(),
            PaymentSettings::default(),
            Letterhead::default(),
        )
    }

    /// The shared state with every setting given.
    pub fn configured(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        max_payout: Money,
        default_unit: UnitCode,
        payments: PaymentSettings,
        letterhead: Letterhead,
    ) -> Arc<App> {
        Arc::new(App {
            norms: NormCache::new(store.clone()),
            store,
            clock,
            database: Arc::default(),
            max_payout,
            default_unit,
            payments,
            letterhead,
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
