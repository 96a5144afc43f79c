//! Norm data kept current: GetNormStatus and the health service
//! `budgetrad.v1.NormTables` with the server clock pinned, `norms status`
//! in Swedish, and the PROVISIONAL referensränta for 2026-H2 at work.

use budgetrad::domain::norms::NormKind;
use budgetrad::pb;
use budgetrad::startup::{NORM_TABLES_HEALTH, norm_kind_health};
use chrono::{DateTime, Utc};
use tokio::time::{Duration, Instant};
use tonic::Code;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

use crate::debts::cli;
use crate::helpers::*;
use crate::leases::amount;
use crate::norms::{rows, test_riksnorm};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("an instant")
        .with_timezone(&Utc)
}

async fn health(app: &TestApp, service: &str) -> i32 {
    HealthClient::new(app.channel())
        .check(HealthCheckRequest {
            service: service.into(),
        })
        .await
        .expect("health answers")
        .into_inner()
        .status
}

/// The per-kind detail of `NormTables`: riksnorm, normalbelopp and
/// referensränta, each SERVING (true) or NOT_SERVING (false).
async fn kinds_serving(app: &TestApp) -> [bool; 3] {
    let mut out = [false; 3];
    for (slot, kind) in out.iter_mut().zip([
        NormKind::Riksnorm,
        NormKind::Normalbelopp,
        NormKind::Referensranta,
    ]) {
        let status = health(app, &norm_kind_health(kind)).await;
        assert_ne!(status, ServingStatus::Unknown as i32, "{kind:?}");
        *slot = status == ServingStatus::Serving as i32;
    }
    out
}

/// Waits up to five seconds for the health of `service` to be `status`.
async fn health_becomes(app: &TestApp, service: &str, status: ServingStatus) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while health(app, service).await != status as i32 {
        assert!(Instant::now() < deadline, "{service} still not {status:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn status(app: &TestApp, date: &str) -> pb::GetNormStatusResponse {
    app.norms()
        .get_norm_status(pb::GetNormStatusRequest { date: date.into() })
        .await
        .expect("status")
        .into_inner()
}

/// (kind, period, upcoming, coverage, table ids) of each period.
fn summary(r: &pb::GetNormStatusResponse) -> Vec<(i32, String, bool, i32, Vec<String>)> {
    r.periods
        .iter()
        .map(|p| {
            assert_eq!(p.covered, p.coverage != pb::NormCoverage::Missing as i32);
            (
                p.kind,
                p.period.clone(),
                p.upcoming,
                p.coverage,
                p.table_ids.clone(),
            )
        })
        .collect()
}

pub(crate) fn test_normalbelopp(id: &str, year: i32) -> pb::NormTable {
    pb::NormTable {
        id: id.into(),
        kind: pb::NormTableKind::Normalbelopp as i32,
        valid_from: format!("{year}-01-01"),
        valid_to: format!("{year}-12-31"),
        status: pb::TableStatus::Provisional as i32,
        source: "test figures, not real".into(),
        rows: rows(&[
            ("child_0_6", "1000"),
            ("child_11_14", "1200"),
            ("child_15_plus", "1300"),
            ("child_7_10", "1100"),
            ("cohabiting_pair", "5000"),
            ("single_adult", "3000"),
        ]),
        ..Default::default()
    }
}

fn test_referensranta(id: &str, from: &str, to: &str) -> pb::NormTable {
    pb::NormTable {
        id: id.into(),
        kind: pb::NormTableKind::Referensranta as i32,
        valid_from: from.into(),
        valid_to: to.into(),
        status: pb::TableStatus::Provisional as i32,
        source: "test figures, not real".into(),
        rows: rows(&[("referensranta", "1.50")]),
        ..Default::default()
    }
}

pub(crate) async fn import(app: &TestApp, table: pb::NormTable) {
    app.admin()
        .import_norm_table(pb::ImportNormTableRequest {
            norm_table: Some(table),
        })
        .await
        .expect("imported");
}

#[tokio::test]
async fn get_norm_status_names_the_missing_tables_as_of_the_server_date() {
    use pb::NormCoverage::{Missing, Official, Provisional};
    use pb::NormTableKind::{Normalbelopp, Referensranta, Riksnorm};
    for backend in backends() {
        // The day of the issue: 2026-12-02, 09:00 in Stockholm.
        let app = TestApp::builder(backend)
            .now(at("2026-12-02T08:00:00Z"))
            .spawn()
            .await;
        let r = status(&app, "").await;
        assert_eq!(r.date, "2026-12-02");
        assert!(r.missing);
        let ids = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            summary(&r),
            [
                (
                    Riksnorm as i32,
                    "2026".into(),
                    false,
                    Official as i32,
                    ids(&["riksnorm-2026"])
                ),
                (
                    Riksnorm as i32,
                    "2027".into(),
                    true,
                    Missing as i32,
                    ids(&[])
                ),
                (
                    Normalbelopp as i32,
                    "2026".into(),
                    false,
                    Provisional as i32,
                    ids(&["normalbelopp-2026"])
                ),
                (
                    Normalbelopp as i32,
                    "2027".into(),
                    true,
                    Missing as i32,
                    ids(&[])
                ),
                (
                    Referensranta as i32,
                    "2026-H2".into(),
                    false,
                    Provisional as i32,
                    ids(&["referensranta-2026-07"])
                ),
                (
                    Referensranta as i32,
                    "2027-H1".into(),
                    true,
                    Missing as i32,
                    ids(&[])
                ),
            ]
        );
        let rn2027 = &r.periods[1];
        assert_eq!(
            (rn2027.valid_from.as_str(), rn2027.valid_to.as_str()),
            ("2027-01-01", "2027-12-31")
        );
        assert!(
            rn2027.warning.contains("NORM_TABLE_MISSING"),
            "{}",
            rn2027.warning
        );
        assert!(r.periods[0].warning.is_empty());
        assert!(
            r.periods[4].warning.contains("provisional"),
            "{}",
            r.periods[4].warning
        );

        // A date of the caller's: before 1 November nothing is missing.
        let october = status(&app, "2026-10-31").await;
        assert_eq!(october.date, "2026-10-31");
        assert!(!october.missing);
        assert_eq!(october.periods.len(), 3);
        let november = status(&app, "2026-11-01").await;
        assert!(november.missing);
        assert_eq!(november.periods.len(), 5);

        let bad = app
            .norms()
            .get_norm_status(pb::GetNormStatusRequest {
                date: "2026-13-01".into(),
            })
            .await
            .expect_err("not a date");
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&bad), ["date"]);
    }
}

#[tokio::test]
async fn norm_tables_health_is_not_serving_while_a_needed_table_is_missing() {
    for backend in backends() {
        let app = TestApp::builder(backend)
            .now(at("2026-12-02T08:00:00Z"))
            .spawn()
            .await;
        health_becomes(&app, NORM_TABLES_HEALTH, ServingStatus::NotServing).await;
        // The detail: each kind lacks its 2027 table (the referensränta its
        // 2027-H1, the half-year after the one that ends on 2026-12-31).
        assert_eq!(kinds_serving(&app).await, [false, false, false]);
        // Overall health and the services do not depend on it.
        assert_eq!(health(&app, "").await, ServingStatus::Serving as i32);
        assert_eq!(
            health(&app, "budgetrad.v1.NormService").await,
            ServingStatus::Serving as i32
        );

        // Two of three loaded: still missing.
        import(
            &app,
            test_riksnorm("riksnorm-2027", 2027, pb::TableStatus::Provisional),
        )
        .await;
        import(&app, test_normalbelopp("normalbelopp-2027", 2027)).await;
        assert!(status(&app, "").await.missing);
        assert_eq!(
            health(&app, NORM_TABLES_HEALTH).await,
            ServingStatus::NotServing as i32
        );
        // The detail follows within a check (one a second): only the
        // referensränta is still missing.
        let deadline = Instant::now() + Duration::from_secs(5);
        while kinds_serving(&app).await != [true, true, false] {
            assert!(Instant::now() < deadline, "{:?}", kinds_serving(&app).await);
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(
            health(&app, NORM_TABLES_HEALTH).await,
            ServingStatus::NotServing as i32
        );
        import(
            &app,
            test_referensranta("referensranta-2027-01", "2027-01-01", "2027-06-30"),
        )
        .await;
        assert!(!status(&app, "").await.missing);
        health_becomes(&app, NORM_TABLES_HEALTH, ServingStatus::Serving).await;
        assert_eq!(kinds_serving(&app).await, [true, true, true]);
        assert_eq!(health(&app, "").await, ServingStatus::Serving as i32);
    }
}

#[tokio::test]
async fn norm_tables_health_is_serving_when_nothing_is_needed_yet() {
    let app = TestApp::builder(budgetrad::store::Backend::Sqlite)
        .now(at("2026-10-15T08:00:00Z"))
        .spawn()
        .await;
    health_becomes(&app, NORM_TABLES_HEALTH, ServingStatus::Serving).await;
    assert_eq!(kinds_serving(&app).await, [true, true, true]);
}

#[tokio::test]
async fn norms_status_prints_in_swedish() {
    let app = TestApp::builder(budgetrad::store::Backend::Sqlite)
        .now(at("2026-12-02T08:00:00Z"))
        .spawn()
        .await;
    // Wide enough that no note is wrapped: the lines are compared whole.
    let out = cli(&app, &["--width", "400", "norms", "status"]).await;
    assert!(
        out.starts_with("Normtabeller som behövs den 2026-12-02\n"),
        "{out}"
    );
    for expected in [
        "riksnorm        2026             2026-01-01 – 2026-12-31   officiell    riksnorm-2026",
        "riksnorm        2027 (nästa)     2027-01-01 – 2027-12-31   SAKNAS       –",
        "referensränta   2026-H2          2026-07-01 – 2026-12-31   PRELIMINÄR   referensranta-2026-07",
        "referensränta   2027-H1 (nästa)  2027-01-01 – 2027-06-30   SAKNAS       –",
        "Varning: ingen tabell för riksnorm 2027 är inläst. Beräkningar av försörjningsstöd för perioden misslyckas med NORM_TABLE_MISSING",
        "Varning: ingen tabell för normalbelopp 2027 är inläst.",
        "Varning: ingen tabell för referensränta 2027-H1 är inläst. Beräkningar av dröjsmålsränta",
        "Obs: referensränta 2026-H2 är preliminär (referensranta-2026-07).",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
    assert!(
        !out.contains("Alla tabeller som behövs är inlästa."),
        "{out}"
    );

    let october = cli(&app, &["norms", "status", "--date", "2026-10-31"]).await;
    assert!(
        october.contains("Alla tabeller som behövs är inlästa."),
        "{october}"
    );
    assert!(!october.contains("SAKNAS"), "{october}");

    let json = cli(&app, &["--json", "norms", "status"]).await;
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["missing"], true);
    assert_eq!(v["periods"][1]["coverage"], "missing");
    assert_eq!(v["periods"][1]["kind"], "riksnorm");
}

#[tokio::test]
async fn late_interest_over_2026_h2_works_and_says_provisional() {
    on_each_backend(|app| async move {
        let r = app
            .debts()
            .calculate_late_interest(pb::CalculateLateInterestRequest {
                principal: money("10000"),
                from_date: "2026-07-01".into(),
                to_date: "2026-07-30".into(),
            })
            .await
            .expect("calculated")
            .into_inner();
        // 10 000 × 10 % × 30 / 365 = 82.19 (referensränta 2.00 % + 8).
        assert_eq!(r.days, 30);
        assert_eq!(r.periods.len(), 1);
        assert_eq!(r.periods[0].half_year, "2026-H2");
        assert_eq!(r.periods[0].referensranta, "2");
        assert_eq!(amount(&r.interest), "82.19");
        assert!(r.provisional);
        assert_eq!(r.tables.len(), 1);
        assert_eq!(r.tables[0].table_id, "referensranta-2026-07");
        assert_eq!(r.tables[0].status, pb::TableStatus::Provisional as i32);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("referensranta-2026-07") && w.contains("provisional")),
            "{:?}",
            r.warnings
        );

        // Across the half-year boundary: the official first half, the
        // provisional second.
        let across = app
            .debts()
            .calculate_late_interest(pb::CalculateLateInterestRequest {
                principal: money("10000"),
                from_date: "2026-06-01".into(),
                to_date: "2026-12-31".into(),
            })
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(across.periods.len(), 2);
        assert!(across.provisional);

        // 2027 is not invented: it still fails.
        let later = app
            .debts()
            .calculate_late_interest(pb::CalculateLateInterestRequest {
                principal: money("10000"),
                from_date: "2026-12-01".into(),
                to_date: "2027-01-05".into(),
            })
            .await
            .expect_err("no referensränta for 2027");
        assert_eq!(later.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&later).as_deref(), Some("NORM_TABLE_MISSING"));
    })
    .await;
}

#[tokio::test]
async fn the_log_warns_once_per_change_of_the_missing_tables() {
    // The server runs on this test's one thread and logs through this.
    let (capture, _guard) = capture_logs("info");

    let app = TestApp::builder(budgetrad::store::Backend::Sqlite)
        .now(at("2026-12-02T08:00:00Z"))
        .spawn()
        .await;
    health_becomes(&app, NORM_TABLES_HEALTH, ServingStatus::NotServing).await;
    // Several checks (one a second) with nothing changed: one WARN.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let warn = "NormTables NOT_SERVING";
    let logs = capture.text();
    assert_eq!(logs.matches(warn).count(), 1, "{logs}");
    assert!(
        logs.contains("missing=riksnorm 2027, normalbelopp 2027, referensranta 2027-H1"),
        "{logs}"
    );

    // The list changes: one more WARN, naming what is still missing.
    import(
        &app,
        test_riksnorm("riksnorm-2027", 2027, pb::TableStatus::Provisional),
    )
    .await;
    import(&app, test_normalbelopp("normalbelopp-2027", 2027)).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while capture.text().matches(warn).count() < 2 {
        assert!(Instant::now() < deadline, "no second WARN");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let logs = capture.text();
    assert_eq!(logs.matches(warn).count(), 2, "{logs}");
    assert!(logs.contains("missing=referensranta 2027-H1\n"), "{logs}");

    // All loaded: SERVING, said once.
    import(
        &app,
        test_referensranta("referensranta-2027-01", "2027-01-01", "2027-06-30"),
    )
    .await;
    health_becomes(&app, NORM_TABLES_HEALTH, ServingStatus::Serving).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let logs = capture.text();
    assert_eq!(logs.matches(warn).count(), 2, "{logs}");
    assert_eq!(logs.matches("NormTables SERVING").count(), 1, "{logs}");
}
