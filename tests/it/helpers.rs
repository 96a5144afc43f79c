//! The test harness: each test gets its own database and its own server on
//! `127.0.0.1:0`, called through the generated clients.
//!
//! Store-touching tests run on SQLite always and, when
//! `BUDGETRAD_TEST_POSTGRES_URL` is set, on PostgreSQL too, in a database
//! named after a fresh UUID that is dropped afterwards (even when the test
//! fails). Under CI (`CI` set) a missing or unreachable PostgreSQL fails the
//! run; elsewhere the suite says loudly that it skipped PostgreSQL.

use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Once};

use budgetrad::app::{App, PaymentSettings};
use budgetrad::clock::FixedClock;
use budgetrad::domain::ledger::DEFAULT_MAX_PAYOUT_KR;
use budgetrad::domain::money::Money;
use budgetrad::grpc::auth::{Role, TokenEntry, TokenFile, TokenStore, Tokens, hash_secret};
use budgetrad::pb;
use budgetrad::startup::{ServeOptions, serve};
use budgetrad::store::{Backend, SqlStore, Store};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AssertSqlSafe, Connection};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

pub const POSTGRES_ENV: &str = "BUDGETRAD_TEST_POSTGRES_URL";

/// The pinned "now" of the tests: 2026-11-22 10:00 UTC (11:00 in Stockholm).
pub fn test_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
        .expect("a valid instant")
        .with_timezone(&Utc)
}

/// The backends this run covers.
pub fn backends() -> Vec<Backend> {
    static SAY: Once = Once::new();
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.is_empty() => vec![Backend::Sqlite, Backend::Postgres],
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("{POSTGRES_ENV} is not set under CI: the PostgreSQL backend must be tested");
            }
            SAY.call_once(|| {
                // Written to the real stderr, past the test harness's capture.
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** {POSTGRES_ENV} is not set: store tests ran on SQLite only, PostgreSQL was SKIPPED ***\n"
                );
            });
            vec![Backend::Sqlite]
        }
    }
}

/// Adds the bearer token to every call.
#[derive(Clone)]
pub struct Bearer(Option<MetadataValue<tonic::metadata::Ascii>>);

impl Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

impl Bearer {
    /// `Bearer {secret}` on every call.
    pub fn new(secret: &str) -> Bearer {
        Bearer(Some(format!("Bearer {secret}").parse().expect("ASCII")))
    }
}

pub type Authed = InterceptedService<Channel, Bearer>;

/// A PostgreSQL database of one test; dropped with the guard.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        cleanup_as_admin(
            &self.admin_url,
            format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
        );
    }
}

/// Runs `sql` over `admin_url`, ignoring failure: the cleanup of a guard's
/// `Drop`, which may run while a test unwinds inside a runtime, so on a
/// thread with a runtime of its own.
pub fn cleanup_as_admin(admin_url: &str, sql: String) {
    let admin_url = admin_url.to_owned();
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            if let Ok(mut conn) = AnyConnection::connect(&admin_url).await {
                let _ = sqlx::query(AssertSqlSafe(sql)).execute(&mut conn).await;
            }
        });
    })
    .join();
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

pub struct TestApp {
    channel: Channel,
    addr: std::net::SocketAddr,
    store: Arc<SqlStore>,
    shutdown: Option<oneshot::Sender<()>>,
    db: TestDatabase,
}

/// A test's own database: a SQLite file in a temporary directory, or a
/// UUID-named PostgreSQL database; removed with this guard.
pub struct TestDatabase {
    pub url: String,
    /// The temporary directory, for the SQLite file and anything else the
    /// test keeps on disk.
    pub dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> TestDatabase {
        let dir = tempfile::tempdir().expect("a temp dir");
        let (url, pg) = match backend {
            Backend::Sqlite => (
                format!("sqlite:{}", dir.path().join("test.db").display()),
                None,
            ),
            Backend::Postgres => {
                let admin_url = std::env::var(POSTGRES_ENV).expect("the PostgreSQL URL");
                sqlx::any::install_default_drivers();
                let name = format!("budgetrad_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = AnyConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_ENV}: {e}"));
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&mut conn)
                    .await
                    .expect("CREATE DATABASE");
                let url = with_database(&admin_url, &name);
                (url, Some(PgDatabase { admin_url, name }))
            }
        };
        TestDatabase { url, dir, pg }
    }

    /// The PostgreSQL database's name; None on SQLite.
    pub fn postgres_name(&self) -> Option<&str> {
        self.pg.as_ref().map(|pg| pg.name.as_str())
    }
}

/// The tokens file of the tests: one token per role (`secret_for`) and one
/// with every role.
pub fn test_token_file() -> TokenFile {
    let mut tokens: Vec<TokenEntry> = Role::ALL
        .iter()
        .map(|role| TokenEntry {
            name: format!("test-{}", role.as_str()),
            sha256: hash_secret(&secret_for(*role)),
            roles: vec![*role],
            units: None,
            expires_at: None,
            signature: None,
        })
        .collect();
    tokens.push(TokenEntry {
        name: "test-all".to_owned(),
        sha256: hash_secret(ALL_ROLES_SECRET),
        roles: Role::ALL.to_vec(),
        units: None,
        expires_at: None,
        signature: None,
    });
    TokenFile { tokens }
}

/// The secret of the test token holding exactly `role`.
pub fn secret_for(role: Role) -> String {
    format!("test-secret-{}", role.as_str())
}

pub const ALL_ROLES_SECRET: &str = "test-secret-all";

fn test_tokens() -> TokenStore {
    TokenStore::from_file(test_token_file())
}

/// How a test's server is set up: the pinned clock ([`test_now`]), and by
/// default the default serve options and the fixed test tokens
/// ([`test_token_file`]), each replaceable before [`TestAppBuilder::spawn`].
pub struct TestAppBuilder {
    backend: Backend,
    options: ServeOptions,
    tokens: Option<Arc<Tokens>>,
    database: Option<TestDatabase>,
    serving_url: Option<String>,
    now: Option<DateTime<Utc>>,
    payments: Option<PaymentSettings>,
}

impl TestAppBuilder {
    /// The server's pinned "now", instead of [`test_now`].
    pub fn now(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now);
        self
    }

    pub fn options(mut self, options: ServeOptions) -> Self {
        self.options = options;
        self
    }

    /// The bank profile and debtor account of payment files, instead of
    /// none (the server's default).
    pub fn payments(mut self, payments: PaymentSettings) -> Self {
        self.payments = Some(payments);
        self
    }

    pub fn tokens(mut self, tokens: Arc<Tokens>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Serve over `database`, which the test has already made (and perhaps
    /// migrated and granted rights on), instead of a fresh one.
    pub fn database(mut self, database: TestDatabase) -> Self {
        self.database = Some(database);
        self
    }

    /// Serve over `url` (a role the test made) and migrate over the test
    /// database's own URL, its owner: the server's `--database-url` and
    /// `--migrate-database-url`.
    pub fn serving_url(mut self, url: String) -> Self {
        self.serving_url = Some(url);
        self
    }

    /// A fresh database of the backend, migrated, and the server on
    /// `127.0.0.1:0` over it. The channel connects on first use, so a TLS
    /// server (whose clients bring their own channel) is spawned the same way.
    pub async fn spawn(self) -> TestApp {
        let TestAppBuilder {
            backend,
            options,
            tokens,
            database,
            serving_url,
            now,
            payments,
        } = self;
        let tokens = tokens.unwrap_or_else(|| Tokens::fixed(test_tokens()));
        let db = match database {
            Some(db) => db,
            None => TestDatabase::create(backend).await,
        };
        let store = Arc::new(
            SqlStore::connect_migrating_as(serving_url.as_deref().unwrap_or(&db.url), &db.url)
                .await
                .expect("the store opens and migrates"),
        );
        let dyn_store: Arc<dyn Store> = store.clone();
        let app = App::configured(
            dyn_store,
            Arc::new(FixedClock(now.unwrap_or_else(test_now))),
            Money::from_kronor(i64::from(DEFAULT_MAX_PAYOUT_KR)),
            budgetrad::domain::unit::UnitCode::default_unit(),
            payments.unwrap_or_default(),
            budgetrad::documents::kinds::Letterhead::default(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("the address");
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            if let Err(e) = serve(listener, app, tokens, options, shutdown).await {
                panic!("the server failed: {e:#}");
            }
        });
        let channel = Channel::from_shared(format!("http://{addr}"))
            .expect("a URI")
            .connect_lazy();
        TestApp {
            channel,
            addr,
            store,
            shutdown: Some(tx),
            db,
        }
    }
}

impl TestApp {
    /// The server of a test, set up step by step.
    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            options: ServeOptions::default(),
            tokens: None,
            database: None,
            serving_url: None,
            now: None,
            payments: None,
        }
    }

    /// The server of a test with everything by default.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::builder(backend).spawn().await
    }

    /// The directory of the test's database (its SQLite file) and anything
    /// else the test keeps on disk.
    pub fn database_dir(&self) -> &std::path::Path {
        self.db.dir.path()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    pub fn bearer(secret: Option<&str>) -> Bearer {
        Bearer(secret.map(|s| format!("Bearer {s}").parse().expect("ASCII")))
    }

    /// Drops this test's PostgreSQL database under the running server, to
    /// see how the server behaves without its database. PostgreSQL only.
    pub async fn drop_database(&self) {
        let pg = self.db.pg.as_ref().expect("a PostgreSQL test app");
        let mut conn = AnyConnection::connect(&pg.admin_url)
            .await
            .expect("admin connection");
        sqlx::query(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            pg.name
        )))
        .execute(&mut conn)
        .await
        .expect("DROP DATABASE");
    }

    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    pub fn budgets_as(
        &self,
        secret: Option<&str>,
    ) -> pb::budget_service_client::BudgetServiceClient<Authed> {
        pb::budget_service_client::BudgetServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(secret),
        )
    }

    pub fn budgets(&self) -> pb::budget_service_client::BudgetServiceClient<Authed> {
        self.budgets_as(Some(&secret_for(Role::Counsellor)))
    }

    pub fn households_as(
        &self,
        secret: Option<&str>,
    ) -> pb::household_service_client::HouseholdServiceClient<Authed> {
        pb::household_service_client::HouseholdServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(secret),
        )
    }

    pub fn households(&self) -> pb::household_service_client::HouseholdServiceClient<Authed> {
        self.households_as(Some(&secret_for(Role::Caseworker)))
    }

    pub fn norms(&self) -> pb::norm_service_client::NormServiceClient<Authed> {
        pb::norm_service_client::NormServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(Some(&secret_for(Role::RentCheck))),
        )
    }

    pub fn admin_as(
        &self,
        secret: Option<&str>,
    ) -> pb::admin_service_client::AdminServiceClient<Authed> {
        pb::admin_service_client::AdminServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(secret),
        )
    }

    pub fn admin(&self) -> pb::admin_service_client::AdminServiceClient<Authed> {
        self.admin_as(Some(&secret_for(Role::Admin)))
    }

    pub fn debts_as(
        &self,
        secret: Option<&str>,
    ) -> pb::debt_service_client::DebtServiceClient<Authed> {
        pb::debt_service_client::DebtServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(secret),
        )
    }

    pub fn debts(&self) -> pb::debt_service_client::DebtServiceClient<Authed> {
        self.debts_as(Some(&secret_for(Role::Counsellor)))
    }

    pub fn rent(&self) -> pb::rent_plan_service_client::RentPlanServiceClient<Authed> {
        pb::rent_plan_service_client::RentPlanServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(Some(&secret_for(Role::Caseworker))),
        )
    }

    pub fn payouts_as(
        &self,
        secret: Option<&str>,
    ) -> pb::payout_service_client::PayoutServiceClient<Authed> {
        pb::payout_service_client::PayoutServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(secret),
        )
    }

    /// The bearer token of the test token holding exactly `role`.
    pub fn bearer_for(&self, role: Role) -> Bearer {
        Self::bearer(Some(&secret_for(role)))
    }

    /// The payout system's client.
    pub fn payouts(&self) -> pb::payout_service_client::PayoutServiceClient<Authed> {
        self.payouts_as(Some(&secret_for(Role::Payout)))
    }

    pub fn audit_as(
        &self,
        secret: Option<&str>,
    ) -> pb::audit_service_client::AuditServiceClient<Authed> {
        pb::audit_service_client::AuditServiceClient::with_interceptor(
            self.channel(),
            Self::bearer(secret),
        )
    }

    pub fn audit(&self) -> pb::audit_service_client::AuditServiceClient<Authed> {
        self.audit_as(Some(&secret_for(Role::Auditor)))
    }

    /// The server's URL, for the CLI.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The test's store, for what only tools do past the API (seeding).
    pub fn store(&self) -> &SqlStore {
        &self.store
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// The test database's URL, for a second store on it (a second
    /// server's, or a tool's).
    pub fn database_url(&self) -> &str {
        &self.db.url
    }

    /// Runs SQL straight on the test's database, past the API: for proving
    /// what the database itself refuses.
    pub async fn execute_sql(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        sqlx::query(sql)
            .execute(self.store.pool())
            .await
            .map(|r| r.rows_affected())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Runs `test` once per backend, each time on a fresh server and database.
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in backends() {
        println!("--- backend: {backend:?}");
        let app = TestApp::spawn(backend).await;
        test(app).await;
    }
}

// ------------------------------------------------------------ request makers

pub fn money(amount: &str) -> Option<pb::Money> {
    Some(pb::Money {
        amount: amount.to_owned(),
    })
}

pub fn member_aged(role: pb::MemberRole, age: u32) -> pb::Member {
    pb::Member {
        role: role as i32,
        age: Some(age),
        ..Default::default()
    }
}

/// A synthetic personnummer for a birth date `yyyymmdd` and a three-digit
/// serial, with its Luhn check digit computed: test data only.
pub fn synthetic_pin(yyyymmdd: &str, serial: u32) -> String {
    let body = format!("{}{serial:03}", &yyyymmdd[2..]);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    format!("{yyyymmdd}-{serial:03}{check}")
}

pub fn adult(role: pb::MemberRole, yyyymmdd: &str, serial: u32) -> pb::Member {
    pb::Member {
        role: role as i32,
        personal_identity_number: synthetic_pin(yyyymmdd, serial),
        ..Default::default()
    }
}

pub fn child_born(birth_date: &str) -> pb::Member {
    pb::Member {
        role: pb::MemberRole::Child as i32,
        birth_date: birth_date.to_owned(),
        ..Default::default()
    }
}

pub fn field_violations(status: &tonic::Status) -> Vec<String> {
    use tonic_types::StatusExt;
    status
        .get_error_details()
        .bad_request()
        .map(|b| b.field_violations.iter().map(|f| f.field.clone()).collect())
        .unwrap_or_default()
}

pub fn error_reason(status: &tonic::Status) -> Option<String> {
    use tonic_types::StatusExt;
    status
        .get_error_details()
        .error_info()
        .map(|i| i.reason.clone())
}

#[test]
fn synthetic_pins_match_the_source_example() {
    assert_eq!(synthetic_pin("19640823", 323), "19640823-3234");
}

#[test]
fn database_urls_are_rewritten() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u@h/db?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
}

/// The method whose calls read the audit trail (and are audited).
pub const AUDIT_READ: &str = "budgetrad.v1.AuditService/ListAuditEvents";

/// Every audit record matching `filter`, page by page, as the auditor reads
/// them, leaving out the rows of reading the trail itself (each listing
/// leaves one; `audit::reading_the_trail_is_audited` checks those).
pub async fn all_events(app: &TestApp, filter: pb::ListAuditEventsRequest) -> Vec<pb::AuditEvent> {
    all_rows(app, filter)
        .await
        .into_iter()
        .filter(|e| e.method != AUDIT_READ)
        .collect()
}

/// Every audit record matching `filter`, the trail's own reads included.
pub async fn all_rows(app: &TestApp, filter: pb::ListAuditEventsRequest) -> Vec<pb::AuditEvent> {
    let mut events = Vec::new();
    let mut request = filter;
    loop {
        let page = app
            .audit()
            .list_audit_events(request.clone())
            .await
            .expect("the auditor may list")
            .into_inner();
        events.extend(page.events);
        if page.next_page_token.is_empty() {
            return events;
        }
        request.page_token = page.next_page_token;
    }
}

// ------------------------------------------------------------ captured logs

/// The log lines a test captures ([`capture_logs`]).
#[derive(Clone, Default)]
pub struct LogCapture(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogCapture {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the capture")).into_owned()
    }
}

/// Captures what this thread logs at `level` and above until the guard
/// drops: for a test on a current-thread runtime, where the server it
/// spawns logs on the same thread.
///
/// tracing caches each callsite's interest process-wide, computed by the
/// first thread to reach it. With only this test's scoped subscriber
/// registered, a sibling test's thread (with no subscriber) that reaches a
/// callsite first caches "never", and this test then captures nothing from
/// it (seen about once in ten full runs). A silent global registry makes
/// every thread's answer "interested", so the cache cannot be poisoned; it
/// writes nothing. It may already be set by a parallel test.
pub fn capture_logs(level: &str) -> (LogCapture, tracing::subscriber::DefaultGuard) {
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(level))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    (capture, tracing::subscriber::set_default(subscriber))
}
