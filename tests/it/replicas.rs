//! Past one machine: several servers on one PostgreSQL primary, and reads
//! from a streaming replica of its own (`initdb`, `pg_basebackup -R`), built
//! by the test. Runs when PostgreSQL is tested and its programs are
//! installed, as the outage test does.

use std::time::Duration;

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::store::Backend;
use sqlx::{AnyConnection, Connection, Row};
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic_health::pb::health_check_response::ServingStatus;

use crate::helpers::{ALL_ROLES_SECRET, Authed, Bearer, adult, backends, money, secret_for};
use crate::leases::{landlord_with, lease};
use crate::processes::{Cluster, ServerProcess};

const READ_REPLICA: &str = "budgetrad.v1.ReadReplica";

/// pg_stat_statements counts each server's statements, so the test can tell
/// which server answered a rent check.
const STATEMENT_STATS: &str = "-c shared_preload_libraries=pg_stat_statements";

/// How many times `server` ran the rent check's read: the replica's form
/// (no audit insert) or the primary's (with it).
async fn rent_check_reads(url: &str) -> (i64, i64) {
    let mut conn = AnyConnection::connect(url).await.expect("a connection");
    let row = sqlx::query(
        "SELECT \
           COALESCE(SUM(calls) FILTER (WHERE query NOT LIKE '%audited AS%'), 0)::BIGINT AS read_only, \
           COALESCE(SUM(calls) FILTER (WHERE query LIKE '%audited AS%'), 0)::BIGINT AS audited \
         FROM pg_stat_statements WHERE query LIKE 'WITH asked_people%'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("the statement statistics");
    let counts = (
        row.try_get("read_only").expect("read_only"),
        row.try_get("audited").expect("audited"),
    );
    let _ = conn.close().await;
    counts
}

async fn scalar(url: &str, sql: &'static str) -> i64 {
    let mut conn = AnyConnection::connect(url).await.expect("a connection");
    let value: i64 = sqlx::query_scalar(sql)
        .fetch_one(&mut conn)
        .await
        .expect("a count");
    let _ = conn.close().await;
    value
}

/// A household with one lease (rent 7 900 from 2025-01) created through
/// `server`: (household id, lease id).
async fn household_with_lease(server: &ServerProcess, unit: &str, serial: u32) -> (String, String) {
    // A token of every role (admin among them) may create in any unit.
    let bearer = Bearer::new(ALL_ROLES_SECRET);
    let mut households = pb::household_service_client::HouseholdServiceClient::new(
        InterceptedService::new(server.channel(), bearer.clone()),
    );
    let mut rent = pb::rent_plan_service_client::RentPlanServiceClient::new(
        InterceptedService::new(server.channel(), bearer),
    );
    let household = households
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-REPLICA".into(),
                members: vec![adult(pb::MemberRole::Applicant, "19850312", serial)],
                unit: unit.into(),
                ..Default::default()
            }),
        })
        .await
        .expect("a household")
        .into_inner()
        .household
        .expect("the household");
    let landlord = landlord_with(&mut rent, false).await;
    let lease = lease(&mut rent, &household.id, &landlord.id).await;
    (household.id, lease.id)
}

fn checks(server: &ServerProcess) -> pb::rent_check_service_client::RentCheckServiceClient<Authed> {
    pb::rent_check_service_client::RentCheckServiceClient::new(InterceptedService::new(
        server.channel(),
        Bearer::new(&secret_for(Role::RentCheck)),
    ))
}

/// `count` checks of the household's rent for 2026-12, streamed through
/// `server`: the amounts paid by payouts each answer shows.
async fn stream_checks(server: &ServerProcess, household: &str, count: usize) -> Vec<String> {
    stream_answers(server, household, count)
        .await
        .into_iter()
        .map(|r| r.paid_by_payouts.map(|m| m.amount).unwrap_or_default())
        .collect()
}

/// `count` checks of the household's rent for 2026-12, streamed through
/// `server` with the rent-check token (the default unit's): the answers.
async fn stream_answers(
    server: &ServerProcess,
    household: &str,
    count: usize,
) -> Vec<pb::RentCheckResult> {
    let items: Vec<pb::CheckRentPaidStreamRequest> = (0..count)
        .map(|n| pb::CheckRentPaidStreamRequest {
            correlation_id: n.to_string(),
            query: Some(pb::RentCheckQuery {
                subject: Some(pb::rent_check_query::Subject::HouseholdId(household.into())),
                application_month: "2027-01".into(),
                rent_month: "2026-12".into(),
                as_of: String::new(),
            }),
        })
        .collect();
    let mut answers = checks(server)
        .check_rent_paid_stream(tokio_stream::iter(items))
        .await
        .expect("a stream")
        .into_inner();
    let mut results = Vec::new();
    while let Some(answer) = answers.message().await.expect("an answer") {
        match answer.outcome {
            Some(pb::check_rent_paid_stream_response::Outcome::Result(r)) => results.push(*r),
            other => panic!("item {}: {other:?}", answer.correlation_id),
        }
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_share_a_primary_and_read_from_its_streaming_replica() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let Some(bin) = Cluster::programs() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no PostgreSQL programs in /usr/lib/postgresql for the replica test"
        );
        eprintln!(
            "*** no PostgreSQL programs in /usr/lib/postgresql: the replica test was SKIPPED ***"
        );
        return;
    };
    sqlx::any::install_default_drivers();
    let primary = Cluster::create_with(bin, STATEMENT_STATS);
    let replica = Cluster::replica_of(&primary);
    let dirs: Vec<tempfile::TempDir> = (0..3)
        .map(|_| tempfile::tempdir().expect("a directory"))
        .collect();

    // Three servers start at once on an empty primary: the migrations run
    // once (sqlx's migration lock), and all three serve.
    let with_replica = vec![
        ("BUDGETRAD_READ_DATABASE_URL", replica.url()),
        ("BUDGETRAD_MAX_REPLICA_LAG_SECONDS", "5".to_owned()),
    ];
    let a = ServerProcess::start(&primary.url(), dirs[0].path());
    let b = ServerProcess::start_with(&primary.url(), dirs[1].path(), with_replica);
    let c = ServerProcess::start(&primary.url(), dirs[2].path());
    for server in [&a, &b, &c] {
        server
            .await_health(ServingStatus::Serving, Duration::from_secs(60))
            .await;
    }
    let applied = scalar(
        &primary.url(),
        "SELECT COUNT(*) FROM _sqlx_migrations WHERE success",
    )
    .await;
    let distinct = scalar(
        &primary.url(),
        "SELECT COUNT(DISTINCT version) FROM _sqlx_migrations",
    )
    .await;
    assert_eq!(applied, distinct, "each migration is applied once");
    assert!(applied > 10, "the migrations ran ({applied})");
    drop(c);
    b.await_health_of(
        READ_REPLICA,
        ServingStatus::Serving,
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(
        a.health_of(READ_REPLICA).await,
        None,
        "a server without a replica publishes no replica health"
    );
    let mut stats = AnyConnection::connect(&primary.url())
        .await
        .expect("a connection");
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&mut stats)
        .await
        .expect("pg_stat_statements");
    let _ = stats.close().await;

    // 50 payouts of 1 000 kr for one lease-month of 7 900 kr, through both
    // servers at once: the rent cap holds across servers (7 accepted).
    let (household, lease) = household_with_lease(&a, "ifo", 1).await;
    let (elsewhere, _) = household_with_lease(&a, "ifo-barn", 2).await;
    let mut calls = Vec::new();
    for n in 0..50 {
        let server = if n % 2 == 0 { &a } else { &b };
        let mut client = pb::payout_service_client::PayoutServiceClient::new(
            InterceptedService::new(server.channel(), Bearer::new(&secret_for(Role::Payout))),
        );
        let request = pb::RecordRentPayoutRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: lease.clone(),
            rent_month: "2026-12".into(),
            kind: pb::RentPaymentKind::Rent as i32,
            amount: money("1000"),
            decision_reference: "BESLUT-REPLIKA".into(),
            ocr_reference: String::new(),
            payout_date: chrono::Utc::now().date_naive().to_string(),
        };
        calls.push(tokio::spawn(async move {
            match client.record_rent_payout(request).await {
                Ok(_) => Code::Ok,
                Err(status) => status.code(),
            }
        }));
    }
    let mut accepted = 0;
    for call in calls {
        match call.await.expect("a payout call") {
            Code::Ok => accepted += 1,
            Code::FailedPrecondition => {}
            other => panic!("a payout answered {other:?}"),
        }
    }
    assert_eq!(accepted, 7, "7 × 1 000 kr fit a rent of 7 900 kr");
    let paid = scalar(
        &primary.url(),
        "SELECT COALESCE(SUM(amount_ore), 0)::BIGINT FROM rent_payouts",
    )
    .await;
    assert_eq!(paid, 700_000, "7 000 kr in öre, never more than the rent");

    // The rent-check stream through the server with the replica reads
    // from the replica, once the replica has the payouts; its audit
    // records are written to the primary.
    let audited_before = scalar(&primary.url(), "SELECT COUNT(*) FROM audit_events").await;
    let (replica_reads, _) = rent_check_reads(&replica.url()).await;
    let (primary_read_only, primary_audited) = rent_check_reads(&primary.url()).await;
    let mut answers = Vec::new();
    for _ in 0..100 {
        answers = stream_checks(&b, &household, 200).await;
        if answers.iter().all(|paid| paid == "7000.00") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        answers.iter().all(|paid| paid == "7000.00"),
        "the replica caught up with the payouts: {:?}",
        answers.first()
    );
    let (replica_after, _) = rent_check_reads(&replica.url()).await;
    assert!(
        replica_after > replica_reads,
        "the replica answered the stream ({replica_reads} → {replica_after} reads)"
    );
    assert_eq!(
        rent_check_reads(&primary.url()).await,
        (primary_read_only, primary_audited),
        "the primary read nothing for the stream"
    );
    let audited_after = scalar(&primary.url(), "SELECT COUNT(*) FROM audit_events").await;
    assert!(
        audited_after - audited_before >= 200,
        "each item of the stream has its audit record on the primary ({audited_before} → {audited_after})"
    );

    // Another unit's household read on the replica is unknown to the
    // caller, and refused on the primary's audit trail.
    let refused_before = scalar(
        &primary.url(),
        "SELECT COUNT(*) FROM audit_events WHERE outcome = 'OTHER_UNIT'",
    )
    .await;
    let unknown = stream_answers(&b, &elsewhere, 3).await;
    assert!(
        unknown
            .iter()
            .all(|r| r.status == pb::RentCheckStatus::UnknownSubject as i32
                && r.household_id.is_empty()),
        "{unknown:?}"
    );
    let refused_after = scalar(
        &primary.url(),
        "SELECT COUNT(*) FROM audit_events WHERE outcome = 'OTHER_UNIT'",
    )
    .await;
    assert_eq!(
        refused_after - refused_before,
        3,
        "one OTHER_UNIT row an item"
    );

    // With the replica stopped, the same server answers from the primary.
    replica.stop();
    b.await_health_of(
        READ_REPLICA,
        ServingStatus::NotServing,
        Duration::from_secs(10),
    )
    .await;
    let answers = stream_checks(&b, &household, 200).await;
    assert_eq!(answers.len(), 200);
    assert!(answers.iter().all(|paid| paid == "7000.00"));
    let (_, primary_after) = rent_check_reads(&primary.url()).await;
    assert!(
        primary_after > primary_audited,
        "the primary answered the stream with the replica down"
    );
    // Lists, which read from the replica while it is in use, are answered
    // from the primary too.
    let listed = pb::household_service_client::HouseholdServiceClient::new(
        InterceptedService::new(b.channel(), Bearer::new(&secret_for(Role::Caseworker))),
    )
    .list_households(pb::ListHouseholdsRequest::default())
    .await
    .expect("a list with the replica down")
    .into_inner();
    assert!(listed.households.iter().any(|h| h.id == household));
}
