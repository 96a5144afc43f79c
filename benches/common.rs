//! What the benchmarks share: options from the environment, a scratch
//! PostgreSQL database, the process's CPU time, and a closed-loop load of
//! concurrent tasks. Each bench uses a part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The PostgreSQL server the benches use: BENCH_POSTGRES_URL, else
/// BUDGETRAD_TEST_POSTGRES_URL, else the machine's local one.
pub fn admin_url() -> String {
    std::env::var("BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("BUDGETRAD_TEST_POSTGRES_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The URL of database `name` on the server of `url`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// Runs `bench` with the URL of a fresh UUID-named database on
/// [`admin_url`]'s server, and drops the database afterwards, whatever
/// `bench` returned.
pub fn on_scratch_postgres<T>(
    runtime: &tokio::runtime::Runtime,
    bench: impl AsyncFnOnce(String) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    use anyhow::Context;
    use sqlx::{AssertSqlSafe, Connection};
    let admin = admin_url();
    let name = format!("budgetrad_bench_{}", uuid::Uuid::new_v4().simple());
    runtime.block_on(async {
        let mut conn = sqlx::AnyConnection::connect(&admin)
            .await
            .context("connecting to PostgreSQL (set BENCH_POSTGRES_URL)")?;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await?;
        anyhow::Ok(())
    })?;
    let result = runtime.block_on(bench(with_database(&admin, &name)));
    runtime.block_on(async {
        let mut conn = sqlx::AnyConnection::connect(&admin).await?;
        sqlx::query(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await?;
        anyhow::Ok(())
    })?;
    result
}

pub fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU time (user + system) this process has used, from /proc/self/stat,
/// in microseconds; `None` where that file does not exist.
pub fn cpu_micros() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // Clock ticks are 100 per second on Linux.
    Some((utime + stime) * 10_000)
}

/// Calls `call` from `concurrency` tasks for `duration`; returns calls/s and
/// this process's CPU µs per call. Each task passes its number (to pick a
/// connection or its own data). A failed call fails the benchmark.
pub async fn measure<F, Fut>(concurrency: u64, duration: Duration, call: F) -> (f64, Option<f64>)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let cpu_before = cpu_micros();
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for task in 0..concurrency as usize {
        let call = call.clone();
        let done = done.clone();
        let failed = failed.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                if call(task).await {
                    done.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let failures = failed.load(Ordering::Relaxed);
    assert_eq!(failures, 0, "{failures} calls failed during the benchmark");
    let calls = done.load(Ordering::Relaxed) as f64;
    let cpu_per_call = match (cpu_before, cpu_micros()) {
        (Some(before), Some(after)) if calls > 0.0 => Some((after - before) as f64 / calls),
        _ => None,
    };
    (calls / elapsed, cpu_per_call)
}
