//! `GetMonthlyFollowUp` over a seeded municipality (`budgetrad seed`: 200 000
//! households, 12 months, notices, plans and moves), through the server
//! binary, beside the same counts read straight from the database in the
//! same run: the store's statements on a pool of this process, with no
//! server, no gRPC and no audit row. Rounds alternate the two; the bench
//! prints the median of each, and their ratio (target ≤ 2).
//!
//! BENCH_BACKENDS (`sqlite,postgres`), BENCH_HOUSEHOLDS (200000),
//! BENCH_ROUNDS (5). PostgreSQL as for the other benches.
//! BENCH_SEEDED_SQLITE, BENCH_SEEDED_POSTGRES: the URL of a database
//! already seeded with the same plan (`budgetrad seed --households N
//! --last-month 2026-10`, its other options left as they are), used as it
//! is instead of seeding one; N is counted from it. Seeding 200 000
//! households takes minutes (most of a run on PostgreSQL), and the
//! database can be seeded while the release build runs.

#[path = "common.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use budgetrad::domain::calendar::YearMonth;
use budgetrad::domain::unit::Units;
use budgetrad::grpc::auth::{Role, TokenEntry};
use budgetrad::pb;
use budgetrad::store::{FollowUpStore, SeedPlan, SqlStore};
use common::{Server, env_or, on_backends};
use tonic::metadata::MetadataValue;

const SECRET: &str = "bench-followup-secret";
const MONTH: &str = "2026-10";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    sqlx::any::install_default_drivers();
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let dir = tempfile::tempdir()?;
    common::write_token_file(
        dir.path(),
        vec![TokenEntry {
            units: Some(Units::All),
            ..common::bench_token("bench", SECRET, vec![Role::Statistics])
        }],
    )?;
    let reports = on_backends(&runtime, &backends, dir.path(), run)?;
    println!();
    println!("backend     households  direct s  GetMonthlyFollowUp s  ratio");
    for (backend, households, direct, call) in &reports {
        println!(
            "{backend:<10} {households:>11} {:>9.3} {:>21.3} {:>6.2}",
            direct.as_secs_f64(),
            call.as_secs_f64(),
            call.as_secs_f64() / direct.as_secs_f64()
        );
    }
    println!("target: ratio ≤ 2 (GetMonthlyFollowUp / the same counts read directly)");
    Ok(())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn run(
    backend: &'static str,
    url: &str,
    dir: &Path,
) -> anyhow::Result<(&'static str, u32, Duration, Duration)> {
    let mut households = u32::try_from(env_or("BENCH_HOUSEHOLDS", 200_000))?;
    let rounds = env_or("BENCH_ROUNDS", 5).max(1);
    let month = YearMonth::parse(MONTH).context("a month")?;
    let seeded = std::env::var(match backend {
        "SQLite" => "BENCH_SEEDED_SQLITE",
        _ => "BENCH_SEEDED_POSTGRES",
    })
    .ok();
    if let Some(seeded) = seeded {
        let store = SqlStore::connect(&seeded).await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM households")
            .fetch_one(store.pool())
            .await?;
        households = u32::try_from(sqlx::Row::try_get::<i64, _>(&row, "n")?)?;
        eprintln!("{backend}: {households} households seeded beforehand");
        return measure(backend, &seeded, dir, &store, households, rounds, month).await;
    }
    eprintln!("{backend}: seeding {households} households…");
    let started = Instant::now();
    let store = SqlStore::connect(url).await?;
    let report = store
        .seed_municipality(
            &SeedPlan {
                households,
                months: 12,
                last_month: month,
                unpaid_share: 0.05,
                partly_share: 0.05,
                reversal_share: 0.02,
                notice_share: 0.03,
                move_share: 0.1,
                seed: 1,
            },
            chrono::Utc::now(),
            |_| {},
        )
        .await?;
    eprintln!(
        "{backend}: seeded in {:.0} s: {report:?}",
        started.elapsed().as_secs_f64()
    );
    measure(backend, url, dir, &store, households, rounds, month).await
}

/// The rounds over the database at `url`, which `store` reads directly.
async fn measure(
    backend: &'static str,
    url: &str,
    dir: &Path,
    store: &SqlStore,
    households: u32,
    rounds: u64,
    month: YearMonth,
) -> anyhow::Result<(&'static str, u32, Duration, Duration)> {
    // The server caps a call at 30 s by default; over 200 000 households
    // on this shared machine one call may take longer.
    let server =
        Server::start_with(url, dir, &[("BUDGETRAD_MAX_CALL_SECONDS", "900".into())]).await?;
    let bearer: MetadataValue<_> = format!("Bearer {SECRET}").parse()?;
    let mut client = pb::follow_up_service_client::FollowUpServiceClient::with_interceptor(
        server.channel().await?,
        move |mut request: tonic::Request<()>| {
            request
                .metadata_mut()
                .insert("authorization", bearer.clone());
            Ok(request)
        },
    );
    let today = budgetrad::clock::stockholm_date(chrono::Utc::now());
    let (mut direct, mut calls) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let started = Instant::now();
        let facts = store.month_facts(&Units::All, month, today).await?;
        direct.push(started.elapsed());
        let started = Instant::now();
        let answer = client
            .get_monthly_follow_up(pb::GetMonthlyFollowUpRequest {
                month: MONTH.into(),
                unit: String::new(),
            })
            .await?
            .into_inner();
        calls.push(started.elapsed());
        let shown = answer
            .follow_up
            .map(|m| m.measures.iter().filter(|m| !m.suppressed).count())
            .unwrap_or(0);
        eprintln!(
            "{backend} round {round}: direct {:.3} s ({} notices, {:?} by contract type), call {:.3} s ({shown} figures shown)",
            direct[direct.len() - 1].as_secs_f64(),
            facts.notices_received,
            facts.households_by_contract,
            calls[calls.len() - 1].as_secs_f64(),
        );
    }
    Ok((backend, households, median(direct), median(calls)))
}
