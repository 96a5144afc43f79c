//! A load generator on the generated client: a realistic mix of calls at a
//! rising rate against the server binary (started as a child process with
//! its shipped defaults), then a run at 80 % of the highest rate it
//! sustained.
//!
//! The mix, by share of calls: CalculateBudget 30 %, GetDebtOverview 20 %,
//! RecordRentPayout 20 %, CheckRentPaid 29 %, and 1 % CheckRentPaidStream
//! batches of 500 checks (a batch counts as one call; its latency is the
//! whole stream's). Calls arrive open-loop at the step's rate, each with a
//! 2 s deadline, whether or not earlier ones have finished, as independent
//! clients would send them. A step is sustained when at least 95 % of its
//! calls succeed at the offered rate; the rest of the calls are counted by
//! their gRPC code (RESOURCE_EXHAUSTED is the server shedding load).
//!
//! `cargo bench --bench load`. Options by environment: BENCH_BACKEND
//! (`sqlite`, the default, or `postgres`, on a scratch database as the
//! other benches), BENCH_RATES (calls/s per step, default
//! `200,400,800,1200,1600,2000,2400,3200`), BENCH_SECONDS (per step, default 5; the
//! final run is twice as long), BENCH_HOUSEHOLDS (seeded, default 2000).

#[path = "common.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use budgetrad::domain::calendar::YearMonth;
use budgetrad::grpc::auth::{Role, TokenEntry, TokenFile, hash_secret};
use budgetrad::pb;
use common::{Server, budget_request, env_or, on_scratch_postgres};
use sqlx::Row;
use sqlx::any::AnyPoolOptions;
use tokio::sync::Mutex;
use tonic::Code;
use tonic::transport::Channel;

const SECRET: &str = "bench-secret";
const DEADLINE: Duration = Duration::from_secs(2);
const STREAM_BATCH: usize = 500;
/// Calls the generator keeps in flight at most; beyond, an arrival counts
/// as CLIENT_OVERFLOW (the server neither answered nor refused in time).
const MAX_OUTSTANDING: u64 = 8192;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Rpc {
    Budget,
    DebtOverview,
    Payout,
    Check,
    Stream,
}

impl Rpc {
    /// The mix: which call the `n`th arrival makes (of every 100).
    fn of(n: u64) -> Rpc {
        match n % 100 {
            0..30 => Rpc::Budget,
            30..50 => Rpc::DebtOverview,
            50..70 => Rpc::Payout,
            70..99 => Rpc::Check,
            _ => Rpc::Stream,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Rpc::Budget => "CalculateBudget",
            Rpc::DebtOverview => "GetDebtOverview",
            Rpc::Payout => "RecordRentPayout",
            Rpc::Check => "CheckRentPaid",
            Rpc::Stream => "CheckRentPaidStream×500",
        }
    }
}

/// What the calls draw on: seeded people and leases, households with debts.
struct Fixtures {
    people: Vec<String>,
    leases: Vec<String>,
    indebted: Vec<String>,
    /// Each seeded household's applicant: (household id, member id).
    members: Vec<(String, String)>,
    payouts: AtomicU64,
}

/// One call's outcome.
struct Outcome {
    rpc: Rpc,
    code: Option<Code>,
    latency: Duration,
}

fn authed<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(DEADLINE);
    if let Ok(value) = format!("Bearer {SECRET}").parse() {
        request.metadata_mut().insert("authorization", value);
    }
    request
}

fn code_of<T>(result: Result<T, tonic::Status>) -> Code {
    match result {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    }
}

async fn call(channel: Channel, fixtures: &Fixtures, rpc: Rpc, n: u64) -> Code {
    let pick = |list: &Vec<String>| list[(n as usize * 7919) % list.len()].clone();
    match rpc {
        Rpc::Budget => code_of(
            pb::budget_service_client::BudgetServiceClient::new(channel)
                .calculate_budget(authed(budget_request()))
                .await,
        ),
        Rpc::DebtOverview => code_of(
            pb::debt_service_client::DebtServiceClient::new(channel)
                .get_debt_overview(authed(pb::GetDebtOverviewRequest {
                    household_id: pick(&fixtures.indebted),
                    date: String::new(),
                    available_monthly_amount: Some(pb::Money {
                        amount: "2500".into(),
                    }),
                }))
                .await,
        ),
        Rpc::Payout => {
            // 100 kr at a time on the seeded leases, in months after the
            // seeded history: 79 fit in a month's rent.
            let k = fixtures.payouts.fetch_add(1, Ordering::Relaxed);
            let lease = &fixtures.leases[k as usize % fixtures.leases.len()];
            let month = YearMonth::parse("2026-11")
                .map(|m| m.add_months((k as usize / fixtures.leases.len() / 70) as i32))
                .map(|m| m.to_string())
                .unwrap_or_default();
            code_of(
                pb::payout_service_client::PayoutServiceClient::new(channel)
                    .record_rent_payout(authed(pb::RecordRentPayoutRequest {
                        request_id: uuid::Uuid::new_v4().to_string(),
                        lease_id: lease.clone(),
                        rent_month: month,
                        kind: pb::RentPaymentKind::Rent as i32,
                        amount: Some(pb::Money {
                            amount: "100".into(),
                        }),
                        decision_reference: "BESLUT-LOAD".into(),
                        ocr_reference: String::new(),
                        payout_date: "2026-11-20".into(),
                    }))
                    .await,
            )
        }
        Rpc::Check => code_of(
            pb::rent_check_service_client::RentCheckServiceClient::new(channel)
                .check_rent_paid(authed(pb::CheckRentPaidRequest {
                    query: Some(check_query(pick(&fixtures.people))),
                }))
                .await,
        ),
        Rpc::Stream => {
            let people: Vec<String> = (0..STREAM_BATCH)
                .map(|i| fixtures.people[(n as usize * 7919 + i) % fixtures.people.len()].clone())
                .collect();
            let items = tokio_stream::iter(people.into_iter().enumerate().map(|(i, pin)| {
                pb::CheckRentPaidStreamRequest {
                    correlation_id: i.to_string(),
                    query: Some(check_query(pin)),
                }
            }));
            let mut client = pb::rent_check_service_client::RentCheckServiceClient::new(channel);
            match client.check_rent_paid_stream(authed(items)).await {
                Err(status) => status.code(),
                Ok(response) => {
                    let mut responses = response.into_inner();
                    let mut answered = 0;
                    loop {
                        match responses.message().await {
                            Ok(Some(_)) => answered += 1,
                            Ok(None) if answered == STREAM_BATCH => break Code::Ok,
                            Ok(None) => break Code::Internal,
                            Err(status) => break status.code(),
                        }
                    }
                }
            }
        }
    }
}

fn check_query(pin: String) -> pb::RentCheckQuery {
    pb::RentCheckQuery {
        subject: Some(pb::rent_check_query::Subject::PersonalIdentityNumber(pin)),
        application_month: "2026-11".into(),
        rent_month: String::new(),
        as_of: String::new(),
    }
}

/// Offers `rate` calls/s for `duration`; returns every outcome.
async fn step(
    channels: &[Channel],
    fixtures: &Arc<Fixtures>,
    rate: u64,
    duration: Duration,
    first: u64,
) -> Vec<Outcome> {
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let outstanding = Arc::new(AtomicU64::new(0));
    let total = rate * duration.as_secs();
    let started = tokio::time::Instant::now();
    let mut tasks = Vec::new();
    for i in 0..total {
        // Open loop: the i-th call is due at i / rate, whatever came before.
        tokio::time::sleep_until(started + Duration::from_secs_f64(i as f64 / rate as f64)).await;
        let n = first + i;
        let rpc = Rpc::of(n);
        if outstanding.load(Ordering::Relaxed) >= MAX_OUTSTANDING {
            outcomes.lock().await.push(Outcome {
                rpc,
                code: None,
                latency: Duration::ZERO,
            });
            continue;
        }
        outstanding.fetch_add(1, Ordering::Relaxed);
        let channel = channels[n as usize % channels.len()].clone();
        let (fixtures, outcomes, outstanding) =
            (fixtures.clone(), outcomes.clone(), outstanding.clone());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let code = call(channel, &fixtures, rpc, n).await;
            let latency = sent.elapsed();
            outstanding.fetch_sub(1, Ordering::Relaxed);
            outcomes.lock().await.push(Outcome {
                rpc,
                code: Some(code),
                latency,
            });
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let mut outcomes = outcomes.lock().await;
    std::mem::take(&mut *outcomes)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The failures of some outcomes, by code name.
fn failures<'a>(outcomes: impl Iterator<Item = &'a Outcome>) -> String {
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for o in outcomes {
        match o.code {
            Some(Code::Ok) => {}
            Some(code) => *by_code.entry(format!("{code:?}")).or_default() += 1,
            None => *by_code.entry("ClientOverflow".into()).or_default() += 1,
        }
    }
    if by_code.is_empty() {
        "-".to_owned()
    } else {
        by_code
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir()?;
    let tokens = TokenFile {
        tokens: vec![TokenEntry {
            name: "load".into(),
            sha256: hash_secret(SECRET),
            roles: vec![Role::Counsellor, Role::Payout, Role::RentCheck],
            units: None,
            expires_at: None,
            signature: None,
        }],
    };
    std::fs::write(dir.path().join("tokens.toml"), toml::to_string(&tokens)?)?;
    match std::env::var("BENCH_BACKEND").as_deref() {
        Ok("postgres") => on_scratch_postgres(&runtime, async |url| {
            run("PostgreSQL", &url, dir.path()).await
        }),
        Ok("sqlite") | Err(_) => runtime.block_on(run(
            "SQLite",
            &format!("sqlite:{}", dir.path().join("load.db").display()),
            dir.path(),
        )),
        Ok(other) => anyhow::bail!("BENCH_BACKEND: {other:?} is neither sqlite nor postgres"),
    }
}

/// Seeds the database (before the server starts: seeding wants an empty
/// database and writes past the API) and reads what the calls draw on.
async fn seed(url: &str, households: u32) -> anyhow::Result<Fixtures> {
    common::seed(
        url,
        households,
        YearMonth::parse("2026-10").context("a month")?,
    )
    .await?;
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    let rows = sqlx::query(
        "SELECT m.personal_identity_number, m.household_id, m.id AS member_id, l.id AS lease_id \
         FROM household_members m JOIN leases l ON l.household_id = m.household_id \
         ORDER BY m.household_id",
    )
    .fetch_all(&pool)
    .await?;
    pool.close().await;
    let mut people = Vec::new();
    let mut leases = Vec::new();
    let mut members = Vec::new();
    for row in &rows {
        people.push(row.try_get::<String, _>("personal_identity_number")?);
        leases.push(row.try_get::<String, _>("lease_id")?);
        members.push((
            row.try_get::<String, _>("household_id")?,
            row.try_get::<String, _>("member_id")?,
        ));
    }
    Ok(Fixtures {
        people,
        leases,
        indebted: Vec::new(),
        members,
        payouts: AtomicU64::new(0),
    })
}

/// Three debts each for a hundred households, through the API.
async fn add_debts(server: &Server, fixtures: &mut Fixtures) -> anyhow::Result<()> {
    let mut debts = pb::debt_service_client::DebtServiceClient::new(server.channel().await?);
    for (household, member) in fixtures.members.iter().take(100) {
        for (kind, balance) in [
            (pb::DebtKind::Rent, "14200"),
            (pb::DebtKind::ConsumerCredit, "38000"),
            (pb::DebtKind::Electricity, "9100"),
        ] {
            debts
                .create_debt(authed(pb::CreateDebtRequest {
                    request_id: uuid::Uuid::new_v4().to_string(),
                    debt: Some(pb::Debt {
                        household_id: household.clone(),
                        debtor_member_id: member.clone(),
                        creditor_name: "Exempel Kredit AB".into(),
                        kind: kind as i32,
                        balance: Some(pb::Money {
                            amount: balance.into(),
                        }),
                        annual_interest_rate: "8".into(),
                        status: pb::DebtStatus::Active as i32,
                        ..Default::default()
                    }),
                    balance_date: "2026-11-01".into(),
                }))
                .await
                .context("a debt")?;
        }
        fixtures.indebted.push(household.clone());
    }
    Ok(())
}

async fn run(backend: &str, url: &str, dir: &Path) -> anyhow::Result<()> {
    let seconds = env_or("BENCH_SECONDS", 5).max(1);
    let households = u32::try_from(env_or("BENCH_HOUSEHOLDS", 2000))?;
    let rates: Vec<u64> = std::env::var("BENCH_RATES")
        .unwrap_or_else(|_| "200,400,800,1200,1600,2000,2400,3200".into())
        .split(',')
        .map(|r| {
            r.trim()
                .parse()
                .context("BENCH_RATES: calls/s, comma-separated")
        })
        .collect::<Result<_, _>>()?;

    eprintln!("{backend}: seeding {households} households and creating debts…");
    let mut fixtures = seed(url, households).await?;
    let server = Server::start(url, dir).await?;
    add_debts(&server, &mut fixtures).await?;
    let fixtures = Arc::new(fixtures);
    // A few connections, as several client processes would have.
    let mut channels = Vec::new();
    for _ in 0..4 {
        channels.push(server.channel().await?);
    }

    println!(
        "{backend}, {seconds} s a step, deadline {} s, mix: budget 30 %, debt overview 20 %, payout 20 %, check 29 %, stream of {STREAM_BATCH} 1 %",
        DEADLINE.as_secs()
    );
    println!("offered/s  ok/s    p50 ms   p99 ms   failed (by code)");
    let mut sustained = 0;
    let mut first = 0;
    for &rate in &rates {
        let outcomes = step(
            &channels,
            &fixtures,
            rate,
            Duration::from_secs(seconds),
            first,
        )
        .await;
        first += outcomes.len() as u64;
        let ok: Vec<Duration> = {
            let mut v: Vec<Duration> = outcomes
                .iter()
                .filter(|o| o.code == Some(Code::Ok))
                .map(|o| o.latency)
                .collect();
            v.sort_unstable();
            v
        };
        let ok_rate = ok.len() as f64 / seconds as f64;
        println!(
            "{rate:>9}  {ok_rate:>6.0}  {:>7.1}  {:>7.1}   {}",
            ms(percentile(&ok, 0.5)),
            ms(percentile(&ok, 0.99)),
            failures(outcomes.iter())
        );
        if ok.len() as f64 >= 0.95 * outcomes.len() as f64 {
            sustained = rate;
        }
    }
    let at = sustained * 8 / 10;
    println!("sustained: {sustained} calls/s (the highest step with ≥ 95 % of calls OK)");
    if at == 0 {
        println!("no step was sustained");
        return Ok(());
    }
    let outcomes = step(
        &channels,
        &fixtures,
        at,
        Duration::from_secs(2 * seconds),
        first,
    )
    .await;
    println!("at 80 %: {at} calls/s for {} s", 2 * seconds);
    println!("rpc                       calls   p50 ms   p99 ms   failed (by code)");
    for rpc in [
        Rpc::Budget,
        Rpc::DebtOverview,
        Rpc::Payout,
        Rpc::Check,
        Rpc::Stream,
    ] {
        let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.rpc == rpc).collect();
        let mut ok: Vec<Duration> = mine
            .iter()
            .filter(|o| o.code == Some(Code::Ok))
            .map(|o| o.latency)
            .collect();
        ok.sort_unstable();
        println!(
            "{:<24} {:>6}  {:>7.1}  {:>7.1}   {}",
            rpc.name(),
            mine.len(),
            ms(percentile(&ok, 0.5)),
            ms(percentile(&ok, 0.99)),
            failures(mine.iter().copied())
        );
    }
    println!("server peak resident memory: {:.1} MiB", server.peak_mib()?);
    Ok(())
}
