//! A million rent checks through two servers, one reading from the primary
//! and one from a streaming replica of it, beside one server alone, in one
//! run.
//!
//! The bench builds a PostgreSQL primary of its own and a streaming replica
//! (`initdb`, `pg_basebackup -R`, as `tests/it/replicas.rs` does), seeds the
//! synthetic municipality on the primary (`budgetrad seed`: 200 000
//! households, 12 months of history) and waits until the replica has
//! replayed it. Then it streams the checks twice, in two streams of half
//! each, so the client's side is the same both times:
//! - both streams to one server on the primary alone;
//! - one stream to a server on the primary, the other to a server with
//!   `--read-database-url` on the replica.
//!
//! It prints both times and their ratio (one server's time over two's: above
//! 1 the second server and the replica help). Both runs must give the same
//! answers, counted by status, or the bench fails. On this project's 2-core
//! machine both servers, both databases and the client share the cores, so
//! the ratio shows what the split costs rather than what more machines
//! would gain.
//!
//! `cargo bench --bench replica_throughput`. Options by environment:
//! BENCH_HOUSEHOLDS (200000), BENCH_CHECKS (1000000). Needs the PostgreSQL
//! programs in /usr/lib/postgresql.

#[path = "common.rs"]
mod common;

#[path = "../tests/support/cluster.rs"]
mod cluster;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use budgetrad::domain::calendar::YearMonth;
use budgetrad::grpc::auth::{Role, TokenEntry, TokenFile, hash_secret};
use budgetrad::pb;
use sqlx::{AnyConnection, Connection, Row};

use cluster::Cluster;
use common::{Server, env_or, rent_check_item};

const SECRET: &str = "bench-secret";
const MONTHS_SEEDED: u32 = 12;
/// The primary's and the replica's settings: room for three servers' pools.
/// pg_stat_statements shows that the replica answered.
const SETTINGS: &str =
    "-c max_connections=200 -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    sqlx::any::install_default_drivers();
    let Some(bin) = Cluster::programs() else {
        bail!(
            "no PostgreSQL programs in /usr/lib/postgresql: this bench builds its own primary and replica"
        );
    };
    let households = u32::try_from(env_or("BENCH_HOUSEHOLDS", 200_000))?;
    let checks = usize::try_from(env_or("BENCH_CHECKS", 1_000_000))?;
    let primary = Cluster::create_with(bin, SETTINGS);
    let replica = Cluster::replica_of(&primary);
    let dir = tempfile::tempdir()?;
    let tokens = TokenFile {
        tokens: vec![TokenEntry {
            name: "bench".into(),
            sha256: hash_secret(SECRET),
            roles: vec![Role::RentCheck],
            expires_at: None,
            signature: None,
            units: None,
        }],
    };
    std::fs::write(dir.path().join("tokens.toml"), toml::to_string(&tokens)?)?;
    runtime.block_on(async {
        let last_month = YearMonth::parse("2026-10").context("a month")?;
        eprintln!("seeding {households} households on the primary…");
        let started = Instant::now();
        common::seed(&primary.url(), households, last_month).await?;
        eprintln!("seeded in {:.0} s", started.elapsed().as_secs_f64());
        let mut conn = AnyConnection::connect(&primary.url()).await?;
        sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .execute(&mut conn)
            .await?;
        let _ = conn.close().await;
        let caught_up = caught_up(&primary.url(), &replica.url()).await?;
        eprintln!("the replica replayed the seed {caught_up:.1} s later");
        let plan = Arc::new(plan(&primary.url(), checks, last_month).await?);

        let alone = Server::start(&primary.url(), dir.path()).await?;
        let (one, one_answers) = run([&alone, &alone], &plan).await?;
        eprintln!("one server: {checks} checks in {:.2} s", one.as_secs_f64());
        drop(alone);

        let on_primary = Server::start(&primary.url(), dir.path()).await?;
        let read = [("BUDGETRAD_READ_DATABASE_URL", replica.url())];
        let on_replica = Server::start_with(&primary.url(), dir.path(), &read).await?;
        let (two, two_answers) = run([&on_primary, &on_replica], &plan).await?;
        eprintln!(
            "two servers (primary, replica): {checks} checks in {:.2} s",
            two.as_secs_f64()
        );
        ensure!(
            one_answers == two_answers,
            "the runs disagree: {one_answers:?} against {two_answers:?}"
        );
        let replica_reads = statements(&replica.url()).await?;
        ensure!(
            replica_reads > 0,
            "the server with the replica read nothing from it"
        );
        println!();
        println!("checks    one server s  two servers s  ratio (one / two)  answers by status");
        println!(
            "{checks:<9} {:>12.2} {:>14.2} {:>18.2}  {one_answers:?}",
            one.as_secs_f64(),
            two.as_secs_f64(),
            one.as_secs_f64() / two.as_secs_f64(),
        );
        println!(
            "the replica ran {replica_reads} rent-check statements; 2 cores shared by client, servers and both databases"
        );
        anyhow::Ok(())
    })
}

/// Seconds until the replica has replayed what the primary had written.
async fn caught_up(primary: &str, replica: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut conn = AnyConnection::connect(primary).await?;
    let target: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
        .fetch_one(&mut conn)
        .await?;
    let _ = conn.close().await;
    let mut conn = AnyConnection::connect(replica).await?;
    loop {
        let done: bool =
            sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= CAST($1 AS TEXT)::pg_lsn")
                .bind(target.clone())
                .fetch_one(&mut conn)
                .await?;
        if done {
            let _ = conn.close().await;
            return Ok(started.elapsed().as_secs_f64());
        }
        ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the replica did not catch up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// How many rent-check reads the database at `url` ran.
async fn statements(url: &str) -> anyhow::Result<i64> {
    let mut conn = AnyConnection::connect(url).await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(calls), 0)::BIGINT FROM pg_stat_statements \
         WHERE query LIKE 'WITH asked_people%'",
    )
    .fetch_one(&mut conn)
    .await
    .context("pg_stat_statements on the replica")?;
    let _ = conn.close().await;
    Ok(count)
}

/// The checks: item `i` asks about person `i % people` in a month counted
/// back from the last seeded one.
struct Plan {
    people: Vec<String>,
    months: Vec<String>,
    checks: usize,
}

async fn plan(url: &str, checks: usize, last_month: YearMonth) -> anyhow::Result<Plan> {
    let mut conn = AnyConnection::connect(url).await?;
    let people: Vec<String> = sqlx::query(
        "SELECT personal_identity_number FROM household_members \
         WHERE personal_identity_number IS NOT NULL ORDER BY personal_identity_number",
    )
    .fetch_all(&mut conn)
    .await?
    .iter()
    .map(|row| row.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    let _ = conn.close().await;
    ensure!(!people.is_empty(), "the seed made no people");
    let per_person = checks.div_ceil(people.len()).max(1);
    let months = (0..per_person)
        .map(|back| last_month.add_months(-((back as u32 % MONTHS_SEEDED) as i32)))
        .map(|m| m.to_string())
        .collect();
    Ok(Plan {
        people,
        months,
        checks,
    })
}

/// Streams the first half of the checks to `servers[0]` and the second half
/// to `servers[1]` at once; the time and the answers counted by status.
async fn run(
    servers: [&Server; 2],
    plan: &Arc<Plan>,
) -> anyhow::Result<(Duration, BTreeMap<String, usize>)> {
    let half = plan.checks / 2;
    let started = Instant::now();
    let (first, second) = tokio::try_join!(
        stream(servers[0], plan.clone(), 0..half),
        stream(servers[1], plan.clone(), half..plan.checks),
    )?;
    let elapsed = started.elapsed();
    let mut counts = first;
    for (status, n) in second {
        *counts.entry(status).or_default() += n;
    }
    Ok((elapsed, counts))
}

async fn stream(
    server: &Server,
    plan: Arc<Plan>,
    items: std::ops::Range<usize>,
) -> anyhow::Result<BTreeMap<String, usize>> {
    use tokio_stream::StreamExt;
    let expected = items.len();
    let mut client =
        pb::rent_check_service_client::RentCheckServiceClient::new(server.channel().await?)
            .max_decoding_message_size(1 << 20);
    let requests = tokio_stream::iter(items).map(move |i| {
        let n = plan.people.len();
        let pin = plan.people[i % n].clone();
        let month = plan.months[(i / n) % plan.months.len()].clone();
        rent_check_item(i, pin, month)
    });
    let mut request = tonic::Request::new(requests);
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {SECRET}").parse()?);
    let mut responses = client.check_rent_paid_stream(request).await?.into_inner();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut answered = 0;
    while let Some(response) = responses.message().await? {
        let status = match response.outcome {
            Some(pb::check_rent_paid_stream_response::Outcome::Result(r)) => {
                pb::RentCheckStatus::try_from(r.status)
                    .map(|s| s.as_str_name().to_owned())
                    .unwrap_or_else(|_| "?".to_owned())
            }
            other => bail!("check {}: {other:?}", response.correlation_id),
        };
        *counts.entry(status).or_default() += 1;
        answered += 1;
    }
    ensure!(
        answered == expected,
        "{answered} of {expected} checks answered"
    );
    Ok(counts)
}
