//! Issue 20 item 1: households' display names and postal addresses,
//! members' names and creditors' addresses are checked (every bad field
//! named, never its value, nothing written), stored, returned, and refused
//! by the database past the API.

use sqlx::{AnyPool, AssertSqlSafe};
use tonic::Code;

use budgetrad::pb;
use pb::MemberRole::Applicant;

use crate::helpers::*;
use crate::households::count;

fn named(serial: u32) -> pb::Household {
    pb::Household {
        case_reference: "NAMES".into(),
        display_name: "Maria Berg".into(),
        postal_address: Some(pb::PostalAddress {
            care_of: "Lindqvist".into(),
            street_address: "Storgatan 12 B".into(),
            postal_code: "11122".into(),
            town: "Exempelby".into(),
        }),
        members: vec![pb::Member {
            given_name: "Maria".into(),
            family_name: "Berg".into(),
            ..adult(Applicant, "19800101", serial)
        }],
        ..Default::default()
    }
}

async fn create_named(app: &TestApp, serial: u32) -> pb::Household {
    app.households()
        .create_household(pb::CreateHouseholdRequest {
            household: Some(named(serial)),
        })
        .await
        .expect("created")
        .into_inner()
        .household
        .expect("a household")
}

#[tokio::test]
async fn names_and_addresses_are_stored_and_returned() {
    on_each_backend(|app| async move {
        let created = create_named(&app, 901).await;
        let got = app
            .households()
            .get_household(pb::GetHouseholdRequest {
                id: created.id.clone(),
            })
            .await
            .expect("read")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(got.display_name, "Maria Berg");
        let address = got.postal_address.clone().expect("an address");
        assert_eq!(address.care_of, "Lindqvist");
        assert_eq!(address.street_address, "Storgatan 12 B");
        assert_eq!(address.postal_code, "111 22", "stored as NNN NN");
        assert_eq!(address.town, "Exempelby");
        assert_eq!(got.members[0].given_name, "Maria");
        assert_eq!(got.members[0].family_name, "Berg");

        // Cleared on update: an empty address is no address.
        let mut cleared = got.clone();
        cleared.postal_address = Some(pb::PostalAddress::default());
        cleared.display_name.clear();
        let updated = app
            .households()
            .update_household(pb::UpdateHouseholdRequest {
                household: Some(cleared),
            })
            .await
            .expect("updated")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(updated.postal_address, None);
        assert_eq!(updated.display_name, "");
        assert_eq!(updated.members[0].given_name, "Maria");
    })
    .await;
}

#[tokio::test]
async fn bad_names_and_addresses_name_every_field_never_the_value_and_write_nothing() {
    on_each_backend(|app| async move {
        let before = count(&app).await;
        let mut h = named(902);
        // Digits the rules' own examples (12345, 123 45) do not hold, so an
        // echo of the value cannot hide in the rule's text.
        h.display_name = "98765".into();
        h.postal_address = Some(pb::PostalAddress {
            care_of: "Hemlig\u{7}Person".into(),
            street_address: String::new(),
            postal_code: "9876".into(),
            town: "X".repeat(36),
        });
        h.members[0].given_name = " Maria".into();
        h.members[0].family_name = "B".repeat(101);
        let err = app
            .households()
            .create_household(pb::CreateHouseholdRequest { household: Some(h) })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument);
        let mut fields = field_violations(&err);
        fields.sort();
        assert_eq!(
            fields,
            [
                "household.display_name",
                "household.members[0].family_name",
                "household.members[0].given_name",
                "household.postal_address.care_of",
                "household.postal_address.postal_code",
                "household.postal_address.street_address",
                "household.postal_address.town",
            ]
        );
        let said = format!("{err:?}");
        for value in ["Hemlig", "9876", "XXXXXXXX", "BBBBBBBB", "98765"] {
            assert!(!said.contains(value), "{value:?} echoed in {said}");
        }
        assert_eq!(count(&app).await, before, "nothing written");

        // A creditor's address is checked the same way.
        let ok = create_named(&app, 903).await;
        let err = app
            .debts()
            .create_debt(pb::CreateDebtRequest {
                request_id: uuid::Uuid::new_v4().to_string(),
                debt: Some(pb::Debt {
                    household_id: ok.id.clone(),
                    debtor_member_id: ok.members[0].id.clone(),
                    creditor_name: "Exempel Bank AB".into(),
                    kind: pb::DebtKind::ConsumerCredit as i32,
                    status: pb::DebtStatus::Active as i32,
                    balance: money("1000"),
                    annual_interest_rate: "0".into(),
                    creditor_postal_address: Some(pb::PostalAddress {
                        street_address: "Box 1".into(),
                        postal_code: "ABCDE".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                balance_date: "2026-11-01".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument);
        let mut fields = field_violations(&err);
        fields.sort();
        assert_eq!(
            fields,
            [
                "debt.creditor_postal_address.postal_code",
                "debt.creditor_postal_address.town",
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn the_database_refuses_names_the_api_refuses() {
    on_each_backend(|app| async move {
        let created = create_named(&app, 904).await;
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(app.database_url()).await.expect("a pool");
        let long = "x".repeat(101);
        for sql in [
            format!(
                "UPDATE households SET display_name = '{long}' WHERE id = '{}'",
                created.id
            ),
            format!(
                "UPDATE households SET postal_code = '1234' WHERE id = '{}'",
                created.id
            ),
            format!(
                "UPDATE household_members SET family_name = '{long}' WHERE household_id = '{}'",
                created.id
            ),
        ] {
            let refused = sqlx::query(AssertSqlSafe(sql.clone())).execute(&pool).await;
            assert!(refused.is_err(), "the database took: {sql}");
        }
        let got = app
            .households()
            .get_household(pb::GetHouseholdRequest { id: created.id })
            .await
            .expect("read")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(got.display_name, "Maria Berg", "nothing changed");
        pool.close().await;
    })
    .await;
}
