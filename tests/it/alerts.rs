//! Early warnings (issue 22 item 2): each alert kind raised, listed,
//! streamed and closed through gRPC on both backends; the sweep idempotent
//! and done once when two run at once; a payout the bank rejects undoes its
//! debt settlement and raises its alert in the import's transaction.

use std::collections::HashSet;
use std::time::Duration;

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::store::{AlertStore, Backend, SweepOutcome};
use pb::AlertKind as K;
use pb::AlertState as S;

use crate::case_coherence::{debt, events, get_debt, notice, single_parent};
use crate::helpers::*;
use crate::leases::{amount, landlord, lease, months, plan, terms};
use crate::payouts::{payout, receipt, record};
use crate::processes::ServerProcess;

type Alerts = pb::alert_service_client::AlertServiceClient<Authed>;

fn alerts_as(app: &TestApp, role: Role) -> Alerts {
    pb::alert_service_client::AlertServiceClient::with_interceptor(
        app.channel(),
        Bearer::new(&secret_for(role)),
    )
}

/// Every alert the caseworker sees, through ListAlerts, page by page.
async fn listed(app: &TestApp, household: &str) -> Vec<pb::Alert> {
    let mut client = alerts_as(app, Role::Caseworker);
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_alerts(pb::ListAlertsRequest {
                household_id: household.into(),
                page_size: 3,
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner();
        out.extend(page.alerts);
        if page.next_page_token.is_empty() {
            return out;
        }
        token = page.next_page_token;
    }
}

/// The norm tables' alerts (no household), through ListAlerts.
async fn norm_alerts(app: &TestApp) -> Vec<pb::Alert> {
    alerts_as(app, Role::Counsellor)
        .list_alerts(pb::ListAlertsRequest {
            kinds: vec![K::NormTableMissing as i32],
            page_size: 100,
            ..Default::default()
        })
        .await
        .expect("listed")
        .into_inner()
        .alerts
}

fn kinds_states(alerts: &[pb::Alert]) -> Vec<(K, String, S)> {
    let mut out: Vec<(K, String, S)> = alerts
        .iter()
        .map(|a| {
            (
                K::try_from(a.kind).expect("a kind"),
                a.period.clone(),
                S::try_from(a.state).expect("a state"),
            )
        })
        .collect();
    out.sort_by_key(|(k, p, s)| (*k as i32, p.clone(), *s as i32));
    out
}

/// A watch as a caseworker, from now on.
async fn watch(app: &TestApp) -> tonic::Streaming<pb::WatchAlertsResponse> {
    alerts_as(app, Role::Caseworker)
        .watch_alerts(pb::WatchAlertsRequest::default())
        .await
        .expect("a watch")
        .into_inner()
}

/// Reads the watch until every `(kind, period, state)` of `want` has come.
async fn streamed(stream: &mut tonic::Streaming<pb::WatchAlertsResponse>, want: &[(K, &str, S)]) {
    let mut missing: HashSet<(i32, String, i32)> = want
        .iter()
        .map(|(k, p, s)| (*k as i32, (*p).to_owned(), *s as i32))
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !missing.is_empty() {
        let next = tokio::time::timeout_at(deadline, stream.message())
            .await
            .unwrap_or_else(|_| panic!("not streamed: {missing:?}"))
            .expect("the watch goes on")
            .expect("an alert");
        let a = next.alert.expect("an alert");
        missing.remove(&(a.kind, a.period.clone(), a.state));
    }
}

/// Acknowledges the alert `id` (and closes it when `close`): the alert.
async fn ack(client: &mut Alerts, id: &str, close: bool) -> Result<pb::Alert, tonic::Status> {
    let answer = client
        .acknowledge_alert(pb::AcknowledgeAlertRequest {
            id: id.into(),
            close,
        })
        .await?;
    Ok(answer.into_inner().alert.expect("an alert"))
}

async fn sweep(app: &TestApp) -> SweepOutcome {
    app.store()
        .sweep_alerts(test_now().date_naive(), test_now())
        .await
        .expect("a sweep")
}

async fn count(app: &TestApp) -> i64 {
    let store = app.store();
    let mut n = 0;
    let mut after = None;
    loop {
        let page = store
            .list_alerts(
                &budgetrad::domain::unit::Units::All,
                &Default::default(),
                after,
                500,
            )
            .await
            .expect("alerts");
        n += page.items.len() as i64;
        match page.next {
            Some(next) => after = Some(next.parse().expect("a uuid")),
            None => return n,
        }
    }
}

#[tokio::test]
async fn each_swept_kind_is_raised_listed_streamed_and_closed() {
    on_each_backend(|app| async move {
        // 2026-11-22: a lease since 2025-01 with no rent paid, a notice
        // served 2026-11-05 (deadline 26 November), a plan of three
        // instalments from September all missed, and no 2027 tables.
        let h = crate::leases::household(&app, 721).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let served = notice(&mut rent, &lease.id, "2026-11-05", "20000").await;
        let p = plan(&mut rent, &lease.id, terms("3000", "2026-09", months(3)), 2).await;
        let mut stream = watch(&app).await;

        let first = sweep(&app).await;
        assert!(!first.skipped);
        let want_open = [
            (K::NoticeDeadline, "", S::Open),
            (K::InstalmentMissed, "1", S::Open),
            (K::InstalmentMissed, "2", S::Open),
            (K::InstalmentMissed, "3", S::Open),
            (K::PlanBroken, "", S::Open),
            (K::RentUnpaid, "2026-10", S::Open),
            (K::RentUnpaid, "2026-11", S::Open),
            (K::SecondUnpaidMonth, "2026-10", S::Open),
            (K::SecondUnpaidMonth, "2026-11", S::Open),
        ];
        let got = kinds_states(&listed(&app, &h).await);
        let want: Vec<(K, String, S)> = want_open
            .iter()
            .map(|(k, p, s)| (*k, (*p).to_owned(), *s))
            .collect();
        assert_eq!(got, want);
        // The ids only: the notice (then its lease), the plan, the lease.
        let all = listed(&app, &h).await;
        let notice_alert = all
            .iter()
            .find(|a| a.kind == K::NoticeDeadline as i32)
            .expect("the notice's alert");
        assert_eq!(
            notice_alert.record_ids,
            vec![
                format!("notice:{}", served.id),
                format!("lease:{}", lease.id)
            ]
        );
        assert_eq!(notice_alert.due_date, "2026-11-26");
        assert_eq!(notice_alert.household_id, h);
        let broken = all
            .iter()
            .find(|a| a.kind == K::PlanBroken as i32)
            .expect("the plan's alert");
        assert_eq!(broken.record_ids[0], format!("plan:{}", p.id));
        // No riksnorm or normalbelopp for 2027 is shipped: warned.
        let norms = kinds_states(&norm_alerts(&app).await);
        assert_eq!(
            norms,
            vec![
                (K::NormTableMissing, "normalbelopp 2027".into(), S::Open),
                (K::NormTableMissing, "riksnorm 2027".into(), S::Open),
            ]
        );
        assert_eq!(first.raised, 11);
        let mut stream_want = want_open.to_vec();
        stream_want.push((K::NormTableMissing, "riksnorm 2027", S::Open));
        stream_want.push((K::NormTableMissing, "normalbelopp 2027", S::Open));
        streamed(&mut stream, &stream_want).await;

        // A rerun adds nothing and closes nothing.
        let rows = count(&app).await;
        let again = sweep(&app).await;
        assert_eq!((again.raised, again.closed), (0, 0));
        assert_eq!(count(&app).await, rows);

        // Each condition ends: the notice resolved, the rent of October and
        // November received, the plan paid in full, the 2027 tables loaded.
        rent.resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
            id: served.id.clone(),
            resolution: pb::NoticeResolution::PlanAgreed as i32,
            ..Default::default()
        })
        .await
        .expect("resolved");
        let mut payouts = app.payouts();
        for month in ["2026-10", "2026-11"] {
            payouts
                .record_rent_receipt(receipt(&lease.id, month, pb::RentPaymentKind::Rent, "7900"))
                .await
                .expect("a receipt");
        }
        rent.record_plan_payment(pb::RecordPlanPaymentRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            plan_id: p.id.clone(),
            date: "2026-11-21".into(),
            amount: money("3000"),
        })
        .await
        .expect("paid");
        crate::norm_status::import(
            &app,
            crate::norms::test_riksnorm("riksnorm-2027", 2027, pb::TableStatus::Provisional),
        )
        .await;
        crate::norm_status::import(
            &app,
            crate::norm_status::test_normalbelopp("normalbelopp-2027", 2027),
        )
        .await;
        let closing = sweep(&app).await;
        assert_eq!((closing.raised, closing.closed), (0, 11));
        let got = kinds_states(&listed(&app, &h).await);
        assert!(got.iter().all(|(_, _, s)| *s == S::Closed), "{got:?}");
        assert!(
            listed(&app, &h)
                .await
                .iter()
                .all(|a| a.changed_by == "sweep")
        );
        assert!(
            kinds_states(&norm_alerts(&app).await)
                .iter()
                .all(|(_, _, s)| *s == S::Closed)
        );
        let stream_closed: Vec<(K, &str, S)> = stream_want
            .iter()
            .map(|(k, p, _)| (*k, *p, S::Closed))
            .collect();
        streamed(&mut stream, &stream_closed).await;
        // Closed stays closed: a rerun changes nothing.
        let after = sweep(&app).await;
        assert_eq!((after.raised, after.closed), (0, 0));
    })
    .await;
}

#[tokio::test]
async fn a_lease_ended_before_the_month_raises_no_rent_alert() {
    on_each_backend(|app| async move {
        // 2026-11-22: two leases since 2025-01 with no rent paid; one ended
        // with October, the other with September. A lease owes no rent
        // after its end month (as the rent check sees it), so only the
        // first is unpaid, and only for October.
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let mut ended = Vec::new();
        for (serial, end_month) in [(723, "2026-10"), (724, "2026-09")] {
            let h = crate::leases::household(&app, serial).await;
            let lease = lease(&mut rent, &h, &l.id).await;
            rent.end_lease(pb::EndLeaseRequest {
                lease_id: lease.id.clone(),
                end_month: end_month.into(),
            })
            .await
            .expect("ended");
            ended.push(h);
        }
        sweep(&app).await;
        assert_eq!(
            kinds_states(&listed(&app, &ended[0]).await),
            vec![
                (K::RentUnpaid, "2026-10".into(), S::Open),
                (K::SecondUnpaidMonth, "2026-10".into(), S::Open),
            ]
        );
        assert_eq!(kinds_states(&listed(&app, &ended[1]).await), vec![]);
    })
    .await;
}

#[tokio::test]
async fn another_units_caller_sees_none_and_the_list_filters_by_state_and_kind() {
    on_each_backend(|app| async move {
        let h = crate::leases::household(&app, 722).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        lease(&mut rent, &h, &l.id).await;
        sweep(&app).await;
        let mut client = alerts_as(&app, Role::Caseworker);
        let open_rent = client
            .list_alerts(pb::ListAlertsRequest {
                states: vec![S::Open as i32],
                kinds: vec![K::RentUnpaid as i32],
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .alerts;
        assert_eq!(open_rent.len(), 2);
        let bad = client
            .list_alerts(pb::ListAlertsRequest {
                kinds: vec![99],
                states: vec![42],
                ..Default::default()
            })
            .await
            .expect_err("refused");
        assert_eq!(
            field_violations(&bad),
            vec!["states[0]".to_owned(), "kinds[0]".to_owned()]
        );
        // Acknowledged, then closed by hand; a closed alert is refused.
        let id = open_rent[0].id.clone();
        let acked = ack(&mut client, &id, false).await.expect("acknowledged");
        assert_eq!(acked.state, S::Acknowledged as i32);
        assert_eq!(acked.changed_by, "test-caseworker");
        assert!(acked.sequence > open_rent[0].sequence);
        let closed = ack(&mut client, &id, true).await.expect("closed");
        assert_eq!(closed.state, S::Closed as i32);
        let refused = ack(&mut client, &id, true)
            .await
            .expect_err("closed already");
        assert_eq!(error_reason(&refused).as_deref(), Some("ALERT_CLOSED"));
        // Each acknowledgement is audited, naming the alert.
        let rows = all_rows(
            &app,
            pb::ListAuditEventsRequest {
                method: "budgetrad.v1.AlertService/AcknowledgeAlert".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(
            rows.iter()
                .all(|r| r.records.contains(&format!("alert:{id}")))
        );
        // A closed alert stays closed when its condition still holds.
        let rerun = sweep(&app).await;
        assert_eq!((rerun.raised, rerun.closed), (0, 0));
    })
    .await;
}

#[tokio::test]
async fn two_sweeps_at_once_do_the_work_once() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        for serial in 0..5 {
            let h = crate::leases::household(&app, 730 + serial).await;
            let mut rent = app.rent();
            let l = landlord(&mut rent).await;
            lease(&mut rent, &h, &l.id).await;
        }
        if backend == Backend::Postgres {
            // While another server holds the sweeper's lock, a sweep skips
            // its round and writes nothing.
            let mut held = app.store().pool().begin().await.expect("a transaction");
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(budgetrad::store::ALERT_SWEEPER_KEY)
                .execute(&mut *held)
                .await
                .expect("the lock");
            let skipped = sweep(&app).await;
            assert!(skipped.skipped);
            assert_eq!(count(&app).await, 0);
            held.rollback().await.expect("released");
        }
        let (a, b) = tokio::join!(sweep(&app), sweep(&app));
        // 4 rent alerts per lease and two norm tables: made once between
        // the two, whichever did it.
        assert_eq!(a.raised + b.raised, 5 * 4 + 2, "{a:?} {b:?}");
        assert_eq!(count(&app).await, 22);
        let once = sweep(&app).await;
        assert_eq!((once.raised, once.closed), (0, 0));
        assert_eq!(count(&app).await, 22);
    }
}

#[tokio::test]
async fn a_rejected_arrears_payout_undoes_its_debt_settlement_and_warns() {
    use crate::payments::{arrears_exported, banked, get, import, pain002, states};
    use pb::RentPaymentKind::Arrears;
    for backend in backends() {
        let (app, l) = banked(backend).await;
        let (h, parent) = single_parent(&app, 740).await;
        let lease_id = lease(&mut app.rent(), &h, &l).await.id;
        let mut debts = app.debts();
        let hyresskuld = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "4000").await;
        plan(
            &mut app.rent(),
            &lease_id,
            terms("4000", "2026-09", months(4)),
            4,
        )
        .await;
        let mut request = payout(&lease_id, "2026-11", Arrears, "4000");
        request.ocr_reference.clear();
        let paid = record(&mut app.payouts(), request).await;
        assert_eq!(
            amount(&get_debt(&mut debts, &hyresskuld.id).await.balance),
            "0.00"
        );
        let mut stream = alerts_as(&app, Role::Caseworker)
            .watch_alerts(pb::WatchAlertsRequest {
                kinds: vec![K::PayoutRejected as i32],
                after_sequence: 0,
            })
            .await
            .expect("a watch")
            .into_inner();

        let (mut payout_caller, file) = arrears_exported(&app, "4000").await;
        let e2e = paid.id.replace('-', "");
        let answer = pain002("BANK-ALERT-1", &file, &e2e);
        import(&mut payout_caller, answer.clone()).await;
        assert_eq!(
            states(&get(&app, &paid.id).await).last(),
            Some(&pb::PayoutBankState::Rejected)
        );
        // The debt has its 4 000 kr back, by a correction whose evidence is
        // not the payout (the payout's own event stays).
        let reopened = get_debt(&mut debts, &hyresskuld.id).await;
        assert_eq!(amount(&reopened.balance), "4000.00");
        let history = events(&mut debts, &hyresskuld.id).await;
        assert_eq!(history.len(), 3);
        assert_eq!(history[2].kind, pb::DebtEventKind::Correction as i32);
        assert_eq!(amount(&history[2].change), "4000.00");
        assert_ne!(history[2].evidence_id, paid.id);
        // The alert was raised with the rejection, listed and streamed.
        let raised = listed(&app, &h).await;
        let rejected: Vec<&pb::Alert> = raised
            .iter()
            .filter(|a| a.kind == K::PayoutRejected as i32)
            .collect();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].period, "rejected");
        assert_eq!(
            rejected[0].record_ids,
            vec![format!("payout:{}", paid.id), format!("lease:{lease_id}")]
        );
        streamed(&mut stream, &[(K::PayoutRejected, "rejected", S::Open)]).await;
        // Re-importing the file changes nothing: no second event or alert.
        import(&mut payout_caller, answer).await;
        assert_eq!(events(&mut debts, &hyresskuld.id).await, history);
        assert_eq!(
            listed(&app, &h)
                .await
                .iter()
                .filter(|a| a.kind == K::PayoutRejected as i32)
                .count(),
            1
        );
        // The import's audit row names the debt event and the alert.
        let rows = all_rows(
            &app,
            pb::ListAuditEventsRequest {
                method: "budgetrad.v1.PaymentService/ImportPaymentStatus".into(),
                household_id: h.clone(),
                ..Default::default()
            },
        )
        .await;
        assert!(
            rows.iter()
                .any(|r| r.records.contains(&format!("alert:{}", rejected[0].id))
                    && r.records.contains(&format!("debt_event:{}", history[2].id))),
            "{rows:?}"
        );
        // The money never left: the arrears are open again under the cap.
        let mut again = payout(&lease_id, "2026-11", Arrears, "4000");
        again.ocr_reference.clear();
        record(&mut app.payouts(), again).await;
        // A sweep leaves an event-raised alert alone; a person closes it.
        sweep(&app).await;
        let still = listed(&app, &h).await;
        assert!(
            still
                .iter()
                .any(|a| a.kind == K::PayoutRejected as i32 && a.state == S::Open as i32)
        );
        let closed = ack(
            &mut alerts_as(&app, Role::Counsellor),
            &rejected[0].id,
            true,
        )
        .await
        .expect("closed");
        assert_eq!(closed.state, S::Closed as i32);
        streamed(&mut stream, &[(K::PayoutRejected, "rejected", S::Closed)]).await;
    }
}

#[tokio::test]
async fn the_cli_lists_watches_and_acknowledges_in_swedish_within_100_columns() {
    use crate::debts::cli_as;
    on_each_backend(|app| async move {
        let h = crate::leases::household(&app, 723).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        lease(&mut rent, &h, &l.id).await;
        sweep(&app).await;
        let text = cli_as(
            &app,
            Role::Caseworker,
            &["alerts", "list", "--household", &h, "--kind", "rent_unpaid"],
        )
        .await;
        assert!(text.contains("Varning"), "{text}");
        assert!(text.contains("obetald hyra"), "{text}");
        assert!(text.contains("öppen"), "{text}");
        assert!(text.contains("2026-11"), "{text}");
        assert!(
            text.lines().all(|line| line.chars().count() <= 100),
            "{text}"
        );
        let english = cli_as(
            &app,
            Role::Caseworker,
            &[
                "--lang",
                "en",
                "alerts",
                "list",
                "--state",
                "open",
                "--kind",
                "norm_table_missing",
            ],
        )
        .await;
        assert!(english.contains("norm table"), "{english}");
        assert!(english.contains("For "), "{english}");
        assert!(english.contains("riksnorm 2027"), "{english}");
        let json: serde_json::Value = serde_json::from_str(
            &cli_as(
                &app,
                Role::Caseworker,
                &["--json", "alerts", "list", "--household", &h],
            )
            .await,
        )
        .expect("JSON");
        let first = json[0]["id"].as_str().expect("an id").to_owned();
        assert_eq!(json[0]["kind"], "rent_unpaid");
        let acked = cli_as(
            &app,
            Role::Counsellor,
            &["alerts", "ack", &first, "--close"],
        )
        .await;
        assert!(acked.contains("stängd"), "{acked}");
        // `watch --after 0` from the first change prints what came since.
        let url = app.url();
        let wanted = first.clone();
        let seen = tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"))
                .args([
                    "--server",
                    &url,
                    "--token",
                    &secret_for(Role::Caseworker),
                    "--json",
                ])
                .args(["alerts", "watch", "--after", "1", "--kind", "rent_unpaid"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("the watch runs");
            let stdout = child.stdout.take().expect("stdout");
            let mut seen = String::new();
            for line in std::io::BufReader::new(stdout).lines() {
                seen.push_str(&line.expect("a line"));
                seen.push('\n');
                if seen.contains(&wanted) && seen.contains("closed") {
                    break;
                }
            }
            let _ = child.kill();
            let _ = child.wait();
            seen
        });
        let seen = tokio::time::timeout(Duration::from_secs(30), seen)
            .await
            .expect("the watch prints the change")
            .expect("the watch ran");
        assert!(seen.contains(&first), "{seen}");
    })
    .await;
}

/// An open WatchAlerts does not hold up a graceful shutdown: on SIGTERM the
/// stream ends with UNAVAILABLE (the client reconnects with
/// `after_sequence`) and the server process exits promptly, cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_watch_ends_when_the_server_shuts_down_and_does_not_hold_it_up() {
    for backend in backends() {
        let db = TestDatabase::create(backend).await;
        let mut server = ServerProcess::serving(&db).await;
        let mut client = pb::alert_service_client::AlertServiceClient::with_interceptor(
            server.channel(),
            Bearer::new(&secret_for(Role::Caseworker)),
        );
        let mut stream = client
            .watch_alerts(pb::WatchAlertsRequest::default())
            .await
            .expect("a watch")
            .into_inner();
        // The watch is open and quiet: nothing comes while nothing changes.
        assert!(
            tokio::time::timeout(Duration::from_millis(1500), stream.message())
                .await
                .is_err(),
            "{backend:?}: the watch ended or sent before any alert was raised"
        );

        server.terminate();
        let ended = tokio::time::timeout(Duration::from_secs(5), stream.message())
            .await
            .unwrap_or_else(|_| panic!("{backend:?}: the watch did not end on shutdown"));
        let status = ended.expect_err("the watch ends with a status, not an alert or a clean end");
        assert_eq!(
            status.code(),
            tonic::Code::Unavailable,
            "{backend:?}: {status:?}"
        );
        let exit = tokio::task::block_in_place(|| server.exited_within(Duration::from_secs(5)))
            .unwrap_or_else(|| panic!("{backend:?}: the server did not exit within 5 s"));
        assert!(exit.success(), "{backend:?}: the server exited with {exit}");
    }
}
