//! CalculateBudget throughput over gRPC beside the health Check RPC (the
//! cheapest call the server has), on one in-process server and one client,
//! in one run. Prints both rates and their ratio; the target is ≥ 0.85.
//!
//! `cargo bench --bench budget_throughput` (a release build). Options by
//! environment: BENCH_SECONDS (per measurement, default 5), BENCH_CONCURRENCY
//! (default 64), BENCH_ROUNDS (alternating rounds, default 3),
//! BENCH_CONNECTIONS (HTTP/2 connections the tasks share, default 1), BENCH_ONLY
//! (`budget` or `health`: run one side alone, for profiling).
//!
//! The server and the load share this machine's cores, so absolute rates
//! say little; the ratio is what the benchmark measures, and the rounds
//! alternate so that drift in the machine's load hits both sides alike.

#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::time::Duration;

use budgetrad::app::App;
use budgetrad::clock::SystemClock;
use budgetrad::grpc::auth::{Role, TokenEntry, TokenFile, TokenStore, Tokens, hash_secret};
use budgetrad::grpc::pb;
use budgetrad::startup::{ServeOptions, serve};
use budgetrad::store::{SqlStore, Store};
use common::{budget_request, env_or, measure};
use tokio::net::TcpListener;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// The server binary's allocator (src/main.rs), since the server runs in
/// this process.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SECRET: &str = "bench-secret";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let seconds = env_or("BENCH_SECONDS", 5);
    let concurrency = env_or("BENCH_CONCURRENCY", 64);
    let rounds = env_or("BENCH_ROUNDS", 3);
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = Arc::new(
        SqlStore::connect(&format!("sqlite:{}", dir.path().join("bench.db").display())).await?,
    );
    let app = App::new(store, Arc::new(SystemClock));
    let tokens = TokenStore::from_file(TokenFile {
        tokens: vec![TokenEntry {
            name: "bench".into(),
            sha256: hash_secret(SECRET),
            roles: vec![Role::Counsellor],
            expires_at: None,
        }],
    });
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        app,
        Tokens::fixed(tokens),
        ServeOptions::default(),
        async {
            let _ = stopped.await;
        },
    ));
    // Both RPCs share the same connections (one by default, as a single
    // gRPC channel has).
    let connections = env_or("BENCH_CONNECTIONS", 1).max(1);
    let mut channels = Vec::new();
    for _ in 0..connections {
        channels.push(
            Channel::from_shared(format!("http://{addr}"))?
                .connect()
                .await?,
        );
    }
    let channels = Arc::new(channels);
    let bearer: tonic::metadata::MetadataValue<_> = format!("Bearer {SECRET}").parse()?;
    let request = budget_request();

    let budget_call = {
        let channels = channels.clone();
        move |task: usize| {
            let channel = channels[task % channels.len()].clone();
            let mut client = pb::budget_service_client::BudgetServiceClient::new(channel);
            let mut req = tonic::Request::new(request.clone());
            req.metadata_mut().insert("authorization", bearer.clone());
            async move { client.calculate_budget(req).await.is_ok() }
        }
    };
    let health_call = {
        let channels = channels.clone();
        move |task: usize| {
            let mut client = HealthClient::new(channels[task % channels.len()].clone());
            async move {
                client
                    .check(HealthCheckRequest {
                        service: String::new(),
                    })
                    .await
                    .is_ok()
            }
        }
    };
    // Warm up both paths (connections, caches, allocator).
    let _ = measure(concurrency, Duration::from_secs(1), health_call.clone()).await;
    let _ = measure(concurrency, Duration::from_secs(1), budget_call.clone()).await;

    let duration = Duration::from_secs(seconds);
    let (mut health_total, mut budget_total) = (0.0, 0.0);
    println!("round  health Check/s  CalculateBudget/s  ratio   CPU µs/call: health  budget");
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let skipped = (f64::NAN, None);
    let shown = |cpu: Option<f64>| cpu.map_or("-".to_owned(), |c| format!("{c:.0}"));
    for round in 1..=rounds {
        let (health, health_cpu) = if only == "budget" {
            skipped
        } else {
            measure(concurrency, duration, health_call.clone()).await
        };
        let (budget, budget_cpu) = if only == "health" {
            skipped
        } else {
            measure(concurrency, duration, budget_call.clone()).await
        };
        health_total += health;
        budget_total += budget;
        println!(
            "{round:>5}  {health:>14.0}  {budget:>17.0}  {:>5.2}   {:>18}  {:>6}",
            budget / health,
            shown(health_cpu),
            shown(budget_cpu)
        );
    }
    let health = health_total / rounds as f64;
    let budget = budget_total / rounds as f64;
    println!(
        "mean   {health:>14.0}  {budget:>17.0}  {:>5.2}   (concurrency {concurrency} over {connections} connection(s), {seconds} s × {rounds} rounds each; target ratio ≥ 0.85)",
        budget / health
    );
    let _ = stop.send(());
    let _ = server.await;
    Ok(())
}
