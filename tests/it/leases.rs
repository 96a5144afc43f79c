//! Landlords, leases with their rent history, rent due dates and
//! eviction-risk notices, through the gRPC API.

use pb::MemberRole::Applicant;
use tonic::Code;

use budgetrad::pb;

use crate::helpers::*;

pub type Client = pb::rent_plan_service_client::RentPlanServiceClient<Authed>;

pub fn amount(m: &Option<pb::Money>) -> &str {
    m.as_ref().map(|m| m.amount.as_str()).unwrap_or("<none>")
}

/// A landlord that requires an OCR reference on payouts.
pub async fn landlord(client: &mut Client) -> pb::Landlord {
    landlord_with(client, true).await
}

pub async fn landlord_with(client: &mut Client, requires_ocr: bool) -> pb::Landlord {
    client
        .create_landlord(pb::CreateLandlordRequest {
            landlord: Some(pb::Landlord {
                name: "Exempel Bostäder AB".into(),
                organisation_number: "556677-8899".into(),
                bankgiro: "5050-1055".into(),
                requires_ocr,
                ..Default::default()
            }),
        })
        .await
        .expect("a landlord")
        .into_inner()
        .landlord
        .expect("a landlord")
}

pub async fn household(app: &TestApp, serial: u32) -> String {
    app.households()
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-LEASE".into(),
                members: vec![adult(Applicant, "19800101", serial)],
                ..Default::default()
            }),
        })
        .await
        .expect("created")
        .into_inner()
        .household
        .expect("a household")
        .id
}

pub async fn lease(client: &mut Client, household_id: &str, landlord_id: &str) -> pb::Lease {
    client
        .create_lease(pb::CreateLeaseRequest {
            lease: Some(pb::Lease {
                household_id: household_id.into(),
                landlord_id: landlord_id.into(),
                object_reference: "LGH-1101".into(),
                contract_type: pb::ContractType::FirstHand as i32,
                ..Default::default()
            }),
            start_month: "2025-01".into(),
            monthly_rent: money("7900"),
        })
        .await
        .expect("a lease")
        .into_inner()
        .lease
        .expect("a lease")
}

#[tokio::test]
async fn landlords_and_leases_keep_their_rent_history() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        let l = landlord(&mut client).await;
        assert_eq!(l.bankgiro, "50501055");
        let bad = client
            .create_landlord(pb::CreateLandlordRequest {
                landlord: Some(pb::Landlord {
                    name: "Exempel Fastigheter AB".into(),
                    organisation_number: "556677-8899".into(),
                    bankgiro: "5050-1056".into(),
                    ..Default::default()
                }),
            })
            .await
            .expect_err("a wrong check digit");
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&bad), ["landlord.bankgiro"]);
        let landlords = client
            .list_landlords(pb::ListLandlordsRequest::default())
            .await
            .expect("listed")
            .into_inner()
            .landlords;
        assert_eq!(landlords.len(), 1, "the refused landlord was written");

        let h = household(&app, 301).await;
        let created = lease(&mut client, &h, &l.id).await;
        let changed = client
            .change_lease_rent(pb::ChangeLeaseRentRequest {
                lease_id: created.id.clone(),
                from_month: "2026-07".into(),
                monthly_rent: money("8300"),
            })
            .await
            .expect("changed")
            .into_inner()
            .lease
            .expect("a lease");
        let history: Vec<(&str, &str)> = changed
            .rent_history
            .iter()
            .map(|r| (r.from_month.as_str(), amount(&r.monthly_rent)))
            .collect();
        assert_eq!(history, [("2025-01", "7900.00"), ("2026-07", "8300.00")]);
        // Today (2026-11) is after the increase.
        assert_eq!(amount(&changed.current_rent), "8300.00");

        for (month, field) in [("2024-12", "from_month"), ("2026-07", "from_month")] {
            let refused = client
                .change_lease_rent(pb::ChangeLeaseRentRequest {
                    lease_id: created.id.clone(),
                    from_month: month.into(),
                    monthly_rent: money("9000"),
                })
                .await
                .expect_err("refused");
            assert_eq!(refused.code(), Code::InvalidArgument, "{month}");
            assert_eq!(field_violations(&refused), [field]);
        }
        let unknown_landlord = client
            .create_lease(pb::CreateLeaseRequest {
                lease: Some(pb::Lease {
                    household_id: h.clone(),
                    landlord_id: uuid::Uuid::new_v4().to_string(),
                    object_reference: "LGH-2".into(),
                    contract_type: pb::ContractType::Social as i32,
                    ..Default::default()
                }),
                start_month: "2025-01".into(),
                monthly_rent: money("7000"),
            })
            .await
            .expect_err("no landlord");
        assert_eq!(field_violations(&unknown_landlord), ["lease.landlord_id"]);
        let leases = client
            .list_leases(pb::ListLeasesRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .leases;
        assert_eq!(leases.len(), 1);
        assert_eq!(leases[0].rent_history.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn rent_due_dates_follow_the_swedish_calendar() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        // docs/sources.md §7 examples 8 and 10: the due date, the last day to pay
        // (due date + 1 week, moved to the next vardag by lag 1930:173 2 §) and the
        // first forfeitable day (the day after).
        for (month, due, last_day, forfeitable, moved) in [
            ("2025-03", "2025-02-28", "2025-03-07", "2025-03-08", None),
            // Friday 30 May + 1 week = Friday 6 June, nationaldagen → Monday 9 June.
            (
                "2025-06",
                "2025-05-30",
                "2025-06-09",
                "2025-06-10",
                Some("nationaldagen"),
            ),
            // Tuesday 30 Dec 2025 + 1 week = trettondedag jul → Wednesday 7 January.
            (
                "2026-01",
                "2025-12-30",
                "2026-01-07",
                "2026-01-08",
                Some("trettondedag jul"),
            ),
        ] {
            let r = client
                .get_rent_due_date(pb::GetRentDueDateRequest {
                    month: month.into(),
                })
                .await
                .expect("a due date")
                .into_inner();
            assert_eq!(
                (
                    r.due_date.as_str(),
                    r.last_day_to_pay.as_str(),
                    r.first_forfeitable_date.as_str()
                ),
                (due, last_day, forfeitable),
                "{month}"
            );
            // The deprecated field is still filled, with the first forfeitable day.
            #[allow(deprecated)]
            let old = r.forfeiture_date.clone();
            assert_eq!(old, forfeitable, "{month}");
            assert!(
                r.due_basis
                    .expect("a basis")
                    .source
                    .contains("12 kap. 20 §")
            );
            let basis = r.forfeiture_basis.expect("a basis");
            assert!(basis.source.contains("12 kap. 42 §"), "{basis:?}");
            assert!(basis.source.contains("lag (1930:173) 2 §"), "{basis:?}");
            match moved {
                Some(why) => assert!(
                    basis
                        .arithmetic
                        .contains(&format!("{why} → {last_day}, lag 1930:173 2 §")),
                    "{basis:?}"
                ),
                None => assert!(!basis.arithmetic.contains('→'), "{basis:?}"),
            }
        }
        // The January 2026 basis in full.
        let r = client
            .get_rent_due_date(pb::GetRentDueDateRequest {
                month: "2026-01".into(),
            })
            .await
            .expect("a due date")
            .into_inner();
        assert_eq!(
            r.forfeiture_basis.expect("a basis").arithmetic,
            "2025-12-30 + 1 vecka = 2026-01-06, trettondedag jul → 2026-01-07, lag 1930:173 2 §; \
             förverkad från 2026-01-07 + 1 dag = 2026-01-08"
        );
    })
    .await;
}

#[tokio::test]
async fn notice_deadlines_move_to_the_next_vardag_with_their_basis() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        let l = landlord(&mut client).await;
        let h = household(&app, 304).await;
        let lease = lease(&mut client, &h, &l.id).await;
        let notice = |served: &str| pb::CreateEvictionNoticeRequest {
            notice: Some(pb::EvictionNotice {
                lease_id: lease.id.clone(),
                served_date: served.into(),
                amount_owed: money("7900"),
                ..Default::default()
            }),
        };
        // docs/sources.md §7 example 9, and the Saturday of issue 18.
        for (served, deadline, arithmetic) in [
            (
                "2026-04-23",
                "2026-05-15",
                "2026-04-23 + 3 veckor = 2026-05-14, Kristi himmelsfärdsdag → 2026-05-15, lag 1930:173 2 §",
            ),
            (
                "2026-10-17",
                "2026-11-09",
                "2026-10-17 + 3 veckor = 2026-11-07, lördag → 2026-11-09, lag 1930:173 2 §",
            ),
            // A vardag stays where the count puts it.
            (
                "2026-11-02",
                "2026-11-23",
                "2026-11-02 + 3 veckor = 2026-11-23",
            ),
        ] {
            let created = client
                .create_eviction_notice(notice(served))
                .await
                .expect("recorded")
                .into_inner()
                .notice
                .expect("a notice");
            assert_eq!(created.deadline, deadline, "{served}");
            let basis = created.deadline_basis.clone().expect("a basis");
            assert_eq!(basis.arithmetic, arithmetic);
            assert!(basis.source.contains("12 kap. 44 §"), "{basis:?}");
            assert!(basis.source.contains("lag (1930:173) 2 §"), "{basis:?}");
            // What the store keeps is what was shown: listed again, the same deadline.
            let listed = client
                .list_eviction_notices(pb::ListEvictionNoticesRequest {
                    household_id: h.clone(),
                    ..Default::default()
                })
                .await
                .expect("listed")
                .into_inner()
                .notices;
            let again = listed
                .iter()
                .find(|n| n.id == created.id)
                .expect("the notice is listed");
            assert_eq!(again, &created);
        }
        // Listed by the moved deadline: 15 May, 9 November, 23 November.
        let listed: Vec<String> = client
            .list_eviction_notices(pb::ListEvictionNoticesRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .notices
            .into_iter()
            .map(|n| n.deadline)
            .collect();
        assert_eq!(listed, ["2026-05-15", "2026-11-09", "2026-11-23"]);
    })
    .await;
}

#[tokio::test]
async fn eviction_notices_are_listed_by_deadline_until_resolved() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        let l = landlord(&mut client).await;
        let (h1, h2) = (household(&app, 302).await, household(&app, 303).await);
        let (lease1, lease2) = (
            lease(&mut client, &h1, &l.id).await,
            lease(&mut client, &h2, &l.id).await,
        );
        let notice = |lease_id: &str, served: &str, owed: &str| pb::CreateEvictionNoticeRequest {
            notice: Some(pb::EvictionNotice {
                lease_id: lease_id.into(),
                served_date: served.into(),
                amount_owed: money(owed),
                ..Default::default()
            }),
        };
        let later = client
            .create_eviction_notice(notice(&lease1.id, "2026-11-10", "15800"))
            .await
            .expect("recorded")
            .into_inner()
            .notice
            .expect("a notice");
        assert_eq!(later.deadline, "2026-12-01");
        let sooner = client
            .create_eviction_notice(notice(&lease2.id, "2026-11-02", "7900"))
            .await
            .expect("recorded")
            .into_inner()
            .notice
            .expect("a notice");
        assert_eq!(sooner.deadline, "2026-11-23");

        let bad = client
            .create_eviction_notice(notice(&lease2.id, "2026-12-24", "0"))
            .await
            .expect_err("future and zero");
        assert_eq!(
            field_violations(&bad),
            ["notice.served_date", "notice.amount_owed"]
        );

        let urgent = |include_resolved: bool| pb::ListEvictionNoticesRequest {
            include_resolved,
            page_size: 1,
            ..Default::default()
        };
        // Page by page, soonest deadline first.
        let first = client
            .list_eviction_notices(urgent(false))
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(first.notices[0].id, sooner.id);
        let second = client
            .list_eviction_notices(pb::ListEvictionNoticesRequest {
                page_token: first.next_page_token.clone(),
                ..urgent(false)
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(second.notices[0].id, later.id);

        let resolved = client
            .resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
                id: sooner.id.clone(),
                resolution: pb::NoticeResolution::Paid as i32,
                resolved_date: "2026-11-20".into(),
                note: String::new(),
            })
            .await
            .expect("resolved")
            .into_inner()
            .notice
            .expect("a notice");
        assert_eq!(resolved.resolution, pb::NoticeResolution::Paid as i32);
        let again = client
            .resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
                id: sooner.id.clone(),
                resolution: pb::NoticeResolution::Other as i32,
                ..Default::default()
            })
            .await
            .expect_err("already resolved");
        assert_eq!(again.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&again).as_deref(), Some("NOTICE_RESOLVED"));

        let open = client
            .list_eviction_notices(pb::ListEvictionNoticesRequest::default())
            .await
            .expect("listed")
            .into_inner()
            .notices;
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].id, later.id);
        let all = client
            .list_eviction_notices(pb::ListEvictionNoticesRequest {
                include_resolved: true,
                household_id: h2.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .notices;
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].resolved_date, "2026-11-20");
    })
    .await;
}

/// A rent-arrears plan created on the lease with `terms`, broken after
/// `broken_after_missed` missed instalments (0: the service's default).
pub async fn plan(
    client: &mut Client,
    lease_id: &str,
    terms: Option<pb::PlanTerms>,
    broken_after_missed: i32,
) -> pb::RentPaymentPlan {
    client
        .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: lease_id.into(),
            terms,
            broken_after_missed,
            debt_id: String::new(),
        })
        .await
        .expect("a plan")
        .into_inner()
        .plan
        .expect("a plan")
}

pub fn terms(arrears: &str, start: &str, length: pb::plan_terms::Length) -> Option<pb::PlanTerms> {
    Some(pb::PlanTerms {
        arrears: money(arrears),
        start_month: start.into(),
        length: Some(length),
    })
}

pub fn months(n: i32) -> pb::plan_terms::Length {
    pb::plan_terms::Length::Months(n)
}

fn instalment(amount: &str) -> pb::plan_terms::Length {
    pb::plan_terms::Length::Instalment(pb::Money {
        amount: amount.into(),
    })
}

#[tokio::test]
async fn a_plan_schedules_rent_and_instalments_that_sum_to_the_arrears() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        let l = landlord(&mut client).await;
        let h = household(&app, 304).await;
        let lease = lease(&mut client, &h, &l.id).await;
        client
            .change_lease_rent(pb::ChangeLeaseRentRequest {
                lease_id: lease.id.clone(),
                from_month: "2027-01".into(),
                monthly_rent: money("8100"),
            })
            .await
            .expect("an increase");
        let preview = client
            .preview_rent_payment_plan(pb::PreviewRentPaymentPlanRequest {
                lease_id: lease.id.clone(),
                terms: terms("1000", "2026-11", months(3)),
            })
            .await
            .expect("a preview")
            .into_inner();
        let rows: Vec<(&str, &str, &str, &str)> = preview
            .instalments
            .iter()
            .map(|i| {
                (
                    i.month.as_str(),
                    i.due_date.as_str(),
                    amount(&i.ordinary_rent),
                    amount(&i.instalment),
                )
            })
            .collect();
        // 1 000 / 3 to the öre; the rent rises from January.
        assert_eq!(
            rows,
            [
                ("2026-11", "2026-10-30", "7900.00", "333.34"),
                ("2026-12", "2026-11-30", "7900.00", "333.33"),
                ("2027-01", "2026-12-30", "8100.00", "333.33"),
            ]
        );
        let by_instalment = client
            .preview_rent_payment_plan(pb::PreviewRentPaymentPlanRequest {
                lease_id: lease.id.clone(),
                terms: terms("1000", "2026-11", instalment("300")),
            })
            .await
            .expect("a preview")
            .into_inner();
        let parts: Vec<&str> = by_instalment
            .instalments
            .iter()
            .map(|i| amount(&i.instalment))
            .collect();
        assert_eq!(parts, ["300.00", "300.00", "300.00", "100.00"]);

        // Refused, with the field named, and nothing written.
        for (t, field) in [
            (terms("0", "2026-11", months(3)), "terms.arrears"),
            (terms("1000", "2026-11", months(0)), "terms.months"),
            (
                terms("1000", "2026-11", instalment("1000.01")),
                "terms.instalment",
            ),
            (terms("1000", "2024-12", months(3)), "terms.start_month"),
        ] {
            let refused = client
                .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
                    request_id: uuid::Uuid::new_v4().to_string(),
                    lease_id: lease.id.clone(),
                    terms: t,
                    broken_after_missed: 0,
                    debt_id: String::new(),
                })
                .await
                .expect_err("refused");
            assert_eq!(refused.code(), Code::InvalidArgument, "{field}");
            assert_eq!(field_violations(&refused), [field]);
        }
        let plans = client
            .list_rent_payment_plans(pb::ListRentPaymentPlansRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .plans;
        assert!(plans.is_empty(), "a refused plan was written");
    })
    .await;
}

#[tokio::test]
async fn missed_and_partly_paid_instalments_show_on_every_date() {
    on_each_backend(|app| async move {
        let mut client = app.rent();
        let l = landlord(&mut client).await;
        let h = household(&app, 305).await;
        let lease = lease(&mut client, &h, &l.id).await;
        // Six instalments of 1 000 for August 2026 – January 2027, due
        // 2026-07-31, 08-31, 09-30, 10-30, 11-30, 12-30; three missed break it.
        let plan = plan(
            &mut client,
            &lease.id,
            terms("6000", "2026-08", months(6)),
            3,
        )
        .await;
        let pay = |date: &str, amount: &str| pb::RecordPlanPaymentRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            plan_id: plan.id.clone(),
            date: date.into(),
            amount: money(amount),
        };
        client
            .record_plan_payment(pay("2026-07-30", "1000"))
            .await
            .expect("paid");
        let retry = pay("2026-08-28", "400");
        client
            .record_plan_payment(retry.clone())
            .await
            .expect("part paid");
        // A retried payment is recorded once.
        let after_retry = client
            .record_plan_payment(retry)
            .await
            .expect("replayed")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(after_retry.payments.len(), 2);

        use pb::InstalmentState::{Missed, Paid, PartiallyPaid, Upcoming};
        let on = |date: &'static str| {
            let mut client = client.clone();
            let id = plan.id.clone();
            async move {
                client
                    .get_rent_payment_plan(pb::GetRentPaymentPlanRequest {
                        id,
                        on_date: date.into(),
                    })
                    .await
                    .expect("a plan")
                    .into_inner()
                    .plan
                    .expect("a plan")
            }
        };
        let states = |p: &pb::RentPaymentPlan| -> Vec<(i32, String)> {
            p.instalments
                .iter()
                .map(|i| (i.state, amount(&i.paid).to_owned()))
                .collect()
        };
        let s = |state: pb::InstalmentState, paid: &str| (state as i32, paid.to_owned());

        let before = on("2026-07-15").await;
        assert_eq!(before.state, pb::PlanState::OnTrack as i32);
        assert_eq!(states(&before), vec![s(Upcoming, "0.00"); 6]);

        let between = on("2026-08-29").await;
        assert_eq!(between.state, pb::PlanState::OnTrack as i32);
        assert_eq!(
            states(&between),
            [
                s(Paid, "1000.00"),
                s(PartiallyPaid, "400.00"),
                s(Upcoming, "0.00"),
                s(Upcoming, "0.00"),
                s(Upcoming, "0.00"),
                s(Upcoming, "0.00"),
            ]
        );

        let behind = on("2026-10-15").await;
        assert_eq!(behind.state, pb::PlanState::Behind as i32);
        assert_eq!(
            states(&behind)[..3],
            [s(Paid, "1000.00"), s(Missed, "400.00"), s(Missed, "0.00")]
        );

        let broken = on("2026-11-22").await;
        assert_eq!(broken.state, pb::PlanState::Broken as i32);
        assert_eq!(
            states(&broken),
            [
                s(Paid, "1000.00"),
                s(Missed, "400.00"),
                s(Missed, "0.00"),
                s(Missed, "0.00"),
                s(Upcoming, "0.00"),
                s(Upcoming, "0.00"),
            ]
        );
        assert_eq!(amount(&broken.paid), "1400.00");
        assert_eq!(amount(&broken.outstanding), "4600.00");

        // An overpayment clears the rest and shows as overpaid.
        let done = client
            .record_plan_payment(pay("2026-11-22", "5000"))
            .await
            .expect("paid")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(done.state, pb::PlanState::Completed as i32);
        assert_eq!(amount(&done.overpaid), "400.00");
    })
    .await;
}

#[tokio::test]
async fn the_cli_keeps_leases_plans_and_notices() {
    on_each_backend(|app| async move {
        use crate::debts::cli;
        let json = |text: String| -> serde_json::Value {
            serde_json::from_str(&text).expect("JSON output")
        };
        let h = household(&app, 306).await;
        let landlord = json(
            cli(
                &app,
                &[
                    "--json",
                    "landlords",
                    "add",
                    "--name",
                    "Exempel Bostäder AB",
                    "--org-number",
                    "556677-8899",
                    "--plusgiro",
                    "28650-0",
                ],
            )
            .await,
        );
        let landlord_id = landlord["id"].as_str().expect("an id").to_owned();
        let lease = json(
            cli(
                &app,
                &[
                    "--json",
                    "leases",
                    "add",
                    &h,
                    "--landlord",
                    &landlord_id,
                    "--object",
                    "LGH-1201",
                    "--type",
                    "social",
                    "--start",
                    "2026-01",
                    "--rent",
                    "7900",
                ],
            )
            .await,
        );
        let lease_id = lease["id"].as_str().expect("an id").to_owned();
        assert_eq!(lease["contract_type"], "social");
        let due = cli(&app, &["rent-due", "2025-06"]).await;
        assert!(due.contains("2025-05-30"), "{due}");
        assert!(due.contains("Sista dag att betala: 2025-06-09"), "{due}");
        assert!(
            due.contains("Hyresrätten kan förverkas från: 2025-06-10"),
            "{due}"
        );
        let due = json(cli(&app, &["--json", "rent-due", "2026-01"]).await);
        assert_eq!(due["last_day_to_pay"], "2026-01-07");
        assert_eq!(due["first_forfeitable_date"], "2026-01-08");
        let plan = json(
            cli(
                &app,
                &[
                    "--json",
                    "plans",
                    "create",
                    &lease_id,
                    "--arrears",
                    "3000",
                    "--start",
                    "2026-10",
                    "--months",
                    "3",
                ],
            )
            .await,
        );
        let plan_id = plan["id"].as_str().expect("an id").to_owned();
        cli(
            &app,
            &[
                "plans",
                "pay",
                &plan_id,
                "--amount",
                "1000",
                "--date",
                "2026-09-28",
            ],
        )
        .await;
        let shown = cli(&app, &["plans", "show", &plan_id, "--on", "2026-11-01"]).await;
        assert!(shown.contains("betald"), "{shown}");
        assert!(shown.contains("missad"), "{shown}");
        cli(
            &app,
            &[
                "notices",
                "add",
                &lease_id,
                "--served",
                "2026-11-02",
                "--owed",
                "7900",
            ],
        )
        .await;
        let urgent = json(cli(&app, &["--json", "notices", "list"]).await);
        assert_eq!(urgent[0]["deadline"], "2026-11-23");
        // A deadline that falls on a holiday shows the move and its law.
        let moved = cli(
            &app,
            &[
                "notices",
                "add",
                &lease_id,
                "--served",
                "2026-04-23",
                "--owed",
                "7900",
            ],
        )
        .await;
        assert!(moved.contains("Sista dag att betala: 2026-05-15"), "{moved}");
        assert!(
            moved.contains(
                "2026-04-23 + 3 veckor = 2026-05-14, Kristi himmelsfärdsdag → 2026-05-15, lag 1930:173 2 §"
            ),
            "{moved}"
        );
    })
    .await;
}
