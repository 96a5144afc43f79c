//! What the benchmarks share: options from the environment, a scratch
//! PostgreSQL database, the process's CPU time, and a closed-loop load of
//! concurrent tasks. Each bench uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use budgetrad::pb;
use tonic::transport::Channel;

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

/// Runs `bench` once per backend named in `backends` (a comma-separated
/// list of `sqlite` and `postgres`): SQLite on a file in `dir`, PostgreSQL
/// on a scratch database (see [`on_scratch_postgres`]); each run gets the
/// backend's label, its URL and `dir`.
pub fn on_backends<T>(
    runtime: &tokio::runtime::Runtime,
    backends: &str,
    dir: &Path,
    bench: impl AsyncFn(&'static str, &str, &Path) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<T>> {
    let mut reports = Vec::new();
    for backend in backends.split(',').map(str::trim) {
        reports.push(match backend {
            "sqlite" => {
                let url = format!("sqlite:{}", dir.join("bench.db").display());
                runtime.block_on(bench("SQLite", &url, dir))?
            }
            "postgres" => {
                on_scratch_postgres(runtime, async |url| bench("PostgreSQL", &url, dir).await)?
            }
            other => anyhow::bail!("BENCH_BACKENDS: unknown backend {other:?} (sqlite, postgres)"),
        });
    }
    Ok(reports)
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

/// The benches' synthetic municipality: `households` with 12 months of
/// history to `last_month` (5 % of months unpaid, 5 % partly paid, 2 % of
/// paid-out months with a reversed wrong payout), written past the API.
pub async fn seed(
    url: &str,
    households: u32,
    last_month: budgetrad::domain::calendar::YearMonth,
) -> anyhow::Result<()> {
    let store = budgetrad::store::SqlStore::connect(url).await?;
    store
        .seed_municipality(
            &budgetrad::store::SeedPlan {
                households,
                months: 12,
                last_month,
                unpaid_share: 0.05,
                partly_share: 0.05,
                reversal_share: 0.02,
                notice_share: 0.0,
                move_share: 0.0,
                seed: 1,
            },
            chrono::Utc::now(),
            |_| {},
        )
        .await?;
    Ok(())
}

/// A household budget of two members, with a few incomes and expenses.
pub fn budget_request() -> pb::CalculateBudgetRequest {
    let line = |category: i32, amount: &str, frequency: pb::Frequency| {
        (category, amount.to_owned(), frequency as i32)
    };
    let incomes = [
        line(
            pb::IncomeCategory::Salary as i32,
            "21500.00",
            pb::Frequency::Monthly,
        ),
        line(
            pb::IncomeCategory::ChildAllowance as i32,
            "1250",
            pb::Frequency::Monthly,
        ),
    ];
    let expenses = [
        line(
            pb::ExpenseCategory::Rent as i32,
            "8200",
            pb::Frequency::Monthly,
        ),
        line(
            pb::ExpenseCategory::Food as i32,
            "950",
            pb::Frequency::Weekly,
        ),
        line(
            pb::ExpenseCategory::HomeInsurance as i32,
            "1400",
            pb::Frequency::Yearly,
        ),
        line(
            pb::ExpenseCategory::Media as i32,
            "399",
            pb::Frequency::Monthly,
        ),
        line(
            pb::ExpenseCategory::Transport as i32,
            "970",
            pb::Frequency::EveryFourWeeks,
        ),
    ];
    pb::CalculateBudgetRequest {
        month: "2026-03".into(),
        members: vec![
            pb::Member {
                role: pb::MemberRole::Applicant as i32,
                age: Some(34),
                ..Default::default()
            },
            pb::Member {
                role: pb::MemberRole::Child as i32,
                age: Some(7),
                ..Default::default()
            },
        ],
        incomes: incomes
            .iter()
            .map(|(c, a, f)| pb::Income {
                category: *c,
                amount: Some(pb::Money { amount: a.clone() }),
                frequency: *f,
                description: String::new(),
            })
            .collect(),
        expenses: expenses
            .iter()
            .map(|(c, a, f)| pb::Expense {
                category: *c,
                amount: Some(pb::Money { amount: a.clone() }),
                frequency: *f,
                description: String::new(),
            })
            .collect(),
    }
}

/// The server process, killed when dropped.
pub struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the server binary on `database_url`, with the tokens file
    /// `dir/tokens.toml`, and waits until health says SERVING.
    pub async fn start(database_url: &str, dir: &Path) -> anyhow::Result<Server> {
        Self::start_with(database_url, dir, &[]).await
    }

    /// [`Server::start`] with more `BUDGETRAD_*` settings.
    pub async fn start_with(
        database_url: &str,
        dir: &Path,
        settings: &[(&str, String)],
    ) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_budgetrad"))
            .env("BUDGETRAD_DATABASE_URL", database_url)
            .env("BUDGETRAD_LISTEN", format!("127.0.0.1:{port}"))
            .env("BUDGETRAD_TOKENS_FILE", dir.join("tokens.toml"))
            .env("BUDGETRAD_ADMIN_TOKEN_FILE", dir.join("admin.token"))
            .env("RUST_LOG", "warn")
            .envs(settings.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .spawn()
            .context("starting the server")?;
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(channel) = server.channel().await {
                let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
                if let Ok(r) = health
                    .check(tonic_health::pb::HealthCheckRequest::default())
                    .await
                    && r.into_inner().status
                        == tonic_health::pb::health_check_response::ServingStatus::Serving as i32
                {
                    return Ok(server);
                }
            }
            ensure!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn channel(&self) -> anyhow::Result<Channel> {
        Ok(
            Channel::from_shared(format!("http://127.0.0.1:{}", self.port))?
                .connect()
                .await?,
        )
    }

    /// The process's peak resident memory, in MiB.
    pub fn peak_mib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("VmHWM in /proc/PID/status")?;
        Ok(kib / 1024.0)
    }
}

/// Rent check number `i` of a stream: was the rent of `month` paid by the
/// household of `pin`, asked for an application the month after.
pub fn rent_check_item(
    i: impl std::fmt::Display,
    pin: String,
    month: String,
) -> pb::CheckRentPaidStreamRequest {
    pb::CheckRentPaidStreamRequest {
        correlation_id: i.to_string(),
        query: Some(pb::RentCheckQuery {
            subject: Some(pb::rent_check_query::Subject::PersonalIdentityNumber(pin)),
            application_month: budgetrad::domain::calendar::YearMonth::parse(&month)
                .map(|m| m.add_months(1).to_string())
                .unwrap_or_default(),
            rent_month: month,
            as_of: String::new(),
        }),
    }
}

/// The benches' one household: an applicant with a synthetic personnummer
/// (a valid check digit, no real person).
pub fn bench_household() -> pb::CreateHouseholdRequest {
    pb::CreateHouseholdRequest {
        household: Some(pb::Household {
            case_reference: "BENCH".into(),
            members: vec![pb::Member {
                role: pb::MemberRole::Applicant as i32,
                birth_date: "1985-03-12".into(),
                personal_identity_number: "19850312-9010".into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
    }
}

/// The benches' landlord, paid by bankgiro; with a postal address when
/// payment files are made for it.
pub fn bench_landlord(addressed: bool) -> pb::CreateLandlordRequest {
    pb::CreateLandlordRequest {
        landlord: Some(pb::Landlord {
            name: "Exempel Bostäder AB".into(),
            organisation_number: "556677-8899".into(),
            bankgiro: "5050-1055".into(),
            postal_address: addressed.then(|| pb::LandlordAddress {
                street_name: "Storgatan".into(),
                building_number: "12".into(),
                postal_code: "123 45".into(),
                town_name: "Exempelby".into(),
                country: "SE".into(),
            }),
            ..Default::default()
        }),
    }
}

/// A token holding `roles` for the secret `secret`, every unit, no
/// signature: the benches' callers.
pub fn bench_token(
    name: &str,
    secret: &str,
    roles: Vec<budgetrad::grpc::auth::Role>,
) -> budgetrad::grpc::auth::TokenEntry {
    budgetrad::grpc::auth::TokenEntry {
        name: name.into(),
        sha256: budgetrad::grpc::auth::hash_secret(secret),
        roles,
        units: None,
        expires_at: None,
        signature: None,
    }
}

/// The service served inside the bench's own process on a free port, for
/// the benches that set up their data through the store or compare with
/// in-process work; [`InProcess::stop`] shuts it down and waits.
pub struct InProcess {
    pub addr: std::net::SocketAddr,
    pub channel: Channel,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl InProcess {
    /// Serves `app` to the holders of `tokens` with `options`, connected.
    pub async fn start(
        app: Arc<budgetrad::app::App>,
        tokens: Vec<budgetrad::grpc::auth::TokenEntry>,
        options: budgetrad::startup::ServeOptions,
    ) -> anyhow::Result<InProcess> {
        use budgetrad::grpc::auth::{TokenFile, TokenStore, Tokens};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(budgetrad::startup::serve(
            listener,
            app,
            Tokens::fixed(TokenStore::from_file(TokenFile { tokens })),
            options,
            async {
                let _ = stopped.await;
            },
        ));
        let channel = Channel::from_shared(format!("http://{addr}"))?
            .connect()
            .await?;
        Ok(InProcess {
            addr,
            channel,
            stop,
            server,
        })
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}

/// Writes `dir/tokens.toml` holding `tokens`, for a [`Server`] started on
/// `dir`.
pub fn write_token_file(
    dir: &Path,
    tokens: Vec<budgetrad::grpc::auth::TokenEntry>,
) -> anyhow::Result<()> {
    let file = budgetrad::grpc::auth::TokenFile { tokens };
    std::fs::write(dir.join("tokens.toml"), toml::to_string(&file)?)?;
    Ok(())
}
