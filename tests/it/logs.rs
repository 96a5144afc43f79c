//! No personal data in the logs: traffic with synthetic personal data runs
//! through the server with DEBUG logging captured, and the log must not hold
//! any personnummer, case reference, token or household amount of it.

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use pb::MemberRole::{Applicant, Child, Partner};

use crate::helpers::*;
use crate::leases::plan;

const CASE_REFERENCE: &str = "Familjen Testsson, Exempelgatan 1";
/// An OCR reference the landlord could build from a contract number.
const OCR_REFERENCE: &str = "47110815124";

fn line(category: i32, amount: &str, frequency: pb::Frequency) -> (i32, Option<pb::Money>, i32) {
    (category, money(amount), frequency as i32)
}

async fn traffic(app: TestApp, applicant: String, partner: String) {
    let mut households = app.households();
    let household = households
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: CASE_REFERENCE.into(),
                members: vec![
                    pb::Member {
                        role: Applicant as i32,
                        personal_identity_number: applicant.clone(),
                        ..Default::default()
                    },
                    pb::Member {
                        role: Partner as i32,
                        personal_identity_number: partner.clone(),
                        ..Default::default()
                    },
                    child_born("2018-06-30"),
                ],
                ..Default::default()
            }),
        })
        .await
        .expect("created")
        .into_inner()
        .household
        .expect("a household");
    households
        .lookup_household(pb::LookupHouseholdRequest {
            personal_identity_number: applicant[2..].to_owned(),
        })
        .await
        .expect("found");
    // A wrong check digit: refused, and the refusal must not repeat it.
    let mut wrong = applicant.clone();
    let last = wrong.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
    wrong.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
    let status = households
        .lookup_household(pb::LookupHouseholdRequest {
            personal_identity_number: wrong.clone(),
        })
        .await
        .expect_err("bad check digit");
    assert!(
        !status.message().contains(&wrong[9..]),
        "{}",
        status.message()
    );

    let (incomes, expenses) = (
        [line(
            pb::IncomeCategory::Salary as i32,
            "31234.56",
            pb::Frequency::Monthly,
        )],
        [
            line(
                pb::ExpenseCategory::Rent as i32,
                "8765.43",
                pb::Frequency::Monthly,
            ),
            line(
                pb::ExpenseCategory::Food as i32,
                "1357.91",
                pb::Frequency::Weekly,
            ),
        ],
    );
    let incomes: Vec<pb::Income> = incomes
        .iter()
        .map(|(c, a, f)| pb::Income {
            category: *c,
            amount: a.clone(),
            frequency: *f,
            description: "lön från Exempelbolaget".into(),
        })
        .collect();
    let expenses: Vec<pb::Expense> = expenses
        .iter()
        .map(|(c, a, f)| pb::Expense {
            category: *c,
            amount: a.clone(),
            frequency: *f,
            description: String::new(),
        })
        .collect();
    let mut budgets = app.budgets_as(Some(&secret_for(Role::Caseworker)));
    budgets
        .create_budget(pb::CreateBudgetRequest {
            household_id: household.id.clone(),
            month: "2026-03".into(),
            incomes: incomes.clone(),
            expenses: expenses.clone(),
        })
        .await
        .expect("saved");
    budgets
        .calculate_social_assistance(pb::CalculateSocialAssistanceRequest {
            month: "2026-03".into(),
            household_id: household.id.clone(),
            incomes,
            ..Default::default()
        })
        .await
        .expect("calculated");
    // Debts, with the same personal amounts and a creditor name.
    let mut debts = app.debts();
    let debt = debts
        .create_debt(pb::CreateDebtRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt: Some(pb::Debt {
                household_id: household.id.clone(),
                debtor_member_id: household.members[0].id.clone(),
                creditor_name: "Exempelbolaget Kredit".into(),
                kind: pb::DebtKind::ConsumerCredit as i32,
                status: pb::DebtStatus::Active as i32,
                balance: money("31234.56"),
                annual_interest_rate: "9.5".into(),
                agreed_monthly_payment: money("1357.91"),
                ..Default::default()
            }),
            balance_date: String::new(),
        })
        .await
        .expect("a debt")
        .into_inner()
        .debt
        .expect("a debt");
    debts
        .record_debt_event(pb::RecordDebtEventRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt_id: debt.id.clone(),
            kind: pb::DebtEventKind::Payment as i32,
            date: "2026-11-20".into(),
            amount: money("1357.91"),
            note: "Testsson betalade".into(),
        })
        .await
        .expect("paid");
    debts
        .get_debt_overview(pb::GetDebtOverviewRequest {
            household_id: household.id.clone(),
            ..Default::default()
        })
        .await
        .expect("overview");
    debts
        .estimate_debt_restructuring(pb::EstimateDebtRestructuringRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2026-03".into(),
                household_id: household.id.clone(),
                housing_cost: money("8765.43"),
                ..Default::default()
            }),
            net_income: money("31234.56"),
            ..Default::default()
        })
        .await
        .expect("estimated");
    let refused = debts
        .record_debt_event(pb::RecordDebtEventRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt_id: debt.id.clone(),
            kind: pb::DebtEventKind::Payment as i32,
            date: "2026-11-20".into(),
            amount: money("99999.99"),
            note: String::new(),
        })
        .await
        .expect_err("more than the balance");
    assert!(
        !refused.message().contains("99999"),
        "{}",
        refused.message()
    );

    // A lease and an eviction-risk notice with the same amounts.
    let mut rent = app.rent();
    let landlord = rent
        .create_landlord(pb::CreateLandlordRequest {
            landlord: Some(pb::Landlord {
                name: "Exempelbolaget Bostäder".into(),
                organisation_number: "556677-8899".into(),
                bankgiro: "5050-1055".into(),
                ..Default::default()
            }),
        })
        .await
        .expect("a landlord")
        .into_inner()
        .landlord
        .expect("a landlord");
    let lease = rent
        .create_lease(pb::CreateLeaseRequest {
            lease: Some(pb::Lease {
                household_id: household.id.clone(),
                landlord_id: landlord.id,
                object_reference: "Testsson 1101".into(),
                contract_type: pb::ContractType::Social as i32,
                ..Default::default()
            }),
            start_month: "2026-01".into(),
            monthly_rent: money("8765.43"),
        })
        .await
        .expect("a lease")
        .into_inner()
        .lease
        .expect("a lease");
    let lease_id = lease.id;
    rent.create_eviction_notice(pb::CreateEvictionNoticeRequest {
        notice: Some(pb::EvictionNotice {
            lease_id: lease_id.clone(),
            served_date: "2026-11-10".into(),
            amount_owed: money("8765.43"),
            ..Default::default()
        }),
    })
    .await
    .expect("a notice");
    rent.list_eviction_notices(pb::ListEvictionNoticesRequest::default())
        .await
        .expect("the urgent list");
    let plan = plan(
        &mut rent,
        &lease_id,
        Some(pb::PlanTerms {
            arrears: money("8765.43"),
            start_month: "2026-10".into(),
            length: Some(pb::plan_terms::Length::Months(3)),
        }),
        0,
    )
    .await;
    rent.record_plan_payment(pb::RecordPlanPaymentRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        plan_id: plan.id,
        date: "2026-09-29".into(),
        amount: money("1357.91"),
    })
    .await
    .expect("paid");

    // The rent ledger: a payout with an OCR reference, a refused one, a
    // reversal, an arrears receipt.
    let mut payouts = app.payouts();
    let payout = |month: &str, amount: &str| pb::RecordRentPayoutRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        lease_id: lease_id.clone(),
        rent_month: month.into(),
        kind: pb::RentPaymentKind::Rent as i32,
        amount: money(amount),
        decision_reference: "BESLUT-TESTSSON-77".into(),
        ocr_reference: OCR_REFERENCE.into(),
        payout_date: "2026-11-20".into(),
    };
    let paid = payouts
        .record_rent_payout(payout("2026-11", "8765.43"))
        .await
        .expect("a payout")
        .into_inner()
        .payout
        .expect("a payout");
    let refused = payouts
        .record_rent_payout(payout("2026-11", "1357.91"))
        .await
        .expect_err("more than the rent");
    assert!(!refused.message().contains("8765"), "{}", refused.message());
    payouts
        .reverse_rent_payout(pb::ReverseRentPayoutRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            payout_id: paid.id,
            reason: "Testsson betalade själv".into(),
        })
        .await
        .expect("reversed");
    payouts
        .record_rent_receipt(pb::RecordRentReceiptRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: lease_id.clone(),
            rent_month: "2026-10".into(),
            kind: pb::RentPaymentKind::Arrears as i32,
            amount: money("1357.91"),
            paid_date: "2026-11-21".into(),
            source: pb::ReceiptSource::BankStatement as i32,
        })
        .await
        .expect("a receipt");
    payouts
        .list_rent_payouts(pb::ListRentPayoutsRequest {
            household_id: household.id.clone(),
            ..Default::default()
        })
        .await
        .expect("the ledger");

    // Rent checks by personnummer, one and streamed, and a malformed one.
    let mut checks = pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
        app.channel(),
        app.bearer_for(Role::RentCheck),
    );
    let by_pin = |pin: &str| pb::RentCheckQuery {
        subject: Some(pb::rent_check_query::Subject::PersonalIdentityNumber(
            pin.to_owned(),
        )),
        application_month: "2026-12".into(),
        rent_month: String::new(),
        as_of: String::new(),
    };
    checks
        .check_rent_paid(pb::CheckRentPaidRequest {
            query: Some(by_pin(&applicant)),
        })
        .await
        .expect("a check");
    let mut wrong = applicant.clone();
    wrong.pop();
    wrong.push(if applicant.ends_with('0') { '1' } else { '0' });
    let refused = checks
        .check_rent_paid(pb::CheckRentPaidRequest {
            query: Some(by_pin(&wrong)),
        })
        .await
        .expect_err("a wrong check digit");
    assert!(
        !refused.message().contains(&wrong[9..]),
        "{}",
        refused.message()
    );
    let items = vec![
        pb::CheckRentPaidStreamRequest {
            correlation_id: "1".into(),
            query: Some(by_pin(&partner)),
        },
        pb::CheckRentPaidStreamRequest {
            correlation_id: "2".into(),
            query: Some(by_pin(&wrong)),
        },
    ];
    let mut answers = checks
        .check_rent_paid_stream(tokio_stream::iter(items))
        .await
        .expect("a stream")
        .into_inner();
    while answers.message().await.expect("an answer").is_some() {}

    // The audit trail of it all, read by an auditor.
    let trail = app
        .audit()
        .list_audit_events(pb::ListAuditEventsRequest {
            household_id: household.id.clone(),
            ..Default::default()
        })
        .await
        .expect("the trail")
        .into_inner();
    assert!(!trail.events.is_empty());
    // Bad amounts: refused with the field named, the value not repeated.
    let status = budgets
        .calculate_budget(pb::CalculateBudgetRequest {
            month: "2026-03".into(),
            members: vec![member_aged(Applicant, 40), member_aged(Child, 3)],
            incomes: vec![pb::Income {
                category: pb::IncomeCategory::Salary as i32,
                amount: money("31234.567"),
                frequency: pb::Frequency::Monthly as i32,
                description: String::new(),
            }],
            expenses,
        })
        .await
        .expect_err("three decimals");
    assert!(!status.message().contains("31234"), "{}", status.message());
}

#[tokio::test(flavor = "current_thread")]
async fn no_personal_data_reaches_the_logs() {
    // The server runs on this test's one thread, so it logs through this.
    let (capture, _guard) = capture_logs("debug");

    let applicant = synthetic_pin("19850312", 777);
    let partner = synthetic_pin("19870704", 778);
    let (a, p) = (applicant.clone(), partner.clone());
    on_each_backend(move |app| traffic(app, a.clone(), p.clone())).await;

    let logs = capture.text();
    // The test means something only if the traffic was logged at all.
    assert!(
        logs.contains("CreateHousehold") && logs.contains("call finished"),
        "nothing was captured"
    );
    let digits = |pin: &str| pin.replace('-', "");
    let forbidden = [
        digits(&applicant),
        digits(&applicant)[2..].to_owned(),
        applicant[2..].to_owned(),
        digits(&partner),
        digits(&partner)[2..].to_owned(),
        CASE_REFERENCE.to_owned(),
        "Testsson".to_owned(),
        "Exempelbolaget".to_owned(),
        "31234.56".to_owned(),
        "31 234.56".to_owned(),
        "8765.43".to_owned(),
        "8 765.43".to_owned(),
        "1357.91".to_owned(),
        "1 357.91".to_owned(),
        OCR_REFERENCE.to_owned(),
        "50501055".to_owned(),
        "5050-1055".to_owned(),
        secret_for(Role::Caseworker),
    ];
    for needle in &forbidden {
        assert!(!logs.contains(needle.as_str()), "the log holds {needle:?}");
    }
    println!(
        "captured {} bytes of DEBUG log, none of {} forbidden strings",
        logs.len(),
        forbidden.len()
    );
}
