//! Budget files: `budget calculate` and `budget save`.

use crate::cli::names::words::w;
use std::path::Path;

use serde::Deserialize;

use super::lines::{ExpenseInput, IncomeInput, MemberInput, calculation_members};
use super::{InputError, Problem, finish};
use crate::pb;

/// Long help of `budget calculate` and `budget save`.
pub const BUDGET_FORMAT: &str = concat!(
    "BUDGET FILE (.toml or .json; see examples/budget.toml)\n\n",
    "month = \"2026-03\"             # the month the budget is for\n\n",
    "# Members: only for `budget calculate`. `budget save` uses the saved\n",
    "# household's members and refuses a file that lists any.\n",
);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    pub month: String,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub incomes: Vec<IncomeInput>,
    #[serde(default)]
    pub expenses: Vec<ExpenseInput>,
}

impl BudgetFile {
    /// The request of `budget calculate`.
    pub fn calculate_request(self, path: &Path) -> Result<pb::CalculateBudgetRequest, InputError> {
        let mut problems = Vec::new();
        let members = calculation_members(self.members, &mut problems);
        let request = pb::CalculateBudgetRequest {
            month: self.month,
            members,
            incomes: IncomeInput::all(self.incomes),
            expenses: ExpenseInput::all(self.expenses),
        };
        finish(path, problems, request)
    }

    /// The request of `budget save`: the saved household's members are used,
    /// so a file listing members is refused rather than silently ignored.
    pub fn create_request(
        self,
        path: &Path,
        household_id: String,
    ) -> Result<pb::CreateBudgetRequest, InputError> {
        let mut problems = Vec::new();
        if !self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: w("en sparad budget använder det sparade hushållets medlemmar; ta bort [[members]]-tabellerna (eller använd `budget calculate`)").into(),
            });
        }
        let request = pb::CreateBudgetRequest {
            household_id,
            month: self.month,
            incomes: IncomeInput::all(self.incomes),
            expenses: ExpenseInput::all(self.expenses),
        };
        finish(path, problems, request)
    }
}
