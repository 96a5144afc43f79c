//! ExportPaymentBatch over gRPC on PostgreSQL beside a plain SELECT of the
//! same rows in the same run: 100 000 payouts (BENCH_PAYOUTS) in one
//! attested batch, exported as pain.001.001.09 and read by a client that
//! keeps only the byte count, then the batch's payouts with their payees
//! read by one SELECT. Prints both rates in payouts/s, their ratio (target
//! at least 0.5), and the process's peak resident memory before and after
//! the exports (flat: the file streams from one statement as it is read).
//!
//! `cargo bench --bench payment_export`. The database as for the other
//! benches (BENCH_POSTGRES_URL, …); a scratch database is made and dropped.
//! BENCH_ROUNDS: alternating rounds (default 3).

#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use budgetrad::app::{App, PaymentSettings};
use budgetrad::clock::SystemClock;
use budgetrad::domain::money::Money;
use budgetrad::domain::payment::pain001::{Debtor, Pain001Version};
use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::startup::ServeOptions;
use budgetrad::store::{SqlStore, Store};
use common::{InProcess, bench_token, env_or, on_scratch_postgres};
use plain::count_rows;
use tonic::{Request, metadata::MetadataValue};

const PAYOUT_SECRET: &str = "bench-payout";
const ATTESTER_SECRET: &str = "bench-attester";

fn authed<T>(message: T, secret: &str) -> Request<T> {
    let mut request = Request::new(message);
    let bearer: MetadataValue<tonic::metadata::Ascii> =
        format!("Bearer {secret}").parse().expect("ASCII");
    request.metadata_mut().insert("authorization", bearer);
    request
}

/// The process's peak resident memory (VmHWM), in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The plain read of the same rows: a row count over a streamed SELECT.
mod plain {
    use sqlx::AnyPool;
    use tokio_stream::StreamExt;

    pub async fn count_rows(pool: &AnyPool, batch_id: &str) -> anyhow::Result<u64> {
        let mut rows = sqlx::query(
            "SELECT i.position, p.id, p.amount_ore, p.payout_date, p.payee_bankgiro, \
             p.payee_plusgiro, p.ocr_reference, p.decision_reference, ld.name, ld.street_name, \
             ld.building_number, ld.postal_code, ld.town_name, ld.country \
             FROM payment_batch_payouts i JOIN rent_payouts p ON p.id = i.payout_id \
             JOIN leases s ON s.id = p.lease_id JOIN landlords ld ON ld.id = s.landlord_id \
             WHERE i.batch_id = $1 ORDER BY i.position",
        )
        .bind(batch_id.to_owned())
        .fetch(pool);
        let mut n = 0;
        while let Some(row) = rows.next().await {
            row?;
            n += 1;
        }
        Ok(n)
    }
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    sqlx::any::install_default_drivers();
    on_scratch_postgres(&runtime, async |url| run(&url).await)
}

async fn run(url: &str) -> anyhow::Result<()> {
    let payouts = env_or("BENCH_PAYOUTS", 100_000);
    let rounds = env_or("BENCH_ROUNDS", 3).max(1);
    let sql = Arc::new(SqlStore::connect(url).await?);
    let store: Arc<dyn Store> = sql.clone();
    let payments = PaymentSettings {
        version: Pain001Version::V09,
        debtor: Some(
            Debtor::parse("Exempelby kommun", "SE4550000000058398257466", "ESSESESS")
                .map_err(anyhow::Error::msg)?,
        ),
        batch_max: u32::try_from(payouts)?,
    };
    let app = App::configured(
        store,
        Arc::new(SystemClock),
        Money::from_kronor(100_000),
        budgetrad::domain::unit::UnitCode::default_unit(),
        payments,
        budgetrad::documents::kinds::Letterhead::default(),
    );
    let server = InProcess::start(
        app,
        vec![
            bench_token(
                "bench-payout",
                PAYOUT_SECRET,
                vec![Role::Payout, Role::Caseworker],
            ),
            bench_token("bench-attester", ATTESTER_SECRET, vec![Role::Attester]),
        ],
        ServeOptions {
            max_call_duration: Duration::from_secs(600),
            ..ServeOptions::default()
        },
    )
    .await?;
    let channel = server.channel.clone();

    // One household, one landlord with an address, one lease; the payouts
    // written straight into the ledger (recording 100 000 through the API
    // is another bench's work).
    let mut households = pb::household_service_client::HouseholdServiceClient::new(channel.clone());
    let mut rent = pb::rent_plan_service_client::RentPlanServiceClient::new(channel.clone());
    let household = households
        .create_household(authed(common::bench_household(), PAYOUT_SECRET))
        .await?
        .into_inner()
        .household
        .context("a household")?;
    let landlord = rent
        .create_landlord(authed(common::bench_landlord(true), PAYOUT_SECRET))
        .await?
        .into_inner()
        .landlord
        .context("a landlord")?;
    let lease = rent
        .create_lease(authed(
            pb::CreateLeaseRequest {
                lease: Some(pb::Lease {
                    household_id: household.id.clone(),
                    landlord_id: landlord.id.clone(),
                    object_reference: "BENCH-1".into(),
                    contract_type: pb::ContractType::Social as i32,
                    ..Default::default()
                }),
                start_month: "2020-01".into(),
                monthly_rent: Some(pb::Money {
                    amount: "7900".into(),
                }),
            },
            PAYOUT_SECRET,
        ))
        .await?
        .into_inner()
        .lease
        .context("a lease")?;
    sqlx::query(
        "INSERT INTO rent_payouts (id, request_id, request_hash, household_id, lease_id, rent_month, kind, \
         amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, \
         recorded_by, recorded_at) \
         SELECT gen_random_uuid()::text, gen_random_uuid()::text, 'bench', $1, $2, '2026-11', 'rent', \
         700000 + g % 100000, 'BESLUT-' || g, '50501055', NULL, NULL, \
         CASE WHEN g % 2 = 0 THEN '2030-01-02' ELSE '2030-01-03' END, NULL, 'bench', \
         '2026-11-22T10:00:00.000000Z' FROM generate_series(1, $3) AS g",
    )
    .bind(household.id.clone())
    .bind(lease.id.clone())
    .bind(i64::try_from(payouts)?)
    .execute(sql.pool())
    .await?;

    let mut client = pb::payment_service_client::PaymentServiceClient::new(channel.clone());
    let started = Instant::now();
    let batch = client
        .create_payment_batch(authed(
            pb::CreatePaymentBatchRequest {
                request_id: uuid::Uuid::new_v4().to_string(),
                ..Default::default()
            },
            PAYOUT_SECRET,
        ))
        .await?
        .into_inner()
        .batch
        .context("a batch")?;
    println!(
        "batch of {} payouts created in {:.1} s",
        batch.payout_count,
        started.elapsed().as_secs_f64()
    );
    client
        .approve_payment_batch(authed(
            pb::ApprovePaymentBatchRequest {
                batch_id: batch.id.clone(),
                payout_count: batch.payout_count,
                total: batch.total.clone(),
            },
            ATTESTER_SECRET,
        ))
        .await?;

    let peak_before = peak_mib();
    let (mut exports, mut selects) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let started = Instant::now();
        let mut stream = client
            .export_payment_batch(authed(
                pb::ExportPaymentBatchRequest {
                    batch_id: batch.id.clone(),
                },
                PAYOUT_SECRET,
            ))
            .await?
            .into_inner();
        let mut bytes = 0usize;
        while let Some(chunk) = stream.message().await? {
            bytes += chunk.chunk.len();
        }
        let export_rate = payouts as f64 / started.elapsed().as_secs_f64();
        let started = Instant::now();
        let rows = count_rows(sql.pool(), &batch.id).await?;
        anyhow::ensure!(rows == payouts, "the SELECT read {rows} rows");
        let select_rate = payouts as f64 / started.elapsed().as_secs_f64();
        println!(
            "round {round}: export {export_rate:>9.0} payouts/s ({:.1} MiB file)   plain SELECT {select_rate:>9.0} rows/s   ratio {:.2}",
            bytes as f64 / 1_048_576.0,
            export_rate / select_rate
        );
        exports.push(export_rate);
        selects.push(select_rate);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "mean: export {:.0} payouts/s, plain SELECT {:.0} rows/s, ratio {:.2} (target >= 0.5)",
        mean(&exports),
        mean(&selects),
        mean(&exports) / mean(&selects)
    );
    if let (Some(before), Some(after)) = (peak_before, peak_mib()) {
        println!(
            "peak resident memory: {before:.0} MiB before the exports, {after:.0} MiB after ({} payouts each)",
            payouts
        );
    }
    server.stop().await;
    Ok(())
}
