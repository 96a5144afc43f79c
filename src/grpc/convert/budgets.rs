//! Budgets: income, expense and reasonable-cost lines in, budget results,
//! saved budgets and försörjningsstöd out.

use super::norms::table_ref_to_pb;
use super::{basis_to_pb, enum_value, line_to_pb, money_non_negative, money_to_pb, timestamp};
use crate::domain::budget::{
    AssistanceResult, BudgetResult, Comparison, Entry, ExpenseCategory, Frequency, IncomeCategory,
    MonthlyLine, ReasonableCostKind, SavedBudget,
};
use crate::domain::error::Violations;
use crate::domain::riksnorm::NormUnit;
use crate::pb;

pub fn frequency(field: &str, raw: i32, v: &mut Violations) -> Option<Frequency> {
    enum_value(
        field,
        raw,
        |f: pb::Frequency| match f {
            pb::Frequency::Unspecified => None,
            pb::Frequency::Monthly => Some(Frequency::Monthly),
            pb::Frequency::Weekly => Some(Frequency::Weekly),
            pb::Frequency::EveryFourWeeks => Some(Frequency::EveryFourWeeks),
            pb::Frequency::Quarterly => Some(Frequency::Quarterly),
            pb::Frequency::Yearly => Some(Frequency::Yearly),
            pb::Frequency::OneOff => Some(Frequency::OneOff),
        },
        v,
    )
}

pub fn frequency_to_pb(f: Frequency) -> pb::Frequency {
    match f {
        Frequency::Monthly => pb::Frequency::Monthly,
        Frequency::Weekly => pb::Frequency::Weekly,
        Frequency::EveryFourWeeks => pb::Frequency::EveryFourWeeks,
        Frequency::Quarterly => pb::Frequency::Quarterly,
        Frequency::Yearly => pb::Frequency::Yearly,
        Frequency::OneOff => pb::Frequency::OneOff,
    }
}

pub const MAX_DESCRIPTION_CHARS: usize = 200;

pub const MAX_LINES: usize = 200;

pub fn description(field: &str, text: &str, v: &mut Violations) -> String {
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        v.add(
            field,
            "TOO_LONG",
            format!("at most {MAX_DESCRIPTION_CHARS} characters"),
        );
    }
    if text.chars().any(char::is_control) {
        v.add(
            field,
            "CONTROL_CHARACTERS",
            "must not contain control characters",
        );
    }
    text.to_owned()
}

fn entries<P: WireLine, C>(
    path: &str,
    list: &[P],
    v: &mut Violations,
    category: impl Fn(&str, i32, &mut Violations) -> Option<C>,
) -> Vec<Entry<C>> {
    if list.len() > MAX_LINES {
        v.add(path, "OUT_OF_RANGE", format!("at most {MAX_LINES} lines"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let (raw_category, amount, raw_frequency, text) = item.parts();
        // A valid line needs no field paths: try it without building them
        // (this is the hot path of every budget), and name the fields only
        // when something is wrong.
        let mut quiet = Violations::new();
        let category_ok = category("", raw_category, &mut quiet);
        let amount_ok = money_non_negative("", amount, &mut quiet);
        let frequency_ok = frequency("", raw_frequency, &mut quiet);
        let description_ok = description("", text, &mut quiet);
        if let (true, Some(category), Some(amount), Some(frequency)) =
            (quiet.is_empty(), category_ok, amount_ok, frequency_ok)
        {
            out.push(Entry {
                category,
                amount,
                frequency,
                description: description_ok,
            });
            continue;
        }
        let p = format!("{path}[{i}]");
        let category = category(&format!("{p}.category"), raw_category, v);
        let amount = money_non_negative(&format!("{p}.amount"), amount, v);
        let frequency = frequency(&format!("{p}.frequency"), raw_frequency, v);
        let description = description(&format!("{p}.description"), text, v);
        if let (Some(category), Some(amount), Some(frequency)) = (category, amount, frequency) {
            out.push(Entry {
                category,
                amount,
                frequency,
                description,
            });
        }
    }
    out
}

pub fn income_category(field: &str, raw: i32, v: &mut Violations) -> Option<IncomeCategory> {
    enum_value(field, raw, income_category_from_pb, v)
}

fn income_category_from_pb(c: pb::IncomeCategory) -> Option<IncomeCategory> {
    use pb::IncomeCategory as P;
    Some(match c {
        P::Unspecified => return None,
        P::Salary => IncomeCategory::Salary,
        P::Pension => IncomeCategory::Pension,
        P::SicknessBenefit => IncomeCategory::SicknessBenefit,
        P::ParentalBenefit => IncomeCategory::ParentalBenefit,
        P::UnemploymentBenefit => IncomeCategory::UnemploymentBenefit,
        P::ActivitySupport => IncomeCategory::ActivitySupport,
        P::ChildAllowance => IncomeCategory::ChildAllowance,
        P::HousingAllowance => IncomeCategory::HousingAllowance,
        P::MaintenanceSupport => IncomeCategory::MaintenanceSupport,
        P::StudentAid => IncomeCategory::StudentAid,
        P::Other => IncomeCategory::Other,
    })
}

pub fn income_category_to_pb(c: IncomeCategory) -> pb::IncomeCategory {
    use pb::IncomeCategory as P;
    match c {
        IncomeCategory::Salary => P::Salary,
        IncomeCategory::Pension => P::Pension,
        IncomeCategory::SicknessBenefit => P::SicknessBenefit,
        IncomeCategory::ParentalBenefit => P::ParentalBenefit,
        IncomeCategory::UnemploymentBenefit => P::UnemploymentBenefit,
        IncomeCategory::ActivitySupport => P::ActivitySupport,
        IncomeCategory::ChildAllowance => P::ChildAllowance,
        IncomeCategory::HousingAllowance => P::HousingAllowance,
        IncomeCategory::MaintenanceSupport => P::MaintenanceSupport,
        IncomeCategory::StudentAid => P::StudentAid,
        IncomeCategory::Other => P::Other,
    }
}

pub fn expense_category(field: &str, raw: i32, v: &mut Violations) -> Option<ExpenseCategory> {
    enum_value(field, raw, expense_category_from_pb, v)
}

fn expense_category_from_pb(c: pb::ExpenseCategory) -> Option<ExpenseCategory> {
    use pb::ExpenseCategory as P;
    Some(match c {
        P::Unspecified => return None,
        P::Rent => ExpenseCategory::Rent,
        P::HouseholdElectricity => ExpenseCategory::HouseholdElectricity,
        P::HomeInsurance => ExpenseCategory::HomeInsurance,
        P::WorkTravel => ExpenseCategory::WorkTravel,
        P::UnionAndUnemploymentFund => ExpenseCategory::UnionAndUnemploymentFund,
        P::Childcare => ExpenseCategory::Childcare,
        P::Food => ExpenseCategory::Food,
        P::Clothing => ExpenseCategory::Clothing,
        P::PersonalHygiene => ExpenseCategory::PersonalHygiene,
        P::Leisure => ExpenseCategory::Leisure,
        P::MobilePhone => ExpenseCategory::MobilePhone,
        P::ChildInsurance => ExpenseCategory::ChildInsurance,
        P::BabyEquipment => ExpenseCategory::BabyEquipment,
        P::Consumables => ExpenseCategory::Consumables,
        P::HomeEquipment => ExpenseCategory::HomeEquipment,
        P::Media => ExpenseCategory::Media,
        P::WaterAndSewage => ExpenseCategory::WaterAndSewage,
        P::Healthcare => ExpenseCategory::Healthcare,
        P::Transport => ExpenseCategory::Transport,
        P::DebtPayments => ExpenseCategory::DebtPayments,
        P::MaintenancePaid => ExpenseCategory::MaintenancePaid,
        P::Other => ExpenseCategory::Other,
    })
}

pub fn expense_category_to_pb(c: ExpenseCategory) -> pb::ExpenseCategory {
    use pb::ExpenseCategory as P;
    match c {
        ExpenseCategory::Rent => P::Rent,
        ExpenseCategory::HouseholdElectricity => P::HouseholdElectricity,
        ExpenseCategory::HomeInsurance => P::HomeInsurance,
        ExpenseCategory::WorkTravel => P::WorkTravel,
        ExpenseCategory::UnionAndUnemploymentFund => P::UnionAndUnemploymentFund,
        ExpenseCategory::Childcare => P::Childcare,
        ExpenseCategory::Food => P::Food,
        ExpenseCategory::Clothing => P::Clothing,
        ExpenseCategory::PersonalHygiene => P::PersonalHygiene,
        ExpenseCategory::Leisure => P::Leisure,
        ExpenseCategory::MobilePhone => P::MobilePhone,
        ExpenseCategory::ChildInsurance => P::ChildInsurance,
        ExpenseCategory::BabyEquipment => P::BabyEquipment,
        ExpenseCategory::Consumables => P::Consumables,
        ExpenseCategory::HomeEquipment => P::HomeEquipment,
        ExpenseCategory::Media => P::Media,
        ExpenseCategory::WaterAndSewage => P::WaterAndSewage,
        ExpenseCategory::Healthcare => P::Healthcare,
        ExpenseCategory::Transport => P::Transport,
        ExpenseCategory::DebtPayments => P::DebtPayments,
        ExpenseCategory::MaintenancePaid => P::MaintenancePaid,
        ExpenseCategory::Other => P::Other,
    }
}

pub fn reasonable_cost_kind(
    field: &str,
    raw: i32,
    v: &mut Violations,
) -> Option<ReasonableCostKind> {
    use pb::ReasonableCostKind as P;
    enum_value(
        field,
        raw,
        |c: P| {
            Some(match c {
                P::Unspecified => return None,
                P::Rent => ReasonableCostKind::Rent,
                P::HouseholdElectricity => ReasonableCostKind::HouseholdElectricity,
                P::WorkTravel => ReasonableCostKind::WorkTravel,
                P::HomeInsurance => ReasonableCostKind::HomeInsurance,
                P::UnionAndUnemploymentFund => ReasonableCostKind::UnionAndUnemploymentFund,
                P::Childcare => ReasonableCostKind::Childcare,
            })
        },
        v,
    )
}

/// A budget line on the wire: its category (or kind), amount, frequency
/// and description.
pub trait WireLine {
    fn parts(&self) -> (i32, Option<&pb::Money>, i32, &str);
}

/// Each kind of wire line, with the parser of its list: `incomes` parses
/// a list of `pb::Income` into entries by income category, and so on.
macro_rules! wire_line {
    ($($parse:ident: $message:ident { $category:ident } => $kind:ident by $parse_kind:ident),+) => {$(
        impl WireLine for pb::$message {
            fn parts(&self) -> (i32, Option<&pb::Money>, i32, &str) {
                let pb::$message { $category, amount, frequency, description } = self;
                (*$category, amount.as_ref(), *frequency, description.as_str())
            }
        }

        pub fn $parse(path: &str, list: &[pb::$message], v: &mut Violations) -> Vec<Entry<$kind>> {
            entries(path, list, v, $parse_kind)
        }
    )+};
}

wire_line!(
    incomes: Income { category } => IncomeCategory by income_category,
    expenses: Expense { category } => ExpenseCategory by expense_category,
    reasonable_costs: ReasonableCost { kind } => ReasonableCostKind by reasonable_cost_kind
);

macro_rules! monthly_line_to_pb {
    ($name:ident, $category:ident, $message:ident, $category_to_pb:ident) => {
        pub fn $name(l: MonthlyLine<$category>) -> pb::$message {
            pb::$message {
                category: $category_to_pb(l.entry.category) as i32,
                description: l.entry.description,
                amount: money_to_pb(l.entry.amount),
                frequency: frequency_to_pb(l.entry.frequency) as i32,
                monthly_amount: money_to_pb(l.monthly),
                basis: basis_to_pb(l.basis),
            }
        }
    };
}

monthly_line_to_pb!(
    income_line_to_pb,
    IncomeCategory,
    IncomeLine,
    income_category_to_pb
);
monthly_line_to_pb!(
    expense_line_to_pb,
    ExpenseCategory,
    ExpenseLine,
    expense_category_to_pb
);

pub fn comparison_to_pb(c: Comparison) -> pb::ReferenceComparison {
    pb::ReferenceComparison {
        category: expense_category_to_pb(c.category) as i32,
        actual: money_to_pb(c.actual),
        reference: money_to_pb(c.reference),
        difference: money_to_pb(c.difference),
        flag: if c.above {
            pb::ComparisonFlag::AboveReference
        } else {
            pb::ComparisonFlag::WithinReference
        } as i32,
        basis: basis_to_pb(c.basis),
    }
}

pub fn budget_result_to_pb(r: BudgetResult) -> pb::BudgetResult {
    pb::BudgetResult {
        month: r.month.to_string(),
        incomes: r.incomes.into_iter().map(income_line_to_pb).collect(),
        expenses: r.expenses.into_iter().map(expense_line_to_pb).collect(),
        total_income: money_to_pb(r.total_income),
        total_expenses: money_to_pb(r.total_expenses),
        surplus: money_to_pb(r.surplus),
        comparisons: r.comparisons.into_iter().map(comparison_to_pb).collect(),
        warnings: r.warnings,
        tables: r.tables.into_iter().map(table_ref_to_pb).collect(),
    }
}

pub fn norm_unit_to_pb(u: NormUnit) -> pb::NormUnit {
    pb::NormUnit {
        label: u.label,
        member_indexes: u.member_indexes.into_iter().map(|i| i as u32).collect(),
        lines: u.lines.into_iter().map(line_to_pb).collect(),
        total: money_to_pb(u.total),
    }
}

pub fn saved_budget_to_pb(b: SavedBudget) -> pb::Budget {
    pb::Budget {
        id: b.id.to_string(),
        household_id: b.household_id.to_string(),
        create_time: Some(timestamp(b.created_at)),
        created_by: b.created_by,
        result: Some(budget_result_to_pb(b.result)),
        household_revision: b.household_revision,
    }
}

pub fn assistance_to_pb(r: AssistanceResult) -> pb::CalculateSocialAssistanceResponse {
    pb::CalculateSocialAssistanceResponse {
        month: r.month.to_string(),
        riksnorm_units: r.units.into_iter().map(norm_unit_to_pb).collect(),
        riksnorm_total: money_to_pb(r.riksnorm_total),
        reasonable_costs: r.costs.into_iter().map(line_to_pb).collect(),
        reasonable_costs_total: money_to_pb(r.costs_total),
        incomes: r.incomes.into_iter().map(income_line_to_pb).collect(),
        total_income: money_to_pb(r.total_income),
        total_need: money_to_pb(r.total_need),
        assistance: money_to_pb(r.assistance),
        rent_part: money_to_pb(r.rent_part),
        assistance_basis: basis_to_pb(r.assistance_basis),
        provisional: r.provisional,
        warnings: r.warnings,
        tables: r.tables.into_iter().map(table_ref_to_pb).collect(),
    }
}

#[cfg(test)]
mod tests;
