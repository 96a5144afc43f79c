//! One case, not four registers (issue 18, items 3, 4 and 6b–6d), through
//! the gRPC API on each backend: the overview's offer leaves room for the
//! priority debts' agreed payments and the plans' instalments, with each
//! subtraction a line; a plan is checked against the budget surplus and the
//! open notices' deadlines, with the figures; the skuldsanering
//! förbehållsbelopp includes the buffer; child support names its child by
//! member id; a stream item error carries an enum code and a reason.

use tonic::Code;

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use pb::MemberRole::{Applicant, Child};

use crate::helpers::*;
use crate::leases::{amount, landlord, lease, months, plan, terms};

type Debts = pb::debt_service_client::DebtServiceClient<Authed>;

/// A single parent with a child of ten (born 2016-05-01).
pub(crate) async fn single_parent(app: &TestApp, serial: u32) -> pb::Household {
    app.households()
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-CASE".into(),
                members: vec![
                    adult(Applicant, "19800101", serial),
                    child_born("2016-05-01"),
                ],
                ..Default::default()
            }),
        })
        .await
        .expect("created")
        .into_inner()
        .household
        .expect("a household")
}

/// Saves a budget for 2026-11 whose surplus is 15 000 − 7 900 − 2 163 = 4 937.
pub(crate) async fn budget_with_surplus_4937(app: &TestApp, household_id: &str) -> String {
    let monthly = pb::Frequency::Monthly as i32;
    let saved = app
        .budgets()
        .create_budget(pb::CreateBudgetRequest {
            household_id: household_id.into(),
            month: "2026-11".into(),
            incomes: vec![pb::Income {
                category: pb::IncomeCategory::Salary as i32,
                amount: money("15000"),
                frequency: monthly,
                description: String::new(),
            }],
            expenses: vec![
                pb::Expense {
                    category: pb::ExpenseCategory::Rent as i32,
                    amount: money("7900"),
                    frequency: monthly,
                    description: String::new(),
                },
                pb::Expense {
                    category: pb::ExpenseCategory::Food as i32,
                    amount: money("2163"),
                    frequency: monthly,
                    description: String::new(),
                },
            ],
        })
        .await
        .expect("saved")
        .into_inner()
        .budget
        .expect("a budget");
    assert_eq!(amount(&saved.result.expect("a result").surplus), "4937.00");
    saved.id
}

pub(crate) async fn create_debt(
    client: &mut Debts,
    household_id: &str,
    member_id: &str,
    (kind, creditor, organisation_number, balance, agreed): (pb::DebtKind, &str, &str, &str, &str),
) -> pb::Debt {
    client
        .create_debt(pb::CreateDebtRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt: Some(pb::Debt {
                household_id: household_id.into(),
                debtor_member_id: member_id.into(),
                creditor_name: creditor.into(),
                creditor_organisation_number: organisation_number.into(),
                creditor_reference: "F-1801".into(),
                kind: kind as i32,
                status: pb::DebtStatus::Active as i32,
                balance: money(balance),
                annual_interest_rate: "0".into(),
                monthly_fee: money("0"),
                agreed_monthly_payment: money(agreed),
                ..Default::default()
            }),
            balance_date: "2026-11-01".into(),
        })
        .await
        .expect("created")
        .into_inner()
        .debt
        .expect("a debt")
}

pub(crate) fn instalment(amount: &str) -> pb::plan_terms::Length {
    pb::plan_terms::Length::Instalment(pb::Money {
        amount: amount.into(),
    })
}

pub(crate) fn line_view(lines: &[pb::AmountLine]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| (l.label.clone(), amount(&l.amount).to_owned()))
        .collect()
}

/// The worked case: a single parent with a budget surplus of 4 937, a
/// hyresskuld on the landlord's plan (14 350 at 2 000 a month from 2026-12:
/// the first instalment falls due 2026-11-30), an elskuld, CSN and an
/// sms-lån.
pub(crate) struct OfferCase {
    pub(crate) household: pb::Household,
    pub(crate) budget_id: String,
    pub(crate) hyresskuld: pb::Debt,
    pub(crate) el: pb::Debt,
    pub(crate) csn: pb::Debt,
    pub(crate) sms: pb::Debt,
    pub(crate) plan: pb::RentPaymentPlan,
}

pub(crate) async fn offer_case(app: &TestApp, serial: u32) -> OfferCase {
    let h = single_parent(app, serial).await;
    let applicant = h.members[0].id.clone();
    let budget_id = budget_with_surplus_4937(app, &h.id).await;
    let mut client = app.debts();
    use pb::DebtKind::{Csn, Electricity, Rent, SmsLoan};
    let mut debt = async |d| create_debt(&mut client, &h.id, &applicant, d).await;
    let hyresskuld = debt((Rent, "Exempel Bostäder AB", "556677-8899", "14350", "2000")).await;
    let el = debt((Electricity, "Exempel Energi AB", "", "3200", "600")).await;
    let csn = debt((Csn, "Centrala studiestödsnämnden", "", "30000", "0")).await;
    let sms = debt((SmsLoan, "Exempel Snabblån AB", "", "10000", "0")).await;
    let mut rent = app.rent();
    let landlord = landlord(&mut rent).await;
    let lease = lease(&mut rent, &h.id, &landlord.id).await;
    let plan = plan(
        &mut rent,
        &lease.id,
        terms("14350", "2026-12", instalment("2000")),
        0,
    )
    .await;
    OfferCase {
        household: h,
        budget_id,
        hyresskuld,
        el,
        csn,
        sms,
        plan,
    }
}

#[tokio::test]
async fn the_offer_leaves_room_for_priority_payments_and_plan_instalments() {
    on_each_backend(|app| async move {
        let OfferCase {
            household: h,
            budget_id,
            hyresskuld,
            el,
            csn,
            sms,
            plan,
        } = offer_case(&app, 881).await;
        let mut client = app.debts();

        let overview = |date: &str, given: Option<pb::Money>| pb::GetDebtOverviewRequest {
            household_id: h.id.clone(),
            date: date.into(),
            available_monthly_amount: given,
        };
        // The counsellor's overview a few days on: the plan's first
        // instalment (for 2026-12) falls due this month, on 2026-11-30.
        let r = client
            .get_debt_overview(overview("2026-11-25", None))
            .await
            .expect("an overview")
            .into_inner();
        // 4 937 − 600 (elskuld) − 2 000 (the instalment due 2026-11-30) =
        // 2 337. The hyresskuld's agreed 2 000 is the landlord's plan's
        // instalment: shown, not subtracted twice.
        assert_eq!(amount(&r.available_monthly_amount), "2337.00");
        assert_eq!(
            line_view(&r.available_lines),
            [
                ("budgetens överskott".to_owned(), "4937.00".to_owned()),
                (
                    "avtalad betalning, hyresskuld (Exempel Bostäder AB)".to_owned(),
                    "0.00".to_owned()
                ),
                (
                    "avtalad betalning, elskuld (Exempel Energi AB)".to_owned(),
                    "-600.00".to_owned()
                ),
                (
                    "avbetalning på hyresskuld för 2026-12, förfaller 2026-11-30".to_owned(),
                    "-2000.00".to_owned()
                ),
                (
                    "tillgängligt för borgenärer utan förtur".to_owned(),
                    "2337.00".to_owned()
                ),
            ]
        );
        let basis = r.available_basis.clone().expect("a basis");
        assert_eq!(basis.arithmetic, "max(0, 4 937 − 600 − 2 000) = 2 337");
        assert!(
            basis.source.contains(&budget_id),
            "the budget is named: {basis:?}"
        );
        let source = |i: usize| {
            r.available_lines[i]
                .basis
                .as_ref()
                .map(|b| b.source.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            source(1),
            format!("skuld {}; avbetalningsplan {}", hyresskuld.id, plan.id)
        );
        assert_eq!(source(2), format!("skuld {}", el.id));
        assert_eq!(source(3), format!("avbetalningsplan {}", plan.id));
        // Only the non-priority debts share it, by balance, summing exactly.
        let shares: Vec<(String, String)> = r
            .offer
            .iter()
            .map(|s| (s.debt_id.clone(), amount(&s.monthly_amount).to_owned()))
            .collect();
        assert_eq!(
            shares,
            [
                (csn.id.clone(), "1752.75".to_owned()),
                (sms.id.clone(), "584.25".to_owned()),
            ]
        );

        // The CLI prints each step of the room (wide enough that no basis
        // is wrapped in its cell).
        let text = crate::debts::cli(
            &app,
            &[
                "--width",
                "250",
                "debts",
                "overview",
                &h.id,
                "--date",
                "2026-11-25",
            ],
        )
        .await;
        for expected in [
            "budgetens överskott",
            "avtalad betalning, elskuld (Exempel Energi AB)",
            "avbetalning på hyresskuld för 2026-12, förfaller 2026-11-30",
            "max(0, 4 937 − 600 − 2 000) = 2 337",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }

        // In December the second instalment (for 2027-01) falls due on
        // 2026-12-30; the first is then missed, and the plan behind but
        // still active.
        let december = client
            .get_debt_overview(overview("2026-12-05", None))
            .await
            .expect("an overview")
            .into_inner();
        assert_eq!(amount(&december.available_monthly_amount), "2337.00");
        assert_eq!(
            december.available_lines[3].label,
            "avbetalning på hyresskuld för 2027-01, förfaller 2026-12-30"
        );

        // By 2027-08 the unpaid plan is broken: no longer an agreement, so
        // no instalment, and the hyresskuld's own agreed payment counts.
        let later = client
            .get_debt_overview(overview("2027-08-01", None))
            .await
            .expect("an overview")
            .into_inner();
        assert_eq!(amount(&later.available_monthly_amount), "2337.00");
        assert_eq!(
            later.available_basis.expect("a basis").arithmetic,
            "max(0, 4 937 − 2 000 − 600) = 2 337"
        );
        assert_eq!(later.available_lines.len(), 4);

        // A given amount still overrides the computed one.
        let given = client
            .get_debt_overview(overview("2026-11-25", money("1000")))
            .await
            .expect("an overview")
            .into_inner();
        assert_eq!(amount(&given.available_monthly_amount), "1000.00");
        assert_eq!(given.available_lines.len(), 1);
        assert_eq!(amount(&given.available_lines[0].amount), "1000.00");
        let total: rust_decimal::Decimal = given
            .offer
            .iter()
            .map(|s| {
                amount(&s.monthly_amount)
                    .parse::<rust_decimal::Decimal>()
                    .unwrap()
            })
            .sum();
        assert_eq!(total.to_string(), "1000.00");

        // Never below zero: an agreed payment on the elskuld above what is
        // left leaves nothing to offer.
        let mut raised = el.clone();
        raised.agreed_monthly_payment = money("4000");
        client
            .update_debt(pb::UpdateDebtRequest { debt: Some(raised) })
            .await
            .expect("updated");
        let none = client
            .get_debt_overview(overview("2026-11-25", None))
            .await
            .expect("an overview")
            .into_inner();
        assert_eq!(amount(&none.available_monthly_amount), "0.00");
        assert!(none.offer.is_empty());
        assert_eq!(
            none.available_basis.expect("a basis").arithmetic,
            "max(0, 4 937 − 4 000 − 2 000) = 0"
        );
    })
    .await;
}

#[tokio::test]
async fn a_plan_is_checked_against_the_surplus_and_the_notice_deadline() {
    on_each_backend(|app| async move {
        let h = single_parent(&app, 882).await;
        let mut rent = app.rent();
        let landlord = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h.id, &landlord.id).await;
        let preview = |terms: Option<pb::PlanTerms>| pb::PreviewRentPaymentPlanRequest {
            lease_id: lease.id.clone(),
            terms,
        };
        let outcomes = |checks: &[pb::PlanCheck]| -> Vec<(i32, i32)> {
            checks.iter().map(|c| (c.kind, c.outcome)).collect()
        };
        use pb::PlanCheckKind::{NoticeDeadline, Surplus};
        use pb::PlanCheckOutcome::{NotChecked, Passed, Warning};

        // No saved budget and no notice: nothing to warn of, and it says so.
        let r = rent
            .preview_rent_payment_plan(preview(terms("14350", "2027-01", instalment("6000"))))
            .await
            .expect("a preview")
            .into_inner();
        assert_eq!(
            outcomes(&r.checks),
            [
                (Surplus as i32, NotChecked as i32),
                (NoticeDeadline as i32, Passed as i32)
            ]
        );
        assert_eq!(r.checks[1].message, "no open eviction notice on the lease");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);

        let budget_id = budget_with_surplus_4937(&app, &h.id).await;
        // Served 2026-11-20: the deadline is three weeks later, 2026-12-11.
        let notice = rent
            .create_eviction_notice(pb::CreateEvictionNoticeRequest {
                notice: Some(pb::EvictionNotice {
                    lease_id: lease.id.clone(),
                    served_date: "2026-11-20".into(),
                    amount_owed: money("14350"),
                    ..Default::default()
                }),
            })
            .await
            .expect("a notice")
            .into_inner()
            .notice
            .expect("a notice");
        assert_eq!(notice.deadline, "2026-12-11");

        // 6 000 a month from 2027-01: the first instalment falls due
        // 2026-12-30, after the deadline, and is more than the surplus.
        let late = terms("14350", "2027-01", instalment("6000"));
        let r = rent
            .preview_rent_payment_plan(preview(late.clone()))
            .await
            .expect("a preview")
            .into_inner();
        assert_eq!(
            outcomes(&r.checks),
            [
                (Surplus as i32, Warning as i32),
                (NoticeDeadline as i32, Warning as i32)
            ]
        );
        assert!(
            r.warnings[0].starts_with("instalment 6 000 > surplus 4 937 (budget for 2026-11)"),
            "{:?}",
            r.warnings
        );
        assert!(
            r.warnings[1]
                .starts_with("first instalment due 2026-12-30, notice deadline 2026-12-11"),
            "{:?}",
            r.warnings
        );
        let surplus = &r.checks[0];
        assert_eq!(
            (
                amount(&surplus.instalment),
                amount(&surplus.surplus),
                surplus.budget_id.as_str()
            ),
            ("6000.00", "4937.00", budget_id.as_str())
        );
        let deadline = &r.checks[1];
        assert_eq!(
            (
                deadline.first_due_date.as_str(),
                deadline.notice_id.as_str(),
                deadline.notice_deadline.as_str()
            ),
            ("2026-12-30", notice.id.as_str(), "2026-12-11")
        );

        // The CLI shows every check, in Swedish, with the figures.
        let text = crate::debts::cli(
            &app,
            &[
                "--width",
                "250",
                "plans",
                "preview",
                &lease.id,
                "--arrears",
                "14350",
                "--start",
                "2027-01",
                "--instalment",
                "6000",
            ],
        )
        .await;
        // Worded from the checks' fields, in Swedish (a line may wrap).
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Kontroll mot ärendet",
            "överskott: VARNING: avbetalning 6 000,00 kr > överskott 4 937,00 kr",
            "underrättelsens sista dag: VARNING: första avbetalningen förfaller 2026-12-30, underrättelsens sista dag 2026-12-11",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert!(!text.contains("instalment"), "{text}");

        // Created, the plan carries the same warnings and the response the
        // same checks.
        let created = rent
            .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
                request_id: uuid::Uuid::new_v4().to_string(),
                lease_id: lease.id.clone(),
                terms: late,
                ..Default::default()
            })
            .await
            .expect("a plan")
            .into_inner();
        assert_eq!(created.checks, r.checks);
        assert_eq!(created.plan.expect("a plan").warnings, r.warnings);

        // 3 000 a month from 2026-12 (due 2026-11-30): both checks pass,
        // and say so with the figures.
        let r = rent
            .preview_rent_payment_plan(preview(terms("14350", "2026-12", instalment("3000"))))
            .await
            .expect("a preview")
            .into_inner();
        assert_eq!(
            outcomes(&r.checks),
            [
                (Surplus as i32, Passed as i32),
                (NoticeDeadline as i32, Passed as i32)
            ]
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!(
            r.checks[0]
                .message
                .starts_with("instalment 3 000 ≤ surplus 4 937"),
            "{}",
            r.checks[0].message
        );
        assert!(
            r.checks[1]
                .message
                .starts_with("first instalment due 2026-11-30, notice deadline 2026-12-11"),
            "{}",
            r.checks[1].message
        );

        // A resolved notice is no longer checked against.
        rent.resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
            id: notice.id.clone(),
            resolution: pb::NoticeResolution::PlanAgreed as i32,
            resolved_date: "2026-11-22".into(),
            note: String::new(),
        })
        .await
        .expect("resolved");
        let r = rent
            .preview_rent_payment_plan(preview(terms("14350", "2027-01", months(3))))
            .await
            .expect("a preview")
            .into_inner();
        assert_eq!(r.checks.len(), 2);
        assert_eq!(r.checks[1].message, "no open eviction notice on the lease");
    })
    .await;
}

#[tokio::test]
async fn the_skuldsanering_forbehallsbelopp_includes_the_buffer_on_its_own_line() {
    on_each_backend(|app| async move {
        let estimate = |buffer: Option<pb::Money>| pb::EstimateDebtRestructuringRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2024-01".into(),
                members: vec![member_aged(Applicant, 45)],
                housing_cost: money("7000"),
                ..Default::default()
            }),
            net_income: money("20000"),
            buffer,
            years: 0,
            claims: vec![pb::CreditorClaim {
                creditor_name: "Exempel Bank AB".into(),
                balance: money("120000"),
                ..Default::default()
            }],
        };
        let mut client = app.debts();
        // §7 example 6: 6 090 + 7 000 + 500 (buffer) = 13 590.
        let r = client
            .estimate_debt_restructuring(estimate(None))
            .await
            .expect("an estimate")
            .into_inner();
        assert_eq!(amount(&r.protected_amount_with_buffer), "13590.00");
        assert_eq!(amount(&r.protected_amount), "13090.00");
        assert_eq!(amount(&r.buffer), "500.00");
        assert_eq!(amount(&r.monthly_payment), "6410.00");
        let lines = line_view(&r.lines);
        let at = |label: &str| {
            lines
                .iter()
                .position(|(l, _)| l == label)
                .unwrap_or_else(|| panic!("no line {label}: {lines:?}"))
        };
        assert_eq!(lines[at("buffert")].1, "500.00");
        assert_eq!(lines[at("förbehållsbelopp i skuldsanering")].1, "13590.00");
        assert!(at("buffert") < at("förbehållsbelopp i skuldsanering"));
        let r = client
            .estimate_debt_restructuring(estimate(money("750")))
            .await
            .expect("an estimate")
            .into_inner();
        assert_eq!(amount(&r.protected_amount_with_buffer), "13840.00");
        assert_eq!(amount(&r.monthly_payment), "6160.00");
    })
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn child_support_names_its_child_by_member_id() {
    on_each_backend(|app| async move {
        let child_id = uuid::Uuid::new_v4().to_string();
        let mut child = member_aged(Child, 7);
        child.id = child_id.clone();
        let request = |support: pb::ChildSupport| pb::CalculateProtectedAmountRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2024-06".into(),
                members: vec![member_aged(Applicant, 40), child.clone()],
                child_support: vec![support],
                housing_cost: money("6000"),
                ..Default::default()
            }),
            net_income: None,
        };
        let support = |member_id: &str, member_index: i32| pb::ChildSupport {
            member_id: member_id.into(),
            member_index,
            barnbidrag: money("1250"),
            ..Default::default()
        };
        let mut client = app.debts();
        // Members given inline are named by the id given to them:
        // 6 090 + (3 906 − 1 250) + 6 000 = 14 746.
        let by_id = client
            .calculate_protected_amount(request(support(&child_id, 0)))
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(amount(&by_id.protected_amount), "14746.00");
        assert!(by_id.warnings.is_empty(), "{:?}", by_id.warnings);

        // The deprecated index form is still read from 1 on, with a warning.
        let by_index = client
            .calculate_protected_amount(request(support("", 1)))
            .await
            .expect("calculated")
            .into_inner();
        assert_eq!(amount(&by_index.protected_amount), "14746.00");
        assert!(
            by_index
                .warnings
                .iter()
                .any(|w| w.contains("member_index is deprecated")),
            "{:?}",
            by_index.warnings
        );

        // Neither (index 0 is "not given"), or both: refused, naming the field.
        let neither = client
            .calculate_protected_amount(request(support("", 0)))
            .await
            .expect_err("neither");
        assert_eq!(neither.code(), Code::InvalidArgument);
        assert_eq!(
            field_violations(&neither),
            ["input.child_support[0].member_id"]
        );
        let both = client
            .calculate_protected_amount(request(support(&child_id, 1)))
            .await
            .expect_err("both");
        assert_eq!(both.code(), Code::InvalidArgument);
        assert_eq!(
            field_violations(&both),
            ["input.child_support[0].member_index"]
        );
        // An id that is no member's.
        let stranger = client
            .calculate_protected_amount(request(support(&uuid::Uuid::new_v4().to_string(), 0)))
            .await
            .expect_err("no such member");
        assert_eq!(
            field_violations(&stranger),
            ["input.child_support[0].member_id"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_stream_item_error_carries_an_enum_code_and_a_reason() {
    on_each_backend(|app| async move {
        let mut checks = pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
            app.channel(),
            app.bearer_for(Role::RentCheck),
        );
        let items = vec![
            pb::CheckRentPaidStreamRequest {
                correlation_id: "bad".into(),
                query: Some(pb::RentCheckQuery {
                    subject: Some(pb::rent_check_query::Subject::HouseholdId(
                        "not-a-uuid".into(),
                    )),
                    application_month: "2026-12".into(),
                    ..Default::default()
                }),
            },
            pb::CheckRentPaidStreamRequest {
                correlation_id: "good".into(),
                query: Some(pb::RentCheckQuery {
                    subject: Some(pb::rent_check_query::Subject::HouseholdId(
                        uuid::Uuid::now_v7().to_string(),
                    )),
                    application_month: "2026-12".into(),
                    ..Default::default()
                }),
            },
        ];
        let mut stream = checks
            .check_rent_paid_stream(tokio_stream::iter(items))
            .await
            .expect("a stream")
            .into_inner();
        let mut answers = Vec::new();
        while let Some(answer) = stream.message().await.expect("an answer") {
            answers.push(answer);
        }
        use pb::check_rent_paid_stream_response::Outcome;
        let Some(Outcome::Error(error)) = &answers[0].outcome else {
            panic!("an item error: {:?}", answers[0]);
        };
        assert_eq!(error.error_code, pb::ItemErrorCode::InvalidArgument as i32);
        assert_eq!(error.code, "INVALID_ARGUMENT");
        assert_eq!(error.reason, "INVALID_FIELDS");
        assert_eq!(error.field_violations[0].field, "query.household_id");
        assert!(matches!(answers[1].outcome, Some(Outcome::Result(_))));
    })
    .await;
}
