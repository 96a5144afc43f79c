//! CalculateBudget throughput over gRPC beside the health Check RPC (the
//! cheapest call the server has), on one in-process server and one client,
//! in one run. Prints both rates and their ratio; the target is ≥ 0.85.
//!
//! `cargo bench --bench budget_throughput` (a release build). Options by
//! environment: BENCH_SECONDS (per measurement, default 2), BENCH_CONCURRENCY
//! (default 64), BENCH_ROUNDS (alternating rounds, default 10),
//! BENCH_CONNECTIONS (HTTP/2 connections the tasks share, default 1), BENCH_ONLY
//! (`budget` or `health`: run one side alone, for profiling, and skip the
//! timing of the budget's own work).
//!
//! The server and the load share this machine's cores, so absolute rates
//! say little; the ratio is what the benchmark measures, and the rounds
//! alternate so that drift in the machine's load hits both sides alike.
//!
//! Last, it times the budget's own work outside gRPC on one task: what the
//! client does (build and encode the request, decode the answer) and what
//! the server does (decode, calculate, encode). Added to a health call's CPU
//! time, that work bounds the ratio this arrangement can reach.

#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use budgetrad::app::App;
use budgetrad::clock::SystemClock;
use budgetrad::grpc::auth::Role;
use budgetrad::grpc::budget_service::BudgetApi;
use budgetrad::pb;
use budgetrad::startup::ServeOptions;
use budgetrad::store::{SqlStore, Store};
use common::{InProcess, bench_token, budget_request, env_or, measure};
use pb::budget_service_server::BudgetService;
use prost::Message;
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
    // Many short rounds rather than a few long ones: a burst of load from
    // the machine's neighbours spoils one round, and the median shows it.
    let seconds = env_or("BENCH_SECONDS", 2);
    let concurrency = env_or("BENCH_CONCURRENCY", 64);
    let rounds = env_or("BENCH_ROUNDS", 10);
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = Arc::new(
        SqlStore::connect(&format!("sqlite:{}", dir.path().join("bench.db").display())).await?,
    );
    let app = App::new(store, Arc::new(SystemClock));
    let api = BudgetApi::new(app.clone());
    let server = InProcess::start(
        app,
        vec![bench_token("bench", SECRET, vec![Role::Counsellor])],
        ServeOptions::default(),
    )
    .await?;
    let addr = server.addr;
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
    let own_request = request.clone();

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
    let mut round_ratios = Vec::new();
    // The health side's CPU µs per call, summed over the rounds that have it.
    let (mut health_cpu_total, mut health_cpu_rounds) = (0.0, 0u32);
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
        round_ratios.push(budget / health);
        if let Some(cpu) = health_cpu {
            health_cpu_total += cpu;
            health_cpu_rounds += 1;
        }
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
    round_ratios.sort_by(f64::total_cmp);
    if let Some(median) = median(&round_ratios) {
        println!(
            "median of the rounds' ratios {median:.2} (from {:.2} to {:.2})",
            round_ratios[0],
            round_ratios[round_ratios.len() - 1]
        );
    }
    server.stop().await;
    if !only.is_empty() {
        // A profile of one side stays free of the single-task timings.
        return Ok(());
    }

    let own = own_work(&api, &own_request).await?;
    println!(
        "the budget's own work outside gRPC, one task: client {:.1} µs (request built and encoded {:.1}, answer decoded {:.1}), server {:.1} µs (decoded {:.1}, calculated {:.1}, encoded {:.1}); total {:.1} µs",
        own.client(),
        own.request_encode,
        own.answer_decode,
        own.server(),
        own.request_decode,
        own.calculate,
        own.answer_encode,
        own.client() + own.server(),
    );
    if health_cpu_rounds > 0 {
        let health_cpu = health_cpu_total / f64::from(health_cpu_rounds);
        let work = own.client() + own.server();
        println!(
            "ceiling: were a budget call to cost a health call's {health_cpu:.1} µs of CPU plus only that work, the ratio would be {health_cpu:.1} ÷ {:.1} = {:.2}",
            health_cpu + work,
            health_cpu / (health_cpu + work)
        );
    }
    Ok(())
}

/// The median of sorted `values`; `None` for none.
fn median(values: &[f64]) -> Option<f64> {
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[middle]),
        _ => Some((values[middle - 1] + values[middle]) / 2.0),
    }
}

/// Microseconds of each step of a budget call's own work, single-threaded.
struct OwnWork {
    request_encode: f64,
    request_decode: f64,
    calculate: f64,
    answer_encode: f64,
    answer_decode: f64,
}

impl OwnWork {
    fn client(&self) -> f64 {
        self.request_encode + self.answer_decode
    }

    fn server(&self) -> f64 {
        self.request_decode + self.calculate + self.answer_encode
    }
}

/// Times each step of [`OwnWork`] over one second's worth of repetitions.
async fn own_work(
    api: &BudgetApi,
    request: &pb::CalculateBudgetRequest,
) -> anyhow::Result<OwnWork> {
    let answer = api
        .calculate_budget(tonic::Request::new(request.clone()))
        .await?
        .into_inner();
    let (request_bytes, answer_bytes) = (request.encode_to_vec(), answer.encode_to_vec());
    let mut buffer = Vec::with_capacity(8 * 1024);
    let request_encode = per_call(|| {
        buffer.clear();
        let built = request.clone();
        built.encode(&mut buffer).is_ok()
    });
    let request_decode =
        per_call(|| pb::CalculateBudgetRequest::decode(&request_bytes[..]).is_ok());
    let mut calculate_total = Duration::ZERO;
    let mut calculations = 0u32;
    while calculate_total < Duration::from_secs(1) {
        let decoded = pb::CalculateBudgetRequest::decode(&request_bytes[..])?;
        let start = Instant::now();
        let result = api.calculate_budget(tonic::Request::new(decoded)).await?;
        drop(std::hint::black_box(result));
        calculate_total += start.elapsed();
        calculations += 1;
    }
    let answer_encode = per_call(|| {
        buffer.clear();
        answer.encode(&mut buffer).is_ok()
    });
    let answer_decode = per_call(|| pb::CalculateBudgetResponse::decode(&answer_bytes[..]).is_ok());
    Ok(OwnWork {
        request_encode,
        request_decode,
        calculate: calculate_total.as_secs_f64() * 1e6 / f64::from(calculations),
        answer_encode,
        answer_decode,
    })
}

/// Microseconds per call of `step`, run for about a second; a step that
/// fails fails the benchmark.
fn per_call(mut step: impl FnMut() -> bool) -> f64 {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_secs(1) {
        for _ in 0..1000 {
            assert!(
                std::hint::black_box(step()),
                "a step of the budget's own work failed"
            );
        }
        calls += 1000;
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(calls)
}
