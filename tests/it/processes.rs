//! The real server binary as a child process, and a throwaway PostgreSQL
//! cluster of a test's own (`tests/support/cluster.rs`, which the
//! benchmarks share): for the tests that kill servers, stop
//! databases, or run several servers on one primary and its replica.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;

use crate::helpers::{Authed, Bearer, TestDatabase, secret_for, test_token_file};

#[path = "../support/cluster.rs"]
mod cluster;
pub(crate) use cluster::Cluster;

/// The server binary as a child process on a fixed port, so that it can be
/// killed and started again where clients expect it.
pub(crate) struct ServerProcess {
    pub(crate) child: Option<Child>,
    pub(crate) port: u16,
    pub(crate) database_url: String,
    pub(crate) dir: PathBuf,
    pub(crate) starts: u32,
    /// More `BUDGETRAD_*` settings than the defaults.
    pub(crate) settings: Vec<(&'static str, String)>,
}

impl ServerProcess {
    pub(crate) fn start(database_url: &str, dir: &Path) -> ServerProcess {
        Self::start_with(database_url, dir, Vec::new())
    }

    /// The server on `db`, once its health says SERVING.
    pub(crate) async fn serving(db: &TestDatabase) -> ServerProcess {
        let server = Self::start(&db.url, db.dir.path());
        server
            .await_health(ServingStatus::Serving, Duration::from_secs(60))
            .await;
        server
    }

    pub(crate) fn start_with(
        database_url: &str,
        dir: &Path,
        settings: Vec<(&'static str, String)>,
    ) -> ServerProcess {
        std::fs::write(
            dir.join("tokens.toml"),
            toml::to_string(&test_token_file()).expect("the tokens as TOML"),
        )
        .expect("the tokens file");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = ServerProcess {
            child: None,
            port,
            database_url: database_url.to_owned(),
            dir: dir.to_owned(),
            starts: 0,
            settings,
        };
        server.spawn();
        server
    }

    pub(crate) fn spawn(&mut self) {
        self.starts += 1;
        let log = std::fs::File::create(self.dir.join(format!("server-{}.log", self.starts)))
            .expect("a log file");
        let child = Command::new(env!("CARGO_BIN_EXE_budgetrad"))
            .env("BUDGETRAD_DATABASE_URL", &self.database_url)
            .env("BUDGETRAD_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("BUDGETRAD_TOKENS_FILE", self.dir.join("tokens.toml"))
            .env("BUDGETRAD_ADMIN_TOKEN_FILE", self.dir.join("admin.token"))
            .env("BUDGETRAD_MAX_CALL_SECONDS", "10")
            .env("RUST_LOG", "warn")
            .envs(self.settings.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM: the graceful shutdown an operator or orchestrator asks for.
    pub(crate) fn terminate(&self) {
        let child = self.child.as_ref().expect("a running server");
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM was not delivered");
    }

    /// Waits up to `limit` for the server to exit: its exit status, or
    /// `None` if it is still running.
    pub(crate) fn exited_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        let child = self.child.as_mut()?;
        loop {
            if let Some(status) = child.try_wait().expect("the server's status") {
                self.child = None;
                return Some(status);
            }
            if started.elapsed() >= limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A channel that reconnects by itself when the server comes back.
    pub(crate) fn channel(&self) -> Channel {
        Channel::from_shared(format!("http://127.0.0.1:{}", self.port))
            .expect("a URI")
            .connect_timeout(Duration::from_secs(1))
            .connect_lazy()
    }

    pub(crate) fn payouts(&self) -> pb::payout_service_client::PayoutServiceClient<Authed> {
        pb::payout_service_client::PayoutServiceClient::new(InterceptedService::new(
            self.channel(),
            Bearer::new(&secret_for(Role::Payout)),
        ))
    }

    pub(crate) async fn health(&self) -> Option<ServingStatus> {
        self.health_of("").await
    }

    /// The health of one service (`""` for the server's).
    pub(crate) async fn health_of(&self, service: &str) -> Option<ServingStatus> {
        let mut client = tonic_health::pb::health_client::HealthClient::new(self.channel());
        let mut request = tonic::Request::new(tonic_health::pb::HealthCheckRequest {
            service: service.to_owned(),
        });
        request.set_timeout(Duration::from_secs(2));
        let status = client.check(request).await.ok()?.into_inner().status;
        ServingStatus::try_from(status).ok()
    }

    /// Waits until health says `want`; panics after `limit`.
    pub(crate) async fn await_health(&self, want: ServingStatus, limit: Duration) -> Duration {
        self.await_health_of("", want, limit).await
    }

    /// Waits until the health of `service` says `want`; panics after `limit`.
    pub(crate) async fn await_health_of(
        &self,
        service: &str,
        want: ServingStatus,
        limit: Duration,
    ) -> Duration {
        let started = Instant::now();
        loop {
            if self.health_of(service).await == Some(want) {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < limit,
                "health of {service:?} did not turn {want:?} within {limit:?}; the server's log is in {}",
                self.dir.display()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
