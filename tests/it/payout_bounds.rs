//! The bounds on every krona of the rent ledger (issue 17), through the
//! gRPC API on each backend: a month's rent payouts never exceed its rent
//! less its rent receipts, arrears payouts only against open arrears and
//! within them, a rent month at most one month ahead of the payout date,
//! a payout date at most 31 days ahead, and the per-payout ceiling. Every
//! refusal writes nothing; receipts are never refused for their amount but
//! report the overpaid amount; racing calls keep the bounds; and no month
//! after a lease's last month is paid or received.

use tonic::Code;

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use pb::RentPaymentKind::{Arrears, Rent};

use crate::debts::cli_as;
use crate::helpers::*;
use crate::leases::{amount, months, terms};
use crate::payouts::{Payouts, join_all, list, payout, receipt, record, refused, reverse, tenancy};

/// Every payout of the household, by id.
async fn payouts_of(client: &mut Payouts, household_id: &str) -> Vec<pb::RentPayout> {
    list(
        client,
        pb::ListRentPayoutsRequest {
            household_id: household_id.into(),
            page_size: 500,
            ..Default::default()
        },
    )
    .await
}

async fn payout_ids(client: &mut Payouts, household_id: &str) -> Vec<String> {
    let payouts = payouts_of(client, household_id).await;
    payouts.into_iter().map(|p| p.id).collect()
}

async fn receipts_of(client: &mut Payouts, household_id: &str) -> Vec<pb::RentReceipt> {
    client
        .list_rent_receipts(pb::ListRentReceiptsRequest {
            household_id: household_id.into(),
            page_size: 500,
            ..Default::default()
        })
        .await
        .expect("a list")
        .into_inner()
        .receipts
}

/// Asserts a FAILED_PRECONDITION with `reason` on `field`.
fn assert_refused(status: &tonic::Status, reason: &str, case: &str) {
    assert_eq!(
        status.code(),
        Code::FailedPrecondition,
        "{case}: {status:?}"
    );
    assert_eq!(error_reason(status).as_deref(), Some(reason), "{case}");
}

/// Öre of a decimal string the server sent ("7900.00").
fn ore(text: &str) -> i64 {
    let (kr, ore) = text.split_once('.').unwrap_or((text, "00"));
    kr.parse::<i64>().expect("kronor") * 100 + ore.parse::<i64>().expect("öre")
}

fn ore_of(m: &Option<pb::Money>) -> i64 {
    ore(amount(m))
}

/// A rent-arrears plan of `arrears` on the lease, over four months from
/// September 2026: its id.
async fn plan(app: &TestApp, lease_id: &str, arrears: &str) -> String {
    crate::leases::plan(
        &mut app.rent(),
        lease_id,
        terms(arrears, "2026-09", months(4)),
        4,
    )
    .await
    .id
}

/// A hyresskuld of `balance` of the household, to the creditor with
/// organisationsnummer `creditor`.
async fn hyresskuld(app: &TestApp, household_id: &str, creditor: &str, balance: &str) {
    let member = app
        .households()
        .get_household(pb::GetHouseholdRequest {
            id: household_id.into(),
        })
        .await
        .expect("a household")
        .into_inner()
        .household
        .expect("a household")
        .members[0]
        .id
        .clone();
    app.debts()
        .create_debt(pb::CreateDebtRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt: Some(pb::Debt {
                household_id: household_id.into(),
                debtor_member_id: member,
                creditor_name: "Exempel Bostäder AB".into(),
                creditor_organisation_number: creditor.into(),
                creditor_reference: "HYRA-2026".into(),
                kind: pb::DebtKind::Rent as i32,
                status: pb::DebtStatus::Active as i32,
                balance: money(balance),
                annual_interest_rate: "0".into(),
                monthly_fee: money("0"),
                agreed_monthly_payment: money("0"),
                ..Default::default()
            }),
            balance_date: "2026-11-01".into(),
        })
        .await
        .expect("a debt");
}

#[tokio::test]
async fn each_bound_is_refused_with_its_reason_and_writes_nothing() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 601).await;
        let mut client = app.payouts();
        // The household paid 7 000 of November's 7 900 itself.
        client
            .record_rent_receipt(receipt(&lease_id, "2026-11", Rent, "7000"))
            .await
            .expect("a receipt");
        let before = payout_ids(&mut client, &h).await;
        assert!(before.is_empty());

        let cases: Vec<(&str, pb::RecordRentPayoutRequest, &str)> = vec![
            (
                "the month paid twice",
                payout(&lease_id, "2026-11", Rent, "7000"),
                "PAYOUT_EXCEEDS_RENT",
            ),
            (
                "one öre more than the receipt leaves",
                payout(&lease_id, "2026-11", Rent, "900.01"),
                "PAYOUT_EXCEEDS_RENT",
            ),
            (
                "arrears on a lease with none open",
                payout(&lease_id, "2026-09", Arrears, "1000"),
                "NO_OPEN_ARREARS",
            ),
            (
                "two months after the payout month",
                payout(&lease_id, "2027-01", Rent, "7900"),
                "RENT_MONTH_TOO_FAR_AHEAD",
            ),
            (
                "rent month 2099-12",
                payout(&lease_id, "2099-12", Rent, "7900"),
                "RENT_MONTH_TOO_FAR_AHEAD",
            ),
            (
                "one öre above the ceiling",
                payout(&lease_id, "2026-10", Rent, "100000.01"),
                "PAYOUT_ABOVE_LIMIT",
            ),
            (
                "9 999 999 999 999.99 kr of arrears",
                payout(&lease_id, "2026-09", Arrears, "9999999999999.99"),
                "PAYOUT_ABOVE_LIMIT",
            ),
        ];
        for (case, request, reason) in cases {
            let status = refused(client.record_rent_payout(request).await);
            assert_refused(&status, reason, case);
            // The amounts are the household's: never in a message.
            assert!(!status.message().contains("7000"), "{case}: {status:?}");
            assert!(!status.message().contains("9999"), "{case}: {status:?}");
        }

        // A payout date more than 31 days ahead is invalid on its field.
        let late = refused(
            client
                .record_rent_payout(pb::RecordRentPayoutRequest {
                    payout_date: "2026-12-24".into(),
                    ..payout(&lease_id, "2026-12", Rent, "7900")
                })
                .await,
        );
        assert_eq!(late.code(), Code::InvalidArgument, "{late:?}");
        assert_eq!(field_violations(&late), ["payout_date"]);

        // Nothing was written by any refusal: no payout, no new receipt.
        assert_eq!(payout_ids(&mut client, &h).await, before);
        assert_eq!(receipts_of(&mut client, &h).await.len(), 1);

        // What the bounds leave is accepted: the rest of November's rent,
        // and a payout dated 31 days ahead, in December, paying January
        // (December pays January).
        let rest = record(&mut client, payout(&lease_id, "2026-11", Rent, "900")).await;
        let january = record(
            &mut client,
            pb::RecordRentPayoutRequest {
                payout_date: "2026-12-23".into(),
                ..payout(&lease_id, "2027-01", Rent, "7900")
            },
        )
        .await;
        assert_eq!(
            payout_ids(&mut client, &h).await,
            [rest.id.clone(), january.id]
        );
        // A reversal frees the month again, receipts still counted.
        client
            .reverse_rent_payout(reverse(&rest.id))
            .await
            .expect("reversed");
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-11", Rent, "900.01"))
                .await,
        );
        assert_refused(&status, "PAYOUT_EXCEEDS_RENT", "after the reversal");
        record(&mut client, payout(&lease_id, "2026-11", Rent, "900")).await;
    })
    .await;
}

#[tokio::test]
async fn the_default_ceiling_admits_exactly_100_000_kr() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 602).await;
        let mut client = app.payouts();
        // The default ceiling, 100 000 kr, admits a payout of exactly it
        // against open arrears as large.
        plan(&app, &lease_id, "150000").await;
        let at = record(&mut client, payout(&lease_id, "2026-09", Arrears, "100000")).await;
        assert_eq!(amount(&at.amount), "100000.00");
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-09", Arrears, "100000.01"))
                .await,
        );
        assert_refused(&status, "PAYOUT_ABOVE_LIMIT", "above the default");
        assert_eq!(payout_ids(&mut client, &h).await, [at.id]);
    })
    .await;
}

#[tokio::test]
async fn arrears_payouts_stay_within_a_plans_open_arrears() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 603).await;
        let mut client = app.payouts();
        let plan_id = plan(&app, &lease_id, "4000").await;
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-09", Arrears, "4000.01"))
                .await,
        );
        assert_refused(&status, "PAYOUT_EXCEEDS_ARREARS", "above the plan");
        let first = record(&mut client, payout(&lease_id, "2026-09", Arrears, "2500")).await;
        assert_eq!(first.plan_id, plan_id);
        // The household paid 1 000 of the plan itself: 500 remain.
        client
            .record_rent_receipt(receipt(&lease_id, "2026-10", Arrears, "1000"))
            .await
            .expect("a receipt");
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-10", Arrears, "500.01"))
                .await,
        );
        assert_refused(&status, "PAYOUT_EXCEEDS_ARREARS", "above what remains");
        let last_request = payout(&lease_id, "2026-11", Arrears, "500");
        let last = record(&mut client, last_request.clone()).await;
        // Paid in full: none open.
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-11", Arrears, "0.01"))
                .await,
        );
        assert_refused(&status, "NO_OPEN_ARREARS", "a paid plan");
        // A replay of an accepted payout returns it, though the bounds
        // would refuse it now.
        let replayed = record(&mut client, last_request).await;
        assert_eq!(replayed.id, last.id);
        assert_eq!(payout_ids(&mut client, &h).await, [first.id, last.id]);
    })
    .await;
}

#[tokio::test]
async fn arrears_payouts_stay_within_a_hyresskuld_to_the_landlord() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 604).await;
        let mut client = app.payouts();
        // A hyresskuld to another creditor opens nothing on this lease.
        hyresskuld(&app, &h, "556036-0793", "9000").await;
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-09", Arrears, "100"))
                .await,
        );
        assert_refused(&status, "NO_OPEN_ARREARS", "another creditor's debt");
        // One to the landlord (556677-8899) opens 5 000.
        hyresskuld(&app, &h, "556677-8899", "5000").await;
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-09", Arrears, "5000.01"))
                .await,
        );
        assert_refused(&status, "PAYOUT_EXCEEDS_ARREARS", "above the debt");
        let first = record(&mut client, payout(&lease_id, "2026-09", Arrears, "2000")).await;
        assert_eq!(first.plan_id, "");
        client
            .record_rent_receipt(receipt(&lease_id, "2026-10", Arrears, "1000"))
            .await
            .expect("a receipt");
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-10", Arrears, "2000.01"))
                .await,
        );
        assert_refused(&status, "PAYOUT_EXCEEDS_ARREARS", "above what remains");
        let last = record(&mut client, payout(&lease_id, "2026-10", Arrears, "2000")).await;
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-11", Arrears, "0.01"))
                .await,
        );
        assert_refused(&status, "NO_OPEN_ARREARS", "the debt paid");
        assert_eq!(payout_ids(&mut client, &h).await, [first.id, last.id]);
    })
    .await;
}

/// A plan and a hyresskuld for the same arrears: paying the plan in full
/// pays the debt's arrears too, so nothing is left to be paid a second time.
#[tokio::test]
async fn a_plan_paid_in_full_leaves_its_hyresskuld_nothing_open() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 605).await;
        let mut client = app.payouts();
        hyresskuld(&app, &h, "556677-8899", "4000").await;
        let plan_id = plan(&app, &lease_id, "4000").await;
        let paid = record(&mut client, payout(&lease_id, "2026-09", Arrears, "4000")).await;
        assert_eq!(paid.plan_id, plan_id);
        let status = refused(
            client
                .record_rent_payout(payout(&lease_id, "2026-10", Arrears, "4000"))
                .await,
        );
        assert_refused(&status, "NO_OPEN_ARREARS", "the same arrears twice");
        assert_eq!(payout_ids(&mut client, &h).await, [paid.id]);
    })
    .await;
}

#[tokio::test]
async fn a_receipt_above_the_rent_is_accepted_and_shows_what_was_overpaid() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 605).await;
        let mut client = app.payouts();
        record(&mut client, payout(&lease_id, "2026-10", Rent, "7900")).await;
        let first = client
            .record_rent_receipt(receipt(&lease_id, "2026-10", Rent, "7000"))
            .await
            .expect("a receipt is never refused for its amount")
            .into_inner();
        assert_eq!(amount(&first.overpaid), "7000.00");
        // An arrears receipt is not rent: the month stays as overpaid.
        let arrears = client
            .record_rent_receipt(receipt(&lease_id, "2026-10", Arrears, "100"))
            .await
            .expect("a receipt")
            .into_inner();
        assert_eq!(amount(&arrears.overpaid), "7000.00");
        let within = client
            .record_rent_receipt(receipt(&lease_id, "2026-11", Rent, "100"))
            .await
            .expect("a receipt")
            .into_inner();
        assert_eq!(amount(&within.overpaid), "0.00");
        assert_eq!(receipts_of(&mut client, &h).await.len(), 3);

        // The rent check for the application month 2026-11 (rent month
        // 2026-10) shows it too.
        let mut checks = pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
            app.channel(),
            app.bearer_for(Role::RentCheck),
        );
        let result = checks
            .check_rent_paid(pb::CheckRentPaidRequest {
                query: Some(pb::RentCheckQuery {
                    subject: Some(pb::rent_check_query::Subject::HouseholdId(h.clone())),
                    application_month: "2026-11".into(),
                    rent_month: String::new(),
                    as_of: String::new(),
                }),
            })
            .await
            .expect("a check")
            .into_inner()
            .result
            .expect("a result");
        assert_eq!(result.status, pb::RentCheckStatus::Paid as i32);
        assert_eq!(amount(&result.outstanding), "0.00");
        assert_eq!(amount(&result.overpaid), "7000.00");
        let text = cli_as(
            &app,
            Role::RentCheck,
            &[
                "rent-check",
                "one",
                "--household",
                &h,
                "--application",
                "2026-11",
            ],
        )
        .await;
        assert!(text.contains("För mycket:      7 000,00 kr"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn receipts_and_payouts_racing_for_one_month_never_push_payouts_above_the_rent() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 606).await;
        // 30 payouts of 500 and 10 receipts of 400 for November (rent
        // 7 900), all at once. Receipts are always accepted.
        let payouts = (0..30).map(|_| {
            let mut client = app.payouts();
            let request = payout(&lease_id, "2026-11", Rent, "500");
            async move { client.record_rent_payout(request).await.map(|_| ()) }
        });
        let receipts = (0..10).map(|_| {
            let mut client = app.payouts();
            let request = receipt(&lease_id, "2026-11", Rent, "400");
            async move { client.record_rent_receipt(request).await.map(|_| ()) }
        });
        // Interleaved, so receipts land between payouts.
        let mut calls = Vec::new();
        let mut receipts = receipts.collect::<Vec<_>>().into_iter();
        for (i, p) in payouts.enumerate() {
            calls.push(
                Box::pin(p) as std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send>>
            );
            if i % 3 == 0
                && let Some(r) = receipts.next()
            {
                calls.push(Box::pin(r));
            }
        }
        for r in receipts {
            calls.push(Box::pin(r));
        }
        let results = join_all(calls).await;
        for result in results {
            if let Err(status) = result {
                assert_refused(&status, "PAYOUT_EXCEEDS_RENT", "a racing payout");
            }
        }
        let mut client = app.payouts();
        let written = payouts_of(&mut client, &h).await;
        let receipts = receipts_of(&mut client, &h).await;
        assert_eq!(receipts.len(), 10, "a receipt was refused");
        let rent = ore("7900");
        // Entries of one lease are written one after the other under its
        // lock, each id taken under it (UUIDv7, ordered): in id order, each
        // payout fitted within the rent less the receipts before it.
        let mut entries: Vec<(String, bool, i64)> = written
            .iter()
            .map(|p| (p.id.clone(), true, ore_of(&p.amount)))
            .chain(
                receipts
                    .iter()
                    .map(|r| (r.id.clone(), false, ore_of(&r.amount))),
            )
            .collect();
        entries.sort();
        let (mut paid, mut received) = (0, 0);
        for (id, is_payout, sum) in entries {
            if is_payout {
                paid += sum;
                assert!(
                    paid + received <= rent,
                    "payout {id} pushed the month above the rent"
                );
            } else {
                received += sum;
            }
        }
        assert_eq!(received, ore("4000"));
        assert!(paid <= rent, "payouts above the rent");
        assert!(!written.is_empty(), "no payout was accepted");
    })
    .await;
}

#[tokio::test]
async fn fifty_arrears_payouts_racing_for_one_plan_stay_within_its_arrears() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 607).await;
        plan(&app, &lease_id, "10000").await;
        // 50 × 500 against open arrears of 10 000: exactly 20 fit.
        let calls = (0..50).map(|_| {
            let mut client = app.payouts();
            let request = payout(&lease_id, "2026-09", Arrears, "500");
            async move { client.record_rent_payout(request).await }
        });
        let mut accepted = 0;
        for result in join_all(calls).await {
            match result {
                Ok(_) => accepted += 1,
                Err(status) => {
                    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
                    let reason = error_reason(&status);
                    assert!(
                        matches!(
                            reason.as_deref(),
                            Some("PAYOUT_EXCEEDS_ARREARS" | "NO_OPEN_ARREARS")
                        ),
                        "{status:?}"
                    );
                }
            }
        }
        assert_eq!(accepted, 20);
        let mut client = app.payouts();
        let written = payouts_of(&mut client, &h).await;
        let total: i64 = written.iter().map(|p| ore_of(&p.amount)).sum();
        assert!(
            total <= ore("10000"),
            "arrears payouts above the plan: {total}"
        );
        assert_eq!(written.len(), 20);
    })
    .await;
}

/// The start of a copy of a ledger row, for `concat!` (test SQL is static).
macro_rules! copy_payout {
    () => {
        "INSERT INTO rent_payouts (id, request_id, request_hash, household_id, lease_id, \
         rent_month, kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, \
         ocr_reference, payout_date, plan_id, recorded_by, recorded_at) "
    };
}

macro_rules! copied_payout {
    () => {
        "kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, \
         payout_date, plan_id, recorded_by, recorded_at FROM rent_payouts WHERE kind = 'rent'"
    };
}

macro_rules! copy_receipt {
    () => {
        "INSERT INTO rent_receipts (id, request_id, request_hash, household_id, lease_id, \
         rent_month, kind, amount_ore, paid_date, source, plan_id, recorded_by, recorded_at) "
    };
}

macro_rules! copied_receipt {
    () => {
        "kind, amount_ore, paid_date, source, plan_id, recorded_by, recorded_at FROM rent_receipts"
    };
}

/// A lease-month after the lease's last month is refused (LEASE_ENDED) for
/// payouts and receipts of either kind, by the service and the database,
/// and nothing is written; the last month itself is paid as before.
#[tokio::test]
async fn no_ledger_month_after_the_lease_ended() {
    on_each_backend(|app| async move {
        let (h, lease_id) = tenancy(&app, 607).await;
        plan(&app, &lease_id, "4000").await;
        app.rent()
            .end_lease(pb::EndLeaseRequest {
                lease_id: lease_id.clone(),
                end_month: "2026-10".into(),
            })
            .await
            .expect("ended");
        let mut client = app.payouts();
        for (case, kind, month) in [
            ("rent the month after", Rent, "2026-11"),
            ("rent two months after", Rent, "2026-12"),
            ("arrears the month after", Arrears, "2026-11"),
        ] {
            let status = refused(
                client
                    .record_rent_payout(payout(&lease_id, month, kind, "100"))
                    .await,
            );
            assert_refused(&status, "LEASE_ENDED", case);
            let status = refused(
                client
                    .record_rent_receipt(receipt(&lease_id, month, kind, "100"))
                    .await,
            );
            assert_refused(&status, "LEASE_ENDED", case);
        }
        // Nothing was written by any refusal.
        assert!(payouts_of(&mut client, &h).await.is_empty());
        assert!(receipts_of(&mut client, &h).await.is_empty());

        // The lease's last month is still paid, in rent and arrears.
        record(&mut client, payout(&lease_id, "2026-10", Rent, "7900")).await;
        record(&mut client, payout(&lease_id, "2026-10", Arrears, "100")).await;
        client
            .record_rent_receipt(receipt(&lease_id, "2026-10", Arrears, "100"))
            .await
            .expect("a receipt");

        // The database refuses the same: a copy of the last month's rows
        // for the month after is not written, for the same month it is.
        // A copy `$n` of the table's row for `$month` (test SQL is static).
        macro_rules! copy {
            ($insert:ident, $copied:ident, $n:literal, $month:literal) => {
                concat!(
                    $insert!(),
                    "SELECT '00000000-0000-7000-8000-00000000000",
                    $n,
                    "', 'c0000000-0000-4000-8000-00000000000",
                    $n,
                    "', request_hash, household_id, lease_id, '",
                    $month,
                    "', ",
                    $copied!()
                )
            };
        }
        const PAYOUT_AFTER: &str = copy!(copy_payout, copied_payout, 1, "2026-11");
        const PAYOUT_LAST: &str = copy!(copy_payout, copied_payout, 2, "2026-10");
        const RECEIPT_AFTER: &str = copy!(copy_receipt, copied_receipt, 3, "2026-11");
        const RECEIPT_LAST: &str = copy!(copy_receipt, copied_receipt, 4, "2026-10");
        for sql in [PAYOUT_AFTER, RECEIPT_AFTER] {
            let after = app.execute_sql(sql).await;
            assert!(
                after
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("LEASE_ENDED")),
                "{after:?}"
            );
        }
        assert_eq!(app.execute_sql(PAYOUT_LAST).await.ok(), Some(1));
        assert_eq!(app.execute_sql(RECEIPT_LAST).await.ok(), Some(1));
        let months: Vec<String> = payouts_of(&mut client, &h)
            .await
            .into_iter()
            .map(|p| p.rent_month)
            .collect();
        assert_eq!(months, ["2026-10"; 3]);
        let months: Vec<String> = receipts_of(&mut client, &h)
            .await
            .into_iter()
            .map(|r| r.rent_month)
            .collect();
        assert_eq!(months, ["2026-10"; 2]);
    })
    .await;
}
