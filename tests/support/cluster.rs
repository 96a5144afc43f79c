//! A throwaway PostgreSQL cluster (initdb into a temporary directory) and
//! streaming replicas of it, for the tests and benchmarks that stop a
//! database or need a primary with a standby. Shared by `tests/it` and
//! `benches/` through `#[path]`; each uses a part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// A throwaway PostgreSQL cluster of the test's own (initdb into a temporary
/// directory, run as the `postgres` user when we are root), on its own port,
/// so the test can stop and start it without touching the PostgreSQL
/// server other tests share; stopped and removed when dropped.
pub struct Cluster {
    pub bin: PathBuf,
    pub root: tempfile::TempDir,
    pub port: u16,
    /// More `-c name=value` settings for the server.
    pub settings: String,
}

impl Cluster {
    /// The newest installed PostgreSQL's programs, if any.
    pub fn programs() -> Option<PathBuf> {
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
    pub fn command(&self, program: &str) -> Command {
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

    pub fn run(&self, mut command: Command, what: &str) {
        let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            output.status.success(),
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn create(bin: PathBuf) -> Cluster {
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
    pub fn create_with(bin: PathBuf, settings: &str) -> Cluster {
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
    pub fn replica_of(primary: &Cluster) -> Cluster {
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

    pub fn start(&self) {
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
    pub fn stop(&self) {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D")
            .arg(self.root.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        self.run(stop, "pg_ctl stop");
    }

    pub fn url(&self) -> String {
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
