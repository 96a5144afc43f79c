//! No caller can starve another: silent connections are bounded and
//! closed, a request whose body never arrives holds no slot, and one
//! caller's rent-check streams leave room for the others'. An honest
//! caller is served within a second throughout.

use std::time::{Duration, Instant};

use budgetrad::grpc::auth::Role;
use budgetrad::grpc::rent_check_service::StreamLimits;
use budgetrad::pb;
use budgetrad::startup::{ConnectionLimits, ServeOptions};
use budgetrad::store::Backend;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tonic_types::StatusExt;

use crate::helpers::*;

/// An honest call, timed: a household lookup that finds nothing.
async fn honest_call(app: &TestApp) -> Duration {
    let started = Instant::now();
    let status = app
        .households()
        .get_household(pb::GetHouseholdRequest {
            id: uuid::Uuid::new_v4().to_string(),
        })
        .await
        .expect_err("no such household");
    assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
    started.elapsed()
}

/// Calls honestly every 50 ms for `during`; the slowest call.
async fn honest_calls(app: &TestApp, during: Duration) -> Duration {
    let end = Instant::now() + during;
    let mut slowest = Duration::ZERO;
    while Instant::now() < end {
        slowest = slowest.max(honest_call(app).await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    slowest
}

/// Whether the server has closed `socket`: a read that ends (or fails)
/// within `within` (the server's SETTINGS frame, sent to every admitted connection, is
/// read past).
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 256];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_are_bounded_and_closed_while_an_honest_caller_is_served() {
    const CAP: usize = 200;
    const FLOOD: usize = 1200;
    // The test process holds both ends of every connection.
    rlimit::increase_nofile_limit(u64::MAX).expect("the open-file limit");
    let app = TestApp::builder(Backend::Sqlite)
        .options(ServeOptions {
            connections: ConnectionLimits {
                max_connections: CAP,
                silence: Duration::from_secs(2),
            },
            ..ServeOptions::default()
        })
        .spawn()
        .await;
    // The honest caller's connection is open before the flood.
    honest_call(&app).await;

    let started = Instant::now();
    let mut flood = Vec::with_capacity(FLOOD);
    for _ in 0..FLOOD {
        flood.push(TcpStream::connect(app.addr()).await.expect("a connection"));
    }
    let slowest = honest_calls(&app, Duration::from_millis(500)).await;
    assert!(
        slowest < Duration::from_secs(1),
        "an honest call took {slowest:?}"
    );

    // Beyond the cap, connections are closed at once (the honest caller's
    // holds one place).
    let mut closed_at_once = 0;
    let mut open = Vec::new();
    for mut socket in flood {
        if closed_within(&mut socket, Duration::from_millis(20)).await {
            closed_at_once += 1;
        } else {
            open.push(socket);
        }
    }
    assert!(
        open.len() < CAP,
        "{} silent connections stayed open, the cap is {CAP}",
        open.len()
    );
    assert!(
        closed_at_once >= FLOOD - CAP,
        "{closed_at_once} closed at once"
    );

    // The rest are closed once they have been silent for 2 s.
    let slowest = honest_calls(
        &app,
        Duration::from_millis(2500).saturating_sub(started.elapsed()),
    )
    .await;
    assert!(
        slowest < Duration::from_secs(1),
        "an honest call took {slowest:?}"
    );
    for socket in &mut open {
        assert!(
            closed_within(socket, Duration::from_secs(2)).await,
            "a silent connection outlived its deadline"
        );
    }
    // Their places are free: a new connection is served.
    let fresh = tonic::transport::Channel::from_shared(app.url())
        .expect("a URI")
        .connect_lazy();
    let answered = pb::household_service_client::HouseholdServiceClient::with_interceptor(
        fresh,
        app.bearer_for(Role::Caseworker),
    )
    .get_household(pb::GetHouseholdRequest {
        id: uuid::Uuid::new_v4().to_string(),
    })
    .await
    .expect_err("no such household");
    assert_eq!(answered.code(), tonic::Code::NotFound);
    assert!(honest_call(&app).await < Duration::from_secs(1));
}

/// Opens `count` calls of a unary method whose body never comes, on one
/// HTTP/2 connection; their response futures.
async fn stalled_bodies(app: &TestApp, count: usize) -> Vec<h2::client::ResponseFuture> {
    let tcp = TcpStream::connect(app.addr()).await.expect("a connection");
    let (client, connection) = h2::client::handshake(tcp).await.expect("HTTP/2");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut pending = Vec::new();
    for _ in 0..count {
        let mut client = client.clone().ready().await.expect("a stream slot");
        let request = tonic::codegen::http::Request::builder()
            .method("POST")
            .uri(format!(
                "http://{}/budgetrad.v1.HouseholdService/GetHousehold",
                app.addr()
            ))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .header(
                "authorization",
                format!("Bearer {}", secret_for(Role::Caseworker)),
            )
            .body(())
            .expect("a request");
        // Headers only: the body is promised and never sent.
        let (response, send) = client.send_request(request, false).expect("sent");
        std::mem::forget(send);
        pending.push(response);
    }
    pending
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_body_that_never_arrives_holds_no_slot() {
    const SLOTS: usize = 8;
    let app = TestApp::builder(Backend::Sqlite)
        .options(ServeOptions {
            max_concurrent_calls: SLOTS,
            max_calls_per_caller: SLOTS,
            request_body: Duration::from_secs(1),
            ..ServeOptions::default()
        })
        .spawn()
        .await;
    // Twelve times the server's slots, waiting for bodies.
    let stalled = stalled_bodies(&app, SLOTS * 12).await;
    let slowest = honest_calls(&app, Duration::from_millis(800)).await;
    assert!(
        slowest < Duration::from_secs(1),
        "an honest call took {slowest:?}"
    );
    // Each is answered DEADLINE_EXCEEDED once its body is late.
    let started = Instant::now();
    for response in stalled {
        let response = tokio::time::timeout(Duration::from_secs(3), response)
            .await
            .expect("answered in time")
            .expect("a response");
        let status = response
            .headers()
            .get("grpc-status")
            .and_then(|s| s.to_str().ok())
            .map(str::to_owned);
        assert_eq!(status.as_deref(), Some("4"), "DEADLINE_EXCEEDED");
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(honest_call(&app).await < Duration::from_secs(1));
}

/// A rent-check stream of `role` that asks one question and stays open:
/// admitted (kept open until dropped) or refused.
async fn open_stream(
    app: &TestApp,
    role: Role,
) -> Result<
    (
        tokio::sync::mpsc::Sender<pb::CheckRentPaidStreamRequest>,
        tonic::Streaming<pb::CheckRentPaidStreamResponse>,
    ),
    tonic::Status,
> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(pb::CheckRentPaidStreamRequest {
        correlation_id: "1".into(),
        query: Some(pb::RentCheckQuery {
            subject: Some(pb::rent_check_query::Subject::HouseholdId(
                uuid::Uuid::new_v4().to_string(),
            )),
            application_month: "2026-11".into(),
            ..Default::default()
        }),
    })
    .await
    .expect("queued");
    let mut checks = pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
        app.channel(),
        app.bearer_for(role),
    );
    let answers = checks
        .check_rent_paid_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await?
        .into_inner();
    Ok((tx, answers))
}

#[tokio::test]
async fn one_caller_takes_at_most_its_share_of_rent_check_streams() {
    let app = TestApp::builder(Backend::Sqlite)
        .options(ServeOptions {
            streams: StreamLimits {
                max_streams: 8,
                per_caller: 2,
                ..StreamLimits::default()
            },
            ..ServeOptions::default()
        })
        .spawn()
        .await;
    let first = open_stream(&app, Role::RentCheck).await.expect("admitted");
    let second = open_stream(&app, Role::RentCheck).await.expect("admitted");
    let refused = open_stream(&app, Role::RentCheck)
        .await
        .expect_err("beyond the caller's share");
    assert_eq!(refused.code(), tonic::Code::ResourceExhausted);
    let retry = refused
        .get_details_retry_info()
        .expect("a RetryInfo")
        .retry_delay
        .expect("a delay");
    assert!(retry > Duration::ZERO && retry <= Duration::from_secs(5));
    // Another caller is not held back by the first one's streams.
    let other = open_stream(&app, Role::Caseworker).await.expect("admitted");
    // A stream's end gives its place back.
    drop(first);
    let mut again = Err(tonic::Status::unknown("not tried"));
    for _ in 0..50 {
        again = open_stream(&app, Role::RentCheck).await;
        if again.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    again.expect("admitted once the first stream ended");
    drop((second, other));
}

#[tokio::test]
async fn a_connection_that_falls_silent_after_its_handshake_is_closed() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::builder(Backend::Sqlite)
        .options(ServeOptions {
            connections: ConnectionLimits {
                max_connections: 16,
                silence: Duration::from_secs(2),
            },
            ..ServeOptions::default()
        })
        .spawn()
        .await;
    let mut socket = TcpStream::connect(app.addr()).await.expect("a connection");
    // HTTP/2's preface and an empty SETTINGS frame, then nothing: not even
    // the answer to the server's keepalive ping.
    socket
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .expect("the preface");
    let started = Instant::now();
    assert!(!closed_within(&mut socket, Duration::from_millis(500)).await);
    assert!(
        closed_within(&mut socket, Duration::from_secs(4)).await,
        "still open after {:?}",
        started.elapsed()
    );
    // An honest caller, whose client answers pings, keeps its connection.
    honest_call(&app).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(honest_call(&app).await < Duration::from_secs(1));
}
