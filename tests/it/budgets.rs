//! Budgets through the gRPC API: calculated, saved with history, compared
//! with reference costs, and refused when the input is bad.

use budgetrad::pb;
use pb::MemberRole::{Applicant, Child};
use tonic::Code;

use crate::helpers::*;
use crate::households::family;

fn income(category: pb::IncomeCategory, amount: &str, frequency: pb::Frequency) -> pb::Income {
    pb::Income {
        category: category as i32,
        amount: money(amount),
        frequency: frequency as i32,
        description: String::new(),
    }
}

fn expense(category: pb::ExpenseCategory, amount: &str, frequency: pb::Frequency) -> pb::Expense {
    pb::Expense {
        category: category as i32,
        amount: money(amount),
        frequency: frequency as i32,
        description: String::new(),
    }
}

pub fn sample_budget() -> pb::CalculateBudgetRequest {
    use pb::ExpenseCategory as E;
    use pb::Frequency as F;
    pb::CalculateBudgetRequest {
        month: "2026-03".into(),
        members: vec![member_aged(Applicant, 34), member_aged(Child, 7)],
        incomes: vec![
            income(pb::IncomeCategory::Salary, "20000", F::Monthly),
            income(pb::IncomeCategory::ChildAllowance, "1250", F::Monthly),
        ],
        expenses: vec![
            expense(E::Rent, "8000", F::Monthly),
            expense(E::Food, "450", F::Weekly),
            expense(E::HomeInsurance, "1000", F::Yearly),
            expense(E::Media, "1000", F::EveryFourWeeks),
        ],
    }
}

fn amount(m: &Option<pb::Money>) -> &str {
    m.as_ref().map(|m| m.amount.as_str()).unwrap_or("<none>")
}

#[tokio::test]
async fn a_budget_normalises_every_line_and_adds_up_to_the_ore() {
    on_each_backend(|app| async move {
        let result = app
            .budgets()
            .calculate_budget(sample_budget())
            .await
            .expect("calculated")
            .into_inner()
            .result
            .expect("a result");
        let monthly: Vec<&str> = result
            .expenses
            .iter()
            .map(|l| amount(&l.monthly_amount))
            .collect();
        // 450 × 52 / 12 = 1 950; 1 000 / 12 = 83.333… → 83.33; 1 000 × 13 / 12 = 1 083.33
        assert_eq!(monthly, vec!["8000.00", "1950.00", "83.33", "1083.33"]);
        assert_eq!(
            result.expenses[1].basis.as_ref().unwrap().arithmetic,
            "450 × 52 / 12 = 1 950"
        );
        assert_eq!(amount(&result.total_income), "21250.00");
        assert_eq!(amount(&result.total_expenses), "11116.66");
        assert_eq!(amount(&result.surplus), "10133.34");
        // No reference-costs table is shipped: said, not silently skipped.
        assert!(result.comparisons.is_empty());
        assert!(
            result
                .warnings
                .iter()
                .any(|w| w.contains("reference-costs"))
        );
    })
    .await;
}

#[tokio::test]
async fn bad_budget_input_names_every_field() {
    on_each_backend(|app| async move {
        let mut client = app.budgets();
        for bad in ["1e3", "12.345", "1,5", ""] {
            let mut request = sample_budget();
            request.incomes[0].amount = money(bad);
            let status = client
                .calculate_budget(request)
                .await
                .expect_err("bad amount");
            assert_eq!(status.code(), Code::InvalidArgument);
            assert_eq!(
                field_violations(&status),
                vec!["incomes[0].amount"],
                "amount {bad:?}"
            );
        }
        let mut request = sample_budget();
        request.expenses[1].amount = money("-450");
        request.expenses[2].category = 999;
        request.incomes[1].frequency = 0;
        request.month = "2026-13".into();
        request.members[1].age = None;
        request.members[1].birth_date = "2030-01-01".into();
        let status = client
            .calculate_budget(request)
            .await
            .expect_err("bad input");
        assert_eq!(
            field_violations(&status),
            vec![
                "month",
                "members[1].birth_date",
                "incomes[1].frequency",
                "expenses[1].amount",
                "expenses[2].category",
            ],
            "{}",
            status.message()
        );
        let mut no_adult = sample_budget();
        no_adult.members.remove(0);
        let status = client
            .calculate_budget(no_adult)
            .await
            .expect_err("no adult");
        assert_eq!(field_violations(&status), vec!["members"]);
    })
    .await;
}

#[tokio::test]
async fn saved_budgets_keep_their_history() {
    on_each_backend(|app| async move {
        let household = app
            .households()
            .create_household(pb::CreateHouseholdRequest {
                household: Some(family("budget", 501)),
            })
            .await
            .expect("created")
            .into_inner()
            .household
            .expect("a household");
        let mut client = app.budgets();
        let template = sample_budget();
        let mut saved = Vec::new();
        for rent in ["8000", "8200.50"] {
            let mut expenses = template.expenses.clone();
            expenses[0].amount = money(rent);
            let budget = client
                .create_budget(pb::CreateBudgetRequest {
                    household_id: household.id.clone(),
                    month: "2026-03".into(),
                    incomes: template.incomes.clone(),
                    expenses,
                })
                .await
                .expect("saved")
                .into_inner()
                .budget
                .expect("a budget");
            assert_eq!(budget.created_by, "test-counsellor");
            assert_eq!(budget.household_revision, 1);
            saved.push(budget);
        }
        let got = client
            .get_budget(pb::GetBudgetRequest {
                id: saved[0].id.clone(),
            })
            .await
            .expect("got")
            .into_inner()
            .budget
            .expect("a budget");
        assert_eq!(got, saved[0], "a saved budget reads back exactly");
        let listed = client
            .list_budgets(pb::ListBudgetsRequest {
                household_id: household.id.clone(),
                page_size: 1,
                page_token: String::new(),
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(listed.budgets, vec![saved[1].clone()], "newest first");
        let rest = client
            .list_budgets(pb::ListBudgetsRequest {
                household_id: household.id.clone(),
                page_size: 1,
                page_token: listed.next_page_token,
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(rest.budgets, vec![saved[0].clone()]);
        assert!(rest.next_page_token.is_empty());

        let status = client
            .create_budget(pb::CreateBudgetRequest {
                household_id: uuid::Uuid::now_v7().to_string(),
                month: "2026-03".into(),
                ..Default::default()
            })
            .await
            .expect_err("unknown household");
        assert_eq!(status.code(), Code::NotFound);

        // A negative expense is refused and nothing is saved.
        let status = client
            .create_budget(pb::CreateBudgetRequest {
                household_id: household.id.clone(),
                month: "2026-03".into(),
                incomes: vec![],
                expenses: vec![expense(
                    pb::ExpenseCategory::Rent,
                    "-1",
                    pb::Frequency::Monthly,
                )],
            })
            .await
            .expect_err("negative expense");
        assert_eq!(field_violations(&status), vec!["expenses[0].amount"]);
        let all = client
            .list_budgets(pb::ListBudgetsRequest {
                household_id: household.id.clone(),
                page_size: 0,
                page_token: String::new(),
            })
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(all.budgets.len(), 2);
    })
    .await;
}
