//! Audit without gaps: an idempotent replay leaves its own audit row, marked
//! as a replay and naming the records the first request wrote, while the
//! ledger gains nothing; reads and writes name the records they touched, and
//! an auditor can ask for every row naming one record.

use budgetrad::pb;

use crate::helpers::*;
use crate::leases::{household, landlord, lease, months, terms};

const PAYOUTS: &str = "budgetrad.v1.PayoutService/";

/// The household's audit rows of one method (full name), oldest first.
async fn rows(app: &TestApp, household_id: &str, method: &str) -> Vec<pb::AuditEvent> {
    app.audit()
        .list_audit_events(pb::ListAuditEventsRequest {
            household_id: household_id.into(),
            method: method.into(),
            ..Default::default()
        })
        .await
        .expect("the audit trail")
        .into_inner()
        .events
}

/// Every audit row naming `record_id`, oldest first.
async fn naming(app: &TestApp, record_id: &str) -> Vec<pb::AuditEvent> {
    app.audit()
        .list_audit_events(pb::ListAuditEventsRequest {
            record_id: record_id.into(),
            ..Default::default()
        })
        .await
        .expect("the audit trail")
        .into_inner()
        .events
}

/// A write and its replay: two rows, both OK, the second (and only the
/// second) marked as a replay, both naming the same records, which include
/// every one of `expected`.
fn assert_write_then_replay(events: &[pb::AuditEvent], expected: &[String]) {
    let marks: Vec<(&str, bool)> = events
        .iter()
        .map(|e| (e.outcome.as_str(), e.replay))
        .collect();
    assert_eq!(marks, [("OK", false), ("OK", true)], "{events:?}");
    assert_eq!(events[0].records, events[1].records);
    assert_eq!(events[0].caller, events[1].caller);
    assert_eq!(events[0].role, events[1].role);
    assert_eq!(events[0].household_id, events[1].household_id);
    for record in expected {
        assert!(
            events[0].records.contains(record),
            "{record} not in {:?}",
            events[0].records
        );
    }
}

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A household's debt, created and then created again with the same
/// request: (household id, the debt).
async fn debt_created_twice(app: &TestApp, serial: u32) -> (String, pb::Debt) {
    let mut client = app.debts();
    let (h, member) = crate::debts::household(app, serial).await;
    let debt = crate::debts::debt(&h, &member, pb::DebtKind::ConsumerCredit, "10000");
    let create = pb::CreateDebtRequest {
        request_id: id(),
        debt: Some(debt),
        balance_date: "2026-11-01".into(),
    };
    let debt = client
        .create_debt(create.clone())
        .await
        .expect("a debt")
        .into_inner()
        .debt
        .expect("a debt");
    client.create_debt(create).await.expect("a replay");
    (h, debt)
}

#[tokio::test]
async fn a_replayed_payout_receipt_and_reversal_each_leave_a_replay_row() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Rent;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let h = household(&app, 711).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut client = app.payouts();

        let request = pb::RecordRentPayoutRequest {
            request_id: id(),
            lease_id: lease.id.clone(),
            rent_month: "2026-11".into(),
            kind: Rent as i32,
            amount: money("7900"),
            decision_reference: "BESLUT-2026-00711".into(),
            ocr_reference: "1234574".into(),
            payout_date: "2026-11-20".into(),
        };
        let first = client
            .record_rent_payout(request.clone())
            .await
            .expect("a payout")
            .into_inner()
            .payout
            .expect("a payout");
        let again = client
            .record_rent_payout(request)
            .await
            .expect("a replay")
            .into_inner()
            .payout
            .expect("a payout");
        assert_eq!(again, first);
        let payout_rows = rows(&app, &h, &format!("{PAYOUTS}RecordRentPayout")).await;
        assert_write_then_replay(
            &payout_rows,
            &[
                format!("payout:{}", first.id),
                format!("lease:{}", lease.id),
            ],
        );
        // Nothing more in the ledger.
        let listed = client
            .list_rent_payouts(pb::ListRentPayoutsRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("a list")
            .into_inner()
            .payouts;
        assert_eq!(listed, std::slice::from_ref(&first));

        let reversal = pb::ReverseRentPayoutRequest {
            request_id: id(),
            payout_id: first.id.clone(),
            reason: "betalt till fel månad".into(),
        };
        let reversed = client
            .reverse_rent_payout(reversal.clone())
            .await
            .expect("reversed")
            .into_inner()
            .payout
            .expect("a payout");
        let replayed = client
            .reverse_rent_payout(reversal)
            .await
            .expect("a replay")
            .into_inner()
            .payout
            .expect("a payout");
        assert_eq!(replayed, reversed);
        let reversal_id = reversed.reversal.expect("a reversal").id;
        assert_write_then_replay(
            &rows(&app, &h, &format!("{PAYOUTS}ReverseRentPayout")).await,
            &[
                format!("payout:{}", first.id),
                format!("reversal:{reversal_id}"),
            ],
        );

        let receipt = pb::RecordRentReceiptRequest {
            request_id: id(),
            lease_id: lease.id.clone(),
            rent_month: "2026-10".into(),
            kind: Rent as i32,
            amount: money("7900"),
            paid_date: "2026-10-21".into(),
            source: pb::ReceiptSource::ClientReceipt as i32,
        };
        let got = client
            .record_rent_receipt(receipt.clone())
            .await
            .expect("a receipt")
            .into_inner()
            .receipt
            .expect("a receipt");
        let again = client
            .record_rent_receipt(receipt)
            .await
            .expect("a replay")
            .into_inner()
            .receipt
            .expect("a receipt");
        assert_eq!(again, got);
        assert_write_then_replay(
            &rows(&app, &h, &format!("{PAYOUTS}RecordRentReceipt")).await,
            &[format!("receipt:{}", got.id), format!("lease:{}", lease.id)],
        );
        let receipts = client
            .list_rent_receipts(pb::ListRentReceiptsRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("a list")
            .into_inner()
            .receipts;
        assert_eq!(receipts, std::slice::from_ref(&got));

        // Reads name what they returned.
        client
            .get_rent_payout(pb::GetRentPayoutRequest {
                id: first.id.clone(),
            })
            .await
            .expect("got");
        let gets = rows(&app, &h, &format!("{PAYOUTS}GetRentPayout")).await;
        assert_eq!(gets.len(), 1);
        assert_eq!(gets[0].records, [format!("payout:{}", first.id)]);
        assert!(!gets[0].replay);
        let lists = rows(&app, &h, &format!("{PAYOUTS}ListRentReceipts")).await;
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0].records, [format!("receipt:{}", got.id)]);

        // Every row naming the payout: written, replayed, listed, reversed,
        // replayed, read.
        let methods: Vec<(String, bool)> = naming(&app, &first.id)
            .await
            .into_iter()
            .map(|e| (e.method.replace(PAYOUTS, ""), e.replay))
            .collect();
        assert_eq!(
            methods,
            [
                ("RecordRentPayout".to_owned(), false),
                ("RecordRentPayout".to_owned(), true),
                ("ListRentPayouts".to_owned(), false),
                ("ReverseRentPayout".to_owned(), false),
                ("ReverseRentPayout".to_owned(), true),
                ("GetRentPayout".to_owned(), false),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_replayed_plan_and_plan_payment_leave_replay_rows() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        let l = landlord(&mut client).await;
        let h = household(&app, 712).await;
        let lease = lease(&mut client, &h, &l.id).await;
        // A new lease's row names it.
        let created = rows(&app, &h, "budgetrad.v1.RentPlanService/CreateLease").await;
        assert_eq!(created.len(), 1);
        assert_eq!(created[0].records, [format!("lease:{}", lease.id)]);
        let create = pb::CreateRentPaymentPlanRequest {
            request_id: id(),
            lease_id: lease.id.clone(),
            terms: terms("6000", "2026-08", months(6)),
            broken_after_missed: 3,
            debt_id: String::new(),
        };
        let plan = client
            .create_rent_payment_plan(create.clone())
            .await
            .expect("a plan")
            .into_inner()
            .plan
            .expect("a plan");
        let again = client
            .create_rent_payment_plan(create)
            .await
            .expect("a replay")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(again.id, plan.id);
        let method = "budgetrad.v1.RentPlanService/";
        assert_write_then_replay(
            &rows(&app, &h, &format!("{method}CreateRentPaymentPlan")).await,
            &[format!("plan:{}", plan.id), format!("lease:{}", lease.id)],
        );

        let pay = pb::RecordPlanPaymentRequest {
            request_id: id(),
            plan_id: plan.id.clone(),
            date: "2026-07-30".into(),
            amount: money("1000"),
        };
        let paid = client
            .record_plan_payment(pay.clone())
            .await
            .expect("paid")
            .into_inner()
            .plan
            .expect("a plan");
        let replayed = client
            .record_plan_payment(pay)
            .await
            .expect("a replay")
            .into_inner()
            .plan
            .expect("a plan");
        // Paid once.
        assert_eq!(paid.payments.len(), 1);
        assert_eq!(replayed.payments.len(), 1);
        let payment = &paid.payments[0].id;
        assert_write_then_replay(
            &rows(&app, &h, &format!("{method}RecordPlanPayment")).await,
            &[
                format!("plan:{}", plan.id),
                format!("plan_payment:{payment}"),
            ],
        );

        // An arrears payout names the plan it counts towards, and so does
        // its replay.
        let arrears =
            crate::payouts::payout(&lease.id, "2026-11", pb::RentPaymentKind::Arrears, "1000");
        let mut payouts = app.payouts();
        let paid_out = payouts
            .record_rent_payout(arrears.clone())
            .await
            .expect("a payout")
            .into_inner()
            .payout
            .expect("a payout");
        payouts.record_rent_payout(arrears).await.expect("a replay");
        assert_eq!(paid_out.plan_id, plan.id);
        assert_write_then_replay(
            &rows(&app, &h, &format!("{PAYOUTS}RecordRentPayout")).await,
            &[
                format!("payout:{}", paid_out.id),
                format!("lease:{}", lease.id),
                format!("plan:{}", plan.id),
            ],
        );
    })
    .await;
}

#[tokio::test]
async fn a_replayed_debt_and_debt_event_leave_replay_rows() {
    on_each_backend(|app| async move {
        let mut client = app.debts();
        let (h, debt) = debt_created_twice(&app, 713).await;
        let method = "budgetrad.v1.DebtService/";
        assert_write_then_replay(
            &rows(&app, &h, &format!("{method}CreateDebt")).await,
            &[format!("debt:{}", debt.id)],
        );

        let event = pb::RecordDebtEventRequest {
            request_id: id(),
            debt_id: debt.id.clone(),
            kind: pb::DebtEventKind::Payment as i32,
            date: "2026-11-15".into(),
            amount: money("1500.50"),
            note: String::new(),
        };
        let paid = client
            .record_debt_event(event.clone())
            .await
            .expect("paid")
            .into_inner();
        let again = client
            .record_debt_event(event)
            .await
            .expect("a replay")
            .into_inner();
        assert_eq!(again, paid);
        let event_id = paid.event.expect("an event").id;
        assert_write_then_replay(
            &rows(&app, &h, &format!("{method}RecordDebtEvent")).await,
            &[
                format!("debt:{}", debt.id),
                format!("debt_event:{event_id}"),
            ],
        );
        // Paid once: the opening balance and one payment.
        let events = client
            .list_debt_events(pb::ListDebtEventsRequest {
                debt_id: debt.id.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .events;
        assert_eq!(events.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_record_filter_is_validated() {
    on_each_backend(|app| async move {
        let status = app
            .audit()
            .list_audit_events(pb::ListAuditEventsRequest {
                record_id: "not-an-id".into(),
                ..Default::default()
            })
            .await
            .expect_err("refused");
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(naming(&app, &id()).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_cli_shows_the_replay_mark_and_the_records() {
    on_each_backend(|app| async move {
        let (_, debt) = debt_created_twice(&app, 714).await;
        // Wide enough that no record name is wrapped in its cell.
        let (view, text) =
            crate::audit::audit_list(&app, &["--record", &debt.id, "--width", "250"]).await;
        let events = view["events"].as_array().expect("events");
        let marks: Vec<&serde_json::Value> = events.iter().map(|e| &e["replay"]).collect();
        assert_eq!(marks, [false, true]);
        let named = format!("debt:{}", debt.id);
        assert!(events.iter().all(|e| e["records"][0] == named.as_str()));
        assert!(text.contains("OK (upprepning)"), "{text}");
        assert!(text.contains(&named), "{text}");
    })
    .await;
}
