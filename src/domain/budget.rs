//! Household budgets and försörjningsstöd (the riksnorm and the costs outside
//! it: docs/sources.md §1).
//!
//! Every income and expense is normalised to the month at a named rounding
//! point (whole öre, half away from zero); totals are sums of the rounded
//! lines shown, so what a counsellor prints adds up to the öre.
//!
//! Försörjningsstöd = riksnorm + reasonable actual costs outside the norm
//! (boende, capped by the municipality's cap when one is given; hushållsel;
//! arbetsresor; hemförsäkring; fackavgift och a-kassa; barnomsorg) − the
//! household's incomes, never below zero. The part covering housing is
//! reported separately, since it may be paid straight to the landlord.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::calendar::YearMonth;
use super::error::DomainError;
use super::explain::{Basis, Line, sum_arithmetic};
use super::household::Member;
use super::money::Money;
use super::norms::{
    BeyondSeven, HOUSEHOLD_COST_CATEGORIES, INDIVIDUAL_COST_CATEGORIES, NormTable, TableRef,
    TableStatus, beyond_seven, reference_age_band,
};
use super::riksnorm::{self, NormUnit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    Monthly,
    Weekly,
    EveryFourWeeks,
    Quarterly,
    Yearly,
    OneOff,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Weekly => "weekly",
            Frequency::EveryFourWeeks => "every_four_weeks",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
            Frequency::OneOff => "one_off",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<Frequency> {
        [
            Frequency::Monthly,
            Frequency::Weekly,
            Frequency::EveryFourWeeks,
            Frequency::Quarterly,
            Frequency::Yearly,
            Frequency::OneOff,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }

    /// (numerator, denominator) turning one occurrence into a month.
    fn per_month(self) -> (i64, i64) {
        match self {
            Frequency::Monthly | Frequency::OneOff => (1, 1),
            Frequency::Weekly => (52, 12),
            Frequency::EveryFourWeeks => (13, 12),
            Frequency::Quarterly => (1, 3),
            Frequency::Yearly => (1, 12),
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Frequency::Monthly => "månadsbelopp",
            Frequency::OneOff => "engångsbelopp räknas i sin helhet i månaden",
            Frequency::Weekly => "veckobelopp × 52 veckor / 12 månader",
            Frequency::EveryFourWeeks => "belopp var fjärde vecka × 13 / 12 månader",
            Frequency::Quarterly => "kvartalsbelopp / 3 månader",
            Frequency::Yearly => "årsbelopp / 12 månader",
        }
    }
}

/// `amount` per occurrence → the monthly amount, rounded to whole öre, with
/// its basis.
pub fn monthly(amount: Money, frequency: Frequency) -> (Money, Basis) {
    let (num, den) = frequency.per_month();
    let rounded = amount.mul_ratio_to_ore(num, den).unwrap_or(Money::ZERO);
    // "A × n / d = B", "A / d = B" or "B": built in one buffer, since every
    // line of every budget has one.
    let mut arithmetic = String::with_capacity(40);
    if (num, den) != (1, 1) {
        amount.push_kr(&mut arithmetic);
        // Writing to a String cannot fail.
        if num != 1 {
            let _ = write!(arithmetic, " × {num}");
        }
        let _ = write!(arithmetic, " / {den} = ");
    }
    rounded.push_kr(&mut arithmetic);
    (rounded, Basis::new(frequency.rule(), "", arithmetic))
}

macro_rules! categories {
    ($name:ident { $($variant:ident => $key:literal, $label:literal;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stable key used in storage and in reference-cost tables.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $key),* } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),* } }
            pub fn from_str_opt(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == s)
            }
        }
    };
}

categories!(IncomeCategory {
    Salary => "salary", "lön (netto)";
    Pension => "pension", "pension";
    SicknessBenefit => "sickness_benefit", "sjukpenning/sjukersättning";
    ParentalBenefit => "parental_benefit", "föräldrapenning";
    UnemploymentBenefit => "unemployment_benefit", "a-kassa";
    ActivitySupport => "activity_support", "aktivitetsstöd";
    ChildAllowance => "child_allowance", "barnbidrag";
    HousingAllowance => "housing_allowance", "bostadsbidrag";
    MaintenanceSupport => "maintenance_support", "underhållsstöd";
    StudentAid => "student_aid", "studiemedel";
    Other => "other", "annan inkomst";
});

categories!(ExpenseCategory {
    Rent => "rent", "hyra/boende";
    HouseholdElectricity => "household_electricity", "hushållsel";
    HomeInsurance => "home_insurance", "hemförsäkring";
    WorkTravel => "work_travel", "arbetsresor";
    UnionAndUnemploymentFund => "union_and_unemployment_fund", "fackavgift och a-kassa";
    Childcare => "childcare", "barnomsorg";
    Food => "food", "livsmedel";
    Clothing => "clothing", "kläder och skor";
    PersonalHygiene => "personal_hygiene", "personlig hygien";
    Leisure => "leisure", "fritid och lek";
    MobilePhone => "mobile_phone", "mobiltelefon";
    ChildInsurance => "child_insurance", "barnförsäkring";
    BabyEquipment => "baby_equipment", "barnutrustning";
    Consumables => "consumables", "förbrukningsvaror";
    HomeEquipment => "home_equipment", "hemutrustning";
    Media => "media", "medier";
    WaterAndSewage => "water_and_sewage", "vatten och avlopp";
    Healthcare => "healthcare", "hälso- och sjukvård";
    Transport => "transport", "resor";
    DebtPayments => "debt_payments", "skuldbetalningar";
    MaintenancePaid => "maintenance_paid", "betalt underhåll";
    Other => "other", "övrigt";
});

categories!(ReasonableCostKind {
    Rent => "rent", "boende";
    HouseholdElectricity => "household_electricity", "hushållsel";
    WorkTravel => "work_travel", "arbetsresor";
    HomeInsurance => "home_insurance", "hemförsäkring";
    UnionAndUnemploymentFund => "union_and_unemployment_fund", "fackavgift och a-kassa";
    Childcare => "childcare", "barnomsorgsavgift";
});

/// An income, an expense or a reasonable cost as given: an amount per
/// occurrence and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<C> {
    pub category: C,
    pub amount: Money,
    pub frequency: Frequency,
    pub description: String,
}

/// An entry normalised to the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyLine<C> {
    pub entry: Entry<C>,
    pub monthly: Money,
    pub basis: Basis,
}

fn normalise<C: Copy>(entries: &[Entry<C>]) -> Vec<MonthlyLine<C>> {
    entries
        .iter()
        .map(|entry| {
            let (monthly, basis) = monthly(entry.amount, entry.frequency);
            MonthlyLine {
                entry: entry.clone(),
                monthly,
                basis,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub category: ExpenseCategory,
    pub actual: Money,
    pub reference: Money,
    pub difference: Money,
    pub above: bool,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetResult {
    pub month: YearMonth,
    pub incomes: Vec<MonthlyLine<IncomeCategory>>,
    pub expenses: Vec<MonthlyLine<ExpenseCategory>>,
    pub total_income: Money,
    pub total_expenses: Money,
    pub surplus: Money,
    pub comparisons: Vec<Comparison>,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRef>,
}

/// Totals of already normalised lines, and the comparisons: the part of a
/// budget that does not depend on how the lines were entered.
pub fn assemble_budget(
    month: YearMonth,
    members: &[Member],
    incomes: Vec<MonthlyLine<IncomeCategory>>,
    expenses: Vec<MonthlyLine<ExpenseCategory>>,
    reference: Option<&NormTable>,
) -> BudgetResult {
    let total_income: Money = incomes.iter().map(|l| l.monthly).sum();
    let total_expenses: Money = expenses.iter().map(|l| l.monthly).sum();
    let mut warnings = Vec::new();
    let mut tables = Vec::new();
    let comparisons = match reference {
        Some(table) => {
            tables.push(table.table_ref());
            if table.status == TableStatus::Provisional {
                warnings.push(format!(
                    "the reference costs ({}) are provisional: compare with care",
                    table.id
                ));
            }
            compare(month, members, &expenses, table)
        }
        None => {
            warnings.push(format!(
                "no reference-costs table is in force for {month}: expenses are not compared"
            ));
            Vec::new()
        }
    };
    BudgetResult {
        month,
        incomes,
        expenses,
        total_income,
        total_expenses,
        surplus: total_income - total_expenses,
        comparisons,
        warnings,
        tables,
    }
}

/// A household budget for `month`.
pub fn calculate_budget(
    month: YearMonth,
    members: &[Member],
    incomes: &[Entry<IncomeCategory>],
    expenses: &[Entry<ExpenseCategory>],
    reference: Option<&NormTable>,
) -> BudgetResult {
    assemble_budget(
        month,
        members,
        normalise(incomes),
        normalise(expenses),
        reference,
    )
}

/// Each expense category with a reference value, compared. Individual costs
/// are summed over the members by age band; household costs read the row for
/// the household size (above 7 persons: + (7 − 6) per extra person).
fn compare(
    month: YearMonth,
    members: &[Member],
    expenses: &[MonthlyLine<ExpenseCategory>],
    table: &NormTable,
) -> Vec<Comparison> {
    let first_day = month.first_day();
    let citation = table.citation();
    let mut out = Vec::new();
    for category in ExpenseCategory::ALL.iter().copied() {
        let key = category.as_str();
        let actual_lines: Vec<Money> = expenses
            .iter()
            .filter(|l| l.entry.category == category)
            .map(|l| l.monthly)
            .collect();
        let actual: Money = actual_lines.iter().sum();
        let reference = if INDIVIDUAL_COST_CATEGORIES.contains(&key) {
            let mut parts = Vec::new();
            let mut terms = Vec::new();
            for m in members {
                let age = m.age_on(first_day).unwrap_or(0);
                let band = reference_age_band(age);
                let Ok(amount) = table.amount(&format!("{key}.{band}")) else {
                    break;
                };
                parts.push(amount);
                terms.push(format!("{band}: {}", amount.display_kr()));
            }
            if parts.len() != members.len() || parts.is_empty() {
                None
            } else {
                Some((
                    parts.iter().sum::<Money>(),
                    terms.join(", "),
                    sum_arithmetic(&parts),
                ))
            }
        } else if HOUSEHOLD_COST_CATEGORIES.contains(&key) {
            household_reference(table, key, members.len())
        } else {
            None
        };
        let Some((reference, terms, arithmetic)) = reference else {
            continue;
        };
        if actual_lines.is_empty() {
            continue;
        }
        let difference = actual - reference;
        out.push(Comparison {
            category,
            actual,
            reference,
            difference,
            above: difference.is_positive(),
            basis: Basis::new(
                format!(
                    "{}: hushållets kostnad jämförd med referensvärdet",
                    category.label()
                ),
                format!("{citation}, {terms}"),
                format!(
                    "referens {arithmetic}; {} − {} = {}",
                    actual.display_kr(),
                    reference.display_kr(),
                    difference.display_kr()
                ),
            ),
        });
    }
    out
}

fn household_reference(
    table: &NormTable,
    key: &str,
    persons: usize,
) -> Option<(Money, String, String)> {
    if persons <= 7 {
        let amount = table.amount(&format!("{key}.size_{persons}")).ok()?;
        return Some((
            amount,
            format!("{persons} personer: {}", amount.display_kr()),
            amount.display_kr(),
        ));
    }
    let seven = table.amount(&format!("{key}.size_7")).ok()?;
    let six = table.amount(&format!("{key}.size_6")).ok()?;
    let BeyondSeven {
        amount,
        rows,
        arithmetic,
    } = beyond_seven(seven, six, persons)?;
    Some((amount, rows, arithmetic))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistanceInput {
    pub month: YearMonth,
    pub members: Vec<Member>,
    pub costs: Vec<Entry<ReasonableCostKind>>,
    pub incomes: Vec<Entry<IncomeCategory>>,
    pub rent_cap: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistanceResult {
    pub month: YearMonth,
    pub units: Vec<NormUnit>,
    pub riksnorm_total: Money,
    pub costs: Vec<Line>,
    pub costs_total: Money,
    pub incomes: Vec<MonthlyLine<IncomeCategory>>,
    pub total_income: Money,
    pub total_need: Money,
    pub assistance: Money,
    pub rent_part: Money,
    pub assistance_basis: Basis,
    pub provisional: bool,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRef>,
}

/// Försörjningsstöd for one month from the riksnorm table in force.
pub fn calculate_social_assistance(
    input: &AssistanceInput,
    table: &NormTable,
    members_path: &str,
) -> Result<AssistanceResult, DomainError> {
    let units = riksnorm::riksnorm(&input.members, input.month, table, members_path)?;
    let (riksnorm_total, _) = riksnorm::total(&units);

    let mut costs = Vec::new();
    let mut rent_total = Money::ZERO;
    for line in normalise(&input.costs) {
        if line.entry.category == ReasonableCostKind::Rent {
            rent_total += line.monthly;
        }
        let label = if line.entry.description.is_empty() {
            line.entry.category.label().to_owned()
        } else {
            format!(
                "{} ({})",
                line.entry.category.label(),
                line.entry.description
            )
        };
        costs.push(Line {
            label,
            amount: line.monthly,
            basis: Basis::new(
                format!(
                    "skälig kostnad utanför riksnormen, faktisk kostnad: {}",
                    line.basis.rule
                ),
                "",
                line.basis.arithmetic,
            ),
        });
    }
    let mut accepted_rent = rent_total;
    if let Some(cap) = input.rent_cap
        && rent_total > cap
    {
        let over = rent_total - cap;
        accepted_rent = cap;
        costs.push(Line {
            label: "boendekostnad över kommunens tak".to_owned(),
            amount: -over,
            basis: Basis::new(
                "skälig boendekostnad: högst kommunens tak",
                format!("kommunens tak: {}", cap.display_kr()),
                format!(
                    "{} − {} = {} över taket",
                    rent_total.display_kr(),
                    cap.display_kr(),
                    over.display_kr()
                ),
            ),
        });
    }
    let costs_total: Money = costs.iter().map(|l| l.amount).sum();

    let incomes = normalise(&input.incomes);
    let total_income: Money = incomes.iter().map(|l| l.monthly).sum();
    let total_need = riksnorm_total + costs_total;
    let gap = total_need - total_income;
    let assistance = gap.max(Money::ZERO);
    let rent_part = accepted_rent.min(assistance);
    let assistance_basis = Basis::new(
        "försörjningsstöd = riksnorm + skäliga kostnader − inkomster, aldrig under noll; hyresdelen = min(godtagen boendekostnad, försörjningsstöd)",
        table.citation(),
        format!(
            "{} + {} − {} = {}; försörjningsstöd {}; hyresdel min({}, {}) = {}",
            riksnorm_total.display_kr(),
            costs_total.display_kr(),
            total_income.display_kr(),
            gap.display_kr(),
            assistance.display_kr(),
            accepted_rent.display_kr(),
            assistance.display_kr(),
            rent_part.display_kr()
        ),
    );
    let provisional = table.status == TableStatus::Provisional;
    let mut warnings = Vec::new();
    if provisional {
        warnings.push(format!(
            "the riksnorm table {} is provisional: the result must be checked against the official figures",
            table.id
        ));
    }
    Ok(AssistanceResult {
        month: input.month,
        units,
        riksnorm_total,
        costs,
        costs_total,
        incomes,
        total_income,
        total_need,
        assistance,
        rent_part,
        assistance_basis,
        provisional,
        warnings,
        tables: vec![table.table_ref()],
    })
}

/// A saved budget with who saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedBudget {
    pub id: Uuid,
    pub household_id: Uuid,
    /// The household revision whose members were counted.
    pub household_revision: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub result: BudgetResult,
}

#[cfg(test)]
mod tests;
