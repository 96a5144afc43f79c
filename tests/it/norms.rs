//! Norm tables through the gRPC API: the shipped tables, imports by an
//! operator (validated, versioned, recorded with who loaded them), and their
//! effect on calculations.

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use pb::MemberRole::{Applicant, Child};
use tonic::Code;

use crate::budgets::sample_budget;
use crate::helpers::*;

pub(crate) fn rows(pairs: &[(&str, &str)]) -> Vec<pb::NormTableRow> {
    pairs
        .iter()
        .map(|(k, v)| pb::NormTableRow {
            key: (*k).into(),
            value: (*v).into(),
            label: String::new(),
        })
        .collect()
}

/// A riksnorm table for a test year: round figures, clearly not real ones.
pub(crate) fn test_riksnorm(id: &str, year: i32, status: pb::TableStatus) -> pb::NormTable {
    let mut r = vec![
        ("child_0", "1000"),
        ("child_1_2", "1100"),
        ("child_3", "1200"),
        ("child_4_6", "1300"),
        ("child_7_10", "1400"),
        ("child_11_14", "1500"),
        ("child_15_18", "1600"),
        ("child_19_20", "1700"),
        ("single_adult", "3000"),
        ("cohabiting_pair", "5000"),
        ("shared_1", "1000"),
        ("shared_2", "1100"),
        ("shared_3", "1200"),
        ("shared_4", "1300"),
        ("shared_5", "1400"),
        ("shared_6", "1500"),
        ("shared_7", "1600"),
    ];
    r.sort();
    pb::NormTable {
        id: id.into(),
        kind: pb::NormTableKind::Riksnorm as i32,
        valid_from: format!("{year}-01-01"),
        valid_to: format!("{year}-12-31"),
        status: status as i32,
        source: "test figures, not real".into(),
        rows: rows(&r),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_shipped_tables_are_listed_with_their_sources() {
    on_each_backend(|app| async move {
        let mut client = app.norms();
        let all = client
            .list_norm_tables(pb::ListNormTablesRequest::default())
            .await
            .expect("listed")
            .into_inner();
        let ids: Vec<&str> = all.norm_tables.iter().map(|t| t.id.as_str()).collect();
        for id in [
            "riksnorm-2023",
            "riksnorm-2024",
            "riksnorm-2025",
            "riksnorm-2026",
            "normalbelopp-2023",
            "normalbelopp-2024",
            "normalbelopp-2026",
            "referensranta-2023-07",
            "referensranta-2026-01",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        assert!(
            !ids.iter().any(|id| id.starts_with("normalbelopp-2025")),
            "2025 is NOT FOUND in the sources"
        );
        let nb2026 = all
            .norm_tables
            .iter()
            .find(|t| t.id == "normalbelopp-2026")
            .unwrap();
        assert_eq!(nb2026.status, pb::TableStatus::Provisional as i32);
        assert!(
            all.norm_tables
                .iter()
                .all(|t| !t.source.is_empty() && t.rows.is_empty())
        );

        let in_force = client
            .list_norm_tables(pb::ListNormTablesRequest {
                kind: pb::NormTableKind::Referensranta as i32,
                in_force_on: "2025-08-15".into(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(in_force.norm_tables.len(), 1);
        assert_eq!(in_force.norm_tables[0].id, "referensranta-2025-07");

        let table = client
            .get_norm_table(pb::GetNormTableRequest {
                id: "riksnorm-2026".into(),
                version: 0,
            })
            .await
            .expect("got")
            .into_inner()
            .norm_table
            .expect("a table");
        let row = table
            .rows
            .iter()
            .find(|r| r.key == "child_11_14")
            .expect("the row");
        assert_eq!(row.value, "4390.00");
        assert_eq!(row.label, "barn 11–14 år");
        assert_eq!(table.loaded_by, "migration");

        let rate = client
            .get_norm_table(pb::GetNormTableRequest {
                id: "referensranta-2024-01".into(),
                version: 0,
            })
            .await
            .expect("got")
            .into_inner()
            .norm_table
            .expect("a table");
        assert_eq!(rate.rows[0].value, "4.00");

        // Pagination over the cached list.
        let first = client
            .list_norm_tables(pb::ListNormTablesRequest {
                page_size: 5,
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(first.norm_tables.len(), 5);
        let second = client
            .list_norm_tables(pb::ListNormTablesRequest {
                page_size: 500,
                page_token: first.next_page_token,
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(
            first.norm_tables.len() + second.norm_tables.len(),
            all.norm_tables.len()
        );
    })
    .await;
}

#[tokio::test]
async fn an_imported_table_applies_is_versioned_and_says_it_is_provisional() {
    on_each_backend(|app| async move {
        let imported = app
            .admin()
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(test_riksnorm(
                    "riksnorm-2031",
                    2031,
                    pb::TableStatus::Provisional,
                )),
            })
            .await
            .expect("imported")
            .into_inner()
            .norm_table
            .expect("a table");
        assert_eq!(imported.version, 1);
        assert_eq!(imported.loaded_by, "test-admin");

        let r = app
            .budgets()
            .calculate_social_assistance(pb::CalculateSocialAssistanceRequest {
                month: "2031-06".into(),
                members: vec![member_aged(Applicant, 30), member_aged(Child, 3)],
                ..Default::default()
            })
            .await
            .expect("calculated with the new table")
            .into_inner();
        assert_eq!(r.riksnorm_total.unwrap().amount, "5300.00"); // 3 000 + 1 200 + 1 100 (2 persons)
        assert!(r.provisional);
        assert!(r.warnings.iter().any(|w| w.contains("provisional")));

        // A corrected re-import is version 2 and applies at once.
        let mut corrected = test_riksnorm("riksnorm-2031", 2031, pb::TableStatus::Official);
        corrected
            .rows
            .iter_mut()
            .find(|r| r.key == "single_adult")
            .unwrap()
            .value = "3100".into();
        let v2 = app
            .admin()
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(corrected),
            })
            .await
            .expect("re-imported")
            .into_inner()
            .norm_table
            .unwrap();
        assert_eq!(v2.version, 2);
        let r = app
            .budgets()
            .calculate_social_assistance(pb::CalculateSocialAssistanceRequest {
                month: "2031-06".into(),
                members: vec![member_aged(Applicant, 30)],
                ..Default::default()
            })
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(r.riksnorm_total.unwrap().amount, "4100.00");
        assert_eq!(r.tables[0].version, 2);
        // The first version is still readable.
        let v1 = app
            .norms()
            .get_norm_table(pb::GetNormTableRequest {
                id: "riksnorm-2031".into(),
                version: 1,
            })
            .await
            .expect("got v1")
            .into_inner()
            .norm_table
            .unwrap();
        assert_eq!(v1.status, pb::TableStatus::Provisional as i32);

        // Another id overlapping the period is refused.
        let status = app
            .admin()
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(test_riksnorm(
                    "riksnorm-2031-b",
                    2031,
                    pb::TableStatus::Official,
                )),
            })
            .await
            .expect_err("overlap");
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&status).as_deref(), Some("NORM_TABLE_OVERLAP"));
    })
    .await;
}

#[tokio::test]
async fn imports_are_validated_in_full_and_write_nothing_when_bad() {
    on_each_backend(|app| async move {
        let mut table = test_riksnorm("riksnorm-2032", 2032, pb::TableStatus::Official);
        table.rows.retain(|r| r.key != "shared_7");
        table
            .rows
            .iter_mut()
            .find(|r| r.key == "child_3")
            .unwrap()
            .value = "-5".into();
        table.rows.push(pb::NormTableRow {
            key: "bogus".into(),
            value: "1".into(),
            label: String::new(),
        });
        table
            .rows
            .iter_mut()
            .find(|r| r.key == "child_0")
            .unwrap()
            .value = "1e3".into();
        table.valid_to = "2031-12-31".into();
        table.kind = 77;
        let status = app
            .admin()
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(table.clone()),
            })
            .await
            .expect_err("invalid");
        assert_eq!(status.code(), Code::InvalidArgument);
        let fields = field_violations(&status);
        assert!(fields.contains(&"norm_table.kind".to_owned()), "{fields:?}");
        assert!(
            fields.contains(&"norm_table.rows[0].value".to_owned()),
            "{fields:?}"
        );

        table.kind = pb::NormTableKind::Riksnorm as i32;
        table
            .rows
            .iter_mut()
            .find(|r| r.key == "child_0")
            .unwrap()
            .value = "1000".into();
        let status = app
            .admin()
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(table),
            })
            .await
            .expect_err("invalid");
        let fields = field_violations(&status);
        for expected in [
            "norm_table.valid_to",
            "norm_table.rows[bogus]",
            "norm_table.rows[child_3]",
            "norm_table.rows[shared_7]",
        ] {
            assert!(
                fields.contains(&expected.to_owned()),
                "{expected} not in {fields:?}"
            );
        }
        let missing = app
            .norms()
            .get_norm_table(pb::GetNormTableRequest {
                id: "riksnorm-2032".into(),
                version: 0,
            })
            .await
            .expect_err("nothing was written");
        assert_eq!(missing.code(), Code::NotFound);

        let denied = app
            .admin_as(Some(&secret_for(Role::Counsellor)))
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(test_riksnorm(
                    "riksnorm-2033",
                    2033,
                    pb::TableStatus::Official,
                )),
            })
            .await
            .expect_err("a counsellor may not load tables");
        assert_eq!(denied.code(), Code::PermissionDenied);
    })
    .await;
}

#[tokio::test]
async fn reference_costs_are_compared_with_the_budget() {
    on_each_backend(|app| async move {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for band in [
            "age_0",
            "age_1",
            "age_2_5",
            "age_6_9",
            "age_10_13",
            "age_14_17",
            "age_18_30",
            "age_31_60",
            "age_61_74",
            "age_75_plus",
        ] {
            pairs.push((format!("food.{band}"), "2000".into()));
        }
        for n in 1..=7 {
            pairs.push((format!("media.size_{n}"), format!("{}", 500 + 100 * n)));
        }
        let table = pb::NormTable {
            id: "reference-costs-2026-test".into(),
            kind: pb::NormTableKind::ReferenceCosts as i32,
            valid_from: "2026-01-01".into(),
            valid_to: "2026-12-31".into(),
            status: pb::TableStatus::Provisional as i32,
            source: "test figures, not real".into(),
            rows: pairs
                .iter()
                .map(|(k, v)| pb::NormTableRow {
                    key: k.clone(),
                    value: v.clone(),
                    label: String::new(),
                })
                .collect(),
            ..Default::default()
        };
        app.admin()
            .import_norm_table(pb::ImportNormTableRequest {
                norm_table: Some(table),
            })
            .await
            .expect("imported");
        let result = app
            .budgets()
            .calculate_budget(sample_budget())
            .await
            .expect("calculated")
            .into_inner()
            .result
            .unwrap();
        // Food: 1 950 against 2 × 2 000; media: 1 083.33 against 700 for 2 persons.
        let food = result
            .comparisons
            .iter()
            .find(|c| c.category == pb::ExpenseCategory::Food as i32)
            .unwrap();
        assert_eq!(food.reference.as_ref().unwrap().amount, "4000.00");
        assert_eq!(food.difference.as_ref().unwrap().amount, "-2050.00");
        assert_eq!(food.flag, pb::ComparisonFlag::WithinReference as i32);
        let media = result
            .comparisons
            .iter()
            .find(|c| c.category == pb::ExpenseCategory::Media as i32)
            .unwrap();
        assert_eq!(media.reference.as_ref().unwrap().amount, "700.00");
        assert_eq!(media.flag, pb::ComparisonFlag::AboveReference as i32);
        assert!(result.warnings.iter().any(|w| w.contains("provisional")));
        assert_eq!(result.tables[0].table_id, "reference-costs-2026-test");
    })
    .await;
}
