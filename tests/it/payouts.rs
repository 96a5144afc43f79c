//! The rent ledger through the gRPC API: payouts to landlords recorded once
//! and reversed once, the rent cap under concurrency, refusals that write
//! nothing, append-only tables, and arrears payments feeding the plan.

use std::future::Future;

use tonic::Code;

use budgetrad::grpc::auth::Role;
use budgetrad::pb;

use crate::helpers::*;
use crate::leases::{amount, household, landlord, lease, months, plan, terms};

pub(crate) type Payouts = pb::payout_service_client::PayoutServiceClient<Authed>;

/// Runs the calls at once, each on its own task; results in call order.
pub(crate) async fn join_all<T, F>(calls: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let tasks: Vec<_> = calls.into_iter().map(tokio::spawn).collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("the call's task"));
    }
    results
}

/// A bankgiro OCR reference with a length digit and a valid Luhn digit
/// (docs/sources.md §5: base 12345 → 1234574).
pub(crate) const OCR: &str = "1234574";
const DECISION: &str = "BESLUT-2026-00417";

pub(crate) fn payout(
    lease_id: &str,
    month: &str,
    kind: pb::RentPaymentKind,
    sum: &str,
) -> pb::RecordRentPayoutRequest {
    pb::RecordRentPayoutRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        lease_id: lease_id.into(),
        rent_month: month.into(),
        kind: kind as i32,
        amount: money(sum),
        decision_reference: DECISION.into(),
        ocr_reference: OCR.into(),
        payout_date: "2026-11-20".into(),
    }
}

pub(crate) fn receipt(
    lease_id: &str,
    month: &str,
    kind: pb::RentPaymentKind,
    sum: &str,
) -> pb::RecordRentReceiptRequest {
    pb::RecordRentReceiptRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        lease_id: lease_id.into(),
        rent_month: month.into(),
        kind: kind as i32,
        amount: money(sum),
        paid_date: "2026-11-21".into(),
        source: pb::ReceiptSource::ClientReceipt as i32,
    }
}

pub(crate) fn reverse(payout_id: &str) -> pb::ReverseRentPayoutRequest {
    pb::ReverseRentPayoutRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        payout_id: payout_id.into(),
        reason: "betalt till fel månad".into(),
    }
}

/// A household with a lease of 7 900 a month from January 2025, at a
/// landlord that requires OCR: (household id, lease id).
pub(crate) async fn tenancy(app: &TestApp, serial: u32) -> (String, String) {
    let mut rent = app.rent();
    let l = landlord(&mut rent).await;
    let h = household(app, serial).await;
    let lease = lease(&mut rent, &h, &l.id).await;
    (h, lease.id)
}

pub(crate) async fn record(
    client: &mut Payouts,
    request: pb::RecordRentPayoutRequest,
) -> pb::RentPayout {
    client
        .record_rent_payout(request)
        .await
        .expect("a payout")
        .into_inner()
        .payout
        .expect("a payout")
}

pub(crate) async fn list(
    client: &mut Payouts,
    request: pb::ListRentPayoutsRequest,
) -> Vec<pb::RentPayout> {
    client
        .list_rent_payouts(request)
        .await
        .expect("a list")
        .into_inner()
        .payouts
}

pub(crate) fn refused(
    result: Result<tonic::Response<impl std::fmt::Debug>, tonic::Status>,
) -> tonic::Status {
    match result {
        Ok(r) => panic!("accepted: {r:?}"),
        Err(status) => status,
    }
}

#[tokio::test]
async fn a_payout_is_recorded_once_and_reversed_once() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Rent;
        let (h, lease_id) = tenancy(&app, 501).await;
        let mut client = app.payouts();

        let first = payout(&lease_id, "2026-11", Rent, "7900");
        let paid = record(&mut client, first.clone()).await;
        assert_eq!(paid.household_id, h);
        assert_eq!(amount(&paid.amount), "7900.00");
        assert_eq!(paid.payee_bankgiro, "50501055");
        assert_eq!(paid.payee_plusgiro, "");
        assert_eq!(paid.ocr_reference, OCR);
        assert_eq!(paid.recorded_by, "test-payout");
        assert!(paid.reversal.is_none());

        // A retry returns the first payout and writes nothing.
        let again = record(&mut client, first.clone()).await;
        assert_eq!(again, paid);
        // The same request id with other content is refused.
        let mut changed = first.clone();
        changed.amount = money("7800");
        let status = refused(client.record_rent_payout(changed).await);
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&status).as_deref(), Some("REQUEST_ID_REUSED"));

        // The month's rent is paid out: one öre more is refused.
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-11", Rent, "0.01"))
                .await,
        );
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(
            error_reason(&status).as_deref(),
            Some("PAYOUT_EXCEEDS_RENT")
        );
        assert!(
            !status.message().contains("7900"),
            "an amount in: {status:?}"
        );

        // Reversed once; a second reversal is refused, a retry is not.
        let reversal = reverse(&paid.id);
        let reversed = client
            .reverse_rent_payout(reversal.clone())
            .await
            .expect("reversed")
            .into_inner()
            .payout
            .expect("a payout");
        let r = reversed.reversal.clone().expect("a reversal");
        assert_eq!(r.reason, "betalt till fel månad");
        assert_eq!(r.recorded_by, "test-payout");
        assert_eq!(reversed.id, paid.id);
        let replay = client
            .reverse_rent_payout(reversal)
            .await
            .expect("a replay")
            .into_inner()
            .payout
            .expect("a payout");
        assert_eq!(replay, reversed);
        let status = refused(client.reverse_rent_payout(reverse(&paid.id)).await);
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&status).as_deref(), Some("ALREADY_REVERSED"));

        // Net of the reversal, the month's rent can be paid out again.
        let mut second = payout(&lease_id, "2026-11", Rent, "7900");
        second.decision_reference = "BESLUT-2026-00418".into();
        let repaid = record(&mut client, second).await;
        let december = record(&mut client, payout(&lease_id, "2026-12", Rent, "3950")).await;

        let all = list(
            &mut client,
            pb::ListRentPayoutsRequest {
                household_id: h.clone(),
                ..Default::default()
            },
        )
        .await;
        let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, [&paid.id, &repaid.id, &december.id]);
        assert!(all[0].reversal.is_some() && all[1].reversal.is_none());
        let got = client
            .get_rent_payout(pb::GetRentPayoutRequest {
                id: paid.id.clone(),
            })
            .await
            .expect("got")
            .into_inner()
            .payout
            .expect("a payout");
        assert_eq!(got, reversed);

        // Filters: a month range, a decision, a lease; pages of one.
        let november = list(
            &mut client,
            pb::ListRentPayoutsRequest {
                lease_id: lease_id.clone(),
                from_month: "2026-11".into(),
                to_month: "2026-11".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(november.len(), 2);
        let by_decision = list(
            &mut client,
            pb::ListRentPayoutsRequest {
                decision_reference: "BESLUT-2026-00418".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(by_decision.len(), 1);
        assert_eq!(by_decision[0].id, repaid.id);
        let mut token = String::new();
        let mut paged = Vec::new();
        loop {
            let page = client
                .list_rent_payouts(pb::ListRentPayoutsRequest {
                    household_id: h.clone(),
                    page_size: 1,
                    page_token: token.clone(),
                    ..Default::default()
                })
                .await
                .expect("a page")
                .into_inner();
            paged.extend(page.payouts.into_iter().map(|p| p.id));
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        assert_eq!(paged, ids);

        // Every recording and reversal is in the audit trail.
        let events = app
            .audit()
            .list_audit_events(pb::ListAuditEventsRequest {
                household_id: h.clone(),
                method: "budgetrad.v1.PayoutService/ReverseRentPayout".into(),
                ..Default::default()
            })
            .await
            .expect("audit")
            .into_inner()
            .events;
        let outcomes: Vec<&str> = events
            .iter()
            .filter(|e| !e.replay)
            .map(|e| e.outcome.as_str())
            .collect();
        // A replay writes no data, only its own audit row, marked as one.
        assert_eq!(outcomes, ["OK", "FAILED_PRECONDITION"]);
        let replays: Vec<&str> = events
            .iter()
            .filter(|e| e.replay)
            .map(|e| e.outcome.as_str())
            .collect();
        assert_eq!(replays, ["OK"]);
        assert!(events.iter().all(|e| e.role == "payout"));
        // Refused payouts are recorded too: the store names the household.
        let recorded = app
            .audit()
            .list_audit_events(pb::ListAuditEventsRequest {
                household_id: h.clone(),
                method: "budgetrad.v1.PayoutService/RecordRentPayout".into(),
                ..Default::default()
            })
            .await
            .expect("audit")
            .into_inner()
            .events;
        let outcomes: Vec<&str> = recorded
            .iter()
            .filter(|e| !e.replay)
            .map(|e| e.outcome.as_str())
            .collect();
        assert_eq!(
            outcomes,
            [
                "OK",
                "FAILED_PRECONDITION",
                "FAILED_PRECONDITION",
                "OK",
                "OK"
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn bad_payouts_are_refused_and_write_nothing() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Rent;
        let (h, lease_id) = tenancy(&app, 502).await;
        let mut client = app.payouts();
        let cases: Vec<(&str, pb::RecordRentPayoutRequest, Code, &str)> = vec![
            (
                "no decision",
                pb::RecordRentPayoutRequest {
                    decision_reference: " ".into(),
                    ..payout(&lease_id, "2026-11", Rent, "7900")
                },
                Code::InvalidArgument,
                "decision_reference",
            ),
            (
                "zero",
                payout(&lease_id, "2026-11", Rent, "0"),
                Code::InvalidArgument,
                "amount",
            ),
            (
                "negative",
                payout(&lease_id, "2026-11", Rent, "-100"),
                Code::InvalidArgument,
                "amount",
            ),
            (
                "wrong OCR check digit",
                pb::RecordRentPayoutRequest {
                    ocr_reference: "1234575".into(),
                    ..payout(&lease_id, "2026-11", Rent, "7900")
                },
                Code::InvalidArgument,
                "ocr_reference",
            ),
            (
                "no OCR where the landlord requires one",
                pb::RecordRentPayoutRequest {
                    ocr_reference: String::new(),
                    ..payout(&lease_id, "2026-11", Rent, "7900")
                },
                Code::InvalidArgument,
                "ocr_reference",
            ),
            (
                "no kind",
                pb::RecordRentPayoutRequest {
                    kind: 0,
                    ..payout(&lease_id, "2026-11", Rent, "7900")
                },
                Code::InvalidArgument,
                "kind",
            ),
            (
                "no payout date",
                pb::RecordRentPayoutRequest {
                    payout_date: String::new(),
                    ..payout(&lease_id, "2026-11", Rent, "7900")
                },
                Code::InvalidArgument,
                "payout_date",
            ),
            (
                "a month before the lease",
                payout(&lease_id, "2024-12", Rent, "7900"),
                Code::FailedPrecondition,
                "rent_month",
            ),
            (
                "a request id that is no UUID",
                pb::RecordRentPayoutRequest {
                    request_id: "retry-1".into(),
                    ..payout(&lease_id, "2026-11", Rent, "7900")
                },
                Code::InvalidArgument,
                "request_id",
            ),
        ];
        for (case, request, code, field) in cases {
            let status = refused(client.record_rent_payout(request).await);
            assert_eq!(status.code(), code, "{case}: {status:?}");
            if code == Code::InvalidArgument {
                assert!(
                    field_violations(&status).iter().any(|f| f == field),
                    "{case}: {status:?}"
                );
            } else {
                assert_eq!(
                    error_reason(&status).as_deref(),
                    Some("NO_RENT_FOR_MONTH"),
                    "{case}"
                );
            }
        }
        let status = refused(
            client
                .record_rent_payout(payout(
                    &uuid::Uuid::new_v4().to_string(),
                    "2026-11",
                    Rent,
                    "7900",
                ))
                .await,
        );
        assert_eq!(status.code(), Code::NotFound);
        let status = refused(
            client
                .record_rent_receipt(receipt(
                    &uuid::Uuid::new_v4().to_string(),
                    "2026-11",
                    Rent,
                    "7900",
                ))
                .await,
        );
        assert_eq!(status.code(), Code::NotFound, "a receipt for no lease");

        // Only the payout system records payouts.
        let status = refused(
            app.payouts_as(Some(&secret_for(Role::Caseworker)))
                .record_rent_payout(payout(&lease_id, "2026-11", Rent, "7900"))
                .await,
        );
        assert_eq!(status.code(), Code::PermissionDenied);

        let bad_receipt = refused(
            client
                .record_rent_receipt(pb::RecordRentReceiptRequest {
                    paid_date: "2027-01-01".into(),
                    source: 0,
                    ..receipt(&lease_id, "2026-11", Rent, "7900")
                })
                .await,
        );
        let fields = field_violations(&bad_receipt);
        assert!(fields.contains(&"paid_date".to_owned()), "{fields:?}");
        assert!(fields.contains(&"source".to_owned()), "{fields:?}");

        let written = list(
            &mut client,
            pb::ListRentPayoutsRequest {
                household_id: h.clone(),
                ..Default::default()
            },
        )
        .await;
        assert!(written.is_empty(), "a refused payout was written");
        let receipts = client
            .list_rent_receipts(pb::ListRentReceiptsRequest {
                household_id: h,
                ..Default::default()
            })
            .await
            .expect("a list")
            .into_inner()
            .receipts;
        assert!(receipts.is_empty(), "a refused receipt was written");
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_retries_leave_one_payout() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 503).await;
        let request = payout(&lease_id, "2026-11", pb::RentPaymentKind::Rent, "7900");
        let calls = (0..50).map(|_| {
            let mut client = app.payouts();
            let request = request.clone();
            async move { client.record_rent_payout(request).await }
        });
        let results = join_all(calls).await;
        let ids: Vec<String> = results
            .into_iter()
            .map(|r| {
                r.expect("every caller gets the payout")
                    .into_inner()
                    .payout
                    .expect("a payout")
                    .id
            })
            .collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "different payout ids");
        let mut client = app.payouts();
        let written = list(
            &mut client,
            pb::ListRentPayoutsRequest {
                household_id: h,
                ..Default::default()
            },
        )
        .await;
        assert_eq!(written.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_payouts_never_exceed_the_rent() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 504).await;
        // 50 × 500 against a rent of 7 900: exactly 15 fit.
        let calls = (0..50).map(|_| {
            let mut client = app.payouts();
            let request = payout(&lease_id, "2026-11", pb::RentPaymentKind::Rent, "500");
            async move { client.record_rent_payout(request).await }
        });
        let results = join_all(calls).await;
        let mut accepted = 0;
        for result in results {
            match result {
                Ok(_) => accepted += 1,
                Err(status) => {
                    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
                    assert_eq!(
                        error_reason(&status).as_deref(),
                        Some("PAYOUT_EXCEEDS_RENT")
                    );
                }
            }
        }
        assert_eq!(accepted, 15);
        let mut client = app.payouts();
        let written = list(
            &mut client,
            pb::ListRentPayoutsRequest {
                household_id: h,
                page_size: 500,
                ..Default::default()
            },
        )
        .await;
        let total: f64 = written
            .iter()
            .map(|p| amount(&p.amount).parse::<f64>().expect("an amount"))
            .sum();
        assert_eq!(written.len(), 15);
        assert!(total <= 7900.0, "paid out {total}");
    })
    .await;
}

#[tokio::test]
async fn the_ledger_cannot_be_changed_in_the_database() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Rent;
        let (_, lease_id) = tenancy(&app, 505).await;
        let mut client = app.payouts();
        let paid = record(&mut client, payout(&lease_id, "2026-10", Rent, "7900")).await;
        client
            .reverse_rent_payout(reverse(&paid.id))
            .await
            .expect("reversed");
        client
            .record_rent_receipt(receipt(&lease_id, "2026-11", Rent, "7900"))
            .await
            .expect("a receipt");
        let attempts: [&'static str; 6] = [
            "UPDATE rent_payouts SET amount_ore = 1",
            "DELETE FROM rent_payouts",
            "UPDATE rent_payout_reversals SET reason = 'x'",
            "DELETE FROM rent_payout_reversals",
            "UPDATE rent_receipts SET amount_ore = 1",
            "DELETE FROM rent_receipts",
        ];
        for sql in attempts {
            assert!(app.execute_sql(sql).await.is_err(), "allowed: {sql}");
        }
        if app.backend() == budgetrad::store::Backend::Postgres {
            for sql in [
                "TRUNCATE rent_payouts CASCADE",
                "TRUNCATE rent_payout_reversals",
                "TRUNCATE rent_receipts",
            ] {
                assert!(app.execute_sql(sql).await.is_err(), "allowed: {sql}");
            }
        }
        let still = client
            .get_rent_payout(pb::GetRentPayoutRequest { id: paid.id })
            .await
            .expect("still there")
            .into_inner()
            .payout
            .expect("a payout");
        assert_eq!(amount(&still.amount), "7900.00");
        assert!(still.reversal.is_some());
    })
    .await;
}

#[tokio::test]
async fn arrears_payouts_and_receipts_pay_the_plan() {
    on_each_backend(|app| async move {
        use pb::InstalmentState::{Missed, Paid, Upcoming};
        use pb::RentPaymentKind::{Arrears, Rent};
        let (_, lease_id) = tenancy(&app, 506).await;
        let mut rent = app.rent();
        // Four instalments of 1 000 for September – December 2026, due
        // 2026-08-31, 09-30, 10-30 and 11-30: on 2026-11-22 three are missed.
        let plan = plan(&mut rent, &lease_id, terms("4000", "2026-09", months(4)), 4).await;
        let states = |p: &pb::RentPaymentPlan| -> Vec<i32> {
            p.instalments.iter().map(|i| i.state).collect()
        };
        let s = |v: &[pb::InstalmentState]| v.iter().map(|s| *s as i32).collect::<Vec<i32>>();
        assert_eq!(states(&plan), s(&[Missed, Missed, Missed, Upcoming]));
        let current = |rent: &mut crate::leases::Client| {
            let mut rent = rent.clone();
            let id = plan.id.clone();
            async move {
                rent.get_rent_payment_plan(pb::GetRentPaymentPlanRequest {
                    id,
                    on_date: String::new(),
                })
                .await
                .expect("a plan")
                .into_inner()
                .plan
                .expect("a plan")
            }
        };

        let mut client = app.payouts();
        // An ongoing-rent payout does not count towards the arrears.
        record(&mut client, payout(&lease_id, "2026-11", Rent, "7900")).await;
        let arrears = record(&mut client, payout(&lease_id, "2026-09", Arrears, "1000")).await;
        assert_eq!(arrears.plan_id, plan.id);
        let after_payout = current(&mut rent).await;
        assert_eq!(states(&after_payout), s(&[Paid, Missed, Missed, Upcoming]));
        assert_eq!(after_payout.payments.len(), 1);
        assert_eq!(after_payout.payments[0].id, arrears.id);
        assert_eq!(
            after_payout.payments[0].source,
            pb::PlanPaymentSource::Payout as i32
        );

        let paid_itself = client
            .record_rent_receipt(receipt(&lease_id, "2026-10", Arrears, "3000"))
            .await
            .expect("a receipt")
            .into_inner()
            .receipt
            .expect("a receipt");
        assert_eq!(paid_itself.plan_id, plan.id);
        let completed = current(&mut rent).await;
        assert_eq!(states(&completed), s(&[Paid, Paid, Paid, Paid]));
        assert_eq!(completed.state, pb::PlanState::Completed as i32);

        // A reversed payout counts for nothing: the receipt now pays the
        // three oldest, and December's instalment is open again.
        client
            .reverse_rent_payout(reverse(&arrears.id))
            .await
            .expect("reversed");
        let reopened = current(&mut rent).await;
        assert_eq!(states(&reopened), s(&[Paid, Paid, Paid, Upcoming]));
        assert_eq!(amount(&reopened.outstanding), "1000.00");
        assert_eq!(
            reopened
                .payments
                .iter()
                .map(|p| p.source)
                .collect::<Vec<_>>(),
            [pb::PlanPaymentSource::Receipt as i32]
        );

        let receipts = client
            .list_rent_receipts(pb::ListRentReceiptsRequest {
                lease_id: lease_id.clone(),
                from_month: "2026-10".into(),
                ..Default::default()
            })
            .await
            .expect("a list")
            .into_inner()
            .receipts;
        assert_eq!(receipts.len(), 1);
        assert_eq!(receipts[0].source, pb::ReceiptSource::ClientReceipt as i32);
        let got = client
            .get_rent_receipt(pb::GetRentReceiptRequest {
                id: paid_itself.id.clone(),
            })
            .await
            .expect("got")
            .into_inner()
            .receipt
            .expect("a receipt");
        assert_eq!(got, paid_itself);
    })
    .await;
}

#[tokio::test]
async fn the_cli_records_reverses_and_lists_payouts() {
    on_each_backend(|app| async move {
        use crate::debts::cli_as;
        let (h, lease_id) = tenancy(&app, 507).await;
        let json = |text: String| -> serde_json::Value {
            serde_json::from_str(&text).expect("JSON output")
        };
        let paid = json(
            cli_as(
                &app,
                Role::Payout,
                &[
                    "--json",
                    "payouts",
                    "record",
                    &lease_id,
                    "--month",
                    "2026-11",
                    "--amount",
                    "7900",
                    "--decision",
                    DECISION,
                    "--ocr",
                    OCR,
                    "--date",
                    "2026-11-20",
                ],
            )
            .await,
        );
        assert_eq!(paid["amount"], "7900.00");
        assert_eq!(paid["kind"], "rent");
        assert_eq!(paid["payee_bankgiro"], "50501055");
        let id = paid["id"].as_str().expect("an id").to_owned();
        let text = cli_as(
            &app,
            Role::Payout,
            &["payouts", "reverse", &id, "--reason", "fel månad"],
        )
        .await;
        assert!(text.contains("Återförd"), "{text}");
        cli_as(
            &app,
            Role::Caseworker,
            &[
                "receipts",
                "record",
                &lease_id,
                "--month",
                "2026-12",
                "--amount",
                "7900",
                "--paid",
                "2026-11-21",
                "--source",
                "autogiro",
            ],
        )
        .await;
        let table = cli_as(
            &app,
            Role::Caseworker,
            // Wide enough that the id is not wrapped in its cell.
            &[
                "--width",
                "250",
                "payouts",
                "list",
                "--household",
                &h,
                "--from",
                "2026-01",
            ],
        )
        .await;
        assert!(
            table.contains(&id) && table.contains("7 900,00 kr"),
            "{table}"
        );
        let receipts = cli_as(
            &app,
            Role::Counsellor,
            &["receipts", "list", "--lease", &lease_id],
        )
        .await;
        assert!(
            receipts.contains("autogiro") && receipts.contains("2026-12"),
            "{receipts}"
        );
    })
    .await;
}
