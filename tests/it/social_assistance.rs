//! Försörjningsstöd through the gRPC API: the worked examples 1–4 of
//! docs/sources.md §7, the table of each year, and missing tables.

use budgetrad::pb;
use pb::MemberRole::{Applicant, Child, OtherAdult, Partner};

use crate::helpers::*;

fn request(month: &str, members: Vec<pb::Member>) -> pb::CalculateSocialAssistanceRequest {
    pb::CalculateSocialAssistanceRequest {
        month: month.to_owned(),
        members,
        ..Default::default()
    }
}

fn amount(m: &Option<pb::Money>) -> &str {
    m.as_ref().map(|m| m.amount.as_str()).unwrap_or("<none>")
}

#[tokio::test]
async fn example_1_sambor_with_children_4_and_12_in_2024() {
    on_each_backend(|app| async move {
        let r = app
            .budgets()
            .calculate_social_assistance(request(
                "2024-03",
                vec![
                    member_aged(Applicant, 35),
                    member_aged(Partner, 34),
                    member_aged(Child, 4),
                    member_aged(Child, 12),
                ],
            ))
            .await
            .expect("calculated")
            .into_inner();
        // 6 850 + 2 940 + 4 230 + 1 950 = 15 970
        assert_eq!(amount(&r.riksnorm_total), "15970.00");
        assert_eq!(amount(&r.assistance), "15970.00");
        assert_eq!(r.riksnorm_units.len(), 1);
        let lines: Vec<&str> = r.riksnorm_units[0]
            .lines
            .iter()
            .map(|l| amount(&l.amount))
            .collect();
        assert_eq!(lines, vec!["6850.00", "2940.00", "4230.00", "1950.00"]);
        // Every line explains itself with its table and row.
        let child = &r.riksnorm_units[0].lines[2];
        let basis = child.basis.as_ref().expect("a basis");
        assert!(basis.source.contains("riksnorm 2024"), "{}", basis.source);
        assert!(basis.source.contains("11–14 år: 4 230"), "{}", basis.source);
        assert_eq!(r.tables[0].table_id, "riksnorm-2024");
        assert!(!r.provisional);
    })
    .await;
}

#[tokio::test]
async fn example_2_riksnorm_2026_single_and_sambor() {
    on_each_backend(|app| async move {
        let mut client = app.budgets();
        let single = client
            .calculate_social_assistance(request("2026-02", vec![member_aged(Applicant, 40)]))
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(amount(&single.riksnorm_total), "5220.00");
        let pair = client
            .calculate_social_assistance(request(
                "2026-02",
                vec![member_aged(Applicant, 40), member_aged(Partner, 41)],
            ))
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(amount(&pair.riksnorm_total), "8510.00");
        assert_eq!(pair.tables[0].table_id, "riksnorm-2026");
    })
    .await;
}

#[tokio::test]
async fn example_3_shared_costs_for_8_persons_in_2024() {
    on_each_backend(|app| async move {
        let mut members = vec![member_aged(Applicant, 40), member_aged(Partner, 41)];
        members.extend((0..6).map(|i| member_aged(Child, 2 + i)));
        let r = app
            .budgets()
            .calculate_social_assistance(request("2024-05", members))
            .await
            .expect("calculated")
            .into_inner();
        let shared = r.riksnorm_units[0].lines.last().expect("the shared line");
        // 2 730 + (2 730 − 2 540) = 2 920
        assert_eq!(amount(&shared.amount), "2920.00");
        let arithmetic = &shared.basis.as_ref().expect("basis").arithmetic;
        assert_eq!(arithmetic, "2 730 + 1 × (2 730 − 2 540) = 2 920");
    })
    .await;
}

#[tokio::test]
async fn example_4_an_adult_who_is_not_a_sambo_in_a_5_person_household() {
    on_each_backend(|app| async move {
        let r = app
            .budgets()
            .calculate_social_assistance(request(
                "2024-09",
                vec![
                    member_aged(Applicant, 45),
                    member_aged(Partner, 44),
                    member_aged(Child, 8),
                    member_aged(Child, 15),
                    member_aged(OtherAdult, 23),
                ],
            ))
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(r.riksnorm_units.len(), 2);
        let other = &r.riksnorm_units[1];
        assert_eq!(other.member_indexes, vec![4]);
        // 2 240 / 5 + 3 800 = 4 248
        assert_eq!(amount(&other.total), "4248.00");
        // The units add up to the household's norm: 6 850 + 3 680 + 4 780 + 2 240 + 3 800.
        assert_eq!(amount(&r.riksnorm_total), "21350.00");
    })
    .await;
}

#[tokio::test]
async fn each_year_uses_its_own_table_and_a_missing_year_fails() {
    on_each_backend(|app| async move {
        let mut client = app.budgets();
        let y2025 = client
            .calculate_social_assistance(request("2025-12", vec![member_aged(Applicant, 30)]))
            .await
            .expect("2025")
            .into_inner();
        assert_eq!(y2025.tables[0].table_id, "riksnorm-2025");
        assert_eq!(amount(&y2025.riksnorm_total), "5180.00"); // 3 910 + 1 270
        let y2026 = client
            .calculate_social_assistance(request("2026-01", vec![member_aged(Applicant, 30)]))
            .await
            .expect("2026")
            .into_inner();
        assert_eq!(y2026.tables[0].table_id, "riksnorm-2026");

        let status = client
            .calculate_social_assistance(request("2027-01", vec![member_aged(Applicant, 30)]))
            .await
            .expect_err("no 2027 table is shipped");
        assert_eq!(status.code(), tonic::Code::FailedPrecondition);
        assert_eq!(error_reason(&status).as_deref(), Some("NORM_TABLE_MISSING"));
        assert!(
            status.message().contains("riksnorm"),
            "{}",
            status.message()
        );
        assert!(status.message().contains("2027"), "{}", status.message());
    })
    .await;
}

#[tokio::test]
async fn costs_incomes_rent_cap_and_the_rent_part() {
    on_each_backend(|app| async move {
        let r = app
            .budgets()
            .calculate_social_assistance(pb::CalculateSocialAssistanceRequest {
                month: "2026-03".into(),
                members: vec![member_aged(Applicant, 30)],
                costs: vec![
                    pb::ReasonableCost {
                        kind: pb::ReasonableCostKind::Rent as i32,
                        amount: money("8000"),
                        frequency: pb::Frequency::Monthly as i32,
                        description: String::new(),
                    },
                    pb::ReasonableCost {
                        kind: pb::ReasonableCostKind::HomeInsurance as i32,
                        amount: money("1200"),
                        frequency: pb::Frequency::Yearly as i32,
                        description: String::new(),
                    },
                ],
                incomes: vec![pb::Income {
                    category: pb::IncomeCategory::HousingAllowance as i32,
                    amount: money("1500"),
                    frequency: pb::Frequency::Monthly as i32,
                    description: String::new(),
                }],
                rent_cap: money("7000"),
                ..Default::default()
            })
            .await
            .expect("calculated")
            .into_inner();
        // riksnorm 5 220; costs 8 000 + 100 − 1 000 (over the cap) = 7 100;
        // need 12 320; income 1 500; assistance 10 820; rent part min(7 000, 10 820).
        assert_eq!(amount(&r.reasonable_costs_total), "7100.00");
        assert_eq!(amount(&r.total_need), "12320.00");
        assert_eq!(amount(&r.assistance), "10820.00");
        assert_eq!(amount(&r.rent_part), "7000.00");

        // Incomes above the need: never below zero.
        let rich = app
            .budgets()
            .calculate_social_assistance(pb::CalculateSocialAssistanceRequest {
                month: "2026-03".into(),
                members: vec![member_aged(Applicant, 30)],
                incomes: vec![pb::Income {
                    category: pb::IncomeCategory::Salary as i32,
                    amount: money("30000"),
                    frequency: pb::Frequency::Monthly as i32,
                    description: String::new(),
                }],
                ..Default::default()
            })
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(amount(&rich.assistance), "0.00");
        assert_eq!(amount(&rich.rent_part), "0.00");
    })
    .await;
}

#[tokio::test]
async fn part_time_children_and_lunch_at_school() {
    on_each_backend(|app| async move {
        let mut part_time = member_aged(Child, 5);
        part_time.residence_days = 7;
        part_time.residence_period_days = 14;
        part_time.lunch_at_school = true;
        let r = app
            .budgets()
            .calculate_social_assistance(request(
                "2026-03",
                vec![member_aged(Applicant, 30), part_time],
            ))
            .await
            .expect("calculated")
            .into_inner();
        let child = &r.riksnorm_units[0].lines[1];
        // 2026 4–6 år utan lunch: 2 720 × 7 / 14 = 1 360
        assert_eq!(amount(&child.amount), "1360.00");
        assert_eq!(
            child.basis.as_ref().unwrap().arithmetic,
            "2 720 × 7 / 14 = 1 360"
        );

        // 2024 has no "utan lunch" amounts: the calculation says so.
        let mut lunch = member_aged(Child, 2);
        lunch.lunch_at_school = true;
        let status = app
            .budgets()
            .calculate_social_assistance(request(
                "2024-03",
                vec![member_aged(Applicant, 30), lunch],
            ))
            .await
            .expect_err("no utan-lunch row in 2024");
        assert_eq!(status.code(), tonic::Code::FailedPrecondition);
        assert_eq!(error_reason(&status).as_deref(), Some("NORM_ROW_MISSING"));
    })
    .await;
}
