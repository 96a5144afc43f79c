//! The real server binary as a child process, and a throwaway PostgreSQL
//! cluster of a test's own: for the tests that kill servers, stop
//! databases, or run several servers on one primary and its replica.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;

use crate::helpers::{Authed, Bearer, secret_for, test_token_file};

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

/// A throwaway PostgreSQL cluster of the test's own (initdb into a temporary
/// directory, run as the `postgres` user when we are root), on its own port,
/// so the test can stop and start it without touching the PostgreSQL
/// server other tests share; stopped and removed when dropped.
pub(crate) struct Cluster {
    pub(crate) bin: PathBuf,
    pub(crate) root: tempfile::TempDir,
    pub(crate) port: u16,
    /// More `-c name=value` settings for the server.
    pub(crate) settings: String,
}

impl Cluster {
    /// The newest installed PostgreSQL's programs, if any.
    pub(crate) fn programs() -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|bin| bin.join("pg_ctl").exists())
            .collect();
        versions.sort();
        versions.pop()
    }

    /// A PostgreSQL program, as the `postgres` user when we are root
    /// (PostgreSQL refuses to run as root).
    pub(crate) fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let root = std::fs::read_to_string("/proc/self/status")
            .map(|s| {
                s.lines()
                    .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
            })
            .unwrap_or(false);
        if root {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    pub(crate) fn run(&self, mut command: Command, what: &str) {
        let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            output.status.success(),
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub(crate) fn create(bin: PathBuf) -> Cluster {
        Self::create_with(bin, "")
    }

    /// A directory and a port for a cluster, nothing in them yet.
    fn empty(bin: PathBuf, settings: &str) -> Cluster {
        let root = tempfile::Builder::new()
            .prefix("budgetrad-pg")
            .tempdir()
            .expect("a directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let cluster = Cluster {
            bin,
            root,
            port,
            settings: settings.to_owned(),
        };
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(cluster.root.path())
            .status();
        cluster
    }

    /// A new cluster started with more `-c name=value` settings.
    pub(crate) fn create_with(bin: PathBuf, settings: &str) -> Cluster {
        let cluster = Self::empty(bin, settings);
        let mut initdb = cluster.command("initdb");
        initdb
            .arg("-D")
            .arg(cluster.root.path().join("data"))
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        cluster.run(initdb, "initdb");
        cluster.start();
        cluster
    }

    /// A streaming replica of `primary` (`pg_basebackup -R`: a standby that
    /// follows the primary's WAL), started with the primary's settings.
    pub(crate) fn replica_of(primary: &Cluster) -> Cluster {
        let cluster = Self::empty(primary.bin.clone(), &primary.settings);
        let mut backup = cluster.command("pg_basebackup");
        backup
            .arg("-D")
            .arg(cluster.root.path().join("data"))
            .args(["-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.1"])
            .args(["-p", &primary.port.to_string(), "-U", "postgres"]);
        cluster.run(backup, "pg_basebackup");
        cluster.start();
        cluster
    }

    pub(crate) fn start(&self) {
        let mut start = self.command("pg_ctl");
        start
            .arg("-D")
            .arg(self.root.path().join("data"))
            .arg("-l")
            .arg(self.root.path().join("server.log"))
            .args(["-w", "-t", "30", "-o"])
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off {}",
                self.port,
                self.root.path().display(),
                self.settings
            ))
            .arg("start");
        self.run(start, "pg_ctl start");
    }

    /// Stops at once, as a crash or a pulled cable would: connections are
    /// cut, nothing is flushed politely.
    pub(crate) fn stop(&self) {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D")
            .arg(self.root.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        self.run(stop, "pg_ctl stop");
    }

    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D")
            .arg(self.root.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        let _ = stop.output();
    }
}
