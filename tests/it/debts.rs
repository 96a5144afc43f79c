//! Debts through the gRPC API: the register with its balance history,
//! refusals that write nothing, the overview and offer, and worked examples
//! 5, 6 and 7 of docs/sources.md §7.

use budgetrad::pb;
use pb::MemberRole::{Applicant, Child, Partner};
use tonic::Code;

use crate::helpers::*;

type Client = pb::debt_service_client::DebtServiceClient<Authed>;

fn debts(app: &TestApp) -> Client {
    app.debts()
}

fn amount(m: &Option<pb::Money>) -> &str {
    m.as_ref().map(|m| m.amount.as_str()).unwrap_or("<none>")
}

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A saved household of one applicant; returns (household id, member id).
pub async fn household(app: &TestApp, serial: u32) -> (String, String) {
    let h = app
        .households()
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-DEBT".into(),
                members: vec![adult(Applicant, "19800101", serial)],
                ..Default::default()
            }),
        })
        .await
        .expect("created")
        .into_inner()
        .household
        .expect("a household");
    let member = h.members[0].id.clone();
    (h.id, member)
}

pub fn debt(household_id: &str, member: &str, kind: pb::DebtKind, balance: &str) -> pb::Debt {
    pb::Debt {
        household_id: household_id.into(),
        debtor_member_id: member.into(),
        creditor_name: "Exempel Inkasso AB".into(),
        creditor_organisation_number: "556677-8899".into(),
        creditor_reference: "F-1001".into(),
        kind: kind as i32,
        status: pb::DebtStatus::Active as i32,
        balance: money(balance),
        annual_interest_rate: "12".into(),
        monthly_fee: money("25"),
        agreed_monthly_payment: money("500"),
        ..Default::default()
    }
}

async fn create(client: &mut Client, debt: pb::Debt) -> pb::Debt {
    client
        .create_debt(pb::CreateDebtRequest {
            request_id: request_id(),
            debt: Some(debt),
            balance_date: "2026-11-01".into(),
        })
        .await
        .expect("created")
        .into_inner()
        .debt
        .expect("a debt")
}

async fn events(client: &mut Client, debt_id: &str) -> Vec<pb::DebtEvent> {
    client
        .list_debt_events(pb::ListDebtEventsRequest {
            debt_id: debt_id.into(),
            ..Default::default()
        })
        .await
        .expect("listed")
        .into_inner()
        .events
}

#[tokio::test]
async fn a_debt_changes_only_through_recorded_events() {
    on_each_backend(|app| async move {
        let mut client = debts(&app);
        let (h, member) = household(&app, 201).await;
        let request = pb::CreateDebtRequest {
            request_id: request_id(),
            debt: Some(debt(&h, &member, pb::DebtKind::ConsumerCredit, "10000")),
            balance_date: "2026-11-01".into(),
        };
        let created = client
            .create_debt(request.clone())
            .await
            .expect("created")
            .into_inner()
            .debt
            .expect("a debt");
        assert_eq!(amount(&created.balance), "10000.00");
        assert_eq!(created.creditor_organisation_number, "5566778899");
        assert!(!created.priority);
        // The same request again: the same debt, not a second one.
        let replay = client
            .create_debt(request.clone())
            .await
            .expect("replayed")
            .into_inner()
            .debt
            .expect("a debt");
        assert_eq!(replay.id, created.id);
        // The same request id for another debt is refused.
        let mut other = request.clone();
        other.debt.as_mut().expect("a debt").balance = money("5");
        let reused = client.create_debt(other).await.expect_err("reused id");
        assert_eq!(reused.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&reused).as_deref(), Some("REQUEST_ID_REUSED"));

        let record =
            |kind: pb::DebtEventKind, amount: &str, id: String| pb::RecordDebtEventRequest {
                request_id: id,
                debt_id: created.id.clone(),
                kind: kind as i32,
                date: "2026-11-15".into(),
                amount: money(amount),
                note: String::new(),
            };
        let payment_id = request_id();
        let paid = client
            .record_debt_event(record(
                pb::DebtEventKind::Payment,
                "1500.50",
                payment_id.clone(),
            ))
            .await
            .expect("paid")
            .into_inner();
        assert_eq!(amount(&paid.debt.expect("debt").balance), "8499.50");
        assert_eq!(amount(&paid.event.expect("event").change), "-1500.50");
        // A retried payment is not paid twice.
        let again = client
            .record_debt_event(record(pb::DebtEventKind::Payment, "1500.50", payment_id))
            .await
            .expect("replayed")
            .into_inner();
        assert_eq!(amount(&again.debt.expect("debt").balance), "8499.50");
        client
            .record_debt_event(record(pb::DebtEventKind::Interest, "84.99", request_id()))
            .await
            .expect("interest");
        client
            .record_debt_event(record(pb::DebtEventKind::Correction, "-100", request_id()))
            .await
            .expect("correction");
        // More than the balance: refused, nothing written.
        let over = client
            .record_debt_event(record(pb::DebtEventKind::Payment, "9000", request_id()))
            .await
            .expect_err("too much");
        assert_eq!(over.code(), Code::FailedPrecondition);
        assert_eq!(
            error_reason(&over).as_deref(),
            Some("BALANCE_WOULD_BE_NEGATIVE")
        );

        let history = events(&mut client, &created.id).await;
        let changes: Vec<(i32, &str, &str)> = history
            .iter()
            .map(|e| (e.kind, amount(&e.change), amount(&e.balance_after)))
            .collect();
        use pb::DebtEventKind as E;
        assert_eq!(
            changes,
            [
                (E::OpeningBalance as i32, "10000.00", "10000.00"),
                (E::Payment as i32, "-1500.50", "8499.50"),
                (E::Interest as i32, "84.99", "8584.49"),
                (E::Correction as i32, "-100.00", "8484.49"),
            ]
        );

        // Terms change by update (the balance is not a term).
        let mut changed = client
            .get_debt(pb::GetDebtRequest {
                id: created.id.clone(),
            })
            .await
            .expect("read")
            .into_inner()
            .debt
            .expect("a debt");
        changed.status = pb::DebtStatus::DebtCollection as i32;
        changed.balance = money("1");
        let updated = client
            .update_debt(pb::UpdateDebtRequest {
                debt: Some(changed.clone()),
            })
            .await
            .expect("updated")
            .into_inner()
            .debt
            .expect("a debt");
        assert_eq!(updated.status, pb::DebtStatus::DebtCollection as i32);
        assert_eq!(amount(&updated.balance), "8484.49");
        let stale = client
            .update_debt(pb::UpdateDebtRequest {
                debt: Some(changed),
            })
            .await
            .expect_err("stale");
        assert_eq!(stale.code(), Code::Aborted);

        // Settled: the rest is written off, and nothing more is recorded.
        let settled = client
            .settle_debt(pb::SettleDebtRequest {
                request_id: request_id(),
                debt_id: created.id.clone(),
                date: "2026-11-20".into(),
                note: String::new(),
            })
            .await
            .expect("settled")
            .into_inner();
        let settled_debt = settled.debt.expect("debt");
        assert_eq!(settled_debt.status, pb::DebtStatus::Settled as i32);
        assert_eq!(amount(&settled_debt.balance), "0.00");
        assert_eq!(amount(&settled.event.expect("event").change), "-8484.49");
        let again = client
            .record_debt_event(record(pb::DebtEventKind::Payment, "1", request_id()))
            .await
            .expect_err("settled");
        assert_eq!(again.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&again).as_deref(), Some("DEBT_SETTLED"));
        assert_eq!(events(&mut client, &created.id).await.len(), 5);

        // Filters.
        create(&mut client, debt(&h, &member, pb::DebtKind::Rent, "3000")).await;
        let list = |kind: pb::DebtKind, status: pb::DebtStatus| pb::ListDebtsRequest {
            household_id: h.clone(),
            kind: kind as i32,
            status: status as i32,
            ..Default::default()
        };
        let all = client
            .list_debts(list(pb::DebtKind::Unspecified, pb::DebtStatus::Unspecified))
            .await
            .expect("listed")
            .into_inner()
            .debts;
        assert_eq!(all.len(), 2);
        let rent = client
            .list_debts(list(pb::DebtKind::Rent, pb::DebtStatus::Unspecified))
            .await
            .expect("listed")
            .into_inner()
            .debts;
        assert_eq!(rent.len(), 1);
        assert!(rent[0].priority);
        let settled = client
            .list_debts(list(pb::DebtKind::Unspecified, pb::DebtStatus::Settled))
            .await
            .expect("listed")
            .into_inner()
            .debts;
        assert_eq!(settled.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn bad_debts_are_refused_and_write_nothing() {
    on_each_backend(|app| async move {
        let mut client = debts(&app);
        let (h, member) = household(&app, 202).await;
        let (_, stranger) = household(&app, 203).await;
        let try_create = |d: pb::Debt| pb::CreateDebtRequest {
            request_id: request_id(),
            debt: Some(d),
            balance_date: String::new(),
        };

        let unknown = client
            .create_debt(try_create(debt(
                &uuid::Uuid::new_v4().to_string(),
                &member,
                pb::DebtKind::Other,
                "100",
            )))
            .await
            .expect_err("unknown household");
        assert_eq!(unknown.code(), Code::NotFound);

        let not_member = client
            .create_debt(try_create(debt(&h, &stranger, pb::DebtKind::Other, "100")))
            .await
            .expect_err("debtor elsewhere");
        assert_eq!(not_member.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&not_member), ["debt.debtor_member_id"]);

        let negative = client
            .create_debt(try_create(debt(&h, &member, pb::DebtKind::Other, "-5")))
            .await
            .expect_err("negative");
        assert_eq!(negative.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&negative), ["debt.balance"]);

        let mut usurious = debt(&h, &member, pb::DebtKind::SmsLoan, "100");
        usurious.annual_interest_rate = "120".into();
        usurious.creditor_organisation_number = "556677-8898".into();
        let refused = client
            .create_debt(try_create(usurious))
            .await
            .expect_err("rate");
        assert_eq!(refused.code(), Code::InvalidArgument);
        assert_eq!(
            field_violations(&refused),
            [
                "debt.creditor_organisation_number",
                "debt.annual_interest_rate"
            ]
        );

        let listed = client
            .list_debts(pb::ListDebtsRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .debts;
        assert!(listed.is_empty(), "a refused debt was written");
    })
    .await;
}

#[tokio::test]
async fn the_overview_puts_priority_debts_first_and_offers_the_rest_pro_rata() {
    on_each_backend(|app| async move {
        let mut client = debts(&app);
        let (h, member) = household(&app, 204).await;
        create(&mut client, debt(&h, &member, pb::DebtKind::Rent, "6000")).await;
        let a = create(
            &mut client,
            debt(&h, &member, pb::DebtKind::ConsumerCredit, "10000"),
        )
        .await;
        let b = create(
            &mut client,
            debt(&h, &member, pb::DebtKind::SmsLoan, "20000"),
        )
        .await;
        let mut c = debt(&h, &member, pb::DebtKind::Healthcare, "3333.33");
        c.agreed_monthly_payment = money("0");
        let c = create(&mut client, c).await;
        let overview = client
            .get_debt_overview(pb::GetDebtOverviewRequest {
                household_id: h.clone(),
                date: String::new(),
                available_monthly_amount: money("1000"),
            })
            .await
            .expect("overview")
            .into_inner();
        assert_eq!(amount(&overview.total_balance), "39333.33");
        assert_eq!(overview.priority_debts.len(), 1);
        assert_eq!(overview.other_debts.len(), 3);
        // Agreed 500 + fee 25 on three debts, fee only on the fourth.
        assert_eq!(amount(&overview.monthly_cost), "1600.00");
        let shares: Vec<(&str, &str)> = overview
            .offer
            .iter()
            .map(|s| (s.debt_id.as_str(), amount(&s.monthly_amount)))
            .collect();
        assert_eq!(
            shares,
            [
                (a.id.as_str(), "300.00"),
                (b.id.as_str(), "600.00"),
                (c.id.as_str(), "100.00"),
            ]
        );
        // A payment of 0 never covers interest and fee.
        let never = overview
            .pay_off
            .iter()
            .find(|p| p.debt_id == c.id)
            .expect("c's pay-off");
        assert_eq!(never.outcome, Some(pb::pay_off::Outcome::Never(true)));
        let months = overview
            .pay_off
            .iter()
            .find(|p| p.debt_id == a.id)
            .expect("a's pay-off");
        assert!(matches!(months.outcome, Some(pb::pay_off::Outcome::Months(m)) if m > 20));
    })
    .await;
}

fn protected_input(month: &str, members: Vec<pb::Member>, rent: &str) -> pb::ProtectedAmountInput {
    pb::ProtectedAmountInput {
        month: month.into(),
        members,
        housing_cost: money(rent),
        ..Default::default()
    }
}

#[tokio::test]
async fn worked_example_5_forbehallsbelopp() {
    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    let r = debts(&app)
        .calculate_protected_amount(pb::CalculateProtectedAmountRequest {
            input: Some(protected_input(
                "2024-03",
                vec![
                    member_aged(Applicant, 38),
                    member_aged(Partner, 36),
                    member_aged(Child, 4),
                    member_aged(Child, 12),
                ],
                "9000",
            )),
            net_income: money("30000"),
        })
        .await
        .expect("calculated")
        .into_inner();
    assert_eq!(amount(&r.protected_amount), "26874.00");
    let garnishable = r.garnishable.expect("a garnishable line");
    assert_eq!(amount(&garnishable.amount), "3126.00");
    assert!(r.tables.iter().any(|t| t.table_id.contains("normalbelopp")));
}

#[tokio::test]
async fn worked_example_6_skuldsanering() {
    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    let claim = |name: &str, balance: &str| pb::CreditorClaim {
        debt_id: String::new(),
        creditor_name: name.into(),
        balance: money(balance),
    };
    let r = debts(&app)
        .estimate_debt_restructuring(pb::EstimateDebtRestructuringRequest {
            input: Some(protected_input(
                "2024-01",
                vec![member_aged(Applicant, 45)],
                "7000",
            )),
            net_income: money("20000"),
            buffer: None,
            years: 0,
            claims: vec![
                claim("Exempel Bank AB", "120000"),
                claim("Exempel Kredit AB", "60000"),
                claim("Exempel Finans AB", "20000"),
            ],
        })
        .await
        .expect("estimated")
        .into_inner();
    // Förbehållsbelopp 6 090 + 7 000, plus the 500 kr buffer = 13 590.
    assert_eq!(amount(&r.protected_amount), "13090.00");
    assert_eq!(amount(&r.protected_amount_with_buffer), "13590.00");
    assert_eq!(amount(&r.buffer), "500.00");
    assert_eq!(amount(&r.monthly_payment), "6410.00");
    assert_eq!(r.years, 5);
    let first = &r.yearly[0];
    assert_eq!(amount(&first.paid_in), "64100.00");
    assert_eq!(amount(&first.fee), "500.00");
    assert_eq!(amount(&first.distributed), "63600.00");
    let year_one: Vec<(&str, &str)> = r
        .creditors
        .iter()
        .map(|c| (c.creditor_name.as_str(), amount(&c.yearly[0].amount)))
        .collect();
    assert_eq!(
        year_one,
        [
            ("Exempel Bank AB", "38160.00"),
            ("Exempel Kredit AB", "19080.00"),
            ("Exempel Finans AB", "6360.00"),
        ]
    );
    // The shares sum exactly to what was distributed, every year.
    for (year, summary) in r.yearly.iter().enumerate() {
        let paid: rust_decimal::Decimal = r
            .creditors
            .iter()
            .filter_map(|c| c.yearly.get(year))
            .map(|l| {
                amount(&l.amount)
                    .parse::<rust_decimal::Decimal>()
                    .expect("money")
            })
            .sum();
        assert_eq!(
            paid,
            amount(&summary.distributed)
                .parse::<rust_decimal::Decimal>()
                .expect("money")
        );
    }
}

#[tokio::test]
async fn worked_example_7_drojsmalsranta() {
    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    let r = debts(&app)
        .calculate_late_interest(pb::CalculateLateInterestRequest {
            principal: money("10000"),
            from_date: "2024-01-01".into(),
            to_date: "2024-01-30".into(),
        })
        .await
        .expect("calculated")
        .into_inner();
    assert_eq!(r.days, 30);
    assert_eq!(r.periods.len(), 1);
    assert_eq!(r.periods[0].rate, "12");
    assert_eq!(amount(&r.interest), "98.63");
    let backwards = debts(&app)
        .calculate_late_interest(pb::CalculateLateInterestRequest {
            principal: money("10000"),
            from_date: "2024-02-01".into(),
            to_date: "2024-01-30".into(),
        })
        .await
        .expect_err("backwards");
    assert_eq!(backwards.code(), Code::InvalidArgument);
    assert_eq!(field_violations(&backwards), ["to_date"]);
}

/// Runs `budgetrad-cli --server … --token … ARGS` off the async runtime (the
/// server runs on it) and returns its standard output; fails on a non-zero
/// exit.
pub async fn cli(app: &TestApp, args: &[&str]) -> String {
    cli_as(app, budgetrad::grpc::auth::Role::Counsellor, args).await
}

/// Runs budgetrad-cli against the app with the token of `role`; its stdout.
pub async fn cli_as(app: &TestApp, role: budgetrad::grpc::auth::Role, args: &[&str]) -> String {
    let url = app.url();
    let owned: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--server", &url, "--token"])
            .arg(secret_for(role))
            .args(&owned)
            .output()
            .expect("budgetrad-cli runs")
    })
    .await
    .expect("the CLI ran");
    assert!(
        output.status.success(),
        "budgetrad-cli {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_cli_keeps_the_register_and_prints_the_examples() {
    on_each_backend(|app| async move {
        let (h, member) = household(&app, 205).await;
        let json = |text: String| -> serde_json::Value {
            serde_json::from_str(&text).expect("JSON output")
        };
        let added = json(
            cli(
                &app,
                &[
                    "--json",
                    "debts",
                    "add",
                    &h,
                    "--debtor",
                    &member,
                    "--creditor",
                    "Exempel Kredit AB",
                    "--kind",
                    "consumer_credit",
                    "--balance",
                    "20000",
                    "--rate",
                    "9.9",
                    "--payment",
                    "1000",
                ],
            )
            .await,
        );
        let id = added["id"].as_str().expect("an id").to_owned();
        assert_eq!(added["kind"], "consumer_credit");
        assert_eq!(added["balance"], "20000.00");
        cli(
            &app,
            &[
                "debts",
                "record",
                &id,
                "--kind",
                "correction",
                "--amount",
                "-150",
                "--date",
                "2026-11-10",
            ],
        )
        .await;
        cli(
            &app,
            &[
                "debts",
                "add",
                &h,
                "--debtor",
                &member,
                "--creditor",
                "Exempel Bostäder AB",
                "--kind",
                "rent",
                "--balance",
                "4500",
            ],
        )
        .await;
        let shown = cli(&app, &["debts", "show", &id]).await;
        assert!(shown.contains("19 850,00 kr"), "{shown}");
        assert!(shown.contains("rättelse"), "{shown}");
        let offer = json(
            cli(
                &app,
                &["--json", "debts", "offer", &h, "--available", "700"],
            )
            .await,
        );
        assert_eq!(offer["shares"][0]["monthly_amount"], "700.00");
        let overview = cli(&app, &["debts", "overview", &h, "--available", "700"]).await;
        assert!(overview.contains("Prioriterade skulder"), "{overview}");
        assert!(overview.contains("hyresskuld"), "{overview}");
        let list = json(cli(&app, &["--json", "debts", "list", &h, "--kind", "rent"]).await);
        assert_eq!(list["debts"].as_array().expect("debts").len(), 1);

        let late = json(
            cli(
                &app,
                &[
                    "--json",
                    "late-interest",
                    "--principal",
                    "10000",
                    "--from",
                    "2024-01-01",
                    "--to",
                    "2024-01-30",
                ],
            )
            .await,
        );
        assert_eq!(late["interest"], "98.63");
        let protected = json(
            cli(
                &app,
                &[
                    "--json",
                    "protected-amount",
                    "examples/protected-amount.toml",
                ],
            )
            .await,
        );
        assert_eq!(protected["protected_amount"], "26874.00");
        assert_eq!(protected["garnishable"], "3126.00");
        let estimate = cli(&app, &["skuldsanering", "examples/skuldsanering.toml"]).await;
        assert!(estimate.contains("38 160,00 kr"), "{estimate}");
        assert!(estimate.contains("6 360,00 kr"), "{estimate}");
    })
    .await;
}

#[tokio::test]
async fn the_offer_defaults_to_the_latest_budget_and_child_support_reduces_the_protected_amount() {
    on_each_backend(|app| async move {
        // A household with a child: the budget's surplus becomes the amount
        // available for creditors when none is given.
        let h = app
            .households()
            .create_household(pb::CreateHouseholdRequest {
                household: Some(pb::Household {
                    case_reference: "TEST-DEBT".into(),
                    members: vec![adult(Applicant, "19800101", 206), child_born("2016-05-01")],
                    ..Default::default()
                }),
            })
            .await
            .expect("created")
            .into_inner()
            .household
            .expect("a household");
        let (applicant, child) = (h.members[0].id.clone(), h.members[1].id.clone());
        let mut client = debts(&app);
        create(
            &mut client,
            debt(&h.id, &applicant, pb::DebtKind::ConsumerCredit, "5000"),
        )
        .await;
        let without_budget = client
            .get_debt_overview(pb::GetDebtOverviewRequest {
                household_id: h.id.clone(),
                ..Default::default()
            })
            .await
            .expect("overview")
            .into_inner();
        assert_eq!(amount(&without_budget.available_monthly_amount), "0.00");
        assert!(without_budget.offer.is_empty());
        assert!(!without_budget.warnings.is_empty());
        let budget = crate::budgets::sample_budget();
        let saved = app
            .budgets()
            .create_budget(pb::CreateBudgetRequest {
                household_id: h.id.clone(),
                month: "2026-03".into(),
                incomes: budget.incomes,
                expenses: budget.expenses,
            })
            .await
            .expect("saved")
            .into_inner()
            .budget
            .expect("a budget");
        let surplus = amount(&saved.result.expect("a result").surplus).to_owned();
        let with_budget = client
            .get_debt_overview(pb::GetDebtOverviewRequest {
                household_id: h.id.clone(),
                ..Default::default()
            })
            .await
            .expect("overview")
            .into_inner();
        assert_eq!(amount(&with_budget.available_monthly_amount), surplus);
        assert_eq!(with_budget.offer.len(), 1);
        assert_eq!(amount(&with_budget.offer[0].monthly_amount), surplus);

        // 2024: the child is 7 (7–10 år: 3 906); barnbidrag 1 250 and
        // underhållsstöd 1 673 leave 983.
        let protected = |support: Vec<pb::ChildSupport>| pb::CalculateProtectedAmountRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2024-06".into(),
                household_id: h.id.clone(),
                child_support: support,
                housing_cost: money("6000"),
                housing_allowances: vec![pb::HousingAllowance {
                    kind: pb::HousingAllowanceKind::Bostadsbidrag as i32,
                    amount: money("1500"),
                }],
                ..Default::default()
            }),
            net_income: None,
        };
        let r = client
            .calculate_protected_amount(protected(vec![pb::ChildSupport {
                member_id: child.clone(),
                barnbidrag: money("1250"),
                underhallsstod: money("1673"),
                ..Default::default()
            }]))
            .await
            .expect("calculated")
            .into_inner();
        // 6 090 + (3 906 − 1 250 − 1 673) + (6 000 − 1 500) = 11 573
        assert_eq!(amount(&r.protected_amount), "11573.00");
        let wrong = client
            .calculate_protected_amount(protected(vec![pb::ChildSupport {
                member_id: applicant,
                barnbidrag: money("1250"),
                ..Default::default()
            }]))
            .await
            .expect_err("not a child");
        assert_eq!(wrong.code(), Code::InvalidArgument);
        assert_eq!(
            field_violations(&wrong),
            ["input.child_support[0].member_id"]
        );
    })
    .await;
}
