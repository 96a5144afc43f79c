//! Faults on purpose: the server process killed mid-traffic and started
//! again, the database stopped under a running server, a locked SQLite
//! file. These tests run the real server binary as a child process, so it
//! can be killed like in production.

use std::collections::HashSet;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::store::Backend;
use sqlx::{AnyConnection, Connection, Row};
use tokio::sync::Mutex;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;

use crate::helpers::{Authed, Bearer, TestDatabase, adult, backends, money, secret_for};
use crate::leases::{landlord_with, lease};
use crate::processes::{Cluster, ServerProcess};

/// A household with `count` leases at one landlord (no OCR required), rent
/// 7 900 a month from January 2025; returns the lease ids.
async fn leases(server: &ServerProcess, count: usize) -> Vec<String> {
    let bearer = Bearer::new(&secret_for(Role::Caseworker));
    let mut households = pb::household_service_client::HouseholdServiceClient::new(
        InterceptedService::new(server.channel(), bearer.clone()),
    );
    let mut rent = pb::rent_plan_service_client::RentPlanServiceClient::new(
        InterceptedService::new(server.channel(), bearer),
    );
    let household = households
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-CRASH".into(),
                members: vec![adult(pb::MemberRole::Applicant, "19850312", 1)],
                ..Default::default()
            }),
        })
        .await
        .expect("a household")
        .into_inner()
        .household
        .expect("the household");
    let landlord = landlord_with(&mut rent, false).await;
    let mut ids = Vec::new();
    for _ in 0..count {
        ids.push(lease(&mut rent, &household.id, &landlord.id).await.id);
    }
    ids
}

/// The `n`th payout of the test: 100 kr, so that a month holds 79 of them
/// and a duplicate would pass the rent rule (only the request id stops it).
fn nth_payout(leases: &[String], n: u64) -> pb::RecordRentPayoutRequest {
    let lease = &leases[(n % leases.len() as u64) as usize];
    let month = (n / leases.len() as u64) % 22;
    pb::RecordRentPayoutRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        lease_id: lease.clone(),
        rent_month: format!("{}-{:02}", 2025 + month / 12, month % 12 + 1),
        kind: pb::RentPaymentKind::Rent as i32,
        amount: money("100"),
        decision_reference: "BESLUT-CRASH".into(),
        ocr_reference: String::new(),
        payout_date: "2026-11-20".into(),
    }
}

/// Codes a client retries with the same request id: the server went away
/// (UNAVAILABLE, or UNKNOWN for a connection cut mid-call) or the call ran
/// out of time.
fn retryable(code: Code) -> bool {
    matches!(
        code,
        Code::Unavailable | Code::Unknown | Code::Cancelled | Code::DeadlineExceeded
    )
}

/// Sends one payout until it is acknowledged, retrying with the same
/// request id; returns the payout id and the number of retries.
async fn pay_until_acknowledged(
    client: &mut pb::payout_service_client::PayoutServiceClient<Authed>,
    request: &pb::RecordRentPayoutRequest,
) -> (String, u64) {
    let mut retries = 0;
    let give_up = Instant::now() + Duration::from_secs(60);
    loop {
        let mut call = tonic::Request::new(request.clone());
        call.set_timeout(Duration::from_secs(5));
        match tokio::time::timeout(Duration::from_secs(6), client.record_rent_payout(call)).await {
            Ok(Ok(response)) => {
                let payout = response.into_inner().payout.expect("the payout");
                return (payout.id, retries);
            }
            Ok(Err(status)) if retryable(status.code()) => {}
            Ok(Err(status)) => panic!("a payout was refused: {status:?}"),
            Err(_) => {}
        }
        assert!(Instant::now() < give_up, "a payout was never acknowledged");
        retries += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the ledger holds after the traffic, read past the API.
struct Ledger {
    payouts: Vec<(String, String)>,
    audited_ok: i64,
}

async fn ledger(database_url: &str) -> Ledger {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(database_url)
        .await
        .expect("the test database");
    let payouts = sqlx::query("SELECT id, request_id FROM rent_payouts")
        .fetch_all(&mut conn)
        .await
        .expect("the payouts")
        .iter()
        .map(|row| {
            (
                row.try_get::<String, _>("id").expect("id"),
                row.try_get::<String, _>("request_id").expect("request_id"),
            )
        })
        .collect();
    let audited_ok: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events \
         WHERE method LIKE '%/RecordRentPayout' AND outcome = 'OK'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("the audit count")
    .try_get("n")
    .expect("n");
    if database_url.starts_with("sqlite:") {
        let check: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .expect("an integrity check")
            .try_get(0)
            .expect("its answer");
        assert_eq!(check, "ok", "SQLite's integrity check");
    }
    Ledger {
        payouts,
        audited_ok,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_servers_lose_no_acknowledged_payout_and_pay_none_twice() {
    const KILLS: u32 = 5;
    const WORKERS: usize = 8;
    for backend in backends() {
        let db = TestDatabase::create(backend).await;
        let mut server = ServerProcess::serving(&db).await;
        let leases = Arc::new(leases(&server, 16).await);

        // Workers send payouts one after another, each until acknowledged,
        // until the killer is done; every acknowledgement is noted.
        let next = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
        let retries = Arc::new(AtomicU64::new(0));
        let mut workers = Vec::new();
        for _ in 0..WORKERS {
            let (next, stop, acknowledged, retries, leases) = (
                next.clone(),
                stop.clone(),
                acknowledged.clone(),
                retries.clone(),
                leases.clone(),
            );
            let mut client = server.payouts();
            workers.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let request = nth_payout(&leases, next.fetch_add(1, Ordering::Relaxed));
                    let (id, tries) = pay_until_acknowledged(&mut client, &request).await;
                    retries.fetch_add(tries, Ordering::Relaxed);
                    acknowledged.lock().await.push((id, request.request_id));
                }
            }));
        }

        // The killer: SIGKILL at a random moment, start again, KILLS times.
        let started = Instant::now();
        for _ in 0..KILLS {
            tokio::time::sleep(Duration::from_millis(fastrand::u64(200..800))).await;
            let before = acknowledged.lock().await.len();
            server.kill();
            server.spawn();
            server
                .await_health(ServingStatus::Serving, Duration::from_secs(60))
                .await;
            // Let traffic flow again before the next kill.
            let resumed = Instant::now();
            while acknowledged.lock().await.len() < before + 20 {
                assert!(
                    resumed.elapsed() < Duration::from_secs(30),
                    "payouts did not resume after a restart"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.expect("a worker");
        }
        let elapsed = started.elapsed();
        server.kill();

        let acknowledged = acknowledged.lock().await.clone();
        let ledger = ledger(&db.url).await;
        let in_ledger: HashSet<&(String, String)> = ledger.payouts.iter().collect();
        let lost = acknowledged
            .iter()
            .filter(|a| !in_ledger.contains(a))
            .count();
        let request_ids: HashSet<&String> = ledger.payouts.iter().map(|(_, r)| r).collect();
        let duplicated = ledger.payouts.len() - request_ids.len();
        let unacknowledged = ledger.payouts.len() as i64 - acknowledged.len() as i64;
        println!(
            "{backend:?}: {KILLS} kills survived in {:.1} s; {} payouts acknowledged after {} retries; \
             lost {lost}, duplicated {duplicated}, in the ledger but never acknowledged {unacknowledged}",
            elapsed.as_secs_f64(),
            acknowledged.len(),
            retries.load(Ordering::Relaxed),
        );
        assert_eq!(lost, 0, "acknowledged payouts missing from the ledger");
        assert_eq!(duplicated, 0, "payouts recorded twice");
        // Every request was retried until acknowledged, so the ledger holds
        // exactly what was acknowledged.
        assert_eq!(unacknowledged, 0, "payouts nobody was told of");
        // No half-written payout: each has its audit record, written in the
        // same transaction (replays write one more each).
        assert!(
            ledger.audited_ok >= ledger.payouts.len() as i64,
            "{} payouts but {} audit records",
            ledger.payouts.len(),
            ledger.audited_ok
        );
    }
}

/// One payout with a deadline: its status code and how long it took.
async fn timed_payout(
    client: &mut pb::payout_service_client::PayoutServiceClient<Authed>,
    request: &pb::RecordRentPayoutRequest,
    deadline: Duration,
) -> (Code, Duration) {
    let started = Instant::now();
    let mut call = tonic::Request::new(request.clone());
    call.set_timeout(deadline);
    let code = match client.record_rent_payout(call).await {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    };
    (code, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_fails_fast_and_heals_without_a_restart() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let Some(bin) = Cluster::programs() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no PostgreSQL programs in /usr/lib/postgresql for the outage test"
        );
        eprintln!(
            "*** no PostgreSQL programs in /usr/lib/postgresql: the outage test was SKIPPED ***"
        );
        return;
    };
    let cluster = Cluster::create(bin);
    let dir = tempfile::tempdir().expect("a directory");
    let server = ServerProcess::start(&cluster.url(), dir.path());
    server
        .await_health(ServingStatus::Serving, Duration::from_secs(60))
        .await;
    let pid = server.child.as_ref().map(Child::id);
    let leases = leases(&server, 4).await;
    let mut client = server.payouts();
    // A deadline longer than the pool's acquire timeout (2 s), as clients
    // of a payment service set them.
    let deadline = Duration::from_secs(3);
    let mut n = 0;
    let mut acknowledged = Vec::new();
    for _ in 0..20 {
        let request = nth_payout(&leases, n);
        n += 1;
        let (id, _) = pay_until_acknowledged(&mut client, &request).await;
        acknowledged.push((id, request.request_id));
    }

    // The database goes away under the running server.
    cluster.stop();
    let stopped = Instant::now();
    // Calls in the first moments wait for a connection, then fail with
    // UNAVAILABLE within their deadline.
    let mut codes = Vec::new();
    let not_serving = loop {
        let (code, took) = timed_payout(&mut client, &nth_payout(&leases, n), deadline).await;
        n += 1;
        assert!(
            took < deadline + Duration::from_millis(500),
            "a call took {took:?} with a deadline of {deadline:?}"
        );
        assert_eq!(
            code,
            Code::Unavailable,
            "a call caught by the outage before health saw it"
        );
        codes.push(code);
        if server.health().await == Some(ServingStatus::NotServing) {
            break stopped.elapsed();
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "health did not turn NOT_SERVING"
        );
    };
    // Once health says so, calls are refused at once with UNAVAILABLE.
    let mut fast = Duration::ZERO;
    for _ in 0..10 {
        let (code, took) = timed_payout(&mut client, &nth_payout(&leases, n), deadline).await;
        n += 1;
        assert_eq!(code, Code::Unavailable);
        fast = fast.max(took);
    }
    assert!(fast < Duration::from_millis(500), "refusals took {fast:?}");

    // The database comes back; the same server process heals by itself.
    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster.start();
    let back = Instant::now();
    let request = nth_payout(&leases, n);
    let (id, _) = pay_until_acknowledged(&mut client, &request).await;
    let healed = back.elapsed();
    acknowledged.push((id, request.request_id));
    server
        .await_health(ServingStatus::Serving, Duration::from_secs(10))
        .await;
    assert_eq!(
        server.child.as_ref().map(Child::id),
        pid,
        "the server was not restarted"
    );
    assert!(healed < Duration::from_secs(10), "healing took {healed:?}");

    let ledger = ledger(&cluster.url()).await;
    let in_ledger: HashSet<&(String, String)> = ledger.payouts.iter().collect();
    assert!(acknowledged.iter().all(|a| in_ledger.contains(a)));
    assert_eq!(
        ledger.payouts.len(),
        acknowledged.len(),
        "only acknowledged payouts are in the ledger"
    );
    println!(
        "PostgreSQL outage: NOT_SERVING after {not_serving:?} ({} calls failed meanwhile: {codes:?}); \
         refusals then within {fast:?}; a payout succeeded {healed:?} after the database was back",
        codes.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_sqlite_file_is_waited_for_then_refused_clearly_never_corrupted() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = ServerProcess::serving(&db).await;
    let leases = leases(&server, 1).await;
    let mut client = server.payouts();

    // Another process's writer holds the lock for a second: the payout waits
    // for it and then goes through.
    sqlx::any::install_default_drivers();
    let mut other = AnyConnection::connect(&db.url).await.expect("a connection");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("the write lock");
    let first = nth_payout(&leases, 0);
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        sqlx::query("ROLLBACK")
            .execute(&mut other)
            .await
            .expect("released");
        other
    });
    let (code, took) = timed_payout(&mut client, &first, Duration::from_secs(20)).await;
    assert_eq!(
        code,
        Code::Ok,
        "the payout waited for the lock and went through"
    );
    assert!(
        took >= Duration::from_millis(900),
        "it waited for the lock: {took:?}"
    );
    let mut other = release.await.expect("the lock holder");

    // Held past the busy timeout: a clear UNAVAILABLE, nothing written.
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("the write lock");
    let second = nth_payout(&leases, 1);
    let mut call = tonic::Request::new(second.clone());
    call.set_timeout(Duration::from_secs(20));
    let started = Instant::now();
    let status = client
        .record_rent_payout(call)
        .await
        .expect_err("refused while locked");
    let took = started.elapsed();
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    assert!(
        status.message().contains("locked"),
        "the message says why: {}",
        status.message()
    );
    assert!(took >= Duration::from_secs(4), "it retried first: {took:?}");
    sqlx::query("ROLLBACK")
        .execute(&mut other)
        .await
        .expect("released");
    drop(other);

    // The retry with the same request id goes through, once.
    let (code, _) = timed_payout(&mut client, &second, Duration::from_secs(20)).await;
    assert_eq!(code, Code::Ok);
    let ledger = ledger(&db.url).await; // runs SQLite's integrity check
    assert_eq!(ledger.payouts.len(), 2);
    println!(
        "SQLite locked: waited {took:?} of retries, then UNAVAILABLE: {}",
        status.message()
    );
}

/// Sends and receives message bodies as they are: for requests no
/// generated client would send.
#[derive(Clone, Copy, Default)]
struct RawCodec;

impl tonic::codec::Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }

    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl tonic::codec::Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = tonic::Status;

    fn encode(
        &mut self,
        item: Vec<u8>,
        dst: &mut tonic::codec::EncodeBuf<'_>,
    ) -> Result<(), tonic::Status> {
        bytes::BufMut::put_slice(dst, &item);
        Ok(())
    }
}

impl tonic::codec::Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = tonic::Status;

    fn decode(
        &mut self,
        src: &mut tonic::codec::DecodeBuf<'_>,
    ) -> Result<Option<Vec<u8>>, tonic::Status> {
        let body = bytes::Buf::chunk(src).to_vec();
        bytes::Buf::advance(src, body.len());
        Ok(Some(body))
    }
}

/// One call with a raw body to `path`, as a caseworker.
async fn raw_call(channel: Channel, path: &'static str, body: Vec<u8>) -> Code {
    let mut grpc = tonic::client::Grpc::new(channel);
    if grpc.ready().await.is_err() {
        return Code::Unavailable;
    }
    let mut request = tonic::Request::new(body);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", secret_for(Role::Caseworker))
            .parse()
            .expect("ASCII"),
    );
    match grpc
        .unary(
            request,
            tonic::codegen::http::uri::PathAndQuery::from_static(path),
            RawCodec,
        )
        .await
    {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    }
}

/// The server process's peak resident memory, in MiB.
fn peak_mib(server: &ServerProcess) -> f64 {
    let pid = server
        .child
        .as_ref()
        .map(Child::id)
        .expect("a running server");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .expect("VmHWM")
        / 1024.0
}

/// A gRPC frame: uncompressed, length-prefixed.
fn grpc_frame(message: &impl prost::Message) -> bytes::Bytes {
    let body = message.encode_to_vec();
    let mut frame = Vec::with_capacity(5 + body.len());
    frame.push(0);
    frame.extend((body.len() as u32).to_be_bytes());
    frame.extend(body);
    frame.into()
}

/// Opens `count` CheckRentPaidStream calls on one raw HTTP/2 connection,
/// sends each `items` checks and then nothing, and never reads a byte of
/// the answers (so never gives the server flow-control credit). Returns
/// the connection's handle (dropping it closes the connection), the
/// admitted streams' bodies (held unread), and how many were refused, by
/// grpc-status.
async fn unread_streams(
    port: u16,
    count: usize,
    items: usize,
) -> (
    tokio::task::JoinHandle<()>,
    Vec<(h2::RecvStream, h2::SendStream<bytes::Bytes>)>,
    Vec<String>,
) {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("a connection");
    let (client, connection) = h2::client::handshake(tcp).await.expect("HTTP/2");
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut held = Vec::new();
    let mut refused = Vec::new();
    for s in 0..count {
        let mut client = client.clone().ready().await.expect("a stream slot");
        let request = http::Request::builder()
            .method("POST")
            .uri(format!(
                "http://127.0.0.1:{port}/budgetrad.v1.RentCheckService/CheckRentPaidStream"
            ))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .header(
                "authorization",
                format!("Bearer {}", secret_for(Role::RentCheck)),
            )
            .body(())
            .expect("a request");
        let (response, mut send) = client.send_request(request, false).expect("sent");
        // Many messages to a DATA frame, as a real client's buffered
        // writes would be (h2 sends GOAWAY to floods of tiny frames).
        let mut batch = Vec::new();
        for i in 0..items {
            let item = pb::CheckRentPaidStreamRequest {
                correlation_id: format!("{s}-{i}"),
                query: Some(pb::RentCheckQuery {
                    subject: Some(pb::rent_check_query::Subject::PersonalIdentityNumber(
                        crate::helpers::synthetic_pin("19850312", 1),
                    )),
                    application_month: "2026-11".into(),
                    rent_month: String::new(),
                    as_of: String::new(),
                }),
            };
            batch.extend_from_slice(&grpc_frame(&item));
            if batch.len() >= 16 * 1024 || i + 1 == items {
                let data = bytes::Bytes::from(std::mem::take(&mut batch));
                if send.send_data(data, false).is_err() {
                    // Refused and closed already.
                    break;
                }
            }
        }
        let response = response.await.expect("the response headers");
        match response.headers().get("grpc-status") {
            // Trailers only: refused at once.
            Some(status) => refused.push(status.to_str().unwrap_or("?").to_owned()),
            None => held.push((response.into_body(), send)),
        }
    }
    (driver, held, refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_clients_neither_exhaust_memory_nor_block_others() {
    const STREAMS: usize = 24;
    const LIMIT: usize = 16;
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = ServerProcess::start_with(
        &db.url,
        db.dir.path(),
        vec![
            ("BUDGETRAD_MAX_RENT_CHECK_STREAMS", LIMIT.to_string()),
            // One caller may fill the server here: this test is of the
            // server's own limit (tests/it/starvation.rs has the caller's).
            (
                "BUDGETRAD_MAX_RENT_CHECK_STREAMS_PER_CALLER",
                LIMIT.to_string(),
            ),
            ("BUDGETRAD_STREAM_STALL_SECONDS", "2".to_owned()),
        ],
    );
    server
        .await_health(ServingStatus::Serving, Duration::from_secs(60))
        .await;

    // Streams that send 20 000 checks each and never read an answer: the
    // first LIMIT are admitted and stall, the rest are refused at once
    // (grpc-status 8, RESOURCE_EXHAUSTED).
    let (connection, stalled, refused) = unread_streams(server.port, STREAMS, 20_000).await;
    assert_eq!(stalled.len(), LIMIT, "streams admitted");
    assert_eq!(refused, vec!["8".to_owned(); STREAMS - LIMIT]);

    // Oversized and malformed requests, and a connection that speaks
    // garbage after the HTTP/2 preface.
    let oversized = raw_call(
        server.channel(),
        "/budgetrad.v1.BudgetService/CalculateBudget",
        vec![0x0a; 5 * 1024 * 1024],
    )
    .await;
    assert!(
        matches!(oversized, Code::ResourceExhausted | Code::OutOfRange),
        "a 5 MiB message: {oversized:?}"
    );
    for garbage in [
        vec![0xff; 64],
        vec![0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f],
        vec![0x12; 3],
    ] {
        let code = raw_call(
            server.channel(),
            "/budgetrad.v1.BudgetService/CalculateBudget",
            garbage,
        )
        .await;
        assert_ne!(code, Code::Ok, "a malformed message was accepted");
    }
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut raw = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
            .await
            .expect("a connection");
        let _ = raw.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await;
        let _ = raw.write_all(&[0xde; 4096]).await;
        let mut buffer = vec![0; 1024];
        // The server answers with a GOAWAY or closes; it does not hang.
        let read = tokio::time::timeout(Duration::from_secs(5), raw.read(&mut buffer)).await;
        assert!(read.is_ok(), "the server neither answered nor closed");
    }

    // Meanwhile, a well-behaved caller is served as usual, past the stall
    // limit too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut others = pb::budget_service_client::BudgetServiceClient::new(InterceptedService::new(
        server.channel(),
        Bearer::new(&secret_for(Role::Counsellor)),
    ));
    let mut slowest = Duration::ZERO;
    for _ in 0..50 {
        let started = Instant::now();
        let mut request = tonic::Request::new(pb::CalculateBudgetRequest {
            month: "2026-03".into(),
            members: vec![pb::Member {
                role: pb::MemberRole::Applicant as i32,
                age: Some(34),
                ..Default::default()
            }],
            ..Default::default()
        });
        request.set_timeout(Duration::from_secs(2));
        others
            .calculate_budget(request)
            .await
            .expect("a budget beside the hostile clients");
        slowest = slowest.max(started.elapsed());
    }
    let peak = peak_mib(&server);
    assert!(
        slowest < Duration::from_secs(1),
        "others waited {slowest:?}"
    );
    assert!(peak < 200.0, "the server grew to {peak:.1} MiB");

    // The hostile connection goes: its streams' slots are free again, and
    // a batch job is answered in full.
    drop(stalled);
    connection.abort();
    let checker = || {
        pb::rent_check_service_client::RentCheckServiceClient::new(InterceptedService::new(
            server.channel(),
            Bearer::new(&secret_for(Role::RentCheck)),
        ))
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let answered = loop {
        let batch = tokio_stream::iter((0..100).map(|i| pb::CheckRentPaidStreamRequest {
            correlation_id: i.to_string(),
            query: Some(pb::RentCheckQuery {
                subject: Some(pb::rent_check_query::Subject::PersonalIdentityNumber(
                    crate::helpers::synthetic_pin("19850312", 1),
                )),
                application_month: "2026-11".into(),
                rent_month: String::new(),
                as_of: String::new(),
            }),
        }));
        match checker().check_rent_paid_stream(batch).await {
            Ok(response) => {
                let mut answers = response.into_inner();
                let mut answered = 0;
                while answers.message().await.expect("an answer").is_some() {
                    answered += 1;
                }
                break answered;
            }
            Err(status) => {
                assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
                assert!(Instant::now() < deadline, "the slots were never freed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    assert_eq!(answered, 100);
    println!(
        "hostile clients: {STREAMS} streams that never read ({LIMIT} admitted and stalled, {} RESOURCE_EXHAUSTED), \
         a 5 MiB message ({oversized:?}), malformed bodies and frames; a well-behaved caller's slowest of \
         50 budgets {slowest:?}; server peak {peak:.1} MiB; slots free again once the connection closed",
        refused.len()
    );
}
