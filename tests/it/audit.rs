//! The audit trail: a scripted session over three households leaves exactly
//! the expected records, the auditor reads them filtered and paginated, and
//! the database itself refuses to change them.

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::store::Backend;
use pb::MemberRole::{Applicant, Partner};
use tonic::Code;

use crate::budgets::sample_budget;
use crate::helpers::*;

const CASEWORKER: &str = "test-caseworker";
const COUNSELLOR: &str = "test-counsellor";
const ALL: &str = "test-all";

/// One expected record: caller, role, method (after the package), household
/// (None for "no household"), outcome.
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Option<String>,
    &'static str,
);

fn household(members: Vec<pb::Member>) -> pb::CreateHouseholdRequest {
    pb::CreateHouseholdRequest {
        household: Some(pb::Household {
            case_reference: "TEST-AUDIT".into(),
            members,
            ..Default::default()
        }),
    }
}

fn as_expected(events: &[pb::AuditEvent]) -> Vec<(String, String, String, Option<String>, String)> {
    events
        .iter()
        .map(|e| {
            (
                e.caller.clone(),
                e.role.clone(),
                e.method
                    .strip_prefix("budgetrad.v1.")
                    .unwrap_or(&e.method)
                    .to_owned(),
                (!e.household_id.is_empty()).then(|| e.household_id.clone()),
                e.outcome.clone(),
            )
        })
        .collect()
}

fn owned(expected: &[Expected]) -> Vec<(String, String, String, Option<String>, String)> {
    expected
        .iter()
        .map(|(c, r, m, h, o)| {
            (
                (*c).to_owned(),
                (*r).to_owned(),
                (*m).to_owned(),
                h.clone(),
                (*o).to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_scripted_session_leaves_exactly_the_expected_records() {
    on_each_backend(|app| async move {
        let mut caseworker = app.households_as(Some(&secret_for(Role::Caseworker)));
        let mut counsellor = app.households_as(Some(&secret_for(Role::Counsellor)));
        let mut budgets = app.budgets_as(Some(&secret_for(Role::Caseworker)));
        let pin1 = synthetic_pin("19800101", 101);

        // 1–3: three households created by a caseworker.
        let mut ids = Vec::new();
        for members in [
            vec![adult(Applicant, "19800101", 101)],
            vec![
                adult(Applicant, "19810202", 102),
                adult(Partner, "19820303", 103),
            ],
            vec![adult(Applicant, "19830404", 104)],
        ] {
            let h = caseworker
                .create_household(household(members))
                .await
                .expect("created")
                .into_inner()
                .household
                .expect("a household");
            ids.push(h);
        }
        let (h1, h2, h3) = (ids[0].clone(), ids[1].clone(), ids[2].clone());

        // 4: a counsellor reads household 1.
        counsellor
            .get_household(pb::GetHouseholdRequest { id: h1.id.clone() })
            .await
            .expect("read");
        // 5: an update of household 2 on a stale revision fails…
        let mut stale = h2.clone();
        stale.revision = 7;
        let aborted = counsellor
            .update_household(pb::UpdateHouseholdRequest {
                household: Some(stale),
            })
            .await
            .expect_err("stale");
        assert_eq!(aborted.code(), Code::Aborted);
        // 6: …and on the current one succeeds.
        counsellor
            .update_household(pb::UpdateHouseholdRequest {
                household: Some(pb::Household {
                    case_reference: "TEST-AUDIT-2".into(),
                    ..h2.clone()
                }),
            })
            .await
            .expect("updated");
        // 7: a budget saved for household 3, then 8: its budgets listed.
        budgets
            .create_budget(pb::CreateBudgetRequest {
                household_id: h3.id.clone(),
                month: "2026-03".into(),
                incomes: sample_budget().incomes,
                expenses: sample_budget().expenses,
            })
            .await
            .expect("saved");
        budgets
            .list_budgets(pb::ListBudgetsRequest {
                household_id: h3.id.clone(),
                ..Default::default()
            })
            .await
            .expect("listed");
        // 9: a lookup by personnummer finds household 1; 10: one finds none.
        counsellor
            .lookup_household(pb::LookupHouseholdRequest {
                personal_identity_number: pin1,
            })
            .await
            .expect("found");
        let missing = counsellor
            .lookup_household(pb::LookupHouseholdRequest {
                personal_identity_number: synthetic_pin("19900909", 109),
            })
            .await
            .expect_err("nobody");
        assert_eq!(missing.code(), Code::NotFound);
        // 11–12: a page of two households read with an all-roles token: the
        // role recorded is the first of the method's roles it holds.
        app.households_as(Some(ALL_ROLES_SECRET))
            .list_households(pb::ListHouseholdsRequest {
                page_size: 2,
                page_token: String::new(),
            })
            .await
            .expect("listed");

        // Not recorded: no household data was reached.
        let malformed = counsellor
            .get_household(pb::GetHouseholdRequest {
                id: "not-an-id".into(),
            })
            .await
            .expect_err("malformed");
        assert_eq!(malformed.code(), Code::InvalidArgument);
        let refused = app
            .households_as(Some(&secret_for(Role::RentCheck)))
            .get_household(pb::GetHouseholdRequest { id: h1.id.clone() })
            .await
            .expect_err("wrong role");
        assert_eq!(refused.code(), Code::PermissionDenied);
        app.budgets()
            .calculate_budget(sample_budget())
            .await
            .expect("a stateless calculation");

        let h = |h: &pb::Household| Some(h.id.clone());
        let expected: Vec<Expected> = vec![
            (
                CASEWORKER,
                "caseworker",
                "HouseholdService/CreateHousehold",
                h(&h1),
                "OK",
            ),
            (
                CASEWORKER,
                "caseworker",
                "HouseholdService/CreateHousehold",
                h(&h2),
                "OK",
            ),
            (
                CASEWORKER,
                "caseworker",
                "HouseholdService/CreateHousehold",
                h(&h3),
                "OK",
            ),
            (
                COUNSELLOR,
                "counsellor",
                "HouseholdService/GetHousehold",
                h(&h1),
                "OK",
            ),
            (
                COUNSELLOR,
                "counsellor",
                "HouseholdService/UpdateHousehold",
                h(&h2),
                "ABORTED",
            ),
            (
                COUNSELLOR,
                "counsellor",
                "HouseholdService/UpdateHousehold",
                h(&h2),
                "OK",
            ),
            (
                CASEWORKER,
                "caseworker",
                "BudgetService/CreateBudget",
                h(&h3),
                "OK",
            ),
            (
                CASEWORKER,
                "caseworker",
                "BudgetService/ListBudgets",
                h(&h3),
                "OK",
            ),
            (
                COUNSELLOR,
                "counsellor",
                "HouseholdService/LookupHousehold",
                h(&h1),
                "OK",
            ),
            (
                COUNSELLOR,
                "counsellor",
                "HouseholdService/LookupHousehold",
                None,
                "NOT_FOUND",
            ),
            (
                ALL,
                "counsellor",
                "HouseholdService/ListHouseholds",
                h(&h1),
                "OK",
            ),
            (
                ALL,
                "counsellor",
                "HouseholdService/ListHouseholds",
                h(&h2),
                "OK",
            ),
        ];

        // Everything, in pages of three.
        let events = all_events(
            &app,
            pb::ListAuditEventsRequest {
                page_size: 3,
                ..Default::default()
            },
        )
        .await;
        assert_eq!(as_expected(&events), owned(&expected));
        let sequences: Vec<i64> = events.iter().map(|e| e.sequence).collect();
        assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");
        let now = budgetrad::grpc::convert::timestamp(test_now());
        assert!(events.iter().all(|e| e.time == Some(now)));

        // Filtered: one household, one caller, one outcome, a time window.
        let for_h2 = all_events(
            &app,
            pb::ListAuditEventsRequest {
                household_id: h2.id.clone(),
                ..Default::default()
            },
        )
        .await;
        let want: Vec<Expected> = expected.iter().filter(|e| e.3 == h(&h2)).cloned().collect();
        assert_eq!(as_expected(&for_h2), owned(&want));
        let by_caseworker = all_events(
            &app,
            pb::ListAuditEventsRequest {
                caller: CASEWORKER.into(),
                method: "budgetrad.v1.BudgetService/CreateBudget".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(as_expected(&by_caseworker), owned(&expected[6..7]));
        let failures = all_events(
            &app,
            pb::ListAuditEventsRequest {
                outcome: "NOT_FOUND".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(as_expected(&failures), owned(&expected[9..10]));
        let later = budgetrad::grpc::convert::timestamp(test_now() + chrono::Duration::seconds(1));
        let after_now = all_events(
            &app,
            pb::ListAuditEventsRequest {
                start_time: Some(later),
                ..Default::default()
            },
        )
        .await;
        assert!(after_now.is_empty());
        let window = all_events(
            &app,
            pb::ListAuditEventsRequest {
                start_time: Some(now),
                end_time: Some(later),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(window.len(), expected.len());

        // Bad filters are named.
        let bad = app
            .audit()
            .list_audit_events(pb::ListAuditEventsRequest {
                household_id: "nope".into(),
                outcome: "FINE".into(),
                start_time: Some(later),
                end_time: Some(now),
                page_token: "x".into(),
                ..Default::default()
            })
            .await
            .expect_err("bad filters");
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert_eq!(
            field_violations(&bad),
            ["household_id", "outcome", "end_time", "page_token"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_audit_records() {
    on_each_backend(|app| async move {
        app.households()
            .create_household(household(vec![adult(Applicant, "19800101", 101)]))
            .await
            .expect("created");
        let before = all_events(&app, Default::default()).await;
        assert_eq!(before.len(), 1);

        let update = app
            .execute_sql("UPDATE audit_events SET outcome = 'INTERNAL'")
            .await;
        assert!(update.is_err(), "UPDATE was allowed: {update:?}");
        // The columns added later are under the same triggers.
        for sql in [
            "UPDATE audit_events SET replay = 1",
            "UPDATE audit_events SET records = ''",
        ] {
            let update = app.execute_sql(sql).await;
            assert!(update.is_err(), "{sql} was allowed: {update:?}");
        }
        let delete = app.execute_sql("DELETE FROM audit_events").await;
        assert!(delete.is_err(), "DELETE was allowed: {delete:?}");
        if app.backend() == Backend::Postgres {
            let truncate = app.execute_sql("TRUNCATE audit_events").await;
            assert!(truncate.is_err(), "TRUNCATE was allowed: {truncate:?}");
        }
        // Appending still works, and nothing changed.
        app.execute_sql(
            "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome) \
             VALUES ('2026-11-22T10:00:01.000000Z', 'sql', 'admin', 'manual', NULL, 'OK')",
        )
        .await
        .expect("an INSERT is allowed");
        let after = all_events(&app, Default::default()).await;
        assert_eq!(after[..1], before[..]);
        assert_eq!(after.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn only_auditors_read_the_trail() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for role in Role::ALL {
        let result = app
            .audit_as(Some(&secret_for(*role)))
            .list_audit_events(pb::ListAuditEventsRequest::default())
            .await;
        match role {
            Role::Auditor => {
                result.expect("the auditor reads");
            }
            _ => assert_eq!(
                result.expect_err("not an auditor").code(),
                Code::PermissionDenied,
                "{}",
                role.as_str()
            ),
        }
    }
}

#[tokio::test]
async fn the_cli_shows_the_trail() {
    on_each_backend(|app| async move {
        let h = app
            .households()
            .create_household(household(vec![adult(Applicant, "19800101", 101)]))
            .await
            .expect("created")
            .into_inner()
            .household
            .expect("a household");
        let (view, text) = audit_list(&app, &["--household", &h.id, "--since", "2026-11-22"]).await;
        let events = view["events"].as_array().expect("events");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["household_id"], h.id.as_str());
        assert_eq!(events[0]["caller"], CASEWORKER);
        assert_eq!(events[0]["outcome"], "OK");
        assert_eq!(events[0]["time"], "2026-11-22T10:00:00Z");
        // Swedish civil time with its zone, kept on one line; the method.
        assert!(text.contains("CreateHousehold"), "{text}");
        assert!(text.contains("2026-11-22 11:00 CET"), "{text}");
    })
    .await;
}

/// `budgetrad-cli audit list` with `args`, as an auditor: its `--json`
/// output parsed, and its table.
pub async fn audit_list(app: &TestApp, args: &[&str]) -> (serde_json::Value, String) {
    let url = app.url();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let run = move |json: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"));
        command.args(["--server", &url, "--token", &secret_for(Role::Auditor)]);
        if json {
            command.arg("--json");
        }
        command.args(["audit", "list"]).args(&args);
        command.output().expect("budgetrad-cli runs")
    };
    let (json, text) = tokio::task::spawn_blocking(move || (run(true), run(false)))
        .await
        .expect("the CLI ran");
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let view = serde_json::from_slice(&json.stdout).expect("JSON output");
    (view, String::from_utf8_lossy(&text.stdout).into_owned())
}

#[tokio::test]
async fn reading_the_trail_is_audited() {
    on_each_backend(|app| async move {
        let created = app
            .households()
            .create_household(household(vec![adult(Applicant, "19800101", 101)]))
            .await
            .expect("created")
            .into_inner();
        let household_id = created.household.expect("the household").id;
        let record_id = "0193a7c0-0000-7000-8000-000000000001".to_owned();
        // Read the trail three ways: unfiltered, by household, by record.
        for request in [
            pb::ListAuditEventsRequest::default(),
            pb::ListAuditEventsRequest {
                household_id: household_id.clone(),
                ..Default::default()
            },
            pb::ListAuditEventsRequest {
                record_id: record_id.clone(),
                ..Default::default()
            },
        ] {
            app.audit().list_audit_events(request).await.expect("read");
        }
        // A refused read (a bad filter) is recorded with its outcome.
        let bad = app
            .audit()
            .list_audit_events(pb::ListAuditEventsRequest {
                outcome: "FINE".into(),
                ..Default::default()
            })
            .await
            .expect_err("a bad filter");
        assert_eq!(bad.code(), Code::InvalidArgument);

        let reads = all_rows(
            &app,
            pb::ListAuditEventsRequest {
                method: AUDIT_READ.into(),
                ..Default::default()
            },
        )
        .await;
        let seen: Vec<(String, String, String, Vec<String>)> = reads
            .iter()
            .take(4)
            .map(|e| {
                assert_eq!(e.household_id, "", "an audit read names no household");
                (
                    e.caller.clone(),
                    e.role.clone(),
                    e.outcome.clone(),
                    e.records.clone(),
                )
            })
            .collect();
        let row = |outcome: &str, records: Vec<String>| {
            (
                "test-auditor".to_owned(),
                "auditor".to_owned(),
                outcome.to_owned(),
                records,
            )
        };
        assert_eq!(
            seen,
            vec![
                row("OK", vec![]),
                row("OK", vec![format!("household:{household_id}")]),
                row("OK", vec![format!("record:{record_id}")]),
                row("INVALID_ARGUMENT", vec![]),
            ]
        );
        // Who read one household's trail: the record filter finds it.
        let about = all_rows(
            &app,
            pb::ListAuditEventsRequest {
                record_id: household_id.clone(),
                ..Default::default()
            },
        )
        .await;
        assert!(
            about.iter().any(|e| e.method == AUDIT_READ
                && e.records == vec![format!("household:{household_id}")]),
            "{about:?}"
        );
    })
    .await;
}
