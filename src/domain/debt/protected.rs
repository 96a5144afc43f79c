//! Förbehållsbelopp: what a debtor keeps each month under löneutmätning,
//! from Kronofogden's normalbelopp, the housing cost and approved additions.

use super::{check_non_negative_amount, field};
use crate::domain::error::{DomainError, Violations};
use crate::domain::explain::{Basis, Line, sum_arithmetic};
use crate::domain::household::MAX_MEMBERS;
use crate::domain::money::Money;
use crate::domain::norms::{NormKind, NormTable, TableRef, TableStatus, row_label};

/// Where the förbehållsbelopp rules are printed.
pub const FORBEHALLSBELOPP_SOURCE: &str =
    "Kronofogden, kronofogden.se \"Vad du får behålla i en löneutmätning\"";

/// The adults the normalbelopp is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adults {
    /// Ensamstående.
    Single,
    /// Makar or sambor: one amount for the pair.
    Couple,
}

impl Adults {
    pub fn as_str(self) -> &'static str {
        match self {
            Adults::Single => "single",
            Adults::Couple => "couple",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<Adults> {
        match s {
            "single" => Some(Adults::Single),
            "couple" => Some(Adults::Couple),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Adults::Single => "single_adult",
            Adults::Couple => "cohabiting_pair",
        }
    }
}

/// A child in the household, with the support the child receives each month
/// (which reduces the child's normalbelopp).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildInput {
    /// Whole years.
    pub age: u32,
    pub barnbidrag: Money,
    /// Underhållsstöd or underhållsbidrag received for the child.
    pub underhallsstod: Money,
    pub studiebidrag: Money,
}

/// A housing allowance, deducted from the housing cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HousingAllowanceKind {
    Bostadsbidrag,
    Bostadstillagg,
    Boendetillagg,
}

impl HousingAllowanceKind {
    pub const ALL: [HousingAllowanceKind; 3] = [
        HousingAllowanceKind::Bostadsbidrag,
        HousingAllowanceKind::Bostadstillagg,
        HousingAllowanceKind::Boendetillagg,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HousingAllowanceKind::Bostadsbidrag => "bostadsbidrag",
            HousingAllowanceKind::Bostadstillagg => "bostadstillagg",
            HousingAllowanceKind::Boendetillagg => "boendetillagg",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<HousingAllowanceKind> {
        HousingAllowanceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            HousingAllowanceKind::Bostadsbidrag => "bostadsbidrag",
            HousingAllowanceKind::Bostadstillagg => "bostadstillägg",
            HousingAllowanceKind::Boendetillagg => "boendetillägg",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HousingAllowance {
    pub kind: HousingAllowanceKind,
    /// Per month.
    pub amount: Money,
}

/// The additions Kronofogden may approve on top of the normalbelopp and the
/// housing cost (kronofogden.se): work travel, medicine and care up to the
/// högkostnadsskydd, umgänge with children, and others it approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdditionKind {
    WorkTravel,
    MedicineAndCare,
    Umgange,
    Other,
}

impl AdditionKind {
    pub const ALL: [AdditionKind; 4] = [
        AdditionKind::WorkTravel,
        AdditionKind::MedicineAndCare,
        AdditionKind::Umgange,
        AdditionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdditionKind::WorkTravel => "work_travel",
            AdditionKind::MedicineAndCare => "medicine_and_care",
            AdditionKind::Umgange => "umgange",
            AdditionKind::Other => "other",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<AdditionKind> {
        AdditionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AdditionKind::WorkTravel => "arbetsresor",
            AdditionKind::MedicineAndCare => "medicin och vård",
            AdditionKind::Umgange => "umgänge med barn",
            AdditionKind::Other => "annat godkänt tillägg",
        }
    }
}

/// An approved addition, per month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    pub kind: AdditionKind,
    pub description: String,
    pub amount: Money,
}

pub const MAX_DESCRIPTION_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedAmountInput {
    pub adults: Adults,
    pub children: Vec<ChildInput>,
    /// The monthly housing cost (for a rented home, the rent).
    pub housing_cost: Money,
    pub housing_allowances: Vec<HousingAllowance>,
    pub additions: Vec<Addition>,
}

/// The förbehållsbelopp with its lines: the normalbelopp for the adults, one
/// line per child, the housing cost, one line per addition. `total` is the
/// sum of the lines shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedAmount {
    pub lines: Vec<Line>,
    pub total: Money,
    pub basis: Basis,
    pub provisional: bool,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRef>,
}

/// The normalbelopp row of a child's age band.
fn normalbelopp_child_key(age: u32) -> &'static str {
    match age {
        0..=6 => "child_0_6",
        7..=10 => "child_7_10",
        11..=14 => "child_11_14",
        _ => "child_15_plus",
    }
}

/// Checks the input of [`protected_amount`]; fields are reported as
/// `path.children[i].barnbidrag` (…`underhallsstod`, …`studiebidrag`),
/// `path.housing_cost`, `path.housing_allowances[i].amount`,
/// `path.additions[i].amount` and `path.additions[i].description`.
pub fn check_protected_amount_input(input: &ProtectedAmountInput, path: &str) -> Violations {
    let mut v = Violations::new();
    if input.children.len() > MAX_MEMBERS {
        v.add(
            field(path, "children"),
            "OUT_OF_RANGE",
            format!("at most {MAX_MEMBERS} children"),
        );
    }
    for (i, child) in input.children.iter().enumerate() {
        let f = |name: &str| field(path, &format!("children[{i}].{name}"));
        check_non_negative_amount(child.barnbidrag, &f("barnbidrag"), &mut v);
        check_non_negative_amount(child.underhallsstod, &f("underhallsstod"), &mut v);
        check_non_negative_amount(child.studiebidrag, &f("studiebidrag"), &mut v);
    }
    check_non_negative_amount(input.housing_cost, &field(path, "housing_cost"), &mut v);
    for (i, allowance) in input.housing_allowances.iter().enumerate() {
        check_non_negative_amount(
            allowance.amount,
            &field(path, &format!("housing_allowances[{i}].amount")),
            &mut v,
        );
    }
    for (i, addition) in input.additions.iter().enumerate() {
        check_non_negative_amount(
            addition.amount,
            &field(path, &format!("additions[{i}].amount")),
            &mut v,
        );
        let description = field(path, &format!("additions[{i}].description"));
        if addition.description.chars().count() > MAX_DESCRIPTION_CHARS {
            v.add(
                &description,
                "TOO_LONG",
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            );
        } else if addition.description.chars().any(char::is_control) {
            v.add(
                &description,
                "CONTROL_CHARACTERS",
                "must not contain control characters",
            );
        }
    }
    v
}

/// The förbehållsbelopp under löneutmätning (kronofogden.se, "Vad du får
/// behålla i en löneutmätning"; docs/sources.md §2.1):
/// - the normalbelopp for the adults: ensamstående, or makar/sambor as one
///   amount for the pair;
/// - for each child, the normalbelopp of its age band (0–6, 7–10, 11–14,
///   15 and over) reduced by the barnbidrag, underhållsstöd/underhållsbidrag
///   and studiebidrag received for it, never below zero;
/// - the housing cost minus bostadsbidrag, bostadstillägg and boendetillägg,
///   never below zero;
/// - the approved additions.
///
/// `table` is the normalbelopp table in force for the month (see
/// [`norms::in_force`]); a table of another kind is refused as
/// `NormTableMissing` for normalbelopp. All inputs are whole öre, so no line
/// is rounded.
pub fn protected_amount(
    input: &ProtectedAmountInput,
    table: &NormTable,
    path: &str,
) -> Result<ProtectedAmount, DomainError> {
    check_protected_amount_input(input, path).finish(())?;
    if table.kind != NormKind::Normalbelopp {
        return Err(DomainError::NormTableMissing {
            kind: NormKind::Normalbelopp,
            date: table.valid_from,
        });
    }
    let citation = table.citation();
    let mut lines = Vec::new();

    let adult_key = input.adults.key();
    let adult_amount = table.amount(adult_key)?;
    let adult_label = row_label(table.kind, adult_key);
    lines.push(Line {
        label: format!("normalbelopp, {adult_label}"),
        amount: adult_amount,
        basis: Basis::new(
            "förbehållsbelopp: normalbelopp för vuxna",
            format!("{citation}, {adult_label}: {}", adult_amount.display_kr()),
            adult_amount.display_kr(),
        ),
    });

    for (i, child) in input.children.iter().enumerate() {
        let key = normalbelopp_child_key(child.age);
        let band = table.amount(key)?;
        let band_label = row_label(table.kind, key);
        let supports = [
            ("barnbidrag", child.barnbidrag),
            ("underhållsstöd", child.underhallsstod),
            ("studiebidrag", child.studiebidrag),
        ];
        let received: Money = supports.iter().map(|(_, m)| *m).sum();
        let reduced = band - received;
        let amount = reduced.max(Money::ZERO);
        let mut arithmetic = band.display_kr();
        for (name, support) in supports.iter().filter(|(_, m)| !m.is_zero()) {
            arithmetic.push_str(&format!(" − {} ({name})", support.display_kr()));
        }
        if !received.is_zero() {
            arithmetic.push_str(&format!(" = {}", reduced.display_kr()));
            if reduced.is_negative() {
                arithmetic.push_str(" → 0 (aldrig under noll)");
            }
        }
        lines.push(Line {
            label: format!("normalbelopp, barn {} ({} år)", i + 1, child.age),
            amount,
            basis: Basis::new(
                "förbehållsbelopp: normalbelopp för barn efter ålder, minskat med barnbidrag, \
                 underhållsstöd och studiebidrag som barnet får, aldrig under noll",
                format!("{citation}, {band_label}: {}", band.display_kr()),
                arithmetic,
            ),
        });
    }

    let allowances: Money = input.housing_allowances.iter().map(|a| a.amount).sum();
    let net_housing = input.housing_cost - allowances;
    let housing = net_housing.max(Money::ZERO);
    let mut arithmetic = input.housing_cost.display_kr();
    for allowance in &input.housing_allowances {
        arithmetic.push_str(&format!(
            " − {} ({})",
            allowance.amount.display_kr(),
            allowance.kind.label()
        ));
    }
    if !input.housing_allowances.is_empty() {
        arithmetic.push_str(&format!(" = {}", net_housing.display_kr()));
        if net_housing.is_negative() {
            arithmetic.push_str(" → 0 (aldrig under noll)");
        }
    }
    lines.push(Line {
        label: "boendekostnad".to_owned(),
        amount: housing,
        basis: Basis::new(
            "förbehållsbelopp: boendekostnaden, minskad med bostadsbidrag, bostadstillägg och \
             boendetillägg, aldrig under noll",
            FORBEHALLSBELOPP_SOURCE,
            arithmetic,
        ),
    });

    for addition in &input.additions {
        let label = if addition.description.is_empty() {
            format!("tillägg: {}", addition.kind.label())
        } else {
            format!(
                "tillägg: {} ({})",
                addition.kind.label(),
                addition.description
            )
        };
        lines.push(Line {
            label,
            amount: addition.amount,
            basis: Basis::new(
                "förbehållsbelopp: tillägg som Kronofogden godtar",
                FORBEHALLSBELOPP_SOURCE,
                addition.amount.display_kr(),
            ),
        });
    }

    let amounts: Vec<Money> = lines.iter().map(|l| l.amount).collect();
    let total: Money = amounts.iter().sum();
    let provisional = table.status == TableStatus::Provisional;
    let mut warnings = Vec::new();
    if provisional {
        warnings.push(format!(
            "the normalbelopp table {} is provisional: the result must be checked against Kronofogden's official figures",
            table.id
        ));
    }
    Ok(ProtectedAmount {
        lines,
        total,
        basis: Basis::new(
            "förbehållsbelopp = normalbelopp + boendekostnad + godkända tillägg",
            format!("{citation}; {FORBEHALLSBELOPP_SOURCE}"),
            sum_arithmetic(&amounts),
        ),
        provisional,
        warnings,
        tables: vec![table.table_ref()],
    })
}

/// What löneutmätning can take: net income − förbehållsbelopp, never below
/// zero.
pub fn garnishable(net_income: Money, protected: Money) -> Money {
    (net_income - protected).max(Money::ZERO)
}

/// [`garnishable`] as a line with its basis.
pub fn garnishable_line(net_income: Money, protected: Money) -> Line {
    let amount = garnishable(net_income, protected);
    Line {
        label: "utmätningsbart belopp".to_owned(),
        amount,
        basis: Basis::new(
            "löneutmätning: nettoinkomsten minus förbehållsbeloppet, aldrig under noll",
            FORBEHALLSBELOPP_SOURCE,
            format!(
                "max(0, {} − {}) = {}",
                net_income.display_kr(),
                protected.display_kr(),
                amount.display_kr()
            ),
        ),
    }
}
