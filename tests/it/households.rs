//! Households through the gRPC API: create, get, list, update, look up.

use budgetrad::pb;
use pb::MemberRole::{Applicant, Child, Partner};
use tonic::Code;

use crate::helpers::*;

pub fn family(case: &str, serial: u32) -> pb::Household {
    pb::Household {
        case_reference: case.to_owned(),
        members: vec![
            adult(Applicant, "19850312", serial),
            adult(Partner, "19870704", serial + 1),
            child_born("2019-05-20"),
        ],
        ..Default::default()
    }
}

pub(crate) async fn count(app: &TestApp) -> usize {
    app.households()
        .list_households(pb::ListHouseholdsRequest {
            page_size: 500,
            page_token: String::new(),
        })
        .await
        .expect("listed")
        .into_inner()
        .households
        .len()
}

#[tokio::test]
async fn create_get_update_and_look_up() {
    on_each_backend(|app| async move {
        let mut client = app.households();
        let created = client
            .create_household(pb::CreateHouseholdRequest {
                household: Some(family("ÄR-2026-001", 101)),
            })
            .await
            .expect("created")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(created.revision, 1);
        assert_eq!(created.members.len(), 3);
        assert!(created.members.iter().all(|m| !m.id.is_empty()));
        // The personnummer is normalised to 12 digits and gives the birth date.
        assert_eq!(created.members[0].birth_date, "1985-03-12");
        assert_eq!(created.members[0].personal_identity_number.len(), 12);

        let got = client
            .get_household(pb::GetHouseholdRequest {
                id: created.id.clone(),
            })
            .await
            .expect("got")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(got, created);

        let found = client
            .lookup_household(pb::LookupHouseholdRequest {
                // The 10-digit form with separator finds the same person.
                personal_identity_number: synthetic_pin("19870704", 102)[2..].to_owned(),
            })
            .await
            .expect("found")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(found.id, created.id);

        // Update: keep the applicant (by id), drop the partner, add a child.
        let mut changed = created.clone();
        changed.members.remove(1);
        changed.members.push(child_born("2024-01-15"));
        changed.case_reference = "ÄR-2026-001b".into();
        let updated = client
            .update_household(pb::UpdateHouseholdRequest {
                household: Some(changed.clone()),
            })
            .await
            .expect("updated")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(updated.revision, 2);
        assert_eq!(updated.members.len(), 3);
        assert_eq!(updated.members[0].id, created.members[0].id);
        assert_eq!(updated.case_reference, "ÄR-2026-001b");

        // The old revision is stale now.
        let stale = client
            .update_household(pb::UpdateHouseholdRequest {
                household: Some(changed),
            })
            .await
            .expect_err("stale");
        assert_eq!(stale.code(), Code::Aborted);
        assert_eq!(error_reason(&stale).as_deref(), Some("STALE_REVISION"));

        // The removed partner is no longer found.
        let gone = client
            .lookup_household(pb::LookupHouseholdRequest {
                personal_identity_number: synthetic_pin("19870704", 102),
            })
            .await
            .expect_err("not a member any more");
        assert_eq!(gone.code(), Code::NotFound);
    })
    .await;
}

#[tokio::test]
async fn list_is_paginated_in_creation_order() {
    on_each_backend(|app| async move {
        let mut client = app.households();
        let mut ids = Vec::new();
        for i in 0..5 {
            let h = client
                .create_household(pb::CreateHouseholdRequest {
                    household: Some(family(&format!("case {i}"), 200 + 2 * i)),
                })
                .await
                .expect("created")
                .into_inner()
                .household
                .expect("a household");
            ids.push(h.id);
        }
        let mut seen = Vec::new();
        let mut token = String::new();
        loop {
            let page = client
                .list_households(pb::ListHouseholdsRequest {
                    page_size: 2,
                    page_token: token,
                })
                .await
                .expect("listed")
                .into_inner();
            assert!(page.households.len() <= 2);
            assert!(page.households.iter().all(|h| h.members.len() == 3));
            seen.extend(page.households.into_iter().map(|h| h.id));
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        assert_eq!(seen, ids);
        let bad = client
            .list_households(pb::ListHouseholdsRequest {
                page_size: -1,
                page_token: "nonsense".into(),
            })
            .await
            .expect_err("bad paging");
        assert_eq!(field_violations(&bad), vec!["page_size", "page_token"]);
    })
    .await;
}

#[tokio::test]
async fn a_person_belongs_to_one_household() {
    on_each_backend(|app| async move {
        let mut client = app.households();
        client
            .create_household(pb::CreateHouseholdRequest {
                household: Some(family("a", 301)),
            })
            .await
            .expect("created");
        let status = client
            .create_household(pb::CreateHouseholdRequest {
                household: Some(family("b", 301)),
            })
            .await
            .expect_err("the applicant is already in a household");
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(
            error_reason(&status).as_deref(),
            Some("PERSON_IN_OTHER_HOUSEHOLD")
        );
        assert_eq!(count(&app).await, 1, "the failed create wrote nothing");
    })
    .await;
}

#[tokio::test]
async fn bad_households_name_every_field_and_write_nothing() {
    on_each_backend(|app| async move {
        let mut client = app.households();
        let cases: Vec<(pb::Household, Vec<&str>)> = vec![
            // No adult at all.
            (
                pb::Household {
                    members: vec![child_born("2019-05-20")],
                    ..Default::default()
                },
                vec!["household.members"],
            ),
            // A birth date in the future (the clock says 2026-11-22).
            (
                pb::Household {
                    members: vec![adult(Applicant, "19850312", 401), child_born("2027-01-01")],
                    ..Default::default()
                },
                vec!["household.members[1].birth_date"],
            ),
            // A wrong check digit, and an unknown role value.
            (
                pb::Household {
                    members: vec![
                        pb::Member {
                            role: Applicant as i32,
                            personal_identity_number: "19640823-3235".into(),
                            ..Default::default()
                        },
                        pb::Member {
                            role: 42,
                            birth_date: "2019-05-20".into(),
                            ..Default::default()
                        },
                    ],
                    ..Default::default()
                },
                vec![
                    "household.members[0].personal_identity_number",
                    "household.members[1].role",
                ],
            ),
            // An adult without a personnummer; a child with an age only.
            (
                pb::Household {
                    members: vec![
                        pb::Member {
                            role: Applicant as i32,
                            birth_date: "1985-03-12".into(),
                            ..Default::default()
                        },
                        member_aged(Child, 4),
                    ],
                    ..Default::default()
                },
                vec!["household.members[1].birth_date"],
            ),
        ];
        for (household, expected) in cases {
            let status = client
                .create_household(pb::CreateHouseholdRequest {
                    household: Some(household),
                })
                .await
                .expect_err("invalid");
            assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
            assert_eq!(field_violations(&status), expected, "{}", status.message());
        }
        // An adult without personnummer once its children are valid.
        let status = client
            .create_household(pb::CreateHouseholdRequest {
                household: Some(pb::Household {
                    members: vec![pb::Member {
                        role: Applicant as i32,
                        birth_date: "1985-03-12".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            })
            .await
            .expect_err("invalid");
        assert_eq!(
            field_violations(&status),
            vec!["household.members[0].personal_identity_number"]
        );
        assert_eq!(count(&app).await, 0, "nothing was written");
    })
    .await;
}

#[tokio::test]
async fn unknown_and_malformed_ids() {
    on_each_backend(|app| async move {
        let mut client = app.households();
        let missing = client
            .get_household(pb::GetHouseholdRequest {
                id: uuid::Uuid::now_v7().to_string(),
            })
            .await
            .expect_err("no such household");
        assert_eq!(missing.code(), Code::NotFound);
        let malformed = client
            .get_household(pb::GetHouseholdRequest { id: "42".into() })
            .await
            .expect_err("not an id");
        assert_eq!(field_violations(&malformed), vec!["id"]);
    })
    .await;
}
