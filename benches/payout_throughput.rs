//! RecordRentPayout throughput over gRPC on PostgreSQL beside its limit: a
//! raw loop on the same database doing one comparable insert transaction
//! per call (BEGIN; INSERT the payout row; INSERT its audit row; COMMIT,
//! into copies of the two tables with the same columns, constraints and
//! indexes, but no lease lock, no checks and no gRPC). Prints both rates per
//! round, the ratio, and the mean; the target is a ratio of at least 0.5.
//!
//! `cargo bench --bench payout_throughput`. The database: BENCH_POSTGRES_URL,
//! else BUDGETRAD_TEST_POSTGRES_URL, else
//! `postgres://postgres@127.0.0.1:5432/postgres`; the bench creates its own
//! UUID-named database there and drops it at the end. Options by
//! environment: BENCH_SECONDS (per measurement, default 5), BENCH_ROUNDS
//! (alternating rounds, default 3), BENCH_CONCURRENCY (tasks, each paying
//! the rents of its own 32 leases month after month; default 16, the
//! server's pool size, which the raw loop's pool also has).

#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use budgetrad::app::App;
use budgetrad::clock::SystemClock;
use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::startup::ServeOptions;
use budgetrad::store::{SqlStore, Store};
use common::{InProcess, bench_token, env_or, measure, on_scratch_postgres};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use tonic::transport::Channel;
use tonic::{Request, metadata::MetadataValue};

const SECRET: &str = "bench-secret";
/// The rent of every lease: each payout pays one month in full.
const RENT: &str = "7900";
/// Leases per task: each task pays its leases' rents in turn, month after
/// month, so a long run stays within the years a month may have.
const LEASES_PER_TASK: u64 = 32;

/// The first rent month paid: far enough back that a long run's months stay
/// before the latest a payout dated today may pay (the month after today's:
/// RENT_MONTH_TOO_FAR_AHEAD), 444 months to today at the least.
const FIRST_YEAR: u64 = 1990;

/// Month `n` after January of [`FIRST_YEAR`], as YYYY-MM.
fn month(n: u64) -> String {
    format!("{}-{:02}", FIRST_YEAR + n / 12, n % 12 + 1)
}

fn authed<T>(message: T, bearer: &MetadataValue<tonic::metadata::Ascii>) -> Request<T> {
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", bearer.clone());
    request
}

/// `count` leases at one landlord, for one household.
async fn leases(
    channel: &Channel,
    bearer: &MetadataValue<tonic::metadata::Ascii>,
    count: u64,
) -> anyhow::Result<Vec<String>> {
    let mut households = pb::household_service_client::HouseholdServiceClient::new(channel.clone());
    let mut rent = pb::rent_plan_service_client::RentPlanServiceClient::new(channel.clone());
    let household = households
        .create_household(authed(common::bench_household(), bearer))
        .await?
        .into_inner()
        .household
        .context("a household")?;
    let landlord = rent
        .create_landlord(authed(common::bench_landlord(false), bearer))
        .await?
        .into_inner()
        .landlord
        .context("a landlord")?;
    let mut ids = Vec::new();
    for n in 0..count {
        let lease = rent
            .create_lease(authed(
                pb::CreateLeaseRequest {
                    lease: Some(pb::Lease {
                        household_id: household.id.clone(),
                        landlord_id: landlord.id.clone(),
                        object_reference: format!("BENCH-{n}"),
                        contract_type: pb::ContractType::Social as i32,
                        ..Default::default()
                    }),
                    start_month: month(0),
                    monthly_rent: Some(pb::Money {
                        amount: RENT.into(),
                    }),
                },
                bearer,
            ))
            .await?
            .into_inner()
            .lease
            .context("a lease")?;
        ids.push(lease.id);
    }
    Ok(ids)
}

/// One raw insert transaction of a payout row and its audit row.
async fn raw_insert(pool: &AnyPool, n: u64) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO bench_raw_payouts (id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'rent', 790000, 'BESLUT-BENCH', '50501055', NULL, NULL, '2026-11-22', NULL, 'bench', $7)",
    )
    .bind(id.clone())
    .bind(uuid::Uuid::new_v4().to_string())
    .bind("0".repeat(64))
    .bind(id.clone())
    .bind(id.clone())
    .bind(month(n))
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_raw_audit (occurred_at, caller, role, method, household_id, outcome) \
         VALUES ($1, 'bench', 'payout', 'budgetrad.v1.PayoutService/RecordRentPayout', $2, 'OK')",
    )
    .bind(chrono::Utc::now().to_rfc3339())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    sqlx::any::install_default_drivers();
    on_scratch_postgres(&runtime, async |url| run(&url).await)
}

async fn run(url: &str) -> anyhow::Result<()> {
    let seconds = env_or("BENCH_SECONDS", 5);
    let concurrency = env_or("BENCH_CONCURRENCY", 16).max(1);
    let rounds = env_or("BENCH_ROUNDS", 3).max(1);
    let store: Arc<dyn Store> = Arc::new(SqlStore::connect(url).await?);
    let app = App::new(store, Arc::new(SystemClock));
    let server = InProcess::start(
        app,
        vec![bench_token(
            "bench",
            SECRET,
            vec![Role::Payout, Role::Caseworker],
        )],
        ServeOptions::default(),
    )
    .await?;
    let channel = server.channel.clone();
    let bearer: MetadataValue<tonic::metadata::Ascii> = format!("Bearer {SECRET}").parse()?;
    let leases = Arc::new(leases(&channel, &bearer, concurrency * LEASES_PER_TASK).await?);

    // The limit's tables: the ledger's and the audit trail's columns,
    // constraints and indexes, without triggers or foreign keys.
    let raw_pool = AnyPoolOptions::new()
        .max_connections(16)
        .connect(url)
        .await?;
    for sql in [
        "CREATE TABLE bench_raw_payouts (LIKE rent_payouts INCLUDING ALL)",
        "CREATE TABLE bench_raw_audit (LIKE audit_events INCLUDING ALL)",
    ] {
        sqlx::query(sql).execute(&raw_pool).await?;
    }

    // Each task pays its own leases' rents in turn, month after month: every
    // call is a new payout that passes the rent check.
    let months: Arc<Vec<AtomicU64>> =
        Arc::new((0..concurrency).map(|_| AtomicU64::new(0)).collect());
    let payout_call = {
        let channel = channel.clone();
        let leases = leases.clone();
        let months = months.clone();
        move |task: usize| {
            let mut client = pb::payout_service_client::PayoutServiceClient::new(channel.clone());
            let n = months[task].fetch_add(1, Ordering::Relaxed);
            let lease = task as u64 * LEASES_PER_TASK + n % LEASES_PER_TASK;
            let request = authed(
                pb::RecordRentPayoutRequest {
                    request_id: uuid::Uuid::new_v4().to_string(),
                    lease_id: leases[lease as usize].clone(),
                    rent_month: month(n / LEASES_PER_TASK),
                    kind: pb::RentPaymentKind::Rent as i32,
                    amount: Some(pb::Money {
                        amount: RENT.into(),
                    }),
                    decision_reference: "BESLUT-BENCH".into(),
                    ocr_reference: String::new(),
                    payout_date: chrono::Utc::now().date_naive().to_string(),
                },
                &bearer,
            );
            async move {
                match client.record_rent_payout(request).await {
                    Ok(_) => true,
                    Err(status) => {
                        eprintln!("RecordRentPayout failed: {status:?}");
                        false
                    }
                }
            }
        }
    };
    let raw_months = Arc::new(AtomicU64::new(0));
    let raw_call = {
        let pool = raw_pool.clone();
        move |_task: usize| {
            let pool = pool.clone();
            let n = raw_months.fetch_add(1, Ordering::Relaxed);
            async move {
                match raw_insert(&pool, n).await {
                    Ok(()) => true,
                    Err(e) => {
                        eprintln!("raw insert failed: {e}");
                        false
                    }
                }
            }
        }
    };

    // Warm up both paths (connections, prepared statements, caches).
    let _ = measure(concurrency, Duration::from_secs(1), raw_call.clone()).await;
    let _ = measure(concurrency, Duration::from_secs(1), payout_call.clone()).await;

    let duration = Duration::from_secs(seconds);
    let (mut raw_total, mut payout_total) = (0.0, 0.0);
    println!("round  raw insert tx/s  RecordRentPayout/s  ratio");
    for round in 1..=rounds {
        let (raw, _) = measure(concurrency, duration, raw_call.clone()).await;
        let (payout, _) = measure(concurrency, duration, payout_call.clone()).await;
        raw_total += raw;
        payout_total += payout;
        println!(
            "{round:>5}  {raw:>15.0}  {payout:>18.0}  {:>5.2}",
            payout / raw
        );
    }
    let raw = raw_total / rounds as f64;
    let payout = payout_total / rounds as f64;
    println!(
        "mean   {raw:>15.0}  {payout:>18.0}  {:>5.2}   (PostgreSQL, concurrency {concurrency}, {seconds} s × {rounds} rounds each; target ratio ≥ 0.5)",
        payout / raw
    );
    raw_pool.close().await;
    server.stop().await;
    Ok(())
}
