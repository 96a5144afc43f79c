//! Files and start-up: the SQLite database with its -wal and -shm, the
//! token file, the bootstrap secret and the CLI's output files are created
//! 0600; a server refused by its own configuration (plain TCP on a
//! non-loopback address, TLS files missing or unreadable, an address it
//! cannot bind) stops before it writes anything.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use budgetrad::grpc::auth::{Role, write_token_file};
use budgetrad::store::Backend;

use crate::helpers::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The server binary in `dir` with `args` and no BUDGETRAD_* settings from
/// the environment: the defaults put every file it writes in `dir`.
fn server(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_budgetrad"));
    command.current_dir(dir).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("BUDGETRAD_") {
            command.env_remove(key);
        }
    }
    command
}

#[test]
fn the_server_binary_creates_its_files_0600() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut child = server(dir.path(), &["--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("budgetrad starts");
    let wanted = [
        "budgetrad-admin.token",
        "budgetrad-tokens.toml",
        "budgetrad.db",
        "budgetrad.db-shm",
        "budgetrad.db-wal",
    ];
    let deadline = Instant::now() + Duration::from_secs(20);
    while !wanted.iter().all(|name| dir.path().join(name).exists()) {
        if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
            let _ = child.kill();
            panic!(
                "the server did not create its files: {:?}",
                listing(dir.path())
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let modes: Vec<(String, u32)> = wanted
        .iter()
        .map(|name| ((*name).to_owned(), mode(&dir.path().join(name))))
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    for (name, mode) in modes {
        assert_eq!(mode, 0o600, "{name} is {mode:o}");
    }
}

#[tokio::test]
async fn the_database_with_its_wal_and_shm_is_0600_behind_the_server() {
    // Only SQLite keeps files; PostgreSQL's are the database server's.
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.households()
        .create_household(pb_household())
        .await
        .expect("a write reaches the WAL");
    for name in ["test.db", "test.db-wal", "test.db-shm"] {
        let path = app.database_dir().join(name);
        assert_eq!(mode(&path), 0o600, "{name}");
    }
}

fn pb_household() -> budgetrad::pb::CreateHouseholdRequest {
    budgetrad::pb::CreateHouseholdRequest {
        household: Some(budgetrad::pb::Household {
            case_reference: "TEST-FILES".into(),
            members: vec![adult(budgetrad::pb::MemberRole::Applicant, "19800101", 101)],
            ..Default::default()
        }),
    }
}

#[test]
fn token_commands_keep_the_token_file_0600() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    write_token_file(&path, &test_token_file()).expect("the file");
    let output = Command::new(env!("CARGO_BIN_EXE_budgetrad"))
        .args([
            "token",
            "create",
            "--name",
            "files-test",
            "--role",
            "auditor",
        ])
        .arg("--tokens-file")
        .arg(&path)
        .output()
        .expect("budgetrad runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(mode(&path), 0o600);
}

#[tokio::test]
async fn the_clis_output_file_is_0600() {
    use crate::debts::cli_as;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = dir.path().join("in.csv");
    // A valid personnummer of no household: an answer, not a failed row
    // (which would fail the batch).
    std::fs::write(
        &input,
        format!(
            "correlation_id,household_id,personal_identity_number,application_month,rent_month\n\
             a-1,,{},2026-12,\n",
            crate::helpers::synthetic_pin("19800101", 998)
        ),
    )
    .expect("the input");
    let fresh = dir.path().join("fresh.csv");
    // An output file that exists readable by all is narrowed too.
    let existing = dir.path().join("existing.csv");
    std::fs::write(&existing, "old\n").expect("written");
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    for output in [&fresh, &existing] {
        cli_as(
            &app,
            Role::RentCheck,
            &[
                "rent-check",
                "--in",
                input.to_str().expect("UTF-8"),
                "--out",
                output.to_str().expect("UTF-8"),
            ],
        )
        .await;
        assert_eq!(mode(output), 0o600, "{}", output.display());
        let written = std::fs::read_to_string(output).expect("the answers");
        assert!(written.contains("a-1"), "{written}");
    }
}

/// Runs the server in an empty directory with `args`; it must fail, and
/// leave the directory empty.
fn refused_before_writing(args: &[&str], says: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let output = server(dir.path(), args).output().expect("budgetrad runs");
    assert!(!output.status.success(), "{args:?} started");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    assert_eq!(listing(dir.path()), Vec::<String>::new(), "{args:?}");
}

#[test]
fn a_bad_listen_address_or_tls_configuration_fails_before_any_file_exists() {
    // Plain TCP on an address that is not loopback.
    refused_before_writing(&["--listen", "0.0.0.0:0"], "refusing plain TCP");
    // An address this host does not have (TEST-NET-1, RFC 5737).
    refused_before_writing(
        &["--listen", "192.0.2.1:50051", "--allow-plaintext"],
        "listening on 192.0.2.1:50051",
    );
    // TLS files that do not exist, or half a pair.
    refused_before_writing(
        &[
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ],
        "reading /nonexistent/cert.pem",
    );
    refused_before_writing(
        &[
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent/cert.pem",
        ],
        "give both --tls-cert and --tls-key",
    );
    // TLS files that exist but are not a certificate and key.
    let pems = tempfile::tempdir().expect("a temp dir");
    let cert = pems.path().join("cert.pem");
    let key = pems.path().join("key.pem");
    std::fs::write(&cert, "not a certificate\n").expect("written");
    std::fs::write(&key, "not a key\n").expect("written");
    refused_before_writing(
        &[
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert.to_str().expect("UTF-8"),
            "--tls-key",
            key.to_str().expect("UTF-8"),
        ],
        "configuring TLS",
    );
}

#[test]
fn a_read_replica_needs_postgresql_and_is_refused_before_any_file_exists() {
    // The default database is a SQLite file: no streaming replica.
    refused_before_writing(
        &[
            "--listen",
            "127.0.0.1:0",
            "--read-database-url",
            "postgres://postgres@127.0.0.1:5432/postgres",
        ],
        "--read-database-url needs --database-url to be PostgreSQL",
    );
    refused_before_writing(
        &[
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "postgres://postgres@127.0.0.1:5432/postgres",
            "--read-database-url",
            "sqlite:replica.db",
        ],
        "--read-database-url must be a PostgreSQL URL",
    );
}
