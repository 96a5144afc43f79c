//! The monthly follow-up (issue 22): a seeded municipality's figures
//! against the same definitions computed independently (`expected.rs`),
//! small cells suppressed on the wire, roles and units, and ending a lease.

mod expected;

use std::sync::Arc;

use budgetrad::domain::calendar::YearMonth;
use budgetrad::domain::unit::Units;
use budgetrad::grpc::auth::{Role, TokenEntry, TokenStore, Tokens, hash_secret};
use budgetrad::pb;
use budgetrad::store::SeedPlan;
use tonic::Code;

use crate::helpers::*;
use expected::{Figures, Tables};

type Client = pb::follow_up_service_client::FollowUpServiceClient<Authed>;

const UNIT_B: &str = "ifo-b";
const STATS_B: &str = "statistics-of-unit-b";

fn tokens() -> Arc<Tokens> {
    let mut file = test_token_file();
    file.tokens.push(TokenEntry {
        name: "statistics-b".into(),
        sha256: hash_secret(STATS_B),
        roles: vec![Role::Statistics],
        units: Units::parse(&[UNIT_B]),
        expires_at: None,
        signature: None,
    });
    Tokens::fixed(TokenStore::from_file(file))
}

fn client(app: &TestApp, secret: &str) -> Client {
    pb::follow_up_service_client::FollowUpServiceClient::with_interceptor(
        app.channel(),
        Bearer::new(secret),
    )
}

fn seed_plan() -> SeedPlan {
    SeedPlan {
        households: 500,
        months: 6,
        last_month: YearMonth::parse("2026-10").expect("a month"),
        unpaid_share: 0.1,
        partly_share: 0.1,
        reversal_share: 0.05,
        notice_share: 0.3,
        move_share: 0.3,
        seed: 22,
    }
}

/// The measures of a month as the wire gave them, checked for no small
/// cell, as (value, cases) by (code, dimension).
fn published(month: &pb::MonthlyFollowUp) -> Figures {
    let mut out = Figures::new();
    for m in &month.measures {
        assert!(!m.definition.is_empty(), "{} has its definition", m.code);
        if m.suppressed {
            assert!(
                m.value.is_empty() && m.cases == 0,
                "a suppressed cell carries nothing: {m:?}"
            );
        } else {
            assert!(m.cases >= 5, "no figure on fewer than 5 cases: {m:?}");
        }
        let old = out.insert(
            (m.code.clone(), m.dimension.clone()),
            (m.value.clone(), m.cases),
        );
        assert!(old.is_none(), "{} {} once", m.code, m.dimension);
    }
    out
}

/// What the wire must say for `expected`: small cells suppressed.
fn suppressed(expected: Figures) -> Figures {
    expected
        .into_iter()
        .map(|(key, (value, cases))| {
            if cases < 5 {
                (key, (String::new(), 0))
            } else {
                (key, (value, cases))
            }
        })
        .collect()
}

#[tokio::test]
async fn a_seeded_municipalitys_figures_match_an_independent_count() {
    for backend in backends() {
        let app = TestApp::builder(backend).tokens(tokens()).spawn().await;
        let plan = seed_plan();
        let report = app
            .store()
            .seed_municipality(&plan, test_now(), |_| {})
            .await
            .expect("seeded");
        assert!(
            report.notices > 0 && report.plans > 0 && report.moves > 0,
            "{report:?}"
        );
        // A fifth of the households to unit B, for the scoped caller.
        app.execute_sql(
            "UPDATE households SET unit = 'ifo-b' WHERE case_reference LIKE '%0' \
             OR case_reference LIKE '%5'",
        )
        .await
        .expect("moved");
        let today = test_now().date_naive();
        let all = Tables::read(app.store().pool(), None).await;
        let listed = client(&app, &secret_for(Role::Auditor))
            .list_monthly_follow_up(pb::ListMonthlyFollowUpRequest {
                from_month: "2026-05".into(),
                to_month: "2026-10".into(),
                unit: String::new(),
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(listed.months.len(), 6);
        let mut shown = 0;
        for month in &listed.months {
            let ym = YearMonth::parse(&month.month).expect("a month");
            let got = published(month);
            let want = suppressed(all.figures(ym, today));
            assert_eq!(got, want, "{backend:?} {}", month.month);
            shown += got.values().filter(|(v, _)| !v.is_empty()).count();
        }
        assert!(shown > 100, "most figures are shown: {shown}");

        // The CLI: a Swedish table fitting 100 columns, and CSV with the
        // same small cells, for the same figures.
        let dir = tempfile::tempdir().expect("a directory");
        let csv_path = dir.path().join("uppfoljning.csv");
        // (An auditor without units sees all; a statistics token without
        // units would see only the default unit.)
        let table = crate::debts::cli_as(
            &app,
            Role::Auditor,
            &[
                "follow-up",
                "2026-09",
                "--to",
                "2026-10",
                "--csv",
                csv_path.to_str().expect("a path"),
            ],
        )
        .await;
        assert!(table.contains("Uppföljning 2026-09"), "{table}");
        assert!(table.contains("Underrättelser mottagna"), "{table}");
        assert!(table.contains("<5"), "{table}");
        assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
        let written = std::fs::read_to_string(&csv_path).expect("the CSV");
        let mut reader = csv::Reader::from_reader(written.as_bytes());
        let mut rows = 0;
        for record in reader.records() {
            let record = record.expect("a CSV row");
            let ym = YearMonth::parse(&record[0]).expect("a month");
            let want = suppressed(all.figures(ym, today));
            let (value, cases) = &want[&(record[2].to_owned(), record[3].to_owned())];
            if value.is_empty() {
                assert_eq!((&record[4], &record[5]), ("<5", ""), "{record:?}");
            } else {
                assert_eq!(
                    (&record[4], &record[5]),
                    (value.as_str(), cases.to_string().as_str())
                );
            }
            rows += 1;
        }
        assert_eq!(rows, 2 * listed.months[0].measures.len());

        // The steering group's report: PDF/A with a chart per measure over
        // the twelve months to 2026-10, its twin holding the same figures
        // as the list, small cells without value; through the CLI too.
        let pdf_path = dir.path().join("uppfoljning.pdf");
        let twin_path = dir.path().join("uppfoljning.json");
        let said = crate::debts::cli_as(
            &app,
            Role::Auditor,
            &[
                "follow-up",
                "2026-10",
                "--pdf",
                pdf_path.to_str().expect("a path"),
                "--pdf-json",
                twin_path.to_str().expect("a path"),
            ],
        )
        .await;
        assert!(said.contains("Rapporten (tolv månader"), "{said}");
        let pdf = std::fs::read(&pdf_path).expect("the report");
        assert!(crate::documents::is_pdf_a_2b(&pdf));
        let text = crate::documents::text_of(&pdf);
        let twin: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&twin_path).expect("the twin")).expect("JSON");
        assert_eq!(twin["kind"], "MONTHLY_FOLLOW_UP_REPORT");
        let id = twin["document_id"].as_str().expect("an id");
        assert!(!crate::documents::has_uuid(&text.replace(id, "")), "{text}");
        for words in [
            "Månadsuppföljning november 2025 – oktober 2026",
            "Underrättelser mottagna",
            "Boendetid i månader, median",
            "<5",
            "okt",
        ] {
            assert!(text.contains(words), "{words} in {text}");
        }
        let blocks = twin["letters"][0]["blocks"].as_array().expect("blocks");
        let charts = blocks
            .iter()
            .find(|b| b["type"] == "charts")
            .and_then(|b| b["charts"].as_array())
            .expect("charts");
        assert_eq!(charts.len(), listed.months[0].measures.len());
        for chart in charts {
            let bars = chart["bars"].as_array().expect("bars");
            assert_eq!(bars.len(), 12);
            assert_eq!(bars[0]["month"], "2025-11");
            let key = (
                chart["code"].as_str().expect("code").to_owned(),
                chart["dimension"].as_str().expect("dimension").to_owned(),
            );
            for (bar, month) in bars[6..].iter().zip(&listed.months) {
                assert_eq!(bar["month"].as_str(), Some(month.month.as_str()));
                let (value, _) = &published(month)[&key];
                let want = (!value.is_empty()).then_some(value.as_str());
                assert_eq!(bar["value"].as_str(), want, "{key:?} {}", month.month);
                assert_eq!(bar["text"] == "<5", want.is_none(), "{key:?}");
                let percent = bar["percent"].as_u64().expect("a percent");
                assert!(percent <= 100);
            }
            // The tallest shown bar of a chart with any figure above zero
            // reaches the top.
            let any = bars.iter().any(|b| {
                b["value"]
                    .as_str()
                    .is_some_and(|v| !v.trim_matches(['0', '.']).is_empty())
            });
            let top = bars.iter().any(|b| b["percent"] == 100);
            assert_eq!(any, top, "{key:?}");
        }
        let rows = all_events(
            &app,
            pb::ListAuditEventsRequest {
                method: "budgetrad.v1.FollowUpService/RenderFollowUpReport".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(rows[0].household_id.is_empty());
        assert!(
            rows[0].records.contains(&format!("document:{id}")),
            "{rows:?}"
        );

        // The statistics role of unit B sees unit B's figures only.
        let b = Tables::read(app.store().pool(), Some(&[UNIT_B])).await;
        let month = YearMonth::parse("2026-09").expect("a month");
        let mut stats = client(&app, STATS_B);
        for unit in ["", UNIT_B] {
            let got = stats
                .get_monthly_follow_up(pb::GetMonthlyFollowUpRequest {
                    month: "2026-09".into(),
                    unit: unit.into(),
                })
                .await
                .expect("unit B's month")
                .into_inner()
                .follow_up
                .expect("a month");
            assert_eq!(got.unit, unit);
            assert_eq!(published(&got), suppressed(b.figures(month, today)));
        }
        let refused = stats
            .get_monthly_follow_up(pb::GetMonthlyFollowUpRequest {
                month: "2026-09".into(),
                unit: "ifo".into(),
            })
            .await
            .expect_err("another unit");
        assert_eq!(refused.code(), Code::PermissionDenied);
        assert_eq!(
            error_reason(&refused).as_deref(),
            Some("UNIT_NOT_PERMITTED")
        );
    }
}

#[tokio::test]
async fn only_the_auditor_and_statistics_roles_read_the_follow_up() {
    on_each_backend(|app| async move {
        for role in Role::ALL {
            let result = client(&app, &secret_for(*role))
                .get_monthly_follow_up(pb::GetMonthlyFollowUpRequest {
                    month: "2026-10".into(),
                    unit: String::new(),
                })
                .await;
            match role {
                Role::Auditor | Role::Statistics => {
                    let month = result
                        .expect("allowed")
                        .into_inner()
                        .follow_up
                        .expect("a month");
                    // An empty municipality: every cell is small.
                    assert!(
                        month
                            .measures
                            .iter()
                            .all(|m| m.suppressed && m.value.is_empty())
                    );
                }
                _ => assert_eq!(
                    result.expect_err("refused").code(),
                    Code::PermissionDenied,
                    "{role:?}"
                ),
            }
        }
        let mut auditor = client(&app, &secret_for(Role::Auditor));
        let bad = auditor
            .list_monthly_follow_up(pb::ListMonthlyFollowUpRequest {
                from_month: "2024-01".into(),
                to_month: "2026-01".into(),
                unit: "IFO".into(),
            })
            .await
            .expect_err("too long, bad unit");
        assert_eq!(bad.code(), Code::InvalidArgument);
        let fields = field_violations(&bad);
        assert!(
            fields.iter().any(|f| f.starts_with("to_month")),
            "{fields:?}"
        );
        assert!(fields.iter().any(|f| f.starts_with("unit")), "{fields:?}");
        // Each read leaves an audit row naming no household.
        let rows = all_events(
            &app,
            pb::ListAuditEventsRequest {
                method: "budgetrad.v1.FollowUpService/GetMonthlyFollowUp".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows.iter().all(|r| r.household_id.is_empty()));
    })
    .await;
}

#[tokio::test]
async fn a_lease_ends_once_and_not_before_it_starts() {
    on_each_backend(|app| async move {
        let mut rent = app.rent();
        let landlord = crate::leases::landlord(&mut rent).await;
        let household = crate::leases::household(&app, 31).await;
        let lease = crate::leases::lease(&mut rent, &household, &landlord.id).await;
        let early = rent
            .end_lease(pb::EndLeaseRequest {
                lease_id: lease.id.clone(),
                end_month: "2024-12".into(),
            })
            .await
            .expect_err("before the start");
        assert_eq!(early.code(), Code::InvalidArgument);
        let ended = rent
            .end_lease(pb::EndLeaseRequest {
                lease_id: lease.id.clone(),
                end_month: "2026-06".into(),
            })
            .await
            .expect("ended")
            .into_inner()
            .lease
            .expect("a lease");
        assert_eq!(ended.end_month, "2026-06");
        let again = rent
            .end_lease(pb::EndLeaseRequest {
                lease_id: lease.id.clone(),
                end_month: "2026-07".into(),
            })
            .await
            .expect_err("ended once");
        assert_eq!(error_reason(&again).as_deref(), Some("LEASE_ENDED"));
        let shown = rent
            .get_lease(pb::GetLeaseRequest {
                id: lease.id.clone(),
            })
            .await
            .expect("read")
            .into_inner()
            .lease
            .expect("a lease");
        assert_eq!(shown.end_month, "2026-06");
        // The database refuses what the API refuses.
        assert!(
            app.execute_sql("UPDATE leases SET end_month = '2026-08'")
                .await
                .is_err()
        );
        assert!(
            app.execute_sql("UPDATE leases SET end_month = NULL")
                .await
                .is_err()
        );
        let rows = all_events(
            &app,
            pb::ListAuditEventsRequest {
                method: "budgetrad.v1.RentPlanService/EndLease".into(),
                outcome: "OK".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].household_id, household);
        assert_eq!(rows[0].records, vec![format!("lease:{}", lease.id)]);
    })
    .await;
}
