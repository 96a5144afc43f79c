//! Authentication and roles at the gRPC boundary; open health and reflection.

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::budgets::sample_budget;
use crate::helpers::*;

#[tokio::test]
async fn no_personal_data_without_a_valid_token_and_role() {
    on_each_backend(|app| async move {
        let none = app
            .budgets_as(None)
            .calculate_budget(sample_budget())
            .await
            .expect_err("no token");
        assert_eq!(none.code(), Code::Unauthenticated);
        let wrong = app
            .households_as(Some("brt_not-a-real-token"))
            .list_households(pb::ListHouseholdsRequest::default())
            .await
            .expect_err("unknown token");
        assert_eq!(wrong.code(), Code::Unauthenticated);
        let role = app
            .households_as(Some(&secret_for(Role::RentCheck)))
            .list_households(pb::ListHouseholdsRequest::default())
            .await
            .expect_err("wrong role");
        assert_eq!(role.code(), Code::PermissionDenied);
        assert!(role.message().contains("counsellor"), "{}", role.message());
        app.households_as(Some(&secret_for(Role::Counsellor)))
            .list_households(pb::ListHouseholdsRequest::default())
            .await
            .expect("a counsellor may list");
    })
    .await;
}

#[tokio::test]
async fn health_and_reflection_are_open() {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    let mut health = HealthClient::new(app.channel());
    for service in [
        "",
        "budgetrad.v1.BudgetService",
        "budgetrad.v1.HouseholdService",
    ] {
        let status = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .expect("health answers without credentials")
            .into_inner()
            .status;
        assert_eq!(status, ServingStatus::Serving as i32, "{service:?}");
    }

    let mut reflection = ServerReflectionClient::new(app.channel());
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = reflection
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection answers")
        .into_inner();
    let response = responses
        .message()
        .await
        .expect("a response")
        .expect("a message");
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("not a service list");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in [
        "budgetrad.v1.BudgetService",
        "budgetrad.v1.HouseholdService",
        "budgetrad.v1.NormService",
        "budgetrad.v1.AdminService",
        "budgetrad.v1.AuditService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            names.contains(&expected.to_owned()),
            "{expected} not in {names:?}"
        );
    }
}

#[tokio::test]
async fn health_turns_not_serving_when_the_database_goes_away() {
    if !backends().contains(&budgetrad::store::Backend::Postgres) {
        return; // needs a database that can vanish under the server
    }
    let app = TestApp::spawn(budgetrad::store::Backend::Postgres).await;
    let health = HealthClient::new(app.channel());
    let check = |mut health: HealthClient<tonic::transport::Channel>| async move {
        health
            .check(HealthCheckRequest {
                service: "budgetrad.v1.BudgetService".into(),
            })
            .await
            .expect("health answers")
            .into_inner()
            .status
    };
    assert_eq!(check(health.clone()).await, ServingStatus::Serving as i32);
    app.drop_database().await;
    // The watcher pings every 2 s with a 3 s limit: give it up to 15 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if check(health.clone()).await == ServingStatus::NotServing as i32 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still SERVING without a database"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Calls fail with UNAVAILABLE or INTERNAL, never a panic or a hang.
    let status = app
        .households()
        .list_households(pb::ListHouseholdsRequest::default())
        .await
        .expect_err("no database");
    assert!(
        matches!(status.code(), Code::Unavailable | Code::Internal),
        "{status:?}"
    );
}

/// Calls `method` (`/package.Service/Method`) with an empty request, as any
/// caller could, and returns the status code (OK when it succeeded).
async fn call_raw(channel: tonic::transport::Channel, method: &str, secret: Option<&str>) -> Code {
    let header = secret.map(|s| format!("Bearer {s}"));
    call_with_header(channel, method, header.as_deref()).await
}

/// As [`call_raw`], with the whole `authorization` header value given.
async fn call_with_header(
    channel: tonic::transport::Channel,
    method: &str,
    header: Option<&str>,
) -> Code {
    let mut grpc = tonic::client::Grpc::new(channel);
    if grpc.ready().await.is_err() {
        return Code::Unavailable;
    }
    let mut request = tonic::Request::new(());
    if let Some(header) = header {
        request
            .metadata_mut()
            .insert("authorization", header.parse().expect("ASCII"));
    }
    let path: tonic::codegen::http::uri::PathAndQuery = method.parse().expect("a method path");
    let codec = tonic_prost::ProstCodec::<(), ()>::default();
    if method.ends_with("/WatchAlerts") {
        // A stream without end: its code is known once it opens.
        return match grpc.server_streaming(request, path, codec).await {
            Ok(_) => Code::Ok,
            Err(status) => status.code(),
        };
    }
    match grpc.unary(request, path, codec).await {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    }
}

#[tokio::test]
async fn every_rpc_times_every_role() {
    use budgetrad::grpc::auth::RPC_ROLES;
    // Authorisation does not touch the database: SQLite suffices.
    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    let mut checked = 0;
    for (rpc, allowed) in RPC_ROLES {
        let method = format!("/{rpc}");
        for role in Role::ALL {
            let code = call_raw(app.channel(), &method, Some(&secret_for(*role))).await;
            if allowed.contains(role) {
                assert!(
                    !matches!(code, Code::Unauthenticated | Code::PermissionDenied),
                    "{rpc} refused {} ({code:?}) though the table allows it",
                    role.as_str()
                );
            } else {
                assert_eq!(code, Code::PermissionDenied, "{rpc} as {}", role.as_str());
            }
            checked += 1;
        }
        assert_eq!(
            call_raw(app.channel(), &method, None).await,
            Code::Unauthenticated,
            "{rpc} without a token"
        );
        assert_eq!(
            call_raw(app.channel(), &method, Some("brt_not-a-token")).await,
            Code::Unauthenticated,
            "{rpc} with an unknown token"
        );
        checked += 2;
    }
    // The scheme name is case-insensitive; another scheme is not a bearer token.
    let list = "/budgetrad.v1.HouseholdService/ListHouseholds";
    let lower = format!("bearer {}", secret_for(Role::Counsellor));
    assert_eq!(
        call_with_header(app.channel(), list, Some(&lower)).await,
        Code::Ok
    );
    let basic = format!("Basic {}", secret_for(Role::Counsellor));
    assert_eq!(
        call_with_header(app.channel(), list, Some(&basic)).await,
        Code::Unauthenticated
    );
    // A method the role table does not know is refused to everyone.
    assert_eq!(
        call_raw(
            app.channel(),
            "/budgetrad.v1.BudgetService/NoSuchMethod",
            Some(ALL_ROLES_SECRET)
        )
        .await,
        Code::PermissionDenied
    );
    assert_eq!(checked, RPC_ROLES.len() * (Role::ALL.len() + 2));
}

#[tokio::test]
async fn excess_calls_are_shed_but_health_still_answers() {
    use budgetrad::startup::ServeOptions;

    // With no call allowed in flight every budgetrad call is over the limit:
    // a deterministic way to see the refusal a busy server gives.
    let options = ServeOptions {
        max_concurrent_calls: 0,
        ..ServeOptions::default()
    };
    let app = TestApp::builder(budgetrad::store::Backend::Sqlite)
        .options(options)
        .spawn()
        .await;
    let status = app
        .budgets()
        .calculate_budget(sample_budget())
        .await
        .expect_err("shed");
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert!(status.message().contains("retry"), "{}", status.message());
    let health = HealthClient::new(app.channel())
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health is never shed")
        .into_inner();
    assert_eq!(health.status, ServingStatus::Serving as i32);

    // With room, the same call goes through.
    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    app.budgets()
        .calculate_budget(sample_budget())
        .await
        .expect("served");
}

/// Runs the server binary's `budgetrad token --json ARGS` and returns its
/// standard output.
pub(crate) fn token(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad"))
        .args(["token", "--json"])
        .args(args)
        .output()
        .expect("budgetrad runs");
    assert!(
        output.status.success(),
        "budgetrad token {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Waits up to ten seconds for ListHouseholds with `secret` to give `code`.
async fn eventually(app: &TestApp, secret: &str, code: Code) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = match app
            .households_as(Some(secret))
            .list_households(pb::ListHouseholdsRequest::default())
            .await
        {
            Ok(_) => Code::Ok,
            Err(status) => status.code(),
        };
        if got == code {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {got:?}, waiting for {code:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn tokens_made_and_revoked_with_the_cli_apply_without_a_restart() {
    use budgetrad::grpc::auth::{Tokens, load_or_bootstrap};

    let dir = tempfile::tempdir().expect("a temp dir");
    let tokens_path = dir.path().join("budgetrad-tokens.toml");
    let (store, _) = load_or_bootstrap(
        &tokens_path,
        &dir.path().join("admin.token"),
        chrono::Utc::now(),
    )
    .expect("bootstrap");
    let tokens = Tokens::watched(tokens_path.clone(), store);
    let app = TestApp::builder(budgetrad::store::Backend::Sqlite)
        .tokens(tokens)
        .spawn()
        .await;
    let file = tokens_path.to_str().expect("a UTF-8 path");

    let created = token(&[
        "create",
        "--name",
        "viva-test",
        "--role",
        "caseworker",
        "--tokens-file",
        file,
    ]);
    let created: serde_json::Value = serde_json::from_str(&created).expect("JSON");
    let secret = created["secret"].as_str().expect("the secret").to_owned();
    assert!(
        !std::fs::read_to_string(&tokens_path)
            .unwrap_or_default()
            .contains(&secret),
        "only the hash is kept"
    );
    eventually(&app, &secret, Code::Ok).await;

    let listed = token(&["list", "--tokens-file", file]);
    assert!(
        listed.contains("viva-test") && !listed.contains(&secret),
        "{listed}"
    );

    token(&["revoke", "viva-test", "--tokens-file", file]);
    eventually(&app, &secret, Code::Unauthenticated).await;
}
