//! Credentials fail closed, through the real server: a missing or corrupt
//! token file refuses every bearer token (and health's
//! `budgetrad.v1.Credentials` says so) until it is back; a revocation
//! applies within a second; the bootstrap token lasts seven days; a date
//! expiry lasts to the end of that day in Stockholm and a past one is
//! refused; every refusal carries an ErrorInfo reason.

use std::path::Path;
use std::time::{Duration, Instant};

use budgetrad::grpc::auth::{
    Role, TokenEntry, TokenFile, TokenStore, Tokens, hash_secret, load_or_bootstrap,
    read_token_file, write_token_file,
};
use budgetrad::pb;
use budgetrad::startup::CREDENTIALS_HEALTH;
use budgetrad::store::Backend;
use chrono::{DateTime, Utc};
use tonic::Code;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;
use tonic_types::StatusExt;

use crate::helpers::*;

/// ListNormTables with `secret`: open to every role, so only the credential
/// decides. OK, or the refusal.
async fn norms_with(app: &TestApp, secret: Option<&str>) -> Result<(), tonic::Status> {
    let request = pb::ListNormTablesRequest::default();
    let result = match secret {
        Some(secret) => {
            pb::norm_service_client::NormServiceClient::with_interceptor(
                app.channel(),
                Bearer::new(secret),
            )
            .list_norm_tables(request)
            .await
        }
        None => {
            pb::norm_service_client::NormServiceClient::new(app.channel())
                .list_norm_tables(request)
                .await
        }
    };
    result.map(|_| ())
}

/// The refusal's code, ErrorInfo reason and metadata `required_roles`.
fn refusal(status: &tonic::Status) -> (Code, String, Option<String>) {
    let info = status
        .get_error_details()
        .error_info()
        .cloned()
        .expect("an ErrorInfo");
    assert_eq!(info.domain, "budgetrad");
    (
        status.code(),
        info.reason,
        info.metadata.get("required_roles").cloned(),
    )
}

async fn credentials_health(app: &TestApp) -> i32 {
    HealthClient::new(app.channel())
        .check(HealthCheckRequest {
            service: CREDENTIALS_HEALTH.into(),
        })
        .await
        .expect("health answers")
        .into_inner()
        .status
}

/// Waits up to five seconds for `check` to hold.
async fn within_5s<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(5);
    while !check().await {
        assert!(Instant::now() < deadline, "still not: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Every test role's token, and the one with all roles.
fn every_secret() -> Vec<String> {
    let mut secrets: Vec<String> = Role::ALL.iter().map(|r| secret_for(*r)).collect();
    secrets.push(ALL_ROLES_SECRET.to_owned());
    secrets
}

/// A server over SQLite whose tokens come from a watched file holding the
/// test tokens.
async fn watched_server(path: &Path) -> TestApp {
    write_token_file(path, &test_token_file()).expect("the token file");
    let store = TokenStore::from_file(read_token_file(path).expect("reads"));
    TestApp::builder(Backend::Sqlite)
        .tokens(Tokens::watched(path.to_owned(), store))
        .spawn()
        .await
}

/// Every bearer token is refused with TOKENS_UNAVAILABLE, and health says so.
async fn closed(app: &TestApp) {
    within_5s("every bearer token refused", || async {
        matches!(norms_with(app, Some(&secret_for(Role::Admin))).await, Err(s) if s.code() == Code::Unauthenticated)
    })
    .await;
    for secret in every_secret() {
        let status = norms_with(app, Some(&secret)).await.expect_err("refused");
        assert_eq!(
            refusal(&status),
            (Code::Unauthenticated, "TOKENS_UNAVAILABLE".to_owned(), None)
        );
    }
    assert_eq!(
        credentials_health(app).await,
        ServingStatus::NotServing as i32
    );
}

/// Every bearer token works again, and health says so.
async fn open(app: &TestApp) {
    within_5s("bearer tokens accepted again", || async {
        norms_with(app, Some(&secret_for(Role::Admin)))
            .await
            .is_ok()
    })
    .await;
    for secret in every_secret() {
        norms_with(app, Some(&secret)).await.expect("accepted");
    }
    within_5s("health SERVING", || async {
        credentials_health(app).await == ServingStatus::Serving as i32
    })
    .await;
}

#[tokio::test]
async fn a_missing_or_corrupt_token_file_refuses_every_bearer_token_until_restored() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    let app = watched_server(&path).await;
    open(&app).await;

    // Deleted: every token refused, not the old set kept.
    std::fs::remove_file(&path).expect("deleted");
    closed(&app).await;
    // Restored: accepted again.
    write_token_file(&path, &test_token_file()).expect("restored");
    open(&app).await;

    // Corrupt: the same.
    std::fs::write(&path, "[[token]]\nname = \"half").expect("corrupted");
    closed(&app).await;
    write_token_file(&path, &test_token_file()).expect("restored");
    open(&app).await;

    // Health as a whole stays SERVING: client certificates still work.
    let whole = HealthClient::new(app.channel())
        .check(HealthCheckRequest::default())
        .await
        .expect("health")
        .into_inner();
    assert_eq!(whole.status, ServingStatus::Serving as i32);
}

#[tokio::test]
async fn the_log_says_when_the_token_file_fails_and_when_it_is_back() {
    // The server runs on this test's one thread, so it logs through this.
    let (capture, _guard) = capture_logs("info");

    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    let app = watched_server(&path).await;
    open(&app).await;
    std::fs::remove_file(&path).expect("deleted");
    closed(&app).await;
    let logs = capture.text();
    assert!(
        logs.contains("ERROR")
            && logs.contains(
                "the token file is missing or does not parse: every bearer token is refused"
            ),
        "{logs}"
    );
    write_token_file(&path, &test_token_file()).expect("restored");
    open(&app).await;
    let logs = capture.text();
    assert!(
        logs.contains("the token file is readable again: bearer tokens are accepted"),
        "{logs}"
    );
    assert!(
        !logs.contains(&secret_for(Role::Admin)),
        "no secret in the log"
    );
}

/// Runs the server binary's `budgetrad token ARGS`; its output.
fn token_command(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad"))
        .arg("token")
        .args(args)
        .output()
        .expect("budgetrad runs")
}

#[tokio::test]
async fn a_revoked_token_is_refused_within_a_second() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    let app = watched_server(&path).await;
    let counsellor = secret_for(Role::Counsellor);
    norms_with(&app, Some(&counsellor))
        .await
        .expect("accepted before");

    let revoked = token_command(&[
        "revoke",
        "test-counsellor",
        "--tokens-file",
        path.to_str().expect("UTF-8"),
    ]);
    assert!(revoked.status.success(), "{revoked:?}");
    let start = Instant::now();
    loop {
        match norms_with(&app, Some(&counsellor)).await {
            Ok(()) => {}
            Err(status) => {
                assert_eq!(refusal(&status).1, "TOKEN_INVALID");
                break;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "the revoked token still works after 1 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    println!("revocation applied after {:?}", start.elapsed());
    // The others are untouched.
    norms_with(&app, Some(&secret_for(Role::Caseworker)))
        .await
        .expect("another token still works");
}

#[tokio::test]
async fn every_refusal_names_its_reason() {
    let expired_secret = "test-secret-expired";
    let mut file = test_token_file();
    file.tokens.push(TokenEntry {
        name: "test-expired".into(),
        sha256: hash_secret(expired_secret),
        roles: vec![Role::Admin],
        units: None,
        // Expired one second before the server's "now".
        expires_at: Some(test_now() - chrono::Duration::seconds(1)),
        signature: None,
    });
    let app = TestApp::builder(Backend::Sqlite)
        .tokens(Tokens::fixed(TokenStore::from_file(file)))
        .spawn()
        .await;

    let missing = norms_with(&app, None).await.expect_err("no token");
    assert_eq!(
        refusal(&missing),
        (Code::Unauthenticated, "TOKEN_MISSING".to_owned(), None)
    );
    let unknown = norms_with(&app, Some("brt_not-a-token"))
        .await
        .expect_err("unknown");
    assert_eq!(
        refusal(&unknown),
        (Code::Unauthenticated, "TOKEN_INVALID".to_owned(), None)
    );
    let expired = norms_with(&app, Some(expired_secret))
        .await
        .expect_err("expired");
    assert_eq!(
        refusal(&expired),
        (Code::Unauthenticated, "TOKEN_EXPIRED".to_owned(), None)
    );
    // Not a bearer scheme at all.
    let mut basic = tonic::Request::new(pb::ListNormTablesRequest::default());
    basic.metadata_mut().insert(
        "authorization",
        "Basic dXNlcjpwYXNz".parse().expect("ASCII"),
    );
    let basic = pb::norm_service_client::NormServiceClient::new(app.channel())
        .list_norm_tables(basic)
        .await
        .expect_err("not a bearer token");
    assert_eq!(
        refusal(&basic),
        (Code::Unauthenticated, "TOKEN_INVALID".to_owned(), None)
    );

    // A role missing: the roles that would do, in the metadata.
    let denied = app
        .audit_as(Some(&secret_for(Role::Counsellor)))
        .list_audit_events(pb::ListAuditEventsRequest::default())
        .await
        .expect_err("not an auditor");
    assert_eq!(
        refusal(&denied),
        (
            Code::PermissionDenied,
            "ROLE_MISSING".to_owned(),
            Some("auditor".to_owned())
        )
    );
    let denied = app
        .households_as(Some(&secret_for(Role::RentCheck)))
        .list_households(pb::ListHouseholdsRequest::default())
        .await
        .expect_err("not a counsellor");
    assert_eq!(
        refusal(&denied),
        (
            Code::PermissionDenied,
            "ROLE_MISSING".to_owned(),
            Some("counsellor,caseworker".to_owned())
        )
    );
}

/// The instant the bootstrap token of a start at `started` expires, and
/// whether the server (its clock at [`test_now`]) accepts it.
async fn bootstrap_started_at(
    started: DateTime<Utc>,
) -> (DateTime<Utc>, Result<(), tonic::Status>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tokens_path = dir.path().join("tokens.toml");
    let secret_path = dir.path().join("admin.token");
    let (store, created) =
        load_or_bootstrap(&tokens_path, &secret_path, started).expect("bootstrap");
    assert!(created.is_some());
    let expires = read_token_file(&tokens_path).expect("reads").tokens[0]
        .expires_at
        .expect("the bootstrap token expires");
    let secret = std::fs::read_to_string(&secret_path).expect("the secret");
    let app = TestApp::builder(Backend::Sqlite)
        .tokens(Tokens::watched(tokens_path, store))
        .spawn()
        .await;
    (expires, norms_with(&app, Some(secret.trim())).await)
}

#[tokio::test]
async fn the_bootstrap_token_expires_after_seven_days() {
    let week = chrono::Duration::days(7);
    // Started a minute less than a week before "now": still valid.
    let started = test_now() - week + chrono::Duration::minutes(1);
    let (expires, result) = bootstrap_started_at(started).await;
    assert_eq!(expires, started + week);
    result.expect("valid for seven days");
    // Started a week before "now": expired.
    let (_, result) = bootstrap_started_at(test_now() - week).await;
    assert_eq!(
        refusal(&result.expect_err("expired after seven days")).1,
        "TOKEN_EXPIRED"
    );
}

#[tokio::test]
async fn a_date_expiry_lasts_to_the_end_of_that_day_in_stockholm() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    write_token_file(&path, &TokenFile::default()).expect("an empty file");
    let file = path.to_str().expect("UTF-8");
    let created = token_command(&[
        "--json",
        "create",
        "--name",
        "summer-temp",
        "--role",
        "counsellor",
        "--expires-at",
        "2099-06-30",
        "--tokens-file",
        file,
    ]);
    assert!(created.status.success(), "{created:?}");
    let created: serde_json::Value = serde_json::from_slice(&created.stdout).expect("JSON");
    let secret = created["secret"].as_str().expect("the secret").to_owned();
    let expires = read_token_file(&path).expect("reads").tokens[0]
        .expires_at
        .expect("an expiry");
    // Midnight after 30 June in Stockholm, summer time (UTC+2).
    assert_eq!(expires.to_rfc3339(), "2099-06-30T22:00:00+00:00");

    let at = |rfc3339: &str| {
        DateTime::parse_from_rfc3339(rfc3339)
            .expect("an instant")
            .with_timezone(&Utc)
    };
    for (now, works) in [
        // Midnight UTC, the old reading: still the same Swedish day.
        ("2099-06-30T00:00:00Z", true),
        // 23:59:59 in Stockholm.
        ("2099-06-30T21:59:59Z", true),
        // 00:00 on 1 July in Stockholm.
        ("2099-06-30T22:00:00Z", false),
    ] {
        let store = TokenStore::from_file(read_token_file(&path).expect("reads"));
        let app = TestApp::builder(Backend::Sqlite)
            .tokens(Tokens::fixed(store))
            .now(at(now))
            .spawn()
            .await;
        let result = norms_with(&app, Some(&secret)).await;
        if works {
            result.unwrap_or_else(|e| panic!("refused at {now}: {e:?}"));
        } else {
            assert_eq!(
                refusal(&result.expect_err("expired")).1,
                "TOKEN_EXPIRED",
                "at {now}"
            );
        }
    }
}

#[test]
fn token_create_refuses_an_expiry_in_the_past() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    write_token_file(&path, &test_token_file()).expect("the file");
    let before = std::fs::read(&path).expect("reads");
    for past in ["2020-01-01", "2020-01-01T12:00:00Z"] {
        let output = token_command(&[
            "create",
            "--name",
            "too-late",
            "--role",
            "admin",
            "--expires-at",
            past,
            "--tokens-file",
            path.to_str().expect("UTF-8"),
        ]);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("has passed"), "{stderr}");
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains("brt_"),
            "no secret printed"
        );
        assert_eq!(std::fs::read(&path).expect("reads"), before, "unchanged");
    }
}
