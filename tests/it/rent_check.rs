//! The rent-paid check through the gRPC API: one at a time, and streamed
//! with answers equal to the unary ones, item by item, in order.

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use pb::rent_check_query::Subject;

use crate::helpers::*;
use crate::leases::{amount, landlord, lease, months, plan, terms};

type Checks = pb::rent_check_service_client::RentCheckServiceClient<Authed>;
use pb::RentCheckStatus::{NoLease, NotPaid, Paid, PartiallyPaid, UnknownSubject};

fn checks(app: &TestApp) -> Checks {
    pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
        app.channel(),
        app.bearer_for(Role::RentCheck),
    )
}

fn by_household(id: &str, application: &str) -> pb::RentCheckQuery {
    pb::RentCheckQuery {
        subject: Some(Subject::HouseholdId(id.into())),
        application_month: application.into(),
        rent_month: String::new(),
        as_of: String::new(),
    }
}

fn by_person(pin: &str, application: &str) -> pb::RentCheckQuery {
    pb::RentCheckQuery {
        subject: Some(Subject::PersonalIdentityNumber(pin.into())),
        application_month: application.into(),
        rent_month: String::new(),
        as_of: String::new(),
    }
}

async fn check(client: &mut Checks, query: pb::RentCheckQuery) -> pb::RentCheckResult {
    client
        .check_rent_paid(pb::CheckRentPaidRequest { query: Some(query) })
        .await
        .expect("a check")
        .into_inner()
        .result
        .expect("a result")
}

/// A household with a member of personnummer `pin`: its id.
async fn household_of(app: &TestApp, birth: &str, serial: u32) -> String {
    app.households()
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-CHECK".into(),
                members: vec![adult(pb::MemberRole::Applicant, birth, serial)],
                ..Default::default()
            }),
        })
        .await
        .expect("a household")
        .into_inner()
        .household
        .expect("a household")
        .id
}

fn payout(lease_id: &str, month: &str, sum: &str) -> pb::RecordRentPayoutRequest {
    pb::RecordRentPayoutRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        lease_id: lease_id.into(),
        rent_month: month.into(),
        kind: pb::RentPaymentKind::Rent as i32,
        amount: money(sum),
        decision_reference: "BESLUT-CHECK-1".into(),
        ocr_reference: "1234574".into(),
        payout_date: "2026-11-20".into(),
    }
}

/// Three households: one whose October rent was paid out and November rent
/// part paid by a receipt, with an arrears plan; one with a lease but
/// nothing paid; one without a lease. Returns their ids and the first's
/// payout and receipt ids.
pub struct Town {
    pub paid: String,
    pub unpaid: String,
    pub no_lease: String,
    payout_id: String,
    receipt_id: String,
    plan_id: String,
}

pub async fn town(app: &TestApp) -> Town {
    let mut rent = app.rent();
    let l = landlord(&mut rent).await;
    let paid = household_of(app, "19800101", 601).await;
    let unpaid = household_of(app, "19800101", 602).await;
    let no_lease = household_of(app, "19800101", 603).await;
    let first = lease(&mut rent, &paid, &l.id).await;
    lease(&mut rent, &unpaid, &l.id).await;
    let mut payouts = app.payouts();
    let payout = payouts
        .record_rent_payout(payout(&first.id, "2026-10", "7900"))
        .await
        .expect("a payout")
        .into_inner()
        .payout
        .expect("a payout");
    // A reversed payout counts for nothing.
    let wrong = payouts
        .record_rent_payout(payout_for_november(&first.id))
        .await
        .expect("a payout")
        .into_inner()
        .payout
        .expect("a payout");
    payouts
        .reverse_rent_payout(pb::ReverseRentPayoutRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            payout_id: wrong.id,
            reason: "fel hushåll".into(),
        })
        .await
        .expect("reversed");
    let receipt = payouts
        .record_rent_receipt(pb::RecordRentReceiptRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: first.id.clone(),
            rent_month: "2026-11".into(),
            kind: pb::RentPaymentKind::Rent as i32,
            amount: money("2000"),
            paid_date: "2026-11-03".into(),
            source: pb::ReceiptSource::BankStatement as i32,
        })
        .await
        .expect("a receipt")
        .into_inner()
        .receipt
        .expect("a receipt");
    let plan = plan(&mut rent, &first.id, terms("3000", "2026-11", months(3)), 2).await;
    Town {
        paid,
        unpaid,
        no_lease,
        payout_id: payout.id,
        receipt_id: receipt.id,
        plan_id: plan.id,
    }
}

fn payout_for_november(lease_id: &str) -> pb::RecordRentPayoutRequest {
    payout(lease_id, "2026-11", "7900")
}

#[tokio::test]
async fn one_check_answers_paid_part_paid_unpaid_and_unknown() {
    on_each_backend(|app| async move {
        let t = town(&app).await;
        let mut client = checks(&app);

        // Applying for November: October's rent was paid out in full.
        let october = check(&mut client, by_household(&t.paid, "2026-11")).await;
        assert_eq!(october.status, Paid as i32, "{october:?}");
        assert_eq!(october.rent_month, "2026-10");
        assert_eq!(amount(&october.rent_due), "7900.00");
        assert_eq!(amount(&october.paid_by_payouts), "7900.00");
        assert_eq!(amount(&october.outstanding), "0.00");
        assert_eq!(october.payout_ids, std::slice::from_ref(&t.payout_id));
        assert_eq!(october.days_overdue, 0);
        assert_eq!(october.check_date, "2026-11-22");

        // Applying for December: November's rent was due 2026-10-30; a
        // receipt of 2 000 and a reversed payout leave 5 900 outstanding.
        let november = check(&mut client, by_household(&t.paid, "2026-12")).await;
        assert_eq!(november.status, PartiallyPaid as i32, "{november:?}");
        assert_eq!(amount(&november.paid_by_payouts), "0.00");
        assert_eq!(amount(&november.paid_by_receipts), "2000.00");
        assert_eq!(amount(&november.outstanding), "5900.00");
        assert_eq!(november.due_date, "2026-10-30");
        assert_eq!(november.days_overdue, 23);
        assert!(november.payout_ids.is_empty());
        assert_eq!(november.receipt_ids, std::slice::from_ref(&t.receipt_id));
        let plan = november
            .plan_instalment
            .clone()
            .expect("the plan's instalment");
        assert_eq!(plan.plan_id, t.plan_id);
        assert_eq!(plan.number, 1);
        assert_eq!(amount(&plan.instalment), "1000.00");
        assert_eq!(plan.state, pb::InstalmentState::Missed as i32);

        // The same by a member's personnummer, and with the rent month named.
        let pin = synthetic_pin("19800101", 601);
        let by_pin = check(&mut client, by_person(&pin, "2026-12")).await;
        assert_eq!(by_pin, november);
        let named = check(
            &mut client,
            pb::RentCheckQuery {
                rent_month: "2026-11".into(),
                ..by_household(&t.paid, "2027-03")
            },
        )
        .await;
        assert_eq!(named, november);

        let unpaid = check(&mut client, by_household(&t.unpaid, "2026-12")).await;
        assert_eq!(unpaid.status, NotPaid as i32);
        assert_eq!(amount(&unpaid.outstanding), "7900.00");
        // Before the lease began, and with no lease at all.
        let before = check(&mut client, by_household(&t.paid, "2025-01")).await;
        assert_eq!(before.status, NoLease as i32);
        let none = check(&mut client, by_household(&t.no_lease, "2026-12")).await;
        assert_eq!(none.status, NoLease as i32);
        assert!(none.lease_id.is_empty());
        let stranger = check(
            &mut client,
            by_household(&uuid::Uuid::now_v7().to_string(), "2026-12"),
        )
        .await;
        assert_eq!(stranger.status, UnknownSubject as i32);
        let nobody = check(
            &mut client,
            by_person(&synthetic_pin("19800101", 699), "2026-12"),
        )
        .await;
        assert_eq!(nobody.status, UnknownSubject as i32);

        // Malformed: INVALID_ARGUMENT naming the fields.
        let status = client
            .check_rent_paid(pb::CheckRentPaidRequest {
                query: Some(pb::RentCheckQuery {
                    subject: Some(Subject::PersonalIdentityNumber("19800101-6011".into())),
                    application_month: "2026-13".into(),
                    rent_month: String::new(),
                    as_of: String::new(),
                }),
            })
            .await
            .expect_err("malformed");
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        let fields = field_violations(&status);
        assert!(
            fields.contains(&"query.personal_identity_number".to_owned()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"query.application_month".to_owned()),
            "{fields:?}"
        );

        // Counsellors do not run rent checks.
        let denied = pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
            app.channel(),
            app.bearer_for(Role::Counsellor),
        )
        .check_rent_paid(pb::CheckRentPaidRequest {
            query: Some(by_household(&t.paid, "2026-11")),
        })
        .await
        .expect_err("wrong role");
        assert_eq!(denied.code(), tonic::Code::PermissionDenied);
    })
    .await;
}

/// `query` checked as of `as_of`.
fn as_of(query: pb::RentCheckQuery, as_of: &str) -> pb::RentCheckQuery {
    pb::RentCheckQuery {
        as_of: as_of.into(),
        ..query
    }
}

#[tokio::test]
async fn as_of_makes_a_check_repeatable_and_rent_not_yet_due_has_no_overdue_figure() {
    on_each_backend(|app| async move {
        let t = town(&app).await;
        let mut client = checks(&app);
        // The server's clock says 2026-11-22. November's rent was due 2026-10-30 and
        // 5 900 of it is outstanding: as of 10 November it was 11 days overdue, and
        // asking again gives the same answer.
        let november = by_household(&t.paid, "2026-12");
        let then = check(&mut client, as_of(november.clone(), "2026-11-10")).await;
        assert_eq!(then.check_date, "2026-11-10");
        assert_eq!(then.days_overdue, 11);
        assert!(!then.not_yet_due);
        assert_eq!(amount(&then.outstanding), "5900.00");
        assert_eq!(
            check(&mut client, as_of(november.clone(), "2026-11-10")).await,
            then
        );
        // Without as_of: today, from the server's clock.
        let today = check(&mut client, november.clone()).await;
        assert_eq!(
            (
                today.check_date.as_str(),
                today.days_overdue,
                today.not_yet_due
            ),
            ("2026-11-22", 23, false)
        );
        // On the due date itself the rent is due, and not yet late.
        let on_the_day = check(&mut client, as_of(november.clone(), "2026-10-30")).await;
        assert_eq!(
            (on_the_day.days_overdue, on_the_day.not_yet_due),
            (0, false)
        );
        // The day before, it is not yet due: no overdue figure, and the plan's
        // instalment of the month is not missed yet either.
        let early = check(&mut client, as_of(november.clone(), "2026-10-29")).await;
        assert!(early.not_yet_due, "{early:?}");
        assert_eq!(early.days_overdue, 0);
        assert_eq!(early.status, PartiallyPaid as i32);
        assert_ne!(
            early.plan_instalment.expect("the plan's instalment").state,
            pb::InstalmentState::Missed as i32
        );

        // December's rent is due Monday 2026-11-30: on 2026-11-22 it is not yet due.
        let december = check(&mut client, by_household(&t.unpaid, "2027-01")).await;
        assert_eq!(december.due_date, "2026-11-30");
        assert_eq!(december.status, NotPaid as i32);
        assert!(december.not_yet_due, "{december:?}");
        assert_eq!(december.days_overdue, 0);

        // as_of is a day, not after today.
        for (bad, why) in [("2026-11-23", "future"), ("2026-02-30", "no such day")] {
            let status = client
                .check_rent_paid(pb::CheckRentPaidRequest {
                    query: Some(as_of(november.clone(), bad)),
                })
                .await
                .expect_err(why);
            assert_eq!(status.code(), tonic::Code::InvalidArgument, "{why}");
            assert_eq!(field_violations(&status), ["query.as_of"], "{why}");
        }

        // In a stream, each item is checked as of its own day, repeats included.
        let items: Vec<pb::CheckRentPaidStreamRequest> = [
            ("a", as_of(november.clone(), "2026-11-10")),
            ("b", november.clone()),
            ("c", as_of(november.clone(), "2026-10-29")),
            ("d", as_of(november.clone(), "2026-11-10")),
            ("e", as_of(november.clone(), "2026-12-01")),
        ]
        .into_iter()
        .map(|(id, query)| pb::CheckRentPaidStreamRequest {
            correlation_id: id.into(),
            query: Some(query),
        })
        .collect();
        let mut responses = client
            .check_rent_paid_stream(tokio_stream::iter(items))
            .await
            .expect("a stream")
            .into_inner();
        let mut answers = Vec::new();
        while let Some(answer) = responses.message().await.expect("an answer") {
            answers.push(answer);
        }
        let result = |n: usize| match &answers[n].outcome {
            Some(pb::check_rent_paid_stream_response::Outcome::Result(r)) => (**r).clone(),
            other => panic!("item {n}: {other:?}"),
        };
        assert_eq!(result(0), then);
        assert_eq!(result(1), today);
        assert!(result(2).not_yet_due);
        assert_eq!(result(3), then);
        match &answers[4].outcome {
            Some(pb::check_rent_paid_stream_response::Outcome::Error(e)) => {
                assert_eq!(e.code, "INVALID_ARGUMENT");
                assert_eq!(e.field_violations[0].field, "query.as_of");
                assert_eq!(e.field_violations[0].reason, "IN_FUTURE");
            }
            other => panic!("a future as_of: {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn the_stream_answers_as_the_unary_call_item_by_item_in_order() {
    on_each_backend(|app| async move {
        let t = town(&app).await;
        let mut client = checks(&app);
        let pin = synthetic_pin("19800101", 601);
        let stranger = uuid::Uuid::now_v7().to_string();
        // More than two chunks, mixing every kind of answer and bad items.
        let kinds: Vec<Option<pb::RentCheckQuery>> = vec![
            Some(by_household(&t.paid, "2026-11")),
            Some(by_household(&t.paid, "2026-12")),
            Some(by_person(&pin, "2026-12")),
            Some(by_household(&t.unpaid, "2026-12")),
            Some(by_household(&t.no_lease, "2026-12")),
            Some(by_household(&stranger, "2026-12")),
            Some(by_person("19800101-6011", "2026-12")),
            Some(pb::RentCheckQuery {
                subject: None,
                application_month: "2026-12".into(),
                rent_month: String::new(),
                as_of: String::new(),
            }),
            None,
        ];
        let items: Vec<pb::CheckRentPaidStreamRequest> = (0..2_500)
            .map(|n| pb::CheckRentPaidStreamRequest {
                correlation_id: format!("ansökan-{n}"),
                query: kinds[n % kinds.len()].clone(),
            })
            .collect();
        let mut responses = client
            .check_rent_paid_stream(tokio_stream::iter(items.clone()))
            .await
            .expect("a stream")
            .into_inner();
        let mut answers = Vec::new();
        while let Some(answer) = responses.message().await.expect("an answer") {
            answers.push(answer);
        }
        assert_eq!(answers.len(), items.len());
        // The unary answer of each kind, or its refusal's fields.
        let mut expected = Vec::new();
        for query in &kinds {
            let result = client
                .check_rent_paid(pb::CheckRentPaidRequest {
                    query: query.clone(),
                })
                .await;
            expected.push(result.map(|r| r.into_inner().result.expect("a result")));
        }
        for (n, (item, answer)) in items.iter().zip(&answers).enumerate() {
            assert_eq!(answer.correlation_id, item.correlation_id, "item {n}");
            use pb::check_rent_paid_stream_response::Outcome;
            match (&expected[n % kinds.len()], &answer.outcome) {
                (Ok(unary), Some(Outcome::Result(streamed))) => {
                    assert_eq!(streamed.as_ref(), unary, "item {n}")
                }
                (Err(status), Some(Outcome::Error(error))) => {
                    assert_eq!(error.code, "INVALID_ARGUMENT", "item {n}");
                    assert_eq!(
                        error.error_code,
                        pb::ItemErrorCode::InvalidArgument as i32,
                        "item {n}"
                    );
                    assert_eq!(error.reason, "INVALID_FIELDS", "item {n}");
                    let fields: Vec<String> = error
                        .field_violations
                        .iter()
                        .map(|f| f.field.clone())
                        .collect();
                    assert_eq!(fields, field_violations(status), "item {n}");
                }
                (unary, streamed) => panic!("item {n}: unary {unary:?}, streamed {streamed:?}"),
            }
        }
        let statuses: std::collections::HashSet<i32> = expected
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|r| r.status))
            .collect();
        for status in [Paid, PartiallyPaid, NotPaid, NoLease, UnknownSubject] {
            assert!(
                statuses.contains(&(status as i32)),
                "{status:?} not covered"
            );
        }
        // One audit record per item asked (repeats too), with its household
        // or, for an unknown subject, none; none for an invalid item (kinds 6
        // to 8: a malformed personnummer, no subject, no query). Of the 2 500
        // items, kinds 0–6 come 278 times each, the rest 277; kinds 0, 1 and
        // 2 (by its member's personnummer) ask about one household.
        let mut per_household: std::collections::HashMap<String, usize> = Default::default();
        let filter = pb::ListAuditEventsRequest {
            method: "budgetrad.v1.RentCheckService/CheckRentPaidStream".into(),
            page_size: 500,
            ..Default::default()
        };
        for event in all_events(&app, filter).await {
            *per_household.entry(event.household_id).or_default() += 1;
        }
        assert_eq!(per_household.get(&t.paid), Some(&(3 * 278)));
        assert_eq!(per_household.get(&t.unpaid), Some(&278));
        assert_eq!(per_household.get(&t.no_lease), Some(&278));
        assert_eq!(per_household.get(""), Some(&278), "the unknown household");
        assert_eq!(per_household.values().sum::<usize>(), 6 * 278);
    })
    .await;
}

#[tokio::test]
async fn the_cli_checks_a_csv_batch_and_one_household() {
    on_each_backend(|app| async move {
        use crate::debts::cli_as;
        let t = town(&app).await;
        let dir = tempfile::tempdir().expect("a temp dir");
        let input = dir.path().join("ansokningar.csv");
        let output = dir.path().join("svar.csv");
        let pin = synthetic_pin("19800101", 601);
        let mut csv = String::from(
            "correlation_id,household_id,personal_identity_number,application_month,rent_month\n",
        );
        let rows = [
            format!("a-1,{},,2026-11,", t.paid),
            format!("a-2,,{pin},2026-12,"),
            format!("a-3,{},,2026-12,", t.unpaid),
            format!(",{},,2026-12,", t.no_lease),
            "a-5,,19800101-6011,2026-12,".to_owned(),
        ];
        for _ in 0..400 {
            for row in &rows {
                csv.push_str(row);
                csv.push('\n');
            }
        }
        std::fs::write(&input, csv).expect("the CSV is written");
        let url = app.url();
        let (in_path, out_path) = (input.clone(), output.clone());
        let ran = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"))
                .args(["--server", &url, "--token", &secret_for(Role::RentCheck)])
                .arg("rent-check")
                .arg("--in")
                .arg(&in_path)
                .arg("--out")
                .arg(&out_path)
                .output()
                .expect("budgetrad-cli runs")
        })
        .await
        .expect("the CLI ran");
        // The 400 rows with a bad personnummer fail the batch, after every
        // answer is written.
        assert_eq!(ran.status.code(), Some(1));
        let failed = String::from_utf8_lossy(&ran.stderr);
        assert!(
            failed.contains("400 av 2000 rader misslyckades"),
            "{failed}"
        );
        let summary = String::from_utf8_lossy(&ran.stdout).into_owned();
        assert!(
            summary.contains("2000 ansökningar kontrollerade"),
            "{summary}"
        );
        for line in [
            "betald",
            "delvis betald",
            "obetald",
            "inget hyresavtal",
            "fel",
        ] {
            assert!(
                summary.lines().any(|l| l.trim_start().starts_with(line)),
                "{line} missing: {summary}"
            );
        }
        let written = std::fs::read_to_string(&output).expect("the answers");
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 2001, "a header and one row per application");
        assert!(lines[0].starts_with("correlation_id,status,"));
        assert!(lines[1].starts_with("a-1,paid,"), "{}", lines[1]);
        assert!(lines[2].starts_with("a-2,partially_paid,"), "{}", lines[2]);
        // An empty correlation id becomes the line number.
        assert!(lines[4].starts_with("5,no_lease,"), "{}", lines[4]);
        assert!(lines[5].starts_with("a-5,error,"), "{}", lines[5]);
        assert!(!written.contains(&pin), "the personnummer is written out");

        let one = cli_as(
            &app,
            Role::Caseworker,
            &[
                "rent-check",
                "one",
                "--household",
                &t.paid,
                "--application",
                "2026-12",
            ],
        )
        .await;
        assert!(
            one.contains("delvis betald") && one.contains("5 900,00 kr"),
            "{one}"
        );
        // As of a given day; December's rent not yet due says so.
        let then = cli_as(
            &app,
            Role::Caseworker,
            &[
                "rent-check",
                "one",
                "--household",
                &t.paid,
                "--application",
                "2026-12",
                "--as-of",
                "2026-11-10",
            ],
        )
        .await;
        assert!(
            then.contains("11 dagar efter förfallodagen den 2026-11-10"),
            "{then}"
        );
        let early = cli_as(
            &app,
            Role::Caseworker,
            &[
                "rent-check",
                "one",
                "--household",
                &t.unpaid,
                "--application",
                "2027-01",
            ],
        )
        .await;
        assert!(
            early.contains("ej förfallen ännu den 2026-11-22"),
            "{early}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_seeded_municipality_is_checked_in_one_stream() {
    on_each_backend(|app| async move {
        use budgetrad::domain::calendar::YearMonth;
        use budgetrad::store::SeedPlan;
        let plan = SeedPlan {
            households: 60,
            months: 3,
            last_month: YearMonth::parse("2026-10").expect("a month"),
            unpaid_share: 0.25,
            partly_share: 0.25,
            reversal_share: 0.5,
            notice_share: 0.0,
            move_share: 0.0,
            seed: 7,
        };
        let report = app
            .store()
            .seed_municipality(&plan, test_now(), |_| {})
            .await
            .expect("seeded");
        assert_eq!(report.households, 60);
        assert!(report.reversals > 0 && report.receipts > 0, "{report:?}");
        // A second seed would mix with real data: refused.
        assert!(
            app.store()
                .seed_municipality(&plan, test_now(), |_| {})
                .await
                .is_err()
        );

        let mut households = Vec::new();
        let mut token = String::new();
        loop {
            let page = app
                .households()
                .list_households(pb::ListHouseholdsRequest {
                    page_size: 50,
                    page_token: token,
                })
                .await
                .expect("a page")
                .into_inner();
            households.extend(page.households.into_iter().map(|h| h.id));
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        assert_eq!(households.len(), 60);
        let items: Vec<pb::CheckRentPaidStreamRequest> = households
            .iter()
            .flat_map(|h| {
                ["2026-09", "2026-10", "2026-11"].map(|application| {
                    pb::CheckRentPaidStreamRequest {
                        correlation_id: format!("{h}/{application}"),
                        query: Some(by_household(h, application)),
                    }
                })
            })
            .collect();
        let mut answers = checks(&app)
            .check_rent_paid_stream(tokio_stream::iter(items))
            .await
            .expect("a stream")
            .into_inner();
        let mut counts = std::collections::HashMap::new();
        while let Some(answer) = answers.message().await.expect("an answer") {
            match answer.outcome {
                Some(pb::check_rent_paid_stream_response::Outcome::Result(r)) => {
                    *counts.entry(r.status).or_insert(0) += 1;
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(counts.values().sum::<i32>(), 180);
        for status in [Paid, PartiallyPaid, NotPaid] {
            assert!(
                counts.contains_key(&(status as i32)),
                "no {status:?}: {counts:?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn no_rent_is_due_after_a_lease_ended() {
    on_each_backend(|app| async move {
        let mut rent = app.rent();
        let owner = landlord(&mut rent).await;
        let household = crate::leases::household(&app, 41).await;
        let ended = lease(&mut rent, &household, &owner.id).await;
        rent.end_lease(pb::EndLeaseRequest {
            lease_id: ended.id.clone(),
            end_month: "2026-10".into(),
        })
        .await
        .expect("ended");
        let mut client = checks(&app);
        let in_month = |month: &str| pb::RentCheckQuery {
            rent_month: month.into(),
            ..by_household(&household, "2026-12")
        };
        // The last month is due; the month after it has no lease.
        let last = check(&mut client, in_month("2026-10")).await;
        assert_eq!(last.status, NotPaid as i32);
        assert_eq!(last.lease_id, ended.id);
        let after = check(&mut client, in_month("2026-11")).await;
        assert_eq!(after.status, NoLease as i32);
        assert!(after.lease_id.is_empty());
        assert_eq!(amount(&after.rent_due), "<none>");
    })
    .await;
}
